"""Every direct quote of a US or PRC official or body in the five seed articles is found, attributed.

The expectations are a careful reader's, made by the gold conventions (../shared/gold/README.md): the
words in quote marks of six characters or more that the text gives to an official or a body, one
record per span (001 carries the White House readout twice: the lead and the body). 003's
「艱難且直率」 (Sullivan) is five characters and does not count.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from summitwatch.model import Article, RawDoc

SEEDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "seeds"
pytestmark = pytest.mark.skipif(not SEEDS.exists(), reason="../shared/corpus absent")

# file -> [(acceptable speakers, side, start of the quoted words)]
EXPECTED: dict[str, list[tuple[set[str], str, str]]] = {
    "000_bbaef8e750e56c0e.txt": [
        ({"Joe Biden"}, "US", "不會演變成衝突"),
        ({"Joe Biden"}, "US", "所有國家都必須恪守"),
        ({"Xi Jinping"}, "PRC", "既辦好我們各自國內的事"),
    ],
    "001_9a261e505b1e008c.txt": [
        ({"White House", "Joe Biden"}, "US", "強調他對北京脅迫性"),
        ({"White House", "Joe Biden"}, "US", "強調他對北京脅迫性"),
    ],
    "002_4d665036da3f0f00.txt": [
        ({"PRC Ministry of Foreign Affairs", "Wang Yi"}, "PRC", "双方要相向而行"),
        ({"Jen Psaki", "White House"}, "US", "两位领导人将讨论"),
        ({"Jen Psaki", "White House"}, "US", "在整个过程中"),
        ({"US Department of State", "Antony Blinken"}, "US", "国务卿强调美国长期以来"),
    ],
    "003_bd8ae3f1caba8eac.txt": [
        ({"Yang Jiechi"}, "PRC", "當然我們之間存在著一些重要分歧"),
        ({"Wang Yi"}, "PRC", "我們向美方明確指出"),
    ],
    "004_9d2fbf8147976a90.txt": [
        ({"Karine Jean-Pierre", "White House"}, "US", "在舊金山進行建設性對話"),
        ({"Han Zheng"}, "PRC", "正面訊號"),
        ({"Han Zheng"}, "PRC", "我們願同美方加強各層級溝通對話"),
        ({"Xi Jinping"}, "PRC", "架起友誼橋樑"),
        ({"Xi Jinping"}, "PRC", "友好省州、友好城市"),
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_quotes_found_and_attributed(name: str, kn: Any) -> None:
    from summitwatch.articles.parse import parse_record
    from summitwatch.engagements import extract_article

    art = parse_record(RawDoc(source=name, data=(SEEDS / name).read_bytes()))
    assert isinstance(art, Article)
    direct = [q for q in extract_article(art, kn).quotes if not q.reported]
    for speakers, side, start in EXPECTED[name]:
        got = [q for q in direct if q.text.startswith(start)]
        assert len(got) >= sum(1 for _, _, s in EXPECTED[name] if s == start), (start, [q.text[:12] for q in direct])
        assert all(q.speaker in speakers and q.side == side for q in got), (start, [(q.speaker, q.side) for q in got])
        assert all(art.text[q.start:q.end] == q.text for q in got)
