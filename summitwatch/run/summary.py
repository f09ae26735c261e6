"""What a run did (``RunSummary``), stored in ``runs.summary`` and printed by the CLI."""

from __future__ import annotations

import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["RunSummary", "short_exc"]


def short_exc(exc: BaseException) -> str:
    """One line naming an exception and where it was raised (for summaries and quarantine details)."""
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
    return f"{type(exc).__name__}: {exc}{where}"[:1000]


@dataclass
class RunSummary:
    """What a run did; ``exit_code`` is the CLI's exit status for it."""

    run_id: int = 0
    inputs: list[str] = field(default_factory=list)
    files: int = 0  # leaf records seen
    stored: int = 0  # leaf records stored as sources
    parsed: int = 0  # records that went through the parser (the rest were skipped by hash)
    sources_new: int = 0
    sources_changed: int = 0
    sources_unchanged: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    quarantined: Counter[str] = field(default_factory=Counter)  # reason -> count (this run's files)
    orphans_removed: int = 0
    duplicates: int = 0  # articles in the store with duplicate_of set (after this run)
    duplicate_groups: int = 0
    extracted: int = 0
    extract_errors: int = 0
    extract_timeouts: int = 0  # stored articles whose extraction ran past the record budget
    extract_note: str = ""  # why extraction was skipped, when it was
    timeline_entries: int | None = None  # entries after the rebuild, when this run rebuilt it
    search_indexed: int | None = None  # articles (re)indexed for search by this run's index step
    record_timeout: float = 0.0  # the per-record budget in seconds
    failed: str = ""  # set when the run itself failed
    elapsed: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase

    @property
    def quarantined_total(self) -> int:
        return sum(self.quarantined.values())

    @property
    def articles_per_s(self) -> float:
        parsed = self.articles_new + self.articles_updated + self.articles_unchanged
        return parsed / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def exit_code(self) -> int:
        """1: the run failed; 3: it finished, but records were quarantined or ran past their budget."""
        if self.failed:
            return 1
        return 3 if self.quarantined_total or self.extract_timeouts else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "inputs": self.inputs,
            "files": self.files,
            "stored": self.stored,
            "parsed": self.parsed,
            "quarantined": self.quarantined_total,
            "quarantine_reasons": dict(self.quarantined.most_common()),
            "sources": {
                "new": self.sources_new,
                "changed": self.sources_changed,
                "unchanged": self.sources_unchanged,
            },
            "articles": {
                "new": self.articles_new,
                "updated": self.articles_updated,
                "unchanged": self.articles_unchanged,
            },
            "orphans_removed": self.orphans_removed,
            "duplicates": self.duplicates,
            "duplicate_groups": self.duplicate_groups,
            "extracted": self.extracted,
            "extract_errors": self.extract_errors,
            "extract_timeouts": self.extract_timeouts,
            "extract_note": self.extract_note,
            "timeline_entries": self.timeline_entries,
            "search_indexed": self.search_indexed,
            "record_timeout_s": self.record_timeout,
            "failed": self.failed,
            "elapsed_s": round(self.elapsed, 2),
            "articles_per_s": round(self.articles_per_s, 1),
            "timings_s": {k: round(v, 2) for k, v in self.timings.items()},
        }
