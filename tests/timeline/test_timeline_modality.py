"""Unstated modality settled across the corpus (issue 11, class 7): a record that says only 會晤/峰會/習拜會
takes the modality of the engagement it refers to, once other reports state it; otherwise in person."""

from __future__ import annotations

from timeline_helpers import make_ref

from summitwatch.timeline import build_timeline
from summitwatch.timeline.modality import modality_stated, settle_modality

XI, BIDEN = ["Xi Jinping"], ["Joe Biden"]


def test_generic_summit_word_after_a_video_summit_becomes_video() -> None:
    stated = make_ref("a1", "2021-11-16", BIDEN, XI, modality="video", date="2021-11-16",
                      evidence="兩國元首舉行視像會晤。")
    bare = make_ref("a2", "2021-11-18", BIDEN, XI, evidence="習拜會結束之後，官媒形容這場會面積極。")
    assert not modality_stated(bare) and modality_stated(stated)
    out = {r.article_id: r.engagement.modality for r in settle_modality([stated, bare])}
    assert out == {"a1": "video", "a2": "video"}
    entries = build_timeline([stated, bare])
    assert len(entries) == 1 and entries[0].modality == "video"


def test_nearer_stated_in_person_meeting_keeps_a_bare_word_in_person() -> None:
    call = make_ref("b1", "2021-09-10", BIDEN, XI, modality="phone", date="2021-09-10", evidence="兩人通電話。")
    visit = make_ref("b2", "2021-09-15", BIDEN, XI, date="2021-09-14", location="Honolulu",
                     evidence="兩人在檀香山會晤。")
    bare = make_ref("b3", "2021-09-16", BIDEN, XI, evidence="兩人的會晤結束。")
    assert settle_modality([call, visit, bare])[2].engagement.modality == "in_person"


def test_without_a_stated_referent_the_record_stays_in_person() -> None:
    far = make_ref("c1", "2021-01-10", BIDEN, XI, modality="video", date="2021-01-10", evidence="視像會晤。")
    bare = make_ref("c2", "2021-06-01", BIDEN, XI, evidence="兩國元首的峰會。")
    planned_far = make_ref("c3", "2020-06-01", BIDEN, XI, status="planned", evidence="兩國元首將會晤。")
    out = settle_modality([far, bare, planned_far])
    assert [r.engagement.modality for r in out] == ["video", "in_person", "in_person"]
