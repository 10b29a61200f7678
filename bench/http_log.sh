#!/bin/sh
# The log over HTTP: a full tile (8,192 bytes) from niemtin against nginx serving the same bytes
# as a static file (wrk, alternated, median of RUNS); then a logged write end to end
# (bench/log_write.py: decisions with their receipts against an unlogged baseline).
# usage: bench/http_log.sh [BIN] [WRITES]   (env: RUNS=3 SECS=10 CONNS=64 THREADS=2)
set -eu
BIN=${1:-build/release/niemtin}
WRITES=${2:-2000}
. "$(dirname "$0")/lib.sh"
start_niemtin
API="http://127.0.0.1:$NT_PORT"
# 300 attestations make the first tile full (the demo's decision holds entries 0 and 1).
python3 - "$NT_PORT" "$NIEMTIN_PLATFORM_KEY" <<'PY'
import http.client, json, sys
port, key = int(sys.argv[1]), sys.argv[2]
c = http.client.HTTPConnection("127.0.0.1", port)
for i in range(300):
    c.request("POST", "/v1/accounts", body=json.dumps({"person_id": f"p{i + 10:07d}", "platform": "tiktok",
              "handle": f"@bench.tile.{i}"}), headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    r = c.getresponse()
    r.read()
    assert r.status in (200, 201), r.status
PY
mkdir -p "$work/www/log/tile/0"
curl -sf "$API/log/tile/0/000" > "$work/www/log/tile/0/000"
[ "$(wc -c < "$work/www/log/tile/0/000")" -eq 8192 ] || { echo "no full tile" >&2; exit 1; }
start_nginx
curl -sf "http://127.0.0.1:$NGINX_PORT/log/tile/0/000" | cmp - "$work/www/log/tile/0/000"
echo "wrk -t$WRK_THREADS -c$CONNS -d${SECS}s; niemtin threads: ${NT_THREADS:-default}, nginx workers: $NGINX_WORKERS; median of $RUNS, alternated"
compare "a full tile (8,192 bytes), GET /log/tile/0/000:" /log/tile/0/000 /log/tile/0/000
echo "a logged write end to end, one client, $WRITES decisions:"
python3 "$(dirname "$0")/log_write.py" "$NT_PORT" "$KEY" "$WRITES"
