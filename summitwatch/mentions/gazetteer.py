"""Aho–Corasick matching of knowledge names over Simplified-normalised text, offsets mapped back.

Articles come in both scripts; matching every alias in both would double the patterns and miss
mixed-script text, so text and patterns are both converted with OpenCC ``t2s`` first. The
conversion is character-for-character for nearly all text; when it is not, the text is converted
one character at a time so that offsets still point into the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import ahocorasick
import opencc

_T2S = opencc.OpenCC("t2s")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_WORDCHAR = re.compile(r"[A-Za-z0-9]")


def _lower(s: str) -> str:
    """Lower case keeping the length (``str.lower`` is fast but may lengthen a few characters)."""
    low = s.lower()
    return low if len(low) == len(s) else s.translate(_ASCII_LOWER)


@lru_cache(maxsize=65536)
def to_simplified(s: str) -> str:
    """Simplified, lower-cased form of a pattern (cached: patterns repeat)."""
    return normalise(s)


def normalise(text: str) -> str:
    """Simplified, lower-cased text with exactly the length of ``text`` (so offsets carry over)."""
    out = _T2S.convert(text)
    if len(out) != len(text):
        # Rare: a conversion changed a length; fall back to one character at a time.
        out = "".join(c if len(x := _T2S.convert(c)) != 1 else x for c in text)
    return _lower(out)


@dataclass(frozen=True, slots=True)
class Entry:
    """What a pattern stands for: ``kind`` person/office/place/topic/body/summit/short, and its key."""

    kind: str
    key: str
    side: str | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    pattern: str
    entries: tuple[Entry, ...]


class Gazetteer:
    """One automaton over every name the knowledge knows. Build once per Knowledge (see ``gazetteer_for``)."""

    def __init__(self, kn: Any) -> None:
        table: dict[str, list[Entry]] = {}

        def add(pattern: str, entry: Entry) -> None:
            p = to_simplified(pattern.strip())
            if len(p) < 2:
                return  # single characters are handled by rules, never by the gazetteer
            if p.isascii() and len(p) < 4:
                return
            lst = table.setdefault(p, [])
            if entry not in lst:
                lst.append(entry)

        for o in kn.officials.values():
            for n in tuple(o.zh) + tuple(o.en):
                add(n, Entry("person", o.name, o.side))
            for n in o.short:
                if len(n) >= 2:
                    add(n, Entry("short", o.name, o.side))
            for n in getattr(o, "exclude", ()) or ():
                add(n, Entry("block", o.name, None))  # a longer word that only contains the alias (俄羅斯 ⊃ 羅斯)
        for off in kn.offices.values():
            for t in off.titles:
                add(t, Entry("office", off.id, off.side))
        for pl in kn.places.values():
            for n in tuple(pl.zh) + (pl.name,):
                add(n, Entry("place", pl.name, None))
        for s in kn.summits:
            for n in s.zh:
                add(n, Entry("summit", s.id, None))
        for t in kn.topics.values():
            for n in t.zh:
                add(n, Entry("topic", t.id, None))
        for b in kn.bodies.values():
            for n in b.zh:
                add(n, Entry("body", b.name, b.side))
        # A joint title (「中美元首」 = both presidents) must not yield the topic or place words it happens
        # to contain (美元 'US dollar' in 中美元首, 美國 in 中美國防部長): block it unless it contains a
        # name or office word the extractor reads (those keep their own hits).
        for j in getattr(kn, "joint_titles", None) or {}:
            w = to_simplified(j.strip())
            inner = [e for p, lst in table.items() if p in w and p != w for e in lst]
            if w not in table and inner and all(e.kind in ("topic", "place") for e in inner):
                add(w, Entry("block", w, None))
        self.short: dict[str, list[tuple[str, str]]] = {}
        for o in kn.officials.values():
            for n in o.short:
                if len(n) == 1:
                    self.short.setdefault(to_simplified(n), []).append((o.name, o.side))
        self.automaton = ahocorasick.Automaton()
        for p, entries in table.items():
            self.automaton.add_word(p, (p, tuple(entries)))
        self.automaton.make_automaton()
        self.empty = not table

    def find(self, norm: str) -> list[Hit]:
        """Leftmost-longest, non-overlapping hits in normalised text."""
        if self.empty:
            return []
        out: list[Hit] = []
        for end, (p, entries) in self.automaton.iter_long(norm):  # leftmost-longest, in C
            start = end - len(p) + 1
            if p.isascii() and _is_word_cut(norm, start, end + 1):
                continue
            out.append(Hit(start, end + 1, p, entries))
        return out


def _is_word_cut(norm: str, start: int, end: int) -> bool:
    """True when an ASCII pattern sits inside a longer Latin word (「Ross」 in 「Rossi」)."""
    return bool((start > 0 and _WORDCHAR.match(norm[start - 1])) or (end < len(norm) and _WORDCHAR.match(norm[end])))


_CACHE: dict[int, tuple[Any, Gazetteer]] = {}


def gazetteer_for(kn: Any) -> Gazetteer:
    """The gazetteer of ``kn``, built once per Knowledge object per process."""
    got = _CACHE.get(id(kn))
    if got is None or got[0] is not kn:
        got = (kn, Gazetteer(kn))
        _CACHE[id(kn)] = got
    return got[1]
