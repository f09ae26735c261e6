"""Exports: records from the store to JSONL, CSV or Parquet files.

One writer for every export (articles, engagements, quotes, mentions here; the timeline reuses
``write_records``): records are built once as dicts and rendered in the asked format. A schema of
column kinds keeps Parquet columns typed and stable across batches (nested values that are not
plain string lists travel as JSON text in CSV and Parquet; JSONL keeps them nested).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from summitwatch.ics import ics_escape, ics_fold
from summitwatch.store.codec import (
    article_from_row,
    engagement_fields,
    engagement_from_row,
    figures_from_column,
    links_from_column,
    mention_from_row,
    quote_from_row,
    unpack_json,
)

__all__ = [
    "FORMATS",
    "write_records",
    "article_records",
    "engagement_records",
    "quote_records",
    "mention_records",
    "export_table",
    "ARTICLE_SCHEMA",
    "ENGAGEMENT_SCHEMA",
    "QUOTE_SCHEMA",
    "MENTION_SCHEMA",
    "Download",
    "download",
    "csv_bytes",
    "json_bytes",
    "ics_bytes",
    "timeline_download_rows",
    "TIMELINE_CSV_COLUMNS",
    "DOWNLOAD_FORMATS",
]

FORMATS = ("jsonl", "csv", "parquet")
Kind = Literal["str", "int", "float", "bool", "list[str]", "json"]
Schema = Sequence[tuple[str, Kind]]

ARTICLE_SCHEMA: Schema = (
    ("source", "str"),
    ("id", "str"),
    ("content_hash", "str"),
    ("format", "str"),
    ("outlet", "str"),
    ("outlet_en", "str"),
    ("url", "str"),
    ("original_url", "str"),
    ("archived_url", "str"),
    ("archived_at", "str"),
    ("site_article_no", "str"),
    ("title", "str"),
    ("author", "str"),
    ("published", "str"),
    ("published_alt", "str"),
    ("category", "str"),
    ("tags", "list[str]"),
    ("language", "str"),
    ("script", "str"),
    ("blocks", "json"),
    ("figures", "json"),
    ("links", "json"),
    ("flags", "list[str]"),
    ("text", "str"),
    ("duplicate_of", "str"),
    ("sources", "list[str]"),
    ("engagements", "json"),
    ("quotes", "json"),
    ("topics", "list[str]"),
    ("mentions", "json"),
)
_CONTEXT: Schema = (
    ("source", "str"),
    ("article_id", "str"),
    ("outlet", "str"),
    ("published", "str"),
    ("title", "str"),
)
ENGAGEMENT_SCHEMA: Schema = (
    *_CONTEXT,
    ("seq", "int"),
    ("us", "list[str]"),
    ("cn", "list[str]"),
    ("modality", "str"),
    ("date", "str"),
    ("date_end", "str"),
    ("date_approx", "str"),
    ("date_precision", "str"),
    ("location", "str"),
    ("occasion", "str"),
    ("status", "str"),
    ("focus", "bool"),
    ("evidence", "str"),
    ("evidence_start", "int"),
    ("evidence_end", "int"),
    ("topics", "list[str]"),
)
QUOTE_SCHEMA: Schema = (
    *_CONTEXT,
    ("seq", "int"),
    ("speaker", "str"),
    ("side", "str"),
    ("text", "str"),
    ("reported", "bool"),
    ("start", "int"),
    ("end", "int"),
    ("in_title", "bool"),
)
MENTION_SCHEMA: Schema = (
    *_CONTEXT,
    ("seq", "int"),
    ("kind", "str"),
    ("key", "str"),
    ("surface", "str"),
    ("start", "int"),
    ("end", "int"),
    ("side", "str"),
    ("office", "str"),
)

_SPEC_FIELDS = ("us", "cn", "modality", "date", "date_end", "location", "status", "focus", "evidence")


# --------------------------------------------------------------------------- writers


def _flat(value: Any) -> Any:
    """A CSV cell: nested values as JSON text, None as empty."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _arrow_type(kind: Kind) -> Any:
    import pyarrow as pa

    return {
        "str": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "list[str]": pa.list_(pa.string()),
        "json": pa.string(),
    }[kind]


def _arrow_value(value: Any, kind: Kind) -> Any:
    if value is None:
        return None
    if kind == "json":
        return json.dumps(value, ensure_ascii=False)
    if kind == "list[str]":
        return [str(v) for v in value]
    if kind == "bool":
        return bool(value)
    if kind == "str" and not isinstance(value, str):
        return str(value)
    return value


def write_records(
    records: Iterable[dict[str, Any]],
    path: str | Path,
    fmt: str,
    schema: Schema | None = None,
    *,
    batch: int = 1000,
) -> int:
    """Write dict records to ``path`` as jsonl, csv or parquet; returns how many were written.

    ``schema`` (column name, kind) fixes column order and Parquet types; without it the first
    record's keys are the columns and every value is kept as found (JSON text for nested ones).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    it = iter(records)
    if fmt == "jsonl":
        with path.open("w", encoding="utf-8") as fh:
            for rec in it:
                fh.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
                n += 1
        return n
    first = next(it, None)
    names = [c for c, _ in schema] if schema else (list(first) if first else [])
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(names)
            for rec in _chain(first, it):
                w.writerow([_flat(rec.get(c)) for c in names])
                n += 1
        return n
    import pyarrow as pa
    import pyarrow.parquet as pq

    kinds: dict[str, Kind] = dict(schema) if schema else {c: "json" for c in names}
    if not schema and first is not None:
        for c in names:
            v = first.get(c)
            kinds[c] = (
                "bool" if isinstance(v, bool) else "int" if isinstance(v, int) else
                "float" if isinstance(v, float) else "str" if isinstance(v, str) else "json"
            )  # fmt: skip
    arrow_schema = pa.schema([(c, _arrow_type(kinds[c])) for c in names])
    with pq.ParquetWriter(str(path), arrow_schema, compression="zstd") as pw:
        rows: list[dict[str, Any]] = []
        for rec in _chain(first, it):
            rows.append({c: _arrow_value(rec.get(c), kinds[c]) for c in names})
            n += 1
            if len(rows) >= batch:
                pw.write_table(pa.Table.from_pylist(rows, schema=arrow_schema))
                rows = []
        if rows or n == 0:
            pw.write_table(pa.Table.from_pylist(rows, schema=arrow_schema))
    return n


def _chain(first: dict[str, Any] | None, rest: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    if first is not None:
        yield first
        yield from rest


# --------------------------------------------------------------------------- records


def _extractions(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Engagements (spec fields), quotes, topics and mentions per extracted article id."""
    out: dict[str, dict[str, Any]] = {}
    if not ids:
        return out
    marks = ",".join("?" * len(ids))
    for aid, topics in conn.execute(
        f"SELECT article_id, topics FROM extractions WHERE article_id IN ({marks})", ids
    ):
        out[aid] = {
            "engagements": [],
            "quotes": [],
            "topics": json.loads(topics or "[]"),
            "mentions": [],
        }
    for r in conn.execute(
        f"SELECT * FROM engagements WHERE article_id IN ({marks}) ORDER BY article_id, seq", ids
    ):
        if r["article_id"] in out:
            e = _engagement_dict(r)
            out[r["article_id"]]["engagements"].append({k: e[k] for k in _SPEC_FIELDS})
    for r in conn.execute(
        f"SELECT * FROM quotes WHERE article_id IN ({marks}) ORDER BY article_id, seq", ids
    ):
        if r["article_id"] in out:
            out[r["article_id"]]["quotes"].append(asdict(quote_from_row(r)))
    for r in conn.execute(
        f"SELECT * FROM mentions WHERE article_id IN ({marks}) ORDER BY article_id, seq", ids
    ):
        if r["article_id"] in out:
            out[r["article_id"]]["mentions"].append(asdict(mention_from_row(r)))
    return out


def _engagement_dict(r: sqlite3.Row) -> dict[str, Any]:
    return engagement_fields(engagement_from_row(r))


def article_records(conn: sqlite3.Connection, *, batch: int = 500) -> Iterator[dict[str, Any]]:
    """One record per stored source: every Article field (``source`` = that source), the text,
    ``duplicate_of``, every source of the article, and the extraction when there is one."""
    conn.row_factory = sqlite3.Row
    all_sources: dict[str, list[str]] = {}
    for src, aid in conn.execute("SELECT source, article_id FROM sources ORDER BY source"):
        all_sources.setdefault(aid, []).append(src)
    cur = conn.execute(
        "SELECT s.source AS leaf, a.* FROM sources s JOIN articles a ON a.id = s.article_id ORDER BY s.source"
    )
    while True:
        rows = cur.fetchmany(batch)
        if not rows:
            break
        ext = _extractions(conn, sorted({r["id"] for r in rows}))
        for r in rows:
            a = article_from_row(r)
            # JSON columns are taken as stored (already plain dicts): no dataclass round trip
            d = {
                k: r[k] for k in r.keys() if k not in ("leaf", "blocks", "figures", "links", "tags", "flags")
            }
            d["source"] = r["leaf"]
            d["tags"] = list(a.tags)
            d["flags"] = list(a.flags)
            d["blocks"] = unpack_json(r["blocks"], [])
            d["figures"] = figures_from_column(r["figures"])
            d["links"] = links_from_column(r["links"])
            d["text"] = a.text
            d["duplicate_of"] = r["duplicate_of"]
            d["sources"] = all_sources.get(a.id, [])
            e = ext.get(a.id)
            for k in ("engagements", "quotes", "topics", "mentions"):
                d[k] = e[k] if e else None
            yield {c: d.get(c) for c, _ in ARTICLE_SCHEMA}


def _context_rows(conn: sqlite3.Connection, table: str) -> Iterator[sqlite3.Row]:
    conn.row_factory = sqlite3.Row
    return conn.execute(
        f"SELECT t.*, a.source AS a_source, a.outlet AS a_outlet, a.published AS a_published, "
        f"a.title AS a_title FROM {table} t JOIN articles a ON a.id = t.article_id "
        "ORDER BY a.published_day, t.article_id, t.seq"
    )


def _context(r: sqlite3.Row) -> dict[str, Any]:
    return {
        "source": r["a_source"],
        "article_id": r["article_id"],
        "outlet": r["a_outlet"],
        "published": r["a_published"],
        "title": r["a_title"],
        "seq": r["seq"],
    }


def engagement_records(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """Every per-article engagement with its article's source, outlet, date and title."""
    for r in _context_rows(conn, "engagements"):
        yield {**_context(r), **_engagement_dict(r)}


def quote_records(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    for r in _context_rows(conn, "quotes"):
        yield {**_context(r), **asdict(quote_from_row(r))}


def mention_records(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    for r in _context_rows(conn, "mentions"):
        yield {**_context(r), **asdict(mention_from_row(r))}


_TABLES = {
    "articles": (article_records, ARTICLE_SCHEMA),
    "engagements": (engagement_records, ENGAGEMENT_SCHEMA),
    "quotes": (quote_records, QUOTE_SCHEMA),
    "mentions": (mention_records, MENTION_SCHEMA),
}


def export_table(conn: sqlite3.Connection, what: str, path: str | Path, fmt: str) -> int:
    """Export ``what`` (articles, engagements, quotes, mentions) to ``path``; returns the count."""
    fn, schema = _TABLES[what]
    return write_records(fn(conn), path, fmt, schema)


# --------------------------------------------------------------------------- downloads (issue 14)
# One writer per format for every "download what this page shows" export: the API routes
# (``/api/timeline``, ``/api/raised``, ``/api/counterparts``, ``/api/search``, ``/api/quotes``) and the
# CLI's ``export timeline`` render their rows here, so a CSV from the browser and one from the
# command line are the same file.

DOWNLOAD_FORMATS = ("csv", "json", "ics")
DOWNLOAD_MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "ics": "text/calendar; charset=utf-8",
}
#: Exactly the columns of the timeline CSV, in order.
TIMELINE_CSV_COLUMNS = (
    "id", "date", "date_end", "date_approx", "modality", "status", "us", "cn", "location", "occasion",
    "reports", "single_source", "disputed", "first_source_url", "evidence",
)  # fmt: skip
_BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class Download:
    """An export ready to send: the bytes, their media type and the attachment's file name."""

    body: bytes
    media_type: str
    filename: str
    rows: int


def _csv_cell(value: Any) -> str:
    """Names and other string lists joined with "; "; ``disputed`` items by their field; booleans
    as true/false; anything else nested as JSON text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        if all(isinstance(v, str) for v in value):
            return "; ".join(value)
        if all(isinstance(v, dict) and "field" in v for v in value):
            return "; ".join(str(v["field"]) for v in value)
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def csv_bytes(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> bytes:
    """UTF-8 CSV with a byte-order mark (so spreadsheet programs read the Chinese), one header row."""
    buf = io.StringIO()
    buf.write(_BOM)
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(columns)
    for rec in rows:
        w.writerow([_csv_cell(rec.get(c)) for c in columns])
    return buf.getvalue().encode("utf-8")


def json_bytes(rows: Iterable[dict[str, Any]]) -> bytes:
    """A JSON array of the rows (UTF-8, not ASCII-escaped)."""
    return (json.dumps(list(rows), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


_ICS_STATUS = {"planned": "TENTATIVE", "cancelled": "CANCELLED", "held": "CONFIRMED"}
_ICS_WHAT = {"in_person": "meeting", "phone": "phone call", "video": "video call"}


def ics_bytes(rows: Iterable[dict[str, Any]], prodid: str = "-//summitwatch//timeline//EN") -> bytes:
    """An RFC 5545 calendar: one all-day event per dated timeline row (approximate dates are left
    out: a calendar has no "some day in 2019"); planned → TENTATIVE, cancelled → CANCELLED.
    Deterministic: DTSTAMP is the event's own day, so equal timelines give equal files."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{prodid}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    for r in rows:
        try:
            start = dt.date.fromisoformat(str(r.get("date") or "")[:10])
        except ValueError:
            continue
        try:
            last = dt.date.fromisoformat(str(r.get("date_end") or "")[:10])
        except ValueError:
            last = start
        end = max(last, start) + dt.timedelta(days=1)
        status = str(r.get("status") or "held")
        summary = f"{', '.join(r.get('us') or [])} – {', '.join(r.get('cn') or [])}"
        summary += f" ({_ICS_WHAT.get(str(r.get('modality')), str(r.get('modality')))})"
        if status != "held":
            summary += f" [{status}]"
        desc = [f"Status: {status}", f"Reports: {r.get('reports', '')}"]
        if r.get("single_source"):
            desc.append("Single source: every report is one story")
        if r.get("disputed"):
            desc.append("Disputed: " + _csv_cell(r.get("disputed")))
        if r.get("first_source_url"):
            desc.append(str(r["first_source_url"]))
        lines += [
            "BEGIN:VEVENT",
            f"UID:{r.get('id')}@summitwatch",
            f"DTSTAMP:{start.strftime('%Y%m%d')}T000000Z",
            f"DTSTART;VALUE=DATE:{start.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{end.strftime('%Y%m%d')}",
            f"SUMMARY:{ics_escape(summary)}",
            f"DESCRIPTION:{ics_escape(chr(10).join(desc))}",
        ]
        if r.get("location"):
            lines.append(f"LOCATION:{ics_escape(str(r['location']))}")
        lines += [f"STATUS:{_ICS_STATUS.get(status, 'CONFIRMED')}", "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines).encode("utf-8")


def download(
    what: str,
    fmt: str,
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    *,
    today: dt.date | None = None,
) -> Download:
    """Render ``rows`` as a ``summitwatch-<what>-<YYYYMMDD>.<ext>`` attachment in ``fmt``.

    ``columns`` fixes the CSV header (JSON keeps every key of the rows). ``ics`` is for timeline
    rows only."""
    if fmt not in DOWNLOAD_FORMATS:
        raise ValueError(f"unknown download format {fmt!r} (choose from {', '.join(DOWNLOAD_FORMATS)})")
    day = (today or dt.datetime.now(dt.UTC).date()).strftime("%Y%m%d")
    body = {
        "csv": lambda: csv_bytes(rows, columns),
        "json": lambda: json_bytes(rows),
        "ics": lambda: ics_bytes(rows),
    }[fmt]()
    return Download(body, DOWNLOAD_MEDIA_TYPES[fmt], f"summitwatch-{what}-{day}.{fmt}", len(rows))


def timeline_download_rows(rows: Iterable[Any]) -> list[dict[str, Any]]:
    """Timeline rows (``store.query.timeline.TimelineRow``) as export dicts: the scorer's fields
    (``sources`` = source paths) plus the desk's columns (reports, flags, first source, evidence)."""
    out = []
    for r in rows:
        e = r.entry
        out.append(
            {
                "id": e.id, "date": e.date, "date_end": e.date_end, "date_approx": e.date_approx,
                "date_precision": e.date_precision, "modality": e.modality, "status": e.status,
                "us": list(e.us), "cn": list(e.cn), "location": e.location, "occasion": e.occasion,
                "reports": r.reports, "copies": r.copies, "single_source": r.flags.single_source,
                "disputed": [dict(d) for d in r.flags.disputed], "first_source_url": r.first_source_url,
                "evidence": r.evidence, "curation": (e.data.get("curation") or {}).get("status"),
                "sources": list(e.sources), "article_ids": list(e.article_ids),
            }
        )  # fmt: skip
    return out
