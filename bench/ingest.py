"""Ingest benchmark on the dev tarball: read+decompress floor, ingest speed, peak memory.

    .venv/bin/python bench/ingest.py [--tarball PATH] [--seeds PATH] [--workers 2] [--skip-extract]

Each phase runs in a fresh subprocess so its peak memory (``ru_maxrss`` of the process plus its
largest child) is its own. Phases:
  read      stream the tarball, decompress every member (the floor for any ingest)
  ingest    seeds + tarball into a new store, no extraction
  reingest  the same again on that store (everything unchanged: hash and skip)
  full      seeds + tarball into a new store with extraction and the search index: the budget in
            DEVELOPERS.md (<= 75 s wall, <= 110 CPU-s, peak <= 1 GB). When the run does not update
            the index itself, it is updated here after the run and counted in the same figures.
CPU seconds (user+sys of the process and its children) are printed beside wall time because the
machine may be shared: wall time alone then overstates the cost.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared" / "corpus"


def _usage() -> dict[str, float]:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "cpu_s": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
        "peak_mb_self": me.ru_maxrss / 1024,
        "peak_mb_child": kids.ru_maxrss / 1024,
    }


def _phase(name: str, args: argparse.Namespace) -> dict[str, object]:
    """Run one phase in this process and return its figures."""
    sys.path.insert(0, str(ROOT))
    t0 = time.monotonic()
    out: dict[str, object] = {"phase": name}
    if name == "read":
        import tarfile

        n = size = 0
        with tarfile.open(args.tarball, "r|gz") as tf:
            for m in tf:
                if m.isfile():
                    fh = tf.extractfile(m)
                    size += len(fh.read()) if fh else 0
                    n += 1
        out.update(members=n, bytes=size)
    else:
        from summitwatch.run.local import ingest

        s = ingest(
            [args.seeds, args.tarball], args.db, workers=args.workers, progress=False,
            extract=(name == "full"),
        )  # fmt: skip
        d = s.to_dict()
        if name == "full":
            from summitwatch.store.db import connect
            from summitwatch.store.index import update_search_index

            t = time.monotonic()
            conn = connect(args.db)
            out["indexed"] = update_search_index(conn)  # 0 when the run already brought it up to date
            conn.close()
            out["index_s"] = round(time.monotonic() - t, 2)
            out["store_mb"] = round(sum(p.stat().st_size for p in args.db.parent.glob(args.db.name + "*")) / 1e6)
        out.update(
            files=s.files, parsed=s.parsed, stored=s.stored, quarantined=s.quarantined_total, articles=d["articles"],
            extracted=s.extracted, failed=s.failed, timings=d["timings_s"],
        )  # fmt: skip
    out["wall_s"] = round(time.monotonic() - t0, 2)
    out.update({k: round(v, 1) for k, v in _usage().items()})
    return out


def _spawn(name: str, args: argparse.Namespace, db: Path) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--phase", name, "--tarball", str(args.tarball), "--seeds", str(args.seeds),
           "--workers", str(args.workers), "--db", str(db)]  # fmt: skip
    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tarball", type=Path, default=SHARED / "hkcnews-dev.tar.gz")
    ap.add_argument("--seeds", type=Path, default=SHARED / "seeds")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--skip-extract", action="store_true", help="Leave out the phase with extraction.")
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        print(json.dumps(_phase(args.phase, args)))
        return
    if not args.tarball.exists():
        raise SystemExit(f"no tarball at {args.tarball}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"load average at start {os.getloadavg()[0]:.1f}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        rows = [_spawn("read", args, db), _spawn("ingest", args, db), _spawn("reingest", args, db)]
        if not args.skip_extract:
            rows.append(_spawn("full", args, Path(tmp) / "full.db"))
        db_mb = db.stat().st_size / 1e6
    for r in rows:
        line = (
            f"{r['phase']:>9}: wall {r['wall_s']:6.1f} s  cpu {r['cpu_s']:6.1f} s  "
            f"peak {r['peak_mb_self']:6.0f} MB main + {r['peak_mb_child']:5.0f} MB largest worker"
        )
        if r["phase"] == "read":
            line += f"  ({r['members']:,} members, {int(r['bytes']) / 1e6:.0f} MB expanded)"
        else:
            arts = r["articles"]
            parsed = sum(arts.values()) if isinstance(arts, dict) else 0
            line += f"  {r['files']:,} files ({r['parsed']:,} parsed), "
            line += f"{parsed / max(float(r['wall_s']), 1e-9):,.0f} articles/s"
            line += f"  phases {r['timings']}"
            if r["phase"] == "full":
                line += f"  extracted {r['extracted']:,}; search index after the run {r['index_s']} s"
                line += f" ({r['indexed']:,} articles tokenised there); store {r['store_mb']} MB"
            if r["failed"]:
                line += f"  FAILED: {r['failed']}"
        print(line)
    print(f"store size after ingest: {db_mb:.0f} MB; load average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
