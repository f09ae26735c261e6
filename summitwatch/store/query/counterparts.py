"""Counterparts: which US official met, phoned or video-called which PRC official, and how often.

One row per (US official, PRC official) pair that share a timeline entry, counting entries by
modality. Only engagements that took place count (status ``held``): a planned or cancelled meeting
is not a meeting; ``status`` widens that when asked.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CounterpartFilters", "Counterparts", "counterparts", "COUNTERPARTS_CSV_COLUMNS"]

COUNTERPARTS_CSV_COLUMNS = ("us", "cn", "in_person", "phone", "video", "engagement_ids")
_MODALITIES = ("in_person", "phone", "video")


@dataclass(frozen=True, slots=True)
class CounterpartFilters:
    since: str | None = None
    until: str | None = None
    status: str | None = "held"  # None: every status


@dataclass(slots=True)
class Counterparts:
    us: str
    cn: str
    in_person: int = 0
    phone: int = 0
    video: int = 0
    engagement_ids: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.in_person + self.phone + self.video

    def to_dict(self) -> dict[str, Any]:
        return {
            "us": self.us,
            "cn": self.cn,
            "in_person": self.in_person,
            "phone": self.phone,
            "video": self.video,
            "engagement_ids": list(self.engagement_ids),
        }


def _names(value: str | None) -> list[str]:
    try:
        v = json.loads(value or "[]")
    except ValueError:
        return []
    return [str(x) for x in v] if isinstance(v, list) else []


def counterparts(conn: sqlite3.Connection, filters: CounterpartFilters | None = None) -> list[Counterparts]:
    """Pairs, most engagements first (then by names); engagement ids newest first."""
    f = filters or CounterpartFilters()
    where: list[str] = ["1"]
    args: list[Any] = []
    day = "COALESCE(date, date_approx)"
    if f.since:
        where.append(f"substr({day}, 1, length(?)) >= substr(?, 1, length({day}))")
        args += [f.since, f.since]
    if f.until:
        where.append(f"substr({day}, 1, length(?)) <= substr(?, 1, length({day}))")
        args += [f.until, f.until]
    if f.status:
        where.append("status = ?")
        args.append(f.status)
    pairs: dict[tuple[str, str], Counterparts] = {}
    for tid, us, cn, modality in conn.execute(
        f"SELECT id, us, cn, modality FROM timeline WHERE {' AND '.join(where)}"
        f" ORDER BY {day} IS NULL, {day} DESC, id",
        args,
    ):
        if modality not in _MODALITIES:
            continue
        for a in _names(us):
            for b in _names(cn):
                row = pairs.setdefault((a, b), Counterparts(a, b))
                setattr(row, modality, getattr(row, modality) + 1)
                row.engagement_ids.append(tid)
    return sorted(pairs.values(), key=lambda r: (-r.total, r.us, r.cn))
