"""``summitwatch curate …``: analysts confirm, reject and correct the record (issue 6).

Thin wrappers over :mod:`summitwatch.curation.actions` (the layer the web/API uses too). Who is
correcting comes from ``--user`` or ``$SUMMITWATCH_USER``. Targets: a timeline entry id (``e-…``,
as `summitwatch timeline` prints it) or a per-article record ``ARTICLE_ID:SEQ``.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from summitwatch.cli.app import DB_OPTION, main

USER_OPTION = click.option("--user", "user", envvar="SUMMITWATCH_USER", help="Who is correcting (or $SUMMITWATCH_USER).")
NOTE_OPTION = click.option("--note", default="", help="Why (kept with the correction).")


def _open(db_path: str) -> sqlite3.Connection:
    from summitwatch.store.db import StoreError, connect

    try:
        return connect(db_path, create=False)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def _run(db_path: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call an action, turning a CurationError into a clear CLI error."""
    from summitwatch.curation.model import CurationError

    conn = _open(db_path)
    try:
        return fn(conn, *args, **kwargs)
    except CurationError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        conn.close()


def _done(result: Any) -> None:
    c, o = result.correction, result.outcome
    what = c.action + (f" {c.payload['field']}={json.dumps(c.payload['value'], ensure_ascii=False)}"
                       if c.action == "set" else "")
    state = f"{o.state}" + (f" ({o.detail})" if o and o.detail else "") if o else "stored"
    click.echo(f"correction #{c.id} by {c.user}: {what} on {c.target_label()}: {state}")
    if o and o.entry_id:
        click.echo(f"entry: {o.entry_id}")
    if result.report.orphans:
        click.echo(f"warning: {len(result.report.orphans)} correction(s) orphaned; see `summitwatch curate list --orphans`",
                   err=True)


@main.group("curate")
def curate() -> None:
    """Analysts' corrections: confirm, reject, set, merge, split, attach, add; list, export, import.

    Corrections are kept apart from extracted data and re-applied after every reparse, extract and
    timeline rebuild; one whose target has gone is listed by `curate list --orphans`.
    """


@curate.command("confirm")
@DB_OPTION
@click.argument("target")
@USER_OPTION
@NOTE_OPTION
def confirm_cmd(db_path: str, target: str, user: str | None, note: str) -> None:
    """Mark an entry (e-…) or record (ARTICLE_ID:SEQ) as right, analyst-confirmed."""
    from summitwatch.curation import actions

    _done(_run(db_path, actions.confirm, target, user=user, note=note))


@curate.command("reject")
@DB_OPTION
@click.argument("target")
@USER_OPTION
@NOTE_OPTION
def reject_cmd(db_path: str, target: str, user: str | None, note: str) -> None:
    """Not an engagement / not this one: hide an entry or record from the timeline (kept as rejected)."""
    from summitwatch.curation import actions

    _done(_run(db_path, actions.reject, target, user=user, note=note))


@curate.command("set")
@DB_OPTION
@click.argument("target")
@click.argument("field", type=click.Choice(["us", "cn", "modality", "date", "date_end", "location", "status", "focus"]))
@click.argument("value")
@USER_OPTION
@NOTE_OPTION
def set_cmd(db_path: str, target: str, field: str, value: str, user: str | None, note: str) -> None:
    """Correct FIELD of an entry or record. Lists (us, cn) are comma-separated; `null` clears a field."""
    from summitwatch.curation import actions

    _done(_run(db_path, actions.set_field, target, field, value, user=user, note=note))


@curate.command("merge")
@DB_OPTION
@click.argument("survivor")
@click.argument("others", nargs=-1, required=True)
@USER_OPTION
@NOTE_OPTION
def merge_cmd(db_path: str, survivor: str, others: tuple[str, ...], user: str | None, note: str) -> None:
    """Entries that are one engagement: fold OTHERS into SURVIVOR (its id is kept)."""
    from summitwatch.curation import actions

    _done(_run(db_path, actions.merge, survivor, list(others), user=user, note=note))


@curate.command("split")
@DB_OPTION
@click.argument("entry")
@click.argument("records", nargs=-1, required=True)
@USER_OPTION
@NOTE_OPTION
def split_cmd(db_path: str, entry: str, records: tuple[str, ...], user: str | None, note: str) -> None:
    """An entry that is two engagements: RECORDS (ARTICLE_ID:SEQ) of ENTRY become a new entry."""
    from summitwatch.curation import actions

    _done(_run(db_path, actions.split, entry, list(records), user=user, note=note))


@curate.command("attach")
@DB_OPTION
@click.argument("record")
@click.argument("entry")
@USER_OPTION
@NOTE_OPTION
def attach_cmd(db_path: str, record: str, entry: str, user: str | None, note: str) -> None:
    """Move a per-article RECORD (ARTICLE_ID:SEQ) to another ENTRY."""
    from summitwatch.curation import actions

    _done(_run(db_path, actions.attach, record, entry, user=user, note=note))


@curate.command("add")
@DB_OPTION
@click.option("--article", "articles", multiple=True, required=True, help="Article id that reports it (repeatable).")
@click.option("--evidence", multiple=True, required=True,
              help="The sentence reporting it, as in the article (one, or one per --article).")
@click.option("--us", "us", multiple=True, required=True, help="US participant(s), canonical names (repeat or comma-separate).")
@click.option("--cn", "cn", multiple=True, required=True, help="PRC participant(s).")
@click.option("--modality", type=click.Choice(["in_person", "phone", "video"]), required=True)
@click.option("--status", type=click.Choice(["held", "planned", "cancelled"]), default="held", show_default=True)
@click.option("--date", default=None, help="YYYY-MM-DD when the articles fix the day.")
@click.option("--date-end", default=None, help="Last day of a multi-day engagement.")
@click.option("--location", default=None, help="City or resort in English (in-person engagements).")
@click.option("--background", is_flag=True, help="Mentioned in passing (focus: false).")
@USER_OPTION
@NOTE_OPTION
def add_cmd(db_path: str, articles: tuple[str, ...], evidence: tuple[str, ...], us: tuple[str, ...],
            cn: tuple[str, ...], modality: str, status: str, date: str | None, date_end: str | None,
            location: str | None, background: bool, user: str | None, note: str) -> None:
    """Add an engagement the extractor missed, citing its article(s) and sentence(s)."""
    from summitwatch.curation import actions

    _done(_run(db_path, actions.add, list(articles), list(evidence), ",".join(us), ",".join(cn), modality,
               status=status, date=date, date_end=date_end, location=location, focus=not background,
               user=user, note=note))


@curate.command("withdraw")
@DB_OPTION
@click.argument("correction_id", type=int)
def withdraw_cmd(db_path: str, correction_id: int) -> None:
    """Stop applying a correction (kept in the table as withdrawn)."""
    from summitwatch.curation import actions

    report = _run(db_path, actions.withdraw, correction_id)
    click.echo(f"correction #{correction_id} withdrawn; {report.applied} applied, {len(report.orphans)} orphaned")


@curate.command("apply")
@DB_OPTION
def apply_cmd(db_path: str) -> None:
    """Re-apply every correction to the timeline (what the timeline rebuild does at its end)."""
    from summitwatch.run.steps import apply_corrections

    conn = _open(db_path)
    try:
        report = apply_corrections(conn)
        conn.commit()
    finally:
        conn.close()
    click.echo(f"{report.applied} correction(s) applied, {len(report.orphans)} orphaned; {report.entries} entries")
    for o in report.orphans:
        click.echo(f"  orphaned #{o.correction_id} {o.action} {o.target}: {o.detail}")


@curate.command("list")
@DB_OPTION
@click.option("--orphans", is_flag=True, help="Only corrections whose target has gone (wholly or partly).")
@click.option("--target", default=None, help="Only corrections naming this entry or article id.")
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
def list_cmd(db_path: str, orphans: bool, target: str | None, as_json: bool) -> None:
    """Corrections with their state now: applied, retargeted, partial, orphaned or withdrawn."""
    from summitwatch.curation import actions

    items = _run(db_path, actions.list_corrections, orphans=orphans, target=target)
    if as_json:
        for it in items:
            click.echo(json.dumps(it.to_dict(), ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"corrections ({len(items)})")
    for col in ("#", "when", "who", "action", "target", "value", "state", "entry", "note"):
        table.add_column(col)
    for it in items:
        c = it.correction
        value = ""
        if c.action == "set":
            value = f"{c.payload['field']}={json.dumps(c.payload['value'], ensure_ascii=False)}"
        elif c.action == "merge":
            value = "+" + ",".join(c.payload.get("entries") or [])
        elif c.action == "attach":
            value = "→ " + str(c.payload.get("entry"))
        elif c.action == "add":
            eng = c.payload.get("engagement") or {}
            value = f"{'/'.join(eng.get('us', []))} — {'/'.join(eng.get('cn', []))} {eng.get('modality')} {eng.get('date') or ''}"
        elif c.action == "reject":
            value = "rejected"
        table.add_row(str(c.id), c.created_at, c.user, c.action, c.target_label(), value,
                      it.state + (f": {it.detail}" if it.detail and it.state != "applied" else ""),
                      it.entry_id or "", c.note)
    Console(width=None if sys.stdout.isatty() else 200).print(table)


@curate.command("export")
@DB_OPTION
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--as-gold", is_flag=True, help="Per-article gold lines in the spec's format (dev_articles.jsonl shape).")
def export_cmd(db_path: str, file: str, as_gold: bool) -> None:
    """Write the corrections as reviewable JSONL (or, --as-gold, as gold for evaluation); `-` for stdout."""
    from summitwatch.curation import io

    fn = io.export_gold if as_gold else io.export_jsonl
    if file == "-":
        n = _run(db_path, fn, sys.stdout)
    else:
        with open(file, "w", encoding="utf-8") as fh:
            n = _run(db_path, fn, fh)
    click.echo(f"wrote {n} {'article(s)' if as_gold else 'correction(s)'} to {file}", err=file == "-")


@curate.command("import")
@DB_OPTION
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_cmd(db_path: str, file: str) -> None:
    """Add the corrections of a JSONL export (those already stored are skipped) and apply them."""
    from summitwatch.curation import io

    added, skipped = _run(db_path, io.import_jsonl, Path(file))
    click.echo(f"imported {added} correction(s), {skipped} already present")
