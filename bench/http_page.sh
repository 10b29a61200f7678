#!/bin/sh
# GET /persons/{id} (a public profile page: the person, their accounts, certificate, restrictions
# in force and published decisions, rendered as HTML) against nginx serving the same bytes
# statically: same machine, same wrk settings, alternated, median of RUNS. The person is the
# demo's restricted one, with a decision and a restriction in force.
# usage: bench/http_page.sh [BIN]   (env: RUNS=3 SECS=10 CONNS=64 THREADS=2)
set -eu
BIN=${1:-build/release/niemtin}
. "$(dirname "$0")/lib.sh"
start_niemtin
person=$(curl -sf "http://127.0.0.1:$NT_PORT/v1/restrictions?limit=1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["person_id"])')
path="/persons/$person"
mkdir -p "$work/www/persons"
curl -sf "http://127.0.0.1:$NT_PORT$path" -H "Accept: text/html" -H "Authorization: Bearer $KEY" > "$work/www$path"
BYTES=$(wc -c < "$work/www$path")
start_nginx
echo "wrk -t$WRK_THREADS -c$CONNS -d${SECS}s; niemtin threads: ${NT_THREADS:-default}, nginx workers: $NGINX_WORKERS; median of $RUNS, alternated"
compare "GET $path ($BYTES bytes of HTML):" "$path" "$path" -H "Accept: text/html"
