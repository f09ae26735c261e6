"""Pipeline steps that read through the store, call a pure function and write through the store.

The timeline step lives here: the store only stores, ``timeline`` only merges and ``curation.apply``
only applies corrections, so something has to read the per-article records, the analysts'
corrections and what the merge needs (quotes, texts, topics, framing), run the two pure functions
and write the result. Doing it in one place means the timeline is written once, with the
corrections already applied, and the store never calls back into the pipeline.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from summitwatch.curation.apply import CuratedState, CurationInputs, CurationReport, curate_entries
from summitwatch.knowledge import load_knowledge
from summitwatch.model import Correction, RecordRef, TimelineEntry
from summitwatch.store import curation as corrections_store
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
    "apply_corrections", "compute_timeline", "curate", "ensure_timeline", "rebuild_timeline", "refresh_flags",
    "refresh_missing_flags", "timeline_inputs", "write_entries",
]  # fmt: skip


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
