"""``summitwatch search``: cross-script full-text search from the terminal (hits in bold)."""

from __future__ import annotations

import json
import re

import click
from rich.console import Console
from rich.text import Text

from summitwatch.cli.app import DB_OPTION, main
from summitwatch.store.db import StoreError, connect
from summitwatch.store.query.search import SORTS, SearchFilters, SearchIndexUnavailable, search
from summitwatch.web.highlight import search_json


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", value):
        raise click.BadParameter("use YYYY, YYYY-MM or YYYY-MM-DD")
    if value is not None and param.name == "until":
        value += {4: "-12-31", 7: "-31"}.get(len(value), "")
    return value


@main.command("search")
@click.argument("query")
@DB_OPTION
@click.option(
    "--json", "as_json", is_flag=True, help='Print {"total": N, "hits": [...]} (as GET /api/search).'
)
@click.option("--outlet", help="Only this outlet (Chinese or English name).")
@click.option("--since", callback=_date, help="Published on or after (YYYY[-MM[-DD]]).")
@click.option("--until", callback=_date, help="Published on or before (YYYY[-MM[-DD]]).")
@click.option("--person", help="Only articles mentioning this official (canonical name, e.g. 'Xi Jinping').")
@click.option("--topic", help="Only articles with this topic id.")
@click.option("--has-engagement", is_flag=True, help="Only articles with at least one engagement record.")
@click.option("--all-copies", is_flag=True, help="Also list near-duplicate copies.")
@click.option(
    "--sort",
    type=click.Choice(SORTS),
    default="relevance",
    show_default=True,
    help="relevance (BM25, title hits weigh more) or date (newest first).",
)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0, show_default=True)
def search_cmd(
    query: str,
    db_path: str,
    as_json: bool,
    outlet: str | None,
    since: str | None,
    until: str | None,
    person: str | None,
    topic: str | None,
    has_engagement: bool,
    all_copies: bool,
    sort: str,
    limit: int,
    offset: int,
) -> None:
    """Search articles in either script: 習近平 finds 习近平. Spaces separate terms (all must occur);
    an unspaced run such as 中美會談, or "quoted text", is one exact phrase; -word excludes.

    Reads the search index that ingest keeps current; it never builds one.
    """
    try:
        conn = connect(db_path, create=False)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    f = SearchFilters(outlet, since, until, person, topic, has_engagement, all_copies)
    try:
        result = search(conn, query, f, limit=limit, offset=offset, sort=sort)
    except SearchIndexUnavailable as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        conn.close()
    if as_json:
        click.echo(json.dumps(search_json(result), ensure_ascii=False, indent=2))
        return
    console = Console(highlight=False)
    console.print(f"{result.total} article{'' if result.total == 1 else 's'}", style="dim")
    for i, hit in enumerate(result.hits, start=offset + 1):
        title = Text(f"{i}. ")
        for part, is_hit in hit.title_parts or ((hit.title, False),):
            title.append(part, style="bold yellow" if is_hit else "bold")
        console.print(title)
        meta = " · ".join(x for x in ((hit.published or "no date")[:10], hit.outlet or "", hit.id) if x)
        console.print(Text(f"   {meta} · score {hit.score:.2f}", style="dim"))
        links = [f"copy of {hit.copy_of}"] if hit.copy_of else []
        if hit.people:
            links.append("people: " + ", ".join(hit.people[:6]) + (" …" if len(hit.people) > 6 else ""))
        if hit.engagements:
            links.append("engagements: " + ", ".join(hit.engagements[:4]) + (" …" if len(hit.engagements) > 4 else ""))
        for line in links:
            console.print(Text("   " + line, style="dim"))
        snippet = Text("   ")
        for part, is_hit in hit.snippet:
            snippet.append(part, style="bold" if is_hit else "")
        console.print(snippet)
