"""Issue topics of a text span, from topic mentions (cue words in the topics data)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from summitwatch.model import Mention


def topics_of(mentions: Iterable[Mention], start: int = 0, end: int | None = None, min_count: int = 1) -> tuple[str, ...]:
    """Topic ids mentioned at least ``min_count`` times between ``start`` and ``end``, most frequent first."""
    c: Counter[str] = Counter(
        m.key for m in mentions if m.kind == "topic" and m.start >= start and (end is None or m.end <= end)
    )
    return tuple(k for k, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0])) if n >= min_count)
