"""Each seed parses to the exact title, outlet, date, author and body, without boilerplate.

Fixtures: tests/fixtures/seeds/ (the five real seeds, see SOURCES.md there).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from summitwatch.articles.parse import parse_record
from summitwatch.model import Article, RawDoc

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"

BOILERPLATE = (
    "月費訂戶",
    "請加入成為眾新聞",
    "首页",
    "责任编辑",
    "原文链接",
    "©",
    "版權聲明",
    "**",
    "](",
    "<",
    "&nbsp;",
)


def parse_seed(prefix: str) -> Article:
    path = next(SEEDS.glob(prefix + "_*.txt"))
    out = parse_record(RawDoc(path.name, path.read_bytes()))
    assert isinstance(out, Article), out
    return out


EXPECTED = {
    "000": dict(
        format="yaml-markdown",
        title="中美元首視像會晤　拜登：全球應恪守同樣規則　習近平稱應「辦好各自國內的事」",
        outlet=("眾新聞", "Citizen News"),
        published="2021-11-16T00:00:00+08:00",
        author="中國組記者翁維愷",
        first="中美元首今早（16日）舉行視像會晤，是美國總統拜登自年初上任後，首次與國家主席習近平視像對話，預計持續兩小時。",
        last="他指，推動中美各自發展，維護和平穩定的國際環境，包括有效應對氣候變化、疫情等問題，都需要健康穩定的中美關係。兩國應互相尊重、和平共處，合作共贏。",
        script="zh-Hant",
        url="https://www.hkcnews.com/article/47751",
        site_no="47751",
        figures=2,
    ),
    "001": dict(
        format="yaml-markdown",
        title="中美元首通電話　拜登：關注香港新疆等議題　習：台灣涉港涉疆中國內政　美應慎重行事",
        outlet=("眾新聞", "Citizen News"),
        published="2021-02-11T00:00:00+08:00",
        author="眾新聞記者",
        first="中美元首通電話，白宮發布的 新聞稿 表示，美國總統拜登「強調他對北京脅迫性及不公平的經濟做法",
        last="報道最後說，兩國元首都認為，今天的通話將向世界釋放積極訊號，雙方同意就中美關係和共同關心的問題保持密切聯繫。",
        script="zh-Hant",
        url="https://www.hkcnews.com/article/38089",
        site_no="38089",
        figures=2,
    ),
    "002": dict(
        format="mirror-markdown",
        title="拜习会前 布林肯和王毅通话 台湾问题分歧大",
        outlet=("大紀元", "Epoch Times"),
        published="2021-11-14T00:00:00-05:00",
        author="夏雨",
        first="【大纪元2021年11月14日讯】（大纪元记者夏雨报导）美国总统拜登和中共国家主席习近平定于美东时间下周一（11月15日）晚视频峰会。周五（11月13日），美国国务卿布林肯和中共外长王毅通话，双方在台海局势议题上分歧大。",
        last="布林肯周三在《纽约时报》DealBook峰会上透露，拜登和习近平过去的几次通话时长5小时，这次视频通话时长可能持续更久，并聚焦一系列问题。",
        script="zh-Hans",
        url="https://www.epochtimes.com/gb/21/11/14/n13374563.htm",
        site_no="13374563",
        figures=1,
    ),
    "003": dict(
        format="yaml-markdown",
        title="中美高層會談結束　沒發表聯合聲明　雙方形容對話坦率",
        outlet=("眾新聞", "Citizen News"),
        published="2021-03-20T00:00:00+08:00",
        author="眾新聞中國組",
        first="中美在阿拉斯加的三場高層會談結束，雙方沒有發表聯合聲明。",
        last="國家安全事務助理沙利文則形容談話如預期般「艱難且直率」，美方頭腦清醒地來並頭腦清醒地離開，將會回華府檢視政策。他又說美方未來將在於伊朗、阿富汗等議題方面，繼續透過正常外交渠道與中國合作。",
        script="zh-Hant",
        url="https://www.hkcnews.com/article/39492",
        site_no="39492",
        figures=2,
    ),
    "004": dict(
        format="rss-mirror",
        title="傳「拜習會」11月15日登場 北京：準備好了",
        outlet=("德國之聲", "Deutsche Welle"),
        published="2023-11-09T04:43:30.938Z",
        author=None,
        first="（德國之聲中文網）消息人士指出，美國總統拜登和中國國家主席習近平預計將於11月15日在美國舊金山會面，這將是兩大強國領袖一年來的首次元首峰會。",
        # the wire-service credit line is kept on purpose (provenance, see data/boilerplate.yaml)
        last="（法新社、CNN）",
        script="zh-Hant",
        url="https://www.dw.com/zh/a-67349937",
        site_no="67349937",
        figures=3,
    ),
}


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_parses_exactly(prefix: str) -> None:
    a = parse_seed(prefix)
    exp = EXPECTED[prefix]
    assert a.format == exp["format"]
    assert a.title == exp["title"]
    assert (a.outlet, a.outlet_en) == exp["outlet"]
    assert a.published == exp["published"]
    assert a.author == exp["author"]
    assert a.paragraphs[0].startswith(exp["first"])
    assert a.paragraphs[-1] == exp["last"]
    assert a.script == exp["script"] and a.language == "zh"
    assert a.url == exp["url"]
    assert a.site_article_no == exp["site_no"]
    assert len(a.figures) == exp["figures"]
    assert all(f.caption for f in a.figures), "every seed figure has a caption"
    for bad in BOILERPLATE:
        assert bad not in a.text, f"boilerplate {bad!r} left in the text"
    assert a.title not in a.paragraphs, "the body's own title heading is not a paragraph"


def test_seed_000_is_archive_capture_with_damaged_url() -> None:
    a = parse_seed("000")
    assert a.archived_at == "2022-01-17T16:14:12Z"
    assert a.archived_url.startswith(
        "https://web.archive.org/web/20220117161412/https://hkcnews.com/article/47751/"
    )
    assert "damaged-url" in a.flags
    assert a.tags == ("習近平", "xi jinping", "拜登", "中美會晤")
    assert a.category == "眾聞"
    assert a.figures[0].src.startswith("https://hkcnews.com/news_新聞/hk-discuss/2021/11/")
    assert a.figures[0].archived_src.startswith("https://web.archive.org/web/20220117161412im_/")
    assert a.figures[0].caption.startswith("國家主席習近平（右）與美國總統拜登（左）16日舉行視像會晤")
    assert a.figures[1].caption.endswith("眾新聞製圖")


def test_seed_001_links_unwrapped_and_plea_removed() -> None:
    a = parse_seed("001")
    urls = {lk.text: lk for lk in a.links}
    assert urls["新聞稿"].url.startswith(
        "https://www.whitehouse.gov/briefing-room/statements-releases/2021/02/10/"
    )
    assert urls["新聞稿"].archived_url.startswith("https://web.archive.org/web/20210712054633/")
    assert urls["央視"].url == "https://world.huanqiu.com/article/41sx6hZRpi0"
    assert not any("subscribe" in lk.url for lk in a.links), "links of dropped footers are dropped too"
    assert "damaged-url" not in a.flags


def test_seed_002_mirror_html_body() -> None:
    a = parse_seed("002")
    assert a.original_url == "https://www.epochtimes.com/gb/21/11/14/n13374563.htm"
    assert a.headings == (
        "美方强调负责任管控美中竞争 中方强调推动美中关系",
        "美中在台海局势问题上各说各话",
        "其它议题",
    )
    # <ok href=...> tags are unwrapped and their text joins the sentence without spaces
    assert "国务卿布林肯和中共外长王毅通话" in a.paragraphs[0]
    assert a.figures[0].caption.startswith("2021年10月31日，美国国务卿布林肯在罗马20国集团峰会期间")
    assert (
        a.figures[0].src
        == "https://i.epochtimes.com/assets/uploads/2021/11/id13346626-000_9QQ4M4-600x400.jpeg"
    )
    assert any(lk.text == "布林肯" and "/gb/tag/" in lk.url for lk in a.links)
    assert not any(lk.text in ("首页", "评论", "翻墙") for lk in a.links), "navigation links dropped"
    assert "华子明" not in a.text


def test_seed_004_rss_mirror_stamps_and_proxied_images() -> None:
    a = parse_seed("004")
    assert a.published_alt == "2023-11-09T04:47:05Z"  # the mirror's <!--1699505225000--> stamp
    assert a.published_date == "2023-11-09"
    assert [f.src for f in a.figures] == [
        "https://static.dw.com/image/63748879_303.jpg",
        "https://static.dw.com/image/66892303_303.jpg",
        "https://static.dw.com/image/66164354_303.jpg",
    ]
    assert a.figures[0].archived_src == "https://images.weserv.nl/?url=static.dw.com/image/63748879_303.jpg"
    assert (
        a.figures[2].caption == "美國財政部長葉倫曾在7月8日訪問中國，並與中國國務院副總理何立峰會晤（資料照）"
    )
    assert "韓正轉達中方意願" in a.headings
    assert a.paragraphs[-2].startswith("CNN分析，雖然世界上最大的兩個經濟體之間的關係")
    assert "2023-11-09T04:43:30" not in a.text, "the stamp is metadata, not text"
    assert any(lk.text == "美國財政部長耶倫" for lk in a.links)


def test_captions_are_blocks_in_reading_order() -> None:
    a = parse_seed("000")
    kinds = [b.kind for b in a.blocks]
    assert kinds[:3] == ["paragraph", "paragraph", "caption"]
    assert kinds[-1] == "caption"


def test_parse_is_deterministic() -> None:
    path = next(SEEDS.glob("002_*.txt"))
    raw = RawDoc(path.name, path.read_bytes())
    assert parse_record(raw) == parse_record(raw)
