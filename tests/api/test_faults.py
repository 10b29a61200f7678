"""Failures injected along a write, at every step: the write fails with a clear 500, leaves
nothing behind, the log still verifies, and the server goes on serving.

The tests' build (NT_FAULTS) lets a write fail at its Nth SQLite step, or at SQLite's Nth
allocation within it: the test writes "step N" or "alloc N" to the file NIEMTIN_FAULT_FILE names,
and the next write takes it. N runs from 1 until the write no longer reaches its Nth step, so
every step along the write fails once. (The program's own allocations abort by policy: see
src/core/alloc.h; a process killed mid-write is test_crash.py's.)"""

import hashlib
import os
import shutil
import tempfile
import uuid
from datetime import timedelta

from harness import ServerTest, run, sql_one, sql_rows
from steps import decision_body, iso, now

FAULT_DIR = tempfile.mkdtemp(prefix="nt-faults-")
FAULT_FILE = os.path.join(FAULT_DIR, "fault")

TABLES = ["decisions", "sanctions", "cases", "appeals", "offers", "ads", "audit", "changes", "log_entries", "log_records",
          "idempotency", "webhook_deliveries", "persons", "accounts"]
# Rows the server changes in the background on its own (a delivery's attempts, an answer kept after
# it was sent): which rows exist is compared for these, not their contents.
KEYS_ONLY = {"webhook_deliveries": "id", "idempotency": "scope, idem_key"}


class Faults(ServerTest):
    demo_persons = 5
    env = {"NIEMTIN_FAULT_FILE": FAULT_FILE}

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(FAULT_DIR, ignore_errors=True)

    def ok(self, r, *status):
        self.assertIn(r.status, status or (200, 201), r)
        return r.json()

    def state(self):
        """Every row of the tables a write touches (their contents, hashed)."""
        return {t: hashlib.sha256(repr(sql_rows(self.srv.db, f"SELECT {KEYS_ONLY.get(t, '*')} FROM {t} ORDER BY 1"
                                                if t in KEYS_ONLY else f"SELECT * FROM {t} ORDER BY 1")).encode()
                                  ).hexdigest() for t in TABLES}

    def arm(self, kind, n):
        with open(FAULT_FILE, "w") as f:
            f.write(f"{kind} {n}\n")

    def verify_log(self):
        p = run("log", "verify", "--db", self.srv.db, check=False)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def serving(self):
        self.assertEqual(self.req("GET", "/healthz").status, 200)
        r = self.req("GET", "/v1/check?subject=p0000002&scope=livestream", role="platform")
        self.assertEqual(r.status, 200, r)

    def every_failure(self, send, kinds=("step", "alloc")):
        """Sends the write with a failure at every step (then every allocation) until it succeeds."""
        for kind in kinds:
            failures = 0
            for n in range(1, 5000):
                before = self.state()
                self.arm(kind, n)
                r = send()
                if r.status < 300:
                    break
                failures += 1
                self.assertEqual(r.status, 500, f"{kind} {n}: {r}")
                self.assertEqual(r.json()["type"], "urn:niemtin:problem:internal")
                after = self.state()
                changed = sorted(t for t in TABLES if after[t] != before[t])
                self.assertEqual(changed, [], f"{kind} {n}: a failed write left something behind")
                self.serving()
                if n % 10 == 1:
                    self.verify_log()
            else:
                self.fail(f"{kind}: the write never succeeded")
            # Every step fails once; SQLite allocates only where its caches do not already hold what a
            # statement needs, so fewer allocations than steps can fail.
            # (On PostgreSQL the allocations are the server's, out of reach: only steps fail.)
            if kind == "step" or not self.srv.pg:
                self.assertGreater(failures, 5 if kind == "step" else 0, f"{kind}: the injection did not reach the write")
            self.verify_log()
            yield kind, failures, r

    def decision_body(self):
        return decision_body([{"type": "appearance_restriction", "scopes": ["livestream"], "end": iso(now() + timedelta(days=30))},
                              {"type": "fine", "amount_vnd": 70000000}])

    def test_a_decision_with_sanctions_and_receipts(self):
        # A webhook subscriber, so the decision also writes outbox rows.
        self.ok(self.req("POST", "/v1/webhooks", {"url": "http://127.0.0.1:9/h", "events": ["decision.published",
                                                                                            "sanction.activated"]}, "platform"))
        for kind in ("step", "alloc"):
            pid = self.ok(self.req("POST", "/v1/persons", {"legal_name": f"Phạm Văn Lỗi {kind}"}, "regulator"))["id"]
            case = self.ok(self.req("POST", "/v1/cases", {"opened_at": iso(now() - timedelta(days=60)), "person_id": pid, "authority": "Cục PTTH&TTĐT"}, "regulator"))["id"]
            self.ok(self.req("POST", f"/v1/cases/{case}/transition", {"state": "under_review"}, "regulator"))
            body = self.decision_body()
            headers = {"Idempotency-Key": str(uuid.uuid4())}
            for _, failures, r in self.every_failure(lambda: self.req("POST", f"/v1/cases/{case}/decision", body, "regulator",
                                                                      headers=headers), kinds=(kind,)):
                d = r.json()
                self.assertEqual(r.status, 201, r)
                self.assertEqual(len(d["sanctions"]), 2)
                self.assertEqual(len(d["log"]), 3)  # the decision and its two sanctions
                self.assertTrue(all(e["receipt"].startswith("c2sp.org/tlog-proof@v1") for e in d["log"]))
            check = self.req("GET", f"/v1/check?subject={pid}&scope=livestream", role="platform").json()
            self.assertFalse(check["allowed"])

    def test_an_offer_accepted(self):
        for kind in ("step", "alloc"):
            admin = self.srv.keys["admin"]
            org = self.ok(self.srv.request("POST", "/v1/orgs", {"name": f"Công ty Lỗi {kind}", "kind": "advertiser"}, key=admin))
            adv = self.ok(self.srv.request("POST", "/v1/keys", {"role": "advertiser", "org_id": org["id"]}, key=admin))["secret"]
            self.ok(self.srv.request("POST", "/v1/advertisers", {"enterprise_code": "0301112220" if kind == "step" else "0301112221",
                                                                 "name": "Công ty TNHH Lỗi"}, key=adv))
            doc = {"type": "product_declaration_registration", "number": f"12{kind}/2026/ĐKSP", "issuer": "Cục ATTP",
                   "valid_from": iso(now() - timedelta(days=30)), "valid_until": iso(now() + timedelta(days=365)),
                   "sha256": hashlib.sha256(kind.encode()).hexdigest()}
            product = self.ok(self.srv.request("POST", "/v1/products", {"name": "Viên rau củ Xanh", "category": "health_supplements",
                                                                        "documents": [doc]}, key=adv))["id"]
            pid = self.ok(self.req("POST", "/v1/persons", {"legal_name": f"Đỗ Thị Nhận {kind}"}, "regulator"))["id"]
            kol = self.ok(self.srv.request("POST", "/v1/keys", {"role": "kol", "person_id": pid}, key=admin))["secret"]
            claims = ("Viên rau củ Xanh bổ sung chất xơ. Thực phẩm này không phải là thuốc và không có tác dụng thay thế "
                      "thuốc chữa bệnh")
            offer = self.ok(self.srv.request("POST", "/v1/offers", {
                "person_id": pid, "product_id": product, "claims": claims, "start": iso(now() + timedelta(days=1)),
                "end": iso(now() + timedelta(days=30)), "platforms": ["tiktok"], "fee_vnd": 50000000}, key=adv))["id"]
            self.ok(self.srv.request("POST", f"/v1/offers/{offer}/confirm", {
                "used_or_understands_product": True, "claims_match_documents": True, "will_label_as_advertising": True,
                "relationship_disclosed": True}, key=kol))
            for _, failures, r in self.every_failure(lambda: self.srv.request("POST", f"/v1/offers/{offer}/accept", raw=b"",
                                                                              key=kol), kinds=(kind,)):
                ad = r.json()
                self.assertEqual(ad["state"], "registered", ad)  # the accepted offer's ad
                self.assertEqual([e["type"] for e in ad["log"]], ["ad.registered"])
            self.assertEqual(self.req("GET", f"/v1/ads/{ad['code']}").json()["state"], "registered")
            self.assertEqual(self.srv.request("GET", f"/v1/offers/{offer}", key=kol).json()["state"], "accepted")


if __name__ == "__main__":
    import unittest
    unittest.main()
