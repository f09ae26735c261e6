"""The pure per-record work of a run: parse (and extract) one record, extract one stored article.

Why apart: these functions run in the supervised worker processes of ``run/pool.py``, locally and
on Dask workers alike. They never touch the store: a result carries the article's row
(encoded here by ``store/codec.py``, a pure function, so the JSON work is spread over the
workers) and the Extraction, and the single writer stores them. The per-process state (parser, extractor
with its knowledge) is set once by :func:`init_worker` before the workers fork.

When a record runs past its budget (or kills its process), the supervisor cannot get anything
out of the worker; :func:`parse_failed` and :func:`extract_failed` then build the record's
outcome in the supervising process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from summitwatch.articles.dedupe import title_key
from summitwatch.articles.parse import parse_record
from summitwatch.model import Article, Extraction, Quarantined, RawDoc
from summitwatch.run.summary import short_exc
from summitwatch.run.versions import Extractor
from summitwatch.store.codec import article_row, compress_raw

__all__ = [
    "ExtractOutcome",
    "Result",
    "Task",
    "extract_failed",
    "extract_one",
    "init_worker",
    "is_ready",
    "parse_failed",
    "work_one",
]

@dataclass
class _State:
    parse: Callable[[RawDoc], Article | Quarantined]
    extractor: Extractor | None


_STATE: _State | None = None


def init_worker(extractor: Extractor | None) -> None:
    """Set this process's worker state (children forked afterwards inherit it, knowledge loaded)."""
    global _STATE
    _STATE = _State(parse_record, extractor)


def is_ready() -> bool:
    """True once :func:`init_worker` ran in this process (Dask checks its workers with it)."""
    return _STATE is not None


def _state() -> _State:
    if _STATE is None:
        raise RuntimeError("worker state not initialised: call run.worker.init_worker first")
    return _STATE


@dataclass(frozen=True, slots=True)
class Task:
    """One record to parse: where it came from, its bytes, and what the store already holds."""

    input: str
    raw: RawDoc
    raw_hash: str
    prev_extraction: tuple[str, str] | None  # (article id, content hash) already extracted for this source
    run_id: int = 0  # the run writing it (the article row records it)


@dataclass(slots=True)
class Result:
    """A parsed record: an article (with its extraction) or a quarantine record."""

    task: Task
    raw_z: bytes
    article_id: str | None = None
    content_hash: str | None = None
    fmt: str | None = None
    row: tuple[Any, ...] | None = None  # the ``articles`` row (store/codec.py)
    quarantined: Quarantined | None = None
    extraction: Extraction | None = None
    extract_error: str | None = None


@dataclass(frozen=True, slots=True)
class ExtractOutcome:
    """A stored article's extraction, or why there is none."""

    article_id: str
    content_hash: str
    extraction: Extraction | None = None
    error: str | None = None
    timed_out: bool = False


def _extract(article: Article) -> tuple[Extraction | None, str | None]:
    ex = _state().extractor
    if ex is None or ex.fn is None:
        return None, None
    try:
        return ex.fn(article, ex.kn), None
    except Exception as exc:  # one failing article never stops a run
        return None, f"{article.source}: {short_exc(exc)}"


def work_one(task: Task) -> Result:
    """Parse one record (and extract its article unless its extraction is current)."""
    st = _state()
    res = Result(task=task, raw_z=compress_raw(task.raw.data))
    try:
        parsed = st.parse(task.raw)
    except Exception as exc:  # a parser bug on one record quarantines that record only
        parsed = Quarantined(task.raw.source, "parse-error", short_exc(exc))
    if isinstance(parsed, Quarantined):
        res.quarantined = parsed
        return res
    res.article_id, res.content_hash, res.fmt = parsed.id, parsed.content_hash, parsed.format
    res.row = article_row(parsed, task.run_id, title_key(parsed.title))
    if task.prev_extraction != (parsed.id, parsed.content_hash):
        res.extraction, res.extract_error = _extract(parsed)
    return res


def extract_one(article: Article) -> ExtractOutcome:
    """Extract one stored article."""
    ext, err = _extract(article)
    return ExtractOutcome(article.id, article.content_hash, ext, err)


def parse_failed(task: Task, reason: str, detail: str) -> Result:
    """The outcome of a record whose worker was stopped (``timeout``) or died (``worker-crash``);
    any other failure the supervisor reports is a parser bug (``parse-error``)."""
    if reason not in ("timeout", "worker-crash"):
        reason = "parse-error"
    return Result(task=task, raw_z=compress_raw(task.raw.data), quarantined=Quarantined(task.raw.source, reason, detail))


def extract_failed(article: Article, reason: str, detail: str) -> ExtractOutcome:
    """The outcome of an article whose extraction was stopped or killed its worker."""
    return ExtractOutcome(
        article.id, article.content_hash, None, f"{article.source}: {detail}", timed_out=reason == "timeout"
    )
