"""summitwatch.eval prints exactly what the reference scorer prints on the same predictions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from summitwatch.eval import GOLD_ARTICLES_GLOB, load_gold_articles, score_articles

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
SCORER = SHARED / "eval" / "score.py"
GOLD_DIR = SHARED / "gold"
GOLD = GOLD_DIR / "dev_articles.jsonl"
pytestmark = pytest.mark.skipif(not (SCORER.exists() and GOLD.exists()), reason="../shared absent")


def _perturbed_predictions(gold: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Gold turned into imperfect predictions: shifted dates, wrong modality, dropped and extra records."""
    rows = []
    for i, g in enumerate(gold):
        engs = []
        for j, e in enumerate(g["engagements"]):
            e = dict(e)
            if (i + j) % 5 == 0:
                continue  # a miss
            if (i + j) % 7 == 1 and e.get("date"):
                e["date"] = e["date"][:8] + ("01" if e["date"][8:] != "01" else "05")
            if (i + j) % 4 == 2:
                e["modality"] = "phone" if e["modality"] != "phone" else "video"
            if (i + j) % 6 == 3:
                e["us"] = [n.upper().replace(" ", ".") for n in e["us"]]  # names compare loosely
            engs.append(e)
        if i % 9 == 4:
            engs.append({"us": ["Joe Biden"], "cn": ["Xi Jinping"], "modality": "video", "status": "held",
                         "date": None, "focus": True})  # a false positive
        rows.append({"source": g["file"], "engagements": engs})
    return rows[:-3]  # and a few articles missing from the prediction


def test_figures_equal_reference_scorer(tmp_path: Path) -> None:
    """Both gold files (the scorer reads them through one glob) against perturbed predictions."""
    gold = load_gold_articles(GOLD_DIR)
    preds = _perturbed_predictions(gold)
    p = tmp_path / "pred.jsonl"
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in preds) + "\n", encoding="utf-8")
    ref = subprocess.run([sys.executable, str(SCORER), "articles", str(GOLD_DIR / GOLD_ARTICLES_GLOB), str(p)],
                         capture_output=True, text=True, check=True).stdout.strip().splitlines()
    ours = score_articles(gold, preds).report_lines()
    assert ours == ref
    assert score_articles(gold, preds).misses  # the perturbation did make misses to list
