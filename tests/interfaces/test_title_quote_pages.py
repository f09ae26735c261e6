"""Headline quotes (``in_title``) in the interfaces: ``/api/quotes`` (JSON and CSV), ``summitwatch quotes``
and the article page, which marks them in the headline and never at their offsets in the text."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from summitwatch.api import create_app
from summitwatch.cli import main
from summitwatch.model import Article, Block, Extraction, Quote
from summitwatch.store.db import connect
from summitwatch.store.write import upsert_article, upsert_source, write_extraction

TITLE = "拜登稱「美國將與盟友一道應對挑戰」　中方回應：反對干涉內政"
BODY = "拜登說：「我們不尋求新冷戰。」白宮發言人其後補充說明了細節。"
HEADLINE_Q = "美國將與盟友一道應對挑戰"
BODY_Q = "我們不尋求新冷戰。"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("title-quotes") / "t.db"
    conn = connect(path)
    art = Article("a1", "h1", "a1.md", "yaml-markdown", TITLE, (Block("paragraph", BODY),),
                  published="2021-11-16T10:00:00+08:00", outlet="眾新聞")
    upsert_article(conn, art, 1, None)
    upsert_source(conn, source="a1.md", input="t", raw_hash="r", raw=b"x", size=1, hint=None, meta=None,
                  fmt="yaml-markdown", article_id="a1", parser_version="p", run_id=1)
    quotes = (Quote("Joe Biden", "US", HEADLINE_Q, start=4, end=16, in_title=True),
              Quote("Joe Biden", "US", BODY_Q, start=5, end=14))
    assert TITLE[4:16] == HEADLINE_Q and BODY[5:14] == BODY_Q
    write_extraction(conn, Extraction("a1", quotes=quotes, extractor_version="x"), content_hash="h1",
                     knowledge_hash="k")
    conn.commit()
    conn.close()
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    return TestClient(create_app(db, allow_hosts=["testserver"]))


def test_api_quotes_carry_in_title(client: TestClient) -> None:
    items = client.get("/api/quotes", params={"speaker": "拜登"}).json()["items"]
    assert [(i["text"], i["in_title"]) for i in items] == [(BODY_Q, False), (HEADLINE_Q, True)]  # newest first
    r = client.get("/api/quotes", params={"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert "in_title" in rows[0]
    assert {row["text"]: row["in_title"] for row in rows}[HEADLINE_Q] in ("true", "True", "1")
    arts = client.get("/api/articles/a1").json()
    assert [q["in_title"] for q in arts["quotes"]] == [True, False]


def test_cli_quotes_json_and_text(db: Path) -> None:
    r = CliRunner().invoke(main, ["quotes", "--db", str(db), "--json"])
    assert r.exit_code == 0, r.output
    assert {i["text"]: i["in_title"] for i in json.loads(r.output)["items"]} == {HEADLINE_Q: True, BODY_Q: False}
    r = CliRunner().invoke(main, ["quotes", "--db", str(db)])
    assert f"「{HEADLINE_Q}」 (headline)" in r.output and f"「{BODY_Q}」 (headline)" not in r.output


def test_article_page_marks_a_headline_quote_in_the_headline(client: TestClient) -> None:
    html = client.get("/articles/a1", params={"script": "orig"}).text
    h1 = re.search(r'<h1 class="headline">(.*?)</h1>', html, re.S)
    assert h1 and f'<span class="quote">{HEADLINE_Q}</span>' in h1.group(1)
    assert re.sub(r"<[^>]+>", "", h1.group(1)) == TITLE
    text = re.search(r'<div class="text">(.*?)</div>', html, re.S)
    assert text is not None
    marked = re.findall(r'<span class="[^"]*\bquote\b[^"]*">([^<]*)</span>', text.group(1))
    assert marked == [BODY_Q]  # the headline quote's offsets (4-16) mark nothing in the text
