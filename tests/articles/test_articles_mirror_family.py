"""The mirror family beyond its first outlet (issue 13, part 5): title, dateline date in either
numeral system, outlet from the dateline/byline/domain, and the mirror kept apart as ``via``.

Pages are generated from seed 002's structure (tests/fixtures/mirror_family/SOURCES.md).
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mirror_family import FIXTURE_DIR, PARAGRAPHS, VARIANTS, mirror_page  # noqa: E402

from summitwatch.articles.datelines import read_dateline  # noqa: E402
from summitwatch.articles.outlets import mirror_by_text, outlet_in_bracket  # noqa: E402
from summitwatch.articles.parse import normalise_date, parse_record  # noqa: E402
from summitwatch.model import Article, RawDoc  # noqa: E402

EXPECTED = json.loads((FIXTURE_DIR / "expected.json").read_text(encoding="utf-8"))


def _parse(name: str, text: str) -> Article:
    out = parse_record(RawDoc(name, text.encode("utf-8")))
    assert isinstance(out, Article), out
    return out


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_page(name: str) -> None:
    want = EXPECTED[name]
    a = _parse(name, (FIXTURE_DIR / name).read_text(encoding="utf-8"))
    assert a.title == want["title"]
    assert a.published_date == want["date"]
    assert a.outlet == want["outlet"]
    assert a.via == "gfw-breaker mirror"
    assert a.format == "mirror-markdown"
    assert "no-date" not in a.flags


def test_fixtures_match_their_generator() -> None:
    for v in VARIANTS:
        assert (FIXTURE_DIR / f"{v.key}.md").read_text(encoding="utf-8") == mirror_page(v, depth=12, size=4_000)


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.key for v in VARIANTS])
def test_deep_two_megabyte_page(variant: object) -> None:
    """3,000 unclosed, ever more indented <p> in 2 MB: parses, and the fields still come out right."""
    v = replace(variant, url="")  # type: ignore[type-var]
    page = mirror_page(v, depth=3_000, size=2_000_000)
    a = _parse(f"{v.key}-deep.md", page)
    assert (a.title, a.published_date, a.outlet) == (v.title, v.date, v.outlet)
    # every generated paragraph is kept (all but the dateline's and the 责任编辑 footer's <p>)
    assert sum(p.startswith(PARAGRAPHS) for p in a.paragraphs) == page.count("<p>") - 2


def test_unclosed_divs_beyond_the_parser_depth_keep_their_text() -> None:
    page = mirror_page(VARIANTS[1]).replace("<p>", "<div>")
    deep = page.replace("美中两国官员本周举行会谈。", "美中两国官员本周举行会谈。" + "<div>层" * 600 + "最深处的文字")
    a = _parse("deep-div.md", deep)
    assert "最深处的文字" in a.text and a.outlet == "明慧網"


def test_seed_002_itself_keeps_its_fields() -> None:
    seed = Path(__file__).resolve().parents[1] / "fixtures" / "seeds" / "002_4d665036da3f0f00.txt"
    a = _parse(seed.name, seed.read_text(encoding="utf-8"))
    assert a.title == "拜习会前 布林肯和王毅通话 台湾问题分歧大"
    assert (a.published_date, a.outlet, a.via, a.author) == ("2021-11-14", "大紀元", "gfw-breaker mirror", "夏雨")


# ---------------------------------------------------------------- the rules, one sentence each


def test_dateline_bracket_with_chinese_numerals() -> None:
    d = read_dateline("【明慧網二零二零年四月二十二日】（明慧記者李文報導）美國國務卿周三表示……")
    assert d.outlet is not None and d.outlet.id == "minghui" and d.date == (2020, 4, 22)


def test_dateline_bracket_with_arabic_numerals() -> None:
    d = read_dateline("【大紀元2021年11月14日訊】美國總統周一將與中方領導人會晤。")
    assert d.outlet is not None and d.outlet.id == "epochtimes" and d.date == (2021, 11, 14)


def test_bracket_without_a_date_names_the_outlet_only() -> None:
    d = read_dateline("「（德國之聲中文網）」德國外長周二表示……")
    assert d.outlet is not None and d.outlet.id == "dw" and d.date is None


def test_byline_bracket_names_the_outlet() -> None:
    d = read_dateline("（希望之聲記者周正報導）美中貿易談判本周重啟。")
    assert d.outlet is not None and d.outlet.id == "soundofhope"


def test_brackets_later_in_the_paragraph_are_no_dateline() -> None:
    d = read_dateline("美國國務卿周三表示，據【新華社2021年3月18日】報導，雙方已通話。")
    assert d.outlet is None and d.date is None


def test_outlet_names_in_both_scripts() -> None:
    for name, oid in (("联合早报", "zaobao"), ("聯合早報", "zaobao"), ("端传媒", "initium"), ("端傳媒", "initium"),
                      ("自由時報", "ltn"), ("看中国", "secretchina"), ("中央社", "cna"), ("環球時報", "huanqiu")):
        o = outlet_in_bracket(f"{name}記者報導")
        assert o is not None and o.id == oid, name


def test_mirror_is_recognised_by_its_markers_only() -> None:
    assert mirror_by_text("正文……\n\n原文链接（需翻墙）：https://example.org/a") is not None
    assert mirror_by_text("正文，沒有任何鏡像標記。") is None


@pytest.mark.parametrize(
    ("stamp", "day"),
    [("2020年4月22日", "2020-04-22"), ("二零二零年四月二十二日", "2020-04-22"), ("22.04.2020", "2020-04-22")],
)
def test_page_stamp_forms(stamp: str, day: str) -> None:
    iso = normalise_date(stamp, "Europe/Berlin")
    assert iso is not None and iso.startswith(day)


def test_archive_is_the_via_of_an_archived_page() -> None:
    md = (
        '---\ntitle: "美中外長通話"\ndate: "2021-11-14"\n'
        'url: "https://web.archive.org/web/20211115000000/https://www.hkcnews.com/article/47751"\n---\n\n'
        "美國國務卿與中國外長周五通電話，討論了視頻會晤的準備工作。\n"
    )
    a = _parse("a.md", md)
    assert a.via == "web.archive.org" and a.outlet == "眾新聞"


@pytest.mark.parametrize("stamp", ["日期：2020-04-22", "發佈時間: 2020年4月22日 10:30", "二零二零年四月二十二日"])
def test_labelled_page_stamp_above_the_body(stamp: str) -> None:
    v = replace(VARIANTS[5], stamp=stamp, url="")
    a = _parse("dw.md", mirror_page(v))
    assert (a.published_date, a.outlet) == ("2020-04-22", "德國之聲")
    assert not any("2020" in b.text for b in a.blocks[:2])  # the stamp is no body text


def test_page_stamp_in_the_html_body() -> None:
    page = mirror_page(replace(VARIANTS[5], stamp="", url="")).replace(
        '<div class="post_content"', '<div class="date">2020年4月22日</div><div class="post_content"'
    )
    a = _parse("dw.md", page)
    assert (a.published_date, a.outlet) == ("2020-04-22", "德國之聲")


def test_a_date_inside_the_article_text_is_no_stamp() -> None:
    page = mirror_page(replace(VARIANTS[5], stamp="", url=""))
    a = _parse("dw.md", page)
    assert a.published is None and "no-date" in a.flags  # no stamp, no dated dateline: no guess


def test_dateline_after_an_editors_note() -> None:
    page = mirror_page(replace(VARIANTS[1], url="")).replace(
        " <p>\n  【明慧網", " <p>\n  編者按：本文介紹國會聽證會的內容。\n </p>\n <p>\n  【明慧網", 1
    )
    a = _parse("mh.md", page)
    assert (a.published_date, a.outlet) == ("2020-04-22", "明慧網")
