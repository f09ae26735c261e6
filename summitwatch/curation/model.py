"""What a correction is: who did what to which target, when, with which values before and after.

Targets are kept in a form that survives re-extraction. A timeline entry is named by its stable id
(plus the records it merged, to re-find it should its id change). A per-article record is named by
its article and its *content signature* (sides, modality, date, plus its rank among equal
signatures and its evidence sentence), never by its row number alone: ``seq`` changes when an
article is re-extracted, what the record says does not.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

# The records (Correction, RecordKey) and the error live in summitwatch.model with the other records;
# they are re-exported here, where curation code has always imported them from.
from summitwatch.model import (
    ACTIONS,
    Correction,
    CurationError,
    Engagement,
    RecordKey,
    TargetKind,
    new_uid,
    signature,
    utc_now,
)

__all__ = [
    "ACTIONS", "ENTRY_FIELDS", "LIST_FIELDS", "MODALITIES", "RECORD_FIELDS", "STATUSES", "Action",
    "Correction", "CurationError", "RecordKey", "TargetKind", "new_uid", "parse_names", "parse_value",
    "record_key", "signature", "utc_now",
]  # fmt: skip

Action = Literal["confirm", "reject", "set", "merge", "split", "attach", "add"]
MODALITIES = ("in_person", "phone", "video")
STATUSES = ("held", "planned", "cancelled")
#: fields an analyst may set on a timeline entry or a per-article record
ENTRY_FIELDS = ("us", "cn", "modality", "date", "date_end", "location", "status")
RECORD_FIELDS = (*ENTRY_FIELDS, "focus")
LIST_FIELDS = ("us", "cn")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NAME_SPLIT = re.compile(r"\s*[,;，；、]\s*")


def record_key(article_id: str, eng: Engagement, rank: int = 0) -> RecordKey:
    return RecordKey(article_id, tuple(eng.us), tuple(eng.cn), eng.modality, eng.date, rank, eng.evidence)


def parse_names(value: Any) -> list[str]:
    """A side's participants from a list or a comma/、-separated string (empty -> [])."""
    if isinstance(value, list | tuple):
        items = [str(v).strip() for v in value]
    else:
        items = _NAME_SPLIT.split(str(value or "").strip())
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
