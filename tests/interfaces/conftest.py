"""A small, realistic fixture store for the interface tests (search, API, web pages).

Built from ``schema.sql`` through ``store.db.connect`` and a handful of hand-written rows: Traditional
and Simplified articles, engagements merged into timeline entries, quotes, mentions, a duplicate,
quarantined records, and one hostile article whose title, body, links, figure and engagement carry
``<script>``, event-handler attributes and ``javascript:`` URLs, as open-web content may.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from summitwatch.store.db import connect
from summitwatch.store.index import update_search_index

HOSTILE = "<script>alert('x')</script>"
HANDLER = '<img src=x onerror="alert(1)">'
JS_URL = "javascript:alert(document.cookie)"


def _blocks(title: str, *paras: str) -> list[dict[str, str]]:
    return [{"kind": "title", "text": title}] + [{"kind": "paragraph", "text": p} for p in paras]


def _text(blocks: list[dict[str, str]]) -> str:
    return "\n\n".join(b["text"] for b in blocks)


ARTICLES = [
    {
        "id": "a-biden-xi-video",
        "source": "hk/article_1.md",
        "outlet": "眾新聞",
        "outlet_en": "Citizen News",
        "url": "https://www.hkcnews.com/article/1/biden-xi",
        "archived_url": "https://web.archive.org/web/2021/https://www.hkcnews.com/article/1/biden-xi",
        "published": "2021-11-16T10:00:00+08:00",
        "script": "zh-Hant",
        "title": "習近平與拜登舉行視像會議",
        "paras": [
            "國家主席習近平今早（16日）與美國總統拜登舉行視像會議，外界稱之為拜習會。",
            "雙方討論了台灣問題及氣候變化。習近平表示，中美應該相互尊重。",
        ],
        "figures": [{"src": "https://img.example.org/xi.jpg", "caption": "拜習會現場", "archived_src": None}],
        "links": [{"text": "白宮聲明", "url": "https://www.whitehouse.gov/briefing", "archived_url": None}],
        "topics": ["taiwan", "climate"],
    },
    {
        "id": "a-blinken-wangyi",
        "source": "zb/article_2.md",
        "outlet": "联合早报",
        "outlet_en": "Lianhe Zaobao",
        "url": "https://www.zaobao.com/news/2",
        "published": "2023-06-19T18:00:00+08:00",
        "script": "zh-Hans",
        "title": "王毅在北京会见布林肯",
        "paras": [
            "中共中央外事工作委员会办公室主任王毅19日在北京会见美国国务卿布林肯。",
            "王毅说，中美关系处于低谷。习近平随后也会见了布林肯。",
        ],
        "topics": ["bilateral"],
    },
    {
        "id": "a-trump-xi-call",
        "source": "hk/article_3.md",
        "outlet": "眾新聞",
        "outlet_en": "Citizen News",
        "url": "https://www.hkcnews.com/article/3/call",
        "published": "2017-02-13T09:00:00+08:00",
        "script": "zh-Hans",
        "title": "特朗普与习近平通电话",
        "paras": ["上周五（10日）早上，国家主席习近平跟美国总统特朗普通了一次电话，重申一个中国政策。"],
        "topics": ["taiwan"],
    },
    {
        "id": "a-hostile",
        "source": "evil/article_4.html",
        "outlet": "<i>Evil</i> Daily",
        "outlet_en": None,
        "url": JS_URL,
        "original_url": "javascript:alert('orig')",
        "archived_url": "JaVaScRiPt:alert('arch')",
        "published": "2019-06-29T12:00:00+08:00",
        "script": "zh-Hant",
        "title": f"{HOSTILE}特朗普大阪會見習近平",
        "paras": [
            f"特朗普在大阪與習近平會面{HANDLER}，雙方同意重啟貿易談判。",
            f'<a href="{JS_URL}">點擊</a> {HOSTILE}',
        ],
        "figures": [{"src": JS_URL, "caption": f"{HANDLER}大阪", "archived_src": None}],
        "links": [{"text": f"{HOSTILE}link", "url": JS_URL, "archived_url": "javascript:void(0)"}],
        "topics": ["trade"],
    },
    {
        "id": "a-biden-xi-copy",
        "source": "mirror/article_1_copy.md",
        "outlet": "眾新聞",
        "outlet_en": "Citizen News",
        "url": None,
        "published": "2021-11-16T11:00:00+08:00",
        "script": "zh-Hant",
        "title": "習近平與拜登舉行視像會議",
        "paras": ["國家主席習近平今早（16日）與美國總統拜登舉行視像會議，外界稱之為拜習會。"],
        "duplicate_of": "a-biden-xi-video",
    },
    {
        "id": "a-undated",
        "source": "misc/undated.md",
        "outlet": None,
        "outlet_en": None,
        "url": "http://example.org/undated",
        "published": None,
        "script": "zh-Hant",
        "title": "香港天氣",
        "paras": ["今日天晴，氣溫二十八度。"],
    },
]

PEOPLE = {
    "Xi Jinping": ("PRC", ["習近平", "习近平"]),
    "Joe Biden": ("US", ["拜登"]),
    "Wang Yi": ("PRC", ["王毅"]),
    "Antony Blinken": ("US", ["布林肯"]),
    "Donald Trump": ("US", ["特朗普"]),
}

# (timeline id, article id, us, cn, modality, status, date, location, evidence fragment)
RECORDS = [
    (
        "tl-2021-biden-xi",
        "a-biden-xi-video",
        ["Joe Biden"],
        ["Xi Jinping"],
        "video",
        "held",
        "2021-11-16",
        None,
        "國家主席習近平今早（16日）與美國總統拜登舉行視像會議，外界稱之為拜習會。",
    ),
    (
        "tl-2021-biden-xi",
        "a-biden-xi-copy",
        ["Joe Biden"],
        ["Xi Jinping"],
        "video",
        "held",
        "2021-11-16",
        None,
        "國家主席習近平今早（16日）與美國總統拜登舉行視像會議，外界稱之為拜習會。",
    ),
    (
        "tl-2023-blinken-wang",
        "a-blinken-wangyi",
        ["Antony Blinken"],
        ["Wang Yi"],
        "in_person",
        "held",
        "2023-06-19",
        "Beijing",
        "中共中央外事工作委员会办公室主任王毅19日在北京会见美国国务卿布林肯。",
    ),
    (
        "tl-2023-blinken-xi",
        "a-blinken-wangyi",
        ["Antony Blinken"],
        ["Xi Jinping"],
        "in_person",
        "held",
        None,
        "Beijing",
        "习近平随后也会见了布林肯。",
    ),
    (
        "tl-2017-trump-xi",
        "a-trump-xi-call",
        ["Donald Trump"],
        ["Xi Jinping"],
        "phone",
        "held",
        "2017-02-10",
        None,
        "上周五（10日）早上，国家主席习近平跟美国总统特朗普通了一次电话，重申一个中国政策。",
    ),
    (
        "tl-2019-osaka",
        "a-hostile",
        ["Donald Trump"],
        ["Xi Jinping"],
        "in_person",
        "planned",
        "2019-06-29",
        "Osaka",
        f"特朗普在大阪與習近平會面{HANDLER}，雙方同意重啟貿易談判。",
    ),
]


def build_fixture_db(path: Path, search_index: bool = True) -> Path:
    """Write the fixture store at ``path`` (schema via store.db.connect) and return the path.

    ``search_index=False`` leaves out the search index ingest would write (to test its upkeep)."""
    conn = connect(path)
    with conn:
        for a in ARTICLES:
            blocks = _blocks(a["title"], *a["paras"])
            conn.execute(
                "INSERT INTO articles(id, content_hash, source, format, outlet, outlet_en, url, original_url,"
                " archived_url, title, published, published_day, tags, language, script, blocks, figures, links,"
                " flags, duplicate_of) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    a["id"],
                    "h-" + a["id"],
                    a["source"],
                    "yaml-markdown",
                    a["outlet"],
                    a["outlet_en"],
                    a["url"],
                    a.get("original_url"),
                    a.get("archived_url"),
                    a["title"],
                    a["published"],
                    a["published"][:10] if a["published"] else None,
                    "[]",
                    "zh",
                    a["script"],
                    json.dumps(blocks, ensure_ascii=False),
                    json.dumps(a.get("figures", []), ensure_ascii=False),
                    json.dumps(a.get("links", []), ensure_ascii=False),
                    "[]",
                    a.get("duplicate_of"),
                ),
            )
            conn.execute(
                "INSERT INTO sources(source, input, raw_hash, raw, size, format, article_id) VALUES(?,?,?,?,?,?,?)",
                (a["source"], "fixture", "r-" + a["id"], b"x", 1, "yaml-markdown", a["id"]),
            )
            text = _text(blocks)
            seq = 0
            for name, (side, forms) in PEOPLE.items():
                for form in forms:
                    i = text.find(form)
                    while i >= 0:
                        conn.execute(
                            'INSERT INTO mentions(article_id, seq, kind, key, surface, start, "end", side)'
                            " VALUES(?,?,?,?,?,?,?,?)",
                            (a["id"], seq, "person", name, form, i, i + len(form), side),
                        )
                        seq += 1
                        i = text.find(form, i + len(form))
            if "topics" in a:
                conn.execute(
                    "INSERT INTO extractions(article_id, content_hash, knowledge_hash, extractor_version, topics)"
                    " VALUES(?,?,?,?,?)",
                    (a["id"], "h-" + a["id"], "k", "test", json.dumps(a["topics"])),
                )
        seqs: dict[str, int] = {}
        entries: dict[str, tuple] = {}
        for tl, aid, us, cn, modality, status, date, loc, evidence in RECORDS:
            art = next(x for x in ARTICLES if x["id"] == aid)
            text = _text(_blocks(art["title"], *art["paras"]))
            start = text.find(evidence)
            seq = seqs.get(aid, 0)
            seqs[aid] = seq + 1
            conn.execute(
                "INSERT INTO engagements(article_id, seq, us, cn, modality, date, location, status, focus, evidence,"
                " evidence_start, evidence_end, topics) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    aid,
                    seq,
                    json.dumps(us),
                    json.dumps(cn),
                    modality,
                    date,
                    loc,
                    status,
                    1,
                    evidence,
                    start,
                    start + len(evidence),
                    json.dumps(art.get("topics", [])),
                ),
            )
            conn.execute(
                "INSERT INTO timeline_members(timeline_id, article_id, seq) VALUES(?,?,?)", (tl, aid, seq)
            )
            entries.setdefault(tl, (us, cn, modality, status, date, loc, aid))
        for tl, (us, cn, modality, status, date, loc, aid) in entries.items():
            data = {
                "provenance": {"article_id": aid, "sentence": "今早（16日）", "rule": "relative-day"},
                "alternatives": [{"date": "2021-11-15", "frame": "Washington", "article_id": aid}],
                "history": [
                    {
                        "event": "announced",
                        "on": "2021-11-10",
                        "expected": date,
                        "source": {
                            "article_id": aid,
                            "outlet": "眾新聞",
                            "published": "2021-11-10T00:00:00+08:00",
                            "evidence": "雙方宣布將舉行視像會議。",
                        },
                    },
                    {"event": status, "on": date, "reported": date},
                ],
            }
            if aid == "a-hostile":
                data = {
                    "provenance": {"sentence": HOSTILE, "url": JS_URL},
                    "alternatives": [HANDLER],
                    "history": [
                        {
                            "event": "announced",
                            "on": "2019-06-20",
                            "source": {"article_id": aid, "outlet": HANDLER, "evidence": HOSTILE},
                        },
                        {"status": "planned", "note": HOSTILE},
                    ],
                    "topics": ["trade"],
                }
            conn.execute(
                "INSERT INTO timeline(id, us, cn, modality, status, date, date_precision, location, data)"
                " VALUES(?,?,?,?,?,?,?,?,?)",
                (
                    tl,
                    json.dumps(us),
                    json.dumps(cn),
                    modality,
                    status,
                    date,
                    "day" if date else None,
                    loc,
                    json.dumps(data, ensure_ascii=False),
                ),
            )
        conn.execute(
            'INSERT INTO quotes(article_id, seq, speaker, side, text, reported, start, "end") VALUES(?,?,?,?,?,?,?,?)',
            ("a-biden-xi-video", 0, "Xi Jinping", "PRC", "中美應該相互尊重", 1, -1, -1),
        )
        conn.execute(
            'INSERT INTO quotes(article_id, seq, speaker, side, text, reported, start, "end") VALUES(?,?,?,?,?,?,?,?)',
            ("a-hostile", 0, "Donald Trump", "US", f"{HOSTILE}great deal", 0, -1, -1),
        )
        conn.execute(
            "INSERT INTO quarantine(source, reason, detail) VALUES(?,?,?)",
            ("bad/empty.md", "empty", "0 bytes"),
        )
        conn.execute(
            "INSERT INTO quarantine(source, reason, detail) VALUES(?,?,?)",
            (f"bad/{HOSTILE}.html", "binary", f"{HANDLER} looks binary"),
        )
    if search_index:  # as ingest leaves it: searches read the index, they never build it
        update_search_index(conn)
    conn.close()
    return path


@pytest.fixture(scope="session")
def iface_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of the fixture store (built once per session; tests must not modify it except the search index)."""
    return build_fixture_db(tmp_path_factory.mktemp("iface") / "fixture.db")


@pytest.fixture
def fresh_db(tmp_path: Path) -> Iterator[Path]:
    """A private copy of the fixture store, for tests that change it."""
    yield build_fixture_db(tmp_path / "fresh.db")


@pytest.fixture
def bare_db(tmp_path: Path) -> Path:
    """The fixture store before any search index was written (to test the index's upkeep)."""
    return build_fixture_db(tmp_path / "bare.db", search_index=False)
