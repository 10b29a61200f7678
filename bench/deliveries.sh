#!/bin/sh
# Webhook deliveries to a local receiver, sustained: N deliveries put in the outbox (as a notice's
# fan-out leaves them, sharing one payload), a server started to deliver them to nginx answering
# 204 on this machine, and the outbox read every second until it is empty: deliveries per second,
# overall and at the steadiest ten seconds.
# usage: bench/deliveries.sh [BIN] [N]   (default build/release/niemtin, 20000; env SECS=60 the most to wait)
set -eu
BIN=${1:-build/release/niemtin}
N=${2:-20000}
WAIT=${SECS:-60}
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
mkdir -p "$work/nginx"
chmod -R a+rX "$work"
NGINX_PORT=$(free_port)
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http { access_log off; server { listen 127.0.0.1:$NGINX_PORT; location / { return 204; } } }
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
NGINX_PID=$!
"$BIN" init --db "$work/niemtin.db" >/dev/null
"$BIN" demo --db "$work/niemtin.db" --persons 10 >/dev/null
org=$(sqlite3 "$work/niemtin.db" "SELECT id FROM orgs WHERE kind = 'platform' LIMIT 1")
key=$(sqlite3 "$work/niemtin.db" "SELECT id FROM api_keys WHERE org_id = '$org' LIMIT 1")
sqlite3 "$work/niemtin.db" <<SQL
INSERT INTO webhooks (id, key_id, org_id, url, events, secret, active, created_at)
  VALUES ('wh_bench', '$key', '$org', 'http://127.0.0.1:$NGINX_PORT/hook', '["notice.published"]', 'secret', 1, '2026-01-01T00:00:00Z');
INSERT INTO webhook_payloads (id, body)
  VALUES ('wp_bench', '{"event":"notice.published","occurred_at":"2026-11-30T00:00:00.000Z","data":{"notice_id":"ntc_bench","version":1,"kind":"scam_alert","severity":"severe","title":{"vi":"Cảnh báo lừa đảo đầu tư tiền ảo"},"summary":{"vi":"Không chuyển tiền cho tài khoản lạ."},"topics":["scams"],"provinces":["01","79"],"url":"http://127.0.0.1:8080/v1/notices/ntc_bench"}}');
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $N)
INSERT INTO webhook_deliveries (id, webhook_id, event, payload, payload_ref, state, attempts, next_attempt_at, created_at)
  SELECT printf('wd_bench%08d', i), 'wh_bench', 'notice.published', '', 'wp_bench',
         'pending', 0, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n;
SQL
"$BIN" serve --db "$work/niemtin.db" --listen 127.0.0.1:0 --quiet --webhook-allow-loopback 2>"$work/serve.log" &
NT_PID=$!
start=$(date +%s.%N)
last=0
best=0
: > "$work/rates"
for s in $(seq "$WAIT"); do
    sleep 1
    done_n=$(sqlite3 "$work/niemtin.db" "SELECT count(*) FROM webhook_deliveries WHERE state = 'delivered'")
    echo $((done_n - last)) >> "$work/rates"
    last=$done_n
    [ "$done_n" -ge "$N" ] && break
done
end=$(date +%s.%N)
echo "$N deliveries to nginx on this machine: $last delivered in $(python3 -c "print(round($end - $start, 1))") s, $(python3 -c "print(round($last / ($end - $start)))")/s overall; per second: $(tr '\n' ' ' < "$work/rates")"
