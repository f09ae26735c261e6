"""No orphans: an ``ingest`` killed mid-run (the parent process only, not its group) leaves no
worker process behind, even one stuck in C code on a hanging record.

The run is a real subprocess. A test-only hang (``time.sleep`` in the patched parser, one C call)
holds one worker on ``hang.md``; it first writes its pid to a file, so the test knows the workers
are up and busy. The test then signals the parent alone (SIGKILL, SIGTERM or SIGINT) and checks
that every worker it had is gone. The wait for that is a generous hang guard, not a timing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))
GUARD_S = 60.0

RUN = """
import os, sys, time
import summitwatch.run.worker as worker
from summitwatch.run.local import ingest
real = worker.parse_record
marker = sys.argv[1]
def parse(raw):
    if raw.source.endswith("hang.md"):
        with open(marker, "w") as fh:
            fh.write(str(os.getpid()))
        time.sleep(3600)
    return real(raw)
worker.parse_record = parse
ingest([sys.argv[2]], sys.argv[3], workers=2, progress=False, extract=False, record_timeout=3600)
"""


def _children(pid: int) -> set[int]:
    """Direct children of ``pid`` (from /proc: every thread's children list)."""
    kids: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            kids.update(int(x) for x in (task / "children").read_text().split())
        except OSError:
            continue
    return kids


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting to be reaped counts as dead)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _wait_until(cond, what: str) -> None:  # noqa: ANN001
    end = time.monotonic() + GUARD_S
    while not cond():
        if time.monotonic() > end:
            pytest.fail(f"hang guard: {what} after {GUARD_S:g} s")
        time.sleep(0.05)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_killed_ingest_leaves_no_worker_behind(tmp_path: Path, sig: signal.Signals) -> None:
    d = tmp_path / "in"
    d.mkdir()
    for s in SEEDS:
        (d / s.name).write_bytes(s.read_bytes())
    (d / "hang.md").write_bytes(SEEDS[0].read_bytes())
    marker = tmp_path / "hanging.pid"
    proc = subprocess.Popen(
        [sys.executable, "-c", RUN, str(marker), str(d), str(tmp_path / "o.db")],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stderr=subprocess.DEVNULL,
        start_new_session=True,  # a group of its own: a stray worker could not hide in ours
    )  # fmt: skip
    try:
        _wait_until(
            lambda: marker.exists() and marker.read_text().strip(), "the hanging record never started"
        )
        hung = int(marker.read_text())
        workers = _children(proc.pid)
        assert hung in workers, (hung, workers)  # a worker, not the parent, is stuck in C code
        os.kill(proc.pid, sig)  # the parent only, never its group
        proc.wait(timeout=GUARD_S)
        _wait_until(lambda: not any(_alive(p) for p in workers), "a worker outlived its parent")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        try:  # whatever the outcome, leave nothing running
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
