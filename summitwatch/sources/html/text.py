"""Text helpers every step of the HTML reader shares.

Why a module: the headline vote, the filters and the metadata all compare texts the same way
(whitespace collapsed, invisible characters gone, line breaks between CJK characters dropped), and
one definition keeps them agreeing.
"""

from __future__ import annotations

import re

_WS = re.compile(r"\s+")
_CJK = r"\u2e80-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad"), None)


def normalise_space(text: str) -> str:
    """Collapse whitespace; drop source-code line breaks between CJK characters (they are not spaces)."""
    text = text.translate(_INVISIBLE).replace("\u00a0", " ")
    if "\n" not in text:
        return _WS.sub(" ", text).strip()
    # one match per maximal whitespace run, decided by its two neighbours: linear (the former
    # lookaround regex rescanned runs of U+3000, itself both CJK and space, from every character)
    return _WS.sub(_space_or_gap, text).strip()


def _space_or_gap(m: re.Match[str]) -> str:
    """A run with a line break between two CJK characters vanishes; any other run is one space."""
    text, a, b = m.string, m.start(), m.end()
    if a and b < len(text) and "\n" in m.group(0) and _CJK_CHAR.match(text, a - 1) and _CJK_CHAR.match(text, b):
        return ""
    return " "


def text_key(text: str) -> str:
    """Whitespace-free form used to compare headlines and to match boilerplate patterns."""
    return _WS.sub("", text.translate(_INVISIBLE).replace("\u3000", " "))


def cjk_share(text: str) -> float:
    """Share of Han characters in ``text`` (0 for empty): tells Chinese text from English."""
    if not text:
        return 0.0
    return sum(1 for ch in text if "\u3400" <= ch <= "\u9fff") / len(text)
