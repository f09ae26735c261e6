"""Filter timeline entries by person and topic, accepting what an analyst types.

``--person`` takes a canonical name (Antony Blinken) or a Chinese name in either script (布林肯);
``--topic`` a topic id or a Chinese cue word (台灣). Names and cues are resolved through the
knowledge files when they load; without them an entry still matches a Chinese query that appears in
one of its evidence sentences, so the filters degrade rather than fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from summitwatch.model import TimelineEntry
from summitwatch.timeline.records import name_key


def _knowledge() -> Any | None:
    try:
        from summitwatch.knowledge import load_knowledge

        return load_knowledge()
    except Exception:  # noqa: BLE001 - data files may be incomplete while others write them
        return None


@dataclass(frozen=True, slots=True)
class Query:
    """A resolved filter value: canonical keys to compare plus the raw text for evidence search."""

    text: str
    keys: frozenset[str]
    resolved: bool = False  # the knowledge files recognised it (then evidence text is not searched)


def resolve_person(text: str, kn: Any | None = None) -> Query:
    kn = kn if kn is not None else _knowledge()
    keys = {name_key(text)}
    resolved = False
    if kn is not None:
        for name in getattr(kn, "name_index", {}).get(text.strip(), ()):
            keys.add(name_key(name))
            resolved = True
        for off in getattr(kn, "officials", {}).values():
            if name_key(text) in {name_key(x) for x in (off.name, *off.en)}:
                keys.add(name_key(off.name))
                resolved = True
    return Query(text.strip(), frozenset(keys), resolved)


def resolve_topic(text: str, kn: Any | None = None) -> Query:
    kn = kn if kn is not None else _knowledge()
    keys = {text.strip(), text.strip().lower()}
    resolved = False
    if kn is not None:
        found = getattr(kn, "topic_index", {}).get(text.strip(), ())
        keys.update(found)
        resolved = bool(found) or text.strip() in getattr(kn, "topics", {})
    return Query(text.strip(), frozenset(keys), resolved)


def canonical_people(text: str, kn: Any | None = None) -> list[str]:
    """Canonical names a person filter value stands for (「布林肯」, 「blinken」, 「Antony Blinken」), for
    the SQL filters of the API, the web pages and search; the text as given when nothing matches."""
    kn = kn if kn is not None else _knowledge()
    q = resolve_person(text, kn)
    names = {o.name for o in getattr(kn, "officials", {}).values() if name_key(o.name) in q.keys} if kn else set()
    return sorted(names) or [text.strip()]


def topic_ids(text: str, kn: Any | None = None) -> list[str]:
    """Topic ids a topic filter value stands for: an id (taiwan) or a cue word in either script (台灣)."""
    kn = kn if kn is not None else _knowledge()
    topics = getattr(kn, "topics", {}) if kn is not None else {}
    ids = {k for k in resolve_topic(text, kn).keys if k in topics}
    return sorted(ids) or [text.strip()]


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
    kn = _knowledge() if (person or topic) else None
    if person:
        pq = resolve_person(person, kn)
        entries = [e for e in entries if matches_person(e, pq)]
    if topic:
        tq = resolve_topic(topic, kn)
        entries = [e for e in entries if matches_topic(e, tq)]
    return entries
