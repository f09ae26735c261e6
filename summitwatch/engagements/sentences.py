"""Sentences of an article's clean text, with offsets and the kind of block they sit in.

The evidence of an engagement is one sentence of ``Article.text``; titles and captions are
sentences too (captions often carry the only statement of a meeting).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summitwatch.model import Article

# a sentence ends at 。！？!? (plus any closing quotes/brackets right after) or at a line break
_END = re.compile(r"[。！？!?；;]+[」』”’\"）)]*|\n+")
_CLAUSE = re.compile(r"[，,：:；;]")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    block: int  # index of the block in article.blocks
    kind: str  # title | heading | paragraph | caption


def split_sentences(article: Article) -> list[Sentence]:
    """Every sentence of every block, in reading order, offsets into ``article.text``."""
    out: list[Sentence] = []
    pos = 0
    for bi, b in enumerate(article.blocks):
        t = b.text
        last = 0
        for m in _END.finditer(t):
            _add(out, t, pos, last, m.end(), bi, b.kind)
            last = m.end()
        _add(out, t, pos, last, len(t), bi, b.kind)
        pos += len(t) + 2
    return out


def _add(out: list[Sentence], t: str, pos: int, a: int, b: int, bi: int, kind: str) -> None:
    seg = t[a:b]
    lead = len(seg) - len(seg.lstrip())
    seg = seg.strip()
    if seg:
        out.append(Sentence(pos + a + lead, pos + a + lead + len(seg), seg, bi, kind))


def clause_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of the comma-separated clauses of a sentence (offsets relative to the sentence)."""
    bounds, last = [], 0
    for m in _CLAUSE.finditer(text):
        bounds.append((last, m.start()))
        last = m.end()
    bounds.append((last, len(text)))
    return bounds
