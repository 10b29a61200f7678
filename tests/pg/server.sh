#!/bin/sh
# A PostgreSQL server of the tests' own: `server.sh start DIR` makes a cluster in a fresh
# temporary directory (initdb, as user postgres when run as root), starts it with pg_ctl on a free
# loopback port and writes its URL (without a database) to DIR/url; `server.sh stop DIR` stops it
# by the PID in its postmaster.pid and removes the cluster.
# `server.sh standby DIR PRIMARY_DIR` makes a hot standby of the server in PRIMARY_DIR
# (pg_basebackup, streaming replication) and starts it the same way; `server.sh promote DIR` makes
# it a primary; `server.sh down DIR` stops a server as a crash would (-m immediate) and
# `server.sh up DIR` starts it again (recovering).
set -eu
cmd=$1
dir=$2
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

as_pg() {
    if [ "$(id -u)" = 0 ]; then
        su postgres -s /bin/sh -c "$*"
    else
        sh -c "$*"
    fi
}

case "$cmd" in
start)
    mkdir -p "$dir"
    data=$(mktemp -d /tmp/nt-pg-XXXXXX)
    chmod 755 "$data"
    [ "$(id -u)" = 0 ] && chown postgres "$data"
    echo "$data" > "$dir/data"
    user=$( [ "$(id -u)" = 0 ] && echo postgres || id -un )
    as_pg "$bin/initdb -D '$data/db' -A trust -U '$user' -E UTF8 --locale=C.UTF-8 >'$data/initdb.log' 2>&1"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # Durable as in production (fsync on); enough connections for the suites run in parallel.
    # PG_OPTS: more server settings (a benchmark's, sized as an operator would size them).
    echo "-p $port -k '$data' -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=64MB ${PG_OPTS:-}" > "$data/opts"
    as_pg "$bin/pg_ctl -D '$data/db' -l '$data/server.log' -w -t 60 -o \"$(cat "$data/opts")\" start >/dev/null"
    echo "postgres://$user@127.0.0.1:$port" > "$dir/url"
    echo "PostgreSQL on 127.0.0.1:$port ($data)"
    ;;
standby)
    mkdir -p "$dir"
    primary=$(cat "$3/url")
    data=$(mktemp -d /tmp/nt-pg-XXXXXX)
    chmod 755 "$data"
    [ "$(id -u)" = 0 ] && chown postgres "$data"
    echo "$data" > "$dir/data"
    user=$( [ "$(id -u)" = 0 ] && echo postgres || id -un )
    pport=${primary##*:}
    as_pg "$bin/pg_basebackup -D '$data/db' -R -X stream -h 127.0.0.1 -p $pport -U '$user' >'$data/basebackup.log' 2>&1"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    echo "-p $port -k '$data' -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=64MB" > "$data/opts"
    as_pg "$bin/pg_ctl -D '$data/db' -l '$data/server.log' -w -t 60 -o \"$(cat "$data/opts")\" start >/dev/null"
    echo "postgres://$user@127.0.0.1:$port" > "$dir/url"
    echo "standby on 127.0.0.1:$port of $primary"
    ;;
promote)
    data=$(cat "$dir/data")
    as_pg "$bin/pg_ctl -D '$data/db' -w promote >/dev/null"
    ;;
down)
    data=$(cat "$dir/data")
    as_pg "$bin/pg_ctl -D '$data/db' -w -m immediate stop >/dev/null"
    ;;
up)
    data=$(cat "$dir/data")
    as_pg "$bin/pg_ctl -D '$data/db' -l '$data/server.log' -w -t 60 -o \"$(cat "$data/opts")\" start >/dev/null"
    ;;
stop)
    [ -f "$dir/data" ] || exit 0
    data=$(cat "$dir/data")
    if [ -f "$data/db/postmaster.pid" ]; then
        pid=$(head -1 "$data/db/postmaster.pid")
        kill -INT "$pid" 2>/dev/null || true # fast shutdown
        i=0
        while kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -rf "$data" "$dir/data" "$dir/url"
    ;;
esac
