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
The functions here are pure: the dedupe step (``run/steps.py``) reads the keys of the touched
articles and of their neighbours (:func:`neighbour_lookups`), builds the buckets
(:func:`candidate_buckets`), reads the bodies of :func:`texts_to_compare` as sketches
(:func:`text_sketch`) and groups them (:func:`group_duplicates`), then writes the assignments.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

__all__ = [
    "ArticleKey",
    "DedupeResult",
    "SHINGLE",
    "SIMILARITY",
    "candidate_buckets",
    "group_duplicates",
    "neighbour_lookups",
    "text_sketch",
    "texts_to_compare",
    "title_key",
]

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
class ArticleKey:
    """What grouping needs to know of one article (``store.dedupe.dedupe_keys`` rows, in order)."""

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


def _rank(m: ArticleKey) -> tuple[int, int, str, str]:
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


def _similar_pairs(ids: Sequence[str], sketches: Mapping[str, np.ndarray]) -> list[tuple[str, str]]:
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


def _body_text(blocks: list[dict[str, str]]) -> str:
    return "".join(b["text"] for b in blocks if b.get("kind") != "title")


def text_sketch(blocks: list[dict[str, str]]) -> np.ndarray:
    """The bottom-k sketch of an article's body (its decoded blocks, the title left out)."""
    return _sketch(_shingle_hashes(_body_text(blocks)))


def _day_window_pairs(metas: Sequence[ArticleKey], touched: set[str]) -> list[list[str]]:
    """Pairs of one outlet's articles at most a day apart whose titles share most bigrams.

    Vectorised with sparse matrices (intersection counts of title-bigram sets per day window),
    because a Python loop over every pair in every window costs seconds on a large archive.
    """
    from scipy.sparse import csr_matrix

    pairs: list[list[str]] = []
    by_outlet: dict[str | None, list[ArticleKey]] = defaultdict(list)
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


def neighbour_lookups(touched: Sequence[ArticleKey]) -> tuple[list[str], list[str]]:
    """(title keys, days) whose articles share a bucket with the touched ones: the same title key,
    or a publication day at most two days away (the ±1 day rule of either neighbour)."""
    keys = sorted({m.title_key for m in touched if m.title_key})
    days: set[str] = set()
    for m in touched:
        d = _day(m.day)
        if d:
            days.update(str(d + timedelta(k)) for k in (-2, -1, 0, 1, 2))
    return keys, sorted(days)


def candidate_buckets(keys: Sequence[ArticleKey], touched: set[str]) -> list[list[str]]:
    """Lists of article ids that may be one story and hold a touched article: the same outlet and
    title key, or the ±1 day title-bigram rule."""
    buckets: list[list[str]] = []
    by_key: dict[tuple[str | None, str], list[str]] = defaultdict(list)
    for m in keys:
        if m.title_key:
            by_key[(m.outlet, m.title_key)].append(m.id)
    buckets += [ids for ids in by_key.values() if len(ids) > 1 and touched.intersection(ids)]
    buckets += _day_window_pairs(keys, touched)
    return buckets


def _distinct_texts(meta: Mapping[str, ArticleKey], ids: Sequence[str]) -> dict[str, list[str]]:
    """The bucket's ids by content hash (identical clean content is one text)."""
    by_content: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        by_content[meta[i].content_hash].append(i)
    return by_content


def texts_to_compare(keys: Sequence[ArticleKey], buckets: Sequence[Sequence[str]]) -> list[str]:
    """Ids whose body sketches :func:`group_duplicates` needs: one per distinct text of every bucket
    holding at least two distinct texts (first-seen order, no repeats)."""
    meta = {m.id: m for m in keys}
    need: dict[str, None] = {}
    for ids in buckets:
        reps = [same[0] for same in _distinct_texts(meta, ids).values()]
        if len(reps) >= 2:
            need.update(dict.fromkeys(reps))
    return list(need)


def group_duplicates(
    keys: Sequence[ArticleKey],
    touched: set[str],
    buckets: Sequence[Sequence[str]],
    sketches: Mapping[str, np.ndarray],
) -> DedupeResult:
    """Group near-duplicates inside ``buckets`` (pure: the keys and the sketches of
    :func:`texts_to_compare`'s ids are passed in; ``run/steps.py`` reads them from the store)."""
    meta = {m.id: m for m in keys}
    uf = _UnionFind()
    compared: set[str] = set()
    for ids in buckets:
        by_content = _distinct_texts(meta, ids)
        for same in by_content.values():
            for other in same[1:]:
                uf.union(same[0], other)
        reps = [same[0] for same in by_content.values()]
        if len(reps) < 2:
            continue
        compared.update(reps)
        for a, b in _similar_pairs(reps, sketches):
            uf.union(a, b)

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
            if m.id in touched or (m.duplicate_of and m.duplicate_of in touched):
                assignments.append((m.id, None))
            continue
        rep = min((meta[i] for i in ids), key=_rank).id
        groups += 1
        for i in ids:
            assignments.append((i, None if i == rep else rep))
            dups += i != rep
    return DedupeResult(assignments, groups, dups, len(compared))
