"""Fixtures for the scale tests: small real corpora cut from the dev tarball at test time.

The subsets are the first N members of ../shared/corpus/hkcnews-dev.tar.gz (real articles, in the
tarball's order) written to a tmp .tar, plus the five seeds; tests skip when ../shared is absent.
"""

from __future__ import annotations

import shutil
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / ".." / "shared" / "corpus"
DEV_TARBALL = CORPUS / "hkcnews-dev.tar.gz"
FIXTURE_SEEDS = ROOT / "tests" / "fixtures" / "seeds"

needs_corpus = pytest.mark.skipif(not DEV_TARBALL.exists(), reason="../shared/corpus is absent")


def write_subset(out: Path, n: int, tarball: Path = DEV_TARBALL) -> Path:
    """The first ``n`` file members of ``tarball`` as an uncompressed tar at ``out``."""
    with tarfile.open(tarball, "r|gz") as src, tarfile.open(out, "w") as dst:
        k = 0
        for m in src:
            if not m.isfile():
                continue
            fh = src.extractfile(m)
            assert fh is not None
            dst.addfile(m, fh)
            k += 1
            if k >= n:
                break
    return out


@pytest.fixture(scope="session")
def corpus300(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(a tar of the first 300 dev-tarball members, a directory with the five bundled seeds)."""
    if not DEV_TARBALL.exists():
        pytest.skip("../shared/corpus is absent")
    d = tmp_path_factory.mktemp("corpus300")
    tar = write_subset(d / "dev300.tar", 300)
    seeds = d / "seeds"
    shutil.copytree(FIXTURE_SEEDS, seeds, ignore=shutil.ignore_patterns("*.md"))
    return tar, seeds
