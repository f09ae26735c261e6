"""Named points of a run, where a crash test can stop it deterministically (test-only hook).

Why: killing a run at wall-clock times tests nothing on a fast machine (the run is over before
the kill) and is not repeatable. The runner calls :func:`reached` at points that matter for crash
safety; two environment variables, read once when this module is imported, act on them:

- ``SUMMITWATCH_CHECKPOINT_LOG=PATH``: append every point reached to PATH, one per line;
- ``SUMMITWATCH_PAUSE_AT=POINT``: when POINT is reached, append it to the log (if set) and pause
  forever, with the run's transaction as it is, until the test kills the process.

Points: ``records:N`` (the writer has just handled its N-th record of this run, maybe not yet
committed), ``records-done`` (every record committed), ``dedupe`` (near-duplicates assigned, not
committed), ``extract:N`` (the N-th pending extraction written, not committed), ``timeline``
(timeline rebuilt, not committed), ``index`` (before the search index step), ``index-done``
(after it, before the run is marked finished).

Unset (always, outside tests), :func:`reached` is a test of one module-level boolean.
"""

from __future__ import annotations

import os
import time

__all__ = ["ACTIVE", "reached", "record"]

_LOG = os.environ.get("SUMMITWATCH_CHECKPOINT_LOG", "")
_PAUSE_AT = os.environ.get("SUMMITWATCH_PAUSE_AT", "")
ACTIVE = bool(_LOG or _PAUSE_AT)


def reached(point: str) -> None:
    """The run is at ``point``: log it, and pause there when asked (see the module doc)."""
    if not ACTIVE:
        return
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as fh:
            fh.write(point + "\n")
    if point == _PAUSE_AT:
        while True:  # until the test kills this process
            time.sleep(3600)


def record(n: int) -> None:
    """The writer handled its ``n``-th record (``records:N``)."""
    if ACTIVE:
        reached(f"records:{n}")
