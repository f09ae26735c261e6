"""Tiny hand-made articles for the engagement tests."""

from __future__ import annotations

from summitwatch.model import Article, Block


def make_article(*paragraphs: str, published: str | None = "2021-11-16T00:00:00+08:00",
                 title: str = "", title_block: bool = True) -> Article:
    """``title_block=False`` keeps the title outside the text, as most formats do (no "title" block)."""
    blocks = ((Block("title", title),) if title and title_block else ()) + tuple(
        Block("paragraph", p) for p in paragraphs)
    return Article(id="t", content_hash="", source="t.md", format="yaml-markdown", title=title,
                   blocks=blocks, published=published)
