"""Helpers shared by the scale tests (a module of its own: ``conftest`` names are ambiguous)."""

from __future__ import annotations

from pathlib import Path

import pytest


def code_versions(db: Path) -> set[tuple[str, str]]:
    """The parser versions and knowledge/extractor versions that wrote a store's rows."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        rows = {("parser", r[0]) for r in conn.execute("SELECT DISTINCT parser_version FROM sources")}
        rows |= {
            ("knowledge", f"{r[0]}/{r[1]}")
            for r in conn.execute("SELECT DISTINCT knowledge_hash, extractor_version FROM extractions")
        }
    return rows


def skip_if_code_changed(a: Path, b: Path) -> None:
    """Two stores built minutes apart compare equal only if the same code and data files built them.

    In a shared working tree colleagues edit the parser and the data files while tests run; the
    parser version (a digest of the code) and the knowledge hash then differ, and the comparison
    says nothing about what the test checks.
    """
    va, vb = code_versions(a), code_versions(b)
    if va != vb:
        pytest.skip(f"code or data files changed between the two runs: {sorted(va ^ vb)[:4]}")
