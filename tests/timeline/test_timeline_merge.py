"""Merging rules of the timeline (issue 4): one entry per engagement, lifecycle, dates, stable ids."""

from __future__ import annotations

import hashlib
import random

from timeline_helpers import make_ref

from summitwatch.timeline import build_timeline
from summitwatch.timeline.dating import states_day

ANC_US, ANC_CN = ["Antony Blinken", "Jake Sullivan"], ["Yang Jiechi", "Wang Yi"]


def _anchorage() -> list:
    return [
        make_ref("39149", "2021-03-11", ["Antony Blinken"], ANC_CN, status="planned", date="2021-03-18",
                 location="Anchorage", evidence="布林肯將於18日在安克雷奇與楊潔篪、王毅會面"),
        make_ref("39467", "2021-03-19", ANC_US, ANC_CN, date="2021-03-18", date_end="2021-03-19",
                 location="Anchorage", evidence="美國時間星期四(18日)在阿拉斯加州安克雷奇舉行"),
        make_ref("39427", "2021-03-18", ANC_US, ANC_CN, status="planned", date="2021-03-19", location="Anchorage",
                 evidence="香港時間19日"),
        make_ref("39492", "2021-03-20", ANC_US, ANC_CN, location="Anchorage",
                 evidence="中美在阿拉斯加的三場高層會談結束，雙方沒有發表聯合聲明。"),
        make_ref("39536", "2021-03-22", ["Antony Blinken"], ["Yang Jiechi"], location="Anchorage"),
    ]


def test_anchorage_undated_record_joins_dated_talks() -> None:
    entries = build_timeline(_anchorage())
    assert len(entries) == 1
    e = entries[0]
    assert (e.date, e.date_end, e.location, e.status) == ("2021-03-18", "2021-03-19", "Anchorage", "held")
    assert "dir/39492.md" in e.sources and "dir/39536.md" in e.sources
    assert set(e.us) == set(ANC_US) and set(e.cn) == set(ANC_CN)
    # provenance names the article whose sentence states the day; the HK-frame 19th is an alternative
    assert e.data["provenance"]["date"]["article_id"] == "39467"
    assert [a["date"] for a in e.data["alternatives"]] == ["2021-03-19"]
    assert e.data["coverage"]["first_report"] == "2021-03-11" and e.data["coverage"]["last_report"] == "2021-03-22"


def test_planned_then_held_is_one_entry_with_history() -> None:
    refs = [
        make_ref("31024", "2020-06-15", ["Mike Pompeo"], ["Yang Jiechi"], status="planned", location="Honolulu"),
        make_ref("31050", "2020-06-16", ["Mike Pompeo"], ["Yang Jiechi"], status="planned", date="2020-06-17",
                 location="Honolulu"),
        make_ref("31253", "2020-06-22", ["Mike Pompeo"], ["Yang Jiechi"], date="2020-06-17", location="Honolulu",
                 evidence="上周三（17日）"),
    ]
    entries = build_timeline(refs)
    assert len(entries) == 1
    e = entries[0]
    assert e.status == "held" and e.date == "2020-06-17"
    events = [(h["event"], h["on"]) for h in e.data["history"]]
    assert events == [("announced", "2020-06-15"), ("expected", "2020-06-16"), ("held", "2020-06-17")]


def test_planned_only_and_cancelled() -> None:
    planned = build_timeline([make_ref("p1", "2021-10-05", ["Katherine Tai"], ["Liu He"], modality="video",
                                       status="planned", focus=False)])
    assert [(e.status, e.date) for e in planned] == [("planned", None)]
    refs = [
        make_ref("c1", "2022-01-02", ["Antony Blinken"], ["Wang Yi"], status="planned", date="2022-02-05"),
        make_ref("c2", "2022-02-03", ["Antony Blinken"], ["Wang Yi"], status="cancelled", date="2022-02-05"),
    ]
    (e,) = build_timeline(refs)
    assert e.status == "cancelled"
    assert [h["event"] for h in e.data["history"]] == ["announced", "cancelled"]


def test_us_and_beijing_dates_merge_within_one_day() -> None:
    refs = [
        make_ref("26744", "2020-02-08", ["Donald Trump"], ["Xi Jinping"], modality="phone", date="2020-02-06",
                 evidence="特朗普和習近平周四就疫情通電話"),
        make_ref("28683", "2020-04-07", ["Donald Trump"], ["Xi Jinping"], modality="phone", date="2020-02-07",
                 focus=False, evidence="2月7日 習近平應約同美國總統特朗普通電話"),
        make_ref("33770", "2020-09-11", ["Donald Trump"], ["Xi Jinping"], modality="phone", date="2020-02-06",
                 focus=False),
        # a different call of the same pair six weeks later stays apart
        make_ref("28325", "2020-03-27", ["Donald Trump"], ["Xi Jinping"], modality="phone", date="2020-03-27"),
    ]
    entries = build_timeline(refs)
    assert [(e.date, len(e.sources)) for e in entries] == [("2020-02-06", 3), ("2020-03-27", 1)]
    alt = entries[0].data["alternatives"]
    assert alt[0]["date"] == "2020-02-07" and alt[0]["sources"][0]["article_id"] == "28683"


def test_two_meetings_of_one_trip_stay_apart() -> None:
    refs = [
        make_ref("m1", "2018-06-27", ["Jim Mattis"], ["Wei Fenghe"], date="2018-06-27", location="Beijing"),
        make_ref("m1", "2018-06-27", ["Jim Mattis"], ["Xi Jinping"], date="2018-06-27", location="Beijing", seq=1),
        # an article lumping both counterparts into one record must not chain the two meetings
        make_ref("m2", "2018-06-28", ["Jim Mattis"], ["Xi Jinping", "Wei Fenghe"], date="2018-06-27", focus=False),
        make_ref("m3", "2018-06-28", ["Jim Mattis"], ["Wei Fenghe"], date="2018-06-27", focus=False),
        make_ref("m4", "2018-06-28", ["Jim Mattis"], ["Xi Jinping"], date="2018-06-27", focus=False),
    ]
    entries = build_timeline(refs)
    assert len(entries) == 2
    by_cn = {tuple(sorted(e.cn)) if len(e.cn) == 1 else e.cn[0]: e for e in entries}
    wei = next(e for e in entries if e.cn[0] == "Wei Fenghe")
    xi = next(e for e in entries if e.cn[0] == "Xi Jinping")
    assert "dir/m3.md" in wei.sources and "dir/m3.md" not in xi.sources
    assert "dir/m4.md" in xi.sources and "dir/m4.md" not in wei.sources
    assert wei.id != xi.id and by_cn


def test_undated_records_point_by_publication_date() -> None:
    refs = [
        make_ref("d1", "2017-04-07", ["Donald Trump"], ["Xi Jinping"], date="2017-04-06", date_end="2017-04-07",
                 location="Palm Beach"),
        make_ref("d2", "2017-11-09", ["Donald Trump"], ["Xi Jinping"], date="2017-11-09", location="Beijing"),
        # background mention in May: the latest meeting before publication (Mar-a-Lago)
        make_ref("b1", "2017-05-29", ["Donald Trump"], ["Xi Jinping"], focus=False),
        # an announcement in September: the next meeting after publication (Beijing)
        make_ref("b2", "2017-09-13", ["Donald Trump"], ["Xi Jinping"], status="planned", focus=False),
        # a report about a meeting two months after the last dated one is not that meeting
        make_ref("f1", "2018-01-20", ["Donald Trump"], ["Xi Jinping"], date_approx="2018-01"),
        # a background record whose approximate month rules out the latest meeting
        make_ref("b3", "2018-03-01", ["Donald Trump"], ["Xi Jinping"], focus=False, date_approx="2017-04"),
    ]
    built = build_timeline(refs)

    def entry_of(source: str):  # noqa: ANN202
        return next(e for e in built if f"dir/{source}.md" in e.sources)

    assert entry_of("b1") is entry_of("d1") and entry_of("b3") is entry_of("d1")
    assert entry_of("b2") is entry_of("d2")
    undated = entry_of("f1")
    assert undated.sources == ["dir/f1.md"]
    assert (undated.date, undated.date_approx, undated.date_precision) == (None, "2018-01", "month")


def test_undated_focus_reports_far_apart_are_different_engagements() -> None:
    refs = [
        make_ref("u1", "2017-07-03", ["Donald Trump"], ["Xi Jinping"], modality="phone"),
        make_ref("u2", "2017-07-04", ["Donald Trump"], ["Xi Jinping"], modality="phone"),
        make_ref("u3", "2018-01-16", ["Donald Trump"], ["Xi Jinping"], modality="phone"),
    ]
    entries = build_timeline(refs)
    assert sorted(len(e.sources) for e in entries) == [1, 2]


def test_stable_ids_across_shuffled_input() -> None:
    refs = _anchorage() + [
        make_ref("26744", "2020-02-08", ["Donald Trump"], ["Xi Jinping"], modality="phone", date="2020-02-06"),
        make_ref("28683", "2020-04-07", ["Donald Trump"], ["Xi Jinping"], modality="phone", date="2020-02-07"),
        make_ref("x", "2018-06-27", ["Jim Mattis"], ["Wei Fenghe"], date="2018-06-27"),
        make_ref("x", "2018-06-27", ["Jim Mattis"], ["Xi Jinping"], date="2018-06-27", seq=1),
        make_ref("u", "2017-07-03", ["Donald Trump"], ["Xi Jinping"], modality="phone"),
    ]
    first = [e.to_dict() for e in build_timeline(refs)]
    rng = random.Random(7)
    for _ in range(5):
        shuffled = refs[:]
        rng.shuffle(shuffled)
        assert [e.to_dict() for e in build_timeline(shuffled)] == first
    anchorage = next(e for e in first if e["date"] == "2021-03-18")
    basis = "2021-03-18|in_person|antonyblinken|yangjiechi"
    assert anchorage["id"] == "e-" + hashlib.sha1(basis.encode()).hexdigest()[:10]
    assert len({e["id"] for e in first}) == len(first)


def test_id_survives_an_added_source() -> None:
    base = _anchorage()
    before = build_timeline(base)[0].id
    extra = make_ref("47091", "2021-11-01", ["Antony Blinken"], ["Wang Yi"], focus=False, location="Anchorage")
    assert build_timeline([*base, extra])[0].id == before


def test_states_day() -> None:
    import datetime as dt

    d = dt.date(2021, 11, 16)
    assert states_day("中美元首今早（16日）舉行視像會晤", d)
    assert states_day("十一月十六日", d)
    assert not states_day("周二舉行", d)


def test_quotes_topics_and_outlet_framing() -> None:
    from summitwatch.model import Quote
    from summitwatch.timeline import QuoteRef
    from summitwatch.timeline.outlets import parse_framing

    refs = [
        make_ref("o1", "2021-11-16", ["Joe Biden"], ["Xi Jinping"], modality="video", date="2021-11-16",
                 outlet="眾新聞", topics=("taiwan",)),
        make_ref("o2", "2021-11-16", ["Joe Biden"], ["Xi Jinping"], modality="video", date="2021-11-16",
                 outlet="大紀元", topics=("trade",)),
    ]
    quotes = [
        QuoteRef("o1", Quote(speaker="Xi Jinping", side="PRC", text="台灣問題是中國內政", start=5)),
        QuoteRef("o2", Quote(speaker="Joe Biden", side="US", text="關稅與貿易要公平", start=3)),
        QuoteRef("o2", Quote(speaker="Jen Psaki", side="US", text="not a participant")),
    ]
    framing = parse_framing({"markers": [
        {"id": "ccp", "category": "prc_name", "label": "CCP", "zh": ["中共"]},
        {"id": "china", "category": "prc_name", "label": "China", "zh": ["中國"]},
        {"id": "title_plain", "category": "leader_title", "label": "President", "zh": ["國家主席"]},
        {"id": "title_ccp", "category": "leader_title", "label": "CCP President", "zh": ["中共國家主席"]},
    ]})
    texts = {"o1": "中國國家主席習近平與拜登視像會晤。中國外交部稱…", "o2": "中共國家主席習近平與拜登會晤，中共…"}
    (e,) = build_timeline(refs, quotes=quotes, framing=framing, texts=texts,
                          topic_cues={"台灣": ("taiwan",), "關稅": ("trade",), "貿易": ("trade",)})
    assert [q["speaker"] for q in e.data["quotes"]] == ["Xi Jinping", "Joe Biden"]
    assert e.data["topics"] == ["taiwan", "trade"]
    assert e.data["topics_by_side"] == {"PRC": ["taiwan"], "US": ["trade"]}
    outlets = {o["outlet"]: o for o in e.data["outlets"]["outlets"]}
    assert outlets["眾新聞"]["names"] == {"prc_name": {"China": 2}, "leader_title": {"President": 1}}
    # 中共國家主席 counts once, as the CCP title, not also as the plain title
    assert outlets["大紀元"]["names"] == {"prc_name": {"CCP": 1}, "leader_title": {"CCP President": 1}}
    assert [q["text"] for q in outlets["大紀元"]["quotes"]] == ["關稅與貿易要公平"]
    assert outlets["眾新聞"]["topics"] == ["taiwan"]


def test_framing_file_absent_or_odd_shapes(tmp_path) -> None:  # noqa: ANN001
    from summitwatch.timeline.outlets import load_framing, parse_framing

    assert not load_framing(tmp_path / "missing.yaml").available
    odd = parse_framing({"prc_name": {"CCP": ["中共"], "China": "中國"}, "leader_title": ["國家主席"]})
    assert dict(odd.groups)["prc_name"] == (("CCP", ("中共",)), ("China", ("中國",)))
    assert dict(odd.groups)["leader_title"] == (("國家主席", ("國家主席",)),)


def test_plan_with_shifted_day_folds_into_held_engagement() -> None:
    refs = [
        # an announcement whose resolved day is off by a few days (and names the wrong city)
        make_ref("p", "2017-04-03", ["Donald Trump"], ["Xi Jinping"], status="planned", focus=False,
                 date="2017-04-10", location="Beijing", evidence="計劃在4月10日"),
        make_ref("h1", "2017-04-07", ["Donald Trump"], ["Xi Jinping"], date="2017-04-06", date_end="2017-04-07",
                 location="Palm Beach", evidence="特朗普周四晚在海湖莊園舉行晚宴"),
        make_ref("h2", "2017-04-09", ["Donald Trump"], ["Xi Jinping"], date="2017-04-07", location="Palm Beach",
                 evidence="4月7日會晤"),
        make_ref("h3", "2017-04-10", ["Donald Trump"], ["Xi Jinping"], focus=False),
    ]
    (e,) = build_timeline(refs)
    assert (e.date, e.status, e.location) == ("2017-04-06", "held", "Palm Beach")
    assert "2017-04-10" in [a["date"] for a in e.data["alternatives"]]
    assert e.data["history"][0]["event"] == "announced"


def test_same_sides_same_day_other_modality_is_one_engagement() -> None:
    refs = [
        make_ref("v", "2021-10-07", ["Jake Sullivan"], ["Yang Jiechi"], modality="video", date="2021-10-06",
                 evidence="在瑞士時間周三舉行會晤"),
        make_ref("z", "2021-10-07", ["Jake Sullivan"], ["Yang Jiechi"], date="2021-10-06", location="Zurich",
                 focus=False, evidence="沙利文6日與楊潔篪在瑞士蘇黎世會晤"),
        make_ref("u", "2021-10-06", ["Jake Sullivan"], ["Yang Jiechi"], location="Zurich", focus=False),
    ]
    (e,) = build_timeline(refs)
    assert (e.modality, e.date, e.location, len(e.sources)) == ("in_person", "2021-10-06", "Zurich", 3)


def test_explicit_days_a_week_apart_stay_apart() -> None:
    refs = [
        make_ref("a", "2020-01-28", ["Mike Pompeo"], ["Yang Jiechi"], modality="phone", date="2020-01-27",
                 evidence="1月27日通電話"),
        make_ref("b", "2020-02-03", ["Mike Pompeo"], ["Yang Jiechi"], modality="phone", date="2020-02-02",
                 evidence="2月2日再通電話"),
        make_ref("c", "2020-02-03", ["Mike Pompeo"], ["Yang Jiechi"], modality="phone", date="2020-02-02",
                 evidence="2日通電話"),
    ]
    assert [e.date for e in build_timeline(refs)] == ["2020-01-27", "2020-02-02"]


def test_occasion_points_an_undated_mention_to_its_summit() -> None:
    import dataclasses

    osaka = make_ref("o", "2019-06-30", ["Donald Trump"], ["Xi Jinping"], date="2019-06-29", location="Osaka")
    ba = make_ref("b", "2018-12-02", ["Donald Trump"], ["Xi Jinping"], date="2018-12-01", location="Buenos Aires")
    osaka = dataclasses.replace(osaka, engagement=dataclasses.replace(osaka.engagement, occasion="G20 2019"))
    ba = dataclasses.replace(ba, engagement=dataclasses.replace(ba.engagement, occasion="G20 2018"))
    mention = make_ref("m", "2020-06-04", ["Donald Trump"], ["Xi Jinping"], focus=False)
    mention = dataclasses.replace(mention, engagement=dataclasses.replace(mention.engagement, occasion="G20 2018"))
    entries = build_timeline([osaka, ba, mention])
    assert next(e for e in entries if "dir/m.md" in e.sources).date == "2018-12-01"
    assert next(e for e in entries if e.date == "2018-12-01").occasion == "G20 2018"


def test_plan_of_a_past_named_summit_joins_that_summit() -> None:
    """「去年G20峰會前夕」 written a year later reads as a plan, but it names a summit that has been held:
    it joins that engagement (one entry, held) instead of standing as a plan of its own."""
    import dataclasses

    osaka = make_ref("o", "2019-06-30", ["Donald Trump"], ["Xi Jinping"], date="2019-06-29", location="Osaka")
    osaka = dataclasses.replace(osaka, engagement=dataclasses.replace(osaka.engagement, occasion="G20 2019"))
    eve = make_ref("p", "2020-11-04", ["Donald Trump"], ["Xi Jinping"], status="planned", focus=False,
                   location="Osaka", date_approx="2019")
    eve = dataclasses.replace(eve, engagement=dataclasses.replace(eve.engagement, occasion="G20 2019"))
    (e,) = build_timeline([osaka, eve])
    assert e.date == "2019-06-29" and e.status == "held" and "dir/p.md" in e.sources


def test_undated_report_of_the_day_with_a_weak_modality_joins_that_days_engagement() -> None:
    """「習拜會結束之後」 published the day after the video summit: 習拜會 says nothing of the modality
    (read as in person), yet a report of the day about the same two sides is that summit."""
    video = make_ref("v", "2021-11-16", ["Joe Biden"], ["Xi Jinping"], modality="video", date="2021-11-16")
    after = make_ref("a", "2021-11-17", ["Joe Biden"], ["Xi Jinping"], evidence="習拜會結束之後")
    (e,) = build_timeline([video, after])
    assert e.modality == "video" and e.date == "2021-11-16" and "dir/a.md" in e.sources
    # a week later 習拜會 still refers to that summit (issue 11: unstated modality is the referent's);
    # a month later nothing stated is near, so it stays an in-person entry of its own
    week = make_ref("w", "2021-11-23", ["Joe Biden"], ["Xi Jinping"], evidence="習拜會")
    assert len(build_timeline([video, week])) == 1
    late = make_ref("l", "2021-12-24", ["Joe Biden"], ["Xi Jinping"], evidence="習拜會")
    assert len(build_timeline([video, late])) == 2
