"""Regenerate docs/cli.md from the commands' own --help texts (tests/test_docs.py checks it is current)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from summitwatch.cli import main

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "cli.md"


def iter_commands(group: click.Group, prefix: list[str]) -> list[tuple[list[str], click.Command]]:
    """Every command below ``group`` in a stable order, groups before their subcommands."""
    out: list[tuple[list[str], click.Command]] = []
    ctx = click.Context(group, info_name=" ".join(prefix))
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        if cmd is None or cmd.hidden:
            continue
        out.append((prefix + [name], cmd))
        if isinstance(cmd, click.Group):
            out.extend(iter_commands(cmd, prefix + [name]))
    return out


def render() -> str:
    """The whole reference page: one section per command with its help text as printed."""
    parts = [
        "# Command reference",
        "",
        "Generated from each command's `--help` by `python scripts/gen_cli_docs.py`; do not edit by hand.",
        "",
    ]
    for path, cmd in iter_commands(main, ["summitwatch"]):
        ctx = click.Context(cmd, info_name=" ".join(path), terminal_width=100, max_content_width=100)
        parts += [f"## `{' '.join(path)}`", "", "```text", cmd.get_help(ctx).rstrip(), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    text = render()
    if "--check" in sys.argv:
        sys.exit(0 if TARGET.exists() and TARGET.read_text(encoding="utf-8") == text else 1)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
