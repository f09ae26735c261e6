"""Time every text step on ~1 MB adversarial inputs and print a table (issue 13, part 1).

Each (step, input) runs in a forked child with a time limit, so a super-linear step shows up as
``>LIMIT`` instead of stalling the bench. Figures are the child's CPU seconds (the machine is shared,
wall time there measures the neighbours); every figure should be well under a second. Match-dense
inputs (100,000 dates in 1 MB) cost per match, linearly; the others cost per character. A step that
reads what other steps build (``SETUP``: find_quotes reads sentences and mentions) is timed alone,
its arguments built untimed in the child.

Usage: ``nice -n 10 PYTHONPATH=$PWD .venv/bin/python bench/adversarial.py [--limit S] [--step NAME]
[--input NAME]`` (``--step``/``--input`` may repeat and match by substring).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "sources"))

from adversarial_inputs import INPUT_BUILDERS, SETUP, STEPS, adversarial_input  # noqa: E402


def _child(step: str, name: str, conn: mp.connection.Connection) -> None:
    text = adversarial_input(name)
    run, arg = STEPS[step], text
    if step in SETUP:  # a step reading what other steps build: only the step itself is timed
        build, run = SETUP[step]
        arg = build(text)
    t0 = time.process_time()
    run(arg)
    conn.send(time.process_time() - t0)


def time_one(step: str, name: str, limit: float) -> float | None:
    """Seconds one step takes on one input, or None when it ran past ``limit`` (killed)."""
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(step, name, send))
    proc.start()
    got = recv.poll(limit)  # inputs are built in the parent before forking: only the step runs
    if not got:
        proc.kill()
        proc.join()
        return None
    secs = recv.recv()
    proc.join()
    return secs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=float, default=10.0, help="seconds before a step counts as hung")
    ap.add_argument("--step", action="append", default=[])
    ap.add_argument("--input", action="append", default=[])
    args = ap.parse_args()
    steps = [s for s in STEPS if not args.step or any(x in s for x in args.step)]
    inputs = [i for i in INPUT_BUILDERS if not args.input or any(x in i for x in args.input)]
    # build every input once in the parent: children inherit them through fork
    for name in inputs:
        adversarial_input(name)
    # warm the data-file caches once (knowledge, cues, rules) so no figure includes loading them
    for step in steps:
        STEPS[step]("中文 warm-up")
    width = max(len(s) for s in steps)
    print(f"{'step':{width}}  {'worst input':22} {'worst s':>8}  {'total s':>8}  slow (> 1 s)")
    worst_all = 0.0
    for step in steps:
        worst, worst_name, total, slow = 0.0, "", 0.0, []
        for name in inputs:
            secs = time_one(step, name, args.limit)
            if secs is None:
                slow.append(f"{name} >{args.limit:.0f}s")
                worst, worst_name = float("inf"), name
                continue
            total += secs
            if secs > 1.0:
                slow.append(f"{name} {secs:.1f}s")
            if secs > worst:
                worst, worst_name = secs, name
        worst_all = max(worst_all, worst)
        print(f"{step:{width}}  {worst_name:22} {worst:8.3f}  {total:8.2f}  {', '.join(slow)}", flush=True)
    print(f"inputs: {len(inputs)} of ~1 MB (mirror page ~2 MB); worst step on any input: {worst_all:.3f} s")
    if any(s in SETUP for s in steps):
        print(f"timed without building their arguments: {', '.join(s for s in steps if s in SETUP)}")


if __name__ == "__main__":
    main()
