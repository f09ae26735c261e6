"""The progress line of a run on stderr (only when it is a terminal and progress is wanted)."""

from __future__ import annotations

import sys
import time
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

__all__ = ["RunProgress"]


class RunProgress:
    """A rich progress line naming the current step (records, near-duplicates, ..., search index)."""

    def __init__(self, enabled: bool, label: str) -> None:
        self.bar: Any = None
        if enabled and sys.stderr.isatty():
            self.bar = Progress(
                SpinnerColumn(),
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                TextColumn("{task.completed:,} records"),
                TextColumn("{task.fields[rate]:,.0f}/s"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.task = self.bar.add_task(label, total=None, rate=0.0)
            self.t0 = time.monotonic()
            self.bar.start()

    def update(self, done: int, label: str | None = None) -> None:
        if self.bar is not None:
            rate = done / max(time.monotonic() - self.t0, 1e-6)
            self.bar.update(self.task, completed=done, rate=rate, **({"description": label} if label else {}))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
