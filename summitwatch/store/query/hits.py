"""What a page of search hits links to: a readable label for each engagement the hits belong to.

A search hit carries only timeline ids (``SearchHit.engagements``); a link that reads
``tl-2021-alaska`` tells an analyst nothing, so the search page labels each one with its date and
participants. The labels of every hit on a page come from ONE query (the ids passed as a single
JSON array, looked up by the timeline's primary key), never one query per hit or per link.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["EngagementLabel", "engagement_labels"]


@dataclass(frozen=True, slots=True)
class EngagementLabel:
    """A timeline entry as a link label: when, who, how and whether it happened."""

    id: str
    date: str | None
    date_end: str | None
    date_approx: str | None
    modality: str
    status: str
    us: tuple[str, ...]
    cn: tuple[str, ...]
    occasion: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "date": self.date,
            "date_end": self.date_end,
            "date_approx": self.date_approx,
            "modality": self.modality,
            "status": self.status,
            "us": list(self.us),
            "cn": list(self.cn),
            "occasion": self.occasion,
        }


def _names(value: str | None) -> tuple[str, ...]:
    """A stored JSON list of names; a malformed value is no names (a label never fails a page)."""
    try:
        v = json.loads(value or "[]")
    except ValueError:
        return ()
    return tuple(str(x) for x in v) if isinstance(v, list) else ()


def engagement_labels(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, EngagementLabel]:
    """Labels of the timeline entries ``ids`` (duplicates allowed), by id, in one query.

    Ids that are no longer in the timeline (a hit read between two timeline rebuilds) are simply
    absent: the page then links the bare id.
    """
    wanted = list(dict.fromkeys(i for i in ids if i))
    if not wanted:
        return {}
    rows = conn.execute(
        "SELECT id, date, date_end, date_approx, modality, status, us, cn, occasion FROM timeline"
        " WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(wanted),),
    )
    return {
        tid: EngagementLabel(tid, date, date_end, approx, modality, status, _names(us), _names(cn), occasion)
        for tid, date, date_end, approx, modality, status, us, cn, occasion in rows
    }
