"""The article's ``via`` (the mirror or archive it came through): stored, read back, and added to
files written before it existed (schema version 3)."""

from __future__ import annotations

from pathlib import Path

from summitwatch.model import Article, Block
from summitwatch.store.articles import get_articles
from summitwatch.store.db import SCHEMA_VERSION, connect, schema_version
from summitwatch.store.write import upsert_article


def _article(via: str | None) -> Article:
    return Article("a1", "h1", "m.md", "mirror-markdown", "美中外長通話", (Block("paragraph", "正文。"),),
                   outlet="明慧網", via=via)


def test_via_round_trips(tmp_path: Path) -> None:
    conn = connect(tmp_path / "s.db")
    upsert_article(conn, _article("gfw-breaker mirror"), 1, None)
    conn.commit()
    got = get_articles(conn, ["a1"])[0]
    assert got is not None and got.via == "gfw-breaker mirror" and got.outlet == "明慧網"


def test_version2_file_gains_the_via_column(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    conn = connect(path)
    upsert_article(conn, _article(None), 1, None)
    conn.execute("ALTER TABLE articles DROP COLUMN via")  # as a version-2 file was written
    conn.execute("UPDATE meta SET value='2' WHERE key='schema_version'")
    conn.commit()
    conn.close()
    conn = connect(path)
    assert schema_version(conn) == SCHEMA_VERSION
    assert "via" in {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
    got = get_articles(conn, ["a1"])[0]
    assert got is not None and got.via is None and got.title == "美中外長通話"
    upsert_article(conn, _article("web.archive.org"), 2, None)
    conn.commit()
    assert get_articles(conn, ["a1"])[0].via == "web.archive.org"  # type: ignore[union-attr]
