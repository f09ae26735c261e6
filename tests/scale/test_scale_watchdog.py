"""The per-record time limit (run/watchdog.py): interrupts a Python loop in the main thread and in
other threads (Dask runs tasks in worker threads), and leaves no stray exception behind."""

from __future__ import annotations

import threading

import pytest

from summitwatch.run.watchdog import RecordTimeout, time_limit


def _spin() -> None:
    while True:
        pass


def test_interrupts_a_loop_in_the_main_thread() -> None:
    with pytest.raises(RecordTimeout), time_limit(0.2):
        _spin()


def test_interrupts_loops_in_other_threads_independently() -> None:
    outcome: dict[str, str] = {}

    def slow() -> None:
        try:
            with time_limit(0.2):
                _spin()
        except RecordTimeout:
            outcome["slow"] = "timeout"

    def fast() -> None:
        with time_limit(30):
            outcome["fast"] = str(sum(range(1000)))

    threads = [threading.Thread(target=slow), threading.Thread(target=fast)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcome == {"slow": "timeout", "fast": "499500"}


def test_not_swallowed_by_except_exception_and_nothing_left_pending() -> None:
    swallowed = False
    with pytest.raises(RecordTimeout), time_limit(0.2):
        try:
            _spin()
        except Exception:  # a parser's generic handler must not catch the time limit
            swallowed = True
    assert not swallowed
    for _ in range(2000):  # many fast blocks: no late exception fires after a block has ended
        with time_limit(5):
            pass
    total = sum(range(100_000))
    assert total == 4999950000


def test_no_limit_means_no_watchdog() -> None:
    import summitwatch.run.watchdog as wd

    before = dict(wd._deadlines)
    with time_limit(None), time_limit(0):
        assert wd._deadlines == before  # nothing registered: nothing can interrupt the block
