#!/usr/bin/env python3
"""Writes persons to a niemtin server at a steady rate until killed.
usage: bench/writer.py PORT KEY RATE"""

import http.client
import json
import sys
import time

port, key, rate = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
i, t0 = 0, time.monotonic()
while True:
    i += 1
    body = json.dumps({"legal_name": f"Nguyễn Văn Ghi {i}"})
    conn.request("POST", "/v1/persons", body=body, headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    conn.getresponse().read()
    delay = t0 + i / rate - time.monotonic()
    if delay > 0:
        time.sleep(delay)
