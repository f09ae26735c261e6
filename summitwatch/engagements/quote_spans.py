"""Quote-mark spans of an article's text: 「…」 『…』 “…” "…" (and the halfwidth ｢…｣), with nesting.

One linear pass per paragraph keeps a stack of open marks. A closing mark closes the innermost open
span it fits (「 and ｢ take 」 or ｣; 『 takes 』; “ takes ”; a straight " closes an open " and opens
one otherwise). Damaged marks are common in real pages: a span whose closing mark is missing ends at
the end of its paragraph (a quote never runs across a paragraph break), and a stray closing mark
with nothing open is ignored. Sentence bounds that ignore the 。 inside quotes come from the same
pass, because quoted speech often holds several sentences.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

__all__ = ["QuoteSpan", "find_spans", "sentence_bounds", "sentence_start", "MARKS"]

_OPEN = {"「": "」｣", "｢": "」｣", "『": "』", "“": "”", "\"": "\""}
MARKS = frozenset("「」『』“”\"｢｣")
_ENDS = "。！？!?；;"
# runs of the characters each pass reads: the regex engine skips the rest in C (a 2 MB page is 2 M
# characters), and a run of marks costs one match, not one per mark. The class is written twice,
# ``[…][…]*``, not ``[…]+``: a pattern that opens with a class lets the engine skip ahead in C
_MARKS_OR_BREAKS = re.compile("[\n{0}][\n{0}]*".format(re.escape("".join(sorted(MARKS)))))
_ENDS_OR_BREAKS = re.compile("[\n{0}][\n{0}]*".format(re.escape(_ENDS)))


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """One quoted span: ``start``/``end`` bound the words (marks excluded), ``open`` is the offset of
    the opening mark, ``close`` that of the closing mark (== ``end``; ``closed`` False when the
    paragraph ended first), ``depth`` 0 for an outermost span."""

    open: int
    start: int
    end: int
    closed: bool
    depth: int
    mark: str

    @property
    def after(self) -> int:
        """Offset just past the closing mark (or the end of the words when it is missing)."""
        return self.end + 1 if self.closed else self.end


#: Open marks kept at once. Real quoting nests two or three deep; keeping more would let a run of
#: unclosed marks make a span per mark to the paragraph end (quadratic downstream).
MAX_DEPTH = 6


def find_spans(text: str) -> list[QuoteSpan]:
    """Every quote span of ``text`` in order of its opening mark."""
    out: list[QuoteSpan] = []
    stack: list[tuple[str, int]] = []  # (opening mark, offset)

    def flush(par_end: int) -> None:
        # marks still open at a paragraph end: the span runs to the paragraph end (trailing spaces cut)
        e = par_end
        while e > 0 and text[e - 1] in " \t\r\u3000":
            e -= 1
        for depth, (mk, at) in enumerate(stack):
            if e - (at + 1) > 0:
                out.append(QuoteSpan(at, at + 1, e, False, depth, mk))
        stack.clear()

    for m in _MARKS_OR_BREAKS.finditer(text):
        for i, ch in enumerate(m.group(), m.start()):
            if ch == "\n":
                flush(i)
                continue
            if ch == "\"":
                if stack and stack[-1][0] == "\"":
                    mk, at = stack.pop()
                    out.append(QuoteSpan(at, at + 1, i, True, len(stack), mk))
                else:
                    stack.append((ch, i))
                    if len(stack) > MAX_DEPTH:
                        del stack[0]
                continue
            if ch in _OPEN:
                stack.append((ch, i))
                if len(stack) > MAX_DEPTH:  # no text nests quotes this deep: a run of marks, not quoting
                    del stack[0]
                continue
            # a closing mark: close the innermost span it fits, dropping unclosed spans nested inside it
            for k in range(len(stack) - 1, -1, -1):
                if ch in _OPEN[stack[k][0]]:
                    mk, at = stack[k]
                    del stack[k:]
                    out.append(QuoteSpan(at, at + 1, i, True, k, mk))
                    break
    flush(len(text))
    out.sort(key=lambda s: s.open)
    return out


def sentence_bounds(text: str, spans: list[QuoteSpan]) -> list[int]:
    """Sorted offsets where a sentence starts: after 。！？； or a line break outside every quote span."""
    inside = [(s.open, s.after) for s in spans if s.depth == 0]
    starts = [0]
    j = 0
    for m in _ENDS_OR_BREAKS.finditer(text):
        for i, ch in enumerate(m.group(), m.start()):
            while j < len(inside) and inside[j][1] <= i:
                j += 1
            if ch != "\n" and j < len(inside) and inside[j][0] <= i < inside[j][1]:
                continue
            starts.append(i + 1)
    return starts


def sentence_start(bounds: list[int], pos: int) -> int:
    """The start of the sentence holding ``pos``."""
    return bounds[max(0, bisect.bisect_right(bounds, pos) - 1)]
