#!/bin/sh
# Screening at scale: a generated corpus of PERSONS persons (default 1,000,000) and 2,500 queries in
# the development set's format, run through `niemtin screen-eval` on one thread (index build time,
# RSS, recall, latency), then PostgreSQL's pg_trgm on the same corpus and a sample of the same
# queries (every SAMPLE-th, default 10: pg_trgm takes about a second a query at this size), side by
# side with niemtin on that same sample.
# usage: bench/screen.sh [BIN] [PERSONS]   (env: SAMPLE=10 SEED=7 KEEP=1 to keep the corpus)
set -eu
BIN=${1:-build/release/niemtin}
PERSONS=${2:-1000000}
SAMPLE=${SAMPLE:-10}
SEED=${SEED:-7}
cd "$(dirname "$0")/.."
DEV=../shared/data/names-dev
dir=$(mktemp -d /tmp/niemtin-screen.XXXXXX)
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$dir"' EXIT

echo "generating $PERSONS persons and 2,500 queries (seed $SEED) in $dir"
python3 bench/gen_screen.py "$DEV/persons.jsonl" "$dir" --persons "$PERSONS" --queries 2500 --seed "$SEED"
awk -v k="$SAMPLE" '(NR - 1) % k == 0' "$dir/queries.jsonl" > "$dir/sample.jsonl"

echo
echo "== niemtin screen-eval, all 2,500 queries, one thread"
/usr/bin/time -f "wall %e s, peak RSS %M KiB" "$BIN" screen-eval "$dir/persons.jsonl" "$dir/queries.jsonl"
echo
echo "== niemtin screen-eval, the sample of $(wc -l < "$dir/sample.jsonl") queries"
"$BIN" screen-eval "$dir/persons.jsonl" "$dir/sample.jsonl" | tail -4
echo
echo "== PostgreSQL pg_trgm, GIN index, top 10 by similarity, the same sample"
/usr/bin/python3 bench/screen_pg.py "$dir/persons.jsonl" "$dir/sample.jsonl"
