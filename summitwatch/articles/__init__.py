"""RawDoc -> canonical Article: metadata, clean blocks, outlet, dates, language, flags.

The data-driven parts (outlets, boilerplate, URL wrappers, script characters) read their files from
``summitwatch/data`` through the knowledge loader (:func:`load_data_file`), which checks each file
against its declared schema and counts it in the knowledge hash.
"""

from __future__ import annotations

from typing import Any

from summitwatch.knowledge import data_file


def load_data_file(name: str) -> Any:
    """The checked contents of ``summitwatch/data/<name>``, read once per process (do not mutate)."""
    return data_file(name)
