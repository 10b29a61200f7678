# Shared by the HTTP benchmarks: a demo database, niemtin and nginx on free
# loopback ports, wrk runs alternated between them, medians and ratios.
# Source it after setting BIN; it sets $work and cleans up on exit.

RUNS=${RUNS:-3}
SECS=${SECS:-10}
CONNS=${CONNS:-64}
WRK_THREADS=${THREADS:-2}
NGINX_WORKERS=$(nproc)
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

# A demo database and a running niemtin on $NT_PORT; $KEY is a regulator key.
start_niemtin() {
    [ -f "$work/niemtin.db" ] || "$BIN" init --db "$work/niemtin.db" >/dev/null
    "$BIN" demo --db "$work/niemtin.db" --keys-out "$work/keys.env" >/dev/null
    . "$work/keys.env"
    KEY=$NIEMTIN_REGULATOR_KEY
    NT_PORT=$(free_port)
    # The server's own default thread count unless NT_THREADS says otherwise.
    "$BIN" serve --db "$work/niemtin.db" --listen "127.0.0.1:$NT_PORT" ${NT_THREADS:+--threads "$NT_THREADS"} 2>"$work/serve.log" &
    NT_PID=$!
    # Up to a minute: a large database builds its indexes first.
    for _ in $(seq 600); do curl -sf "http://127.0.0.1:$NT_PORT/readyz" >/dev/null && break; sleep 0.1; done
    curl -sf "http://127.0.0.1:$NT_PORT/readyz" >/dev/null || { tail -n 20 "$work/serve.log" >&2; exit 1; }
    mkdir -p "$work/www"
}

# nginx serving $work/www on $NGINX_PORT.
start_nginx() {
    mkdir -p "$work/nginx"
    chmod -R a+rX "$work" # nginx's workers run as another user; mktemp -d made $work 0700
    NGINX_PORT=$(free_port)
    cat > "$work/nginx/nginx.conf" <<CONF
worker_processes $NGINX_WORKERS;
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
        location / { try_files \$uri \$uri/index.json =404; }
    }
}
CONF
    nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
    NGINX_PID=$!
    for _ in $(seq 100); do [ -f "$work/nginx/nginx.pid" ] && break; sleep 0.05; done
    sleep 0.2
}

rps() {
    wrk -t"$WRK_THREADS" -c"$CONNS" -d"${SECS}s" -H "Authorization: Bearer $KEY" "$@" | awk '/Requests\/sec/ {print $2}'
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# compare LABEL NIEMTIN_PATH NGINX_PATH [extra wrk arguments...]
compare() {
    label=$1
    nt_path=$2
    ng_path=$3
    shift 3
    : > "$work/nt.txt"
    : > "$work/ng.txt"
    for _ in $(seq "$RUNS"); do
        rps "$@" "http://127.0.0.1:$NT_PORT$nt_path" >> "$work/nt.txt"
        rps "$@" "http://127.0.0.1:$NGINX_PORT$ng_path" >> "$work/ng.txt"
    done
    NT=$(median < "$work/nt.txt")
    NG=$(median < "$work/ng.txt")
    echo "$label"
    echo "  niemtin runs (req/s): $(tr '\n' ' ' < "$work/nt.txt")"
    echo "  nginx   runs (req/s): $(tr '\n' ' ' < "$work/ng.txt")"
    echo "  niemtin median $NT req/s, nginx median $NG req/s, ratio $(python3 -c "print(round($NT/$NG, 2))")"
}
