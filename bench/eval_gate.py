"""CI gate: extract the gold articles of the dev tarball, score them, fail when a figure drops.

usage: .venv/bin/python bench/eval_gate.py        (exit 1 below a floor of bench/baseline.json)

Skips (exit 0) when ../shared is absent. Uses the package's parser, knowledge and scorer only.
"""

from __future__ import annotations

import json
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
GOLD = SHARED / "gold" / "dev_articles.jsonl"
TARBALL = SHARED / "corpus" / "hkcnews-dev.tar.gz"
BASELINE = Path(__file__).with_name("baseline.json")
sys.path.insert(0, str(ROOT))


def main() -> int:
    if not (GOLD.exists() and TARBALL.exists()):
        print("eval gate skipped: ../shared/gold or ../shared/corpus absent")
        return 0
    from summitwatch.articles.parse import parse_record
    from summitwatch.engagements import extract_article
    from summitwatch.eval import load_jsonl, score_articles, source_key
    from summitwatch.knowledge import load_knowledge
    from summitwatch.model import Article, RawDoc

    t0 = time.time()
    gold = load_jsonl(GOLD)
    wanted = {source_key(g["file"]) for g in gold}
    kn = load_knowledge()
    preds = []
    with tarfile.open(TARBALL) as tf:
        for m in tf:
            name = source_key(m.name)
            if name not in wanted or not m.isfile():
                continue
            f = tf.extractfile(m)
            art = parse_record(RawDoc(source=name, data=f.read() if f else b""))
            engs = extract_article(art, kn).engagements if isinstance(art, Article) else ()
            preds.append({"source": name, "engagements": [e.spec_dict() for e in engs]})
    sc = score_articles(gold, preds)
    figures = sc.figures()
    figures["empty_left_empty"] = sc.empty_ok / sc.empty_n if sc.empty_n else 1.0
    floors = json.loads(BASELINE.read_text(encoding="utf-8"))["floors"]
    print("\n".join(sc.report_lines()))
    failed = []
    for k, floor in floors.items():
        got = figures.get(k)
        mark = "ok" if got is not None and got + 1e-9 >= floor else "BELOW FLOOR"
        if mark != "ok":
            failed.append(k)
        print(f"  {k:18s} {got if got is None else round(got, 3)!s:>6}  floor {floor:.3f}  {mark}")
    print(f"eval gate: {len(preds)} articles in {time.time() - t0:.1f}s; knowledge {kn.hash}")
    if failed:
        print("eval gate FAILED: " + ", ".join(failed))
        return 1
    print("eval gate passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
