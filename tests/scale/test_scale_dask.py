"""Ingest on a real Dask ``LocalCluster`` (two worker processes, TCP on loopback) gives the same
store as the in-process run. Inputs: the first 300 members of the dev tarball and the five seeds.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from scale_helpers import skip_if_code_changed

from summitwatch.run.dask import DaskEngine, ingest_dask, parse_scheduler
from summitwatch.run.local import ingest
from summitwatch.store.dump import canonical_dump

pytestmark = [pytest.mark.corpus, pytest.mark.slow]


@pytest.fixture(scope="module")
def cluster() -> Iterator[DaskEngine]:
    from distributed import Client, LocalCluster

    lc = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, protocol="tcp", host="127.0.0.1",
        dashboard_address=None, silence_logs=logging.ERROR,
    )  # fmt: skip
    engine = DaskEngine(Client(lc), lc)
    assert engine.client.scheduler.address.startswith("tcp://127.0.0.1:")
    yield engine
    engine.close()


def test_parse_scheduler() -> None:
    assert parse_scheduler("tcp://10.0.0.5:8786").address == "tcp://10.0.0.5:8786"
    assert parse_scheduler("10.0.0.5:8786").address == "tcp://10.0.0.5:8786"
    local = parse_scheduler("local:3")
    assert local.local and local.workers == 3
    assert parse_scheduler("local", 4).workers == 4
    with pytest.raises(ValueError):
        parse_scheduler("local:x")


def test_dask_run_equals_in_process_run(
    cluster: DaskEngine, corpus300: tuple[Path, Path], tmp_path: Path
) -> None:
    tar, seeds = corpus300
    inputs = [tar, seeds]
    a = ingest(inputs, tmp_path / "local.db", workers=0, progress=False)
    from distributed import get_task_stream

    with get_task_stream(cluster.client) as ts:
        b = ingest_dask(inputs, tmp_path / "dask.db", engine=cluster, progress=False)
    assert not a.failed and not b.failed, (a.failed, b.failed)
    assert b.files == a.files == 305 and b.extracted == a.extracted > 0
    # the record chunks ran on both worker processes (2 x 305 records in chunks of 200: 2+ tasks)
    assert {t["worker"] for t in ts.data} == set(cluster.client.scheduler_info()["workers"])
    skip_if_code_changed(tmp_path / "local.db", tmp_path / "dask.db")
    da, db_ = (
        canonical_dump(tmp_path / "local.db"),
        canonical_dump(tmp_path / "dask.db"),
    )
    assert da == db_
    # incremental on Dask too: a second run changes nothing
    again = ingest_dask(inputs, tmp_path / "dask.db", engine=cluster, progress=False)
    assert again.sources_unchanged == again.stored and again.articles_new == 0
    assert canonical_dump(tmp_path / "dask.db") == da


def test_cli_scheduler_and_to_parquet(
    cluster: DaskEngine, corpus300: tuple[Path, Path], tmp_path: Path
) -> None:
    import duckdb

    from summitwatch.cli import main

    _tar, seeds = corpus300
    db = tmp_path / "cli.db"
    out = tmp_path / "ds"
    addr = cluster.client.scheduler.address
    r = CliRunner().invoke(
        main, ["ingest", str(seeds), "--db", str(db), "--scheduler", addr, "--to-parquet", str(out), "--json"]
    )
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)  # the dataset note goes to stderr, the summary alone to stdout
    assert "Parquet dataset written" in r.stderr
    assert summary["files"] == 5
    n = duckdb.sql(
        f"select count(*) from read_parquet('{out}/articles/**/*.parquet', hive_partitioning=true)"
    ).fetchall()[0][0]
    with sqlite3.connect(db) as conn:
        assert n == conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 5


def test_unreachable_scheduler_fails_the_run_clearly(corpus300: tuple[Path, Path], tmp_path: Path) -> None:
    _tar, seeds = corpus300
    s = ingest_dask([seeds], tmp_path / "x.db", scheduler="tcp://127.0.0.1:9", connect_timeout=2)
    assert s.failed.startswith("Dask scheduler unavailable") and s.exit_code == 1


# --------------------------------------------------------------------------- the record budget on Dask


def _hang_on_hang_md() -> None:
    """Run on each Dask worker: make parsing ``hang.md`` one endless C call (test-only)."""
    import time as _time

    import summitwatch.run.worker as w

    real = getattr(w, "_real_parse_record", w.parse_record)
    w._real_parse_record = real  # type: ignore[attr-defined]

    def parse(raw):  # noqa: ANN001, ANN202
        if raw.source.endswith("hang.md"):
            _time.sleep(3600)
        return real(raw)

    w.parse_record = parse


def _unpatch() -> None:
    import summitwatch.run.worker as w

    w.parse_record = getattr(w, "_real_parse_record", w.parse_record)


def test_a_record_over_budget_on_dask_is_killed_and_quarantined(
    cluster: DaskEngine, corpus300: tuple[Path, Path], tmp_path: Path
) -> None:
    """On each Dask worker the chunks run in supervised children: a record hanging in C code has
    its child killed, comes back quarantined as ``timeout``, and the run finishes (exit 3)."""
    import sys

    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import this file
    _tar, seeds = corpus300
    d = tmp_path / "in"
    d.mkdir()
    for f in sorted(seeds.iterdir()):
        (d / f.name).write_bytes(f.read_bytes())
    (d / "hang.md").write_bytes(next(iter(sorted(seeds.iterdir()))).read_bytes())
    cluster.client.run(_hang_on_hang_md)
    try:
        s = ingest_dask([d], tmp_path / "budget.db", engine=cluster, progress=False, record_timeout=2)
    finally:
        cluster.client.run(_unpatch)
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    assert not s.failed, s.failed
    assert s.files == 6 and s.stored == 5 and dict(s.quarantined) == {"timeout": 1} and s.exit_code == 3
    with sqlite3.connect(tmp_path / "budget.db") as conn:
        assert conn.execute("SELECT reason FROM quarantine WHERE source='hang.md'").fetchone()[0] == "timeout"
