"""Draw a reproducible sample of extracted quotes and topic tags for hand-checking (issue 3: precision).

usage: .venv/bin/python bench/check_quotes.py [--seed 1] [-n 50] [--out /tmp/qcheck_seed1.jsonl]

Streams ../shared/corpus/hkcnews-dev.tar.gz, parses every member with ``parse_record``, runs
``extract_article`` and collects every quote and every (article, topic) tag. It then draws a seeded
random sample of ``n`` quotes and ``n`` tags and writes them, with the context a reader needs to
judge them (the sentence, the article title, the sentences naming the topic), one JSON object a line.
The verdicts themselves are hand labels kept in tests/fixtures/quality/ (see its README).
Also prints the population sizes, so a sample's share of the whole is known.
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
TARBALL = ROOT / ".." / "shared" / "corpus" / "hkcnews-dev.tar.gz"
sys.path.insert(0, str(ROOT))


def _sentence_at(sentences: list[Any], pos: int) -> Any:
    """The sentence holding offset ``pos`` (quotes may span two sentences: take the first)."""
    for s in sentences:
        if s.start <= pos < s.end:
            return s
    return None


def collect() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every quote and every article topic tag of the dev tarball, with context, in tarball order."""
    from summitwatch.articles.parse import parse_record
    from summitwatch.engagements import extract_article
    from summitwatch.engagements.sentences import split_sentences
    from summitwatch.eval import source_key
    from summitwatch.knowledge import load_knowledge
    from summitwatch.model import Article, RawDoc

    kn = load_knowledge()
    quotes: list[dict[str, Any]] = []
    tags: list[dict[str, Any]] = []
    with tarfile.open(TARBALL) as tf:
        for m in tf:
            if not m.isfile():
                continue
            f = tf.extractfile(m)
            name = source_key(m.name)
            art = parse_record(RawDoc(source=name, data=f.read() if f else b""))
            if not isinstance(art, Article):
                continue
            ex = extract_article(art, kn)
            if not ex.quotes and not ex.topics:
                continue
            sents = split_sentences(art)
            for q in ex.quotes:
                s = _sentence_at(sents, q.start)
                quotes.append({
                    "source": name, "title": art.title, "published": art.published_date,
                    "speaker": q.speaker, "side": q.side, "reported": q.reported, "text": q.text,
                    "start": q.start, "sentence": s.text if s else art.text[max(0, q.start - 80):q.end + 20],
                })
            for t in ex.topics:
                ms = [x for x in ex.mentions if x.kind == "topic" and x.key == t]
                ctx: list[str] = []
                for x in ms:
                    s = _sentence_at(sents, x.start)
                    if s is not None and s.text not in ctx:
                        ctx.append(s.text)
                    if len(ctx) >= 3:
                        break
                tags.append({
                    "source": name, "title": art.title, "topic": t, "all_topics": list(ex.topics),
                    "n_cues": len(ms), "cues": sorted({x.surface for x in ms}), "chars": len(art.text),
                    "context": ctx,
                })
    return quotes, tags


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-n", type=int, default=50)
    ap.add_argument("--out", default=None, help="sample file (default /tmp/qcheck_seed<seed>.jsonl)")
    ap.add_argument("--dump", default=None, help="also write the whole population (quotes and tags) here")
    a = ap.parse_args()
    if not TARBALL.exists():
        print("skipped: ../shared/corpus absent")
        return 0
    t0 = time.time()
    quotes, tags = collect()
    if a.dump:
        Path(a.dump).write_text(json.dumps({"quotes": quotes, "tags": tags}, ensure_ascii=False), encoding="utf-8")
    rng = random.Random(a.seed)
    q_s = rng.sample(quotes, min(a.n, len(quotes)))
    t_s = rng.sample(tags, min(a.n, len(tags)))
    out = Path(a.out or f"/tmp/qcheck_seed{a.seed}.jsonl")
    with out.open("w", encoding="utf-8") as fh:
        for i, q in enumerate(q_s):
            fh.write(json.dumps({"kind": "quote", "i": i, "seed": a.seed, **q}, ensure_ascii=False) + "\n")
        for i, t in enumerate(t_s):
            fh.write(json.dumps({"kind": "topic", "i": i, "seed": a.seed, **t}, ensure_ascii=False) + "\n")
    print(f"{len(quotes)} quotes, {len(tags)} topic tags in the dev tarball; "
          f"sampled {len(q_s)} + {len(t_s)} (seed {a.seed}) -> {out} in {time.time() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
