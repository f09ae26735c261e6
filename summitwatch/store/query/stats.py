"""Corpus statistics: what the store holds, counted once for every interface.

``summitwatch stats`` prints :meth:`CorpusStats.to_dict`, ``/api/stats`` serves
:meth:`CorpusStats.overview_dict` and the corpus page renders the record; the numbers come from the
one :func:`corpus_stats`, so "duplicates" (near-duplicate copies folded into another article) and
"articles" (distinct articles) mean the same everywhere.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from summitwatch.model import CorpusStats, DuplicateGroup, Page, QuarantineItem
from summitwatch.store.codec import loads

__all__ = ["corpus_stats", "list_duplicate_groups", "list_quarantine"]

#: An article folded into another one (a representative has no ``duplicate_of``, or its own id).
_COPY = "duplicate_of IS NOT NULL AND duplicate_of != id"


def _one(conn: sqlite3.Connection, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0] or 0)


def _pairs(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> tuple[tuple[str | None, int], ...]:
    return tuple((None if k is None else str(k), int(v)) for k, v in conn.execute(sql, params))


def corpus_stats(conn: sqlite3.Connection, *, largest_groups: int = 5) -> CorpusStats:
    """Counts, then breakdowns by outlet, year, month, format, reason, flags, languages, modality."""
    sources = _one(conn, "SELECT count(*) FROM sources")
    quarantined = _one(conn, "SELECT count(*) FROM quarantine")
    largest = tuple(
        {"representative": rep, "title": title, "size": n + 1}
        for rep, title, n in conn.execute(
            "SELECT d.duplicate_of, r.title, count(*) AS n FROM articles d "
            "JOIN articles r ON r.id = d.duplicate_of WHERE d.duplicate_of IS NOT NULL AND d.duplicate_of != d.id "
            "GROUP BY d.duplicate_of ORDER BY n DESC, d.duplicate_of LIMIT ?",
            (largest_groups,),
        )
    )
    last_run = conn.execute(
        "SELECT id, started_at, finished_at, inputs, summary FROM runs ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return CorpusStats(
        files=sources + quarantined,
        sources=sources,
        articles=_one(conn, "SELECT count(*) FROM articles"),
        quarantined=quarantined,
        duplicates=_one(conn, f"SELECT count(*) FROM articles WHERE {_COPY}"),
        duplicate_groups=_one(conn, f"SELECT count(DISTINCT duplicate_of) FROM articles WHERE {_COPY}"),
        engagements=_one(conn, "SELECT count(*) FROM engagements"),
        quotes=_one(conn, "SELECT count(*) FROM quotes"),
        mentions=_one(conn, "SELECT count(*) FROM mentions"),
        extracted_articles=_one(conn, "SELECT count(*) FROM extractions"),
        timeline_entries=_one(conn, "SELECT count(*) FROM timeline"),
        undated_articles=_one(conn, "SELECT count(*) FROM articles WHERE published_day IS NULL"),
        by_outlet=_pairs(conn, "SELECT outlet, count(*) AS n FROM articles GROUP BY outlet ORDER BY n DESC, outlet"),
        by_year=_pairs(
            conn, "SELECT substr(published_day, 1, 4) AS y, count(*) FROM articles GROUP BY y ORDER BY y"
        ),
        by_format=_pairs(
            conn, "SELECT format, count(*) AS n FROM articles GROUP BY format ORDER BY n DESC, format"
        ),
        per_month=_pairs(
            conn,
            "SELECT substr(published_day, 1, 7), count(*) FROM articles WHERE published_day IS NOT NULL"
            " GROUP BY 1 ORDER BY 1",
        ),
        quarantine_reasons=_pairs(
            conn, "SELECT reason, count(*) AS n FROM quarantine GROUP BY reason ORDER BY n DESC, reason"
        ),
        flags=_pairs(
            conn,
            "SELECT j.value, count(*) AS n FROM articles, json_each(articles.flags) AS j "
            "GROUP BY j.value ORDER BY n DESC, j.value",
        ),
        languages=_pairs(
            conn, "SELECT language, count(*) AS n FROM articles GROUP BY language ORDER BY n DESC, language"
        ),
        scripts=_pairs(
            conn, "SELECT script, count(*) AS n FROM articles GROUP BY script ORDER BY n DESC, script"
        ),
        modalities=_pairs(conn, "SELECT modality, count(*) FROM timeline GROUP BY modality ORDER BY 2 DESC, 1"),
        largest_groups=largest,
        last_run=(
            {
                "id": last_run[0],
                "started_at": last_run[1],
                "finished_at": last_run[2],
                "inputs": loads(last_run[3], []),
                "summary": loads(last_run[4], None),
            }
            if last_run
            else None
        ),
    )


def list_quarantine(
    conn: sqlite3.Connection, limit: int = 200, offset: int = 0, reason: str | None = None
) -> Page:
    """Quarantined records with their reasons (the corpus page's list)."""
    where, args = (" WHERE reason = ?", [reason]) if reason else ("", [])
    total = conn.execute(f"SELECT count(*) FROM quarantine{where}", args).fetchone()[0]
    items = tuple(
        QuarantineItem(r[0], r[1], r[2] or "")
        for r in conn.execute(
            f"SELECT source, reason, detail FROM quarantine{where} ORDER BY reason, source LIMIT ? OFFSET ?",
            [*args, limit, offset],
        )
    )
    return Page(total, limit, offset, items)


def list_duplicate_groups(conn: sqlite3.Connection, limit: int = 100, offset: int = 0) -> Page:
    """Near-duplicate groups, largest first: representative article and how many copies fold into it."""
    total = conn.execute(
        "SELECT count(DISTINCT duplicate_of) FROM articles WHERE duplicate_of IS NOT NULL AND duplicate_of != id"
    ).fetchone()[0]
    items = tuple(
        DuplicateGroup(r[0], r[1] or "", r[2], r[3])
        # count in the covering index first, then read titles for the page's groups only
        for r in conn.execute(
            "SELECT g.rep, r.title, r.published, g.n FROM (SELECT duplicate_of AS rep, count(*) AS n"
            " FROM articles WHERE duplicate_of IS NOT NULL AND duplicate_of != id"
            " GROUP BY duplicate_of ORDER BY n DESC, rep LIMIT ? OFFSET ?) AS g"
            " LEFT JOIN articles r ON r.id = g.rep ORDER BY g.n DESC, g.rep",
            [limit, offset],
        )
    )
    return Page(total, limit, offset, items)
