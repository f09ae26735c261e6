"""The interface fixture store plus what the analyst's desk needs to show (issue 14).

Added to a copy of ``conftest.build_fixture_db``'s store: the Anchorage talks reported by two outlets
that disagree on the day (a disputed date, three days apart), readout sentences in which each side
raises topics with a raising verb, topic mentions, a quote of the US side that names a topic, and an
older (2003) approximate-date entry so the timeline has history to fold. Flags are written the way
the timeline step stores them (``run.steps.refresh_flags``) for the new entries only; the fixture's own
entries get theirs from ``run.steps.refresh_missing_flags`` (the server only reads the store).
The search index is brought up to date the way ingest ends (``store.index.update_search_index``),
so the desk's articles are found by search.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from summitwatch.run.steps import refresh_flags, refresh_missing_flags
from summitwatch.store.db import connect
from summitwatch.store.index import update_search_index

RAISE_TEXT = "布林肯在會談中提出香港問題和新疆問題，王毅則強調台灣問題。"
ALASKA_1 = {
    "id": "a-desk-alaska-1",
    "outlet": "眾新聞",
    "url": "https://www.hkcnews.com/article/41000",
    "archived_url": "https://web.archive.org/web/20210319000000/https://www.hkcnews.com/article/41000/"
    + "%EF%BF%BD" * 6,
    "original_url": "https://www.hkcnews.com/article/41000/" + "%EF%BF%BD" * 6,
    "published": "2021-03-19T09:00:00+08:00",
    "title": "中美阿拉斯加會談火藥味濃",
    "paras": ["美國國務卿布林肯與中共外事辦主任王毅18日在安克雷奇會談。", RAISE_TEXT],
    "date": "2021-03-18",
}
ALASKA_2 = {
    "id": "a-desk-alaska-2",
    "outlet": "联合早报",
    "url": "https://www.zaobao.com/news/41001",
    "archived_url": None,
    "original_url": None,
    "published": "2021-03-22T09:00:00+08:00",
    "title": "中美高层在安克雷奇会谈",
    "paras": ["布林肯与王毅21日在安克雷奇举行会谈。王毅表达关切新疆问题。"],
    "date": "2021-03-21",
}
OLD = {
    "id": "a-desk-2003",
    "outlet": "眾新聞",
    "url": "https://www.hkcnews.com/article/2003",
    "archived_url": None,
    "original_url": None,
    "published": "2003-12-10T09:00:00+08:00",
    "title": "溫家寶訪美與布什會面",
    "paras": ["國務院總理溫家寶本月訪問美國，與美國總統布什在白宮會面。"],
    "date": None,
}
BLINKEN_QUOTE = "我們對台灣海峽的局勢深表關切"


def _text(a: dict) -> str:
    return "\n\n".join([a["title"], *a["paras"]])


def _mentions(conn, aid: str, text: str, forms: list[tuple[str, str, str | None, str]]) -> None:
    seq = conn.execute("SELECT count(*) FROM mentions WHERE article_id = ?", (aid,)).fetchone()[0]
    for kind, surface, side, key in forms:
        i = text.find(surface)
        while i >= 0:
            conn.execute(
                'INSERT INTO mentions(article_id, seq, kind, key, surface, start, "end", side) VALUES(?,?,?,?,?,?,?,?)',
                (aid, seq, kind, key, surface, i, i + len(surface), side),
            )
            seq += 1
            i = text.find(surface, i + len(surface))


def build_desk_db(base: Path, path: Path) -> Path:
    """Copy the fixture store at ``base`` to ``path`` and add the desk's rows."""
    shutil.copyfile(base, path)
    conn = connect(path)
    with conn:
        for a in (ALASKA_1, ALASKA_2, OLD):
            blocks = [{"kind": "title", "text": a["title"]}] + [{"kind": "paragraph", "text": p} for p in a["paras"]]
            conn.execute(
                "INSERT INTO articles(id, content_hash, source, format, outlet, url, original_url, archived_url,"
                " title, published, published_day, tags, language, script, blocks, figures, links, flags)"
                " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (a["id"], "h-" + a["id"], f"desk/{a['id']}.md", "yaml-markdown", a["outlet"], a["url"],
                 a["original_url"], a["archived_url"], a["title"], a["published"], a["published"][:10], "[]",
                 "zh", "zh-Hant", json.dumps(blocks, ensure_ascii=False), "[]", "[]", "[]"),
            )  # fmt: skip
            conn.execute(
                "INSERT INTO sources(source, input, raw_hash, raw, size, format, article_id) VALUES(?,?,?,?,?,?,?)",
                (f"desk/{a['id']}.md", "fixture", "r-" + a["id"], b"x", 1, "yaml-markdown", a["id"]),
            )
            conn.execute(
                "INSERT INTO extractions(article_id, content_hash, knowledge_hash, extractor_version, topics)"
                " VALUES(?,?,?,?,?)",
                (a["id"], "h-" + a["id"], "k", "test", json.dumps(["xinjiang", "hong_kong", "taiwan"])),
            )
        for a in (ALASKA_1, ALASKA_2):
            text = _text(a)
            _mentions(
                conn,
                a["id"],
                text,
                [
                    ("person", "布林肯", "US", "Antony Blinken"),
                    ("person", "王毅", "PRC", "Wang Yi"),
                    ("topic", "香港", None, "hong_kong"),
                    ("topic", "新疆", None, "xinjiang"),
                    ("topic", "台灣", None, "taiwan"),
                ],
            )
            ev = a["paras"][0]
            start = text.find(ev)
            conn.execute(
                "INSERT INTO engagements(article_id, seq, us, cn, modality, date, location, status, focus, evidence,"
                " evidence_start, evidence_end, topics) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (a["id"], 0, '["Antony Blinken"]', '["Wang Yi"]', "in_person", a["date"], "Anchorage", "held", 1,
                 ev, start, start + len(ev), '["xinjiang", "hong_kong", "taiwan"]'),
            )  # fmt: skip
            conn.execute(
                "INSERT INTO timeline_members(timeline_id, article_id, seq) VALUES(?,?,?)",
                ("tl-2021-alaska", a["id"], 0),
            )
        conn.execute(
            "INSERT INTO timeline(id, us, cn, modality, status, date, date_precision, location, occasion, data)"
            " VALUES(?,?,?,?,?,?,?,?,?,?)",
            ("tl-2021-alaska", '["Antony Blinken"]', '["Wang Yi"]', "in_person", "held", "2021-03-18", "day",
             "Anchorage", "Alaska talks", json.dumps({"topics": ["xinjiang", "hong_kong", "taiwan"]})),
        )  # fmt: skip
        conn.execute(
            'INSERT INTO quotes(article_id, seq, speaker, side, text, reported, start, "end") VALUES(?,?,?,?,?,?,?,?)',
            ("a-desk-alaska-1", 0, "Antony Blinken", "US", BLINKEN_QUOTE, 0, -1, -1),
        )
        # an older entry known only to the year: drawn as a hatched span, folded into the strip
        old_text = _text(OLD)
        conn.execute(
            "INSERT INTO engagements(article_id, seq, us, cn, modality, date_approx, date_precision, location,"
            " status, focus, evidence, evidence_start, evidence_end, topics) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            ("a-desk-2003", 0, '["George W. Bush"]', '["Wen Jiabao"]', "in_person", "2003", "year", "Washington",
             "held", 1, OLD["paras"][0], old_text.find(OLD["paras"][0]),
             old_text.find(OLD["paras"][0]) + len(OLD["paras"][0]), "[]"),
        )  # fmt: skip
        conn.execute(
            "INSERT INTO timeline_members(timeline_id, article_id, seq) VALUES(?,?,?)", ("tl-2003-wen-bush", "a-desk-2003", 0)
        )
        conn.execute(
            "INSERT INTO timeline(id, us, cn, modality, status, date_approx, date_precision, location, data)"
            " VALUES(?,?,?,?,?,?,?,?,?)",
            ("tl-2003-wen-bush", '["George W. Bush"]', '["Wen Jiabao"]', "in_person", "held", "2003", "year",
             "Washington", "{}"),
        )  # fmt: skip
        refresh_flags(conn, ["tl-2021-alaska", "tl-2003-wen-bush"])
    refresh_missing_flags(conn)  # the fixture's own entries, as the timeline step stores them
    update_search_index(conn)  # as ingest's last step: search finds the desk's articles
    conn.close()
    return path
