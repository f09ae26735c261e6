"""DEV-ONLY Knowledge stand-in with the contract of ``summitwatch.knowledge`` (see ARCHITECTURE.md).

Used by the bench harness only while ``summitwatch.knowledge`` is missing. Never imported by the package.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class OfficeTerm:
    office: str
    start: str | None
    end: str | None


@dataclass(frozen=True)
class Official:
    name: str
    side: str
    zh: tuple[str, ...]
    en: tuple[str, ...]
    short: tuple[str, ...]
    offices: tuple[OfficeTerm, ...]
    source: str = "dev"
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Office:
    id: str
    side: str
    rank: str
    en: str
    titles: tuple[str, ...]
    needs_country: bool


@dataclass(frozen=True)
class Place:
    name: str
    zh: tuple[str, ...]
    kind: str
    maps_to: str | None


@dataclass(frozen=True)
class Summit:
    id: str
    name: str
    zh: tuple[str, ...]
    date: str
    date_end: str | None
    city: str


@dataclass(frozen=True)
class Topic:
    id: str
    name: str
    zh: tuple[str, ...]


@dataclass(frozen=True)
class Body:
    name: str
    side: str
    zh: tuple[str, ...]


class DevKnowledge:
    def __init__(self, d: dict[str, Any], digest: str) -> None:
        self.offices = {k: Office(k, v["side"], v["rank"], v["en"], tuple(v["titles"]), v["needs_country"])
                        for k, v in d["offices"].items()}
        self.officials = {
            k: Official(k, v["side"], tuple(v["zh"]), tuple(v.get("en") or ()), tuple(v.get("short") or ()),
                        tuple(OfficeTerm(o, str(s) if s else None, str(e) if e else None)
                              for o, s, e in v.get("offices") or ()), "dev", tuple(v.get("exclude") or ()))
            for k, v in d["officials"].items()}
        self.places = {k: Place(k, tuple(v["zh"]), v["kind"], v.get("maps_to")) for k, v in d["places"].items()}
        self.summits = tuple(Summit(s["id"], s["name"], tuple(s["zh"]), str(s["date"]),
                                    str(s["date_end"]) if s.get("date_end") else None, s["city"])
                             for s in d["summits"])
        self.topics = {k: Topic(k, v["name"], tuple(v["zh"])) for k, v in d["topics"].items()}
        self.bodies = {k: Body(k, v["side"], tuple(v["zh"])) for k, v in d["bodies"].items()}
        self.hash = digest

    def holders(self, office_id: str, date: str) -> list[str]:
        out = []
        for o in self.officials.values():
            for t in o.offices:
                if t.office == office_id and (t.start or "") <= date and (t.end is None or date < t.end):
                    out.append(o.name)
        return out

    def holder(self, office_id: str, date: str) -> str | None:
        h = self.holders(office_id, date)
        return h[0] if h else None

    def summits_near(self, date: str, days: int) -> list[Summit]:
        d = dt.date.fromisoformat(date)
        return [s for s in self.summits if abs((dt.date.fromisoformat(s.date) - d).days) <= days]


def load_dev_knowledge() -> DevKnowledge:
    p = Path(__file__).with_name("dev_knowledge.yaml")
    raw = p.read_bytes()
    return DevKnowledge(yaml.safe_load(raw), hashlib.sha256(raw).hexdigest()[:12])


def load_any_knowledge() -> Any:
    """The real knowledge when it exists, else the dev stand-in."""
    try:
        from summitwatch.knowledge import load_knowledge

        return load_knowledge()
    except Exception as exc:  # the real data files are still being written
        print(f"(dev knowledge stand-in: {type(exc).__name__}: {exc})", file=sys.stderr)
        return load_dev_knowledge()
