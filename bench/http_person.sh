#!/bin/sh
# GET /v1/persons/{id} on niemtin against nginx serving the same bytes as
# static files: same machine, same wrk settings, alternated, median of RUNS.
# Two workloads: one person over and over, and random persons among the
# 2,000 of the demo data (a Lua script picks the id for each request).
# usage: bench/http_person.sh [BIN]   (env: RUNS=3 SECS=10 CONNS=64 THREADS=2)
set -eu
BIN=${1:-build/release/niemtin}
RUNS=${RUNS:-3}
SECS=${SECS:-10}
CONNS=${CONNS:-64}
WRK_THREADS=${THREADS:-2}
SERVER_THREADS=$(nproc)
work=$(mktemp -d)
NT_PID=""
NGINX_PID=""
cleanup() {
    [ -n "$NT_PID" ] && kill "$NT_PID" 2>/dev/null && wait "$NT_PID" 2>/dev/null
    [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

"$BIN" init --db "$work/niemtin.db" >/dev/null
"$BIN" demo --db "$work/niemtin.db" --keys-out "$work/keys.env" >/dev/null
. "$work/keys.env"
KEY=$NIEMTIN_REGULATOR_KEY

NT_PORT=$(free_port)
"$BIN" serve --db "$work/niemtin.db" --listen "127.0.0.1:$NT_PORT" --threads "$SERVER_THREADS" 2>/dev/null &
NT_PID=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$NT_PORT/readyz" >/dev/null && break; sleep 0.05; done

mkdir -p "$work/www/v1/persons" "$work/nginx"
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

NGINX_PORT=$(free_port)
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes $SERVER_THREADS;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
    access_log off;
    default_type application/json;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $work/www;
    }
}
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
NGINX_PID=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$NGINX_PORT/v1/persons/p0000001" >/dev/null && break; sleep 0.05; done

rps() {
    wrk -t"$WRK_THREADS" -c"$CONNS" -d"${SECS}s" -H "Authorization: Bearer $KEY" "$@" | awk '/Requests\/sec/ {print $2}'
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# $1: label, $2...: extra wrk arguments before the path
compare() {
    label=$1
    shift
    : > "$work/nt.txt"
    : > "$work/ng.txt"
    for i in $(seq "$RUNS"); do
        rps "$@" "http://127.0.0.1:$NT_PORT/v1/persons/p0000001" >> "$work/nt.txt"
        rps "$@" "http://127.0.0.1:$NGINX_PORT/v1/persons/p0000001" >> "$work/ng.txt"
    done
    NT=$(median < "$work/nt.txt")
    NG=$(median < "$work/ng.txt")
    echo "$label"
    echo "  niemtin runs (req/s): $(tr '\n' ' ' < "$work/nt.txt")"
    echo "  nginx   runs (req/s): $(tr '\n' ' ' < "$work/ng.txt")"
    echo "  niemtin median $NT req/s, nginx median $NG req/s, ratio $(python3 -c "print(round($NT/$NG, 2))")"
}

echo "wrk -t$WRK_THREADS -c$CONNS -d${SECS}s; server threads / nginx workers: $SERVER_THREADS; median of $RUNS, alternated"
compare "one person ($BYTES bytes), over and over:"
compare "random persons among 2,000 (mean $AVG bytes):" -s "$work/random.lua"
