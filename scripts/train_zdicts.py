"""Train the zstd dictionaries of the store (``summitwatch/store/zdict/``) from a store of the dev corpus.

    PYTHONPATH=. .venv/bin/python scripts/train_zdicts.py --db STORE [--out summitwatch/store/zdict]

Run once, offline, on a store built from ``../shared/corpus`` (seeds + dev tarball); the outputs are
committed as package data and never trained at run time. The sample is deterministic (every k-th
row by rowid), so the same store gives the same dictionaries. Why dictionaries: an article row or a
page is a few kilobytes, too little for zstd to learn the recurring JSON keys, site boilerplate and
common phrases on its own; a dictionary trained on the corpus gives them up front (blocks about
0.8x, figures about 0.55x, raw pages about 0.7x the size of plain zstd at the same level 3).

A retrained dictionary must get a NEW id (``--article-id``/``--raw-id``) and file name, with the old
file kept: stored frames name their dictionary by id and must keep decoding.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
from pathlib import Path

import zstandard

from summitwatch.model import Figure, Link
from summitwatch.store.codec import (
    ARTICLE_DICT_ID,
    RAW_DICT_ID,
    ZSTD_LEVEL,
    decompress_raw,
    figures_from_column,
    links_from_column,
    stored_figures,
    stored_links,
    unpack_json,
)

OUT = Path(__file__).resolve().parents[1] / "summitwatch" / "store" / "zdict"


def _every(conn: sqlite3.Connection, table: str, n: int) -> list[int]:
    rowids = [r[0] for r in conn.execute(f"SELECT rowid FROM {table} ORDER BY rowid")]  # noqa: S608 (fixed names)
    step = max(1, len(rowids) // n)
    return rowids[::step][:n]


def article_samples(conn: sqlite3.Connection, n: int) -> list[bytes]:
    """The JSON of ``blocks``, ``figures`` and ``links`` of n articles, as ``codec.article_row`` packs them."""
    out: list[bytes] = []
    for rid in _every(conn, "articles", n):
        blocks, figures, links = conn.execute(
            "SELECT blocks, figures, links FROM articles WHERE rowid = ?", (rid,)
        ).fetchone()
        figs = stored_figures(Figure(**f) for f in figures_from_column(figures))
        lks = stored_links(Link(**x) for x in links_from_column(links))
        for value in (unpack_json(blocks, []), figs, lks):
            if value:
                out.append(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return out


def raw_samples(conn: sqlite3.Connection, n: int) -> list[bytes]:
    """The raw bytes of n stored sources."""
    return [
        decompress_raw(conn.execute("SELECT raw FROM sources WHERE rowid = ?", (rid,)).fetchone()[0])
        for rid in _every(conn, "sources", n)
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, required=True, help="A store of the dev corpus (opened read only).")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--size-kb", type=int, default=256, help="Size of each dictionary.")
    ap.add_argument("--samples", type=int, default=6000, help="Rows sampled per dictionary.")
    ap.add_argument("--article-id", type=int, default=ARTICLE_DICT_ID)
    ap.add_argument("--raw-id", type=int, default=RAW_DICT_ID)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    conn.row_factory = None
    for name, dict_id, samples in (
        ("article", args.article_id, article_samples(conn, args.samples)),
        ("raw", args.raw_id, raw_samples(conn, args.samples)),
    ):
        d = zstandard.train_dictionary(args.size_kb * 1024, samples, dict_id=dict_id, level=ZSTD_LEVEL)
        path = args.out / f"{name}-{dict_id:08x}.zdict"
        path.write_bytes(d.as_bytes())
        print(f"{path}: {len(d.as_bytes()):,} bytes, id {dict_id:#x}, {len(samples):,} samples")


if __name__ == "__main__":
    main()
