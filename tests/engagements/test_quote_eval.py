"""``eval quotes`` gives the reference scorer's figures to the last digit (../shared/eval/score_quotes.py).

Two checks: the scorer module on perturbed gold (misses, wrong speakers, reported and other quotes,
extra quotes, a missing article), and the command end to end on a small store of gold articles
against the reference scorer run on ``export articles --format jsonl`` of the same store.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from summitwatch.cli import main
from summitwatch.engagements.quote_score import score_quotes
from summitwatch.eval import load_jsonl

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
SCORER = SHARED / "eval" / "score_quotes.py"
GOLD = SHARED / "gold" / "dev_quotes.jsonl"
TARBALL = SHARED / "corpus" / "hkcnews-dev.tar.gz"
pytestmark = pytest.mark.skipif(not (SCORER.exists() and GOLD.exists()), reason="../shared absent")


def _reference(gold: Path, pred: Path) -> list[str]:
    out = subprocess.run([sys.executable, str(SCORER), str(gold), str(pred)], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    return [ln for ln in out if ln.strip() and not ln.startswith("  ")]  # the summary, without the listing


def _perturbed(gold: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Gold turned into imperfect predictions of every kind the scorer treats apart."""
    rows = []
    for i, g in enumerate(gold):
        qs = []
        for j, q in enumerate(g["quotes"]):
            k = i + j
            if k % 5 == 0:
                continue  # a miss
            p = {"speaker": q["speaker"][0], "side": q.get("side", "US"), "text": q["text"], "reported": False}
            if k % 7 == 1:
                p["speaker"] = "Somebody Else"  # found, wrongly attributed
            if k % 6 == 2:
                p["text"] = q["text"][: max(1, len(q["text"]) * 2 // 3)]  # a partial span
            if k % 11 == 3:
                p["reported"] = True  # reported speech does not count
            if k % 13 == 4:
                p["side"] = "other"  # neither does side other
            qs.append(p)
        if i % 4 == 1:
            qs.append({"speaker": "Joe Biden", "side": "US", "text": "完全不在金標準裏的一句話而已", "reported": False})
        rows.append({"source": "dir/" + g["file"].rsplit("/", 1)[-1], "quotes": qs})
    return rows[:-2]


def test_scorer_module_equals_reference(tmp_path: Path) -> None:
    gold = load_jsonl(GOLD)
    preds = _perturbed(gold)
    p = tmp_path / "pred.jsonl"
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in preds) + "\n", encoding="utf-8")
    sc = score_quotes(gold, preds)
    assert sc.report_lines() == _reference(GOLD, p)
    assert sc.misses and sc.wrong and sc.false_positives  # the perturbation made every kind of error


@pytest.mark.skipif(not TARBALL.exists(), reason="../shared/corpus absent")
def test_eval_quotes_command_equals_reference_on_export(tmp_path: Path) -> None:
    gold_rows = load_jsonl(GOLD)
    wanted = [g["file"] for g in gold_rows if g["quotes"]][:8] + [g["file"] for g in gold_rows if not g["quotes"]][:2]
    src = tmp_path / "corpus"
    with tarfile.open(TARBALL) as tf:
        for name in wanted:
            m = tf.getmember(name)
            data = tf.extractfile(m).read()  # type: ignore[union-attr]
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            (src / name).write_bytes(data)
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in gold_rows if g["file"] in wanted) + "\n",
                    encoding="utf-8")
    db = tmp_path / "q.db"
    runner = CliRunner()
    r = runner.invoke(main, ["ingest", "--db", str(db), "--workers", "1", "--no-progress", str(src)])
    assert r.exit_code == 0, r.output
    export = tmp_path / "export.jsonl"
    r = runner.invoke(main, ["export", "articles", "--db", str(db), "--format", "jsonl", "-o", str(export)])
    assert r.exit_code == 0, r.output
    ref = _reference(gold, export)
    r = runner.invoke(main, ["eval", "quotes", str(gold), "--db", str(db), "--summary"])
    assert r.exit_code == 0, r.output
    assert r.output.strip().splitlines() == ref
    r = runner.invoke(main, ["eval", "quotes", str(gold), "--db", str(db), "--json"])
    figures = json.loads(r.output)
    assert ref[-1] == (f"quote recall {figures['recall']:.3f} attribution {figures['attribution']:.3f} "
                       f"precision {figures['precision']:.3f}")
