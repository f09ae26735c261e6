"""Split check: score the gold articles in two halves by publication date (before 2020-01-01 / from then on).

usage: .venv/bin/python bench/eval_periods.py [--errors before|after] [--cut 2020-01-01] [--json]

Rules are tuned on one half only; the other half is scored before its errors are looked at, so a
rule that helps one period and hurts the other shows up as overfitting (DEVELOPERS.md, issue 11).
``--errors HALF`` prints the misses, false positives and field errors of that half alone, so tuning
never shows the held-out half's errors by accident. Both gold files (246 articles) are scored;
the figures are those of ``../shared/eval/score.py`` on each half (summitwatch.eval agrees with it).

Skips (exit 0) when ../shared is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
import tarfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
GOLD_DIR = SHARED / "gold"
TARBALL = SHARED / "corpus" / "hkcnews-dev.tar.gz"
sys.path.insert(0, str(ROOT))

from summitwatch.eval import ArticleScore, load_gold_articles, score_articles, source_key  # noqa: E402


def predict(gold: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Parse and extract the tarball members the gold names (one streaming pass)."""
    from summitwatch.articles.parse import parse_record
    from summitwatch.engagements import extract_article
    from summitwatch.knowledge import load_knowledge
    from summitwatch.model import Article, RawDoc

    wanted = {source_key(g["file"]) for g in gold}
    kn = load_knowledge()
    rows = []
    with tarfile.open(TARBALL) as tf:
        for m in tf:
            name = source_key(m.name)
            if name not in wanted or not m.isfile():
                continue
            f = tf.extractfile(m)
            art = parse_record(RawDoc(source=name, data=f.read() if f else b""))
            engs = extract_article(art, kn).engagements if isinstance(art, Article) else ()
            rows.append({"source": name, "engagements": [e.spec_dict() for e in engs]})
    return rows


def split(gold: list[dict[str, Any]], cut: str) -> dict[str, list[dict[str, Any]]]:
    """The gold rows published before ``cut`` and from ``cut`` on (an undated article counts as before)."""
    halves: dict[str, list[dict[str, Any]]] = {"before": [], "after": []}
    for g in gold:
        halves["after" if str(g.get("published") or "") >= cut else "before"].append(g)
    return halves


def _fmt(e: dict[str, Any]) -> str:
    return (f"{'+'.join(e.get('us') or [])} / {'+'.join(e.get('cn') or [])} {e.get('modality')} {e.get('date')}"
            f"{'..' + e['date_end'] if e.get('date_end') else ''} {e.get('location')} {e.get('status')}"
            f" focus={e.get('focus')}\n      | {str(e.get('evidence'))[:160]}")


def print_errors(sc: ArticleScore) -> None:
    for x in sc.misses:
        print(f"MISS {x['source']}: {_fmt(x['gold'])}")
    for x in sc.false_positives:
        print(f"FP   {x['source']}: {_fmt(x['pred'])}")
    for x in sc.field_errors:
        f = x["field"]
        print(f"FIELD {f} {x['source']}: gold={x['gold'].get(f)} pred={x['pred'].get(f)}"
              f" | {str(x['pred'].get('evidence'))[:100]}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cut", default="2020-01-01", help="first publication date of the second half")
    ap.add_argument("--errors", choices=("before", "after"), default=None, help="print this half's errors")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = ap.parse_args()
    if not TARBALL.exists() or not (GOLD_DIR / "dev_articles.jsonl").exists():
        print("split check skipped: ../shared/gold or ../shared/corpus absent")
        return 0
    gold = load_gold_articles(GOLD_DIR)
    preds = predict(gold)
    out: dict[str, dict[str, float]] = {}
    for half, rows in split(gold, args.cut).items():
        sc = score_articles(rows, preds)
        if args.errors == half:
            print_errors(sc)
        fig = sc.figures()
        fig.update(articles=sc.n_articles, gold=sc.n_gold, predicted=sc.n_pred)
        out[half] = fig
        if not args.json:
            print(f"== {half} {args.cut} ({sc.n_articles} articles, {sc.n_gold} gold records)")
            print("\n".join(sc.report_lines()[1:]))
    if args.json:
        print(json.dumps({h: {k: round(v, 3) for k, v in f.items()} for h, f in out.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
