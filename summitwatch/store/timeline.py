"""Timeline tables of the store: what the timeline step reads, and the one writer of the timeline.

Persistence only. The timeline step (``summitwatch.run.steps.rebuild_timeline``) reads every
per-article engagement with its article's metadata (plus quotes, topics and clean text for the
outlet comparison) through :func:`load_records` and friends, merges them, applies the analysts'
corrections and computes the flags with the pure ``timeline`` and ``curation.apply`` functions, and
writes the result with :func:`write_timeline` (the ``timeline`` and ``timeline_members`` rows, flags
included, replaced in one transaction). Reading the timeline for an interface is ``store.query``'s job.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from summitwatch.model import ArticleRef, Flags, QuoteRef, RecordRef, Report, TimelineEntry
from summitwatch.store.codec import (
    TIMELINE_COLUMNS,
    article_ref_from_row,
    blocks_text,
    entry_row,
    flags_row,
    loads,
    named_rows,
    quote_from_row,
    record_ref_from_row,
)

__all__ = [
    "article_groups",
    "entries_without_flags",
    "load_article_topics",
    "load_articles",
    "load_quotes",
    "load_records",
    "load_reports",
    "load_texts",
    "timeline_ids",
    "timeline_state",
    "write_flags",
    "write_timeline",
]

_CHUNK = 500


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _chunks(items: Sequence[str], size: int = _CHUNK) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


def load_records(conn: sqlite3.Connection) -> list[RecordRef]:
    """Every per-article engagement joined with its article's metadata."""
    rows = named_rows(
        conn,
        "SELECT e.article_id, e.seq, e.us, e.cn, e.modality, e.date, e.date_end, e.date_approx,"
        " e.date_precision, e.location, e.occasion, e.status, e.focus, e.evidence, e.evidence_start,"
        " e.evidence_end, e.topics, a.source, a.outlet, a.title, a.published, a.url, a.original_url,"
        " a.archived_url FROM engagements e JOIN articles a ON a.id = e.article_id ORDER BY e.article_id, e.seq",
    )
    return [record_ref_from_row(r) for r in rows]


def load_quotes(conn: sqlite3.Connection, article_ids: list[str]) -> list[QuoteRef]:
    out: list[QuoteRef] = []
    for chunk in _chunks(article_ids):
        marks = ",".join("?" * len(chunk))
        for r in named_rows(
            conn,
            f'SELECT article_id, speaker, side, text, reported, start, "end", in_title FROM quotes '
            f"WHERE article_id IN ({marks}) ORDER BY article_id, seq",
            chunk,
        ):
            out.append(QuoteRef(r["article_id"], quote_from_row(r)))
    return out


def load_texts(conn: sqlite3.Connection, article_ids: list[str]) -> dict[str, str]:
    """Clean text (blocks joined by a blank line, as Article.text) of the given articles."""
    texts: dict[str, str] = {}
    for chunk in _chunks(article_ids):
        marks = ",".join("?" * len(chunk))
        for aid, blocks in conn.execute(f"SELECT id, blocks FROM articles WHERE id IN ({marks})", chunk):
            texts[aid] = blocks_text(blocks)
    return texts


def load_article_topics(conn: sqlite3.Connection, article_ids: list[str]) -> dict[str, tuple[str, ...]]:
    topics: dict[str, tuple[str, ...]] = {}
    if "extractions" not in _tables(conn):
        return topics
    for chunk in _chunks(article_ids):
        marks = ",".join("?" * len(chunk))
        for aid, t in conn.execute(f"SELECT article_id, topics FROM extractions WHERE article_id IN ({marks})", chunk):
            topics[aid] = tuple(loads(t, []))
    return topics


def load_articles(conn: sqlite3.Connection, article_ids: Iterable[str]) -> dict[str, ArticleRef]:
    """The metadata of the given articles (those that exist), as a timeline record cites them."""
    out: dict[str, ArticleRef] = {}
    for chunk in _chunks(sorted(set(article_ids))):
        marks = ",".join("?" * len(chunk))
        for r in named_rows(
            conn,
            "SELECT id, source, outlet, title, published, url, original_url, archived_url FROM articles "
            f"WHERE id IN ({marks})",
            chunk,
        ):
            out[r["id"]] = article_ref_from_row(r)
    return out


def article_groups(conn: sqlite3.Connection, article_ids: Iterable[str]) -> dict[str, tuple[str, str | None]]:
    """article id -> (its near-duplicate group, its publication day): what the flags compare."""
    out: dict[str, tuple[str, str | None]] = {}
    for chunk in _chunks(sorted(set(article_ids))):
        marks = ",".join("?" * len(chunk))
        for aid, group, day in conn.execute(
            f"SELECT id, COALESCE(duplicate_of, id), published_day FROM articles WHERE id IN ({marks})", chunk
        ):
            out[aid] = (group, day)
    return out


def write_timeline(
    conn: sqlite3.Connection, entries: list[TimelineEntry], flags: Mapping[str, Flags] | None = None
) -> None:
    """Replace the timeline tables with ``entries`` and their ``flags`` (one transaction).

    An entry missing from ``flags`` is stored without them (NULL columns)."""
    flags = flags or {}
    with conn:
        conn.execute("DELETE FROM timeline_members")
        conn.execute("DELETE FROM timeline")
        conn.executemany(
            f"INSERT INTO timeline ({TIMELINE_COLUMNS}, single_source, disputed)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [entry_row(e, flags.get(e.id)) for e in entries],
        )
        members = []
        for e in entries:
            for ev in e.data.get("evidence", []):
                members.append((e.id, ev["article_id"], ev["seq"]))
        conn.executemany(
            "INSERT OR REPLACE INTO timeline_members (timeline_id, article_id, seq) VALUES (?,?,?)", members
        )


# --------------------------------------------------------------------------- flags of stored entries


def load_reports(
    conn: sqlite3.Connection, ids: Sequence[str] | None = None
) -> tuple[dict[str, list[Report]], dict[str, str]]:
    """For stored entries (``ids`` None: every entry): the per-article reports behind each, and each
    dated entry's last day (``date_end`` or ``date``): the inputs of ``timeline.flags.compute_flags``."""
    if ids is None:
        ids = timeline_ids(conn)
    reports: dict[str, list[Report]] = defaultdict(list)
    days: dict[str, str] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        for tid, aid, group, date, date_end, status, day, us, cn in conn.execute(
            "SELECT tm.timeline_id, tm.article_id, COALESCE(a.duplicate_of, tm.article_id), e.date, e.date_end,"
            " e.status, a.published_day, e.us, e.cn FROM timeline_members tm"
            " JOIN engagements e ON e.article_id = tm.article_id AND e.seq = tm.seq"
            f" LEFT JOIN articles a ON a.id = tm.article_id WHERE tm.timeline_id IN ({marks})"
            " ORDER BY tm.timeline_id, tm.article_id, tm.seq",
            chunk,
        ):
            reports[tid].append(Report(aid, group, date, date_end, status, day, _names(us), _names(cn)))
        for tid, last in conn.execute(
            f"SELECT id, COALESCE(date_end, date) FROM timeline WHERE id IN ({marks}) AND date IS NOT NULL", chunk
        ):
            days[tid] = last
    return dict(reports), days


def _names(value: str | None) -> tuple[str, ...]:
    v = loads(value, [])
    return tuple(str(x) for x in v) if isinstance(v, list) else ()


def timeline_state(conn: sqlite3.Connection) -> tuple[bool, bool]:
    """(the timeline has entries, the store has per-article engagement records)."""
    has_tl = conn.execute("SELECT 1 FROM timeline LIMIT 1").fetchone() is not None
    has_eng = conn.execute("SELECT 1 FROM engagements LIMIT 1").fetchone() is not None
    return has_tl, has_eng


def timeline_ids(conn: sqlite3.Connection) -> list[str]:
    """Ids of every stored entry."""
    return [r[0] for r in conn.execute("SELECT id FROM timeline ORDER BY id")]


def entries_without_flags(conn: sqlite3.Connection) -> list[str]:
    """Ids of stored entries whose flags were never computed (a timeline written before schema v4)."""
    return [r[0] for r in conn.execute("SELECT id FROM timeline WHERE single_source IS NULL OR disputed IS NULL")]


def write_flags(conn: sqlite3.Connection, flags: Mapping[str, Flags]) -> int:
    """Store the flags of existing entries; returns the rows updated. Does not commit."""
    rows = [(*flags_row(f), tid) for tid, f in flags.items()]
    conn.executemany("UPDATE timeline SET single_source = ?, disputed = ? WHERE id = ?", rows)
    return len(rows)
