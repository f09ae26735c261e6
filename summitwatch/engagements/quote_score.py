"""Scoring of quotes against gold, identical to ``../shared/eval/score_quotes.py``.

The same text normalisation (punctuation and spaces removed), the same longest-common-run test
(60 % of the gold text for recall, 60 % of both texts for precision, difflib without autojunk), the
same speaker comparison (letters only, case-insensitive), and the same rule that only direct quotes
(``reported`` false or absent) with side US or PRC count. Prediction rows are keyed on the base name
of their source, the last row winning, as the scorer reads them. Beyond the scorer's figures it keeps
every miss, wrong speaker and unmatched prediction so a person can see why.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["QuoteScore", "score_quotes", "base_name"]

_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
THRESHOLD = 0.6


def _norm(t: Any) -> str:
    return _PUNCT.sub("", str(t or ""))


def _name(n: Any) -> str:
    return re.sub(r"[^a-z]", "", str(n or "").lower())


def base_name(path: Any) -> str:
    """The file's base name: gold names tarball members (「13001-14000/article_13416.md」)."""
    return str(path or "").rsplit("/", 1)[-1]


def _counted(p: Mapping[str, Any]) -> bool:
    """A direct quote given to a US or PRC speaker: the only kind the scorer counts."""
    return not p.get("reported") and str(p.get("side") or "").upper() in ("US", "PRC")


def _run(gt: str, pt: str) -> int:
    m = difflib.SequenceMatcher(None, gt, pt, autojunk=False).find_longest_match(0, len(gt), 0, len(pt))
    return m.size


@dataclass
class QuoteScore:
    """The scorer's counts, plus the misses, wrong speakers and unmatched predictions."""

    n_gold: int = 0
    found: int = 0
    right: int = 0
    n_pred: int = 0
    n_pred_ok: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)  # {"file", "gold"}
    wrong: list[dict[str, Any]] = field(default_factory=list)  # {"file", "gold", "speaker"}
    false_positives: list[dict[str, Any]] = field(default_factory=list)  # {"file", "pred"}

    @property
    def recall(self) -> float:
        return self.found / self.n_gold if self.n_gold else 0.0

    @property
    def attribution(self) -> float:
        return self.right / (self.found or 1)

    @property
    def precision(self) -> float:
        return self.n_pred_ok / (self.n_pred or 1)

    def figures(self) -> dict[str, float]:
        """Rounded as the scorer prints them, so a comparison holds to the last digit."""
        return {"recall": round(self.recall, 3), "attribution": round(self.attribution, 3),
                "precision": round(self.precision, 3)}

    def counts(self) -> dict[str, int]:
        return {"gold": self.n_gold, "found": self.found, "attributed_right": self.right,
                "predicted": self.n_pred, "predicted_right": self.n_pred_ok}

    def report_lines(self) -> list[str]:
        """The reference scorer's three summary lines, character for character."""
        return [
            f"quotes: {self.found}/{self.n_gold} found, {self.right}/{self.found or 1} attributed right",
            f"direct quotes predicted for US/PRC speakers: {self.n_pred}, matching a gold quote: {self.n_pred_ok}",
            f"quote recall {self.recall:.3f} attribution {self.attribution:.3f} precision {self.precision:.3f}",
        ]


def score_quotes(gold_rows: Iterable[Mapping[str, Any]], pred_rows: Iterable[Mapping[str, Any]]) -> QuoteScore:
    """Score predicted quotes (rows with ``source`` and ``quotes``) against gold rows (``file``, ``quotes``)."""
    pred: dict[str, list[Mapping[str, Any]]] = {}
    for r in pred_rows:
        pred[base_name(r.get("source") or r.get("file") or "")] = list(r.get("quotes") or [])
    sc = QuoteScore()
    for g in gold_rows:
        key = base_name(g["file"])
        golds = [(q, _norm(q["text"])) for q in g["quotes"]]
        qs = [(p, _norm(p.get("text") or p.get("quote"))) for p in pred.get(key, []) if _counted(p)]
        qs = [(p, pt) for p, pt in qs if pt]
        for p, pt in qs:
            sc.n_pred += 1
            if any(gt and _run(gt, pt) / len(gt) >= THRESHOLD and _run(gt, pt) / len(pt) >= THRESHOLD
                   for _, gt in golds):
                sc.n_pred_ok += 1
            else:
                sc.false_positives.append({"file": key, "pred": dict(p)})
        for q, gt in golds:
            sc.n_gold += 1
            best, who = 0.0, None
            for p, pt in qs:
                r = _run(gt, pt) / len(gt)
                if r > best:
                    best, who = r, p.get("speaker")
            if best >= THRESHOLD:
                sc.found += 1
                if _name(who) in {_name(s) for s in q["speaker"]}:
                    sc.right += 1
                else:
                    sc.wrong.append({"file": key, "gold": dict(q), "speaker": who})
            else:
                sc.misses.append({"file": key, "gold": dict(q)})
    return sc
