#!/bin/sh
# Soak: a mixed load — checks 80 %, screening 5 %, writes 5 %, log tiles 10 % — at half the
# measured maximum for SOAK_SECS (600: ten minutes), with the server's RSS sampled every 10 s and
# each kind's p99 reported minute by minute. Passes when nothing failed and the last minute's RSS is
# within 5 % of the second's. The writes are reports (POST /v1/reports): rows on disk only, so that
# a growing RSS means a leak and not data — a logged write adds its entry to the log's tree in
# memory, and a new account its handle to the check's index, by design.
#  1. PERSONS persons imported (bench/gen_persons.py) and the demo, a server started;
#  2. 500 writes first, so the log has a full tile to serve;
#  3. the maximum: the same mix offered at OVER requests/s for 15 s, the rate it managed measured;
#  4. the soak at half that rate.
# usage: bench/soak.sh [BIN]   (env: SOAK_SECS=600 PERSONS=200000 OVER=40000)
set -eu
BIN=${1:-build/release/niemtin}
MIXED=$(dirname "$BIN")/bench_mixed
SOAK_SECS=${SOAK_SECS:-600}
PERSONS=${PERSONS:-200000}
OVER=${OVER:-40000}
. "$(dirname "$0")/lib.sh"
python3 "$(dirname "$0")/gen_persons.py" "$PERSONS" > "$work/persons.jsonl"
"$BIN" init --db "$work/niemtin.db" >/dev/null
"$BIN" person import "$work/persons.jsonl" --db "$work/niemtin.db" --quiet >/dev/null
start_niemtin
K=$NIEMTIN_PLATFORM_KEY
"$MIXED" "$NT_PORT" "$K" 500 1 1 8 warm "$PERSONS" >/dev/null
echo "1. the maximum: the mix offered at $OVER/s for 15 s"
"$MIXED" "$NT_PORT" "$K" "$OVER" 15 0.05 64 over "$PERSONS" 0.05 0.10 0 reports > "$work/over.txt" || true
sed 's/^/   /' "$work/over.txt"
max=$(awk '/requests in/ {gsub(/[()\/s]/, "", $NF); print $NF}' "$work/over.txt")
half=$(awk -v m="$max" 'BEGIN {printf "%d", m / 2}')
echo "   maximum managed: $max/s; the soak runs at $half/s"
echo "2. the soak: $half/s for ${SOAK_SECS}s; RSS every 10 s"
"$MIXED" "$NT_PORT" "$K" "$half" "$SOAK_SECS" 0.05 64 soak "$PERSONS" 0.05 0.10 60 reports > "$work/soak.txt" &
MIX_PID=$!
t=0
: > "$work/rss.txt"
while kill -0 "$MIX_PID" 2>/dev/null; do
    sleep 10
    t=$((t + 10))
    echo "$t $(awk '/VmRSS/ {print $2}' "/proc/$NT_PID/status")" >> "$work/rss.txt"
done
status=0
wait "$MIX_PID" || status=$?
sed 's/^/   /' "$work/soak.txt"
echo "   RSS (MiB) every 10 s: $(awk '{printf "%d ", $2 / 1024}' "$work/rss.txt")"
# The second minute's and the last minute's mean RSS.
awk -v end="$SOAK_SECS" '$1 > 60 && $1 <= 120 {a += $2; na++} $1 > end - 60 && $1 <= end {b += $2; nb++}
     END {x = a / na; y = b / nb; d = (y - x) / x * 100;
          printf "   RSS: second minute %.1f MiB, last minute %.1f MiB: %+.1f %% (target within 5 %%)\n", x / 1024, y / 1024, d;
          exit (d > 5 || d < -5)}' "$work/rss.txt" || status=1
[ "$status" = 0 ] && echo "   soak: passed" || echo "   soak: FAILED (errors or RSS growth, above)"
exit "$status"
