"""Shared helpers for the engagement tests: the package knowledge and tiny hand-made articles."""

from __future__ import annotations

from typing import Any

import pytest

from summitwatch.model import Article, Block


@pytest.fixture(scope="session")
def kn() -> Any:
    from summitwatch.knowledge import load_knowledge

    return load_knowledge()


def make_article(*paragraphs: str, published: str | None = "2021-11-16T00:00:00+08:00",
                 title: str = "") -> Article:
    blocks = ((Block("title", title),) if title else ()) + tuple(Block("paragraph", p) for p in paragraphs)
    return Article(id="t", content_hash="", source="t.md", format="yaml-markdown", title=title,
                   blocks=blocks, published=published)
