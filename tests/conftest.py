"""Shared session fixtures: stores built once per test session and reused by every area's tests.

- ``seeds_db``: the five seed articles (bundled in tests/fixtures/seeds), with extraction; fast.
- ``dev_db``: the seeds plus the whole dev tarball (../shared/corpus/hkcnews-dev.tar.gz, 36,674
  members), ingested with extraction ONCE per session (~2 CPU-minutes; set
  SUMMITWATCH_DEV_DB_NO_EXTRACT=1 to store articles only); skipped when ../shared is absent.
  Tests must treat both as read-only (copy them, or build a tmp store, to test writes).
- ``dev_summary`` / ``seeds_summary``: the RunSummary of those ingests.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from summitwatch.run.local import RunSummary, ingest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
CORPUS = SHARED / "corpus"
DEV_TARBALL = CORPUS / "hkcnews-dev.tar.gz"
SHARED_SEEDS = CORPUS / "seeds"
FIXTURE_SEEDS = ROOT / "tests" / "fixtures" / "seeds"

needs_corpus = pytest.mark.skipif(not DEV_TARBALL.exists(), reason="../shared/corpus is absent")


@pytest.fixture(scope="session")
def seeds_ingest(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunSummary]:
    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    summary = ingest(sorted(FIXTURE_SEEDS.glob("*.txt")), db, workers=0, progress=False)
    assert not summary.failed, summary.failed
    return db, summary


@pytest.fixture(scope="session")
def seeds_db(seeds_ingest: tuple[Path, RunSummary]) -> Path:
    """The bundled seeds, ingested and extracted (read-only for tests)."""
    return seeds_ingest[0]


@pytest.fixture(scope="session")
def seeds_summary(seeds_ingest: tuple[Path, RunSummary]) -> RunSummary:
    return seeds_ingest[1]


@pytest.fixture(scope="session")
def dev_ingest(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, RunSummary]]:
    if not DEV_TARBALL.exists():
        pytest.skip("../shared/corpus/hkcnews-dev.tar.gz is absent")
    db = tmp_path_factory.mktemp("dev") / "dev.db"
    extract = not os.environ.get("SUMMITWATCH_DEV_DB_NO_EXTRACT")
    summary = ingest([SHARED_SEEDS, DEV_TARBALL], db, workers=2, progress=False, extract=extract)
    assert not summary.failed, summary.failed
    yield db, summary


@pytest.fixture(scope="session")
def dev_db(dev_ingest: tuple[Path, RunSummary]) -> Path:
    """Seeds + the whole dev tarball, ingested and extracted once per session (read-only)."""
    return dev_ingest[0]


@pytest.fixture(scope="session")
def dev_summary(dev_ingest: tuple[Path, RunSummary]) -> RunSummary:
    return dev_ingest[1]
