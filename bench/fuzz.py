"""Fuzz the parsers for a bounded time and report what happened.

    .venv/bin/python bench/fuzz.py --seconds 120            # hypothesis (always available)
    .venv/bin/python bench/fuzz.py --seconds 120 --atheris  # coverage-guided, if atheris is installed

Why both: hypothesis generates structured inputs (mutated real seeds and HTML pages, random HTML
with hostile attributes, broken front matter, feeds; see tests/scale/fuzz_strategies.py) and runs
everywhere; atheris (libFuzzer) explores byte-level paths by coverage but needs a compiled wheel.

Each input goes through what a pool worker does: split (feeds/WARC) then ``run.worker.work_one``
(parse, compress, title key) in a supervised worker process under the per-record budget
(``--record-timeout``). A finding is an exception escaping, a
result that is neither an article nor a quarantine, a ``parse-error`` quarantine (the parser's
catch-all: a bug), or a ``timeout`` quarantine (a record slower than the limit). Findings are
written to ``--out`` (default /tmp/summitwatch-fuzz/) as reproducer files, and summarised.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "scale"))

from summitwatch.model import Quarantined, RawDoc  # noqa: E402
from summitwatch.run.pool import DEFAULT_RECORD_TIMEOUT_S, SupervisedPool  # noqa: E402
from summitwatch.run.worker import Task, init_worker, parse_failed, work_one  # noqa: E402
from summitwatch.sources.walk import _load_splitter, split_leaf  # noqa: E402

FINDING_REASONS = ("parse-error", "timeout")


class Fuzzer:
    """Runs one record at a time through split + the worker function and files the outcome."""

    def __init__(self, out: Path, record_timeout: float = DEFAULT_RECORD_TIMEOUT_S) -> None:
        init_worker(None)
        self.pool = SupervisedPool(1, budget=record_timeout)
        self.splitter = _load_splitter()
        self.out = out
        self.outcomes: Counter[str] = Counter()
        self.findings: dict[str, str] = {}  # reproducer file -> what happened
        self.n = 0

    def _save(self, raw: RawDoc, what: str) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha256(raw.data).hexdigest()[:16] + "-" + Path(raw.source).name
        (self.out / name).write_bytes(raw.data)
        self.findings[name] = what[:300]

    def one(self, raw: RawDoc) -> None:
        self.n += 1
        try:
            for rec in split_leaf(raw, self.splitter):
                if isinstance(rec, Quarantined):
                    self.outcomes[f"split:{rec.reason}"] += 1
                    continue
                (res,) = self.pool.run(work_one, parse_failed, [Task("fuzz", rec, "0" * 64, None)])
                if (res.quarantined is None) == (res.row is None):
                    self._save(rec, "result is neither an article nor a quarantine")
                    self.outcomes["BAD-RESULT"] += 1
                elif res.quarantined is not None:
                    reason = res.quarantined.reason
                    self.outcomes[reason] += 1
                    if reason in FINDING_REASONS:
                        self._save(rec, f"{reason}: {res.quarantined.detail}")
                else:
                    self.outcomes["article"] += 1
        except Exception as exc:  # an exception escaping the worker function: the worst finding
            self.outcomes["EXCEPTION"] += 1
            self._save(raw, "".join(traceback.format_exception_only(type(exc), exc)))

    def report(self, elapsed: float, engine: str) -> None:
        print(
            f"engine: {engine}; inputs: {self.n:,} in {elapsed:.0f} s ({self.n / max(elapsed, 1e-9):.0f}/s)"
        )
        for k, v in self.outcomes.most_common():
            print(f"  {k:<28} {v:>8,}")
        if self.findings:
            print(f"findings ({len(self.findings)}; reproducers in {self.out}):")
            for name, what in sorted(self.findings.items()):
                print(f"  {name}: {what.splitlines()[0] if what else ''}")
        else:
            print("findings: none")


def run_hypothesis(fz: Fuzzer, seconds: float) -> None:
    from fuzz_strategies import records
    from hypothesis import HealthCheck, given, settings

    end = time.monotonic() + seconds

    @settings(deadline=None, database=None, suppress_health_check=list(HealthCheck), max_examples=10**9)
    @given(records())
    def check(raw: RawDoc) -> None:
        if time.monotonic() > end:
            raise _Done
        fz.one(raw)

    try:
        check()
    except _Done:
        pass


class _Done(Exception):  # noqa: N818 - a control-flow signal, not an error
    pass


def run_atheris(fz: Fuzzer, seconds: float) -> None:
    import atheris  # type: ignore[import-not-found]
    from fuzz_strategies import REAL

    names = ["a.md", "a.html", "a.xml", "a.txt"]
    clock: list[float] = []  # the budget starts with the first input (instrumenting takes a while)

    def target(data: bytes) -> None:
        if not clock:
            clock.append(time.monotonic())
        t0 = clock[0]
        if time.monotonic() > t0 + seconds:  # libFuzzer exits from C (no atexit): report and leave here
            fz.report(time.monotonic() - t0, "atheris (coverage-guided)")
            sys.stdout.flush()
            os._exit(1 if fz.outcomes["EXCEPTION"] or fz.outcomes["BAD-RESULT"] else 0)
        if not data:
            return
        fz.one(RawDoc(names[data[0] % len(names)], data[1:]))

    corpus = fz.out / "atheris-corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for i, b in enumerate(REAL):
        (corpus / f"seed{i}").write_bytes(bytes([i % len(names)]) + b)
    atheris.instrument_all()  # coverage feedback for every loaded Python function (parsers included)
    atheris.Setup(
        [sys.argv[0], f"-max_total_time={int(seconds) + 600}", "-rss_limit_mb=2048", str(corpus)], target
    )
    atheris.Fuzz()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument(
        "--atheris", action="store_true", help="coverage-guided with atheris (pip install atheris)"
    )
    ap.add_argument("--out", type=Path, default=Path("/tmp/summitwatch-fuzz"))
    ap.add_argument("--record-timeout", type=float, default=DEFAULT_RECORD_TIMEOUT_S)
    args = ap.parse_args()
    fz = Fuzzer(args.out, args.record_timeout)
    t0 = time.monotonic()
    if args.atheris:
        try:
            import atheris  # type: ignore[import-not-found]  # noqa: F401
        except ImportError:
            print(
                "atheris is not installed (pip install atheris); falling back to hypothesis", file=sys.stderr
            )
        else:
            run_atheris(fz, args.seconds)  # reports and exits the process itself
            return 0
    run_hypothesis(fz, args.seconds)
    fz.report(time.monotonic() - t0, "hypothesis")
    fz.pool.close()
    return 1 if fz.outcomes["EXCEPTION"] or fz.outcomes["BAD-RESULT"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
