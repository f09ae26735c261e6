"""Throughput of ``parse_record`` over the whole dev tarball (one core), and quarantine counts.

Reads members with ``tarfile`` in streaming mode; the read/decompress time is measured separately
so the figure is parse time only. Usage: ``.venv/bin/python bench/parse.py [TARBALL]``.
"""

from __future__ import annotations

import collections
import sys
import tarfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from summitwatch.articles.parse import parse_record  # noqa: E402
from summitwatch.model import Quarantined, RawDoc  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "hkcnews-dev.tar.gz"


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    t0 = time.perf_counter()
    raws: list[RawDoc] = []
    with tarfile.open(path, "r|gz") as tar:
        for member in tar:
            if member.isfile():
                f = tar.extractfile(member)
                if f is not None:
                    raws.append(RawDoc(member.name, f.read()))
    read_s = time.perf_counter() - t0
    reasons: collections.Counter[str] = collections.Counter()
    flags: collections.Counter[str] = collections.Counter()
    scripts: collections.Counter[str] = collections.Counter()
    examples: dict[str, str] = {}
    t1 = time.perf_counter()
    c1 = time.process_time()
    for raw in raws:
        out = parse_record(raw)
        if isinstance(out, Quarantined):
            reasons[out.reason] += 1
            examples.setdefault(out.reason, f"{out.source}: {out.detail}")
        else:
            flags.update(out.flags)
            scripts[out.script] += 1
    parse_s = time.perf_counter() - t1
    cpu_s = time.process_time() - c1
    n = len(raws)
    print(
        f"records: {n:,}  read+decompress: {read_s:.1f}s  parse: {parse_s:.1f}s wall, {cpu_s:.1f}s CPU"
        f"  -> {n / parse_s:,.0f} records/s wall, {n / cpu_s:,.0f} records/s per CPU-second (one core)"
    )
    print(f"articles: {n - sum(reasons.values()):,}  quarantined: {sum(reasons.values()):,}")
    for reason, count in reasons.most_common():
        print(f"  {reason:18} {count:6,}   e.g. {examples[reason][:110]}")
    print("flags:", dict(flags.most_common()))
    print("scripts:", dict(scripts.most_common()))


if __name__ == "__main__":
    main()
