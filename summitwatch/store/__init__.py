"""The store: the only SQL of summitwatch (one SQLite file, WAL mode, versioned schema).

``db`` opens and migrates, ``write`` stores pipeline records, and one query module per area
(``articles``, ``stats``, ``export``, ...) reads them back for the CLI, API and web UI.
"""

from __future__ import annotations

from summitwatch.store.db import SCHEMA_VERSION, StoreError, connect

__all__ = ["SCHEMA_VERSION", "StoreError", "connect"]
