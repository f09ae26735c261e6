"""Who raised what: which side brought up which issue at which engagement, year by year.

A topic is *raised by a side* at an engagement when

* a quote of that side's participant, in one of the engagement's articles, mentions the topic; or
* a sentence of one of the engagement's articles has that side's participant as the subject of a
  raising verb (``raising_verbs`` in ``data/cues.yaml``: 提出、提及、強調、表達關切、談到) with the
  topic as its object: the participant is the nearest name before the verb that is not the object
  or partner of another word (``raising_not_subject_after``: 「布林肯與王毅會面」), in the verb's
  clause or carried over a clause break only when the verb's clause opens with it (「…會面，強調」,
  「…，同時強調」; not 「川習會前，美國官員三次提及」); the topic comes after the verb and before
  the next name (「拜登提出台灣問題，習近平強調香港」 gives Biden–Taiwan and Xi–Hong Kong, never
  Biden–Hong Kong).

:func:`raisings` is the pure sentence rule; :func:`raised_hits` applies it to the store and
:func:`raised_cells` counts engagements per (year, side, topic). Sentence ids are
``<article id>:<start>-<end>`` (offsets into the article's clean text), so a page links each cell
to the very sentences behind it.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

import opencc

from summitwatch.knowledge import load_knowledge
from summitwatch.mentions.cues import load_cues
from summitwatch.mentions.gazetteer import normalise
from summitwatch.store.codec import blocks_text

__all__ = [
    "RaisedFilters",
    "RaisedHit",
    "RaisedCell",
    "Span",
    "raisings",
    "raised_hits",
    "raised_cells",
    "sentence_spans",
    "RAISED_CSV_COLUMNS",
]

RAISED_CSV_COLUMNS = ("year", "side", "topic", "count", "engagement_ids", "sentence_ids")

#: Characters a clause may open with before its verb and still take the previous clause's subject
#: (「，同時強調」「，並提出」): longer openings carry their own subject.
MAX_CLAUSE_OPENING = 3
_CLAUSE_BREAKS = "，,；;：:"
# a sentence: a run of non-terminators with its terminators (and closing quotes) - linear, no overlap
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]*[」』”’\"）)]*")


@dataclass(frozen=True, slots=True)
class Span:
    """A mention inside a text: a person (key = canonical name) or a topic (key = topic id)."""

    start: int
    end: int
    key: str


@dataclass(frozen=True, slots=True)
class RaisedFilters:
    since: str | None = None
    until: str | None = None
    side: str | None = None  # US | PRC
    person: str | None = None  # canonical name of the participant who raised it


@dataclass(frozen=True, slots=True)
class RaisedHit:
    """One sentence (or quote) in which a side raised a topic at an engagement."""

    year: str
    side: str
    topic: str
    person: str
    engagement_id: str
    sentence_id: str
    article_id: str
    text: str
    via: str  # "quote" | "readout"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class RaisedCell:
    year: str
    side: str
    topic: str
    count: int  # engagements at which the side raised the topic that year
    engagement_ids: tuple[str, ...]
    sentence_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["engagement_ids"] = list(self.engagement_ids)
        d["sentence_ids"] = list(self.sentence_ids)
        return d


@lru_cache(maxsize=1)
def raising_verbs() -> tuple[str, ...]:
    """The raising verbs in Simplified, lower-case form (the form :func:`normalise` gives a text)."""
    return tuple(dict.fromkeys(normalise(v) for v in load_cues().get("raising_verbs") or () if v))


@lru_cache(maxsize=1)
def verb_forms() -> tuple[str, ...]:
    """The raising verbs in both scripts, to find candidate sentences before converting any text."""
    to_trad = opencc.OpenCC("s2t")
    return tuple(dict.fromkeys(f for v in raising_verbs() for f in (v, to_trad.convert(v))))


@lru_cache(maxsize=1)
def not_subject_after() -> tuple[str, ...]:
    """Words after which a name is not a raising verb's subject, normalised like the text."""
    return tuple(dict.fromkeys(normalise(v) for v in load_cues().get("raising_not_subject_after") or () if v))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every sentence of ``text``."""
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text)]


def raisings(
    norm: str,
    persons: Sequence[Span],
    topics: Sequence[Span],
    verbs: Iterable[str],
    not_after: Iterable[str] = (),
) -> list[tuple[str, str]]:
    """``(person, topic)`` pairs one sentence raises. ``norm`` is the sentence in :func:`normalise`
    form; spans are relative to it. The subject is the nearest person before the verb that does
    not follow a ``not_after`` word and is not a one-character short form, within the verb's clause
    or the clause just before when the verb's clause opens with the verb; the objects are the topics after the verb and before the next person."""
    out: list[tuple[str, str]] = []
    people = sorted(persons, key=lambda s: s.start)
    blocked = tuple(not_after)
    for verb in verbs:
        i = norm.find(verb)
        while i >= 0:
            v_end = i + len(verb)
            subject = _subject(norm, [p for p in people if p.end <= i], i, blocked)
            if subject is not None:
                after = [p.start for p in people if p.start >= v_end]
                stop = after[0] if after else len(norm)
                for t in topics:
                    if v_end <= t.start and t.end <= stop and (subject, t.key) not in out:
                        out.append((subject, t.key))
            i = norm.find(verb, v_end)
    return out


def _subject(norm: str, before: list[Span], verb_at: int, blocked: tuple[str, ...]) -> str | None:
    for p in reversed(before):
        if p.end - p.start < 2:
            continue  # a one-character short form (習) is as often part of a word (川習會) as a subject
        if blocked and norm[: p.start].endswith(blocked):
            continue  # 「與王毅」: a partner, not the subject
        gap = norm[p.end : verb_at]
        breaks = [k for k, c in enumerate(gap) if c in _CLAUSE_BREAKS]
        if len(breaks) > 1 or (breaks and len(gap) - breaks[-1] - 1 > MAX_CLAUSE_OPENING):
            return None  # the verb's clause has its own (unnamed) subject
        return p.key
    return None


def _json(value: str | None) -> Any:
    try:
        return json.loads(value or "null")
    except ValueError:
        return None


def _in_range(day: str, f: RaisedFilters) -> bool:
    """``day`` (YYYY, YYYY-MM or YYYY-MM-DD) overlaps the inclusive ``since``/``until`` bounds."""
    if f.since and day[: len(f.since)] < f.since[: len(day)]:
        return False
    return not (f.until and day[: len(f.until)] > f.until[: len(day)])


def raised_hits(conn: sqlite3.Connection, filters: RaisedFilters | None = None) -> list[RaisedHit]:
    """Every sentence and quote in which a side raised a topic, over the dated timeline entries."""
    f = filters or RaisedFilters()
    entries: dict[str, tuple[str, dict[str, str]]] = {}  # id -> (year, participant -> side)
    for tid, us, cn, day in conn.execute(
        "SELECT id, us, cn, COALESCE(date, date_approx) FROM timeline WHERE COALESCE(date, date_approx) IS NOT NULL"
    ):
        if not _in_range(day, f):
            continue
        sides = {str(n): "US" for n in _json(us) or []}
        sides.update({str(n): "PRC" for n in _json(cn) or []})
        entries[tid] = (day[:4], sides)
    if not entries:
        return []
    # article id -> timeline id -> None (the article is about the engagement: all of it counts) or
    # the evidence spans of an article that reports it in passing (only their paragraphs count)
    members: dict[str, dict[str, list[tuple[int, int]] | None]] = defaultdict(dict)
    for tid, aid, focus, ev_start, ev_end in conn.execute(
        "SELECT tm.timeline_id, tm.article_id, e.focus, e.evidence_start, e.evidence_end FROM timeline_members tm"
        " JOIN engagements e ON e.article_id = tm.article_id AND e.seq = tm.seq"
    ):
        if tid not in entries:
            continue
        scope = members[aid].get(tid, [])
        if focus or scope is None:
            members[aid][tid] = None
        else:
            members[aid][tid] = [
                *scope,
                (ev_start if ev_start is not None else -1, ev_end if ev_end is not None else -1),
            ]
    hits: list[RaisedHit] = []
    verbs = raising_verbs()
    ids = sorted(members)
    for i in range(0, len(ids), 200):
        chunk = ids[i : i + 200]
        marks = ",".join("?" * len(chunk))
        persons: dict[str, list[Span]] = defaultdict(list)
        topics: dict[str, list[Span]] = defaultdict(list)
        for aid, kind, key, start, end in conn.execute(
            f'SELECT article_id, kind, key, start, "end" FROM mentions WHERE article_id IN ({marks})'
            # unary + keeps SQLite on the primary key (article_id first), not the (kind, key) index
            " AND +kind IN ('person', 'office', 'topic') AND +key != ''",
            chunk,
        ):
            (topics if kind == "topic" else persons)[aid].append(Span(start, end, key))
        texts = {
            aid: blocks_text(blocks)
            for aid, blocks in conn.execute(f"SELECT id, blocks FROM articles WHERE id IN ({marks})", chunk)
        }
        for aid in chunk:
            text = texts.get(aid, "")
            scopes = {tid: _paragraphs(text, spans) for tid, spans in members[aid].items()}
            hits += _readout_hits(aid, text, persons[aid], topics[aid], scopes, entries, verbs)
        for aid, seq, speaker, qtext, start, end in conn.execute(
            f'SELECT article_id, seq, speaker, text, start, "end" FROM quotes WHERE article_id IN ({marks})',
            chunk,
        ):
            scopes = {tid: _paragraphs(texts.get(aid, ""), spans) for tid, spans in members[aid].items()}
            hits += _quote_hits(aid, seq, speaker, qtext, start, end, topics[aid], scopes, entries)
    hits = [h for h in hits if (not f.side or h.side == f.side) and (not f.person or h.person == f.person)]
    hits.sort(key=lambda h: (h.year, h.side, h.topic, h.engagement_id, h.sentence_id))
    return hits


def _paragraphs(text: str, spans: list[tuple[int, int]] | None) -> list[tuple[int, int]] | None:
    """The paragraphs (blank-line separated) of ``text`` that hold one of ``spans`` (None: all)."""
    if spans is None:
        return None
    out = []
    for s, e in spans:
        if 0 <= s < e <= len(text):
            lo = text.rfind("\n\n", 0, s)
            hi = text.find("\n\n", e)
            out.append((0 if lo < 0 else lo + 2, len(text) if hi < 0 else hi))
    return out


def _within(scope: list[tuple[int, int]] | None, start: int, end: int) -> bool:
    return scope is None or any(lo <= start and end <= hi for lo, hi in scope)


def _readout_hits(
    aid: str,
    text: str,
    persons: list[Span],
    topics: list[Span],
    scopes: dict[str, list[tuple[int, int]] | None],
    entries: dict[str, tuple[str, dict[str, str]]],
    verbs: tuple[str, ...],
) -> list[RaisedHit]:
    if not text or not topics or not persons:
        return []
    forms = verb_forms()
    if not any(v in text for v in forms):  # cheap: most member articles raise nothing
        return []
    out = []
    for s, e in sentence_spans(text):
        if not any(v in text[s:e] for v in forms):
            continue
        sentence = normalise(text[s:e])  # same length as the text: offsets carry over
        ps = [Span(p.start - s, p.end - s, p.key) for p in persons if s <= p.start and p.end <= e]
        ts = [Span(t.start - s, t.end - s, t.key) for t in topics if s <= t.start and t.end <= e]
        for person, topic in raisings(sentence, ps, ts, verbs, not_subject_after()):
            for tid in sorted(scopes):
                year, sides = entries[tid]
                if person in sides and _within(scopes[tid], s, e):
                    out.append(
                        RaisedHit(
                            year,
                            sides[person],
                            topic,
                            person,
                            tid,
                            f"{aid}:{s}-{e}",
                            aid,
                            text[s:e],
                            "readout",
                        )
                    )
    return out


def _quote_hits(
    aid: str,
    seq: int,
    speaker: str,
    qtext: str,
    start: int | None,
    end: int | None,
    topics: list[Span],
    scopes: dict[str, list[tuple[int, int]] | None],
    entries: dict[str, tuple[str, dict[str, str]]],
) -> list[RaisedHit]:
    known = start is not None and end is not None and 0 <= start < end
    if known:
        found = list(dict.fromkeys(t.key for t in topics if start <= t.start and t.end <= end))
        sid = f"{aid}:{start}-{end}"
    else:  # a quote without offsets: its topics by the topics' cue words
        found = cue_topics(qtext)
        sid = f"{aid}:quote-{seq}"
    out = []
    for tid in sorted(scopes):
        year, sides = entries[tid]
        scope = scopes[tid]
        # a quote without offsets belongs to the engagement only where the whole article does
        inside = scope is None or (known and _within(scope, start or 0, end or 0))
        if speaker in sides and inside:
            out += [RaisedHit(year, sides[speaker], t, speaker, tid, sid, aid, qtext, "quote") for t in found]
    return out


@lru_cache(maxsize=1)
def _topic_cues() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(normalised cue word, topic ids), longest cue first; empty when the knowledge files do not load."""
    try:
        index = load_knowledge().topic_index
    except Exception:  # noqa: BLE001 - reading the store must not depend on the data files loading
        return ()
    merged: dict[str, list[str]] = {}
    for cue, tids in index.items():
        merged.setdefault(normalise(cue), []).extend(tids)
    return tuple(
        sorted(((c, tuple(dict.fromkeys(t))) for c, t in merged.items() if c), key=lambda x: -len(x[0]))
    )


def cue_topics(text: str) -> list[str]:
    """Topic ids whose cue words occur in ``text`` (for quotes stored without offsets)."""
    norm = normalise(text)
    found: list[str] = []
    for cue, tids in _topic_cues():
        if cue in norm:
            found += [t for t in tids if t not in found]
    return found


def raised_cells(hits: Iterable[RaisedHit]) -> list[RaisedCell]:
    """Hits counted per (year, side, topic): engagements and sentences behind each cell."""
    cells: dict[tuple[str, str, str], tuple[dict[str, None], dict[str, None]]] = {}
    for h in hits:
        engs, sents = cells.setdefault((h.year, h.side, h.topic), ({}, {}))
        engs[h.engagement_id] = None
        sents[h.sentence_id] = None
    return [
        RaisedCell(y, s, t, len(engs), tuple(engs), tuple(sents))
        for (y, s, t), (engs, sents) in sorted(cells.items())
    ]
