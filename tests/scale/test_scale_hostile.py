"""Hostile input beyond tests/ingest: archive bombs by count, size and nesting, headers that lie,
devices, an end-to-end check that an ingest writes nothing outside its database, and feeds that
try entity expansion or external entities. Inputs are generated at test time; the one real article
used is a bundled seed (tests/fixtures/seeds).
"""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import tarfile
import uuid
import zipfile
from pathlib import Path

import pytest

import summitwatch.sources.walk as walk
from summitwatch.model import Quarantined, RawDoc
from summitwatch.sources.walk import iter_records
from summitwatch.store.dump import canonical_dump

ROOT = Path(__file__).resolve().parents[2]
SEED0 = ROOT / "tests" / "fixtures" / "seeds" / "000_bbaef8e750e56c0e.txt"


def _reasons(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for r in iter_records(path):
        out[r.source] = "ok" if isinstance(r, RawDoc) else r.reason
    return out


def _details(path: Path) -> list[Quarantined]:
    return [r for r in iter_records(path) if isinstance(r, Quarantined)]


def _add(tf: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tf.addfile(info, io.BytesIO(data))


def test_tar_bomb_by_member_count_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(walk, "MAX_MEMBERS", 50)
    tp = tmp_path / "many.tar.gz"
    with tarfile.open(tp, "w:gz") as tf:
        for i in range(500):
            _add(tf, f"m/{i:04d}.md", b"x")
    recs = list(iter_records(tp))
    assert sum(isinstance(r, RawDoc) for r in recs) == 50
    bombs = [r for r in recs if isinstance(r, Quarantined)]
    assert [b.reason for b in bombs] == ["archive-bomb"] and "members" in bombs[0].detail


def test_tar_bomb_by_expanded_size_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(walk, "MAX_EXPANDED_BYTES", 100_000)
    tp = tmp_path / "zeros.tar.gz"
    with tarfile.open(tp, "w:gz") as tf:  # 40 x 10 kB of zeros: compresses ~1000:1
        for i in range(40):
            _add(tf, f"z{i:02d}.md", b"\0" * 10_000)
    recs = list(iter_records(tp))
    assert sum(isinstance(r, RawDoc) for r in recs) == 10
    (bomb,) = [r for r in recs if isinstance(r, Quarantined)]
    assert bomb.reason == "archive-bomb" and "expands beyond" in bomb.detail


def test_tar_header_declaring_huge_member_is_not_read(tmp_path: Path) -> None:
    """A header claiming 10 GB (the data is not there): quarantined unread, then the archive is
    reported corrupt where the stream ends; memory stays small (the member is never buffered)."""
    info = tarfile.TarInfo("huge.md")
    info.size = 10 * 1024**3
    raw = info.tobuf(format=tarfile.GNU_FORMAT) + b"\0" * 4096
    tp = tmp_path / "liar.tar"
    tp.write_bytes(raw)
    got = _reasons(tp)
    assert got["huge.md"] == "too-large"
    assert set(got.values()) <= {"too-large", "corrupt-archive"}


def test_zip_bombs_by_count_and_by_lying_header(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(walk, "MAX_MEMBERS", 100)
    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w") as zf:
        for i in range(101):
            zf.writestr(f"{i}.md", b"x")
    assert _reasons(many) == {"many.zip": "archive-bomb"}

    # a member whose headers declare 1 kB but whose deflate stream expands to 3 MB
    liar = tmp_path / "liar.zip"
    with zipfile.ZipFile(liar, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.md", b"\0" * (3 * 1024 * 1024))
    data = bytearray(liar.read_bytes())
    real = (3 * 1024 * 1024).to_bytes(4, "little")
    fake = (1024).to_bytes(4, "little")
    assert data.count(real) == 2  # local header and central directory
    data = data.replace(real, fake)
    liar.write_bytes(bytes(data))
    recs = list(iter_records(liar))
    assert len(recs) == 1
    r = recs[0]
    # either refused, or read no further than declared (the CRC then fails): never 3 MB
    assert isinstance(r, Quarantined) or len(r.data) <= 1024
    if isinstance(r, Quarantined):
        assert r.reason in ("archive-bomb", "corrupt-archive")


def test_nested_archive_bomb_is_capped(tmp_path: Path) -> None:
    blob = SEED0.read_bytes()
    name = "a.md"
    for depth in range(6):  # zip in zip in zip ... six deep
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr(name, blob)
        blob, name = buf.getvalue(), f"l{depth}.zip"
    top = tmp_path / "deep.zip"
    top.write_bytes(blob)
    got = _reasons(top)
    assert list(got.values()) == ["archive-bomb"], got
    (q,) = _details(top)
    assert "nested deeper" in q.detail


def _hostile_tree(d: Path, marker: str) -> int:
    """Every hostile container kind in one directory; returns the number of leaf records."""
    d.mkdir()
    seed = SEED0.read_bytes()
    escapes = [f"../../../../../../tmp/{marker}-up.md", f"/tmp/{marker}-abs.md", f"ok/../../{marker}-mid.md"]
    tp = d / "evil.tar"
    with tarfile.open(tp, "w") as tf:
        for n in escapes:
            _add(tf, n, b"pwned")
        for kind, target in ((tarfile.SYMTYPE, "/etc/passwd"), (tarfile.LNKTYPE, "ok.md")):
            info = tarfile.TarInfo(f"link{kind.decode()}.md")
            info.type = kind
            info.linkname = target
            tf.addfile(info)
        for kind in (tarfile.CHRTYPE, tarfile.BLKTYPE, tarfile.FIFOTYPE):
            info = tarfile.TarInfo(f"dev{kind.decode()}")
            info.type = kind
            tf.addfile(info)
        _add(tf, "ok.md", seed)
    with zipfile.ZipFile(d / "evil.zip", "w") as zf:
        for n in escapes:
            zf.writestr(n, b"pwned")
        link = zipfile.ZipInfo("link.md")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, f"/tmp/{marker}-link")
        zf.writestr("ok.md", seed)
    (d / "sym.md").symlink_to("/etc/passwd")
    n = (len(escapes) + 2 + 3 + 1) + (len(escapes) + 1 + 1) + 1
    if hasattr(os, "mkfifo"):
        os.mkfifo(d / "pipe")
        n += 1
    return n


def _tree(root: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for p in root.rglob("*"):
        st = p.lstat()
        out[p.relative_to(root).as_posix()] = (st.st_mode, st.st_size if stat.S_ISREG(st.st_mode) else 0)
    return out


def test_ingest_writes_nothing_outside_its_database(tmp_path: Path) -> None:
    marker = f"sw-{uuid.uuid4().hex[:12]}"
    work = tmp_path / "work"
    work.mkdir()
    n = _hostile_tree(work / "in", marker)
    before = _tree(tmp_path)
    db = tmp_path / "out" / "h.db"
    proc = subprocess.run(
        [sys.executable, "-m", "summitwatch", "ingest", "in", "--db", str(db), "--workers", "0",
         "--no-progress", "--no-extract", "--json"],
        cwd=work, capture_output=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 3, proc.stderr.decode()
    after = _tree(tmp_path)
    new = {k for k in after if k not in before}
    assert new <= {"out", "out/h.db", "out/h.db-wal", "out/h.db-shm"}, new
    assert {k: v for k, v in after.items() if k in before} == before  # nothing changed in place either
    for suffix in ("up.md", "abs.md", "mid.md", "link"):
        assert not Path(f"/tmp/{marker}-{suffix}").exists()
        assert not (tmp_path / f"{marker}-{suffix}").exists()
    import json

    summary = json.loads(proc.stdout)
    assert summary["files"] == n == summary["stored"] + summary["quarantined"]
    assert summary["stored"] == 2  # the two ok.md copies
    assert set(summary["quarantine_reasons"]) == {"unsafe-path", "not-a-file"}
    assert "pwned" not in canonical_dump(db)


def test_feeds_with_entities_refused_and_external_entities_never_read(tmp_path: Path) -> None:
    from summitwatch.run.local import ingest

    secret = tmp_path / "secret.txt"
    token = f"SECRET-{uuid.uuid4().hex}"
    secret.write_text(token, encoding="utf-8")
    d = tmp_path / "feeds"
    d.mkdir()
    (d / "xxe.xml").write_bytes(
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<rss version="2.0"><channel><title>t</title><item><title>中美會談</title>'
        "<description>&x; 美國國務卿與中國外長會談。</description></item></channel></rss>".encode()
    )
    lol = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    (d / "laughs.xml").write_bytes(
        f'<?xml version="1.0"?><!DOCTYPE r [{lol}]><rss version="2.0"><channel><title>t</title>'
        "<item><title>&l9;</title><description>x</description></item></channel></rss>".encode()
    )
    (d / "xxe.html").write_bytes(
        f'<!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}">]><html><head><title>中美</title></head>'
        "<body><article><h1>中美會談</h1><p>&x; 美國國務卿布林肯與中國外長王毅在北京會談，雙方討論了兩國關係。"
        "</p></article></body></html>".encode()
    )
    db = tmp_path / "f.db"
    s = ingest([d], db, workers=0, progress=False, extract=False)
    assert not s.failed and s.files == 3 == s.stored + s.quarantined_total
    assert s.quarantined.get("unsafe-xml", 0) == 2, dict(s.quarantined)
    dump = canonical_dump(db)
    assert token not in dump
    assert "lollollol" not in dump
