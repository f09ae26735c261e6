"""The in-process pipeline: walk -> split -> (hash, skip) -> parse + extract in a pool -> one writer.

Why this shape:
- the main process streams the inputs (tarballs are never unpacked) and hashes every leaf, so an
  unchanged record (same source, raw bytes and parser version) is skipped *before* parsing and a
  re-ingest costs little more than reading the inputs;
- parsing and extraction are pure functions, run in a small process pool on chunks of records
  with a bounded number of chunks in flight (memory stays flat however large the input);
- one writer (the main process) commits every ``COMMIT_EVERY`` records; a record's source row,
  article and extraction are written together, so a run killed at any moment leaves a consistent
  database and the next run resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import re
import sys
import time
import traceback
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import zstandard

from summitwatch.model import Article, Extraction, Quarantined, RawDoc
from summitwatch.run.watchdog import RecordTimeout, time_limit
from summitwatch.store import db as storedb
from summitwatch.store import write

__all__ = ["RunSummary", "ingest", "reparse", "extract", "parser_version", "load_extractor"]

CHUNK = 200  # records per pool task
PARSE_TIMEOUT_S = 60.0  # per record, parse and extraction each (run/watchdog.py); slower: "timeout"
COMMIT_EVERY = 500  # records per transaction
ZSTD_LEVEL = 3

ProgressFn = Callable[[int], None]
# (extractor or None, parser version, run id) -> an executor running _work/_extract_work chunks
ExecutorFactory = Callable[[Any, str, int], Executor]


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
    extract_note: str = ""  # why extraction was skipped, when it was
    timeline_entries: int | None = None  # entries after the rebuild, when this run rebuilt it
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
        if self.failed:
            return 1
        return 3 if self.quarantined_total else 0

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
            "extract_note": self.extract_note,
            "timeline_entries": self.timeline_entries,
            "failed": self.failed,
            "elapsed_s": round(self.elapsed, 2),
            "articles_per_s": round(self.articles_per_s, 1),
            "timings_s": {k: round(v, 2) for k, v in self.timings.items()},
        }


# --------------------------------------------------------------------------- versions


def _code_digest(files: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for f in sorted(files):
        try:
            h.update(f.name.encode())
            h.update(f.read_bytes())
        except OSError:
            continue
    return h.hexdigest()[:12]


def parser_version() -> str:
    """``PARSER_VERSION`` of the parser plus a digest of the parsing code and its data files.

    Why a digest: a parser fix must re-parse stored records even when nobody bumped the number.
    The data files counted are those the parsing code names (``outlets.yaml``, ...), so editing a
    knowledge file (extraction's business) re-extracts without re-parsing.
    """
    pkg = Path(__file__).resolve().parents[1]
    try:
        from summitwatch.articles import parse

        declared = str(getattr(parse, "PARSER_VERSION", "0"))
    except ImportError:
        declared = "none"
    mine = {"walk.py", "dedupe.py"}
    code = [p for d in ("sources", "articles") for p in (pkg / d).glob("*.py") if p.name not in mine]
    named: set[str] = set()
    for p in code:
        try:
            named.update(re.findall(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]+\.yaml", p.read_text(encoding="utf-8")))
        except OSError:
            continue
    data = [pkg / "data" / n for n in sorted(named) if (pkg / "data" / n).exists()]
    return f"{declared}+{_code_digest(code + data)}"


@dataclass(frozen=True)
class Extractor:
    """The loaded extraction step (or why it is unavailable)."""

    fn: Callable[[Article, Any], Extraction] | None
    kn: Any
    knowledge_hash: str
    version: str
    note: str = ""


def load_extractor() -> Extractor:
    """Import the extractor and load the knowledge once; a missing piece disables extraction."""
    try:
        from summitwatch.engagements import extract_article
        from summitwatch.knowledge import load_knowledge
    except ImportError as exc:
        return Extractor(None, None, "", "", f"extraction skipped: extractor not available ({exc})")
    try:
        kn = load_knowledge()
    except Exception as exc:  # malformed data file: say so, still ingest
        return Extractor(None, None, "", "", f"extraction skipped: knowledge failed to load ({exc})")
    try:
        from summitwatch import engagements

        version = str(getattr(engagements, "EXTRACTOR_VERSION", ""))
    except ImportError:
        version = ""
    return Extractor(extract_article, kn, str(kn.hash), version)


# --------------------------------------------------------------------------- worker side

_W: dict[str, Any] = {}


def _init_worker(extractor: Extractor | None, pv: str, run_id: int) -> None:
    """Per worker process: the parser, the extractor and knowledge are loaded once."""
    from summitwatch.articles.dedupe import title_key
    from summitwatch.articles.parse import parse_record

    _W["parse"] = parse_record
    _W["title_key"] = title_key
    _W["extractor"] = extractor
    _W["pv"] = pv
    _W["run_id"] = run_id
    _W["zstd"] = zstandard.ZstdCompressor(level=ZSTD_LEVEL)


def _short_exc(exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
    return f"{type(exc).__name__}: {exc}{where}"[:1000]


@dataclass(frozen=True, slots=True)
class _Task:
    input: str
    raw: RawDoc
    raw_hash: str
    prev_extraction: tuple[str, str] | None  # (article id, content hash) already extracted for this source
    reparse_only: bool = False


@dataclass(slots=True)
class _Result:
    task: _Task
    raw_z: bytes
    article_id: str | None = None
    content_hash: str | None = None
    fmt: str | None = None
    row: tuple[Any, ...] | None = None
    quarantined: Quarantined | None = None
    extraction: Extraction | None = None
    extract_error: str | None = None


def _extract_one(article: Article) -> tuple[Extraction | None, str | None]:
    ex: Extractor | None = _W.get("extractor")
    if ex is None or ex.fn is None:
        return None, None
    try:
        with time_limit(PARSE_TIMEOUT_S):
            return ex.fn(article, ex.kn), None
    except RecordTimeout:
        return None, f"{article.source}: extraction took longer than {PARSE_TIMEOUT_S:g} s"
    except Exception as exc:  # one failing article never stops a run
        return None, f"{article.source}: {_short_exc(exc)}"


def _work(tasks: Sequence[_Task]) -> list[_Result]:
    """Parse (and extract) a chunk of records: pure work, results travel back to the writer."""
    parse = _W["parse"]
    zc = _W["zstd"]
    out: list[_Result] = []
    for t in tasks:
        res = _Result(task=t, raw_z=zc.compress(t.raw.data))
        try:
            with time_limit(PARSE_TIMEOUT_S):
                parsed = parse(t.raw)
        except RecordTimeout:  # a record that would hang the run is quarantined, the run goes on
            parsed = Quarantined(t.raw.source, "timeout", f"parsing took longer than {PARSE_TIMEOUT_S:g} s")
        except Exception as exc:  # a parser bug on one record quarantines that record only
            parsed = Quarantined(t.raw.source, "parse-error", _short_exc(exc))
        if isinstance(parsed, Quarantined):
            res.quarantined = parsed
        else:
            res.article_id = parsed.id
            res.content_hash = parsed.content_hash
            res.fmt = parsed.format
            res.row = write.article_row(parsed, _W["run_id"], _W["title_key"](parsed.title))
            if t.prev_extraction != (parsed.id, parsed.content_hash):
                res.extraction, res.extract_error = _extract_one(parsed)
        out.append(res)
    return out


def _extract_work(articles: Sequence[Article]) -> list[tuple[str, str, Extraction | None, str | None]]:
    out = []
    for a in articles:
        ext, err = _extract_one(a)
        out.append((a.id, a.content_hash, ext, err))
    return out


def _run_inline(fn: Callable[[Any], Any], chunks: Iterable[Any]) -> Iterator[Any]:
    for chunk in chunks:
        yield fn(chunk)


def _run_pool(
    pool: ProcessPoolExecutor, fn: Callable[[Any], Any], chunks: Iterable[Any], inflight: int
) -> Iterator[Any]:
    """Ordered map with at most ``inflight`` chunks submitted: bounded memory, unlike Pool.imap."""
    pending: deque[Future[Any]] = deque()
    for chunk in chunks:
        pending.append(pool.submit(fn, chunk))
        while len(pending) >= inflight:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _chunked(items: Iterable[Any], n: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for it in items:
        chunk.append(it)
        if len(chunk) >= n:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --------------------------------------------------------------------------- writer side


class _Writer:
    """The single writer: state loaded at start, records written in batched transactions."""

    def __init__(self, conn: Any, run_id: int, pv: str, extractor: Extractor, summary: RunSummary) -> None:
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
        self.zc = zstandard.ZstdCompressor(level=ZSTD_LEVEL)
        self.sources: dict[str, tuple[str, str | None, str | None]] = {
            r[0]: (r[1], r[2], r[3])
            for r in conn.execute("SELECT source, raw_hash, parser_version, article_id FROM sources")
        }
        self.qsources: dict[str, tuple[str | None, str | None, str]] = {
            r[0]: (r[1], r[2], r[3])
            for r in conn.execute("SELECT source, raw_hash, parser_version, reason FROM quarantine")
        }
        self.article_hash: dict[str, str] = {
            r[0]: r[1] for r in conn.execute("SELECT id, content_hash FROM articles")
        }
        self.orig_hash = dict(self.article_hash)
        # byte-identical copies parsed by this parser version: link without parsing
        self.by_hash: dict[str, tuple[str, str | None]] = {
            r[0]: (r[1], r[2])
            for r in conn.execute(
                "SELECT raw_hash, article_id, format FROM sources WHERE parser_version=?", (pv,)
            )
        }
        self.extracted: dict[str, tuple[str, str, str]] = {}
        if extractor.fn is not None:
            self.extracted = {
                r[0]: (r[1], r[2], r[3])
                for r in conn.execute(
                    "SELECT article_id, content_hash, knowledge_hash, extractor_version FROM extractions"
                )
            }

    # -- bookkeeping
    def _tick(self) -> None:
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
        self._tick()

    def try_skip(self, input: str, raw: RawDoc, raw_hash: str) -> bool:
        """Handle an unchanged or byte-identical record without parsing; False: it needs parsing."""
        old = self.sources.get(raw.source)
        if old is not None and old[0] == raw_hash and old[1] == self.pv and old[2]:
            self.s.files += 1
            self.s.stored += 1
            self.s.sources_unchanged += 1
            self._count_article(old[2], self.article_hash.get(old[2], ""))
            self.unchanged_sources.append(raw.source)
            return True
        oldq = self.qsources.get(raw.source)
        if oldq is not None and oldq[0] == raw_hash and oldq[1] == self.pv:
            self.s.files += 1
            self.s.quarantined[oldq[2]] += 1
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
                raw=self.zc.compress(raw.data), size=len(raw.data), hint=raw.hint,
                meta=raw.meta_dict(), fmt=twin[1], article_id=twin[0], parser_version=self.pv,
                run_id=self.run_id,
            )  # fmt: skip
            self.sources[raw.source] = (raw_hash, self.pv, twin[0])
            self.qsources.pop(raw.source, None)
            self._tick()
            return True
        return False

    # -- parsed records
    def result(self, r: _Result) -> None:
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
            assert r.article_id is not None and r.row is not None and r.content_hash is not None
            self.s.stored += 1
            if old is None:
                self.s.sources_new += 1
            elif old[0] != t.raw_hash:
                self.s.sources_changed += 1
            else:
                self.s.sources_unchanged += 1
            self._count_article(r.article_id, r.content_hash)
            write.upsert_source(
                self.conn, source=raw.source, input=t.input, raw_hash=t.raw_hash, raw=r.raw_z,
                size=len(raw.data), hint=raw.hint, meta=raw.meta_dict(), fmt=r.fmt,
                article_id=r.article_id, parser_version=self.pv, run_id=self.run_id,
            )  # fmt: skip
            write.upsert_article_row(self.conn, r.row)
            self.sources[raw.source] = (t.raw_hash, self.pv, r.article_id)
            self.qsources.pop(raw.source, None)
            self.by_hash[t.raw_hash] = (r.article_id, r.fmt)
            if r.extraction is not None:
                self.store_extraction(r.extraction, r.content_hash)
            elif r.extract_error:
                self.s.extract_errors += 1
                self.extract_errors.append(r.extract_error)
        self._tick()

    def store_extraction(self, ext: Extraction, content_hash: str) -> None:
        write.write_extraction(
            self.conn, ext, content_hash=content_hash, knowledge_hash=self.ex.knowledge_hash
        )
        self.extracted[ext.article_id] = (content_hash, self.ex.knowledge_hash, ext.extractor_version)
        self.s.extracted += 1


# --------------------------------------------------------------------------- progress


class _Progress:
    """A rich progress line on stderr (only when it is a terminal and progress is wanted)."""

    def __init__(self, enabled: bool, label: str) -> None:
        self.bar: Any = None
        if enabled and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

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

    def pause(self) -> None:
        if self.bar is not None:
            self.bar.stop()

    def resume(self) -> None:
        if self.bar is not None:
            self.bar.start()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


# --------------------------------------------------------------------------- the runs


def _hint(raw: RawDoc, fmt: str | None) -> RawDoc:
    return replace(raw, hint=fmt) if fmt else raw


def _walk(paths: Sequence[str | Path], fmt: str | None) -> Iterator[tuple[str, RawDoc | Quarantined]]:
    """Records of every PATH. Two PATHs holding the same relative name (``a/x.md`` and ``b/x.md``
    given as ``a b``) would collide on ``source``: the later one is then named after its PATH
    (``b/x.md``) so that both are kept and counted."""
    from summitwatch.sources.walk import iter_records

    seen: dict[str, str] = {}
    for p in paths:
        inp = str(p)
        for rec in iter_records(Path(p)):
            first = seen.setdefault(rec.source, inp)
            if first != inp:
                rec = replace(rec, source=f"{Path(p).name}/{rec.source}")
                seen.setdefault(rec.source, inp)
            yield inp, (rec if isinstance(rec, Quarantined) else _hint(rec, fmt))


def _noop(_: int) -> None:
    return None


def _make_pool(
    workers: int,
    extractor: Extractor | None,
    pv: str,
    run_id: int,
    progress: _Progress | None = None,
    factory: ExecutorFactory | None = None,
) -> Executor | None:
    """The worker pool (None: work in this process). Workers fork with the knowledge already loaded.

    The processes are started here, with the progress bar's refresh thread paused, so no lock
    held by that thread is copied into a child. ``factory`` replaces the local process pool with
    another executor (``run/dask.py``: the same pure functions on a Dask cluster).
    """
    if factory is not None:
        return factory(extractor, pv, run_id)
    if workers <= 1:
        _init_worker(extractor, pv, run_id)
        return None
    import multiprocessing as mp

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=(extractor, pv, run_id)
    )
    if progress is not None:
        progress.pause()
    try:
        list(pool.map(_noop, range(workers)))
    finally:
        if progress is not None:
            progress.resume()
    return pool


def _pipeline(
    conn: Any,
    records: Iterable[tuple[str, RawDoc | Quarantined, str | None]],
    summary: RunSummary,
    *,
    workers: int,
    extractor: Extractor,
    force: bool,
    progress: _Progress,
    factory: ExecutorFactory | None = None,
) -> _Writer:
    """Feed records through skip checks, the pool and the writer; returns the writer's state."""
    pv = parser_version()
    writer = _Writer(conn, summary.run_id, pv, extractor, summary)
    pool = _make_pool(workers, extractor if extractor.fn else None, pv, summary.run_id, progress, factory)
    sha = hashlib.sha256

    def tasks() -> Iterator[_Task]:
        for input, rec, known_hash in records:
            if isinstance(rec, Quarantined):
                writer.walk_quarantined(input, rec)
                progress.update(summary.files)
                continue
            h = known_hash or sha(rec.data).hexdigest()
            if not force and writer.try_skip(input, rec, h):
                if summary.files % 500 == 0:
                    progress.update(summary.files)
                continue
            yield _Task(input, rec, h, writer.prev_extraction(rec.source))

    try:
        results = (
            _run_inline(_work, _chunked(tasks(), CHUNK))
            if pool is None
            else _run_pool(pool, _work, _chunked(tasks(), CHUNK), inflight=2 * workers + 2)
        )
        for chunk in results:
            for r in chunk:
                writer.result(r)
            progress.update(summary.files)
        writer.commit()
        writer.tally()
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return writer


def _extract_pending(
    conn: Any,
    writer: _Writer,
    *,
    workers: int,
    everything: bool,
    progress: _Progress,
    factory: ExecutorFactory | None = None,
) -> None:
    """Extract articles with no current extraction (new knowledge, new extractor, or ``everything``)."""
    from summitwatch.store.articles import iter_articles

    ex = writer.ex
    if ex.fn is None:
        return
    if everything:
        ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
    else:
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT a.id FROM articles a LEFT JOIN extractions e ON e.article_id = a.id "
                "WHERE e.article_id IS NULL OR e.content_hash != a.content_hash "
                "OR e.knowledge_hash != ? OR e.extractor_version != ? ORDER BY a.id",
                (ex.knowledge_hash, ex.version),
            )
        ]
    if not ids:
        return
    pool = _make_pool(workers, ex, writer.pv, writer.run_id, progress, factory)
    done = 0
    progress.update(0, "extracting")
    try:
        chunks = _chunked(iter_articles(conn, ids, batch=CHUNK), CHUNK)
        results = (
            _run_inline(_extract_work, chunks)
            if pool is None
            else _run_pool(pool, _extract_work, chunks, inflight=2 * workers + 2)
        )
        for chunk in results:
            for _aid, content_hash, ext, err in chunk:
                if ext is not None:
                    writer.store_extraction(ext, content_hash)
                elif err:
                    writer.s.extract_errors += 1
                    writer.extract_errors.append(err)
                writer._tick()
                done += 1
            progress.update(done)
        writer.commit()
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _dedupe(conn: Any, writer: _Writer, everything: bool = False) -> None:
    """Near-duplicate pass over this run's new/changed articles, plus any a killed run left behind."""
    from summitwatch.articles.dedupe import find_duplicates

    done = int(storedb.get_meta(conn, "dedupe_done_run") or 0)
    touched = set(writer.touched)
    touched.update(
        r[0] for r in conn.execute("SELECT id FROM articles WHERE updated_run > ? AND updated_run < ?",
                                   (done, writer.run_id))
    )  # fmt: skip
    res = find_duplicates(conn, None if everything else touched)
    write.set_duplicates(conn, res.assignments)
    storedb.set_meta(conn, "dedupe_done_run", str(writer.run_id))
    conn.commit()


def _count_duplicates(conn: Any, summary: RunSummary) -> None:
    summary.duplicates = conn.execute(
        "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL"
    ).fetchone()[0]
    summary.duplicate_groups = conn.execute(
        "SELECT count(DISTINCT duplicate_of) FROM articles WHERE duplicate_of IS NOT NULL"
    ).fetchone()[0]


def _finish(
    conn: Any,
    writer: _Writer,
    summary: RunSummary,
    *,
    workers: int,
    extract_all: bool,
    dedupe_all: bool,
    progress: _Progress,
    factory: ExecutorFactory | None = None,
) -> None:
    t = time.monotonic()
    summary.orphans_removed = write.delete_orphan_articles(conn)
    conn.commit()
    progress.update(0, "near-duplicates")
    _dedupe(conn, writer, everything=dedupe_all)
    summary.timings["dedupe"] = time.monotonic() - t
    t = time.monotonic()
    _extract_pending(
        conn, writer, workers=workers, everything=extract_all, progress=progress, factory=factory
    )
    summary.timings["extract_pending"] = time.monotonic() - t
    _count_duplicates(conn, summary)
    if summary.extracted or summary.orphans_removed or _timeline_behind(conn, summary.run_id):
        t = time.monotonic()
        progress.update(0, "timeline")
        _rebuild_timeline(conn, summary)
        summary.timings["timeline"] = time.monotonic() - t


def _timeline_behind(conn: Any, run_id: int) -> bool:
    """True when an earlier run stopped (killed, failed) after the last timeline rebuild: its
    extractions may be stored without the timeline merged from them, so this run rebuilds it."""
    done = int(storedb.get_meta(conn, "timeline_done_run") or 0)
    row = conn.execute(
        "SELECT 1 FROM runs WHERE id > ? AND id < ? AND (finished_at IS NULL "
        "OR coalesce(json_extract(summary, '$.failed'), '') != '') LIMIT 1",
        (done, run_id),
    ).fetchone()
    return row is not None


def _rebuild_timeline(conn: Any, summary: RunSummary) -> None:
    """Re-merge the timeline when this run changed per-article records, so it is never stale."""
    try:
        from summitwatch.run.steps import rebuild_timeline
    except ImportError:
        return
    try:
        summary.timeline_entries = rebuild_timeline(conn)
        storedb.set_meta(conn, "timeline_done_run", str(summary.run_id))
        conn.commit()
    except Exception as exc:  # the articles and records are stored; say why the timeline is not
        conn.rollback()
        summary.extract_note = (summary.extract_note + "; " if summary.extract_note else "") + (
            f"timeline not rebuilt ({_short_exc(exc)}); run `summitwatch build-timeline`"
        )


def _run(
    label: str,
    db_path: str | Path,
    inputs: list[str],
    records_fn: Callable[[Any], Iterable[tuple[str, RawDoc | Quarantined, str | None]]],
    *,
    workers: int,
    progress: bool,
    extract: bool,
    force: bool,
    extract_all: bool = False,
    dedupe_all: bool = False,
    factory: ExecutorFactory | None = None,
) -> RunSummary:
    t0 = time.monotonic()
    summary = RunSummary(inputs=inputs)
    extractor = load_extractor() if extract else Extractor(None, None, "", "", "extraction not requested")
    summary.extract_note = extractor.note
    conn = storedb.connect(db_path)
    bar = _Progress(progress, label)
    summary.run_id = write.start_run(conn, inputs)
    writer: _Writer | None = None
    try:
        t = time.monotonic()
        writer = _pipeline(
            conn, records_fn(conn), summary, workers=workers, extractor=extractor, force=force, progress=bar,
            factory=factory,
        )  # fmt: skip
        summary.timings["records"] = time.monotonic() - t
        _finish(
            conn,
            writer,
            summary,
            workers=workers,
            extract_all=extract_all,
            dedupe_all=dedupe_all,
            progress=bar,
            factory=factory,
        )
    except KeyboardInterrupt:
        summary.failed = "interrupted"
        raise
    except Exception as exc:
        summary.failed = _short_exc(exc)
    finally:
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
    executor_factory: ExecutorFactory | None = None,
) -> RunSummary:
    """Ingest PATHs (files, directories, archives) into the store at ``db_path``.

    Incremental: a record whose (source, raw hash, parser version) is stored is not parsed again;
    a byte-identical copy at another path is linked to the same article. ``fmt`` forces a format
    (as the records' ``hint``). Errors in single records quarantine them; ``summary.failed`` is set
    only when the run itself failed (the database then holds every record committed so far).
    ``executor_factory`` runs the pure work on another executor (``run/dask.py``) instead of the
    local process pool; ``workers`` then sets how many chunks are in flight.
    """
    inputs = [str(p) for p in paths]
    missing = [p for p in inputs if not Path(p).exists()]
    if missing:
        s = RunSummary(inputs=inputs, failed=f"no such input: {', '.join(missing)}")
        return s

    def records(_conn: Any) -> Iterator[tuple[str, RawDoc | Quarantined, str | None]]:
        for input, rec in _walk(paths, fmt):
            yield input, rec, None

    return _run(
        "ingesting",
        db_path,
        inputs,
        records,
        workers=workers,
        progress=progress,
        extract=extract,
        force=False,
        factory=executor_factory,
    )


def _stored_records(conn: Any) -> Iterator[tuple[str, RawDoc | Quarantined, str | None]]:
    """Every stored raw record (sources and quarantined-with-bytes), decompressed in batches."""
    import json

    dz = zstandard.ZstdDecompressor()
    for table in ("sources", "quarantine"):
        keys = [
            r[0] for r in conn.execute(f"SELECT source FROM {table} WHERE raw IS NOT NULL ORDER BY source")
        ]
        for i in range(0, len(keys), CHUNK):
            chunk = keys[i : i + CHUNK]
            rows = conn.execute(
                f"SELECT source, input, raw_hash, raw, hint, meta FROM {table} "
                f"WHERE source IN ({','.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
            for source, input, raw_hash, raw, hint, meta in rows:
                m = tuple(sorted((json.loads(meta) or {}).items())) if meta else ()
                yield input or "", RawDoc(source, dz.decompress(raw), hint, m), raw_hash


def reparse(
    db_path: str | Path,
    *,
    workers: int = 2,
    progress: bool = True,
    extract: bool = True,
    executor_factory: ExecutorFactory | None = None,
) -> RunSummary:
    """Re-parse every stored raw record (no original files needed), e.g. after a parser fix."""
    storedb.connect(db_path, create=False).close()
    return _run(
        "re-parsing", db_path, ["(stored raw records)"], _stored_records,
        workers=workers, progress=progress, extract=extract, force=True, dedupe_all=True,
        factory=executor_factory,
    )  # fmt: skip


def extract(
    db_path: str | Path,
    *,
    workers: int = 2,
    progress: bool = True,
    everything: bool = False,
    executor_factory: ExecutorFactory | None = None,
) -> RunSummary:
    """Run extraction on articles without a current extraction (``everything``: on all)."""
    storedb.connect(db_path, create=False).close()

    def nothing(_conn: Any) -> Iterator[tuple[str, RawDoc | Quarantined, str | None]]:
        return iter(())

    s = _run(
        "extracting", db_path, ["(extract)"], nothing,
        workers=workers, progress=progress, extract=True, force=False, extract_all=everything,
        factory=executor_factory,
    )  # fmt: skip
    if s.extract_note and not s.failed:
        s.failed = s.extract_note
    return s
