"""The timeline through the store and the CLI: build-timeline, timeline, export, cite, eval."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from timeline_helpers import GOLD, SHARED, fill_store

from summitwatch.cli import main
from summitwatch.eval import GOLD_ARTICLES_GLOB, load_gold_articles, load_gold_timeline
from summitwatch.run.steps import rebuild_timeline
from summitwatch.store.db import connect
from summitwatch.store.query.filters import Filters
from summitwatch.store.query.timeline import citations, list_timeline


def read_timeline(conn, **filters):  # noqa: ANN001, ANN003, ANN201 - the listing's entries
    return list(list_timeline(conn, Filters(**filters), limit=None).items)

ROWS = [
    {"file": "39001-40000/article_39467.md", "published": "2021-03-19", "title": "中美阿拉斯加會談",
     "engagements": [{"us": ["Antony Blinken", "Jake Sullivan"], "cn": ["Yang Jiechi", "Wang Yi"],
                      "modality": "in_person", "date": "2021-03-18", "date_end": "2021-03-19",
                      "location": "Anchorage", "status": "held", "focus": True, "topics": ["taiwan"],
                      "evidence": "美國時間星期四(18日)在阿拉斯加州安克雷奇舉行，布林肯與楊潔篪會談"}],
     "quotes": [{"speaker": "Yang Jiechi", "side": "PRC", "text": "美國沒有資格居高臨下同中國說話"},
                {"speaker": "Ned Price", "side": "US", "text": "not a participant"}]},
    {"file": "39001-40000/article_39492.md", "published": "2021-03-20", "outlet": "立場新聞",
     "engagements": [{"us": ["Antony Blinken"], "cn": ["Yang Jiechi"], "modality": "in_person", "date": None,
                      "location": "Anchorage", "status": "held", "focus": True,
                      "evidence": "中美在阿拉斯加的三場高層會談結束，雙方沒有發表聯合聲明。"}]},
    {"file": "44001-45000/article_44484.md", "published": "2021-08-17",
     "engagements": [{"us": ["Antony Blinken"], "cn": ["Wang Yi"], "modality": "phone", "date": "2021-08-16",
                      "status": "held", "focus": True, "evidence": "外交部長王毅昨日(16日)與美國國務卿布林肯通電話"}]},
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "news.db"
    conn = connect(path)
    fill_store(conn, ROWS)
    conn.close()
    return path


def test_rebuild_and_read(db: Path) -> None:
    conn = connect(db)
    assert rebuild_timeline(conn) == 2
    assert rebuild_timeline(conn) == 2  # idempotent: tables replaced, not appended
    entries = read_timeline(conn)
    anchorage = entries[0]
    assert anchorage.date == "2021-03-18" and len(anchorage.sources) == 2
    assert [q["speaker"] for q in anchorage.data["quotes"]] == ["Yang Jiechi"]
    assert anchorage.data["coverage"]["outlets"] == ["眾新聞", "立場新聞"]
    assert {o["outlet"] for o in anchorage.data["outlets"]["outlets"]} == {"眾新聞", "立場新聞"}
    assert [e.date for e in read_timeline(conn, since="2021-08-01")] == ["2021-08-16"]
    assert [e.modality for e in read_timeline(conn, modality="phone")] == ["phone"]
    cites = citations(conn, anchorage.id)
    assert [c.title for c in cites] == ["中美阿拉斯加會談", "headline 1"]
    assert all(c.url.startswith("https://www.hkcnews.com/") and c.archived_url for c in cites)


def test_cli_commands(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["build-timeline", "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert "2 engagements (2 dated)" in res.output
    res = runner.invoke(main, ["timeline", "--db", str(db), "--json", "--person", "布林肯", "--modality", "phone"])
    assert res.exit_code == 0, res.output
    assert [e["date"] for e in json.loads(res.output)] == ["2021-08-16"]
    res = runner.invoke(main, ["timeline", "--db", str(db), "--json", "--person", "Jake Sullivan"])
    assert [e["date"] for e in json.loads(res.output)] == ["2021-03-18"]
    res = runner.invoke(main, ["timeline", "--db", str(db), "--json", "--topic", "taiwan"])
    assert [e["date"] for e in json.loads(res.output)] == ["2021-03-18"]
    res = runner.invoke(main, ["timeline", "--db", str(db)])
    assert res.exit_code == 0 and "Anchorage" in res.output
    for fmt in ("json", "csv", "ics"):
        out = tmp_path / f"t.{fmt}"
        res = runner.invoke(main, ["export", "timeline", "--db", str(db), "--format", fmt, "-o", str(out)])
        assert res.exit_code == 0, res.output
        assert out.stat().st_size > 0
    assert b"\r\nBEGIN:VEVENT\r\n" in (tmp_path / "t.ics").read_bytes()
    rows = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert rows[0]["sources"] == ["39001-40000/article_39467.md", "39001-40000/article_39492.md"]
    res = runner.invoke(main, ["cite", rows[0]["id"], "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert "中美阿拉斯加會談" in res.output and "web.archive.org" in res.output and "2021-03-19" in res.output
    res = runner.invoke(main, ["cite", "e-0000000000", "--db", str(db)])
    assert res.exit_code != 0


def test_missing_db_is_a_clear_error(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["timeline", "--db", str(tmp_path / "none.db")])
    assert res.exit_code != 0 and "no database" in res.output


@pytest.mark.skipif(not (GOLD / "dev_articles.jsonl").exists(), reason="needs ../shared/gold")
def test_eval_timeline_equals_reference_scorer(tmp_path: Path) -> None:
    """Both gold files merged: the store's timeline scored by ``eval timeline`` and by score.py agree, and
    the merge of gold records finds the reference (timeline_dev.json plus timeline_dev_added.json)."""
    rows = load_gold_articles(GOLD)
    assert len(rows) > 210  # the added articles are part of it
    path = tmp_path / "gold.db"
    conn = connect(path)
    fill_store(conn, rows)
    conn.close()
    runner = CliRunner()
    export = tmp_path / "tl.json"
    assert runner.invoke(main, ["export", "timeline", "--db", str(path), "--format", "json", "-o", str(export)]).exit_code == 0
    ref_path = tmp_path / "timeline_ref.json"
    ref_path.write_text(json.dumps(load_gold_timeline(GOLD), ensure_ascii=False), encoding="utf-8")
    ref, annotated = str(ref_path), str(GOLD / GOLD_ARTICLES_GLOB)
    res = runner.invoke(main, ["eval", "timeline", ref, "--db", str(path), "--annotated", annotated])
    assert res.exit_code == 0, res.output
    ours = res.output.strip().splitlines()
    theirs = subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score.py"), "timeline", ref, str(export), annotated],
        capture_output=True, text=True, check=True,
    ).stdout.strip().splitlines()
    assert ours == theirs
    assert "reference dated engagements: 34;" in ours[-3]
    by_pred = runner.invoke(main, ["eval", "timeline", ref, "--pred", str(export), "--annotated", annotated])
    assert by_pred.output.strip().splitlines() == theirs
    # with gold per-article records the merge alone is measured: everything dated from corpus
    # text inside the annotated set is found (the Sherman–Wang Yi day comes from a non-annotated article)
    assert "timeline P=1.000" in ours[-2]
    assert float(ours[-2].split("R=")[1].split()[0]) >= 0.95
