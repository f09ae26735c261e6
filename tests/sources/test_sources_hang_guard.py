"""Hang guard: every text step returns on every adversarial input (issue 13, part 1).

Not a timing test: the limit (30 s per call) is a generous multiple of what ``bench/adversarial.py``
measures (well under a second); it only catches a step that never returns, as a super-linear regex
does on ~1 MB of whitespace, nesting, table cells or one repeated punctuation mark. Each step runs in
a forked child (a regex running in C cannot be interrupted from its own process), which reports
after each input; the parent kills the child when one call runs past the limit.
"""

from __future__ import annotations

import multiprocessing as mp
import sys
import traceback
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from adversarial_inputs import INPUT_BUILDERS, SETUP, STEPS, adversarial_input  # noqa: E402

LIMIT_S = 30.0
# a quarter of the bench's 1 MB: a quadratic step on 250,000 characters still takes minutes (and a
# cubic one, like the old _NL_GAP, years), so a hang is caught at a quarter of the test's cost
GUARD_SIZE = 250_000

# the explicit list of guarded steps (each a function of one string, see adversarial_inputs.STEPS)
GUARDED = (
    "normalise_html_space",
    "html.normalise_space",
    "clean_markdown_inline",
    "boilerplate",
    "split_sentences",
    "find_dates",
    "find_cn_dates",
    "mentions.scan",
    "meeting_cues",
    "find_quotes",
    "html_to_parts",
    "extract_html",
    "markdown_to_parts",
    "parse_mirror",
    "parse_rss_mirror",
    "parse_record(md)",
    "parse_record(html)",
)


def _run_step(step: str, conn: mp.connection.Connection) -> None:
    fn = STEPS[step]
    for name in INPUT_BUILDERS:
        try:
            fn(adversarial_input(name, GUARD_SIZE))
        except Exception:  # noqa: BLE001 - reported to the parent as a failure, not a hang
            conn.send(("error", name, traceback.format_exc(limit=5)))
            return
        conn.send(("ok", name, ""))


@pytest.fixture(scope="module")
def built_inputs() -> None:
    """Build every input once in the parent, so forked children inherit them and time only the step."""
    for name in INPUT_BUILDERS:
        adversarial_input(name, GUARD_SIZE)
    for step in GUARDED:  # warm data-file caches (knowledge, cues, rules) before forking
        STEPS[step]("中文")


def test_guarded_list_is_explicit_and_complete() -> None:
    assert set(GUARDED) == set(STEPS)
    assert set(SETUP) <= set(STEPS)  # the bench times these steps without their setup


@pytest.mark.parametrize("step", GUARDED)
def test_step_returns_on_every_adversarial_input(step: str, built_inputs: None) -> None:
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_run_step, args=(step, send), daemon=True)
    proc.start()
    try:
        for name in INPUT_BUILDERS:
            if not recv.poll(LIMIT_S):
                pytest.fail(f"{step} did not return within {LIMIT_S:.0f} s on input {name!r}")
            status, got, detail = recv.recv()
            assert status == "ok", f"{step} raised on {got!r}:\n{detail}"
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
