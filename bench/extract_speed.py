"""Throughput of extraction over the whole dev tarball: prefilter alone, full extract_article, and the
quote stage (find_quotes) on its own.

usage: .venv/bin/python bench/extract_speed.py [--limit N]
Parsing is timed apart (it belongs to the articles stage). Single process.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARBALL = ROOT / ".." / "shared" / "corpus" / "hkcnews-dev.tar.gz"
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0)
    a = ap.parse_args()
    if not TARBALL.exists():
        print("../shared absent")
        return 0
    from summitwatch.articles.parse import parse_record
    from summitwatch.engagements import extract_article, prefilter
    from summitwatch.knowledge import load_knowledge
    from summitwatch.mentions import normalise, scan
    from summitwatch.model import Article, RawDoc

    kn = load_knowledge()
    t0 = time.time()
    arts = []
    with tarfile.open(TARBALL) as tf:
        for m in tf:
            if not m.isfile():
                continue
            f = tf.extractfile(m)
            art = parse_record(RawDoc(source=m.name, data=f.read() if f else b""))
            if isinstance(art, Article):
                arts.append(art)
            if a.limit and len(arts) >= a.limit:
                break
    t1 = time.time()
    c1 = time.process_time()
    passed = 0
    for art in arts:
        norm = normalise(art.text)
        passed += prefilter(norm, scan(art.text, kn, norm))
    t2 = time.time()
    c2 = time.process_time()
    counts: collections.Counter[str] = collections.Counter()
    for art in arts:
        ex = extract_article(art, kn)
        counts["engagements"] += len(ex.engagements)
        counts["quotes"] += len(ex.quotes)
        counts["with_engagement"] += bool(ex.engagements)
    t3 = time.time()
    c3 = time.process_time()
    # the quote stage on its own: find_quotes on the articles extract_article hands it (past the
    # prefilter), with its inputs (normalised text, gazetteer spans, sentences) prepared untimed
    from summitwatch.engagements.quotes import find_quotes
    from summitwatch.engagements.sentences import split_sentences

    q_cpu = 0.0
    q_articles = q_found = 0
    for art in arts:
        norm = normalise(art.text)
        spans = scan(art.text, kn, norm)
        if not prefilter(norm, spans):
            continue
        sents = split_sentences(art)
        q0 = time.process_time()
        q_found += len(find_quotes(art.text, norm, sents, spans, kn, art.published_date))
        q_cpu += time.process_time() - q0
        q_articles += 1
    n = len(arts)
    print(f"articles {n}; parse {t1 - t0:.1f}s wall ({n / (t1 - t0):.0f}/s)")
    print(f"prefilter (normalise + gazetteer + cue check): {t2 - t1:.1f}s wall, {c2 - c1:.1f}s CPU "
          f"({n / (c2 - c1):.0f} articles/CPU-s); passed {passed}")
    print(f"extract_article: {t3 - t2:.1f}s wall, {c3 - c2:.1f}s CPU ({n / (c3 - c2):.0f} articles/CPU-s); "
          f"{dict(counts)}")
    print(f"quotes (find_quotes alone, part of extract_article): {q_cpu:.2f}s CPU on {q_articles} articles "
          f"past the prefilter ({q_cpu / max(c3 - c2, 1e-9):.1%} of extract_article CPU); {q_found} quotes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
