"""Open the SQLite store: WAL mode, schema creation and versioned migrations.

Every store module gets its connection here, so pragmas and the schema version are set in one
place. ``schema.sql`` always describes the *current* schema (``CREATE ... IF NOT EXISTS``);
``MIGRATIONS`` upgrade files written by an older summitwatch before ``schema.sql`` is replayed.
"""

from __future__ import annotations

import sqlite3
from importlib import resources
from pathlib import Path

SCHEMA_VERSION = 3

# version -> statements that bring a file at version-1 up to version: column additions and index
# replacements only, so older readers keep working on a migrated file.
MIGRATIONS: dict[int, tuple[str, ...]] = {
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
    ),
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
                    # tolerate a half-applied earlier attempt: skip columns already present
                    if stmt.startswith("ALTER TABLE") and " ADD COLUMN " in stmt:
                        table = stmt.split()[2]
                        col = stmt.split(" ADD COLUMN ")[1].split()[0]
                        if col in _columns(conn, table):
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
        conn = sqlite3.connect(path, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout=30000")
    if not readonly:
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
