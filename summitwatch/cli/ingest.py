"""Ingest-side commands: ingest, extract, reparse, articles, show, stats, export articles/...

Thin wrappers: each opens the store (or calls the runner) and prints what one library function
returns. Exit status of ingest/reparse/extract: 0 all stored, 3 finished with some records
quarantined or over their time budget (not an error), 1 the run itself failed.
"""

from __future__ import annotations

import json
import sqlite3
import sys

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from summitwatch.cli.app import DB_OPTION, export, main
from summitwatch.cli.scale import ingest_engine
from summitwatch.run.local import extract as run_extract
from summitwatch.run.local import reparse as run_reparse
from summitwatch.store.db import StoreError, connect
from summitwatch.store.export import export_table
from summitwatch.store.query.articles import (
    AmbiguousRef,
    get_article,
    list_articles,
    quarantine_reason,
    resolve_ref,
)
from summitwatch.store.query.filters import Filters, check_day
from summitwatch.store.query.stats import corpus_stats

_WORKERS = click.option(
    "--workers",
    type=click.IntRange(0, 64),
    default=2,
    show_default=True,
    help="Parser/extractor processes (0 or 1: parse in this process).",
)
_RECORD_TIMEOUT = click.option(
    "--record-timeout",
    "record_timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=20.0,
    show_default=True,
    metavar="SECONDS",
    help="Per-record budget for parsing and extraction; a record over it has its worker process "
    "killed and is quarantined as 'timeout'.",
)
_PROGRESS = click.option(
    "--progress/--no-progress", default=True, show_default=True, help="Progress bar (only on a terminal)."
)
_EXPORT_FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True
)
_OUTPUT = click.option(
    "-o", "--output", type=click.Path(dir_okay=False), required=True, help="File to write."
)


def _open(db_path: str) -> sqlite3.Connection:
    try:
        return connect(db_path, create=False)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def print_summary(summary, console: Console, title: str = "ingest") -> None:  # noqa: ANN001 - RunSummary
    """The closing summary of a run: files, articles, duplicates, quarantine reasons, speed."""
    s = summary
    if s.failed and not s.files:
        console.print(f"[bold red]run failed:[/] {escape(s.failed)}")
        return
    t = Table(title=f"summitwatch {title}", show_header=False, box=None, pad_edge=False)
    t.add_column(style="bold")
    t.add_column(justify="right")
    t.add_row("files seen", f"{s.files:,}")
    t.add_row("stored", f"{s.stored:,}")
    t.add_row("articles new", f"{s.articles_new:,}")
    t.add_row("articles updated", f"{s.articles_updated:,}")
    t.add_row("articles unchanged", f"{s.articles_unchanged:,}")
    t.add_row("near-duplicates (store)", f"{s.duplicates:,} in {s.duplicate_groups:,} groups")
    t.add_row("quarantined", f"{s.quarantined_total:,}")
    for reason, n in s.quarantined.most_common():
        t.add_row(f"  {escape(reason)}", f"{n:,}")
    if s.extract_note:
        t.add_row("extraction", escape(s.extract_note.splitlines()[0][:100]))
    else:
        t.add_row(
            "extracted", f"{s.extracted:,}" + (f" ({s.extract_errors} errors)" if s.extract_errors else "")
        )
    if s.extract_timeouts:
        t.add_row("extraction over budget", f"{s.extract_timeouts:,}")
    if s.timeline_entries is not None:
        t.add_row("timeline entries", f"{s.timeline_entries:,}")
    if s.search_indexed is not None:
        t.add_row("search index", f"{s.search_indexed:,} articles indexed")
    t.add_row("elapsed", f"{s.elapsed:.1f} s")
    t.add_row("articles/s", f"{s.articles_per_s:,.0f}")
    console.print(t)
    if s.failed:
        console.print(f"[bold red]run failed:[/] {escape(s.failed)}")


def _finish_run(summary, as_json: bool, title: str) -> None:  # noqa: ANN001
    if as_json:
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_summary(summary, Console(stderr=False), title)
    sys.exit(summary.exit_code)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@DB_OPTION
@click.option(
    "--format",
    "fmt",
    default=None,
    help="Force a record format instead of detecting it per file "
    "(yaml-markdown, mirror-markdown, rss-mirror, html, feed-item, warc-html).",
)
@_WORKERS
@_RECORD_TIMEOUT
@click.option("--no-extract", is_flag=True, help="Store articles only; skip engagement extraction.")
@click.option(
    "--scheduler",
    default=None,
    help="Parse/extract on Dask: tcp://HOST:8786 (a running scheduler) or local[:N] (a loopback cluster).",
)
@click.option(
    "--to-parquet",
    "to_parquet",
    type=click.Path(file_okay=False),
    default=None,
    help="Also write the store as a Parquet dataset (partitioned by outlet and year) in this directory.",
)
@_PROGRESS
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
def ingest(
    paths: tuple[str, ...],
    db_path: str,
    fmt: str | None,
    workers: int,
    record_timeout: float,
    no_extract: bool,
    scheduler: str | None,
    to_parquet: str | None,
    progress: bool,
    as_json: bool,
) -> None:
    """Ingest files, directories, .tar/.tar.gz/.zip archives into the store.

    Incremental: unchanged records are skipped by hash; changed files update their article.
    Exit status 0: all stored; 3: some records quarantined; 1: the run failed.
    """
    # the scale area chooses the engine (local pool or Dask) and writes the dataset
    summary = ingest_engine(
        list(paths), db_path, scheduler=scheduler, workers=workers, progress=progress, fmt=fmt,
        extract=not no_extract, to_parquet=to_parquet, record_timeout=record_timeout,
    )  # fmt: skip
    _finish_run(summary, as_json, "ingest")


@main.command()
@DB_OPTION
@_WORKERS
@_RECORD_TIMEOUT
@click.option("--no-extract", is_flag=True, help="Re-parse only; skip extraction.")
@_PROGRESS
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
def reparse(
    db_path: str, workers: int, record_timeout: float, no_extract: bool, progress: bool, as_json: bool
) -> None:
    """Re-parse every stored raw record (after a parser improvement; no original files needed)."""
    try:
        summary = run_reparse(
            db_path, workers=workers, progress=progress, extract=not no_extract, record_timeout=record_timeout
        )
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    _finish_run(summary, as_json, "reparse")


@main.command()
@DB_OPTION
@click.option("--all", "everything", is_flag=True, help="Re-extract every article, not only stale ones.")
@_WORKERS
@_RECORD_TIMEOUT
@_PROGRESS
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
def extract(
    db_path: str, everything: bool, workers: int, record_timeout: float, progress: bool, as_json: bool
) -> None:
    """Extract engagements, quotes, mentions for articles whose extraction is missing or stale."""
    try:
        summary = run_extract(
            db_path, workers=workers, progress=progress, everything=everything, record_timeout=record_timeout
        )
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(
            f"extracted {summary.extracted:,} articles"
            + (f", {summary.extract_errors} errors" if summary.extract_errors else "")
            + (f", {summary.extract_timeouts} over the record budget" if summary.extract_timeouts else "")
            + f" in {summary.elapsed:.1f} s"
        )
        if summary.failed:
            click.echo(f"extraction failed: {summary.failed}", err=True)
    sys.exit(summary.exit_code)


@main.command()
@DB_OPTION
@click.option("--outlet", help="Outlet name in Chinese (眾新聞) or English (Citizen News).")
@click.option("--since", help="First publication day, YYYY[-MM[-DD]] (inclusive).")
@click.option("--until", help="Last publication day, YYYY[-MM[-DD]] (inclusive).")
@click.option("--language", help="zh, en, ...")
@click.option("--title", "query", help="Only titles containing this text.")
@click.option("--no-duplicates", is_flag=True, help="Hide near-duplicates (keep group representatives).")
@click.option("--limit", type=int, default=50, show_default=True, help="At most this many (0: all).")
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
def articles(
    db_path: str,
    outlet: str | None,
    since: str | None,
    until: str | None,
    language: str | None,
    query: str | None,
    no_duplicates: bool,
    limit: int,
    as_json: bool,
) -> None:
    """List articles, newest first, as a table."""
    for name, value in (("--since", since), ("--until", until)):
        if value:
            try:
                check_day(value)
            except ValueError as exc:
                raise click.BadParameter(f"{name} wants YYYY[-MM[-DD]], got {value!r}") from exc
    f = Filters(
        since=since, until=until, outlet=outlet, language=language, title=query, include_duplicates=not no_duplicates
    )
    rows = list_articles(_open(db_path), f, limit=limit or None).items
    if as_json:
        for r in rows:
            click.echo(json.dumps(r.to_dict(), ensure_ascii=False))
        return
    table = Table(title=f"{len(rows)} articles", show_lines=False)
    table.add_column("published", no_wrap=True)
    table.add_column("outlet", no_wrap=True)
    table.add_column("title")
    table.add_column("no.", justify="right")
    table.add_column("id", no_wrap=True)
    table.add_column("dup of", no_wrap=True)
    for r in rows:
        table.add_row(
            (r.published or "")[:10], r.outlet or "", escape(r.title), r.site_article_no or "", r.id,
            (r.duplicate_of or "")[:8],
        )  # fmt: skip
    Console().print(table)


@main.command()
@DB_OPTION
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True, help="The article record as JSON.")
def show(db_path: str, ref: str, as_json: bool) -> None:
    """Print one clean article: REF is an article id, id prefix, source path or site article number."""
    conn = _open(db_path)
    try:
        aid = resolve_ref(conn, ref)
    except AmbiguousRef as exc:
        raise click.ClickException(str(exc)) from exc
    detail = get_article(conn, aid) if aid is not None else None
    if detail is None:
        q = quarantine_reason(conn, ref)
        if q:
            raise click.ClickException(f"{ref} is quarantined: {q[0]} ({q[1]})")
        raise click.ClickException(f"no article matches {ref!r}")
    a = detail.article
    dup_of = detail.duplicate_of
    srcs = list(detail.sources)
    duplicates = list(detail.duplicates)
    if as_json:
        d = a.to_dict()
        d.update(sources=srcs, duplicate_of=dup_of, duplicates=duplicates)
        click.echo(json.dumps(d, ensure_ascii=False, indent=2, default=list))
        return
    c = Console()
    c.print(f"[bold]{escape(a.title)}[/]")
    meta = [
        ("id", a.id),
        ("outlet", " / ".join(x for x in (a.outlet, a.outlet_en) if x)),
        (
            "published",
            a.published + (f" (mirror stamp {a.published_alt})" if a.published_alt else "")
            if a.published
            else None,
        ),
        ("author", a.author),
        ("category", a.category),
        ("tags", ", ".join(a.tags) or None),
        ("language", f"{a.language} ({a.script})"),
        ("url", a.url),
        ("original url", a.original_url if a.original_url != a.url else None),
        ("archived", f"{a.archived_url} ({a.archived_at})" if a.archived_url else None),
        ("site article no.", a.site_article_no),
        ("format", a.format),
        ("flags", ", ".join(a.flags) or None),
        ("sources", "; ".join(srcs)),
        ("duplicate of", dup_of),
        ("duplicates", ", ".join(duplicates) or None),
    ]
    for k, v in meta:
        if v:
            v = str(v)
            c.print(f"[dim]{k:>16}[/] {escape(v if len(v) <= 160 else v[:157] + '…')}")
    c.print()
    for b in a.blocks:
        if b.kind == "title":
            continue
        if b.kind == "heading":
            c.print(f"[bold]## {escape(b.text)}[/]")
        elif b.kind == "caption":
            c.print(f"[italic dim]{escape(b.text)}[/]")
        else:
            c.print(escape(b.text))
        c.print()
    if a.figures:
        c.print(f"[bold]Figures ({len(a.figures)})[/]")
        for f in a.figures:
            c.print(f"  {escape(f.src)}" + (f"\n    {escape(f.caption)}" if f.caption else ""))
    if a.links:
        c.print(f"[bold]Links ({len(a.links)})[/]")
        for x in a.links:
            c.print(f"  {escape(x.text)} → {escape(x.url)}")


@main.command()
@DB_OPTION
@click.option(
    "--json", "as_json", is_flag=True, help="One JSON object (files, sources, articles, quarantined, ...)."
)
def stats(db_path: str, as_json: bool) -> None:
    """Counts of the store: files, sources, articles, quarantined, with breakdowns."""
    st = corpus_stats(_open(db_path)).to_dict()
    if as_json:
        click.echo(json.dumps(st, ensure_ascii=False, indent=2))
        return
    c = Console()
    t = Table(title="summitwatch store", show_header=False, box=None)
    t.add_column(style="bold")
    t.add_column(justify="right")
    for k in ("files", "sources", "articles", "quarantined", "duplicates", "duplicate_groups",
              "extracted_articles", "engagements", "quotes", "mentions"):  # fmt: skip
        t.add_row(k.replace("_", " "), f"{st[k]:,}")
    c.print(t)
    for key, title in (("by_outlet", "by outlet"), ("by_year", "by year"),
                       ("quarantine_reasons", "quarantine reasons"), ("flags", "flags"),
                       ("languages", "languages")):  # fmt: skip
        if st[key]:
            c.print(f"[bold]{title}:[/] " + ", ".join(f"{escape(k)} {v:,}" for k, v in st[key].items()))


#: The per-table exports: ``export TABLE`` with the help each shows.
_TABLE_EXPORTS = {
    "articles": "One record per source: every article field, source, and its extraction when there is one.",
    "engagements": "Every per-article engagement with its article's source, outlet, date and title.",
    "quotes": "Every quote (speaker, side, words) with its article's context.",
    "mentions": "Every mention (person, office, place, topic, body) with its article's context.",
}


def _export_command(table: str, help_text: str) -> click.Command:
    """``export TABLE``: the store's ``export_table`` for one table (the four differ only by table)."""

    @DB_OPTION
    @_EXPORT_FORMAT
    @_OUTPUT
    def command(db_path: str, fmt: str, output: str) -> None:
        n = export_table(_open(db_path), table, output, fmt)
        click.echo(f"wrote {n:,} {table} to {output}", err=True)

    return export.command(table, help=help_text)(command)


for _table, _help in _TABLE_EXPORTS.items():
    _export_command(_table, _help)
