"""The timeline's input records and the name key the merge compares participants by.

``RecordRef`` (a per-article engagement with its article's metadata), ``QuoteRef`` and ``parse_day``
live in :mod:`summitwatch.model` with the other records; they are re-exported here for the code
that has always imported them from this module.
"""

from __future__ import annotations

import re

from summitwatch.model import QuoteRef, RecordRef, parse_day

__all__ = ["QuoteRef", "RecordRef", "name_key", "parse_day"]

_NAME_DROP = re.compile(r"[^0-9a-z\u3400-\u9fff]")


def name_key(name: str) -> str:
    """Compare names case- and punctuation-insensitively, as the reference scorer does."""
    key = _NAME_DROP.sub("", (name or "").lower())
    return key or (name or "").strip()
