"""Search text rules, pure (no SQL, no I/O): how text becomes index tokens, how a query compiles to
an FTS5 expression, and where its hits lie in an article's own text.

Why single characters: Chinese has no spaces, and a word segmenter splits an unknown word (拜習會,
a new transliteration) differently in different contexts, so segmenter tokens miss such words.
Every ideograph is its own token instead, and a query string of n characters is the FTS5 *phrase*
of its n characters, which matches exactly where the string occurs (FTS5 keeps positions). Latin
words and numbers stay whole tokens. The tokenising itself is FTS5's C tokenizer (``unicode61``):
Python only folds the script and puts a space around each ideograph, both in one
``str.translate``, so indexing costs a fraction of character bigrams built in Python, and the index
is about half their size (a few thousand distinct characters instead of a million bigrams).

Why Simplified: documents and queries are both folded with OpenCC's ``t2s`` tables, per character
(and Latin letters and digits to half-width lower case), so 習近平 finds 习近平 and the reverse.

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
TOKENS_VERSION = "unigram-char-t2s-1"

_T2S = opencc.OpenCC("t2s")
_C = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs (unified, extension A, compatibility)
_A = "0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"  # ASCII letters/digits and their full-width forms
_RUN = re.compile(rf"[{_C}]+|[{_A}]+")
_IDEOGRAPHS = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))  # the ranges of ``_C``
_FULL_WIDTH = ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B))  # full-width digits and letters
_QUOTED = re.compile(r'"([^"]*)"|“([^“”]*)”|「([^「」]*)」|『([^『』]*)』')  # a span never crosses its opener


def opencc_version() -> str:
    """The OpenCC version: the index depends on its conversion tables."""
    return str(getattr(opencc, "__version__", "?"))


# --------------------------------------------------------------------------- normalisation
@lru_cache(maxsize=1)
def _char_t2s() -> dict[int, str]:
    """Ideograph -> its Simplified form, per character, for every ideograph OpenCC changes alone.

    Per character, not per phrase: documents and queries then fold identically whatever surrounds
    a character (OpenCC's phrase tables turn 乾 into 干 or keep it depending on the next one, so a
    query of one word could miss the same word in a sentence), and folding is one ``str.translate``.
    One OpenCC call over the ideograph blocks, once per process (about 50 ms).
    """
    chars = [chr(c) for lo, hi in _IDEOGRAPHS for c in range(lo, hi)]
    converted = _T2S.convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # OpenCC merged or split a line: fold nothing rather than wrongly
        return {}
    return {ord(o): s for o, s in zip(chars, converted, strict=True) if len(s) == 1 and s != o}


@lru_cache(maxsize=1)
def _index_table() -> dict[int, str]:
    """``str.translate`` table of the index text: each ideograph folded to Simplified and spaced apart
    (one token each), full-width letters and digits to ASCII (``unicode61`` folds case, not width)."""
    t2s = _char_t2s()
    table = {c: f" {t2s.get(c, chr(c))} " for lo, hi in _IDEOGRAPHS for c in range(lo, hi)}
    table.update({c: chr(c - 0xFEE0) for lo, hi in _FULL_WIDTH for c in range(lo, hi)})
    return table


def _is_cjk(run: str) -> bool:
    """True for a run of CJK ideographs (runs are homogeneous: all CJK or all letters/digits)."""
    return "\u3400" <= run[0] <= "\ufaff"


def _fold(word: str) -> str:
    """An ASCII/full-width word in its index form: NFKC (full-width to ASCII) and lower case."""
    return word.lower() if word.isascii() else unicodedata.normalize("NFKC", word).lower()


def to_simplified(text: str) -> str:
    """``text`` with every ideograph in its Simplified form (per character, see :func:`_char_t2s`)."""
    return text.translate(_char_t2s())


def normalize(text: str) -> str:
    """Fold a string the way the index does: Traditional->Simplified, words lower case and half-width."""
    return _RUN.sub(lambda m: m.group() if _is_cjk(m.group()) else _fold(m.group()), to_simplified(text))


def _runs(text: str) -> list[str]:
    """The normalised runs of ``text``: CJK runs (Simplified) and folded ASCII words."""
    return [r if _is_cjk(r) else _fold(r) for r in _RUN.findall(to_simplified(text))]


def _run_tokens(run: str) -> list[str]:
    """Tokens of one run: an ASCII word as is, a CJK run as its characters."""
    return list(run) if _is_cjk(run) else [run]


def index_text(text: str) -> str:
    """The text FTS5 indexes for ``text``: ideographs folded to Simplified and spaced apart, full-width
    letters and digits made ASCII, in one ``str.translate``. FTS5's ``unicode61`` tokenizer then
    yields exactly :func:`index_tokens` (punctuation separates, case folds), in C."""
    return text.translate(_index_table())


def index_tokens(text: str) -> list[str]:
    """The tokens FTS5 stores for ``text``: each ideograph (Simplified) and each Latin word or number
    (lower case, half-width). Tokens of consecutive runs are adjacent positions, so a phrase spanning
    punctuation between two runs still matches (拜登，台灣 for "拜登 台灣"). For tests and
    explanations: the index gets :func:`index_text` and lets FTS5 find these."""
    return [t for r in _runs(text) for t in _run_tokens(r)]


# --------------------------------------------------------------------------- query parsing
@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A user query compiled for FTS5, plus the normalised strings to highlight in snippets."""

    match: str  # the FTS5 MATCH expression ("" when the query has no searchable term)
    needles: tuple[str, ...]  # normalised strings whose occurrences are highlighted


def _phrase(tokens: Sequence[str]) -> str:
    """An FTS5 phrase of the tokens, in order and adjacent (tokens hold no quote: runs are letters)."""
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
    """Simplified character -> every character that folds to it (itself included): 台 -> 台檯臺颱.

    Lets snippets find hits in the article's own script with a regex instead of folding each
    article's text (the inverse of :func:`_char_t2s`, once per process).
    """
    inverse: dict[str, set[str]] = {}
    for orig, simp in _char_t2s().items():
        inverse.setdefault(simp, {simp}).add(chr(orig))
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
    if len(set(needles)) == 1:
        # one needle: every window holds at most one distinct needle, so the first hit wins (the
        # scan below would walk up to 200 hits of a common word to find that out)
        first = _needle_pattern(tuple(needles)).search(flat)
        if first is not None:
            starts.append((first.start(), first.lastindex or 0))
    elif needles:
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
