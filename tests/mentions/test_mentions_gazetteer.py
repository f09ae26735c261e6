"""Gazetteer and officials: script normalisation with offsets, office titles by date, exclusions."""

from __future__ import annotations

from typing import Any

import pytest

from summitwatch.mentions import find_mentions, normalise, scan
from summitwatch.mentions.officials import resolve_office
from summitwatch.model import Article, Block


@pytest.fixture(scope="module")
def kn() -> Any:
    from summitwatch.knowledge import load_knowledge

    return load_knowledge()


def _art(text: str, published: str | None = "2021-03-20T00:00:00+08:00") -> Article:
    return Article(id="m", content_hash="", source="m.md", format="yaml-markdown", title="",
                   blocks=(Block("paragraph", text),), published=published)


def test_normalise_keeps_length_and_maps_scripts() -> None:
    t = "楊潔篪與蓬佩奧在夏威夷會晤 Antony Blinken"
    n = normalise(t)
    assert len(n) == len(t)
    assert n.startswith("杨洁篪与蓬佩奥")
    assert "antony blinken" in n


def test_both_scripts_and_transliterations_map_to_one_name(kn: Any) -> None:
    for text in ("蓬佩奧", "蓬佩奥", "庞皮欧"):
        keys = {m.key for m in find_mentions(_art(f"美方代表{text}表示"), kn) if m.kind == "person"}
        assert keys == {"Mike Pompeo"}, text


def test_offsets_point_into_original_text(kn: Any) -> None:
    art = _art("消息指，美國國務卿布林肯與中國外長王毅通電話。")
    for m in find_mentions(art, kn):
        assert art.text[m.start:m.end] == m.surface


def test_office_title_resolves_by_date(kn: Any) -> None:
    sec = next(o.id for o in kn.offices.values() if o.en == "Secretary of State")
    assert resolve_office(kn, sec, "2021-03-20") == "Antony Blinken"
    assert resolve_office(kn, sec, "2019-06-01") == "Mike Pompeo"
    assert resolve_office(kn, sec, "2021-03-20", "former") == "Mike Pompeo"
    ms = [m for m in find_mentions(_art("美國國務卿表示", "2019-06-01T00:00:00+08:00"), kn) if m.kind == "office"]
    assert ms and ms[0].key == "Mike Pompeo"


def test_bare_title_needs_a_country(kn: Any) -> None:
    # 「國防部長」 alone could be either side: no office mention; with 美國 it is the US one
    bare = [m for m in find_mentions(_art("國防部長說"), kn) if m.kind == "office"]
    us = [m for m in find_mentions(_art("美國國防部長說"), kn) if m.kind == "office"]
    assert not bare
    assert us and us[0].side == "US"


def test_longer_word_containing_an_alias_is_not_the_person(kn: Any) -> None:
    keys = {m.key for m in find_mentions(_art("習近平與俄羅斯總統通電話"), kn) if m.kind == "person"}
    assert "Wilbur Ross" not in keys


def test_title_links_to_following_name(kn: Any) -> None:
    spans = [s for s in scan("美國國務卿布林肯表示", kn) if s.kind == "office"]
    assert spans and spans[0].person == "Antony Blinken"


def test_joint_title_does_not_yield_the_topic_word_inside_it(kn: Any) -> None:
    """「中美元首」 (both presidents) contains 美元 (US dollar): no finance topic from it, while the
    word itself still counts where it stands alone."""
    topics = {m.key for m in find_mentions(_art("中美元首今早舉行視像會晤。"), kn) if m.kind == "topic"}
    assert "finance" not in topics
    topics = {m.key for m in find_mentions(_art("美元兌人民幣匯率走強。"), kn) if m.kind == "topic"}
    assert "finance" in topics
