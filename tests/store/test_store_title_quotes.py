"""Headline quotes in the store: ``Quote.in_title`` is written, read back by every reader (article
detail, exports, the timeline's quote loader) and added, false, to files written before it (schema 7)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from summitwatch.model import Article, Block, Extraction, Quote
from summitwatch.store.db import SCHEMA_VERSION, connect, schema_version
from summitwatch.store.export import article_records, quote_records
from summitwatch.store.query.articles import get_article
from summitwatch.store.timeline import load_quotes
from summitwatch.store.write import upsert_article, upsert_source, write_extraction

TITLE = "拜登稱「美國將與盟友一道應對挑戰」　中方回應：反對干涉內政"
BODY = "拜登說：「我們不尋求新冷戰。」"
QUOTES = (
    Quote("Joe Biden", "US", "美國將與盟友一道應對挑戰", start=4, end=16, in_title=True),
    Quote("Joe Biden", "US", "我們不尋求新冷戰。", start=5, end=14),
)


def _store(path: Path) -> sqlite3.Connection:
    conn = connect(path)
    art = Article("a1", "h1", "a1.md", "yaml-markdown", TITLE, (Block("paragraph", BODY),),
                  published="2021-11-16T10:00:00+08:00", outlet="眾新聞")
    upsert_article(conn, art, 1, None)
    upsert_source(conn, source="a1.md", input="t", raw_hash="r", raw=b"x", size=1, hint=None, meta=None,
                  fmt="yaml-markdown", article_id="a1", parser_version="p", run_id=1)
    write_extraction(conn, Extraction("a1", quotes=QUOTES, extractor_version="x"), content_hash="h1",
                     knowledge_hash="k")
    conn.commit()
    return conn


def test_in_title_round_trips_through_every_reader(tmp_path: Path) -> None:
    conn = _store(tmp_path / "s.db")
    detail = get_article(conn, "a1")
    assert detail is not None and detail.quotes == QUOTES
    q0, q1 = detail.quotes
    assert detail.article.title[q0.start:q0.end] == q0.text and detail.article.text[q1.start:q1.end] == q1.text
    assert [q["in_title"] for q in detail.to_dict()["quotes"]] == [True, False]  # /api/articles/{id}
    assert [q["in_title"] for q in quote_records(conn)] == [True, False]  # export quotes
    (rec,) = list(article_records(conn))  # export articles --format jsonl, what the scorer reads
    assert [(q["text"], q["in_title"]) for q in rec["quotes"]] == [(q.text, q.in_title) for q in QUOTES]
    assert [r.quote.in_title for r in load_quotes(conn, ["a1"])] == [True, False]  # the timeline merge


def test_version6_file_gains_in_title_false_for_its_quotes(tmp_path: Path) -> None:
    path = tmp_path / "v6.db"
    conn = _store(path)
    conn.execute("DELETE FROM quotes WHERE in_title = 1")
    conn.execute("ALTER TABLE quotes DROP COLUMN in_title")  # as a version-6 file was written
    conn.execute("UPDATE meta SET value='6' WHERE key='schema_version'")
    conn.commit()
    conn.close()
    conn = connect(path)
    assert schema_version(conn) == SCHEMA_VERSION >= 7
    assert "in_title" in {r[1] for r in conn.execute("PRAGMA table_info(quotes)")}
    detail = get_article(conn, "a1")
    assert detail is not None and [(q.text, q.in_title) for q in detail.quotes] == [("我們不尋求新冷戰。", False)]
