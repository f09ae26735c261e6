"""Unstated modality, settled across the corpus (spec: 「會晤」「峰會」「習拜會」 alone state no modality).

An article that says only 會晤, 峰會 or 習拜會 reads as in person, but the engagement it refers to may
be the video summit or a call that other reports state outright. Per the spec such a record takes the
modality of the engagement it refers to, where the corpus establishes it; otherwise it stays in person.
This is a corpus-level step: it runs on all records before they are merged, and changes nothing in an
article that states its modality (視像, 通話, a place, or a specific in-person word such as 晚宴, 接見).

Which engagement a record refers to follows the merge's rules of time: a record with a day refers to a
stated engagement within a day of it; an undated report of a held engagement to the latest stated one
of the same sides reported in the days before publication; an undated plan to the next one after it.
The nearest stated engagement wins, whatever its modality, so an in-person meeting stated elsewhere
keeps a bare 會晤 in person.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from summitwatch.mentions.cues import load_cues
from summitwatch.mentions.gazetteer import normalise
from summitwatch.timeline.records import RecordRef, name_key, parse_day

HELD_LOOKBACK_DAYS = 10  # an undated report of a held engagement follows it within days
PLANNED_LOOKAHEAD_DAYS = 120  # an announcement precedes the engagement by at most a few months


def modality_stated(ref: RecordRef) -> bool:
    """Does the record's own text state its modality? Phone and video always do; in person only with a
    place or a specific in-person word (晚宴, 接見, 訪華), not with a generic one (會晤, 峰會, 習拜會)."""
    e = ref.engagement
    if e.modality != "in_person" or e.location:
        return True
    cues = load_cues()
    text = normalise(e.evidence or "")
    weak = set(cues["weak_in_person"])
    return any(w in text for w in cues["modality"]["in_person"] if w not in weak)


def _day(ref: RecordRef) -> dt.date | None:
    """The day a stated record's engagement took place, or, undated (an article about it), the day it
    was reported."""
    return parse_day(ref.engagement.date) or ref.published_day


def _referent(ref: RecordRef, stated: list[RecordRef]) -> RecordRef | None:
    """The stated record of the same sides that ``ref`` refers to, by the rules of time above."""
    e = ref.engagement
    own = parse_day(e.date)
    pub = ref.published_day
    best: tuple[int, str, RecordRef] | None = None
    for s in stated:
        day = _day(s)
        if day is None or s.article_id == ref.article_id:
            continue  # the article's own other records are other engagements (it merged its mentions)
        if s.engagement.date is None and not s.engagement.focus:
            continue  # an undated passing mention says nothing of when its engagement was
        if own is not None:
            gap = abs((day - own).days)
            ok = gap <= 1
        elif pub is None:
            continue
        elif e.status == "planned":
            gap = (day - pub).days
            ok = -1 <= gap <= PLANNED_LOOKAHEAD_DAYS
        else:
            gap = (pub - day).days
            ok = -1 <= gap <= HELD_LOOKBACK_DAYS
        if ok and (best is None or (abs(gap), s.engagement.modality) < best[:2]):
            best = (abs(gap), s.engagement.modality, s)
    return best[2] if best else None


def settle_modality(records: Iterable[RecordRef]) -> list[RecordRef]:
    """The records, those without a stated modality taking the modality of the engagement they refer to
    (when the corpus states it for a record of the same sides); every other record unchanged."""
    refs = list(records)
    by_pair: dict[tuple[str, str], list[RecordRef]] = {}
    for r in refs:
        if modality_stated(r):
            for u in {name_key(n) for n in r.engagement.us}:
                for c in {name_key(n) for n in r.engagement.cn}:
                    by_pair.setdefault((u, c), []).append(r)
    out: list[RecordRef] = []
    for r in refs:
        e = r.engagement
        if modality_stated(r):
            out.append(r)
            continue
        pool = {id(s): s for u in {name_key(n) for n in e.us} for c in {name_key(n) for n in e.cn}
                for s in by_pair.get((u, c), [])}
        target = _referent(r, sorted(pool.values(), key=lambda s: s.order_key))
        if target is not None and target.engagement.modality != e.modality:
            r = dataclasses.replace(r, engagement=dataclasses.replace(e, modality=target.engagement.modality))
        out.append(r)
    return out
