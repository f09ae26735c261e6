"""The hard per-record budget (run/pool.py): a record that hangs inside C code has its worker
process killed and replaced, comes back as the caller's failure outcome, and the run goes on.

The hangs are test-only: ``time.sleep`` is one C call that no in-process watchdog can interrupt
(a thread watchdog raises only between bytecodes), like a regular expression gone super-linear.
They are injected by monkeypatching before the workers fork, so the children inherit them.
Timeouts here are short (1-2 s); nothing asserts how long anything took.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import summitwatch.run.worker as worker_mod
from summitwatch.articles.parse import QUARANTINE_REASONS
from summitwatch.cli import main
from summitwatch.model import Article, Extraction, RawDoc
from summitwatch.run.local import extract, ingest, reparse
from summitwatch.run.pool import SupervisedPool

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))


# --------------------------------------------------------------------------- the pool itself


def _square_or_hang(x: int) -> int:
    if x < 0:
        time.sleep(3600)  # one C call: only killing the process ends it
    return x * x


def _die_on_13(x: int) -> int:
    if x == 13:
        os._exit(7)  # the process vanishes mid-record (as a segfault or the OOM killer would do)
    return x


def _raise_on_5(x: int) -> int:
    if x == 5:
        raise ValueError("five")
    return x


def _failed(x: int, reason: str, detail: str) -> tuple[int, str, str]:
    return (x, reason, detail)


def test_pool_keeps_order_and_results_across_chunks() -> None:
    with SupervisedPool(2, budget=30) as pool:
        chunks = [list(range(i, i + 7)) for i in range(0, 70, 7)]
        got = [r for chunk in pool.map(_square_or_hang, _failed, chunks, inflight=3) for r in chunk]
    assert got == [x * x for x in range(70)]


def test_pool_kills_a_hung_record_and_finishes_the_chunk_with_a_new_worker() -> None:
    with SupervisedPool(1, budget=1.0) as pool:
        out = pool.run(_square_or_hang, _failed, [1, 2, -1, 3, -2, 4])
        assert pool.kills == 2
        again = pool.run(_square_or_hang, _failed, [5, 6])  # the replaced worker serves on
    assert out[:2] == [1, 4] and out[3] == 9 and out[5] == 16
    assert out[2][:2] == (-1, "timeout") and "1 s budget" in out[2][2]
    assert out[4][:2] == (-2, "timeout")
    assert again == [25, 36]


def test_pool_reports_a_worker_that_dies_and_an_escaped_exception() -> None:
    with SupervisedPool(1, budget=30) as pool:
        died = pool.run(_die_on_13, _failed, [11, 12, 13, 14])
        raised = pool.run(_raise_on_5, _failed, [4, 5, 6])
    assert died[:2] == [11, 12] and died[3] == 14 and died[2][:2] == (13, "worker-crash")
    assert raised[0] == 4 and raised[2] == 6
    assert raised[1][:2] == (5, "worker-error") and "ValueError: five" in raised[1][2]


def test_pool_children_are_gone_after_close() -> None:
    pool = SupervisedPool(2, budget=30)
    assert pool.run(_square_or_hang, _failed, [2, 3]) == [4, 9]
    pids = [c.pid for c in pool.children.values()]
    assert pids
    pool.close()
    for pid in pids:
        with pytest.raises(ChildProcessError):  # killed and reaped: no zombie left either
            os.waitpid(pid, os.WNOHANG)


# --------------------------------------------------------------------------- runs


@pytest.fixture()
def seed_dir(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    for s in SEEDS[:3]:
        (d / s.name).write_bytes(s.read_bytes())
    (d / "hang.md").write_bytes(SEEDS[3].read_bytes())
    return d


def _hang_on(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    real = worker_mod.parse_record

    def parse(raw: RawDoc):  # noqa: ANN202
        if raw.source.endswith(name):
            time.sleep(3600)
        return real(raw)

    monkeypatch.setattr(worker_mod, "parse_record", parse)


@pytest.mark.parametrize("workers", [0, 2])
def test_a_record_hanging_in_c_is_quarantined_as_timeout(
    seed_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    _hang_on("hang.md", monkeypatch)
    db = tmp_path / "t.db"
    s = ingest([seed_dir], db, workers=workers, progress=False, extract=False, record_timeout=2)
    assert not s.failed and s.files == 4 and s.stored == 3
    assert dict(s.quarantined) == {"timeout": 1} and s.exit_code == 3
    assert "timeout" in QUARANTINE_REASONS
    with sqlite3.connect(db) as conn:
        reason, detail, raw = conn.execute(
            "SELECT reason, detail, raw IS NOT NULL FROM quarantine WHERE source='hang.md'"
        ).fetchone()
    assert reason == "timeout" and "2 s budget" in detail and raw  # kept: a later reparse can retry
    # unchanged and still quarantined: the next run does not try it again
    again = ingest([seed_dir], db, workers=workers, progress=False, extract=False, record_timeout=2)
    assert again.parsed == 0 and dict(again.quarantined) == {"timeout": 1}
    # reparse (a parser fix) retries it; here it still hangs and is quarantined again
    re = reparse(db, workers=workers, progress=False, extract=False, record_timeout=2)
    assert re.parsed == 4 and dict(re.quarantined) == {"timeout": 1}


def test_cli_record_timeout_option_and_exit_status(
    seed_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _hang_on("hang.md", monkeypatch)
    db = str(tmp_path / "c.db")
    r = CliRunner().invoke(
        main,
        ["ingest", str(seed_dir), "--db", db, "--workers", "1", "--no-extract", "--record-timeout", "1.5"],
    )
    assert r.exit_code == 3, r.output
    assert "timeout" in r.output and "search index" in r.output
    bad = CliRunner().invoke(main, ["ingest", str(seed_dir), "--db", db, "--record-timeout", "0"])
    assert bad.exit_code == 2


def test_extraction_over_budget_in_extract_run(
    seed_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``extract``: an article whose extraction hangs keeps no extraction, is counted and retried
    by the next run; the others are extracted; exit status 3."""
    (seed_dir / "hang.md").unlink()
    db = tmp_path / "e.db"
    ingest([seed_dir], db, workers=0, progress=False, extract=False)
    with sqlite3.connect(db) as conn:
        victim = conn.execute("SELECT id FROM articles ORDER BY id LIMIT 1").fetchone()[0]

    def hang_on_victim(article: Article, kn: object) -> Extraction:
        if article.id == victim:
            time.sleep(3600)
        return real_fn(article, kn)

    import summitwatch.run.versions as versions

    real_ex = versions.load_extractor()
    real_fn = real_ex.fn
    assert real_fn is not None
    monkeypatch.setattr(
        versions, "load_extractor", lambda: versions.Extractor(hang_on_victim, real_ex.kn, real_ex.knowledge_hash,
                                                               real_ex.version)
    )  # fmt: skip
    import summitwatch.run.local as local

    monkeypatch.setattr(local, "load_extractor", versions.load_extractor)
    s = extract(db, workers=0, progress=False, record_timeout=2)
    assert not s.failed and s.extracted == 2 and s.extract_timeouts == 1 and s.exit_code == 3
    with sqlite3.connect(db) as conn:
        assert (
            conn.execute("SELECT count(*) FROM extractions WHERE article_id=?", (victim,)).fetchone()[0] == 0
        )
    again = extract(db, workers=0, progress=False, record_timeout=2)
    assert again.extracted == 0 and again.extract_timeouts == 1
