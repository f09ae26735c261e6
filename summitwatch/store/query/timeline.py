"""The timeline as the analyst's desk reads it: entries with report counts, flags and first source.

One query for the page, ``/api/timeline`` and every timeline export, so they agree on what a row
says. "Reports" is the number of distinct articles behind an entry with near-duplicate copies folded
into their article (copies are counted apart), the same number the engagement page and the home page
show. Rows come back newest first by default and sort by any column (:data:`SORT_KEYS`).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from summitwatch.model import TimelineEntry
from summitwatch.store.browse import TimelineFilters, list_timeline
from summitwatch.store.flags import read_flags
from summitwatch.timeline.flags import Flags

__all__ = ["TimelineRow", "SORT_KEYS", "timeline_rows", "report_counts", "MAX_ROWS"]

#: The most rows one request (page or export) returns.
MAX_ROWS = 100_000


@dataclass(frozen=True, slots=True)
class ReportCount:
    """Distinct articles (near-duplicate groups) behind an entry and the copies folded into them."""

    reports: int
    copies: int
    first_source_url: str | None
    evidence: str | None


@dataclass(frozen=True, slots=True)
class TimelineRow:
    entry: TimelineEntry
    reports: int
    copies: int
    flags: Flags
    first_source_url: str | None
    evidence: str | None

    @property
    def day(self) -> str | None:
        """The sortable day: the exact date, else the approximate month or year."""
        return self.entry.date or self.entry.date_approx

    def to_dict(self) -> dict[str, Any]:
        d = self.entry.to_dict()
        d.update(
            reports=self.reports,
            copies=self.copies,
            single_source=self.flags.single_source,
            disputed=[dict(x) for x in self.flags.disputed],
            first_source_url=self.first_source_url,
            evidence=self.evidence,
        )
        return d


def report_counts(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, ReportCount]:
    """Per entry: distinct near-duplicate groups, copies, the earliest report's URL and evidence."""
    groups: dict[str, set[str]] = defaultdict(set)
    articles: dict[str, set[str]] = defaultdict(set)
    first: dict[str, tuple[str | None, str | None]] = {}
    for i in range(0, len(ids), 500):
        chunk = list(ids[i : i + 500])
        for tid, aid, group, url, original, evidence in conn.execute(
            "SELECT tm.timeline_id, tm.article_id, COALESCE(a.duplicate_of, tm.article_id),"
            " a.url, a.original_url, e.evidence FROM timeline_members tm"
            " JOIN engagements e ON e.article_id = tm.article_id AND e.seq = tm.seq"
            " LEFT JOIN articles a ON a.id = tm.article_id"
            f" WHERE tm.timeline_id IN ({','.join('?' * len(chunk))})"
            " ORDER BY a.published_day IS NULL, a.published_day, a.published, tm.article_id, tm.seq",
            chunk,
        ):
            groups[tid].add(group)
            articles[tid].add(aid)
            if tid not in first:
                first[tid] = (url or original, evidence)
    out = {}
    for tid in ids:
        n = len(groups.get(tid, ()))
        url, evidence = first.get(tid, (None, None))
        out[tid] = ReportCount(n, len(articles.get(tid, ())) - n, url, evidence)
    return out


def _text(values: Sequence[str]) -> str:
    return "; ".join(values).casefold()


#: Sortable columns -> key of a row (missing values sort last whatever the direction).
SORT_KEYS: dict[str, Callable[[TimelineRow], Any]] = {
    "date": lambda r: r.day,
    "us": lambda r: _text(r.entry.us),
    "cn": lambda r: _text(r.entry.cn),
    "modality": lambda r: r.entry.modality,
    "status": lambda r: r.entry.status,
    "location": lambda r: r.entry.location,
    "occasion": lambda r: r.entry.occasion,
    "reports": lambda r: r.reports,
    "flags": lambda r: (len(r.flags.disputed), r.flags.single_source),
}


def _sorted(rows: list[TimelineRow], sort: str, descending: bool) -> list[TimelineRow]:
    key = SORT_KEYS.get(sort, SORT_KEYS["date"])
    present = [r for r in rows if key(r) not in (None, "")]
    absent = [r for r in rows if key(r) in (None, "")]
    # a stable secondary order (date, id) so equal keys do not shuffle between requests
    present.sort(key=lambda r: (r.day or "", r.entry.id), reverse=descending)
    present.sort(key=key, reverse=descending)
    return present + absent


def timeline_rows(
    conn: sqlite3.Connection,
    filters: TimelineFilters | None = None,
    *,
    sort: str = "date",
    descending: bool = True,
    limit: int = MAX_ROWS,
) -> tuple[int, list[TimelineRow]]:
    """``(total matching, rows)``: every entry under ``filters`` (up to ``limit``), sorted."""
    page = list_timeline(conn, filters, limit=min(limit, MAX_ROWS), offset=0)
    entries: list[TimelineEntry] = list(page.items)
    ids = [e.id for e in entries]
    counts = report_counts(conn, ids)
    flags = read_flags(conn, ids)
    rows = [
        TimelineRow(
            e,
            counts[e.id].reports,
            counts[e.id].copies,
            flags[e.id],
            counts[e.id].first_source_url,
            counts[e.id].evidence,
        )
        for e in entries
    ]
    return page.total, _sorted(rows, sort, descending)
