"""Crash safety and serving while ingesting, with the real CLI in a subprocess.

- ``summitwatch ingest`` is killed with SIGKILL (the whole process group: the writer and its pool)
  at points the run itself signals (``run/checkpoint.py``: the test sets
  ``SUMMITWATCH_PAUSE_AT``, the run pauses there with its transaction open and says so in the
  checkpoint log, and the test kills it), chosen at random with a fixed seed among the points an
  uninterrupted run passes: after N records, after the records, in the near-duplicate pass, in the
  timeline rebuild, before and after the search index. Several kills on the same store; after each
  the file passes ``PRAGMA integrity_check`` and holds no half-written record; a final run
  completes, and the store equals that of an uninterrupted run (``canonical_dump``: content
  tables, run ids and timestamps left out). No wall-clock time decides anything.
- While the uninterrupted run writes, a reader polls in read transactions: it is never refused
  (``busy_timeout`` 0: WAL readers do not wait for the writer) and never sees an article without
  its source row, or an extraction whose mentions/engagements/quotes are not all there.

Inputs: the first 300 members of the dev tarball (a tmp tar) and the five bundled seeds.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from scale_helpers import skip_if_code_changed

from summitwatch.store.dump import canonical_dump

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

INCOMPLETE = """
SELECT
  (SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.article_id = a.id)),
  (SELECT count(*) FROM sources s LEFT JOIN articles a ON a.id = s.article_id WHERE a.id IS NULL),
  (SELECT count(*) FROM extractions e LEFT JOIN articles a ON a.id = e.article_id WHERE a.id IS NULL),
  (SELECT count(*) FROM mentions m LEFT JOIN extractions e ON e.article_id = m.article_id WHERE e.article_id IS NULL),
  (SELECT count(*) FROM engagements g LEFT JOIN extractions e ON e.article_id = g.article_id
     WHERE e.article_id IS NULL)
"""
PER_ARTICLE = """
SELECT e.article_id,
  (SELECT count(*) FROM mentions m WHERE m.article_id = e.article_id),
  (SELECT count(*) FROM engagements g WHERE g.article_id = e.article_id),
  (SELECT count(*) FROM quotes q WHERE q.article_id = e.article_id)
FROM extractions e
"""


def _cmd(inputs: list[str], db: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "summitwatch",
        "ingest",
        *inputs,
        "--db",
        str(db),
        "--workers",
        "2",
        "--no-progress",
    ]


def _start(inputs: list[str], db: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        _cmd(inputs, db), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        env={**os.environ, **(env or {})},
    )  # fmt: skip


@dataclass
class Baseline:
    db: Path
    dump: str
    elapsed: float
    points: list[str] = field(default_factory=list)  # checkpoints the uninterrupted run passed
    polls: int = 0
    refused: list[str] = field(default_factory=list)
    incomplete: list[tuple[int, ...]] = field(default_factory=list)
    seen: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # extraction counts as first seen


@pytest.fixture(scope="module")
def baseline(
    corpus300: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[str], Baseline]:
    """The uninterrupted run (CLI subprocess), with a reader polling the store while it writes."""
    tar, seeds = corpus300
    inputs = [str(tar), str(seeds)]
    db = tmp_path_factory.mktemp("base") / "base.db"
    log = db.with_suffix(".points")
    t0 = time.monotonic()
    proc = _start(inputs, db, {"SUMMITWATCH_CHECKPOINT_LOG": str(log)})
    b = Baseline(db, "", 0.0)
    reader: sqlite3.Connection | None = None
    while proc.poll() is None:
        if reader is None:
            if db.exists():
                try:
                    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0, isolation_level=None)
                    if c.execute("SELECT count(*) FROM sqlite_master WHERE name='mentions'").fetchone()[0]:
                        reader = c
                    else:
                        c.close()
                except sqlite3.OperationalError:
                    pass  # the writer is still creating the file and its schema
            time.sleep(0.02)
            continue
        try:
            reader.execute("BEGIN")  # one snapshot for every query of this poll
            b.incomplete.append(tuple(reader.execute(INCOMPLETE).fetchone()))
            for aid, *counts in reader.execute(PER_ARTICLE):
                b.seen.setdefault(aid, tuple(counts))  # type: ignore[arg-type]
            reader.execute("COMMIT")
            b.polls += 1
        except sqlite3.OperationalError as exc:
            b.refused.append(str(exc))
            reader.execute("ROLLBACK") if reader.in_transaction else None
        time.sleep(0.05)
    if reader is not None:
        reader.close()
    b.elapsed = time.monotonic() - t0
    err = proc.stderr.read().decode() if proc.stderr else ""
    assert proc.returncode in (0, 3), err
    b.dump = canonical_dump(db)
    b.points = log.read_text(encoding="utf-8").split()
    return inputs, b


def test_reader_never_blocked_nor_shown_half_written_records(baseline: tuple[list[str], Baseline]) -> None:
    _, b = baseline
    assert b.polls >= 5, "the reader should have polled several times during the run"
    assert b.refused == []
    assert all(row == (0, 0, 0, 0, 0) for row in b.incomplete), [r for r in b.incomplete if any(r)][:5]
    with sqlite3.connect(b.db) as conn:
        final = {aid: tuple(counts) for aid, *counts in conn.execute(PER_ARTICLE)}
    assert b.seen, "the reader should have seen extractions while the run wrote them"
    # an extraction, when first visible, already had every mention, engagement and quote
    wrong = {aid: (c, final.get(aid)) for aid, c in b.seen.items() if final.get(aid) != c}
    assert not wrong, list(wrong.items())[:5]


def _check_consistent(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "mentions" in tables:
            assert tuple(conn.execute(INCOMPLETE).fetchone()) == (0, 0, 0, 0, 0)


def _kill_at(inputs: list[str], db: Path, point: str, tmp: Path) -> bool:
    """Run until the run pauses at ``point``, then SIGKILL its process group; False if it finished
    without reaching the point."""
    log = tmp / f"points-{point.replace(':', '-')}.log"
    log.unlink(missing_ok=True)
    proc = _start(inputs, db, {"SUMMITWATCH_CHECKPOINT_LOG": str(log), "SUMMITWATCH_PAUSE_AT": point})
    try:
        while proc.poll() is None:
            if log.exists() and point in log.read_text(encoding="utf-8").split():
                os.killpg(proc.pid, signal.SIGKILL)  # the writer and its workers, no clean-up
                proc.wait()
                return True
            time.sleep(0.05)
        err = proc.stderr.read().decode() if proc.stderr else ""
        assert proc.returncode in (0, 3), err
        return False
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# the steps' points in run order. Records are counted whether parsed or skipped, so every run passes
# ``records:N``; the timeline is rebuilt only when something changed or an earlier run stopped
# before rebuilding it: taken in this order, each planned point is reached by the run after a kill
# at an earlier one.
STEPS = ("records-done", "dedupe", "timeline", "index", "index-done")


def test_sigkill_at_random_points_then_resume_equals_uninterrupted(
    baseline: tuple[list[str], Baseline], tmp_path: Path
) -> None:
    inputs, b = baseline
    assert set(STEPS) <= set(b.points), b.points[-10:]
    n_records = sum(p.startswith("records:") for p in b.points)
    assert n_records == 305
    db = tmp_path / "killed.db"
    rng = random.Random(20261122)
    # two kills among the records (mid-transaction or right after a commit), then three at steps
    plan = [f"records:{rng.randint(1, n_records)}" for _ in range(2)]
    plan += sorted(rng.sample(STEPS, 3), key=STEPS.index)
    killed = []
    for point in plan:
        if _kill_at(inputs, db, point, tmp_path):
            killed.append(point)
        _check_consistent(db)
    assert killed == plan, "each planned point is reached, so each run was killed there"
    done = subprocess.run(_cmd(inputs, db), cwd=ROOT, capture_output=True, timeout=600)
    assert done.returncode in (0, 3), done.stderr.decode()
    _check_consistent(db)
    skip_if_code_changed(b.db, db)
    got = canonical_dump(db)
    if got != b.dump:
        import difflib

        diff = list(
            difflib.unified_diff(
                b.dump.splitlines(), got.splitlines(), "uninterrupted", "killed", lineterm=""
            )
        )
        pytest.fail(f"{len(diff)} diff lines:\n" + "\n".join(diff[:40]))


def test_killed_after_records_before_dedupe_resumes_it(
    baseline: tuple[list[str], Baseline], tmp_path: Path
) -> None:
    """The run dies right after its records are committed, before the near-duplicate pass: the
    next run (whose records are all unchanged) must still group them."""
    inputs, b = baseline
    db = tmp_path / "phase.db"
    assert _kill_at(inputs, db, "records-done", tmp_path)
    _check_consistent(db)
    done = subprocess.run(_cmd(inputs, db), cwd=ROOT, capture_output=True, timeout=600)
    assert done.returncode in (0, 3), done.stderr.decode()
    skip_if_code_changed(b.db, db)
    assert canonical_dump(db) == b.dump
