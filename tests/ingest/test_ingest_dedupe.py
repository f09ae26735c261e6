"""Near-duplicate grouping on real seed text: copies under other article numbers group, a lightly
edited copy groups, the same headline over a different story does not."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from summitwatch.articles.dedupe import title_key
from summitwatch.run.local import ingest
from summitwatch.run.steps import find_duplicates

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
SEED0 = (SEEDS / "000_bbaef8e750e56c0e.txt").read_text(encoding="utf-8")
SEED3 = (SEEDS / "003_bd8ae3f1caba8eac.txt").read_text(encoding="utf-8")


def _front_and_body(text: str) -> tuple[str, str]:
    end = text.index("\n---", 3) + 4
    return text[:end], text[end:]


def _paragraphs(body: str) -> list[str]:
    return [p for p in body.split("\n\n") if len(p) > 60 and not p.lstrip().startswith(("!", "#", "<", "["))]


def test_title_key_normalises() -> None:
    assert title_key("【七一立法會案】11人被控暴動　8月20日再訊") == title_key(
        "【七一立法會案】 11人被控暴動 8月20日再訊！"
    )
    assert title_key("Ｔｅｓｔ  ＴＩＴＬＥ") == "testtitle"
    assert title_key("") is None and title_key("短") is None


def test_groups_copies_and_edits_not_same_headline_other_story(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    front0, body0 = _front_and_body(SEED0)
    _, body3 = _front_and_body(SEED3)
    paras = _paragraphs(body0)
    assert len(paras) >= 3
    edited = body0.replace(paras[1], paras[1][: len(paras[1]) // 2] + "（更新）")
    (d / "orig.md").write_text(SEED0, encoding="utf-8")
    (d / "copy.md").write_text(SEED0.replace("47751", "90001"), encoding="utf-8")
    (d / "edited.md").write_text((front0 + edited).replace("47751", "90002"), encoding="utf-8")
    (d / "other.md").write_text((front0 + body3).replace("47751", "90003"), encoding="utf-8")
    db = tmp_path / "d.db"
    s = ingest([d], db, workers=0, progress=False, extract=False)
    assert s.articles_new == 4
    with sqlite3.connect(db) as conn:
        rows = dict(conn.execute("SELECT site_article_no, duplicate_of FROM articles"))
        ids = dict(conn.execute("SELECT site_article_no, id FROM articles"))
    rep = ids["47751"]  # the lowest site number represents the group
    assert rows["47751"] is None
    assert rows["90001"] == rep
    assert rows["90002"] == rep
    assert rows["90003"] is None
    assert s.duplicates == 2 and s.duplicate_groups == 1


def test_incremental_pass_only_touches_buckets(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "orig.md").write_text(SEED0, encoding="utf-8")
    db = tmp_path / "d.db"
    ingest([d], db, workers=0, progress=False, extract=False)
    (d / "copy.md").write_text(SEED0.replace("47751", "90001"), encoding="utf-8")
    s = ingest([d], db, workers=0, progress=False, extract=False)
    assert s.articles_new == 1 and s.duplicates == 1
    with sqlite3.connect(db) as conn:
        assert find_duplicates(conn, []).assignments == []
        full = find_duplicates(conn, None)
    assert full.groups == 1 and full.duplicates == 1


def test_large_bucket_goes_through_lsh_and_stays_connected() -> None:
    """A recurring headline with many copies: MinHash LSH proposes pairs, sketches confirm them."""
    import numpy as np

    from summitwatch.articles import dedupe

    rng = np.random.default_rng(7)
    base = rng.integers(0, 2**32, 3000, dtype=np.uint64)
    sketches = {}
    for i in range(dedupe.EXACT_MAX + 8):
        v = base.copy()
        v[:90] = rng.integers(0, 2**32, 90, dtype=np.uint64)  # each copy ~3 % edited
        sketches[f"copy{i}"] = dedupe._sketch(v)
    sketches["other"] = dedupe._sketch(rng.integers(0, 2**32, 3000, dtype=np.uint64))
    pairs = dedupe._similar_pairs(list(sketches), sketches)
    uf = dedupe._UnionFind()
    for a, b in pairs:
        uf.union(a, b)
    assert len({uf.find(k) for k in sketches if k != "other"}) == 1
    assert all("other" not in p for p in pairs)
