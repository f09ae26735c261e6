"""Audit beyond the gold: a seeded sample of dev-corpus sentences naming officials of both sides, outside
the gold articles, with what the extractor makes of each (issue 11, "Audit beyond the gold").

usage:
  .venv/bin/python bench/check_engagements.py draw [--seed 11] [-n 100] [--out FILE]
  .venv/bin/python bench/check_engagements.py output LABELS.jsonl --phase after [--out FILE]
  .venv/bin/python bench/check_engagements.py score LABELS.jsonl

``draw`` streams ../shared/corpus/hkcnews-dev.tar.gz, keeps the sentences of non-gold articles in
which the gazetteer finds a US official and a PRC official (by name or office title), and draws a
seeded random sample; each item carries the sentence, the article title and publication date, and
the extractor's records for that sentence (the detector's candidates read from it, before the
article-level merge) under ``system_<phase>``. The truth of each item (``truth``: the engagements the
sentence reports under ../shared/spec/engagements.md) is a hand label written by a person reading the
sentence in its article. ``output`` re-runs the extractor on the labelled items and stores its records
under ``system_<phase>``; ``score`` prints precision and recall of each phase against the hand labels
(a record is right when each side shares a participant with a true engagement of the sentence; status
agreement is reported beside it).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tarfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
TARBALL = SHARED / "corpus" / "hkcnews-dev.tar.gz"
sys.path.insert(0, str(ROOT))

from summitwatch.eval import load_gold_articles, load_jsonl, norm_name, source_key  # noqa: E402


def _records(art: Any, kn: Any) -> dict[int, list[dict[str, Any]]]:
    """The detector's candidates of an article, by sentence start (the pipeline of extract_article up to the merge)."""
    from summitwatch.engagements import _lead_blocks, prefilter
    from summitwatch.engagements.detect import Detector
    from summitwatch.engagements.sentences import split_sentences
    from summitwatch.mentions import normalise, scan

    text = art.text
    norm = normalise(text)
    spans = scan(text, kn, norm)
    if not prefilter(norm, spans):
        return {}
    det = Detector(kn, text, norm, spans, art.published_date)
    det.title_norm = normalise(art.title or "")
    det.title_people = [s.key for s in scan(art.title or "", kn, det.title_norm) if s.kind == "person"]
    out: dict[int, list[dict[str, Any]]] = {}
    for c in det.candidates(split_sentences(art), _lead_blocks(art)):
        out.setdefault(c.sentence.start, []).append(
            {"us": list(c.us), "cn": list(c.cn), "modality": c.modality, "status": c.status, "date": c.date,
             "date_end": c.date_end, "location": c.location})
    return out


def _articles(only: set[str] | None, skip: set[str]) -> Any:
    from summitwatch.articles.parse import parse_record
    from summitwatch.model import Article, RawDoc

    with tarfile.open(TARBALL) as tf:
        for m in tf:
            name = source_key(m.name)
            if not m.isfile() or name in skip or (only is not None and name not in only):
                continue
            f = tf.extractfile(m)
            art = parse_record(RawDoc(source=name, data=f.read() if f else b""))
            if isinstance(art, Article):
                yield name, art


def draw(seed: int, n: int) -> list[dict[str, Any]]:
    from summitwatch.engagements.sentences import split_sentences
    from summitwatch.knowledge import load_knowledge
    from summitwatch.mentions import normalise, scan

    kn = load_knowledge()
    gold = {source_key(g["file"]) for g in load_gold_articles(SHARED / "gold")}
    population: list[tuple[str, int]] = []
    texts: dict[tuple[str, int], dict[str, Any]] = {}
    for name, art in _articles(None, gold):
        spans = scan(art.text, kn, normalise(art.text))
        for s in split_sentences(art):
            sides = {sp.side for sp in spans if sp.kind in ("person", "office") and s.start <= sp.start < s.end}
            if {"US", "PRC"} <= sides:
                population.append((name, s.start))
                texts[(name, s.start)] = {"source": name, "start": s.start, "sentence": s.text, "title": art.title,
                                          "published": art.published_date}
    print(f"population: {len(population)} sentences naming officials of both sides outside the gold articles")
    picked = random.Random(seed).sample(population, min(n, len(population)))
    return [{"i": i, "seed": seed, **texts[k]} for i, k in enumerate(picked)]


def output(items: list[dict[str, Any]], phase: str) -> list[dict[str, Any]]:
    from summitwatch.knowledge import load_knowledge

    kn = load_knowledge()
    want = {it["source"] for it in items}
    recs = {name: _records(art, kn) for name, art in _articles(want, set())}
    for it in items:
        it[f"system_{phase}"] = recs.get(it["source"], {}).get(it["start"], [])
    return items


def _hit(t: dict[str, Any], p: dict[str, Any]) -> bool:
    return bool({norm_name(n) for n in t["us"]} & {norm_name(n) for n in p["us"]}) and bool(
        {norm_name(n) for n in t["cn"]} & {norm_name(n) for n in p["cn"]})


def score(items: list[dict[str, Any]]) -> None:
    phases = sorted({k[len("system_"):] for it in items for k in it if k.startswith("system_")})
    n_true = sum(len(it["truth"]) for it in items)
    for ph in phases:
        tp = n_pred = status_ok = 0
        for it in items:
            preds = it.get(f"system_{ph}", [])
            n_pred += len(preds)
            used: set[int] = set()
            for p in preds:
                j = next((j for j, t in enumerate(it["truth"]) if j not in used and _hit(t, p)), None)
                if j is not None:
                    used.add(j)
                    tp += 1
                    status_ok += p["status"] == it["truth"][j]["status"]
        p_, r_ = (tp / n_pred if n_pred else 0.0), (tp / n_true if n_true else 0.0)
        print(f"{ph}: {len(items)} sentences, {n_true} true engagements, {n_pred} extracted, {tp} right: "
              f"precision {p_:.3f} recall {r_:.3f}; status right on {status_ok}/{tp}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cmd", choices=("draw", "output", "score"))
    ap.add_argument("labels", nargs="?", default=None)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("-n", type=int, default=100)
    ap.add_argument("--phase", default="before")
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    if not TARBALL.exists():
        print("skipped: ../shared/corpus absent")
        return 0
    if a.cmd == "score":
        score(load_jsonl(a.labels))
        return 0
    items = draw(a.seed, a.n) if a.cmd == "draw" else load_jsonl(a.labels)
    items = output(items, a.phase)
    out = Path(a.out or a.labels or f"/tmp/engcheck_seed{a.seed}.jsonl")
    out.write_text("".join(json.dumps(it, ensure_ascii=False) + "\n" for it in items), encoding="utf-8")
    print(f"{len(items)} items -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
