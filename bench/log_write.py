#!/usr/bin/env python3
"""A logged write end to end over HTTP: POST /v1/cases/{id}/decision (a decision with one sanction:
two log entries, the response carrying both receipts), one at a time on a keep-alive connection,
timed from the request's first byte to the response's last. Baseline in the same run, alternated:
opening a case (POST /v1/cases), an unlogged write of one row through the same pipeline.
The cases the decisions need are opened and moved to review first, untimed.
usage: bench/log_write.py PORT REGULATOR_KEY [N]"""

import datetime
import http.client
import json
import sys
import time

port, key = int(sys.argv[1]), sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
auth = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}


def call(method, path, body):
    data = json.dumps(body, ensure_ascii=False).encode()
    t0 = time.perf_counter()
    conn.request(method, path, body=data, headers=auth)
    r = conn.getresponse()
    out = r.read()
    dt = time.perf_counter() - t0
    if r.status not in (200, 201):
        raise SystemExit(f"{method} {path}: {r.status} {out[:300]!r}")
    return dt, out


def case(person):
    # Opened the day before the decisions are dated: a decision is never dated before its case.
    opened = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    _, out = call("POST", "/v1/cases", {"person_id": person, "authority": "Cục PTTH&TTĐT", "opened_at": opened})
    cid = json.loads(out)["id"]
    call("POST", f"/v1/cases/{cid}/transition", {"state": "under_review"})
    return cid


now = datetime.datetime.now(datetime.timezone.utc)
iso = lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")
cases = [case(f"p{(i % 1900) + 10:07d}") for i in range(n)]
logged, plain = [], []
for i, cid in enumerate(cases):
    body = {"number": f"{i}/QĐ-BENCH", "authority": "Cục PTTH&TTĐT", "signer": {"name": "Lê Văn Ký", "title": "Cục trưởng"},
            "issued_at": iso(now), "outcome": "violation", "legal_bases": [{"instrument": "NĐ 38/2021", "article": "51"}],
            "ground": "law", "category": "false_advertising", "facts": "Quảng cáo sai công dụng.", "detection_source": "platform",
            "notice": {"sent_at": iso(now), "channel": "văn bản"}, "publish": True,
            "sanctions": [{"type": "appearance_restriction", "scopes": ["livestream"], "end": iso(now + datetime.timedelta(days=90))}]}
    dt, out = call("POST", f"/v1/cases/{cid}/decision", body)
    entries = json.loads(out)["log"]
    if len(entries) != 2 or not entries[0]["receipt"].startswith("c2sp.org/tlog-proof@v1"):
        raise SystemExit("no receipt in the response")
    logged.append(dt)
    dt, _ = call("POST", "/v1/cases", {"person_id": f"p{(i % 1900) + 10:07d}", "authority": "Cục PTTH&TTĐT"})
    plain.append(dt)


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))] * 1000


for name, xs in (("decision with receipts (logged)", logged), ("case opened (unlogged baseline)", plain)):
    print(f"  {name}: n={len(xs)} p50 {pct(xs, 0.5):.2f} ms, p99 {pct(xs, 0.99):.2f} ms, max {max(xs) * 1000:.2f} ms")
print(f"  ratio logged/unlogged: p50 {pct(logged, 0.5) / pct(plain, 0.5):.2f}, p99 {pct(logged, 0.99) / pct(plain, 0.99):.2f}")
