"""Where quotes show on the web: an engagement page lists each side's quotes once, by side; a person page
lists the person's quotes by date; both follow the 简/繁 switch.

A small hand-written store: one story in two near-duplicate copies (the same Xi quote twice), a White
House quote (a body of a participant's government), an older Xi quote in another article, and a quote
by someone outside the engagement.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from quote_store_fixture import build_quote_store

from summitwatch.api import create_app

ARTICLES = [  # id, published, title, duplicate_of
    ("a1", "2021-11-16T10:00:00+08:00", "習近平與拜登舉行視像會晤", None),
    ("a1-copy", "2021-11-16T12:00:00+08:00", "習近平與拜登舉行視像會晤", "a1"),
    ("a0", "2019-06-29T09:00:00+08:00", "習近平在大阪會見特朗普", None),
]
XI_2021 = "台灣問題關係中國核心利益，與東亞和平息息相關"
XI_2019 = "中美合作是唯一正確的選擇，兩國會繼續溝通"
WH = "兩國元首就共同關心的問題坦率交換了意見"
QUOTES = [  # article, seq, speaker, side, text
    ("a1", 0, "Xi Jinping", "PRC", XI_2021),
    ("a1", 1, "White House", "US", WH),
    ("a1-copy", 0, "Xi Jinping", "PRC", XI_2021),
    ("a0", 0, "Xi Jinping", "PRC", XI_2019),
    ("a0", 1, "Donald Trump", "US", "我們與中國的關係非常好"),
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    path = build_quote_store(tmp_path_factory.mktemp("quote-pages") / "q.db",
                             [(aid, pub, "眾新聞", title, dup) for aid, pub, title, dup in ARTICLES],
                             [(*row, 0) for row in QUOTES])
    return TestClient(create_app(path, allow_hosts=["testserver"]))


def _quotes_section(html: str) -> str:
    m = re.search(r"<section><h2>Quotes</h2>(.*?)</section>", html, re.S)
    assert m, "no Quotes section"
    return m.group(1)


def test_engagement_page_shows_each_sides_quotes_once_by_side(client: TestClient) -> None:
    r = client.get("/engagements/e-1", params={"script": "orig"})
    assert r.status_code == 200
    sec = _quotes_section(r.text)
    assert sec.count(XI_2021) == 1  # two copies of the story: one quote
    assert sec.count(WH) == 1  # the White House speaks for the US participant's government
    assert XI_2019 not in sec and "我們與中國的關係非常好" not in sec  # other articles, other meetings
    us, prc = sec.index("United States"), sec.index("People&#39;s Republic of China")
    assert us < sec.index(WH) < prc < sec.index(XI_2021)


def test_person_page_lists_quotes_once_by_date(client: TestClient) -> None:
    sec = _quotes_section(client.get("/people/Xi Jinping", params={"script": "orig"}).text)
    assert sec.count(XI_2021) == 1 and sec.count(XI_2019) == 1
    assert sec.index(XI_2019) < sec.index(XI_2021)  # oldest first
    assert WH not in sec


@pytest.mark.parametrize("path", ["/engagements/e-1", "/people/Xi Jinping"])
def test_quotes_and_names_follow_the_simplified_switch(client: TestClient, path: str) -> None:
    html = client.get(path, params={"script": "hans"}).text
    sec = _quotes_section(html)
    assert "台湾问题关系中国核心利益，与东亚和平息息相关" in sec
    assert not set("國會東與灣") & set(sec), sorted(set("國會東與灣") & set(sec))
    if path.startswith("/engagements"):
        assert "习近平" in sec  # the speaker's Chinese name, converted
    client.cookies.clear()
