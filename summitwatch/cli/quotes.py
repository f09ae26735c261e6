"""``summitwatch quotes`` (list quotes) and ``summitwatch eval quotes`` (score them against gold).

``eval quotes`` reads the store exactly as ``export articles --format jsonl`` writes it and scores it
with ``engagements.quote_score``, so its figures equal ``../shared/eval/score_quotes.py GOLD EXPORT``
to the last digit; it then lists every miss, wrong speaker and unmatched prediction.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from summitwatch.cli.app import DB_OPTION, eval_, main
from summitwatch.engagements.quote_score import score_quotes
from summitwatch.eval import load_jsonl
from summitwatch.knowledge import load_knowledge
from summitwatch.store.db import connect
from summitwatch.store.export import article_records
from summitwatch.store.query.quotes import QuoteFilters, list_quotes

_DATE = click.DateTime(formats=["%Y-%m-%d"])


def export_rows(db_path: str) -> list[dict[str, Any]]:
    """``{"source", "quotes"}`` per stored source, in the order and form of ``export articles``."""

    conn = connect(db_path, create=False, readonly=True)
    try:
        return [{"source": r["source"], "quotes": r["quotes"]} for r in article_records(conn)]
    finally:
        conn.close()


@eval_.command("quotes")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Figures and counts as one JSON object.")
@click.option("--details/--summary", default=True, help="List misses, wrong speakers and unmatched quotes.")
def eval_quotes(gold: Path, db_path: str, as_json: bool, details: bool) -> None:
    """Score direct quotes against GOLD: recall, attribution (on found), precision."""
    sc = score_quotes(load_jsonl(gold), export_rows(db_path))
    if as_json:
        click.echo(json.dumps({**sc.figures(), **sc.counts()}, ensure_ascii=False))
        return
    for line in sc.report_lines():
        click.echo(line)
    if not details:
        return
    for x in sc.misses:
        click.echo(f"MISS  {x['file']}: {'/'.join(x['gold']['speaker'])} 「{x['gold']['text'][:50]}」")
    for x in sc.wrong:
        click.echo(f"WHO   {x['file']}: {x['speaker']!r}, want {'/'.join(x['gold']['speaker'])} "
                   f"「{x['gold']['text'][:40]}」")
    for x in sc.false_positives:
        p = x["pred"]
        click.echo(f"FP    {x['file']}: {p.get('speaker')} ({p.get('side')}) 「{str(p.get('text'))[:50]}」")


@main.command("quotes")
@DB_OPTION
@click.option("--speaker", default=None, help="Canonical name or any Chinese alias (either script).")
@click.option("--side", type=click.Choice(["US", "PRC", "other"], case_sensitive=False), default=None)
@click.option("--since", type=_DATE, default=None, help="Articles published on or after (YYYY-MM-DD).")
@click.option("--until", type=_DATE, default=None, help="Articles published on or before (YYYY-MM-DD).")
@click.option("-q", "--query", "text", default=None, help="Words within the quote (either script).")
@click.option("--limit", type=click.IntRange(1, 100000), default=50, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0)
@click.option("--json", "as_json", is_flag=True, help="The API's object: {total, limit, offset, items}.")
def quotes_cmd(db_path: str, speaker: str | None, side: str | None, since: Any, until: Any, text: str | None,
               limit: int, offset: int, as_json: bool) -> None:
    """Direct quotes of either side, newest first; copies of an article count once (sources)."""

    f = QuoteFilters(speaker, side, since.date().isoformat() if since else None,
                     until.date().isoformat() if until else None, text)
    conn = connect(db_path, create=False, readonly=True)
    try:
        page = list_quotes(conn, f, limit, offset, kn=load_knowledge())
    finally:
        conn.close()
    if as_json:
        click.echo(json.dumps(page.to_dict(), ensure_ascii=False))
        return
    click.echo(f"{page.total} quotes (showing {len(page.items)} from {page.offset})")
    for it in page.items:
        n = f" ×{len(it.sources)}" if len(it.sources) > 1 else ""
        eng = f"  [{it.engagement_id}]" if it.engagement_id else ""
        where = " (headline)" if it.in_title else ""
        click.echo(f"{(it.published or '')[:10]}  {it.speaker} ({it.side}){n}{eng}\n    「{it.text}」{where}\n"
                   f"    {it.outlet or ''} {it.title or ''}")
