"""Text helpers every step of the HTML reader shares.

Why a module: the headline vote, the filters and the metadata all compare texts the same way
(whitespace collapsed, invisible characters gone, line breaks between CJK characters dropped), and
one definition keeps them agreeing.
"""

from __future__ import annotations

import re

_WS = re.compile(r"\s+")
# CJK characters and punctuation, less U+3000 (a space: it belongs to the whitespace runs)
_CJK_SOLID = r"\u2e80-\u2fff\u3001-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
# a whole whitespace run holding a line break, between two CJK characters: it starts right after a
# non-space (so it is the whole run), the possessive steps take the run to its end (so each run is
# read once: linear), and the run must be followed by a CJK character
_CJK_LINE_GAP = re.compile(rf"(?<=[{_CJK_SOLID}])[^\S\n]*+\n\s*+(?=[{_CJK_SOLID}])")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad"), None)


def normalise_space(text: str) -> str:
    """Collapse whitespace; drop source-code line breaks between CJK characters (they are not spaces)."""
    text = text.translate(_INVISIBLE).replace("\u00a0", " ")
    if "\n" in text:
        # two passes in C, no call per run: the runs between CJK characters that break a line go,
        # then every other run becomes one space
        text = _CJK_LINE_GAP.sub("", text)
    return _WS.sub(" ", text).strip()


def text_key(text: str) -> str:
    """Whitespace-free form used to compare headlines and to match boilerplate patterns."""
    return _WS.sub("", text.translate(_INVISIBLE).replace("\u3000", " "))


def cjk_share(text: str) -> float:
    """Share of Han characters in ``text`` (0 for empty): tells Chinese text from English."""
    if not text:
        return 0.0
    return sum(1 for ch in text if "\u3400" <= ch <= "\u9fff") / len(text)
