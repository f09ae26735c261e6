"""Queries about officials: who appears in the store, and one person's record.

A person is a canonical name as the mentions stage writes it (``mentions.key`` of person mentions
and of office mentions resolved to a holder) and as timeline entries list participants. Offices
held come from the knowledge files when they know the name.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from summitwatch.knowledge import load_knowledge
from summitwatch.knowledge.lookup import canonical_people
from summitwatch.model import OfficeHeld, Page, PersonDetail, PersonSummary
from summitwatch.store.query.filters import Filters
from summitwatch.store.query.timeline import list_timeline

__all__ = ["get_person", "list_people"]


def _knowledge_person(name: str) -> tuple[str | None, tuple[str, ...], tuple[OfficeHeld, ...]]:
    """Side, Chinese forms and offices of ``name`` from the knowledge files (empty when unknown).

    Guarded: an interface must still serve the store when the data files are missing or broken.
    """
    try:
        kn = load_knowledge()
    except Exception:  # noqa: BLE001 - knowledge is optional for reading the store
        return None, (), ()
    official = kn.officials.get(name)
    if official is None:
        return None, (), ()
    offices = tuple(
        OfficeHeld(
            office=t.office,
            title=kn.offices[t.office].en if t.office in kn.offices else t.office,
            start=t.start,
            end=t.end,
            note=t.note,
        )
        for t in sorted(official.offices, key=lambda t: t.start)
    )
    return official.side, tuple(official.zh), offices


def list_people(conn: sqlite3.Connection, limit: int = 200, offset: int = 0, side: str | None = None) -> Page:
    """People named in the store, most engagements (then mentions) first."""
    stats: dict[str, dict[str, Any]] = {}

    def slot(name: str) -> dict[str, Any]:
        return stats.setdefault(
            name, {"side": None, "mentions": 0, "articles": 0, "engagements": 0, "quotes": 0}
        )

    for key, s, n, arts in conn.execute(
        "SELECT key, max(side), count(*), count(DISTINCT article_id) FROM mentions"
        " WHERE kind IN ('person', 'office') AND key != '' GROUP BY key"
    ):
        d = slot(key)
        d["side"], d["mentions"], d["articles"] = s, n, arts
    for col, s in (("us", "US"), ("cn", "PRC")):
        for name, n in conn.execute(
            f"SELECT j.value, count(*) FROM timeline t, json_each(t.{col}) j GROUP BY 1"
        ):
            if isinstance(name, str):
                d = slot(name)
                d["engagements"] += n
                d["side"] = d["side"] or s
    for speaker, n in conn.execute("SELECT speaker, count(*) FROM quotes GROUP BY speaker"):
        if speaker in stats:
            stats[speaker]["quotes"] = n
    people = [PersonSummary(name, **d) for name, d in stats.items() if side is None or d["side"] == side]
    people.sort(key=lambda p: (-p.engagements, -p.mentions, p.name))
    return Page(len(people), limit, offset, tuple(people[offset : offset + limit]))


def get_person(conn: sqlite3.Connection, name: str, quote_limit: int = 200) -> PersonDetail | None:
    """One person: counts, offices held (from knowledge), merged engagements and quotes; None if unknown.

    ``name`` may be any name the officials data knows (布林肯, 布林肯, antony blinken): a link or a
    typed URL with the Chinese name finds the person under the canonical English name."""
    names = canonical_people(name)
    if len(names) == 1:
        name = names[0]
    m = conn.execute(
        "SELECT max(side), count(*), count(DISTINCT article_id) FROM mentions"
        " WHERE kind IN ('person', 'office') AND key = ?",
        [name],
    ).fetchone()
    engagements = list_timeline(conn, Filters(person=name), limit=10_000).items
    nq = conn.execute("SELECT count(*) FROM quotes WHERE speaker = ?", [name]).fetchone()[0]
    k_side, zh, offices = _knowledge_person(name)
    if not m[1] and not engagements and not nq and not offices:
        return None
    side = m[0] or k_side
    if side is None and engagements:
        side = "US" if name in engagements[0].us else "PRC"
    quotes = tuple(
        {
            "text": r[0],
            "reported": bool(r[1]),
            "article_id": r[2],
            "article_title": r[3],
            "published": r[4],
        }
        for r in conn.execute(
            "SELECT q.text, q.reported, q.article_id, a.title, a.published FROM quotes q"
            " LEFT JOIN articles a ON a.id = q.article_id WHERE q.speaker = ?"
            " ORDER BY a.published DESC, q.article_id, q.seq LIMIT ?",
            [name, quote_limit],
        )
    )
    summary = PersonSummary(name, side, m[1], m[2], len(engagements), nq)
    return PersonDetail(summary, zh, offices, tuple(engagements), quotes)
