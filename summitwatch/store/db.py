"""Open the SQLite store: WAL mode, schema creation and versioned migrations.

Every store module gets its connection here, so pragmas and the schema version are set in one
place. ``schema.sql`` always describes the *current* schema (``CREATE ... IF NOT EXISTS``);
``MIGRATIONS`` upgrade files written by an older summitwatch before ``schema.sql`` is replayed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import zstandard

from summitwatch.model import Figure, Link
from summitwatch.store.codec import (
    compress_raw,
    decompress_raw,
    figures_from_column,
    links_from_column,
    pack_json,
    stored_figures,
    stored_links,
    unpack_json,
)

SCHEMA_VERSION = 7

#: Page size of a new store. Compressed article rows and raw records are 1-4 KB each: on 4 KB pages
#: most of them sit one per page (or spill a nearly empty overflow page), which wasted about a fifth of
#: the dev store; 16 KB pages pack several per page.
PAGE_SIZE = 16384
_BATCH = 500  # rows converted per statement batch by the v6 migration (bounded memory)


def _mentions_without_rowid(conn: sqlite3.Connection) -> None:
    """Rebuild ``mentions`` as a WITHOUT ROWID table (same columns and key): its rows are then stored
    once, in (article_id, seq) order, instead of a rowid table plus an index repeating the key."""
    row = conn.execute("SELECT sql FROM sqlite_master WHERE type='table' AND name='mentions'").fetchone()
    if row is None or "WITHOUT ROWID" in row[0].upper():
        return
    cols = 'article_id, seq, kind, key, surface, start, "end", side, office'
    conn.execute(
        "CREATE TABLE mentions_v3 (article_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,"
        ' key TEXT NOT NULL, surface TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,'
        " side TEXT, office TEXT, PRIMARY KEY (article_id, seq)) WITHOUT ROWID"
    )
    conn.execute(f"INSERT INTO mentions_v3({cols}) SELECT {cols} FROM mentions")
    conn.execute("DROP TABLE mentions")
    conn.execute("ALTER TABLE mentions_v3 RENAME TO mentions")


def _compress_columns(conn: sqlite3.Connection) -> None:
    """v6: re-encode the big columns as ``store/codec.py`` now writes them, in place.

    ``articles.blocks/figures/links`` go from JSON text to zstd(JSON) with the article dictionary (an
    archived URL that wraps its own URL shrinks to the wrapper's stamp); ``sources.raw`` and
    ``quarantine.raw`` frames written without a dictionary are recompressed with the raw dictionary.
    Content is unchanged (same ids, hashes and search index). The freed pages stay in the file until
    ``VACUUM``; the README says so.
    """
    tables = _tables(conn)  # a table the file never had is created whole by the schema replay
    last = 0
    while "articles" in tables:
        rows = conn.execute(
            "SELECT rowid, blocks, figures, links FROM articles WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (last, _BATCH),
        ).fetchall()
        if not rows:
            break
        last = rows[-1][0]
        # a column still holding text is converted (a half-applied attempt may have done some)
        conn.executemany(
            "UPDATE articles SET blocks = ?, figures = ?, links = ? WHERE rowid = ?",
            [
                (
                    pack_json(unpack_json(b, [])) if isinstance(b, str) else b,
                    pack_json(stored_figures(Figure(**f) for f in figures_from_column(f_)))
                    if isinstance(f_, str) or f_ is None else f_,
                    pack_json(stored_links(Link(**x) for x in links_from_column(lk)))
                    if isinstance(lk, str) or lk is None else lk,
                    rid,
                )
                for rid, b, f_, lk in rows
                if isinstance(b, str) or not isinstance(f_, bytes) or not isinstance(lk, bytes)
            ],
        )
    for table in ("sources", "quarantine"):
        last = 0
        while table in tables and "raw" in _columns(conn, table):
            rows = conn.execute(
                f"SELECT rowid, raw FROM {table} WHERE rowid > ? AND raw IS NOT NULL ORDER BY rowid LIMIT ?",
                (last, _BATCH),
            ).fetchall()
            if not rows:
                break
            last = rows[-1][0]
            conn.executemany(
                f"UPDATE {table} SET raw = ? WHERE rowid = ?",
                [(compress_raw(decompress_raw(raw)), rid) for rid, raw in rows if _plain_frame(raw)],
            )


def _plain_frame(blob: bytes) -> bool:
    """A zstd frame written without a dictionary (the encoding before v6)."""
    try:
        return zstandard.get_frame_parameters(blob).dict_id == 0
    except zstandard.ZstdError:
        return False


Migration = str | Callable[[sqlite3.Connection], None]

# version -> steps that bring a file at version-1 up to version: column additions, index and table
# layout changes that keep every column, so older readers keep working on a migrated file.
MIGRATIONS: dict[int, tuple[Migration, ...]] = {
    2: (
        "ALTER TABLE quarantine ADD COLUMN input TEXT",
        "ALTER TABLE quarantine ADD COLUMN raw_hash TEXT",
        "ALTER TABLE quarantine ADD COLUMN raw BLOB",
        "ALTER TABLE quarantine ADD COLUMN size INTEGER",
        "ALTER TABLE quarantine ADD COLUMN hint TEXT",
        "ALTER TABLE quarantine ADD COLUMN meta TEXT",
        "ALTER TABLE quarantine ADD COLUMN parser_version TEXT",
        "ALTER TABLE articles ADD COLUMN title_key TEXT",
    ),
    # v3 replaces indexes by covering ones (schema.sql creates those) and drops the search index
    # of the old layout (two FTS tables, copies included); ingest rebuilds it as one
    3: (
        "DROP INDEX IF EXISTS articles_dup",
        "DROP INDEX IF EXISTS mentions_key",
        "DROP INDEX IF EXISTS search_articles_cover",
        "DROP INDEX IF EXISTS search_mentions_cover",
        "DROP TABLE IF EXISTS search_fts_dup",
        _mentions_without_rowid,
    ),
    4: (  # timeline flags (issue 14, web): store/flags.py fills them at every timeline write
        "ALTER TABLE timeline ADD COLUMN single_source INTEGER",
        "ALTER TABLE timeline ADD COLUMN disputed TEXT",
    ),
    5: ("ALTER TABLE articles ADD COLUMN via TEXT",),  # the mirror/archive a page came through
    6: (_compress_columns,),  # zstd with shipped dictionaries (store/codec.py, store/zdict/)
    # headline quotes (issue 12): their offsets point into the title; every earlier row is a body quote.
    # The extractor version moved with it, so the next ingest re-extracts and adds the title quotes.
    7: ("ALTER TABLE quotes ADD COLUMN in_title INTEGER NOT NULL DEFAULT 0",),
}


class StoreError(RuntimeError):
    """The database file cannot be used (missing, or written by a newer summitwatch)."""


def schema_sql() -> str:
    """The current schema text (shipped as package data)."""
    return resources.files("summitwatch.store").joinpath("schema.sql").read_text(encoding="utf-8")


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def schema_version(conn: sqlite3.Connection) -> int:
    """The version recorded in ``meta`` (0 for an empty file, 1 for a file from before versioning)."""
    tables = _tables(conn)
    if "meta" not in tables:
        return 0
    row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    if row is None:
        return 1 if "articles" in tables else 0
    return int(row[0])


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}


def migrate(conn: sqlite3.Connection) -> int:
    """Create or upgrade the schema in place; returns the version now recorded."""
    version = schema_version(conn)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"database schema version {version} is newer than this summitwatch ({SCHEMA_VERSION})"
        )
    if version == SCHEMA_VERSION:
        # replay (CREATE ... IF NOT EXISTS, cheap): tables or indexes added to schema.sql without
        # a version bump (a new area's table) then appear in files created before them
        conn.executescript(schema_sql())
        return version
    with conn:
        if version >= 1:
            for v in range(version + 1, SCHEMA_VERSION + 1):
                for stmt in MIGRATIONS.get(v, ()):
                    if callable(stmt):
                        stmt(conn)
                        continue
                    # tolerate a half-applied earlier attempt: skip columns already present
                    if stmt.startswith("ALTER TABLE") and " ADD COLUMN " in stmt:
                        table = stmt.split()[2]
                        col = stmt.split(" ADD COLUMN ")[1].split()[0]
                        # a table the file never had is created whole by the schema replay below
                        if table not in _tables(conn) or col in _columns(conn, table):
                            continue
                    conn.execute(stmt)
    # executescript commits on its own, so it runs outside the transaction above
    conn.executescript(schema_sql())
    with conn:
        conn.execute(
            "INSERT INTO meta(key, value) VALUES('schema_version', ?) "
            "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
            (str(SCHEMA_VERSION),),
        )
    return SCHEMA_VERSION


def connect(db_path: str | Path, *, create: bool = True, readonly: bool = False) -> sqlite3.Connection:
    """Open (and when needed create/upgrade) the store at ``db_path``.

    ``create=False`` refuses a missing file, so query commands fail with a clear message instead
    of silently creating an empty database. ``readonly`` opens via a ``mode=ro`` URI (no schema
    changes; used by interfaces that only read).
    """
    path = Path(db_path)
    if not create and not path.exists():
        raise StoreError(f"no database at {path} (run `summitwatch ingest ... --db {path}` first)")
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        new = not path.exists() or path.stat().st_size == 0
        conn = sqlite3.connect(path, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout=30000")
    if readonly:
        conn.execute("PRAGMA query_only=ON")  # belt and braces over mode=ro: this connection never writes
    else:
        if new:  # only an empty file takes a page size (an existing one keeps its own until VACUUM)
            conn.execute(f"PRAGMA page_size={PAGE_SIZE}")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        migrate(conn)
    conn.execute("PRAGMA temp_store=MEMORY")
    conn.execute("PRAGMA cache_size=-65536")
    return conn


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
    return None if row is None else row[0]


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    """Upsert one ``meta`` value (caller commits)."""
    conn.execute(
        "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
        (key, value),
    )

def missing_tables(conn: sqlite3.Connection) -> list[str]:
    """Tables this summitwatch's ``schema.sql`` defines that the store lacks.

    A writing command adds them (``migrate`` replays the schema); serve, read-only, cannot, and a
    page reading a missing table would fail, so serve refuses up front with the remedy. The expected
    names come from running the schema on an in-memory database: no parsing of SQL text.
    """
    mem = sqlite3.connect(":memory:")
    try:
        mem.executescript(schema_sql())
        expected = {r[0] for r in mem.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        mem.close()
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    return sorted(expected - present)
