"""What the linear-time rewrites of issue 13 must keep doing: one sentence per rule.

The regexes were rewritten so that no match attempt rescans a run (possessive repetition, spans
that never cross their own opener, linear scans for comments and script elements); these tests pin
the results the old patterns gave on ordinary input, and the edge the old ones got wrong.
"""

from __future__ import annotations

from summitwatch.sources.fragment import (
    Parts,
    clean_markdown_inline,
    drop_non_text,
    html_to_parts,
    normalise_html_space,
    strip_tags,
)
from summitwatch.sources.html import normalise_space
from summitwatch.sources.markdown import markdown_to_parts, split_front_matter
from summitwatch.sources.rssmirror import parse_rss_mirror


def test_line_break_next_to_cjk_is_no_space() -> None:
    assert normalise_html_space("美國\n    國務卿") == "美國國務卿"
    assert normalise_html_space("會談。\n\n   Blinken") == "會談。Blinken"  # CJK on one side is enough


def test_line_break_between_latin_words_is_one_space() -> None:
    assert normalise_html_space("Antony\n   Blinken") == "Antony Blinken"


def test_spaces_without_a_line_break_stay_one_space() -> None:
    assert normalise_html_space("中國  \u00a0 外長") == "中國 外長"


def test_long_indentation_runs_collapse() -> None:
    text = "".join("段落\n" + " " * i for i in range(2_000)) + "完"
    assert normalise_html_space(text) == "段落" * 2_000 + "完"


def test_html_extractor_space_rules() -> None:
    assert normalise_space("中國\n外長") == "中國外長"
    assert normalise_space("中國\u3000\u3000\n外長") == "中國外長"  # U+3000 is space here, and CJK
    assert normalise_space("Antony\nBlinken") == "Antony Blinken"
    assert normalise_space("中國\u3000x") == "中國 x"


def test_html_extractor_line_gap_needs_cjk_on_both_sides_of_the_whole_run() -> None:
    assert normalise_space("中國 \t\n\u3000 外長") == "中國外長"  # the whole run goes, spaces and all
    assert normalise_space("中國\u3000外長") == "中國 外長"  # no line break: a space
    assert normalise_space("中國\nx") == "中國 x" and normalise_space("x\n外長") == "x 外長"
    assert normalise_space("\n中國\n") == "中國"
    assert normalise_space("中\n" * 3 + "x") == "中中中 x"


def test_strip_tags_and_comments() -> None:
    assert strip_tags("<b>美國</b><!-- 廣告 -->國務卿<br/>", "") == "美國國務卿"
    assert strip_tags("文字<!-- 沒有結尾", "") == "文字<!-- 沒有結尾"  # an unclosed comment stays text


def test_drop_non_text_elements() -> None:
    assert drop_non_text("<script>var a;</script>正文<STYLE>p{}</STYLE>", " ") == " 正文 "
    assert drop_non_text("<script>未閉合 正文", " ") == "<script>未閉合 正文"


def test_markdown_link_with_spaces_around_the_url() -> None:
    parts = Parts()
    assert clean_markdown_inline("見[報道]( https://example.org/a )。", parts) == "見報道。"
    assert parts.links == [(0, "報道", "https://example.org/a")]


def test_markdown_link_url_wrapped_over_a_space() -> None:
    parts = Parts()
    clean_markdown_inline("[報道](https://example.org/ a)", parts)
    assert parts.links[0][2] == "https://example.org/a"


def test_nested_markdown_links_come_apart() -> None:
    parts = Parts()
    assert clean_markdown_inline("[[圖](https://x.org/i) 說明](https://x.org/p)", parts) == "圖 說明"
    assert {u for _, _, u in parts.links} == {"https://x.org/i", "https://x.org/p"}


def test_markdown_image_with_title() -> None:
    parts = Parts()
    assert clean_markdown_inline('![會談現場](https://x.org/a.jpg "標題")', parts) == ""
    assert parts.figures == [[0, "https://x.org/a.jpg", "會談現場"]]


def test_shortcode_link_kept_and_unclosed_shortcode_left() -> None:
    parts = Parts()
    assert clean_markdown_inline('前{{< youtube id="abc123" >}}後', parts) == "前後"
    assert parts.links == [(0, "youtube", "abc123")]
    assert "{{<" in clean_markdown_inline("{{< youtube id=abc }}", Parts())


def test_html_anchor_with_inner_markup() -> None:
    parts = Parts()
    assert clean_markdown_inline('<a href="https://x.org/p"><span>布林肯</span></a>表示', parts) == "布林肯表示"
    assert parts.links == [(0, "布林肯", "https://x.org/p")]


def test_autolink_and_emphasis() -> None:
    parts = Parts()
    assert clean_markdown_inline("見 <https://x.org/a> 與 *重點* **加粗**", parts) == "見 https://x.org/a 與 重點 加粗"


def test_heading_trailing_hashes_dropped() -> None:
    parts = markdown_to_parts("## 拜習會 ##\n\n正文。")
    assert parts.blocks[0] == ("heading", "拜習會")


def test_table_separator_row_dropped() -> None:
    parts = markdown_to_parts("| 日期 | 事件 |\n| --- | :--: |\n| 11月15日 | 視頻會晤 |")
    assert [t for _, t in parts.blocks] == ["日期 | 事件", "11月15日 | 視頻會晤"]


def test_not_a_separator_row() -> None:
    parts = markdown_to_parts("| -- | x |\n| a | b |")
    assert parts.blocks[0][1] == "-- | x"


def test_hard_break_kept_soft_wrap_joined() -> None:
    parts = markdown_to_parts("第一行  \n第二行\n第三行")
    assert parts.blocks[0][1] == "第一行\n第二行第三行"


def test_front_matter_values_right_stripped() -> None:
    fm, body = split_front_matter('---\ntitle: 美中會談   \ntags:\n  - "外交"  \n  - 峰會\t\n---\n正文')
    assert fm == {"title": "美中會談", "tags": ["外交", "峰會"]} and body == "正文"


def test_rss_mirror_plain_title_right_stripped() -> None:
    d = parse_rss_mirror("<!--1605000000000-->\n# 德國外長訪華   \n------\n<p>正文。</p>")
    assert d.title == "德國外長訪華" and d.parts.blocks == [("paragraph", "正文。")]


def test_deeply_nested_divs_keep_all_text() -> None:
    parts = Parts()
    html_to_parts("<div>開頭" + "<div>層" * 1_500 + "結尾", parts)
    text = "".join(t for _, t in parts.blocks)
    assert text.startswith("開頭") and text.endswith("結尾") and text.count("層") == 1_500
