"""Status, modality, scope and granularity rules on small hand-written articles."""

from __future__ import annotations

from typing import Any

import pytest
from eng_helpers import make_article

from summitwatch.engagements import extract_article


def _one(kn: Any, *paras: str, published: str = "2021-11-16T00:00:00+08:00") -> Any:
    engs = extract_article(make_article(*paras, published=published), kn).engagements
    assert len(engs) == 1, engs
    return engs[0]


@pytest.mark.parametrize("text,modality", [
    ("國家主席習近平與美國總統拜登通電話。", "phone"),
    ("國家主席習近平同美國總統拜登通話。", "phone"),
    ("國家主席習近平與美國總統拜登舉行視像會晤。", "video"),
    ("國家主席習近平與美國總統拜登舉行視頻會晤。", "video"),
    ("國家主席習近平與美國總統拜登舉行視訊會議。", "video"),
    ("國家主席習近平在北京會見美國總統拜登。", "in_person"),
    ("國家主席習近平與美國總統拜登舉行會談。", "in_person"),
    ("美國總統拜登設晚宴招待國家主席習近平。", "in_person"),
])
def test_modality_cues(kn: Any, text: str, modality: str) -> None:
    assert _one(kn, text).modality == modality


@pytest.mark.parametrize("text,status", [
    ("國家主席習近平將與美國總統拜登舉行視像會晤。", "planned"),
    ("國家主席習近平預計與美國總統拜登舉行視像會晤。", "planned"),
    ("國家主席習近平定於下周一與美國總統拜登舉行視像會晤。", "planned"),
    ("國家主席習近平計劃與美國總統拜登通電話。", "planned"),
    ("國家主席習近平即將與美國總統拜登會晤。", "planned"),
    ("國家主席習近平與美國總統拜登11月20日會晤。", "planned"),  # a date after publication
    ("國家主席習近平與美國總統拜登昨日通電話。", "held"),
    ("國家主席習近平與美國總統拜登原定的會晤已經取消。", "cancelled"),
    ("國家主席習近平與美國總統拜登的會晤宣布推遲。", "cancelled"),
])
def test_status_cues(kn: Any, text: str, status: str) -> None:
    assert _one(kn, text).status == status


@pytest.mark.parametrize("text", [
    "拜登表示，希望下次可與習近平面對面會晤。",  # a wish
    "美方提議拜登與習近平會面，中方未有回應。",  # a proposal
    "拜登與習近平在峰會場外握手。",  # a handshake in passing
    "國家主席習近平與俄羅斯總統普京通電話。",  # third country
    "外交部發言人表示，中美應加強溝通。",  # a statement, nobody named on the US side
])
def test_not_engagements(kn: Any, text: str) -> None:
    assert extract_article(make_article(text), kn).engagements == ()


def test_former_official_is_out_of_scope(kn: Any) -> None:
    art = make_article("前國務卿基辛格在北京會見國家主席習近平。", published="2019-11-22T00:00:00+08:00")
    assert extract_article(art, kn).engagements == ()


def test_office_title_resolves_on_publication_date(kn: Any) -> None:
    e = _one(kn, "美國國務卿與中國外長王毅通電話。", published="2019-06-01T00:00:00+08:00")
    assert e.us == ("Mike Pompeo",) and e.cn == ("Wang Yi",)


def test_heads_of_state_collective(kn: Any) -> None:
    e = _one(kn, "中美元首今早（16日）舉行視像會晤。")
    assert (e.us, e.cn, e.date, e.modality) == (("Joe Biden",), ("Xi Jinping",), "2021-11-16", "video")


def test_repeated_mentions_merge_into_one_record(kn: Any) -> None:
    e = _one(kn, "中美元首今早（16日）舉行視像會晤。", "拜登在會晤中提到台灣。習近平與拜登的視像會晤持續三小時。")
    assert e.date == "2021-11-16" and e.focus


def test_background_mention_is_a_separate_unfocused_record(kn: Any) -> None:
    engs = extract_article(make_article(
        "美國國務卿布林肯周五（11月12日）與外長王毅通電話。",
        "布林肯今年3月曾在阿拉斯加與王毅會晤。", published="2021-11-14T00:00:00+08:00"), kn).engagements
    assert len(engs) == 2
    bg = next(e for e in engs if e.modality == "in_person")
    assert bg.focus is False and bg.location == "Anchorage" and bg.date is None


def test_location_only_from_places_data(kn: Any) -> None:
    e = _one(kn, "楊潔篪與蓬佩奧在夏威夷會晤。", published="2020-06-18T00:00:00+08:00")
    assert e.location == "Honolulu"
    e2 = _one(kn, "楊潔篪與蓬佩奧在美國會晤。", published="2020-06-18T00:00:00+08:00")
    assert e2.location is None  # a country never maps to a city


def test_no_publication_date_keeps_relative_dates_null(kn: Any) -> None:
    engs = extract_article(make_article("國家主席習近平與美國總統拜登今早舉行視像會晤。", published=None), kn).engagements
    assert engs and engs[0].date is None


def test_same_day_takes_the_day_last_named(kn: Any) -> None:
    engs = extract_article(make_article(
        "中國外交部發言人3月12日在記者會上發表言論。",
        "同一天，美國國務卿蓬佩奧與中共中央外事辦主任楊潔篪通電話。", published="2020-03-17T00:00:00+08:00"), kn).engagements
    assert len(engs) == 1 and engs[0].date == "2020-03-12"


def test_stated_day_beats_a_bare_weekday(kn: Any) -> None:
    e = _one(kn, "香港時間上周五（10日）早上，即美國周四晚上，中美官方證實了國家主席習近平跟美國總統特朗普通了一次電話。",
             published="2017-02-13T00:00:00+08:00")
    assert e.date == "2017-02-10" and e.status == "held"


def test_calls_told_apart_by_listed_days(kn: Any) -> None:
    engs = extract_article(make_article(
        "這是拜登繼今年2月11日農曆新年及台灣時間9月10日後，第三度與習近平通話。",
        published="2021-10-06T00:00:00+08:00"), kn).engagements
    dated = sorted(e.date for e in engs if e.date)
    assert dated == ["2021-02-11", "2021-09-10"]
    assert all(e.modality == "phone" and e.us == ("Joe Biden",) for e in engs)
    assert any(e.date is None for e in engs)  # the third call itself has no stated day


def test_place_of_an_earlier_meeting_in_another_clause_is_not_the_location(kn: Any) -> None:
    """「又感謝特朗普今年四月在美國佛羅里達州的熱情接待」 is where the April summit was held, not
    where the visit being reported takes place (a country never maps to a city, so no location)."""
    engs = extract_article(make_article(
        "中央電視台報道，習近平熱烈歡迎特朗普訪華，又感謝特朗普今年四月在美國佛羅里達州的熱情接待。",
        published="2017-11-08T00:00:00+08:00"), kn).engagements
    # the visit has no place; the April reception, a background meeting of its own (issue 11), may keep Florida's
    assert engs and all(e.location != "Palm Beach" for e in engs if e.status == "held" and e.date_approx is None)
    e = _one(kn, "布林肯與楊潔篪18日在阿拉斯加舉行會談，雙方在安克雷奇展開對話。",
             published="2021-03-19T00:00:00+08:00")
    assert e.location == "Anchorage"  # a place in a clause without another time is still read

