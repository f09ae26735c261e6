"""The store file: WAL mode, schema version, migration of a version-1 file in place."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from summitwatch.store.db import SCHEMA_VERSION, StoreError, connect, schema_version

# The version-1 tables that version 2 extends (as they were shipped in schema version 1).
V1_TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE quarantine (source TEXT PRIMARY KEY, reason TEXT NOT NULL, detail TEXT, run INTEGER);
CREATE TABLE articles (
  id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, source TEXT NOT NULL, format TEXT, outlet TEXT,
  outlet_en TEXT, url TEXT, original_url TEXT, archived_url TEXT, archived_at TEXT, site_article_no TEXT,
  title TEXT, author TEXT, published TEXT, published_day TEXT, published_alt TEXT, category TEXT,
  tags TEXT, language TEXT, script TEXT, blocks TEXT NOT NULL, figures TEXT, links TEXT, flags TEXT,
  duplicate_of TEXT, updated_run INTEGER
);
INSERT INTO quarantine VALUES ('old.md', 'empty', '', 1);
INSERT INTO articles(id, content_hash, source, blocks) VALUES ('a1', 'h', 'x.md', '[]');
"""


def test_new_file_is_wal_and_current(tmp_path: Path) -> None:
    conn = connect(tmp_path / "n.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert schema_version(conn) == SCHEMA_VERSION
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"sources", "quarantine", "articles", "extractions", "engagements", "timeline"} <= tables
    conn.close()
    assert schema_version(connect(tmp_path / "n.db")) == SCHEMA_VERSION  # reopening is a no-op


def test_version1_file_is_migrated_keeping_rows(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    with sqlite3.connect(path) as raw:
        raw.executescript(V1_TABLES)
    conn = connect(path)
    assert schema_version(conn) == SCHEMA_VERSION
    qcols = {r[1] for r in conn.execute("PRAGMA table_info(quarantine)")}
    assert {"raw_hash", "raw", "input", "parser_version"} <= qcols
    assert "title_key" in {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
    assert conn.execute("SELECT reason FROM quarantine WHERE source='old.md'").fetchone()[0] == "empty"
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_newer_file_and_missing_file_refused(tmp_path: Path) -> None:
    conn = connect(tmp_path / "z.db")
    conn.execute("UPDATE meta SET value='999' WHERE key='schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        connect(tmp_path / "z.db")
    with pytest.raises(StoreError, match="no database"):
        connect(tmp_path / "absent.db", create=False)


def test_version2_file_gets_v3_layout_keeping_rows(tmp_path: Path) -> None:
    """v3 rebuilds mentions WITHOUT ROWID, swaps indexes for covering ones, drops the old search tables."""
    path = tmp_path / "v2.db"
    conn = connect(path)  # current schema, then wound back to what a version-2 file held
    conn.executescript(
        """
        DROP TABLE mentions;
        CREATE TABLE mentions (article_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,
          key TEXT NOT NULL, surface TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
          side TEXT, office TEXT, PRIMARY KEY (article_id, seq));
        CREATE INDEX mentions_key ON mentions(kind, key);
        DROP INDEX articles_copies;
        CREATE INDEX articles_dup ON articles(duplicate_of);
        CREATE VIRTUAL TABLE search_fts_dup USING fts5(title, body, content='');
        INSERT INTO mentions VALUES ('a1', 0, 'person', 'Wang Yi', '王毅', 0, 2, 'PRC', NULL);
        INSERT INTO mentions VALUES ('a1', 1, 'place', 'Beijing', '北京', 3, 5, NULL, NULL);
        UPDATE meta SET value = '2' WHERE key = 'schema_version';
        """
    )
    conn.close()
    conn = connect(path)
    assert schema_version(conn) == SCHEMA_VERSION >= 3
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name='mentions'").fetchone()[0]
    assert "WITHOUT ROWID" in sql.upper()
    assert [r[0] for r in conn.execute("SELECT key FROM mentions ORDER BY seq")] == ["Wang Yi", "Beijing"]
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert {"mentions_people", "articles_copies", "articles_state"} <= names
    assert not names & {"mentions_key", "articles_dup", "search_fts_dup"}
    plan = " ".join(
        r[3]
        for r in conn.execute(
            "EXPLAIN QUERY PLAN SELECT key, count(DISTINCT article_id) FROM mentions"
            " WHERE kind IN ('person', 'office') AND key != '' GROUP BY key"
        )
    )
    assert "COVERING INDEX mentions_people" in plan
    conn.close()
