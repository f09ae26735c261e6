"""``summitwatch eval articles``: score stored (or exported) engagements against a gold file.

Prints what ``../shared/eval/score.py`` prints (same figures to the last digit), then every miss,
false positive and wrong field with its evidence sentence, so a person can see why.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from summitwatch.cli.app import DB_OPTION, eval_
from summitwatch.eval import ArticleScore, load_jsonl, score_articles, source_key
from summitwatch.store.db import connect
from summitwatch.store.query.articles import AmbiguousRef, get_article, resolve_ref


def _fmt(e: dict[str, Any]) -> str:
    end = f"..{e['date_end']}" if e.get("date_end") else ""
    return (f"{'+'.join(e.get('us') or [])} / {'+'.join(e.get('cn') or [])}  {e.get('modality')}  "
            f"{e.get('date')}{end}  {e.get('location')}  {e.get('status')}  focus={e.get('focus')}")


def predictions_from_db(db_path: str, gold: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One {"source", "engagements"} row per gold file, read from the store (missing articles left out)."""
    conn = connect(db_path, create=False, readonly=True)
    rows = []
    try:
        for g in gold:
            src = source_key(g["file"])
            try:
                aid = resolve_ref(conn, src)
            except AmbiguousRef:
                aid = None
            if aid is None:
                continue
            detail = get_article(conn, aid)
            if detail is None:
                continue
            rows.append({"source": src, "engagements": [r.engagement.spec_dict() for r in detail.engagements]})
    finally:
        conn.close()
    return rows


def print_score(sc: ArticleScore, details: bool = True) -> None:
    for line in sc.report_lines():
        click.echo(line)
    if not details:
        return
    for x in sc.misses:
        click.echo(f"MISS  {x['source']}: {_fmt(x['gold'])}\n      | {x['gold'].get('evidence')}")
    for x in sc.false_positives:
        click.echo(f"FP    {x['source']}: {_fmt(x['pred'])}\n      | {x['pred'].get('evidence')}")
    for x in sc.field_errors:
        f = x["field"]
        click.echo(f"FIELD {f} {x['source']}: gold={x['gold'].get(f)!r} predicted={x['pred'].get(f)!r}\n"
                   f"      | {x['pred'].get('evidence')}")


@eval_.command("articles")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@DB_OPTION
@click.option("--pred", "pred_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Score this predictions JSONL ({source, engagements}) instead of the database.")
@click.option("--summary", is_flag=True, help="Figures only, without the list of misses and false positives.")
def eval_articles(gold: Path, db_path: str, pred_path: Path | None, summary: bool) -> None:
    """Score per-article engagements against GOLD (loose/strict P/R/F1, field accuracy, misses, FPs)."""
    gold_rows = load_jsonl(gold)
    preds = load_jsonl(pred_path) if pred_path else predictions_from_db(db_path, gold_rows)
    print_score(score_articles(gold_rows, preds), details=not summary)
