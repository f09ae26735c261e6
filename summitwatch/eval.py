"""Scoring of per-article engagements against gold, identical to ``../shared/eval/score.py``.

Same name normalisation (with the scorer's alias table), the same greedy one-to-one matching
(best pairs first, ties broken the same way), the same loose/strict definitions and per-field
accuracies. Beyond the scorer, it returns every miss and false positive with its evidence so a
person can see why.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The reference scorer's alias table (kept identical so figures agree to the last digit).
ALIASES = {
    "stevemnuchin": "stevenmnuchin", "michaelpompeo": "mikepompeo", "boblighthizer": "robertlighthizer",
    "tonyblinken": "antonyblinken", "anthonyblinken": "antonyblinken", "jamesmattis": "jimmattis",
    "hrmcmaster": "hrmcmaster", "donaldjtrump": "donaldtrump", "josephbiden": "joebiden", "joerbiden": "joebiden",
    "michaelpence": "mikepence", "yangjiechi": "yangjiechi", "liuhe": "liuhe",
}
FIELDS = ("modality", "status", "date", "location", "focus")


def norm_name(name: str | None) -> str:
    k = re.sub(r"[^a-z]", "", (name or "").lower())
    return ALIASES.get(k, k)


def _side(e: Mapping[str, Any], key: str) -> set[str]:
    return {norm_name(n) for n in (e.get(key) or []) if n}


def _day(s: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(s)[:10]) if s else None
    except ValueError:
        return None


def date_ok(g: Mapping[str, Any], p: Mapping[str, Any]) -> bool:
    gd, pd = _day(g.get("date")), _day(p.get("date"))
    if gd is None and pd is None:
        return True
    if gd is None or pd is None:
        return False
    return abs((gd - pd).days) <= 1


def overlap(g: Mapping[str, Any], p: Mapping[str, Any]) -> bool:
    return bool(_side(g, "us") & _side(p, "us")) and bool(_side(g, "cn") & _side(p, "cn"))


def match(golds: list[Mapping[str, Any]], preds: list[Mapping[str, Any]], strict: bool = False) -> list[tuple[int, int]]:
    """Greedy one-to-one matching (indices), exactly as the reference scorer orders candidates."""
    cands = []
    for i, g in enumerate(golds):
        for j, p in enumerate(preds):
            if not overlap(g, p):
                continue
            ok = date_ok(g, p) and g.get("modality") == p.get("modality") and g.get("status") == p.get("status")
            if strict and not ok:
                continue
            score = len(_side(g, "us") & _side(p, "us")) + len(_side(g, "cn") & _side(p, "cn"))
            score += 2 * date_ok(g, p) + (g.get("modality") == p.get("modality")) + (g.get("status") == p.get("status"))
            cands.append((score, i, j))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, i, j in sorted(cands, reverse=True):
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        pairs.append((i, j))
    return pairs


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def source_key(path: Any) -> str:
    return re.sub(r"^(\./)+", "", str(path or ""))


@dataclass
class ArticleScore:
    """Figures of one evaluation, plus what went wrong where."""

    n_articles: int = 0
    n_missing: int = 0
    n_gold: int = 0
    n_pred: int = 0
    tp: int = 0
    tp_strict: int = 0
    field_hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    empty_ok: int = 0
    empty_n: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)  # {"source", "gold"}
    false_positives: list[dict[str, Any]] = field(default_factory=list)  # {"source", "pred"}
    field_errors: list[dict[str, Any]] = field(default_factory=list)  # {"source", "field", "gold", "pred"}

    @property
    def loose(self) -> tuple[float, float, float]:
        return _prf(self.tp, self.n_pred, self.n_gold)

    @property
    def strict(self) -> tuple[float, float, float]:
        return _prf(self.tp_strict, self.n_pred, self.n_gold)

    def accuracy(self, name: str) -> float:
        return self.field_hits[name] / self.tp if self.tp else 0.0

    def figures(self) -> dict[str, float]:
        lp, lr, lf = self.loose
        sp, sr, sf = self.strict
        out = {"loose_p": lp, "loose_r": lr, "loose_f1": lf, "strict_p": sp, "strict_r": sr, "strict_f1": sf}
        for k in FIELDS:
            out[f"{k}_acc"] = self.accuracy(k)
        return out

    def report_lines(self) -> list[str]:
        """The reference scorer's printed lines, character for character."""
        p, r, f = self.loose
        ps, rs, fs = self.strict
        lines = [
            f"articles scored: {self.n_articles} (missing from prediction: {self.n_missing})",
            f"loose  P={p:.3f} R={r:.3f} F1={f:.3f}  (gold {self.n_gold}, predicted {self.n_pred}, matched {self.tp})",
            f"strict P={ps:.3f} R={rs:.3f} F1={fs:.3f}  (participants+modality+status+date±1)",
        ]
        for k in FIELDS:
            lines.append(f"  {k} accuracy on matches: {self.accuracy(k):.3f}")
        lines.append(f"articles with no gold engagement left empty: {self.empty_ok}/{self.empty_n}")
        lines.append(f"loose F1 {f:.3f} strict F1 {fs:.3f}")
        return lines


# The development gold: the original annotations and the articles annotated later (issue 11). Both are
# scored together; keeping the file names here lets the gate, the benches and the tests agree on them.
GOLD_ARTICLE_FILES = ("dev_articles.jsonl", "dev_articles_added.jsonl")
GOLD_TIMELINE_FILES = ("timeline_dev.json", "timeline_dev_added.json")
GOLD_ARTICLES_GLOB = "dev_articles*.jsonl"  # matches both article files (the reference scorer takes a glob)


def gold_article_paths(gold_dir: Path) -> list[Path]:
    """The gold article files present in ``gold_dir`` (shared/gold), in a stable order."""
    return [p for name in GOLD_ARTICLE_FILES if (p := gold_dir / name).is_file()]


def load_gold_articles(gold_dir: Path) -> list[dict[str, Any]]:
    """Every annotated article of the development gold (all files, one row per article)."""
    return [row for p in gold_article_paths(gold_dir) for row in load_jsonl(p)]


def load_gold_timeline(gold_dir: Path) -> list[dict[str, Any]]:
    """The reference timeline: the engagements each gold file establishes, concatenated."""
    return [row for name in GOLD_TIMELINE_FILES if (p := gold_dir / name).is_file() for row in load_jsonl(p)]


def load_jsonl(path: Path | str) -> list[dict[str, Any]]:
    txt = Path(path).read_text(encoding="utf-8").strip()
    if txt.startswith("["):
        return list(json.loads(txt))
    return [json.loads(line) for line in txt.split("\n") if line.strip()]


def score_articles(gold_rows: Iterable[Mapping[str, Any]], pred_rows: Iterable[Mapping[str, Any]]) -> ArticleScore:
    """Score predictions ({"source", "engagements"}) against gold rows ({"file", "engagements"})."""
    gold = {source_key(r["file"]): r for r in gold_rows}
    pred: dict[str, Mapping[str, Any]] = {}
    for r in pred_rows:
        pred[source_key(r.get("source") or r.get("file") or r.get("path"))] = r
    sc = ArticleScore(n_articles=len(gold), n_missing=sum(1 for k in gold if k not in pred))
    for k, g in gold.items():
        ge = list(g["engagements"])
        pe = list((pred.get(k) or {}).get("engagements") or [])
        sc.n_gold += len(ge)
        sc.n_pred += len(pe)
        pairs = match(ge, pe)
        sc.tp += len(pairs)
        sc.tp_strict += len(match(ge, pe, strict=True))
        for i, j in pairs:
            a, b = ge[i], pe[j]
            checks = {
                "modality": a.get("modality") == b.get("modality"),
                "status": a.get("status") == b.get("status"),
                "date": date_ok(a, b),
                "location": (a.get("location") or "").lower() == (b.get("location") or "").lower(),
                "focus": bool(a.get("focus")) == bool(b.get("focus")),
            }
            for name, ok in checks.items():
                sc.field_hits[name] += ok
                if not ok:
                    sc.field_errors.append({"source": k, "field": name, "gold": a, "pred": b})
        mg = {i for i, _ in pairs}
        mp = {j for _, j in pairs}
        sc.misses.extend({"source": k, "gold": e} for i, e in enumerate(ge) if i not in mg)
        sc.false_positives.extend({"source": k, "pred": e} for j, e in enumerate(pe) if j not in mp)
        if not ge:
            sc.empty_n += 1
            sc.empty_ok += not pe
    return sc
