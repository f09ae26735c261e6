"""Search index upkeep: an SQLite FTS5 index over Simplified-normalised single ideographs and words.

Written at ingest, never at serve: the ingest run calls :func:`update_search_index` as its last
step; queries only call :func:`require_search_index`, which raises :class:`SearchIndexUnavailable`
(with the command to run) when the index is missing, from another tokenisation version, or older
than the newest finished run. A reader never writes.

What is indexed: *distinct* articles only (representatives of near-duplicate groups and articles
without copies, about 57 % of the dev corpus). A copy is found through its representative
(``duplicate_of``), so tokenising it again would only double the work and the index.

How: the spaced, Simplified text (see ``summitwatch.search_tokens``) goes into a *contentless* FTS5
table (``content=''``) whose C tokenizer makes the tokens: the index keeps only doclists with
positions, and no text is stored twice (snippets are cut from the article at query time).
``search_docs`` keeps, for every indexed article, its FTS rowid, the content hash it was indexed
from and copies of the filter columns (day, outlet), so counting and filtering never touch the wide
article rows. Incremental: an article that changed, was deleted or became a copy loses its
``search_docs`` row (its postings no longer join to anything: rowids are AUTOINCREMENT, never
reused) and the index is rebuilt once such stale postings exceed a quarter of it (a contentless FTS5
table cannot delete single rows on SQLite < 3.43 without the original text).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from summitwatch.search_tokens import TOKENS_VERSION, index_text, opencc_version
from summitwatch.store.codec import blocks_text

# Every read of articles here goes through the covering index ``articles_state`` (schema.sql): the
# wide rows spill into overflow pages, and a scan of them costs a second per check on the dev store.

#: The index layout version; with the token version and OpenCC's it names what the index holds.
LAYOUT_VERSION = "distinct-2"
_REBUILD_STALE_FRACTION = 0.25
_BATCH = 500
#: Articles shown as themselves: not a near-duplicate copy of another.
DISTINCT = "(duplicate_of IS NULL OR duplicate_of = id)"

_DDL = (
    "CREATE TABLE IF NOT EXISTS search_docs ("
    " rowid INTEGER PRIMARY KEY AUTOINCREMENT, article_id TEXT NOT NULL UNIQUE, content_hash TEXT NOT NULL,"
    " day TEXT, outlet TEXT, outlet_en TEXT)",
    # date-sorted searches and date filters walk this instead of sorting every match
    "CREATE INDEX IF NOT EXISTS search_docs_day ON search_docs(day)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    " title, body, content='', detail=full, tokenize='unicode61 remove_diacritics 0')",
)
#: Tables of index layouts before this one (dropped on rebuild).
_OLD_TABLES = ("search_fts_dup",)


class SearchIndexUnavailable(RuntimeError):
    """The search index is missing or out of date; queries never build it (ingest does)."""


def index_version() -> str:
    """What the stored index must have been built with to be usable."""
    return f"{TOKENS_VERSION}/{LAYOUT_VERSION}/opencc-{opencc_version()}"


# --------------------------------------------------------------------------- state
def _meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
    return None if row is None else row[0]


def _set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
        (key, value),
    )


def _has_index(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE name='search_docs'").fetchone()
    return row is not None


def _newest_run(conn: sqlite3.Connection, finished: bool) -> int:
    sql = "SELECT max(id) FROM runs" + (" WHERE finished_at IS NOT NULL" if finished else "")
    return int(conn.execute(sql).fetchone()[0] or 0)


def index_problem(conn: sqlite3.Connection) -> str | None:
    """Why the index cannot serve queries now, or None when it is current.

    Current means: built with this tokenisation, and no ingest run finished after the one that
    updated it (the runs table is tiny; a run still writing is not waited for).
    """
    if not _has_index(conn):
        return "there is no search index in this database"
    if _meta(conn, "search_index_version") != index_version():
        return "the search index was built by another summitwatch version"
    if _newest_run(conn, finished=True) > int(_meta(conn, "search_run") or 0):
        return "the search index is older than the last ingest run"
    return None


def has_stale_postings(conn: sqlite3.Connection) -> bool:
    """True when the index holds postings of articles that left it since its last rebuild.

    Such postings join to no ``search_docs`` row: a query that reads ``search_fts`` alone (ranking,
    counting) is exact only when there are none, which is the state after every rebuild.
    """
    return int(_meta(conn, "search_stale") or 0) > 0


def require_search_index(conn: sqlite3.Connection) -> None:
    """Raise :class:`SearchIndexUnavailable` unless the index is current (never builds it)."""
    problem = index_problem(conn)
    if problem is not None:
        raise SearchIndexUnavailable(
            f"{problem}: run `summitwatch ingest` (or `summitwatch extract`) on it to bring the index up to date"
        )


# --------------------------------------------------------------------------- building
def ensure_search_tables(conn: sqlite3.Connection) -> None:
    """Create the index tables when missing (derived data, kept outside schema.sql)."""
    for stmt in _DDL:
        conn.execute(stmt)


def article_text(blocks: bytes | str | None) -> str:
    """``Article.text`` from the stored blocks (decoded by ``store/codec.py``; blocks joined by a blank line)."""
    return blocks_text(blocks)


def _doc_text(title: str | None, blocks: bytes | str | None) -> tuple[str, str]:
    """Title and body as FTS5 indexes them (one ``str.translate`` per article, not two)."""
    folded = index_text(f"{(title or '').replace(chr(10), ' ')}\n{article_text(blocks)}")
    head, _, body = folded.partition("\n")
    return head, body


def _index_articles(conn: sqlite3.Connection, ids: Sequence[str]) -> int:
    """Tokenise and index the articles ``ids`` (in batches, so memory stays bounded); returns the count."""
    row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name='search_docs'").fetchone()
    next_id = (row[0] if row else 0) + 1
    n = 0
    for i in range(0, len(ids), _BATCH):
        chunk = list(ids[i : i + _BATCH])
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            "SELECT id, content_hash, title, blocks, published_day, outlet, outlet_en"
            f" FROM articles WHERE id IN ({marks})",
            chunk,
        ).fetchall()
        docs = []
        fts = []
        for aid, chash, title, blocks, day, outlet, outlet_en in rows:
            docs.append((next_id, aid, chash, day, outlet, outlet_en))
            fts.append((next_id, *_doc_text(title, blocks)))
            next_id += 1
        conn.executemany(
            "INSERT INTO search_docs(rowid, article_id, content_hash, day, outlet, outlet_en)"
            " VALUES(?, ?, ?, ?, ?, ?)",
            docs,
        )
        conn.executemany("INSERT INTO search_fts(rowid, title, body) VALUES(?, ?, ?)", fts)
        n += len(docs)
    return n


def _distinct_ids(conn: sqlite3.Connection, missing_only: bool) -> list[str]:
    sql = f"SELECT id FROM articles a INDEXED BY articles_state WHERE {DISTINCT}"
    if missing_only:
        sql += " AND NOT EXISTS (SELECT 1 FROM search_docs d WHERE d.article_id = a.id)"
    return [r[0] for r in conn.execute(sql + " ORDER BY rowid")]


def rebuild_search_index(conn: sqlite3.Connection) -> int:
    """Drop and rebuild the whole index; returns the number of articles indexed."""
    with conn:
        for table in ("search_fts", *_OLD_TABLES, "search_docs"):
            conn.execute(f"DROP TABLE IF EXISTS {table}")
        ensure_search_tables(conn)
        n = _index_articles(conn, _distinct_ids(conn, missing_only=False))
        conn.execute("INSERT INTO search_fts(search_fts) VALUES('optimize')")
        _set_meta(conn, "search_index_version", index_version())
        _set_meta(conn, "search_stale", "0")
        _set_meta(conn, "search_run", str(_newest_run(conn, finished=False)))
    return n


def update_search_index(conn: sqlite3.Connection) -> int:
    """Bring the index up to date with the articles; returns how many articles were (re)tokenised.

    The one entry point for ingest (its last step). Incremental: only new, changed, and no-longer-
    copy articles are tokenised; deleted, changed and now-copy articles drop out; day and outlet
    copies follow the articles. Cheap when nothing changed (anti-joins over ids and hashes).
    """
    if not _has_index(conn) or _meta(conn, "search_index_version") != index_version():
        return rebuild_search_index(conn)
    with conn:
        gone = conn.execute(
            "SELECT d.rowid FROM search_docs d LEFT JOIN articles a INDEXED BY articles_state ON a.id = d.article_id"
            " WHERE a.id IS NULL OR a.content_hash != d.content_hash"
            " OR (a.duplicate_of IS NOT NULL AND a.duplicate_of != a.id)"
        ).fetchall()
        if gone:
            conn.executemany("DELETE FROM search_docs WHERE rowid=?", gone)
        stale = int(_meta(conn, "search_stale") or 0) + len(gone)
        total = conn.execute("SELECT count(*) FROM search_docs").fetchone()[0]
        if stale and stale > _REBUILD_STALE_FRACTION * max(total, 1):
            conn.rollback()
            return rebuild_search_index(conn)
        n = _index_articles(conn, _distinct_ids(conn, missing_only=True))
        # metadata that changes without the content: a corrected date or outlet
        conn.execute(
            "UPDATE search_docs SET day = x.day, outlet = x.outlet, outlet_en = x.outlet_en"
            " FROM (SELECT id, published_day AS day, outlet, outlet_en FROM articles INDEXED BY articles_state) AS x"
            " WHERE x.id = search_docs.article_id AND (search_docs.day IS NOT x.day"
            " OR search_docs.outlet IS NOT x.outlet OR search_docs.outlet_en IS NOT x.outlet_en)"
        )
        _set_meta(conn, "search_stale", str(stale))
        _set_meta(conn, "search_run", str(_newest_run(conn, finished=False)))
    return n
