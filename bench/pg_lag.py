#!/usr/bin/env python3
"""Across servers: a restriction decided through server A (POST .../decision, answered 201), then
GET /v1/check on server B until it says restricted, polled every 0.5 ms; the time from A's answer
to B's. N persons, one at a time. Prints p50, p99, max.
usage: bench/pg_lag.py PORT_A PORT_B REGULATOR_KEY PLATFORM_KEY [N]"""

import datetime
import http.client
import json
import sys
import time

port_a, port_b, reg, plat = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
n = int(sys.argv[5]) if len(sys.argv) > 5 else 200
a = http.client.HTTPConnection("127.0.0.1", port_a, timeout=30)
b = http.client.HTTPConnection("127.0.0.1", port_b, timeout=30)


def call(conn, method, path, body=None, key=reg):
    conn.request(method, path, body=json.dumps(body, ensure_ascii=False).encode() if body is not None else None,
                 headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    r = conn.getresponse()
    out = r.read()
    if r.status not in (200, 201):
        raise SystemExit(f"{method} {path}: {r.status} {out[:300]!r}")
    return json.loads(out)


now = datetime.datetime.now(datetime.timezone.utc)
iso = lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")
lags = []
for i in range(n):
    person = call(a, "POST", "/v1/persons", {"legal_name": f"Người Đo Độ Trễ {i}"})["id"]
    case = call(a, "POST", "/v1/cases", {"person_id": person, "authority": "Cục PTTH&TTĐT",
                                         "opened_at": iso(now - datetime.timedelta(days=1))})["id"]
    call(a, "POST", f"/v1/cases/{case}/transition", {"state": "under_review"})
    body = {"number": f"{i}/QĐ-LAG", "authority": "Cục PTTH&TTĐT", "signer": {"name": "A", "title": "B"},
            "issued_at": iso(now), "outcome": "violation", "legal_bases": [{"instrument": "NĐ 38/2021", "article": "51"}],
            "ground": "law", "category": "false_advertising", "facts": "F", "detection_source": "platform",
            "notice": {"sent_at": iso(now), "channel": "văn bản"}, "publish": True,
            "sanctions": [{"type": "appearance_restriction", "scopes": ["livestream"], "end": iso(now + datetime.timedelta(days=90))}]}
    call(a, "POST", f"/v1/cases/{case}/decision", body)
    t0 = time.perf_counter()
    while call(b, "GET", f"/v1/check?subject={person}&scope=livestream", key=plat)["allowed"]:
        if time.perf_counter() - t0 > 10:
            raise SystemExit(f"{person}: not restricted on B after 10 s")
        time.sleep(0.0005)
    lags.append(time.perf_counter() - t0)
lags.sort()
pct = lambda p: lags[min(len(lags) - 1, int(len(lags) * p))] * 1000
print(f"  n={n} p50 {pct(0.5):.1f} ms, p99 {pct(0.99):.1f} ms, max {lags[-1] * 1000:.1f} ms")
