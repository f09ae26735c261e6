"""A per-record time limit for parsing: a watchdog thread that interrupts a record running too long.

Why a thread and not ``signal.alarm``: records are parsed in pool processes (main thread) but also
in Dask worker threads, where signals cannot be used. One daemon thread per process watches the
deadlines of the threads inside :func:`time_limit` and raises :class:`RecordTimeout` in a late one
(``PyThreadState_SetAsyncExc``). The exception derives from ``BaseException`` so that a parser's
own ``except Exception`` cannot swallow it.

Limit: the exception is delivered when the thread next runs Python bytecode; a single C call that
never returns (a pathological regular expression inside ``re``, a C parser looping) is not
interrupted. The limit catches slow Python-level loops, which is where parsers spend their time.
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["RecordTimeout", "time_limit"]


class RecordTimeout(BaseException):  # noqa: N818 - named for what happened, not "Error"
    """A record exceeded its time limit (raised inside the thread that was parsing it)."""


_lock = threading.Lock()
_wake = threading.Condition(_lock)
_deadlines: dict[int, tuple[float, list[bool]]] = {}  # thread id -> (deadline, [fired])
_thread: threading.Thread | None = None


def _after_fork_in_child() -> None:
    """A fork may copy the lock held by the watchdog thread, which does not survive: start afresh."""
    global _lock, _wake, _deadlines, _thread
    _lock = threading.Lock()
    _wake = threading.Condition(_lock)
    _deadlines = {}
    _thread = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _set_async_exc(tid: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid), ctypes.py_object(exc) if exc else None)


def _watch() -> None:
    with _lock:
        while True:
            now = time.monotonic()
            soonest = None
            for tid, (deadline, fired) in _deadlines.items():
                if fired[0]:
                    continue
                if deadline <= now:
                    fired[0] = True
                    _set_async_exc(tid, RecordTimeout)
                elif soonest is None or deadline < soonest:
                    soonest = deadline
            _wake.wait(None if soonest is None else max(soonest - now, 0.001))


def _ensure_thread() -> None:
    global _thread
    if _thread is None or not _thread.is_alive():  # also after a fork: threads do not survive it
        _thread = threading.Thread(target=_watch, name="summitwatch-watchdog", daemon=True)
        _thread.start()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`RecordTimeout` in this thread if the block runs longer than ``seconds``.

    ``None`` or a non-positive value: no limit. The exception is raised either inside the block or,
    in a narrow race, as the block exits; callers catch it around the ``with``.
    """
    if not seconds or seconds <= 0:
        yield
        return
    tid = threading.get_ident()
    fired = [False]
    with _lock:
        _ensure_thread()
        _deadlines[tid] = (time.monotonic() + seconds, fired)
        _wake.notify()
    try:
        yield
    finally:
        with _lock:
            _deadlines.pop(tid, None)
            if fired[0]:
                _set_async_exc(tid, None)  # drop an exception not yet delivered
