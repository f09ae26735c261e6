"""SQL of the corrections table (issue 6): insert, list, withdraw.

The table is declared in ``schema.sql`` (section ``-- curation (issue 6)``). A store created before
that section existed is already at the current schema version, so ``migrate`` does not replay the
schema there; :func:`ensure_table` runs that section itself (idempotent, ``IF NOT EXISTS``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from summitwatch.model import Correction
from summitwatch.store.codec import unpack_json
from summitwatch.store.db import schema_sql

_BEGIN = "-- curation (issue 6)"
_END = "-- end curation"
_COLS = "id, uid, created_at, user, action, target, payload, note, original, active"


def _section() -> str:
    text = schema_sql()
    start = text.index(_BEGIN)
    end = text.index(_END, start)
    return text[start:end]


def has_table(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='corrections'").fetchone() is not None


def ensure_table(conn: sqlite3.Connection) -> None:
    """Create the corrections table when this store predates it."""
    if not has_table(conn):
        conn.executescript(_section())


def _row(r: sqlite3.Row | tuple) -> Correction:  # type: ignore[type-arg]
    return Correction(
        id=r[0], uid=r[1], created_at=r[2], user=r[3], action=r[4], target=json.loads(r[5]),
        payload=json.loads(r[6] or "{}"), note=r[7] or "", original=json.loads(r[8] or "{}"), active=bool(r[9]),
    )


def _target_id(c: Correction) -> str | None:
    if c.target_kind == "entry":
        return c.entry_id
    if c.target_kind == "record":
        rk = c.record
        return rk.article_id if rk else None
    arts = c.target.get("articles") or []
    return arts[0] if arts else None


def insert_correction(conn: sqlite3.Connection, c: Correction) -> int | None:
    """Store ``c`` (caller commits); returns its row id, or None when its uid is already stored."""
    ensure_table(conn)
    cur = conn.execute(
        "INSERT OR IGNORE INTO corrections (uid, created_at, user, action, target_kind, target_id, target, payload, "
        "note, original, active) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (c.uid, c.created_at, c.user, c.action, c.target_kind, _target_id(c),
         json.dumps(c.target, ensure_ascii=False, sort_keys=True), json.dumps(c.payload, ensure_ascii=False, sort_keys=True),
         c.note, json.dumps(c.original, ensure_ascii=False, sort_keys=True), int(c.active)),
    )
    return cur.lastrowid if cur.rowcount else None


def list_corrections(conn: sqlite3.Connection, *, active_only: bool = False) -> list[Correction]:
    """Corrections in the order they were made (the order they are applied in)."""
    if not has_table(conn):
        return []
    sql = f"SELECT {_COLS} FROM corrections"
    if active_only:
        sql += " WHERE active = 1"
    return [_row(r) for r in conn.execute(sql + " ORDER BY id")]


def get_correction(conn: sqlite3.Connection, correction_id: int) -> Correction | None:
    if not has_table(conn):
        return None
    r = conn.execute(f"SELECT {_COLS} FROM corrections WHERE id = ?", (correction_id,)).fetchone()
    return None if r is None else _row(r)


def set_active(conn: sqlite3.Connection, correction_id: int, active: bool) -> bool:
    """Withdraw (or restore) a correction; True when it exists (caller commits)."""
    if not has_table(conn):
        return False
    cur = conn.execute("UPDATE corrections SET active = ? WHERE id = ?", (int(active), correction_id))
    return cur.rowcount > 0


def corrections_for(conn: sqlite3.Connection, target_ids: Iterable[str]) -> list[Correction]:
    """Active corrections naming any of ``target_ids`` (timeline or article ids), oldest first."""
    ids = sorted(set(target_ids))
    if not ids or not has_table(conn):
        return []
    marks = ",".join("?" * len(ids))
    return [_row(r) for r in conn.execute(
        f"SELECT {_COLS} FROM corrections WHERE active = 1 AND target_id IN ({marks}) ORDER BY id", ids)]


# --------------------------------------------------------------------------- what a correction checks
# The current state a correction is checked against (an entry, its members, an article's text), read
# here so the curation actions hold no SQL.


def timeline_row(conn: sqlite3.Connection, entry_id: str) -> sqlite3.Row | None:
    """The stored ``timeline`` row of ``entry_id`` (columns by name), or None."""
    cur = conn.cursor()
    cur.row_factory = sqlite3.Row
    return cur.execute("SELECT * FROM timeline WHERE id = ?", (entry_id,)).fetchone()


def entry_members(conn: sqlite3.Connection, entry_id: str) -> list[tuple[str, int]]:
    """``(article_id, seq)`` of the per-article records an entry holds."""
    return [(r[0], r[1]) for r in conn.execute(
        "SELECT article_id, seq FROM timeline_members WHERE timeline_id = ? ORDER BY article_id, seq", (entry_id,))]


def entry_of_record(conn: sqlite3.Connection, article_id: str, seq: int) -> str | None:
    """The timeline entry a per-article record belongs to, or None."""
    row = conn.execute(
        "SELECT timeline_id FROM timeline_members WHERE article_id = ? AND seq = ?", (article_id, seq)
    ).fetchone()
    return None if row is None else row[0]


def article_blocks_title(conn: sqlite3.Connection, article_id: str) -> tuple[list[Any], str | None] | None:
    """``(blocks as a JSON list of {kind, text}, title)`` of an article, or None when there is no such
    article (the blocks decoded by ``store/codec.py``)."""
    row = conn.execute("SELECT blocks, title FROM articles WHERE id = ?", (article_id,)).fetchone()
    return None if row is None else (unpack_json(row[0], []), row[1])


def article_file_dates(conn: sqlite3.Connection, article_id: str) -> tuple[str, str | None, str | None] | None:
    """``(source, published_day, published)`` of an article, or None."""
    row = conn.execute("SELECT source, published_day, published FROM articles WHERE id = ?", (article_id,)).fetchone()
    return None if row is None else (row[0], row[1], row[2])
