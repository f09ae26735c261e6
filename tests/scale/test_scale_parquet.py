"""The Parquet dataset: hive-partitioned by outlet and year, queryable by DuckDB, and loadable
back into a SQLite store equal to the one it came from. Built from the bundled seeds (real text)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from summitwatch.cli import main
from summitwatch.run.parquet import MANIFEST, load_dataset, write_dataset
from summitwatch.store.dump import canonical_dump

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, seeds_db: Path) -> Path:
    """A copy of the session's seeds store plus one quarantined record (so every table has rows)."""
    from summitwatch.run.local import ingest

    d = tmp_path_factory.mktemp("pq")
    db = d / "src.db"
    shutil.copy(seeds_db, db)
    (d / "in").mkdir()
    (d / "in" / "empty.md").write_bytes(b"")
    s = ingest([d / "in"], db, workers=0, progress=False)
    assert s.quarantined_total == 1
    return db


def _count(sql: str) -> int:
    return int(duckdb.sql(sql).fetchall()[0][0])


def test_dataset_is_hive_partitioned_and_duckdb_reads_it(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "ds"
    s = write_dataset(store, out)
    with sqlite3.connect(store) as conn:
        n = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in s.rows}
        by_part = sorted(
            conn.execute("SELECT outlet, substr(published_day, 1, 4), count(*) FROM articles GROUP BY 1, 2")
        )
    assert s.rows == n and n["articles"] >= 5 and n["mentions"] > 0 and n["engagements"] > 0
    assert json.loads((out / MANIFEST).read_text(encoding="utf-8"))["rows"] == n
    # hive directories: outlet=<uri-encoded name>/year=YYYY
    dirs = {p.parent.relative_to(out / "articles").as_posix() for p in (out / "articles").rglob("*.parquet")}
    assert any(d.startswith("outlet=%E7%9C%BE%E6%96%B0%E8%81%9E/year=2021") for d in dirs), dirs  # 眾新聞
    for table in ("articles", "mentions", "engagements"):
        got = _count(
            f"select count(*) from read_parquet('{out}/{table}/**/*.parquet', hive_partitioning=true)"
        )
        assert got == n[table]
    parts = duckdb.sql(
        f"select outlet, cast(year as varchar), count(*) from read_parquet('{out}/articles/**/*.parquet', "
        "hive_partitioning=true) group by all"
    ).fetchall()
    assert sorted(parts, key=str) == sorted(by_part, key=str)
    # mentions land in their article's partition
    joined = _count(
        f"select count(*) from read_parquet('{out}/mentions/**/*.parquet', hive_partitioning=true) m "
        f"join read_parquet('{out}/articles/**/*.parquet', hive_partitioning=true) a on a.id = m.article_id "
        "where a.outlet is not distinct from m.outlet and a.year is not distinct from m.year"
    )
    assert joined == n["mentions"]


def test_load_rebuilds_an_equal_store_and_is_idempotent(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "ds"
    write_dataset(store, out)
    db = tmp_path / "loaded.db"
    load_dataset(out, db)
    assert canonical_dump(db) == canonical_dump(store)
    load_dataset(out, db)  # again: nothing changes
    assert canonical_dump(db) == canonical_dump(store)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_cli_export_dataset_and_load(store: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "cli-ds"
    r = runner.invoke(main, ["export", "dataset", str(out), "--db", str(store), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["rows"]["articles"] >= 5
    db = tmp_path / "cli.db"
    r = runner.invoke(main, ["load", str(out), "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert "articles" in r.output
    assert canonical_dump(db) == canonical_dump(store)
    # a foreign directory is refused, not overwritten; a directory that is not a dataset cannot be loaded
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine", encoding="utf-8")
    r = runner.invoke(main, ["export", "dataset", str(foreign), "--db", str(store)])
    assert r.exit_code != 0 and (foreign / "keep.txt").exists()
    r = runner.invoke(main, ["load", str(foreign), "--db", str(tmp_path / "x.db")])
    assert r.exit_code != 0 and "not a summitwatch dataset" in r.output


def test_rewriting_a_dataset_replaces_it(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "ds"
    write_dataset(store, out)
    write_dataset(store, out)  # no stale or doubled files
    n = _count(f"select count(*) from read_parquet('{out}/articles/**/*.parquet', hive_partitioning=true)")
    with sqlite3.connect(store) as conn:
        assert n == conn.execute("SELECT count(*) FROM articles").fetchone()[0]
