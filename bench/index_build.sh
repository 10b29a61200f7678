#!/bin/sh
# The check index at start with 1,000,000 persons (about 2,000,000 accounts)
# and 50,000 active restrictions: build time (from the server's "index built"
# line) and the server's resident memory once ready (VmRSS, VmHWM).
# The persons go in with `niemtin person import`; the 50,000 cases, decisions
# and sanctions are written straight into the database by bench/seed_restrictions.py
# (through the API they would take hours and measure the write path instead).
# usage: bench/index_build.sh [BIN] [PERSONS] [RESTRICTIONS]
set -eu
BIN=${1:-build/release/niemtin}
N=${2:-1000000}
R=${3:-50000}
work=$(mktemp -d)
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$work"' EXIT INT TERM
python3 "$(dirname "$0")/gen_persons.py" "$N" > "$work/persons.jsonl"
"$BIN" init --db "$work/n.db" >/dev/null
"$BIN" person import "$work/persons.jsonl" --db "$work/n.db" >/dev/null
rm "$work/persons.jsonl"
python3 "$(dirname "$0")/seed_restrictions.py" "$work/n.db" "$N" "$R"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" serve --db "$work/n.db" --listen "127.0.0.1:$PORT" --quiet 2>"$work/serve.log" &
PID=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done
grep '"index built"' "$work/serve.log"
echo "server memory once ready: $(grep -E 'VmRSS|VmHWM' /proc/$PID/status | tr -s ' \t' ' ' | tr '\n' ' ')"
KEY=$("$BIN" org create --name Bench --kind regulator --db "$work/n.db" | xargs -I{} "$BIN" key create --role regulator --org {} --db "$work/n.db")
sleep 0.5
curl -sf "http://127.0.0.1:$PORT/v1/check?subject=b0000000&scope=any" -H "Authorization: Bearer $KEY" | head -c 300
echo
