#!/bin/sh
# `niemtin person import` of N generated persons into a fresh database:
# wall time and peak RSS (GNU time).  usage: bench/import.sh [BIN] [N]
set -eu
BIN=${1:-build/release/niemtin}
N=${2:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
python3 "$(dirname "$0")/gen_persons.py" "$N" > "$work/persons.jsonl"
"$BIN" init --db "$work/niemtin.db" >/dev/null
/usr/bin/time -f "%e %M" -o "$work/time.txt" "$BIN" person import "$work/persons.jsonl" --db "$work/niemtin.db" > "$work/out.txt"
read -r secs rss_kb < "$work/time.txt"
echo "person import of $N persons ($(du -h "$work/persons.jsonl" | cut -f1) JSONL): $secs s wall, peak RSS $((rss_kb / 1024)) MiB"
sed 's/^/  /' "$work/out.txt"
echo "  database after import: $(du -h "$work/niemtin.db" | cut -f1)"
