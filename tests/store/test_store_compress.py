"""Schema v6: the big columns are zstd frames made with the shipped dictionaries (store/codec.py).

What must hold: every encoding round-trips to the same record; a frame says which dictionary it
needs, so frames written before v6 (no dictionary) still decode; an archived URL that is the Wayback
wrapper of its own URL is stored as the wrapper's stamp only and rebuilt on read; and a v5 file is
converted in place with its content (canonical dump) unchanged.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import zstandard

from summitwatch.model import Article, Block, Figure, Link
from summitwatch.store.codec import (
    ARTICLE_DICT_ID,
    RAW_DICT_ID,
    article_from_row,
    blocks_text,
    compress_raw,
    decompress_raw,
    pack_json,
    stored_figures,
    stored_links,
    unpack_json,
)
from summitwatch.store.dataset import load_tables, write_dataset
from summitwatch.store.db import PAGE_SIZE, SCHEMA_VERSION, connect, schema_version
from summitwatch.store.dump import canonical_dump
from summitwatch.store.write import upsert_article, upsert_source

SRC = "https://news.example.cn/img/會談.jpg"
WRAPPED = "https://web.archive.org/web/20210712054633im_/" + SRC
LINK = "https://www.example.gov/readout/"
OTHER = "https://archive.example.org/keep/abc"  # an archive that is not the standard wrapper


def _article() -> Article:
    return Article(
        "a1", "h1", "x/a1.html", "html", "中美外長通話",
        (Block("title", "中美外長通話"), Block("paragraph", "美國國務卿布林肯與王毅通電話。")),
        outlet="眾新聞", published="2021-02-11T10:30:00+08:00",
        figures=(Figure(SRC, "會談現場", WRAPPED), Figure("https://x.example/b.png", "", OTHER),
                 Figure("https://x.example/c.png", "無存檔", None)),
        links=(Link("新聞稿", LINK, "https://web.archive.org/web/20210712054633/" + LINK), Link("央視", "https://cctv.example/", None)),
    )  # fmt: skip


def test_json_columns_are_dictionary_frames_and_round_trip() -> None:
    value = [{"kind": "paragraph", "text": "美國國務卿布林肯與王毅通電話。"}]
    packed = pack_json(value)
    assert zstandard.get_frame_parameters(packed).dict_id == ARTICLE_DICT_ID
    assert unpack_json(packed, []) == value
    assert unpack_json(json.dumps(value, ensure_ascii=False), []) == value  # text from before v6 still reads
    assert blocks_text(packed) == "美國國務卿布林肯與王毅通電話。"
    assert unpack_json(b"not a frame", []) == []  # a damaged cell is the empty value, not a failed page


def test_raw_frames_name_their_dictionary_and_old_frames_decode() -> None:
    data = "<html><body><p>美中外長通話</p></body></html>".encode() * 20
    blob = compress_raw(data)
    assert zstandard.get_frame_parameters(blob).dict_id == RAW_DICT_ID
    assert decompress_raw(blob) == data
    assert decompress_raw(zstandard.ZstdCompressor(level=3).compress(data)) == data  # a v5 store's frame
    foreign = zstandard.ZstdCompressor(dict_data=zstandard.train_dictionary(
        1024, [b"<p>%d sample text</p>" % i * 8 for i in range(200)], dict_id=0x7777)).compress(data)
    with pytest.raises(ValueError, match="0x7777"):
        decompress_raw(foreign)


def test_wayback_wrapper_of_its_own_url_is_stored_as_its_stamp() -> None:
    figs = stored_figures(_article().figures)
    assert figs[0] == {"src": SRC, "caption": "會談現場", "w": "20210712054633im_"}
    assert figs[1]["a"] == OTHER and "w" not in figs[1]
    assert set(figs[2]) == {"src", "caption"}
    links = stored_links(_article().links)
    assert links[0]["w"] == "20210712054633" and set(links[1]) == {"text", "url"}
    # the wrapper of another URL is not the figure's own: kept whole
    other = stored_figures([Figure(SRC, "", "https://web.archive.org/web/2021im_/https://x.example/other.jpg")])
    assert "a" in other[0]


def test_article_round_trips_through_its_row(tmp_path: Path) -> None:
    conn = connect(tmp_path / "s.db")
    upsert_article(conn, _article(), 1, None)
    conn.commit()
    row = conn.execute("SELECT * FROM articles WHERE id='a1'").fetchone()
    assert isinstance(row["blocks"], bytes) and WRAPPED.encode() not in row["figures"]
    assert article_from_row(row) == _article()


def _v5_store(path: Path) -> tuple[bytes, str]:
    """A store as v5 wrote it: JSON text columns and raw frames without a dictionary."""
    conn = connect(path)
    a = _article()
    raw = "<html><p>美國國務卿布林肯與王毅通電話。</p></html>".encode()
    upsert_source(conn, source=a.source, input="x", raw_hash="rh", raw=zstandard.ZstdCompressor(level=3).compress(raw),
                  size=len(raw), hint=None, meta=None, fmt="html", article_id=a.id, parser_version="p", run_id=1)  # fmt: skip
    upsert_article(conn, a, 1, None)
    plain = {
        "blocks": json.dumps([{"kind": b.kind, "text": b.text} for b in a.blocks], ensure_ascii=False),
        "figures": json.dumps([{"src": f.src, "caption": f.caption, "archived_src": f.archived_src}
                               for f in a.figures], ensure_ascii=False),
        "links": json.dumps([{"text": x.text, "url": x.url, "archived_url": x.archived_url} for x in a.links],
                            ensure_ascii=False),
    }  # fmt: skip
    conn.execute("UPDATE articles SET blocks=:blocks, figures=:figures, links=:links WHERE id='a1'", plain)
    conn.execute("UPDATE meta SET value='5' WHERE key='schema_version'")
    conn.commit()
    conn.close()
    return raw, plain["figures"]


def test_v5_file_is_converted_in_place_with_content_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "v5.db"
    raw, figures_text = _v5_store(path)
    before = canonical_dump(path)
    conn = connect(path)
    assert schema_version(conn) == SCHEMA_VERSION >= 6
    row = conn.execute("SELECT * FROM articles WHERE id='a1'").fetchone()
    assert all(isinstance(row[c], bytes) for c in ("blocks", "figures", "links"))
    assert article_from_row(row) == _article()
    blob = conn.execute("SELECT raw FROM sources").fetchone()[0]
    assert zstandard.get_frame_parameters(blob).dict_id == RAW_DICT_ID and decompress_raw(blob) == raw
    conn.close()
    assert canonical_dump(path) == before  # same content, whatever the encoding
    assert "archived_src" in figures_text  # (the v5 file really held plain JSON)


def test_conversion_is_idempotent_after_a_half_applied_attempt(tmp_path: Path) -> None:
    path = tmp_path / "half.db"
    _v5_store(path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE articles SET blocks=? WHERE id='a1'",
                 (pack_json([{"kind": b.kind, "text": b.text} for b in _article().blocks]),))  # fmt: skip
    conn.commit()
    conn.close()
    conn = connect(path)
    row = conn.execute("SELECT * FROM articles").fetchone()
    assert isinstance(row["figures"], bytes) and isinstance(row["links"], bytes)  # the rest was converted
    assert article_from_row(row) == _article()


def test_a_converted_file_round_trips_through_parquet(tmp_path: Path) -> None:
    """A file converted in place keeps its TEXT declarations; the dataset still types the compressed
    columns by the current schema (binary), so writing and loading it keeps every byte."""
    path = tmp_path / "v5.db"
    _v5_store(path)
    connect(path).close()
    write_dataset(path, tmp_path / "ds")
    conn = connect(tmp_path / "back.db")
    load_tables(conn, tmp_path / "ds")
    conn.close()
    assert canonical_dump(tmp_path / "back.db") == canonical_dump(path)


def test_a_new_store_takes_the_page_size_and_an_old_one_keeps_its_own(tmp_path: Path) -> None:
    assert connect(tmp_path / "new.db").execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE
    old = sqlite3.connect(tmp_path / "old.db")
    old.execute("PRAGMA page_size=4096")
    old.execute("CREATE TABLE t(x)")
    old.commit()
    old.close()
    assert connect(tmp_path / "old.db").execute("PRAGMA page_size").fetchone()[0] == 4096
