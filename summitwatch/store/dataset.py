"""The store as a Parquet dataset (hive-partitioned by outlet and year), and back.

Why: a corpus of millions of articles is analysed with DuckDB, Spark or pandas more easily than
through one SQLite file, and a dataset of many files can be built, copied and queried in pieces.
``write_dataset`` streams the content tables out of a store in batches (memory stays flat);
``load_tables`` fills a SQLite store from such a dataset; ``run/parquet.py`` then rebuilds the
derived tables (timeline, search index), so that a store rebuilt from Parquet holds the same
content as the one it came from (``store.dump.canonical_dump`` equal).

Layout under DIR (``_summitwatch.json`` marks it as ours and records counts):

- ``articles/outlet=眾新聞/year=2021/part-0.parquet`` (partition values are URI-encoded on disk;
  DuckDB and pyarrow decode them; an article without outlet or date goes to
  ``__HIVE_DEFAULT_PARTITION__``, read back as NULL);
- ``mentions/``, ``engagements/``, ``quotes/``, ``extractions/``: the same partitions, from
  the article each row belongs to;
- ``sources/`` and ``quarantine/``: unpartitioned, with the compressed raw bytes, so that a loaded
  store can still ``reparse`` without the original files.

Query it with DuckDB::

    select outlet, year, count(*) from read_parquet('DIR/articles/**/*.parquet', hive_partitioning=true)
    group by all order by all
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from summitwatch.store.db import schema_sql

__all__ = ["PARTITIONED", "UNPARTITIONED", "DatasetSummary", "write_dataset", "load_tables", "MANIFEST"]

MANIFEST = "_summitwatch.json"
BATCH = 5000
# table -> how a row finds its article (partitioned tables)
PARTITIONED: dict[str, str] = {
    "articles": "t.id",
    "extractions": "t.article_id",
    "engagements": "t.article_id",
    "quotes": "t.article_id",
    "mentions": "t.article_id",
}
UNPARTITIONED: tuple[str, ...] = ("sources", "quarantine")
_ORDER = {
    "articles": "t.id",
    "extractions": "t.article_id",
    "engagements": "t.article_id, t.seq",
    "quotes": "t.article_id, t.seq",
    "mentions": "t.article_id, t.seq",
    "sources": "t.source",
    "quarantine": "t.source",
}
_PART_SCHEMA = pa.schema([("outlet", pa.string()), ("year", pa.string())])


@dataclass
class DatasetSummary:
    """Rows per table written (or loaded), and where."""

    path: str
    rows: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "rows": dict(self.rows)}


def _arrow_type(decl: str) -> pa.DataType:
    d = (decl or "").upper()
    if "INT" in d:
        return pa.int64()
    if "BLOB" in d:
        return pa.binary()
    if "REAL" in d or "FLOA" in d or "DOUB" in d:
        return pa.float64()
    return pa.string()


@cache
def _current_types() -> dict[tuple[str, str], str]:
    """(table, column) -> type declared by this summitwatch's ``schema.sql``. A file migrated in place
    keeps its older declarations (v6 turned ``articles.blocks`` etc. from TEXT into BLOB content)."""
    mem = sqlite3.connect(":memory:")
    try:
        mem.executescript(schema_sql())
        tables = [r[0] for r in mem.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {(t, r[1]): r[2] for t in tables for r in mem.execute(f"PRAGMA table_info({t})")}
    finally:
        mem.close()


def _columns(conn: sqlite3.Connection, table: str) -> list[tuple[str, str]]:
    types = _current_types()
    return [(r[1], types.get((table, r[1]), r[2])) for r in conn.execute(f"PRAGMA table_info({table})")]


def _batches(cur: sqlite3.Cursor, schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    names = schema.names
    while True:
        rows = cur.fetchmany(BATCH)
        if not rows:
            return
        cols = list(zip(*rows, strict=True))
        yield pa.RecordBatch.from_arrays(
            [pa.array(list(c), type=schema.field(n).type) for n, c in zip(names, cols, strict=True)],
            schema=schema,
        )


def _prepare(out: Path) -> None:
    """Create DIR, or clear the tables of an earlier dataset of ours; never touch foreign files."""
    if out.exists() and any(out.iterdir()) and not (out / MANIFEST).exists():
        raise FileExistsError(
            f"{out} exists and is not a summitwatch dataset (no {MANIFEST}); choose an empty dir"
        )
    out.mkdir(parents=True, exist_ok=True)
    for table in (*PARTITIONED, *UNPARTITIONED):
        if (out / table).is_dir():
            shutil.rmtree(out / table)
    (out / MANIFEST).unlink(missing_ok=True)


def write_dataset(db_path: str | Path, out_dir: str | Path, *, raw: bool = True) -> DatasetSummary:
    """Write the store's content tables under ``out_dir`` (see the module doc for the layout).

    ``raw=False`` leaves the sources' raw bytes out (smaller; a store loaded from it cannot reparse).
    """
    out = Path(out_dir)
    _prepare(out)
    # pyarrow pulls the batches from its own thread; the cursor is read by one thread at a time
    conn = sqlite3.connect(f"file:{Path(db_path)}?mode=ro", uri=True, check_same_thread=False)
    summary = DatasetSummary(str(out))
    try:
        for table, key in PARTITIONED.items():
            cols = _columns(conn, table)
            if not cols:
                continue
            names = [c for c, _ in cols if not (table == "articles" and c == "outlet")]
            fields = [pa.field(c, _arrow_type(t)) for c, t in cols if c in names]
            schema = pa.schema([*fields, *_PART_SCHEMA])
            select = ", ".join(f't."{c}"' for c in names)
            join = "" if table == "articles" else f"LEFT JOIN articles a ON a.id = {key}"
            src = "t" if table == "articles" else "a"
            cur = conn.execute(
                f"SELECT {select}, {src}.outlet, substr({src}.published_day, 1, 4) "
                f"FROM {table} t {join} ORDER BY {_ORDER[table]}"
            )
            summary.rows[table] = _write(out / table, cur, schema, partitioned=True)
        for table in UNPARTITIONED:
            cols = _columns(conn, table)
            if not cols:
                continue
            names = [c for c, _ in cols]
            schema = pa.schema([pa.field(c, _arrow_type(t)) for c, t in cols])
            select = ", ".join((f't."{c}"' if raw or c != "raw" else "NULL") for c in names)
            cur = conn.execute(f"SELECT {select} FROM {table} t ORDER BY {_ORDER[table]}")
            summary.rows[table] = _write(out / table, cur, schema, partitioned=False)
        version = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    finally:
        conn.close()
    manifest = {"format": "summitwatch-dataset", "schema_version": int(version[0]) if version else None,
                "raw": raw, **summary.to_dict()}  # fmt: skip
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return summary


def _write(target: Path, cur: sqlite3.Cursor, schema: pa.Schema, *, partitioned: bool) -> int:
    count = 0

    def counted() -> Iterator[pa.RecordBatch]:
        nonlocal count
        for b in _batches(cur, schema):
            count += b.num_rows
            yield b

    reader = pa.RecordBatchReader.from_batches(schema, counted())
    ds.write_dataset(
        reader,
        target,
        format="parquet",
        partitioning=ds.partitioning(_PART_SCHEMA, flavor="hive") if partitioned else None,
        basename_template="part-{i}.parquet",
        existing_data_behavior="overwrite_or_ignore",
        max_partitions=1_000_000,
        max_open_files=512,
        max_rows_per_group=BATCH * 4,
    )
    if count == 0:  # an empty table still gets a file, so readers see its schema
        target.mkdir(parents=True, exist_ok=True)
        pq.write_table(schema.empty_table(), target / "part-0.parquet")
    return count


def _read(path: Path, partitioned: bool) -> ds.Dataset:
    return ds.dataset(path, format="parquet", partitioning="hive" if partitioned else None)


def load_tables(conn: sqlite3.Connection, in_dir: str | Path) -> DatasetSummary:
    """Load the content tables of a dataset written by :func:`write_dataset` into the store.

    Rows replace rows with the same key; an article's engagements, quotes and mentions are replaced
    whole, as an extraction would. One transaction per table: a load killed midway leaves tables
    loaded whole or not at all, and loading again finishes the job. Derived tables (the timeline,
    the search index) are the caller's to rebuild.
    """
    src = Path(in_dir)
    if not (src / MANIFEST).exists():
        raise FileNotFoundError(f"{src} is not a summitwatch dataset (no {MANIFEST})")
    summary = DatasetSummary(str(src))
    order = ("sources", "quarantine", "articles", "extractions", "engagements", "quotes", "mentions")
    present = {t: (src / t).is_dir() for t in order}
    # children are replaced whole per article: drop the old rows of every article loaded
    if present["extractions"]:
        ids = _read(src / "extractions", True).to_table(columns=["article_id"]).column("article_id")
        with conn:
            conn.execute("CREATE TEMP TABLE _load_ids(id TEXT PRIMARY KEY)")
            conn.executemany("INSERT OR IGNORE INTO _load_ids VALUES(?)", ((i,) for i in ids.to_pylist()))
            for child in ("engagements", "quotes", "mentions"):
                conn.execute(f"DELETE FROM {child} WHERE article_id IN (SELECT id FROM _load_ids)")
            conn.execute("DROP TABLE _load_ids")
    for table in order:
        if not present[table]:
            continue
        cols = [c for c, _ in _columns(conn, table)]
        dset = _read(src / table, table in PARTITIONED)
        use = [c for c in cols if c in dset.schema.names]
        sql = (
            f"INSERT OR REPLACE INTO {table}({', '.join(chr(34) + c + chr(34) for c in use)}) "
            f"VALUES({', '.join('?' * len(use))})"
        )
        n = 0
        with conn:
            for batch in dset.to_batches(columns=use, batch_size=BATCH):
                rows = list(zip(*(batch.column(c).to_pylist() for c in use), strict=True))
                conn.executemany(sql, rows)
                n += len(rows)
        summary.rows[table] = n
    return summary
