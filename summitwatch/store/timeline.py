"""Timeline tables of the store: read per-article records, write and query the merged timeline.

Persistence only. The timeline step (``summitwatch.run.steps.rebuild_timeline``) reads every
per-article engagement with its article's metadata (plus quotes, topics and clean text for the
outlet comparison) through :func:`load_records` and friends, merges them and applies the analysts'
corrections with the pure ``timeline`` and ``curation.apply`` functions, and writes the result with
:func:`write_timeline` (the ``timeline`` and ``timeline_members`` rows, replaced in one transaction).
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from summitwatch.model import ArticleRef, Engagement, Quote, QuoteRef, RecordRef, TimelineEntry
from summitwatch.store.db import connect


def open_store(db_path: str | Path, *, create: bool = False) -> sqlite3.Connection:
    """Open the store through the project's one opener (WAL, schema migration)."""
    return connect(db_path, create=create)


def _loads(value: Any, default: Any) -> Any:
    if value in (None, ""):
        return default
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return default


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def load_records(conn: sqlite3.Connection) -> list[RecordRef]:
    """Every per-article engagement joined with its article's metadata."""
    rows = conn.execute(
        """SELECT e.article_id, e.seq, e.us, e.cn, e.modality, e.date, e.date_end, e.date_approx,
                  e.date_precision, e.location, e.occasion, e.status, e.focus, e.evidence,
                  e.evidence_start, e.evidence_end, e.topics,
                  a.source, a.outlet, a.title, a.published, a.url, a.original_url, a.archived_url
           FROM engagements e JOIN articles a ON a.id = e.article_id
           ORDER BY e.article_id, e.seq"""
    ).fetchall()
    refs: list[RecordRef] = []
    for r in rows:
        eng = Engagement(
            us=tuple(_loads(r[2], [])), cn=tuple(_loads(r[3], [])), modality=r[4], status=r[11],
            focus=bool(r[12]), evidence=r[13] or "", date=r[5], date_end=r[6], date_approx=r[7],
            date_precision=r[8], location=r[9], occasion=r[10], topics=tuple(_loads(r[16], [])),
            evidence_start=r[14] if r[14] is not None else -1, evidence_end=r[15] if r[15] is not None else -1,
        )
        refs.append(RecordRef(article_id=r[0], seq=r[1], source=r[17], outlet=r[18], title=r[19],
                              published=r[20], url=r[21] or r[22], archived_url=r[23], engagement=eng))
    return refs


def _article_ids(refs: Iterable[RecordRef]) -> list[str]:
    return sorted({r.article_id for r in refs})


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def load_quotes(conn: sqlite3.Connection, article_ids: list[str]) -> list[QuoteRef]:
    out: list[QuoteRef] = []
    for chunk in _chunks(article_ids):
        marks = ",".join("?" * len(chunk))
        for r in conn.execute(
            f'SELECT article_id, speaker, side, text, reported, start, "end" FROM quotes '
            f"WHERE article_id IN ({marks}) ORDER BY article_id, seq",
            chunk,
        ):
            out.append(QuoteRef(r[0], Quote(speaker=r[1], side=r[2], text=r[3], reported=bool(r[4]),
                                            start=r[5] if r[5] is not None else -1,
                                            end=r[6] if r[6] is not None else -1)))
    return out


def load_texts(conn: sqlite3.Connection, article_ids: list[str]) -> dict[str, str]:
    """Clean text (blocks joined by a blank line, as Article.text) of the given articles."""
    texts: dict[str, str] = {}
    for chunk in _chunks(article_ids):
        marks = ",".join("?" * len(chunk))
        for aid, blocks in conn.execute(f"SELECT id, blocks FROM articles WHERE id IN ({marks})", chunk):
            texts[aid] = "\n\n".join(b.get("text", "") for b in _loads(blocks, []) if isinstance(b, dict))
    return texts


def load_article_topics(conn: sqlite3.Connection, article_ids: list[str]) -> dict[str, tuple[str, ...]]:
    topics: dict[str, tuple[str, ...]] = {}
    if "extractions" not in _tables(conn):
        return topics
    for chunk in _chunks(article_ids):
        marks = ",".join("?" * len(chunk))
        for aid, t in conn.execute(f"SELECT article_id, topics FROM extractions WHERE article_id IN ({marks})", chunk):
            topics[aid] = tuple(_loads(t, []))
    return topics


def load_articles(conn: sqlite3.Connection, article_ids: Iterable[str]) -> dict[str, ArticleRef]:
    """The metadata of the given articles (those that exist), as a timeline record cites them."""
    out: dict[str, ArticleRef] = {}
    for chunk in _chunks(sorted(set(article_ids))):
        marks = ",".join("?" * len(chunk))
        for r in conn.execute(
            "SELECT id, source, outlet, title, published, url, original_url, archived_url FROM articles "
            f"WHERE id IN ({marks})",
            chunk,
        ):
            out[r[0]] = ArticleRef(article_id=r[0], source=r[1], outlet=r[2], title=r[3], published=r[4],
                                   url=r[5] or r[6], archived_url=r[7])  # fmt: skip
    return out


def write_timeline(conn: sqlite3.Connection, entries: list[TimelineEntry]) -> None:
    """Replace the timeline tables with ``entries`` (one transaction)."""
    with conn:
        conn.execute("DELETE FROM timeline_members")
        conn.execute("DELETE FROM timeline")
        conn.executemany(
            "INSERT INTO timeline (id, us, cn, modality, status, date, date_end, date_approx, date_precision, "
            "location, occasion, data) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [(e.id, json.dumps(e.us, ensure_ascii=False), json.dumps(e.cn, ensure_ascii=False), e.modality,
              e.status, e.date, e.date_end, e.date_approx, e.date_precision, e.location, e.occasion,
              json.dumps(e.data, ensure_ascii=False)) for e in entries],
        )
        members = []
        for e in entries:
            for ev in e.data.get("evidence", []):
                members.append((e.id, ev["article_id"], ev["seq"]))
        conn.executemany(
            "INSERT OR REPLACE INTO timeline_members (timeline_id, article_id, seq) VALUES (?,?,?)", members
        )


def _entry_sources(conn: sqlite3.Connection) -> dict[str, tuple[list[str], list[str]]]:
    """timeline id -> (source paths of its articles, article ids). Byte-identical copies of an
    article stored under other paths are listed too: each is a source that reported it."""
    by_entry: dict[str, set[str]] = defaultdict(set)
    arts: dict[str, set[str]] = defaultdict(set)
    for tid, aid, src in conn.execute(
        "SELECT m.timeline_id, a.id, a.source FROM timeline_members m JOIN articles a ON a.id = m.article_id"
    ):
        by_entry[tid].add(src)
        arts[tid].add(aid)
    if "sources" in _tables(conn):
        for tid, src in conn.execute(
            "SELECT DISTINCT m.timeline_id, s.source FROM timeline_members m "
            "JOIN sources s ON s.article_id = m.article_id"
        ):
            by_entry[tid].add(src)
    return {t: (sorted(by_entry[t]), sorted(arts[t])) for t in by_entry}


def _row_entry(r: sqlite3.Row | tuple[Any, ...], sources: tuple[list[str], list[str]] | None) -> TimelineEntry:
    return TimelineEntry(
        id=r[0], us=_loads(r[1], []), cn=_loads(r[2], []), modality=r[3], status=r[4], date=r[5],
        date_end=r[6], date_approx=r[7], date_precision=r[8], location=r[9], occasion=r[10],
        sources=list(sources[0]) if sources else [], article_ids=list(sources[1]) if sources else [],
        data=_loads(r[11], {}),
    )


_COLS = "id, us, cn, modality, status, date, date_end, date_approx, date_precision, location, occasion, data"


def read_timeline(
    conn: sqlite3.Connection, since: str | None = None, until: str | None = None, modality: str | None = None
) -> list[TimelineEntry]:
    """Stored entries in date order (undated last); ``since``/``until`` bound the date or the
    approximate date, inclusive."""
    where, args = [], []
    if since:
        where.append("COALESCE(date, date_approx) >= ?")
        args.append(since)
    if until:
        where.append("substr(COALESCE(date, date_approx), 1, length(?)) <= ?")
        args += [until, until]
    if modality:
        where.append("modality = ?")
        args.append(modality)
    sql = f"SELECT {_COLS} FROM timeline"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY COALESCE(date, date_approx, '9999') , id"
    sources = _entry_sources(conn)
    return [_row_entry(r, sources.get(r[0])) for r in conn.execute(sql, args)]


def get_entry(conn: sqlite3.Connection, entry_id: str) -> TimelineEntry | None:
    r = conn.execute(f"SELECT {_COLS} FROM timeline WHERE id = ?", (entry_id,)).fetchone()
    if r is None:
        return None
    return _row_entry(r, _entry_sources(conn).get(entry_id))


def citations(conn: sqlite3.Connection, entry_id: str) -> list[dict[str, Any]]:
    """One citation per covering article: outlet, headline, publication date, URLs, source path."""
    rows = conn.execute(
        """SELECT DISTINCT a.id, a.outlet, a.outlet_en, a.title, a.published, a.url, a.original_url,
                  a.archived_url, a.source
           FROM timeline_members m JOIN articles a ON a.id = m.article_id
           WHERE m.timeline_id = ? ORDER BY a.published, a.id""",
        (entry_id,),
    ).fetchall()
    return [
        {"article_id": r[0], "outlet": r[1], "outlet_en": r[2], "title": r[3], "published": r[4],
         "url": r[5] or r[6], "archived_url": r[7], "source": r[8]}
        for r in rows
    ]
