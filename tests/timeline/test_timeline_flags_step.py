"""timeline.flags.timeline_flags: the flags of a merged timeline, computed before it is written."""

from __future__ import annotations

from timeline_helpers import make_ref

from summitwatch.model import TimelineEntry
from summitwatch.timeline.flags import timeline_flags


def _entry(eid: str, members: list[tuple[str, int]], date: str | None = "2021-03-18") -> TimelineEntry:
    return TimelineEntry(eid, ["Antony Blinken"], ["Yang Jiechi"], "in_person", "held", date=date,
                         data={"evidence": [{"article_id": a, "seq": s} for a, s in members]})  # fmt: skip


def test_groups_days_and_membership() -> None:
    refs = [
        make_ref("a", "2021-03-19", ["Antony Blinken"], ["Yang Jiechi"], date="2021-03-18"),
        make_ref("b", "2021-03-22", ["Antony Blinken"], ["Yang Jiechi"], date="2021-03-21"),
        make_ref("c", "2021-03-19", ["Antony Blinken"], ["Yang Jiechi"], date="2021-03-18"),
    ]
    groups = {"a": ("a", "2021-03-19"), "b": ("b", "2021-03-22"), "c": ("a", "2021-03-19")}  # c copies a
    entries = [
        _entry("e-both", [("a", 0), ("b", 0)]),
        _entry("e-copies", [("a", 0), ("c", 0)]),  # a's record is listed again: the last entry keeps it
        _entry("e-added", [("z", 0)], date=None),  # an analyst-added record: no stored engagement
    ]
    flags = timeline_flags(entries, refs, groups)
    assert set(flags) == {"e-both", "e-copies", "e-added"}
    assert flags["e-both"].single_source and flags["e-both"].disputed == ()  # only b is left to it
    assert flags["e-copies"].single_source  # a and its copy c are one story
    assert not flags["e-added"].single_source and flags["e-added"].disputed == ()
    # two stories three days apart disagree on the date
    two = timeline_flags([_entry("e", [("a", 0), ("b", 0)])], refs, groups)["e"]
    assert not two.single_source and [d["field"] for d in two.disputed] == ["date"]
