#!/bin/sh
# Writes under load (docs/PERFORMANCE.md, "Writes: group commit, mixed load, a bounded WAL"):
#  1. small logged writes (a platform attesting an account) at 32 connections, against the same
#     writes one at a time on one connection as the baseline, in the same run (wrk, bench/attest.lua);
#  2. a mixed load at fixed rates, 85 % checks and 15 % logged writes (bench_mixed: latencies from
#     when each request was due), MIXED_SECS each, at each rate of RATES;
#  3. writes at full speed for SUSTAIN_SECS (600 = ten minutes) with the WAL's size and the
#     server's RSS sampled every 10 s.
# The writes attach accounts to PERSONS persons imported first (bench/gen_persons.py), a few each,
# as a registry's would be: not all to the demo's 2,000.
# usage: bench/writes.sh [BIN]   (env: SECS=10 MIXED_SECS=60 RATES="4000 6000 8000" SUSTAIN_SECS=600 PERSONS=200000)
set -eu
BIN=${1:-build/release/niemtin}
MIXED=$(dirname "$BIN")/bench_mixed
MIXED_SECS=${MIXED_SECS:-60}
RATES=${RATES:-"4000 6000 8000"}
SUSTAIN_SECS=${SUSTAIN_SECS:-600}
PERSONS=${PERSONS:-200000}
export PERSONS
. "$(dirname "$0")/lib.sh"
python3 "$(dirname "$0")/gen_persons.py" "$PERSONS" > "$work/persons.jsonl"
"$BIN" init --db "$work/niemtin.db" >/dev/null
"$BIN" person import "$work/persons.jsonl" --db "$work/niemtin.db" >/dev/null
start_niemtin
LUA="$(dirname "$0")/attest.lua"
attest() { # CONNS THREADS RUN
    KEY=$NIEMTIN_PLATFORM_KEY RUN=$3 wrk -t"$2" -c"$1" -d"${SECS}s" -s "$LUA" "http://127.0.0.1:$NT_PORT/" > "$work/attest.txt"
    grep -q "Non-2xx" "$work/attest.txt" && { cat "$work/attest.txt" >&2; echo "errors" >&2; exit 1; }
    awk '/Requests\/sec/ {print $2}' "$work/attest.txt"
}
echo "1. attestations (POST /v1/accounts, logged), ${SECS}s each, alternated, median of $RUNS:"
: > "$work/one.txt"
: > "$work/many.txt"
for i in $(seq "$RUNS"); do
    attest 1 1 "one$i" >> "$work/one.txt"
    attest 32 2 "many$i" >> "$work/many.txt"
done
one=$(median < "$work/one.txt")
many=$(median < "$work/many.txt")
echo "   one at a time: $(tr '\n' ' ' < "$work/one.txt")-> $one/s"
echo "   32 connections (group commit): $(tr '\n' ' ' < "$work/many.txt")-> $many/s"
awk -v a="$many" -v b="$one" 'BEGIN {printf "   ratio %.2f\n", a / b}'

echo "2. mixed load, 85 % checks / 15 % attestations, ${MIXED_SECS}s at each rate:"
for r in $RATES; do
    "$MIXED" "$NT_PORT" "$NIEMTIN_PLATFORM_KEY" "$r" "$MIXED_SECS" 0.15 64 "mx$r" "$PERSONS" | sed 's/^/   /' || true
done

[ "$SUSTAIN_SECS" -gt 0 ] || exit 0
echo "3. writes at full speed (32 connections) for ${SUSTAIN_SECS}s: WAL size and RSS every 10 s"
KEY=$NIEMTIN_PLATFORM_KEY RUN=sustain wrk -t2 -c32 -d"${SUSTAIN_SECS}s" -s "$LUA" "http://127.0.0.1:$NT_PORT/" > "$work/sustain.txt" &
WRK_PID=$!
t=0
maxwal=0
while kill -0 "$WRK_PID" 2>/dev/null; do
    sleep 10
    t=$((t + 10))
    wal=$(stat -c %s "$work/niemtin.db-wal" 2>/dev/null || echo 0)
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$NT_PID/status")
    [ "$wal" -gt "$maxwal" ] && maxwal=$wal
    echo "   ${t}s: WAL $((wal / 1048576)) MiB, RSS $((rss / 1024)) MiB"
done
wait "$WRK_PID" || true
grep -E "Requests/sec|Non-2xx" "$work/sustain.txt" | sed 's/^/   /'
echo "   largest WAL seen: $((maxwal / 1048576)) MiB; database $(($(stat -c %s "$work/niemtin.db") / 1048576)) MiB"
