"""CI gate: extract the dev tarball, score articles and timeline, fail when a figure drops.

usage: .venv/bin/python bench/eval_gate.py [--articles-only]   (exit 1 below a floor of bench/baseline.json)

Per-article figures score the 246 gold articles (dev_articles.jsonl and dev_articles_added.jsonl);
the timeline figures merge the records of every article of the tarball (the reference timeline's
dates come from the whole corpus) and score them against timeline_dev.json plus
timeline_dev_added.json, as ``summitwatch eval timeline`` does on a store. With the timeline, the
per-article figures score the records after the corpus-level modality step (timeline/modality.py);
``--articles-only`` scores the records as extracted, without it.

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
GOLD_DIR = SHARED / "gold"
GOLD = GOLD_DIR / "dev_articles.jsonl"
TARBALL = SHARED / "corpus" / "hkcnews-dev.tar.gz"
BASELINE = Path(__file__).with_name("baseline.json")
sys.path.insert(0, str(ROOT))


def main() -> int:
    if not (GOLD.exists() and TARBALL.exists()):
        print("eval gate skipped: ../shared/gold or ../shared/corpus absent")
        return 0
    from summitwatch.articles.parse import parse_record
    from summitwatch.engagements import extract_article
    from summitwatch.eval import (
        GOLD_ARTICLES_GLOB,
        load_gold_articles,
        load_gold_timeline,
        score_articles,
        source_key,
    )
    from summitwatch.knowledge import load_knowledge
    from summitwatch.model import Article, RawDoc
    from summitwatch.timeline import RecordRef, build_timeline
    from summitwatch.timeline.evaluate import score_timeline
    from summitwatch.timeline.export import export_row
    from summitwatch.timeline.modality import settle_modality

    with_timeline = "--articles-only" not in sys.argv
    t0 = time.time()
    gold = load_gold_articles(GOLD_DIR)
    wanted = {source_key(g["file"]) for g in gold}
    kn = load_knowledge()
    preds = []
    refs: list[RecordRef] = []
    with tarfile.open(TARBALL) as tf:
        for m in tf:
            name = source_key(m.name)
            if not m.isfile() or (name not in wanted and not with_timeline):
                continue
            f = tf.extractfile(m)
            art = parse_record(RawDoc(source=name, data=f.read() if f else b""))
            engs = extract_article(art, kn).engagements if isinstance(art, Article) else ()
            if name in wanted:
                preds.append({"source": name, "engagements": [e.spec_dict() for e in engs]})
            if isinstance(art, Article):
                refs.extend(
                    RecordRef(article_id=art.id, source=name, seq=i, published=art.published, outlet=art.outlet,
                              title=art.title, url=art.url, archived_url=art.archived_url, engagement=e)
                    for i, e in enumerate(engs)
                )
    if with_timeline:
        # the corpus-level step settles modality the articles leave unstated (spec: 會晤/峰會/習拜會 take the
        # modality of the engagement they refer to); per-article figures score the settled records
        settled: dict[str, list[dict[str, object]]] = {}
        for r in sorted(settle_modality(refs), key=lambda r: (r.source, r.seq)):
            settled.setdefault(r.source, []).append(r.engagement.spec_dict())
        preds = [{"source": p["source"], "engagements": settled.get(str(p["source"]), [])} for p in preds]
    sc = score_articles(gold, preds)
    figures = sc.figures()
    figures["empty_left_empty"] = sc.empty_ok / sc.empty_n if sc.empty_n else 1.0
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    floors = dict(baseline["floors"])
    print("\n".join(sc.report_lines()))
    if not with_timeline:
        floors.update(baseline.get("articles_only_floors", {}))  # no corpus: unstated modality stays unsettled
    if with_timeline:
        ts = score_timeline(load_gold_timeline(GOLD_DIR), [export_row(e) for e in build_timeline(refs)],
                            str(GOLD_DIR / GOLD_ARTICLES_GLOB))
        print("\n".join(ts.lines()))
        figures.update(timeline_p=ts.precision, timeline_r=ts.recall, timeline_f1=ts.f1)
        floors.update(baseline.get("timeline_floors", {}))
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
