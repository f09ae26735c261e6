"""The ingest pipeline on small stores built per test: hostile inputs, incremental runs, resume,
reparse, byte-identical copies, and the CLI's exit codes.

Hostile inputs are generated at test time; the Big5, GB18030 and UTF-16 files are the real text of
the bundled seeds (tests/fixtures/seeds) re-encoded.
"""

from __future__ import annotations

import io
import shutil
import sqlite3
import tarfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import summitwatch.run.local as local
import summitwatch.run.records as records
from summitwatch.cli import main
from summitwatch.run.local import ingest, reparse
from summitwatch.store.codec import blocks_text
from summitwatch.store.query.stats import corpus_stats

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
SEED0 = SEEDS / "000_bbaef8e750e56c0e.txt"  # Traditional Chinese, YAML front matter
SEED2 = SEEDS / "002_4d665036da3f0f00.txt"  # Simplified Chinese mirror page


def _stats(db: Path) -> dict:
    with sqlite3.connect(db) as conn:
        return corpus_stats(conn).to_dict()


def _tar_with(members: dict[str, bytes], symlinks: dict[str, str] = {}) -> bytes:  # noqa: B006
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
        for name, target in symlinks.items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            tf.addfile(info)
    return buf.getvalue()


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    """A copy of the five bundled seed articles (without their SOURCES.md note)."""
    d = tmp_path / "in"
    shutil.copytree(SEEDS, d, ignore=shutil.ignore_patterns("*.md"))
    return d


@pytest.fixture
def hostile_dir(tmp_path: Path) -> tuple[Path, int]:
    """A directory of hostile and damaged inputs; returns it and the number of leaf records in it."""
    d = tmp_path / "hostile"
    d.mkdir()
    seed0 = SEED0.read_text(encoding="utf-8")
    seed2 = SEED2.read_text(encoding="utf-8")
    (d / "binary.bin").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (d / "empty.md").write_bytes(b"")
    (d / "big5.md").write_bytes(seed0.encode("big5", errors="ignore"))
    (d / "gb18030.md").write_bytes(seed2.encode("gb18030"))
    (d / "utf16.md").write_bytes(seed0.encode("utf-16"))  # with BOM
    (d / "truncated-front-matter.md").write_text('---\ntitle: "中美', encoding="utf-8")
    (d / "invalid-yaml.md").write_text(
        "---\ntitle: [unclosed\ndate: : :\n---\n\n正文一段。\n", encoding="utf-8"
    )
    (d / "big-50mb.md").write_bytes(b"---\ntitle: big\n---\n\n" + "中".encode() * (50 * 1024 * 1024 // 3))
    depth = 5000
    (d / "nested.html").write_text(
        "<html><head><title>深層</title></head><body>"
        + "<div>" * depth
        + "<p>美中會談。</p>"
        + "</div>" * depth
        + "</body></html>",
        encoding="utf-8",
    )
    (d / "garbage.txt").write_bytes(bytes(range(128, 256)) * 50)
    (d / "evil.tar.gz").write_bytes(
        _tar_with({"../escape.md": b"x", "ok.md": SEED0.read_bytes()}, {"link.md": "/etc/passwd"})
    )
    with zipfile.ZipFile(d / "bomb.zip", "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.md", b"\0" * (8 * 1024 * 1024))
        zf.writestr("fine.md", SEED2.read_bytes())
    (d / "corrupt.tar.gz").write_bytes(_tar_with({"a.md": b"x" * 5000})[:60])
    (d / "sub").mkdir()
    (d / "sub" / "ln.md").symlink_to(d / "big5.md")
    # leaves: 10 plain files + evil (3 members) + bomb (2) + corrupt (1) + symlink (1)
    return d, 10 + 3 + 2 + 1 + 1


def test_hostile_directory_every_file_accounted(hostile_dir: tuple[Path, int], tmp_path: Path) -> None:
    d, n_leaves = hostile_dir
    db = tmp_path / "h.db"
    s = ingest([d], db, workers=0, progress=False)
    assert not s.failed, s.failed
    assert s.files == n_leaves == s.stored + s.quarantined_total
    st = _stats(db)
    assert st["files"] == n_leaves == st["sources"] + st["quarantined"]
    with sqlite3.connect(db) as conn:
        reasons = dict(conn.execute("SELECT source, reason FROM quarantine"))
        stored = {r[0] for r in conn.execute("SELECT source FROM sources")}
        titles = {
            r[0]: r[1]
            for r in conn.execute(
                "SELECT s.source, a.title FROM sources s JOIN articles a ON a.id = s.article_id"
            )
        }
    print("quarantined:", reasons)
    assert reasons["binary.bin"] == "binary"
    assert reasons["empty.md"] == "empty"
    assert reasons["evil.tar.gz/../escape.md"] == "unsafe-path"
    assert reasons["evil.tar.gz/link.md"] == "not-a-file"
    assert reasons["bomb.zip/zeros.md"] == "archive-bomb"
    assert reasons["corrupt.tar.gz"] == "corrupt-archive"
    assert reasons["sub/ln.md"] == "not-a-file"
    assert reasons["big-50mb.md"] == "too-large"
    assert reasons["truncated-front-matter.md"] in ("bad-front-matter", "no-body")
    assert reasons["invalid-yaml.md"] in ("bad-front-matter", "no-body")
    assert "garbage.txt" in reasons
    # re-encoded real articles decode correctly
    assert {"big5.md", "gb18030.md", "utf16.md", "evil.tar.gz/ok.md", "bomb.zip/fine.md"} <= stored
    assert titles["utf16.md"].startswith("中美元首視像會晤")
    assert titles["big5.md"].startswith("中美元首視像會晤")
    assert titles["gb18030.md"] == titles["bomb.zip/fine.md"]
    # quarantined records keep their raw bytes when they were read (so reparse can retry them)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT raw IS NOT NULL FROM quarantine WHERE source='empty.md'").fetchone()[0]
        assert conn.execute("SELECT raw IS NULL FROM quarantine WHERE source='sub/ln.md'").fetchone()[0]
    assert s.exit_code == 3


def test_identical_copy_is_one_article_two_sources(tmp_path: Path) -> None:
    d = tmp_path / "in"
    (d / "deep").mkdir(parents=True)
    shutil.copy(SEED0, d / "a.md")
    shutil.copy(SEED0, d / "deep" / "copy.md")
    db = tmp_path / "x.db"
    s = ingest([d], db, workers=0, progress=False)
    assert (s.files, s.stored, s.articles_new) == (2, 2, 1)
    st = _stats(db)
    assert (st["sources"], st["articles"]) == (2, 1)


def test_reingest_changes_nothing_and_changed_file_updates(tmp_path: Path, seed_dir: Path) -> None:
    d = seed_dir
    db = tmp_path / "x.db"
    first = ingest([d], db, workers=0, progress=False)
    assert first.articles_new == 5 and first.exit_code == 0
    with sqlite3.connect(db) as conn:
        before = conn.execute("SELECT id, content_hash, updated_run FROM articles ORDER BY id").fetchall()
    again = ingest([d], db, workers=0, progress=False)
    assert (again.articles_new, again.articles_updated, again.articles_unchanged) == (0, 0, 5)
    assert again.sources_unchanged == 5 and again.sources_new == again.sources_changed == 0
    with sqlite3.connect(db) as conn:
        assert (
            conn.execute("SELECT id, content_hash, updated_run FROM articles ORDER BY id").fetchall()
            == before
        )

    target = d / SEED0.name
    text = target.read_text(encoding="utf-8")
    first_para = next(
        p for p in text.split("\n\n")[1:] if len(p) > 40 and not p.startswith(("!", "#", "---"))
    )
    target.write_text(text.replace(first_para, first_para + "（本段已更新）"), encoding="utf-8")
    changed = ingest([d], db, workers=0, progress=False)
    assert (changed.articles_new, changed.articles_updated, changed.articles_unchanged) == (0, 1, 4)
    assert changed.sources_changed == 1
    st = _stats(db)
    assert (st["articles"], st["sources"]) == (5, 5)
    with sqlite3.connect(db) as conn:
        blocks = conn.execute(
            "SELECT a.blocks FROM articles a JOIN sources s ON s.article_id = a.id WHERE s.source=?",
            (SEED0.name,),
        ).fetchone()[0]
    assert "本段已更新" in blocks_text(blocks)  # stored compressed since schema v6: decoded by the codec


def test_killed_run_leaves_consistent_db_and_resumes(
    tmp_path: Path, seed_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = seed_dir
    db = tmp_path / "x.db"
    real_walk = local.walk
    monkeypatch.setattr(records, "COMMIT_EVERY", 1)
    monkeypatch.setattr(records, "CHUNK", 1)

    def dying_walk(paths, fmt):  # noqa: ANN001, ANN202
        for i, item in enumerate(real_walk(paths, fmt)):
            if i == 3:
                raise RuntimeError("simulated crash")
            yield item

    monkeypatch.setattr(local, "walk", dying_walk)
    s = ingest([d], db, workers=0, progress=False)
    assert s.failed and s.exit_code == 1
    with sqlite3.connect(db) as conn:
        n_sources = conn.execute("SELECT count(*) FROM sources").fetchone()[0]
        dangling = conn.execute(
            "SELECT count(*) FROM sources s LEFT JOIN articles a ON a.id = s.article_id WHERE a.id IS NULL"
        ).fetchone()[0]
    assert n_sources <= 3 and dangling == 0  # how many of the first 3 the pool returned before the crash varies
    monkeypatch.setattr(local, "walk", real_walk)
    resumed = ingest([d], db, workers=0, progress=False)
    assert resumed.sources_unchanged == n_sources and resumed.sources_new == 5 - n_sources
    assert _stats(db)["articles"] == 5


def test_reparse_needs_no_original_files(tmp_path: Path, seed_dir: Path) -> None:
    d = seed_dir
    (d / "empty.md").write_bytes(b"")
    db = tmp_path / "x.db"
    ingest([d], db, workers=0, progress=False, extract=False)
    shutil.rmtree(d)
    s = reparse(db, workers=0, progress=False, extract=False)
    assert not s.failed
    assert s.files == 6 and s.stored == 5 and s.quarantined == {"empty": 1}
    assert (s.articles_new, s.articles_updated, s.articles_unchanged) == (0, 0, 5)


def test_pool_and_inline_agree(tmp_path: Path, seed_dir: Path) -> None:
    a = ingest([seed_dir], tmp_path / "a.db", workers=0, progress=False, extract=False)
    b = ingest([seed_dir], tmp_path / "b.db", workers=2, progress=False, extract=False)
    assert a.files == b.files == 5
    q = "SELECT id, content_hash, blocks FROM articles ORDER BY id"
    with sqlite3.connect(tmp_path / "a.db") as ca, sqlite3.connect(tmp_path / "b.db") as cb:
        assert ca.execute(q).fetchall() == cb.execute(q).fetchall()


def test_cli_exit_codes(tmp_path: Path, seed_dir: Path, hostile_dir: tuple[Path, int]) -> None:
    runner = CliRunner()
    db = str(tmp_path / "c.db")
    ok = runner.invoke(main, ["ingest", str(seed_dir), "--db", db, "--workers", "0", "--no-extract"])
    assert ok.exit_code == 0, ok.output
    assert "files seen" in ok.output and "articles new" in ok.output
    some = runner.invoke(main, ["ingest", str(hostile_dir[0]), "--db", db, "--workers", "0", "--no-extract"])
    assert some.exit_code == 3, some.output
    assert "quarantined" in some.output and "unsafe-path" in some.output
    bad = runner.invoke(main, ["ingest", str(tmp_path / "missing"), "--db", db])
    assert bad.exit_code == 1
    assert "no such input" in bad.output


def test_format_override_is_recorded_as_hint(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    ingest([SEED0], db, workers=0, progress=False, extract=False, fmt="yaml-markdown")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT hint FROM sources").fetchone()[0] == "yaml-markdown"


def test_same_name_under_two_paths_kept_apart(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    shutil.copy(SEED0, a / "x.md")
    shutil.copy(SEED2, b / "x.md")
    db = tmp_path / "x.db"
    s = ingest([a, b], db, workers=0, progress=False, extract=False)
    assert s.files == s.stored == 2
    with sqlite3.connect(db) as conn:
        assert sorted(r[0] for r in conn.execute("SELECT source FROM sources")) == ["b/x.md", "x.md"]
