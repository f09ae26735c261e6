"""The runner: one run (ingest, reparse or extract) from start to finish, on local or Dask workers.

Why thin: the work lives in its steps (``run/records.py`` for the records, ``run/steps.py`` for
what follows), the pure per-record work in ``run/worker.py`` and the supervised processes in
``run/pool.py``. This module opens the store, makes the pool, calls the steps in order, times
them, and records the run's summary however it ends (a killed run leaves a consistent database
and the next run resumes; see ``run/records.py``).

``pool_factory`` replaces the local supervised processes with another pool (``run/dask.py``: the
same pure functions on a Dask cluster, with the same per-record budget).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from summitwatch.run import steps
from summitwatch.run.pool import DEFAULT_RECORD_TIMEOUT_S, Pool, SupervisedPool
from summitwatch.run.progress import RunProgress
from summitwatch.run.records import Record, Writer, ingest_records, stored_records, walk
from summitwatch.run.summary import RunSummary, short_exc
from summitwatch.run.versions import Extractor, load_extractor, no_extractor, parser_version
from summitwatch.run.worker import init_worker
from summitwatch.store import db as storedb
from summitwatch.store import write

__all__ = ["PoolFactory", "RunSummary", "extract", "ingest", "local_pool", "reparse"]

# (extractor or None, parser version, record budget in seconds) -> the pool of a run
PoolFactory = Callable[[Extractor | None, str, float], Pool]


def local_pool(workers: int) -> PoolFactory:
    """Supervised worker processes on this machine (``workers`` 0 or 1: one child process)."""

    def make(extractor: Extractor | None, _pv: str, budget: float) -> Pool:
        init_worker(extractor)  # before the fork: children inherit the loaded parser and knowledge
        return SupervisedPool(max(1, workers), budget=budget)

    return make


def _finish(
    conn: sqlite3.Connection,
    writer: Writer,
    summary: RunSummary,
    pool: Pool,
    *,
    inflight: int,
    extract_all: bool,
    dedupe_all: bool,
    progress: RunProgress,
) -> None:
    """The steps after the records, timed one by one."""
    t = time.monotonic()
    summary.orphans_removed = steps.remove_orphans(conn)
    progress.update(0, "near-duplicates")
    steps.dedupe(conn, summary.run_id, writer.touched, everything=dedupe_all)
    summary.timings["dedupe"] = time.monotonic() - t
    t = time.monotonic()
    steps.extract_pending(
        conn, writer, pool, inflight=inflight, everything=extract_all,
        on_progress=lambda n: progress.update(n, "extracting"),
    )  # fmt: skip
    summary.timings["extract_pending"] = time.monotonic() - t
    summary.duplicates, summary.duplicate_groups = steps.count_duplicates(conn)
    if summary.extracted or summary.orphans_removed or steps.timeline_behind(conn, summary.run_id):
        t = time.monotonic()
        progress.update(0, "timeline")
        try:
            summary.timeline_entries = steps.timeline_step(conn, summary.run_id)
        except Exception as exc:  # the articles and records are stored; say why the timeline is not
            conn.rollback()
            summary.extract_note = (summary.extract_note + "; " if summary.extract_note else "") + (
                f"timeline not rebuilt ({short_exc(exc)}); run `summitwatch build-timeline`"
            )
        summary.timings["timeline"] = time.monotonic() - t
    t = time.monotonic()
    progress.update(0, "search index")
    summary.search_indexed = steps.update_search_index(conn)
    summary.timings["search_index"] = time.monotonic() - t


def _run(
    label: str,
    db_path: str | Path,
    inputs: list[str],
    records_fn: Callable[[sqlite3.Connection], Iterable[Record]],
    *,
    workers: int,
    progress: bool,
    extract: bool,
    force: bool,
    record_timeout: float,
    extract_all: bool = False,
    dedupe_all: bool = False,
    pool_factory: PoolFactory | None = None,
) -> RunSummary:
    t0 = time.monotonic()
    summary = RunSummary(inputs=inputs, record_timeout=record_timeout)
    extractor = load_extractor() if extract else no_extractor("extraction not requested")
    summary.extract_note = extractor.note
    conn = storedb.connect(db_path)
    bar = RunProgress(progress, label)
    summary.run_id = write.start_run(conn, inputs)
    writer: Writer | None = None
    pool: Pool | None = None
    # chunks in flight: every worker busy with one queued behind it, memory bounded
    inflight = 2 if workers <= 1 else 2 * workers + 2
    try:
        pv = parser_version()
        make = pool_factory or local_pool(workers)
        pool = make(extractor if extractor.fn else None, pv, record_timeout)
        t = time.monotonic()
        writer = Writer(conn, summary.run_id, pv, extractor, summary)
        ingest_records(writer, records_fn(conn), pool, inflight=inflight, force=force, progress=bar)
        summary.timings["records"] = time.monotonic() - t
        _finish(
            conn, writer, summary, pool, inflight=inflight, extract_all=extract_all, dedupe_all=dedupe_all,
            progress=bar,
        )  # fmt: skip
    except KeyboardInterrupt:
        summary.failed = "interrupted"
        raise
    except Exception as exc:
        summary.failed = short_exc(exc)
    finally:
        if pool is not None:
            pool.close()
        bar.close()
        try:
            conn.commit()
        except Exception:  # the connection may be unusable after a failure; the DB stays consistent
            pass
        summary.elapsed = time.monotonic() - t0
        d = summary.to_dict()
        if writer is not None and writer.extract_errors:
            d["extract_error_examples"] = writer.extract_errors[:20]
        try:
            write.finish_run(conn, summary.run_id, d)
        finally:
            conn.close()
    return summary


def ingest(
    paths: Sequence[str | Path],
    db_path: str | Path,
    *,
    workers: int = 2,
    progress: bool = True,
    fmt: str | None = None,
    extract: bool = True,
    record_timeout: float = DEFAULT_RECORD_TIMEOUT_S,
    pool_factory: PoolFactory | None = None,
) -> RunSummary:
    """Ingest PATHs (files, directories, archives) into the store at ``db_path``.

    Incremental: a record whose (source, raw hash, parser version) is stored is not parsed again;
    a byte-identical copy at another path is linked to the same article. ``fmt`` forces a format
    (as the records' ``hint``). Errors in single records quarantine them, and so does a record
    that runs past ``record_timeout`` seconds (``timeout``); ``summary.failed`` is set only when
    the run itself failed (the database then holds every record committed so far).
    ``pool_factory`` runs the pure work elsewhere (``run/dask.py``) instead of local processes;
    ``workers`` then sets how many chunks are in flight.
    """
    inputs = [str(p) for p in paths]
    missing = [p for p in inputs if not Path(p).exists()]
    if missing:
        return RunSummary(inputs=inputs, failed=f"no such input: {', '.join(missing)}")

    def records(_conn: sqlite3.Connection) -> Iterator[Record]:
        return walk(paths, fmt)

    return _run(
        "ingesting", db_path, inputs, records, workers=workers, progress=progress, extract=extract,
        force=False, record_timeout=record_timeout, pool_factory=pool_factory,
    )  # fmt: skip


def reparse(
    db_path: str | Path,
    *,
    workers: int = 2,
    progress: bool = True,
    extract: bool = True,
    record_timeout: float = DEFAULT_RECORD_TIMEOUT_S,
    pool_factory: PoolFactory | None = None,
) -> RunSummary:
    """Re-parse every stored raw record (no original files needed), e.g. after a parser fix."""
    storedb.connect(db_path, create=False).close()
    return _run(
        "re-parsing", db_path, ["(stored raw records)"], stored_records,
        workers=workers, progress=progress, extract=extract, force=True, dedupe_all=True,
        record_timeout=record_timeout, pool_factory=pool_factory,
    )  # fmt: skip


def extract(
    db_path: str | Path,
    *,
    workers: int = 2,
    progress: bool = True,
    everything: bool = False,
    record_timeout: float = DEFAULT_RECORD_TIMEOUT_S,
    pool_factory: PoolFactory | None = None,
) -> RunSummary:
    """Run extraction on articles without a current extraction (``everything``: on all)."""
    storedb.connect(db_path, create=False).close()

    def nothing(_conn: sqlite3.Connection) -> Iterator[Record]:
        return iter(())

    s = _run(
        "extracting", db_path, ["(extract)"], nothing,
        workers=workers, progress=progress, extract=True, force=False, extract_all=everything,
        record_timeout=record_timeout, pool_factory=pool_factory,
    )  # fmt: skip
    if s.extract_note and not s.failed:
        s.failed = s.extract_note
    return s
