"""The analyst's desk (issue 14): flags, who raised what, counterparts, exports, script switch, URLs."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from desk_fixture import ALASKA_1, build_desk_db
from fastapi.testclient import TestClient

from summitwatch.api import create_app
from summitwatch.articles.urls import repaired_archive_url
from summitwatch.model import Flags
from summitwatch.run.steps import refresh_flags, refresh_missing_flags
from summitwatch.store.db import connect
from summitwatch.store.export import TIMELINE_CSV_COLUMNS
from summitwatch.store.query.hits import EngagementLabel, engagement_labels
from summitwatch.store.query.raised import Span, not_subject_after, raising_verbs, raisings
from summitwatch.store.query.timeline import read_flags
from summitwatch.timeline.flags import Report, compute_flags
from summitwatch.web.charts import default_zoom, extent, parse_zoom
from summitwatch.web.labels import human_date, human_date_zh, human_time, topic_label

TRAD_ONLY = "國會東與灣"


@pytest.fixture(scope="module")
def desk_db(iface_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_desk_db(iface_db, tmp_path_factory.mktemp("desk") / "desk.db")


@pytest.fixture(scope="module")
def client(desk_db: Path) -> TestClient:
    return TestClient(create_app(desk_db, allow_hosts=["testserver"]))


# --------------------------------------------------------------------------- flags (pure)
def _r(aid: str, group: str | None = None, **kw: object) -> Report:
    return Report(aid, group or aid, **kw)  # type: ignore[arg-type]


def test_single_source_is_one_near_duplicate_group() -> None:
    assert compute_flags([_r("a"), _r("b", "a")]).single_source  # a copy of a: still one story
    assert not compute_flags([_r("a"), _r("b")]).single_source
    assert not compute_flags([]).single_source


def test_dates_one_day_apart_are_framing_not_a_dispute() -> None:
    f = compute_flags([_r("a", date="2021-11-16"), _r("b", date="2021-11-15")])
    assert f.disputed == ()
    f = compute_flags([_r("a", date="2021-03-18"), _r("b", date="2021-03-21"), _r("c", date="2021-03-18")])
    assert f.disputed == (
        {"field": "date", "values": [{"value": "2021-03-18", "sources": ["a", "c"]}, {"value": "2021-03-21", "sources": ["b"]}]},
    )


def test_a_stated_span_covers_its_days() -> None:
    both = [_r("a", date="2017-04-06", date_end="2017-04-07"), _r("b", date="2017-04-07"), _r("c", date="2017-04-08")]
    assert compute_flags(both).disputed == ()  # the 8th is a day from the span's end: framing
    late = [*both, _r("d", date="2017-04-10")]
    (d,) = compute_flags(late).disputed
    assert d["field"] == "date" and d["values"][-1] == {"value": "2017-04-10", "sources": ["d"]}


def test_statuses_disagree_only_on_the_same_day() -> None:
    lifecycle = [_r("a", status="planned", published_day="2021-11-10"), _r("b", status="held", published_day="2021-11-16")]
    assert compute_flags(lifecycle, "2021-11-16").disputed == ()
    # the day itself: a preview in the morning, the readout at night
    same_day = [_r("a", status="planned", published_day="2021-11-16"), _r("b", status="held", published_day="2021-11-16")]
    assert compute_flags(same_day, "2021-11-16").disputed == ()
    after = [_r("a", status="planned", published_day="2021-11-18"), _r("b", status="held", published_day="2021-11-18")]
    assert compute_flags(after, "2021-11-16").disputed[0]["field"] == "status"
    clash = [_r("a", status="held", published_day="2021-11-16"), _r("b", status="cancelled", published_day="2021-11-16")]
    (d,) = compute_flags(clash).disputed
    assert d["field"] == "status" and [v["value"] for v in d["values"]] == ["cancelled", "held"]


def test_participants_that_share_no_one_on_a_side_are_disputed() -> None:
    overlap = [_r("a", us=("Joe Biden",)), _r("b", us=("Joe Biden", "Antony Blinken"))]
    assert compute_flags(overlap).disputed == ()
    apart = [_r("a", cn=("Wang Yi",), us=("Antony Blinken",)), _r("b", cn=("Yang Jiechi",), us=("Antony Blinken",))]
    (d,) = compute_flags(apart).disputed
    assert d["field"] == "cn" and {v["value"] for v in d["values"]} == {"Wang Yi", "Yang Jiechi"}
    bridged = [*apart, _r("c", cn=("Wang Yi", "Yang Jiechi"))]  # one delegation, partial lists
    assert compute_flags(bridged).disputed == ()


def test_flags_are_stored_by_refresh_and_computed_when_missing(desk_db: Path, tmp_path: Path) -> None:
    conn = connect(desk_db)
    stored = conn.execute("SELECT single_source, disputed FROM timeline WHERE id='tl-2021-alaska'").fetchone()
    assert stored[0] == 0 and json.loads(stored[1])[0]["field"] == "date"
    conn.close()
    # an entry stored without flags (a timeline written before the columns existed): the read layer
    # only reads (the server opens the store read-only), the timeline step fills them in
    path = tmp_path / "missing.db"
    path.write_bytes(desk_db.read_bytes())
    conn = connect(path)
    with conn:
        conn.execute("UPDATE timeline SET single_source = NULL, disputed = NULL WHERE id = 'tl-2021-biden-xi'")
    assert read_flags(conn, ["tl-2021-biden-xi"])["tl-2021-biden-xi"] == Flags(False)
    assert refresh_missing_flags(conn) == 1 and refresh_missing_flags(conn) == 0
    assert read_flags(conn, ["tl-2021-biden-xi"])["tl-2021-biden-xi"].single_source
    conn.close()
    client = TestClient(create_app(path, allow_hosts=["testserver"]))
    assert client.get("/api/engagements/tl-2021-biden-xi").json()["single_source"] is True


def test_write_timeline_persists_flags(tmp_path: Path, iface_db: Path) -> None:
    path = build_desk_db(iface_db, tmp_path / "w.db")
    conn = connect(path)
    with conn:
        assert refresh_flags(conn) == conn.execute("SELECT count(*) FROM timeline").fetchone()[0]
    assert conn.execute("SELECT count(*) FROM timeline WHERE single_source IS NULL").fetchone()[0] == 0
    conn.close()


# --------------------------------------------------------------------------- raised (pure rule)
def test_raising_subject_is_the_nearest_name_and_objects_stop_at_the_next_name() -> None:
    s = "拜登提出台灣問題，習近平強調香港"
    persons = [Span(0, 2, "Joe Biden"), Span(9, 12, "Xi Jinping")]
    topics = [Span(4, 6, "taiwan"), Span(14, 16, "hong_kong")]
    assert raisings(s, persons, topics, ("提出", "强调")) == [("Joe Biden", "taiwan")]
    verbs = raising_verbs()
    assert {"提出", "提及", "强调", "表达关切", "谈到"} <= set(verbs)  # from data/cues.yaml, Simplified
    assert "与" in not_subject_after()
    assert set(raisings(s.replace("強調", "强调"), persons, topics, verbs)) == {
        ("Joe Biden", "taiwan"),
        ("Xi Jinping", "hong_kong"),
    }


def _spans(text: str, names: dict[str, str]) -> list[Span]:
    return [Span(text.index(k), text.index(k) + len(k), v) for k, v in names.items()]


def test_a_partner_after_a_coordinator_is_not_the_subject() -> None:
    s = "布林肯31日与王毅会面，强调香港问题"
    persons = _spans(s, {"布林肯": "Antony Blinken", "王毅": "Wang Yi"})
    topics = _spans(s, {"香港": "hong_kong"})
    assert raisings(s, persons, topics, ("强调",), ("与",)) == [("Antony Blinken", "hong_kong")]


def test_a_clause_with_its_own_subject_does_not_borrow_a_name() -> None:
    s = "但在川习会前两日内，美国高层官员三次提及台湾关系法"
    persons = [Span(3, 4, "Xi Jinping")]  # 習 inside 川習會: a one-character short form
    topics = _spans(s, {"台湾": "taiwan"})
    assert raisings(s, persons, topics, ("提及",)) == []
    s2 = "拜登在会上发言，美国高层官员三次提及台湾"
    assert raisings(s2, _spans(s2, {"拜登": "Joe Biden"}), _spans(s2, {"台湾": "taiwan"}), ("提及",)) == []
    s3 = "拜登在会上发言，同时强调台湾"  # the clause opens with the verb: the previous subject carries
    assert raisings(s3, _spans(s3, {"拜登": "Joe Biden"}), _spans(s3, {"台湾": "taiwan"}), ("强调",)) == [
        ("Joe Biden", "taiwan")
    ]


def test_no_subject_before_the_verb_raises_nothing() -> None:
    assert raisings("提出台灣問題的是記者", [Span(8, 10, "Joe Biden")], [Span(2, 4, "taiwan")], ("提出",)) == []


def test_raised_api_and_page(client: TestClient) -> None:
    items = client.get("/api/raised").json()["items"]
    cells = {(i["year"], i["side"], i["topic"]): i for i in items}
    assert {("2021", "US", "hong_kong"), ("2021", "US", "xinjiang"), ("2021", "PRC", "taiwan"), ("2021", "PRC", "xinjiang")} <= set(cells)
    us_hk = cells[("2021", "US", "hong_kong")]
    assert us_hk["count"] == 1 and us_hk["engagement_ids"] == ["tl-2021-alaska"]
    sid = us_hk["sentence_ids"][0]
    aid, span = sid.split(":")
    start, end = map(int, span.split("-"))
    text = "\n\n".join([ALASKA_1["title"], *ALASKA_1["paras"]])
    assert aid == "a-desk-alaska-1" and "提出香港問題" in text[start:end]
    assert ("2021", "US", "taiwan") in cells  # Blinken's quote names the Taiwan Strait
    assert {i["side"] for i in client.get("/api/raised", params={"side": "PRC"}).json()["items"]} == {"PRC"}
    assert client.get("/api/raised", params={"person": "Wang Yi", "side": "US"}).json()["items"] == []
    assert client.get("/api/raised", params={"until": "2020"}).json()["items"] == []
    html = client.get("/raised", params={"year": "2021", "topic": "hong_kong", "cside": "US"}).text
    assert 'id="sentences"' in html and "提出香港問題" in html and "/engagements/tl-2021-alaska" in html


def test_counterparts(client: TestClient) -> None:
    items = client.get("/api/counterparts").json()["items"]
    pairs = {(i["us"], i["cn"]): i for i in items}
    assert pairs[("Donald Trump", "Xi Jinping")]["phone"] == 1
    assert pairs[("Donald Trump", "Xi Jinping")]["in_person"] == 0  # Osaka was only planned
    assert pairs[("Antony Blinken", "Wang Yi")] == {
        "us": "Antony Blinken", "cn": "Wang Yi", "in_person": 2, "phone": 0, "video": 0,
        "engagement_ids": ["tl-2021-alaska", "tl-2023-blinken-wang"][::-1],
    }  # fmt: skip
    assert {(i["us"], i["cn"]) for i in client.get("/api/counterparts", params={"since": "2022"}).json()["items"]} == {
        ("Antony Blinken", "Wang Yi")
    }
    html = client.get("/counterparts").text
    assert "/engagements?ids=tl-2023-blinken-wang%2Ctl-2021-alaska" in html
    listed = client.get("/engagements", params={"ids": "tl-2023-blinken-wang,tl-2021-alaska"}).text
    assert listed.count('href="/engagements/tl-') >= 2


# --------------------------------------------------------------------------- reports and flags in pages/API
def test_reports_count_is_the_same_everywhere(client: TestClient) -> None:
    row = next(i for i in client.get("/api/timeline").json()["items"] if i["id"] == "tl-2021-biden-xi")
    assert (row["reports"], row["copies"], row["single_source"]) == (1, 1, True)
    api = client.get("/api/engagements/tl-2021-biden-xi").json()
    assert (api["reports"], api["copies"], api["single_source"]) == (1, 1, True)
    page = client.get("/engagements/tl-2021-biden-xi").text
    assert "Reports (1 + 1 copy)" in page
    home = client.get("/").text
    tr = home[home.index('data-id="tl-2021-biden-xi"') :]
    assert re.search(r'<td class="num">1 <span class="muted"[^>]*>\+1</span>', tr[: tr.index("</tr>")])


def test_disputed_badge_explains_and_links_to_sources(client: TestClient) -> None:
    row = next(i for i in client.get("/api/timeline").json()["items"] if i["id"] == "tl-2021-alaska")
    assert row["single_source"] is False
    assert row["disputed"] == [
        {"field": "date", "values": [
            {"value": "2021-03-18", "sources": ["a-desk-alaska-1"]}, {"value": "2021-03-21", "sources": ["a-desk-alaska-2"]},
        ]}
    ]  # fmt: skip
    home = client.get("/").text
    assert 'href="/engagements/tl-2021-alaska#disputed"' in home and "disputed date" in home
    assert 'class="badge flag-single"' in home and "nothing independent confirms it" in home
    page = client.get("/engagements/tl-2021-alaska").text
    assert 'id="disputed"' in page and 'href="/articles/a-desk-alaska-2"' in page and "21 Mar 2021" in page


def test_engagement_page_has_no_internals(client: TestClient) -> None:
    for eid in ("tl-2021-biden-xi", "tl-2021-alaska", "tl-2019-osaka"):
        html = client.get(f"/engagements/{eid}").text
        for leak in ("seq", ".md", "framing.yaml", "date_bounds", "topics_by_side", "True", "False", "T00:00"):
            assert leak not in html, (eid, leak)
        assert html.count("<h2>Topics</h2>") <= 1 and html.count("<h2>Quotes</h2>") == 1


def test_timeline_table_sorts_newest_first_and_by_any_column(client: TestClient) -> None:
    def ids(html: str) -> list[str]:
        return re.findall(r'<tr data-id="([^"]+)"', html)

    default = ids(client.get("/").text)
    assert default[0] == "tl-2023-blinken-wang" and default[-1] == "tl-2023-blinken-xi"  # undated last
    oldest = ids(client.get("/", params={"sort": "date", "dir": "asc"}).text)
    assert oldest[0] == "tl-2003-wen-bush"
    by_reports = ids(client.get("/", params={"sort": "reports", "dir": "desc"}).text)
    assert by_reports[0] == "tl-2021-alaska"
    by_us = ids(client.get("/", params={"sort": "us", "dir": "asc"}).text)
    assert by_us[0].startswith(("tl-2023-blinken", "tl-2021-alaska")) and by_us[-1] == "tl-2021-biden-xi"
    assert 'aria-sort="ascending"' in client.get("/", params={"sort": "us", "dir": "asc"}).text


def test_default_zoom_holds_the_recent_half_and_folds_older_years(client: TestClient) -> None:
    html = client.get("/").text
    assert '<strong id="zoom-label">2021–2023</strong>' in html
    assert 'class="strip"' in html and "2003–2020" in html
    whole = client.get("/", params={"zoom": "all"}).text
    assert '<strong id="zoom-label">2003–2023</strong>' in whole and 'class="strip"' not in whole
    assert 'class="mark span' in whole  # the 2003 entry known to the year is a hatched span


def test_zoom_helpers() -> None:
    from summitwatch.model import TimelineEntry

    def e(date: str | None = None, approx: str | None = None) -> TimelineEntry:
        return TimelineEntry("x", [], [], "phone", "held", date=date, date_approx=approx)

    entries = [e("1972-02-21"), e("2017-04-06"), e("2021-11-16"), e("2022-11-14"), e(approx="2023-06")]
    assert default_zoom(entries) == (2021, 2023)
    assert parse_zoom("1990-2030", entries) == (1990, 2023) and parse_zoom("all", entries) == (1972, 2023)
    x = extent(e(approx="2023-06"))
    assert x is not None and x.approx and (x.start.isoformat(), x.end.isoformat()) == ("2023-06-01", "2023-06-30")


# --------------------------------------------------------------------------- exports
def test_timeline_csv_export(client: TestClient) -> None:
    r = client.get("/api/timeline", params={"format": "csv", "modality": "in_person"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(r'attachment; filename="summitwatch-timeline-\d{8}\.csv"', r.headers["content-disposition"])
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == TIMELINE_CSV_COLUMNS
    by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(by_id) == {"tl-2023-blinken-wang", "tl-2023-blinken-xi", "tl-2019-osaka", "tl-2021-alaska", "tl-2003-wen-bush"}
    assert by_id["tl-2021-alaska"]["disputed"] == "date" and by_id["tl-2021-alaska"]["reports"] == "2"
    assert by_id["tl-2023-blinken-wang"]["single_source"] == "true"
    assert by_id["tl-2003-wen-bush"]["date_approx"] == "2003"
    assert by_id["tl-2021-alaska"]["first_source_url"] == "https://www.hkcnews.com/article/41000"


def test_exports_hold_every_row_not_one_page(client: TestClient) -> None:
    r = client.get("/api/timeline", params={"format": "json", "limit": 1})
    assert r.headers["content-type"] == "application/json" and len(r.json()) == 7
    names = client.get("/api/timeline", params={"format": "csv", "person": "Antony Blinken"}).content.decode("utf-8-sig")
    assert "Antony Blinken" in names
    joined = client.get("/api/counterparts", params={"format": "csv"}).content.decode("utf-8-sig")
    assert "tl-2023-blinken-wang; tl-2021-alaska" in joined
    raised = client.get("/api/raised", params={"format": "json"})
    assert re.fullmatch(r'attachment; filename="summitwatch-raised-\d{8}\.json"', raised.headers["content-disposition"])
    assert {"year", "side", "topic", "count", "engagement_ids", "sentence_ids"} == set(raised.json()[0])
    search = client.get("/api/search", params={"q": "習近平", "format": "csv"})
    assert search.status_code == 200 and search.content.decode("utf-8-sig").startswith("id,published,outlet,title")
    assert client.get("/api/timeline", params={"format": "xml"}).status_code == 422
    assert client.get("/api/raised", params={"format": "ics"}).status_code == 422


def test_ics_export(client: TestClient) -> None:
    r = client.get("/api/timeline", params={"format": "ics"})
    assert r.headers["content-type"].startswith("text/calendar")
    body = r.content.decode("utf-8")
    events = body.split("BEGIN:VEVENT")[1:]
    assert len(events) == 5  # dated entries only: not the undated one nor the one known to the year
    osaka = next(e for e in events if "tl-2019-osaka" in e)
    assert "STATUS:TENTATIVE" in osaka and "DTSTART;VALUE=DATE:20190629" in osaka
    assert all("\r\n" in e for e in events)


def test_download_buttons_carry_the_page_filters(client: TestClient) -> None:
    html = client.get("/", params={"person": "Antony Blinken", "zoom": "all"}).text
    assert 'href="/api/timeline?person=Antony+Blinken&amp;sort=date&amp;dir=desc&amp;format=csv"' in html
    assert 'href="/api/raised?side=US&amp;format=csv"' in client.get("/raised", params={"side": "US"}).text
    assert 'href="/api/counterparts?since=2020&amp;format=json"' in client.get("/counterparts", params={"since": "2020"}).text
    assert "/api/search?q=" in client.get("/search", params={"q": "拜登"}).text
    person = client.get("/people/Xi%20Jinping").text
    assert 'href="/api/timeline?person=Xi+Jinping&amp;sort=date&amp;dir=desc&amp;format=ics"' in person


def test_cli_export_timeline_uses_the_same_writer(desk_db: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from summitwatch.cli import main

    out = tmp_path / "t.csv"
    res = CliRunner().invoke(main, ["export", "timeline", "--db", str(desk_db), "--format", "csv", "-o", str(out)])
    assert res.exit_code == 0, res.output
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.decode("utf-8-sig").splitlines()[0] == ",".join(TIMELINE_CSV_COLUMNS)


# --------------------------------------------------------------------------- script switch and labels
PAGES = [
    "/", "/?zoom=all", "/raised", "/raised?year=2021&topic=taiwan&cside=PRC", "/counterparts",
    "/engagements/tl-2021-biden-xi", "/engagements/tl-2021-alaska", "/engagements/tl-2019-osaka",
    "/engagements?ids=tl-2021-alaska", "/people", "/people/Xi%20Jinping", "/people/Antony%20Blinken", "/articles",
    "/articles/a-biden-xi-video", "/articles/a-desk-alaska-1", "/articles/a-hostile", "/search",
    "/search?q=%E7%BE%8E%E5%9C%8B", "/search?q=%E7%BE%8E%E5%9C%8B&sort=date", "/search?q=%E6%9C%83%E8%AB%87", "/corpus",
]  # fmt: skip


class Visible(HTMLParser):
    """Text a reader sees: text nodes and the title/placeholder/aria-label attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts += [v or "" for k, v in attrs if k in ("title", "placeholder", "aria-label", "alt")]

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible(html: str) -> str:
    p = Visible()
    p.feed(html)
    return "\n".join(p.parts)


@pytest.mark.parametrize("url", PAGES)
def test_every_page_follows_the_script_switch(client: TestClient, url: str) -> None:
    sep = "&" if "?" in url else "?"
    hans = client.get(url + sep + "script=hans")
    assert hans.status_code == 200
    text = visible(hans.text)
    leaks = sorted({c for c in text if c in TRAD_ONLY} - {"繁"})
    assert not leaks, (url, leaks, [line for line in text.splitlines() if any(c in line for c in leaks)][:5])
    hant = visible(client.get(url + sep + "script=hant").text)
    assert not any(c in hant for c in "国会东与湾"), url
    client.cookies.clear()


def _hit_ids(html: str) -> list[str]:
    return re.findall(r'<li class="hit" data-id="([^"]+)"', html)


@pytest.mark.parametrize("query", ["美國", "會談", "布林肯"])
def test_search_hits_follow_the_script_switch(client: TestClient, query: str) -> None:
    """Titles, snippets, outlets, engagement labels and names of the hits, with the <mark>s kept."""
    hans = client.get("/search", params={"q": query, "script": "hans"}).text
    hant = client.get("/search", params={"q": query, "script": "hant"}).text
    client.cookies.clear()
    assert _hit_ids(hans) and _hit_ids(hans) == _hit_ids(hant)
    results = visible(hans[hans.index('<ol class="results"') :])
    assert not set(TRAD_ONLY) & set(results), [line for line in results.splitlines() if set(TRAD_ONLY) & set(line)][:5]
    assert not set("国会东与湾") & set(visible(hant[hant.index('<ol class="results"') :]))
    marked = re.findall(r"<mark>([^<]+)</mark>", hans)
    assert marked and all(m == _simplified(query) for m in marked)  # highlighting survives the conversion
    assert all(m == _traditional(query) for m in re.findall(r"<mark>([^<]+)</mark>", hant))


def _simplified(text: str) -> str:
    return text.translate(str.maketrans("國會談", "国会谈"))


def _traditional(text: str) -> str:
    return text.translate(str.maketrans("国会谈", "國會談"))


def test_search_titles_and_snippets_convert_both_ways(client: TestClient) -> None:
    hans = client.get("/search", params={"q": "會談", "script": "hans"}).text
    hant = client.get("/search", params={"q": "会谈", "script": "hant"}).text
    client.cookies.clear()
    assert "中美阿拉斯加<mark>会谈</mark>火药味浓" in hans  # a Traditional headline in Simplified
    assert "中美高層在安克雷奇<mark>會談</mark>" in hant  # a Simplified headline in Traditional
    assert "聯合早報" in hant and "联合早报" in hans


def test_search_sorts_by_relevance_or_date(client: TestClient) -> None:
    by_rank = client.get("/search", params={"q": "美國"}).text
    by_date = client.get("/search", params={"q": "美國", "sort": "date"}).text
    assert sorted(_hit_ids(by_rank)) == sorted(_hit_ids(by_date)) and len(_hit_ids(by_date)) == 5
    days = re.findall(r'<div class="hit-meta"><time datetime="([\d-]+)">', by_date)
    assert len(days) == 5 and days == sorted(days, reverse=True)  # newest first
    assert _hit_ids(by_rank) != _hit_ids(by_date)
    assert '<option value="date" selected>' in by_date and '<option value="relevance" selected>' in by_rank
    assert 'class="on" aria-current="true">newest first</a>' in by_date
    assert "score " in by_rank and "score " not in by_date  # a score means nothing in date order
    assert 'href="/api/search?q=%E7%BE%8E%E5%9C%8B&amp;sort=date&amp;format=csv"' in by_date  # exports this order
    assert client.get("/search", params={"q": "美國", "sort": "oldest"}).status_code == 422


def test_search_hits_link_their_engagements_and_people(client: TestClient) -> None:
    html = client.get("/search", params={"q": "安克雷奇", "script": "hans"}).text
    client.cookies.clear()
    assert set(_hit_ids(html)) == {"a-desk-alaska-1", "a-desk-alaska-2"}
    label = (
        '<a class="engagement" href="/engagements/tl-2021-alaska"><time datetime="2021-03-18">18 Mar 2021</time>'
        ' · Antony Blinken – Wang Yi<span class="muted"> · in person</span></a>'
    )
    assert html.count(label) == 2  # both reports of the Anchorage talks link the one engagement
    assert '<a href="/people/Antony%20Blinken">Antony Blinken</a> <span class="zh">布林肯</span>' in html
    assert '<a href="/people/Wang%20Yi">Wang Yi</a> <span class="zh">王毅</span>' in html
    osaka = client.get("/search", params={"q": "大阪"}).text
    assert "Donald Trump – Xi Jinping" in osaka and "in person, planned" in osaka  # status when not held
    undated = client.get("/search", params={"q": "布林肯", "sort": "date"}).text
    assert 'href="/engagements/tl-2023-blinken-xi">undated · Antony Blinken – Xi Jinping' in undated


def test_search_help_describes_phrases_terms_quotes_and_exclusion(client: TestClient) -> None:
    text = visible(client.get("/search").text)
    assert "Words are AND-ed" not in text
    assert "A run of Chinese characters is one phrase" in text and "Spaces separate terms" in text
    assert '"quoted text"' in text and "-word" in text


def test_search_export_carries_engagements_and_people(client: TestClient) -> None:
    rows = list(csv.DictReader(io.StringIO(
        client.get("/api/search", params={"q": "布林肯", "sort": "date", "format": "csv"}).content.decode("utf-8-sig")
    )))  # fmt: skip
    page = _hit_ids(client.get("/search", params={"q": "布林肯", "sort": "date"}).text)
    assert [r["id"] for r in rows] == page  # what the page shows, in its order
    first = rows[0]
    assert first["engagements"] == "tl-2023-blinken-wang; tl-2023-blinken-xi"
    assert set(first["people"].split("; ")) == {"Xi Jinping", "Wang Yi", "Antony Blinken"}


def test_engagement_labels_come_from_one_query(desk_db: Path) -> None:
    conn = connect(desk_db)
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        labels = engagement_labels(conn, ["tl-2021-alaska", "tl-gone", "tl-2003-wen-bush", "tl-2021-alaska", ""])
        assert engagement_labels(conn, []) == {}  # no ids: no query at all
    finally:
        conn.set_trace_callback(None)
        conn.close()
    assert len(statements) == 1
    assert set(labels) == {"tl-2021-alaska", "tl-2003-wen-bush"}  # an id no longer in the timeline is absent
    assert labels["tl-2021-alaska"] == EngagementLabel(
        "tl-2021-alaska", "2021-03-18", None, None, "in_person", "held", ("Antony Blinken",), ("Wang Yi",), "Alaska talks"
    )
    assert labels["tl-2003-wen-bush"].date_approx == "2003" and labels["tl-2003-wen-bush"].date is None


def test_names_appear_in_chinese_beside_english(client: TestClient) -> None:
    html = client.get("/", params={"script": "hans"}).text
    client.cookies.clear()
    assert 'Xi Jinping</a> <span class="zh">习近平</span>' in html
    assert "Taiwan 台湾" in html  # the topic filter's label, both languages


def test_labels_and_dates() -> None:
    assert human_date("2021-03-18") == "18 Mar 2021" and human_date_zh("2021-03-18") == "2021年3月18日"
    assert human_date("2021-03") == "Mar 2021" and human_date_zh("2021") == "2021年"
    assert human_time("2021-03-11T09:30:00+08:00") == "11 Mar 2021, 09:30"
    assert human_time("2021-03-11T00:00:00+08:00") == "11 Mar 2021"
    assert topic_label("hong_kong") == ("Hong Kong", "香港")


def test_article_page_headline_and_repaired_archive_link(client: TestClient) -> None:
    html = client.get("/articles/a-desk-alaska-1").text
    assert '<h1 class="headline">中美阿拉斯加會談火藥味濃</h1>' in html
    assert 'href="https://web.archive.org/web/20210319000000/https://www.hkcnews.com/article/41000"' in html
    assert "%EF%BF%BD" not in html
    raw = client.get("/api/articles/a-desk-alaska-1").json()
    assert raw["archived_url"] == ALASKA_1["archived_url"] and raw["original_url"] == ALASKA_1["original_url"]


def test_repaired_archive_url() -> None:
    damaged = "https://web.archive.org/web/20210712054633/https://www.hkcnews.com/article/47751/" + "%EF%BF%BD" * 9
    canon = "https://www.hkcnews.com/article/47751"
    assert repaired_archive_url(damaged, canon) == f"https://web.archive.org/web/20210712054633/{canon}"
    fine = "https://web.archive.org/web/2021/https://www.hkcnews.com/article/1/biden-xi"
    assert repaired_archive_url(fine, canon) == fine  # not damaged: unchanged
    assert repaired_archive_url(damaged, None) == damaged  # nothing to rebuild from
    today = "https://archive.ph/20210712054633/https://www.hkcnews.com/article/47751/" + "\ufffd" * 5
    assert repaired_archive_url(today, canon) == today  # an archive without a /web/ base is kept
