"""Store side of the timeline flags (``timeline.flags``): persist them on every timeline write, read them.

The flags live in two columns of ``timeline`` (``single_source``, ``disputed``), written by
:func:`refresh_flags` right after the timeline rows (``store.timeline.write_timeline``), so the API,
the exports and the pages read them without recomputing. A row whose columns are NULL (a file
written before the columns existed, or rows written by another path) is computed on read by the
same pure function, so readers never disagree with what a refresh would store.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence

from summitwatch.timeline.flags import Flags, Report, compute_flags

__all__ = ["refresh_flags", "read_flags", "reports_of"]

_CHUNK = 500


def _columns(conn: sqlite3.Connection) -> set[str]:
    return {r[1] for r in conn.execute("PRAGMA table_info(timeline)")}


def _json_list(value: str | None) -> tuple[str, ...]:
    try:
        v = json.loads(value or "[]")
    except ValueError:
        return ()
    return tuple(str(x) for x in v) if isinstance(v, list) else ()


def reports_of(conn: sqlite3.Connection, ids: Sequence[str] | None = None) -> dict[str, list[Report]]:
    """timeline id -> the per-article reports behind it (``ids`` None: every entry)."""
    out: dict[str, list[Report]] = defaultdict(list)
    sql = (
        "SELECT tm.timeline_id, tm.article_id, COALESCE(a.duplicate_of, tm.article_id), e.date, e.date_end, e.status,"
        " a.published_day, e.us, e.cn FROM timeline_members tm"
        " JOIN engagements e ON e.article_id = tm.article_id AND e.seq = tm.seq"
        " LEFT JOIN articles a ON a.id = tm.article_id"
    )
    chunks: Iterable[Sequence[str] | None] = (
        [None] if ids is None else (ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK))
    )
    for chunk in chunks:
        where, args = (
            ("", [])
            if chunk is None
            else (f" WHERE tm.timeline_id IN ({','.join('?' * len(chunk))})", list(chunk))
        )
        for tid, aid, group, date, date_end, status, day, us, cn in conn.execute(
            sql + where + " ORDER BY tm.timeline_id, tm.article_id, tm.seq", args
        ):
            out[tid].append(Report(aid, group, date, date_end, status, day, _json_list(us), _json_list(cn)))
    return out


def _event_days(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, str]:
    """timeline id -> its last day (``date_end`` or ``date``) where the entry has an exact date."""
    out: dict[str, str] = {}
    for i in range(0, len(ids), _CHUNK):
        chunk = list(ids[i : i + _CHUNK])
        for tid, day in conn.execute(
            f"SELECT id, COALESCE(date_end, date) FROM timeline WHERE id IN ({','.join('?' * len(chunk))})"
            " AND date IS NOT NULL",
            chunk,
        ):
            out[tid] = day
    return out


def refresh_flags(conn: sqlite3.Connection, ids: Sequence[str] | None = None) -> int:
    """Compute and store the flags of ``ids`` (None: every entry); returns the rows updated.

    Does not commit: it runs inside the caller's transaction (the timeline write)."""
    if not {"single_source", "disputed"} <= _columns(conn):
        return 0
    if ids is None:
        ids = [r[0] for r in conn.execute("SELECT id FROM timeline")]
    reports = reports_of(conn, ids)
    days = _event_days(conn, ids)
    rows = []
    for tid in ids:
        f = compute_flags(reports.get(tid, []), days.get(tid))
        rows.append((int(f.single_source), json.dumps(f.to_dict()["disputed"], ensure_ascii=False), tid))
    conn.executemany("UPDATE timeline SET single_source = ?, disputed = ? WHERE id = ?", rows)
    return len(rows)


def read_flags(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, Flags]:
    """The stored flags of ``ids``; entries without stored flags are computed (not written)."""
    out: dict[str, Flags] = {}
    if {"single_source", "disputed"} <= _columns(conn):
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            for tid, single, disputed in conn.execute(
                f"SELECT id, single_source, disputed FROM timeline WHERE id IN ({','.join('?' * len(chunk))})"
                " AND single_source IS NOT NULL AND disputed IS NOT NULL",
                list(chunk),
            ):
                try:
                    items = json.loads(disputed)
                except ValueError:
                    continue
                if isinstance(items, list):
                    out[tid] = Flags(bool(single), tuple(d for d in items if isinstance(d, dict)))
    missing = [i for i in ids if i not in out]
    if missing:
        reports = reports_of(conn, missing)
        days = _event_days(conn, missing)
        for tid in missing:
            out[tid] = compute_flags(reports.get(tid, []), days.get(tid))
    return out
