"""Timeline commands: build-timeline, timeline, export timeline, cite, eval timeline.

Thin wrappers: each opens the store and calls the timeline step (``run.steps``) or one query of the
read layer (``store.query.timeline``), the same queries and filters as the API and the web pages.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from summitwatch.cli.app import DB_OPTION, eval_, export, main
from summitwatch.model import TimelineEntry
from summitwatch.run.steps import ensure_timeline, rebuild_timeline
from summitwatch.store.db import StoreError, connect
from summitwatch.store.export import TIMELINE_CSV_COLUMNS, download, timeline_download_rows
from summitwatch.store.query.filters import Filters, check_day
from summitwatch.store.query.timeline import citations, dated_entries, get_entry, list_timeline, timeline_rows
from summitwatch.timeline.evaluate import default_annotated_glob, load_rows, score_timeline

_MODALITIES = click.Choice(["in_person", "phone", "video"])


def _day_prefix(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Reject a --since/--until that is not a real day or a prefix of one (「2021-13-01」 would
    otherwise be compared as text and silently filter the wrong entries)."""
    if value is None:
        return None
    try:
        return check_day(value)
    except ValueError as exc:
        raise click.BadParameter("use YYYY, YYYY-MM or YYYY-MM-DD") from exc


def _open(db_path: str, create: bool = False) -> sqlite3.Connection:
    try:
        return connect(db_path, create=create)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def _ensure_built(conn: sqlite3.Connection) -> None:
    """Build the timeline on first use when extraction has run but the timeline was never built."""
    ensure_timeline(conn)


def _when(e: TimelineEntry) -> str:
    if e.date:
        return e.date + (f" – {e.date_end}" if e.date_end else "")
    if e.date_approx:
        return f"~{e.date_approx}"
    return "undated"


def print_timeline(entries: list[TimelineEntry], console: Console | None = None, title: str | None = None) -> None:
    """The rich table of the timeline (date, modality, US, PRC, location, status, #sources)."""
    table = Table(title=title or f"US–China engagements ({len(entries)})", show_lines=False)
    for col, kw in (("date", {"no_wrap": True}), ("modality", {}), ("US", {}), ("PRC", {}),
                    ("location", {}), ("status", {}), ("#src", {"justify": "right"}), ("id", {"no_wrap": True})):
        table.add_column(col, **kw)
    for e in entries:
        table.add_row(_when(e), e.modality, ", ".join(e.us), ", ".join(e.cn), e.location or "", e.status,
                      str(len(e.sources)), e.id)
    if console is None:
        # piped output (files, tests, `| less`) gets a wide table rather than 80 squeezed columns
        console = Console() if sys.stdout.isatty() else Console(width=180)
    console.print(table)


@main.command("build-timeline")
@DB_OPTION
def build_timeline_cmd(db_path: str) -> None:
    """Merge the per-article engagements of the store into the deduplicated timeline."""
    conn = _open(db_path)
    n = rebuild_timeline(conn)
    dated = dated_entries(conn)
    click.echo(f"timeline: {n} engagements ({dated} dated)")


@main.command("timeline")
@DB_OPTION
@click.option("--since", callback=_day_prefix, help="First day (YYYY-MM-DD, or a prefix such as 2021 or 2021-03).")
@click.option("--until", callback=_day_prefix, help="Last day (YYYY-MM-DD, or a prefix).")
@click.option("--person", help="A participant: canonical name or Chinese name (布林肯).")
@click.option("--modality", type=_MODALITIES, help="in_person, phone or video.")
@click.option("--topic", help="A topic id or a Chinese cue word (台灣).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON objects instead of a table.")
def timeline_cmd(db_path: str, since: str | None, until: str | None, person: str | None,
                 modality: str | None, topic: str | None, as_json: bool) -> None:
    """Print the merged timeline of US–China engagements."""
    conn = _open(db_path)
    _ensure_built(conn)
    f = Filters(since=since, until=until, person=person, modality=modality, topic=topic)
    entries = list(list_timeline(conn, f, limit=None).items)
    if as_json:
        click.echo(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=1))
    else:
        print_timeline(entries)


@export.command("timeline")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "ics"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="File to write ('-' = stdout).")
def export_timeline_cmd(db_path: str, fmt: str, output: str) -> None:
    """Export the timeline as JSON, CSV or iCalendar (one all-day event per dated engagement).

    The same writers as the web UI's download button (``store.export.download``), oldest first."""
    conn = _open(db_path)
    _ensure_built(conn)
    _, rows = timeline_rows(conn, descending=False)
    out = download("timeline", fmt, timeline_download_rows(rows), TIMELINE_CSV_COLUMNS)
    if output == "-":
        sys.stdout.buffer.write(out.body)
        sys.stdout.flush()
        return
    Path(output).write_bytes(out.body)
    click.echo(f"wrote {out.rows} entries to {output}", err=True)


@main.command("cite")
@click.argument("engagement_id")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def cite_cmd(engagement_id: str, db_path: str, as_json: bool) -> None:
    """Print the citations of one engagement: outlet, headline, date, original and archived URL."""
    conn = _open(db_path)
    entry = get_entry(conn, engagement_id)
    if entry is None:
        raise click.ClickException(f"no timeline entry {engagement_id!r} (see `summitwatch timeline`)")
    cites = citations(conn, engagement_id)
    if as_json:
        click.echo(json.dumps({"entry": entry.to_dict(), "citations": [c.to_dict() for c in cites]},
                              ensure_ascii=False, indent=1))
        return
    click.echo(f"{entry.id}: {_when(entry)} {entry.modality} {', '.join(entry.us)} / {', '.join(entry.cn)}"
               + (f" ({entry.location})" if entry.location else "") + f" [{entry.status}]")
    for c in cites:
        outlet = c.outlet or c.outlet_en or "(unknown outlet)"
        if c.outlet and c.outlet_en:
            outlet = f"{c.outlet} ({c.outlet_en})"
        parts = [outlet, f"「{c.title or ''}」", (c.published or "")[:10] or "n.d."]
        parts.append(c.url or "(no original URL)")
        if c.archived_url:
            parts.append(f"archived: {c.archived_url}")
        click.echo("- " + ", ".join(parts))


@eval_.command("timeline")
@click.argument("ref", type=click.Path(exists=True, dir_okay=False))
@DB_OPTION
@click.option("--pred", type=click.Path(exists=True, dir_okay=False),
              help="Score this exported timeline (JSON/JSONL) instead of the store's.")
@click.option("--annotated", "annotated_glob",
              help="Glob of the annotated-articles JSONL (default: dev_articles.jsonl beside REF).")
def eval_timeline_cmd(ref: str, db_path: str, pred: str | None, annotated_glob: str | None) -> None:
    """Score the timeline against a reference timeline, as ../shared/eval/score.py timeline does."""
    if pred:
        rows = load_rows(Path(pred))
    else:
        conn = _open(db_path)
        _ensure_built(conn)
        # the rows `export timeline` writes (the scorer reads its fields and ignores the desk's columns)
        rows = timeline_download_rows(timeline_rows(conn, descending=False)[1])
    glob_ = annotated_glob or default_annotated_glob(Path(ref))
    score = score_timeline(load_rows(Path(ref)), rows, glob_)
    click.echo("\n".join(score.lines()))
    click.echo(f"timeline F1 {score.f1:.3f}")
