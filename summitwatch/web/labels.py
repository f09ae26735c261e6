"""What the pages print for keys: topic labels in two languages, officials' Chinese names, human dates.

Labels come from the data files (``topics.yaml`` ``name``/``label``, ``officials.yaml`` ``zh``), read
once per process; when the files do not load the pages fall back to the raw key, never fail.
Dates are shown the way people write them (18 Mar 2021 / 2021年3月18日), never as ISO stamps.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import yaml

from summitwatch.knowledge import load_knowledge

__all__ = ["topic_label", "topic_labels", "name_zh", "human_date", "human_date_zh", "human_time"]

TOPICS_PATH = Path(__file__).resolve().parents[1] / "data" / "topics.yaml"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@lru_cache(maxsize=1)
def topic_labels() -> dict[str, tuple[str, str]]:
    """topic id -> (English name, Chinese label) from ``data/topics.yaml``."""
    try:
        doc = yaml.safe_load(TOPICS_PATH.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    out: dict[str, tuple[str, str]] = {}
    for t in doc.get("topics") or ():
        if isinstance(t, dict) and isinstance(t.get("id"), str):
            out[t["id"]] = (str(t.get("name") or t["id"]), str(t.get("label") or ""))
    return out


def topic_label(topic_id: str) -> tuple[str, str]:
    """(English, Chinese) label of a topic; the id itself (made readable) when the data has none."""
    return topic_labels().get(topic_id, (topic_id.replace("_", " "), ""))


@lru_cache(maxsize=1)
def _official_zh() -> dict[str, str]:
    try:
        officials = load_knowledge().officials
    except Exception:  # noqa: BLE001 - pages must render without the knowledge files
        return {}
    return {name: o.zh[0] for name, o in officials.items() if getattr(o, "zh", None)}


def name_zh(name: str) -> str:
    """The official's usual Chinese name (the first form ``officials.yaml`` lists), else ""."""
    return _official_zh().get(name, "")


def _parts(value: str | None) -> tuple[int, int | None, int | None] | None:
    if not value or len(value) < 4 or not value[:4].isdigit():
        return None
    try:
        if len(value) >= 10:
            d = dt.date.fromisoformat(value[:10])
            return d.year, d.month, d.day
        if len(value) >= 7:
            month = int(value[5:7])
            return (int(value[:4]), month, None) if 1 <= month <= 12 else None
        return int(value[:4]), None, None
    except ValueError:
        return None


def human_date(value: str | None) -> str:
    """18 Mar 2021 · Mar 2021 · 2021 (the value itself when it is not a date)."""
    p = _parts(value)
    if p is None:
        return value or ""
    y, m, d = p
    if m is None:
        return str(y)
    return f"{d} {_MONTHS[m - 1]} {y}" if d else f"{_MONTHS[m - 1]} {y}"


def human_date_zh(value: str | None) -> str:
    """2021年3月18日 · 2021年3月 · 2021年."""
    p = _parts(value)
    if p is None:
        return value or ""
    y, m, d = p
    return f"{y}年" + (f"{m}月" if m else "") + (f"{d}日" if d else "")


def human_time(value: str | None) -> str:
    """A timestamp as 11 Mar 2021, 09:30 in the time of the outlet that stamped it (its own offset);
    midnight stamps (a date without a time) as the date alone."""
    if not value:
        return ""
    day = human_date(value)
    if len(value) >= 16 and value[10] == "T" and value[11:16] != "00:00":
        return f"{day}, {value[11:16]}"
    return day
