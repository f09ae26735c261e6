"""The one layer the CLI and the web/API call to correct the record.

Each action checks its target against the store as it is now, records a :class:`Correction` with
who, when, the note and the values it replaces, and re-applies all corrections so the timeline
shows the result at once. Targets are given as the interfaces show them: a timeline entry by its
id (``e-…``), a per-article record as ``ARTICLE_ID:SEQ`` (stored by content signature, so the
correction survives re-extraction).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from summitwatch.curation.apply import CurationReport, Outcome, rank_of, split_id
from summitwatch.curation.io import export_gold, export_jsonl, import_jsonl
from summitwatch.curation.model import (
    ENTRY_FIELDS,
    MODALITIES,
    RECORD_FIELDS,
    STATUSES,
    Correction,
    CurationError,
    RecordKey,
    parse_names,
    parse_value,
    record_key,
)
from summitwatch.knowledge import load_knowledge
from summitwatch.model import Engagement
from summitwatch.run.steps import apply_corrections, curate
from summitwatch.store import curation as store
from summitwatch.store.timeline import load_records
from summitwatch.timeline import RecordRef

# The interfaces (CLI, API, web) reach curation only through this module: the file exchange, the
# field lists and the error they show come along with the actions.
__all__ = [
    "ENTRY_FIELDS", "RECORD_FIELDS", "ActionResult", "CurationError", "add", "attach", "confirm",
    "corrections_for", "export_gold", "export_jsonl", "import_jsonl", "list_corrections", "merge",
    "record_key", "reject", "set_field", "split", "user_name", "withdraw",
]  # fmt: skip

USER_ENV = "SUMMITWATCH_USER"
_SPACE = re.compile(r"\s+")


@dataclass(slots=True)
class ActionResult:
    """A stored correction and what applying it did."""

    correction: Correction
    outcome: Outcome | None
    report: CurationReport

    def to_dict(self) -> dict[str, Any]:
        return {"correction": self.correction.to_dict(),
                "outcome": self.outcome.to_dict() if self.outcome else None,
                "applied": self.report.applied, "orphaned": len(self.report.orphans),
                "entries": self.report.entries}


def user_name(user: str | None = None) -> str:
    """Who is correcting: the given name, else $SUMMITWATCH_USER; curation needs one."""
    name = (user or os.environ.get(USER_ENV) or "").strip()
    if not name:
        raise CurationError(f"curation needs a user name: give --user NAME or set {USER_ENV}")
    return name[:100]


def canonical_names(names: list[str] | str) -> list[str]:
    """Participants as the officials data file names them (the spec's naming authority).

    A surface form the data knows (拜登, 習近平, Blinken's Chinese names) becomes its canonical name;
    a name the data does not know is refused, so corrections stay valid as gold.
    """
    items = parse_names(names)
    kn = load_knowledge()  # a broken data file is an error to report, not a reason to accept any name
    out: list[str] = []
    for name in items:
        if name in kn.officials:
            out.append(name)
            continue
        found = kn.name_index.get(name) or ()
        if len(found) == 1:
            out.append(found[0])
        elif found:
            raise CurationError(f"{name!r} may be any of {', '.join(found)}: give the canonical name")
        else:
            raise CurationError(f"unknown participant {name!r}: not in data/officials.yaml (the naming authority)")
    return list(dict.fromkeys(out))


# --------------------------------------------------------------------------- targets as they are now
@dataclass(slots=True)
class _Now:
    """The store's records and timeline membership at the time of an action."""

    refs: dict[tuple[str, int], RecordRef]
    by_article: dict[str, list[RecordRef]]

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> _Now:
        refs = {(r.article_id, r.seq): r for r in load_records(conn)}
        by: dict[str, list[RecordRef]] = {}
        for r in sorted(refs.values(), key=lambda r: r.seq):
            by.setdefault(r.article_id, []).append(r)
        return cls(refs, by)

    def key(self, ref: RecordRef) -> RecordKey:
        return record_key(ref.article_id, ref.engagement, rank_of(ref, self.by_article[ref.article_id]))


def _entry_row(conn: sqlite3.Connection, entry_id: str) -> sqlite3.Row | None:
    return store.timeline_row(conn, entry_id)


def _members(conn: sqlite3.Connection, entry_id: str) -> list[tuple[str, int]]:
    return store.entry_members(conn, entry_id)


def _entry_target(conn: sqlite3.Connection, now: _Now, entry_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(target, original values) of a timeline entry that exists now."""
    row = _entry_row(conn, entry_id)
    if row is None:
        raise CurationError(f"no timeline entry {entry_id!r}")
    members = [now.key(now.refs[k]).to_dict() for k in _members(conn, entry_id) if k in now.refs]
    data = json.loads(row["data"] or "{}")
    original: dict[str, Any] = {f: (json.loads(row[f]) if f in ("us", "cn") else row[f]) for f in ENTRY_FIELDS}
    original.update((data.get("curation") or {}).get("original") or {})  # what extraction said, not a correction
    return {"entry": entry_id, "members": members}, original


def _record_ref(now: _Now, target: str) -> RecordRef:
    aid, sep, seq = target.rpartition(":")
    if not sep or not seq.lstrip("-").isdigit():
        raise CurationError(f"not a record: {target!r} (give ARTICLE_ID:SEQ)")
    ref = now.refs.get((aid, int(seq)))
    if ref is None:
        raise CurationError(f"no extracted record {target!r}")
    return ref


def _record_original(eng: Engagement) -> dict[str, Any]:
    return {k: v for k, v in eng.spec_dict().items() if k != "evidence"}


def _target(conn: sqlite3.Connection, now: _Now, target: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """An entry id or ``ARTICLE_ID:SEQ``, as (stored target, original values)."""
    target = target.strip()
    if _entry_row(conn, target) is not None:
        return _entry_target(conn, now, target)
    if ":" in target:
        ref = _record_ref(now, target)
        return {"record": now.key(ref).to_dict()}, _record_original(ref.engagement)
    raise CurationError(f"no timeline entry or record {target!r}")


# --------------------------------------------------------------------------- recording and applying
def _record(conn: sqlite3.Connection, c: Correction) -> ActionResult:
    with conn:
        cid = store.insert_correction(conn, c)
    stored = store.get_correction(conn, cid) if cid else None
    if stored is None:
        raise CurationError("correction not stored (duplicate uid)")
    report = apply_corrections(conn)
    conn.commit()
    outcome = next((o for o in report.outcomes if o.uid == stored.uid), None)
    return ActionResult(stored, outcome, report)


def confirm(conn: sqlite3.Connection, target: str, user: str | None = None, note: str = "") -> ActionResult:
    """The entry (or record) is right as extracted."""
    now = _Now.load(conn)
    tgt, original = _target(conn, now, target)
    return _record(conn, Correction("confirm", tgt, user_name(user), note=note, original=original))


def reject(conn: sqlite3.Connection, target: str, user: str | None = None, note: str = "") -> ActionResult:
    """Not an engagement (or not this one): hidden from the timeline, listed as rejected."""
    now = _Now.load(conn)
    tgt, original = _target(conn, now, target)
    return _record(conn, Correction("reject", tgt, user_name(user), note=note, original=original))


def set_field(conn: sqlite3.Connection, target: str, field: str, value: Any, user: str | None = None,
              note: str = "") -> ActionResult:
    """Correct one field (us, cn, modality, date, date_end, location, status; records also focus)."""
    now = _Now.load(conn)
    tgt, original = _target(conn, now, target)
    is_record = "record" in tgt
    if field in ("us", "cn"):
        value = canonical_names(value)
    parsed = parse_value(field, value, record=is_record)
    return _record(conn, Correction("set", tgt, user_name(user), note=note,
                                    payload={"field": field, "value": parsed},
                                    original={field: original.get(field)}))


def merge(conn: sqlite3.Connection, survivor: str, others: list[str], user: str | None = None,
          note: str = "") -> ActionResult:
    """Entries that are one engagement: ``others`` fold into ``survivor`` (whose id is kept)."""
    others = [o.strip() for o in others if o.strip() and o.strip() != survivor.strip()]
    if not others:
        raise CurationError("merge needs at least two different entries")
    now = _Now.load(conn)
    tgt, original = _entry_target(conn, now, survivor.strip())
    members: dict[str, list[dict[str, Any]]] = {}
    originals: dict[str, Any] = {survivor: original}
    for o in dict.fromkeys(others):
        t, orig = _entry_target(conn, now, o)
        members[o] = t["members"]
        originals[o] = orig
    return _record(conn, Correction("merge", tgt, user_name(user), note=note,
                                    payload={"entries": list(members), "members": members}, original=originals))


def split(conn: sqlite3.Connection, entry_id: str, records: list[str], user: str | None = None,
          note: str = "") -> ActionResult:
    """An entry that is two engagements: ``records`` (``ARTICLE_ID:SEQ``) become a new entry."""
    now = _Now.load(conn)
    tgt, original = _entry_target(conn, now, entry_id.strip())
    have = set(_members(conn, entry_id.strip()))
    keys: list[RecordKey] = []
    chosen: set[tuple[str, int]] = set()
    for r in records:
        ref = _record_ref(now, r)
        if (ref.article_id, ref.seq) not in have:
            raise CurationError(f"record {r} is not part of {entry_id}")
        if (ref.article_id, ref.seq) not in chosen:
            chosen.add((ref.article_id, ref.seq))
            keys.append(now.key(ref))
    if not keys:
        raise CurationError("split needs the records that form the new entry")
    if chosen >= have:
        raise CurationError("split must leave at least one record in the entry")
    new_id = split_id(entry_id.strip(), keys)
    return _record(conn, Correction("split", tgt, user_name(user), note=note, original=original,
                                    payload={"records": [k.to_dict() for k in keys], "new_id": new_id}))


def attach(conn: sqlite3.Connection, record: str, entry_id: str, user: str | None = None,
           note: str = "") -> ActionResult:
    """A per-article record reports another engagement: move it to ``entry_id``."""
    now = _Now.load(conn)
    ref = _record_ref(now, record)
    etgt, _ = _entry_target(conn, now, entry_id.strip())
    current = store.entry_of_record(conn, ref.article_id, ref.seq)
    if current is not None and current == entry_id.strip():
        raise CurationError(f"record {record} is already part of {entry_id}")
    return _record(conn, Correction(
        "attach", {"record": now.key(ref).to_dict()}, user_name(user), note=note,
        payload={"entry": entry_id.strip(), "members": etgt["members"]},
        original={"entry": current, **_record_original(ref.engagement)}))


def _norm(text: str) -> str:
    return _SPACE.sub("", text or "")


def add(conn: sqlite3.Connection, articles: list[str], evidence: list[str], us: list[str] | str,
        cn: list[str] | str, modality: str, status: str = "held", date: str | None = None,
        date_end: str | None = None, location: str | None = None, focus: bool = True,
        user: str | None = None, note: str = "") -> ActionResult:
    """An engagement the extractor missed, cited by article id(s) and the sentence(s) reporting it.

    Each evidence sentence must occur in its article's clean text (one sentence for all articles,
    or one per article), so the added record is as checkable as an extracted one.
    """
    articles = [a.strip() for a in articles if a.strip()]
    evidence = [e.strip() for e in evidence if e.strip()]
    if not articles:
        raise CurationError("add needs the article(s) that report the engagement")
    if not evidence:
        raise CurationError("add needs the evidence sentence(s) that report it")
    if len(evidence) not in (1, len(articles)):
        raise CurationError("give one evidence sentence, or one per article")
    if modality not in MODALITIES:
        raise CurationError(f"modality must be one of {', '.join(MODALITIES)}")
    if status not in STATUSES:
        raise CurationError(f"status must be one of {', '.join(STATUSES)}")
    us_l, cn_l = canonical_names(us), canonical_names(cn)
    if not us_l or not cn_l:
        raise CurationError("an engagement needs participants on both sides (us and cn)")
    fields: dict[str, Any] = {"us": us_l, "cn": cn_l, "modality": modality, "status": status, "focus": bool(focus),
                              "date": parse_value("date", date), "date_end": parse_value("date_end", date_end),
                              "location": parse_value("location", location)}
    if fields["date"]:
        fields["date_precision"] = "day"
    for i, aid in enumerate(articles):
        row = store.article_blocks_title(conn, aid)
        if row is None:
            raise CurationError(f"no article {aid!r}")
        text = "\n\n".join(b.get("text", "") for b in row[0] if isinstance(b, dict))
        ev = evidence[i] if len(evidence) > 1 else evidence[0]
        if _norm(ev) not in _norm(text):
            raise CurationError(f"the evidence sentence is not in article {aid} ({(row[1] or '')[:40]})")
    return _record(conn, Correction("add", {"articles": articles}, user_name(user), note=note,
                                    payload={"engagement": fields, "evidence": evidence}))


def withdraw(conn: sqlite3.Connection, correction_id: int) -> CurationReport:
    """Stop applying a correction (it stays in the table, inactive) and re-apply the rest."""
    with conn:
        if not store.set_active(conn, correction_id, False):
            raise CurationError(f"no correction {correction_id}")
    report = apply_corrections(conn)
    conn.commit()
    return report


# --------------------------------------------------------------------------- listing
@dataclass(slots=True)
class Listed:
    """A correction with its state in the current build (inactive ones: state ``withdrawn``)."""

    correction: Correction
    state: str
    detail: str = ""
    entry_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {**self.correction.to_dict(), "state": self.state, "detail": self.detail, "entry_id": self.entry_id}


def list_corrections(conn: sqlite3.Connection, *, orphans: bool = False,
                     target: str | None = None) -> list[Listed]:
    """Every correction with its current outcome (computed, nothing written); ``orphans``: only
    those whose target has gone (wholly or partly); ``target``: those naming an entry/article id."""
    outcomes = {o.uid: o for o in curate(conn)[0].outcomes} if store.has_table(conn) else {}
    out: list[Listed] = []
    for c in store.list_corrections(conn):
        o = outcomes.get(c.uid)
        item = Listed(c, o.state if o else "withdrawn", o.detail if o else "", o.entry_id if o else None)
        if orphans and item.state not in ("orphaned", "partial"):
            continue
        if target and target not in json.dumps(c.target, ensure_ascii=False) and target != item.entry_id \
                and target not in json.dumps(c.payload.get("entries") or c.payload.get("entry") or "", ensure_ascii=False):
            continue
        out.append(item)
    return out



def corrections_for(conn: sqlite3.Connection, target_ids: list[str]) -> list[Correction]:
    """The corrections that target any of ``target_ids`` (an entry's or an article's history)."""
    return store.corrections_for(conn, target_ids)
