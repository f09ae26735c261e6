"""Cross-script full-text search: an SQLite FTS5 index over Simplified-normalised character bigrams.

Why bigrams: Chinese has no spaces, and a word segmenter splits an unknown word (拜習會, a new
transliteration) differently in different contexts, so segmenter tokens alone miss such words.
Character bigrams are context-free: every two-character string of the text is a token, a query
string of n characters is the FTS5 *phrase* of its n-1 bigrams, and a phrase matches exactly where
the string occurs. Two-character names (拜登, 王毅) are a single token. The segmenter (rjieba) is
used where it helps and is cheap: on the query side, to split an unspaced query such as 拜登台灣
into the words 拜登 AND 台湾 (single characters it leaves are glued to a neighbour, so 拜習會
stays one phrase).

Why Simplified: documents and queries are both converted with OpenCC ``t2s`` (after NFKC), so
習近平 finds 习近平 and the reverse.

The index is *contentless* (``content=''``): snippets are cut from the articles table at query
time, so the index stores only the doclists. It is incremental: ``search_docs`` keeps, for every
indexed article, its FTS rowid and the content hash it was indexed from. ``update_search_index``
indexes new and changed articles only; a changed or deleted article's old rowid is dropped from
``search_docs`` (its stale postings no longer join to anything: rowids are AUTOINCREMENT, never
reused) and the whole index is rebuilt
once stale postings exceed a quarter of it (a contentless FTS5 table cannot delete single rows
on SQLite < 3.43 without the original text).
"""

from __future__ import annotations

import heapq
import html
import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import opencc
import rjieba

#: Bumped whenever the tokenisation changes: a different version in ``meta`` forces a rebuild.
INDEX_VERSION = "bigram-t2s-5"
#: BM25 weights of the FTS columns (title, body): a hit in the title counts more.
_WEIGHTS = (4.0, 1.0)
_REBUILD_STALE_FRACTION = 0.25
_BATCH = 500

_T2S = opencc.OpenCC("t2s")
_C = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs (unified, extension A, compatibility)
_A = "0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"  # ASCII letters/digits and their full-width forms
_RUN = re.compile(rf"[{_C}]+|[{_A}]+")
# One pass over the text: a zero-width look-ahead yields every bigram inside a CJK run, a lone CJK
# character between non-CJK yields itself, an ASCII word yields itself (folded later).
_TOKEN = re.compile(rf"(?=([{_C}]{{2}}))|(?<![{_C}])([{_C}])(?![{_C}])|([{_A}]+)")
_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|『([^』]*)』')

_DDL = (
    # One row per indexed article: its FTS rowid, the content hash it was indexed from, and copies of
    # the columns every search filters on, so counting and ranking never leave these narrow rows.
    "CREATE TABLE IF NOT EXISTS search_docs ("
    " rowid INTEGER PRIMARY KEY AUTOINCREMENT, article_id TEXT NOT NULL UNIQUE, content_hash TEXT NOT NULL,"
    " dup INTEGER NOT NULL DEFAULT 0, day TEXT, outlet TEXT, outlet_en TEXT)",
    # Representatives and unique articles; near-duplicate copies (43 % of the dev corpus) go to
    # their own table, so default searches rank only what they show.
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    " title, body, content='', detail=full, tokenize='unicode61 remove_diacritics 0')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts_dup USING fts5("
    " title, body, content='', detail=full, tokenize='unicode61 remove_diacritics 0')",
    # A covering index: ranking, counting and filtering join to these columns only, never to the
    # wide article rows (blocks JSON), and the incremental check reads ids and hashes from it.
    "CREATE INDEX IF NOT EXISTS search_articles_cover ON articles("
    " id, content_hash, duplicate_of, published_day, outlet, outlet_en)",
    # the person filter reads a name's article ids from the index alone (mentions_key lacks them)
    "CREATE INDEX IF NOT EXISTS search_mentions_cover ON mentions(key, kind, article_id)",
)


# --------------------------------------------------------------------------- normalisation
def _is_cjk(run: str) -> bool:
    """True for a run of CJK ideographs (runs are homogeneous: all CJK or all letters/digits)."""
    return "\u3400" <= run[0] <= "\ufaff"


def _fold(word: str) -> str:
    """An ASCII/full-width word in its index form: NFKC (full-width to ASCII) and lower case."""
    return word.lower() if word.isascii() else unicodedata.normalize("NFKC", word).lower()


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


def index_tokens(text: str) -> str:
    """The space-separated token stream FTS5 stores for ``text`` (bigrams of each CJK run, ASCII words).

    Equal to joining ``_run_tokens`` over ``_runs(text)``, computed in one regex pass because this
    runs over the whole corpus. Tokens of consecutive runs are adjacent in the stream, so a phrase
    spanning punctuation between two runs still matches (拜登，台灣 for "拜登 台灣").
    """
    return " ".join(a or b or _fold(c) for a, b, c in _TOKEN.findall(_T2S.convert(text)))


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


def _words(run: str) -> list[str]:
    """Split an unspaced CJK query run into words; single characters stay glued to a neighbour.

    rjieba cuts 拜登台湾 into 拜登|台湾 (two conditions, AND-ed) but 拜习会 into 拜习|会; gluing
    the lone 会 back keeps the unknown word 拜习会 one exact phrase.
    """
    if not _is_cjk(run) or len(run) <= 2:
        return [run]
    pieces: list[str] = []
    for w in rjieba.cut(run):
        if pieces and (len(w) == 1 or len(pieces[-1]) == 1):
            pieces[-1] += w
        else:
            pieces.append(w)
    return pieces


def parse_query(query: str) -> ParsedQuery:
    """Compile a query: space-separated terms are AND-ed, quoted text ("…", 「…」) is one exact phrase,
    a term starting with ``-`` is excluded. Terms are normalised like the index (Simplified, NFKC)."""
    positive: list[str] = []
    negative: list[str] = []
    needles: list[str] = []

    def add(parts: list[list[str]], neg: bool, runs: list[str]) -> None:
        exprs = [_phrase(p) for p in parts if p]
        if not exprs:
            return
        (negative if neg else positive).append(" AND ".join(exprs) if len(exprs) > 1 else exprs[0])
        if not neg:
            needles.extend(runs)

    rest_parts: list[str] = []
    pos = 0
    for m in _QUOTED.finditer(query):
        rest_parts.append(query[pos : m.start()])
        pos = m.end()
        phrase = next(g for g in m.groups() if g is not None)
        neg = m.start() > 0 and query[m.start() - 1] == "-"
        runs = _runs(phrase)
        tokens = [t for r in runs for t in _run_tokens(r)]
        add([tokens], neg, runs)
    rest_parts.append(query[pos:])
    for term in " ".join(rest_parts).split():
        neg = term.startswith("-")
        term = term.lstrip("-")
        runs = _runs(term)
        words = [w for r in runs for w in _words(r)]
        add([_run_tokens(w) for w in words], neg, words)
    if not positive:
        return ParsedQuery("", ())
    match = " AND ".join(f"({p})" for p in positive)
    for n in negative:
        match = f"({match}) NOT ({n})"
    return ParsedQuery(match, tuple(dict.fromkeys(needles)))


# --------------------------------------------------------------------------- index maintenance
def _article_text(blocks_json: str | None) -> str:
    """``Article.text`` from the stored blocks (blocks joined by a blank line)."""
    try:
        blocks = json.loads(blocks_json or "[]")
    except ValueError:
        return ""
    return "\n\n".join(str(b.get("text", "")) for b in blocks if isinstance(b, dict))


def _version() -> str:
    """The index version plus the OpenCC version: moving a row between tables deletes it by
    re-tokenising the unchanged article, which is exact only with the same conversion tables."""
    return f"{INDEX_VERSION}/opencc-{getattr(opencc, '__version__', '?')}"


_TABLES = ("search_fts", "search_fts_dup")  # indexed by the ``dup`` flag


def ensure_search_tables(conn: sqlite3.Connection) -> None:
    """Create the index tables when missing (they are derived data, outside schema.sql)."""
    for stmt in _DDL:
        conn.execute(stmt)


def _has_index(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE name='search_docs'").fetchone()
    return row is not None


def _meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
    return None if row is None else row[0]


def _set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
        (key, value),
    )


def _doc_tokens(title: str | None, blocks: str | None) -> tuple[str, str]:
    return index_tokens(title or ""), index_tokens(_article_text(blocks))


def _move_flipped(conn: sqlite3.Connection) -> int:
    """Move articles whose duplicate status changed (dedupe ran again) to the other FTS table.

    The content is unchanged (changed content was handled as stale first), so re-tokenising it gives
    exactly the tokens a contentless FTS5 'delete' needs.
    """
    changed = conn.execute(
        "SELECT d.rowid, d.dup, d.article_id FROM search_docs d"
        " JOIN articles a INDEXED BY search_articles_cover ON a.id = d.article_id"
        " WHERE d.dup != (a.duplicate_of IS NOT NULL AND a.duplicate_of != a.id)"
    ).fetchall()
    flipped = [
        (rowid, dup, *conn.execute("SELECT title, blocks FROM articles WHERE id = ?", (aid,)).fetchone())
        for rowid, dup, aid in changed
    ]
    for rowid, dup, title, blocks in flipped:
        old, new = _TABLES[1 if dup else 0], _TABLES[0 if dup else 1]
        tokens = _doc_tokens(title, blocks)
        conn.execute(
            f"INSERT INTO {old}({old}, rowid, title, body) VALUES('delete', ?, ?, ?)", (rowid, *tokens)
        )
        conn.execute(f"INSERT INTO {new}(rowid, title, body) VALUES(?, ?, ?)", (rowid, *tokens))
        conn.execute("UPDATE search_docs SET dup = ? WHERE rowid = ?", (0 if dup else 1, rowid))
    return len(flipped)


def _index_articles(conn: sqlite3.Connection, ids: Sequence[str]) -> int:
    """Tokenise and index the articles ``ids`` (in batches, so memory stays bounded); returns the count."""
    row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name='search_docs'").fetchone()
    next_id = (row[0] if row else 0) + 1
    n = 0
    for i in range(0, len(ids), _BATCH):
        chunk = list(ids[i : i + _BATCH])
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            "SELECT id, content_hash, title, blocks, duplicate_of IS NOT NULL AND duplicate_of != id,"
            f" published_day, outlet, outlet_en FROM articles WHERE id IN ({marks})",
            chunk,
        ).fetchall()
        docs = []
        fts: tuple[list[tuple[int, str, str]], list[tuple[int, str, str]]] = ([], [])
        for aid, chash, title, blocks, dup, day, outlet, outlet_en in rows:
            docs.append((next_id, aid, chash, dup, day, outlet, outlet_en))
            fts[1 if dup else 0].append((next_id, *_doc_tokens(title, blocks)))
            next_id += 1
        conn.executemany(
            "INSERT INTO search_docs(rowid, article_id, content_hash, dup, day, outlet, outlet_en)"
            " VALUES(?, ?, ?, ?, ?, ?, ?)",
            docs,
        )
        for table, values in zip(_TABLES, fts, strict=True):
            conn.executemany(f"INSERT INTO {table}(rowid, title, body) VALUES(?, ?, ?)", values)
        n += len(docs)
    return n


def rebuild_search_index(conn: sqlite3.Connection) -> int:
    """Drop and rebuild the whole index; returns the number of articles indexed."""
    with conn:
        for table in (*_TABLES, "search_docs"):
            conn.execute(f"DROP TABLE IF EXISTS {table}")
        ensure_search_tables(conn)
        ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY rowid")]
        n = _index_articles(conn, ids)
        _set_meta(conn, "search_index_version", _version())
        _set_meta(conn, "search_stale", "0")
        _set_meta(conn, "search_run", str(_last_run(conn)))
    return n


def update_search_index(conn: sqlite3.Connection) -> int:
    """Index articles that are new or whose content changed since they were indexed; returns how many.

    Called by the ingest pipeline after a run, and lazily by :func:`search` when the index is
    missing. Cheap when nothing changed (anti-joins over ids and hashes in covering indexes).
    """
    if not _has_index(conn) or _meta(conn, "search_index_version") != _version():
        return rebuild_search_index(conn)
    with conn:
        ensure_search_tables(conn)
        gone = conn.execute(
            "SELECT d.rowid FROM search_docs d LEFT JOIN articles a INDEXED BY search_articles_cover"
            " ON a.id = d.article_id WHERE a.id IS NULL OR a.content_hash != d.content_hash"
        ).fetchall()
        if gone:
            conn.executemany("DELETE FROM search_docs WHERE rowid=?", gone)
        stale = int(_meta(conn, "search_stale") or 0) + len(gone)
        total = conn.execute("SELECT count(*) FROM search_docs").fetchone()[0]
        if stale and stale > _REBUILD_STALE_FRACTION * max(total, 1):
            conn.rollback()
            return rebuild_search_index(conn)
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT a.id FROM articles a INDEXED BY search_articles_cover"
                " WHERE NOT EXISTS (SELECT 1 FROM search_docs d WHERE d.article_id = a.id)"
            )
        ]
        n = _index_articles(conn, ids)
        # metadata that changes without the content: dedupe assigning duplicate_of, a corrected date
        _move_flipped(conn)
        conn.execute(
            "UPDATE search_docs SET day = x.day, outlet = x.outlet, outlet_en = x.outlet_en"
            " FROM (SELECT id, published_day AS day, outlet, outlet_en"
            " FROM articles INDEXED BY search_articles_cover) AS x"
            " WHERE x.id = search_docs.article_id AND (search_docs.day IS NOT x.day"
            " OR search_docs.outlet IS NOT x.outlet OR search_docs.outlet_en IS NOT x.outlet_en)"
        )
        _set_meta(conn, "search_stale", str(stale))
        _set_meta(conn, "search_run", str(_last_run(conn)))
    return n


class SearchIndexUnavailable(RuntimeError):
    """No search index yet, and this connection cannot build one (read-only, or the database is locked)."""


def _last_run(conn: sqlite3.Connection) -> int:
    """The newest *finished* ingest run (a run still writing is caught up with once it is done)."""
    row = conn.execute("SELECT max(id) FROM runs WHERE finished_at IS NOT NULL").fetchone()
    return int(row[0] or 0)


def _refresh_if_stale(conn: sqlite3.Connection) -> None:
    """Build the index when missing, or catch up after an ingest run that did not update it.

    A finished run newer than the one the index saw is the cheap signal (the runs table is tiny).
    A connection that cannot write (read-only, or another writer holds the lock for more than a
    second) serves the index as it is rather than keep the reader waiting.
    """
    if (
        _has_index(conn)
        and _meta(conn, "search_index_version") == _version()
        and _last_run(conn) <= int(_meta(conn, "search_run") or 0)
    ):
        return
    timeout = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute("PRAGMA busy_timeout=1000")
    try:
        update_search_index(conn)
    except sqlite3.OperationalError as exc:
        if not _has_index(conn):
            raise SearchIndexUnavailable(
                f"the search index cannot be built now ({exc}); another process may be building it"
            ) from exc
    finally:
        conn.execute(f"PRAGMA busy_timeout={int(timeout)}")


# --------------------------------------------------------------------------- query
@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Filters shared by the CLI, the API and the search page."""

    outlet: str | None = None
    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    person: str | None = None  # canonical name (mentions.key of a person/office mention)
    topic: str | None = None  # topic id (extractions.topics)
    has_engagement: bool = False
    include_duplicates: bool = False  # near-duplicate copies are folded into their representative


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    source: str
    title: str
    published: str | None
    outlet: str | None
    score: float
    snippet: tuple[tuple[str, bool], ...]  # (text, is_hit) segments of the original text
    title_parts: tuple[tuple[str, bool], ...] = ()

    @property
    def snippet_html(self) -> str:
        """The snippet as an HTML fragment: text escaped, hits in ``<mark>``."""
        return segments_html(self.snippet)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "title": self.title,
            "published": self.published,
            "outlet": self.outlet,
            "snippet": self.snippet_html,
            "score": round(self.score, 6),
        }


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    total: int
    hits: tuple[SearchHit, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``summitwatch search --json`` and ``GET /api/search``."""
        return {"total": self.total, "hits": [h.to_dict() for h in self.hits]}


def segments_html(parts: Iterable[tuple[str, bool]]) -> str:
    return "".join(f"<mark>{html.escape(t)}</mark>" if hit else html.escape(t) for t, hit in parts)


def _filter_sql(f: SearchFilters) -> tuple[list[str], list[Any]]:
    """Conditions on ``search_docs d`` (the indexed copy of the filter columns) and the extraction tables."""
    from summitwatch.knowledge.lookup import canonical_people, topic_ids

    where: list[str] = []
    args: list[Any] = []
    if f.outlet:
        where.append("(d.outlet = ? OR d.outlet_en = ?)")
        args += [f.outlet, f.outlet]
    if f.since:
        where.append("d.day >= ?")
        args.append(f.since[:10])
    if f.until:
        where.append("d.day <= ?")
        args.append(f.until[:10])
    if f.person:
        # non-correlated: SQLite builds the person's article set once (via the mentions_key index)
        names = canonical_people(f.person)
        where.append(
            "d.article_id IN (SELECT m.article_id FROM mentions m"
            f" WHERE m.kind IN ('person', 'office') AND m.key IN ({','.join('?' * len(names))}))"
        )
        args.extend(names)
    if f.topic:
        topics = topic_ids(f.topic)
        where.append(
            "EXISTS (SELECT 1 FROM extractions x, json_each(x.topics) t"
            f" WHERE x.article_id = d.article_id AND t.value IN ({','.join('?' * len(topics))}))"
        )
        args.extend(topics)
    if f.has_engagement:
        where.append("d.article_id IN (SELECT e.article_id FROM engagements e)")
    return where, args


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


def search(
    conn: sqlite3.Connection,
    query: str,
    filters: SearchFilters | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchResult:
    """Rank articles matching ``query`` by BM25 (title hits weigh more) under ``filters``.

    Builds the index first when it does not exist yet (the first search on a fresh database waits
    for it; ``summitwatch ingest`` normally keeps it current through :func:`update_search_index`).
    """
    f = filters or SearchFilters()
    parsed = parse_query(query)
    if not parsed.match:
        return SearchResult(query=query, total=0)
    _refresh_if_stale(conn)
    where, args = _filter_sql(f)
    tables = _TABLES if f.include_duplicates else _TABLES[:1]
    selects = [
        f"SELECT d.article_id, bm25({t}, {_WEIGHTS[0]}, {_WEIGHTS[1]}) FROM {t}"
        f" JOIN search_docs d ON d.rowid = {t}.rowid WHERE " + " AND ".join([f"{t} MATCH ?", *where])
        for t in tables
    ]
    try:
        # one pass over the matches: every (article, score), then the page is cut here; cheaper than
        # a COUNT(*) pass plus an ORDER BY ... LIMIT pass, each evaluating the MATCH again
        scored = conn.execute(" UNION ALL ".join(selects), [parsed.match, *args] * len(tables)).fetchall()
    except sqlite3.OperationalError as exc:  # a query FTS5 cannot parse is no hit, not a crash
        if "fts5" in str(exc) or "MATCH" in str(exc):
            return SearchResult(query=query, total=0)
        raise
    total = len(scored)
    ranked = heapq.nsmallest(offset + limit, scored, key=lambda r: (r[1], r[0]))[offset:]
    rows = {}
    if ranked:
        marks = ",".join("?" * len(ranked))
        rows = {
            r[0]: r
            for r in conn.execute(
                f"SELECT id, source, title, published, outlet, blocks FROM articles WHERE id IN ({marks})",
                [r[0] for r in ranked],
            )
        }
    hits = tuple(
        SearchHit(
            id=aid,
            source=rows[aid][1],
            title=rows[aid][2] or "",
            published=rows[aid][3],
            outlet=rows[aid][4],
            score=-float(score),
            snippet=make_snippet(_article_text(rows[aid][5]), parsed.needles),
            title_parts=highlight(rows[aid][2] or "", parsed.needles),
        )
        for aid, score in ranked
        if aid in rows
    )
    return SearchResult(query=query, total=total, hits=hits)
