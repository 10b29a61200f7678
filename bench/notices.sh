#!/bin/sh
# One verified notice to M members of the trusted network (bench/notices.c): the fan-out queued
# in the notice's own write — its reach counted per group and, for the half who receive by
# webhook, an outbox delivery each — timed, with the process's peak RSS. The members are put in the
# database directly first (untimed).
# usage: [PROVINCES=N] bench/notices.sh [BIN_DIR] [M]   (default build/release, 1000000; the notice to
# every province, or to the first N)
set -eu
DIR=${1:-build/release}
M=${2:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
"$DIR/niemtin" init --db "$work/niemtin.db" >/dev/null
"$DIR/niemtin" demo --db "$work/niemtin.db" --persons 10 >/dev/null
hook=$(sqlite3 "$work/niemtin.db" "SELECT id FROM orgs WHERE kind = 'platform' LIMIT 1")
key=$(sqlite3 "$work/niemtin.db" "SELECT id FROM api_keys WHERE org_id = '$hook' LIMIT 1")
sqlite3 "$work/niemtin.db" <<SQL
INSERT INTO webhooks (id, key_id, org_id, url, events, secret, active, created_at)
  VALUES ('wh_bench', '$key', '$hook', 'http://127.0.0.1:9/hook', '["notice.published"]', 'secret', 1, '2026-01-01T00:00:00Z');
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $M)
INSERT INTO network_members (id, kind, org_id, topics, provinces, channels, webhook_id, created_at, updated_at)
  SELECT printf('nm_bench%08d', i), 'org', printf('o_bench%08d', i), '["scams","health"]',
         json_array(substr('01040811121415192022242531333738404244464851525666687579808286919296',1+(i%34)*2,2)), CASE i % 2 WHEN 0 THEN '["webhook","feed"]' ELSE '["feed"]' END,
         CASE i % 2 WHEN 0 THEN 'wh_bench' END, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n;
SQL
export BENCH_ORG=$(sqlite3 "$work/niemtin.db" "SELECT id FROM orgs WHERE kind = 'regulator' LIMIT 1")
${PERF:-} /usr/bin/time -f "  peak RSS %M KiB, %e s elapsed in all (open, one notice, close)" "$DIR/bench_notices" "$work/niemtin.db"
