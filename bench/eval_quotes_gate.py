"""CI gate for quotes: extract the dev quote-gold articles from the tarball, score, fail below a floor.

usage: .venv/bin/python bench/eval_quotes_gate.py [--half before|after] [--details] [--no-gate]
       (exit 1 when a figure is below ``quote_floors`` of bench/baseline.json)

Scores the articles of ../shared/gold/dev_quotes.jsonl with the package's parser, extractor and
quote scorer (the same figures as ``../shared/eval/score_quotes.py`` on an export of a store holding
those articles). ``--half`` scores only the gold articles published before 2020-01-01 (``before``)
or from then on (``after``): the split used to tune on one half and check on the other; a half is
never gated. ``--details`` lists every miss, wrong speaker and unmatched prediction.

Skips (exit 0) when ../shared is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
import tarfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
GOLD = SHARED / "gold" / "dev_quotes.jsonl"
TARBALL = SHARED / "corpus" / "hkcnews-dev.tar.gz"
BASELINE = Path(__file__).with_name("baseline.json")
SPLIT_DATE = "2020-01-01"
sys.path.insert(0, str(ROOT))


def predictions(gold: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Per gold file: {"source", "quotes"} as the export writes them, and the publication dates."""
    from summitwatch.articles.parse import parse_record
    from summitwatch.engagements import extract_article
    from summitwatch.eval import source_key
    from summitwatch.knowledge import load_knowledge
    from summitwatch.model import Article, RawDoc

    wanted = {source_key(g["file"]) for g in gold}
    kn = load_knowledge()
    preds: list[dict[str, Any]] = []
    published: dict[str, str] = {}
    with tarfile.open(TARBALL) as tf:
        for m in tf:
            name = source_key(m.name)
            if not m.isfile() or name not in wanted:
                continue
            f = tf.extractfile(m)
            art = parse_record(RawDoc(source=name, data=f.read() if f else b""))
            if not isinstance(art, Article):
                continue
            published[name] = art.published_date or ""
            qs = extract_article(art, kn).quotes
            preds.append({"source": name, "text": art.text, "title": art.title or "", "quotes": [
                {"speaker": q.speaker, "side": q.side, "text": q.text, "reported": q.reported,
                 "start": q.start, "end": q.end, "in_title": q.in_title} for q in qs]})
    return preds, published


def _context(preds: dict[str, dict[str, Any]], file: str, q: dict[str, Any]) -> str:
    text = str((preds.get(file) or {}).get("title" if q.get("in_title") else "text") or "")
    i = text.find(q.get("text", "")[:12]) if q.get("start") is None else int(q["start"])
    return text[max(0, i - 60):i + len(q.get("text", "")) + 20].replace("\n", " ⏎ ") if i >= 0 else ""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--half", choices=("before", "after"), default=None)
    ap.add_argument("--details", action="store_true")
    ap.add_argument("--no-gate", action="store_true", help="print figures only")
    a = ap.parse_args()
    if not (GOLD.exists() and TARBALL.exists()):
        print("quote gate skipped: ../shared/gold or ../shared/corpus absent")
        return 0
    from summitwatch.engagements.quote_score import base_name, score_quotes
    from summitwatch.eval import load_jsonl, source_key

    t0 = time.time()
    gold = load_jsonl(GOLD)
    preds, published = predictions(gold)
    if a.half:
        keep = {k for k, d in published.items() if (d < SPLIT_DATE) == (a.half == "before")}
        gold = [g for g in gold if source_key(g["file"]) in keep]
    sc = score_quotes(gold, preds)
    print(f"quote gold articles: {len(gold)}" + (f" (half: {a.half} {SPLIT_DATE})" if a.half else ""))
    print("\n".join(sc.report_lines()))
    if a.details:
        by_file = {base_name(p["source"]): p for p in preds}
        for x in sc.misses:
            print(f"MISS  {x['file']} {x['gold']['speaker']}: {x['gold']['text'][:60]}")
        for x in sc.wrong:
            print(f"WHO   {x['file']} got {x['speaker']!r} want {x['gold']['speaker']}: {x['gold']['text'][:40]}")
        for x in sc.false_positives:
            p = x["pred"]
            where = " (headline)" if p.get("in_title") else ""
            print(f"FP    {x['file']} {p['speaker']}/{p['side']}{where}: {p['text'][:50]}\n      | "
                  f"{_context(by_file, x['file'], p)}")
    if a.half or a.no_gate:
        return 0
    floors = json.loads(BASELINE.read_text(encoding="utf-8")).get("quote_floors", {})
    got = {"recall": sc.recall, "attribution": sc.attribution, "precision": sc.precision}
    failed = []
    for k, floor in floors.items():
        ok = k in got and got[k] + 1e-9 >= floor
        print(f"  {k:12s} {got.get(k, float('nan')):.3f}  floor {floor:.3f}  {'ok' if ok else 'BELOW FLOOR'}")
        if not ok:
            failed.append(k)
    print(f"quote gate: {'FAILED ' + ', '.join(failed) if failed else 'passed'} in {time.time() - t0:.0f}s")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
