#!/bin/sh
# PostgreSQL against SQLite in the same run, each with the demo data and the same binary:
#   1. a logged decision over HTTP, one client (bench/log_write.py): p50/p99 on each;
#   2. GET /v1/check of a restricted person (answered from memory): wrk on each, alternated,
#      median of RUNS, and the ratio PostgreSQL / SQLite;
#   3. across two servers: a restriction decided through one, checked on the other until it says
#      restricted (bench/pg_lag.py): on PostgreSQL (woken by LISTEN/NOTIFY) and on SQLite (two
#      processes on one file, polling every 200 ms).
# PostgreSQL 15 is the tests' own (tests/pg/server.sh: initdb and pg_ctl in a temporary directory,
# fsync and synchronous_commit on, as shipped).
# usage: bench/postgres.sh [BIN]   (env: RUNS=3 SECS=10 WRITES=1000 LAG=200 CONNS=64 THREADS=2)
set -eu
BIN=${1:-build/release/niemtin}
WRITES=${WRITES:-1000}
LAG=${LAG:-200}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
stop_all() {
    # The servers serve() started, by their PIDs (kept in a file: serve runs in a subshell).
    [ -f "$work/pids" ] && for p in $(cat "$work/pids"); do kill "$p" 2>/dev/null; done
    "$here/../tests/pg/server.sh" stop "$work/pg" >/dev/null 2>&1 || true
    cleanup
}
trap stop_all EXIT INT TERM

start_niemtin # SQLite: $work/niemtin.db on $NT_PORT, $KEY the regulator's
SQ_PORT=$NT_PORT
SQ_REG=$KEY
SQ_PLAT=$NIEMTIN_PLATFORM_KEY
"$here/../tests/pg/server.sh" start "$work/pg" >/dev/null
PG_URL="$(cat "$work/pg/url")"
psql "$PG_URL/postgres" -qc "CREATE DATABASE bench"
# SOCKET=1: to the server through its Unix socket rather than TCP on loopback (same machine).
if [ "${SOCKET:-0}" = 1 ]; then
    port=${PG_URL##*:}
    PG_URL="postgresql://postgres@%2F$(cat "$work/pg/data" | sed 's|/|%2F|g; s|^%2F||'):$port"
fi
export NIEMTIN_SECRETS="$work/pgsecrets"
"$BIN" init --db "$PG_URL/bench" >/dev/null
"$BIN" demo --db "$PG_URL/bench" --keys-out "$work/pgkeys.env" >/dev/null
echo "PostgreSQL at $PG_URL"
PG_REG=$(sed -n 's/^NIEMTIN_REGULATOR_KEY=//p' "$work/pgkeys.env")
PG_PLAT=$(sed -n 's/^NIEMTIN_PLATFORM_KEY=//p' "$work/pgkeys.env")

# serve DB -> prints the port of a new server on DB (stopped on exit)
serve() {
    port=$(free_port)
    "$BIN" serve --db "$1" --listen "127.0.0.1:$port" --quiet ${NT_THREADS:+--threads "$NT_THREADS"} >>"$work/serve2.log" 2>&1 &
    echo $! >> "$work/pids"
    for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
    echo "$port"
}
PG_PORT=$(serve "$PG_URL/bench")

echo "PostgreSQL against SQLite, same binary ($BIN), same run; $(nproc) cores"
echo "1. a logged decision over HTTP (two log entries, receipts), one client, $WRITES decisions:"
echo " SQLite:"
python3 "$here/log_write.py" "$SQ_PORT" "$SQ_REG" "$WRITES"
echo " PostgreSQL:"
python3 "$here/log_write.py" "$PG_PORT" "$PG_REG" "$WRITES"

# A restriction on p0000001 on each, through the API.
restrict() {
    python3 - "$1" "$2" <<'PY'
import datetime, json, sys, urllib.request
port, key = sys.argv[1:3]
api = f"http://127.0.0.1:{port}"
now = datetime.datetime.now(datetime.timezone.utc)
iso = lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")
def call(path, body):
    req = urllib.request.Request(api + path, data=json.dumps(body).encode(),
                                 headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req))
case = call("/v1/cases", {"person_id": "p0000001", "opened_at": iso(now - datetime.timedelta(days=1))})["id"]
call(f"/v1/cases/{case}/transition", {"state": "under_review"})
call(f"/v1/cases/{case}/decision", {"number": "CHECK/QĐ-BENCH", "authority": "Cục PTTH&TTĐT", "signer": {"name": "A", "title": "B"},
     "issued_at": iso(now), "outcome": "violation", "legal_bases": [{"instrument": "NĐ 38/2021", "article": "51"}],
     "ground": "law", "category": "false_advertising", "facts": "F", "detection_source": "platform",
     "notice": {"sent_at": iso(now), "channel": "văn bản"}, "publish": True,
     "sanctions": [{"type": "appearance_restriction", "scopes": ["livestream"], "end": iso(now + datetime.timedelta(days=365))}]})
PY
}
restrict "$SQ_PORT" "$SQ_REG"
restrict "$PG_PORT" "$PG_REG"
path="/v1/check?subject=p0000001&scope=livestream"
curl -sf "http://127.0.0.1:$PG_PORT$path" -H "Authorization: Bearer $PG_PLAT" | grep -q '"allowed":false'
curl -sf "http://127.0.0.1:$SQ_PORT$path" -H "Authorization: Bearer $SQ_PLAT" | grep -q '"allowed":false'
: > "$work/sq.txt"
: > "$work/pg.txt"
for _ in $(seq "$RUNS"); do
    KEY=$SQ_PLAT rps "http://127.0.0.1:$SQ_PORT$path" >> "$work/sq.txt"
    KEY=$PG_PLAT rps "http://127.0.0.1:$PG_PORT$path" >> "$work/pg.txt"
done
SQ=$(median < "$work/sq.txt")
PG=$(median < "$work/pg.txt")
echo "2. GET $path, wrk -t$WRK_THREADS -c$CONNS -d${SECS}s, median of $RUNS, alternated:"
echo "  SQLite-backed     runs (req/s): $(tr '\n' ' ' < "$work/sq.txt")"
echo "  PostgreSQL-backed runs (req/s): $(tr '\n' ' ' < "$work/pg.txt")"
echo "  medians: SQLite $SQ, PostgreSQL $PG req/s; ratio PostgreSQL/SQLite $(python3 -c "print(round($PG/$SQ, 2))")"

echo "3. a restriction decided through one server, checked on another, $LAG times:"
PG_PORT2=$(serve "$PG_URL/bench")
SQ_PORT2=$(serve "$work/niemtin.db")
echo " PostgreSQL, two servers (LISTEN/NOTIFY):"
python3 "$here/pg_lag.py" "$PG_PORT" "$PG_PORT2" "$PG_REG" "$PG_PLAT" "$LAG"
echo " SQLite, two processes on one file (polling every 200 ms):"
python3 "$here/pg_lag.py" "$SQ_PORT" "$SQ_PORT2" "$SQ_REG" "$SQ_PLAT" "$LAG"
