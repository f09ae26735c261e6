"""Datelines and bylines at the start of an article body: who wrote it, and on which day.

Why: pages that come through mirrors often carry neither metadata nor their outlet's URL; the
first words of the body still say both: 【明慧網二零二零年四月二十二日】, 【大紀元2021年11月14日訊】,
（德國之聲中文網）, （大紀元記者夏雨報導）. The brackets form a chain at the very start of the first
paragraph; each is read for an outlet name (``data/outlets.yaml``) and a date in either numeral
system (:mod:`summitwatch.articles.numerals`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summitwatch.articles.numerals import parse_cn_date
from summitwatch.articles.outlets import Outlet, outlet_in_bracket

__all__ = ["Dateline", "read_dateline"]

# one bracket: 【…】 or （…） / (…); bounded contents, and a bracket never contains its own opener,
# so a match attempt costs at most the bound
_BRACKET = re.compile(r"【([^【】\n]{1,60})】|[（(]([^（）()\n]{2,40})[）)]")
_MAX_CHAIN = 3  # 【dateline】（byline）（place）: no real chain is longer
_GAP = " \t\u3000「」"  # what may stand between chained brackets (「（德國之聲中文網）」)


@dataclass(frozen=True, slots=True)
class Dateline:
    """What the opening brackets of a body say (either may be None)."""

    outlet: Outlet | None = None
    date: tuple[int, int, int] | None = None  # (year, month, day) as written


def read_dateline(paragraph: str) -> Dateline:
    """The outlet and date named by the bracket chain opening ``paragraph``."""
    outlet: Outlet | None = None
    date: tuple[int, int, int] | None = None
    head = paragraph[:80]
    pos = len(head) - len(head.lstrip(_GAP))
    for _ in range(_MAX_CHAIN):
        m = _BRACKET.match(paragraph, pos)
        if m is None:
            break
        content = m.group(1) or m.group(2)
        if date is None:
            date = parse_cn_date(content)
        if outlet is None:
            outlet = outlet_in_bracket(content)
        pos = m.end()
        while pos < len(paragraph) and paragraph[pos] in _GAP:
            pos += 1
    return Dateline(outlet, date)
