"""Quotes: direct words in quote marks attributed to a named speaker; reported speech; scare quotes skipped.

Quotes are read only from articles past the prefilter (both sides named and a meeting word), so each
case starts with such a sentence.
"""

from __future__ import annotations

from typing import Any

from eng_helpers import make_article as _make

from summitwatch.engagements import extract_article

CTX = "國家主席習近平與美國總統拜登通電話。"


def make_article(text: str) -> Any:
    return _make(CTX + text)



def test_direct_quote_with_speaker(kn: Any) -> None:
    art = make_article("國家主席習近平通電話時說：「中美合則兩利，鬥則俱傷，合作是唯一正確的選擇。」")
    qs = extract_article(art, kn).quotes
    assert any(q.speaker == "Xi Jinping" and q.side == "PRC" and not q.reported
               and q.text.startswith("中美合則兩利") for q in qs)
    q = next(q for q in qs if q.speaker == "Xi Jinping")
    assert art.text[q.start:q.end] == q.text


def test_reported_speech(kn: Any) -> None:
    qs = extract_article(make_article("美國國務卿布林肯表示，美方將繼續與盟友緊密合作應對挑戰。"), kn).quotes
    assert any(q.speaker == "Antony Blinken" and q.reported for q in qs)


def test_scare_quotes_are_not_quotes(kn: Any) -> None:
    qs = extract_article(make_article("習近平以「老朋友」稱呼拜登。"), kn).quotes
    assert not [q for q in qs if q.text == "老朋友"]


def test_addressee_is_not_the_speaker(kn: Any) -> None:
    qs = extract_article(make_article("楊潔篪在電話中向蓬佩奧表示，中方始終本着公開透明負責任的態度。"), kn).quotes
    assert qs and all(q.speaker == "Yang Jiechi" for q in qs)
