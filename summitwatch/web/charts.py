"""Geometry of the timeline page's charts, as numbers the templates draw as inline SVG.

Why here and not in the browser: the page must work (and be testable) without script, and the
Content-Security-Policy allows no inline code; ``static/app.js`` only adds the drag-to-zoom brush.

* :func:`default_zoom`: the most recent span of whole years that holds half the dated entries, so the
  chart opens on the busy recent years instead of a 1971–2000 void.
* :func:`lane_chart`: one lane per modality over the zoomed years; exact dates are points, date
  ranges bars, approximate dates (month or year only) hatched spans covering the whole month or
  year, never a point; entries older than the zoom fold into a strip on the left that links back to
  the whole history.
* :func:`year_bars`: entries per year over the whole history, stacked by modality: the overview the
  brush selects years on.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from summitwatch.model import TimelineEntry

MODALITY_COLOURS = {"in_person": "#1f6fb2", "phone": "#c0392b", "video": "#1e8449"}
MODALITY_LANES = ("in_person", "phone", "video")

WIDTH = 720
LEFT = 84  # lane labels
STRIP = 70  # the folded older history
RIGHT = 12


@dataclass(frozen=True, slots=True)
class Extent:
    """Where an entry lies in time: first and last day (inclusive), and whether the date is approximate."""

    start: _dt.date
    end: _dt.date
    approx: bool


def extent(e: TimelineEntry) -> Extent | None:
    """An entry's days: the exact date (through ``date_end``), else the whole approximate month/year."""
    try:
        if e.date and len(e.date) >= 10 and e.date_precision in (None, "day"):
            start = _dt.date.fromisoformat(e.date[:10])
            end = start
            if e.date_end and len(e.date_end) >= 10:
                end = max(start, _dt.date.fromisoformat(e.date_end[:10]))
            return Extent(start, end, False)
        value = e.date_approx or e.date
        if not value or not value[:4].isdigit():
            return None
        year = int(value[:4])
        if len(value) >= 7 and (e.date_precision != "year"):
            month = int(value[5:7])
            first = _dt.date(year, month, 1)
            nxt = _dt.date(year + (month == 12), month % 12 + 1, 1)
            return Extent(first, nxt - _dt.timedelta(days=1), True)
        return Extent(_dt.date(year, 1, 1), _dt.date(year, 12, 31), True)
    except ValueError:
        return None


def default_zoom(entries: Sequence[TimelineEntry]) -> tuple[int, int] | None:
    """(first year, last year): the most recent whole years holding at least half the dated entries."""
    years = sorted(x.start.year for e in entries if (x := extent(e)) is not None)
    if not years:
        return None
    half = (len(years) + 1) // 2
    return years[-half], years[-1]


def parse_zoom(value: str | None, entries: Sequence[TimelineEntry]) -> tuple[int, int] | None:
    """``YYYY-YYYY`` (or one ``YYYY``) as asked, ``all`` for the whole history, else the default."""
    years = [x.start.year for e in entries if (x := extent(e)) is not None]
    if not years:
        return None
    lo, hi = min(years), max(years)
    if value == "all":
        return lo, hi
    if value:
        parts = value.split("-", 1)
        if all(p.isdigit() and len(p) == 4 for p in parts):
            a, b = sorted((int(parts[0]), int(parts[-1])))
            return min(max(a, lo), hi), min(max(b, lo), hi)
    return default_zoom(entries)


def _label(e: TimelineEntry) -> str:
    when = e.date or (f"~{e.date_approx}" if e.date_approx else "undated")
    return f"{when} · {', '.join(e.us)} — {', '.join(e.cn)} · {e.modality.replace('_', ' ')} · {e.status}"


def lane_chart(entries: Sequence[TimelineEntry], zoom: tuple[int, int] | None, href: Any) -> dict[str, Any]:
    """Marks of the lane chart over ``zoom``; ``href(entry)`` is each mark's link."""
    lane_y = {m: 34 + 36 * i for i, m in enumerate(MODALITY_LANES)}
    height = 34 + 36 * len(MODALITY_LANES) + 10
    base: dict[str, Any] = {
        "width": WIDTH,
        "height": height,
        "lanes": list(lane_y.items()),
        "marks": [],
        "ticks": [],
        "strip": None,
        "later": 0,
        "zoom": zoom,
        "left": LEFT,
    }
    placed = [(x, e) for e in entries if (x := extent(e)) is not None]
    if not placed or zoom is None:
        return base
    first_year = min(x.start.year for x, _ in placed)
    older = [(x, e) for x, e in placed if x.end.year < zoom[0]]
    left = LEFT + (STRIP + 8 if older else 0)
    lo, hi = _dt.date(zoom[0], 1, 1), _dt.date(zoom[1] + 1, 1, 1)
    span = (hi - lo).days
    right = WIDTH - RIGHT

    def x_of(d: _dt.date) -> float:
        return round(left + (right - left) * (d - lo).days / span, 1)

    marks = []
    near: dict[str, list[float]] = {}
    for x, e in sorted(placed, key=lambda p: (p[0].start, p[1].id)):
        if x.end < lo or x.start >= hi:
            continue
        lane = e.modality if e.modality in lane_y else "in_person"
        x0 = x_of(max(x.start, lo))
        x1 = x_of(min(x.end + _dt.timedelta(days=1), hi))
        crowd = [p for p in near.get(lane, []) if abs(p - x0) < 7]
        y = lane_y[lane] + ((len(crowd) % 3) - 1) * 8 if crowd else lane_y[lane]
        near.setdefault(lane, []).append(x0)
        shape = "span" if x.approx else ("range" if x.end > x.start else "point")
        marks.append(
            {
                "shape": shape,
                "x": x0,
                "w": max(4.0, round(x1 - x0, 1)),
                "y": y,
                "colour": MODALITY_COLOURS.get(e.modality, "#555"),
                "status": e.status,
                "href": href(e),
                "label": _label(e),
            }
        )
    years = zoom[1] - zoom[0] + 1
    step = next(s for s in (1, 2, 5, 10, 25, 50) if years / s <= 10)
    ticks = [
        (y, x_of(_dt.date(y, 1, 1))) for y in range(zoom[0], zoom[1] + 1) if y % step == 0 or y == zoom[0]
    ]
    strip = None
    if older:
        counts = Counter(x.start.year for x, _ in older)
        lo_year, hi_year = first_year, zoom[0] - 1
        n_years = max(1, hi_year - lo_year + 1)
        top = max(counts.values())
        strip = {
            "x": LEFT,
            "w": STRIP,
            "first": lo_year,
            "last": hi_year,
            "count": len(older),
            "bars": [
                {
                    "x": round(LEFT + STRIP * (y - lo_year) / n_years, 1),
                    "w": max(1.0, round(STRIP / n_years - 0.3, 1)),
                    "h": round(60 * n / top, 1),
                    "year": y,
                    "n": n,
                }
                for y, n in sorted(counts.items())
            ],
        }
    later = sum(1 for x, _ in placed if x.start >= hi)
    base.update(marks=marks, ticks=ticks, strip=strip, later=later, left=left)
    return base


def year_bars(
    entries: Sequence[TimelineEntry], zoom: tuple[int, int] | None, height: int = 120
) -> dict[str, Any]:
    """Entries per year over the whole history, stacked by modality, with the zoom as the brush."""
    counts: dict[int, Counter[str]] = {}
    for e in entries:
        x = extent(e)
        if x is not None:
            counts.setdefault(x.start.year, Counter())[e.modality] += 1
    out: dict[str, Any] = {
        "width": WIDTH,
        "height": height,
        "bars": [],
        "labels": [],
        "brush": None,
        "max": 0,
    }
    if not counts:
        return out
    first, last = min(counts), max(counts)
    n_years = last - first + 1
    left, right = LEFT, WIDTH - RIGHT
    step = (right - left) / n_years
    top = max(sum(c.values()) for c in counts.values())
    plot = height - 26
    bars = []
    for year in range(first, last + 1):
        c = counts.get(year, Counter())
        y = float(height - 18)
        for m in MODALITY_LANES:
            if not c[m]:
                continue
            h = round(plot * c[m] / top, 1)
            y = round(y - h, 1)
            bars.append(
                {
                    "x": round(left + (year - first) * step, 1),
                    "y": y,
                    "w": max(1.0, round(step * 0.82, 1)),
                    "h": h,
                    "colour": MODALITY_COLOURS[m],
                    "year": year,
                    "label": f"{year}: {c[m]} {m.replace('_', ' ')} ({sum(c.values())} in all)",
                }
            )
    label_step = next(s for s in (1, 2, 5, 10, 25, 50) if n_years / s <= 10)
    labels = [
        {"x": round(left + (y - first) * step, 1), "text": y}
        for y in range(first, last + 1)
        if y % label_step == 0 or y == first
    ]
    brush = None
    if zoom is not None:
        bx = round(left + (zoom[0] - first) * step, 1)
        brush = {"x": bx, "w": round((zoom[1] - zoom[0] + 1) * step, 1)}
    out.update(
        bars=bars,
        labels=labels,
        brush=brush,
        max=top,
        first=first,
        last=last,
        left=left,
        right=right,
        step=step,
    )
    return out
