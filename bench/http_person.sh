#!/bin/sh
# GET /v1/persons/{id} on niemtin against nginx serving the same bytes as
# static files: same machine, same wrk settings, alternated, median of RUNS.
# Two workloads: one person over and over, and random persons among the
# 2,000 of the demo data (a Lua script picks the id for each request).
# usage: bench/http_person.sh [BIN]   (env: RUNS=3 SECS=10 CONNS=64 THREADS=2)
set -eu
BIN=${1:-build/release/niemtin}
. "$(dirname "$0")/lib.sh"
start_niemtin
mkdir -p "$work/www/v1/persons"
# nginx gets the exact bytes niemtin serves, one file per person.
for i in $(seq 0 1999); do
    id=$(printf 'p%07d' "$i")
    curl -sf "http://127.0.0.1:$NT_PORT/v1/persons/$id" -H "Authorization: Bearer $KEY" > "$work/www/v1/persons/$id"
done
BYTES=$(wc -c < "$work/www/v1/persons/p0000001")
AVG=$(cat "$work"/www/v1/persons/* | wc -c)
AVG=$((AVG / 2000))
cat > "$work/random.lua" <<'LUA'
math.randomseed(2026)
request = function()
    return wrk.format("GET", string.format("/v1/persons/p%07d", math.random(0, 1999)))
end
LUA
start_nginx
echo "wrk -t$WRK_THREADS -c$CONNS -d${SECS}s; niemtin threads: ${NT_THREADS:-default}, nginx workers: $NGINX_WORKERS; median of $RUNS, alternated"
compare "one person ($BYTES bytes), over and over:" /v1/persons/p0000001 /v1/persons/p0000001
compare "random persons among 2,000 (mean $AVG bytes):" /v1/persons/p0000001 /v1/persons/p0000001 -s "$work/random.lua"
