"""The records the knowledge files describe: officials and their office terms, offices, places, ...

Plain immutable values; :mod:`summitwatch.knowledge.loader` builds them from the checked files.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class OfficeTerm:
    office: str
    start: str  # ISO date, first day in office
    end: str | None  # ISO date, first day out of office; None = ongoing or unknown
    note: str = ""  # e.g. "acting", "holdover", "start approximate"

    def covers(self, date: str) -> bool:
        """True when the term includes ``date`` (ISO; a prefix such as "2019-06" compares as its first day)."""
        return self.start <= date and (self.end is None or date < self.end)


@dataclass(frozen=True, slots=True)
class Official:
    name: str  # canonical English (Wikipedia title without disambiguation)
    side: str  # US | PRC | other
    zh: tuple[str, ...]  # Chinese surface forms, both scripts, all transliterations
    en: tuple[str, ...]  # English / pinyin forms, the canonical first
    short: tuple[str, ...]  # short forms safe only after the full name has appeared
    offices: tuple[OfficeTerm, ...]
    source: str
    exclude: tuple[
        str, ...
    ] = ()  # longer words that contain an alias but are not this person (俄羅斯 ⊃ 羅斯)
    note: str = ""
    gender: str = ""  # "f" for a woman (she is 她), "" when not recorded


@dataclass(frozen=True, slots=True)
class Office:
    id: str  # e.g. us.secretary_of_state
    side: str
    rank: str  # leader | ministerial | senior | other
    en: str
    titles: tuple[str, ...]  # Chinese titles naming it, both scripts (country-qualified and bare)
    needs_country: bool  # True when the bare titles are ambiguous without 美國/中國 nearby
    bare: tuple[str, ...] = ()  # the titles (subset of ``titles``) that need a country nearby
    multi: bool = False  # several people hold it at once (vice premiers, state councilors, ...)
    note: str = ""


@dataclass(frozen=True, slots=True)
class Place:
    name: str  # English, as a location field carries it
    zh: tuple[str, ...]
    kind: str  # city | state | venue | country | region
    maps_to: str | None  # the place an engagement there is located at (None: no mapping, e.g. countries)
    note: str = ""


@dataclass(frozen=True, slots=True)
class Summit:
    id: str  # e.g. g20.2019
    name: str  # e.g. "G20 2019" (the Engagement.occasion value)
    zh: tuple[str, ...]
    date: str
    date_end: str
    city: str  # English place name (a key of Knowledge.places)
    series: str = ""  # G20 | APEC | ...


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    name: str
    zh: tuple[str, ...]  # cue words, both scripts
    en: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Body:
    name: str  # English name used as a quote speaker (White House, US Department of State, ...)
    side: str
    zh: tuple[str, ...]
    en: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FramingMarker:
    """A word choice that shows how an outlet frames the other side (中共 vs 中國 vs 北京)."""

    id: str
    category: str  # e.g. prc_name, leader_title, us_name
    refers_to: str  # side the word names: US | PRC | other
    label: str  # short English gloss for the outlet comparison
    zh: tuple[str, ...]
    note: str = ""
