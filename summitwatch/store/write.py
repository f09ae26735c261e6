"""Write pipeline records into the store: runs, sources, quarantine, articles, extractions.

Only the ingest writer (one process) calls these, inside transactions it opens, so a run killed at
any moment leaves whole records: a source row, its article and its extraction land together.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from summitwatch.model import Article, Extraction, Quarantined
from summitwatch.store.codec import article_row

_ARTICLE_COLUMNS = (
    "id",
    "content_hash",
    "source",
    "format",
    "outlet",
    "outlet_en",
    "url",
    "original_url",
    "archived_url",
    "archived_at",
    "site_article_no",
    "title",
    "author",
    "published",
    "published_day",
    "published_alt",
    "category",
    "tags",
    "language",
    "script",
    "blocks",
    "figures",
    "links",
    "flags",
    "updated_run",
    "title_key",
    "via",
)
# on conflict the first source and the duplicate grouping are kept (dedupe recomputes the latter)
_ARTICLE_UPSERT = (
    f"INSERT INTO articles({', '.join(_ARTICLE_COLUMNS)}) VALUES({', '.join('?' * len(_ARTICLE_COLUMNS))}) "
    "ON CONFLICT(id) DO UPDATE SET "
    + ", ".join(f"{c}=excluded.{c}" for c in _ARTICLE_COLUMNS if c not in ("id", "source"))
)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def start_run(conn: sqlite3.Connection, inputs: Iterable[str]) -> int:
    with conn:
        cur = conn.execute(
            "INSERT INTO runs(started_at, inputs) VALUES(?, ?)", (now_iso(), _json(list(inputs)))
        )
    return int(cur.lastrowid or 0)


def finish_run(conn: sqlite3.Connection, run_id: int, summary: dict[str, Any]) -> None:
    with conn:
        conn.execute(
            "UPDATE runs SET finished_at=?, summary=? WHERE id=?", (now_iso(), _json(summary), run_id)
        )


def upsert_article(conn: sqlite3.Connection, article: Article, run_id: int, title_key: str | None) -> None:
    upsert_article_row(conn, article_row(article, run_id, title_key))


def upsert_article_row(conn: sqlite3.Connection, row: tuple[Any, ...]) -> None:
    """Store an ``article_row`` (built in a worker process, where the JSON encoding is cheap to spread)."""
    conn.execute(_ARTICLE_UPSERT, row)


def upsert_source(
    conn: sqlite3.Connection,
    *,
    source: str,
    input: str,
    raw_hash: str,
    raw: bytes,
    size: int,
    hint: str | None,
    meta: dict[str, str] | None,
    fmt: str | None,
    article_id: str,
    parser_version: str,
    run_id: int,
) -> None:
    """Store a leaf that became an article (and drop any older quarantine row for it)."""
    conn.execute(
        "INSERT INTO sources(source, input, raw_hash, raw, size, hint, meta, format, article_id, "
        "parser_version, first_seen_run, last_seen_run) VALUES(?,?,?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT(source) DO UPDATE SET input=excluded.input, raw_hash=excluded.raw_hash, "
        "raw=excluded.raw, size=excluded.size, hint=excluded.hint, meta=excluded.meta, "
        "format=excluded.format, article_id=excluded.article_id, "
        "parser_version=excluded.parser_version, last_seen_run=excluded.last_seen_run",
        (
            source,
            input,
            raw_hash,
            raw,
            size,
            hint,
            _json(meta) if meta else None,
            fmt,
            article_id,
            parser_version,
            run_id,
            run_id,
        ),
    )
    conn.execute("DELETE FROM quarantine WHERE source=?", (source,))


def upsert_quarantine(
    conn: sqlite3.Connection,
    q: Quarantined,
    *,
    input: str,
    raw_hash: str | None,
    raw: bytes | None,
    size: int | None,
    hint: str | None,
    meta: dict[str, str] | None,
    parser_version: str | None,
    run_id: int,
) -> None:
    """Store a leaf that could not become an article (and drop any older source row for it)."""
    conn.execute(
        "INSERT INTO quarantine(source, reason, detail, run, input, raw_hash, raw, size, hint, meta, "
        "parser_version) VALUES(?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(source) DO UPDATE SET "
        "reason=excluded.reason, detail=excluded.detail, run=excluded.run, input=excluded.input, "
        "raw_hash=excluded.raw_hash, raw=excluded.raw, size=excluded.size, hint=excluded.hint, "
        "meta=excluded.meta, parser_version=excluded.parser_version",
        (
            q.source,
            q.reason,
            q.detail[:2000],
            run_id,
            input,
            raw_hash,
            raw,
            size,
            hint,
            _json(meta) if meta else None,
            parser_version,
        ),
    )
    conn.execute("DELETE FROM sources WHERE source=?", (q.source,))


def touch_sources(conn: sqlite3.Connection, sources: Iterable[str], run_id: int) -> None:
    """Mark unchanged sources as seen by this run."""
    conn.executemany("UPDATE sources SET last_seen_run=? WHERE source=?", ((run_id, s) for s in sources))


def write_extraction(
    conn: sqlite3.Connection, extraction: Extraction, *, content_hash: str, knowledge_hash: str
) -> None:
    """Replace an article's extraction whole: its engagements, quotes and mentions."""
    aid = extraction.article_id
    for table in ("engagements", "quotes", "mentions"):
        conn.execute(f"DELETE FROM {table} WHERE article_id=?", (aid,))
    conn.execute(
        "INSERT INTO extractions(article_id, content_hash, knowledge_hash, extractor_version, topics) "
        "VALUES(?,?,?,?,?) ON CONFLICT(article_id) DO UPDATE SET content_hash=excluded.content_hash, "
        "knowledge_hash=excluded.knowledge_hash, extractor_version=excluded.extractor_version, "
        "topics=excluded.topics",
        (aid, content_hash, knowledge_hash, extraction.extractor_version, _json(list(extraction.topics))),
    )
    conn.executemany(
        "INSERT INTO engagements(article_id, seq, us, cn, modality, date, date_end, date_approx, "
        "date_precision, location, occasion, status, focus, evidence, evidence_start, evidence_end, "
        "topics) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                aid,
                i,
                _json(list(e.us)),
                _json(list(e.cn)),
                e.modality,
                e.date,
                e.date_end,
                e.date_approx,
                e.date_precision,
                e.location,
                e.occasion,
                e.status,
                int(bool(e.focus)),
                e.evidence,
                e.evidence_start,
                e.evidence_end,
                _json(list(e.topics)),
            )
            for i, e in enumerate(extraction.engagements)
        ],
    )
    conn.executemany(
        'INSERT INTO quotes(article_id, seq, speaker, side, text, reported, start, "end", in_title) '
        "VALUES(?,?,?,?,?,?,?,?,?)",
        [
            (aid, i, q.speaker, q.side, q.text, int(bool(q.reported)), q.start, q.end, int(bool(q.in_title)))
            for i, q in enumerate(extraction.quotes)
        ],
    )
    conn.executemany(
        'INSERT INTO mentions(article_id, seq, kind, key, surface, start, "end", side, office) '
        "VALUES(?,?,?,?,?,?,?,?,?)",
        [
            (aid, i, m.kind, m.key, m.surface, m.start, m.end, m.side, m.office)
            for i, m in enumerate(extraction.mentions)
        ],
    )


def delete_orphan_articles(conn: sqlite3.Connection) -> int:
    """Drop articles no source points to any more (a changed file that now yields another id)."""
    orphans = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM articles WHERE id NOT IN "
            "(SELECT article_id FROM sources WHERE article_id IS NOT NULL)"
        )
    ]
    for aid in orphans:
        for table in ("engagements", "quotes", "mentions", "extractions"):
            conn.execute(f"DELETE FROM {table} WHERE article_id=?", (aid,))
        conn.execute("UPDATE articles SET duplicate_of=NULL WHERE duplicate_of=?", (aid,))
        conn.execute("DELETE FROM articles WHERE id=?", (aid,))
    return len(orphans)


def set_duplicates(conn: sqlite3.Connection, assignments: Iterable[tuple[str, str | None]]) -> None:
    """Set ``duplicate_of`` per article id (None: representative or alone)."""
    conn.executemany(
        "UPDATE articles SET duplicate_of=? WHERE id=?", ((rep, aid) for aid, rep in assignments)
    )
