"""Corrections in and out: a reviewable JSONL file, and gold lines in the spec's format.

``export_jsonl`` writes one correction a line (withdrawn ones included, marked ``active: false``);
``import_jsonl`` adds the lines whose ``uid`` the store does not have yet, so a file can be
re-imported or passed between analysts without doubling anything.

``export_gold`` turns the analysts' work into evaluation data in the shape of
``../shared/gold/dev_articles.jsonl``: ``{"file", "published", "engagements", "notes"}`` for each
article a correction touched. Per-article records there are what *that article* says, so an
entry-level correction reaches them by these rules:

- an entry rejected: its records are dropped (it is not an engagement);
- ``modality`` corrected: every member record takes the new modality;
- ``date`` / ``date_end`` / ``location`` / ``status`` corrected: a member record that stated the
  replaced value takes the new one (a record that gave no date stays undated: the article does
  not fix the day);
- ``us`` / ``cn`` corrected: names the analyst removed leave every member record; a record that
  listed exactly the replaced participants takes the new list.

Record-level corrections (set, reject, add) apply as they are. The other records of a touched
article are kept as extracted, and the notes say which records an analyst reviewed.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from summitwatch.curation.apply import CuratedState, RecKey
from summitwatch.curation.model import Correction, CurationError
from summitwatch.model import Engagement
from summitwatch.run.steps import apply_corrections, curate
from summitwatch.store import curation as store
from summitwatch.timeline import RecordRef


def export_jsonl(conn: sqlite3.Connection, out: TextIO) -> int:
    """Write every correction as a JSON line; returns how many."""
    n = 0
    for c in store.list_corrections(conn):
        out.write(json.dumps(c.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
        n += 1
    return n


def import_jsonl(conn: sqlite3.Connection, path: Path) -> tuple[int, int]:
    """Add the corrections of a JSONL export not already stored; returns (added, already there).

    Every line is checked before any is stored, so a bad file changes nothing.
    """
    items: list[Correction] = []
    with path.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                items.append(Correction.from_dict(json.loads(line)))
            except (ValueError, KeyError, TypeError) as exc:
                raise CurationError(f"{path}:{i}: {exc}") from exc
    added = 0
    with conn:
        store.ensure_table(conn)
        for c in items:
            if store.insert_correction(conn, replace(c, id=None)) is not None:
                added += 1
    if added:
        apply_corrections(conn)
        conn.commit()
    return added, len(items) - added


# --------------------------------------------------------------------------- gold
def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _propagate(eng: Engagement, sets: dict[str, tuple[Any, Any]]) -> Engagement:
    """An entry's field corrections, as they bear on one of its records (rules in the module doc)."""
    changes: dict[str, Any] = {}
    for fld, (before, after) in sets.items():
        now = getattr(eng, fld)
        if fld == "modality":
            changes[fld] = after
        elif fld in ("us", "cn"):
            removed = set(before or []) - set(after)
            if list(now) == list(before or []):
                changes[fld] = tuple(after)
            else:
                kept = tuple(n for n in now if n not in removed)
                changes[fld] = kept or tuple(after)
        elif fld == "date":
            d, b = _day(now), _day(before)
            if d is not None and (b is None or abs((d - b).days) <= 1):
                changes[fld] = after
        elif fld == "date_end":
            if eng.date is not None and now == before:
                changes[fld] = after
        elif now is not None and now == before:  # location, status
            changes[fld] = after
    return replace(eng, **changes) if changes else eng


def gold_lines(conn: sqlite3.Connection, state: CuratedState | None = None) -> list[dict[str, Any]]:
    """One gold line per article a correction touched, in publication order."""
    if state is None:
        state = curate(conn)[1]
    member_of: dict[RecKey, str] = {}
    for e in state.entries:
        for ev in e.data.get("evidence", []):
            member_of[(ev["article_id"], ev["seq"])] = e.id
    dropped: set[RecKey] = {k for keys in state.rejected_entries.values() for k in keys}
    reviewed: set[RecKey] = set(state.record_marks) | set(state.rejected_records) | dropped
    notes: dict[str, list[str]] = defaultdict(list)
    curated_entries = {e.id for e in state.entries if e.data.get("curation")}
    for key, eid in member_of.items():
        if eid in curated_entries:
            reviewed.add(key)
    for key in set(state.rejected_records):
        notes[key[0]].append(f"record {key[1]} rejected")
    for eid, keys in state.rejected_entries.items():
        for k in keys:
            notes[k[0]].append(f"record {k[1]} rejected with entry {eid}")
    articles = sorted({k[0] for k in reviewed})
    by_article: dict[str, list[tuple[RecKey, RecordRef]]] = defaultdict(list)
    for key, ref in state.refs.items():
        if key[0] in articles:
            by_article[key[0]].append((key, ref))
    users: dict[str, set[str]] = defaultdict(set)
    for key, cs in state.record_marks.items():
        users[key[0]].update(c.user for c in cs)
    for key, eid in member_of.items():
        users[key[0]].update(state.entry_users.get(eid, ()))
    for eid, keys in state.rejected_entries.items():
        for k in keys:
            users[k[0]].update(state.entry_users.get(eid, ()))
    lines: list[dict[str, Any]] = []
    for aid in articles:
        row = conn.execute("SELECT source, published_day, published FROM articles WHERE id = ?", (aid,)).fetchone()
        if row is None:
            continue
        engagements = []
        unreviewed = 0
        for key, ref in sorted(by_article.get(aid, []), key=lambda kr: (kr[0][1] < 0, abs(kr[0][1]))):
            if key in dropped:
                continue
            eng = ref.engagement
            eid = member_of.get(key)
            if eid is not None and eid in state.entry_sets:
                eng = _propagate(eng, state.entry_sets[eid])
            engagements.append(eng.spec_dict())
            if key not in reviewed:
                unreviewed += 1
        note = "curated" + (f" by {', '.join(sorted(users[aid]))}" if users[aid] else "")
        if notes[aid]:
            note += "; " + "; ".join(sorted(set(notes[aid])))
        if unreviewed:
            note += f"; {unreviewed} record(s) not reviewed, kept as extracted"
        lines.append({"file": row[0], "published": row[1] or (row[2] or "")[:10] or None,
                      "engagements": engagements, "notes": note})
    lines.sort(key=lambda d: (d["published"] or "", d["file"]))
    return lines


def export_gold(conn: sqlite3.Connection, out: TextIO) -> int:
    """Write the gold lines of the curated articles; returns how many articles."""
    lines = gold_lines(conn)
    for line in lines:
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return len(lines)
