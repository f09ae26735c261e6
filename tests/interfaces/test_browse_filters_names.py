"""The store's timeline filters take what the CLI's `timeline` filters take (names in Chinese, topic
cue words, topics one side raised), so CLI, API and web pages list the same entries."""

from __future__ import annotations

import json
from pathlib import Path

from summitwatch.store.db import connect
from summitwatch.store.query.filters import Filters as TimelineFilters
from summitwatch.store.query.timeline import list_timeline


def test_topic_raised_by_one_side_and_chinese_names_filter_the_timeline(tmp_path: Path) -> None:
    conn = connect(str(tmp_path / "t.db"), create=True)
    rows = [
        ("e-side", ["Antony Blinken"], ["Wang Yi"], {"topics": [], "topics_by_side": {"US": ["taiwan"]}}),
        ("e-none", ["Joe Biden"], ["Xi Jinping"], {"topics": ["trade"], "topics_by_side": {}}),
    ]
    with conn:
        for tid, us, cn, data in rows:
            conn.execute(
                "INSERT INTO timeline (id, us, cn, modality, status, date, data) VALUES (?,?,?,?,?,?,?)",
                (tid, json.dumps(us), json.dumps(cn), "phone", "held", "2021-08-16", json.dumps(data)),
            )
    ids = lambda f: [e.id for e in list_timeline(conn, f).items]  # noqa: E731
    assert ids(TimelineFilters(topic="台灣")) == ["e-side"]
    assert ids(TimelineFilters(topic="taiwan")) == ["e-side"]
    assert ids(TimelineFilters(person="布林肯")) == ["e-side"]
    assert ids(TimelineFilters(person="Antony Blinken")) == ["e-side"]
    assert ids(TimelineFilters(person="nobody")) == []
