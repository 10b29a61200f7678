#!/bin/sh
# GET /v1/check for a restricted handle against nginx serving the same
# response bytes statically (wrk -t1 -c64, alternated, median of RUNS); the
# same check while 100 writes/s run against the server; and the server time
# of a batch of 1,000 subjects (from the request log's "us").
# usage: bench/http_check.sh [BIN]   (env: RUNS=3 SECS=10)
set -eu
BIN=${1:-build/release/niemtin}
THREADS=${THREADS:-1}
. "$(dirname "$0")/lib.sh"
start_niemtin
API="http://127.0.0.1:$NT_PORT"
auth="Authorization: Bearer $KEY"
json="Content-Type: application/json"

# A restriction on p0000001, through the API like any other.
# Opened yesterday: a decision is never dated before its case was opened.
case_id=$(curl -sf "$API/v1/cases" -H "$auth" -H "$json" \
    -d "{\"person_id\":\"p0000001\",\"opened_at\":\"$(date -u -d yesterday +%F)\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
curl -sf "$API/v1/cases/$case_id/transition" -H "$auth" -H "$json" -d '{"state":"under_review"}' >/dev/null
python3 - "$API" "$KEY" "$case_id" <<'PY'
import datetime, json, sys, urllib.request
api, key, case = sys.argv[1:4]
now = datetime.datetime.now(datetime.timezone.utc)
iso = lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")
body = {"number": "1/QĐ-BENCH", "authority": "Cục PTTH&TTĐT", "signer": {"name": "A", "title": "B"},
        "issued_at": iso(now), "outcome": "violation", "legal_bases": [{"instrument": "NĐ 38/2021", "article": "51"}],
        "ground": "law", "category": "false_advertising", "facts": "F", "detection_source": "platform",
        "notice": {"sent_at": iso(now), "channel": "văn bản"}, "publish": True,
        "sanctions": [{"type": "appearance_restriction", "scopes": ["livestream", "advertising"],
                       "end": iso(now + datetime.timedelta(days=365))}]}
req = urllib.request.Request(f"{api}/v1/cases/{case}/decision", data=json.dumps(body).encode(),
                             headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
urllib.request.urlopen(req).read()
PY
subject=$(curl -sf "$API/v1/persons/p0000001" -H "$auth" |
    python3 -c 'import json,sys; a=json.load(sys.stdin)["accounts"][0]; print(a["platform"]+":"+a["handle"])')
path="/v1/check?subject=$subject&scope=livestream"
mkdir -p "$work/www/v1"
curl -sf "$API$path" -H "$auth" > "$work/www/v1/check"
grep -q '"allowed":false' "$work/www/v1/check" || { echo "the check did not answer restricted" >&2; exit 1; }
start_nginx
echo "subject $subject (restricted); response $(wc -c < "$work/www/v1/check") bytes"
echo "wrk -t$WRK_THREADS -c$CONNS -d${SECS}s; niemtin threads: ${NT_THREADS:-default}, nginx workers: $NGINX_WORKERS; median of $RUNS, alternated"
compare "GET $path:" "$path" /v1/check

# The same while 100 writes/s go on.
: > "$work/quiet.txt"
: > "$work/busy.txt"
for _ in $(seq "$RUNS"); do
    rps "http://127.0.0.1:$NT_PORT$path" >> "$work/quiet.txt"
    python3 "$(dirname "$0")/writer.py" "$NT_PORT" "$KEY" 100 &
    WPID=$!
    rps "http://127.0.0.1:$NT_PORT$path" >> "$work/busy.txt"
    kill "$WPID"
    wait "$WPID" 2>/dev/null || true
done
Q=$(median < "$work/quiet.txt")
B=$(median < "$work/busy.txt")
echo "GET $path with 100 person writes/s running, against none (alternated):"
echo "  quiet runs (req/s): $(tr '\n' ' ' < "$work/quiet.txt")"
echo "  busy  runs (req/s): $(tr '\n' ' ' < "$work/busy.txt")"
echo "  median quiet $Q, busy $B: $(python3 -c "print(round(100 * (1 - $B / $Q), 1))")% lower"

# A batch of 1,000 subjects: server time from the request log.
python3 - "$API" "$KEY" "$work/serve.log" <<'PY'
import json, statistics, sys, time, urllib.request
api, key, log = sys.argv[1:4]
subjects = [f"p{i:07d}" for i in range(500)] + [f"tiktok:nobody{i}" for i in range(500)]
body = json.dumps({"subjects": subjects, "scope": "any"}).encode()
for _ in range(50):
    req = urllib.request.Request(f"{api}/v1/check", data=body,
                                 headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    urllib.request.urlopen(req).read()
time.sleep(0.3)
us = [json.loads(l)["us"] for l in open(log) if '"route":"/v1/check","status":200' in l and '"method":"POST"' in l]
us.sort()
print(f"POST /v1/check with 1,000 subjects, {len(us)} requests: server time median {statistics.median(us)/1000:.2f} ms, "
      f"p99 {us[int(len(us)*0.99)-1]/1000:.2f} ms, max {us[-1]/1000:.2f} ms")
PY
