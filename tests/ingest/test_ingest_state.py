"""store/state.py: the runner's bookkeeping queries, each checked once on a small real store
(the bundled seeds, one of them also quarantined as empty)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from summitwatch.run.local import ingest
from summitwatch.run.versions import parser_version
from summitwatch.store import state, write

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("in")
    for p in sorted(SEEDS.glob("*.txt"))[:3]:
        shutil.copy(p, d / p.name)
    (d / "empty.md").write_bytes(b"")
    db = d.parent / "state.db"
    s = ingest([d], db, workers=0, progress=False)
    assert s.stored == 3 and dict(s.quarantined) == {"empty": 1}
    return db


def test_source_article_and_quarantine_states(store: Path) -> None:
    with sqlite3.connect(store) as conn:
        sources = state.source_states(conn)
        arts = state.article_hashes(conn)
        q = state.quarantine_states(conn)
        by_hash = state.sources_by_raw_hash(conn, parser_version())
        ext = state.extraction_states(conn)
    assert len(sources) == 3 and {v[2] for v in sources.values()} == set(arts)
    assert all(v[1] == parser_version() for v in sources.values())
    assert {v[0] for v in by_hash.values()} == set(arts) and len(by_hash) == 3
    assert list(q) == ["empty.md"] and q["empty.md"][2] == "empty"
    assert set(ext) == set(arts) and all(v[0] == arts[a] for a, v in ext.items())


def test_extraction_ids_finds_missing_and_stale(store: Path) -> None:
    with sqlite3.connect(store) as conn:
        (kh, ver), *_ = set(conn.execute("SELECT knowledge_hash, extractor_version FROM extractions"))
        assert state.extraction_ids(conn, kh, ver) == []
        assert len(state.extraction_ids(conn, kh, ver, everything=True)) == 3
        assert len(state.extraction_ids(conn, "other-knowledge", ver)) == 3
        assert len(state.extraction_ids(conn, kh, "other-version")) == 3


def test_runs_and_steps_bookkeeping(store: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(store, db)
    with sqlite3.connect(db) as conn:
        (last,) = conn.execute("SELECT max(id) FROM runs").fetchone()
        assert state.get_done_run(conn, "dedupe") == last and state.get_done_run(conn, "nothing") == 0
        assert not state.unfinished_runs_between(conn, 0, last + 1)
        killed = write.start_run(conn, ["(killed)"])  # never finished, as a killed run
        assert state.unfinished_runs_between(conn, 0, killed + 1)
        assert not state.unfinished_runs_between(conn, killed, killed + 1)
        assert state.articles_updated_between(conn, 0, last + 1) and not state.articles_updated_between(
            conn, last, last + 1
        )
        assert state.duplicate_counts(conn) == (0, 0)
        a, b = sorted(state.article_hashes(conn))[:2]
        write.set_duplicates(conn, [(b, a)])
        assert state.duplicate_counts(conn) == (1, 1)


def test_stored_raw_records_returns_every_kept_record(store: Path) -> None:
    with sqlite3.connect(store) as conn:
        recs = list(state.stored_raw_records(conn, batch=2))
    # sources in order, then quarantined records that kept their bytes (the parser quarantined
    # the empty one, so its compressed bytes are stored for a later reparse)
    assert [r[1] for r in recs] == [*sorted(p.name for p in SEEDS.glob("*.txt"))[:3], "empty.md"]
    assert all(r[2] and len(r[3]) == 64 and isinstance(r[5], dict) for r in recs)
