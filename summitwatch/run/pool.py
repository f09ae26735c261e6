"""Supervised worker processes with a hard per-record budget, for local and Dask runs alike.

Why not ``concurrent.futures.ProcessPoolExecutor``: a record that hangs inside C code (a regular
expression gone super-linear, a C parser looping) cannot be interrupted from within its process,
and a process pool can neither kill one worker nor tell which record it was on. Here every
worker is a child process forked by a supervisor thread of the parent:

- the child runs a chunk of records and, per record, writes the record's index and start time
  into a small shared-memory slot (two doubles: no message, no system call per record); it sends
  results back in batches (at the end of the chunk, or after ``FLUSH_EVERY_S`` of work);
- the supervisor waits for those batches and reads the slot; a record running past its budget
  gets its child killed (SIGKILL) and replaced, the record's outcome is built by the caller's
  ``on_fail(item, "timeout", detail)``, and the rest of the chunk goes to the new child;
- a child that dies on its own (a crash, the OOM killer) is handled the same way, with reason
  ``worker-crash``;
- children die with their parent: ``PR_SET_PDEATHSIG`` (Linux) delivers SIGKILL to a child when
  the thread that forked it ends, which includes the parent being killed by any signal; children
  ignore SIGINT (a Ctrl-C reaches the whole process group; the parent stops them itself).

Chunks are fed in order and results come back in order (``map``), with a bounded number of chunks
in flight, so memory stays flat however large the input.

Fork, not spawn: children inherit the loaded parser and knowledge (and, in tests, monkeypatches)
and start in milliseconds, so a replaced worker costs nothing noticeable.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import mmap
import os
import queue
import signal
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, Protocol

from summitwatch.run.summary import short_exc

__all__ = ["DEFAULT_RECORD_TIMEOUT_S", "Pool", "SupervisedPool", "WorkFn", "FailFn"]

DEFAULT_RECORD_TIMEOUT_S = 20.0
FLUSH_EVERY_S = 2.0  # a child sends the results it holds at least this often (less lost on a kill)
_PR_SET_PDEATHSIG = 1

WorkFn = Callable[[Any], Any]  # one item -> its result (runs in the child)
FailFn = Callable[[Any, str, str], Any]  # (item, reason, detail) -> its result (runs in the parent)


class Pool(Protocol):
    """What the runner needs from a pool: an ordered, bounded map over chunks, and a close."""

    def map(
        self, fn: WorkFn, on_fail: FailFn, chunks: Iterable[Sequence[Any]], inflight: int
    ) -> Iterator[list[Any]]:
        """Results of ``fn`` per chunk, chunk by chunk in order."""
        ...

    def close(self) -> None:
        """Stop every worker."""
        ...


@dataclass(frozen=True, slots=True)
class _Failed:
    """An exception raised by ``fn`` in the child (fn should catch its own; this is the backstop)."""

    detail: str


def _set_pdeathsig() -> None:
    """Ask the kernel to SIGKILL this process when its parent thread ends (Linux only)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _child_main(conn: Connection, slot: Any, parent_pid: int) -> None:
    """The worker loop: receive (fn, items), run each item, send results in batches."""
    with contextlib.suppress(Exception):
        _set_pdeathsig()
    if os.getppid() != parent_pid:  # the parent died before the death signal was armed
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # fresh standard streams: a lock held at fork time by another thread of the parent (a progress
    # bar refreshing) must not block a warning printed here
    with contextlib.suppress(OSError, ValueError):
        sys.stdout = open(os.dup(1), "w", encoding="utf-8", errors="replace", closefd=True)  # noqa: SIM115
        sys.stderr = open(os.dup(2), "w", encoding="utf-8", errors="replace", closefd=True)  # noqa: SIM115
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        fn, items = msg
        buf: list[Any] = []
        first = 0
        last_flush = time.monotonic()
        n = len(items)
        for k, item in enumerate(items):
            slot[1] = float(k)
            slot[0] = time.monotonic()
            try:
                out = fn(item)
            except Exception as exc:  # the backstop: fn handles its own errors per record
                out = _Failed(short_exc(exc))
            slot[0] = 0.0
            buf.append(out)
            if k + 1 < n and time.monotonic() - last_flush >= FLUSH_EVERY_S:
                conn.send((first, buf))
                first, buf, last_flush = k + 1, [], time.monotonic()
        conn.send((first, buf))


@dataclass
class _Child:
    pid: int
    conn: Connection
    mm: mmap.mmap
    slot: Any  # (ctypes.c_double * 2) over mm: [start time of the current record or 0, its index]
    reap_lock: threading.Lock = field(default_factory=threading.Lock)
    reaped: bool = False

    def current(self) -> tuple[float, int] | None:
        """(start, index) of the record the child is running, or None between records."""
        idx = self.slot[1]
        start = self.slot[0]
        if not start or self.slot[1] != idx:  # a record boundary passed while reading
            return None
        return start, int(idx)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.reap()

    def reap(self) -> None:
        # close() (the caller's thread) and the child's supervisor thread may both reap one child:
        # only the first closes the pipe, so the fd is never closed twice (a reused fd number would
        # otherwise be closed under someone else)
        with self.reap_lock:
            if self.reaped:
                return
            self.reaped = True
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        with contextlib.suppress(OSError):
            self.conn.close()


@dataclass
class _Job:
    fn: WorkFn
    on_fail: FailFn
    items: Sequence[Any]
    future: Future[list[Any]] = field(default_factory=Future)


class _Crashed(Exception):
    pass


class SupervisedPool:
    """``size`` worker processes, each watched by its own supervisor thread (see the module doc).

    ``budget``: seconds one item may run before its worker is killed (None or <= 0: no limit).
    The pool is usable from one thread at a time for ``map``; ``run`` may be called from several
    threads (Dask worker threads share one pool).
    """

    def __init__(self, size: int, *, budget: float | None, name: str = "summitwatch-worker") -> None:
        self.size = max(1, size)
        self.budget = budget if budget and budget > 0 else None
        self.tick = min(1.0, self.budget / 10) if self.budget else 1.0
        self.jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self.children: dict[int, _Child] = {}  # supervisor index -> its live child
        self.lock = threading.Lock()
        self.closed = False
        self.parent_pid = os.getpid()
        self.kills = 0
        self.threads = [
            threading.Thread(target=self._supervise, args=(i,), name=f"{name}-{i}", daemon=True)
            for i in range(self.size)
        ]
        for t in self.threads:
            t.start()

    # ------------------------------------------------------------------ parent side, callers

    def submit(self, fn: WorkFn, on_fail: FailFn, items: Sequence[Any]) -> Future[list[Any]]:
        if self.closed:
            raise RuntimeError("cannot submit to a closed pool")
        job = _Job(fn, on_fail, items)
        self.jobs.put(job)
        return job.future

    def run(self, fn: WorkFn, on_fail: FailFn, items: Sequence[Any]) -> list[Any]:
        """The results of one chunk (blocking)."""
        return self.submit(fn, on_fail, items).result()

    def map(
        self, fn: WorkFn, on_fail: FailFn, chunks: Iterable[Sequence[Any]], inflight: int
    ) -> Iterator[list[Any]]:
        """Ordered map with at most ``inflight`` chunks submitted: bounded memory."""
        pending: deque[Future[list[Any]]] = deque()
        try:
            for chunk in chunks:
                pending.append(self.submit(fn, on_fail, chunk))
                while len(pending) >= max(1, inflight):
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for f in pending:
                f.cancel()

    def close(self) -> None:
        """Stop the supervisors and kill their children (idempotent)."""
        if self.closed:
            return
        self.closed = True
        for _ in self.threads:
            self.jobs.put(None)
        with self.lock:
            children = list(self.children.values())
            self.children.clear()
        for c in children:  # a child busy on a record would make its supervisor wait: stop it now
            c.kill()
        for t in self.threads:
            if t is not threading.current_thread():
                t.join(timeout=5)

    def __enter__(self) -> SupervisedPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ supervisor threads

    def _spawn(self) -> _Child:
        parent_sock, child_sock = socket.socketpair()
        mm = mmap.mmap(-1, 16)
        slot = (ctypes.c_double * 2).from_buffer(mm)
        with self.lock:
            others = [c.conn.fileno() for c in self.children.values()]
        pid = os.fork()
        if pid == 0:  # the child: never returns into the parent's code
            code = 0
            try:
                parent_sock.close()
                for fd in others:  # siblings' pipe ends: a sibling's EOF must not depend on us
                    with contextlib.suppress(OSError):
                        os.close(fd)
                _child_main(Connection(child_sock.detach()), slot, self.parent_pid)
            except BaseException:  # noqa: BLE001 - nothing may unwind into the parent's stack
                code = 1
            finally:
                os._exit(code)
        child_sock.close()
        return _Child(pid, Connection(parent_sock.detach()), mm, slot)

    def _supervise(self, i: int) -> None:
        try:
            while True:
                job = self.jobs.get()
                if job is None or self.closed:
                    if job is not None:
                        job.future.cancel()
                    return
                if not job.future.set_running_or_notify_cancel():
                    continue
                try:
                    job.future.set_result(self._run_job(i, job))
                except BaseException as exc:  # noqa: BLE001 - handed to the caller waiting on it
                    job.future.set_exception(exc)
        finally:
            with self.lock:
                c = self.children.pop(i, None)
            if c is not None:
                c.kill()

    def _child(self, i: int) -> _Child:
        with self.lock:
            c = self.children.get(i)
        if c is None:
            c = self._spawn()
            with self.lock:
                if self.closed:
                    c.kill()
                    raise RuntimeError("pool closed")
                self.children[i] = c
        return c

    def _drop(self, i: int, c: _Child, kill: bool) -> None:
        with self.lock:
            if self.children.get(i) is c:
                del self.children[i]
        if kill:
            self.kills += 1
            c.kill()
        else:
            c.reap()

    def _run_job(self, i: int, job: _Job) -> list[Any]:
        items = job.items
        results: list[Any] = [None] * len(items)
        todo = list(range(len(items)))
        lost_sends = 0
        while todo:
            if self.closed:
                raise RuntimeError("pool closed")
            c = self._child(i)
            try:
                c.conn.send((job.fn, [items[j] for j in todo]))
            except OSError as exc:  # the child is gone: start another and send again
                self._drop(i, c, kill=True)
                lost_sends += 1
                if lost_sends >= 3:  # children die before reading anything: nothing will work
                    raise RuntimeError(f"worker processes exit on start ({exc})") from exc
                continue
            received = 0
            stop: tuple[str, int] | None = None  # (reason, position in todo) of a record that failed
            while received < len(todo):
                try:
                    ready = c.conn.poll(self.tick)
                    if ready:
                        first, part = c.conn.recv()
                        for k, r in enumerate(part):
                            results[todo[first + k]] = r
                        received = first + len(part)
                        continue
                except (EOFError, OSError):
                    cur = c.current()
                    stop = ("worker-crash", cur[1] if cur else received)
                    self._drop(i, c, kill=False)
                    break
                cur = c.current()
                if self.budget and cur and time.monotonic() - cur[0] > self.budget:
                    stop = ("timeout", cur[1])
                    self._drop(i, c, kill=True)
                    break
                if self.closed:
                    raise RuntimeError("pool closed")
            if stop is None:
                todo = []
                continue
            reason, pos = stop
            pos = min(max(pos, received), len(todo) - 1)
            j = todo[pos]
            detail = (
                f"ran past its {self.budget:g} s budget; its worker process was stopped"
                if reason == "timeout"
                else "its worker process died while working on it"
            )
            results[j] = job.on_fail(items[j], reason, detail)
            todo = todo[received:pos] + todo[pos + 1 :]
        for j, r in enumerate(results):
            if isinstance(r, _Failed):
                results[j] = job.on_fail(items[j], "worker-error", r.detail)
        return results
