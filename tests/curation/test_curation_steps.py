"""The timeline step (run/steps.py): one write with corrections applied; the application itself is pure."""

from __future__ import annotations

import sqlite3

import pytest
from curation_helpers import entry_data, entry_for

from summitwatch.curation import actions
from summitwatch.curation.apply import CurationInputs, curate_entries
from summitwatch.model import ArticleRef, Correction, Engagement, RecordRef
from summitwatch.run import steps
from summitwatch.timeline import build_entry, build_timeline


def _count_writes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    writes: list[int] = []
    real = steps.write_timeline

    def counting(conn: sqlite3.Connection, entries: list) -> None:
        writes.append(len(entries))
        real(conn, entries)

    monkeypatch.setattr(steps, "write_timeline", counting)
    return writes


def test_rebuild_writes_once_with_corrections_applied(
    conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    vid = entry_for(conn, "art-vid-1")
    actions.set_field(conn, vid, "location", "Geneva", user="ann")
    before = {r[0] for r in conn.execute("SELECT id FROM timeline")}
    writes = _count_writes(monkeypatch)
    merged = steps.rebuild_timeline(conn)
    assert writes == [len(before)]  # one write, of the curated timeline
    assert merged == len(before)  # no entry was added or removed by the correction
    e = entry_data(conn, vid)
    assert e is not None and e["location"] == "Geneva"


def test_rebuild_without_corrections_writes_the_merge_once(
    conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes = _count_writes(monkeypatch)
    n = steps.rebuild_timeline(conn)
    assert writes == [n] and n > 0


def _ref(article_id: str, us: str, date: str, evidence: str) -> RecordRef:
    eng = Engagement(us=(us,), cn=("Xi Jinping",), modality="phone", status="held", focus=True,
                     evidence=evidence, date=date)  # fmt: skip
    return RecordRef(article_id=article_id, source=f"{article_id}.md", engagement=eng, published=date)


def test_curation_is_pure_records_and_corrections_in_entries_out() -> None:
    refs = [
        _ref("a1", "Joe Biden", "2021-02-11", "拜登與習近平通電話。"),
        _ref("a2", "Joe Biden", "2021-02-11", "拜登和習近平通話。"),
        _ref("a3", "Donald Trump", "2019-06-18", "特朗普與習近平通電話。"),
    ]
    inputs = CurationInputs(
        refs=refs, articles={"a4": ArticleRef("a4", "a4.md", outlet="hkcnews", published="2020-01-01")}
    )
    merged = build_timeline(refs)
    assert len(merged) == 2
    biden = next(e for e in merged if "Joe Biden" in e.us)
    trump = next(e for e in merged if "Donald Trump" in e.us)
    corrections = [
        Correction("reject", {"entry": trump.id}, "ann", id=1),
        Correction("add", {"articles": ["a4", "gone"]}, "ann", id=2, payload={
            "evidence": ["特朗普與習近平通話。"],
            "engagement": {"us": ["Donald Trump"], "cn": ["Xi Jinping"], "modality": "phone",
                           "status": "held", "focus": True, "date": "2020-01-01"},
        }),  # fmt: skip
    ]
    report, state = curate_entries(corrections, inputs, merged)
    assert [o.state for o in report.outcomes] == ["applied", "partial"]  # "gone" is not an article given
    ids = {e.id for e in state.entries}
    assert biden.id in ids and trump.id not in ids
    added = next(e for e in state.entries if e.date == "2020-01-01")
    assert added.sources == ["a4.md"] and added.data["evidence"][0]["article_id"] == "a4"
    assert len(merged) == 2 and trump.id in {e.id for e in merged}  # the given merge is not changed


def test_build_entry_keeps_the_id_and_matches_the_merge() -> None:
    refs = [
        _ref("a1", "Joe Biden", "2021-02-11", "拜登與習近平通電話。"),
        _ref("a2", "Joe Biden", "2021-02-11", "拜登和習近平通話。"),
    ]
    (merged,) = build_timeline(refs)
    entry = build_entry(refs, "e-analyst")
    assert entry.id == "e-analyst"
    assert (entry.us, entry.cn, entry.date, entry.modality, entry.sources) == (
        merged.us, merged.cn, merged.date, merged.modality, merged.sources
    )  # fmt: skip
