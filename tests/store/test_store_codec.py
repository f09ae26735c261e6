"""store/codec.py: the one row decoder, and the timeline flags written by the timeline step.

The engagement/quote decoders used to exist three times; one copy turned a quote starting at
offset 0 into -1. A stored 0 must stay 0 wherever the record is read, NULL (unknown) is -1.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from summitwatch.model import Flags, TimelineEntry
from summitwatch.run.steps import rebuild_timeline, refresh_flags
from summitwatch.store.codec import (
    engagement_from_row,
    entry_from_row,
    entry_row,
    flags_from_row,
    quote_from_row,
)
from summitwatch.store.db import connect
from summitwatch.store.export import engagement_records, quote_records
from summitwatch.store.query.articles import get_article
from summitwatch.store.query.timeline import read_flags

TEXT = "布林肯表示：「我們會坦率對話。」\n\n美國國務卿布林肯與王毅通電話。"


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    c = connect(tmp_path / "c.db")
    blocks = [{"kind": "paragraph", "text": p} for p in TEXT.split("\n\n")]
    evidence = TEXT.split("\n\n")[1]
    with c:
        c.execute(
            "INSERT INTO articles (id, content_hash, source, outlet, title, published, published_day, blocks)"
            " VALUES ('a1', 'h', 'x/a1.md', '眾新聞', 't', '2021-08-17T10:00:00+08:00', '2021-08-17', ?)",
            (json.dumps(blocks, ensure_ascii=False),),
        )
        c.execute(
            "INSERT INTO sources (source, article_id, input, raw_hash, raw, size)"
            " VALUES ('x/a1.md', 'a1', 'x', 'rh', x'00', 1)"
        )
        c.execute(
            "INSERT INTO engagements (article_id, seq, us, cn, modality, date, status, focus, evidence,"
            " evidence_start, evidence_end, topics) VALUES ('a1', 0, '[\"Antony Blinken\"]', '[\"Wang Yi\"]',"
            " 'phone', '2021-08-16', 'held', 1, ?, 0, ?, '[]')",
            (evidence, len(evidence)),
        )
        c.execute(
            'INSERT INTO quotes (article_id, seq, speaker, side, text, reported, start, "end")'
            " VALUES ('a1', 0, 'Antony Blinken', 'US', '我們會坦率對話。', 0, 0, 8),"
            " ('a1', 1, 'Antony Blinken', 'US', '坦率', 1, NULL, NULL)"
        )
    return c


def test_offset_zero_stays_zero_and_null_is_minus_one(conn: sqlite3.Connection) -> None:
    detail = get_article(conn, "a1")
    assert detail is not None
    assert [(q.start, q.end) for q in detail.quotes] == [(0, 8), (-1, -1)]
    assert detail.engagements[0].engagement.evidence_start == 0
    assert detail.to_dict()["quotes"][0]["start"] == 0  # what /api/articles/{id} serves
    assert [q["start"] for q in quote_records(conn)] == [0, -1]  # the export reads the same way
    assert next(engagement_records(conn))["evidence_start"] == 0
    row = {"speaker": "S", "side": "US", "text": "t", "reported": 0, "start": 0, "end": None, "in_title": 0}
    q = quote_from_row(row)
    assert (q.start, q.end) == (0, -1)


def test_engagement_decoder_tolerates_bad_json() -> None:
    row = {
        "us": "not json", "cn": '["Wang Yi"]', "modality": "phone", "status": "held", "focus": 1,
        "evidence": "e", "date": None, "date_end": None, "date_approx": None, "date_precision": None,
        "location": None, "occasion": None, "topics": None, "evidence_start": None, "evidence_end": 3,
    }  # fmt: skip
    e = engagement_from_row(row)
    assert e.us == () and e.cn == ("Wang Yi",) and e.topics == () and (e.evidence_start, e.evidence_end) == (-1, 3)


def test_entry_and_flags_round_trip() -> None:
    e = TimelineEntry("e-1", ["A"], ["B"], "phone", "held", date="2021-01-02", data={"topics": ["taiwan"]})
    flags = Flags(False, ({"field": "date", "values": []},))
    row = entry_row(e, flags)
    cols = ["id", "us", "cn", "modality", "status", "date", "date_end", "date_approx", "date_precision",
            "location", "occasion", "data"]  # fmt: skip
    back = entry_from_row(dict(zip(cols, row[:12], strict=True)), ["s"], ["a"])
    assert back.to_dict() == {**e.to_dict(), "sources": ["s"], "article_ids": ["a"]}
    assert flags_from_row(*row[12:]) == flags
    assert entry_row(e, None)[12:] == (None, None) and flags_from_row(None, None) is None


def test_the_timeline_step_writes_the_flags_a_recompute_gives(conn: sqlite3.Connection) -> None:
    with conn:  # a second article, one day later and a copy of another story: two groups, a date dispute
        conn.execute(
            "INSERT INTO articles (id, content_hash, source, title, published_day, blocks)"
            " VALUES ('a2', 'h2', 'x/a2.md', 't2', '2021-08-20', '[]')"
        )
        conn.execute(
            "INSERT INTO engagements (article_id, seq, us, cn, modality, date, status, focus, evidence, topics)"
            " VALUES ('a2', 0, '[\"Antony Blinken\"]', '[\"Wang Yi\"]', 'phone', '2021-08-19', 'held', 1,"
            " '布林肯與王毅通電話', '[]')"
        )
    assert rebuild_timeline(conn) >= 1
    ids = [r[0] for r in conn.execute("SELECT id FROM timeline ORDER BY id")]
    written = read_flags(conn, ids)
    assert any(f.single_source for f in written.values())  # each one-article entry rests on one story
    assert conn.execute("SELECT count(*) FROM timeline WHERE single_source IS NULL").fetchone()[0] == 0
    with conn:
        assert refresh_flags(conn) == len(ids)
    assert read_flags(conn, ids) == written
