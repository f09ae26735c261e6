"""The records step: walk -> hash and skip -> parse (+ extract) in the pool -> one writer.

Why this shape:
- the main process streams the inputs (tarballs are never unpacked) and hashes every leaf, so an
  unchanged record (same source, raw bytes and parser version) is skipped *before* parsing and a
  re-ingest costs little more than reading the inputs;
- parsing and extraction are pure functions (``run/worker.py``), run in supervised worker
  processes (``run/pool.py``) on chunks of records, with a hard per-record budget;
- one writer (this process) commits every ``COMMIT_EVERY`` records; a record's source row,
  article and extraction are written together, so a run killed at any moment leaves a consistent
  database and the next run resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from summitwatch.model import Extraction, Quarantined, RawDoc
from summitwatch.run import checkpoint
from summitwatch.run.pool import Pool
from summitwatch.run.progress import RunProgress
from summitwatch.run.summary import RunSummary
from summitwatch.run.versions import Extractor
from summitwatch.run.worker import Result, Task, parse_failed, work_one
from summitwatch.sources.walk import iter_records
from summitwatch.store import state, write
from summitwatch.store.codec import compress_raw, decompress_raw

__all__ = ["CHUNK", "COMMIT_EVERY", "Record", "Writer", "chunked", "ingest_records", "stored_records", "walk"]

CHUNK = 200  # records per pool task
COMMIT_EVERY = 500  # records per transaction

# (input, record or walk-time quarantine, raw hash when already known)
Record = tuple[str, RawDoc | Quarantined, str | None]


def chunked(items: Iterable[object], n: int) -> Iterator[list[object]]:
    """Lists of ``n`` items (the last one shorter)."""
    chunk: list[object] = []
    for it in items:
        chunk.append(it)
        if len(chunk) >= n:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def walk(paths: Sequence[str | Path], fmt: str | None) -> Iterator[Record]:
    """Records of every PATH. Two PATHs holding the same relative name (``a/x.md`` and ``b/x.md``
    given as ``a b``) would collide on ``source``: the later one is then named after its PATH
    (``b/x.md``) so that both are kept and counted."""
    seen: dict[str, str] = {}
    for p in paths:
        inp = str(p)
        for rec in iter_records(Path(p)):
            first = seen.setdefault(rec.source, inp)
            if first != inp:
                rec = replace(rec, source=f"{Path(p).name}/{rec.source}")
                seen.setdefault(rec.source, inp)
            if isinstance(rec, RawDoc) and fmt:
                rec = replace(rec, hint=fmt)
            yield inp, rec, None


def stored_records(conn: sqlite3.Connection) -> Iterator[Record]:
    """Every stored raw record (sources and quarantined-with-bytes), decompressed in batches."""
    for input, source, raw, raw_hash, hint, meta in state.stored_raw_records(conn, CHUNK):
        yield input, RawDoc(source, decompress_raw(raw), hint, tuple(sorted(meta.items()))), raw_hash


class Writer:
    """The single writer: state loaded at start, records written in batched transactions."""

    def __init__(self, conn: sqlite3.Connection, run_id: int, pv: str, extractor: Extractor,
                 summary: RunSummary) -> None:  # fmt: skip
        self.conn = conn
        self.run_id = run_id
        self.pv = pv
        self.ex = extractor
        self.s = summary
        self.pending = 0
        self.touched: set[str] = set()  # article ids new or changed (dedupe looks at these)
        self.seen_articles: set[str] = set()
        self.unchanged_sources: list[str] = []
        self.extract_errors: list[str] = []
        self.sources = state.source_states(conn)
        self.qsources = state.quarantine_states(conn)
        self.article_hash = state.article_hashes(conn)
        self.orig_hash = dict(self.article_hash)
        # byte-identical copies parsed by this parser version: link without parsing
        self.by_hash = state.sources_by_raw_hash(conn, pv)
        self.extracted: dict[str, tuple[str, str, str]] = {}
        if extractor.fn is not None:
            self.extracted = state.extraction_states(conn)

    # -- bookkeeping
    def tick(self) -> None:
        self.pending += 1
        if self.pending >= COMMIT_EVERY:
            self.commit()

    def commit(self) -> None:
        if self.unchanged_sources:
            write.touch_sources(self.conn, self.unchanged_sources, self.run_id)
            self.unchanged_sources = []
        self.conn.commit()
        self.pending = 0

    def _count_article(self, article_id: str, content_hash: str) -> None:
        """Note the article's content as of now; new/updated/unchanged are decided in ``tally``.

        Deciding at the end matters when several sources yield one article id (two captures of
        the same URL): only the final content is compared with what the store held before.
        """
        self.seen_articles.add(article_id)
        self.article_hash[article_id] = content_hash

    def tally(self) -> None:
        """Count articles new/updated/unchanged against the store as it was when the run began."""
        for aid in self.seen_articles:
            old = self.orig_hash.get(aid)
            if old is None:
                self.s.articles_new += 1
                self.touched.add(aid)
            elif old != self.article_hash.get(aid):
                self.s.articles_updated += 1
                self.touched.add(aid)
            else:
                self.s.articles_unchanged += 1

    def prev_extraction(self, source: str) -> tuple[str, str] | None:
        """(article id, content hash) whose extraction is current for this source's old article."""
        old = self.sources.get(source)
        if old is None or old[2] is None or self.ex.fn is None:
            return None
        got = self.extracted.get(old[2])
        if got and got[1] == self.ex.knowledge_hash and got[2] == self.ex.version:
            return (old[2], got[0])
        return None

    # -- records that need no parsing
    def walk_quarantined(self, input: str, q: Quarantined) -> None:
        self.s.files += 1
        self.s.quarantined[q.reason] += 1
        write.upsert_quarantine(
            self.conn, q, input=input, raw_hash=None, raw=None, size=None, hint=None, meta=None,
            parser_version=None, run_id=self.run_id,
        )  # fmt: skip
        self.sources.pop(q.source, None)
        self.tick()
        checkpoint.record(self.s.files)

    def try_skip(self, input: str, raw: RawDoc, raw_hash: str) -> bool:
        """Handle an unchanged or byte-identical record without parsing; False: it needs parsing."""
        old = self.sources.get(raw.source)
        if old is not None and old[0] == raw_hash and old[1] == self.pv and old[2]:
            self.s.files += 1
            self.s.stored += 1
            self.s.sources_unchanged += 1
            self._count_article(old[2], self.article_hash.get(old[2], ""))
            self.unchanged_sources.append(raw.source)
            checkpoint.record(self.s.files)
            return True
        oldq = self.qsources.get(raw.source)
        if oldq is not None and oldq[0] == raw_hash and oldq[1] == self.pv:
            self.s.files += 1
            self.s.quarantined[oldq[2]] += 1
            checkpoint.record(self.s.files)
            return True
        twin = self.by_hash.get(raw_hash)
        if twin is not None and twin[0] in self.article_hash:
            self.s.files += 1
            self.s.stored += 1
            self.s.sources_new += old is None
            self.s.sources_changed += old is not None
            self._count_article(twin[0], self.article_hash[twin[0]])
            write.upsert_source(
                self.conn, source=raw.source, input=input, raw_hash=raw_hash,
                raw=compress_raw(raw.data), size=len(raw.data), hint=raw.hint,
                meta=raw.meta_dict(), fmt=twin[1], article_id=twin[0], parser_version=self.pv,
                run_id=self.run_id,
            )  # fmt: skip
            self.sources[raw.source] = (raw_hash, self.pv, twin[0])
            self.qsources.pop(raw.source, None)
            self.tick()
            checkpoint.record(self.s.files)
            return True
        return False

    # -- parsed records
    def result(self, r: Result) -> None:
        t = r.task
        raw = t.raw
        self.s.files += 1
        self.s.parsed += 1
        old = self.sources.get(raw.source)
        if r.quarantined is not None:
            self.s.quarantined[r.quarantined.reason] += 1
            write.upsert_quarantine(
                self.conn, r.quarantined, input=t.input, raw_hash=t.raw_hash, raw=r.raw_z,
                size=len(raw.data), hint=raw.hint, meta=raw.meta_dict(), parser_version=self.pv,
                run_id=self.run_id,
            )  # fmt: skip
            self.sources.pop(raw.source, None)
            self.qsources[raw.source] = (t.raw_hash, self.pv, r.quarantined.reason)
        else:
            aid, chash = r.article_id, r.content_hash
            assert aid is not None and chash is not None and r.row is not None
            self.s.stored += 1
            if old is None:
                self.s.sources_new += 1
            elif old[0] != t.raw_hash:
                self.s.sources_changed += 1
            else:
                self.s.sources_unchanged += 1
            self._count_article(aid, chash)
            write.upsert_source(
                self.conn, source=raw.source, input=t.input, raw_hash=t.raw_hash, raw=r.raw_z,
                size=len(raw.data), hint=raw.hint, meta=raw.meta_dict(), fmt=r.fmt,
                article_id=aid, parser_version=self.pv, run_id=self.run_id,
            )  # fmt: skip
            write.upsert_article_row(self.conn, r.row)
            self.sources[raw.source] = (t.raw_hash, self.pv, aid)
            self.qsources.pop(raw.source, None)
            self.by_hash[t.raw_hash] = (aid, r.fmt)
            if r.extraction is not None:
                self.store_extraction(r.extraction, chash)
            elif r.extract_error:
                self.extract_error(r.extract_error)
        self.tick()
        checkpoint.record(self.s.files)

    def store_extraction(self, ext: Extraction, content_hash: str) -> None:
        write.write_extraction(
            self.conn, ext, content_hash=content_hash, knowledge_hash=self.ex.knowledge_hash
        )
        self.extracted[ext.article_id] = (content_hash, self.ex.knowledge_hash, ext.extractor_version)
        self.s.extracted += 1

    def extract_error(self, message: str) -> None:
        self.s.extract_errors += 1
        self.extract_errors.append(message)


def ingest_records(
    writer: Writer,
    records: Iterable[Record],
    pool: Pool,
    *,
    inflight: int,
    force: bool,
    progress: RunProgress,
) -> None:
    """Feed records through the skip checks, the pool and the writer; commits and tallies at the end."""
    s = writer.s
    sha = hashlib.sha256

    def tasks() -> Iterator[Task]:
        for input, rec, known_hash in records:
            if isinstance(rec, Quarantined):
                writer.walk_quarantined(input, rec)
                progress.update(s.files)
                continue
            h = known_hash or sha(rec.data).hexdigest()
            if not force and writer.try_skip(input, rec, h):
                if s.files % 500 == 0:
                    progress.update(s.files)
                continue
            yield Task(input, rec, h, writer.prev_extraction(rec.source), writer.run_id)

    for chunk in pool.map(work_one, parse_failed, chunked(tasks(), CHUNK), inflight):
        for r in chunk:
            writer.result(r)
        progress.update(s.files)
    writer.commit()
    writer.tally()
    checkpoint.reached("records-done")
