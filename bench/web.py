"""Web/API speed and readiness on a store: the figures of issue 14 "Speed and readiness".

Starts ``summitwatch serve`` on the given store in a subprocess (loopback only, a free port), then
measures, with sequential requests over one keep-alive client:

  ready         seconds from process start until ``GET /`` answers 200
  first search  the first ``/api/search`` after ready (cold caches)
  p50/p95       per route, over ``--rounds`` requests each: search (API), search page, engagement
                page, ``/api/timeline``, home, ``/people``, ``/corpus``, article page
  memory        the server's resident set after ``--mixed`` mixed requests (all routes in turn)
  store size    the database file against the compressed corpus (``--corpus``, default the dev tarball)

Every loop is bounded (``--rounds``, ``--mixed``, a 60 s readiness limit, a 30 s per-request
timeout); the server is stopped at the end whatever happens. Targets are printed beside figures.

Usage: ``.venv/bin/python bench/web.py --db /tmp/dev.db [--rounds 40] [--mixed 1000] [--json]``
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parents[1]
DEV_TARBALL = ROOT / ".." / "shared" / "corpus" / "hkcnews-dev.tar.gz"

#: Search queries: names in both scripts, two-character names, unknown words, phrases, several
#: terms, an exclusion, a Latin word, one single character, filters and date order.
QUERIES = (
    "q=習近平",
    "q=习近平",
    "q=拜登",
    "q=王毅",
    "q=美國",
    "q=特朗普",
    "q=布林肯",
    "q=楊潔篪",
    "q=拜習會",
    "q=中美會談",
    "q=貿易談判",
    "q=通電話",
    "q=%22美國總統%22",
    "q=拜登 台灣",
    "q=習近平 特朗普 G20",
    "q=貿易 -關稅",
    "q=APEC",
    "q=美",
    "q=習近平&sort=date",
    "q=峰會&since=2019&until=2020",
    "q=會晤&person=Wang Yi",
    "q=習近平&include_duplicates=true",
)

#: name -> (target p95 in ms or None, description)
TARGETS: dict[str, float | None] = {
    "search (API)": 15,
    "search page": None,
    "engagement page": 15,
    "/api/timeline": 30,
    "home": 50,
    "/people": 50,
    "/corpus": None,
    "article page": None,
}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_mb(pid: int) -> float:
    """Resident set of a process (Linux /proc), in MB; 0 when unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def _timed(client: httpx.Client, url: str) -> float:
    """Milliseconds for one GET (body read); a non-200 answer stops the benchmark."""
    t = time.perf_counter()
    r = client.get(url)
    ms = (time.perf_counter() - t) * 1000
    if r.status_code != 200:
        raise SystemExit(f"GET {url} -> {r.status_code}: {r.text[:300]}")
    return ms


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, required=True, help="A store built by `summitwatch ingest` (read only here).")
    ap.add_argument("--corpus", type=Path, default=DEV_TARBALL, help="Compressed corpus the store was built from.")
    ap.add_argument("--rounds", type=int, default=40, help="Requests per route for the percentiles.")
    ap.add_argument("--mixed", type=int, default=1000, help="Mixed requests before reading the server's memory.")
    ap.add_argument("--json", action="store_true", help="Print the figures as one JSON object.")
    args = ap.parse_args()
    if not args.db.exists():
        raise SystemExit(f"no store at {args.db}")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SUMMITWATCH_USER", None)
    t0 = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "summitwatch", "serve", "--db", str(args.db), "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    out: dict[str, object] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_avg_start": round(os.getloadavg()[0], 1),
    }
    try:
        with httpx.Client(base_url=base, timeout=30.0) as client:
            ready = None
            while time.monotonic() - t0 < 60:
                if server.poll() is not None:
                    raise SystemExit(f"serve exited: {server.stderr.read().decode()[-2000:] if server.stderr else ''}")
                try:
                    if client.get("/").status_code == 200:
                        ready = time.monotonic() - t0
                        break
                except httpx.TransportError:
                    time.sleep(0.05)
            if ready is None:
                raise SystemExit("serve did not answer within 60 s")
            out["ready_s"] = round(ready, 2)
            out["first_search_ms"] = round(_timed(client, "/api/search?q=" + quote("中美關係")), 1)
            out["rss_mb_ready"] = round(_rss_mb(server.pid), 0)

            timeline = client.get("/api/timeline", params={"limit": 50}).json()["items"]
            tl_ids = [t["id"] for t in timeline] or ["none"]
            arts = [a["id"] for a in client.get("/api/articles", params={"limit": 50}).json()["items"]] or ["none"]
            routes: dict[str, Callable[[int], str]] = {
                "search (API)": lambda i: "/api/search?" + QUERIES[i % len(QUERIES)],
                "search page": lambda i: "/search?" + QUERIES[i % len(QUERIES)],
                "engagement page": lambda i: "/engagements/" + quote(tl_ids[i % len(tl_ids)]),
                "/api/timeline": lambda i: "/api/timeline?limit=50&offset=" + str((i % 3) * 50),
                "home": lambda i: "/",
                "/people": lambda i: "/people",
                "/corpus": lambda i: "/corpus",
                "article page": lambda i: "/articles/" + quote(arts[i % len(arts)]),
            }
            figures: dict[str, dict[str, float]] = {}
            for name, url in routes.items():
                _timed(client, url(0))  # warm this route once: the figures are for steady state
                ms = [_timed(client, url(i)) for i in range(args.rounds)]
                figures[name] = {"p50_ms": round(_pct(ms, 50), 1), "p95_ms": round(_pct(ms, 95), 1)}
            out["routes"] = figures
            cycle = itertools.cycle(list(routes.values()))
            for i in range(args.mixed):
                _timed(client, next(cycle)(i))
            out["rss_mb_after_mixed"] = round(_rss_mb(server.pid), 0)
            out["mixed_requests"] = args.mixed
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    size = sum(p.stat().st_size for p in (args.db, Path(f"{args.db}-wal")) if p.exists())
    out["store_mb"] = round(size / 1e6, 0)
    if args.corpus.exists():
        out["corpus_mb"] = round(args.corpus.stat().st_size / 1e6, 1)
        out["store_over_corpus"] = round(size / args.corpus.stat().st_size, 2)
    out["load_avg_end"] = round(os.getloadavg()[0], 1)
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return
    _report(out)


def _mark(value: float, target: float | None) -> str:
    if target is None:
        return ""
    return f"target ≤ {target:g}  {'ok' if value <= target else 'OVER'}"


def _report(out: dict[str, object]) -> None:
    print(f"machine: {out['machine']}; load average {out['load_avg_start']} at start, {out['load_avg_end']} at end")
    print(f"ready after start      {out['ready_s']:8.2f} s    {_mark(float(out['ready_s']), 10)}")  # type: ignore[arg-type]
    print(f"first search           {out['first_search_ms']:8.1f} ms   {_mark(float(out['first_search_ms']), 2000)}")  # type: ignore[arg-type]
    routes = out["routes"]
    assert isinstance(routes, dict)
    for name, f in routes.items():
        print(f"{name:<22} p50 {f['p50_ms']:7.1f} ms  p95 {f['p95_ms']:7.1f} ms   {_mark(f['p95_ms'], TARGETS[name])}")
    print(f"server memory          {out['rss_mb_ready']:8.0f} MB at ready, {out['rss_mb_after_mixed']:.0f} MB after "
          f"{out['mixed_requests']} mixed requests   {_mark(float(out['rss_mb_after_mixed']), 400)}")  # type: ignore[arg-type]  # fmt: skip
    if "store_over_corpus" in out:
        print(f"store size             {out['store_mb']:8.0f} MB = {out['store_over_corpus']}× the "
              f"{out['corpus_mb']} MB corpus   {_mark(float(out['store_over_corpus']), 6)}")  # type: ignore[arg-type]  # fmt: skip
    else:
        print(f"store size             {out['store_mb']:8.0f} MB")


if __name__ == "__main__":
    main()
