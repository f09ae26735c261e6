"""The timeline's input records and the name key the merge compares participants by.

``RecordRef`` (a per-article engagement with its article's metadata), ``QuoteRef`` and ``parse_day``
live in :mod:`summitwatch.model` with the other records, ``name_key`` with the knowledge's name
lookups; they are re-exported here for the code that has always imported them from this module.
"""

from __future__ import annotations

from summitwatch.knowledge.lookup import name_key
from summitwatch.model import QuoteRef, RecordRef, parse_day

__all__ = ["QuoteRef", "RecordRef", "name_key", "parse_day"]
