"""Mentions: officials, offices, places, topics and bodies named in an article, with offsets.

``scan`` gives the rich spans the engagement stage needs (office time-shift, apposition links);
``find_mentions`` gives the ``Mention`` records the store keeps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from summitwatch.mentions.gazetteer import Gazetteer, gazetteer_for, normalise
from summitwatch.mentions.officials import choose_offices, resolve_office, time_shift
from summitwatch.model import Article, Mention

__all__ = ["Span", "find_mentions", "scan", "normalise"]

# gap allowed between a title and the name it introduces: spaces, a middle dot, nothing else
_APPOSITION_GAP = re.compile(r"^[\s·‧・]{0,2}$")


@dataclass(frozen=True, slots=True)
class Span:
    """A mention with what the engagement stage needs beyond ``Mention``."""

    kind: str  # person | office | place | topic | body | summit
    key: str  # person/place/body name, topic/summit id, office id for offices
    side: str | None
    start: int
    end: int
    shift: str | None = None  # offices: former / then / incoming
    person: str | None = None  # offices: the person the title introduces (「美國國務卿布林肯」)


def _short_pairs(gz: Gazetteer, norm: str) -> list[Span]:
    """「習拜會」「川習會」: two one-character short names of opposite sides followed by 會."""
    if not gz.short:
        return []
    chars = "".join(re.escape(c) for c in gz.short)
    out: list[Span] = []
    for m in re.finditer(f"([{chars}])([{chars}])(?=会|峰会|二次会)", norm):
        a, b = gz.short[m.group(1)], gz.short[m.group(2)]
        for (na, sa) in a:
            for (nb, sb) in b:
                if {sa, sb} == {"US", "PRC"}:
                    out.append(Span("person", na, sa, m.start(1), m.end(1)))
                    out.append(Span("person", nb, sb, m.start(2), m.end(2)))
    return out


def scan(text: str, kn: Any, norm: str | None = None) -> list[Span]:
    """Every span the gazetteer finds in ``text``, offices not yet resolved to a person (see ``resolve_spans``)."""
    gz = gazetteer_for(kn)
    norm = normalise(text) if norm is None else norm
    spans: list[Span] = []
    seen_full: set[str] = set()
    for h in gz.find(norm):
        kinds = {e.kind for e in h.entries}
        if "block" in kinds:
            continue
        if "short" in kinds and "person" not in kinds:
            # a short form counts only after the full name has appeared (「拜登」 after 「美國總統拜登」)
            for e in h.entries:
                if e.kind == "short" and e.key in seen_full:
                    spans.append(Span("person", e.key, e.side, h.start, h.end))
                    break
            continue
        if "person" in kinds:
            e = next(e for e in h.entries if e.kind == "person")
            spans.append(Span("person", e.key, e.side, h.start, h.end))
            seen_full.add(e.key)
        elif "office" in kinds:
            shift = time_shift(norm, h)
            for e in choose_offices(norm, h, kn):
                spans.append(Span("office", e.key, e.side, h.start, h.end, shift))
        elif "summit" in kinds:
            for e in h.entries:
                if e.kind == "summit":
                    spans.append(Span("summit", e.key, None, h.start, h.end))
        else:
            e = h.entries[0]
            spans.append(Span(e.kind, e.key, e.side, h.start, h.end))
    spans.extend(_short_pairs(gz, norm))
    spans.sort(key=lambda s: (s.start, s.end))
    # link a title to the name right after it (「美國國務卿布林肯」, 「外長 王毅」)
    persons = [s for s in spans if s.kind == "person"]
    linked: list[Span] = []
    for s in spans:
        if s.kind == "office":
            nxt = next((p for p in persons if p.start >= s.end), None)
            if nxt is not None and nxt.side == s.side and _APPOSITION_GAP.match(text[s.end:nxt.start]):
                s = replace(s, person=nxt.key)
        linked.append(s)
    return linked


def resolve_span(kn: Any, s: Span, date: str | None) -> str:
    """The person an office span stands for on ``date`` ("" when unknown)."""
    if s.kind != "office":
        return s.key
    if s.person:
        return s.person
    return resolve_office(kn, s.key, date, s.shift)


def find_mentions(
    article: Article, kn: Any, ref_date: str | None = None, spans: list[Span] | None = None
) -> list[Mention]:
    """Mentions of officials, offices, places, topics and bodies in ``article.text``.

    Offices resolve to their holder on ``ref_date`` (else the publication date). ``spans``: the
    article's :func:`scan` when the caller already has it (the engagement stage), so the text is
    scanned once."""
    text = article.text
    date = ref_date or article.published_date
    out: list[Mention] = []
    for s in scan(text, kn) if spans is None else spans:
        if s.kind == "summit":
            continue
        surface = text[s.start:s.end]
        if s.kind == "office":
            out.append(Mention("office", resolve_span(kn, s, date), surface, s.start, s.end, s.side, s.key))
        else:
            out.append(Mention(s.kind, s.key, surface, s.start, s.end, s.side))  # type: ignore[arg-type]
    return out
