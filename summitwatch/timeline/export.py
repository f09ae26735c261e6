"""Timeline exports: JSON objects, CSV rows and an RFC 5545 iCalendar file.

The same entries render three ways; exports are deterministic (no clock: DTSTAMP is the entry's last
report), so equal timelines give byte-equal files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from typing import Any

from summitwatch.ics import ics_escape, ics_fold
from summitwatch.model import TimelineEntry

__all__ = ["CSV_FIELDS", "EXPORT_FIELDS", "export_row", "ics_escape", "ics_fold", "to_csv", "to_ics", "to_json"]

EXPORT_FIELDS = ("id", "us", "cn", "modality", "date", "date_end", "date_approx", "location", "status", "curation", "sources")
CSV_FIELDS = (*EXPORT_FIELDS[:-1], "date_precision", "occasion", "n_sources", "outlets", "sources")


def export_row(entry: TimelineEntry) -> dict[str, Any]:
    """The exported object of one entry (the scorer's timeline shape)."""
    return {
        "id": entry.id, "us": list(entry.us), "cn": list(entry.cn), "modality": entry.modality,
        "date": entry.date, "date_end": entry.date_end, "date_approx": entry.date_approx,
        "location": entry.location, "status": entry.status,
        "curation": (entry.data.get("curation") or {}).get("status"),  # analyst mark (issue 6), else None
        "sources": list(entry.sources),
    }


def to_json(entries: Iterable[TimelineEntry]) -> str:
    return json.dumps([export_row(e) for e in entries], ensure_ascii=False, indent=1) + "\n"


def to_csv(entries: Iterable[TimelineEntry]) -> str:
    """One row per entry; list fields joined with "; "."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(CSV_FIELDS), lineterminator="\n")
    writer.writeheader()
    for e in entries:
        row = export_row(e)
        outlets = (e.data.get("coverage") or {}).get("outlets") or []
        writer.writerow({
            **{k: ("; ".join(v) if isinstance(v, list) else ("" if v is None else v)) for k, v in row.items()},
            "date_precision": e.date_precision or "", "occasion": e.occasion or "",
            "n_sources": len(e.sources), "outlets": "; ".join(outlets),
        })
    return buf.getvalue()


def _ics_day(day: str) -> str:
    return day.replace("-", "")


_MODALITY_LABEL = {"in_person": "meeting", "phone": "phone call", "video": "video call"}


def to_ics(entries: Iterable[TimelineEntry], prodid: str = "-//summitwatch//timeline//EN") -> str:
    """A VCALENDAR with one all-day VEVENT per dated entry (DTEND exclusive: last day + 1)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{prodid}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    for e in entries:
        if not e.date:
            continue
        start = dt.date.fromisoformat(e.date)
        last = dt.date.fromisoformat(e.date_end) if e.date_end else start
        end = max(last, start) + dt.timedelta(days=1)
        stamp_day = (e.data.get("coverage") or {}).get("last_report") or e.date
        summary = f"{', '.join(e.us)} – {', '.join(e.cn)} ({_MODALITY_LABEL.get(e.modality, e.modality)})"
        if e.status != "held":
            summary += f" [{e.status}]"
        desc_lines = [f"Status: {e.status}", f"Sources ({len(e.sources)}):", *e.sources]
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e.id}",
            f"DTSTAMP:{_ics_day(stamp_day[:10])}T000000Z",
            f"DTSTART;VALUE=DATE:{_ics_day(start.isoformat())}",
            f"DTEND;VALUE=DATE:{_ics_day(end.isoformat())}",
            f"SUMMARY:{ics_escape(summary)}",
            f"DESCRIPTION:{ics_escape(chr(10).join(desc_lines))}",
        ]
        if e.location:
            lines.append(f"LOCATION:{ics_escape(e.location)}")
        lines += [f"STATUS:{'CANCELLED' if e.status == 'cancelled' else 'TENTATIVE' if e.status == 'planned' else 'CONFIRMED'}",
                  "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines)
