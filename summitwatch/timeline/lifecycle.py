"""An engagement's status over time: announced, expected on a day, held, or called off.

The announcement and the report of the meeting are the same engagement seen at two moments; the
timeline keeps one entry and tells its history from the reports' publication dates.
"""

from __future__ import annotations

from typing import Any

from summitwatch.timeline.dating import cite
from summitwatch.timeline.records import RecordRef


def _expected(ref: RecordRef) -> str | None:
    e = ref.engagement
    return e.date or e.date_approx


def final_status(members: list[RecordRef]) -> str:
    """held when any source reports it held; cancelled when the latest word is a cancellation."""
    statuses = {m.engagement.status for m in members}
    if "held" in statuses:
        return "held"
    if "cancelled" in statuses:
        last_cancel = max(m.order_key for m in members if m.engagement.status == "cancelled")
        last_plan = max((m.order_key for m in members if m.engagement.status == "planned"), default=None)
        if last_plan is None or last_cancel >= last_plan:
            return "cancelled"
    return "planned"


def history(members: list[RecordRef], date: str | None) -> list[dict[str, Any]]:
    """Events in publication order: announced (first plan), expected (each new planned day),
    held (first report that it took place), cancelled (each report that it was called off)."""
    events: list[dict[str, Any]] = []
    ordered = sorted(members, key=lambda r: r.order_key)
    last_expected: str | None = None
    announced = held = False
    for ref in ordered:
        e = ref.engagement
        on = (ref.published or "")[:10] or None
        if e.status == "planned":
            exp = _expected(ref)
            if not announced:
                events.append({"event": "announced", "on": on, "expected": exp, "source": cite(ref)})
                announced, last_expected = True, exp
            elif exp and exp != last_expected:
                events.append({"event": "expected", "on": on, "expected": exp, "source": cite(ref)})
                last_expected = exp
        elif e.status == "held" and not held:
            events.append({"event": "held", "on": date or e.date, "reported": on, "source": cite(ref)})
            held = True
        elif e.status == "cancelled":
            events.append({"event": "cancelled", "on": on, "source": cite(ref)})
    return events
