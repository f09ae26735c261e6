#!/usr/bin/env bash
# The main job on a fresh machine: set up, ingest a corpus, build the timeline, print what was found,
# then serve the web UI on the embedded SQLite database.
#   bash scripts/run.sh                 # ../shared corpus when present, else the bundled seed fixtures
#   DB=my.db PORT=8001 bash scripts/run.sh
#   NO_SERVE=1 bash scripts/run.sh      # stop after printing (no web server)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
SW=.venv/bin/summitwatch
DB=${DB:-summitwatch.db}
PORT=${PORT:-8000}
HOST=${HOST:-127.0.0.1}

inputs=()
if [ -d ../shared/corpus/seeds ]; then
  inputs+=(../shared/corpus/seeds)
  [ -f ../shared/corpus/hkcnews-dev.tar.gz ] && inputs+=(../shared/corpus/hkcnews-dev.tar.gz)
else
  inputs+=(tests/fixtures/seeds)
fi

echo "== ingesting: ${inputs[*]} -> $DB"
set +e
"$SW" ingest "${inputs[@]}" --db "$DB"
rc=$?
set -e
# exit 3 = finished with some records quarantined (not an error); anything else is a failure
if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
  echo "ingest failed (exit $rc)" >&2
  exit "$rc"
fi

echo "== corpus"
"$SW" stats --db "$DB"
echo "== timeline"
"$SW" timeline --db "$DB"

if [ -z "${NO_SERVE:-}" ]; then
  echo "== serving the web UI at http://$HOST:$PORT/ (Ctrl-C to stop)"
  exec "$SW" serve --db "$DB" --host "$HOST" --port "$PORT"
fi
