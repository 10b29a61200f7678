#!/bin/sh
# `niemtin person import` of N generated persons into a fresh PostgreSQL database (COPY) and, in
# the same run, into a fresh SQLite file: wall time and peak RSS of each (GNU time).
# PostgreSQL 15 is the tests' own (tests/pg/server.sh: fsync on, shared_buffers 64 MB).
# usage: bench/import_pg.sh [BIN] [N]
set -eu
BIN=${1:-build/release/niemtin}
N=${2:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap '"$here/../tests/pg/server.sh" stop "$work/pg" >/dev/null 2>&1; rm -rf "$work"' EXIT INT TERM
python3 "$here/gen_persons.py" "$N" > "$work/persons.jsonl"
"$here/../tests/pg/server.sh" start "$work/pg" >/dev/null
url="$(cat "$work/pg/url")"
psql "$url/postgres" -qc "CREATE DATABASE bench"
export NIEMTIN_SECRETS="$work/secrets"
"$BIN" init --db "$url/bench" >/dev/null
"$BIN" init --db "$work/niemtin.db" >/dev/null
for db in "$url/bench" "$work/niemtin.db"; do
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$BIN" person import "$work/persons.jsonl" --db "$db" > "$work/out.txt"
    read -r secs rss_kb < "$work/time.txt"
    echo "person import of $N persons into $(case "$db" in postgres*) echo PostgreSQL ;; *) echo SQLite ;; esac): $secs s wall, peak RSS $((rss_kb / 1024)) MiB"
    sed 's/^/  /' "$work/out.txt"
done
echo "  PostgreSQL database after import: $(psql "$url/bench" -Atc "SELECT pg_size_pretty(pg_database_size('bench'))")"
