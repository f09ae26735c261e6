"""Parsers and the walker fuzzed with hypothesis for a bounded time (well under 20 s in all).

Every generated record goes through the worker's own function (``run.worker.work_one``: split is
done before, as the runner does; parse; compress; title key) in a supervised worker process with
the per-record budget, and must come back as exactly one result: an article or a quarantine record. Random and mutated
archives go through the walker, which must never raise. Longer runs: ``bench/fuzz.py``.
"""

from __future__ import annotations

import io
import sys
import tarfile
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzz_strategies import SEED_BYTES, records  # noqa: E402

import summitwatch.run.worker as worker_mod  # noqa: E402
from summitwatch.model import Quarantined, RawDoc  # noqa: E402
from summitwatch.run.local import ingest  # noqa: E402
from summitwatch.run.pool import SupervisedPool  # noqa: E402
from summitwatch.sources.walk import _load_splitter, iter_records, split_leaf  # noqa: E402

PARSE_BUDGET_S = 10.0
WALK_BUDGET_S = 3.0
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # feedparser's own deprecations
FUZZ = settings(deadline=None, database=None, suppress_health_check=list(HealthCheck), derandomize=True)


@pytest.fixture(scope="module")
def worker() -> Iterator[SupervisedPool]:
    """One supervised worker process (parser loaded; no extraction: it is fuzzed elsewhere)."""
    worker_mod.init_worker(None)
    with SupervisedPool(1, budget=30.0) as pool:
        yield pool


def test_fuzzed_records_always_yield_an_article_or_a_quarantine(worker: SupervisedPool) -> None:
    splitter = _load_splitter()
    seen: Counter[str] = Counter()
    parse_errors: list[str] = []
    end = time.monotonic() + PARSE_BUDGET_S

    @settings(FUZZ, max_examples=400)
    @given(records())
    def check(raw: RawDoc) -> None:
        if time.monotonic() > end:  # the time budget is spent: the remaining examples are no-ops
            return
        for rec in split_leaf(raw, splitter):
            if isinstance(rec, Quarantined):
                seen[f"split:{rec.reason}"] += 1
                continue
            task = worker_mod.Task("fuzz", rec, "0" * 64, None)
            (res,) = worker.run(worker_mod.work_one, worker_mod.parse_failed, [task])
            assert res.task == task
            assert (res.quarantined is None) != (res.row is None), "exactly one of article / quarantine"
            if res.quarantined is not None:
                assert res.quarantined.reason and res.quarantined.source == rec.source
                seen[res.quarantined.reason] += 1
                if res.quarantined.reason == "parse-error":
                    parse_errors.append(res.quarantined.detail[:200])
            else:
                assert res.article_id and res.content_hash
                seen["article"] += 1

    check()
    print("fuzz outcomes:", dict(seen.most_common()))
    if parse_errors:  # the parser's own catch-all caught a bug: reported, not hidden
        print(
            f"{len(parse_errors)} parse-error quarantines (parser bugs to report):",
            *sorted(set(parse_errors)),
            sep="\n  ",
        )
    assert seen["article"] > 0 and sum(seen.values()) > 20


def _tar(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for n, d in members.items():
            info = tarfile.TarInfo(n)
            info.size = len(d)
            tf.addfile(info, io.BytesIO(d))
    return buf.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for n, d in members.items():
            zf.writestr(n, d)
    return buf.getvalue()


REAL_ARCHIVES = {
    "a.tar.gz": _tar({f"s{i}.md": b for i, b in enumerate(SEED_BYTES)}),
    "a.zip": _zip({f"s{i}.md": b for i, b in enumerate(SEED_BYTES)}),
}


@st.composite
def archives(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(REAL_ARCHIVES)))
    if draw(st.booleans()):
        return name, draw(st.binary(max_size=2048))
    data = bytearray(REAL_ARCHIVES[name])
    for _ in range(draw(st.integers(1, 8))):
        i = draw(st.integers(0, len(data) - 1))
        if draw(st.booleans()):
            data[i] ^= 1 << draw(st.integers(0, 7))
        else:
            del data[i : i + draw(st.integers(1, 64))]
    if draw(st.booleans()):
        del data[draw(st.integers(0, len(data))) :]
    return name, bytes(data)


def test_fuzzed_archives_never_raise(tmp_path: Path) -> None:
    end = time.monotonic() + WALK_BUDGET_S
    outcomes: Counter[str] = Counter()

    @settings(FUZZ, max_examples=150)
    @given(archives())
    def check(arc: tuple[str, bytes]) -> None:
        if time.monotonic() > end:
            return
        name, data = arc
        p = tmp_path / name
        p.write_bytes(data)
        for r in iter_records(p):
            assert isinstance(r, RawDoc | Quarantined)
            outcomes["leaf" if isinstance(r, RawDoc) else r.reason] += 1

    check()
    print("archive fuzz outcomes:", dict(outcomes.most_common()))
    assert outcomes


def test_a_record_that_parses_too_long_is_quarantined_as_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The per-record budget: a parse stuck in a Python loop has its worker killed, its record is
    quarantined with reason ``timeout``, and the run goes on with the next records."""
    real = worker_mod.parse_record

    def stuck_on_slow(raw: RawDoc):  # noqa: ANN202
        if raw.source.endswith("slow.md"):
            while True:  # a Python-level loop that never ends
                pass
        return real(raw)

    monkeypatch.setattr(worker_mod, "parse_record", stuck_on_slow)
    d = tmp_path / "in"
    d.mkdir()
    (d / "slow.md").write_bytes(SEED_BYTES[0])
    (d / "fine.md").write_bytes(SEED_BYTES[1])
    s = ingest([d], tmp_path / "t.db", workers=0, progress=False, extract=False, record_timeout=1.0)
    assert not s.failed and s.files == 2 and s.stored == 1
    assert dict(s.quarantined) == {"timeout": 1} and s.exit_code == 3
