"""Search index build time and query latency (p50/p95) over 50 fixed queries, in-process and via the API.

Works on a *copy* of the database (SQLite backup API), so the user's store is left as it was:
the copy's search tables are dropped, the full index build is timed, then a no-op incremental
update, then each query runs ``--rounds`` times in-process (``store.query.search.search``, 20 hits with
snippets, the work ``summitwatch search`` does) and through the HTTP API (``GET /api/search`` on the
real app under uvicorn on 127.0.0.1, one keep-alive httpx client: HTTP, routing, validation and
JSON included). Targets: p95 < 10 ms in-process,
< 20 ms through the API.

Usage: ``.venv/bin/python bench/search.py --db news.db [--rounds 5] [--json]``
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from summitwatch.store.db import connect  # noqa: E402
from summitwatch.store.index import update_search_index  # noqa: E402
from summitwatch.store.query.search import SearchFilters, search  # noqa: E402

#: 50 fixed queries: names in both scripts, two-character names, words a segmenter does not know,
#: phrases, several terms, exclusions, Latin words, and a few with filters.
QUERIES: list[tuple[str, dict[str, object]]] = [
    ("習近平", {}),
    ("习近平", {}),
    ("拜登", {}),
    ("王毅", {}),
    ("特朗普", {}),
    ("川普", {}),
    ("蓬佩奧", {}),
    ("蓬佩奥", {}),
    ("布林肯", {}),
    ("楊潔篪", {}),
    ("杨洁篪", {}),
    ("劉鶴", {}),
    ("刘鹤", {}),
    ("李克強", {}),
    ("奧巴馬", {}),
    ("彭斯", {}),
    ("姆努欽", {}),
    ("萊特希澤", {}),
    ("蘇利文", {}),
    ("沙利文", {}),
    ("拜習會", {}),
    ("特習會", {}),
    ("中美貿易戰", {}),
    ("貿易談判", {}),
    ("通電話", {}),
    ("視像會議", {}),
    ("會晤", {}),
    ("峰會", {}),
    ('"美國總統"', {}),
    ('"國家主席習近平"', {}),
    ("「一個中國」", {}),
    ("拜登 台灣", {}),
    ("習近平 特朗普 G20", {}),
    ("王毅 蓬佩奧 會面", {}),
    ("楊潔篪 布林肯 安克雷奇", {}),
    ("貿易 -關稅", {}),
    ("關稅", {}),
    ("華為", {}),
    ("新冠 疫苗", {}),
    ("G20", {}),
    ("APEC", {}),
    ("Trump", {}),
    ("香港 國安法", {}),
    ("南海", {}),
    ("台灣", {}),
    ("習近平", {"outlet": "眾新聞"}),
    ("特朗普", {"since": "2020-01-01", "until": "2020-12-31"}),
    ("習近平", {"person": "Donald Trump"}),
    ("會面", {"has_engagement": True}),
    ("貿易", {"topic": "trade"}),
]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def summary(ms: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(pct(ms, 50), 2),
        "p95_ms": round(pct(ms, 95), 2),
        "max_ms": round(max(ms), 2),
        "mean_ms": round(statistics.mean(ms), 2),
    }


@contextlib.contextmanager
def serving(db: Path) -> Iterator[str]:
    """The real app under uvicorn on 127.0.0.1 (an ephemeral port) in a background thread."""
    import socket

    import uvicorn

    from summitwatch.api import create_app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="an ingested summitwatch database (left unchanged)")
    ap.add_argument("--rounds", type=int, default=5, help="timed runs of each query")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON only")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="sw-bench-search-") as tmp:
        copy = Path(tmp) / "bench.db"
        t = time.perf_counter()
        src = sqlite3.connect(f"file:{Path(args.db).resolve()}?mode=ro", uri=True)
        dst = sqlite3.connect(copy)
        src.backup(dst)
        src.close()
        dst.execute("DROP TABLE IF EXISTS search_fts")
        dst.execute("DROP TABLE IF EXISTS search_docs")
        dst.commit()
        dst.close()
        copy_s = time.perf_counter() - t

        conn = connect(copy)
        n_articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        t = time.perf_counter()
        indexed = update_search_index(conn)
        build_s = time.perf_counter() - t
        t = time.perf_counter()
        again = update_search_index(conn)
        noop_ms = (time.perf_counter() - t) * 1000
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db_mb = copy.stat().st_size / 1e6
        fts_pages = conn.execute("SELECT count(*) FROM search_fts_data").fetchone()[0]

        totals: dict[str, int] = {}
        for q, f in QUERIES:  # warm-up, and hit counts for the record
            totals[f"{q} {f}" if f else q] = search(conn, q, SearchFilters(**f)).total  # type: ignore[arg-type]
        inproc: list[float] = []
        cpu: list[float] = []  # CPU time of this thread: what a query costs, whatever else runs
        for _ in range(args.rounds):
            for q, f in QUERIES:
                t, c = time.perf_counter(), time.thread_time()
                search(conn, q, SearchFilters(**f), limit=20)  # type: ignore[arg-type]
                cpu.append((time.thread_time() - c) * 1000)
                inproc.append((time.perf_counter() - t) * 1000)

        api: list[float] = []
        with serving(copy) as base, httpx.Client(base_url=base, timeout=60) as client:
            for q, f in QUERIES:
                client.get("/api/search", params={"q": q, **f})
            for _ in range(args.rounds):
                for q, f in QUERIES:
                    t = time.perf_counter()
                    r = client.get("/api/search", params={"q": q, **f})
                    api.append((time.perf_counter() - t) * 1000)
                    assert r.status_code == 200, r.text
        conn.close()

    result = {
        "machine": f"{platform.machine()} {os.cpu_count()} cpu, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}",
        "articles": n_articles,
        "indexed": indexed,
        "index_build_s": round(build_s, 1),
        "articles_per_s": round(indexed / build_s) if build_s else None,
        "noop_update_ms": round(noop_ms, 1),
        "incremental_noop_indexed": again,
        "db_copy_s": round(copy_s, 1),
        "db_mb_with_index": round(db_mb, 1),
        "fts_data_blocks": fts_pages,
        "queries": len(QUERIES),
        "rounds": args.rounds,
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "in_process": summary(inproc),
        "in_process_cpu": summary(cpu),
        "api_uvicorn_http": summary(api),
        "targets_met": {"in_process_p95_lt_10ms": pct(inproc, 95) < 10, "api_p95_lt_20ms": pct(api, 95) < 20},
        "hits": totals,
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    hits = result.pop("hits")
    for k, v in result.items():
        print(f"{k:>26}: {v}")
    print("hits per query:", ", ".join(f"{k}={v}" for k, v in hits.items()))  # type: ignore[union-attr]


if __name__ == "__main__":
    main()
