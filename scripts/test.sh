#!/usr/bin/env bash
# Sets up and runs the test suite (the README's test command; .ci/run calls it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check summitwatch tests bench scripts
.venv/bin/python -m pytest -q "$@"
