"""A slice of the real dev tarball parses with every member accounted for and no parser failure.

(The full-tarball ingest is shared by the ingest tests; this is the parser's own quick check.)
"""

from __future__ import annotations

import collections
import tarfile
from pathlib import Path

import pytest

from summitwatch.articles.parse import parse_record
from summitwatch.model import Article, Quarantined, RawDoc

TARBALL = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "hkcnews-dev.tar.gz"
SLICE = 2500

pytestmark = [pytest.mark.corpus, pytest.mark.skipif(not TARBALL.exists(), reason="../shared/corpus absent")]


def test_tarball_slice_parses() -> None:
    reasons: collections.Counter[str] = collections.Counter()
    n = 0
    with tarfile.open(TARBALL, "r|gz") as tar:
        for member in tar:
            if not member.isfile():
                continue
            f = tar.extractfile(member)
            assert f is not None
            out = parse_record(RawDoc(member.name, f.read()))
            n += 1
            if isinstance(out, Quarantined):
                reasons[out.reason] += 1
            else:
                assert isinstance(out, Article)
                assert out.title and out.blocks and out.outlet == "眾新聞"
                assert out.site_article_no and member.name.endswith(f"article_{out.site_article_no}.md")
                assert "月費訂戶" not in out.text
            if n >= SLICE:
                break
    print(f"\n{n} members: {sum(reasons.values())} quarantined {dict(reasons)}")
    assert n == SLICE
    assert "parse-error" not in reasons
    assert set(reasons) <= {"placeholder", "no-body"}
    assert sum(reasons.values()) < n * 0.1
