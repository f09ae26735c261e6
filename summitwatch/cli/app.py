"""The click groups every command module attaches to.

Library first, thin CLI: each command opens a database and calls one library function.
Command modules live beside this file (``cli/<area>.py``) and decorate ``main`` or one of the
sub-groups below; ``cli/__init__.py`` imports them so that they register.
"""

from __future__ import annotations

import click

from summitwatch import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="summitwatch")
def main() -> None:
    """summitwatch: US–China engagements from Chinese-language news archives."""


@main.group()
def export() -> None:
    """Export articles, engagements, quotes, mentions or the timeline to files."""


@main.group(name="eval")
def eval_() -> None:
    """Score output against gold files (precision, recall, F1 per field)."""


DB_OPTION = click.option(
    "--db",
    "db_path",
    default="summitwatch.db",
    show_default=True,
    envvar="SUMMITWATCH_DB",
    type=click.Path(dir_okay=False),
    help="SQLite database file.",
)
