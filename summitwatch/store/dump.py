"""A canonical text dump of a store's content, for comparing two stores built different ways.

Why: an in-process run, a Dask run, a run killed and resumed, and a store rebuilt from Parquet must
hold the same content. Rows differ only in run bookkeeping (run ids, timestamps, which run first
saw a source), so the dump leaves those columns out, sorts every table by its key, and prints
each row as one JSON line. Two stores are equal when their dumps are equal strings.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import zstandard

from summitwatch.store.codec import decompress_raw, figures_from_column, links_from_column, unpack_json

__all__ = ["CONTENT_TABLES", "RUN_COLUMNS", "canonical_dump", "dump_digest"]

# table -> ORDER BY key (every content table of schema.sql; runs and meta are bookkeeping)
CONTENT_TABLES: dict[str, str] = {
    "sources": "source",
    "quarantine": "source",
    "articles": "id",
    "extractions": "article_id",
    "engagements": "article_id, seq",
    "quotes": "article_id, seq",
    "mentions": "article_id, seq",
    "timeline": "id",
    "timeline_members": "article_id, seq",
}
# columns that record which run did something, not what the content is
RUN_COLUMNS: frozenset[str] = frozenset(
    {"first_seen_run", "last_seen_run", "run", "updated_run", "started_at", "finished_at"}
)


#: (table, column) -> its decoder: compressed JSON columns dump as their content, whatever the encoding
_DECODED: dict[tuple[str, str], Callable[[Any], Any]] = {
    ("articles", "blocks"): lambda v: unpack_json(v, []),
    ("articles", "figures"): figures_from_column,
    ("articles", "links"): links_from_column,
}


def _cell(value: Any) -> Any:
    """Blobs as a digest of their content (raw bytes are zstd frames: two encodings of the same bytes,
    with or without a dictionary, dump alike)."""
    if isinstance(value, bytes | memoryview):
        data = bytes(value)
        try:
            data = decompress_raw(data)
        except (zstandard.ZstdError, ValueError):
            pass  # not a frame the store writes: the digest of the bytes as they are
        return "sha256:" + hashlib.sha256(data).hexdigest()
    return value


def canonical_dump(
    db_path: str | Path,
    tables: dict[str, str] | None = None,
    *,
    exclude: frozenset[str] | set[str] = RUN_COLUMNS,
) -> str:
    """Every content row of the store as sorted JSON lines (``# table`` headers between tables).

    ``exclude``: columns left out (default: run bookkeeping). Comparing stores built while the
    code changes, also leave out ``parser_version`` (a digest of the parsing code).
    """
    conn = sqlite3.connect(f"file:{Path(db_path)}?mode=ro", uri=True)
    try:
        out: list[str] = []
        present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table, key in (tables or CONTENT_TABLES).items():
            if table not in present:
                continue
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in exclude]
            quoted = ", ".join(f'"{c}"' for c in cols)
            out.append(f"# {table} ({', '.join(cols)})")
            for row in conn.execute(f"SELECT {quoted} FROM {table} ORDER BY {key}"):
                cells = [
                    _DECODED[(table, c)](v) if (table, c) in _DECODED else _cell(v) for c, v in zip(cols, row, strict=True)
                ]
                out.append(json.dumps(cells, ensure_ascii=False, separators=(",", ":")))
        return "\n".join(out) + "\n"
    finally:
        conn.close()


def dump_digest(db_path: str | Path) -> str:
    """A short digest of :func:`canonical_dump` (for logs and benchmarks)."""
    return hashlib.sha256(canonical_dump(db_path).encode()).hexdigest()[:16]
