"""Every CLI command has help text and a section in docs/cli.md that matches its current --help."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py")
gen = importlib.util.module_from_spec(spec)
assert spec.loader is not None
spec.loader.exec_module(gen)

COMMANDS = gen.iter_commands(gen.main, ["summitwatch"])


@pytest.mark.parametrize("path,cmd", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_command_has_help(path: list[str], cmd) -> None:
    assert (cmd.help or cmd.short_help or "").strip(), f"{' '.join(path)} has no help text"


def test_cli_reference_is_current() -> None:
    """Rendered in a fresh process: other tests may leave environment (SUMMITWATCH_*) that help texts show."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("SUMMITWATCH_")}
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_cli_docs.py"), "--check"], env=env, cwd=ROOT)
    assert res.returncode == 0, "docs/cli.md is stale: run `python scripts/gen_cli_docs.py`"


def test_readme_names_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "bash scripts/run.sh" in readme and "bash scripts/test.sh" in readme
    assert "scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
