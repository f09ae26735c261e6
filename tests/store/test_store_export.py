"""Exports of the seed store in all three formats, read back."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from summitwatch.cli import main
from summitwatch.store.export import ARTICLE_SCHEMA, write_records


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_articles_reads_back(seeds_db: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"articles.{fmt}"
    res = CliRunner().invoke(
        main, ["export", "articles", "--db", str(seeds_db), "--format", fmt, "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    elif fmt == "csv":
        with out.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    else:
        rows = pq.read_table(out).to_pylist()
    assert len(rows) == 5
    assert list(rows[0]) == [c for c, _ in ARTICLE_SCHEMA]
    by_source = {r["source"]: r for r in rows}
    seed0 = by_source["000_bbaef8e750e56c0e.txt"]
    assert seed0["title"].startswith("中美元首視像會晤")
    assert seed0["outlet"] == "眾新聞"
    tags = json.loads(seed0["tags"]) if fmt == "csv" else seed0["tags"]
    assert "拜登" in tags
    blocks = json.loads(seed0["blocks"]) if fmt != "jsonl" else seed0["blocks"]
    assert blocks and {"kind", "text"} <= set(blocks[0])


def test_export_articles_carries_extraction(seeds_db: Path, tmp_path: Path) -> None:
    with sqlite3.connect(seeds_db) as conn:
        extracted = conn.execute("SELECT count(*) FROM extractions").fetchone()[0]
    if not extracted:
        pytest.skip("extraction unavailable in this checkout")
    out = tmp_path / "a.jsonl"
    CliRunner().invoke(main, ["export", "articles", "--db", str(seeds_db), "-o", str(out)])
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert all(isinstance(r["engagements"], list) for r in rows)
    for r in rows:
        for e in r["engagements"]:
            assert set(e) == {
                "us",
                "cn",
                "modality",
                "date",
                "date_end",
                "location",
                "status",
                "focus",
                "evidence",
            }


@pytest.mark.parametrize("what", ["engagements", "quotes", "mentions"])
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_tables(seeds_db: Path, tmp_path: Path, what: str, fmt: str) -> None:
    out = tmp_path / f"{what}.{fmt}"
    res = CliRunner().invoke(main, ["export", what, "--db", str(seeds_db), "--format", fmt, "-o", str(out)])
    assert res.exit_code == 0, res.output
    with sqlite3.connect(seeds_db) as conn:
        n = conn.execute(f"SELECT count(*) FROM {what}").fetchone()[0]
    if fmt == "jsonl":
        got = len(out.read_text(encoding="utf-8").splitlines())
    elif fmt == "csv":
        with out.open(encoding="utf-8", newline="") as fh:
            got = len(list(csv.DictReader(fh)))
    else:
        got = pq.read_table(out).num_rows
    assert got == n


def test_write_records_without_schema(tmp_path: Path) -> None:
    recs = [{"a": 1, "b": "x", "c": [1, 2]}, {"a": 2, "b": None, "c": []}]
    assert write_records(recs, tmp_path / "r.parquet", "parquet") == 2
    back = pq.read_table(tmp_path / "r.parquet").to_pylist()
    assert back[0] == {"a": 1, "b": "x", "c": "[1, 2]"} and back[1]["b"] is None
    assert write_records([], tmp_path / "e.csv", "csv") == 0
    with pytest.raises(ValueError):
        write_records(recs, tmp_path / "r.xml", "xml")
