"""Read the data files, check each against its declared schema, and build one :class:`Knowledge`.

One loader for every file under ``summitwatch/data/``: the extractors' knowledge (officials,
offices, places, summits, topics, bodies, framing), the cue vocabulary, and the parsing settings
(HTML extraction, outlets, boilerplate, URL wrappers, scripts). Other modules ask for a file with
:func:`data_file` instead of opening YAML themselves, so every file is checked the same way and
every file counts in the one hash: ``Knowledge.hash`` covers the bytes of all of them, and an
extraction stored under another hash is re-run by ``summitwatch extract``.

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

import opencc
import yaml

from summitwatch.knowledge.records import (
    Body,
    FramingMarker,
    Office,
    OfficeTerm,
    Official,
    Place,
    Summit,
    Topic,
)
from summitwatch.knowledge.schema import FILES, RANKS, KnowledgeError, validate

DATA_DIR = Path(__file__).resolve().parents[1] / "data"

#: Every declared data file. All files under the data directory (declared or not) count in the hash.
KNOWLEDGE_FILES = tuple(sorted(FILES))

_RANK_ORDER = {r: i for i, r in enumerate(RANKS)}


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

    def data(self, name: str) -> Any:
        """The checked contents of another data file of the same directory (cues, outlets, ...)."""
        return data_file(name, Path(self.data_dir))


# --------------------------------------------------------------------------- reading


class _Documents:
    """The parsed files of one data directory and their hash; each file is checked on first use.

    Checking lazily keeps a malformed cue file from stopping the parser (which reads only its own
    settings); :func:`load_knowledge` checks every file, so extraction reports it at once.
    """

    def __init__(
        self, data_dir: Path, docs: dict[str, Any], errors: dict[str, str], khash: str,
        table: dict[str, tuple[str, ...]] | None,
    ) -> None:  # fmt: skip
        self.data_dir = data_dir
        self.docs = docs
        self.errors = errors
        self.hash = khash
        self.table = table
        self._checked: set[str] = set()

    def get(self, name: str) -> Any:
        """The checked document of ``name``; KnowledgeError when absent or malformed."""
        if name in self._checked:
            return self.docs[name]
        if name in self.errors:
            raise KnowledgeError(self.errors[name])
        if name not in self.docs:
            raise KnowledgeError(f"{name}: no such data file in {self.data_dir}")
        validate(name, self.docs[name])
        self._checked.add(name)
        return self.docs[name]

    def check_all(self) -> None:
        for name in sorted({*self.docs, *self.errors}):
            self.get(name)


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


#: Bump when the parsed-cache layout or the script expansion changes.
_CACHE_VERSION = "3"


def _read(data_dir: Path, with_table: bool) -> _Documents:
    """Read every ``*.yaml`` of the directory; from the cache when the bytes are unchanged.

    The hash covers the names and bytes of all files present, declared or not, so any data edit
    changes it. A declared file that is missing, or one that is not valid YAML, is recorded as an
    error and raised when that file is asked for.
    """
    raws = {p.name: p.read_bytes() for p in sorted(data_dir.glob("*.yaml"))}
    errors = {n: f"{n}: missing from {data_dir}" for n in KNOWLEDGE_FILES if n not in raws}
    digest = hashlib.sha256()
    for name, raw in raws.items():
        digest.update(name.encode() + b"\0" + raw + b"\0")
    khash = digest.hexdigest()

    cdir = _cache_dir()
    cfile = cdir / f"knowledge-{_CACHE_VERSION}-{khash[:32]}.json" if cdir else None
    if cfile is not None and cfile.is_file():
        try:
            cached = json.loads(cfile.read_text(encoding="utf-8"))
            table = {k: tuple(v) for k, v in cached["table"].items()}
            return _Documents(data_dir, cached["docs"], errors, khash, table)
        except (OSError, ValueError, KeyError, AttributeError):
            pass  # a damaged cache file is rebuilt below

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when PyYAML has libyaml
    docs: dict[str, Any] = {}
    for name, raw in raws.items():
        try:
            docs[name] = yaml.load(raw, Loader=loader)  # noqa: S506 - a SafeLoader
        except (yaml.YAMLError, ValueError) as exc:  # ValueError: a date such as 2019-13-01
            errors[name] = f"{name}: {exc}"
    # normalise dates to ISO strings so the cached and the fresh parse are identical
    docs = json.loads(json.dumps(docs, default=_json_default, ensure_ascii=False))
    if not with_table:
        return _Documents(data_dir, docs, errors, khash, None)
    table = _script_table(docs)
    if cfile is not None and not errors:
        try:
            cfile.parent.mkdir(parents=True, exist_ok=True)
            tmp = cfile.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"docs": docs, "table": table}, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, cfile)
        except OSError:
            pass  # read-only home: run without the cache
    return _Documents(data_dir, docs, errors, khash, table)


#: The documents read in this process, per resolved directory (``load_knowledge`` refreshes them).
_DOCS: dict[str, _Documents] = {}


def data_file(name: str, data_dir: Path | None = None) -> Any:
    """The checked contents of ``data/<name>`` (read once per process; callers must not mutate it).

    The one way code reads a data file: raises KnowledgeError naming the file and the field when
    the file does not match its declared schema.
    """
    key = str(Path(data_dir or DATA_DIR).resolve())
    docs = _DOCS.get(key)
    if docs is None:
        docs = _DOCS[key] = _read(Path(key), with_table=False)
    return docs.get(name)


# --------------------------------------------------------------------------- building


def _strs(value: Any) -> list[str]:
    """A string or a list of strings (schema-checked) as a list; null is empty."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _iso(value: Any) -> str:
    """A schema-checked date as its canonical ISO form."""
    return _dt.date.fromisoformat(str(value)).isoformat()


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


def _index(pairs: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for surface, value in pairs:
        lst = out.setdefault(surface, [])
        if value not in lst:
            lst.append(value)
    return {k: tuple(v) for k, v in out.items()}


#: Which fields of which entries hold Chinese strings that get both scripts.
_SCRIPT_FIELDS = (
    ("offices.yaml", "offices", ("titles", "bare")),
    ("officials.yaml", "officials", ("zh", "short", "exclude")),
    ("places.yaml", "places", ("zh",)),
    ("summits.yaml", "summits", ("zh",)),
    ("topics.yaml", "topics", ("zh",)),
    ("bodies.yaml", "bodies", ("zh",)),
    ("framing.yaml", "markers", ("zh",)),
    ("offices.yaml", "joint_titles", ("zh",)),
    ("officials.yaml", "meeting_names", ("zh",)),
)


def _script_table(docs: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """Both-script forms of every Chinese string of the files (one OpenCC pass per direction).

    Runs before the files are checked, so it skips what does not have the expected shape.
    """

    def texts(v: Any) -> list[str]:
        return (
            [v]
            if isinstance(v, str)
            else [x for x in v or () if isinstance(x, str)]
            if isinstance(v, list)
            else []
        )

    scripts = _Scripts()
    for fname, key, fields_ in _SCRIPT_FIELDS:
        doc = docs.get(fname)
        entries = doc.get(key) if isinstance(doc, dict) else None
        for e in entries if isinstance(entries, list) else ():
            if isinstance(e, dict):
                for k in fields_:
                    scripts.add(texts(e.get(k)))
    summits = docs.get("summits.yaml")
    series = summits.get("series") if isinstance(summits, dict) else None
    for s in series.values() if isinstance(series, dict) else ():
        if isinstance(s, dict):
            scripts.add(texts(s.get("zh")))
    return scripts.build()


def _build(docs: _Documents) -> Knowledge:
    """Turn the checked files into records and indexes; cross-entry rules are checked here."""
    table = docs.table or {}
    off_doc = docs.get("offices.yaml")
    people_doc = docs.get("officials.yaml")
    summits_doc = docs.get("summits.yaml")

    offices: dict[str, Office] = {}
    for i, e in enumerate(off_doc["offices"]):
        where = f"offices.yaml: offices[{i}] ({e['id']})"
        oid = str(e["id"])
        if oid in offices:
            raise KnowledgeError(f"{where}: duplicate office id")
        bare = _expand(_strs(e.get("bare")), table)
        titles = _expand(_strs(e.get("titles")), table) + bare
        offices[oid] = Office(
            id=oid,
            side=e["side"],
            rank=e["rank"],
            en=str(e["en"]),
            titles=_uniq(titles),
            needs_country=bool(e.get("needs_country", bool(bare))),
            bare=bare,
            multi=bool(e.get("multi", False)),
            note=str(e.get("note") or ""),
        )

    officials: dict[str, Official] = {}
    for i, e in enumerate(people_doc["officials"]):
        where = f"officials.yaml: officials[{i}] ({e['name']})"
        name = str(e["name"])
        if name in officials:
            raise KnowledgeError(f"{where}: duplicate official")
        terms = []
        for j, t in enumerate(e.get("offices") or []):
            tw = f"{where}.offices[{j}]"
            oid = str(t["office"])
            if oid not in offices:
                raise KnowledgeError(f"{tw}.office: unknown office id {oid!r}")
            start = _iso(t["start"])
            end = _iso(t["end"]) if t.get("end") is not None else None
            if end is not None and end < start:
                raise KnowledgeError(f"{tw}.end: {end} before start {start}")
            terms.append(OfficeTerm(office=oid, start=start, end=end, note=str(t.get("note") or "")))
        officials[name] = Official(
            name=name,
            side=e["side"],
            zh=_expand(_strs(e["zh"]), table),
            en=_uniq([name, *_strs(e.get("en"))]),
            short=_expand(_strs(e.get("short")), table),
            offices=tuple(sorted(terms, key=lambda t: t.start)),
            source=str(e["source"]),
            exclude=_expand(_strs(e.get("exclude")), table),
            note=str(e.get("note") or ""),
            gender=_gender(e.get("gender"), name),
        )

    places: dict[str, Place] = {}
    for i, e in enumerate(docs.get("places.yaml")["places"]):
        name, kind = str(e["name"]), e["kind"]
        if name in places:
            raise KnowledgeError(f"places.yaml: places[{i}] ({name}): duplicate place")
        maps_to = e.get("maps_to", name if kind == "city" else None)
        places[name] = Place(
            name=name,
            zh=_expand(_strs(e["zh"]), table) + _uniq(_strs(e.get("en"))),
            kind=kind,
            maps_to=str(maps_to) if maps_to is not None else None,
            note=str(e.get("note") or ""),
        )

    series = {
        str(sid): _expand(_strs((s or {}).get("zh")), table)
        for sid, s in (summits_doc.get("series") or {}).items()
    }
    summits: list[Summit] = []
    for e in summits_doc["summits"]:
        ser = str(e.get("series") or "")
        start = _iso(e["date"])
        summits.append(
            Summit(
                id=str(e["id"]),
                name=str(e["name"]),
                zh=_uniq(_expand(_strs(e.get("zh")), table) + series.get(ser, ())),
                date=start,
                date_end=_iso(e.get("date_end") or start),
                city=str(e["city"]),
                series=ser,
            )
        )
    summits.sort(key=lambda s: (s.date, s.id))

    topics = {
        str(e["id"]): Topic(
            id=str(e["id"]),
            name=str(e["name"]),
            zh=_expand(_strs(e["zh"]), table),
            en=_uniq(_strs(e.get("en"))),
        )
        for e in docs.get("topics.yaml")["topics"]
    }
    bodies = {
        str(e["name"]): Body(
            name=str(e["name"]),
            side=e["side"],
            zh=_expand(_strs(e["zh"]), table),
            en=_uniq(_strs(e.get("en"))),
        )
        for e in docs.get("bodies.yaml")["bodies"]
    }
    framing = {
        str(e["id"]): FramingMarker(
            id=str(e["id"]),
            category=str(e["category"]),
            refers_to=str(e["refers_to"]),
            label=str(e["label"]),
            zh=_expand(_strs(e["zh"]), table),
            note=str(e.get("note") or ""),
        )
        for e in docs.get("framing.yaml")["markers"]
    }

    joint: list[tuple[str, str]] = []
    for i, e in enumerate(off_doc.get("joint_titles") or []):
        ids = _strs(e["offices"])
        for oid in ids:
            if oid not in offices:
                raise KnowledgeError(f"offices.yaml: joint_titles[{i}].offices: unknown office id {oid!r}")
        joint.extend((z, oid) for z in _expand(_strs(e["zh"]), table) for oid in ids)
    meetings: list[tuple[str, str]] = []
    for i, e in enumerate(people_doc.get("meeting_names") or []):
        names = _strs(e["officials"])
        for n in names:
            if n not in officials:
                raise KnowledgeError(f"officials.yaml: meeting_names[{i}].officials: unknown official {n!r}")
        meetings.extend((z, n) for z in _expand(_strs(e["zh"]), table) for n in names)

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
        hash=docs.hash,
        data_dir=str(docs.data_dir),
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
    docs = _read(Path(data_dir), with_table=True)
    docs.check_all()
    _DOCS[data_dir] = docs  # data_file() now serves the same, checked documents
    return _build(docs)


def load_knowledge(data_dir: Path | None = None) -> Knowledge:
    """Load (once per process and directory) every data file; raises KnowledgeError when one is malformed."""
    return _load_cached(str(Path(data_dir or DATA_DIR).resolve()))


def knowledge_hash(data_dir: Path | None = None) -> str:
    """sha256 over all data files' names and bytes: extraction reruns when it changes."""
    return load_knowledge(data_dir).hash


def _gender(value: Any, name: str) -> str:
    """An official's recorded gender: "f" or "m", or "" when the file says nothing."""
    g = str(value or "")
    if g not in ("", "f", "m"):
        raise KnowledgeError(f"officials ({name}).gender: expected f or m, got {g!r}")
    return g
