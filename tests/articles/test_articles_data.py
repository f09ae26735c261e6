"""The data files behind parsing are well formed: patterns compile, outlets are complete, sets are sane."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from summitwatch.articles import load_data_file
from summitwatch.articles.boilerplate import placeholder_reason, rules
from summitwatch.articles.outlets import mirrors, outlet_in_bracket, outlets


def test_outlets_yaml() -> None:
    seen_ids: set[str] = set()
    seen_domains: set[str] = set()
    for o in outlets():
        assert o.id not in seen_ids and o.name and o.name_en
        seen_ids.add(o.id)
        ZoneInfo(o.timezone)
        for d in o.domains:
            assert d not in seen_domains, f"domain {d} claimed twice"
            seen_domains.add(d)
        for pattern, template, number in o.article_urls:
            assert pattern.pattern.startswith("^")
            groups = pattern.groups
            assert all(f"{{{i}}}" in template or i == number for i in range(1, groups + 1))
            assert number is None or 1 <= number <= groups
        if o.dateline is not None:
            assert {"year", "month", "day"} <= set(o.dateline.groupindex)
        for b in o.bylines:
            assert "author" in b.groupindex


def test_boilerplate_yaml() -> None:
    r = rules()
    assert r.drop is not None and r.cut_from is not None
    for key in ("drop", "cut_from", "figure_src_drop"):
        for p in load_data_file("boilerplate.yaml")[key]:
            re.compile(p)
    assert placeholder_reason("眾新聞告別 \u00a0 \u00a0感謝讀者")
    assert placeholder_reason("眾新聞告別　感謝讀者")
    assert placeholder_reason("眾新聞告別的一天") is None
    # real text must survive
    for text in ("拜登表示，美方願與中方合作。", "（法新社、CNN）", "首页内容被删除的消息"):
        assert not r.drop.search(text) and not r.cut_from.search(text)


def test_script_sets() -> None:
    data = load_data_file("scripts.yaml")
    trad, simp = set(data["traditional_only"]), set(data["simplified_only"])
    assert len(trad) >= 200 and len(simp) >= 200
    assert not trad & simp


def test_url_wrappers_yaml() -> None:
    data = load_data_file("urlwrappers.yaml")
    for a in data["archives"]:
        assert {"ts", "target"} <= set(re.compile(a["pattern"]).groupindex)
    for p in data["proxies"]:
        re.compile(p["pattern"])
        assert p["param"]


def test_outlets_cover_the_major_chinese_language_outlets() -> None:
    ids = {o.id for o in outlets()}
    wanted = {"xinhua", "chinanews", "people", "huanqiu", "cctv", "epochtimes", "ntd", "minghui",
              "soundofhope", "voa", "rfa", "bbc", "dw", "rfi", "nytchinese", "wsjchinese", "ftchinese",
              "zaobao", "cna", "ltn", "udn", "mingpao", "singtao", "orientaldaily", "hk01", "standnews",
              "appledaily", "initium", "duowei", "boxun", "secretchina"}
    assert wanted <= ids, wanted - ids
    for o in outlets():
        for n in o.dateline_names:  # each dateline name leads back to its own outlet
            found = outlet_in_bracket(f"{n}記者報導")
            assert found is not None and found.id == o.id, (o.id, n)
    assert all(m.markers for m in mirrors())
