"""The declared shape of every data file under ``summitwatch/data/``, checked by one generic walker.

Why declarative: the files are edited by analysts, and a typo (``shrot:``, a date written
``2019-13-01``, a regex with an unbalanced bracket) must fail at load with the file and the field
named, not surface later as a ``KeyError`` deep inside an extractor. One small table per file says
which keys exist, which are required and what each holds; :func:`validate` walks a parsed document
against it. Cross-entry rules (unknown office ids, duplicate names) need the whole knowledge and
stay in the loader.

Entity files (officials, offices, ...) are closed: an undeclared key is an error. The settings
files ``cues.yaml`` and ``html_extraction.yaml`` are open at the top level (new cue sections and
new settings arrive with the code that reads them), but every value must still have a cue's or a
setting's shape.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SIDES = ("US", "PRC", "other")
RANKS = ("leader", "ministerial", "senior", "other")
PLACE_KINDS = ("city", "state", "venue", "country", "region")


class KnowledgeError(ValueError):
    """A data file is malformed; the message names the file and the entry or field."""


class _Mismatch(Exception):
    """Raised inside the walker; :func:`validate` turns it into a KnowledgeError with the file name."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class Spec:
    """One node of a schema; ``check`` raises :class:`_Mismatch` naming the path of the bad value."""

    what = "a value"

    def check(self, value: Any, path: str) -> None:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError


@dataclass(frozen=True)
class Scalar(Spec):
    """A value of one of ``types`` (``bool`` never passes for a number)."""

    types: tuple[type, ...]
    what: str = "a value"

    def check(self, value: Any, path: str) -> None:
        if isinstance(value, bool) and bool not in self.types or not isinstance(value, self.types):
            raise _Mismatch(path, f"expected {self.what}, got {_show(value)}")


@dataclass(frozen=True)
class Choice(Spec):
    """A string from a fixed set (sides, ranks, place kinds)."""

    values: tuple[str, ...]

    @property
    def what(self) -> str:  # type: ignore[override]
        return f"one of {self.values}"

    def check(self, value: Any, path: str) -> None:
        if value not in self.values:
            raise _Mismatch(path, f"expected one of {self.values}, got {_show(value)}")


@dataclass(frozen=True)
class Date(Spec):
    """An ISO date, written bare (YAML date) or quoted; the loader has already made it a string."""

    what = "an ISO date (YYYY-MM-DD)"

    def check(self, value: Any, path: str) -> None:
        if isinstance(value, _dt.date):
            return
        try:
            _dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            raise _Mismatch(path, f"bad date {_show(value)}") from None


@dataclass(frozen=True)
class Pattern(Spec):
    """A regular expression that compiles (with ``flags``, as its reader compiles it)."""

    flags: int = 0
    what = "a regular expression"

    def check(self, value: Any, path: str) -> None:
        if not isinstance(value, str):
            raise _Mismatch(path, f"expected a regular expression string, got {_show(value)}")
        try:
            re.compile(value, self.flags)
        except re.error as exc:
            raise _Mismatch(path, f"bad regular expression {_show(value)}: {exc}") from None


@dataclass(frozen=True)
class ListOf(Spec):
    item: Spec

    @property
    def what(self) -> str:  # type: ignore[override]
        return f"a list of {self.item.what}"

    def check(self, value: Any, path: str) -> None:
        if not isinstance(value, list):
            raise _Mismatch(path, f"expected a list, got {_show(value)}")
        for i, v in enumerate(value):
            self.item.check(v, f"{path}[{i}]")


@dataclass(frozen=True)
class MapOf(Spec):
    """A mapping with string keys and values of one shape."""

    value: Spec

    @property
    def what(self) -> str:  # type: ignore[override]
        return f"a mapping of {self.value.what}"

    def check(self, value: Any, path: str) -> None:
        if not isinstance(value, Mapping):
            raise _Mismatch(path, f"expected {self.what}, got {_show(value)}")
        for k, v in value.items():
            if not isinstance(k, str):
                raise _Mismatch(path, f"key {_show(k)} is not a string")
            self.value.check(v, f"{path}.{k}" if path else k)


@dataclass(frozen=True)
class AnyOf(Spec):
    options: tuple[Spec, ...]
    what: str = "a value"

    def check(self, value: Any, path: str) -> None:
        for option in self.options:
            try:
                option.check(value, path)
                return
            except _Mismatch:
                continue
        raise _Mismatch(path, f"expected {self.what}, got {_show(value)}")


@dataclass(frozen=True)
class Record(Spec):
    """A mapping with declared keys.

    ``required`` keys must be present and neither null nor an empty string; optional keys may be null
    (the readers treat null as absent). Keys not in ``fields`` are an error unless ``extra``
    gives the shape every other value must have. ``label`` names the key whose value identifies
    an entry in messages (``officials[3] (Antony Blinken).offices[0].start``).
    """

    fields: Mapping[str, Spec]
    required: frozenset[str] = field(default_factory=frozenset)
    extra: Spec | None = None
    label: str | None = None
    what = "a mapping"

    def check(self, value: Any, path: str) -> None:
        if not isinstance(value, Mapping):
            raise _Mismatch(path, f"expected a mapping, got {_show(value)}")
        if self.label and isinstance(value.get(self.label), str) and path:
            path = f"{path} ({value[self.label]})"
        for key in sorted(self.required):
            if value.get(key) is None or value.get(key) == "":
                raise _Mismatch(path, f"missing required key {key!r}")
        for key, v in value.items():
            where = f"{path}.{key}" if path else str(key)
            spec = self.fields.get(key, self.extra)
            if spec is None:
                known = ", ".join(sorted(self.fields))
                raise _Mismatch(where, f"unknown key {key!r} (known: {known})")
            if v is None and key not in self.required:
                continue
            spec.check(v, where)


def record(label: str | None, required: str, extra: Spec | None = None, /, **fields: Spec) -> Record:
    """Compact constructor: ``record(label key, "required keys", [shape of other keys], key=shape, ...)``.

    The first arguments are positional-only so that a file may have keys named ``label``.
    """
    return Record(fields=fields, required=frozenset(required.split()), extra=extra, label=label)


class _Anything(Spec):
    what = "anything"

    def check(self, value: Any, path: str) -> None:
        return None


ANY = _Anything()
NONE = Scalar((type(None),), "null")
STR = Scalar((str,), "a string")
INT = Scalar((int,), "an integer")
NUM = Scalar((int, float), "a number")
BOOL = Scalar((bool,), "true or false")
#: A string or a list of strings (numbers are read as their text): how aliases are written.
TEXTS = AnyOf((STR, ListOf(Scalar((str, int, float), "a string"))), "a string or a list of strings")
STRS = ListOf(STR)
SIDE = Choice(SIDES)
PATTERNS = ListOf(Pattern())
IPATTERNS = ListOf(Pattern(re.IGNORECASE))


class _Cue(Spec):
    """A cue value: a string, a number (a threshold), a list of strings, or a mapping (any depth) of
    cue values."""

    what = "a string, a number, a list of strings or a mapping of them"

    def check(self, value: Any, path: str) -> None:
        if isinstance(value, str) or (isinstance(value, int | float) and not isinstance(value, bool)):
            return
        if isinstance(value, list):
            STRS.check(value, path)
            return
        if isinstance(value, Mapping):
            MapOf(self).check(value, path)
            return
        raise _Mismatch(path, f"expected {self.what}, got {_show(value)}")


CUE = _Cue()

_SETTING = AnyOf((STR, NUM, BOOL, STRS), "a string, a number, true/false or a list of strings")

#: The declared schema of every data file. A file under ``data/`` without an entry here still loads
#: (and counts in the knowledge hash) but is checked only as a mapping; a test requires an entry.
FILES: Mapping[str, Record] = {
    "officials.yaml": record(
        None, "officials",
        officials=ListOf(record(
            "name", "name side zh source",
            name=STR, side=SIDE, gender=STR, zh=TEXTS, en=TEXTS, short=TEXTS, exclude=TEXTS, source=STR, note=STR,
            offices=ListOf(record(None, "office start", office=STR, start=Date(), end=Date(), note=STR)),
        )),
        meeting_names=ListOf(record(None, "zh officials", zh=TEXTS, officials=TEXTS)),
    ),
    "offices.yaml": record(
        None, "offices",
        offices=ListOf(record(
            "id", "id side rank en",
            id=STR, side=SIDE, rank=Choice(RANKS), en=STR, titles=TEXTS, bare=TEXTS,
            needs_country=BOOL, multi=BOOL, note=STR,
        )),
        joint_titles=ListOf(record(None, "zh offices", zh=TEXTS, offices=TEXTS)),
    ),
    "places.yaml": record(
        None, "places",
        places=ListOf(record(
            "name", "name kind zh",
            name=STR, kind=Choice(PLACE_KINDS), zh=TEXTS, en=TEXTS, maps_to=STR, note=STR,
        )),
    ),
    "summits.yaml": record(
        None, "summits",
        series=MapOf(AnyOf((record(None, "", zh=TEXTS), NONE), "a mapping with zh")),
        summits=ListOf(record(
            "id", "id name date city",
            id=STR, name=STR, series=STR, zh=TEXTS, date=Date(), date_end=Date(), city=STR,
        )),
    ),
    "topics.yaml": record(
        None, "topics",
        topics=ListOf(record("id", "id name zh", id=STR, name=STR, label=STR, zh=TEXTS, en=TEXTS)),
    ),
    "bodies.yaml": record(
        None, "bodies",
        bodies=ListOf(record("name", "name side zh", name=STR, side=SIDE, zh=TEXTS, en=TEXTS)),
    ),
    "framing.yaml": record(
        None, "markers",
        markers=ListOf(record(
            "id", "id category refers_to label zh",
            id=STR, category=STR, refers_to=STR, label=STR, zh=TEXTS, note=STR,
        )),
    ),
    "cues.yaml": record(
        None, "", CUE,
        modality=MapOf(STRS),
        office_classes=MapOf(MapOf(STRS)),
        pair_chars=STR,
    ),
    "html_extraction.yaml": record(
        None, "drop_tags title_separators headline_labels", _SETTING,
        drop_tags=STRS, title_separators=STRS, headline_labels=STRS, non_names=STRS,
        drop=PATTERNS, drop_anywhere=PATTERNS, cut_from=PATTERNS, strip=PATTERNS,
        caption_patterns=IPATTERNS, figure_caption_drop=IPATTERNS, dateline_patterns=IPATTERNS,
        byline_patterns=PATTERNS, dateline_labels=STR,
        max_boilerplate_chars=INT, max_unanchored_chars=INT, max_input_chars=INT, max_clean_chars=INT,
        max_table_cells=INT, site_name_max_chars=INT, min_text_before_cut=INT, link_dense_max_chars=INT, dateline_window=INT,
        link_density=NUM,
    ),
    "outlets.yaml": record(
        None, "outlets",
        default_timezone=STR,
        outlets=ListOf(record(
            "id", "id name name_en",
            id=STR, name=STR, name_en=STR, aliases=TEXTS, timezone=STR, domains=STRS, markers=STRS,
            article_urls=ListOf(record(
                None, "pattern canonical", pattern=Pattern(re.IGNORECASE), canonical=STR, number=INT,
            )),
            dateline=Pattern(), byline=PATTERNS, dateline_names=TEXTS,
        )),
        mirrors=ListOf(record("id", "id name markers", id=STR, name=STR, markers=STRS)),
    ),
    "boilerplate.yaml": record(
        None, "",
        drop=PATTERNS, cut_from=PATTERNS, figure_src_drop=PATTERNS,
        placeholders=ListOf(record(None, "title", title=Pattern(), detail=STR)),
    ),
    "urlwrappers.yaml": record(
        None, "archives proxies",
        archives=ListOf(record("name", "name pattern", name=STR, pattern=Pattern(re.I), base=STR)),
        proxies=ListOf(record("name", "name pattern param", name=STR, pattern=Pattern(re.I), param=STR)),
        damaged_min_replacements=INT,
    ),
    "scripts.yaml": record(
        None, "common simplified_only traditional_only",
        common=STR, simplified_only=STR, traditional_only=STR,
    ),
}  # fmt: skip

_UNDECLARED = Record(fields={}, extra=ANY)


def validate(name: str, doc: Any) -> None:
    """Check one parsed file against its declared schema; raise KnowledgeError naming file and field."""
    spec = FILES.get(name, _UNDECLARED)
    try:
        spec.check(doc, "")
    except _Mismatch as exc:
        raise KnowledgeError(f"{name}: {exc}") from None
