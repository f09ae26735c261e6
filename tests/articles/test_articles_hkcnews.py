"""Real hkcnews members (tests/fixtures/hkcnews, see SOURCES.md): placeholders, English, damage, ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from summitwatch.articles.parse import parse_record
from summitwatch.model import Article, Quarantined, RawDoc

FIX = Path(__file__).resolve().parents[1] / "fixtures"
HK = FIX / "hkcnews"


def parse_member(name: str) -> Article | Quarantined:
    return parse_record(RawDoc(name, (HK / name).read_bytes()))


def article(name: str) -> Article:
    out = parse_member(name)
    assert isinstance(out, Article), out
    return out


def test_every_fixture_member_is_accounted_for() -> None:
    for path in sorted(HK.rglob("article_*.md")):
        out = parse_record(RawDoc(str(path.relative_to(HK)), path.read_bytes()))
        assert isinstance(out, Article | Quarantined)
        if isinstance(out, Quarantined):
            assert out.reason in ("placeholder", "no-body"), out


def test_byte_identical_copy_gets_the_same_id_as_seed_000() -> None:
    seed = next((FIX / "seeds").glob("000_*.txt"))
    a = parse_record(RawDoc(seed.name, seed.read_bytes()))
    b = article("47001-48000/article_47751.md")
    assert isinstance(a, Article)
    assert a.id == b.id and a.content_hash == b.content_hash
    assert (a.source, b.source) == (seed.name, "47001-48000/article_47751.md")


def test_other_captures_of_seed_articles_share_the_canonical_id() -> None:
    for seed_prefix, member in (
        ("001", "38001-39000/article_38089.md"),
        ("003", "39001-40000/article_39492.md"),
    ):
        seed = next((FIX / "seeds").glob(seed_prefix + "_*.txt"))
        a = parse_record(RawDoc(seed.name, seed.read_bytes()))
        assert isinstance(a, Article)
        assert article(member).id == a.id


@pytest.mark.parametrize(
    "member",
    [
        "32001-33000/article_32790.md",
        "32001-33000/article_32659.md",
        "1-1000/article_209.md",
        "42001-43000/article_42190.md",
    ],
)
def test_placeholder_pages_are_quarantined(member: str) -> None:
    out = parse_member(member)
    assert isinstance(out, Quarantined)
    assert out.reason == "placeholder"
    assert out.source == member and out.detail


def test_the_genuine_farewell_article_is_kept() -> None:
    a = article("49001-50000/article_49873.md")
    assert a.published == "2022-01-02T00:00:00+08:00"
    assert a.paragraphs[0].startswith("今天是2022年1月2日。成立5年的眾新聞，要跟大家告別。")
    assert article("49001-50000/article_49908.md").published_date == "2022-01-03"


def test_empty_capture_is_no_body() -> None:
    out = parse_member("32001-33000/article_32693.md")
    assert isinstance(out, Quarantined) and out.reason == "no-body"


def test_english_articles() -> None:
    a = article("30001-31000/article_30853.md")
    assert (a.language, a.script) == ("en", "en")
    assert a.title == "The IPCC is handicapped, says former adviser Gerry McNeilly"
    b = article("8001-9000/article_8651.md")
    assert (b.language, b.script) == ("en", "en")
    assert "no-date" in b.flags and b.published is None


def test_simplified_text_on_the_traditional_site() -> None:
    assert article("1-1000/article_193.md").script == "zh-Hans"


def test_mojibake_is_repaired_and_flagged() -> None:
    a = article("43001-44000/article_43693.md")
    assert a.title == "失業回落疑似好　港化灣區報應到"
    assert "mojibake-repaired" in a.flags
    assert a.paragraphs[0].startswith("上周本港公佈的最新失業率由6.0%大跌至5.5%")


def test_crlf_front_matter() -> None:
    a = article("10001-11000/article_10524.md")
    assert a.title == "選舉主任隨時仍可DQ人！"
    assert a.published == "2018-03-06T00:00:00+08:00"
    assert a.author == "一悠"
    assert not any("\r" in b.text for b in a.blocks)


def test_author_box_and_plea_removed() -> None:
    a = article("32001-33000/article_32335.md")
    assert a.author == "林兆彬"
    assert "月費訂戶" not in a.text and "博客 |" not in a.text and "政影雜評" not in a.text
    assert not any("/uploads/avatars/" in f.src for f in a.figures)
    assert a.paragraphs[-1].startswith("根據規劃署《香港規劃標準與準則》")


def test_tables_become_rows() -> None:
    a = article("32001-33000/article_32246.md")
    assert not any(set(p) <= set("|-: ") for p in a.paragraphs), "table separator rows are dropped"


def test_blockquote_poem_keeps_line_breaks() -> None:
    a = article("32001-33000/article_32320.md")
    assert "小桃無主花自開，煙草茫茫帶晚鴉。\n幾處敗垣圍故井，向來一一是人家。" in a.paragraphs
    assert not any(p.startswith(">") for p in a.paragraphs)


def test_subheadings() -> None:
    a = article("32001-33000/article_32234.md")
    assert "外交部：考慮不承認BNO作為有效旅行證件" in a.headings


def test_hkcnews_urls_are_canonical_and_numbered() -> None:
    for path in sorted(HK.rglob("article_*.md")):
        out = parse_record(RawDoc(str(path.relative_to(HK)), path.read_bytes()))
        if isinstance(out, Article):
            no = path.stem.split("_")[1]
            assert out.site_article_no == no
            assert out.url == f"https://www.hkcnews.com/article/{no}"
            assert out.outlet == "眾新聞"
