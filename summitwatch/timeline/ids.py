"""Stable timeline ids: derived from what an engagement is, never from row order.

A link to an engagement must survive re-extraction and re-ingest, so the id hashes its principal
participants (the most-cited person per side), its modality and its date (or, when undated, its
occasion / approximate date / place).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from summitwatch.timeline.records import name_key


def principal(counts: dict[str, float]) -> str:
    """The most-cited participant key of a side (ties broken alphabetically, for determinism)."""
    if not counts:
        return ""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def entry_id(anchor: str, modality: str, us: str, cn: str) -> str:
    """``e-`` + 10 hex of sha1("anchor|modality|us|cn"), e.g. anchor ``2021-03-18``."""
    basis = "|".join([anchor, modality, name_key(us), name_key(cn)])
    return "e-" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:10]


def disambiguate(base_id: str, extra: Iterable[str]) -> str:
    """A second id for an entry whose natural id is taken (two engagements with the same anchor)."""
    basis = base_id + "|" + "|".join(sorted(name_key(x) for x in extra))
    return "e-" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:10]
