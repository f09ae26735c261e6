"""Helpers of the curation tests: real-shaped articles and records, and readers of the timeline tables.

A uniquely named module (not ``conftest``) so that importing it cannot clash with another test
folder's conftest when the whole suite runs."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

ARTICLES: list[dict[str, Any]] = [
    {"id": "art-anc-1", "source": "hk/anc1.md", "published": "2021-03-19", "title": "中美阿拉斯加會談",
     "text": "國務卿布林肯與楊潔篪18日在安克雷奇會談。雙方交鋒激烈。",
     "engagements": [{"us": ["Antony Blinken", "Jake Sullivan"], "cn": ["Yang Jiechi", "Wang Yi"],
                      "modality": "in_person", "date": "2021-03-18", "date_end": "2021-03-19",
                      "location": "Anchorage", "status": "held", "focus": True,
                      "evidence": "國務卿布林肯與楊潔篪18日在安克雷奇會談。"}]},
    {"id": "art-anc-2", "source": "hk/anc2.md", "published": "2021-03-20", "title": "會談結束",
     "text": "中美在阿拉斯加的三場高層會談結束，雙方沒有發表聯合聲明。",
     "engagements": [{"us": ["Antony Blinken"], "cn": ["Yang Jiechi"], "modality": "in_person", "date": None,
                      "location": "Anchorage", "status": "held", "focus": True,
                      "evidence": "中美在阿拉斯加的三場高層會談結束，雙方沒有發表聯合聲明。"}]},
    {"id": "art-vid-1", "source": "hk/vid1.md", "published": "2021-11-16", "title": "拜習視像會晤",
     "text": "拜登與習近平今早（16日）舉行視像會晤。會晤歷時三個半小時。",
     "engagements": [{"us": ["Joe Biden"], "cn": ["Xi Jinping"], "modality": "video", "date": "2021-11-16",
                      "status": "held", "focus": True, "evidence": "拜登與習近平今早（16日）舉行視像會晤。"}]},
    {"id": "art-bali", "source": "zb/bali.md", "published": "2022-11-15", "title": "峇里島會面",
     "text": "拜登與習近平14日在峇里島會面。兩人去年曾經通電話。美國總統拜登與習近平在七月通話。",
     "engagements": [
         {"us": ["Joe Biden"], "cn": ["Xi Jinping"], "modality": "in_person", "date": "2022-11-14",
          "location": "Bali", "status": "held", "focus": True, "evidence": "拜登與習近平14日在峇里島會面。"},
         {"us": ["Joe Biden"], "cn": ["Xi Jinping"], "modality": "phone", "date": "2022-07-28",
          "status": "held", "focus": False, "evidence": "美國總統拜登與習近平在七月通話。"}]},
    {"id": "art-phone", "source": "zb/phone.md", "published": "2022-07-29", "title": "拜習通話",
     "text": "拜登與習近平28日通電話，談及台灣問題。",
     "engagements": [{"us": ["Joe Biden"], "cn": ["Xi Jinping"], "modality": "phone", "date": "2022-07-28",
                      "status": "held", "focus": True, "evidence": "拜登與習近平28日通電話，談及台灣問題。"}]},
    {"id": "art-osaka", "source": "hk/osaka.md", "published": "2019-06-30", "title": "特習大阪會晤",
     "text": "特朗普與習近平29日在大阪會晤。雙方同意重啟貿易談判。劉鶴將與萊特希澤通電話。",
     "engagements": [{"us": ["Donald Trump"], "cn": ["Xi Jinping"], "modality": "in_person", "date": "2019-06-29",
                      "location": "Osaka", "status": "held", "focus": True,
                      "evidence": "特朗普與習近平29日在大阪會晤。"}]},
]


def insert_article(conn: sqlite3.Connection, art: dict[str, Any]) -> None:
    blocks = [{"kind": "title", "text": art["title"]}, {"kind": "paragraph", "text": art["text"]}]
    conn.execute(
        "INSERT INTO articles (id, content_hash, source, outlet, title, published, published_day, blocks, url) "
        "VALUES (?,?,?,?,?,?,?,?,?)",
        (art["id"], "h-" + art["id"], art["source"], "眾新聞", art["title"], art["published"] + "T09:00:00+08:00",
         art["published"], json.dumps(blocks, ensure_ascii=False), f"https://example.org/{art['id']}"),
    )
    insert_engagements(conn, art["id"], art["engagements"])


def insert_engagements(conn: sqlite3.Connection, article_id: str, engagements: list[dict[str, Any]]) -> None:
    """(Re-)extraction of one article: its records replaced whole, numbered from 0."""
    conn.execute("DELETE FROM engagements WHERE article_id = ?", (article_id,))
    for seq, e in enumerate(engagements):
        conn.execute(
            "INSERT INTO engagements (article_id, seq, us, cn, modality, date, date_end, location, status, focus, "
            "evidence, topics) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (article_id, seq, json.dumps(e["us"]), json.dumps(e["cn"]), e["modality"], e.get("date"),
             e.get("date_end"), e.get("location"), e["status"], int(e.get("focus", True)), e["evidence"], "[]"),
        )


def entry_for(conn: sqlite3.Connection, article_id: str, seq: int = 0) -> str:
    row = conn.execute("SELECT timeline_id FROM timeline_members WHERE article_id = ? AND seq = ?",
                       (article_id, seq)).fetchone()
    assert row is not None, f"{article_id}:{seq} is in no timeline entry"
    return str(row[0])


def entry_data(conn: sqlite3.Connection, entry_id: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM timeline WHERE id = ?", (entry_id,)).fetchone()
    if row is None:
        return None
    d = dict(row)
    d["data"] = json.loads(d["data"] or "{}")
    d["us"], d["cn"] = json.loads(d["us"]), json.loads(d["cn"])
    return d
