"""Fields of one engagement: modality, status, location/occasion, focus — from cue words and context."""

from __future__ import annotations

import datetime as dt
from typing import Any

from summitwatch.mentions.cues import load_cues
from summitwatch.mentions.gazetteer import normalise
from summitwatch.mentions.places import place_city

_MODALITY_ORDER = ("video", "phone", "in_person")


def find_cues(norm: str, words: list[str]) -> list[tuple[int, int, str]]:
    """Non-overlapping occurrences of cue words in ``norm`` (longest first at a place)."""
    out: list[tuple[int, int, str]] = []
    taken: set[int] = set()
    for w in sorted(set(words), key=len, reverse=True):
        i = norm.find(w)
        while i >= 0:
            if not any(j in taken for j in range(i, i + len(w))):
                out.append((i, i + len(w), w))
                taken.update(range(i, i + len(w)))
            i = norm.find(w, i + 1)
    return sorted(out)


def has_cue(norm: str, key: str) -> bool:
    return any(w in norm for w in load_cues()[key])


def modality_of(norm: str) -> str | None:
    """video beats phone beats in_person (「視像會晤」, 「電話會議」)."""
    cues = load_cues()["modality"]
    for m in _MODALITY_ORDER:
        if any(w in norm for w in cues[m]):
            return m
    return None


def status_of(window: str, date: str | None, pub: str | None, at: int | None = None) -> str:
    """held / planned / cancelled of the meeting word at ``at`` (offset in ``window``, the clauses that
    carry the meeting), from its cue words and its date.

    Cancelled words win. Otherwise the tense is that of the planned/held cue nearest before the meeting
    word (「白宮已宣布拜登將與習近平會晤」 is planned: 將 governs the meeting, 已 the announcement), else
    of the first one after it (「會談已結束」); a stated day after publication is planned, one before it held
    unless the nearest cue says planned. Without ``at`` any held cue beats planned ones."""
    if has_cue(window, "cancelled"):
        return "cancelled"
    cues = load_cues()
    tagged = {w: "planned" for w in cues["planned"]} | {w: "held" for w in cues["held"]}
    found = find_cues(window, list(tagged))
    tense: str | None = None
    if at is not None and found:
        before = [f for f in found if f[1] <= at + 1]
        after = [f for f in found if f[1] > at + 1]
        pick = before[-1] if before else after[0]
        tense = tagged[pick[2]]
    elif found:
        kinds = {tagged[w] for _a, _b, w in found}
        tense = "held" if "held" in kinds else "planned"
    if date and pub:
        if date > pub:
            return "planned"
        if date < pub and tense != "planned":
            return "held"
    return tense or "held"


def location_of(kn: Any, place_keys: list[str]) -> str | None:
    for k in place_keys:
        c = place_city(kn, k)
        if c:
            return c
    return None


_OCCASION_REACH_DAYS = 400  # a series named without a host refers to an instance within about a year
_HOSTS: dict[str, dict[str, tuple[str, ...]]] = {}


def summit_hosts(kn: Any) -> dict[str, tuple[str, ...]]:
    """Words naming each instance's host (normalised): its city's names, and the leading part of its own
    names before a series word or 「峰會」 (「印尼G20」 → 印尼, 「阿根廷峰會」 → 阿根廷). Derived from the data
    files once per knowledge version."""
    got = _HOSTS.get(kn.hash)
    if got is not None:
        return got
    series_words: set[str] = set()
    by_series: dict[str, list[Any]] = {}
    for sm in kn.summits:
        by_series.setdefault(sm.series, []).append(sm)
    for _ser, items in by_series.items():
        common = set.intersection(*(set(normalise(z) for z in sm.zh) for sm in items)) if len(items) > 1 else set()
        series_words |= common
    cues = load_cues()
    side_words = cues["side_words"]  # 「中國G20」 names a side, never a host to link by
    suffixes = sorted(series_words | set(cues["summit_suffixes"]), key=len, reverse=True)
    out: dict[str, tuple[str, ...]] = {}
    for sm in kn.summits:
        words: list[str] = []
        place = kn.places.get(sm.city)
        if place is not None:
            words += [normalise(z) for z in place.zh]
        for z in sm.zh:
            n = normalise(z)
            if n in series_words:
                continue
            for suf in suffixes:
                if n.endswith(suf) and len(n) - len(suf) >= 2:
                    head = n[: len(n) - len(suf)]
                    if head not in series_words and not head[0].isdigit():
                        words.append(head)
                    break
        out[sm.id] = tuple(dict.fromkeys(w for w in words if len(w) >= 2 and not any(x in w for x in side_words)))
    _HOSTS[kn.hash] = out
    return out


def _days(a: str, b: str) -> int:
    return (dt.date.fromisoformat(a[:10]) - dt.date.fromisoformat(b[:10])).days


def resolve_occasion(kn: Any, groups: list[set[str]], text: str, date: str | None, approx: str | None,
                     pub: str | None, future: bool | None) -> Any:
    """The one summit instance a series mention refers to, or None.

    ``groups`` holds the summit ids found at each mention (a series word gives every instance of the
    series, an instance's own name gives one). In order: an instance's own name; a stated day inside
    (±7 days) an instance; the host country or city named anywhere in ``text`` (the clause or sentence);
    an approximate month or year; else the publication date and the tense — the next instance for a
    planned meeting, the latest one begun by publication for a held one, the nearest otherwise."""
    if not groups:
        return None
    singles = {next(iter(g)) for g in groups if len(g) == 1}
    ids = singles or set().union(*groups)
    pool = [sm for sm in kn.summits if sm.id in ids]
    if date:
        near = [sm for sm in pool if _days(date, sm.date) >= -7 and _days(sm.date_end, date) >= -7]
        return min(near, key=lambda sm: abs(_days(date, sm.date))) if near else None
    if len(pool) > 1:
        hosts = summit_hosts(kn)
        named = [sm for sm in pool if any(h in text for h in hosts.get(sm.id, ()))]
        if named:
            pool = named
    if len(pool) > 1 and approx:
        pool = [sm for sm in pool if sm.date.startswith(approx) or sm.date_end.startswith(approx)]
    if len(pool) <= 1:
        return pool[0] if pool else None
    if not pub:
        return None
    reach = [sm for sm in pool if abs(_days(sm.date, pub)) <= _OCCASION_REACH_DAYS]
    if future:
        ahead = [sm for sm in reach if _days(sm.date_end, pub) >= 0]
        return min(ahead, key=lambda sm: _days(sm.date, pub), default=None)
    if future is False:
        begun = [sm for sm in reach if _days(sm.date, pub) <= 0]
        return max(begun, key=lambda sm: sm.date, default=None)
    return min(reach, key=lambda sm: abs(_days(sm.date, pub)), default=None)


def occasion_status(status: str, occasion: Any, pub: str | None) -> str:
    """Status checked against the occasion's dates: an instance over before publication was held (when
    the clause said planned), one that starts after it is still ahead. Cancelled stays cancelled."""
    if occasion is None or not pub or status == "cancelled":
        return status
    if status == "planned" and _days(pub, occasion.date_end) > 1:
        return "held"
    if status == "held" and _days(occasion.date, pub) > 1:
        return "planned"
    return status
