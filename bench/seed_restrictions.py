#!/usr/bin/env python3
"""Seeds R active restrictions (a case, a decision and an appearance
restriction each) on the first R of N imported persons, straight into the
database, for bench/index_build.sh. usage: seed_restrictions.py DB N R"""

import datetime
import json
import sqlite3
import sys

db, n, r = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
now = datetime.datetime.now(datetime.timezone.utc)
iso = lambda d: d.strftime("%Y-%m-%dT%H:%M:%S.000Z")
start, end = iso(now - datetime.timedelta(days=1)), iso(now + datetime.timedelta(days=180))
con = sqlite3.connect(db)
con.execute("BEGIN")
step = max(1, n // r)
body = json.dumps({"legal_bases": [{"instrument": "NĐ 38/2021/NĐ-CP", "article": "Điều 51"}], "ground": "law",
                   "category": "false_advertising", "facts": "Seeded for the benchmark.", "detection_source": "authority",
                   "notice": {"sent_at": start, "channel": "văn bản"}})
for i in range(r):
    pid = f"b{i * step:07d}"
    cid, did, sid = f"c_bench{i}", f"d_bench{i}", f"s_bench{i}"
    con.execute("INSERT INTO cases (id, person_id, authority, state, created_at, updated_at) VALUES (?, ?, ?, 'decided', ?, ?)",
                (cid, pid, "Cục PTTH&TTĐT", start, start))
    con.execute("INSERT INTO decisions (id, number, case_id, person_id, authority, signer_name, signer_title, issued_at, outcome, "
                "body, appeal_deadline, publish, created_at) VALUES (?, ?, ?, ?, ?, 'A', 'B', ?, 'violation', ?, ?, 1, ?)",
                (did, f"{i}/QĐ-BENCH", cid, pid, "Cục PTTH&TTĐT", start, body, end, start))
    con.execute("INSERT INTO sanctions (id, decision_id, person_id, type, scopes, start_at, end_at, created_at) "
                "VALUES (?, ?, ?, 'appearance_restriction', ?, ?, ?, ?)", (sid, did, pid, 1 + (i % 63), start, end, start))
con.execute("COMMIT")
con.close()
print(f"seeded {r} restrictions over persons b0000000..b{(r - 1) * step:07d}")
