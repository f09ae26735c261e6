"""The search query: articles matching a user query under filters, ranked by BM25 or by date.

Reads the index ``store/index.py`` keeps (never builds it: a missing or stale index raises
:class:`SearchIndexUnavailable`). Query compilation and hit finding are the pure rules of
``summitwatch.search_tokens``; this module adds the SQL and returns records: each hit with its
snippet segments, its article's timeline entries (engagement ids) and the people it names, so the
pages and the API can link them. HTML is the web layer's business (``web/highlight.py``).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from summitwatch.knowledge.lookup import canonical_people, topic_ids
from summitwatch.search_tokens import highlight, make_snippet, parse_query
from summitwatch.store.index import (
    SearchIndexUnavailable,
    article_text,
    has_stale_postings,
    index_problem,
    require_search_index,
)

__all__ = ["SORTS", "SearchFilters", "SearchHit", "SearchIndexUnavailable", "SearchResult", "index_problem", "search"]

#: BM25 weights of the FTS columns (title, body): a hit in the title counts more.
_WEIGHTS = (4.0, 1.0)
#: The orders a search can be sorted by.
SORTS = ("relevance", "date")


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Filters shared by the CLI, the API and the search page."""

    outlet: str | None = None
    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    person: str | None = None  # canonical name (mentions.key of a person/office mention)
    topic: str | None = None  # topic id (extractions.topics)
    has_engagement: bool = False
    include_duplicates: bool = False  # near-duplicate copies are folded into their representative


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One matching article, with what the pages link from it."""

    id: str
    source: str
    title: str
    published: str | None
    outlet: str | None
    score: float
    snippet: tuple[tuple[str, bool], ...]  # (text, is_hit) segments of the original text
    title_parts: tuple[tuple[str, bool], ...] = ()
    engagements: tuple[str, ...] = ()  # timeline entry ids the article's engagement records merge into
    people: tuple[str, ...] = ()  # canonical names of the officials the article mentions
    copy_of: str | None = None  # the representative, when this hit is a near-duplicate copy

    def to_dict(self) -> dict[str, Any]:
        """The hit's data; the API and ``search --json`` add the HTML snippet (``web/highlight.py``)."""
        return {
            "id": self.id,
            "source": self.source,
            "title": self.title,
            "published": self.published,
            "outlet": self.outlet,
            "score": round(self.score, 6),
            "engagements": list(self.engagements),
            "people": list(self.people),
            "copy_of": self.copy_of,
        }


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    total: int
    hits: tuple[SearchHit, ...] = field(default_factory=tuple)
    sort: str = "relevance"

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "sort": self.sort, "hits": [h.to_dict() for h in self.hits]}


def _filter_sql(f: SearchFilters, aid: str, day: str, outlet: str, outlet_en: str) -> tuple[str, list[Any]]:
    """Conditions on the given columns (the index's copies for distinct articles, the article's own
    for copies) and the extraction tables, as `` AND ...`` text plus arguments."""
    where: list[str] = []
    args: list[Any] = []
    if f.outlet:
        where.append(f"({outlet} = ? OR {outlet_en} = ?)")
        args += [f.outlet, f.outlet]
    if f.since:
        where.append(f"{day} >= ?")
        args.append(f.since[:10])
    if f.until:
        where.append(f"{day} <= ?")
        args.append(f.until[:10])
    if f.person:
        # non-correlated: SQLite builds the person's article set once (from the mentions index)
        names = canonical_people(f.person)
        where.append(
            f"{aid} IN (SELECT m.article_id FROM mentions m"
            f" WHERE m.kind IN ('person', 'office') AND m.key IN ({','.join('?' * len(names))}))"
        )
        args.extend(names)
    if f.topic:
        topics = topic_ids(f.topic)
        where.append(
            "EXISTS (SELECT 1 FROM extractions x, json_each(x.topics) t"
            f" WHERE x.article_id = {aid} AND t.value IN ({','.join('?' * len(topics))}))"
        )
        args.extend(topics)
    if f.has_engagement:
        where.append(f"{aid} IN (SELECT e.article_id FROM engagements e)")
    return "".join(f" AND {w}" for w in where), args


_BM25 = f"bm25(search_fts, {_WEIGHTS[0]}, {_WEIGHTS[1]})"
#: SQL orderings of the candidate rows (aid, s, day, rep, r): relevance is bm25 (lower is better),
#: date is newest first with undated last; ties by FTS rowid, then id (a copy shares its
#: representative's rowid), so pages are stable and the unfiltered path (:func:`_ranked_page`),
#: which sees rowids only, orders exactly the same.
_ORDER = {"relevance": "s, r, aid", "date": "day IS NULL, day DESC, r, aid"}
#: A search without any filter: :func:`_page` can rank on the FTS table alone.
_NO_FILTERS = SearchFilters()


def _candidates(f: SearchFilters, score: bool) -> tuple[str, list[Any]]:
    """SQL of every matching (aid, s, day, rep, r) under the filters; the first ``?`` is the MATCH.

    ``r`` is the FTS rowid the hit matched through. Distinct articles come from the index; with
    ``include_duplicates`` their near-duplicate copies follow through ``duplicate_of`` (they are
    near-identical text, indexed once), each filtered on its own day, outlet, mentions and
    extraction. ``score=False`` leaves out bm25, the costly part (it reads every match's positions
    and length), for counting alone.
    """
    s = _BM25 if score else "0.0"
    own_where, own_args = _filter_sql(f, "d.article_id", "d.day", "d.outlet", "d.outlet_en")
    sql = (
        f"SELECT d.article_id AS aid, {s} AS s, d.day AS day, NULL AS rep, d.rowid AS r FROM search_fts"
        f" JOIN search_docs d ON d.rowid = search_fts.rowid WHERE search_fts MATCH ?{own_where}"
    )
    if not f.include_duplicates:
        return sql, own_args
    copy_where, copy_args = _filter_sql(f, "a.id", "a.published_day", "a.outlet", "a.outlet_en")
    sql = (
        f"WITH m AS MATERIALIZED (SELECT d.article_id AS aid, {s} AS s, d.day AS day, d.rowid AS r"
        " FROM search_fts JOIN search_docs d ON d.rowid = search_fts.rowid WHERE search_fts MATCH ?)"
        " SELECT m.aid AS aid, m.s AS s, m.day AS day, NULL AS rep, m.r AS r FROM m"
        f" JOIN search_docs d ON d.rowid = m.r WHERE 1{own_where}"
        " UNION ALL SELECT a.id, m.s, a.published_day, m.aid, m.r FROM m"
        " JOIN articles a INDEXED BY articles_copies ON a.duplicate_of = m.aid"
        f" WHERE a.id != m.aid{copy_where}"
    )
    return sql, [*own_args, *copy_args]


def _page(
    conn: sqlite3.Connection, match: str, f: SearchFilters, sort: str, limit: int, offset: int
) -> tuple[list[tuple[str, float, str | None, str | None]], int]:
    """One page of (article id, bm25, day, representative) in order, and how many match in all.

    Ordering, paging and counting run in SQLite, in one evaluation of the MATCH (the count is a
    window over the same rows): a common word matches thousands of articles, and fetching them all
    into Python cost more than the search itself. Both orders compute bm25 in that one pass: FTS5
    evaluates a phrase over the whole index for its IDF anyway, so scoring the page's rows apart
    would cost a second pass.
    """
    if sort == "relevance" and f == _NO_FILTERS and not has_stale_postings(conn):
        return _ranked_page(conn, match, limit, offset)
    sql, args = _candidates(f, score=True)
    rows = conn.execute(
        f"SELECT aid, s, day, rep, count(*) OVER () FROM ({sql}) ORDER BY {_ORDER[sort]} LIMIT ? OFFSET ?",
        [match, *args, limit, offset],
    ).fetchall()
    if rows:
        return [r[:4] for r in rows], int(rows[0][4])
    # past the last page: count alone
    count_sql, count_args = _candidates(f, score=False)
    return [], int(conn.execute(f"SELECT count(*) FROM ({count_sql})", [match, *count_args]).fetchone()[0])


def _ranked_page(
    conn: sqlite3.Connection, match: str, limit: int, offset: int
) -> tuple[list[tuple[str, float, str | None, str | None]], int]:
    """:func:`_page` for an unfiltered search by relevance, on an index without stale postings.

    Every FTS row is then a distinct article, so SQLite ranks the FTS rows alone, keeps the best
    ``limit + offset`` (a bounded sort) and joins only those to ``search_docs``; the count is FTS5's
    own (it skips bm25 and the join). For a word in a third of the corpus (美, 美國) the general path
    spent nearly as long joining every match and windowing the count as on bm25 itself (美 on the dev
    store: 9.6 -> 5.6 ms). Same rows, same order (ties by rowid, see ``_ORDER``).
    """
    rows = conn.execute(
        "SELECT d.article_id, t.s, d.day, NULL FROM"
        f" (SELECT rowid AS r, {_BM25} AS s FROM search_fts WHERE search_fts MATCH ? ORDER BY s, r LIMIT ? OFFSET ?)"
        " AS t JOIN search_docs d ON d.rowid = t.r ORDER BY t.s, t.r",
        [match, limit, offset],
    ).fetchall()
    if rows and len(rows) < limit:  # the last page: the count needs no second pass
        return [tuple(r) for r in rows], offset + len(rows)
    total = int(conn.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH ?", [match]).fetchone()[0])
    return [tuple(r) for r in rows], total


def _links(conn: sqlite3.Connection, ids: list[str]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Per article: the timeline entries its records merge into, and the people it names (by first mention)."""
    marks = ",".join("?" * len(ids))
    engagements: dict[str, list[str]] = defaultdict(list)
    for aid, tid in conn.execute(
        f"SELECT article_id, timeline_id FROM timeline_members WHERE article_id IN ({marks})"
        " ORDER BY article_id, seq",
        ids,
    ):
        if tid not in engagements[aid]:
            engagements[aid].append(tid)
    people: dict[str, list[str]] = defaultdict(list)
    for aid, key in conn.execute(
        # ``+kind``: look the rows up by article (primary key), not by kind (most of the table)
        f"SELECT article_id, key FROM mentions WHERE article_id IN ({marks})"
        " AND +kind IN ('person', 'office') AND key != '' GROUP BY article_id, key ORDER BY article_id, min(seq)",
        ids,
    ):
        people[aid].append(key)
    return engagements, people


def search(
    conn: sqlite3.Connection,
    query: str,
    filters: SearchFilters | None = None,
    limit: int = 20,
    offset: int = 0,
    sort: str = "relevance",
) -> SearchResult:
    """Articles matching ``query`` under ``filters``: ranked by BM25 (title hits weigh more), or
    newest first with ``sort="date"``. Raises :class:`SearchIndexUnavailable` when the index is
    missing or out of date (ingest builds it; a search never writes)."""
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    f = filters or SearchFilters()
    parsed = parse_query(query)
    if not parsed.match:
        return SearchResult(query=query, total=0, sort=sort)
    require_search_index(conn)
    try:
        ranked, total = _page(conn, parsed.match, f, sort, limit, offset)
    except sqlite3.OperationalError as exc:  # a query FTS5 cannot parse is no hit, not a crash
        if "fts5" in str(exc) or "MATCH" in str(exc):
            return SearchResult(query=query, total=0, sort=sort)
        raise
    if not ranked:
        return SearchResult(query=query, total=total, sort=sort)
    ids = [r[0] for r in ranked]
    marks = ",".join("?" * len(ids))
    rows = {
        r[0]: r
        for r in conn.execute(
            f"SELECT id, source, title, published, outlet, blocks FROM articles WHERE id IN ({marks})", ids
        )
    }
    engagements, people = _links(conn, ids)
    hits = tuple(
        SearchHit(
            id=aid,
            source=rows[aid][1],
            title=rows[aid][2] or "",
            published=rows[aid][3],
            outlet=rows[aid][4],
            score=-float(score),
            snippet=make_snippet(article_text(rows[aid][5]), parsed.needles),
            title_parts=highlight(rows[aid][2] or "", parsed.needles),
            engagements=tuple(engagements.get(aid, ())),
            people=tuple(people.get(aid, ())),
            copy_of=rep,
        )
        for aid, score, _day, rep in ranked
        if aid in rows
    )
    return SearchResult(query=query, total=total, hits=hits, sort=sort)
