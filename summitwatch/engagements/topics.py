"""Topics of an article and of one engagement (its evidence sentence and the article's lead topics)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from summitwatch.mentions.topics import topics_of
from summitwatch.model import Mention

# a sentence ends here (as in sentences.py); two cue words with one of these between them sit in
# different sentences
_SENT_END = re.compile(r"[。！？!?；;\n]")


def article_topics(mentions: Sequence[Mention], text: str | None = None, title_end: int = 0) -> tuple[str, ...]:
    """Topics the article discusses: named in its title, or in at least two sentences.

    A cue word met once (「以疫情為由」 in a story on a vigil, 「疫苗」 in one sentence on flu shots)
    is a passing word, not a topic. Without ``text`` (old callers) a topic needs two mentions."""
    by: dict[str, list[Mention]] = {}
    for m in mentions:
        if m.kind == "topic":
            by.setdefault(m.key, []).append(m)
    keep: list[tuple[int, str]] = []
    for key, ms in by.items():
        ms.sort(key=lambda m: m.start)
        if any(m.end <= title_end for m in ms):
            keep.append((-len(ms), key))
            continue
        if text is None:
            n_sent = len(ms)
        else:
            n_sent = 1 + sum(1 for a, b in zip(ms, ms[1:], strict=False) if _SENT_END.search(text, a.end, b.start))
        if n_sent >= 2:
            keep.append((-len(ms), key))
    return tuple(k for _, k in sorted(keep))


def engagement_topics(mentions: Sequence[Mention], start: int, end: int) -> tuple[str, ...]:
    return topics_of(mentions, start, end)
