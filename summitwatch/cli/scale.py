"""Scale commands: ``load`` (a SQLite store from a Parquet dataset) and ``export dataset``.

The distributed ingest itself is ``summitwatch ingest PATH --scheduler tcp://HOST:8786`` (or
``--scheduler local:N`` for a loopback cluster of N processes) and ``--to-parquet DIR``; see
docs/scale.md. These commands are thin: they call ``summitwatch.run.parquet``.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.table import Table

from summitwatch.cli.app import DB_OPTION, export, main
from summitwatch.run.local import ingest
from summitwatch.run.summary import RunSummary
from summitwatch.store.db import StoreError, connect

if TYPE_CHECKING:
    from types import ModuleType


def _parquet() -> ModuleType:
    """``run.parquet``, imported on first use: pyarrow adds ~0.4 s to the start of every command."""
    from summitwatch.run import parquet  # the one deferred import of the Parquet layer

    return parquet


def _dask() -> ModuleType:
    """``run.dask``, imported on first use: distributed adds ~0.4 s to the start of every command.

    Without the optional ``distributed`` package the module still imports and ``ingest_dask`` says
    what to install.
    """
    from summitwatch.run import dask  # the one deferred import of the Dask runner

    return dask


def _print_rows(title: str, rows: dict[str, int], as_json: bool, path: str) -> None:
    if as_json:
        click.echo(json.dumps({"path": path, "rows": rows}, ensure_ascii=False, indent=2))
        return
    t = Table(title=title, show_header=False, box=None, pad_edge=False)
    t.add_column(style="bold")
    t.add_column(justify="right")
    for table, n in rows.items():
        t.add_row(table, f"{n:,}")
    Console().print(t)


@main.command()
@click.argument("dataset", type=click.Path(exists=True, file_okay=False))
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the rows loaded as JSON.")
def load(dataset: str, db_path: str, as_json: bool) -> None:
    """Build (or update) the SQLite store from a Parquet DATASET written by `ingest --to-parquet`.

    Rows replace rows with the same key; loading twice changes nothing.
    """
    try:
        s = _parquet().load_dataset(dataset, db_path)
    except (FileNotFoundError, StoreError) as exc:
        raise click.ClickException(str(exc)) from exc
    _print_rows(f"summitwatch load → {db_path}", s.rows, as_json, s.path)
    sys.exit(0)


@export.command(name="dataset")
@click.argument("out_dir", type=click.Path(file_okay=False))
@DB_OPTION
@click.option(
    "--no-raw", is_flag=True, help="Leave the sources' raw bytes out (a loaded store cannot reparse)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the rows written as JSON.")
def export_dataset(out_dir: str, db_path: str, no_raw: bool, as_json: bool) -> None:
    """Write the store as a Parquet dataset partitioned by outlet and year (hive layout) in OUT_DIR."""
    try:
        connect(db_path, create=False).close()
        s = _parquet().write_dataset(db_path, out_dir, raw=not no_raw)
    except (FileExistsError, StoreError) as exc:
        raise click.ClickException(str(exc)) from exc
    _print_rows(f"summitwatch export dataset → {out_dir}", s.rows, as_json, s.path)


def ingest_engine(
    paths: list[str],
    db_path: str,
    *,
    scheduler: str | None,
    workers: int,
    progress: bool,
    fmt: str | None,
    extract: bool,
    to_parquet: str | None,
    record_timeout: float = 20.0,
) -> RunSummary:
    """The ``ingest`` command's run: local pool or Dask, then the Parquet dataset when asked.

    Why here: the ingest command (cli/ingest.py) only parses options; the choice of engine and the
    dataset step belong to the scale area. A dataset that cannot be written fails the run (exit 1).
    """
    if scheduler:
        summary = _dask().ingest_dask(
            paths,
            db_path,
            scheduler=scheduler,
            workers=max(workers, 1),
            progress=progress,
            fmt=fmt,
            extract=extract,
            record_timeout=record_timeout,
        )
    else:
        summary = ingest(
            paths, db_path, workers=workers, progress=progress, fmt=fmt, extract=extract,
            record_timeout=record_timeout,
        )  # fmt: skip
    if to_parquet and not summary.failed:
        try:
            ds = _parquet().write_dataset(db_path, to_parquet)
        except (OSError, ValueError) as exc:
            summary.failed = f"--to-parquet {to_parquet}: {exc}"
        else:
            rows = ", ".join(
                f"{n:,} {t}" for t, n in ds.rows.items() if t in ("articles", "mentions", "engagements")
            )
            click.echo(f"Parquet dataset written to {to_parquet}: {rows}", err=True)
    return summary
