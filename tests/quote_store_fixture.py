"""A small hand-written store of quotes for the quote query and quote page tests.

One engagement (``e-1``, Biden–Xi video call of 2021-11-16) reported with focus by ``a1`` and its
near-duplicate ``a1-copy``; every other row is what the caller passes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from summitwatch.store.db import connect

Article = tuple[str, str, str, str, str | None]  # id, published, outlet, title, duplicate_of
QuoteRow = tuple[str, int, str, str, str, int]  # article, seq, speaker, side, text, reported


def build_quote_store(path: Path, articles: Iterable[Article], quotes: Iterable[QuoteRow]) -> Path:
    """Write ``articles`` (with their sources), the ``e-1`` engagement of ``a1`` and ``a1-copy``, and
    ``quotes`` (offsets 3 … 3 + len(text)) into a new store at ``path``."""
    conn = connect(path)
    with conn:
        for aid, pub, outlet, title, dup in articles:
            conn.execute(
                "INSERT INTO articles(id, content_hash, source, format, outlet, title, published, published_day,"
                " blocks, duplicate_of) VALUES(?,?,?,?,?,?,?,?,?,?)",
                (aid, "h-" + aid, aid + ".md", "yaml-markdown", outlet, title, pub, pub[:10], "[]", dup),
            )
            conn.execute("INSERT INTO sources(source, input, raw_hash, raw, size, format, article_id)"
                         " VALUES(?,?,?,?,?,?,?)", (aid + ".md", "t", "r" + aid, b"x", 1, "yaml-markdown", aid))
        for aid in ("a1", "a1-copy"):
            conn.execute(
                "INSERT INTO engagements(article_id, seq, us, cn, modality, date, status, focus, evidence)"
                " VALUES(?,?,?,?,?,?,?,?,?)",
                (aid, 0, json.dumps(["Joe Biden"]), json.dumps(["Xi Jinping"]), "video", "2021-11-16", "held", 1, "…"),
            )
            conn.execute("INSERT INTO timeline_members(timeline_id, article_id, seq) VALUES(?,?,?)", ("e-1", aid, 0))
        conn.execute("INSERT INTO timeline(id, us, cn, modality, status, date, data) VALUES(?,?,?,?,?,?,?)",
                     ("e-1", json.dumps(["Joe Biden"]), json.dumps(["Xi Jinping"]), "video", "held", "2021-11-16",
                      "{}"))
        for row in quotes:
            conn.execute('INSERT INTO quotes(article_id, seq, speaker, side, text, reported, start, "end")'
                         " VALUES(?,?,?,?,?,?,?,?)", (*row, 3, 3 + len(row[4])))
    conn.close()
    return path
