"""The one filter set of every listing, its one date rule and its one where-builder.

The CLI (``articles``, ``timeline``), the API (``/api/articles``, ``/api/timeline``) and the web
pages build a :class:`Filters` from what the user typed and hand it to a query of ``store.query``;
the query turns it into SQL here. So a filter added once works in every interface.

The date rule: ``since``/``until`` take a year (2021), a month (2021-03) or a day (2021-03-18), and
both ends are inclusive: ``until=2021`` keeps everything up to the end of 2021 (:func:`until_day`).
Dates compare as ISO text, so an approximate date (2021-03, 2021) falls inside a range that covers
it. Person and topic values are resolved through the knowledge files (``knowledge.lookup``): a
Chinese name or a cue word works where a canonical name or a topic id is expected.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from summitwatch.knowledge.lookup import (
    canonical_people,
    knowledge_or_none,
    resolve_person,
    resolve_topic,
    topic_ids,
)

__all__ = ["DATE_PATTERN", "TIMELINE_DAY", "Filters", "Where", "article_where", "check_day", "timeline_where", "until_day"]

#: The shape of a ``since``/``until`` value: YYYY, YYYY-MM or YYYY-MM-DD.
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
_DATE = re.compile(DATE_PATTERN)


def check_day(value: str) -> str:
    """``value`` when it is a real year, month or day (2021, 2021-03, 2021-03-18), else ValueError.

    「2021-13-01」 has the shape but would compare as text and silently filter the wrong rows."""
    filled = value + {4: "-01-01", 7: "-01"}.get(len(value), "")
    try:
        ok = bool(_DATE.match(value)) and dt.date.fromisoformat(filled).isoformat() == filled
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    return value


def until_day(value: str | None) -> str | None:
    """The inclusive upper bound of ``until``: 2021 -> 2021-12-31, 2021-03 -> 2021-03-31 (every day
    of the month sorts at or below it), a day stays itself."""
    if value is None:
        return None
    return value + {4: "-12-31", 7: "-31"}.get(len(value), "")


@dataclass(frozen=True, slots=True)
class Filters:
    """What a listing is narrowed to; None (or False) leaves a filter off.

    Article listings use outlet, dates, person, topic, has_engagement, language, title and
    include_duplicates; timeline listings use outlet, dates, person, topic, modality and status.
    """

    since: str | None = None
    until: str | None = None
    outlet: str | None = None  # Chinese (眾新聞) or English (Citizen News, any case) name
    person: str | None = None  # canonical, English or Chinese name (布林肯)
    topic: str | None = None  # topic id or cue word (台灣)
    modality: str | None = None
    status: str | None = None
    language: str | None = None
    title: str | None = None  # a plain substring of the title
    has_engagement: bool = False
    include_duplicates: bool = True  # False: near-duplicate copies left out (representatives kept)


class Where:
    """Conditions joined by AND with their parameters, in order."""

    def __init__(self) -> None:
        self.conditions: list[str] = []
        self.args: list[Any] = []

    def add(self, condition: str, *args: Any) -> None:
        self.conditions.append(condition)
        self.args.extend(args)

    def sql(self) -> str:
        """`` WHERE ...`` (or nothing when no condition was added)."""
        return (" WHERE " + " AND ".join(self.conditions)) if self.conditions else ""

    def dates(self, column: str, f: Filters) -> None:
        """The one date rule on ``column`` (ISO text, possibly a month or a year)."""
        if f.since:
            self.add(f"{column} >= ?", f.since[:10])
        if f.until:
            self.add(f"{column} <= ?", until_day(f.until[:10]))


def _marks(values: list[str]) -> str:
    return ",".join("?" * len(values))


def _outlet(column_prefix: str) -> str:
    return f"({column_prefix}.outlet = ? OR lower({column_prefix}.outlet_en) = lower(?))"


def article_where(f: Filters, a: str = "a", *, id_column: str = "id", day_column: str = "published_day") -> Where:
    """Conditions on ``articles`` (aliased ``a``) for an article listing.

    ``id_column``/``day_column`` name the article id and publication day in another table that
    copies the article's filter columns (``outlet``, ``outlet_en``, ...), such as the search index's."""
    w = Where()
    aid = f"{a}.{id_column}"
    if f.outlet:
        w.add(_outlet(a), f.outlet, f.outlet)
    w.dates(f"{a}.{day_column}", f)
    if f.person:  # any name the officials data knows (拜登, joe biden)
        names = canonical_people(f.person)
        w.add(
            f"EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = {aid}"
            f" AND m.kind IN ('person', 'office') AND m.key IN ({_marks(names)}))",
            *names,
        )
    if f.topic:  # an id or a cue word (台灣)
        topics = topic_ids(f.topic)
        w.add(
            f"EXISTS (SELECT 1 FROM extractions x, json_each(x.topics) t WHERE x.article_id = {aid}"
            f" AND t.value IN ({_marks(topics)}))",
            *topics,
        )
    if f.has_engagement:
        w.add(f"EXISTS (SELECT 1 FROM engagements e WHERE e.article_id = {aid})")
    if f.language:
        w.add(f"{a}.language = ?", f.language)
    if f.title:
        w.add(f"instr({a}.title, ?) > 0", f.title)
    if not f.include_duplicates:
        w.add(f"{a}.duplicate_of IS NULL")
    return w


#: The day a timeline entry sorts and filters by: its exact date, else its approximate month or year.
TIMELINE_DAY = "COALESCE(t.date, t.date_approx)"


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def _evidence_fallback(text: str, resolved: bool) -> tuple[str, list[str]]:
    """A Chinese name or word the knowledge files do not know still finds the entries whose evidence
    sentences contain it, so the filter degrades instead of finding nothing (empty when resolved)."""
    text = text.strip()
    if resolved or not _is_cjk(text):
        return "", []
    return (
        " OR EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(t.data) THEN t.data ELSE '{}' END,"
        " '$.evidence') ev WHERE instr(COALESCE(json_extract(ev.value, '$.evidence'), ''), ?) > 0)",
        [text],
    )


def timeline_where(f: Filters) -> Where:
    """Conditions on ``timeline`` (aliased ``t``) for a timeline listing."""
    w = Where()
    w.dates(TIMELINE_DAY, f)
    kn = knowledge_or_none() if (f.person or f.topic) else None
    if f.person:  # 「布林肯」 as well as 「Antony Blinken」
        names = canonical_people(f.person, kn)
        marks = _marks(names)
        cond, args = _evidence_fallback(f.person, resolve_person(f.person, kn).resolved)
        w.add(
            f"(EXISTS (SELECT 1 FROM json_each(t.us) j WHERE j.value IN ({marks}))"
            f" OR EXISTS (SELECT 1 FROM json_each(t.cn) j WHERE j.value IN ({marks})){cond})",
            *names,
            *names,
            *args,
        )
    if f.modality:
        w.add("t.modality = ?", f.modality)
    if f.status:
        w.add("t.status = ?", f.status)
    if f.topic:  # an id or a cue word (台灣): the entry's topics, a topic one side raised, a record's topic
        topics = topic_ids(f.topic, kn)
        tmarks = _marks(topics)
        cond, args = _evidence_fallback(f.topic, resolve_topic(f.topic, kn).resolved)
        w.add(
            "(EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(t.data) THEN t.data ELSE '{}' END, '$.topics') j"
            f" WHERE j.value IN ({tmarks}))"
            " OR EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(t.data) THEN t.data ELSE '{}' END,"
            f" '$.topics_by_side') s, json_each(s.value) j WHERE j.value IN ({tmarks}))"
            " OR EXISTS (SELECT 1 FROM timeline_members tm JOIN engagements e"
            " ON e.article_id = tm.article_id AND e.seq = tm.seq, json_each(e.topics) j"
            f" WHERE tm.timeline_id = t.id AND j.value IN ({tmarks})){cond})",
            *topics,
            *topics,
            *topics,
            *args,
        )
    if f.outlet:
        w.add(
            "EXISTS (SELECT 1 FROM timeline_members tm JOIN articles a ON a.id = tm.article_id"
            f" WHERE tm.timeline_id = t.id AND {_outlet('a')})",
            f.outlet,
            f.outlet,
        )
    return w
