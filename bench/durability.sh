#!/bin/sh
# Durability trials: N times (default 100), concurrent logged writes (persons and platforms'
# account attestations) against a real server, kill -9 at a random moment, restart; every
# acknowledged write must be there and `niemtin log verify` clean. On SQLite; with PG=1 on a
# PostgreSQL of the tests' own (tests/pg/server.sh). Prints a line per trial and the totals.
# usage: bench/durability.sh [BIN] [N] [SEED]
set -eu
BIN=${1:-build/release/niemtin}
N=${2:-100}
SEED=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
export NIEMTIN_BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
export NT_SOURCE="$here/.."
if [ "${PG:-0}" = 1 ]; then
    work=$(mktemp -d)
    trap '"$here/../tests/pg/server.sh" stop "$work/pg" >/dev/null 2>&1; rm -rf "$work"' EXIT INT TERM
    "$here/../tests/pg/server.sh" start "$work/pg" >/dev/null
    export NT_PG_URL_FILE="$work/pg/url"
fi
cd "$here/../tests/api"
# Debian's python3, which has python3-psycopg2 (scripts/install-deps), when another comes first in PATH
PY=$( [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3 )
"$PY" durability.py "$N" $SEED
