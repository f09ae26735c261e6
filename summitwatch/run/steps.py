"""The steps after the records, in order: orphans -> dedupe -> extract -> timeline (+ corrections)
-> search index.

Why one module: each step reads through the store, calls a pure function and writes through the
store, in its own transaction, and records in ``meta`` that it completed for this run where a
killed run could leave it half done (the next run then redoes it). The runner (``run/local.py``)
calls them in this order; ``run/parquet.py`` calls the timeline and index steps after a load.

The timeline step: the store only stores, ``timeline`` only merges and ``curation.apply`` only
applies corrections, so this step reads the per-article records, the analysts' corrections and
what the merge needs (quotes, texts, topics, framing), runs the two pure functions and writes the
result. Doing it in one place means the timeline is written once, with the corrections already
applied, and the store never calls back into the pipeline.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence

from summitwatch.articles.dedupe import (
    ArticleKey,
    DedupeResult,
    candidate_buckets,
    group_duplicates,
    neighbour_lookups,
    text_sketch,
    texts_to_compare,
)
from summitwatch.curation.apply import CuratedState, CurationInputs, CurationReport, curate_entries
from summitwatch.knowledge import load_knowledge
from summitwatch.model import Correction, RecordRef, TimelineEntry
from summitwatch.run import checkpoint
from summitwatch.run.pool import Pool
from summitwatch.run.records import CHUNK, Writer, chunked
from summitwatch.run.worker import ExtractOutcome, extract_failed, extract_one
from summitwatch.store import curation as corrections_store
from summitwatch.store import dedupe as dedupe_store
from summitwatch.store import index, state, write
from summitwatch.store.articles import iter_articles
from summitwatch.store.timeline import (
    article_groups,
    entries_without_flags,
    load_article_topics,
    load_articles,
    load_quotes,
    load_records,
    load_reports,
    load_texts,
    timeline_ids,
    timeline_state,
    write_flags,
    write_timeline,
)
from summitwatch.timeline import Framing, build_timeline, load_framing
from summitwatch.timeline.flags import compute_flags, timeline_flags

__all__ = [
    "apply_corrections",
    "compute_timeline",
    "count_duplicates",
    "curate",
    "dedupe",
    "ensure_timeline",
    "extract_pending",
    "find_duplicates",
    "rebuild_timeline",
    "refresh_flags",
    "refresh_missing_flags",
    "remove_orphans",
    "timeline_behind",
    "timeline_inputs",
    "timeline_step",
    "update_search_index",
    "write_entries",
]


def remove_orphans(conn: sqlite3.Connection) -> int:
    """Drop articles no source points to any more; returns how many."""
    n = write.delete_orphan_articles(conn)
    conn.commit()
    return n


def find_duplicates(conn: sqlite3.Connection, touched: Iterable[str] | None = None) -> DedupeResult:
    """Near-duplicate groups among the buckets of ``touched`` article ids (None: all articles).

    Reads the keys of the touched articles and of their bucket neighbours, then the bodies of the
    texts to compare (as sketches), through ``store/dedupe.py``; the grouping is
    ``articles.dedupe``'s pure functions.
    """
    if touched is None:
        keys = [ArticleKey(*r) for r in dedupe_store.dedupe_keys(conn)]
        touched_set = {m.id for m in keys}
    else:
        touched_set = set(touched)
        if not touched_set:
            return DedupeResult([], 0, 0, 0)
        own = [ArticleKey(*r) for r in dedupe_store.dedupe_keys(conn, "id", sorted(touched_set))]
        title_keys, days = neighbour_lookups(own)
        by_id = {m.id: m for m in own}
        for column, values in (("title_key", title_keys), ("published_day", days)):
            for r in dedupe_store.dedupe_keys(conn, column, values):
                by_id[r[0]] = ArticleKey(*r)
        keys = list(by_id.values())
    buckets = candidate_buckets(keys, touched_set)
    need = texts_to_compare(keys, buckets)
    sketches = {aid: text_sketch(blocks) for aid, blocks in dedupe_store.article_blocks(conn, need)}
    return group_duplicates(keys, touched_set, buckets, sketches)


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
# (helper "kn" owns this part: the timeline merged from the per-article records, then the analysts'
# corrections applied; the caller commits.)


def _topic_cues() -> dict[str, tuple[str, ...]]:
    """Cue word -> topic ids from the knowledge files ({} while they do not load)."""
    try:
        return dict(load_knowledge().topic_index)
    except Exception:  # noqa: BLE001 - data files may be incomplete while others write them
        return {}


def timeline_inputs(
    conn: sqlite3.Connection,
    refs: Sequence[RecordRef] | None = None,
    corrections: Iterable[Correction] = (),
    framing: Framing | None = None,
) -> CurationInputs:
    """Read what the merge and the corrections need: the records (``refs``: already read), and the
    quotes, texts and topics of their articles and of the articles analyst-added records cite."""
    refs = load_records(conn) if refs is None else list(refs)
    added = {aid for c in corrections if c.action == "add" for aid in c.target.get("articles") or ()}
    articles = load_articles(conn, added)
    ids = sorted({r.article_id for r in refs} | set(articles))
    return CurationInputs(
        refs=refs,
        quotes=load_quotes(conn, ids),
        texts=load_texts(conn, ids),
        article_topics=load_article_topics(conn, ids),
        framing=framing if framing is not None else load_framing(),
        topic_cues=_topic_cues(),
        articles=articles,
    )


def _merge(inputs: CurationInputs) -> list[TimelineEntry]:
    """The uncorrected merge of all the records (quotes of their own articles only)."""
    ids = {r.article_id for r in inputs.refs}
    return build_timeline(
        inputs.refs, quotes=[q for q in inputs.quotes if q.article_id in ids], framing=inputs.framing,
        texts=inputs.texts, article_topics=inputs.article_topics, topic_cues=inputs.topic_cues,
    )  # fmt: skip


def compute_timeline(
    conn: sqlite3.Connection, framing: Framing | None = None
) -> tuple[list[TimelineEntry], list[RecordRef]]:
    """Merge the store's per-article records, without corrections and without writing."""
    inputs = timeline_inputs(conn, framing=framing)
    return _merge(inputs), list(inputs.refs)


def rebuild_timeline(conn: sqlite3.Connection, framing: Framing | None = None) -> int:
    """Merge the records, apply the active corrections and write the timeline once.

    Returns the number of merged entries (before corrections), as the run summary reports it.
    """
    corrections = corrections_store.list_corrections(conn, active_only=True)
    inputs = timeline_inputs(conn, corrections=corrections, framing=framing)
    entries = _merge(inputs)
    if corrections:
        _report, state = curate_entries(corrections, inputs, entries)
        write_entries(conn, state.entries, inputs.refs)
    else:
        write_entries(conn, entries, inputs.refs)
    return len(entries)


def write_entries(
    conn: sqlite3.Connection, entries: list[TimelineEntry], refs: Sequence[RecordRef] | None = None
) -> None:
    """Compute the flags of ``entries`` (``timeline.flags``) and write both through the store, once.

    ``refs``: the stored per-article records when the caller has read them already."""
    refs = load_records(conn) if refs is None else refs
    groups = article_groups(conn, {r.article_id for r in refs})
    write_timeline(conn, entries, timeline_flags(entries, refs, groups))


def refresh_flags(conn: sqlite3.Connection, ids: Sequence[str] | None = None) -> int:
    """Recompute and store the flags of stored entries (``ids`` None: every entry); returns the rows
    updated. Does not commit: it runs inside the caller's transaction."""
    ids = timeline_ids(conn) if ids is None else list(ids)
    reports, days = load_reports(conn, ids)
    return write_flags(conn, {tid: compute_flags(reports.get(tid, []), days.get(tid)) for tid in ids})


def ensure_timeline(conn: sqlite3.Connection) -> None:
    """Before reading the timeline: build it when extraction has run but it was never built, and
    give entries stored without flags their flags."""
    has_timeline, has_records = timeline_state(conn)
    if not has_timeline and has_records:
        rebuild_timeline(conn)
    else:
        refresh_missing_flags(conn)


def refresh_missing_flags(conn: sqlite3.Connection) -> int:
    """Compute the flags of entries stored without them (a timeline written before schema v4, or by
    hand), so readers see flags on every entry; returns how many were computed."""
    missing = entries_without_flags(conn)
    if not missing:
        return 0
    with conn:
        return refresh_flags(conn, missing)


def curate(
    conn: sqlite3.Connection,
    entries: list[TimelineEntry] | None = None,
    refs: Sequence[RecordRef] | None = None,
    framing: Framing | None = None,
) -> tuple[CurationReport, CuratedState]:
    """Compute the curated timeline without writing it (the report and the full state).

    ``entries``/``refs``: the uncorrected merge and its records when the caller has them.
    """
    corrections = corrections_store.list_corrections(conn, active_only=True)
    return curate_entries(corrections, timeline_inputs(conn, refs, corrections, framing), entries)


def apply_corrections(
    conn: sqlite3.Connection,
    entries: list[TimelineEntry] | None = None,
    refs: Sequence[RecordRef] | None = None,
    framing: Framing | None = None,
    *,
    write: bool = True,
) -> CurationReport:
    """Re-apply every active correction and write the curated timeline.

    With the uncorrected ``entries`` (and ``refs``) of a merge just written there is nothing to do,
    and nothing is written, when no correction is active; without them (after a new correction) the
    store's records are merged here. ``write=False`` only computes the report
    (``curate list --orphans``).
    """
    if entries is not None and not corrections_store.list_corrections(conn, active_only=True):
        return CurationReport(entries=len(entries))
    report, state = curate(conn, entries, refs, framing)
    if write:
        write_entries(conn, state.entries, refs)
    return report


# --------------------------------------------------------------------------- search index


def update_search_index(conn: sqlite3.Connection) -> int:
    """Bring the search index up to date with the articles (incremental); returns how many it indexed.

    The last step of every run, so that ``serve`` only ever reads the index.
    """
    checkpoint.reached("index")
    n = index.update_search_index(conn)
    checkpoint.reached("index-done")
    return n
