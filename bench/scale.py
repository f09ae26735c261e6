"""Ingest + extract time and peak memory at growing corpus sizes, in-process and on a local Dask cluster.

    .venv/bin/python bench/scale.py                          # 1k, 5k, 10k, 36,674; both engines
    .venv/bin/python bench/scale.py --sizes 1000,5000 --engines local --workers 2

Each measurement is a fresh subprocess ingesting a tmp tar of the first N members of
../shared/corpus/hkcnews-dev.tar.gz (the whole tarball for its full size) into a new store, with
extraction. Peak memory is the largest summed RSS of that subprocess and all its descendants
(pool or Dask worker processes, scheduler, nanny), sampled every 0.2 s with psutil. The growth
column divides each time by the previous size's, beside the size ratio: linear growth keeps them
close. Engines: ``local`` = run/local.py with its process pool; ``dask`` = the same pipeline on a
``LocalCluster`` of ``--workers`` single-threaded worker processes over TCP on loopback (its
start-up, a few seconds, is included).

Figures on a shared 2-core machine are noisy; compare runs made back to back.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARBALL = ROOT / ".." / "shared" / "corpus" / "hkcnews-dev.tar.gz"
FULL = 36_674


def write_subset(out: Path, n: int) -> Path:
    """The first ``n`` file members of the dev tarball as an uncompressed tar."""
    with tarfile.open(TARBALL, "r|gz") as src, tarfile.open(out, "w") as dst:
        k = 0
        for m in src:
            if not m.isfile():
                continue
            fh = src.extractfile(m)
            assert fh is not None
            dst.addfile(m, fh)
            k += 1
            if k >= n:
                break
    return out


def _one(engine: str, inputs: list[str], db: str, workers: int) -> None:
    """Child mode: one ingest, its summary as JSON on stdout."""
    t0 = time.monotonic()
    if engine == "dask":
        from summitwatch.run.dask import ingest_dask

        s = ingest_dask(inputs, db, scheduler=f"local:{workers}", workers=workers, progress=False)
    else:
        from summitwatch.run.local import ingest

        s = ingest(inputs, db, workers=workers, progress=False)
    d = s.to_dict()
    d["wall_s"] = time.monotonic() - t0
    print(json.dumps(d))


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        p = psutil.Process(pid)
        procs = [p, *p.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for q in procs:
        try:
            total += q.memory_info().rss
        except psutil.Error:
            pass
    return total


def measure(engine: str, inputs: list[str], db: Path, workers: int, timeout: float) -> dict:
    proc = subprocess.Popen(
        [sys.executable, __file__, "--one", engine, "--db", str(db), "--workers", str(workers), *inputs],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            stop.wait(0.2)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        return {"failed": f"timeout after {timeout:.0f} s", "peak_mb": peak / 2**20}
    finally:
        stop.set()
        th.join()
    if proc.returncode not in (0,) or not out.strip():
        return {"failed": (err or "no output").strip().splitlines()[-1][:200], "peak_mb": peak / 2**20}
    d = json.loads(out.strip().splitlines()[-1])
    d["peak_mb"] = peak / 2**20
    return d


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=f"1000,5000,10000,{FULL}")
    ap.add_argument("--engines", default="local,dask")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds per measurement")
    ap.add_argument("--json", type=Path, help="also write the rows here")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    ap.add_argument("inputs", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        _one(args.one, args.inputs, args.db, args.workers)
        return 0
    if not TARBALL.exists():
        print(f"needs {TARBALL}", file=sys.stderr)
        return 2
    sizes = [int(s) for s in args.sizes.split(",")]
    engines = args.engines.split(",")
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="sw-scale-") as tmp:
        t = Path(tmp)
        for n in sizes:
            src = str(TARBALL) if n >= FULL else str(write_subset(t / f"dev{n}.tar", n))
            for engine in engines:
                db = t / f"{engine}-{n}.db"
                d = measure(engine, [src], db, args.workers, args.timeout)
                row = {"engine": engine, "size": n, **d}
                rows.append(row)
                db.unlink(missing_ok=True)
                for suffix in ("-wal", "-shm"):
                    Path(f"{db}{suffix}").unlink(missing_ok=True)
                _print_row(row, rows)
    print()
    _print_table(rows, engines)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


def _print_row(row: dict, rows: list[dict]) -> None:
    if "failed" in row and row["failed"]:
        print(f"{row['engine']:>6} {row['size']:>7,}: FAILED {row['failed']}", flush=True)
        return
    print(
        f"{row['engine']:>6} {row['size']:>7,}: {row['wall_s']:7.1f} s, {row['files']:,} files, "
        f"{row['extracted']:,} extracted, peak {row['peak_mb']:,.0f} MB",
        flush=True,
    )


def _print_table(rows: list[dict], engines: list[str]) -> None:
    print(
        f"{'engine':>6} {'articles':>8} {'time s':>8} {'art/s':>7} {'peak MB':>8} {'size x':>7} {'time x':>7}"
    )
    for engine in engines:
        prev = None
        for r in (r for r in rows if r["engine"] == engine):
            if r.get("failed"):
                print(f"{engine:>6} {r['size']:>8,} {'FAILED':>8}  {r['failed'][:60]}")
                continue
            t = r["wall_s"]
            growth = (
                f"{r['size'] / prev['size']:7.1f} {t / prev['wall_s']:7.1f}" if prev else f"{'':>7} {'':>7}"
            )
            print(f"{engine:>6} {r['size']:>8,} {t:8.1f} {r['size'] / t:7.0f} {r['peak_mb']:8,.0f} {growth}")
            prev = r


if __name__ == "__main__":
    raise SystemExit(main())
