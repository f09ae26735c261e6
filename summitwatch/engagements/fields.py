"""Fields of one engagement: modality, status, location/occasion, focus — from cue words and context."""

from __future__ import annotations

import datetime as dt
from typing import Any

from summitwatch.mentions.cues import load_cues
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


def status_of(window: str, date: str | None, pub: str | None) -> str:
    """held / planned / cancelled from the cue words before and at the meeting word, and the date."""
    if has_cue(window, "cancelled"):
        return "cancelled"
    planned = has_cue(window, "planned")
    held = has_cue(window, "held")
    if date and pub:
        if date > pub:
            return "planned"
        if date < pub and not planned:
            return "held"
    if planned and not held:
        return "planned"
    return "held"


def location_of(kn: Any, place_keys: list[str]) -> str | None:
    for k in place_keys:
        c = place_city(kn, k)
        if c:
            return c
    return None


def summit_of(kn: Any, summit_ids: list[str], date: str | None, approx: str | None, pub: str | None) -> Any:
    """The multilateral summit a sentence names, told apart by the engagement's date (else approx, else pub)."""
    if not summit_ids:
        return None
    cands = [s for s in kn.summits if s.id in summit_ids]
    if date:
        d = dt.date.fromisoformat(date)
        near = [s for s in cands if abs((dt.date.fromisoformat(s.date) - d).days) <= 7]
        return near[0] if near else None
    if approx:
        near = [s for s in cands if s.date.startswith(approx)]
        return near[0] if len(near) == 1 else None
    return None
