"""Query-parameter validation shared by the API (``/api/*``) and the HTML pages.

One place decides what a date, an offset and a limit may be, so the two interfaces cannot drift:

- a date is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` *and* names a real day (``2021-02-30`` is
  refused, not passed on to a string comparison that would accept it);
- an integer must fit SQLite's signed 64 bits (a larger offset used to reach ``sqlite3`` and raise
  ``OverflowError``, a 500); within that range an offset past the end is simply an empty page.

The API declares its parameters with the ``Annotated`` types below (``Since``, ``Until``,
``Offset``, ``Limit``, ``page_limit(n)``): FastAPI validates them and a failure is its JSON 422. The pages read
form values, where an empty field means "no filter", through :func:`opt`, :func:`form_int` and
:func:`until`; a bad value raises ``HTTPException(422)``, which the error handlers render as the
HTML error page. New routes of either kind should use these rather than re-parse.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Annotated, Any

from fastapi import HTTPException, Query
from pydantic import AfterValidator

#: The largest integer SQLite can bind (signed 64 bits).
MAX_INT = 2**63 - 1
#: Longest free-text filter the pages pass on (the API's ``Text`` has the same bound).
MAX_TEXT = 200

_DATE_SHAPE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
# digits only (int() would also take "1_000" or Arabic-Indic digits), at most 20 of them, so a
# 100,000-digit value is refused before any conversion
_INT_SHAPE = re.compile(r"[+-]?[0-9]{1,20}")
DATE_HELP = "use YYYY, YYYY-MM or YYYY-MM-DD (a real date)"


def check_date(value: str) -> str:
    """``value`` when it is a year, a year-month or a full date that exists; ValueError otherwise."""
    if not _DATE_SHAPE.fullmatch(value):
        raise ValueError(f"not a date: {value!r} ({DATE_HELP})")
    year, month, day = (int(p) for p in (value.split("-") + ["1", "1"])[:3])
    try:
        _dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"no such date: {value!r} ({exc})") from exc
    return value


def until(value: str | None) -> str | None:
    """An inclusive upper bound for string comparison: "2021" means up to the end of 2021."""
    if value is None:
        return None
    return value + {4: "-12-31", 7: "-31"}.get(len(value), "")


def _date_or_none(value: str | None) -> str | None:
    return None if value is None else check_date(value)


# --------------------------------------------------------------------------- API (FastAPI types)
Since = Annotated[
    str | None,
    Query(max_length=10, description="ISO date (or year / year-month), inclusive"),
    AfterValidator(_date_or_none),
]
Until = Annotated[
    str | None,
    Query(max_length=10, description="ISO date (or year / year-month), inclusive"),
    AfterValidator(_date_or_none),
]
Offset = Annotated[int, Query(ge=0, le=MAX_INT, description="rows to skip (an offset past the end: empty page)")]
Text = Annotated[str | None, Query(max_length=MAX_TEXT)]


def page_limit(maximum: int) -> Any:
    """``Query`` metadata for a page size between 1 and ``maximum``: ``Annotated[int, page_limit(200)]``."""
    return Query(ge=1, le=maximum, description=f"page size, 1–{maximum}")


Limit = Annotated[int, page_limit(1000)]


# --------------------------------------------------------------------------- pages (form values)
def opt(value: str | None, *, date: bool = False) -> str | None:
    """A form value: empty means no filter; text is cut to ``MAX_TEXT``; a bad date is a 422."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if date:
        try:
            return check_date(value)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from exc
    return value[:MAX_TEXT]


def form_int(value: str | None, default: int, lo: int, hi: int) -> int:
    """A form integer: empty means ``default``; not an integer, or past 64 bits, is a 422; otherwise
    clamped to ``[lo, hi]`` (a page's own bounds, e.g. no negative offset)."""
    if value is None or not value.strip():
        return default
    text = value.strip()
    if not _INT_SHAPE.fullmatch(text):
        raise HTTPException(422, f"not a number: {value[:40]!r}")
    number = int(text)
    if not -MAX_INT - 1 <= number <= MAX_INT:
        raise HTTPException(422, f"number out of range: {value[:40]!r}")
    return max(lo, min(hi, number))
