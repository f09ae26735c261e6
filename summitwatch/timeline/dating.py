"""Which day an engagement took place, and which sources say so.

Articles disagree: one gives the Beijing date and another the Washington date, one resolves 周四 and
another prints 「6日」, a few are plainly wrong. Each dated record votes for its day; a vote weighs
more when the article is about the engagement (focus), when the record reports it held rather than
planned, and when its evidence sentence states the day outright rather than through a weekday or
「今早」. The winner is the entry's date; every other day is kept as an alternative with its sources.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from summitwatch.timeline.records import RecordRef, parse_day

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DAY_NUM = re.compile(r"(\d{1,2})\s*[日號号]")
_DAY_CN = re.compile(r"([一二三四五六七八九十]{1,3})\s*[日號号]")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _cn_number(text: str) -> int | None:
    """Convert 一…三十一 to an int (enough for days of a month)."""
    if text == "十":
        return 10
    if "十" in text:
        head, _, tail = text.partition("十")
        tens = _CN_DIGITS.get(head, 1) if head else 1
        ones = _CN_DIGITS.get(tail, 0) if tail else 0
        return tens * 10 + ones
    return _CN_DIGITS.get(text)


def states_day(evidence: str, day: dt.date) -> bool:
    """True when the sentence prints this day of the month (「16日」, 「十六日」, 2021-03-18)."""
    text = evidence or ""
    for m in _DAY_NUM.finditer(text):
        if int(m.group(1)) == day.day:
            return True
    for m in _DAY_CN.finditer(text):
        if _cn_number(m.group(1)) == day.day:
            return True
    return any(int(m.group(3)) == day.day for m in _ISO.finditer(text))


def record_weight(ref: RecordRef) -> float:
    """The vote of one record for its date: focus ×2, held ×1.5, day stated outright ×2."""
    e = ref.engagement
    w = 2.0 if e.focus else 1.0
    if e.status == "held":
        w *= 1.5
    d = parse_day(e.date)
    if d is not None and states_day(e.evidence, d):
        w *= 2.0
    return w


def cite(ref: RecordRef) -> dict[str, Any]:
    """How a record is cited inside an entry (provenance, alternatives, evidence lists)."""
    return {
        "article_id": ref.article_id,
        "seq": ref.seq,
        "source": ref.source,
        "outlet": ref.outlet,
        "published": ref.published,
        "evidence": ref.engagement.evidence,
    }


@dataclass(slots=True)
class DateChoice:
    """The chosen day(s) of an entry with their provenance and the outvoted alternatives."""

    date: str | None = None
    date_end: str | None = None
    date_approx: str | None = None
    precision: str | None = None
    provenance: dict[str, Any] = field(default_factory=dict)
    alternatives: list[dict[str, Any]] = field(default_factory=list)


MAX_SPAN_DAYS = 7  # longer stated spans are not trusted to absorb other reports' days


def _stated_spans(members: list[RecordRef]) -> list[tuple[dt.date, dt.date]]:
    """Multi-day spans the members state, heaviest first."""
    weighted: dict[tuple[dt.date, dt.date], float] = defaultdict(float)
    for ref in members:
        s, e = parse_day(ref.engagement.date), parse_day(ref.engagement.date_end)
        if s is not None and e is not None and 0 < (e - s).days <= MAX_SPAN_DAYS:
            weighted[(s, e)] += record_weight(ref)
    return [k for k, _ in sorted(weighted.items(), key=lambda kv: (-kv[1], kv[0]))]


def _best(votes: dict[str, float]) -> str:
    """Highest vote; ties go to the earlier day (the earlier frame of a US/Beijing pair)."""
    return sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _provenance(refs: list[RecordRef]) -> dict[str, Any]:
    """The record that fixed a date: the heaviest vote, then the earliest report."""
    best = sorted(refs, key=lambda r: (-record_weight(r), r.order_key))[0]
    return cite(best)


def choose_date(members: list[RecordRef]) -> DateChoice:
    """Vote the day, the last day and (for undated entries) the approximate date of an entry."""
    choice = DateChoice()
    votes: dict[str, float] = defaultdict(float)
    voters: dict[str, list[RecordRef]] = defaultdict(list)
    spans = _stated_spans(members)
    reported: dict[str, float] = defaultdict(float)  # each day as the sources give it
    reporters: dict[str, list[RecordRef]] = defaultdict(list)
    for ref in members:
        d = parse_day(ref.engagement.date)
        if d is None:
            continue
        # a report of the second day of talks a source states as multi-day supports their first day
        start = next((s for s, e in spans if s < d <= e and parse_day(ref.engagement.date_end) is None), d)
        votes[start.isoformat()] += record_weight(ref)
        voters[start.isoformat()].append(ref)
        reported[d.isoformat()] += record_weight(ref)
        reporters[d.isoformat()].append(ref)
    if votes:
        best = _best(votes)
        best_day = dt.date.fromisoformat(best)
        choice.date, choice.precision = best, "day"
        choice.provenance["date"] = _provenance(voters[best])
        end_votes: dict[str, float] = defaultdict(float)
        end_voters: dict[str, list[RecordRef]] = defaultdict(list)
        for ref in members:
            start, end = parse_day(ref.engagement.date), parse_day(ref.engagement.date_end)
            if start is None or end is None or end <= best_day or abs((start - best_day).days) > 1:
                continue
            end_votes[end.isoformat()] += record_weight(ref)
            end_voters[end.isoformat()].append(ref)
        if end_votes:
            end = _best(end_votes)
            choice.date_end = end
            choice.provenance["date_end"] = _provenance(end_voters[end])
        for day in sorted(reported):
            if day == best:
                continue
            choice.alternatives.append(
                {"date": day, "weight": round(reported[day], 2),
                 "within_span": day not in votes,  # a later day of the stated span, not a rival date
                 "sources": [cite(r) for r in sorted(reporters[day], key=lambda r: r.order_key)]}
            )
        return choice
    approx_votes: dict[tuple[str, str], float] = defaultdict(float)
    approx_voters: dict[tuple[str, str], list[RecordRef]] = defaultdict(list)
    for ref in members:
        e = ref.engagement
        if e.date_approx:
            prec = e.date_precision or ("month" if len(e.date_approx) == 7 else "year")
            approx_votes[(e.date_approx, prec)] += record_weight(ref)
            approx_voters[(e.date_approx, prec)].append(ref)
    if approx_votes:
        # prefer the finer precision among equally supported values
        best_key = sorted(approx_votes.items(), key=lambda kv: (-kv[1], -len(kv[0][0]), kv[0][0]))[0][0]
        choice.date_approx, choice.precision = best_key
        choice.provenance["date_approx"] = _provenance(approx_voters[best_key])
        for key in sorted(approx_votes):
            if key != best_key:
                choice.alternatives.append(
                    {"date_approx": key[0], "weight": round(approx_votes[key], 2),
                     "sources": [cite(r) for r in sorted(approx_voters[key], key=lambda r: r.order_key)]}
                )
    return choice


def approx_compatible(approx: str | None, lo: dt.date | None, hi: dt.date | None) -> bool:
    """Does an approximate date (``2018-12`` or ``2018``) cover any day of [lo, hi]?"""
    if not approx or lo is None:
        return True
    hi = hi or lo
    day = lo
    while day <= hi:
        if day.isoformat().startswith(approx):
            return True
        day += dt.timedelta(days=1)
    return False
