"""`summitwatch eval articles GOLD --db` reads stored engagements; `--pred` scores a JSONL export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from eng_helpers import make_article

from summitwatch.cli import main
from summitwatch.engagements import extract_article


def _store(db: Path, kn: Any) -> None:
    from summitwatch.store import connect
    from summitwatch.store.write import start_run, upsert_article, upsert_source, write_extraction

    art = make_article("中美元首今早（16日）舉行視像會晤。", "美國國務卿布林肯昨日與外長王毅通電話。")
    conn = connect(db)
    run = start_run(conn, ["t"])
    upsert_article(conn, art, run, None)
    upsert_source(conn, source="d/a.md", input="t", raw_hash="x", raw=b"", size=0, hint=None, meta=None,
                  fmt="yaml-markdown", article_id=art.id, parser_version="t", run_id=run)
    write_extraction(conn, extract_article(art, kn), content_hash="h", knowledge_hash=kn.hash)
    conn.commit()
    conn.close()


def test_eval_articles_from_db_and_pred(tmp_path: Path, kn: Any) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"file": "d/a.md", "engagements": [
        {"us": ["Joe Biden"], "cn": ["Xi Jinping"], "modality": "video", "date": "2021-11-16", "status": "held",
         "focus": True, "location": None},
        {"us": ["Jake Sullivan"], "cn": ["Yang Jiechi"], "modality": "in_person", "date": None, "status": "held",
         "focus": False, "location": None, "evidence": "a record the text does not support"},
    ]}, ensure_ascii=False) + "\n", encoding="utf-8")
    db = tmp_path / "t.db"
    _store(db, kn)
    r = CliRunner().invoke(main, ["eval", "articles", str(gold), "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert "loose  P=0.500 R=0.500 F1=0.500  (gold 2, predicted 2, matched 1)" in r.output
    assert "MISS" in r.output and "FP" in r.output  # the Sullivan record, and the Blinken call
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"source": "d/a.md", "engagements": []}) + "\n", encoding="utf-8")
    r2 = CliRunner().invoke(main, ["eval", "articles", str(gold), "--pred", str(pred), "--summary"])
    assert r2.exit_code == 0 and "matched 0" in r2.output and "MISS" not in r2.output
