"""The plain-HTML article reader on real pages and on hostile synthetic input.

Real pages: every page of ../shared/corpus/html-gne/ (skipped when ../shared is absent) and the four
copies in tests/fixtures/html/ (always run) must give the hand-made headline, contain every must-have
snippet of the article body and none of the must-not-have snippets (tests/fixtures/html_eval.json).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summitwatch.model import Block
from summitwatch.sources.html import EMPTY_DOC, HtmlDoc, clean_html, extract_html, load_rules, normalise_space

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT / ".." / "shared"
CORPUS = SHARED / "corpus" / "html-gne"
FIXTURES = ROOT / "tests" / "fixtures" / "html"
EXPECT = json.loads((ROOT / "tests" / "fixtures" / "html_eval.json").read_text(encoding="utf-8"))["pages"]


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text)


@cache
def _extract(path: Path) -> HtmlDoc:
    return extract_html(path.read_text(encoding="utf-8"))


def _check_page(path: Path) -> None:
    exp = EXPECT[path.name]
    doc = _extract(path)
    text = normalise_space("\n\n".join(b.text for b in doc.blocks))
    assert _key(doc.title) == _key(exp["title"])
    missing = [s for s in exp["must_have"] if normalise_space(s) not in text]
    leaked = [s for s in exp["must_not_have"] if normalise_space(s) in text]
    assert not missing, f"article text missing: {missing}"
    assert not leaked, f"boilerplate kept: {leaked}"
    assert all(b.kind in ("heading", "paragraph", "caption") for b in doc.blocks)


def test_expectations_cover_the_corpus_and_were_made_by_hand() -> None:
    spec = json.loads((ROOT / "tests" / "fixtures" / "html_eval.json").read_text(encoding="utf-8"))
    assert "by hand" in spec["note"]
    assert len(EXPECT) == 62
    for exp in EXPECT.values():
        assert exp["title"] and 2 <= len(exp["must_have"]) <= 4 and exp["must_not_have"]


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.html")))
def test_fixture_page(name: str) -> None:
    _check_page(FIXTURES / name)


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus/html-gne is absent")
@pytest.mark.parametrize("name", sorted(EXPECT))
def test_corpus_page(name: str) -> None:
    _check_page(CORPUS / name)


# --- synthetic pages ------------------------------------------------------------------------

PARAS = [
    f"<p>第{i}段正文：中美两国官员今天在北京举行会谈，双方就贸易问题交换了意见，会谈持续了三个小时。</p>"
    for i in range(1, 5)
]
BODY = "".join(PARAS)


def _page(body: str, head: str = "<title>测试新闻标题_测试网</title>") -> str:
    return f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


def test_scripts_styles_and_comments_never_reach_the_text() -> None:
    html = _page(
        "<nav><a href='/'>首页</a></nav><h1>测试新闻标题</h1>"
        "<script>var leak = 'SCRIPTLEAK';</script><style>.x{content:'STYLELEAK'}</style>"
        f"<article>{BODY}<!-- COMMENTLEAK --><noscript>NOSCRIPTLEAK</noscript></article>"
        "<template><p>TEMPLATELEAK</p></template>"
    )
    doc = extract_html(html)
    everything = doc.title + " ".join(b.text for b in doc.blocks)
    for leak in ("SCRIPTLEAK", "STYLELEAK", "COMMENTLEAK", "NOSCRIPTLEAK", "TEMPLATELEAK", "var leak"):
        assert leak not in everything
    assert doc.title == "测试新闻标题"
    assert any("第1段正文" in b.text for b in doc.blocks)


def test_entities_are_decoded() -> None:
    html = _page(
        "<h1>测试新闻标题</h1><article>"
        "<p>Tom &amp; Jerry &lt;b&gt; &quot;quoted&quot; &#20013;&#x56FD;&nbsp;text &hellip; a sentence long "
        "enough to count as prose.</p>" + BODY + "</article>"
    )
    text = " ".join(b.text for b in extract_html(html).blocks)
    assert 'Tom & Jerry <b> "quoted" 中国 text … a sentence' in text
    assert "&amp;" not in text and "&#" not in text


def test_deeply_nested_html_neither_crashes_nor_loses_the_text() -> None:
    html = _page("<div>" * 5000 + "<h1>测试新闻标题</h1>" + BODY + "</div>" * 5000)
    doc = extract_html(html)
    assert doc.title == "测试新闻标题"
    assert "第2段正文" in " ".join(b.text for b in doc.blocks)


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n\t",
        "\x00\x01\x02\xff\xfe\x00binary",
        "<<<>>>",
        "<html></html>",
        "<p>",
        "\ufffd" * 50,
        "</div>" * 100,
    ],
)
def test_empty_or_garbage_gives_an_empty_doc(html: str) -> None:
    doc = extract_html(html)
    assert doc.title == "" and doc.blocks == () and doc.figures == () and doc.links == ()
    assert doc.published is None


def test_empty_doc_is_the_empty_record() -> None:
    assert extract_html("") == EMPTY_DOC


def test_metadata_from_meta_tags_and_json_ld() -> None:
    head = (
        "<title>测试新闻标题_测试网</title>"
        "<meta property='og:title' content='测试新闻标题'>"
        "<meta property='og:site_name' content='测试网'>"
        "<meta name='author' content='张三'>"
        "<link rel='canonical' href='https://news.example.cn/2019/0907/1.html'>"
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "测试新闻标题",'
        ' "datePublished": "2019-09-07T13:43:45+08:00"}</script>'
    )
    doc = extract_html(_page("<h1>测试新闻标题</h1><article>" + BODY + "</article>", head))
    assert doc.title == "测试新闻标题"
    assert doc.published == "2019-09-07T13:43:45+08:00"
    assert doc.author == "张三"
    assert doc.site_name == "测试网"
    assert doc.url == "https://news.example.cn/2019/0907/1.html"
    assert doc.language == "zh"


def test_visible_dateline_under_the_headline() -> None:
    body = "<h1>测试新闻标题</h1><div class='info'>2019年09月09日 18:13:22 来源：测试网</div>" + BODY
    assert extract_html(_page(body)).published == "2019-09-09T18:13:22"


def test_headline_agrees_with_title_not_with_the_site_logo_or_related_stories() -> None:
    body = (
        "<h1 class='logo'>测试网</h1><div class='related'><h3><a href='/a'>另一条新闻的标题很长</a></h3></div>"
        "<h2 class='main-title'>测试新闻标题</h2>" + BODY
    )
    assert extract_html(_page(body)).title == "测试新闻标题"


def test_boilerplate_lines_and_lists_after_the_text_are_dropped() -> None:
    body = (
        "<h1>测试新闻标题</h1><article>" + BODY + "<p>责任编辑：李四</p>"
        "<p>网友评论仅供其表达个人看法，并不表明本网立场。</p><p>这是一条评论内容，写得也很长很长，有标点。</p>"
        "</article><div><h3>相关新闻</h3><ul>"
        + "".join(f"<li><a href='/n{i}'>相关新闻标题第{i}条，链接文字</a></li>" for i in range(8))
        + "</ul></div><footer><p>Copyright © 2019 测试网 版权所有</p></footer>"
    )
    doc = extract_html(_page(body))
    text = " ".join(b.text for b in doc.blocks)
    assert "第4段正文" in text
    for leak in ("责任编辑", "网友评论", "这是一条评论", "相关新闻标题", "Copyright", "版权所有"):
        assert leak not in text


def test_figures_captions_and_links_inside_the_text() -> None:
    body = (
        "<h1>测试新闻标题</h1><article>"
        + "".join(PARAS[:2])
        + "<p>据<a href='/report.html'>新华社报道</a>，会谈在北京举行，双方交换了意见。</p>"
        "<figure><img src='/img/a.jpg' alt=''><figcaption>会谈现场。新华社记者 王五 摄</figcaption></figure>"
        + "".join(PARAS[2:])
        + "</article>"
    )
    doc = extract_html(_page(body), url="https://news.example.cn/2019/0907/1.html")
    assert any(f.src == "https://news.example.cn/img/a.jpg" for f in doc.figures)
    assert any(f.caption.startswith("会谈现场") for f in doc.figures)
    assert any(b == Block("caption", "会谈现场。新华社记者 王五 摄") for b in doc.blocks)
    assert any(
        ln.text == "新华社报道" and ln.url == "https://news.example.cn/report.html" for ln in doc.links
    )


_PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<a href='x'>",
        "</a>",
        "<script>",
        "</script>",
        "<br>",
        "<h1>",
        "</h1>",
        "<title>",
        "</title>",
        "<!--",
        "-->",
        "<img src='a.png'>",
        "&amp;",
        "&#x0;",
        "&#99999999;",
        "<table><tr><td>",
        "</td></tr></table>",
        "中文，句子。",
        "<meta property='og:title' content='x'>",
        '<script type=\'application/ld+json\'>{"datePublished": "2019-99-99"}</script>',
        "<time datetime='2019-13-45T99:99'>",
        " 2019年13月45日 25:61 ",
        "\ufffd",
    ]
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=30))
def test_any_tag_soup_gives_a_record_without_raising(parts: list[str]) -> None:
    assert isinstance(extract_html("".join(parts)), HtmlDoc)


def test_article_sentences_that_mention_furniture_words_are_kept() -> None:
    kept = [
        "中方表示，将依法保护版权所有人的合法权益。",
        "外交部发言人在声明中说，美方应停止干涉中国内政。",
        "相关新闻发布会将于明天下午举行。",
        "更多细节将在会后公布。",
        "用户下载客户端后，需要扫描二维码才能登录。",
        "记者：您如何看待这次会谈的成果？",
        "作者认为，双方的分歧仍然很大。",
    ]
    body = (
        "<h1>测试新闻标题</h1><article>" + BODY + "".join(f"<p>{s}</p>" for s in kept) + BODY + "</article>"
    )
    text = " ".join(b.text for b in extract_html(_page(body)).blocks)
    for sentence in kept:
        assert sentence in text


def test_english_page() -> None:
    paras = "".join(
        f"<p>Paragraph {i}: US and Chinese officials met in Geneva on Monday, and both sides said the talks "
        "were candid and constructive, according to statements released afterwards.</p>"
        for i in range(6)
    )
    related = "".join(f'<li><a href="/s{i}">Story number {i} headline here</a></li>' for i in range(6))
    html = (
        '<html lang="en"><head><title>US-China talks resume in Geneva | Example News</title>'
        '<meta property="article:published_time" content="2021-10-06T09:00:00Z"></head><body>'
        '<nav><a href="/">Home</a> <a href="/world">World</a></nav><main><h1>US-China talks resume in Geneva</h1>'
        f"<article>{paras}</article><aside><h3>Most read</h3><ul>{related}</ul></aside></main>"
        "<footer><p>Copyright © 2021 Example News. All rights reserved.</p></footer></body></html>"
    )
    doc = extract_html(html, url="https://example.com/a")
    assert doc.title == "US-China talks resume in Geneva"
    assert doc.published == "2021-10-06T09:00:00+00:00"
    assert doc.language == "en" and doc.site_name == "Example News"
    text = " ".join(b.text for b in doc.blocks)
    assert "Paragraph 0:" in text and "Paragraph 5:" in text
    assert "Story number" not in text and "Copyright" not in text and "Home" not in text


def test_headline_quoted_again_at_the_end_keeps_the_article() -> None:
    body = (
        "<h1>测试新闻标题</h1><article>"
        + BODY
        + "<p>（原题为《测试新闻标题》）</p><p>结尾一段。</p></article>"
    )
    text = " ".join(b.text for b in extract_html(_page(body)).blocks)
    assert "第1段正文" in text and "第4段正文" in text


def test_byline_after_the_headline() -> None:
    body = "<h1>测试新闻标题</h1><div class='info'>作者：王小明 2019-09-09 18:13</div>" + BODY
    assert extract_html(_page(body)).author == "王小明"
    body = "<h1>测试新闻标题</h1><div class='info'>作者：网络整理</div>" + BODY
    assert extract_html(_page(body)).author is None


# --- huge data tables (max_table_cells of html_extraction.yaml) ------------------------------------


def _table(rows: int, cols: int, cell: str = "格{r}-{c}") -> str:
    return "<table>" + "".join(
        "<tr>" + "".join(f"<td>{cell.format(r=r, c=c)}</td>" for c in range(cols)) + "</tr>" for r in range(rows)
    ) + "</table>"


def test_a_table_beyond_the_cell_cap_is_read_as_text_one_line_per_row() -> None:
    cap = load_rules().max_table_cells
    rows = cap // 10 + 1  # ten cells a row: just over the cap
    cleaned = clean_html(_page("<h1>测试新闻标题</h1>" + _table(rows, 10, "<b>格</b>{r}-{c}")))
    assert cleaned is not None and "<td" not in cleaned and "<pre>" in cleaned
    lines = cleaned.split("<pre>", 1)[1].split("</pre>", 1)[0].split("\n")
    assert len(lines) == rows
    # the cells of a row in order, separated by spaces; inline markup inside a cell joins no words apart
    assert lines[0] == " ".join(f"格0-{c}" for c in range(10))


def test_a_table_within_the_cap_and_the_tables_around_a_big_one_stay_tables() -> None:
    cap = load_rules().max_table_cells
    small = _table(3, 3)
    assert "<pre>" not in (clean_html(_page(small)) or "")
    # a layout table of two cells holding two data tables of 60 % of the cap each: every table counts
    # only its own cells, so none is over the cap
    half = _table(cap * 6 // 100, 10)
    layout = f"<table><tr><td>{half}</td><td>{half}</td></tr></table>"
    assert "<pre>" not in (clean_html(_page(layout)) or "")
    # a layout table holding one data table over the cap: only the data table becomes text
    big = _table(cap // 10 + 1, 10)
    cleaned = clean_html(_page(f"<table><tr><td>左栏</td><td>{big}</td></tr></table>")) or ""
    assert cleaned.count("<pre>") == 1 and "<td>左栏</td>" in cleaned
    # a big table inside a big table goes with the outer one: one text, the inner rows inside it
    outer = _table(cap // 10 + 1, 10).replace("<td>格0-0</td>", f"<td>{big}</td>", 1)
    cleaned = clean_html(_page(outer)) or ""
    assert cleaned.count("<pre>") == 1 and "<td" not in cleaned


def test_the_article_around_a_huge_table_is_kept_and_the_rows_become_paragraphs() -> None:
    rows = load_rules().max_table_cells // 5  # twice the cap
    table = _table(rows, 10, "第{r}行第{c}列")
    doc = extract_html(_page("<h1>测试新闻标题</h1>" + "".join(PARAS[:2]) + table + "".join(PARAS[2:])))
    texts = [b.text for b in doc.blocks]
    assert doc.title == "测试新闻标题"
    assert all(any(f"第{i}段正文" in t for t in texts) for i in range(1, 5))
    row_7 = " ".join(f"第7行第{c}列" for c in range(10))
    assert row_7 in texts  # one paragraph per row, every cell of it
