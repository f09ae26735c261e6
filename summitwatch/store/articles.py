"""Article queries: list with filters, resolve a reference, load whole articles back as records.

The CLI, the API and the web UI all read articles through these functions, so filters and the
meaning of a reference (id, id prefix, source path, site article number) are defined once.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from summitwatch.model import Article, Block, Figure, Link

__all__ = [
    "ArticleSummary",
    "article_from_row",
    "get_article",
    "iter_articles",
    "list_articles",
    "resolve_ref",
    "sources_of",
    "AmbiguousRef",
]

_FULL_COLUMNS = (
    "id, content_hash, source, format, outlet, outlet_en, url, original_url, archived_url, archived_at, "
    "site_article_no, title, author, published, published_alt, category, tags, language, script, "
    "blocks, figures, links, flags, duplicate_of, via"
)


class AmbiguousRef(LookupError):
    """A reference (id prefix, number) that matches several articles; ``candidates`` lists them."""

    def __init__(self, ref: str, candidates: Sequence[str]) -> None:
        super().__init__(f"{ref!r} matches {len(candidates)} articles: {', '.join(candidates[:10])}")
        self.ref = ref
        self.candidates = list(candidates)


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """One row of an article listing."""

    id: str
    published: str | None
    outlet: str | None
    title: str
    source: str
    site_article_no: str | None
    language: str | None
    duplicate_of: str | None
    n_sources: int

    def to_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__slots__}


def _loads(s: str | None, default: Any) -> Any:
    return json.loads(s) if s else default


def article_from_row(row: sqlite3.Row | dict[str, Any]) -> Article:
    """Rebuild the Article record from its ``articles`` row (JSON columns decoded)."""
    r = dict(row)
    return Article(
        id=r["id"],
        content_hash=r["content_hash"],
        source=r["source"],
        format=r["format"] or "",
        title=r["title"] or "",
        blocks=tuple(Block(**b) for b in _loads(r["blocks"], [])),
        outlet=r["outlet"],
        outlet_en=r["outlet_en"],
        url=r["url"],
        original_url=r["original_url"],
        archived_url=r["archived_url"],
        archived_at=r["archived_at"],
        site_article_no=r["site_article_no"],
        author=r["author"],
        published=r["published"],
        published_alt=r["published_alt"],
        category=r["category"],
        tags=tuple(_loads(r["tags"], [])),
        language=r["language"] or "und",
        script=r["script"] or "und",
        figures=tuple(Figure(**f) for f in _loads(r["figures"], [])),
        links=tuple(Link(**x) for x in _loads(r["links"], [])),
        flags=tuple(_loads(r["flags"], [])),
        via=r.get("via"),
    )


def get_article(conn: sqlite3.Connection, article_id: str) -> Article | None:
    row = conn.execute(f"SELECT {_FULL_COLUMNS} FROM articles WHERE id=?", (article_id,)).fetchone()
    return None if row is None else article_from_row(row)


def get_articles(conn: sqlite3.Connection, ids: Sequence[str]) -> list[Article]:
    """Articles for ``ids`` (missing ids skipped), in the order given."""
    found: dict[str, Article] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        q = f"SELECT {_FULL_COLUMNS} FROM articles WHERE id IN ({','.join('?' * len(chunk))})"
        for row in conn.execute(q, chunk):
            found[row["id"]] = article_from_row(row)
    return [found[i] for i in ids if i in found]


def iter_articles(
    conn: sqlite3.Connection, ids: Iterable[str] | None = None, batch: int = 500
) -> Iterator[Article]:
    """Every article (or those of ``ids``) as records, fetched in batches to bound memory."""
    all_ids = (
        list(ids) if ids is not None else [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
    )
    for i in range(0, len(all_ids), batch):
        yield from get_articles(conn, all_ids[i : i + batch])


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


_DAY = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def list_articles(
    conn: sqlite3.Connection,
    *,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    language: str | None = None,
    query: str | None = None,
    include_duplicates: bool = True,
    limit: int | None = 50,
    offset: int = 0,
) -> list[ArticleSummary]:
    """Articles newest first, filtered by outlet (Chinese or English name), date range, language.

    ``since``/``until`` are inclusive days (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``); ``query`` is a
    plain substring of the title.
    """
    where: list[str] = []
    params: list[Any] = []
    if outlet:
        where.append("(a.outlet = ? OR lower(a.outlet_en) = lower(?))")
        params += [outlet, outlet]
    if since:
        if not _DAY.match(since):
            raise ValueError(f"--since wants YYYY[-MM[-DD]], got {since!r}")
        where.append("a.published_day >= ?")
        params.append(since)
    if until:
        if not _DAY.match(until):
            raise ValueError(f"--until wants YYYY[-MM[-DD]], got {until!r}")
        where.append("a.published_day <= ?")
        # an inclusive month/year: everything that starts with it sorts below prefix + "\uffff"
        params.append(until if len(until) == 10 else until + "\uffff")
    if language:
        where.append("a.language = ?")
        params.append(language)
    if query:
        where.append("instr(a.title, ?) > 0")
        params.append(query)
    if not include_duplicates:
        where.append("a.duplicate_of IS NULL")
    sql = (
        "SELECT a.id, a.published, a.outlet, a.title, a.source, a.site_article_no, a.language, "
        "a.duplicate_of, (SELECT count(*) FROM sources s WHERE s.article_id = a.id) AS n_sources "
        "FROM articles a"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY a.published_day IS NULL, a.published_day DESC, a.published DESC, a.id"
    )
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    return [ArticleSummary(*r) for r in conn.execute(sql, params)]


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
