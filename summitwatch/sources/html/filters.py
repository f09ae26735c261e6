"""The precision filters applied to one extractor's blocks.

Why: extractors keep breadcrumbs, link lists, editor/copyright lines and comment areas; these
general filters (text before the headline, link-dense lines, furniture lines, everything from the
first end-of-article marker on) remove them with the vocabularies of ``html_extraction.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from summitwatch.sources.html.blocks import Item
from summitwatch.sources.html.rules import HtmlRules
from summitwatch.sources.html.text import text_key


def _matches(patterns: Iterable[re.Pattern[str]], key: str, unanchored_max: int | None = None) -> bool:
    """Whether a pattern matches; with ``unanchored_max``, a match not at the start needs a short key."""
    for p in patterns:
        m = p.search(key)
        if m and (unanchored_max is None or m.start() == 0 or len(key) <= unanchored_max):
            return True
    return False


_JUNK = re.compile(r"^[\W\d_a-zA-Z]{0,3}$|^[\d\W_]+$")


def clean_items(items: list[Item], headline: str, rules: HtmlRules) -> list[Item]:
    """Apply the precision filters to one extractor's blocks (order matters, see module doc)."""
    head_key = text_key(headline)
    # 1. text before the headline is breadcrumbs, dates and navigation
    # (only when less text precedes the headline than follows it: a headline quoted again near the
    # end, as in "（原题为《…》）", must not take the article with it)
    if head_key:
        sizes = [len(it.text) for it in items]
        total = sum(sizes)
        for i, it in enumerate(items):
            k = text_key(it.text)
            if k == head_key or (head_key in k and len(k) <= len(head_key) + 12):
                if sum(sizes[:i]) < total - sum(sizes[: i + 1]):
                    items = items[i + 1 :]
                break
    kept: list[Item] = []
    text_chars = 0
    for it in items:
        if it.kind == "figure":
            if it.text and _matches(rules.figure_caption_drop, text_key(it.text)):
                it.text = ""
            kept.append(it)
            continue
        for pat in rules.strip:
            it.text = pat.sub("", it.text)
        k = text_key(it.text)
        short = len(k) <= rules.max_boilerplate_chars
        if (
            short
            and text_chars >= rules.min_text_before_cut
            and _matches(rules.cut_from, k, rules.max_unanchored_chars)
        ):
            break
        if k == head_key or _JUNK.match(k):
            continue
        if short and (
            _matches(rules.drop, k, rules.max_unanchored_chars) or _matches(rules.drop_anywhere, k)
        ):
            continue
        if len(k) <= rules.link_dense_max_chars and it.link_share >= rules.link_density:
            continue
        if it.kind == "paragraph" and len(k) <= 80 and _matches(rules.caption, k):
            it.kind = "caption"
        elif (
            it.kind == "paragraph"
            and len(k) <= 40
            and it.bold_chars >= 0.9 * len(it.text)
            and not re.search(r"[。！？，；.!?,;:：]$", k)
        ):
            it.kind = "heading"
        kept.append(it)
        if it.kind == "paragraph":
            text_chars += len(k)
    # drop consecutive duplicates (sites repeat a lead or a caption) and trailing figures
    out: list[Item] = []
    for it in kept:
        if out and it.kind != "figure" and out[-1].kind == it.kind and out[-1].text == it.text:
            continue
        out.append(it)
    return out
