"""The ingest pipeline with its pure work (parse + extract) mapped on Dask distributed.

Why this shape: ``run/local.py`` already streams the inputs in the main process, sends chunks of
records to a pool (``run/pool.py``) and commits results through ONE writer. A distributed run is
the local run with another pool: the walking, the skip checks and every write stay in this
process, and the store is as consistent as after a local run (no worker ever opens the database).

The per-record budget holds on Dask too: each Dask worker process runs its chunks through its own
supervised children (``run/pool.py``, one per worker thread), so a record hanging in C code gets
its child killed and replaced, the record comes back quarantined as ``timeout``, and the task
completes; the Dask worker itself is never blocked.

What must hold on the workers, checked before any record is sent:
- the code is the same: each worker computes ``parser_version()`` (a digest of the parsing code
  and its data files) and the extractor's knowledge hash and version; a mismatch fails the run
  with a clear message instead of silently mixing two parser versions in one store;
- the per-process state (parser, extractor, knowledge) is loaded once per worker by a
  ``WorkerPlugin``, which also starts the worker's supervised children; workers joining later get
  it too.

Schedulers: ``tcp://HOST:8786`` (an existing cluster) or ``local`` / ``local:N`` (a
``LocalCluster`` of N single-threaded worker processes on loopback, started and stopped here).
"""

from __future__ import annotations

import contextlib
import inspect
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summitwatch.run import local, worker
from summitwatch.run.pool import DEFAULT_RECORD_TIMEOUT_S, FailFn, Pool, SupervisedPool, WorkFn
from summitwatch.run.summary import RunSummary
from summitwatch.run.versions import load_extractor, parser_version

try:  # the one guarded import of the optional dependency; the module stays importable without it
    from distributed import Client, LocalCluster
    from distributed import WorkerPlugin as _WorkerPluginBase
except ImportError:  # pragma: no cover - distributed is a dependency
    Client = LocalCluster = None
    _WorkerPluginBase = object  # type: ignore[assignment,misc]

__all__ = ["DaskEngine", "SchedulerSpec", "parse_scheduler", "dask_engine", "ingest_dask"]

PLUGIN_NAME = "summitwatch-init"
WAIT_FOR_WORKERS_S = 120.0


@dataclass(frozen=True)
class SchedulerSpec:
    """Where to run: an address of an existing scheduler, or a local cluster of ``workers`` processes."""

    address: str | None
    workers: int = 2

    @property
    def local(self) -> bool:
        return self.address is None


def parse_scheduler(scheduler: str, workers: int = 2) -> SchedulerSpec:
    """``tcp://host:8786`` (also ``tls://``, ``ws://``, ``inproc://``), ``local`` or ``local:N``."""
    s = scheduler.strip()
    if s == "local" or s.startswith("local:"):
        n = workers
        if ":" in s:
            try:
                n = int(s.split(":", 1)[1])
            except ValueError as exc:
                raise ValueError(f"bad scheduler {scheduler!r}: expected local:N") from exc
        if n < 1:
            raise ValueError(f"bad scheduler {scheduler!r}: a local cluster needs at least 1 worker")
        return SchedulerSpec(None, n)
    if "://" not in s:
        s = f"tcp://{s}"
    return SchedulerSpec(s, workers)


# --------------------------------------------------------------------------- worker side

_POOL: SupervisedPool | None = None  # this Dask worker process's supervised children
_ERROR = ""  # why this worker cannot run the ingest ('' when it can)


def _worker_setup(
    pv: str, knowledge_hash: str, extractor_version: str, extract: bool, budget: float, nthreads: int
) -> str:
    """Load the parser/extractor state into this worker process and start its supervised pool;
    returns '' or why it cannot run."""
    global _POOL
    mine = parser_version()
    if mine != pv:
        return f"parser version on worker is {mine}, the client's is {pv}: install the same summitwatch"
    ex = None
    if extract:
        ex = load_extractor()
        if ex.fn is None:
            return f"worker cannot extract: {ex.note}"
        if (ex.knowledge_hash, ex.version) != (knowledge_hash, extractor_version):
            return (
                f"knowledge/extractor on worker ({ex.knowledge_hash[:12]}, {ex.version}) differ from the "
                f"client's ({knowledge_hash[:12]}, {extractor_version}): install the same data files"
            )
    worker.init_worker(ex)
    if _POOL is not None:
        _POOL.close()
    # one child per worker thread: the children fork from this process with the state loaded
    _POOL = SupervisedPool(max(1, nthreads), budget=budget, name="summitwatch-dask-child")
    return ""


def _worker_check() -> str:
    """Run on each worker after the plugin: '' when its state is loaded, else the reason."""
    return _ERROR or ("" if worker.is_ready() and _POOL is not None else "worker not initialised")


def _run_chunk(fn: WorkFn, on_fail: FailFn, items: Sequence[Any]) -> list[Any]:
    """The Dask task: one chunk through this worker's supervised children, under the record budget.

    A record over budget has its child killed and replaced and comes back as ``on_fail``'s
    outcome (a ``timeout`` quarantine); the task itself always completes.
    """
    if _POOL is None:
        raise RuntimeError(_ERROR or "summitwatch worker plugin not set up on this Dask worker")
    return _POOL.run(fn, on_fail, items)


class InitPlugin(_WorkerPluginBase):  # type: ignore[misc,valid-type]
    """Per worker process: load the state and start the supervised children for this run."""

    def __init__(
        self, pv: str, knowledge_hash: str, extractor_version: str, extract: bool, budget: float
    ) -> None:
        self.args = (pv, knowledge_hash, extractor_version, extract, budget)

    def setup(self, worker: Any) -> None:
        global _ERROR
        _ERROR = _worker_setup(*self.args, int(getattr(worker, "nthreads", 1) or 1))

    def teardown(self, worker: Any) -> None:
        global _POOL
        if _POOL is not None:
            _POOL.close()
            _POOL = None


# --------------------------------------------------------------------------- client side


class _DaskPool:
    """The runner's ``Pool`` over a Dask client: ordered map of chunks with bounded tasks in flight.

    Tasks are impure (``pure=False``): two chunks with equal content are still two tasks.
    """

    def __init__(self, client: Any) -> None:
        self.client = client
        self.futures: set[Any] = set()

    def map(
        self, fn: WorkFn, on_fail: FailFn, chunks: Iterable[Sequence[Any]], inflight: int
    ) -> Iterator[list[Any]]:
        pending: deque[Any] = deque()
        try:
            for chunk in chunks:
                fut = self.client.submit(_run_chunk, fn, on_fail, chunk, pure=False)
                self.futures.add(fut)
                pending.append(fut)
                while len(pending) >= max(1, inflight):
                    yield self._result(pending.popleft())
            while pending:
                yield self._result(pending.popleft())
        finally:
            if pending:
                self.client.cancel(list(pending))

    def _result(self, fut: Any) -> list[Any]:
        try:
            return list(fut.result())
        finally:
            self.futures.discard(fut)

    def close(self) -> None:
        pending = [f for f in self.futures if not f.done()]
        if pending:
            self.client.cancel(pending)
        self.futures.clear()


class DaskEngine:
    """A connected Dask client (and the local cluster it owns, if any) for one or more runs."""

    def __init__(self, client: Any, cluster: Any | None = None) -> None:
        self.client = client
        self.cluster = cluster

    @property
    def threads(self) -> int:
        """Worker threads in the cluster: how many chunks can run at once."""
        info = (
            self.client.scheduler_info(n_workers=-1)
            if _takes_n_workers(self.client)
            else self.client.scheduler_info()
        )
        return max(1, sum(int(w.get("nthreads", 1)) for w in info.get("workers", {}).values()))

    def pool_factory(self) -> Callable[[Any, str, float], Pool]:
        """The ``pool_factory`` of ``run.local.ingest``: (extractor, pv, budget) -> pool.

        Registers the init plugin on every worker (replacing the previous run's) and checks that
        each worker loaded the same parser and knowledge before returning the pool.
        """

        def make(extractor: Any, pv: str, budget: float) -> Pool:
            extract = extractor is not None and getattr(extractor, "fn", None) is not None
            plugin = InitPlugin(
                pv,
                getattr(extractor, "knowledge_hash", "") if extract else "",
                getattr(extractor, "version", "") if extract else "",
                extract,
                budget,
            )  # fmt: skip
            try:  # a cluster just started (jobqueue, Kubernetes) may still be bringing workers up
                self.client.wait_for_workers(1, timeout=WAIT_FOR_WORKERS_S)
            except Exception as exc:  # TimeoutError, or a client that lost its scheduler
                raise RuntimeError(f"the Dask cluster has no workers after {WAIT_FOR_WORKERS_S:g} s") from exc
            self.client.register_plugin(plugin, name=PLUGIN_NAME)
            errors = {addr: e for addr, e in self.client.run(_worker_check).items() if e}
            if errors:
                addr, err = next(iter(errors.items()))
                raise RuntimeError(f"Dask worker {addr} cannot run this ingest: {err}")
            return _DaskPool(self.client)

        return make

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close()
        if self.cluster is not None:
            with contextlib.suppress(Exception):
                self.cluster.close()


def _takes_n_workers(client: Any) -> bool:
    try:
        return "n_workers" in inspect.signature(client.scheduler_info).parameters
    except (TypeError, ValueError):
        return False


@contextlib.contextmanager
def dask_engine(
    spec: SchedulerSpec | str, workers: int = 2, *, timeout: float = 30.0
) -> Iterator[DaskEngine]:
    """Connect to ``spec`` (or start a loopback ``LocalCluster``) for the duration of the block."""
    if Client is None or LocalCluster is None:
        raise RuntimeError("Dask runs need the 'distributed' package: pip install distributed")
    if isinstance(spec, str):
        spec = parse_scheduler(spec, workers)
    cluster = None
    if spec.local:
        cluster = LocalCluster(
            n_workers=spec.workers,
            threads_per_worker=1,  # parsing holds the GIL: one chunk per process at a time
            processes=True,
            protocol="tcp",
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        client = Client(cluster, timeout=timeout)
    else:
        client = Client(spec.address, timeout=timeout)
    engine = DaskEngine(client, cluster)
    try:
        yield engine
    finally:
        engine.close()


def ingest_dask(
    paths: Sequence[str | Path],
    db_path: str | Path,
    *,
    scheduler: str | SchedulerSpec = "local",
    workers: int = 2,
    progress: bool = True,
    fmt: str | None = None,
    extract: bool = True,
    engine: DaskEngine | None = None,
    connect_timeout: float = 30.0,
    record_timeout: float = DEFAULT_RECORD_TIMEOUT_S,
) -> RunSummary:
    """``run.local.ingest`` with parse/extract on Dask; returns its ``RunSummary``.

    ``engine``: an already connected engine (tests and benchmarks reuse one cluster); otherwise one
    is opened for this run from ``scheduler`` and closed after it.
    """

    def run(e: DaskEngine) -> RunSummary:
        return local.ingest(
            paths, db_path, workers=max(2, e.threads), progress=progress, fmt=fmt, extract=extract,
            record_timeout=record_timeout, pool_factory=e.pool_factory(),
        )  # fmt: skip

    if engine is not None:
        return run(engine)
    try:
        cm = dask_engine(scheduler, workers, timeout=connect_timeout)
        e = cm.__enter__()
    except Exception as exc:  # cannot reach the scheduler: the run failed, say why
        return RunSummary(inputs=[str(p) for p in paths], failed=f"Dask scheduler unavailable: {exc}")
    try:
        return run(e)
    finally:
        cm.__exit__(None, None, None)
