"""What a correction is: who did what to which target, when, with which values before and after.

Targets are kept in a form that survives re-extraction. A timeline entry is named by its stable id
(plus the records it merged, to re-find it should its id change). A per-article record is named by
its article and its *content signature* (sides, modality, date, plus its rank among equal
signatures and its evidence sentence), never by its row number alone: ``seq`` changes when an
article is re-extracted, what the record says does not.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from summitwatch.model import Engagement

Action = Literal["confirm", "reject", "set", "merge", "split", "attach", "add"]
TargetKind = Literal["entry", "record", "article"]

ACTIONS: tuple[str, ...] = ("confirm", "reject", "set", "merge", "split", "attach", "add")
MODALITIES = ("in_person", "phone", "video")
STATUSES = ("held", "planned", "cancelled")
#: fields an analyst may set on a timeline entry or a per-article record
ENTRY_FIELDS = ("us", "cn", "modality", "date", "date_end", "location", "status")
RECORD_FIELDS = (*ENTRY_FIELDS, "focus")
LIST_FIELDS = ("us", "cn")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NAME_SPLIT = re.compile(r"[,;，；、]")  # items are stripped: no blank runs in the pattern to rescan


class CurationError(ValueError):
    """A correction that cannot be made (unknown target, bad field or value); the message says why."""


def utc_now() -> str:
    """The time a correction is recorded, UTC ISO 8601 to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def new_uid() -> str:
    """A globally unique id, so that importing the same export twice adds nothing."""
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class RecordKey:
    """A per-article record as it can be found again after re-extraction.

    ``rank`` tells apart records of one article with the same signature (the gold has two
    identical background Xi–Obama records in one article); ``evidence`` re-finds a record whose
    signature changed (the extractor now resolves its date) when it is the only one citing that
    sentence.
    """

    article_id: str
    us: tuple[str, ...]
    cn: tuple[str, ...]
    modality: str
    date: str | None
    rank: int = 0
    evidence: str = ""

    @property
    def signature(self) -> tuple[Any, ...]:
        return signature(self.us, self.cn, self.modality, self.date)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["us"], d["cn"] = list(self.us), list(self.cn)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RecordKey:
        return cls(article_id=str(d["article_id"]), us=tuple(d.get("us") or ()), cn=tuple(d.get("cn") or ()),
                   modality=str(d.get("modality") or ""), date=d.get("date"), rank=int(d.get("rank") or 0),
                   evidence=str(d.get("evidence") or ""))

    def label(self) -> str:
        return f"{self.article_id}[{'/'.join(self.us)} — {'/'.join(self.cn)}, {self.modality}, {self.date or 'undated'}]"


def signature(us: Any, cn: Any, modality: str, date: str | None) -> tuple[Any, ...]:
    """Content signature of a record: sides (order-free), modality, date."""
    return (tuple(sorted(us)), tuple(sorted(cn)), modality, date)


def record_key(article_id: str, eng: Engagement, rank: int = 0) -> RecordKey:
    return RecordKey(article_id, tuple(eng.us), tuple(eng.cn), eng.modality, eng.date, rank, eng.evidence)


@dataclass(frozen=True, slots=True)
class Correction:
    """One analyst action.

    ``target`` is ``{"entry": id, "members": [RecordKey...]}`` for a timeline entry,
    ``{"record": RecordKey}`` for a per-article record, ``{"articles": [ids]}`` for an added
    engagement. ``payload`` holds what the action needs (field and value, the entries to merge,
    the records to split off, the engagement to add); ``original`` the extracted values the
    action replaced, so they stay visible.
    """

    action: str
    target: dict[str, Any]
    user: str
    created_at: str = field(default_factory=utc_now)
    payload: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    original: dict[str, Any] = field(default_factory=dict)
    uid: str = field(default_factory=new_uid)
    id: int | None = None  # row id in the store (None before it is stored)
    active: bool = True  # False once withdrawn (`curate withdraw`): kept, no longer applied

    @property
    def target_kind(self) -> TargetKind:
        if "entry" in self.target:
            return "entry"
        if "record" in self.target:
            return "record"
        return "article"

    @property
    def entry_id(self) -> str | None:
        return self.target.get("entry")

    @property
    def record(self) -> RecordKey | None:
        r = self.target.get("record")
        return RecordKey.from_dict(r) if r else None

    def target_label(self) -> str:
        if self.target_kind == "entry":
            return str(self.entry_id)
        if self.target_kind == "record":
            rk = self.record
            return rk.label() if rk else "?"
        return "+" + ",".join(self.target.get("articles") or [])

    def to_dict(self) -> dict[str, Any]:
        """The JSONL shape of an export (reviewable, one correction a line)."""
        return {"uid": self.uid, "id": self.id, "action": self.action, "target": self.target,
                "payload": self.payload, "note": self.note, "user": self.user, "created_at": self.created_at,
                "original": self.original, "active": self.active}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Correction:
        for key in ("action", "target", "user"):
            if not d.get(key):
                raise CurationError(f"correction without {key!r}: {json.dumps(d, ensure_ascii=False)[:200]}")
        if d["action"] not in ACTIONS:
            raise CurationError(f"unknown action {d['action']!r}")
        return cls(action=d["action"], target=dict(d["target"]), user=str(d["user"]),
                   created_at=str(d.get("created_at") or utc_now()), payload=dict(d.get("payload") or {}),
                   note=str(d.get("note") or ""), original=dict(d.get("original") or {}),
                   uid=str(d.get("uid") or new_uid()), id=d.get("id"), active=bool(d.get("active", True)))


def parse_names(value: Any) -> list[str]:
    """A side's participants from a list or a comma/、-separated string (empty -> [])."""
    if isinstance(value, list | tuple):
        items = [str(v).strip() for v in value]
    else:
        items = [i.strip() for i in _NAME_SPLIT.split(str(value or "").strip())]
    return list(dict.fromkeys(i for i in items if i))


def parse_value(fld: str, value: Any, *, record: bool = False) -> Any:
    """Validate and normalise a value an analyst gives for ``fld`` (raises CurationError)."""
    allowed = RECORD_FIELDS if record else ENTRY_FIELDS
    if fld not in allowed:
        raise CurationError(f"cannot set {fld!r}; fields: {', '.join(allowed)}")
    if fld in LIST_FIELDS:
        names = parse_names(value)
        if not names:
            raise CurationError(f"{fld} needs at least one participant")
        return names
    if fld == "focus":
        text = str(value).strip().lower()
        if text in ("true", "1", "yes", "y"):
            return True
        if text in ("false", "0", "no", "n"):
            return False
        raise CurationError(f"focus must be true or false, not {value!r}")
    text = "" if value is None else str(value).strip()
    if text.lower() in ("", "null", "none", "-"):
        if fld in ("modality", "status"):
            raise CurationError(f"{fld} cannot be empty")
        return None
    if fld == "modality" and text not in MODALITIES:
        raise CurationError(f"modality must be one of {', '.join(MODALITIES)}")
    if fld == "status" and text not in STATUSES:
        raise CurationError(f"status must be one of {', '.join(STATUSES)}")
    if fld in ("date", "date_end"):
        if not _DAY.match(text):
            raise CurationError(f"{fld} must be YYYY-MM-DD, not {text!r}")
        try:
            dt.date.fromisoformat(text)
        except ValueError as exc:
            raise CurationError(f"{fld}: {exc}") from exc
    return text
