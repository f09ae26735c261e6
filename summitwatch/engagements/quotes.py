"""Quotes: words in 「…」 “…” "…" attributed to an official or a body, and reported speech (X表示…).

A quote needs a speaker named in the same sentence next to an attribution verb (「韓正說，「…」」,
「…」普萨基说). Short quoted strings without a verb nearby are scare quotes or names of things
(「老朋友」, “台独”) and are skipped.
"""

from __future__ import annotations

import re
from typing import Any

from summitwatch.engagements.sentences import Sentence
from summitwatch.mentions import Span
from summitwatch.mentions.cues import load_cues
from summitwatch.model import Quote

_QUOTE = re.compile(r"「([^「」]{2,400})」|“([^“”]{2,400})”|\"([^\"]{2,400})\"")
_MIN_QUOTE = 6


_ADDRESSEE = ("向", "对", "對", "跟", "同")


def _speaker_before(spans: list[Span], pos: int, lo: int, text: str = "") -> Span | None:
    """The last named speaker before ``pos``; in 「X向Y表示」 that is X, not the addressee Y."""
    cands = [s for s in spans if s.kind in ("person", "office", "body") and lo <= s.start and s.end <= pos]
    while cands and text and cands[-1].start > 0 and text[cands[-1].start - 1] in _ADDRESSEE:
        cands = cands[:-1]
    return cands[-1] if cands else None


def find_quotes(text: str, norm: str, sentences: list[Sentence], spans: list[Span], kn: Any,
                date: str | None) -> list[Quote]:
    cues = load_cues()
    verbs = sorted(cues["quote_verbs"], key=len, reverse=True)
    reported_verbs = sorted(cues["reported_verbs"], key=len, reverse=True)
    out: list[Quote] = []
    for sent in sentences:
        s_sp = [s for s in spans if sent.start <= s.start < sent.end]
        if not s_sp:
            continue
        seg = text[sent.start:sent.end]
        nseg = norm[sent.start:sent.end]
        quoted = False
        for m in _QUOTE.finditer(seg):
            body = next(g for g in m.groups() if g is not None)
            if len(body) < _MIN_QUOTE:
                continue
            qa, qb = sent.start + m.start(), sent.start + m.end()
            before = nseg[max(0, m.start() - 8):m.start()]
            after = nseg[m.end():m.end() + 8]
            spk = None
            if any(v in before for v in verbs):
                spk = _speaker_before(s_sp, qa, sent.start, text)
            elif any(after.lstrip("，,").find(v) >= 0 for v in verbs):
                nxt = [s for s in s_sp if s.start >= qb and s.start - qb <= 4 and s.kind in ("person", "office", "body")]
                spk = nxt[0] if nxt else None
            q = _make(kn, spk, body, False, qa + 1, qb - 1, date)
            if q:
                out.append(q)
                quoted = True
        if quoted:
            continue
        # reported speech: 「X表示，…」 with X a named official or body right before the verb
        for v in reported_verbs:
            i = nseg.find(v)
            if i <= 0:
                continue
            spk = _speaker_before(s_sp, sent.start + i, sent.start, text)
            last = _speaker_before(s_sp, sent.start + i, sent.start)
            addressed = last is not None and last is not spk and sent.start + i - last.end <= 2
            if spk is None or sent.start + i - spk.end > (15 if addressed else 2):
                continue
            rest = seg[i + len(v):].lstrip("，,：: ")
            if len(rest) < _MIN_QUOTE:
                continue
            q = _make(kn, spk, rest.rstrip("。"), True, sent.end - len(rest), sent.end, date)
            if q:
                out.append(q)
            break
    return out


def _make(kn: Any, spk: Span | None, body: str, reported: bool, a: int, b: int, date: str | None) -> Quote | None:
    if spk is None:
        return None
    if spk.kind == "office":
        from summitwatch.mentions import resolve_span

        name = resolve_span(kn, spk, date)
    else:
        name = spk.person or spk.key
    if not name or spk.side not in ("US", "PRC", "other"):
        return None
    return Quote(speaker=name, side=spk.side, text=body, reported=reported, start=a, end=b)  # type: ignore[arg-type]
