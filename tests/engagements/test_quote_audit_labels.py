"""The hand labels of the quote audit (tests/fixtures/quality/quotes_audit.jsonl) are well formed.

The verdicts are a person's; this only checks the file can be trusted as a record: the final phase
covers 100 distinct drawn items, each with a verdict and a reason, and the figure is recomputable.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

LABELS = Path(__file__).resolve().parents[1] / "fixtures" / "quality" / "quotes_audit.jsonl"
FIELDS = {"phase", "commit", "seed", "i", "source", "title", "published", "speaker", "side", "reported", "text",
          "start", "end", "context", "verdict", "reason"}


def test_audit_labels_are_well_formed_and_cover_100_items() -> None:
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    phases = Counter(r["phase"] for r in rows)
    assert phases["issue12-final"] == 100
    for r in rows:
        assert FIELDS <= set(r), FIELDS - set(r)
        assert r["verdict"] in ("correct", "wrong") and r["reason"].strip()
        assert r["side"] in ("US", "PRC", "other") and isinstance(r["reported"], bool)
        assert r["text"] and r["text"] in r["context"]
    final = [r for r in rows if r["phase"] == "issue12-final"]
    assert sorted(r["i"] for r in final) == list(range(100))
    assert len({r["seed"] for r in final}) == 1 and len({r["commit"] for r in final}) == 1
    precision = sum(r["verdict"] == "correct" for r in final) / len(final)
    assert 0.0 <= precision <= 1.0


def test_round4_audit_is_a_fresh_seed_of_100_items() -> None:
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    r4 = [r for r in rows if r["phase"] == "issue12-round4"]
    assert sorted(r["i"] for r in r4) == list(range(100))
    seeds = {r["seed"] for r in rows if r["phase"] != "issue12-round4"}
    assert len({r["seed"] for r in r4}) == 1 and not {r["seed"] for r in r4} & seeds  # never seen before
    assert all(r["verdict"] in ("correct", "wrong") and r["reason"].strip() for r in r4)


def test_session3_final_audit_is_a_fresh_seed_of_100_items_at_or_above_090() -> None:
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    final = [r for r in rows if r["phase"] == "issue12-session3-final"]
    assert sorted(r["i"] for r in final) == list(range(100))
    earlier = {r["seed"] for r in rows if r["phase"] != "issue12-session3-final"}
    assert len({r["seed"] for r in final}) == 1 and not {r["seed"] for r in final} & earlier
    assert len({r["commit"] for r in final}) == 1
    assert all(FIELDS <= set(r) and r["verdict"] in ("correct", "wrong") and r["reason"].strip() for r in final)
    # the bar for hand-audited precision over everything emitted (reported and side other included)
    assert sum(r["verdict"] == "correct" for r in final) / len(final) >= 0.90
