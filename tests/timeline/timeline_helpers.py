"""Helpers of the timeline tests: record builders and a small store filled with real-shaped rows
(a uniquely named module rather than conftest.py, so that imports cannot pick another area's conftest)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from summitwatch.model import Engagement
from summitwatch.timeline import RecordRef

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
GOLD = SHARED / "gold"


def make_ref(article: str, published: str | None, us: list[str], cn: list[str], modality: str = "in_person",
             status: str = "held", focus: bool = True, date: str | None = None, date_end: str | None = None,
             location: str | None = None, evidence: str = "", seq: int = 0, outlet: str = "眾新聞",
             date_approx: str | None = None, topics: tuple[str, ...] = ()) -> RecordRef:
    """A RecordRef with an article id that is also its source path."""
    eng = Engagement(us=tuple(us), cn=tuple(cn), modality=modality, status=status, focus=focus,  # type: ignore[arg-type]
                     evidence=evidence or f"{article} {seq}", date=date, date_end=date_end, location=location,
                     date_approx=date_approx, date_precision=("month" if date_approx and len(date_approx) == 7 else None),
                     topics=topics)
    return RecordRef(article_id=article, source=f"dir/{article}.md", seq=seq, published=published,
                     outlet=outlet, title=f"title {article}", engagement=eng)


def fill_store(conn: sqlite3.Connection, rows: list[dict[str, Any]]) -> None:
    """Insert articles and their engagements, rows as in dev_articles.jsonl (+ optional quotes)."""
    with conn:
        for i, row in enumerate(rows):
            aid = f"a{i:04d}"
            blocks = [{"kind": "paragraph", "text": e.get("evidence", "")} for e in row["engagements"]]
            conn.execute(
                "INSERT INTO articles (id, content_hash, source, outlet, outlet_en, url, archived_url, title, "
                "published, published_day, blocks) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (aid, f"h{i}", row["file"], row.get("outlet", "眾新聞"), "Citizen News",
                 f"https://www.hkcnews.com/article/{i}", f"https://web.archive.org/web/2021/https://www.hkcnews.com/article/{i}",
                 row.get("title", f"headline {i}"), (row.get("published") or "") + "T10:00:00+08:00" if row.get("published") else None,
                 row.get("published"), json.dumps(blocks, ensure_ascii=False)),
            )
            for seq, e in enumerate(row["engagements"]):
                conn.execute(
                    "INSERT INTO engagements (article_id, seq, us, cn, modality, date, date_end, date_approx, "
                    "date_precision, location, occasion, status, focus, evidence, topics) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (aid, seq, json.dumps(e["us"]), json.dumps(e["cn"]), e["modality"], e.get("date"),
                     e.get("date_end"), e.get("date_approx"), e.get("date_precision"), e.get("location"),
                     e.get("occasion"), e["status"], int(bool(e.get("focus"))), e.get("evidence", ""),
                     json.dumps(e.get("topics", []))),
                )
            for seq, q in enumerate(row.get("quotes", [])):
                conn.execute(
                    'INSERT INTO quotes (article_id, seq, speaker, side, text, reported, start, "end") '
                    "VALUES (?,?,?,?,?,?,?,?)",
                    (aid, seq, q["speaker"], q["side"], q["text"], 0, -1, -1),
                )
