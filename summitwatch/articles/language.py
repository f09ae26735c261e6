"""Language and script of a text, by counting characters (no model, no OpenCC per record).

Why: per-record OpenCC conversion costs more than the whole rest of parsing. Counting how many
frequent Traditional-only and Simplified-only characters a text uses is cheap and decisive for news
text; the character sets live in ``data/scripts.yaml``.
"""

from __future__ import annotations

import re
from functools import cache

from summitwatch.articles import load_data_file
from summitwatch.model import Script

__all__ = ["detect_language", "common_han_share"]

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NON_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())
_SAMPLE = 1000  # characters looked at: enough to decide, bounded cost on long articles


@cache
def _sets() -> tuple[re.Pattern[str], re.Pattern[str], frozenset[str]]:
    data = load_data_file("scripts.yaml")
    trad = re.compile("[" + re.escape(data["traditional_only"]) + "]")
    simp = re.compile("[" + re.escape(data["simplified_only"]) + "]")
    return trad, simp, frozenset(data["common"])


def detect_language(text: str) -> tuple[str, Script]:
    """Return ``(language, script)``: ``("zh", "zh-Hant"|"zh-Hans")``, ``("en", "en")`` or ``("und", "und")``."""
    sample = text[:_SAMPLE]
    ascii_bytes = sample.encode("ascii", "ignore")
    latin = len(ascii_bytes.translate(None, _NON_LETTERS))
    # non-ASCII characters: Han plus CJK punctuation, close enough to decide the language
    han = len(sample) - len(ascii_bytes)
    if han and latin and han < 0.2 * latin:
        han = len(_HAN.findall(sample))  # mostly Latin: count Han exactly before deciding
    # English when Latin letters dominate and Han characters are only a trace (names, quotes)
    if latin >= 40 and han < 0.1 * latin:
        return "en", "en"
    if han < 5:
        return ("en", "en") if latin >= 20 else ("und", "und")
    trad, simp, _ = _sets()
    t = len(trad.findall(sample))
    s = len(simp.findall(sample))
    if t == 0 and s == 0:
        return "zh", "und"
    return "zh", ("zh-Hant" if t >= s else "zh-Hans")


def common_han_share(text: str) -> float:
    """Share of Han characters that are among the most frequent ones (a right decode scores high)."""
    han = _HAN.findall(text)
    if not han:
        return 0.0
    common = _sets()[2]
    return sum(1 for c in han if c in common) / len(han)
