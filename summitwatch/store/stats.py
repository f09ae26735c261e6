"""Corpus statistics: what the store holds, for ``summitwatch stats``, the API and the web UI.

Top-level integers follow the ingest contract: ``files`` (leaf records seen) = ``sources`` (stored)
+ ``quarantined``; ``articles`` counts distinct articles. Breakdowns sit beside them.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

__all__ = ["corpus_stats"]


def _pairs(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> dict[str, int]:
    return {str(k) if k is not None else "(none)": int(v) for k, v in conn.execute(sql, params)}


def _one(conn: sqlite3.Connection, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0] or 0)


def corpus_stats(conn: sqlite3.Connection, *, largest_groups: int = 5) -> dict[str, Any]:
    """One JSON-ready object: counts, then breakdowns by outlet, year, reason, flags, languages."""
    sources = _one(conn, "SELECT count(*) FROM sources")
    quarantined = _one(conn, "SELECT count(*) FROM quarantine")
    articles = _one(conn, "SELECT count(*) FROM articles")
    duplicates = _one(conn, "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL")
    groups = _one(conn, "SELECT count(DISTINCT duplicate_of) FROM articles WHERE duplicate_of IS NOT NULL")
    largest = [
        {"representative": rep, "title": title, "size": n + 1}
        for rep, title, n in conn.execute(
            "SELECT d.duplicate_of, r.title, count(*) AS n FROM articles d "
            "JOIN articles r ON r.id = d.duplicate_of WHERE d.duplicate_of IS NOT NULL "
            "GROUP BY d.duplicate_of ORDER BY n DESC, d.duplicate_of LIMIT ?",
            (largest_groups,),
        )
    ]
    last_run = conn.execute(
        "SELECT id, started_at, finished_at, inputs, summary FROM runs ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return {
        "files": sources + quarantined,
        "sources": sources,
        "articles": articles,
        "quarantined": quarantined,
        "duplicates": duplicates,
        "duplicate_groups": groups,
        "engagements": _one(conn, "SELECT count(*) FROM engagements"),
        "quotes": _one(conn, "SELECT count(*) FROM quotes"),
        "mentions": _one(conn, "SELECT count(*) FROM mentions"),
        "extracted_articles": _one(conn, "SELECT count(*) FROM extractions"),
        "by_outlet": _pairs(
            conn, "SELECT outlet, count(*) AS n FROM articles GROUP BY outlet ORDER BY n DESC, outlet"
        ),
        "by_year": _pairs(
            conn,
            "SELECT substr(published_day, 1, 4) AS y, count(*) FROM articles GROUP BY y ORDER BY y",
        ),
        "by_format": _pairs(
            conn, "SELECT format, count(*) AS n FROM articles GROUP BY format ORDER BY n DESC, format"
        ),
        "quarantine_reasons": _pairs(
            conn, "SELECT reason, count(*) AS n FROM quarantine GROUP BY reason ORDER BY n DESC, reason"
        ),
        "duplicate_groups_detail": {"groups": groups, "duplicates": duplicates, "largest": largest},
        "flags": _pairs(
            conn,
            "SELECT j.value, count(*) AS n FROM articles, json_each(articles.flags) AS j "
            "GROUP BY j.value ORDER BY n DESC, j.value",
        ),
        "languages": _pairs(
            conn, "SELECT language, count(*) AS n FROM articles GROUP BY language ORDER BY n DESC, language"
        ),
        "scripts": _pairs(
            conn, "SELECT script, count(*) AS n FROM articles GROUP BY script ORDER BY n DESC, script"
        ),
        "last_run": (
            {
                "id": last_run[0],
                "started_at": last_run[1],
                "finished_at": last_run[2],
                "inputs": json.loads(last_run[3] or "[]"),
                "summary": json.loads(last_run[4]) if last_run[4] else None,
            }
            if last_run
            else None
        ),
    }
