"""The analyst's desk in a real browser (issue 14): Debian's chromium driven by Playwright for Python.

No browser is ever downloaded (``playwright install`` is never run): the tests launch the system
``/usr/bin/chromium`` (``scripts/setup.sh`` installs it with apt where apt works). Without it, or
without the ``playwright`` package, the tests skip — except under ``CI=true``, where a missing
browser is a failure, so CI cannot pass by skipping them.

The server runs in a thread over the desk fixture store (``desk_fixture.py``), never the corpus.
Screenshots go to ``bench/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import csv
import io
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from desk_fixture import build_desk_db

from summitwatch.api import create_app

CHROMIUM = Path(os.environ.get("SUMMITWATCH_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "bench" / "screenshots"
PHONE = {"width": 412, "height": 915}
DESKTOP = {"width": 1280, "height": 900}


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run under CI=true: {reason}")
    pytest.skip(reason)


def _sync_playwright() -> Any:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # the optional browser-test dependency (pyproject dev extras)
        _unavailable("the playwright package is not installed")
    return sync_playwright


@pytest.fixture(scope="module")
def base_url(iface_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    db = build_desk_db(iface_db, tmp_path_factory.mktemp("browser") / "desk.db")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = 600  # a hang guard only: the server is up in well under a second
    for _ in range(deadline * 20):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started, "the test server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium; scripts/setup.sh does it)")
    sync_playwright = _sync_playwright()
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    p = context.new_page()
    p.set_default_timeout(30_000)
    yield p
    context.close()


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _row_ids(page: Any) -> list[str]:
    return page.eval_on_selector_all("tr[data-id]", "rows => rows.map(r => r.dataset.id)")


def test_timeline_zoom_by_dragging_the_year_brush(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    assert page.text_content("#zoom-label") == "2021–2023"  # the recent half by default
    assert page.locator("svg .strip").count() == 1  # older years folded into the strip
    _shot(page, "home-desktop")
    svg = page.locator("svg.yearbars")
    box = svg.bounding_box()
    first, left, step = (float(svg.get_attribute(a)) for a in ("data-first", "data-left", "data-step"))
    width = float(page.eval_on_selector("svg.yearbars", "s => s.viewBox.baseVal.width"))

    def client_x(year: int) -> float:
        return box["x"] + (left + (year - first + 0.5) * step) * box["width"] / width

    y = box["y"] + box["height"] / 2
    page.mouse.move(client_x(2003), y)
    page.mouse.down()
    page.mouse.move(client_x(2010), y, steps=5)
    page.mouse.move(client_x(2019), y, steps=5)
    with page.expect_navigation():
        page.mouse.up()
    assert "zoom=2003-2019" in page.url
    assert page.text_content("#zoom-label") == "2003–2019"
    assert page.locator("svg .strip").count() == 0
    assert page.locator("svg.lanes rect.mark.span, figure.lanes rect.mark.span").count() >= 1  # 2003, hatched
    page.click("text=all years")
    assert page.text_content("#zoom-label") == "2003–2023"


def test_timeline_sorts_by_clicking_a_column(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    ids = _row_ids(page)
    assert ids[0] == "tl-2023-blinken-wang"  # newest first
    page.click("th a.sort:has-text('Reports')")
    page.wait_for_url(re.compile(r"sort=reports"))
    assert _row_ids(page)[0] == "tl-2021-alaska"
    page.click("th a.sort:has-text('Date')")
    page.wait_for_url(re.compile(r"sort=date&dir=desc"))
    assert _row_ids(page)[0] == "tl-2023-blinken-wang"
    page.click("th a.sort:has-text('Date')")  # the active column again: the other direction
    page.wait_for_url(re.compile(r"sort=date&dir=asc"))
    asc = _row_ids(page)
    assert asc[0] == "tl-2003-wen-bush" and page.get_attribute("th[aria-sort]", "aria-sort") == "ascending"
    evidence = page.locator("tr.evidence-row details").first
    evidence.locator("summary").click()
    assert evidence.locator("mark.evidence").is_visible()


def test_script_switch_follows_every_string_and_is_remembered(page: Any, base_url: str) -> None:
    page.goto(base_url + "/engagements/tl-2021-alaska")
    page.click(".script-switch a:has-text('简')")
    page.wait_for_url(re.compile(r"script=hans"))
    body = page.inner_text("main")
    assert "王毅" in body and "中美阿拉斯加会谈火药味浓" in body
    assert not set("國會東與灣") & set(body)
    page.goto(base_url + "/")  # the cookie carries the choice
    home = page.inner_text("main")
    assert "习近平" in home and "習近平" not in home
    page.click(".script-switch a:has-text('繁')")
    page.wait_for_url(re.compile(r"script=hant"))
    assert "習近平" in page.inner_text("main")


def test_csv_download_exports_what_the_page_shows(page: Any, base_url: str, tmp_path: Path) -> None:
    page.goto(base_url + "/?person=Antony+Blinken")
    with page.expect_download() as info:
        page.click("a.button:has-text('CSV')")
    download = info.value
    assert re.fullmatch(r"summitwatch-timeline-\d{8}\.csv", download.suggested_filename)
    path = tmp_path / download.suggested_filename
    download.save_as(str(path))
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["id"] for r in rows] == _row_ids(page)  # the same rows, in the same order
    assert all("Antony Blinken" in r["us"] for r in rows)


def test_badges_explain_themselves_and_lead_to_the_sources(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    badge = page.locator("tr[data-id='tl-2021-alaska'] a.flag-disputed")
    assert badge.inner_text() == "disputed date"
    assert "2021-03-18 vs 2021-03-21" in badge.get_attribute("title")
    single = page.locator("tr[data-id='tl-2021-biden-xi'] a.flag-single")
    assert "nothing independent confirms it" in single.get_attribute("title")
    badge.click()
    page.wait_for_url(re.compile(r"/engagements/tl-2021-alaska#disputed"))
    section = page.locator("#disputed")
    assert section.is_visible() and "21 Mar 2021" in section.inner_text()
    assert section.locator("a[href='/articles/a-desk-alaska-2']").count() == 1
    _shot(page, "engagement")


def test_raised_matrix_cells_open_their_sentences(page: Any, base_url: str) -> None:
    page.goto(base_url + "/raised")
    us = page.locator("section.matrix[data-side='US']")
    assert us.locator("th:has-text('Hong Kong')").count() == 1
    us.locator("tr:has(th:has-text('Hong Kong')) a.heat").first.click()
    page.wait_for_url(re.compile(r"cside=US"))
    sentences = page.locator("#sentences")
    assert "提出香港問題" in sentences.inner_text()
    _shot(page, "raised")


def test_counterparts_cells_link_to_engagements(page: Any, base_url: str) -> None:
    page.goto(base_url + "/counterparts")
    cell = page.locator("table.counterparts td.cell a[href*='tl-2021-alaska']")  # Blinken × Wang Yi
    assert cell.inner_text().split()[0] == "2"
    _shot(page, "counterparts")
    cell.click()
    page.wait_for_url(re.compile(r"/engagements\?ids="))
    assert page.locator("a[href='/engagements/tl-2021-alaska']").count() >= 1


def test_phone_width(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        for url in (
            "/",
            "/engagements/tl-2021-alaska",
            "/raised",
            "/counterparts",
            "/articles/a-desk-alaska-1",
            "/search?q=%E5%B8%83%E6%9E%97%E8%82%AF&sort=date",
        ):
            page.goto(base_url + url)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (url, overflow)  # wide tables and charts scroll inside their box
        page.goto(base_url + "/")
        assert page.text_content("#zoom-label") == "2021–2023"  # opens on the recent years, not 1971
        mark = page.locator("figure.lanes a.mark-link").first
        assert mark.is_visible()
        _shot(page, "home-phone")
    finally:
        context.close()


def test_article_and_search_pages(page: Any, base_url: str) -> None:
    page.goto(base_url + "/articles/a-desk-alaska-1")
    assert page.inner_text("h1") == "中美阿拉斯加會談火藥味濃"
    assert page.locator("a:has-text('archived')").get_attribute("href").endswith("/https://www.hkcnews.com/article/41000")
    _shot(page, "article")
    page.goto(base_url + "/search?q=%E7%BF%92%E8%BF%91%E5%B9%B3")
    assert page.locator("ol.results li").count() >= 1


def _hit_days(page: Any) -> list[str]:
    return page.eval_on_selector_all("li.hit .hit-meta time", "ts => ts.map(t => t.getAttribute('datetime'))")


def test_search_sorts_by_date_and_links_engagements(page: Any, base_url: str) -> None:
    page.goto(base_url + "/search")
    page.fill("form.search-form input[name=q]", "布林肯")
    page.select_option("select[name=sort]", "date")
    with page.expect_navigation():
        page.click("form.search-form button[type=submit]")
    assert "sort=date" in page.url
    days = _hit_days(page)
    assert len(days) == 3 and days == sorted(days, reverse=True)  # newest first
    assert page.locator(".sort-switch a.on").inner_text() == "newest first"
    hit = page.locator("li.hit[data-id='a-desk-alaska-1']")
    link = hit.locator("a.engagement")
    assert link.inner_text().startswith("18 Mar 2021 · Antony Blinken – Wang Yi")
    assert hit.locator("a[href='/people/Wang%20Yi'] + span.zh").inner_text() == "王毅"
    _shot(page, "search")
    page.click(".sort-switch a:has-text('most relevant')")  # the other order, same hits
    page.wait_for_url(re.compile(r"sort=relevance"))
    assert sorted(page.eval_on_selector_all("li.hit", "ls => ls.map(l => l.dataset.id)")) == [
        "a-blinken-wangyi", "a-desk-alaska-1", "a-desk-alaska-2",
    ]  # fmt: skip
    page.locator("li.hit[data-id='a-desk-alaska-1'] a.engagement").click()
    page.wait_for_url(re.compile(r"/engagements/tl-2021-alaska$"))
    assert "Anchorage" in page.inner_text("main")


def test_search_at_phone_width_in_simplified(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(base_url + "/search?q=%E6%9C%83%E8%AB%87&sort=date&script=hans")  # 會談
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
        results = page.inner_text("ol.results")
        assert "中美阿拉斯加会谈火药味浓" in results and not set("國會東與灣") & set(results)
        assert page.locator("ol.results mark").first.inner_text() == "会谈"
        link = page.locator("li.hit a.engagement").first
        assert link.is_visible() and link.bounding_box()["x"] + link.bounding_box()["width"] <= PHONE["width"]
        _shot(page, "search-phone")
    finally:
        context.close()
