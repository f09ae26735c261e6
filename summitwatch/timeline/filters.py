"""Filter timeline entries by person and topic, accepting what an analyst types.

``--person`` takes a canonical name (Antony Blinken) or a Chinese name in either script (布林肯);
``--topic`` a topic id or a Chinese cue word (台灣). Names and cues are resolved through the
knowledge files (``knowledge/lookup.py``) when they load; without them an entry still matches a
Chinese query that appears in one of its evidence sentences, so the filters degrade rather than fail.
"""

from __future__ import annotations

from summitwatch.knowledge.lookup import (
    Query,
    canonical_people,
    knowledge_or_none,
    resolve_person,
    resolve_topic,
    topic_ids,
)
from summitwatch.model import TimelineEntry
from summitwatch.timeline.records import name_key

# Resolving names and topic words is the knowledge's job (knowledge/lookup.py); re-exported for callers.
__all__ = [
    "Query", "canonical_people", "filter_entries", "matches_person", "matches_topic", "resolve_person",
    "resolve_topic", "topic_ids",
]  # fmt: skip


def _evidence(entry: TimelineEntry) -> list[str]:
    return [ev.get("evidence") or "" for ev in entry.data.get("evidence", [])]


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def matches_person(entry: TimelineEntry, q: Query) -> bool:
    if {name_key(n) for n in entry.us + entry.cn} & q.keys:
        return True
    return not q.resolved and _is_cjk(q.text) and any(q.text in ev for ev in _evidence(entry))


def matches_topic(entry: TimelineEntry, q: Query) -> bool:
    topics = set(entry.data.get("topics") or [])
    for by in (entry.data.get("topics_by_side") or {}).values():
        topics.update(by)
    if topics & q.keys:
        return True
    return not q.resolved and _is_cjk(q.text) and any(q.text in ev for ev in _evidence(entry))


def filter_entries(
    entries: list[TimelineEntry], person: str | None = None, topic: str | None = None
) -> list[TimelineEntry]:
    kn = knowledge_or_none() if (person or topic) else None
    if person:
        pq = resolve_person(person, kn)
        entries = [e for e in entries if matches_person(e, pq)]
    if topic:
        tq = resolve_topic(topic, kn)
        entries = [e for e in entries if matches_topic(e, tq)]
    return entries
