"""Shared fixture for the engagement tests: the package knowledge, loaded once."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def kn() -> Any:
    from summitwatch.knowledge import load_knowledge

    return load_knowledge()
