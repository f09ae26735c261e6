"""Web pages: every page renders on the fixture store, escapes hostile content, switches script."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from summitwatch.api import create_app
from summitwatch.web.routes import safe_url

PAGES = [
    "/",
    "/?person=Xi+Jinping&modality=in_person&outlet=%E7%9C%BE%E6%96%B0%E8%81%9E&topic=trade&since=2017&until=2024",
    "/engagements/tl-2021-biden-xi",
    "/engagements/tl-2019-osaka",
    "/engagements/tl-2023-blinken-xi",
    "/people",
    "/people?side=US",
    "/people/Xi%20Jinping",
    "/people/Donald%20Trump",
    "/articles",
    "/articles?has_engagement=1&person=Donald+Trump",
    "/articles/a-hostile",
    "/articles/a-biden-xi-video",
    "/articles/a-undated",
    "/search",
    "/search?q=%E7%89%B9%E6%9C%97%E6%99%AE",
    "/search?q=%3Cscript%3Ealert(1)%3C/script%3E",
    "/corpus",
]


class TagAudit(HTMLParser):
    """Collects what an attacker would need: script tags, event-handler attributes, unsafe URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.marks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and not (a.get("src") or "").startswith("/static/"):
            self.problems.append(f"script tag {attrs}")
        if tag in ("img", "iframe", "object", "embed", "base", "meta") and tag != "meta":
            self.problems.append(f"{tag} tag")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}")
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                v = (value or "").strip().lower()
                if not v.startswith(("/", "?", "#", "http://", "https://")):
                    self.problems.append(f"{name}={value!r}")
        if tag == "a" and (a.get("href") or "").startswith("/engagements/"):
            self.marks.append(a["href"])


def audit(html: str) -> TagAudit:
    p = TagAudit()
    p.feed(html)
    return p


@pytest.fixture(scope="module")
def client(iface_db: Path) -> TestClient:
    return TestClient(create_app(iface_db, allow_hosts=["testserver"]))


@pytest.mark.parametrize("url", PAGES)
def test_page_renders_and_escapes(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    assert "Content-Security-Policy" in r.headers
    found = audit(r.text)
    assert found.problems == []
    assert "<script>alert" not in r.text and "<img" not in r.text


def test_hostile_article_content_is_shown_as_text(client: TestClient) -> None:
    html = client.get("/articles/a-hostile").text
    assert "&lt;script&gt;alert(" in html  # visible as text, not executed
    assert "onerror=&#34;alert(1)&#34;" in html
    assert "javascript:alert(document.cookie)" in html  # shown, never as a link
    assert 'href="javascript' not in html.lower()
    eng = client.get("/engagements/tl-2019-osaka").text
    assert "&lt;script&gt;" in eng and "<script>alert" not in eng


def test_timeline_marks_link_to_engagements(client: TestClient) -> None:
    html = client.get("/").text
    assert "<svg" in html
    links = set(audit(html).marks)
    assert {
        "/engagements/tl-2021-biden-xi",
        "/engagements/tl-2017-trump-xi",
        "/engagements/tl-2019-osaka",
    } <= links
    filtered = client.get("/", params={"person": "Wang Yi"}).text
    assert "/engagements/tl-2023-blinken-wang" in filtered and "/engagements/tl-2017-trump-xi" not in filtered


def test_engagement_page_sections(client: TestClient) -> None:
    html = client.get("/engagements/tl-2021-biden-xi").text
    for part in (
        "United States",
        "Republic of China",
        "Date provenance",
        "Alternative dates",
        "Status history",
        "Outlet comparison",
        "Quotes",
        '<mark class="evidence">',
        "taiwan",
        "<td>announced</td>",
        "雙方宣布將舉行視像會議。",
        "also in 1 near-duplicate copy",
    ):
        assert part in html


def test_article_page_highlights_mentions_and_evidence(client: TestClient) -> None:
    html = client.get("/articles/a-biden-xi-video").text
    assert 'href="/people/Joe%20Biden" class="evidence m-person">拜登</a>' in html
    assert 'class="evidence"' in html
    assert 'href="https://web.archive.org/web/2021/https://www.hkcnews.com/article/1/biden-xi"' in html
    assert "拜習會現場" in html  # figure caption


def test_script_switch_converts_and_is_remembered(client: TestClient) -> None:
    r = client.get("/articles/a-biden-xi-video", params={"script": "hans"})
    assert "习近平与拜登举行视像会议" in r.text and "習近平與拜登" not in r.text
    assert r.cookies.get("script") == "hans"
    client.cookies.set("script", "hans")
    again = client.get("/articles/a-biden-xi-video")
    client.cookies.clear()
    assert "习近平与拜登举行视像会议" in again.text
    trad = client.get("/articles/a-blinken-wangyi", params={"script": "hant"})
    assert "王毅在北京會見布林肯" in trad.text
    orig = client.get("/articles/a-blinken-wangyi", params={"script": "orig"})
    assert "王毅在北京会见布林肯" in orig.text


def test_search_page_other_script(client: TestClient) -> None:
    html = client.get("/search", params={"q": "习近平", "person": "Joe Biden"}).text
    assert "/articles/a-biden-xi-video" in html and "<mark>習近平</mark>" in html
    assert "/articles/a-blinken-wangyi" not in html


def test_corpus_page(client: TestClient) -> None:
    html = client.get("/corpus").text
    for part in (
        "Articles per month",
        "眾新聞",
        "Quarantine",
        "bad/empty.md",
        "binary",
        "Duplicates",
        "<rect",
    ):
        assert part in html


@pytest.mark.parametrize(
    "url,status",
    [
        ("/engagements/nope", 404),
        ("/people/Nobody", 404),
        ("/articles/nope", 404),
        ("/no/such/page", 404),
        ("/?since=soon", 422),
    ],
)
def test_errors_are_html_pages(client: TestClient, url: str, status: int) -> None:
    r = client.get(url)
    assert r.status_code == status and r.headers["content-type"].startswith("text/html")


def test_static_assets_served_locally(client: TestClient) -> None:
    assert client.get("/static/style.css").status_code == 200
    js = client.get("/static/app.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]


@pytest.mark.parametrize(
    "url,ok",
    [
        ("https://example.org/a", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\nscript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("//evil.example/x", False),
        ("/relative", False),
        ("vbscript:msgbox", False),
        (None, False),
    ],
)
def test_safe_url(url: str | None, ok: bool) -> None:
    assert (safe_url(url) is not None) is ok


def test_person_page_offices_from_knowledge(client: TestClient) -> None:
    from summitwatch.store.query.people import _knowledge_person

    _, _, offices = _knowledge_person("Antony Blinken")
    if not offices:
        pytest.skip("the knowledge files do not list Antony Blinken's offices")
    html = client.get("/people/Antony%20Blinken").text
    assert "Secretary of State" in html and "2021-01-26" in html
    api = client.get("/api/people/Antony Blinken").json()
    assert any(o["office"] == "us.secretary_of_state" for o in api["offices"])


def test_article_address_takes_an_id_prefix_like_show(client: TestClient) -> None:
    """/articles/<prefix> redirects to the article (as `summitwatch show` accepts a prefix); an
    unknown reference stays a 404."""
    r = client.get("/articles/a-hostil", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/articles/a-hostile"
    assert client.get("/articles/no-such-article").status_code == 404
