"""Near-duplicate groups: the same story stored under several article ids.

Why buckets first: the hkcnews archive holds many stories under several ids (``article_32547`` to
``32549``), but hashing every article's text costs too much for the ingest speed target (MinHash
runs at ~300 articles/s per core). So similarity is only computed inside *candidate buckets*:

1. the same outlet and the same normalised title (``title_key``);
2. the same outlet, publication days at most one apart and titles sharing most character bigrams.

Inside a bucket, identical clean content (``content_hash``) groups for free; distinct texts are
compared by the Jaccard similarity of their character 5-gram shingles, estimated from bottom-k
MinHash sketches (one partial sort per text, vectorised); large buckets first ask a datasketch
MinHash LSH index for candidate pairs. Groups are transitive; the representative is the lowest site article number, then the
earliest publication, then the smallest id. Everyone else gets ``duplicate_of`` = representative.

The pass is incremental: it looks only at buckets touched by the articles a run added or changed.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import numpy as np

from summitwatch.store.dedupe import article_blocks, dedupe_keys

__all__ = ["title_key", "find_duplicates", "DedupeResult", "SIMILARITY", "SHINGLE"]

SIMILARITY = 0.8  # Jaccard of body shingles at or above which two texts are one story
TITLE_SIMILARITY = 0.6  # bigram Jaccard for the ±1 day rule
SHINGLE = 5  # characters per shingle
EXACT_MAX = 12  # buckets with at most this many distinct texts are compared pairwise
SKETCH = 256  # bottom-k sketch size per text
NUM_PERM = 64  # permutations of the LSH MinHash (large buckets only)

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
    """32-bit hashes of the text's character 5-grams (vectorised polynomial hash, not deduplicated)."""
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(cps) < SHINGLE:
        return cps
    n = len(cps) - SHINGLE + 1
    h = cps[:n].copy()
    for i in range(1, SHINGLE):
        h = (h * np.uint64(1_000_003) + cps[i : n + i]) & np.uint64(0xFFFFFFFF)
    return h


def _sketch(hashes: np.ndarray) -> np.ndarray:
    """Bottom-k sketch: the ``SKETCH`` smallest distinct shingle hashes (all of them for short texts).

    A bottom-k sketch is the one-permutation form of MinHash: Jaccard estimates from it are as good
    as from ``SKETCH`` permutations, at the cost of one partial sort instead of ``SKETCH`` passes.
    """
    if len(hashes) > 4 * SKETCH:
        hashes = np.partition(hashes, 2 * SKETCH)[: 2 * SKETCH]
    return _sorted_unique(hashes)[:SKETCH]


def _sorted_unique(a: np.ndarray) -> np.ndarray:
    """np.unique for small arrays, without its per-call overhead."""
    s = np.sort(a)
    if len(s) < 2:
        return s
    keep = np.empty(len(s), dtype=bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard estimate from two bottom-k sketches (exact when both hold whole shingle sets)."""
    if not len(a) and not len(b):
        return 1.0
    # a and b are sorted and distinct: in their concatenation, a value present in both appears twice
    both = np.sort(np.concatenate((a, b)))
    dup = both[1:] == both[:-1]
    union = _sorted_unique(both)[:SKETCH]
    shared = both[1:][dup]
    inter = np.count_nonzero(shared <= union[-1]) if len(union) else 0
    return inter / len(union)


def _minhash(hv: np.ndarray):  # -> datasketch.MinHash
    """A datasketch MinHash from precomputed shingle hashes (its update_batch, vectorised)."""
    from datasketch import MinHash, minhash

    prime = np.uint64(getattr(minhash, "_mersenne_prime", (1 << 61) - 1))  # datasketch's constants
    max_hash = np.uint64(getattr(minhash, "_max_hash", (1 << 32) - 1))
    m = MinHash(num_perm=NUM_PERM, seed=1)
    if len(hv):
        a, b = m.permutations
        phv = np.bitwise_and((np.outer(hv, a) + b) % prime, max_hash)
        m.hashvalues = np.minimum(phv.min(axis=0), m.hashvalues)
    return m


def _similar_pairs(ids: Sequence[str], sketches: dict[str, np.ndarray]) -> list[tuple[str, str]]:
    """Pairs of distinct texts whose estimated Jaccard is at or above SIMILARITY.

    Small buckets compare every pair of sketches; large ones (a recurring column title) first ask
    a datasketch MinHash LSH index for candidates, then confirm each with the sketches.
    """
    pairs: list[tuple[str, str]] = []
    if len(ids) <= EXACT_MAX:
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                if _jaccard(sketches[a], sketches[b]) >= SIMILARITY:
                    pairs.append((a, b))
        return pairs
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=SIMILARITY * 0.9, num_perm=NUM_PERM)
    for i in ids:
        m = _minhash(sketches[i])
        for j in lsh.query(m):
            if _jaccard(sketches[i], sketches[j]) >= SIMILARITY:
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


def _load_meta(
    conn: sqlite3.Connection, column: Literal["id", "title_key", "published_day"] | None, values: Sequence[str]
) -> list[_Meta]:
    return [_Meta(*r) for r in dedupe_keys(conn, column, values)]


def _body_text(blocks: list[dict[str, str]]) -> str:
    return "".join(b["text"] for b in blocks if b.get("kind") != "title")


def _day_window_pairs(metas: Sequence[_Meta], touched: set[str]) -> list[list[str]]:
    """Pairs of one outlet's articles at most a day apart whose titles share most bigrams.

    Vectorised with sparse matrices (intersection counts of title-bigram sets per day window),
    because a Python loop over every pair in every window costs seconds on a large archive.
    """
    from scipy.sparse import csr_matrix

    pairs: list[list[str]] = []
    by_outlet: dict[str | None, list[_Meta]] = defaultdict(list)
    for m in metas:
        if m.title_key and _day(m.day):
            by_outlet[m.outlet].append(m)
    for group in by_outlet.values():
        group.sort(key=lambda m: m.day or "")  # a day's window rows then all sit after its own rows
        vocab: dict[str, int] = {}
        indptr = [0]
        indices: list[int] = []
        for m in group:
            indices.extend(vocab.setdefault(g, len(vocab)) for g in _bigrams(m.title_key or ""))
            indptr.append(len(indices))
        x = csr_matrix(
            (np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(group), max(len(vocab), 1))
        )
        lens = np.diff(x.indptr).astype(np.float32)
        by_day: dict[date, list[int]] = defaultdict(list)
        for i, m in enumerate(group):
            by_day[_day(m.day)].append(i)  # type: ignore[index]
        for d, rows in by_day.items():
            win = rows + by_day.get(d + timedelta(1), [])
            if len(win) < 2:
                continue
            s = (x[rows] @ x[win].T).tocoo()
            ri = np.asarray(rows)[s.row]
            wj = np.asarray(win)[s.col]
            jac = s.data / (lens[ri] + lens[wj] - s.data)
            keep = (wj > ri) & (jac >= TITLE_SIMILARITY)
            for a, b in zip(ri[keep].tolist(), wj[keep].tolist(), strict=True):
                ma, mb = group[a], group[b]
                if ma.title_key != mb.title_key and (ma.id in touched or mb.id in touched):
                    pairs.append([ma.id, mb.id])
    return pairs


def find_duplicates(conn: sqlite3.Connection, touched: Iterable[str] | None = None) -> DedupeResult:
    """Group near-duplicates among the buckets of ``touched`` article ids (None: all articles)."""
    if touched is None:
        metas = _load_meta(conn, None, ())
        touched_set = {m.id for m in metas}
    else:
        touched_set = set(touched)
        if not touched_set:
            return DedupeResult([], 0, 0, 0)
        tmetas: list[_Meta] = []
        tmetas += _load_meta(conn, "id", sorted(touched_set))
        keys = sorted({m.title_key for m in tmetas if m.title_key})
        days: set[str] = set()
        for m in tmetas:
            d = _day(m.day)
            if d:
                days.update(str(d + timedelta(k)) for k in (-2, -1, 0, 1, 2))
        by_id = {m.id: m for m in tmetas}
        for m in _load_meta(conn, "title_key", keys):
            by_id[m.id] = m
        for m in _load_meta(conn, "published_day", sorted(days)):
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

    buckets += _day_window_pairs(metas, touched_set)

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
        for aid, blocks in article_blocks(conn, need):
            cache[aid] = _sketch(_shingle_hashes(_body_text(blocks)))
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
