"""Timeline commands: build-timeline, timeline, export timeline, cite, eval timeline.

Thin wrappers: each opens the store and calls one function of ``summitwatch.store.timeline`` or
``summitwatch.timeline``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from summitwatch.cli.app import DB_OPTION, eval_, export, main
from summitwatch.model import TimelineEntry

_MODALITIES = click.Choice(["in_person", "phone", "video"])


def _day_prefix(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Reject a --since/--until that is not a real day or a prefix of one (「2021-13-01」 would
    otherwise be compared as text and silently filter the wrong entries)."""
    import datetime as dt

    if value is None:
        return None
    filled = value + {4: "-01-01", 7: "-01"}.get(len(value), "")
    try:
        ok = len(value) in (4, 7, 10) and dt.date.fromisoformat(filled).isoformat() == filled
    except ValueError:
        ok = False
    if not ok:
        raise click.BadParameter("use YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _open(db_path: str, create: bool = False):  # noqa: ANN202 - sqlite3.Connection
    from summitwatch.store.db import StoreError
    from summitwatch.store.timeline import open_store

    try:
        return open_store(db_path, create=create)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def _ensure_built(conn) -> None:  # noqa: ANN001
    """Build the timeline on first use when extraction has run but the timeline was never built."""
    from summitwatch.run.steps import rebuild_timeline

    has_tl = conn.execute("SELECT 1 FROM timeline LIMIT 1").fetchone()
    has_eng = conn.execute("SELECT 1 FROM engagements LIMIT 1").fetchone()
    if not has_tl and has_eng:
        rebuild_timeline(conn)


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
    from summitwatch.run.steps import rebuild_timeline

    conn = _open(db_path)
    n = rebuild_timeline(conn)
    dated = conn.execute("SELECT COUNT(*) FROM timeline WHERE date IS NOT NULL").fetchone()[0]
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
    from summitwatch.store.timeline import read_timeline
    from summitwatch.timeline.filters import filter_entries

    conn = _open(db_path)
    _ensure_built(conn)
    entries = filter_entries(read_timeline(conn, since=since, until=until, modality=modality), person, topic)
    if as_json:
        click.echo(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=1))
    else:
        print_timeline(entries)


@export.command("timeline")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "ics"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="File to write ('-' = stdout).")
def export_timeline_cmd(db_path: str, fmt: str, output: str) -> None:
    """Export the timeline as JSON, CSV or iCalendar (one all-day event per dated engagement)."""
    from summitwatch.store.timeline import read_timeline
    from summitwatch.timeline.export import to_csv, to_ics, to_json

    conn = _open(db_path)
    _ensure_built(conn)
    entries = read_timeline(conn)
    text = {"json": to_json, "csv": to_csv, "ics": to_ics}[fmt](entries)
    if output == "-":
        click.echo(text, nl=False)
        return
    # newline="" keeps the CRLF line endings RFC 5545 requires
    Path(output).write_text(text, encoding="utf-8", newline="")
    click.echo(f"wrote {len(entries)} entries to {output}", err=True)


@main.command("cite")
@click.argument("engagement_id")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def cite_cmd(engagement_id: str, db_path: str, as_json: bool) -> None:
    """Print the citations of one engagement: outlet, headline, date, original and archived URL."""
    from summitwatch.store.timeline import citations, get_entry

    conn = _open(db_path)
    entry = get_entry(conn, engagement_id)
    if entry is None:
        raise click.ClickException(f"no timeline entry {engagement_id!r} (see `summitwatch timeline`)")
    cites = citations(conn, engagement_id)
    if as_json:
        click.echo(json.dumps({"entry": entry.to_dict(), "citations": cites}, ensure_ascii=False, indent=1))
        return
    click.echo(f"{entry.id}: {_when(entry)} {entry.modality} {', '.join(entry.us)} / {', '.join(entry.cn)}"
               + (f" ({entry.location})" if entry.location else "") + f" [{entry.status}]")
    for c in cites:
        outlet = c["outlet"] or c["outlet_en"] or "(unknown outlet)"
        if c["outlet"] and c["outlet_en"]:
            outlet = f"{c['outlet']} ({c['outlet_en']})"
        parts = [outlet, f"「{c['title'] or ''}」", (c["published"] or "")[:10] or "n.d."]
        parts.append(c["url"] or "(no original URL)")
        if c["archived_url"]:
            parts.append(f"archived: {c['archived_url']}")
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
    from summitwatch.timeline.evaluate import default_annotated_glob, load_rows, score_timeline
    from summitwatch.timeline.export import export_row

    if pred:
        rows = load_rows(Path(pred))
    else:
        from summitwatch.store.timeline import read_timeline

        conn = _open(db_path)
        _ensure_built(conn)
        rows = [export_row(e) for e in read_timeline(conn)]
    glob_ = annotated_glob or default_annotated_glob(Path(ref))
    score = score_timeline(load_rows(Path(ref)), rows, glob_)
    click.echo("\n".join(score.lines()))
    click.echo(f"timeline F1 {score.f1:.3f}")
