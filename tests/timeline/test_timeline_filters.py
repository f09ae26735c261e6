"""The one filter set (store/query/filters.py): names and topics as an analyst types them, the one
date rule, and the timeline listing the CLI, the API and the web pages share.

The person/topic cases are those the CLI's former Python-side timeline filter was tested with; they
now run in SQL through ``store.query.timeline.list_timeline``."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest
from timeline_helpers import make_ref

from summitwatch.store.db import connect
from summitwatch.store.query import filters as filters_mod
from summitwatch.store.query.filters import Filters, check_day, until_day
from summitwatch.store.query.timeline import list_timeline
from summitwatch.store.timeline import write_timeline
from summitwatch.timeline import build_timeline

KN = SimpleNamespace(
    name_index={"布林肯": ("Antony Blinken",), "布林肯國務卿": ("Antony Blinken",)},
    officials={"Antony Blinken": SimpleNamespace(name="Antony Blinken", en=("Antony Blinken", "Tony Blinken"))},
    topic_index={"台灣": ("taiwan",)},
    topics={"taiwan": object()},
)
BARE = SimpleNamespace(name_index={}, officials={}, topic_index={}, topics={})


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    c = connect(tmp_path / "t.db")
    entries = build_timeline([
        make_ref("a", "2021-08-17", ["Antony Blinken"], ["Wang Yi"], modality="phone", date="2021-08-16",
                 topics=("taiwan",)),
        make_ref("b", "2021-09-10", ["Joe Biden"], ["Xi Jinping"], modality="phone", date="2021-09-10",
                 evidence="拜登與習近平通話，布林肯在場"),
        make_ref("c", "2019-05-02", ["Mike Pompeo"], ["Wang Yi"], date_approx="2019-04"),
    ])  # fmt: skip
    write_timeline(c, entries)
    return c


def _dates(conn: sqlite3.Connection, **kw: object) -> list[str | None]:
    return [e.date or e.date_approx for e in list_timeline(conn, Filters(**kw), limit=None).items]  # type: ignore[arg-type]


def test_person_by_chinese_or_alias(conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(filters_mod, "knowledge_or_none", lambda: KN)
    for text in ("布林肯", "Tony Blinken", "antony blinken"):
        assert _dates(conn, person=text) == ["2021-08-16"], text
    # without knowledge a Chinese name still finds entries whose evidence names it
    monkeypatch.setattr(filters_mod, "knowledge_or_none", lambda: BARE)
    assert _dates(conn, person="布林肯") == ["2021-09-10"]
    assert _dates(conn, person="nobody") == []


def test_topic_by_id_or_cue(conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(filters_mod, "knowledge_or_none", lambda: KN)
    for text in ("taiwan", "台灣"):
        assert _dates(conn, topic=text) == ["2021-08-16"], text


def test_one_date_rule_prefixes_and_inclusive_until(conn: sqlite3.Connection) -> None:
    assert _dates(conn) == ["2019-04", "2021-08-16", "2021-09-10"]
    assert _dates(conn, since="2021") == ["2021-08-16", "2021-09-10"]
    assert _dates(conn, until="2021-08") == ["2019-04", "2021-08-16"]  # the whole month of the bound
    assert _dates(conn, until="2019-04") == ["2019-04"]  # an approximate month inside its own month
    assert _dates(conn, since="2019-04", until="2019") == ["2019-04"]
    assert _dates(conn, since="2021-08-16", until="2021-08-16") == ["2021-08-16"]
    assert _dates(conn, modality="phone", until="2021") == ["2021-08-16", "2021-09-10"]
    assert until_day("2021") == "2021-12-31" and until_day("2021-02") == "2021-02-31"
    assert until_day("2021-02-03") == "2021-02-03" and until_day(None) is None
    assert check_day("2020-02-29") == "2020-02-29"
    for bad in ("2021-13", "2021-02-30", "21", "2021/02", "2021-2"):
        with pytest.raises(ValueError):
            check_day(bad)
