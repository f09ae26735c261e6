"""The HTML reader's vocabularies, compiled once from ``data/html_extraction.yaml``.

Why a module: every step (cleaning, filters, headline, metadata) takes the same compiled rules; the
file is read and checked by the knowledge loader, never here.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summitwatch.knowledge import data_file


@dataclass(frozen=True, slots=True)
class HtmlRules:
    """The compiled contents of ``data/html_extraction.yaml``."""

    drop_tags: tuple[str, ...]
    title_separators: tuple[str, ...]
    headline_labels: tuple[str, ...]
    drop: tuple[re.Pattern[str], ...]
    drop_anywhere: tuple[re.Pattern[str], ...]
    cut_from: tuple[re.Pattern[str], ...]
    caption: tuple[re.Pattern[str], ...]
    dateline: tuple[re.Pattern[str], ...]
    strip: tuple[re.Pattern[str], ...] = ()
    dateline_labels: str = ""
    byline: tuple[re.Pattern[str], ...] = ()
    non_names: frozenset[str] = frozenset()
    figure_caption_drop: tuple[re.Pattern[str], ...] = ()
    max_boilerplate_chars: int = 200
    max_unanchored_chars: int = 100
    max_input_chars: int = 20_000_000
    max_clean_chars: int = 600_000
    max_table_cells: int = 1000
    site_name_max_chars: int = 16
    min_text_before_cut: int = 60
    link_density: float = 0.5
    link_dense_max_chars: int = 200
    dateline_window: int = 400


@functools.lru_cache(maxsize=1)
def load_rules(data_dir: Path | None = None) -> HtmlRules:
    """Compile the vocabulary file (read and checked by the knowledge loader) once per process."""
    data: dict[str, Any] = data_file("html_extraction.yaml", data_dir)

    def patterns(name: str) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, re.IGNORECASE) for p in data.get(name) or ())

    def combined(name: str) -> tuple[re.Pattern[str], ...]:
        """One alternation per list: a search finds the leftmost match of any of them, fast."""
        items = data.get(name) or ()
        return (re.compile("|".join(f"(?:{p})" for p in items), re.IGNORECASE),) if items else ()

    return HtmlRules(
        drop_tags=tuple(data["drop_tags"]),
        title_separators=tuple(data["title_separators"]),
        headline_labels=tuple(data["headline_labels"]),
        drop=combined("drop"),
        drop_anywhere=combined("drop_anywhere"),
        cut_from=combined("cut_from"),
        caption=patterns("caption_patterns"),
        dateline=patterns("dateline_patterns"),
        strip=patterns("strip"),
        figure_caption_drop=patterns("figure_caption_drop"),
        dateline_labels=str(data.get("dateline_labels") or ""),
        byline=tuple(re.compile(p) for p in data.get("byline_patterns") or ()),
        non_names=frozenset(data.get("non_names") or ()),
        max_boilerplate_chars=int(data.get("max_boilerplate_chars", 200)),
        max_unanchored_chars=int(data.get("max_unanchored_chars", 100)),
        max_input_chars=int(data.get("max_input_chars", 20_000_000)),
        max_clean_chars=int(data.get("max_clean_chars", 600_000)),
        max_table_cells=int(data.get("max_table_cells", 1000)),
        site_name_max_chars=int(data.get("site_name_max_chars", 16)),
        min_text_before_cut=int(data.get("min_text_before_cut", 60)),
        link_density=float(data.get("link_density", 0.5)),
        link_dense_max_chars=int(data.get("link_dense_max_chars", 200)),
        dateline_window=int(data.get("dateline_window", 400)),
    )
