"""The ingest pipeline with its pure work (parse + extract) mapped on Dask distributed.

Why this shape: ``run/local.py`` already streams the inputs in the main process, sends chunks of
records to a ``concurrent.futures`` executor and commits results through ONE writer. Dask's
client offers the same executor interface, so a distributed run is the local run with another
executor: the walking, the skip checks and every write stay in this process, and the store is as
consistent as after a local run (no worker ever opens the database).

What must hold on the workers, checked before any record is sent:
- the code is the same: each worker computes ``parser_version()`` (a digest of the parsing code
  and its data files) and the extractor's knowledge hash and version; a mismatch fails the run
  with a clear message instead of silently mixing two parser versions in one store;
- the per-process state (parser, extractor, knowledge) is loaded once per worker by a
  ``WorkerPlugin`` (the equivalent of the process pool's initializer); workers joining later get
  it too.

Schedulers: ``tcp://HOST:8786`` (an existing cluster) or ``local`` / ``local:N`` (a
``LocalCluster`` of N single-threaded worker processes on loopback, started and stopped here).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def _worker_setup(pv: str, run_id: int, knowledge_hash: str, extractor_version: str, extract: bool) -> str:
    """Load the parser/extractor state into this worker process; returns '' or why it cannot run."""
    from summitwatch.run import local

    mine = local.parser_version()
    if mine != pv:
        return f"parser version on worker is {mine}, the client's is {pv}: install the same summitwatch"
    ex = None
    if extract:
        ex = local.load_extractor()
        if ex.fn is None:
            return f"worker cannot extract: {ex.note}"
        if (ex.knowledge_hash, ex.version) != (knowledge_hash, extractor_version):
            return (
                f"knowledge/extractor on worker ({ex.knowledge_hash[:12]}, {ex.version}) differ from the "
                f"client's ({knowledge_hash[:12]}, {extractor_version}): install the same data files"
            )
    local._init_worker(ex, pv, run_id)
    return ""


def _worker_check() -> str:
    """Run on each worker after the plugin: '' when its state is loaded, else the reason."""
    from summitwatch.run import local

    return str(local._W.get("dask_error", "" if "parse" in local._W else "worker not initialised"))


try:  # the plugin class needs distributed; the module stays importable without it
    from distributed import WorkerPlugin as _WorkerPluginBase
except ImportError:  # pragma: no cover - distributed is a dependency
    _WorkerPluginBase = object  # type: ignore[assignment,misc]


class InitPlugin(_WorkerPluginBase):  # type: ignore[misc,valid-type]
    """Per worker process, what ``ProcessPoolExecutor(initializer=_init_worker)`` does locally."""

    def __init__(
        self, pv: str, run_id: int, knowledge_hash: str, extractor_version: str, extract: bool
    ) -> None:
        self.args = (pv, run_id, knowledge_hash, extractor_version, extract)

    def setup(self, worker: Any) -> None:
        from summitwatch.run import local

        local._W.pop("dask_error", None)
        err = _worker_setup(*self.args)
        if err:
            local._W["dask_error"] = err


# --------------------------------------------------------------------------- client side


class _ClientPool(Executor):
    """A ``concurrent.futures.Executor`` over a Dask client, shaped like the local process pool.

    Why not ``Client.get_executor()`` as is: its ``shutdown`` lacks ``cancel_futures`` (the local
    runner passes it) and it cannot be reused after shutdown, while the runner makes one pool per
    phase. Tasks are impure (``pure=False``): two chunks with equal content are still two tasks.
    """

    def __init__(self, client: Any) -> None:
        self.client = client
        self.futures: set[Any] = set()
        self.closed = False

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        if self.closed:
            raise RuntimeError("cannot submit to a shut-down pool")
        fut = self.client.submit(fn, *args, pure=False, **kwargs)
        self.futures.add(fut)
        fut.add_done_callback(self.futures.discard)
        return fut  # a distributed.Future: .result() like a concurrent one

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.closed = True
        pending = [f for f in self.futures if not f.done()]
        if cancel_futures and pending:
            self.client.cancel(pending)
        elif wait and pending:
            from distributed import wait as dwait

            dwait(pending)
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

    def executor_factory(self) -> Callable[[Any, str, int], Executor]:
        """The ``executor_factory`` of ``run.local.ingest``: (extractor, pv, run_id) -> executor.

        Registers the init plugin on every worker (replacing the previous run's) and checks that
        each worker loaded the same parser and knowledge before returning the pool.
        """

        def make(extractor: Any, pv: str, run_id: int) -> Executor:
            extract = extractor is not None and getattr(extractor, "fn", None) is not None
            plugin = InitPlugin(
                pv, run_id,
                getattr(extractor, "knowledge_hash", "") if extract else "",
                getattr(extractor, "version", "") if extract else "",
                extract,
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
            return _ClientPool(self.client)

        return make

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close()
        if self.cluster is not None:
            with contextlib.suppress(Exception):
                self.cluster.close()


def _takes_n_workers(client: Any) -> bool:
    import inspect

    try:
        return "n_workers" in inspect.signature(client.scheduler_info).parameters
    except (TypeError, ValueError):
        return False


@contextlib.contextmanager
def dask_engine(
    spec: SchedulerSpec | str, workers: int = 2, *, timeout: float = 30.0
) -> Iterator[DaskEngine]:
    """Connect to ``spec`` (or start a loopback ``LocalCluster``) for the duration of the block."""
    from distributed import Client, LocalCluster

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
) -> Any:
    """``run.local.ingest`` with parse/extract on Dask; returns its ``RunSummary``.

    ``engine``: an already connected engine (tests and benchmarks reuse one cluster); otherwise one
    is opened for this run from ``scheduler`` and closed after it.
    """
    from summitwatch.run import local

    def run(e: DaskEngine) -> Any:
        return local.ingest(
            paths, db_path, workers=max(2, e.threads), progress=progress, fmt=fmt, extract=extract,
            executor_factory=e.executor_factory(),
        )  # fmt: skip

    if engine is not None:
        return run(engine)
    try:
        cm = dask_engine(scheduler, workers, timeout=connect_timeout)
        e = cm.__enter__()
    except Exception as exc:  # cannot reach the scheduler: the run failed, say why
        return local.RunSummary(inputs=[str(p) for p in paths], failed=f"Dask scheduler unavailable: {exc}")
    try:
        return run(e)
    finally:
        cm.__exit__(None, None, None)
