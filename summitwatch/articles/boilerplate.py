"""Drop boilerplate blocks and figures per ``data/boilerplate.yaml``; recognise placeholder pages.

Why data: each outlet and mirror adds its own pleas, navigation bars, copyright lines and author
boxes; a new one is a line of YAML. Two kinds of rules: ``drop`` removes one matching block,
``cut_from`` removes a matching block and everything after it (footers that only end articles).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from summitwatch.articles import load_data_file

__all__ = ["Rules", "rules", "boilerplate_cut", "placeholder_reason"]

_WS = re.compile(r"[\s\u00a0\u3000]+")


@dataclass(frozen=True, slots=True)
class Rules:
    drop: re.Pattern[str] | None
    cut_from: re.Pattern[str] | None
    figure_src_drop: re.Pattern[str] | None
    placeholders: tuple[tuple[re.Pattern[str], str], ...]


def _union(patterns: list[str] | None) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@cache
def rules() -> Rules:
    data = load_data_file("boilerplate.yaml")
    return Rules(
        drop=_union(data.get("drop")),
        cut_from=_union(data.get("cut_from")),
        figure_src_drop=_union(data.get("figure_src_drop")),
        placeholders=tuple(
            (re.compile(p["title"]), p.get("detail", "")) for p in data.get("placeholders") or ()
        ),
    )


def boilerplate_cut(blocks: list[tuple[str, str]]) -> tuple[list[bool], int]:
    """Return (keep flag per block, index where a cut_from footer starts or len(blocks))."""
    r = rules()
    keep = [True] * len(blocks)
    end = len(blocks)
    for i, (_, text) in enumerate(blocks):
        t = text.strip()
        if r.cut_from is not None and r.cut_from.search(t):
            end = i
            break
        if r.drop is not None and r.drop.search(t):
            keep[i] = False
    for i in range(end, len(blocks)):
        keep[i] = False
    return keep, end


def figure_is_boilerplate(src: str) -> bool:
    r = rules()
    return r.figure_src_drop is not None and r.figure_src_drop.search(src) is not None


def placeholder_reason(title: str) -> str | None:
    """The detail text when ``title`` is a known placeholder page title, else None."""
    t = _WS.sub(" ", title).strip()
    for pattern, detail in rules().placeholders:
        if pattern.search(t):
            return detail or "placeholder page"
    return None
