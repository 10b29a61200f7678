#!/bin/sh
# Screening at scale: a generated corpus of PERSONS persons (default 1,000,000) and 4,000 queries in
# the development set's format, with the kinds and hard negatives of bench/gen_screen.py, run through
# `niemtin screen-eval` on one thread RUNS times (index build time, RSS, recall per kind, latency); then
# memory after renaming every person once against the fresh build; then PostgreSQL's pg_trgm on the
# same corpus and a sample of the same queries (every SAMPLE-th, default 16: pg_trgm takes about a
# second a query at this size), side by side with niemtin on that same sample. Also the first 20
# queries after a build, warmed as `niemtin serve` does before it listens, against --cold.
# usage: bench/screen.sh [BIN] [PERSONS]   (env: RUNS=3 SAMPLE=16 SEED=7 PG=0 to skip pg_trgm,
#                                           DIR=path to reuse a corpus, KEEP=1 to keep it)
set -eu
BIN=${1:-build/release/niemtin}
PERSONS=${2:-1000000}
SAMPLE=${SAMPLE:-16}
SEED=${SEED:-7}
RUNS=${RUNS:-3}
cd "$(dirname "$0")/.."
DEV=../shared/data/names-dev
if [ -n "${DIR:-}" ] && [ -s "$DIR/queries.jsonl" ]; then
    dir=$DIR
    echo "reusing the corpus in $dir"
else
    dir=${DIR:-$(mktemp -d /tmp/niemtin-screen.XXXXXX)}
    mkdir -p "$dir"
    [ "${KEEP:-0}" = 1 ] || [ -n "${DIR:-}" ] || trap 'rm -rf "$dir"' EXIT
    echo "generating $PERSONS persons and 4,000 queries (seed $SEED) in $dir"
    python3 bench/gen_screen.py "$DEV/persons.jsonl" "$dir" --persons "$PERSONS" --queries 4000 --seed "$SEED"
fi
awk -v k="$SAMPLE" '(NR - 1) % k == 0' "$dir/queries.jsonl" > "$dir/sample.jsonl"

run=1
while [ "$run" -le "$RUNS" ]; do
    echo
    echo "== niemtin screen-eval, all 4,000 queries, one thread (run $run of $RUNS)"
    /usr/bin/time -f "wall %e s, peak RSS %M KiB" "$BIN" screen-eval "$dir/persons.jsonl" "$dir/queries.jsonl" --quiet
    run=$((run + 1))
done
echo
echo "== memory after renaming every person once (each takes the name of the one before it)"
"$BIN" screen-eval "$dir/persons.jsonl" --renames "$PERSONS" --quiet
echo
echo "== the first 20 queries after a build: warmed as niemtin serve does, against --cold (alternated, twice each)"
head -n 20 "$dir/queries.jsonl" > "$dir/first.jsonl"
: > "$dir/first.txt"
for mode in warm cold warm cold; do
    flag=
    [ "$mode" = cold ] && flag=--cold
    # --slow prints every query's time ("slow QID KIND TEXT: 1.234 ms") on stderr.
    "$BIN" screen-eval "$dir/persons.jsonl" "$dir/first.jsonl" --quiet --slow 0.000001 $flag 2>&1 >/dev/null |
        awk -v m="$mode" '/^slow / { t = $(NF - 1); n++; if (n == 1) first = t; sum += t; if (t > max) max = t }
            END { printf "%s: the first query %.2f ms, the slowest %.2f ms, all %d %.1f ms\n", m, first, max, n, sum }' |
        tee -a "$dir/first.txt"
done
awk '{ f[$1] += $5; a[$1] += $(NF - 1) }
    END { printf "cold / warm: the first query %.1fx, all 20 %.1fx\n", f["cold:"] / f["warm:"], a["cold:"] / a["warm:"] }' "$dir/first.txt"
echo
echo "== niemtin screen-eval, the sample of $(wc -l < "$dir/sample.jsonl") queries"
"$BIN" screen-eval "$dir/persons.jsonl" "$dir/sample.jsonl" --quiet | tail -4
[ "${PG:-1}" = 0 ] && exit 0
echo
echo "== PostgreSQL pg_trgm, GIN index, top 10 by similarity, the same sample"
/usr/bin/python3 bench/screen_pg.py "$dir/persons.jsonl" "$dir/sample.jsonl"
