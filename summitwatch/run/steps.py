"""The steps after the records, in order: orphans -> dedupe -> extract -> timeline (+ corrections)
-> search index.

Why one module: each step reads through the store, calls a pure function and writes through the
store, in its own transaction, and records in ``meta`` that it completed for this run where a
killed run could leave it half done (the next run then redoes it). The runner (``run/local.py``)
calls them in this order; ``run/parquet.py`` calls the timeline and index steps after a load.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable

from summitwatch.articles.dedupe import find_duplicates
from summitwatch.run import checkpoint
from summitwatch.run.pool import Pool
from summitwatch.run.records import CHUNK, Writer, chunked
from summitwatch.run.worker import ExtractOutcome, extract_failed, extract_one
from summitwatch.store import index, state, write
from summitwatch.store import timeline as store_timeline
from summitwatch.store.articles import iter_articles

__all__ = [
    "count_duplicates",
    "dedupe",
    "extract_pending",
    "rebuild_timeline",
    "remove_orphans",
    "timeline_behind",
    "timeline_step",
    "update_search_index",
]


def remove_orphans(conn: sqlite3.Connection) -> int:
    """Drop articles no source points to any more; returns how many."""
    n = write.delete_orphan_articles(conn)
    conn.commit()
    return n


def dedupe(
    conn: sqlite3.Connection, run_id: int, touched: Iterable[str], *, everything: bool = False
) -> None:
    """Near-duplicate pass over this run's new/changed articles, plus any a killed run left behind."""
    ids = set(touched)
    ids.update(state.articles_updated_between(conn, state.get_done_run(conn, "dedupe"), run_id))
    res = find_duplicates(conn, None if everything else ids)
    write.set_duplicates(conn, res.assignments)
    state.set_done_run(conn, "dedupe", run_id)
    checkpoint.reached("dedupe")
    conn.commit()


def count_duplicates(conn: sqlite3.Connection) -> tuple[int, int]:
    """(articles marked as near-duplicates, groups) in the store."""
    return state.duplicate_counts(conn)


def extract_pending(
    conn: sqlite3.Connection,
    writer: Writer,
    pool: Pool,
    *,
    inflight: int,
    everything: bool,
    on_progress: Callable[[int], None],
) -> None:
    """Extract articles with no current extraction (new knowledge, new extractor, or ``everything``).

    An article whose extraction runs past the record budget keeps no extraction; it is counted in
    ``extract_timeouts`` (the run exits 3) and tried again by the next run.
    """
    ex = writer.ex
    if ex.fn is None:
        return
    ids = state.extraction_ids(conn, ex.knowledge_hash, ex.version, everything=everything)
    if not ids:
        return
    done = 0
    on_progress(0)
    chunks = chunked(iter_articles(conn, ids, batch=CHUNK), CHUNK)
    for chunk in pool.map(extract_one, extract_failed, chunks, inflight):
        out: ExtractOutcome
        for out in chunk:
            if out.extraction is not None:
                writer.store_extraction(out.extraction, out.content_hash)
            elif out.error:
                writer.extract_error(out.error)
                writer.s.extract_timeouts += out.timed_out
            writer.tick()
            done += 1
            checkpoint.reached(f"extract:{done}")
        on_progress(done)
    writer.commit()


def timeline_behind(conn: sqlite3.Connection, run_id: int) -> bool:
    """True when an earlier run stopped (killed, failed) after the last timeline rebuild: its
    extractions may be stored without the timeline merged from them, so this run rebuilds it."""
    return state.unfinished_runs_between(conn, state.get_done_run(conn, "timeline"), run_id)


def timeline_step(conn: sqlite3.Connection, run_id: int) -> int:
    """The timeline step of a run: rebuild, note that ``run_id`` did it, commit; returns the entry count."""
    n = rebuild_timeline(conn)
    state.set_done_run(conn, "timeline", run_id)
    checkpoint.reached("timeline")
    conn.commit()
    return n


# --------------------------------------------------------------------------- timeline + corrections
# (helper "kn" owns this step: the timeline merged from the per-article records, then the analysts'
# corrections applied; ``rebuild_timeline(conn) -> int``, the caller commits.)


def rebuild_timeline(conn: sqlite3.Connection) -> int:
    """Re-merge the timeline from the stored records (and corrections); returns its entry count."""
    return store_timeline.rebuild_timeline(conn)


# --------------------------------------------------------------------------- search index


def update_search_index(conn: sqlite3.Connection) -> int:
    """Bring the search index up to date with the articles (incremental); returns how many it indexed.

    The last step of every run, so that ``serve`` only ever reads the index.
    """
    checkpoint.reached("index")
    n = index.update_search_index(conn)
    checkpoint.reached("index-done")
    return n
