"""Dating and attribution rules added for the merged timeline (issue 4): each rule on a small made-up text."""

from __future__ import annotations

from typing import Any

from eng_helpers import make_article

from summitwatch.engagements import extract_article
from summitwatch.engagements.dates import find_dates
from summitwatch.mentions import normalise


def _engs(kn: Any, *paras: str, published: str) -> list[Any]:
    return list(extract_article(make_article(*paras, published=published), kn).engagements)


def test_weekday_pair_is_one_span_of_days() -> None:
    """「周四及周五兩天」 gives the first day with the last as date_end (published Friday 2018-05-04)."""
    days = [h for h in find_dates(normalise("在周四及周五兩天會議"), "2018-05-04", None) if h.date]
    assert [(h.date, h.date_end) for h in days] == [("2018-05-03", "2018-05-04")]


def test_weekdays_not_joined_stay_apart() -> None:
    days = [h for h in find_dates(normalise("周一會面，周三通話"), "2018-05-04", False) if h.date]
    assert [(h.date, h.date_end) for h in days] == [("2018-04-30", None), ("2018-05-02", None)]


def test_date_before_another_meeting_word_dates_that_meeting(kn: Any) -> None:
    """The 27th in 「落實兩國元首3月27日通電話精神」 is the leaders' call, not the health ministers' one."""
    engs = _engs(kn, "3月30日", "◆國家衛生健康委主任馬曉偉與美國衛生與公眾服務部長阿扎通電話，"
                 "落實中美兩國元首3月27日通電話精神，並就下一步合作交換意見。", published="2020-04-07")
    azar = [e for e in engs if "Alex Azar" in e.us]
    assert azar and azar[0].date == "2020-03-30"


def test_day_counted_from_taking_office(kn: Any) -> None:
    """「布林肯上任10天後」: ten days after the Secretary of State's start date in the officials data."""
    engs = _engs(kn, "這是布林肯上任10天後，首次與楊潔篪通電話。", published="2021-02-06")
    assert [(e.us, e.cn, e.modality, e.date) for e in engs] == [
        (("Antony Blinken",), ("Yang Jiechi",), "phone", "2021-02-05")]


def test_names_in_the_meeting_clause_are_near_however_long(kn: Any) -> None:
    """A long delegation phrase without punctuation is one constituent with the meeting word."""
    engs = _engs(kn, "2018年5月17日至18日，由習近平主席特使、國務院副總理劉鶴率領的中方代表團和包括財政部長姆欽、"
                 "商務部長羅斯等成員的美方代表團就貿易問題進行了建設性磋商。", published="2018-05-20")
    assert len(engs) == 1
    e = engs[0]
    assert "Liu He" in e.cn and "Steven Mnuchin" in e.us and (e.date, e.date_end) == ("2018-05-17", "2018-05-18")
    assert "Xi Jinping" not in e.cn  # 「習近平主席特使」 is his envoy, not Xi himself


def test_lead_talks_take_the_only_minister_named_for_a_side(kn: Any) -> None:
    """「中美兩國代表…舉行會談」 in the lead: a side whose only named minister appears once is still its principal."""
    engs = _engs(kn, "中美兩國代表在北京舉行經貿會談，官方新華社稱，在周四及周五兩天會議，雙方充分交換意見。",
                 "姆欽率團到北京。姆欽表示滿意。",
                 "新華社稱，國務院副總理劉鶴就經貿問題發表意見。", published="2018-05-04")
    assert [(e.us, e.cn, e.date, e.date_end, e.location) for e in engs][:1] == [
        (("Steven Mnuchin",), ("Liu He",), "2018-05-03", "2018-05-04", "Beijing")]


def test_date_of_a_media_report_does_not_date_the_meeting(kn: Any) -> None:
    """「今天就有媒體提到…接下來的拜習會」: today is when the media said it; the summit is still ahead."""
    engs = _engs(kn, "今天就有媒體提到，習近平願意與美國合作，台灣要特別注意接下來的拜習會談到台灣部分會談些什麼。",
                 published="2021-11-12")
    assert engs and all(e.date is None and e.status == "planned" for e in engs)


def test_date_in_a_bracketed_aside_does_not_date_the_meeting(kn: Any) -> None:
    """A clause in brackets (a weather aside) is not the meeting's day; a short gloss 「周五（11月13日）」 still is."""
    engs = _engs(kn, "國務卿布林肯下周將於阿拉斯加（剛看天氣報告說下周四最高氣溫是攝氏0度）跟國務委員楊潔篪會面。",
                 published="2021-03-11")
    assert [(e.date, e.status) for e in engs] == [(None, "planned")]
    engs = _engs(kn, "周五（11月13日），國務卿布林肯和外長王毅通話。", published="2021-11-14")
    assert [e.date for e in engs] == ["2021-11-13"]
