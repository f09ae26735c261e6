"""Where quotes show: store/query/quotes.py, ``GET /api/quotes`` and ``summitwatch quotes``.

A small hand-written store: one story in two near-duplicate copies (the same quote twice), an article
reporting an engagement with focus, a reported-speech row, and a White House quote (a body of a
participant's government).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from quote_store_fixture import build_quote_store

from summitwatch.api import create_app
from summitwatch.cli import main
from summitwatch.store.db import connect
from summitwatch.store.query.quotes import QuoteFilters, list_quotes, quotes_of_engagement, quotes_of_person

ARTICLES = [  # id, published, outlet, title, duplicate_of
    ("a1", "2021-11-16T10:00:00+08:00", "眾新聞", "習近平與拜登舉行視像會晤", None),
    ("a1-copy", "2021-11-16T12:00:00+08:00", "立場新聞", "習近平與拜登舉行視像會晤", "a1"),
    ("a2", "2020-01-16T09:00:00+08:00", "眾新聞", "中美簽署首階段協議", None),
]
QUOTES = [  # article, seq, speaker, side, text, reported
    ("a1", 0, "Xi Jinping", "PRC", "既辦好我們各自國內的事，又承擔起應盡的國際責任", 0),
    ("a1", 1, "White House", "US", "兩國元首就共同關心的問題坦率交換了意見", 0),
    ("a1", 2, "Joe Biden", "US", "美國將與盟友一道應對挑戰", 1),
    ("a1-copy", 0, "Xi Jinping", "PRC", "既辦好我們各自國內的事，又承擔起應盡的國際責任", 0),
    ("a2", 0, "Donald Trump", "US", "今天我們邁出重要的一步", 0),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_quote_store(tmp_path_factory.mktemp("quotes") / "q.db", ARTICLES, QUOTES)


@pytest.fixture(scope="module")
def conn(db: Path) -> Any:
    c = connect(db, create=False, readonly=True)
    yield c
    c.close()


def test_copies_fold_into_one_quote_with_their_sources(conn: Any, kn: Any) -> None:
    page = list_quotes(conn, QuoteFilters(speaker="Xi Jinping"), kn=kn)
    assert page.total == 1
    it = page.items[0]
    assert it.article_id == "a1" and it.sources == ("a1", "a1-copy")


def test_reported_speech_is_left_out_by_default(conn: Any, kn: Any) -> None:
    assert list_quotes(conn, QuoteFilters(speaker="Joe Biden"), kn=kn).total == 0
    assert list_quotes(conn, QuoteFilters(speaker="Joe Biden", include_reported=True), kn=kn).total == 1


def test_engagement_of_participant_and_of_a_body_of_a_participants_government(conn: Any, kn: Any) -> None:
    items = {i.speaker: i for i in list_quotes(conn, QuoteFilters(), kn=kn).items}
    assert items["Xi Jinping"].engagement_id == "e-1"
    assert items["White House"].engagement_id == "e-1"  # a US body, and the engagement has a US participant
    assert items["Donald Trump"].engagement_id is None  # his article reports no engagement


def test_filters_speaker_alias_side_dates_text(conn: Any, kn: Any) -> None:
    assert [i.speaker for i in list_quotes(conn, QuoteFilters(speaker="習近平"), kn=kn).items] == ["Xi Jinping"]
    assert [i.speaker for i in list_quotes(conn, QuoteFilters(speaker="习近平"), kn=kn).items] == ["Xi Jinping"]
    assert {i.speaker for i in list_quotes(conn, QuoteFilters(side="us"), kn=kn).items} == {"White House",
                                                                                           "Donald Trump"}
    assert [i.speaker for i in list_quotes(conn, QuoteFilters(until="2020"), kn=kn).items] == ["Donald Trump"]
    assert list_quotes(conn, QuoteFilters(since="2021-11-17"), kn=kn).total == 0
    # full text within quotes, in either script
    assert [i.speaker for i in list_quotes(conn, QuoteFilters(q="国际责任"), kn=kn).items] == ["Xi Jinping"]


def test_pagination_and_order(conn: Any, kn: Any) -> None:
    page = list_quotes(conn, QuoteFilters(), limit=1, offset=1, kn=kn)
    assert page.total == 3 and len(page.items) == 1
    newest_first = [i.published for i in list_quotes(conn, QuoteFilters(), kn=kn).items]
    assert newest_first == sorted(newest_first, reverse=True)


def test_person_and_engagement_page_queries(conn: Any, kn: Any) -> None:
    assert [i.text[:4] for i in quotes_of_person(conn, "拜登", kn=kn).items] == []
    by_side = quotes_of_engagement(conn, "e-1", kn=kn)
    assert [i.speaker for i in by_side["PRC"]] == ["Xi Jinping"]  # once, though two copies carry it
    assert [i.speaker for i in by_side["US"]] == ["White House"]


def test_engagement_page_reads_the_groups_of_its_quoted_members(db: Path, tmp_path: Path, kn: Any) -> None:
    path = tmp_path / "q.db"
    path.write_bytes(db.read_bytes())
    conn = connect(path)
    with conn:  # the copy leaves e-1; e-2 has one member, which quotes nobody
        conn.execute("DELETE FROM timeline_members WHERE article_id = 'a1-copy'")
        conn.execute("INSERT INTO timeline_members(timeline_id, article_id, seq) VALUES('e-2', 'a2-plain', 0)")
        conn.execute(
            "INSERT INTO articles(id, content_hash, source, blocks) VALUES('a2-plain', 'h', 'a2-plain.md', '[]')"
        )
    by_side = quotes_of_engagement(conn, "e-1", kn=kn)
    # the copy outside the engagement still counts as a source of its group's quote
    assert [(i.speaker, i.sources) for i in by_side["PRC"]] == [("Xi Jinping", ("a1", "a1-copy"))]
    assert quotes_of_engagement(conn, "e-2", kn=kn) == {"US": [], "PRC": []}
    conn.close()


def test_api_quotes_json_and_csv(db: Path) -> None:
    client = TestClient(create_app(db, allow_hosts=["testserver"]))
    r = client.get("/api/quotes", params={"speaker": "習近平"})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"total", "limit", "offset", "items"} and body["total"] == 1
    item = body["items"][0]
    for k in ("id", "speaker", "side", "text", "article_id", "title", "published", "outlet", "start", "end",
              "in_title", "engagement_id", "sources"):
        assert k in item
    assert item["engagement_id"] == "e-1" and item["sources"] == ["a1", "a1-copy"]
    r = client.get("/api/quotes", params={"format": "csv", "side": "US"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"] and "summitwatch-quotes-" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert {row["speaker"] for row in rows} == {"White House", "Donald Trump"}
    assert client.get("/api/quotes", params={"format": "xml"}).status_code == 422
    assert client.get("/api/quotes", params={"since": "yesterday"}).status_code == 422


def test_cli_quotes_prints_the_same(db: Path) -> None:
    r = CliRunner().invoke(main, ["quotes", "--db", str(db), "--speaker", "Xi Jinping", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["items"][0]["sources"] == ["a1", "a1-copy"]
    r = CliRunner().invoke(main, ["quotes", "--db", str(db), "--side", "US", "--since", "2021-01-01"])
    assert r.exit_code == 0 and "White House" in r.output and "Donald Trump" not in r.output
