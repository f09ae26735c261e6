"""Warnings a reader needs on a merged engagement: does it rest on one story, do its sources disagree?

Pure functions over the per-article reports behind one timeline entry (no store access, no clock),
so the store can persist the result at every timeline write and any reader can recompute it.

* ``single_source``: every report belongs to one near-duplicate group (one story, however many
  copies were archived), so nothing independent confirms it.
* ``disputed``: a list of ``{field, values: [{value, sources}]}``, one item per field on which the
  reports disagree in a way the merge could not have reconciled:

  - ``date``: exact dates more than one day apart (one day is time-zone framing, not a dispute); a
    report's span (``date`` to ``date_end``) counts whole, so "6–7 April" and "7 April" agree;
  - ``status``: different statuses in reports published on the same day: "cancelled" beside any
    other status, or "planned" beside "held" once the day of the engagement has passed (a preview in
    the morning and a readout in the evening of the day itself is the normal life of an engagement);
  - ``us`` / ``cn``: participant lists on one side that do not overlap, unless other reports bridge
    them ({Blinken}, {Sullivan} and {Blinken, Sullivan} are partial lists of one delegation; {Wang Yi}
    and {Yang Jiechi} alone are two accounts of who was there).

``sources`` are article ids (the representative of each near-duplicate group), so a page can link
each disagreeing value to the articles that state it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from summitwatch.model import Flags, RecordRef, Report, TimelineEntry

# ``Report`` and ``Flags`` are records of model.py (the store writes and the read layer returns them)
__all__ = ["Report", "Flags", "compute_flags", "timeline_flags", "MAX_DATE_GAP_DAYS"]

#: Exact dates this many days apart or fewer are one date told from two time zones.
MAX_DATE_GAP_DAYS = 1


def _day(value: str | None) -> dt.date | None:
    if not value or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _values(pairs: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """``(value, group)`` pairs -> ``[{value, sources}]``, values and sources in a stable order."""
    by_value: dict[str, list[str]] = {}
    for value, group in pairs:
        sources = by_value.setdefault(value, [])
        if group not in sources:
            sources.append(group)
    return [{"value": v, "sources": sorted(s)} for v, s in sorted(by_value.items())]


def _date_dispute(reports: Sequence[Report]) -> dict[str, Any] | None:
    spans = []
    for r in reports:
        start = _day(r.date)
        if start is not None:
            end = _day(r.date_end)
            spans.append((start, max(start, end) if end else start, r))
    if len(spans) < 2:
        return None
    spans.sort(key=lambda s: (s[0], s[1]))
    reach = spans[0][1]
    for start, end, _ in spans[1:]:
        if (start - reach).days > MAX_DATE_GAP_DAYS:  # a gap no report's span covers
            return {"field": "date", "values": _values((s.isoformat(), r.group) for s, _, r in spans)}
        reach = max(reach, end)
    return None


def _status_dispute(reports: Sequence[Report], event_day: str | None) -> dict[str, Any] | None:
    by_day: dict[str, set[str]] = {}
    for r in reports:
        if r.status and r.published_day:
            by_day.setdefault(r.published_day[:10], set()).add(r.status)
    event = _day(event_day)
    clash = set()
    for day, statuses in by_day.items():
        if len(statuses) < 2:
            continue
        passed = event is not None and (_day(day) or event) > event
        if "cancelled" in statuses or passed:
            clash.add(day)
    if not clash:
        return None
    pairs = [(r.status, r.group) for r in reports if r.status and (r.published_day or "")[:10] in clash]
    return {"field": "status", "values": _values(pairs)}


def _side_dispute(reports: Sequence[Report], side: str) -> dict[str, Any] | None:
    named = [(frozenset(getattr(r, side)), r) for r in reports if getattr(r, side)]
    sets = list(dict.fromkeys(s for s, _ in named))
    if len(sets) < 2:
        return None
    # connected components of the lists under "shares a name": one component = one delegation
    component = list(range(len(sets)))

    def root(i: int) -> int:
        while component[i] != i:
            component[i] = component[component[i]]
            i = component[i]
        return i

    for i, a in enumerate(sets):
        for j in range(i + 1, len(sets)):
            if a & sets[j]:
                component[root(i)] = root(j)
    if len({root(i) for i in range(len(sets))}) == 1:
        return None
    return {"field": side, "values": _values(("; ".join(sorted(s)), r.group) for s, r in named)}


def compute_flags(reports: Sequence[Report], event_day: str | None = None) -> Flags:
    """The flags of one engagement from the reports behind it (no reports: not single-source).

    ``event_day`` is the entry's own date (YYYY-MM-DD, when known): after it, "planned" beside
    "held" is a disagreement rather than the day's news moving on."""
    groups = {r.group for r in reports}
    disputed = tuple(
        d
        for d in (
            _date_dispute(reports),
            _status_dispute(reports, event_day),
            _side_dispute(reports, "us"),
            _side_dispute(reports, "cn"),
        )
        if d is not None
    )
    return Flags(single_source=len(groups) == 1, disputed=disputed)


def timeline_flags(
    entries: Sequence[TimelineEntry],
    records: Iterable[RecordRef],
    articles: Mapping[str, tuple[str, str | None]],
) -> dict[str, Flags]:
    """The flags of every entry of a merged timeline, before it is written.

    ``records`` are the stored per-article records (an analyst-added record with no stored
    engagement is not a report); ``articles`` maps an article id to (near-duplicate group,
    publication day). A record listed by two entries belongs to the last one, as the store keeps it.
    """
    by_key = {(r.article_id, r.seq): r for r in records}
    owner: dict[tuple[str, int], str] = {}
    for e in entries:
        for ev in e.data.get("evidence", []):
            owner[(ev["article_id"], ev["seq"])] = e.id
    reports: dict[str, list[Report]] = {}
    for key in sorted(owner):
        rec = by_key.get(key)
        if rec is None:
            continue
        group, day = articles.get(rec.article_id, (rec.article_id, None))
        eng = rec.engagement
        reports.setdefault(owner[key], []).append(
            Report(rec.article_id, group, eng.date, eng.date_end, eng.status, day, tuple(eng.us), tuple(eng.cn))
        )
    return {
        e.id: compute_flags(reports.get(e.id, []), (e.date_end or e.date) if e.date else None) for e in entries
    }
