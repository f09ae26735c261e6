"""The timeline as every interface reads it: one listing under :class:`Filters`, entries, flags, counts.

One query for the CLI's ``timeline``, ``/api/timeline``, the timeline page and every timeline export,
so they agree on which entries match and what a row says. "Reports" is the number of distinct
articles behind an entry with near-duplicate copies folded into their article (copies are counted
apart), the same number the engagement page and the home page show. :func:`timeline_rows` come back
newest first by default and sort by any column (:data:`SORT_KEYS`).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from summitwatch.model import (
    ArticleSummary,
    Citation,
    EngagementDetail,
    EvidenceInContext,
    Flags,
    MemberRecord,
    Page,
    ReportCount,
    TimelineEntry,
    TimelineRow,
)
from summitwatch.store.codec import (
    TIMELINE_COLUMNS,
    blocks_text,
    engagement_from_row,
    entry_from_row,
    flags_from_row,
    named_rows,
)
from summitwatch.store.query.filters import TIMELINE_DAY, Filters, timeline_where

__all__ = [
    "MAX_ROWS",
    "SORT_KEYS",
    "citations",
    "dated_entries",
    "evidence_context",
    "get_engagement",
    "get_entry",
    "list_timeline",
    "read_flags",
    "report_counts",
    "timeline_facets",
    "timeline_rows",
]

#: The most rows one request (page or export) returns.
MAX_ROWS = 100_000


def list_timeline(
    conn: sqlite3.Connection, filters: Filters | None = None, limit: int | None = 1000, offset: int = 0
) -> Page:
    """Merged engagements in date order (undated ones last) under ``filters``; ``limit`` None: all."""
    where = timeline_where(filters or Filters())
    total = conn.execute(f"SELECT count(*) FROM timeline t{where.sql()}", where.args).fetchone()[0]
    sql = (
        f"SELECT t.* FROM timeline t{where.sql()} ORDER BY {TIMELINE_DAY} IS NULL, {TIMELINE_DAY}, t.id"
    )
    args = list(where.args)
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        args += [limit, offset]
    rows = named_rows(conn, sql, args)
    return Page(total, limit if limit is not None else total, offset, tuple(_entries(conn, rows)))


def dated_entries(conn: sqlite3.Connection) -> int:
    """How many stored entries have an exact date."""
    return int(conn.execute("SELECT count(*) FROM timeline WHERE date IS NOT NULL").fetchone()[0])


def get_entry(conn: sqlite3.Connection, entry_id: str) -> TimelineEntry | None:
    """One stored entry (with its sources and articles), or None."""
    rows = named_rows(conn, f"SELECT {TIMELINE_COLUMNS} FROM timeline WHERE id = ?", [entry_id])
    return _entries(conn, rows)[0] if rows else None


def citations(conn: sqlite3.Connection, entry_id: str) -> list[Citation]:
    """One citation per covering article: outlet, headline, publication date, URLs, source path."""
    return [
        Citation(r["id"], r["outlet"], r["outlet_en"], r["title"], r["published"], r["url"] or r["original_url"],
                 r["archived_url"], r["source"])  # fmt: skip
        for r in named_rows(
            conn,
            "SELECT DISTINCT a.id, a.outlet, a.outlet_en, a.title, a.published, a.url, a.original_url,"
            " a.archived_url, a.source FROM timeline_members m JOIN articles a ON a.id = m.article_id"
            " WHERE m.timeline_id = ? ORDER BY a.published, a.id",
            [entry_id],
        )
    ]


def read_flags(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, Flags]:
    """The stored flags of ``ids``. The timeline step stores them with every entry; an entry stored
    without them (``run.steps.refresh_missing_flags`` fills those in when an interface opens the
    store) reads as not flagged."""
    out: dict[str, Flags] = {}
    for i in range(0, len(ids), 500):
        chunk = list(ids[i : i + 500])
        for tid, single, disputed in conn.execute(
            f"SELECT id, single_source, disputed FROM timeline WHERE id IN ({','.join('?' * len(chunk))})",
            chunk,
        ):
            flags = flags_from_row(single, disputed)
            if flags is not None:
                out[tid] = flags
    return {tid: out.get(tid, Flags(False)) for tid in ids}


def _entries(conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> list[TimelineEntry]:
    ids = [r["id"] for r in rows]
    members: dict[str, list[tuple[str, str]]] = defaultdict(list)
    extra_sources: dict[str, set[str]] = defaultdict(set)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for m in conn.execute(
            "SELECT DISTINCT tm.timeline_id, tm.article_id, a.source, a.published_day FROM timeline_members tm"
            f" LEFT JOIN articles a ON a.id = tm.article_id WHERE tm.timeline_id IN ({marks})"
            " ORDER BY a.published_day, tm.article_id",
            chunk,
        ):
            members[m[0]].append((m[1], m[2] or ""))
        for m in conn.execute(
            "SELECT DISTINCT tm.timeline_id, s.source FROM timeline_members tm JOIN sources s"
            f" ON s.article_id = tm.article_id WHERE tm.timeline_id IN ({marks}) ORDER BY s.source",
            chunk,
        ):
            extra_sources[m[0]].add(m[1])
    out = []
    for r in rows:
        mem = list(dict.fromkeys(members.get(r["id"], [])))
        out.append(
            entry_from_row(
                r,
                sources=sorted({s for _, s in mem if s} | extra_sources.get(r["id"], set())),
                article_ids=[a for a, _ in mem],
            )
        )
    return out


def report_counts(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, ReportCount]:
    """Per entry: distinct near-duplicate groups, copies, the earliest report's URL and evidence."""
    groups: dict[str, set[str]] = defaultdict(set)
    articles: dict[str, set[str]] = defaultdict(set)
    first: dict[str, tuple[str | None, str | None]] = {}
    for i in range(0, len(ids), 500):
        chunk = list(ids[i : i + 500])
        for tid, aid, group, url, original, evidence in conn.execute(
            "SELECT tm.timeline_id, tm.article_id, COALESCE(a.duplicate_of, tm.article_id),"
            " a.url, a.original_url, e.evidence FROM timeline_members tm"
            " JOIN engagements e ON e.article_id = tm.article_id AND e.seq = tm.seq"
            " LEFT JOIN articles a ON a.id = tm.article_id"
            f" WHERE tm.timeline_id IN ({','.join('?' * len(chunk))})"
            " ORDER BY a.published_day IS NULL, a.published_day, a.published, tm.article_id, tm.seq",
            chunk,
        ):
            groups[tid].add(group)
            articles[tid].add(aid)
            if tid not in first:
                first[tid] = (url or original, evidence)
    out = {}
    for tid in ids:
        n = len(groups.get(tid, ()))
        url, evidence = first.get(tid, (None, None))
        out[tid] = ReportCount(n, len(articles.get(tid, ())) - n, url, evidence)
    return out


def _text(values: Sequence[str]) -> str:
    return "; ".join(values).casefold()


#: Sortable columns -> key of a row (missing values sort last whatever the direction).
SORT_KEYS: dict[str, Callable[[TimelineRow], Any]] = {
    "date": lambda r: r.day,
    "us": lambda r: _text(r.entry.us),
    "cn": lambda r: _text(r.entry.cn),
    "modality": lambda r: r.entry.modality,
    "status": lambda r: r.entry.status,
    "location": lambda r: r.entry.location,
    "occasion": lambda r: r.entry.occasion,
    "reports": lambda r: r.reports,
    "flags": lambda r: (len(r.flags.disputed), r.flags.single_source),
}


def _sorted(rows: list[TimelineRow], sort: str, descending: bool) -> list[TimelineRow]:
    key = SORT_KEYS.get(sort, SORT_KEYS["date"])
    present = [r for r in rows if key(r) not in (None, "")]
    absent = [r for r in rows if key(r) in (None, "")]
    # a stable secondary order (date, id) so equal keys do not shuffle between requests
    present.sort(key=lambda r: (r.day or "", r.entry.id), reverse=descending)
    present.sort(key=key, reverse=descending)
    return present + absent


def timeline_rows(
    conn: sqlite3.Connection,
    filters: Filters | None = None,
    *,
    sort: str = "date",
    descending: bool = True,
    limit: int = MAX_ROWS,
) -> tuple[int, list[TimelineRow]]:
    """``(total matching, rows)``: every entry under ``filters`` (up to ``limit``), sorted."""
    page = list_timeline(conn, filters, limit=min(limit, MAX_ROWS), offset=0)
    entries: list[TimelineEntry] = list(page.items)
    ids = [e.id for e in entries]
    counts = report_counts(conn, ids)
    flags = read_flags(conn, ids)
    rows = [
        TimelineRow(
            e,
            counts[e.id].reports,
            counts[e.id].copies,
            flags[e.id],
            counts[e.id].first_source_url,
            counts[e.id].evidence,
        )
        for e in entries
    ]
    return page.total, _sorted(rows, sort, descending)


def evidence_context(
    text: str, evidence: str, start: int, end: int, margin: int = 160
) -> EvidenceInContext | None:
    """The evidence sentence with the rest of its paragraph (bounded) on either side.

    Uses the stored offsets when they point at the evidence, else looks the sentence up in the text.
    """
    if not (0 <= start < end <= len(text)) or text[start:end].strip() != evidence.strip():
        i = text.find(evidence.strip()) if evidence.strip() else -1
        if i < 0:
            return None
        start, end = i, i + len(evidence.strip())
    para_lo = text.rfind("\n\n", 0, start)
    para_lo = 0 if para_lo < 0 else para_lo + 2
    para_hi = text.find("\n\n", end)
    para_hi = len(text) if para_hi < 0 else para_hi
    lo = max(para_lo, start - margin)
    hi = min(para_hi, end + margin)
    before = ("…" if lo > para_lo else "") + text[lo:start]
    after = text[end:hi] + ("…" if hi < para_hi else "")
    return EvidenceInContext(before, text[start:end], after)


def get_engagement(conn: sqlite3.Connection, entry_id: str) -> EngagementDetail | None:
    """One merged engagement with every article record behind it, oldest report first."""
    rows = named_rows(conn, "SELECT * FROM timeline WHERE id = ?", [entry_id])
    if not rows:
        return None
    entry = _entries(conn, rows)[0]
    members: list[MemberRecord] = []
    topics: list[str] = (
        list(entry.data.get("topics") or []) if isinstance(entry.data.get("topics"), list) else []
    )
    participants = set(entry.us) | set(entry.cn)
    quotes: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for r in named_rows(
        conn,
        "SELECT e.*, a.source AS a_source, a.title AS a_title, a.published AS a_published,"
        " a.outlet AS a_outlet, a.url AS a_url, a.blocks AS a_blocks, a.duplicate_of AS a_dup"
        " FROM timeline_members tm JOIN engagements e ON e.article_id = tm.article_id AND e.seq = tm.seq"
        " LEFT JOIN articles a ON a.id = tm.article_id WHERE tm.timeline_id = ?"
        " ORDER BY a.published, tm.article_id, tm.seq",
        [entry_id],
    ):
        eng = engagement_from_row(r)
        # near-duplicate copies are one report (the article) with its copies, the count the timeline
        # shows too (store.query.timeline.report_counts); a second record of one article adds nothing
        group = r["a_dup"] or r["article_id"]
        if group in seen:
            first = seen[group]
            m = members[first]
            if r["article_id"] != m.article.id and r["article_id"] not in m.copies:
                members[first] = replace(m, copies=(*m.copies, r["article_id"]))
            continue
        text = blocks_text(r["a_blocks"])
        summary = ArticleSummary(
            r["article_id"],
            r["a_source"] or "",
            r["a_title"] or "",
            r["a_published"],
            r["a_outlet"],
            r["a_url"],
        )
        seen[group] = len(members)
        members.append(
            MemberRecord(
                summary,
                r["seq"],
                eng,
                evidence_context(text, eng.evidence, eng.evidence_start, eng.evidence_end),
            )
        )
        topics.extend(t for t in eng.topics if isinstance(t, str))
    article_ids = list(dict.fromkeys(m.article.id for m in members))  # copies' quotes are the same
    if article_ids and participants:
        marks = ",".join("?" * len(article_ids))
        pm = ",".join("?" * len(participants))
        for q in named_rows(
            conn,
            "SELECT q.*, a.title AS a_title, a.published AS a_published FROM quotes q"
            f" LEFT JOIN articles a ON a.id = q.article_id WHERE q.article_id IN ({marks})"
            f" AND q.speaker IN ({pm}) ORDER BY a.published, q.article_id, q.seq",
            [*article_ids, *sorted(participants)],
        ):
            if any(x["speaker"] == q["speaker"] and x["text"] == q["text"] for x in quotes):
                continue
            quotes.append(
                {
                    "speaker": q["speaker"],
                    "side": q["side"],
                    "text": q["text"],
                    "reported": bool(q["reported"]),
                    "article_id": q["article_id"],
                    "article_title": q["a_title"],
                    "published": q["a_published"],
                }
            )
    return EngagementDetail(entry, tuple(members), tuple(quotes), tuple(dict.fromkeys(topics)))


def timeline_facets(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Values the timeline filters offer: people, topics, modalities, statuses, outlets."""
    people = sorted(
        {
            r[0]
            for r in conn.execute(
                "SELECT j.value FROM timeline t, json_each(t.us) j UNION SELECT j.value FROM timeline t, json_each(t.cn) j"
            )
            if isinstance(r[0], str)
        }
    )
    topics = sorted(
        {
            r[0]
            for r in conn.execute(
                "SELECT j.value FROM timeline_members tm JOIN engagements e ON e.article_id = tm.article_id"
                " AND e.seq = tm.seq, json_each(e.topics) j"
            )
            if isinstance(r[0], str)
        }
    )
    # CROSS JOIN keeps timeline_members the outer loop: the few member articles are looked up by id,
    # instead of walking every article of an outlet index and reading its (wide) row
    outlets = sorted(
        {
            r[0]
            for r in conn.execute(
                "SELECT a.outlet FROM timeline_members tm CROSS JOIN articles a ON a.id = tm.article_id"
                " WHERE a.outlet IS NOT NULL"
            )
        }
    )
    modalities = [r[0] for r in conn.execute("SELECT DISTINCT modality FROM timeline ORDER BY modality")]
    statuses = [r[0] for r in conn.execute("SELECT DISTINCT status FROM timeline ORDER BY status")]
    return {
        "people": people,
        "topics": topics,
        "outlets": outlets,
        "modalities": modalities,
        "statuses": statuses,
    }
