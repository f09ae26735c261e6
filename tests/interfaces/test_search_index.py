"""Search: cross-script matching, unknown words, phrases, filters, sorting, snippets, hit links, and
the index that ingest keeps (incremental, distinct articles only, never built by a query)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import rjieba

from summitwatch.search_tokens import index_text, index_tokens, make_snippet, parse_query
from summitwatch.store.db import connect
from summitwatch.store.index import (
    SearchIndexUnavailable,
    index_problem,
    rebuild_search_index,
    update_search_index,
)
from summitwatch.store.query import search as search_module
from summitwatch.store.query.search import SearchFilters, search
from summitwatch.web.highlight import hit_json, segments_html


@pytest.fixture
def conn(fresh_db: Path) -> sqlite3.Connection:
    c = connect(fresh_db)
    yield c
    c.close()


def ids(result) -> set[str]:
    return {h.id for h in result.hits}


def add_article(conn: sqlite3.Connection, aid: str, title: str, text: str, day: str = "2024-01-02") -> None:
    blocks = [{"kind": "title", "text": title}, {"kind": "paragraph", "text": text}]
    with conn:
        conn.execute(
            "INSERT INTO articles(id, content_hash, source, title, published, published_day, blocks)"
            " VALUES(?,?,?,?,?,?,?)",
            (
                aid,
                "h-" + aid,
                aid + ".md",
                title,
                day + "T00:00:00+08:00",
                day,
                json.dumps(blocks, ensure_ascii=False),
            ),
        )


def test_traditional_query_finds_simplified_article_and_reverse(conn: sqlite3.Connection) -> None:
    trad = search(conn, "習近平")
    simp = search(conn, "习近平")
    assert ids(trad) == ids(simp)
    assert {"a-trump-xi-call", "a-blinken-wangyi"} <= ids(trad)  # written in Simplified
    assert "a-biden-xi-video" in ids(simp)  # written in Traditional
    assert "a-undated" not in ids(trad)


def test_two_character_names(conn: sqlite3.Connection) -> None:
    assert ids(search(conn, "王毅")) == {"a-blinken-wangyi"}
    assert ids(search(conn, "拜登")) == {"a-biden-xi-video"}


def test_word_the_segmenter_does_not_know_is_found(conn: sqlite3.Connection) -> None:
    assert "拜习会" not in rjieba.cut("外界称之为拜习会。")  # the segmenter splits it
    assert ids(search(conn, "拜習會")) == {"a-biden-xi-video"}
    assert ids(search(conn, "拜习会")) == {"a-biden-xi-video"}
    # a transliteration first seen in the new article is found as soon as it is indexed
    add_article(
        conn, "a-new", "布林肯與秦剛通電話", "美國國務卿布林肯與中國外長秦剛通電話，討論「氣球事件」。"
    )
    assert update_search_index(conn) == 1
    assert ids(search(conn, "秦刚")) == {"a-new"}
    assert ids(search(conn, "氣球事件")) == {"a-new"}


def test_phrase_requires_adjacency(conn: sqlite3.Connection) -> None:
    add_article(conn, "a-apart", "總統談美國", "這位總統今天說，美國經濟強勁。")
    update_search_index(conn)
    words = ids(search(conn, "美國 總統"))
    phrase = ids(search(conn, '"美國總統"'))
    assert "a-apart" in words
    assert "a-apart" not in phrase
    assert {"a-biden-xi-video", "a-trump-xi-call"} <= phrase
    assert ids(search(conn, "「美国总统」")) == phrase


def test_unspaced_run_is_a_phrase_spaces_separate_terms(conn: sqlite3.Connection) -> None:
    add_article(conn, "a-talks", "中美會談今日舉行", "雙方代表出席。")
    add_article(conn, "a-scattered", "中美關係", "兩國外長舉行會談。")
    update_search_index(conn)
    assert ids(search(conn, "中美會談")) == {"a-talks"}  # the four characters in a row
    assert ids(search(conn, "中美会谈")) == {"a-talks"}  # in either script
    assert ids(search(conn, "中美 會談")) == {"a-talks", "a-scattered"}  # two terms, anywhere
    assert ids(search(conn, '"中美會談"')) == ids(search(conn, "中美會談"))
    assert parse_query("中美會談").match == '"中 美 会 谈"'
    assert parse_query("中美 會談").match == '"中 美" AND "会 谈"'
    # no segmenter runs on the query: 拜登台灣 does not occur as such, the two words do
    assert not ids(search(conn, "拜登台灣"))
    assert ids(search(conn, "拜登 台灣")) == {"a-biden-xi-video"}


def test_exclusion(conn: sqlite3.Connection) -> None:
    assert "a-hostile" not in ids(search(conn, "特朗普 -大阪"))
    assert "a-trump-xi-call" in ids(search(conn, "特朗普 -大阪"))


def test_filters(conn: sqlite3.Connection) -> None:
    assert ids(search(conn, "習近平", SearchFilters(outlet="联合早报"))) == {"a-blinken-wangyi"}
    assert ids(search(conn, "習近平", SearchFilters(outlet="Citizen News"))) == {
        "a-biden-xi-video",
        "a-trump-xi-call",
    }
    assert ids(search(conn, "習近平", SearchFilters(since="2021-01-01", until="2021-12-31"))) == {
        "a-biden-xi-video"
    }
    assert ids(search(conn, "習近平", SearchFilters(person="Wang Yi"))) == {"a-blinken-wangyi"}
    assert ids(search(conn, "習近平", SearchFilters(topic="trade"))) == {"a-hostile"}
    # the person and topic filters take what the timeline filters take: a Chinese name in either
    # script, any case of the English name, a topic cue word
    for who in ("王毅", "WANG YI", "wang yi"):
        assert ids(search(conn, "習近平", SearchFilters(person=who))) == {"a-blinken-wangyi"}, who
    assert ids(search(conn, "習近平", SearchFilters(topic="貿易戰"))) == {"a-hostile"}
    add_article(conn, "a-noeng", "習近平視察", "習近平今日視察。")
    update_search_index(conn)
    assert "a-noeng" in ids(search(conn, "習近平"))
    assert "a-noeng" not in ids(search(conn, "習近平", SearchFilters(has_engagement=True)))
    # the near-duplicate copy is folded unless asked for
    assert "a-biden-xi-copy" not in ids(search(conn, "拜習會"))
    assert "a-biden-xi-copy" in ids(search(conn, "拜習會", SearchFilters(include_duplicates=True)))


def test_bm25_ranks_title_hits_and_totals(conn: sqlite3.Connection) -> None:
    result = search(conn, "王毅 布林肯", limit=1)
    assert result.total == 1 and result.hits[0].id == "a-blinken-wangyi"
    many = search(conn, "習近平", limit=2)
    assert many.total == 4 and len(many.hits) == 2
    assert [h.score for h in many.hits] == sorted((h.score for h in many.hits), reverse=True)
    page2 = search(conn, "習近平", limit=2, offset=2)
    assert not ids(page2) & ids(many)


def _ranked(result) -> list[tuple[str, float]]:
    return [(h.id, h.score) for h in result.hits]


def test_unfiltered_ranking_equals_the_general_path(conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unfiltered search ranks the FTS rows alone and joins only its page; it must give the rows,
    order, scores and totals the general path (join every match, count in a window) gives."""
    for n in (3, 5, 0, 4, 1, 2):  # equal articles score equally: ties that only the tie-break orders
        add_article(conn, f"a-tie-{n}", "會談", "美國總統與國家主席會談。")
        update_search_index(conn)  # one at a time: their rowids are not in id order
    queries = ("美", "美國", "習近平", "會談", "王毅 布林肯", "美國 -拜登", "無此詞")
    pages = [(10, 0), (2, 0), (2, 2), (3, 4), (2, 50)]
    taken = []
    ranked_page = search_module._ranked_page
    monkeypatch.setattr(search_module, "_ranked_page", lambda *a: taken.append(a) or ranked_page(*a))
    fast = {(q, lim, off): search(conn, q, limit=lim, offset=off) for q in queries for lim, off in pages}
    assert len(taken) == len(fast)  # every one of them took the unfiltered path
    # the general path serves any search while stale postings remain
    monkeypatch.setattr(search_module, "has_stale_postings", lambda c: True)
    for (q, lim, off), got in fast.items():
        general = search(conn, q, limit=lim, offset=off)
        assert (_ranked(got), got.total) == (_ranked(general), general.total), (q, lim, off)
    assert len(taken) == len(fast)
    ties = search(conn, "會談", limit=50)
    assert ties.total >= 6 and len({h.score for h in ties.hits if h.id.startswith("a-tie-")}) == 1
    paged = [h.id for off in range(ties.total) for h in search(conn, "會談", limit=1, offset=off).hits]
    assert paged == [h.id for h in ties.hits]  # one page at a time: the same order, nothing twice


def test_snippet_of_one_needle_opens_at_its_first_hit() -> None:
    text = "開頭" + "無關內容。" * 30 + "美國甲" + "無關內容。" * 30 + "美國乙美國丙"
    parts = make_snippet(text, ["美国"], width=40)
    shown = "".join(t for t, _ in parts)
    assert "美國甲" in shown and "美國乙" not in shown  # the first hit, not the densest run of hits
    assert parts[0] == ("…", False) and [t for t, hit in parts if hit] == ["美國"]
    # two needles: the window where both occur wins over the first hit of one
    both = "".join(t for t, _ in make_snippet(text + "無關內容。" * 30 + "美國與開頭", ["美国", "开头"], width=40))
    assert "美國與開頭" in both and "美國甲" not in both


def test_snippet_highlights_hits_in_original_script_and_escapes(conn: sqlite3.Connection) -> None:
    hit = next(h for h in search(conn, "习近平").hits if h.id == "a-biden-xi-video")
    assert "<mark>習近平</mark>" in segments_html(hit.snippet)  # in the article's own script
    hostile = hit_json(next(h for h in search(conn, "大阪").hits if h.id == "a-hostile"))["snippet"]
    assert "<script>" not in hostile and "<img" not in hostile
    assert "&lt;" in hostile and "<mark>大阪</mark>" in hostile
    d = search(conn, "王毅").to_dict()
    assert set(d) == {"total", "sort", "hits"}
    assert set(d["hits"][0]) == {
        "id", "source", "title", "published", "outlet", "score", "engagements", "people", "copy_of"
    }  # fmt: skip
    assert "snippet" in hit_json(search(conn, "王毅").hits[0])


def test_hits_carry_their_engagements_and_people(conn: sqlite3.Connection) -> None:
    hit = search(conn, "王毅").hits[0]
    assert hit.id == "a-blinken-wangyi"
    assert hit.engagements == ("tl-2023-blinken-wang", "tl-2023-blinken-xi")  # in record order
    assert {"Wang Yi", "Antony Blinken"} <= set(hit.people)
    undated = search(conn, "天晴").hits[0]
    assert undated.engagements == () and undated.people == ()


def test_sort_by_date_newest_first_undated_last(conn: sqlite3.Connection) -> None:
    add_article(conn, "a-old", "習近平舊聞", "習近平。", day="2001-01-01")
    with conn:
        conn.execute("UPDATE articles SET title='習近平天氣', content_hash='h2' WHERE id='a-undated'")
        conn.execute("UPDATE articles SET published_day=NULL WHERE id='a-undated'")
    update_search_index(conn)
    result = search(conn, "習近平", sort="date", limit=50)
    assert result.sort == "date"
    days = [h.published for h in result.hits]
    assert days[-1] is None  # undated last
    dated = [d[:10] for d in days if d]
    assert dated == sorted(dated, reverse=True) and dated[-1] == "2001-01-01"
    assert {h.id for h in result.hits} == ids(search(conn, "習近平", limit=50))  # same hits, other order
    page = search(conn, "習近平", sort="date", limit=2, offset=1).hits
    assert [h.id for h in page] == [h.id for h in result.hits[1:3]]
    with pytest.raises(ValueError):
        search(conn, "習近平", sort="popularity")


def test_index_is_incremental_and_follows_changes(bare_db: Path) -> None:
    conn = connect(bare_db)
    assert update_search_index(conn) == 5  # the first call builds it: distinct articles only
    indexed = {r[0] for r in conn.execute("SELECT article_id FROM search_docs")}
    assert "a-biden-xi-copy" not in indexed and len(indexed) == 5
    assert update_search_index(conn) == 0
    with conn:
        conn.execute(
            "UPDATE articles SET content_hash='changed', title='王毅訪美', blocks=? WHERE id='a-undated'",
            (json.dumps([{"kind": "title", "text": "王毅訪美"}], ensure_ascii=False),),
        )
    assert update_search_index(conn) == 1
    assert "a-undated" in ids(search(conn, "王毅"))
    assert not search(conn, "天晴").total  # the old content is gone
    with conn:
        conn.execute("DELETE FROM articles WHERE id='a-blinken-wangyi'")
    update_search_index(conn)
    assert "a-blinken-wangyi" not in ids(search(conn, "王毅"))
    assert rebuild_search_index(conn) == 4
    conn.close()


def test_search_never_builds_the_index(bare_db: Path) -> None:
    conn = connect(bare_db)
    with pytest.raises(SearchIndexUnavailable, match="summitwatch ingest"):
        search(conn, "王毅")
    assert conn.execute("SELECT 1 FROM sqlite_master WHERE name LIKE 'search%'").fetchone() is None
    update_search_index(conn)
    assert index_problem(conn) is None
    assert search(conn, "王毅").total == 1
    with conn:  # an index from another tokenisation is not used either
        conn.execute("UPDATE meta SET value='bigram-t2s-0' WHERE key='search_index_version'")
    with pytest.raises(SearchIndexUnavailable, match="another summitwatch version"):
        search(conn, "王毅")
    conn.close()


def test_query_parsing_edge_cases(conn: sqlite3.Connection) -> None:
    assert parse_query("   ").match == ""
    assert parse_query("，。！").match == ""
    assert parse_query("-台灣").match == ""  # exclusion alone selects nothing
    assert search(conn, '"unbalanced AND (').total == 0
    assert search(conn, "NEAR OR AND").total == 0
    assert search(conn, "美").total >= 3  # a single character matches as a prefix of bigrams
    assert index_tokens("習近平，Ｔｒｕｍｐ") == ["习", "近", "平", "trump"]


def test_filter_columns_follow_dedupe_and_new_runs(conn: sqlite3.Connection) -> None:
    assert "a-trump-xi-call" in ids(search(conn, "特朗普"))
    # dedupe later folds an article into another without changing its content. A finished ingest
    # run that did not update the index makes it stale: searches say so instead of building it
    with conn:
        conn.execute("UPDATE articles SET duplicate_of='a-hostile' WHERE id='a-trump-xi-call'")
        conn.execute(
            "INSERT INTO runs(started_at, finished_at, inputs) VALUES('2024-01-01T00:00Z', '2024-01-01T00:01Z', '[]')"
        )
    with pytest.raises(SearchIndexUnavailable, match="older than the last ingest run"):
        search(conn, "特朗普")
    assert update_search_index(conn) == 0  # nothing to tokenise: the copy just leaves the index
    assert "a-trump-xi-call" not in ids(search(conn, "特朗普"))
    copies = search(conn, "特朗普", SearchFilters(include_duplicates=True))
    assert "a-trump-xi-call" in ids(copies)  # found through its representative
    assert next(h for h in copies.hits if h.id == "a-trump-xi-call").copy_of == "a-hostile"
    # a run still writing does not make the index stale (a server keeps answering during ingest)
    with conn:
        conn.execute("INSERT INTO runs(started_at, inputs) VALUES('2024-01-02T00:00Z', '[]')")
    assert search(conn, "特朗普").total
    with conn:
        conn.execute("UPDATE articles SET outlet='新報' WHERE id='a-hostile'")
    assert update_search_index(conn) == 0  # nothing to re-tokenise, but the outlet copy is refreshed
    assert ids(search(conn, "特朗普", SearchFilters(outlet="新報"))) == {"a-hostile"}


def test_read_only_connection_serves_existing_index(fresh_db: Path) -> None:
    ro = connect(fresh_db, readonly=True)
    assert ids(search(ro, "王毅")) == {"a-blinken-wangyi"}
    ro.close()


def test_read_only_connection_without_index_says_so(bare_db: Path) -> None:
    ro = connect(bare_db, readonly=True)
    with pytest.raises(SearchIndexUnavailable):
        search(ro, "王毅")
    ro.close()


def test_duplicate_status_can_flip_back_and_forth(conn: sqlite3.Connection) -> None:
    both = SearchFilters(include_duplicates=True)
    for dup_of, own in (("a-hostile", False), (None, True), ("a-hostile", False)):
        with conn:
            conn.execute("UPDATE articles SET duplicate_of=? WHERE id='a-trump-xi-call'", (dup_of,))
        update_search_index(conn)
        # a copy is not indexed: its own words find it only while it is distinct
        assert ("a-trump-xi-call" in ids(search(conn, "通电话"))) is own
        assert ("a-trump-xi-call" in ids(search(conn, "通电话", both))) is own
        # as a copy it is listed with its representative's hits
        assert ("a-trump-xi-call" in ids(search(conn, "大阪", both))) is not own
    conn.execute("INSERT INTO search_fts(search_fts) VALUES('integrity-check')")
    assert ids(search(conn, "特朗普", both)) == {"a-hostile", "a-trump-xi-call"}


def test_fts5_tokenizer_sees_the_documented_tokens() -> None:
    """The index hands FTS5 spaced text and lets its C tokenizer cut it: the tokens it stores must be
    exactly ``index_tokens`` (each ideograph in Simplified, Latin words whole, lower case, half-width)."""
    text = "習近平（Ｘｉ）會見G20代表，談到APEC-2023。"
    mem = sqlite3.connect(":memory:")
    mem.execute("CREATE VIRTUAL TABLE f USING fts5(body, content='', tokenize='unicode61 remove_diacritics 0')")
    mem.execute("CREATE VIRTUAL TABLE v USING fts5vocab(f, 'instance')")
    mem.execute("INSERT INTO f(rowid, body) VALUES(1, ?)", (index_text(text),))
    stored = [r[0] for r in mem.execute("SELECT term FROM v ORDER BY offset")]
    assert stored == index_tokens(text)
    assert stored[:5] == ["习", "近", "平", "xi", "会"] and "g20" in stored and "apec" in stored


def test_folding_is_per_character_whatever_the_context(conn: sqlite3.Connection) -> None:
    """A character folds the same alone and inside any phrase, so a one-word query finds the word in
    any sentence (phrase-level conversion would turn 乾 into 干 in some contexts only)."""
    from summitwatch.search_tokens import to_simplified

    for text in ("乾隆皇帝", "乾淨", "頭髮", "發展", "後來", "皇后"):
        assert to_simplified(text) == "".join(to_simplified(c) for c in text), text
    assert to_simplified("習近平與拜登會晤") == "习近平与拜登会晤"
    add_article(conn, "a-qianlong", "乾隆下江南", "清高宗乾隆皇帝六次南巡。")
    update_search_index(conn)
    assert ids(search(conn, "乾隆")) == ids(search(conn, "乾隆皇帝")) == {"a-qianlong"}
