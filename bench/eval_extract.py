"""Dev harness: extract the gold articles of the dev tarball and score them (summitwatch.eval and score.py).

usage: .venv/bin/python bench/eval_extract.py [--out preds.jsonl] [--quiet] [--only SUBSTR]

Streams ../shared/corpus/hkcnews-dev.tar.gz once, picks the members named in the gold (both files), parses them
with ``summitwatch.articles.parse.parse_record``,
extracts, writes a predictions JSONL and prints figures, misses and false positives.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
GOLD = SHARED / "gold" / "dev_articles.jsonl"
TARBALL = SHARED / "corpus" / "hkcnews-dev.tar.gz"
sys.path.insert(0, str(ROOT))

from summitwatch.eval import GOLD_ARTICLES_GLOB, load_gold_articles, score_articles, source_key  # noqa: E402
from summitwatch.model import Article, RawDoc  # noqa: E402


def parser() -> Any:
    from summitwatch.articles.parse import parse_record

    return parse_record


def knowledge() -> Any:
    from summitwatch.knowledge import load_knowledge

    return load_knowledge()


def gold_articles() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    gold = load_gold_articles(GOLD.parent)
    wanted = {source_key(g["file"]) for g in gold}
    parse = parser()
    arts: dict[str, Any] = {}
    with tarfile.open(TARBALL) as tf:
        for m in tf:
            name = source_key(m.name)
            if name in wanted and m.isfile():
                f = tf.extractfile(m)
                assert f is not None
                arts[name] = parse(RawDoc(source=name, data=f.read()))
    return gold, arts


def predict(arts: dict[str, Any], kn: Any) -> list[dict[str, Any]]:
    from summitwatch.engagements import extract_article

    rows = []
    for name, art in arts.items():
        if not isinstance(art, Article):
            rows.append({"source": name, "engagements": []})
            continue
        ex = extract_article(art, kn)
        rows.append({"source": name, "engagements": [e.spec_dict() for e in ex.engagements]})
    return rows


def _fmt(e: dict[str, Any]) -> str:
    return (f"{'+'.join(e.get('us') or [])} / {'+'.join(e.get('cn') or [])} {e.get('modality')} {e.get('date')}"
            f"{'..' + e['date_end'] if e.get('date_end') else ''} {e.get('location')} {e.get('status')}"
            f" focus={e.get('focus')}\n      | {str(e.get('evidence'))[:160]}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="/tmp/summitwatch_dev_preds.jsonl")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--only", default=None)
    a = ap.parse_args()
    if not TARBALL.exists():
        print("../shared absent; nothing to do")
        return 0
    t0 = time.time()
    gold, arts = gold_articles()
    kn = knowledge()
    t1 = time.time()
    preds = predict(arts, kn)
    t2 = time.time()
    Path(a.out).write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in preds) + "\n", encoding="utf-8")
    sc = score_articles(gold, preds)
    if not a.quiet:
        for x in sc.misses:
            if a.only and a.only not in x["source"]:
                continue
            print(f"MISS {x['source']}: {_fmt(x['gold'])}")
        for x in sc.false_positives:
            if a.only and a.only not in x["source"]:
                continue
            print(f"FP   {x['source']}: {_fmt(x['pred'])}")
        for x in sc.field_errors:
            if a.only and a.only not in x["source"]:
                continue
            f = x["field"]
            print(f"FIELD {f} {x['source']}: gold={x['gold'].get(f)} pred={x['pred'].get(f)} | {str(x['pred'].get('evidence'))[:100]}")
    print(f"load+parse {t1 - t0:.1f}s, extract {t2 - t1:.2f}s for {len(arts)} articles")
    print("\n".join(sc.report_lines()))
    ref = SHARED / "eval" / "score.py"
    if ref.exists():
        r = subprocess.run([sys.executable, str(ref), "articles", str(GOLD.parent / GOLD_ARTICLES_GLOB), a.out], capture_output=True, text=True)
        print("score.py:", r.stdout.strip().splitlines()[-1] if r.stdout.strip() else r.stderr[-500:])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
