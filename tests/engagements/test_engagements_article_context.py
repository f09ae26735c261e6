"""Fields an engagement takes from the rest of its article: sentences written for each phenomenon.

Issue 11 (location and date accuracy): a meeting clause that names its sides only as 「中美」, a place that
only names the clock a day is told in, and the title that fixes the day of the meeting it names.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from eng_helpers import make_article

from summitwatch.engagements import extract_article


def _engs(kn: Any, *paras: str, published: str = "2021-03-18T00:00:00+08:00", title: str = "") -> tuple[Any, ...]:
    return extract_article(make_article(*paras, published=published, title=title), kn).engagements


def test_pair_only_meeting_clause_takes_the_principals_not_a_speaker_of_another_clause(kn: Any) -> None:
    # the lead's meeting clause names its sides only as 中美; the ambassador of the next clause speaks about
    # it (his 「期待」 is no wish for the meeting), so the sides are the ministers the article's meetings name
    engs = _engs(kn, "中美會談將於本月19日在阿拉斯加舉行，已抵達當地的駐美大使崔天凱稱，對會面不抱太高期待。",
                 "據報布林肯、沙利文將與楊潔篪和王毅會談，布林肯此前已出訪日韓。",
                 published="2021-03-16T00:00:00+08:00")
    rec = [e for e in engs if "Yang Jiechi" in e.cn]
    assert len(rec) == 1, engs
    e = rec[0]
    assert (e.date, e.location, e.status) == ("2021-03-19", "Anchorage", "planned")
    assert set(e.us) == {"Antony Blinken", "Jake Sullivan"} and "Cui Tiankai" not in e.cn


def test_principals_of_unnamed_talks_are_ministers_of_both_sides(kn: Any) -> None:
    # a minister's remark about an ambassador is named twice, the ministers' talks once: the unnamed
    # 「中美會談」 of the lead is the talks between ministers of both sides
    engs = _engs(kn, "中美會談將於本月19日在阿拉斯加舉行。",
                 "駐美大使崔天凱在會面前批評布林肯。崔天凱又指布林肯在會面前出訪日韓。",
                 "布林肯、沙利文將與楊潔篪和王毅見面。",
                 published="2021-03-16T00:00:00+08:00")
    dated = [e for e in engs if e.date == "2021-03-19"]
    assert len(dated) == 1, engs
    assert set(dated[0].cn) == {"Yang Jiechi", "Wang Yi"}


def test_place_before_time_word_is_the_clock_not_the_location(kn: Any) -> None:
    # 「香港時間19日」 tells the day in Hong Kong's clock; the meeting is in Alaska
    engs = _engs(kn, "布林肯將在阿拉斯加與楊潔篪於香港時間19日會談。", published="2021-03-16T00:00:00+08:00")
    assert [(e.date, e.location) for e in engs] == [("2021-03-19", "Anchorage")]


def test_place_of_a_clock_alone_gives_no_location(kn: Any) -> None:
    engs = _engs(kn, "布林肯將與楊潔篪於北京時間周五會談。", published="2021-03-16T00:00:00+08:00")
    assert [(e.date, e.location) for e in engs] == [("2021-03-19", None)]


def _titled(kn: Any, title: str, *paras: str, published: str) -> tuple[Any, ...]:
    """An article whose title is kept outside its blocks (as the parsed archive pages are)."""
    base = make_article(*paras, published=published)
    return extract_article(replace(base, title=title), kn).engagements


def test_title_outside_the_blocks_gives_the_day_of_the_meeting_it_names(kn: Any) -> None:
    # published on a Tuesday; the title's 「周三」 is the next day, which no body sentence gives
    engs = _titled(kn, "報道：蓬佩奧楊潔篪周三夏威夷會晤",
                   "外交部發言人回應有報道指蓬佩奧將與楊潔篪在夏威夷會晤時說，如有消息將及時發布。",
                   published="2020-06-16T00:00:00+08:00")
    assert [(e.date, e.location, e.status) for e in engs] == [("2020-06-17", "Honolulu", "planned")]


def test_title_day_needs_both_sides_of_the_record_in_the_title(kn: Any) -> None:
    # the title's day is about someone else's trip: the meeting stays undated
    engs = _titled(kn, "蓬佩奧周三出訪日本",
                   "外交部發言人回應有報道指蓬佩奧將與楊潔篪在夏威夷會晤時說，如有消息將及時發布。",
                   published="2020-06-16T00:00:00+08:00")
    assert [e.date for e in engs] == [None]


def test_title_with_two_days_dates_nothing(kn: Any) -> None:
    engs = _titled(kn, "蓬佩奧周三抵夏威夷　周四與楊潔篪會晤",
                   "外交部發言人回應有報道指蓬佩奧將與楊潔篪在夏威夷會晤時說，如有消息將及時發布。",
                   published="2020-06-16T00:00:00+08:00")
    assert [e.date for e in engs] == [None]


def test_title_day_is_not_given_to_a_background_meeting(kn: Any) -> None:
    # the title dates the coming summit; last year's Bali meeting mentioned in the body keeps no day
    engs = _titled(kn, "拜登習近平周三舊金山會晤",
                   "拜登與習近平去年在峇里島會晤後，兩國關係一度回暖。",
                   published="2023-11-13T00:00:00+08:00")
    bali = [e for e in engs if e.location == "Bali"]
    assert bali and all(e.date is None and not e.focus for e in bali), engs


def test_meeting_on_a_visit_the_lead_dates_and_places_below_level(kn: Any) -> None:
    # the deputies' talks are below the spec's level (no record) but put 舍曼 in Tianjin today; her
    # undated meeting with the foreign minister that the article reports took place on that visit
    engs = _engs(kn, "副外長謝鋒與常務副國務卿舍曼今日在天津舉行會談。",
                 "美國國務院的新聞稿只提到舍曼與外交部長王毅的會談。",
                 published="2021-07-26T00:00:00+08:00", title="中美會談火藥味濃")
    assert [(e.us, e.cn, e.date, e.location) for e in engs] == [
        (("Wendy Sherman",), ("Wang Yi",), "2021-07-26", "Tianjin")]


def test_visit_day_is_not_given_to_a_background_meeting(kn: Any) -> None:
    # the same person's meeting of last year is background, not part of today's visit
    engs = _engs(kn, "副外長謝鋒與常務副國務卿舍曼今日在天津舉行會談。",
                 "舍曼上月曾與外交部長王毅會談。",
                 published="2021-07-26T00:00:00+08:00", title="中美會談火藥味濃")
    assert [(e.date, e.location) for e in engs] == [(None, None)]
