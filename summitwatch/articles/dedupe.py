"""Near-duplicate groups: the same story stored under several article ids.

Why buckets first: the hkcnews archive holds many stories under several ids (``article_32547`` to
``32549``), but hashing every article's text costs too much for the ingest speed target (MinHash
runs at ~300 articles/s per core). So similarity is only computed inside *candidate buckets*:

1. the same outlet and the same normalised title (``title_key``);
2. the same outlet, publication days at most one apart and titles sharing most character bigrams.

Inside a bucket, identical clean content (``content_hash``) groups for free; distinct texts are
compared by the Jaccard similarity of their character 5-gram shingles: exactly for small buckets
(cheaper and more accurate than sketches for a handful of texts), with datasketch MinHash LSH for
large ones. Groups are transitive; the representative is the lowest site article number, then the
earliest publication, then the smallest id. Everyone else gets ``duplicate_of`` = representative.

The pass is incremental: it looks only at buckets touched by the articles a run added or changed.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

__all__ = ["title_key", "find_duplicates", "DedupeResult", "SIMILARITY", "SHINGLE"]

SIMILARITY = 0.8  # Jaccard of body shingles at or above which two texts are one story
TITLE_SIMILARITY = 0.6  # bigram Jaccard for the ±1 day rule
SHINGLE = 5  # characters per shingle
EXACT_MAX = 12  # buckets with at most this many distinct texts are compared exactly
NUM_PERM = 64

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_MIN_TITLE_KEY = 4


def title_key(title: str | None) -> str | None:
    """Normalised title for bucketing: NFKC, case-folded, punctuation and spaces removed.

    None for empty or very short titles, which would lump unrelated articles together.
    """
    if not title:
        return None
    key = _NON_WORD.sub("", unicodedata.normalize("NFKC", title).casefold())
    return key if len(key) >= _MIN_TITLE_KEY else None


@dataclass(frozen=True, slots=True)
class _Meta:
    id: str
    outlet: str | None
    day: str | None
    site_no: str | None
    content_hash: str
    title_key: str | None
    published: str | None
    duplicate_of: str | None


@dataclass(slots=True)
class DedupeResult:
    """``assignments``: (article id, representative id or None) for every article looked at."""

    assignments: list[tuple[str, str | None]]
    groups: int
    duplicates: int
    compared: int  # distinct texts whose shingles were computed


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _rank(m: _Meta) -> tuple[int, int, str, str]:
    """Representative order: lowest site number, then earliest publication, then id."""
    no = m.site_no or ""
    has_no = 0 if no.isdigit() else 1
    return (has_no, int(no) if no.isdigit() else 0, m.published or "9999", m.id)


def _shingle_hashes(text: str) -> np.ndarray:
    """Unique 32-bit hashes of the text's character 5-grams (vectorised polynomial hash)."""
    text = _NON_WORD.sub("", text)
    if len(text) < SHINGLE:
        return np.unique(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64))
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    h = np.zeros(len(cps) - SHINGLE + 1, dtype=np.uint64)
    for i in range(SHINGLE):
        h = (h * np.uint64(1_000_003) + cps[i : len(cps) - SHINGLE + 1 + i]) & np.uint64(0xFFFFFFFF)
    return np.unique(h)


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    if not len(a) and not len(b):
        return 1.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)


def _minhash(hv: np.ndarray):  # -> datasketch.MinHash
    """A datasketch MinHash from precomputed shingle hashes (its update_batch, vectorised)."""
    from datasketch import MinHash
    from datasketch.minhash import _max_hash, _mersenne_prime

    m = MinHash(num_perm=NUM_PERM, seed=1)
    if len(hv):
        a, b = m.permutations
        phv = np.bitwise_and((np.outer(hv, a) + b) % _mersenne_prime, _max_hash)
        m.hashvalues = np.minimum(phv.min(axis=0), m.hashvalues)
    return m


def _similar_pairs(ids: Sequence[str], hashes: dict[str, np.ndarray]) -> list[tuple[str, str]]:
    """Pairs of distinct texts at or above SIMILARITY."""
    pairs: list[tuple[str, str]] = []
    if len(ids) <= EXACT_MAX:
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                if _jaccard(hashes[a], hashes[b]) >= SIMILARITY:
                    pairs.append((a, b))
        return pairs
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=SIMILARITY, num_perm=NUM_PERM)
    sketches = {i: _minhash(hashes[i]) for i in ids}
    for i, m in sketches.items():
        for j in lsh.query(m):
            if _jaccard(hashes[i], hashes[j]) >= SIMILARITY:  # confirm: LSH gives candidates
                pairs.append((i, j))
        lsh.insert(i, m)
    return pairs


def _bigrams(key: str) -> frozenset[str]:
    return frozenset(key[i : i + 2] for i in range(len(key) - 1))


def _day(s: str | None) -> date | None:
    try:
        return date.fromisoformat(s[:10]) if s else None
    except ValueError:
        return None


def _load_meta(conn: sqlite3.Connection, where: str, params: Sequence[object]) -> list[_Meta]:
    rows = conn.execute(
        "SELECT id, outlet, published_day, site_article_no, content_hash, title_key, published, "
        "duplicate_of "
        f"FROM articles WHERE {where}",
        params,
    )
    return [_Meta(*r) for r in rows]


def _chunks(items: Sequence[str], n: int = 500) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def _body_text(blocks_json: str) -> str:
    return "".join(b["text"] for b in json.loads(blocks_json) if b.get("kind") != "title")


def find_duplicates(conn: sqlite3.Connection, touched: Iterable[str] | None = None) -> DedupeResult:
    """Group near-duplicates among the buckets of ``touched`` article ids (None: all articles)."""
    if touched is None:
        metas = _load_meta(conn, "1", ())
        touched_set = {m.id for m in metas}
    else:
        touched_set = set(touched)
        if not touched_set:
            return DedupeResult([], 0, 0, 0)
        tmetas: list[_Meta] = []
        for chunk in _chunks(sorted(touched_set)):
            tmetas += _load_meta(conn, f"id IN ({','.join('?' * len(chunk))})", chunk)
        keys = sorted({m.title_key for m in tmetas if m.title_key})
        days: set[str] = set()
        for m in tmetas:
            d = _day(m.day)
            if d:
                days.update(str(d + timedelta(k)) for k in (-2, -1, 0, 1, 2))
        by_id = {m.id: m for m in tmetas}
        for chunk in _chunks(keys):
            for m in _load_meta(conn, f"title_key IN ({','.join('?' * len(chunk))})", chunk):
                by_id[m.id] = m
        for chunk in _chunks(sorted(days)):
            for m in _load_meta(conn, f"published_day IN ({','.join('?' * len(chunk))})", chunk):
                by_id[m.id] = m
        metas = list(by_id.values())
    meta = {m.id: m for m in metas}

    # candidate buckets -> lists of ids
    buckets: list[list[str]] = []
    by_key: dict[tuple[str | None, str], list[str]] = defaultdict(list)
    for m in metas:
        if m.title_key:
            by_key[(m.outlet, m.title_key)].append(m.id)
    buckets += [ids for ids in by_key.values() if len(ids) > 1 and touched_set.intersection(ids)]

    by_day: dict[tuple[str | None, date], list[_Meta]] = defaultdict(list)
    for m in metas:
        d = _day(m.day)
        if d and m.title_key:
            by_day[(m.outlet, d)].append(m)
    grams = {m.id: _bigrams(m.title_key) for m in metas if m.title_key}
    for (outlet, d), todays in by_day.items():
        window = todays + by_day.get((outlet, d + timedelta(1)), [])
        for i, a in enumerate(todays):
            ga = grams[a.id]
            for b in window[i + 1 :]:
                if a.title_key == b.title_key or (a.id not in touched_set and b.id not in touched_set):
                    continue
                gb = grams[b.id]
                inter = len(ga & gb)
                if inter and inter / (len(ga) + len(gb) - inter) >= TITLE_SIMILARITY:
                    buckets.append([a.id, b.id])

    uf = _UnionFind()
    compared: set[str] = set()
    cache: dict[str, np.ndarray] = {}
    for ids in buckets:
        by_content: dict[str, list[str]] = defaultdict(list)
        for i in ids:
            by_content[meta[i].content_hash].append(i)
        for same in by_content.values():
            for other in same[1:]:
                uf.union(same[0], other)
        reps = [same[0] for same in by_content.values()]
        if len(reps) < 2:
            continue
        need = [r for r in reps if r not in cache]
        for chunk in _chunks(need):
            for aid, blocks in conn.execute(
                f"SELECT id, blocks FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ):
                cache[aid] = _shingle_hashes(_body_text(blocks))
        compared.update(reps)
        for a, b in _similar_pairs(reps, cache):
            uf.union(a, b)
        if len(cache) > 20000:  # bound memory on huge first runs
            cache.clear()

    # representative per component; every looked-at article gets an assignment
    members: dict[str, list[str]] = defaultdict(list)
    for i in meta:
        members[uf.find(i)].append(i)
    assignments: list[tuple[str, str | None]] = []
    groups = dups = 0
    for ids in members.values():
        if len(ids) == 1:
            m = meta[ids[0]]
            # clear a stale pointer (this article changed, or its old representative did)
            if m.id in touched_set or (m.duplicate_of and m.duplicate_of in touched_set):
                assignments.append((m.id, None))
            continue
        rep = min((meta[i] for i in ids), key=_rank).id
        groups += 1
        for i in ids:
            assignments.append((i, None if i == rep else rep))
            dups += i != rep
    return DedupeResult(assignments, groups, dups, len(compared))
