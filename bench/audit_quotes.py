"""Draw a seeded random sample of emitted quotes from articles OUTSIDE the gold, for hand-auditing.

usage: .venv/bin/python bench/audit_quotes.py [--seed 12] [-n 100] [--out /tmp/quotes_audit.jsonl]
                                              [--population /tmp/quotes_all.jsonl] [--from-population FILE]

Streams ../shared/corpus/hkcnews-dev.tar.gz, extracts every article that is not annotated in
../shared/gold (dev_articles, dev_articles_added, dev_quotes) and collects every quote the system
emits: direct and reported, any side. Draws ``n`` of them with ``random.Random(seed).sample`` in
tarball order and writes each with what a reader needs to judge it (the sentence around it, the
paragraph's attribution context, the title). The verdicts are hand labels kept in
tests/fixtures/quality/quotes_audit.jsonl (see the README there). Prints the population size.
``--population`` also writes every collected quote; ``--from-population`` draws from such a file
instead of extracting again (the same draw for the same file and seed).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tarfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
TARBALL = SHARED / "corpus" / "hkcnews-dev.tar.gz"
GOLDS = [SHARED / "gold" / n for n in ("dev_articles.jsonl", "dev_articles_added.jsonl", "dev_quotes.jsonl")]
sys.path.insert(0, str(ROOT))


def gold_files() -> set[str]:
    """Every tarball member named by a gold file."""
    out: set[str] = set()
    for g in GOLDS:
        if g.exists():
            for line in g.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    out.add(json.loads(line)["file"])
    return out


def collect() -> list[dict[str, Any]]:
    """Every quote of every non-gold tarball article, with context, in tarball order."""
    from summitwatch.articles.parse import parse_record
    from summitwatch.engagements import extract_article
    from summitwatch.eval import source_key
    from summitwatch.knowledge import load_knowledge
    from summitwatch.model import Article, RawDoc

    kn = load_knowledge()
    skip = gold_files()
    out: list[dict[str, Any]] = []
    with tarfile.open(TARBALL) as tf:
        for m in tf:
            name = source_key(m.name)
            if not m.isfile() or name in skip:
                continue
            f = tf.extractfile(m)
            art = parse_record(RawDoc(source=name, data=f.read() if f else b""))
            if not isinstance(art, Article):
                continue
            ex = extract_article(art, kn)
            t = art.text
            for q in ex.quotes:
                par_a = t.rfind("\n", 0, q.start) + 1
                par_b = t.find("\n", q.end)
                out.append({
                    "source": name, "title": art.title, "published": art.published_date, "speaker": q.speaker,
                    "side": q.side, "reported": q.reported, "text": q.text, "start": q.start, "end": q.end,
                    "context": t[max(par_a, q.start - 160):q.start] + "⟦" + q.text + "⟧"
                    + t[q.end:min(par_b if par_b >= 0 else len(t), q.end + 40)],
                })
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("-n", type=int, default=100)
    ap.add_argument("--out", default="/tmp/quotes_audit.jsonl")
    ap.add_argument("--population", default=None)
    ap.add_argument("--from-population", default=None)
    a = ap.parse_args()
    t0 = time.time()
    if a.from_population:
        quotes = [json.loads(x) for x in Path(a.from_population).read_text(encoding="utf-8").splitlines() if x]
    else:
        if not TARBALL.exists():
            print("skipped: ../shared/corpus absent")
            return 0
        quotes = collect()
    if a.population:
        Path(a.population).write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in quotes),
                                      encoding="utf-8")
    sample = random.Random(a.seed).sample(quotes, min(a.n, len(quotes)))
    with Path(a.out).open("w", encoding="utf-8") as fh:
        for i, q in enumerate(sample):
            fh.write(json.dumps({"i": i, "seed": a.seed, **q}, ensure_ascii=False) + "\n")
    direct = sum(not q["reported"] for q in quotes)
    print(f"{len(quotes)} quotes outside the gold ({direct} direct); sampled {len(sample)} (seed {a.seed}) "
          f"-> {a.out} in {time.time() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
