#!/bin/sh
# The transparency log in process (bench/log_store.c) on three fresh databases: appending N
# entries in batches, loading the log at start, inclusion proofs, and `log verify`.
# usage: bench/log.sh [BIN_DIR] [N]   (default build/release, 1000000)
set -eu
DIR=${1:-build/release}
N=${2:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
for d in rows log base; do
    mkdir "$work/$d"
    "$DIR/niemtin" init --db "$work/$d/niemtin.db" >/dev/null
done
"$DIR/bench_log_store" "$work/rows/niemtin.db" "$work/log/niemtin.db" "$work/base/niemtin.db" "$N" 1000
echo "the same check with the command line: niemtin log verify on the $N-entry database"
/usr/bin/time -f "  %e s elapsed, %M KiB peak RSS" "$DIR/niemtin" log verify --db "$work/rows/niemtin.db" | tail -n 1
