"""Exports of the timeline: JSON/CSV shape and an iCalendar file valid under RFC 5545."""

from __future__ import annotations

import csv
import io
import json
import re

from timeline_helpers import make_ref

from summitwatch.timeline import build_timeline
from summitwatch.timeline.export import EXPORT_FIELDS, ics_escape, ics_fold, to_csv, to_ics, to_json


def _entries():  # noqa: ANN202
    long_names = ["Steven Mnuchin", "Wilbur Ross", "Robert Lighthizer", "Larry Kudlow", "Peter Navarro"]
    return build_timeline([
        make_ref("a1", "2018-05-04", long_names, ["Liu He"], date="2018-05-03", date_end="2018-05-04",
                 location="Beijing", evidence="中美兩國代表在北京舉行經貿會談；雙方「在有些領域達成了一些共識」, 周四及周五"),
        make_ref("a2", "2021-11-16", ["Joe Biden"], ["Xi Jinping"], modality="video", date="2021-11-16"),
        make_ref("a3", "2021-10-05", ["Katherine Tai"], ["Liu He"], modality="video", status="planned"),
    ])


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def test_ics_is_valid_rfc5545() -> None:
    entries = _entries()
    text = to_ics(entries)
    raw = text.encode("utf-8")
    assert raw.endswith(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")  # every line ends with CRLF, no bare LF
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75  # folded at 75 octets
        line.decode("utf-8")  # a fold never splits a UTF-8 character
    lines = [x for x in _unfold(text) if x]
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(x.startswith("PRODID:") for x in lines)
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in lines[1:-1]:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            events.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            assert re.fullmatch(r"[A-Z-]+(;[A-Z-]+=[^:;]+)*", name), name
            current[name.split(";")[0]] = value
    assert len(events) == 2  # one per dated entry; the undated planned video call has none
    dated = [e for e in entries if e.date]
    for ev, entry in zip(events, dated, strict=True):
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION"):
            assert prop in ev
        assert ev["UID"] == entry.id
        assert re.fullmatch(r"\d{8}T\d{6}Z", ev["DTSTAMP"])
        assert re.fullmatch(r"\d{8}", ev["DTSTART"]) and re.fullmatch(r"\d{8}", ev["DTEND"])
        assert ev["DTEND"] > ev["DTSTART"]
        # TEXT values: commas and semicolons escaped, newlines as \n
        assert not re.search(r"(?<!\\)[,;]", ev["SUMMARY"])
        assert all(s in ev["DESCRIPTION"] for s in entry.sources)
    assert events[0]["DTSTART"] == "20180503" and events[0]["DTEND"] == "20180505"  # exclusive end


def test_ics_fold_and_escape() -> None:
    line = "DESCRIPTION:" + "中美元首視像會晤" * 20
    folded = ics_fold(line)
    assert all(len(p.encode()) <= 75 for p in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
    assert ics_escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_ics_is_deterministic() -> None:
    assert to_ics(_entries()) == to_ics(_entries())


def test_json_and_csv_shape() -> None:
    entries = _entries()
    rows = json.loads(to_json(entries))
    assert len(rows) == 3
    for row in rows:
        assert tuple(row) == EXPORT_FIELDS
        assert isinstance(row["us"], list) and isinstance(row["sources"], list)
    assert rows[0]["date"] == "2018-05-03" and rows[0]["date_end"] == "2018-05-04"
    reader = list(csv.DictReader(io.StringIO(to_csv(entries))))
    assert len(reader) == 3
    assert {"id", "us", "cn", "modality", "date", "date_end", "date_approx", "location", "status",
            "sources", "n_sources"} <= set(reader[0])
    assert reader[0]["us"].split("; ")[0] == entries[0].us[0]
    assert reader[2]["date"] == "" and reader[2]["status"] == "planned"
