#!/bin/sh
# GET /v1/feeds/notices.atom (a feed of verified notices, answered from memory) against nginx
# serving the same bytes statically: same machine, same wrk settings, alternated, median of RUNS.
# Twenty notices are published through the API first.
# usage: bench/http_feed.sh [BIN]   (env: RUNS=3 SECS=10 CONNS=64 THREADS=2)
set -eu
BIN=${1:-build/release/niemtin}
. "$(dirname "$0")/lib.sh"
start_niemtin
python3 - "$NT_PORT" "$NIEMTIN_REGULATOR_KEY" <<'PY'
import datetime, http.client, json, sys
port, key = int(sys.argv[1]), sys.argv[2]
c = http.client.HTTPConnection("127.0.0.1", port)
until = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
for i in range(20):
    body = {"kind": "public_information", "title": {"vi": f"Thông báo số {i} về an toàn thực phẩm"},
            "summary": {"vi": "Tóm tắt thông báo chính thức."}, "body": {"vi": "Nội dung thông báo chính thức của cơ quan quản lý. " * 10},
            "topics": ["food_safety"], "provinces": ["79"], "severity": "minor", "valid_until": until,
            "sources": [{"title": "Công văn", "url": f"https://example.vn/cv/{i}"}]}
    c.request("POST", "/v1/notices", body=json.dumps(body), headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    r = c.getresponse()
    r.read()
    assert r.status == 201, r.status
PY
path="/v1/feeds/notices.atom?topic=food_safety&province=79"
mkdir -p "$work/www/v1/feeds"
curl -sf "http://127.0.0.1:$NT_PORT$path" -H "Authorization: Bearer $KEY" > "$work/www/v1/feeds/notices.atom"
BYTES=$(wc -c < "$work/www/v1/feeds/notices.atom")
start_nginx
echo "wrk -t$WRK_THREADS -c$CONNS -d${SECS}s; niemtin threads: ${NT_THREADS:-default}, nginx workers: $NGINX_WORKERS; median of $RUNS, alternated"
compare "GET $path ($BYTES bytes):" "$path" "/v1/feeds/notices.atom"
