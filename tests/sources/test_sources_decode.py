"""Decoding: BOMs, UTF-8, legacy Chinese encodings of real seed text, and what is refused.

The Big5 / GB18030 / UTF-16 inputs are built at test time by re-encoding real seeds
(tests/fixtures/seeds), then parsed end to end.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from summitwatch.articles.parse import parse_record
from summitwatch.model import Article, Quarantined, RawDoc
from summitwatch.sources.decode import DecodeError, decode_bytes, repair_mojibake

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"


def seed_text(prefix: str) -> str:
    return next(SEEDS.glob(prefix + "_*.txt")).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("prefix", "encoding", "bom"),
    [
        ("000", "big5", b""),  # Traditional article as a Hong Kong/Taiwan legacy file
        ("002", "gb18030", b""),  # Simplified article as a mainland legacy file
        ("003", "utf-16-le", codecs.BOM_UTF16_LE),
        ("001", "utf-16-be", codecs.BOM_UTF16_BE),
        ("004", "utf-8", codecs.BOM_UTF8),
    ],
)
def test_legacy_and_bom_encodings_of_real_articles(prefix: str, encoding: str, bom: bytes) -> None:
    text = seed_text(prefix)
    data = bom + text.encode(encoding)
    assert decode_bytes(data) == text
    a = parse_record(RawDoc(f"{prefix}.{encoding}", data))
    b = parse_record(RawDoc(f"{prefix}.utf8", text.encode("utf-8")))
    assert isinstance(a, Article) and isinstance(b, Article)
    assert (a.title, a.blocks, a.id) == (b.title, b.blocks, b.id)


def test_short_big5_paragraph() -> None:
    para = "中美元首今早（16日）舉行視像會晤，是美國總統拜登自年初上任後，首次與國家主席習近平視像對話，預計持續兩小時。"
    assert decode_bytes(para.encode("big5")) == para


def test_truncated_utf8_tail_is_kept() -> None:
    text = seed_text("000") + "合作共贏"
    data = text.encode("utf-8")[:-2]  # cut inside the last multi-byte character
    assert decode_bytes(data) == text[:-1]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        (codecs.BOM_UTF8 + b"\n", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary"),
        (b"\x00\x01\x02garbage\xff\xfe" * 100, "binary"),
        (codecs.BOM_UTF16_LE + b"\x00\xd8", "undecodable"),  # lone surrogate
    ],
)
def test_refused(data: bytes, reason: str) -> None:
    with pytest.raises(DecodeError) as e:
        decode_bytes(data)
    assert e.value.reason == reason
    out = parse_record(RawDoc("x", data))
    assert isinstance(out, Quarantined) and out.reason == reason


def test_too_large() -> None:
    data = b"---\ntitle: x\n---\n" + b"a" * (20 * 1024 * 1024 + 1)
    out = parse_record(RawDoc("big.md", data))
    assert isinstance(out, Quarantined) and out.reason == "too-large"


def test_mojibake_repair_only_when_it_helps() -> None:
    good = "失業回落疑似好　港化灣區報應到。上周本港公佈的最新失業率由6.0%大跌至5.5%。"
    garbled = good.encode("utf-8").decode("ptcp154")
    assert repair_mojibake(garbled) == good
    assert repair_mojibake(good) is None
    assert repair_mojibake("Владимир Путин встретился с Си Цзиньпином") is None
