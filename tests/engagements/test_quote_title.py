"""Headline quotes (engagements/quote_title.py): a title kept outside the text, read as a text of its own.

Made-up headlines; the body names both sides and a meeting word, since quotes are read only from
articles past the extraction prefilter.
"""

from __future__ import annotations

from typing import Any

from eng_helpers import make_article

from summitwatch.engagements import extract_article
from summitwatch.engagements.quote_title import headline_parts, title_quotes
from summitwatch.model import Quote

CTX = "國家主席習近平與美國總統拜登通電話。"


def quotes(kn: Any, title: str, *paragraphs: str, title_block: bool = False) -> list[Quote]:
    art = make_article(CTX, *paragraphs, title=title, title_block=title_block)
    qs = [q for q in extract_article(art, kn).quotes if not q.reported]
    for q in qs:  # offsets point at the words in the title or in the text
        assert (art.title if q.in_title else art.text)[q.start:q.end] == q.text
    return qs


def test_headline_quote_is_found_and_attributed(kn: Any) -> None:
    qs = quotes(kn, "拜登稱「美國將與盟友一道應對挑戰」　中方回應：反對干涉內政", "雙方討論了台灣問題。")
    assert [(q.speaker, q.side, q.text, q.in_title) for q in qs] == [
        ("Joe Biden", "US", "美國將與盟友一道應對挑戰", True)]


def test_speaker_and_colon_headline(kn: Any) -> None:
    qs = quotes(kn, "王毅：「中方堅決反對任何形式的台獨」", "雙方討論了台灣問題。")
    assert [(q.speaker, q.in_title) for q in qs] == [("Wang Yi", True)]


def test_headline_verb_is_a_verb_in_a_headline_only(kn: Any) -> None:
    # 「承諾」 is a headline verb (quotes.headline_verbs); in running text it is mostly a noun
    qs = quotes(kn, "拜登承諾「中國武力攻台美國會出手」　不想展開冷戰", "雙方討論了台灣問題。")
    assert [(q.speaker, q.text, q.in_title) for q in qs] == [("Joe Biden", "中國武力攻台美國會出手", True)]
    body = quotes(kn, "", "中方作出承諾「在台灣問題上保持克制」，雙方討論了台灣問題。")
    assert not [q for q in body if q.text.startswith("在台灣問題上")]


def test_headline_shorthand_office_and_written_words(kn: Any) -> None:
    # 「美國防部長」 is the headline shorthand of 美國國防部長; 「撰文」 (writes) is a headline verb
    art = make_article("美國國防部長與中國國防部長通電話。", title="美國防部長撰文「美軍已為中國做好準備」",
                       title_block=False, published="2020-09-17T00:00:00+08:00")
    got = [(q.speaker, q.text) for q in extract_article(art, kn).quotes if q.in_title]
    assert got == [("Mark Esper", "美軍已為中國做好準備")]


def test_the_one_called_is_not_the_speaker(kn: Any) -> None:
    # 「X通話Y：「…」」: Y is who was called (quotes.object_before), so the words are not Y's
    for title in ("拜登通話習近平：「雙方同意遵守台灣協議」", "拜登通電話習近平：「雙方同意遵守台灣協議」"):
        assert [q.speaker for q in quotes(kn, title, "雙方討論了台灣問題。")] == [], title


def test_headline_parts_do_not_share_a_speaker(kn: Any) -> None:
    # a full-width space (or a space between Chinese words) ends a headline clause: the scholar's words
    # in the second part are not Biden's from the first
    for title in ("拜登強調台灣問題　學者：「這是一個重要的信號」", "拜登強調台灣問題 學者：「這是一個重要的信號」",
                  "習近平稱統一必然實現　「台灣絕對不會屈服於壓力」"):
        assert quotes(kn, title, "雙方討論了台灣問題。") == [], title
    assert headline_parts("拜登稱　學者 回應 Jen Psaki") == "拜登稱\n學者\n回應 Jen Psaki"


def test_headline_quote_the_body_prints_is_not_emitted_twice(kn: Any) -> None:
    qs = quotes(kn, "拜登稱「美國將與盟友一道應對挑戰」", "拜登說：「美國將與盟友一道應對挑戰，維護地區和平。」")
    assert [(q.text, q.in_title) for q in qs] == [("美國將與盟友一道應對挑戰，維護地區和平。", False)]
    # the same words in a different script and punctuation are the same quote too
    qs = quotes(kn, "拜登稱「美国将与盟友一道应对挑战！」", "拜登說：「美國將與盟友一道應對挑戰」")
    assert [q.in_title for q in qs] == [False]


def test_body_reported_speech_does_not_hide_the_headline_quote(kn: Any) -> None:
    art = make_article(CTX, "拜登表示美國將與盟友一道應對挑戰。", title="拜登稱「美國將與盟友一道應對挑戰」",
                       title_block=False)
    qs = extract_article(art, kn).quotes
    assert [(q.speaker, q.reported) for q in qs if q.in_title] == [("Joe Biden", False)]


def test_scare_quotes_and_names_in_a_headline_are_not_quotes(kn: Any) -> None:
    for title in ("拜登重申「一個中國」原則　習近平：台灣問題是核心利益",
                  "習近平稱「「一個中國」原則」不容挑戰",
                  "美方列「中國軍方企業」名單　習近平與拜登通電話"):
        assert quotes(kn, title, "雙方討論了台灣問題。") == [], title


def test_title_block_is_read_with_the_text(kn: Any) -> None:
    # a title kept as the first block is part of Article.text: the normal pass reads it, once
    qs = quotes(kn, "拜登稱「美國將與盟友一道應對挑戰」", "雙方討論了台灣問題。", title_block=True)
    assert [(q.speaker, q.in_title) for q in qs] == [("Joe Biden", False)]


def test_title_quotes_alone(kn: Any) -> None:
    assert title_quotes("", kn, "2021-11-16") == []
    assert title_quotes("拜登與習近平通電話", kn, "2021-11-16") == []
    body = [Quote("Joe Biden", "US", "美國將與盟友一道應對挑戰，維護地區和平", start=0, end=19)]
    assert title_quotes("拜登稱「美國將與盟友一道應對挑戰」", kn, "2021-11-16", body) == []
    other = [Quote("Xi Jinping", "PRC", "美國將與盟友一道應對挑戰", start=0, end=12)]
    got = title_quotes("拜登稱「美國將與盟友一道應對挑戰」", kn, "2021-11-16", other)
    assert [(q.speaker, q.start, q.end, q.in_title) for q in got] == [("Joe Biden", 4, 16, True)]
