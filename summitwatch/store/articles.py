"""Load stored articles back as records, for the pipeline steps that re-read them (extract, reparse).

Listing, references and the article page are the read layer's (``store.query.articles``); rows are
decoded by ``store.codec``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence

from summitwatch.model import Article
from summitwatch.store.codec import ARTICLE_COLUMNS, article_from_row, named_rows

__all__ = ["get_articles", "iter_articles"]


def get_articles(conn: sqlite3.Connection, ids: Sequence[str]) -> list[Article]:
    """Articles for ``ids`` (missing ids skipped), in the order given."""
    found: dict[str, Article] = {}
    for i in range(0, len(ids), 500):
        chunk = list(ids[i : i + 500])
        q = f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id IN ({','.join('?' * len(chunk))})"
        for row in named_rows(conn, q, chunk):
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
