"""Officials and office titles: which person a name or a title stands for, on which date.

An office title (「美國國務卿」) means whoever held the office on the engagement's date when known,
else on the publication date; 「前」 shifts to the previous holder, 「時任」 to the holder on the
date the sentence speaks of, 「候任」 to the next one. A title that needs a country (「國防部長」)
takes its side from the country word before it.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from summitwatch.mentions.cues import load_cues
from summitwatch.mentions.gazetteer import Entry, Hit, to_simplified


def _before(norm: str, start: int, n: int = 6) -> str:
    return norm[max(0, start - n):start]


@lru_cache(maxsize=1)
def _country_words() -> tuple[tuple[str, tuple[str, ...]], ...]:
    cues = load_cues()["country"]
    return tuple((k, tuple(sorted(cues[k], key=len, reverse=True))) for k in ("both", "US", "PRC"))


@lru_cache(maxsize=1)
def _shift_words() -> tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    c = load_cues()
    countries = tuple(sorted(c["country"]["US"] + c["country"]["PRC"] + [""], key=len, reverse=True))
    shifts = tuple((k, tuple(sorted(c["time_prefix"][k], key=len, reverse=True))) for k in ("then", "incoming", "former"))
    return countries, shifts


def office_side_from_country(norm: str, hit: Hit) -> str | None:
    """The side named by a country word right before a title (「美國」「中方」), 'both' for 「中美」, else None."""
    before = _before(norm, hit.start, 4)
    for key, words in _country_words():
        for w in words:
            if before.endswith(w):
                return key
    return None


def choose_offices(norm: str, hit: Hit, kn: Any) -> list[Entry]:
    """The office entries a title hit stands for, using the country word before it when the title needs one."""
    offices = [e for e in hit.entries if e.kind == "office"]
    if not offices:
        return []
    before = _before(norm, hit.start, 6)
    if any(before.endswith(w) for w in load_cues()["foreign_country"]):
        return []
    side = office_side_from_country(norm, hit)
    # a title needs a country word only when the matched form is a bare one (「國防部長」, not 「美國國防部長」)
    needs = any(_is_bare(kn.offices[e.key], hit.pattern) for e in offices if e.key in kn.offices)
    if side == "both":
        return offices
    if side in ("US", "PRC"):
        picked = [e for e in offices if e.side == side]
        return picked or ([] if needs else offices[:1])
    if needs:
        return []
    return offices if len({e.side for e in offices}) == 1 else []


def _is_bare(office: Any, pattern: str) -> bool:
    """True when ``pattern`` (normalised) is one of the office's bare titles (or any title, for data
    without a ``bare`` list, when the office needs a country)."""
    bare = getattr(office, "bare", None)
    if bare:
        return pattern in {to_simplified(b) for b in bare}
    return bool(office.needs_country) and not any(pattern.startswith(to_simplified(c)) for c in ("美國", "中國", "美", "中"))


def time_shift(norm: str, hit: Hit) -> str | None:
    """'former', 'then' or 'incoming' when a prefix such as 「前」「時任」「候任」 sits before the title."""
    before = _before(norm, hit.start, 6)
    countries, shifts = _shift_words()
    # the country word may sit between the prefix and the title: 「前美國國務卿」
    for country in countries:
        if country and not before.endswith(country):
            continue
        stem = before[: len(before) - len(country)] if country else before
        for kind, words in shifts:
            for w in words:
                if stem.endswith(w):
                    prev = stem[-len(w) - 1:-len(w)]
                    if w == "前" and prev and prev in load_cues().get("former_not_after", ""):
                        continue  # 「四年前」「此前」: a time word, not 「前任」
                    return kind
    return None


def _terms(kn: Any, office_id: str) -> list[tuple[str, str | None, str]]:
    """(start, end, holder) of every term of an office, in order of start."""
    by_office = getattr(kn, "terms_by_office", None)
    out = []
    if by_office is not None:
        for name, t in by_office.get(office_id, ()):
            out.append((t.start or "0000-00-00", t.end, name))
    else:
        for o in kn.officials.values():
            for t in o.offices:
                if t.office == office_id:
                    out.append((t.start or "0000-00-00", t.end, o.name))
    return sorted(out, key=lambda x: (x[0], x[1] or "9999-99-99", x[2]))


def resolve_office(kn: Any, office_id: str, date: str | None, shift: str | None = None) -> str:
    """The holder of ``office_id`` on ``date`` (shifted by 前/候任), or "" when it cannot be told."""
    if not date:
        return ""
    if shift == "then":
        return ""  # 「時任」 needs the date the sentence speaks of, which the caller passes as ``date``
    holder = kn.holder(office_id, date)
    if shift is None:
        return holder or ""
    terms = _terms(kn, office_id)
    idx = next((i for i, (s, e, _n) in enumerate(terms) if s <= date and (e is None or date < e)), None)
    if idx is None:
        if shift == "former":
            prev = [t for t in terms if (t[1] or "9999") <= date]
            return prev[-1][2] if prev else ""
        return ""
    if shift == "former":
        cur = terms[idx][2]
        for _s, _e, n in reversed(terms[:idx]):
            if n != cur:
                return n
        return ""
    if shift == "incoming":
        cur = terms[idx][2]
        for _s, _e, n in terms[idx + 1:]:
            if n != cur:
                return n
    return ""


_IN_SCOPE_RANKS = ("leader", "ministerial", "senior")


def in_office(kn: Any, name: str, date: str) -> bool:
    """True when ``name`` held an executive office (rank senior or above) on ``date``; a year 'YYYY'
    means any day of it. Congress, governors and the like (rank 'other') do not count."""
    o = kn.officials.get(name)
    if o is None:
        return False
    lo, hi = (date + "-01-01", date + "-12-31") if len(date) == 4 else (date, date)
    for t in o.offices:
        off = kn.offices.get(t.office)
        if off is not None and off.rank not in _IN_SCOPE_RANKS:
            continue
        if (t.start or "0000") <= hi and (t.end is None or t.end >= lo):
            return True
    return False


def rank_on(kn: Any, name: str, date: str | None) -> str | None:
    """The highest rank ``name`` held on ``date`` ('leader' > 'ministerial' > 'senior' > 'other')."""
    o = kn.officials.get(name)
    if o is None:
        return None
    order = {"leader": 3, "ministerial": 2, "senior": 1, "other": 0}
    best = None
    for t in o.offices:
        if date:
            lo, hi = (date + "-01-01", date + "-12-31") if len(date) == 4 else (date, date)
            if not ((t.start or "0000") <= hi and (t.end is None or t.end >= lo)):
                continue
        off = kn.offices.get(t.office)
        r = off.rank if off else "other"
        if best is None or order.get(r, 0) > order.get(best, 0):
            best = r
    return best


def shift_date(date: str, days: int) -> str:
    return (dt.date.fromisoformat(date) + dt.timedelta(days=days)).isoformat()
