"""HTTP API through a test client: every endpoint, pagination, filters, JSON errors, headers."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from summitwatch.api import create_app


@pytest.fixture(scope="module")
def client(iface_db: Path) -> TestClient:
    return TestClient(create_app(iface_db, allow_hosts=["testserver"]))


def test_articles_list_filters_and_pagination(client: TestClient) -> None:
    body = client.get("/api/articles").json()
    assert body["total"] == 6 and len(body["items"]) == 6
    assert body["items"][0]["published"] >= body["items"][1]["published"]  # newest first
    page = client.get("/api/articles", params={"limit": 2, "offset": 2}).json()
    assert page["limit"] == 2 and page["offset"] == 2 and len(page["items"]) == 2
    assert {i["id"] for i in page["items"]}.isdisjoint({i["id"] for i in body["items"][:2]})
    only = client.get("/api/articles", params={"outlet": "联合早报"}).json()
    assert [i["id"] for i in only["items"]] == ["a-blinken-wangyi"]
    by_person = client.get("/api/articles", params={"person": "Joe Biden"}).json()
    assert {i["id"] for i in by_person["items"]} == {"a-biden-xi-video", "a-biden-xi-copy"}
    for who in ("拜登", "joe biden"):  # the names the CLI filters take
        got = client.get("/api/articles", params={"person": who}).json()
        assert {i["id"] for i in got["items"]} == {"a-biden-xi-video", "a-biden-xi-copy"}, who
    in_2017 = client.get("/api/articles", params={"since": "2017", "until": "2017"}).json()
    assert [i["id"] for i in in_2017["items"]] == ["a-trump-xi-call"]
    topic = client.get("/api/articles", params={"topic": "climate"}).json()
    assert [i["id"] for i in topic["items"]] == ["a-biden-xi-video"]


def test_article_detail_carries_records(client: TestClient) -> None:
    d = client.get("/api/articles/a-blinken-wangyi").json()
    assert d["title"] == "王毅在北京会见布林肯"
    assert len(d["engagements"]) == 2
    assert {e["timeline_id"] for e in d["engagements"]} == {"tl-2023-blinken-wang", "tl-2023-blinken-xi"}
    assert any(m["key"] == "Wang Yi" for m in d["mentions"])
    assert d["text"].startswith("王毅在北京会见布林肯\n\n")
    q = client.get("/api/articles/a-biden-xi-video").json()
    assert q["quotes"][0]["speaker"] == "Xi Jinping"
    assert q["duplicates"] == ["a-biden-xi-copy"]


def test_engagement_and_timeline(client: TestClient) -> None:
    e = client.get("/api/engagements/tl-2021-biden-xi").json()
    assert e["us"] == ["Joe Biden"] and e["cn"] == ["Xi Jinping"] and e["modality"] == "video"
    assert len(e["records"]) == 1 and e["records"][0]["copies"] == ["a-biden-xi-copy"]  # copy folded in
    assert e["records"][0]["context"]["evidence"].startswith("國家主席習近平")
    assert e["data"]["alternatives"][0]["date"] == "2021-11-15"
    tl = client.get("/api/timeline").json()
    dates = [i["date"] for i in tl["items"]]
    assert tl["total"] == 5
    assert dates == sorted(d for d in dates if d) + [None] * dates.count(None)  # date order, undated last
    assert client.get("/api/timeline", params={"modality": "phone"}).json()["total"] == 1
    assert client.get("/api/timeline", params={"person": "Wang Yi"}).json()["total"] == 1
    assert client.get("/api/timeline", params={"topic": "trade"}).json()["total"] == 1
    # the names and cue words the CLI's timeline filters take work here too
    for who in ("王毅", "wang yi"):
        assert client.get("/api/timeline", params={"person": who}).json()["total"] == 1, who
    assert client.get("/api/timeline", params={"topic": "貿易戰"}).json()["total"] == 1
    assert client.get("/api/timeline", params={"outlet": "联合早报"}).json()["total"] == 2
    assert client.get("/api/timeline", params={"since": "2021-01-01", "until": "2021"}).json()["total"] == 1
    assert (
        client.get("/api/timeline", params={"limit": 1, "offset": 1}).json()["items"][0]["date"]
        == "2019-06-29"
    )


def test_people_and_person(client: TestClient) -> None:
    people = client.get("/api/people").json()["items"]
    assert people[0]["name"] == "Xi Jinping" and people[0]["engagements"] == 4
    assert {p["name"] for p in client.get("/api/people", params={"side": "US"}).json()["items"]} == {
        "Joe Biden",
        "Antony Blinken",
        "Donald Trump",
    }
    xi = client.get("/api/people/Xi Jinping").json()
    for other in ("習近平", "习近平", "xi jinping"):  # any name the officials data knows
        assert client.get(f"/api/people/{other}").json()["name"] == "Xi Jinping", other
    assert (
        xi["side"] == "PRC" and len(xi["engagements"]) == 4 and xi["quotes"][0]["text"] == "中美應該相互尊重"
    )


def test_search_and_stats(client: TestClient) -> None:
    s = client.get("/api/search", params={"q": "拜習會"}).json()
    assert (
        s["total"] == 1 and s["hits"][0]["id"] == "a-biden-xi-video" and "<mark>" in s["hits"][0]["snippet"]
    )
    assert client.get("/api/search", params={"q": "习近平", "outlet": "联合早报"}).json()["total"] == 1
    st = client.get("/api/stats").json()
    assert st["articles"] == 6 and st["quarantined"] == 2 and st["timeline_entries"] == 5
    assert st["outlets"]["眾新聞"] == 3 and st["per_month"]["2021-11"] == 2 and st["duplicates"] == 1


@pytest.mark.parametrize(
    "url",
    ["/api/articles/nope", "/api/engagements/nope", "/api/people/Nobody%20Here", "/api/nothing-here"],
)
def test_unknown_ids_are_json_404(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/json")
    assert "detail" in r.json()


@pytest.mark.parametrize(
    "url",
    [
        "/api/articles?limit=0",
        "/api/articles?limit=abc",
        "/api/articles?offset=-1",
        "/api/articles?since=yesterday",
        "/api/timeline?modality=carrier-pigeon",
        "/api/search",
        "/api/search?q=",
        "/api/people?side=Mars",
    ],
)
def test_bad_parameters_are_json_422(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/json")
    assert r.json()["detail"]


def test_openapi_and_security_headers(client: TestClient) -> None:
    r = client.get("/openapi.json")
    paths = r.json()["paths"]
    for p in (
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/engagements/{entry_id}",
        "/api/timeline",
        "/api/people",
        "/api/people/{name}",
        "/api/search",
        "/api/stats",
    ):
        assert p in paths
    for url in ("/api/stats", "/", "/api/articles/nope"):
        h = client.get(url).headers
        assert "default-src 'self'" in h["content-security-policy"]
        assert "unsafe-inline" not in h["content-security-policy"]
        assert h["x-content-type-options"] == "nosniff"
