"""Issue 11 rules that must hold on text the extractor was never tuned on. Every sentence here was written
for its test; the comment above each test names the phenomenon it covers."""

from __future__ import annotations

from typing import Any

from eng_helpers import make_article

from summitwatch.engagements import extract_article
from summitwatch.engagements.fields import resolve_occasion, summit_hosts


def _engs(kn: Any, *paras: str, published: str = "2021-11-16T00:00:00+08:00") -> tuple[Any, ...]:
    return extract_article(make_article(*paras, published=published), kn).engagements


def _one(kn: Any, *paras: str, published: str = "2021-11-16T00:00:00+08:00") -> Any:
    engs = _engs(kn, *paras, published=published)
    assert len(engs) == 1, engs
    return engs[0]


# -- 1. occasions: a series mention resolved to one instance -------------------------------------

def test_host_country_anywhere_in_the_sentence_picks_the_instance(kn: Any) -> None:
    # the series word (G20) and the host country (日本) are apart; the country alone gives no city
    e = _one(kn, "去年在日本舉行的二十國集團領導人峰會期間，特朗普與習近平舉行了會晤。", published="2020-03-02T00:00:00+08:00")
    assert (e.occasion, e.location, e.date) == ("G20 2019", "Osaka", None)


def test_planned_series_meeting_takes_the_next_instance(kn: Any) -> None:
    # 「下月…APEC」: future tense and the publication date choose the coming instance and its host city
    e = _one(kn, "白宮表示，拜登預計下月在亞太經合組織峰會期間與習近平會面。", published="2023-10-12T00:00:00+08:00")
    assert (e.occasion, e.location, e.status, e.date) == ("APEC 2023", "San Francisco", "planned", None)


def test_held_series_meeting_takes_the_latest_instance_begun(kn: Any) -> None:
    # a past-tense report with the bare series name: the latest instance on or before publication
    e = _one(kn, "蓬佩奧早前在G20峰會期間曾與王毅會面。", published="2019-08-01T00:00:00+08:00")
    assert (e.occasion, e.location, e.status) == ("G20 2019", "Osaka", "held")


def test_occasion_over_before_publication_makes_a_plan_held(kn: Any) -> None:
    # the clause says 將, but the instance it names ended weeks before publication
    e = _one(kn, "特朗普將在大阪G20峰會期間與習近平會晤。", published="2019-07-20T00:00:00+08:00")
    assert (e.location, e.status) == ("Osaka", "held")


def test_host_words_are_derived_from_instance_names(kn: Any) -> None:
    hosts = summit_hosts(kn)
    assert "印尼" in hosts["g20.2022"] and "巴厘岛" in hosts["g20.2022"]
    assert not any("中国" in h or "美国" in h for words in hosts.values() for h in words)


def test_resolver_without_a_publication_date_leaves_the_series_unresolved(kn: Any) -> None:
    g20 = {s.id for s in kn.summits if s.series == "G20"}
    assert resolve_occasion(kn, [g20], "峰会期间会晤", None, None, None, None) is None
    assert resolve_occasion(kn, [g20], "罗马峰会期间", "2021-10-31", None, None, None).city == "Rome"


# -- fields read from the clause ---------------------------------------------------------------

def test_place_after_the_verb_qu_is_the_location(kn: Any) -> None:
    # 「派…去檀香山」: 去 is a locative verb like 赴/前往
    e = _one(kn, "白宮派國務卿蓬佩奧去檀香山，與楊潔篪會面。", published="2020-06-20T00:00:00+08:00")
    assert e.location == "Honolulu"


def test_two_meetings_of_one_pair_in_one_sentence_stay_apart(kn: Any) -> None:
    # the same two people, one meeting now and one at another place months ago: two records
    engs = _engs(kn, "楊潔篪與沙利文周三在蘇黎世舉行會晤。",
                 "這次楊潔篪與沙利文的會面，氣氛有別於今年3月兩人在阿拉斯加舉行的高層戰略對話。",
                 published="2021-10-08T00:00:00+08:00")
    assert sorted((e.location or "", e.focus) for e in engs) == [("Anchorage", False), ("Zurich", True)]


# -- 3. participants: who the clause puts in the meeting ----------------------------------------

def test_name_inside_a_possessive_epithet_is_not_a_participant(kn: Any) -> None:
    # 「拜登的親密顧問沙利文」: Biden only names whose adviser it is
    e = _one(kn, "拜登的親密顧問沙利文周二在羅馬與楊潔篪會晤。", published="2021-10-14T00:00:00+08:00")
    assert e.us == ("Jake Sullivan",) and e.cn == ("Yang Jiechi",)


def test_apposition_of_a_leaders_adviser_keeps_only_the_adviser(kn: Any) -> None:
    e = _one(kn, "習近平的首席經濟智囊劉鶴昨日與美國財長姆欽通電話。", published="2019-05-10T00:00:00+08:00")
    assert e.cn == ("Liu He",) and e.us == ("Steven Mnuchin",)


def test_the_principal_who_sends_an_envoy_is_not_a_participant(kn: Any) -> None:
    e = _one(kn, "特朗普派國務卿蓬佩奧前往檀香山，與楊潔篪會面。", published="2020-06-18T00:00:00+08:00")
    assert e.us == ("Mike Pompeo",)


# -- 2. status from the clause that carries the meeting, and from time ------------------------

def test_the_tense_word_nearest_the_meeting_decides(kn: Any) -> None:
    # 已 governs the announcement, 將 the meeting: planned
    e = _one(kn, "白宮已經宣布，拜登將與習近平在下月舉行會晤。", published="2021-10-20T00:00:00+08:00")
    assert e.status == "planned"


def test_modal_words_about_the_meetings_content_keep_it_planned(kn: Any) -> None:
    # 「能否達成協議」 asks what the meeting will bring, not whether it happens
    e = _one(kn, "布林肯將於周五與王毅會談，外界關注雙方能否達成協議。", published="2022-07-05T00:00:00+08:00")
    assert e.status == "planned"


def test_a_doubt_about_the_meeting_itself_is_no_engagement(kn: Any) -> None:
    assert _engs(kn, "外界關注拜登與習近平的會面能否舉行。", published="2022-07-05T00:00:00+08:00") == ()
    assert _engs(kn, "國務院表示，布林肯目前沒有計劃與王毅會面。", published="2022-07-05T00:00:00+08:00") == ()


def test_a_meeting_that_could_not_take_place_as_planned_is_cancelled(kn: Any) -> None:
    e = _one(kn, "原定本月舉行的耶倫與劉鶴會談未能如期舉行。", published="2021-03-05T00:00:00+08:00")
    assert e.status == "cancelled"


# -- 4. non-engagements ------------------------------------------------------------------------

def test_letters_messages_and_denials_are_not_engagements(kn: Any) -> None:
    for text in ("習近平在給拜登的信函中期待兩國元首早日會晤。",
                 "白宮否認拜登下月將與習近平會面。",
                 "李克強向拜登致賀，盼兩國領導人會面。"):
        assert _engs(kn, text, published="2021-01-25T00:00:00+08:00") == (), text


def test_working_level_talks_of_two_teams_are_not_engagements(kn: Any) -> None:
    # named principals only as whose teams met: 「劉鶴與萊特希澤的工作層」
    assert _engs(kn, "劉鶴與萊特希澤兩人的副手周三在華盛頓舉行會談。", published="2019-04-04T00:00:00+08:00") == ()
    assert _engs(kn, "中美雙方代表團工作層就協議文本會談，劉鶴與萊特希澤未有出席。",
                 published="2019-04-04T00:00:00+08:00") == ()


def test_a_multilateral_summits_name_is_not_a_bilateral_meeting_word(kn: Any) -> None:
    # 「G20峰會前夕」 dates a remark; both leaders named, but no meeting of the two is reported
    assert _engs(kn, "特朗普稱習近平是好朋友，又在G20峰會前夕沒有提及香港。", published="2019-07-02T00:00:00+08:00") == ()
    # ... while a meeting word right after the summit's name still counts (「峰會會面」)
    e = _one(kn, "特朗普與習近平上月底在大阪G20峰會會面。", published="2019-07-02T00:00:00+08:00")
    assert (e.location, e.status) == ("Osaka", "held")


# -- 5. negotiation rounds: one record with a day range -----------------------------------------

def test_round_with_a_stated_duration_gets_date_end(kn: Any) -> None:
    # 「為期兩天」 counted from the stated first day
    e = _one(kn, "劉鶴將於本月10日在華盛頓與萊特希澤及姆欽展開為期兩天的磋商。", published="2019-05-06T00:00:00+08:00")
    assert (e.date, e.date_end, e.location, e.status) == ("2019-05-10", "2019-05-11", "Washington", "planned")


def test_weekday_pair_with_one_weekday_word(kn: Any) -> None:
    # 「下周三、四」: Wednesday and Thursday of next week
    e = _one(kn, "何立峰下周三、四在倫敦與耶倫舉行經貿會談。", published="2023-07-06T00:00:00+08:00")
    assert (e.date, e.date_end, e.location) == ("2023-07-12", "2023-07-13", "London")


def test_month_day_range_of_a_round(kn: Any) -> None:
    e = _one(kn, "中美第十二輪貿易磋商7月30日至31日在上海舉行，劉鶴與萊特希澤、姆欽出席。", published="2019-08-01T00:00:00+08:00")
    assert (e.date, e.date_end, e.location, e.status) == ("2019-07-30", "2019-07-31", "Shanghai", "held")


def test_nameless_lead_sentence_takes_the_principals_the_article_names_in_its_meetings(kn: Any) -> None:
    # each PRC official is named once, so counting finds no principal; the unnamed lead 「中美會談」 sentence
    # carries the day and place and is read again with the participants of the article's meeting record
    e = _one(kn, "中美會談將於本月19日在阿拉斯加舉行。",
             "據報布林肯、沙利文將與楊潔篪和王毅會談，布林肯此前已出訪日韓，布林肯亦會見了日本外相。",
             published="2021-03-16T00:00:00+08:00")
    assert (e.date, e.location, e.status) == ("2021-03-19", "Anchorage", "planned")
    assert set(e.cn) == {"Yang Jiechi", "Wang Yi"}


# -- 6. background mentions --------------------------------------------------------------------

def test_background_meeting_with_only_a_month_is_kept_undated_and_unfocused(kn: Any) -> None:
    e = _one(kn, "拜登與習近平去年11月在峇里島會晤後，兩國關係一度回暖。", published="2023-06-20T00:00:00+08:00")
    assert (e.focus, e.date, e.date_approx, e.location, e.status) == (False, None, "2022-11", "Bali", "held")


def test_background_meeting_two_years_back_with_a_day_is_dated(kn: Any) -> None:
    # 「前年12月1日」 fixes the day: two years before publication
    e = _one(kn, "王毅前年12月1日在紐約與蓬佩奧會面，雙方談及貿易。", published="2020-03-02T00:00:00+08:00")
    assert (e.date, e.focus, e.location) == ("2018-12-01", False, "New York")


def test_tea_meeting_is_an_in_person_engagement(kn: Any) -> None:
    # 「茶敘」: the leaders' tea during a state visit is an interaction, held when it is reported
    e = _one(kn, "習近平昨日在中南海與到訪的特朗普茶敘。", published="2017-11-10T00:00:00+08:00")
    assert (e.modality, e.status, e.date, e.location) == ("in_person", "held", "2017-11-09", "Beijing")


def test_one_on_one_meeting_inside_a_summit_is_an_engagement(kn: Any) -> None:
    # the summit's own 峰會 is no meeting word, but 「一對一會議」 on its sidelines is
    e = _one(kn, "蓬佩奧在東盟外長會議期間與王毅舉行一對一會議。", published="2019-08-02T00:00:00+08:00")
    assert (e.us, e.cn, e.modality) == (("Mike Pompeo",), ("Wang Yi",), "in_person")


def test_notably_before_a_planned_meeting_does_not_negate_it(kn: Any) -> None:
    # 「值得留意的是，…即將…會談」 is a discourse marker; 「日後的會面值得留意」 speculates about a meeting
    e = _one(kn, "值得留意的是，布林肯即將在18日於阿拉斯加與楊潔篪會談。", published="2021-03-16T00:00:00+08:00")
    assert (e.status, e.date) == ("planned", "2021-03-18")
    assert _engs(kn, "拜登與習近平日後的會面值得留意。", published="2021-03-16T00:00:00+08:00") == ()


def test_dated_meeting_during_a_summit_the_article_names_takes_its_host_city(kn: Any) -> None:
    e = _engs(kn, "二十國集團領導人峰會周末在羅馬舉行。", "布林肯31日與王毅會面，討論台灣問題。",
              published="2021-11-01T00:00:00+08:00")
    assert [(x.date, x.location, x.occasion) for x in e] == [("2021-10-31", "Rome", "G20 2021")]
    # a day outside the summit's days gets no place from it
    e = _engs(kn, "二十國集團領導人峰會周末在羅馬舉行。", "布林肯上月10日與王毅會面，討論台灣問題。",
              published="2021-11-01T00:00:00+08:00")
    assert [(x.date, x.location) for x in e] == [("2021-10-10", None)]
    # nor does the day before it (a state visit on the way to the summit)
    e = _engs(kn, "亞太經合組織峰會本周在峴港舉行。", "特朗普9日在北京與習近平會談，亞太經合組織峰會10日開幕。",
              published="2017-11-12T00:00:00+08:00")
    assert [(x.date, x.location, x.occasion) for x in e] == [("2017-11-09", "Beijing", None)]


def test_talks_the_title_names_stay_the_focus_for_a_month(kn: Any) -> None:
    # a commentary ten days after the talks, titled on them: still the article's subject
    art = make_article("上周三（17日）楊潔篪與蓬佩奧在夏威夷舉行閉門會議。", title="蓬佩奧楊潔篪夏威夷會晤的啟示",
                       published="2020-06-27T00:00:00+08:00")
    (e,) = extract_article(art, kn).engagements
    assert (e.date, e.focus) == ("2020-06-17", True)
    # untitled, the same sentence is background
    assert _one(kn, "上周三（17日）楊潔篪與蓬佩奧在夏威夷舉行閉門會議。", published="2020-06-27T00:00:00+08:00").focus is False


def test_bulleted_story_headline_of_a_round_up_is_the_focus(kn: Any) -> None:
    # a video round-up lists its stories as 「🔸headline」 lines: the engagement such a line reports is its subject
    e = _one(kn, "今日要聞重溫", "🔸王毅與布林肯首次通電話　談及阿富汗局勢", published="2021-08-18T00:00:00+08:00")
    assert (e.modality, e.focus) == ("phone", True)


def test_spokesperson_speaking_about_the_meeting_is_not_a_participant(kn: Any) -> None:
    e = _one(kn, "白宮發言人普薩基周一表示，拜登將於本周四與習近平通電話。", published="2021-09-06T00:00:00+08:00")
    assert (e.us, e.cn, e.status, e.date) == (("Joe Biden",), ("Xi Jinping",), "planned", "2021-09-09")
    e = _one(kn, "中國外交部發言人汪文斌說，王毅昨日與布林肯通電話。", published="2021-09-06T00:00:00+08:00")
    assert (e.us, e.cn) == (("Antony Blinken",), ("Wang Yi",))
