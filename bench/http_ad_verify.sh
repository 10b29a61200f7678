#!/bin/sh
# GET /v1/ads/{code}/verify (a platform's check of a post, answered from memory) against nginx
# serving the same response bytes statically: same machine, same wrk settings, alternated,
# median of RUNS. The ad is made through the API from the demo database: an advertiser, a
# product with its documents, an offer to p0000003 on the platform of one of their handles,
# the four confirmations, acceptance.
# usage: bench/http_ad_verify.sh [BIN]   (env: RUNS=3 SECS=10 CONNS=64 THREADS=2)
set -eu
BIN=${1:-build/release/niemtin}
. "$(dirname "$0")/lib.sh"
start_niemtin
path=$(python3 - "$NT_PORT" "$NIEMTIN_ADMIN_KEY" "$NIEMTIN_ADVERTISER_KEY" <<'PY'
import datetime, hashlib, http.client, json, sys
port, admin, adv = int(sys.argv[1]), sys.argv[2], sys.argv[3]
c = http.client.HTTPConnection("127.0.0.1", port)
def call(method, path, body, key):
    c.request(method, path, body=json.dumps(body) if body is not None else None,
              headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    r = c.getresponse()
    out = r.read()
    assert r.status in (200, 201), (path, r.status, out)
    return json.loads(out) if out else None
now = datetime.datetime.now(datetime.timezone.utc)
iso = lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")
call("POST", "/v1/advertisers", {"enterprise_code": "0312345678", "name": "Công ty TNHH Đo Hiệu Năng"}, adv)
doc = lambda t, n: {"type": t, "number": n, "issuer": "Sở Công Thương", "valid_from": iso(now - datetime.timedelta(days=30)),
                    "valid_until": iso(now + datetime.timedelta(days=400)), "sha256": hashlib.sha256(n.encode()).hexdigest()}
product = call("POST", "/v1/products", {"name": "Áo thun", "category": "general_goods",
               "documents": [doc("business_registration", "0312345678"), doc("conformity_declaration", "TCCS 01:2026")]}, adv)["id"]
acc = call("GET", "/v1/persons/p0000003", None, admin)["accounts"][0]
kol = call("POST", "/v1/keys", {"role": "kol", "person_id": "p0000003"}, admin)["secret"]
offer = call("POST", "/v1/offers", {"person_id": "p0000003", "product_id": product, "claims": "Áo thun cotton",
             "start": iso(now), "end": iso(now + datetime.timedelta(days=90)), "platforms": [acc["platform"]], "fee_vnd": 1}, adv)["id"]
call("POST", f"/v1/offers/{offer}/confirm", {"used_or_understands_product": True, "claims_match_documents": True,
     "will_label_as_advertising": True, "relationship_disclosed": True}, kol)
code = call("POST", f"/v1/offers/{offer}/accept", None, kol)["code"]
print(f"/v1/ads/{code}/verify?handle={acc['platform']}:{acc['handle']}&at={iso(now + datetime.timedelta(days=1))}")
PY
)
file=$(echo "$path" | sed 's/?.*//')
mkdir -p "$work/www$(dirname "$file")"
curl -sf "http://127.0.0.1:$NT_PORT$path" -H "Authorization: Bearer $KEY" > "$work/www$file"
grep -q '"valid":true' "$work/www$file" || { echo "the ad did not verify: $(cat "$work/www$file")" >&2; exit 1; }
BYTES=$(wc -c < "$work/www$file")
start_nginx
echo "wrk -t$WRK_THREADS -c$CONNS -d${SECS}s; niemtin threads: ${NT_THREADS:-default}, nginx workers: $NGINX_WORKERS; median of $RUNS, alternated"
compare "GET $path ($BYTES bytes):" "$path" "$path"
