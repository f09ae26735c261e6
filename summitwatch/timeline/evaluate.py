"""Score a timeline against a reference timeline, exactly as ``../shared/eval/score.py timeline``.

Recall over the dated reference engagements (an entry with overlapping sides, the same modality and
a date within [date − 1, date_end + 1]); precision over the predicted dated entries on or after the
reference's first date that cite an annotated article (the reference's gold_files plus the files of
the annotated-articles JSONL), each right when it matches any reference engagement (an undated one
by sides and modality alone). The name normalisation and its alias table mirror the reference
scorer verbatim: the figures must agree with it to the last digit.
"""

from __future__ import annotations

import datetime as dt
import glob
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Verbatim from ../shared/eval/score.py (scorer logic, not project knowledge).
_SCORER_ALIASES = {
    "stevemnuchin": "stevenmnuchin", "michaelpompeo": "mikepompeo", "boblighthizer": "robertlighthizer",
    "tonyblinken": "antonyblinken", "anthonyblinken": "antonyblinken", "jamesmattis": "jimmattis",
    "hrmcmaster": "hrmcmaster", "donaldjtrump": "donaldtrump", "josephbiden": "joebiden", "joerbiden": "joebiden",
    "michaelpence": "mikepence", "yangjiechi": "yangjiechi", "liuhe": "liuhe",
}


def _norm(name: Any) -> str:
    k = re.sub(r"[^a-z]", "", (name or "").lower())
    return _SCORER_ALIASES.get(k, k)


def _side(e: dict[str, Any], key: str) -> set[str]:
    return {_norm(n) for n in (e.get(key) or []) if n}


def _day(s: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(s)[:10]) if s else None
    except ValueError:
        return None


def _key(path: Any) -> str:
    return re.sub(r"^(\./)+", "", str(path or ""))


def _overlap(g: dict[str, Any], p: dict[str, Any]) -> bool:
    return bool(_side(g, "us") & _side(p, "us")) and bool(_side(g, "cn") & _side(p, "cn"))


def load_rows(path: Path) -> list[dict[str, Any]]:
    """A JSON array or JSON lines file, as the reference scorer reads both."""
    txt = path.read_text(encoding="utf-8").strip()
    if txt.startswith("["):
        return list(json.loads(txt))
    return [json.loads(line) for line in txt.split("\n") if line.strip()]


@dataclass(slots=True)
class TimelineScore:
    """The scorer's figures plus every miss and every unsupported entry, in the scorer's order."""

    precision: float
    recall: float
    f1: float
    n_reference_dated: int
    n_predicted_dated: int
    n_judged: int
    missed: list[dict[str, Any]] = field(default_factory=list)
    unsupported: list[dict[str, Any]] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report in the reference scorer's wording."""
        out = [
            f"  missed: {g['date']} {g['modality']} {', '.join(g['us'])} / {', '.join(g['cn'])}" for g in self.missed
        ]
        out += [
            f"  unsupported: {p.get('date')} {p.get('modality')} {', '.join(p.get('us') or [])} / "
            f"{', '.join(p.get('cn') or [])}"
            for p in self.unsupported
        ]
        out.append(
            f"reference dated engagements: {self.n_reference_dated}; predicted dated entries: "
            f"{self.n_predicted_dated} (judged {self.n_judged})"
        )
        out.append(f"timeline P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f}")
        return out


def annotated_files(ref: list[dict[str, Any]], annotated_glob: str | None) -> set[str]:
    annotated: set[str] = set()
    if annotated_glob:
        for path in sorted(glob.glob(annotated_glob)):
            annotated |= {_key(r["file"]) for r in load_rows(Path(path))}
    for g in ref:
        annotated |= set(map(_key, g.get("gold_files") or []))
    return annotated


def score_timeline(
    ref: list[dict[str, Any]], predicted: Iterable[dict[str, Any]], annotated_glob: str | None = None
) -> TimelineScore:
    """Score predicted timeline objects (us, cn, modality, date, date_end, sources) against ``ref``."""
    annotated = annotated_files(ref, annotated_glob)
    start = min(d for g in ref if (d := _day(g.get("date"))))
    pred = [p for p in predicted if _day(p.get("date"))]

    def hit(g: dict[str, Any], p: dict[str, Any]) -> bool:
        if not (_overlap(g, p) and p.get("modality") == g.get("modality")):
            return False
        lo = _day(g.get("date"))
        if lo is None:
            return True
        hi = _day(g.get("date_end")) or lo
        pd = _day(p["date"])
        assert pd is not None
        return lo - dt.timedelta(days=1) <= pd <= hi + dt.timedelta(days=1)

    dated = [g for g in ref if _day(g.get("date"))]
    missed = [g for g in dated if not any(hit(g, p) for p in pred)]
    found = len(dated) - len(missed)
    judged = [
        p for p in pred
        if (_day(p["date"]) or start) >= start and set(map(_key, p.get("sources") or [])) & annotated
    ]
    unsupported = [p for p in judged if not any(hit(g, p) for g in ref)]
    correct = len(judged) - len(unsupported)
    r = found / len(dated) if dated else 0.0
    p = correct / len(judged) if judged else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return TimelineScore(p, r, f, len(dated), len(pred), len(judged), missed, unsupported)


def default_annotated_glob(ref_path: Path) -> str | None:
    """dev_articles.jsonl beside the reference file, when it is there."""
    candidate = ref_path.resolve().parent / "dev_articles.jsonl"
    return str(candidate) if candidate.is_file() else None
