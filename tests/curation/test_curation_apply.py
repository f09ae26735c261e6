"""Corrections survive re-extraction and timeline rebuilds; orphans are reported; export/import."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest
from curation_helpers import ARTICLES, entry_data, entry_for, insert_engagements

from summitwatch.curation import actions
from summitwatch.curation import io as cio
from summitwatch.curation.model import CurationError
from summitwatch.run.steps import apply_corrections, compute_timeline, rebuild_timeline
from summitwatch.store.db import connect
from summitwatch.store.timeline import write_timeline


def rebuild(conn: sqlite3.Connection) -> None:
    """What `build-timeline` does once the hook is in: merge, write, then re-apply corrections."""
    entries, refs = compute_timeline(conn)
    write_timeline(conn, entries)
    apply_corrections(conn, entries, refs)


def timeline_ids(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT id FROM timeline")}


def test_set_date_marks_entry_and_keeps_original(conn: sqlite3.Connection) -> None:
    vid = entry_for(conn, "art-vid-1")
    res = actions.set_field(conn, vid, "date", "2021-11-15", user="ann", note="Washington date")
    assert res.outcome is not None and res.outcome.state == "applied"
    e = entry_data(conn, vid)
    assert e is not None and e["date"] == "2021-11-15"
    cur = e["data"]["curation"]
    assert cur["status"] == "corrected" and cur["by"] == "ann" and cur["at"].endswith("Z")
    assert cur["original"]["date"] == "2021-11-16"
    assert cur["corrections"][0]["note"] == "Washington date"
    assert res.correction.original == {"date": "2021-11-16"}


def test_user_is_required(conn: sqlite3.Connection) -> None:
    with pytest.raises(CurationError, match="user"):
        actions.confirm(conn, entry_for(conn, "art-vid-1"))


def test_bad_values_are_refused(conn: sqlite3.Connection) -> None:
    vid = entry_for(conn, "art-vid-1")
    with pytest.raises(CurationError):
        actions.set_field(conn, vid, "date", "16 Nov", user="ann")
    with pytest.raises(CurationError):
        actions.set_field(conn, vid, "modality", "telepathy", user="ann")
    with pytest.raises(CurationError):
        actions.confirm(conn, "e-doesnotexist", user="ann")
    with pytest.raises(CurationError):
        actions.add(conn, ["art-osaka"], ["這句話不在文章裏。"], "Robert Lighthizer", "Liu He", "phone", user="ann")
    assert actions.list_corrections(conn) == []


def test_confirm_and_reject(conn: sqlite3.Connection) -> None:
    vid, osaka = entry_for(conn, "art-vid-1"), entry_for(conn, "art-osaka")
    actions.confirm(conn, vid, user="ann")
    actions.reject(conn, osaka, user="bob", note="not this one")
    cur = entry_data(conn, vid)["data"]["curation"]  # type: ignore[index]
    assert cur["status"] == "confirmed" and cur["confirmed"] is True
    assert osaka not in timeline_ids(conn)
    listed = {i.correction.action: i for i in actions.list_corrections(conn)}
    assert listed["reject"].state == "applied" and listed["reject"].correction.original["location"] == "Osaka"
    rebuild(conn)
    assert osaka not in timeline_ids(conn)
    assert entry_data(conn, vid)["data"]["curation"]["status"] == "confirmed"  # type: ignore[index]


def test_correction_survives_full_reextraction(conn: sqlite3.Connection) -> None:
    """Re-extraction renumbers the article's records; entry and record corrections still apply."""
    actions.set_field(conn, "art-osaka:0", "location", "Kobe", user="ann")
    osaka = entry_for(conn, "art-osaka")
    actions.set_field(conn, osaka, "date", "2019-06-28", user="ann")
    assert entry_data(conn, osaka)["location"] == "Kobe"  # type: ignore[index]
    # re-extract: a new record comes first, so the corrected one is now seq 1
    extra = {"us": ["Mike Pompeo"], "cn": ["Wang Yi"], "modality": "phone", "date": "2019-06-20",
             "status": "held", "evidence": "蓬佩奧與王毅通電話。"}
    with conn:
        insert_engagements(conn, "art-osaka", [extra, *ARTICLES[5]["engagements"]])
    rebuild_timeline(conn)  # the rebuild re-applies corrections itself (run/steps.py)
    assert entry_data(conn, osaka)["location"] == "Kobe"  # type: ignore[index]
    report = apply_corrections(conn)
    assert [o.state for o in report.outcomes] == ["applied", "applied"]
    e = entry_data(conn, osaka)
    assert e is not None and e["location"] == "Kobe" and e["date"] == "2019-06-28"
    ev = next(x for x in e["data"]["evidence"] if x["article_id"] == "art-osaka")
    assert ev["seq"] == 1 and ev["curation"]["original"] == {"location": "Osaka"}


def test_record_refound_by_evidence_when_signature_changes(conn: sqlite3.Connection) -> None:
    """The extractor now dates a record it left undated: the correction follows its sentence."""
    actions.set_field(conn, "art-anc-2:0", "status", "held", user="ann")
    changed = dict(ARTICLES[1]["engagements"][0], date="2021-03-19")
    with conn:
        insert_engagements(conn, "art-anc-2", [changed])
    report = apply_corrections(conn)
    assert report.outcomes[0].state == "retargeted"


def test_merge_and_split_survive_rebuild(conn: sqlite3.Connection) -> None:
    phone, bali = entry_for(conn, "art-phone"), entry_for(conn, "art-bali", 0)
    anc = entry_for(conn, "art-anc-1")
    m = actions.merge(conn, phone, [bali], user="ann", note="one trip")
    s = actions.split(conn, anc, ["art-anc-2:0"], user="bob")
    new_id = s.outcome.entry_id if s.outcome else None
    assert m.outcome and m.outcome.state == "applied"
    assert new_id and new_id != anc
    for _ in range(2):  # applying again gives the same timeline
        rebuild(conn)
        ids = timeline_ids(conn)
        assert bali not in ids and phone in ids and new_id in ids and anc in ids
        assert entry_for(conn, "art-bali", 0) == phone
        assert entry_for(conn, "art-anc-2") == new_id and entry_for(conn, "art-anc-1") == anc
        assert entry_data(conn, new_id)["data"]["curation"]["corrections"][0]["split_from"] == anc  # type: ignore[index]
        assert entry_data(conn, phone)["data"]["curation"]["corrections"][0]["merged"] == [bali]  # type: ignore[index]


def test_attach_moves_record(conn: sqlite3.Connection) -> None:
    vid = entry_for(conn, "art-vid-1")
    res = actions.attach(conn, "art-bali:1", vid, user="ann")
    assert res.outcome and res.outcome.entry_id == vid
    rebuild(conn)
    assert entry_for(conn, "art-bali", 1) == vid
    with pytest.raises(CurationError, match="already"):
        actions.attach(conn, "art-bali:1", vid, user="ann")


def test_add_missed_engagement(conn: sqlite3.Connection) -> None:
    res = actions.add(conn, ["art-osaka"], ["劉鶴將與萊特希澤通電話。"], "Robert Lighthizer", "Liu He", "phone",
                      status="planned", user="ann", note="missed")
    eid = res.outcome.entry_id if res.outcome else None
    assert eid
    e = entry_data(conn, eid)
    assert e is not None and e["us"] == ["Robert Lighthizer"] and e["status"] == "planned"
    assert e["data"]["evidence"][0]["curation"]["status"] == "added"
    assert e["data"]["curation"]["status"] == "corrected"
    rebuild(conn)
    assert entry_data(conn, eid) is not None


def test_orphaned_correction_is_reported(conn: sqlite3.Connection, db_path: Path) -> None:
    actions.confirm(conn, "art-osaka:0", user="ann")
    osaka = entry_for(conn, "art-osaka")
    actions.set_field(conn, osaka, "location", "Kobe", user="ann")
    with conn:  # re-extraction no longer finds the Osaka meeting at all
        insert_engagements(conn, "art-osaka", [])
    rebuild(conn)
    orphans = actions.list_corrections(conn, orphans=True)
    assert [o.correction.action for o in orphans] == ["confirm", "set"]
    assert all(o.state == "orphaned" and o.detail for o in orphans)
    report = apply_corrections(conn, write=False)
    assert len(report.orphans) == 2
    # still there, and applied again when the record comes back
    with conn:
        insert_engagements(conn, "art-osaka", ARTICLES[5]["engagements"])
    rebuild(conn)
    assert actions.list_corrections(conn, orphans=True) == []
    assert entry_data(conn, osaka)["location"] == "Kobe"  # type: ignore[index]


def test_withdraw(conn: sqlite3.Connection) -> None:
    osaka = entry_for(conn, "art-osaka")
    res = actions.reject(conn, osaka, user="ann")
    assert osaka not in timeline_ids(conn)
    actions.withdraw(conn, int(res.correction.id or 0))
    assert osaka in timeline_ids(conn)
    assert [i.state for i in actions.list_corrections(conn)] == ["withdrawn"]


def test_export_import_round_trip(conn: sqlite3.Connection, tmp_path: Path, db_path: Path) -> None:
    vid, osaka = entry_for(conn, "art-vid-1"), entry_for(conn, "art-osaka")
    actions.set_field(conn, vid, "us", "Joe Biden, Jake Sullivan", user="ann")
    actions.reject(conn, osaka, user="bob")
    actions.add(conn, ["art-osaka"], ["劉鶴將與萊特希澤通電話。"], "Robert Lighthizer", "Liu He", "phone", user="ann")
    buf = io.StringIO()
    assert cio.export_jsonl(conn, buf) == 3
    path = tmp_path / "corrections.jsonl"
    path.write_text(buf.getvalue(), encoding="utf-8")
    exported = [json.loads(x) for x in buf.getvalue().splitlines()]
    assert {x["action"] for x in exported} == {"set", "reject", "add"}
    # a second store with the same articles, uncurated
    other = tmp_path / "other.db"
    o = connect(other)
    with o:
        from curation_helpers import insert_article

        for art in ARTICLES:
            insert_article(o, art)
    rebuild_timeline(o)
    assert cio.import_jsonl(o, path) == (3, 0)
    assert cio.import_jsonl(o, path) == (0, 3)
    assert entry_data(o, vid)["us"] == ["Joe Biden", "Jake Sullivan"]  # type: ignore[index]
    assert osaka not in timeline_ids(o)
    assert [i.to_dict()["uid"] for i in actions.list_corrections(o)] == [x["uid"] for x in exported]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"action": "explode", "target": {"entry": "x"}, "user": "u"}\n', encoding="utf-8")
    with pytest.raises(CurationError):
        cio.import_jsonl(o, bad)
    o.close()


def test_export_as_gold_shape(conn: sqlite3.Connection) -> None:
    vid, osaka = entry_for(conn, "art-vid-1"), entry_for(conn, "art-osaka")
    actions.set_field(conn, vid, "date", "2021-11-15", user="ann")
    actions.reject(conn, osaka, user="ann")
    actions.set_field(conn, "art-bali:1", "focus", "true", user="bob")
    buf = io.StringIO()
    n = cio.export_gold(conn, buf)
    lines = [json.loads(x) for x in buf.getvalue().splitlines()]
    # the articles of every entry a correction touched: vid1; osaka (rejected); bali and phone (the
    # corrected bali record sits in the entry of the phone call)
    assert n == len(lines) == 4
    by_file = {x["file"]: x for x in lines}
    assert [x["file"] for x in lines] == ["hk/osaka.md", "hk/vid1.md", "zb/phone.md", "zb/bali.md"]
    assert by_file["hk/osaka.md"]["notes"].startswith("curated by ann")
    for line in lines:
        assert set(line) == {"file", "published", "engagements", "notes"}
        for e in line["engagements"]:
            assert set(e) == {"us", "cn", "modality", "date", "date_end", "location", "status", "focus", "evidence"}
    assert by_file["hk/vid1.md"]["engagements"][0]["date"] == "2021-11-15"
    assert by_file["hk/osaka.md"]["engagements"] == []  # rejected: not an engagement
    assert "rejected" in by_file["hk/osaka.md"]["notes"]
    bali = by_file["zb/bali.md"]
    assert [e["focus"] for e in bali["engagements"]] == [True, True]
    assert "1 record(s) not reviewed" in bali["notes"]
    assert by_file["hk/vid1.md"]["published"] == "2021-11-16"


def test_hook_with_no_corrections_writes_nothing(conn: sqlite3.Connection) -> None:
    entries, refs = compute_timeline(conn)
    report = apply_corrections(conn, entries, refs)
    assert report.outcomes == [] and report.entries == len(entries)


def test_store_without_corrections_table(tmp_path: Path) -> None:
    """A store made before the curation section: the table is created on first use."""
    path = tmp_path / "old.db"
    c = connect(path)
    c.execute("DROP TABLE corrections")
    c.commit()
    from curation_helpers import insert_article

    with c:
        insert_article(c, ARTICLES[2])
    rebuild_timeline(c)
    assert actions.list_corrections(c) == []
    actions.confirm(c, entry_for(c, "art-vid-1"), user="ann")
    assert len(actions.list_corrections(c)) == 1
    c.close()


def test_participants_take_canonical_names(conn: sqlite3.Connection) -> None:
    vid = entry_for(conn, "art-vid-1")
    actions.set_field(conn, vid, "us", "拜登, Jake Sullivan", user="ann")
    assert entry_data(conn, vid)["us"] == ["Joe Biden", "Jake Sullivan"]  # type: ignore[index]
    with pytest.raises(CurationError, match="unknown participant"):
        actions.set_field(conn, vid, "cn", "Nobody Atall", user="ann")


def test_entry_refound_when_its_id_changes(conn: sqlite3.Connection) -> None:
    """Re-extraction dates every record of the Osaka meeting a day earlier: the entry's id changes,
    the confirmation follows its records."""
    osaka = entry_for(conn, "art-osaka")
    actions.confirm(conn, osaka, user="ann")
    moved = dict(ARTICLES[5]["engagements"][0], date="2019-06-28")
    with conn:
        insert_engagements(conn, "art-osaka", [moved])
    rebuild(conn)
    new_id = entry_for(conn, "art-osaka")
    assert new_id != osaka
    [item] = actions.list_corrections(conn)
    assert item.state == "retargeted" and item.entry_id == new_id
    assert entry_data(conn, new_id)["data"]["curation"]["status"] == "confirmed"  # type: ignore[index]


def test_merge_and_split_survive_knowledge_change(conn: sqlite3.Connection) -> None:
    """A knowledge-file change re-extracts records differently (a participant more, a date now
    resolved): ids and signatures move, the merge and the split follow the records."""
    phone, bali, anc = entry_for(conn, "art-phone"), entry_for(conn, "art-bali", 0), entry_for(conn, "art-anc-1")
    actions.merge(conn, phone, [bali], user="ann")
    new_id = actions.split(conn, anc, ["art-anc-2:0"], user="ann").outcome.entry_id  # type: ignore[union-attr]
    bali_recs = [dict(ARTICLES[3]["engagements"][0], us=["Joe Biden", "Antony Blinken"]),
                 ARTICLES[3]["engagements"][1]]
    with conn:
        insert_engagements(conn, "art-bali", bali_recs)
        insert_engagements(conn, "art-anc-2", [dict(ARTICLES[1]["engagements"][0], date="2021-03-19")])
    rebuild_timeline(conn)
    rebuild_timeline(conn)  # re-applies the corrections itself; applying again changes nothing
    report = apply_corrections(conn)
    assert report.orphans == [] and {o.state for o in report.outcomes} <= {"applied", "retargeted"}
    assert entry_for(conn, "art-bali", 0) == phone
    assert entry_for(conn, "art-anc-2") == new_id and entry_for(conn, "art-anc-1") == anc
