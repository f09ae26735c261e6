"""Front matter (fast path == YAML), Markdown constructs, format detection, hostile front matter."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from summitwatch.articles.parse import parse_record
from summitwatch.model import Article, Quarantined, RawDoc
from summitwatch.sources.detect import detect_format
from summitwatch.sources.markdown import FrontMatterError, markdown_to_parts, split_front_matter

FIX = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.mark.parametrize(
    ("prefix", "fmt"),
    [
        ("000", "yaml-markdown"),
        ("001", "yaml-markdown"),
        ("002", "mirror-markdown"),
        ("003", "yaml-markdown"),
        ("004", "rss-mirror"),
    ],
)
def test_detect_seed_formats(prefix: str, fmt: str) -> None:
    path = next((FIX / "seeds").glob(prefix + "_*.txt"))
    assert detect_format(RawDoc(path.name, b""), path.read_text(encoding="utf-8")) == fmt


def test_detect_other_formats() -> None:
    raw = RawDoc("x", b"")
    assert detect_format(raw, "<!DOCTYPE html><html><head><title>t</title>") == "html"
    assert detect_format(raw, '<?xml version="1.0"?><rss version="2.0">') == "feed"
    assert detect_format(raw, "just a line of text") == "text"
    assert detect_format(RawDoc("f.xml#item=1", b"", hint="feed-item"), "<p>x</p>") == "feed-item"


def test_fast_front_matter_equals_yaml() -> None:
    for path in sorted((FIX / "hkcnews").rglob("article_*.md")) + sorted(
        (FIX / "seeds").glob("00[013]_*.txt")
    ):
        text = path.read_text(encoding="utf-8")
        fm, _ = split_front_matter(text)
        block = text.replace("\r\n", "\n").split("\n---\n", 1)[0][4:]
        expected = yaml.safe_load(block)
        assert fm == {k: v for k, v in expected.items()}, path.name


def test_front_matter_yaml_fallback() -> None:
    fm, body = split_front_matter(
        "---\ntitle: plain title\ndate: 2021-11-16\ntags: [a, b]\nn: 3\n---\n\n# t\n"
    )
    assert fm == {"title": "plain title", "date": "2021-11-16", "tags": ["a", "b"], "n": "3"}
    assert body == "\n# t\n"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('---\ntitle: "x"\ndate: "2021-01-01"\n\n正文沒有結束的分隔線', "bad-front-matter"),  # truncated
        ('---\ntitle: "unterminated\ndate: [1, 2\n---\n正文', "bad-front-matter"),  # invalid YAML
        ("---\n- a\n- b\n---\n正文", "bad-front-matter"),  # not a mapping
        ('---\ntitle: "只有標題"\ndate: "2021-01-01"\n---\n\n', "no-body"),
        ('---\ntitle: ""\n---\n\n---\n\n請加入成為眾新聞的月費訂戶，長期支持我們的工作。', "no-body"),
    ],
)
def test_hostile_front_matter(text: str, reason: str) -> None:
    out = parse_record(RawDoc("h.md", text.encode("utf-8")))
    assert isinstance(out, Quarantined), out
    assert out.reason == reason and out.detail


def test_markdown_constructs() -> None:
    md = (
        "# 標題\n\n**粗體導語**與[連結](https://web.archive.org/web/2021/https://a.org/x)。\n\n"
        "## 小標\n\n- 項目一\n- 項目二\n\n1. 第一\n2. 第二\n\n> 引文第一行  \n> 引文第二行\n\n"
        "| 日期 | 事件 |\n| --- | --- |\n| 1月 | 甲 |\n\n---\n\n![圖說](https://x.org/a.jpg)\n\n"
        "`code` \\*星號\\* &amp; 實體 <span>未知標籤</span>\n"
    )
    parts = markdown_to_parts(md)
    assert parts.blocks == [
        ("heading", "標題"),
        ("paragraph", "粗體導語與連結。"),
        ("heading", "小標"),
        ("paragraph", "項目一"),
        ("paragraph", "項目二"),
        ("paragraph", "1. 第一"),
        ("paragraph", "2. 第二"),
        ("paragraph", "引文第一行\n引文第二行"),
        ("paragraph", "日期 | 事件"),
        ("paragraph", "1月 | 甲"),
        ("paragraph", "code *星號* & 實體 未知標籤"),
    ]
    assert parts.links == [(1, "連結", "https://web.archive.org/web/2021/https://a.org/x")]
    assert [f[1:] for f in parts.figures] == [["https://x.org/a.jpg", "圖說"]]


def test_deeply_nested_html_does_not_crash() -> None:
    body = "<div>" * 5000 + "<p>深層</p>" + "</div>" * 5000
    out = parse_record(RawDoc("deep.md", f'---\ntitle: "深"\ndate: "2021-01-01"\n---\n\n{body}\n'.encode()))
    assert isinstance(out, Article) and out.paragraphs == ("深層",)


def test_plain_markdown_without_front_matter() -> None:
    out = parse_record(RawDoc("note.md", "# 一個標題\n\n第一段文字，說明一件事情。\n\n第二段。\n".encode()))
    assert isinstance(out, Article)
    assert out.title == "一個標題" and out.paragraphs == ("第一段文字，說明一件事情。", "第二段。")
    assert out.id.startswith("c") and "no-date" in out.flags


def test_front_matter_errors_name_the_problem() -> None:
    with pytest.raises(FrontMatterError, match="truncated"):
        split_front_matter('---\ntitle: "x"\n')
    with pytest.raises(FrontMatterError, match="does not start"):
        split_front_matter("# 沒有前置資料\n")
    with pytest.raises(FrontMatterError, match="invalid YAML"):
        split_front_matter('---\ntitle: "a\n  b: [\n---\n')
