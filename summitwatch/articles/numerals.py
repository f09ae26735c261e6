"""Chinese numerals in dates: 二零二零年四月二十二日, 二〇二〇年, 十一月十日, 二十二日, 三十一, 廿二日.

Why a module of its own: datelines of several outlets and many body sentences write dates in
Chinese numerals, in two systems at once: years digit by digit (二零二零, 二〇二〇, 一九九七) and
months and days positionally (十一, 二十二, 三十一). Both the article date reading (``articles``) and
the engagement date scanner (``engagements.dates``) read them here, so the data flow stays one way.

Every pattern below has bounded repetition only, so a search costs a bounded amount of work per
start position: linear in the text, whatever the text is.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

__all__ = ["CnDate", "cn_int", "find_cn_dates", "parse_cn_date"]

_DIGIT = {
    "〇": 0, "零": 0, "○": 0, "０": 0, "o": 0,
    "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
_UNIT = {"十": 10, "百": 100, "千": 1000}
_TENS = {"廿": 20, "卅": 30, "卌": 40}
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")

# numeral tokens (bounded: no date numeral is longer than four characters, so every search costs
# a bounded amount of work per start position); years in either system, months and days in Chinese
# for the body scanner, in either system for datelines
_Y = r"[〇零○一二三四五六七八九]{4}|[12]\d{3}"
_M_CN = r"十[一二]?|[一二三四五六七八九]"
_D_CN = r"[一二]?十[一二三四五六七八九]?|三十一?|廿[一二三四五六七八九]?|卅一?|[一二三四五六七八九]"
_M_ANY = _M_CN + r"|1[0-2]|0?[1-9]"
_D_ANY = _D_CN + r"|3[01]|[12]\d|0?[1-9]"
_PART = r"上旬|中旬|下旬|初|底|末"

_CN_DATE = re.compile(
    rf"(?:(?P<y>{_Y})\s?年\s?)?(?P<m>{_M_CN})月(?:(?P<d>{_D_CN})[日號号]|(?P<part>{_PART}))?"
)
_ANY_DATE = re.compile(rf"(?P<y>{_Y})\s?年\s?(?P<m>{_M_ANY})\s?月\s?(?P<d>{_D_ANY})\s?[日號号]")


@lru_cache(maxsize=4096)
def cn_int(s: str) -> int | None:
    """A numeral in either system -> int: 二零二零 2020, 二十二 22, 三十一 31, 十 10, 廿二 22, 2020 2020.

    Digit-by-digit strings (no 十/百/千) read as digits; strings with units read positionally.
    None for anything that is not a numeral.
    """
    s = s.strip().translate(_FULLWIDTH)
    if not s:
        return None
    if s.isascii():
        return int(s) if s.isdigit() else None
    if s[0] in _TENS:
        rest = s[1:]
        if rest and (len(rest) > 1 or rest not in _DIGIT):
            return None
        return _TENS[s[0]] + (_DIGIT[rest] if rest else 0)
    if not any(c in _UNIT for c in s):
        if not all(c in _DIGIT for c in s):
            return None
        value = 0
        for c in s:
            value = value * 10 + _DIGIT[c]
        return value
    total = 0
    pending: int | None = None
    last_unit = 10_000
    for c in s:
        if c in _DIGIT:
            if pending is not None and pending != 0:
                return None  # two digits in a row inside a positional numeral
            pending = _DIGIT[c]
        elif c in _UNIT:
            unit = _UNIT[c]
            if unit >= last_unit:
                return None
            total += (1 if pending is None else pending) * unit
            pending = None
            last_unit = unit
        else:
            return None
    return total + (pending or 0)


def _small_numerals() -> dict[str, int]:
    """Every month/day numeral the Chinese patterns accept -> its value (a dict look-up per match)."""
    ones = "一二三四五六七八九"
    forms = [*ones, "十", "廿", "卅", "卅一"]
    forms += [f"十{o}" for o in ones] + [f"廿{o}" for o in ones]
    forms += [f"{t}十" for t in "一二三"] + [f"{t}十{o}" for t in "一二" for o in ones] + ["三十一"]
    return {f: v for f in forms if (v := cn_int(f)) is not None}


_SMALL = _small_numerals()
_NUMERAL_CHARS = frozenset(_DIGIT) | frozenset(_UNIT) | frozenset(_TENS)


class CnDate(NamedTuple):
    """A date expression found in text; ``day`` is None when the expression fixes no day (二月底).

    A named tuple rather than a dataclass: a text dense with dates makes one per match, cheaply."""

    start: int
    end: int
    year: int | None
    month: int
    day: int | None
    part: str | None = None  # 初 / 中旬 / 底 ... when the expression names a part of the month

    @property
    def precision(self) -> str:
        return "day" if self.day is not None else "month"


def _valid(year: int | None, month: int, day: int | None) -> bool:
    if not 1 <= month <= 12:
        return False
    if year is not None and not 1900 <= year <= 2100:
        return False
    return day is None or 1 <= day <= 31


def find_cn_dates(text: str) -> list[CnDate]:
    """Every month-or-day date in ``text`` written with Chinese (or mixed) numerals, in order.

    Expressions in Arabic digits only are left to the callers' own readers; an expression counts
    here when any of its numerals is Chinese (「二零二零年四月二十二日」, 「2021年十一月十日」, 「十一月十日」).
    """
    out: list[CnDate] = []
    if "月" not in text:  # every form names a month: most sentences are skipped by one C scan
        return out
    for m in _CN_DATE.finditer(text):
        y, d = m["y"], m["d"]
        # a numeral glued to a longer number on the left (「二十一月」 read from 「十一月」) is not this date
        if not y and m.start() and text[m.start() - 1] in _NUMERAL_CHARS:
            continue
        year = cn_int(y) if y else None
        month = _SMALL[m["m"]]
        day = _SMALL[d] if d else None
        if month <= 12 and (day is None or day <= 31) and (year is None or 1900 <= year <= 2100):
            out.append(CnDate(m.start(), m.end(), year, month, day, m["part"]))
    return out


def parse_cn_date(text: str) -> tuple[int, int, int] | None:
    """The first full date (year, month, day) written in ``text`` in either numeral system."""
    for m in _ANY_DATE.finditer(text):
        y, mo, d = cn_int(m["y"]), cn_int(m["m"]), cn_int(m["d"])
        if y is not None and mo is not None and d is not None and _valid(y, mo, d):
            return y, mo, d
    return None
