"""Domain knowledge loaded from the analyst-editable YAML files in ``summitwatch/data/``.

Everything the extractors need to know about the world (officials and their offices with dates,
office titles, places and venues, multilateral summits, issue topics, speaking bodies, outlet
framing markers) lives in data files, so that a new alias or office term is a data edit, not a
code change. This module turns those files into one immutable :class:`Knowledge` per process.

Chinese strings are written once in the YAML (in either script); the loader adds the other
script with OpenCC (``t2s`` and ``s2t``) so matchers can look for both. Variants OpenCC cannot
derive (蓬佩奧 / 庞皮欧, 峇里島 / 巴厘岛) are listed explicitly in the files.

Office terms are half-open intervals ``[start, end)``: ``end`` is the first day the person no
longer held the office (the successor's first day on a hand-over), so on an inauguration day
the new holder, and only the new holder, holds the office.

Beyond the records, the loader builds read-only indexes for the matchers: ``name_index`` (every
full surface form -> canonical names), ``short_index``, ``title_index`` (title -> office ids; a
title may name several offices, e.g. 國防部長, resolved by ``Office.bare`` / date), ``joint_titles``
(中美元首 -> both presidents' offices), ``meeting_names`` (川習會 -> Trump, Xi), ``place_index``,
``topic_index`` and ``body_index``. ``Official.exclude`` lists longer words that contain an alias
but do not name the person (俄羅斯 ⊃ 羅斯).

Parsing YAML and starting OpenCC cost ~0.5 s, so the parsed files are cached as JSON keyed by the
files' sha256 (``$SUMMITWATCH_CACHE``, default ``~/.cache/summitwatch``; empty disables it). Within a
process ``load_knowledge`` is memoised; a pickled ``Knowledge`` reloads from its directory.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import functools
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"

#: The files this module reads, in hash order. Other modules' data files (outlets, boilerplate)
#: are not part of the knowledge hash: changing them does not call for re-extraction.
KNOWLEDGE_FILES = (
    "officials.yaml",
    "offices.yaml",
    "places.yaml",
    "summits.yaml",
    "topics.yaml",
    "bodies.yaml",
    "framing.yaml",
)

SIDES = ("US", "PRC", "other")
RANKS = ("leader", "ministerial", "senior", "other")
PLACE_KINDS = ("city", "state", "venue", "country", "region")
_RANK_ORDER = {r: i for i, r in enumerate(RANKS)}


class KnowledgeError(ValueError):
    """A data file is malformed; the message names the file and the entry."""


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


@dataclass(frozen=True, slots=True)
class Knowledge:
    """Everything loaded from the data files; immutable, shared by all extractors of a process."""

    officials: Mapping[str, Official]
    offices: Mapping[str, Office]
    places: Mapping[str, Place]
    summits: tuple[Summit, ...]
    topics: Mapping[str, Topic]
    bodies: Mapping[str, Body]
    framing: Mapping[str, FramingMarker]
    hash: str
    data_dir: str
    # indexes built by the loader (read-only views)
    terms_by_office: Mapping[str, tuple[tuple[str, OfficeTerm], ...]] = field(repr=False)
    name_index: Mapping[str, tuple[str, ...]] = field(repr=False)  # full surface form -> canonical names
    short_index: Mapping[str, tuple[str, ...]] = field(repr=False)  # short form -> canonical names
    title_index: Mapping[str, tuple[str, ...]] = field(repr=False)  # office title -> office ids
    place_index: Mapping[str, str] = field(repr=False)  # surface form -> place name
    topic_index: Mapping[str, tuple[str, ...]] = field(repr=False)  # cue word -> topic ids
    body_index: Mapping[str, str] = field(repr=False)  # surface form -> body name
    joint_titles: Mapping[str, tuple[str, ...]] = field(
        repr=False
    )  # 中美元首 -> (us.president, prc.president)
    meeting_names: Mapping[str, tuple[str, ...]] = field(repr=False)  # 川習會 -> (Donald Trump, Xi Jinping)
    summit_dates: tuple[str, ...] = field(repr=False, default=())  # start dates of ``summits`` (sorted)

    def __reduce__(self) -> tuple[Any, tuple[Path]]:
        """Pickle as "load the same directory": workers (Dask) rebuild it from the (cached) files.

        The read-only mapping views cannot be pickled, and shipping the whole knowledge to every task
        would be wasteful anyway.
        """
        return (load_knowledge, (Path(self.data_dir),))

    def holders(self, office_id: str, date: str) -> tuple[str, ...]:
        """Who held the office on that ISO date (several for multi-holder offices or overlaps)."""
        out: list[str] = []
        for name, term in self.terms_by_office.get(office_id, ()):
            if term.covers(date) and name not in out:
                out.append(name)
        return tuple(out)

    def holder(self, office_id: str, date: str) -> str | None:
        """The single holder of the office on that date; None when nobody or several held it."""
        found = self.holders(office_id, date)
        return found[0] if len(found) == 1 else None

    def resolve_office(self, office_id: str, date: str) -> str | None:
        """Alias of :meth:`holder`, the name ARCHITECTURE.md gives the mentions stage."""
        return self.holder(office_id, date)

    def offices_held(self, name: str, date: str) -> tuple[OfficeTerm, ...]:
        """The terms of ``name`` that cover ``date`` (empty: not in office then — former or not yet)."""
        official = self.officials.get(name)
        if official is None:
            return ()
        return tuple(t for t in official.offices if t.covers(date))

    def rank_on(self, name: str, date: str) -> str | None:
        """The highest rank ``name`` held on ``date`` (leader > ministerial > senior > other), else None."""
        ranks = [
            self.offices[t.office].rank for t in self.offices_held(name, date) if t.office in self.offices
        ]
        return min(ranks, key=_RANK_ORDER.__getitem__) if ranks else None

    def ever_rank(self, name: str) -> str | None:
        """The highest rank ``name`` ever held (for undated mentions)."""
        official = self.officials.get(name)
        if official is None:
            return None
        ranks = [self.offices[t.office].rank for t in official.offices if t.office in self.offices]
        return min(ranks, key=_RANK_ORDER.__getitem__) if ranks else None

    def summits_near(self, date: str, days: int = 40) -> tuple[Summit, ...]:
        """Summits whose span lies within ``days`` of ``date``, nearest first."""
        try:
            day = _dt.date.fromisoformat(date[:10])
        except ValueError:
            return ()
        lo = (day - _dt.timedelta(days=days)).isoformat()
        hi = (day + _dt.timedelta(days=days)).isoformat()
        # summits are sorted by start; any summit starting after hi is out, and none lasts > 2 weeks
        first = bisect.bisect_left(self.summit_dates, (day - _dt.timedelta(days=days + 20)).isoformat())
        last = bisect.bisect_right(self.summit_dates, hi)
        found = [s for s in self.summits[first:last] if s.date <= hi and s.date_end >= lo]

        def distance(s: Summit) -> int:
            start, end = _dt.date.fromisoformat(s.date), _dt.date.fromisoformat(s.date_end)
            if start <= day <= end:
                return 0
            return min(abs((start - day).days), abs((end - day).days))

        return tuple(sorted(found, key=lambda s: (distance(s), s.date)))

    def officials_named(self, surface: str) -> tuple[Official, ...]:
        """The officials a full surface form (any script) can name."""
        return tuple(self.officials[n] for n in self.name_index.get(surface, ()))


# --------------------------------------------------------------------------- loading


def _iso(value: Any, where: str) -> str:
    """Dates may be written bare (PyYAML gives ``date``) or quoted; both become ISO strings."""
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value).isoformat()
        except ValueError as exc:
            raise KnowledgeError(f"{where}: bad date {value!r}") from exc
    raise KnowledgeError(f"{where}: bad date {value!r}")


def _strs(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return [str(v) for v in value]
    raise KnowledgeError(f"{where}: expected a string or a list of strings, got {value!r}")


def _need(entry: dict[str, Any], key: str, where: str) -> Any:
    if not isinstance(entry, dict):
        raise KnowledgeError(f"{where}: expected a mapping, got {entry!r}")
    if key not in entry or entry[key] in (None, ""):
        raise KnowledgeError(f"{where}: missing required key {key!r}")
    return entry[key]


def _uniq(items: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for it in items:
        it = it.strip()
        if it:
            seen.setdefault(it, None)
    return tuple(seen)


class _Scripts:
    """Both-script expansion with OpenCC, batched: one conversion call per direction for all strings."""

    def __init__(self) -> None:
        import opencc

        self._t2s = opencc.OpenCC("t2s.json")
        self._s2t = opencc.OpenCC("s2t.json")
        self._pending: list[str] = []

    def add(self, items: Iterable[str]) -> None:
        self._pending.extend(items)

    def build(self) -> dict[str, tuple[str, ...]]:
        uniq = list(dict.fromkeys(s for s in self._pending if s and "\n" not in s))
        if not uniq:
            return {}
        joined = "\n".join(uniq)
        simp = self._t2s.convert(joined).split("\n")
        trad = self._s2t.convert(joined).split("\n")
        if len(simp) != len(uniq) or len(trad) != len(uniq):  # pragma: no cover - defensive
            simp = [self._t2s.convert(s) for s in uniq]
            trad = [self._s2t.convert(s) for s in uniq]
        return {s: _uniq((s, t, z)) for s, t, z in zip(uniq, trad, simp, strict=True)}


_DOTS = ("·", "‧", "・", "•", "．")


def _expand(forms: Iterable[str], table: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """Both scripts of each form, plus the form without its name-separator dot (喬治·布殊 → 喬治布殊)
    and with the other dot characters outlets use (・ ‧)."""
    out: list[str] = []
    for f in forms:
        for x in table.get(f, (f,)):
            out.append(x)
            if any(d in x for d in _DOTS):
                bare = x
                for d in _DOTS:
                    bare = bare.replace(d, "")
                out.append(bare)
                if "·" in x:
                    out.extend(x.replace("·", d) for d in ("・", "‧"))
    return _uniq(out)


def _entries(doc: Any, name: str, key: str) -> list[dict[str, Any]]:
    if not isinstance(doc, dict) or not isinstance(doc.get(key), list):
        raise KnowledgeError(f"{name}: expected a top-level {key!r} list")
    return doc[key]


def _index(pairs: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for surface, value in pairs:
        lst = out.setdefault(surface, [])
        if value not in lst:
            lst.append(value)
    return {k: tuple(v) for k, v in out.items()}


#: Bump when the parsed-cache layout or the script expansion changes.
_CACHE_VERSION = "2"


def _cache_dir() -> Path | None:
    """Where parsed data is cached between processes ($SUMMITWATCH_CACHE, else ~/.cache/summitwatch).

    Parsing the YAML and starting OpenCC take ~0.4 s together; every CLI call and every Dask
    worker loads the knowledge, so the parsed form (plain JSON) is kept keyed by the files' hash.
    """
    env = os.environ.get("SUMMITWATCH_CACHE")
    if env == "":
        return None  # SUMMITWATCH_CACHE= (empty) turns the cache off
    base = (
        Path(env) if env else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "summitwatch"
    )
    return base


def _json_default(value: Any) -> str:
    if isinstance(value, _dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {value!r}")


def _parse(data_dir: Path) -> tuple[dict[str, Any], dict[str, tuple[str, ...]], str]:
    """Read the files; return (docs, script table, hash), from the cache when the bytes are unchanged."""
    raws: dict[str, bytes] = {}
    digest = hashlib.sha256()
    for name in KNOWLEDGE_FILES:
        raw = (data_dir / name).read_bytes()
        raws[name] = raw
        digest.update(name.encode() + b"\0" + raw + b"\0")
    khash = digest.hexdigest()

    cdir = _cache_dir()
    cfile = cdir / f"knowledge-{_CACHE_VERSION}-{khash[:32]}.json" if cdir else None
    if cfile is not None and cfile.is_file():
        try:
            cached = json.loads(cfile.read_text(encoding="utf-8"))
            return cached["docs"], {k: tuple(v) for k, v in cached["table"].items()}, khash
        except (OSError, ValueError, KeyError):
            pass  # a damaged cache file is rebuilt below

    import yaml  # only when the cache misses: importing PyYAML costs ~0.07 s

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when PyYAML has libyaml
    docs: dict[str, Any] = {}
    for name, raw in raws.items():
        try:
            docs[name] = yaml.load(raw, Loader=loader)  # noqa: S506 - a SafeLoader
        except yaml.YAMLError as exc:
            raise KnowledgeError(f"{name}: {exc}") from exc
    # normalise dates to ISO strings so the cached and the fresh parse are identical
    docs = json.loads(json.dumps(docs, default=_json_default, ensure_ascii=False))
    table = _script_table(docs)
    if cfile is not None:
        try:
            cfile.parent.mkdir(parents=True, exist_ok=True)
            tmp = cfile.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"docs": docs, "table": table}, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, cfile)
        except OSError:
            pass  # read-only home: run without the cache
    return docs, table, khash


def _script_table(docs: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """Both-script forms of every Chinese string of the files (one OpenCC pass per direction)."""
    scripts = _Scripts()
    for fname, key, fields_ in (
        ("offices.yaml", "offices", ("titles", "bare")),
        ("officials.yaml", "officials", ("zh", "short", "exclude")),
        ("places.yaml", "places", ("zh",)),
        ("summits.yaml", "summits", ("zh",)),
        ("topics.yaml", "topics", ("zh",)),
        ("bodies.yaml", "bodies", ("zh",)),
        ("framing.yaml", "markers", ("zh",)),
    ):
        doc = docs.get(fname)
        entries = doc.get(key) if isinstance(doc, dict) else None
        for e in entries if isinstance(entries, list) else ():
            if isinstance(e, dict):
                for k in fields_:
                    v = e.get(k)
                    scripts.add(
                        [v] if isinstance(v, str) else [str(x) for x in v or () if isinstance(x, str)]
                    )
    for fname, key in (("offices.yaml", "joint_titles"), ("officials.yaml", "meeting_names")):
        doc = docs.get(fname)
        entries = doc.get(key) if isinstance(doc, dict) else None
        for e in entries if isinstance(entries, list) else ():
            if isinstance(e, dict):
                scripts.add([str(x) for x in e.get("zh") or () if isinstance(x, str)])
    series = (
        (docs.get("summits.yaml") or {}).get("series") if isinstance(docs.get("summits.yaml"), dict) else None
    )
    for s in series.values() if isinstance(series, dict) else ():
        if isinstance(s, dict):
            v = s.get("zh")
            scripts.add([v] if isinstance(v, str) else [str(x) for x in v or () if isinstance(x, str)])
    return scripts.build()


def _load(data_dir: Path) -> Knowledge:
    docs, table, khash = _parse(data_dir)
    raw_off = _entries(docs["offices.yaml"], "offices.yaml", "offices")
    raw_people = _entries(docs["officials.yaml"], "officials.yaml", "officials")
    raw_places = _entries(docs["places.yaml"], "places.yaml", "places")
    raw_summits = _entries(docs["summits.yaml"], "summits.yaml", "summits")
    raw_series = docs["summits.yaml"].get("series") or {}  # a dict: _entries checked it
    raw_topics = _entries(docs["topics.yaml"], "topics.yaml", "topics")
    raw_bodies = _entries(docs["bodies.yaml"], "bodies.yaml", "bodies")
    raw_framing = _entries(docs["framing.yaml"], "framing.yaml", "markers")

    offices: dict[str, Office] = {}
    for i, e in enumerate(raw_off):
        where = f"offices.yaml #{i} ({e.get('id') if isinstance(e, dict) else e})"
        oid = str(_need(e, "id", where))
        side = str(_need(e, "side", where))
        rank = str(_need(e, "rank", where))
        if side not in SIDES or rank not in RANKS:
            raise KnowledgeError(f"{where}: side must be one of {SIDES}, rank one of {RANKS}")
        if oid in offices:
            raise KnowledgeError(f"{where}: duplicate office id")
        bare = _expand(_strs(e.get("bare"), where), table)
        titles = _expand(_strs(e.get("titles"), where), table) + bare
        offices[oid] = Office(
            id=oid,
            side=side,
            rank=rank,
            en=str(_need(e, "en", where)),
            titles=_uniq(titles),
            needs_country=bool(e.get("needs_country", bool(bare))),
            bare=bare,
            multi=bool(e.get("multi", False)),
            note=str(e.get("note") or ""),
        )

    officials: dict[str, Official] = {}
    for i, e in enumerate(raw_people):
        where = f"officials.yaml #{i} ({e.get('name') if isinstance(e, dict) else e})"
        name = str(_need(e, "name", where))
        side = str(_need(e, "side", where))
        if side not in SIDES:
            raise KnowledgeError(f"{where}: side must be one of {SIDES}")
        if name in officials:
            raise KnowledgeError(f"{where}: duplicate official")
        terms = []
        for j, t in enumerate(e.get("offices") or []):
            tw = f"{where} office #{j}"
            oid = str(_need(t, "office", tw))
            if oid not in offices:
                raise KnowledgeError(f"{tw}: unknown office id {oid!r}")
            start = _iso(_need(t, "start", tw), tw)
            end = _iso(t["end"], tw) if t.get("end") is not None else None
            if end is not None and end < start:
                raise KnowledgeError(f"{tw}: end {end} before start {start}")
            terms.append(OfficeTerm(office=oid, start=start, end=end, note=str(t.get("note") or "")))
        en = _uniq([name, *_strs(e.get("en"), where)])
        officials[name] = Official(
            name=name,
            side=side,
            zh=_expand(_strs(_need(e, "zh", where), where), table),
            en=en,
            short=_expand(_strs(e.get("short"), where), table),
            offices=tuple(sorted(terms, key=lambda t: t.start)),
            source=str(_need(e, "source", where)),
            exclude=_expand(_strs(e.get("exclude"), where), table),
            note=str(e.get("note") or ""),
        )

    places: dict[str, Place] = {}
    for i, e in enumerate(raw_places):
        where = f"places.yaml #{i} ({e.get('name') if isinstance(e, dict) else e})"
        name = str(_need(e, "name", where))
        kind = str(_need(e, "kind", where))
        if kind not in PLACE_KINDS:
            raise KnowledgeError(f"{where}: kind must be one of {PLACE_KINDS}")
        if name in places:
            raise KnowledgeError(f"{where}: duplicate place")
        maps_to = e.get("maps_to", name if kind == "city" else None)
        places[name] = Place(
            name=name,
            zh=_expand(_strs(_need(e, "zh", where), where), table) + _uniq(_strs(e.get("en"), where)),
            kind=kind,
            maps_to=str(maps_to) if maps_to is not None else None,
            note=str(e.get("note") or ""),
        )

    series: dict[str, tuple[str, ...]] = {}
    if isinstance(raw_series, dict):
        for sid, s in raw_series.items():
            series[str(sid)] = _expand(_strs((s or {}).get("zh"), f"summits.yaml series {sid}"), table)
    summits: list[Summit] = []
    for i, e in enumerate(raw_summits):
        where = f"summits.yaml #{i} ({e.get('id') if isinstance(e, dict) else e})"
        ser = str(e.get("series") or "")
        start = _iso(_need(e, "date", where), where)
        summits.append(
            Summit(
                id=str(_need(e, "id", where)),
                name=str(_need(e, "name", where)),
                zh=_uniq(_expand(_strs(e.get("zh"), where), table) + series.get(ser, ())),
                date=start,
                date_end=_iso(e.get("date_end") or start, where),
                city=str(_need(e, "city", where)),
                series=ser,
            )
        )
    summits.sort(key=lambda s: (s.date, s.id))

    topics: dict[str, Topic] = {}
    for i, e in enumerate(raw_topics):
        where = f"topics.yaml #{i} ({e.get('id') if isinstance(e, dict) else e})"
        tid = str(_need(e, "id", where))
        topics[tid] = Topic(
            id=tid,
            name=str(_need(e, "name", where)),
            zh=_expand(_strs(_need(e, "zh", where), where), table),
            en=_uniq(_strs(e.get("en"), where)),
        )

    bodies: dict[str, Body] = {}
    for i, e in enumerate(raw_bodies):
        where = f"bodies.yaml #{i} ({e.get('name') if isinstance(e, dict) else e})"
        name = str(_need(e, "name", where))
        side = str(_need(e, "side", where))
        if side not in SIDES:
            raise KnowledgeError(f"{where}: side must be one of {SIDES}")
        bodies[name] = Body(
            name=name,
            side=side,
            zh=_expand(_strs(_need(e, "zh", where), where), table),
            en=_uniq(_strs(e.get("en"), where)),
        )

    framing: dict[str, FramingMarker] = {}
    for i, e in enumerate(raw_framing):
        where = f"framing.yaml #{i} ({e.get('id') if isinstance(e, dict) else e})"
        fid = str(_need(e, "id", where))
        framing[fid] = FramingMarker(
            id=fid,
            category=str(_need(e, "category", where)),
            refers_to=str(_need(e, "refers_to", where)),
            label=str(_need(e, "label", where)),
            zh=_expand(_strs(_need(e, "zh", where), where), table),
            note=str(e.get("note") or ""),
        )

    joint: list[tuple[str, str]] = []
    for i, e in enumerate(docs["offices.yaml"].get("joint_titles") or []):
        where = f"offices.yaml joint_titles #{i}"
        ids = _strs(_need(e, "offices", where), where)
        for oid in ids:
            if oid not in offices:
                raise KnowledgeError(f"{where}: unknown office id {oid!r}")
        joint.extend((z, oid) for z in _expand(_strs(_need(e, "zh", where), where), table) for oid in ids)
    meetings: list[tuple[str, str]] = []
    for i, e in enumerate(docs["officials.yaml"].get("meeting_names") or []):
        where = f"officials.yaml meeting_names #{i}"
        names = _strs(_need(e, "officials", where), where)
        for n in names:
            if n not in officials:
                raise KnowledgeError(f"{where}: unknown official {n!r}")
        meetings.extend((z, n) for z in _expand(_strs(_need(e, "zh", where), where), table) for n in names)

    terms_by_office: dict[str, list[tuple[str, OfficeTerm]]] = {}
    for o in officials.values():
        for t in o.offices:
            terms_by_office.setdefault(t.office, []).append((o.name, t))

    def freeze(d: Mapping[str, Any]) -> Mapping[str, Any]:
        return MappingProxyType(dict(d))

    return Knowledge(
        officials=freeze(officials),
        offices=freeze(offices),
        places=freeze(places),
        summits=tuple(summits),
        topics=freeze(topics),
        bodies=freeze(bodies),
        framing=freeze(framing),
        hash=khash,
        data_dir=str(data_dir),
        terms_by_office=freeze(
            {k: tuple(sorted(v, key=lambda p: p[1].start)) for k, v in terms_by_office.items()}
        ),
        name_index=freeze(_index((s, o.name) for o in officials.values() for s in (*o.zh, *o.en))),
        short_index=freeze(_index((s, o.name) for o in officials.values() for s in o.short)),
        title_index=freeze(_index((t, o.id) for o in offices.values() for t in o.titles)),
        place_index=freeze({s: p.name for p in places.values() for s in p.zh}),
        topic_index=freeze(_index((s, t.id) for t in topics.values() for s in t.zh)),
        body_index=freeze({s: b.name for b in bodies.values() for s in b.zh}),
        joint_titles=freeze(_index(joint)),
        meeting_names=freeze(_index(meetings)),
        summit_dates=tuple(s.date for s in summits),
    )


@functools.lru_cache(maxsize=8)
def _load_cached(data_dir: str) -> Knowledge:
    return _load(Path(data_dir))


def load_knowledge(data_dir: Path | None = None) -> Knowledge:
    """Load (once per process and directory) the knowledge files; raises KnowledgeError when malformed."""
    return _load_cached(str(Path(data_dir or DATA_DIR).resolve()))


def knowledge_hash(data_dir: Path | None = None) -> str:
    """sha256 over the knowledge files' bytes: extraction reruns when it changes."""
    return load_knowledge(data_dir).hash
