#!/usr/bin/env bash
# Creates .venv (if missing) and installs summitwatch with everything it needs, from the package registry.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[dev,scale]'
# Browser tests (tests/interfaces/test_browser.py) drive Debian's chromium through Playwright; no
# browser is ever downloaded by Playwright. Install it (and a CJK font, so pages and screenshots show
# Chinese) with apt, only where apt works and chromium is missing.
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; fi
  if $SUDO apt-get update -qq >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null 2>&1 \
      || echo "setup: could not install chromium with apt; browser tests will skip (fail under CI=true)" >&2
  else
    echo "setup: apt-get is not usable here; browser tests will skip (fail under CI=true)" >&2
  fi
fi
