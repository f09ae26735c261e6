"""The store as a Parquet dataset, and back: the persistence is ``store/dataset.py``; loading is a
run here because the derived tables (timeline, search index) are rebuilt by the run's steps.

Why a run: a store loaded from Parquet must be as ready as one built by ``ingest`` (``serve`` never
builds anything), and its ``runs`` row says where its content came from.
"""

from __future__ import annotations

from pathlib import Path

from summitwatch.run import steps
from summitwatch.store import db as storedb
from summitwatch.store import write
from summitwatch.store.dataset import MANIFEST, DatasetSummary, load_tables, write_dataset

__all__ = ["MANIFEST", "DatasetSummary", "load_dataset", "write_dataset"]


def load_dataset(in_dir: str | Path, db_path: str | Path) -> DatasetSummary:
    """Build (or update) the SQLite store at ``db_path`` from a dataset written by ``write_dataset``,
    then rebuild its timeline (when content was loaded) and bring its search index up to date."""
    src = Path(in_dir)
    if not (src / MANIFEST).exists():
        raise FileNotFoundError(f"{src} is not a summitwatch dataset (no {MANIFEST})")
    conn = storedb.connect(db_path)
    run_id = write.start_run(conn, [f"parquet:{src}"])
    try:
        summary = load_tables(conn, src)
        if summary.rows.get("engagements") or summary.rows.get("articles"):
            summary.rows["timeline"] = steps.timeline_step(conn, run_id)
        steps.update_search_index(conn)
        write.finish_run(conn, run_id, {"loaded_from": str(src), "rows": summary.rows})
    finally:
        conn.close()
    return summary
