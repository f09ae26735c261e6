"""Domain knowledge loaded from the analyst-editable YAML files in ``summitwatch/data/``.

Everything the pipeline needs to know about the world lives in data files, so that a new alias,
office term, cue or outlet is a data edit, not a code change. This package is the one way to read
them:

- :mod:`~summitwatch.knowledge.schema` declares the shape of every file;
- :mod:`~summitwatch.knowledge.loader` reads, checks and caches the files, builds the immutable
  :class:`Knowledge` (with its lookup indexes) and serves any file through :func:`data_file`;
- :mod:`~summitwatch.knowledge.records` holds the records (officials, offices, places, ...).

``Knowledge.hash`` covers every data file, so any data edit makes ``summitwatch extract``
re-extract what was extracted under the old files.
"""

from summitwatch.knowledge.loader import (
    DATA_DIR,
    KNOWLEDGE_FILES,
    Knowledge,
    _load_cached,
    data_file,
    knowledge_hash,
    load_knowledge,
)
from summitwatch.knowledge.records import (
    Body,
    FramingMarker,
    Office,
    OfficeTerm,
    Official,
    Place,
    Summit,
    Topic,
)
from summitwatch.knowledge.schema import FILES, PLACE_KINDS, RANKS, SIDES, KnowledgeError, validate

__all__ = [
    "DATA_DIR",
    "FILES",
    "KNOWLEDGE_FILES",
    "PLACE_KINDS",
    "RANKS",
    "SIDES",
    "Body",
    "FramingMarker",
    "Knowledge",
    "KnowledgeError",
    "Office",
    "OfficeTerm",
    "Official",
    "Place",
    "Summit",
    "Topic",
    "_load_cached",
    "data_file",
    "knowledge_hash",
    "load_knowledge",
    "validate",
]
