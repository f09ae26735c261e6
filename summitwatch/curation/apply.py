"""Lay analysts' corrections over the extracted record: per-article records first, then the timeline.

Extraction and the timeline merge are re-run at will (``reparse``, ``extract``, a knowledge-file
change); corrections live in their own table and are re-applied each time, here:

1. **Per-article records.** Each record correction re-finds its record by article and content
   signature (see :class:`~summitwatch.curation.model.RecordKey`): ``set`` replaces fields,
   ``reject`` drops the record, ``add`` contributes an analyst-written record. When any of these
   apply, the timeline is merged again from the corrected records, so a corrected date or side
   takes part in the merge like any extracted one.
2. **Timeline structure**, in the order made: ``merge`` folds entries into the first one,
   ``split`` moves member records to a new entry, ``attach`` moves one record to another entry.
   Entries whose membership changed are rebuilt from their records with the timeline's own entry
   builder, keeping their stable id.
3. **Entry fields and verdicts**: ``set`` on an entry, ``confirm``, then ``reject`` (the entry leaves
   the timeline; the correction keeps it listed as rejected).

Everything applied is marked in the entry's ``data["curation"]`` (status, by, at, original values,
the corrections) and on the cited record in ``data["evidence"]``. A correction whose target has gone
is reported as orphaned, never dropped; one whose target moved (its id changed, its record's date
is now resolved) is reported as retargeted.

:func:`curate_entries` always starts from the uncorrected merge (given by the caller, or computed
here from the records), so applying twice gives the same timeline.

This module is pure: corrections, per-article records and what the merge needs (quotes, texts,
topics, framing) come in as :class:`CurationInputs`, entries go out. Reading them from the store and
writing the result is ``summitwatch.run.steps`` (``rebuild_timeline``, ``apply_corrections``).
"""

from __future__ import annotations

import copy
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from summitwatch.curation.model import parse_value, record_key
from summitwatch.model import (
    ArticleRef,
    Correction,
    Engagement,
    QuoteRef,
    RecordKey,
    RecordRef,
    TimelineEntry,
)
from summitwatch.timeline import Framing, build_entry, build_timeline

RecKey = tuple[str, int]  # (article_id, seq) of a record in this build
STRUCTURAL = ("merge", "split", "attach")
_ORDER = {"merge": 0, "split": 0, "attach": 0, "set": 1, "confirm": 2, "reject": 3}


@dataclass(slots=True)
class Outcome:
    """What became of one correction in one application."""

    correction_id: int | None
    uid: str
    action: str
    target: str
    state: str  # applied | retargeted | partial | orphaned
    detail: str = ""
    entry_id: str | None = None  # the entry it now shows on (None when rejected or orphaned)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.correction_id, "uid": self.uid, "action": self.action, "target": self.target,
                "state": self.state, "detail": self.detail, "entry_id": self.entry_id}


@dataclass(slots=True)
class CurationReport:
    """The result of applying every active correction: one outcome each, orphans among them."""

    outcomes: list[Outcome] = field(default_factory=list)
    entries: int = 0  # timeline entries after curation
    rebuilt: bool = False  # the merge was re-run over corrected per-article records

    @property
    def orphans(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.state in ("orphaned", "partial")]

    @property
    def applied(self) -> int:
        return sum(1 for o in self.outcomes if o.state in ("applied", "retargeted", "partial"))

    def to_dict(self) -> dict[str, Any]:
        return {"applied": self.applied, "orphaned": len(self.orphans), "entries": self.entries,
                "rebuilt": self.rebuilt, "outcomes": [o.to_dict() for o in self.outcomes]}


@dataclass(slots=True)
class CuratedState:
    """Everything the application computed, for the gold export and the listings."""

    refs: dict[RecKey, RecordRef]  # the corrected per-article records, by their key in this build
    original: dict[RecKey, Engagement]  # extracted values of records changed by a record ``set``
    rejected_records: dict[RecKey, RecordRef]  # records removed by a record ``reject``
    added: dict[RecKey, Correction]  # analyst-added records and the correction that added them
    entries: list[TimelineEntry]
    entry_sets: dict[str, dict[str, tuple[Any, Any]]]  # entry id -> field -> (extracted, corrected)
    rejected_entries: dict[str, list[RecKey]]  # entry id -> its member records
    confirmed_entries: dict[str, list[RecKey]]
    record_marks: dict[RecKey, list[Correction]]  # corrections applied to a record (confirm, set, add)
    entry_users: dict[str, set[str]]  # entry id (rejected ones too) -> who corrected it


# --------------------------------------------------------------------------- what the timeline is built from
@dataclass(frozen=True, slots=True)
class CurationInputs:
    """The per-article records and everything the merge needs, as read from the store by the caller.

    ``quotes``, ``texts`` and ``article_topics`` cover the records' articles and those analyst-added
    records cite; ``articles`` holds the metadata of the latter (an ``add`` builds its record from
    it); ``topic_cues`` is ``Knowledge.topic_index``.
    """

    refs: Sequence[RecordRef]
    quotes: Sequence[QuoteRef] = ()
    texts: Mapping[str, str] = field(default_factory=dict)
    article_topics: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    framing: Framing = field(default_factory=Framing)
    topic_cues: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    articles: Mapping[str, ArticleRef] = field(default_factory=dict)


class _Context:
    """Builds entries with the timeline's own merge and entry builder over the inputs."""

    def __init__(self, inputs: CurationInputs) -> None:
        self.inputs = inputs
        self.quotes: dict[str, list[QuoteRef]] = {}
        for q in inputs.quotes:
            self.quotes.setdefault(q.article_id, []).append(q)

    def _quotes(self, refs: Iterable[RecordRef]) -> list[QuoteRef]:
        return [q for aid in sorted({r.article_id for r in refs}) for q in self.quotes.get(aid, ())]

    def build(self, refs: list[RecordRef]) -> list[TimelineEntry]:
        """The timeline's own merge over ``refs`` (the whole corrected record set)."""
        i = self.inputs
        return build_timeline(refs, quotes=self._quotes(refs), framing=i.framing, texts=i.texts,
                              article_topics=i.article_topics, topic_cues=i.topic_cues)  # fmt: skip

    def entry(self, refs: list[RecordRef], entry_id: str, modality: str | None = None) -> TimelineEntry:
        """One entry made of exactly ``refs`` (an analyst's grouping), keeping ``entry_id``."""
        i = self.inputs
        return build_entry(refs, entry_id, modality, self._quotes(refs), i.framing, i.texts, i.article_topics,
                           i.topic_cues)  # fmt: skip


# --------------------------------------------------------------------------- re-finding targets
def _index_by_article(refs: Iterable[RecordRef]) -> dict[str, list[RecordRef]]:
    by: dict[str, list[RecordRef]] = defaultdict(list)
    for r in refs:
        by[r.article_id].append(r)
    for lst in by.values():
        lst.sort(key=lambda r: r.seq)
    return by


def rank_of(ref: RecordRef, article_refs: list[RecordRef]) -> int:
    """Position of ``ref`` among the article's records with its signature and evidence."""
    key = record_key(ref.article_id, ref.engagement)
    same = [r for r in article_refs if record_key(r.article_id, r.engagement).signature == key.signature
            and r.engagement.evidence == ref.engagement.evidence]
    return next((i for i, r in enumerate(same) if r.seq == ref.seq), 0)


def find_record(rk: RecordKey, by_article: Mapping[str, list[RecordRef]]) -> tuple[RecordRef | None, bool]:
    """The record ``rk`` names in this build, and whether it was found only by its evidence."""
    refs = by_article.get(rk.article_id, [])
    same_sig = [r for r in refs if record_key(r.article_id, r.engagement).signature == rk.signature]
    same = [r for r in same_sig if r.engagement.evidence == rk.evidence] or same_sig
    if rk.rank < len(same):
        return same[rk.rank], False
    if len(same) == 1:
        return same[0], True
    by_evidence = [r for r in refs if rk.evidence and r.engagement.evidence == rk.evidence]
    if rk.rank < len(by_evidence):
        return by_evidence[rk.rank], True
    if len(by_evidence) == 1:
        return by_evidence[0], True
    return None, False


# --------------------------------------------------------------------------- the application
def _mark(entry: TimelineEntry, c: Correction, status: str, **extra: Any) -> None:
    """Record on the entry that ``c`` applies to it (status: confirmed < corrected < rejected)."""
    cur = entry.data.setdefault("curation", {"status": status, "original": {}, "corrections": []})
    rank = {"confirmed": 0, "corrected": 1, "rejected": 2}
    if rank[status] > rank.get(cur.get("status", "confirmed"), 0):
        cur["status"] = status
    if c.action == "confirm":
        cur["confirmed"] = True
    cur["by"], cur["at"] = c.user, c.created_at
    cur["corrections"].append({"id": c.id, "uid": c.uid, "action": c.action, "by": c.user, "at": c.created_at,
                               "note": c.note, **extra})


class _Applier:
    def __init__(self, corrections: list[Correction], inputs: CurationInputs,
                 entries: list[TimelineEntry] | None) -> None:  # fmt: skip
        refs = list(inputs.refs)
        self.corrections = corrections
        self.base_refs = refs
        self.given_entries = entries
        self.articles = inputs.articles
        self.ctx = _Context(inputs)
        self.outcomes: dict[str, Outcome] = {}
        self.by_article = _index_by_article(refs)
        self.original: dict[RecKey, Engagement] = {}
        self.rejected_records: dict[RecKey, RecordRef] = {}
        self.added: dict[RecKey, Correction] = {}
        self.record_marks: dict[RecKey, list[Correction]] = defaultdict(list)
        self.entry_sets: dict[str, dict[str, tuple[Any, Any]]] = defaultdict(dict)
        self.rejected_entries: dict[str, list[RecKey]] = {}
        self.confirmed_entries: dict[str, list[RecKey]] = {}
        self.entry_users: dict[str, set[str]] = defaultdict(set)
        self.rebuilt = False
        self.resolved: dict[str, list[RecKey]] = {}  # uid of a record correction -> its records in this build

    def _out(self, c: Correction, state: str, detail: str = "", entry_id: str | None = None) -> None:
        self.outcomes[c.uid] = Outcome(c.id, c.uid, c.action, c.target_label(), state, detail, entry_id)

    # ---- phase 1: per-article records
    def records(self) -> dict[RecKey, RecordRef]:
        refs: dict[RecKey, RecordRef] = {(r.article_id, r.seq): r for r in self.base_refs}
        changed = False
        for c in self.corrections:
            if c.action == "add":
                changed |= self._add(c, refs)
                continue
            if c.target_kind != "record" or c.action not in ("set", "reject", "confirm"):
                continue
            rk = c.record
            ref, moved = find_record(rk, self.by_article) if rk else (None, False)
            if ref is None:
                self._out(c, "orphaned", "the record is no longer extracted from its article")
                continue
            key = (ref.article_id, ref.seq)
            state = "retargeted" if moved else "applied"
            self.resolved[c.uid] = [key]
            if key not in refs:
                self._out(c, "orphaned", "the record was rejected by an earlier correction")
                continue
            if c.action == "reject":
                self.rejected_records[key] = refs.pop(key)
                changed = True
                self._out(c, state, "record removed from the timeline")
                continue
            if c.action == "set":
                fld = c.payload["field"]
                value = parse_value(fld, c.payload.get("value"), record=True)
                eng = refs[key].engagement
                self.original.setdefault(key, eng)
                eng = replace(eng, **{fld: tuple(value) if fld in ("us", "cn") else value})
                if fld == "date":
                    eng = replace(eng, date_approx=None, date_precision="day" if value else eng.date_precision)
                refs[key] = replace(refs[key], engagement=eng)
                changed = True
            self.record_marks[key].append(c)
            self._out(c, state)
        self.rebuilt = changed
        return refs

    def _add(self, c: Correction, refs: dict[RecKey, RecordRef]) -> bool:
        arts = list(c.target.get("articles") or [])
        evidence = list(c.payload.get("evidence") or [])
        eng_fields = dict(c.payload.get("engagement") or {})
        found, missing = 0, []
        for i, aid in enumerate(arts):
            meta = self.articles.get(aid)
            if meta is None:
                missing.append(aid)
                continue
            ev = evidence[i] if i < len(evidence) else (evidence[0] if evidence else "")
            eng = Engagement.from_dict({**eng_fields, "evidence": ev})
            seq = -(int(c.id or 0) * 100 + i + 1)  # negative: never a row of the engagements table
            key = (aid, seq)
            refs[key] = RecordRef(article_id=aid, source=meta.source, engagement=eng, seq=seq, outlet=meta.outlet,
                                  title=meta.title, published=meta.published, url=meta.url,
                                  archived_url=meta.archived_url)  # fmt: skip
            self.added[key] = c
            self.record_marks[key].append(c)
            self.resolved.setdefault(c.uid, []).append(key)
            found += 1
        if not found:
            self._out(c, "orphaned", f"article(s) gone: {', '.join(missing)}")
        elif missing:
            self._out(c, "partial", f"article(s) gone: {', '.join(missing)}")
        else:
            self._out(c, "applied")
        return found > 0

    # ---- phase 2-3: the timeline
    def _resolve_entry(self, entry_id: str | None, members: list[dict[str, Any]], entries: dict[str, TimelineEntry],
                       member_of: dict[RecKey, str]) -> tuple[str | None, bool]:
        """The entry a correction names: by id, else the entry now holding most of its records."""
        if entry_id in entries:
            return entry_id, False
        votes: Counter[str] = Counter()
        for m in members:
            ref, _ = find_record(RecordKey.from_dict(m), self.by_article)
            if ref is not None and (ref.article_id, ref.seq) in member_of:
                votes[member_of[(ref.article_id, ref.seq)]] += 1
        if votes and members:
            (best, n), *rest = votes.most_common()
            if n * 2 > len(members) and (not rest or rest[0][1] < n):
                return best, True
        return None, False

    def _record_now(self, rk_dict: dict[str, Any], refs: dict[RecKey, RecordRef]) -> RecKey | None:
        """A record named by a structural correction, in this build (added records count too)."""
        rk = RecordKey.from_dict(rk_dict)
        ref, _ = find_record(rk, self.by_article)
        if ref is not None and (ref.article_id, ref.seq) in refs:
            return (ref.article_id, ref.seq)
        for key in self.added:  # an analyst-added record: matched by its own signature
            r = refs[key]
            if key[0] == rk.article_id and record_key(key[0], r.engagement).signature == rk.signature:
                return key
        return None

    def timeline(self, refs: dict[RecKey, RecordRef]) -> list[TimelineEntry]:
        if self.rebuilt or self.given_entries is None:
            base = self.ctx.build(list(refs.values()))
            self.rebuilt = self.rebuilt or self.given_entries is None
        else:
            base = copy.deepcopy(self.given_entries)
        entries: dict[str, TimelineEntry] = {e.id: e for e in base}
        members: dict[str, list[RecKey]] = {
            e.id: [(ev["article_id"], ev["seq"]) for ev in e.data.get("evidence", [])] for e in base
        }
        member_of = {k: eid for eid, ks in members.items() for k in ks}
        touched: set[str] = set()
        modality: dict[str, str] = {}

        def move(key: RecKey, to: str) -> None:
            src = member_of.get(key)
            if src == to:
                return
            if src is not None:
                members[src].remove(key)
                touched.add(src)
            members.setdefault(to, []).append(key)
            member_of[key] = to
            touched.add(to)

        ordered = sorted((c for c in self.corrections if c.uid not in self.outcomes and c.action in _ORDER),
                         key=lambda c: (_ORDER[c.action], c.id or 0))
        marks: list[tuple[str, Correction, str, dict[str, Any]]] = []
        for c in ordered:
            if c.action == "attach":
                self._attach(c, refs, entries, members, member_of, move, marks)
                continue
            eid, moved = self._resolve_entry(c.entry_id, c.target.get("members") or [], entries, member_of)
            if eid is None:
                self._out(c, "orphaned", "the entry is no longer in the timeline")
                continue
            state = "retargeted" if moved else "applied"
            if c.action == "merge":
                gone: list[str] = []
                folded: list[str] = []
                for other in c.payload.get("entries") or []:
                    oid, _ = self._resolve_entry(other, (c.payload.get("members") or {}).get(other) or [],
                                                 entries, member_of)
                    if oid is None:
                        gone.append(other)
                    elif oid != eid:
                        for key in list(members.get(oid, [])):
                            move(key, eid)
                        entries.pop(oid, None)
                        members.pop(oid, None)
                        touched.discard(oid)
                        folded.append(oid)
                modality.setdefault(eid, entries[eid].modality)
                if gone:
                    state = "partial"
                detail = f"merged {', '.join(folded) or 'nothing'}" + (f"; gone: {', '.join(gone)}" if gone else "")
                self._out(c, state, detail, eid)
                marks.append((eid, c, "corrected", {"merged": folded}))
            elif c.action == "split":
                keys = [k for rk in c.payload.get("records") or [] if (k := self._record_now(rk, refs))]
                lost = len(c.payload.get("records") or []) - len(keys)
                if not keys:
                    self._out(c, "orphaned", "none of the records to split off is still extracted")
                    continue
                new_id = str(c.payload["new_id"])
                if new_id in entries:  # a clash with a merged entry's id (or a split applied twice)
                    new_id = "e-" + hashlib.sha1((new_id + "|" + (c.uid or "")).encode()).hexdigest()[:10]
                entries[new_id] = entries[eid]  # stands in until rebuilt from its records below
                members[new_id] = []
                for k in keys:
                    move(k, new_id)
                self._out(c, "partial" if lost else state, f"{len(keys)} record(s) to {new_id}"
                          + (f"; {lost} gone" if lost else ""), new_id)
                marks.append((new_id, c, "corrected", {"split_from": eid}))
                marks.append((eid, c, "corrected", {"split_into": new_id}))
            elif c.action == "set":
                marks.append((eid, c, "corrected", {"field": c.payload["field"]}))
                self._out(c, state, "", eid)
            elif c.action == "confirm":
                marks.append((eid, c, "confirmed", {}))
                self._out(c, state, "", eid)
            elif c.action == "reject":
                marks.append((eid, c, "rejected", {}))
                self._out(c, state, f"{eid} hidden from the timeline")
        # rebuild entries whose membership changed, keeping their ids
        for eid in sorted(touched):
            keys = [k for k in members.get(eid, []) if k in refs]
            if not keys:
                entries.pop(eid, None)
                continue
            entries[eid] = self.ctx.entry([refs[k] for k in keys], eid, modality.get(eid))
        # field corrections, verdicts, marks (in correction order within each phase)
        rejected: set[str] = set()
        for eid, c, status, extra in marks:
            entry = entries.get(eid)
            if entry is None:
                continue
            self.entry_users[eid].add(c.user)
            if c.action == "set":
                extra = {**extra, "value": self._set(entry, c)}
            elif c.action == "reject":
                rejected.add(eid)
                self.rejected_entries[eid] = list(members.get(eid, []))
            elif c.action == "confirm":
                self.confirmed_entries[eid] = list(members.get(eid, []))
            _mark(entry, c, status, **extra)
        for eid in rejected:
            entries.pop(eid, None)
        self._mark_records(entries.values(), refs)
        out = list(entries.values())
        out.sort(key=lambda e: (e.date or e.date_approx or "9999", e.id, e.sources))
        return out

    def _attach(self, c: Correction, refs: dict[RecKey, RecordRef], entries: dict[str, TimelineEntry],
                members: dict[str, list[RecKey]], member_of: dict[RecKey, str], move: Any,
                marks: list[tuple[str, Correction, str, dict[str, Any]]]) -> None:
        key = self._record_now(c.target["record"], refs)
        if key is None:
            self._out(c, "orphaned", "the record is no longer extracted from its article")
            return
        to, moved = self._resolve_entry(c.payload.get("entry"), c.payload.get("members") or [], entries, member_of)
        if to is None:
            self._out(c, "orphaned", f"the entry {c.payload.get('entry')} is no longer in the timeline")
            return
        src = member_of.get(key)
        move(key, to)
        self._out(c, "retargeted" if moved else "applied", f"from {src} to {to}", to)
        marks.append((to, c, "corrected", {"attached": f"{key[0]}#{key[1]}", "from": src}))

    def _set(self, entry: TimelineEntry, c: Correction) -> Any:
        """Set one field of an entry, keeping the merged (extracted) value in ``curation.original``."""
        fld = c.payload["field"]
        value = parse_value(fld, c.payload.get("value"))
        before = getattr(entry, fld)
        cur = entry.data.setdefault("curation", {"status": "corrected", "original": {}, "corrections": []})
        cur.setdefault("original", {}).setdefault(fld, copy.deepcopy(before))
        prev = self.entry_sets[entry.id].get(fld)
        self.entry_sets[entry.id][fld] = (prev[0] if prev else copy.deepcopy(before), value)
        setattr(entry, fld, list(value) if fld in ("us", "cn") else value)
        if fld == "date":
            cur["original"].setdefault("date_approx", entry.date_approx)
            cur["original"].setdefault("date_precision", entry.date_precision)
            entry.date_approx, entry.date_precision = None, ("day" if value else entry.date_precision)
        return value

    def _mark_records(self, entries: Iterable[TimelineEntry], refs: dict[RecKey, RecordRef]) -> None:
        """Mark curated records where the entries cite them; a changed or added one marks the entry."""
        for entry in entries:
            changed = 0
            for ev in entry.data.get("evidence", []):
                key = (ev["article_id"], ev["seq"])
                cs = self.record_marks.get(key)
                if not cs:
                    continue
                if key in self.added:
                    status = "added"
                elif any(x.action == "set" for x in cs):
                    status = "corrected"
                else:
                    status = "confirmed"
                mark: dict[str, Any] = {"status": status, "by": cs[-1].user, "at": cs[-1].created_at,
                                        "corrections": [x.id for x in cs]}
                if key in self.original:
                    orig, now = self.original[key], refs[key].engagement
                    mark["original"] = {f: (list(v) if isinstance(v, tuple) else v)
                                        for f in ("us", "cn", "modality", "date", "date_end", "location",
                                                  "status", "focus")
                                        if (v := getattr(orig, f)) != getattr(now, f)}
                ev["curation"] = mark
                if status != "confirmed":
                    changed += 1
                    _mark(entry, cs[-1], "corrected", record=f"{key[0]}#{key[1]}", record_status=status)
            if changed:
                entry.data["curation"]["records_corrected"] = changed

    def run(self) -> tuple[CurationReport, CuratedState]:
        refs = self.records()
        entries = self.timeline(refs)
        member_of = {(ev["article_id"], ev["seq"]): e.id for e in entries for ev in e.data.get("evidence", [])}
        for c in self.corrections:
            if c.uid not in self.outcomes:
                self._out(c, "orphaned", "not applicable")
            elif c.uid in self.resolved and self.outcomes[c.uid].entry_id is None:
                shown = [member_of[k] for k in self.resolved[c.uid] if k in member_of]
                self.outcomes[c.uid].entry_id = shown[0] if shown else None
        report = CurationReport([self.outcomes[c.uid] for c in self.corrections], len(entries), self.rebuilt)
        state = CuratedState(refs, self.original, self.rejected_records, self.added, entries, dict(self.entry_sets),
                             self.rejected_entries, self.confirmed_entries, dict(self.record_marks),
                             dict(self.entry_users))
        return report, state


def curate_entries(
    corrections: Sequence[Correction], inputs: CurationInputs, entries: list[TimelineEntry] | None = None
) -> tuple[CurationReport, CuratedState]:
    """Apply ``corrections`` (in the order made) to the timeline of ``inputs`` (pure).

    ``entries``: the uncorrected merge of ``inputs.refs`` when the caller has it (it is not changed);
    without it, or when a record correction applies, the merge is run here over the corrected records.
    """
    return _Applier(list(corrections), inputs, entries).run()


def split_id(entry_id: str, records: Iterable[RecordKey]) -> str:
    """Stable id of the entry a split creates: the entry it came from and what its records say."""
    basis = "split|" + entry_id + "|" + "|".join(sorted(repr(r.signature) + r.article_id for r in records))
    return "e-" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:10]
