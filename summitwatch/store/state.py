"""The ingest runner's bookkeeping: what the store holds per source, article and extraction.

Why here: the runner (``run/``) decides what to skip, re-parse or re-extract from these values,
but the SQL that reads them belongs to the store (``run/`` holds no SQL).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

from summitwatch.store.db import get_meta, set_meta

__all__ = [
    "article_hashes",
    "articles_updated_between",
    "duplicate_counts",
    "extraction_states",
    "extraction_ids",
    "get_done_run",
    "quarantine_states",
    "set_done_run",
    "source_states",
    "sources_by_raw_hash",
    "stored_raw_records",
    "unfinished_runs_between",
]


def source_states(conn: sqlite3.Connection) -> dict[str, tuple[str, str | None, str | None]]:
    """source -> (raw hash, parser version, article id) of every stored source."""
    return {
        r[0]: (r[1], r[2], r[3])
        for r in conn.execute("SELECT source, raw_hash, parser_version, article_id FROM sources")
    }


def quarantine_states(conn: sqlite3.Connection) -> dict[str, tuple[str | None, str | None, str]]:
    """source -> (raw hash, parser version, reason) of every quarantined record."""
    return {
        r[0]: (r[1], r[2], r[3])
        for r in conn.execute("SELECT source, raw_hash, parser_version, reason FROM quarantine")
    }


def article_hashes(conn: sqlite3.Connection) -> dict[str, str]:
    """article id -> content hash."""
    return {r[0]: r[1] for r in conn.execute("SELECT id, content_hash FROM articles")}


def sources_by_raw_hash(conn: sqlite3.Connection, parser_version: str) -> dict[str, tuple[str, str | None]]:
    """raw hash -> (article id, format) of sources parsed by ``parser_version`` (byte-identical copies)."""
    return {
        r[0]: (r[1], r[2])
        for r in conn.execute(
            "SELECT raw_hash, article_id, format FROM sources WHERE parser_version=?", (parser_version,)
        )
    }


def extraction_states(conn: sqlite3.Connection) -> dict[str, tuple[str, str, str]]:
    """article id -> (content hash, knowledge hash, extractor version) of its stored extraction."""
    return {
        r[0]: (r[1], r[2], r[3])
        for r in conn.execute(
            "SELECT article_id, content_hash, knowledge_hash, extractor_version FROM extractions"
        )
    }


def extraction_ids(
    conn: sqlite3.Connection, knowledge_hash: str, extractor_version: str, *, everything: bool = False
) -> list[str]:
    """Ids of articles whose extraction is missing or stale (``everything``: of every article)."""
    if everything:
        return [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
    return [
        r[0]
        for r in conn.execute(
            "SELECT a.id FROM articles a LEFT JOIN extractions e ON e.article_id = a.id "
            "WHERE e.article_id IS NULL OR e.content_hash != a.content_hash "
            "OR e.knowledge_hash != ? OR e.extractor_version != ? ORDER BY a.id",
            (knowledge_hash, extractor_version),
        )
    ]


def articles_updated_between(conn: sqlite3.Connection, after_run: int, before_run: int) -> list[str]:
    """Articles written by runs strictly between two run ids (work a killed run left behind)."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT id FROM articles WHERE updated_run > ? AND updated_run < ?", (after_run, before_run)
        )
    ]


def duplicate_counts(conn: sqlite3.Connection) -> tuple[int, int]:
    """(articles marked as a near-duplicate, distinct representatives they point to)."""
    row = conn.execute(
        "SELECT count(*), count(DISTINCT duplicate_of) FROM articles WHERE duplicate_of IS NOT NULL"
    ).fetchone()
    return int(row[0]), int(row[1])


def unfinished_runs_between(conn: sqlite3.Connection, after_run: int, before_run: int) -> bool:
    """True when a run strictly between the two ids stopped (killed, or failed) before finishing."""
    row = conn.execute(
        "SELECT 1 FROM runs WHERE id > ? AND id < ? AND (finished_at IS NULL "
        "OR coalesce(json_extract(summary, '$.failed'), '') != '') LIMIT 1",
        (after_run, before_run),
    ).fetchone()
    return row is not None


def get_done_run(conn: sqlite3.Connection, step: str) -> int:
    """The last run that completed ``step`` (``dedupe``, ``timeline``), 0 when none has."""
    return int(get_meta(conn, f"{step}_done_run") or 0)


def set_done_run(conn: sqlite3.Connection, step: str, run_id: int) -> None:
    """Record that ``run_id`` completed ``step`` (caller commits, with the step's own writes)."""
    set_meta(conn, f"{step}_done_run", str(run_id))


def stored_raw_records(
    conn: sqlite3.Connection, batch: int = 200
) -> Iterator[tuple[str, str, bytes, str, str | None, dict[str, str]]]:
    """(input, source, compressed raw bytes, raw hash, hint, meta) of every stored raw record:
    sources first, then quarantined records that kept their bytes, in source order, in batches."""
    for table in ("sources", "quarantine"):
        keys = [
            r[0] for r in conn.execute(f"SELECT source FROM {table} WHERE raw IS NOT NULL ORDER BY source")
        ]
        for i in range(0, len(keys), batch):
            chunk = keys[i : i + batch]
            rows = conn.execute(
                f"SELECT source, input, raw_hash, raw, hint, meta FROM {table} "
                f"WHERE source IN ({','.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
            for source, input, raw_hash, raw, hint, meta in rows:
                yield input or "", source, raw, raw_hash, hint, (json.loads(meta) or {}) if meta else {}
