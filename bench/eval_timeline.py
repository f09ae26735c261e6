"""Timeline benchmark: merge the GOLD per-article records of the dev set and score the result.

With gold records as input the merge alone is measured (recall/precision should be ~1.0; a miss is
either a merging error or a reference date that only a non-annotated article fixes). With ``--db``
the store's extracted records are merged and scored instead (the end-to-end figure). With
``--extract`` the extractor runs in process over the annotated articles of the dev tarball (``--all``:
every article of it), which measures extraction + merge without an ingest.

    .venv/bin/python bench/eval_timeline.py [--shared ../shared] [--db news.db | --extract [--all]] [-o FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from summitwatch.eval import GOLD_ARTICLES_GLOB, load_gold_articles, load_gold_timeline  # noqa: E402
from summitwatch.model import Engagement  # noqa: E402
from summitwatch.timeline import RecordRef, build_timeline  # noqa: E402
from summitwatch.timeline.evaluate import score_timeline  # noqa: E402
from summitwatch.timeline.export import export_row  # noqa: E402


def gold_records(gold_dir: Path) -> list[RecordRef]:
    """RecordRefs from the gold article files (article id = source = the tarball member name)."""
    refs: list[RecordRef] = []
    for row in load_gold_articles(gold_dir):
        for seq, e in enumerate(row["engagements"]):
            refs.append(
                RecordRef(article_id=row["file"], source=row["file"], seq=seq, published=row.get("published"),
                          outlet="眾新聞", engagement=Engagement.from_dict(e))
            )
    return refs


def extracted_records(tarball: Path, only: set[str] | None) -> list[RecordRef]:
    """Parse and extract the tarball's articles in process (``only``: these member names)."""
    from summitwatch.articles.parse import parse_record
    from summitwatch.engagements import extract_article
    from summitwatch.knowledge import load_knowledge
    from summitwatch.model import Article, RawDoc
    from summitwatch.sources.walk import iter_records

    kn = load_knowledge()
    refs: list[RecordRef] = []
    for raw in iter_records(tarball):
        if not isinstance(raw, RawDoc) or (only is not None and raw.source not in only):
            continue
        art = parse_record(raw)
        if not isinstance(art, Article):
            continue
        ex = extract_article(art, kn)
        for seq, e in enumerate(ex.engagements):
            refs.append(RecordRef(article_id=art.id, source=raw.source, seq=seq, published=art.published,
                                  outlet=art.outlet, title=art.title, url=art.url, archived_url=art.archived_url,
                                  engagement=e))
    return refs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared")
    ap.add_argument("--db", type=Path, default=None, help="score the store's timeline instead of gold input")
    ap.add_argument("--extract", action="store_true", help="run the extractor on the annotated articles")
    ap.add_argument("--all", action="store_true", help="with --extract: every article of the tarball")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object (for a gate)")
    ap.add_argument("-o", "--output", type=Path, default=None, help="write the JSON export here")
    args = ap.parse_args()
    gold = args.shared / "gold"
    ref = load_gold_timeline(gold)
    if args.db:
        from summitwatch.run.steps import rebuild_timeline
        from summitwatch.store.db import connect
        from summitwatch.store.query.timeline import list_timeline

        conn = connect(args.db)
        rebuild_timeline(conn)
        entries = list(list_timeline(conn, limit=None).items)
        label = f"store {args.db}"
    elif args.extract:
        only = None if args.all else {r["file"] for r in load_gold_articles(gold)}
        refs = extracted_records(args.shared / "corpus" / "hkcnews-dev.tar.gz", only)
        entries = build_timeline(refs)
        label = f"extracted records ({len(refs)}) of {'all' if args.all else 'the annotated'} articles"
    else:
        entries = build_timeline(gold_records(gold))
        label = "gold per-article records"
    rows = [export_row(e) for e in entries]
    if args.output:
        args.output.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    score = score_timeline(ref, rows, str(gold / GOLD_ARTICLES_GLOB))
    if args.json:
        print(json.dumps({"input": label, "precision": round(score.precision, 3), "recall": round(score.recall, 3),
                          "f1": round(score.f1, 3), "judged": score.n_judged, "reference_dated": score.n_reference_dated}))
        return 0
    print(f"input: {label}; entries: {len(entries)} ({sum(1 for e in entries if e.date)} dated)")
    print("\n".join(score.lines()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
