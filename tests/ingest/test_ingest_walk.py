"""The walker: source naming, archives read in place, hostile containers quarantined with reasons.

Archives are built at test time from the bundled seed files (tests/fixtures/seeds, real articles).
"""

from __future__ import annotations

import io
import os
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest

from summitwatch.model import Quarantined, RawDoc
from summitwatch.sources.walk import iter_records

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
SEED0 = SEEDS / "000_bbaef8e750e56c0e.txt"


def _sources(path: Path) -> dict[str, str]:
    """source -> 'ok' or the quarantine reason."""
    out: dict[str, str] = {}
    for r in iter_records(path):
        out[r.source] = "ok" if isinstance(r, RawDoc) else r.reason
    return out


def _add(tf: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tf.addfile(info, io.BytesIO(data))


def test_single_file_source_is_its_name() -> None:
    recs = list(iter_records(SEED0))
    assert [r.source for r in recs] == [SEED0.name]
    assert isinstance(recs[0], RawDoc) and recs[0].data == SEED0.read_bytes()


def test_directory_sorted_recursive(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.md").write_bytes(b"z")
    (tmp_path / "a.md").write_bytes(b"a")
    (tmp_path / "b" / "c.md").write_bytes(b"c")
    assert list(_sources(tmp_path)) == ["a.md", "b/c.md", "b/z.md"]


def test_tarball_members_and_archive_inside_directory(tmp_path: Path) -> None:
    tgz = tmp_path / "x.tar.gz"
    with tarfile.open(tgz, "w:gz") as tf:
        _add(tf, "13001-14000/article_13416.md", SEED0.read_bytes())
        _add(tf, "./other.md", b"hello")
    assert _sources(tgz) == {"13001-14000/article_13416.md": "ok", "other.md": "ok"}
    d = tmp_path / "dir"
    (d / "sub").mkdir(parents=True)
    tgz.rename(d / "sub" / "x.tar.gz")
    zp = d / "y.zip"
    with zipfile.ZipFile(zp, "w") as zf:
        zf.writestr("m/a.md", SEED0.read_bytes())
    assert _sources(d) == {
        "sub/x.tar.gz/13001-14000/article_13416.md": "ok",
        "sub/x.tar.gz/other.md": "ok",
        "y.zip/m/a.md": "ok",
    }


def test_nested_archive_in_archive(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with tarfile.open(fileobj=inner, mode="w:gz") as tf:
        _add(tf, "in.md", b"inner")
    outer = tmp_path / "outer.tar"
    with tarfile.open(outer, "w") as tf:
        _add(tf, "pack/inner.tgz", inner.getvalue())
    assert _sources(outer) == {"pack/inner.tgz/in.md": "ok"}


def test_hostile_tar_members(tmp_path: Path) -> None:
    tp = tmp_path / "evil.tar"
    with tarfile.open(tp, "w") as tf:
        _add(tf, "../escape.md", b"x")
        _add(tf, "/etc/abs.md", b"x")
        _add(tf, "ok/../../up.md", b"x")
        link = tarfile.TarInfo("link.md")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tf.addfile(link)
        hard = tarfile.TarInfo("hard.md")
        hard.type = tarfile.LNKTYPE
        hard.linkname = "ok.md"
        tf.addfile(hard)
        dev = tarfile.TarInfo("dev")
        dev.type = tarfile.CHRTYPE
        tf.addfile(dev)
        _add(tf, "ok.md", b"fine")
    got = _sources(tp)
    assert got["../escape.md"] == "unsafe-path"
    assert got["/etc/abs.md"] == "unsafe-path"
    assert got["ok/../../up.md"] == "unsafe-path"
    assert got["link.md"] == "not-a-file"
    assert got["hard.md"] == "not-a-file"
    assert got["dev"] == "not-a-file"
    assert got["ok.md"] == "ok"
    assert not (tmp_path.parent / "escape.md").exists()


def test_zip_bomb_and_unsafe_zip(tmp_path: Path) -> None:
    zp = tmp_path / "bomb.zip"
    with zipfile.ZipFile(zp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.md", b"\0" * (8 * 1024 * 1024))  # ratio ~1000:1
        zf.writestr("../up.md", b"x")
        zf.writestr("fine.md", SEED0.read_bytes())
        link = zipfile.ZipInfo("link.md")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    got = _sources(zp)
    assert got == {
        "zeros.md": "archive-bomb",
        "../up.md": "unsafe-path",
        "fine.md": "ok",
        "link.md": "not-a-file",
    }


def test_corrupt_archives_quarantined_not_raised(tmp_path: Path) -> None:
    good = io.BytesIO()
    with tarfile.open(fileobj=good, mode="w:gz") as tf:
        for i in range(50):
            _add(tf, f"a{i}.md", os.urandom(2000))
    trunc = tmp_path / "trunc.tar.gz"
    trunc.write_bytes(good.getvalue()[: len(good.getvalue()) // 2])
    got = _sources(trunc)
    assert got.get("trunc.tar.gz") == "corrupt-archive"
    (tmp_path / "junk.zip").write_bytes(b"PK\x03\x04 not really a zip")
    assert _sources(tmp_path / "junk.zip") == {"junk.zip": "corrupt-archive"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_directory_links_and_fifos_not_followed(tmp_path: Path) -> None:
    (tmp_path / "real.md").write_bytes(b"x")
    (tmp_path / "ln.md").symlink_to(tmp_path / "real.md")
    (tmp_path / "loop").symlink_to(tmp_path)
    os.mkfifo(tmp_path / "pipe")
    got = _sources(tmp_path)
    assert got == {"ln.md": "not-a-file", "loop": "not-a-file", "pipe": "not-a-file", "real.md": "ok"}


def test_too_large_file_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import summitwatch.sources.walk as walk

    monkeypatch.setattr(walk, "MAX_MEMBER_BYTES", 1000)
    (tmp_path / "big.md").write_bytes(b"x" * 1001)
    tp = tmp_path / "t.tar"
    with tarfile.open(tp, "w") as tf:
        _add(tf, "big.md", b"x" * 1001)
    assert _sources(tmp_path / "big.md") == {"big.md": "too-large"}
    assert _sources(tp) == {"big.md": "too-large"}


def test_quarantined_records_carry_detail(tmp_path: Path) -> None:
    tp = tmp_path / "evil.tar"
    with tarfile.open(tp, "w") as tf:
        _add(tf, "../x.md", b"x")
    (q,) = list(iter_records(tp))
    assert isinstance(q, Quarantined) and "../x.md" in q.detail
