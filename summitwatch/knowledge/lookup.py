"""Resolve what an analyst types into the knowledge's canonical names and topic ids.

``--person`` takes a canonical name (Antony Blinken), an English form (blinken) or a Chinese name in
either script (布林肯); ``--topic`` a topic id or a Chinese cue word (台灣). The CLI's timeline filters,
the API, the web pages and search all resolve filter values here, so they accept the same input.
Without loadable knowledge the value is kept as typed, so filters degrade rather than fail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summitwatch.knowledge.loader import Knowledge, load_knowledge
from summitwatch.knowledge.schema import KnowledgeError

__all__ = ["Query", "canonical_people", "knowledge_or_none", "name_key", "resolve_person", "resolve_topic", "topic_ids"]

_NAME_DROP = re.compile(r"[^0-9a-z\u3400-\u9fff]")


def name_key(name: str) -> str:
    """Compare names case- and punctuation-insensitively, as the reference scorer does."""
    key = _NAME_DROP.sub("", (name or "").lower())
    return key or (name or "").strip()


def knowledge_or_none() -> Knowledge | None:
    """The default knowledge, or None while a data file does not load (filters then take text as is)."""
    try:
        return load_knowledge()
    except (KnowledgeError, OSError):
        return None


@dataclass(frozen=True, slots=True)
class Query:
    """A resolved filter value: canonical keys to compare plus the raw text for evidence search."""

    text: str
    keys: frozenset[str]
    resolved: bool = False  # the knowledge files recognised it (then evidence text is not searched)


def resolve_person(text: str, kn: Knowledge | None = None) -> Query:
    kn = kn if kn is not None else knowledge_or_none()
    keys = {name_key(text)}
    resolved = False
    if kn is not None:
        for name in kn.name_index.get(text.strip(), ()):
            keys.add(name_key(name))
            resolved = True
        for off in kn.officials.values():
            if name_key(text) in {name_key(x) for x in (off.name, *off.en)}:
                keys.add(name_key(off.name))
                resolved = True
    return Query(text.strip(), frozenset(keys), resolved)


def resolve_topic(text: str, kn: Knowledge | None = None) -> Query:
    kn = kn if kn is not None else knowledge_or_none()
    keys = {text.strip(), text.strip().lower()}
    resolved = False
    if kn is not None:
        found = kn.topic_index.get(text.strip(), ())
        keys.update(found)
        resolved = bool(found) or text.strip() in kn.topics
    return Query(text.strip(), frozenset(keys), resolved)


def canonical_people(text: str, kn: Knowledge | None = None) -> list[str]:
    """Canonical names a person filter value stands for (「布林肯」, 「blinken」, 「Antony Blinken」), for
    the SQL filters of the API, the web pages and search; the text as given when nothing matches."""
    kn = kn if kn is not None else knowledge_or_none()
    q = resolve_person(text, kn)
    names = {o.name for o in kn.officials.values() if name_key(o.name) in q.keys} if kn else set()
    return sorted(names) or [text.strip()]


def topic_ids(text: str, kn: Knowledge | None = None) -> list[str]:
    """Topic ids a topic filter value stands for: an id (taiwan) or a cue word in either script (台灣)."""
    kn = kn if kn is not None else knowledge_or_none()
    topics = kn.topics if kn is not None else {}
    ids = {k for k in resolve_topic(text, kn).keys if k in topics}
    return sorted(ids) or [text.strip()]
