"""What near-duplicate detection (``articles.dedupe``) reads from the store: article keys and bodies.

Kept here so the detection holds no SQL: it asks for the articles sharing a key with the ones it
was given and for the stored blocks of the candidates it compares.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any, Literal

from summitwatch.store.codec import unpack_json

__all__ = ["article_blocks", "dedupe_keys"]

#: The columns of one article's dedupe key row, in order.
_KEY_COLUMNS = "id, outlet, published_day, site_article_no, content_hash, title_key, published, duplicate_of"
_CHUNK = 500


def dedupe_keys(
    conn: sqlite3.Connection,
    column: Literal["id", "title_key", "published_day"] | None = None,
    values: Sequence[Any] = (),
) -> list[tuple[Any, ...]]:
    """Key rows (``id, outlet, published_day, site_article_no, content_hash, title_key, published,
    duplicate_of``) of every article (``column`` None) or of those whose ``column`` is in ``values``."""
    if column is None:
        return [tuple(r) for r in conn.execute(f"SELECT {_KEY_COLUMNS} FROM articles")]
    if column not in ("id", "title_key", "published_day"):
        raise ValueError(f"not a dedupe key column: {column!r}")
    out: list[tuple[Any, ...]] = []
    for i in range(0, len(values), _CHUNK):
        chunk = list(values[i : i + _CHUNK])
        out += [
            tuple(r)
            for r in conn.execute(
                f"SELECT {_KEY_COLUMNS} FROM articles WHERE {column} IN ({','.join('?' * len(chunk))})", chunk
            )
        ]
    return out


def article_blocks(conn: sqlite3.Connection, ids: Sequence[str]) -> Iterator[tuple[str, list[Any]]]:
    """``(id, blocks as a JSON list of {kind, text})`` of the given articles (decoded by ``store/codec.py``)."""
    for i in range(0, len(ids), _CHUNK):
        chunk = list(ids[i : i + _CHUNK])
        yield from (
            (r[0], unpack_json(r[1], []))
            for r in conn.execute(f"SELECT id, blocks FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk)
        )
