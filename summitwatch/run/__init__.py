"""Runners: the in-process pipeline (``local``) and, for scale, the same functions on Dask."""

from __future__ import annotations

from summitwatch.run.local import extract, ingest, reparse
from summitwatch.run.summary import RunSummary

__all__ = ["RunSummary", "extract", "ingest", "reparse"]
