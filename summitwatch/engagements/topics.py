"""Topics of an article and of one engagement (its evidence sentence and the article's lead topics)."""

from __future__ import annotations

from collections.abc import Sequence

from summitwatch.mentions.topics import topics_of
from summitwatch.model import Mention


def article_topics(mentions: Sequence[Mention]) -> tuple[str, ...]:
    """Topics named at least twice, or once in a short article (one mention in passing is not a topic)."""
    n_topic = sum(1 for m in mentions if m.kind == "topic")
    return topics_of(mentions, min_count=1 if n_topic <= 2 else 2)


def engagement_topics(mentions: Sequence[Mention], start: int, end: int) -> tuple[str, ...]:
    return topics_of(mentions, start, end)
