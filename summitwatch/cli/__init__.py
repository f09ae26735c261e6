"""Command-line interface: ``summitwatch <command>``.

Each area keeps its commands in its own module; importing them here registers them on ``main``.
"""

from __future__ import annotations

import importlib
import pkgutil

from summitwatch.cli.app import main

for _mod in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _mod != "app":
        importlib.import_module(f"{__name__}.{_mod}")

__all__ = ["main"]
