"""Search text rules, pure (no SQL, no I/O): how text becomes index tokens, how a query compiles to
an FTS5 expression, and where its hits lie in an article's own text.

Why bigrams: Chinese has no spaces, and a word segmenter splits an unknown word (拜習會, a new
transliteration) differently in different contexts, so segmenter tokens miss such words.
Character bigrams are context-free: every two-character string of the text is a token, and a query
string of n characters is the FTS5 *phrase* of its n-1 bigrams, which matches exactly where the
string occurs. Two-character names (拜登, 王毅) are a single token.

Why Simplified: documents and queries are both folded with OpenCC ``t2s`` (after NFKC for Latin
letters and digits), so 習近平 finds 习近平 and the reverse.

Query semantics: terms are separated by spaces and AND-ed; one term (a contiguous run such as
中美會談, or quoted text) is one exact phrase; ``-term`` excludes. No segmenter runs on the query:
a user who wants 中美 AND 會談 anywhere in the article types the space.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import opencc

#: Bumped whenever the tokenisation changes: a different version in ``meta`` forces a rebuild.
TOKENS_VERSION = "bigram-t2s-6"

_T2S = opencc.OpenCC("t2s")
_C = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs (unified, extension A, compatibility)
_A = "0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"  # ASCII letters/digits and their full-width forms
_RUN = re.compile(rf"[{_C}]+|[{_A}]+")
# One pass over the text: a zero-width look-ahead yields every bigram inside a CJK run, a lone CJK
# character between non-CJK yields itself, an ASCII word yields itself (folded later).
_TOKEN = re.compile(rf"(?=([{_C}]{{2}}))|(?<![{_C}])([{_C}])(?![{_C}])|([{_A}]+)")
_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|『([^』]*)』')


def opencc_version() -> str:
    """The OpenCC version: the index depends on its conversion tables."""
    return str(getattr(opencc, "__version__", "?"))


# --------------------------------------------------------------------------- normalisation
def _is_cjk(run: str) -> bool:
    """True for a run of CJK ideographs (runs are homogeneous: all CJK or all letters/digits)."""
    return "\u3400" <= run[0] <= "\ufaff"


def _fold(word: str) -> str:
    """An ASCII/full-width word in its index form: NFKC (full-width to ASCII) and lower case."""
    return word.lower() if word.isascii() else unicodedata.normalize("NFKC", word).lower()


def to_simplified(text: str) -> str:
    """OpenCC ``t2s`` of ``text`` (one call: the index folds a whole article at once)."""
    return _T2S.convert(text)


def normalize(text: str) -> str:
    """Fold a string the way the index does: Traditional->Simplified, words lower case and half-width."""
    return _RUN.sub(lambda m: m.group() if _is_cjk(m.group()) else _fold(m.group()), _T2S.convert(text))


def _runs(text: str) -> list[str]:
    """The normalised runs of ``text``: CJK runs (Simplified) and folded ASCII words."""
    return [r if _is_cjk(r) else _fold(r) for r in _RUN.findall(_T2S.convert(text))]


def _run_tokens(run: str) -> list[str]:
    """Tokens of one run: an ASCII word as is, a CJK run as its bigrams (a lone character as itself)."""
    if not _is_cjk(run) or len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def simplified_tokens(simplified: str) -> str:
    """The token stream of text already folded by :func:`to_simplified` (see :func:`index_tokens`)."""
    return " ".join(a or b or _fold(c) for a, b, c in _TOKEN.findall(simplified))


def index_tokens(text: str) -> str:
    """The space-separated token stream FTS5 stores for ``text`` (bigrams of each CJK run, ASCII words).

    Equal to joining ``_run_tokens`` over ``_runs(text)``, computed in one regex pass because this
    runs over the whole corpus. Tokens of consecutive runs are adjacent in the stream, so a phrase
    spanning punctuation between two runs still matches (拜登，台灣 for "拜登 台灣").
    """
    return simplified_tokens(_T2S.convert(text))


# --------------------------------------------------------------------------- query parsing
@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A user query compiled for FTS5, plus the normalised strings to highlight in snippets."""

    match: str  # the FTS5 MATCH expression ("" when the query has no searchable term)
    needles: tuple[str, ...]  # normalised strings whose occurrences are highlighted


def _phrase(tokens: Sequence[str]) -> str:
    """An FTS5 phrase; a single CJK character becomes a prefix query (it is the start of bigrams)."""
    if len(tokens) == 1 and len(tokens[0]) == 1 and _is_cjk(tokens[0]):
        return f'"{tokens[0]}" *'
    return '"' + " ".join(tokens) + '"'


def parse_query(query: str) -> ParsedQuery:
    """Compile a query: space-separated terms are AND-ed, each term (an unspaced run such as 中美會談,
    or quoted text "…", 「…」) is one exact phrase, a term starting with ``-`` is excluded. Terms are
    normalised like the index (Simplified, NFKC, lower case)."""
    positive: list[str] = []
    negative: list[str] = []
    needles: list[str] = []

    def add(text: str, neg: bool) -> None:
        runs = _runs(text)
        tokens = [t for r in runs for t in _run_tokens(r)]
        if not tokens:
            return
        (negative if neg else positive).append(_phrase(tokens))
        if not neg:
            needles.extend(runs)

    rest_parts: list[str] = []
    pos = 0
    for m in _QUOTED.finditer(query):
        rest_parts.append(query[pos : m.start()])
        pos = m.end()
        phrase = next(g for g in m.groups() if g is not None)
        add(phrase, m.start() > 0 and query[m.start() - 1] == "-")
    rest_parts.append(query[pos:])
    for term in " ".join(rest_parts).split():
        add(term.lstrip("-"), term.startswith("-"))
    if not positive:
        return ParsedQuery("", ())
    match = " AND ".join(positive)
    for n in negative:
        match = f"({match}) NOT {n}"
    return ParsedQuery(match, tuple(dict.fromkeys(needles)))


# --------------------------------------------------------------------------- hits in the original text
@lru_cache(maxsize=1)
def _variants() -> dict[str, str]:
    """Simplified character -> every character OpenCC folds to it (itself included): 台 -> 台檯臺颱.

    Lets snippets find hits in the article's own script with a regex instead of converting each
    article's text (one OpenCC call over the ideograph blocks, once per process).
    """
    chars = [
        chr(c) for lo, hi in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)) for c in range(lo, hi)
    ]
    converted = _T2S.convert("\n".join(chars)).split("\n")
    inverse: dict[str, set[str]] = {}
    if len(converted) == len(chars):
        for orig, simp in zip(chars, converted, strict=True):
            if len(simp) == 1 and simp != orig:
                inverse.setdefault(simp, {simp}).add(orig)
    return {k: "".join(sorted(v)) for k, v in inverse.items()}


@lru_cache(maxsize=512)
def _needle_pattern(needles: tuple[str, ...]) -> re.Pattern[str]:
    """A regex matching any needle in either script (and any letter case)."""
    variants = _variants()

    def one(needle: str) -> str:
        return "".join(f"[{re.escape(variants[c])}]" if c in variants else re.escape(c) for c in needle)

    # one capture group per needle, longest first: ``m.lastindex`` tells which needle matched
    return re.compile("|".join(f"({one(n)})" for n in sorted(needles, key=len, reverse=True)), re.IGNORECASE)


def highlight(text: str, needles: Sequence[str]) -> tuple[tuple[str, bool], ...]:
    """Split ``text`` into (segment, is_hit) parts, hits being occurrences of the normalised needles."""
    if not text or not needles:
        return ((text, False),) if text else ()
    parts: list[tuple[str, bool]] = []
    pos = 0
    for m in _needle_pattern(tuple(needles)).finditer(text):
        if m.start() > pos:
            parts.append((text[pos : m.start()], False))
        parts.append((m.group(), True))
        pos = m.end()
    if pos < len(text):
        parts.append((text[pos:], False))
    return tuple(parts)


def make_snippet(text: str, needles: Sequence[str], width: int = 120) -> tuple[tuple[str, bool], ...]:
    """A window of about ``width`` characters of ``text`` around the densest cluster of hits."""
    flat = text.replace("\n\n", " ").replace("\n", " ")
    starts: list[tuple[int, int]] = []
    if needles:
        for m in _needle_pattern(tuple(needles)).finditer(flat):
            starts.append((m.start(), m.lastindex or 0))
            if len(starts) >= 200:
                break
    lead = width // 4
    lo = 0
    if starts:
        # slide a window over the hits: the start whose window holds the most distinct needles
        best, best_score, j = starts[0][0], 0, 0
        counts: dict[int, int] = {}
        for i, (s, _) in enumerate(starts):
            while j < len(starts) and starts[j][0] < s + width - lead:
                counts[starts[j][1]] = counts.get(starts[j][1], 0) + 1
                j += 1
            if len(counts) > best_score:
                best, best_score = s, len(counts)
            n_i = starts[i][1]
            counts[n_i] -= 1
            if not counts[n_i]:
                del counts[n_i]
        lo = max(0, best - lead)
    hi = min(len(flat), lo + width)
    parts = list(highlight(flat[lo:hi], needles))
    if lo > 0:
        parts.insert(0, ("…", False))
    if hi < len(flat):
        parts.append(("…", False))
    return tuple(parts)
