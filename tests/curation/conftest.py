"""Fixtures of the curation tests: a small store with its timeline built (helpers in curation_helpers)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from curation_helpers import ARTICLES, insert_article

from summitwatch.run.steps import rebuild_timeline
from summitwatch.store.db import connect


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "curate.db"
    conn = connect(path)
    with conn:
        for art in ARTICLES:
            insert_article(conn, art)
    rebuild_timeline(conn)
    conn.close()
    return path


@pytest.fixture
def conn(db_path: Path) -> Iterator[sqlite3.Connection]:
    c = connect(db_path)
    yield c
    c.close()


@pytest.fixture(autouse=True)
def _no_env_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SUMMITWATCH_USER", raising=False)
