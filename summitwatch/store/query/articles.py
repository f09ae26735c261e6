"""Article queries: list under filters, resolve a reference, read one article with what was found in it.

The CLI (``articles``, ``show``, ``eval articles``), the API (``/api/articles``) and the web pages
read articles here, so the filters (:mod:`store.query.filters`) and the meaning of a reference (id,
id prefix, source path, site article number) are defined once.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence

from summitwatch.articles.urls import is_damaged_url, repaired_archive_url
from summitwatch.model import ArticleDetail, ArticleRecord, ArticleSummary, Page
from summitwatch.store.codec import (
    ARTICLE_COLUMNS,
    article_from_row,
    engagement_from_row,
    loads,
    mention_from_row,
    named_rows,
    quote_from_row,
)
from summitwatch.store.query.filters import Filters, article_where

__all__ = [
    "AmbiguousRef",
    "duplicates_of",
    "get_article",
    "list_articles",
    "quarantine_reason",
    "resolve_ref",
    "sources_of",
]


class AmbiguousRef(LookupError):
    """A reference (id prefix, number) that matches several articles; ``candidates`` lists them."""

    def __init__(self, ref: str, candidates: Sequence[str]) -> None:
        super().__init__(f"{ref!r} matches {len(candidates)} articles: {', '.join(candidates[:10])}")
        self.ref = ref
        self.candidates = list(candidates)


def list_articles(
    conn: sqlite3.Connection, filters: Filters | None = None, limit: int | None = 50, offset: int = 0
) -> Page:
    """Articles newest first (undated last) under ``filters``; ``limit`` None: all of them."""
    where = article_where(filters or Filters())
    total = conn.execute(f"SELECT count(*) FROM articles a{where.sql()}", where.args).fetchone()[0]
    sql = (
        "SELECT a.id, a.source, a.title, a.published, a.outlet, a.url,"
        " (SELECT count(*) FROM engagements e WHERE e.article_id = a.id) AS n_engagements,"
        " a.site_article_no, a.language, a.duplicate_of,"
        " (SELECT count(*) FROM sources s WHERE s.article_id = a.id) AS n_sources"
        f" FROM articles a{where.sql()}"
        " ORDER BY a.published_day IS NULL, a.published_day DESC, a.published DESC, a.id"
    )
    args = list(where.args)
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        args += [limit, offset]
    items = tuple(
        ArticleSummary(
            id=r["id"], source=r["source"], title=r["title"] or "", published=r["published"], outlet=r["outlet"],
            url=r["url"], engagements=r["n_engagements"], site_article_no=r["site_article_no"],
            language=r["language"], duplicate_of=r["duplicate_of"], n_sources=r["n_sources"],
        )  # fmt: skip
        for r in named_rows(conn, sql, args)
    )
    return Page(total, limit if limit is not None else total, offset, items)


def sources_of(conn: sqlite3.Connection, article_id: str) -> list[str]:
    """Every stored source (path) that yielded the article."""
    return [
        r[0]
        for r in conn.execute("SELECT source FROM sources WHERE article_id=? ORDER BY source", (article_id,))
    ]


def duplicates_of(conn: sqlite3.Connection, article_id: str) -> list[str]:
    """Ids that point to ``article_id`` as their near-duplicate representative."""
    return [
        r[0] for r in conn.execute("SELECT id FROM articles WHERE duplicate_of=? ORDER BY id", (article_id,))
    ]


def get_article(conn: sqlite3.Connection, article_id: str) -> ArticleDetail | None:
    """One article with its per-article engagement records, quotes, mentions, topics and copies."""
    rows = named_rows(conn, f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", [article_id])
    if not rows:
        return None
    art = article_from_row(rows[0])
    engs = tuple(
        ArticleRecord(r["seq"], engagement_from_row(r), r["timeline_id"])
        for r in named_rows(
            conn,
            "SELECT e.*, tm.timeline_id FROM engagements e LEFT JOIN timeline_members tm"
            " ON tm.article_id = e.article_id AND tm.seq = e.seq WHERE e.article_id = ? ORDER BY e.seq",
            [article_id],
        )
    )
    quotes = tuple(
        quote_from_row(r)
        for r in named_rows(conn, "SELECT * FROM quotes WHERE article_id = ? ORDER BY seq", [article_id])
    )
    mentions = tuple(
        mention_from_row(r)
        for r in named_rows(
            conn, "SELECT * FROM mentions WHERE article_id = ? ORDER BY start, seq", [article_id]
        )
    )
    topic_row = conn.execute("SELECT topics FROM extractions WHERE article_id = ?", [article_id]).fetchone()
    sources = tuple(sources_of(conn, article_id))
    dups = tuple(i for i in duplicates_of(conn, article_id) if i != article_id)
    dup_of = rows[0]["duplicate_of"]
    return ArticleDetail(
        article=art,
        engagements=engs,
        quotes=quotes,
        mentions=mentions,
        topics=tuple(loads(topic_row[0], [])) if topic_row else (),
        sources=sources or (art.source,),
        duplicate_of=dup_of if dup_of != article_id else None,
        duplicates=dups,
        archived_link=repaired_archive_url(art.archived_url, art.url),
        damaged_links=is_damaged_url(art.original_url) or is_damaged_url(art.archived_url),
    )


def quarantine_reason(conn: sqlite3.Connection, source: str) -> tuple[str, str | None] | None:
    """``(reason, detail)`` when the record at ``source`` was quarantined, else None."""
    row = conn.execute("SELECT reason, detail FROM quarantine WHERE source=?", (source,)).fetchone()
    return None if row is None else (row[0], row[1])


def resolve_ref(conn: sqlite3.Connection, ref: str) -> str | None:
    """Article id for a reference: full id, source path, site article number, or id prefix.

    Raises ``AmbiguousRef`` when a number or prefix matches several distinct articles (near
    duplicates keep their own numbers, so a site number is normally unique).
    """
    ref = ref.strip()
    if not ref:
        return None
    row = conn.execute("SELECT id FROM articles WHERE id=?", (ref,)).fetchone()
    if row:
        return row[0]
    row = conn.execute(
        "SELECT article_id FROM sources WHERE source=? AND article_id IS NOT NULL", (ref,)
    ).fetchone()
    if row:
        return row[0]
    # a source path given with a leading ./ or as a suffix (dir/member)
    rows = conn.execute(
        "SELECT DISTINCT article_id FROM sources WHERE article_id IS NOT NULL AND source LIKE ? ESCAPE '\\'",
        ("%/" + ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").lstrip("./"),),
    ).fetchall()
    if len(rows) == 1:
        return rows[0][0]
    if len(rows) > 1:
        raise AmbiguousRef(ref, [r[0] for r in rows])
    if ref.isdigit():
        rows = conn.execute("SELECT id FROM articles WHERE site_article_no=? ORDER BY id", (ref,)).fetchall()
        if len(rows) == 1:
            return rows[0][0]
        if len(rows) > 1:
            raise AmbiguousRef(ref, [r[0] for r in rows])
    if re.fullmatch(r"[0-9A-Za-z_-]{4,}", ref):
        rows = conn.execute(
            "SELECT id FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT 11", (ref, ref + "\uffff")
        ).fetchall()
        if len(rows) == 1:
            return rows[0][0]
        if len(rows) > 1:
            raise AmbiguousRef(ref, [r[0] for r in rows])
    return None
