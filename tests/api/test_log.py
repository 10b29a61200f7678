"""The public, tamper-evident log through a real server: what each logged write appends, the
receipts, the C2SP tlog-tiles read API, the proofs, redaction, `log verify | monitor | export`,
the start-up check, and tampering with the database in each of the ways an insider could."""

import base64
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
import unittest
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import tlog
from harness import BIN, Server, ServerTest, copy_server_dir, db_in, run, sql_run
from test_cases import CaseSteps, iso, now

TYPES = {1: "decision.issued", 2: "decision.amended", 3: "sanction.created", 4: "sanction.lifted",
         5: "sanction.suspended", 6: "sanction.reinstated", 7: "sanction.modified", 8: "appeal.filed",
         9: "appeal.review_started", 10: "appeal.resolved", 11: "account.attested", 12: "account.unlinked",
         13: "redaction"}


def monitor(url, state, *receipts, key=None):
    args = [BIN, "log", "monitor", url, "--state", state, *(["--key", key] if key else []), *receipts]
    return subprocess.run(args, capture_output=True, text=True, timeout=300)


class LogChecks:
    """Assertions on what the server serves, recomputed here from the specifications."""

    def checkpoint(self):
        r = self.req("GET", "/log/checkpoint")
        self.assertEqual(r.status, 200, r)
        return tlog.parse_checkpoint(r.body)

    def tile(self, path):
        conn_r = self.srv.request("GET", "/log/" + path)
        return conn_r

    def raw(self, path):
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=30)
        try:
            conn.request("GET", path)
            r = conn.getresponse()
            return r.status, dict(r.getheaders()), r.read()
        finally:
            conn.close()

    def leaves(self, size):
        """Every leaf hash and entry, from the tiles and entry bundles."""
        leaves, entries = [], []
        for t in range(0, (size + 255) // 256):
            w = min(256, size - t * 256)
            suffix = "" if w == 256 else f".p/{w}"
            status, _, data = self.raw(f"/log/tile/0/{t:03d}{suffix}")
            self.assertEqual(status, 200)
            self.assertEqual(len(data), 32 * w)
            status, _, bundle = self.raw(f"/log/tile/entries/{t:03d}{suffix}")
            self.assertEqual(status, 200)
            es = tlog.parse_bundle(bundle)
            self.assertEqual(len(es), w)
            for i, e in enumerate(es):
                self.assertEqual(tlog.leaf_hash(e), data[32 * i:32 * i + 32])
            leaves += [data[32 * i:32 * i + 32] for i in range(w)]
            entries += es
        return leaves, entries

    def assertReceipt(self, item, want_type, want_record=None):
        """A receipt verifies offline: its entry, the inclusion proof and the checkpoint's root."""
        self.assertEqual(item["type"], want_type, item)
        if want_record:
            self.assertEqual(item["record_id"], want_record)
        index, proof, extra, note = tlog.parse_receipt(item["receipt"])
        self.assertEqual(index, item["index"])
        version, typ, _, rid, _ = tlog.parse_entry(extra)
        self.assertEqual((version, TYPES[typ], rid), (1, want_type, item["record_id"]))
        origin, size, root, sigs = tlog.parse_checkpoint(note)
        self.assertTrue(sigs[0].startswith("— " + origin + " "), sigs)
        self.assertTrue(tlog.verify_inclusion(index, size, tlog.leaf_hash(extra), proof, root))
        # One bit changed and it no longer does.
        bad = bytearray(extra)
        bad[-1] ^= 1
        self.assertFalse(tlog.verify_inclusion(index, size, tlog.leaf_hash(bytes(bad)), proof, root))


class LogApi(CaseSteps, LogChecks, ServerTest):
    demo_persons = 20

    def test_every_logged_write_returns_its_entries_and_receipts(self):
        p = self.person("Trương Thị Nhật Ký")
        kol = self.req("POST", "/v1/keys", {"role": "kol", "person_id": p}, "admin").json()["secret"]
        # An attestation by the platform is logged; a claim by the person is not.
        r = self.srv.request("POST", "/v1/accounts", {"person_id": p, "platform": "youtube", "handle": "@nhatky.claim"}, key=kol)
        self.assertEqual(r.status, 201, r)
        self.assertNotIn("log", r.json())
        r = self.req("POST", "/v1/accounts", {"person_id": p, "platform": "tiktok", "handle": "@nhatky.vn"}, "platform")
        self.assertEqual(r.status, 201, r)
        [att] = r.json()["log"]
        self.assertReceipt(att, "account.attested")
        self.assertTrue(att["record_id"].startswith("acc_"))  # opaque: no handle in the public log
        case = self.open_case(p)
        d = self.decision(case, [{"type": "appearance_restriction", "scopes": ["livestream"],
                                  "end": iso(now() + timedelta(days=60)), "suspend_pending_appeal": True},
                                 {"type": "fine", "amount_vnd": 70000000}])
        self.assertEqual([e["type"] for e in d["log"]], ["decision.issued", "sanction.created", "sanction.created"])
        self.assertReceipt(d["log"][0], "decision.issued", d["id"])
        self.assertEqual(d["log"][1]["index"], d["log"][0]["index"] + 1)  # one transaction: contiguous
        r = self.srv.request("POST", f"/v1/decisions/{d['id']}/appeals", {"grounds": "Tôi đã gỡ video."}, key=kol)
        self.assertEqual(r.status, 201, r)
        appeal = r.json()
        self.assertReceipt(appeal["log"][0], "appeal.filed", appeal["id"])
        r = self.req("POST", f"/v1/appeals/{appeal['id']}/review", role="reviewer")
        self.assertEqual([e["type"] for e in r.json()["log"]], ["appeal.review_started", "sanction.suspended"])
        r = self.req("POST", f"/v1/appeals/{appeal['id']}/resolve",
                     {"outcome": "upheld", "reasons": "Vi phạm rõ ràng.", "reviewer": "Nguyễn Văn Thẩm"}, "reviewer")
        self.assertEqual([e["type"] for e in r.json()["log"]], ["appeal.resolved", "sanction.reinstated"])
        for e in r.json()["log"]:
            self.assertReceipt(e, e["type"])
        r = self.req("DELETE", "/v1/accounts/tiktok/nhatky.vn", role="platform")
        self.assertEqual(r.status, 200, r)
        self.assertReceipt(r.json()["log"][0], "account.unlinked", att["record_id"])  # the same opaque id
        # The receipts verify with `niemtin log monitor` too, against the live log.
        tmp = tempfile.mkdtemp(prefix="nt-receipts-")
        try:
            files = []
            for i, e in enumerate(d["log"] + appeal["log"]):
                files.append(os.path.join(tmp, f"{i}.tlog-proof"))
                with open(files[-1], "w") as f:
                    f.write(e["receipt"])
            m = monitor(f"http://127.0.0.1:{self.srv.port}", os.path.join(tmp, "state"), *files)
            self.assertEqual(m.returncode, 0, m.stdout + m.stderr)
            self.assertEqual(m.stdout.count("is in the log"), 4, m.stdout)
            # A forged receipt (another entry's bytes under this proof) raises the alarm.
            forged = d["log"][1]["receipt"].replace(
                d["log"][1]["receipt"].split("\n")[1],
                "extra " + base64.b64encode(b"\x01\x03" + bytes(8) + b"\x01x" + bytes(32)).decode())
            with open(os.path.join(tmp, "forged"), "w") as f:
                f.write(forged)
            m = monitor(f"http://127.0.0.1:{self.srv.port}", os.path.join(tmp, "state"), os.path.join(tmp, "forged"))
            self.assertEqual(m.returncode, 1, m.stdout)
            self.assertIn("ALARM: receipt", m.stdout)
        finally:
            shutil.rmtree(tmp)
        # A receipt for any entry, later, from the API.
        r = self.req("GET", f"/v1/log/receipt?index={d['log'][0]['index']}")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.body.startswith("c2sp.org/tlog-proof@v1\nextra "))

    def test_tiles_checkpoint_and_key(self):
        origin, size, root, sigs = self.checkpoint()
        self.assertEqual(origin, "niemtin.local/log")
        key = self.req("GET", "/log/key").body.strip()
        self.assertTrue(key.startswith(origin + "+"), key)
        leaves, entries = self.leaves(size)
        self.assertEqual(tlog.root(leaves), root)
        status, headers, _ = self.raw("/log/checkpoint")
        self.assertEqual(headers["Cache-Control"], "public, max-age=2")
        status, headers, _ = self.raw("/log/tile/0/000.p/1")
        self.assertEqual(status, 200)  # the first W hashes of a tile never change
        # Only the one canonical name of a tile exists; anything else is 404.
        for bad in ("/log/tile/0/0", "/log/tile/0/x000/000.p/1", "/log/tile/0/000.p/01", "/log/tile/0/000.p/256",
                    "/log/tile/0/000.p/0", "/log/tile/64/000", "/log/tile/a/000",
                    "/log/tile/entries/000.p/999", "/log/tile/0/999.p/1", f"/log/tile/0/000.p/{size + 1}"):
            self.assertEqual(self.raw(bad)[0], 404, bad)
        self.assertProblem(self.req("GET", "/log/tile/0/000.p/1?x=1"), 400, "validation", "x")
        # Records of published decisions are disclosed: anyone can recompute their commitments.
        r = self.req("GET", "/v1/log/records?from=0&limit=100")
        self.assertEqual(r.status, 200, r)
        public = [x for x in r.json()["items"] if x["status"] == "public"]
        self.assertTrue(public)
        for x in public:
            commitment = tlog.parse_entry(entries[x["index"]])[4]
            self.assertEqual(tlog.commitment(bytes.fromhex(x["salt"]), x["record"]), commitment)

    def test_a_full_tile_is_immutable(self):
        # 256+ entries: attestations are the cheapest logged write.
        p = self.person("Đặng Văn Nhiều Kênh")
        _, size, _, _ = self.checkpoint()
        for i in range(max(0, 260 - size)):
            r = self.req("POST", "/v1/accounts", {"person_id": p, "platform": "tiktok", "handle": f"@kenh.so.{i}"}, "platform")
            self.assertEqual(r.status, 201, r)
        _, size, root, _ = self.checkpoint()
        status, headers, data = self.raw("/log/tile/0/000")
        self.assertEqual((status, len(data)), (200, 8192))
        self.assertEqual(headers["Cache-Control"], "public, max-age=31536000, immutable")
        leaves, _ = self.leaves(size)
        self.assertEqual(tlog.root(leaves), root)
        self.assertEqual(data, b"".join(leaves[:256]))
        # Proofs, checked here against the checkpoint's root.
        for index in (0, 1, 255, 256, size - 1):
            r = self.req("GET", f"/v1/log/proof/inclusion?index={index}&size={size}")
            self.assertEqual(r.status, 200, r)
            got = r.json()
            proof = [base64.b64decode(h) for h in got["hashes"]]
            self.assertTrue(tlog.verify_inclusion(index, size, leaves[index], proof, root), (index, got))
        for first in (1, 7, 256, size - 1):
            r = self.req("GET", f"/v1/log/proof/consistency?from={first}&to={size}")
            self.assertEqual(r.status, 200, r)
            proof = [base64.b64decode(h) for h in r.json()["hashes"]]
            self.assertTrue(tlog.verify_consistency(first, size, tlog.root(leaves[:first]), root, proof), first)
        self.assertProblem(self.req("GET", f"/v1/log/proof/inclusion?index={size}&size={size}"), 400, "validation", "index")
        self.assertProblem(self.req("GET", f"/v1/log/proof/inclusion?index=0&size={size + 1}"), 400, "validation", "size")
        self.assertProblem(self.req("GET", "/v1/log/proof/inclusion?index=-1"), 400, "validation", "index")
        self.assertProblem(self.req("GET", "/v1/log/proof/inclusion"), 400, "validation", "index")
        self.assertProblem(self.req("GET", "/v1/log/proof/consistency?from=5&to=4"), 400, "validation", "from")
        self.assertProblem(self.req("GET", "/v1/log/proof/consistency?from=x"), 400, "validation", "from")

    def test_redaction(self):
        p = self.person("Phan Thị Xóa Tên")
        case = self.open_case(p)
        d = self.decision(case, [{"type": "warning"}], facts="Chi tiết đời tư cần xóa theo yêu cầu.")
        body = {"record_id": d["id"], "legal_basis": "Nghị định 13/2023/NĐ-CP, Điều 16", "reason": "Yêu cầu của chủ thể dữ liệu"}
        self.assertProblem(self.req("POST", "/v1/redactions", body, "platform"), 403, "forbidden")
        self.assertProblem(self.req("POST", "/v1/redactions", {"record_id": d["id"]}, "regulator"), 400, "validation",
                           "legal_basis")
        self.assertProblem(self.req("POST", "/v1/redactions", {**body, "record_id": "d_nope"}, "regulator"), 404, "not-found")
        r = self.req("POST", "/v1/redactions", body, "regulator")
        self.assertEqual(r.status, 201, r)
        self.assertReceipt(r.json()["log"][0], "redaction", d["id"])
        self.assertProblem(self.req("POST", "/v1/redactions", body, "regulator"), 409, "conflict")
        # The personal content is gone; the public facts of the decision and the log stay.
        got = self.req("GET", f"/v1/decisions/{d['id']}").json()
        self.assertEqual(got["number"], d["number"])
        self.assertNotIn("Chi tiết đời tư", str(got))
        recs = self.req("GET", f"/v1/log/records/{d['id']}").json()["entries"]
        self.assertEqual([x["status"] for x in recs], ["redacted", "private"])  # its entry, and the redaction's
        self.assertTrue(got["redacted"])
        self.assertEqual(got["legal_bases"][0]["instrument"], "Nghị định 38/2021/NĐ-CP")
        self.assertNotIn("salt", recs[0])
        listed = self.req("GET", "/v1/redactions").json()["items"]
        self.assertIn(d["id"], [x["record_id"] for x in listed])
        self.assertNotIn("reason", listed[0])  # the reason may itself be personal
        # An account's link is personal content itself: redacting it unlinks the handle everywhere.
        r = self.req("POST", "/v1/accounts", {"person_id": p, "platform": "tiktok", "handle": "@xoa.ten"}, "platform")
        acc = r.json()["log"][0]["record_id"]
        self.assertTrue(self.check("tiktok:xoa.ten")["handle_known"])
        r = self.req("POST", "/v1/redactions", {"record_id": acc, "legal_basis": "Nghị định 13/2023/NĐ-CP, Điều 16"}, "admin")
        self.assertEqual(r.status, 201, r)
        self.assertProblem(self.req("GET", "/v1/accounts/tiktok/xoa.ten"), 404, "not-found")
        self.assertFalse(self.check("tiktok:xoa.ten")["handle_known"])
        # verify (on the live database) and the monitor take a redaction for what it is.
        v = run("log", "verify", "--db", self.srv.db, check=False)
        self.assertEqual(v.returncode, 0, v.stdout)
        self.assertIn(f"(decision.issued {d['id']}): redacted (redaction entry", v.stdout)
        state = os.path.join(self.srv.tmp, "redaction.state")
        m = monitor(f"http://127.0.0.1:{self.srv.port}", state)
        self.assertEqual(m.returncode, 0, m.stdout + m.stderr)


    def test_a_delisting_is_logged_and_the_monitor_takes_it(self):
        """A published decision withdrawn from publication before its time, by a regulator with its
        legal basis, is logged (decision.delisted); its sanctions stand. A publication that ends
        when its record said it would, and a logged delisting, are what the monitor accepts when a
        record it saw disclosed is no longer."""
        p = self.person("Lương Văn Gỡ Công Bố")
        d = self.decision(self.open_case(p), [{"type": "appearance_restriction", "scopes": ["livestream"],
                                               "end": iso(now() + timedelta(days=30))}])
        soon = now() + timedelta(seconds=3)
        short = self.decision(self.open_case(self.person("Lương Thị Hết Hạn")), [{"type": "warning"}], delist_at=iso(soon))
        state = os.path.join(self.srv.tmp, "delisting.state")
        url = f"http://127.0.0.1:{self.srv.port}"
        m = monitor(url, state)
        self.assertEqual(m.returncode, 0, m.stdout + m.stderr)
        with open(state) as f:
            saved = f.read()
        self.assertIn(f" {d['id']} 0\n", saved)  # each disclosed record, with its decision
        self.assertIn(f" {short['id']} ", saved)
        # Refusals first: the fields, the role, a decision that is not there.
        why = {"legal_basis": "Luật Khiếu nại 2011, Điều 42", "reason": "Quyết định bị hủy theo kết quả giải quyết khiếu nại."}
        self.assertProblem(self.req("POST", f"/v1/decisions/{d['id']}/delist", {}, "regulator"), 400, "validation",
                           "legal_basis")
        self.assertProblem(self.req("POST", f"/v1/decisions/{d['id']}/delist", why, "platform"), 403, "forbidden")
        self.assertProblem(self.req("POST", "/v1/decisions/d_nothing/delist", why, "regulator"), 404, "not-found")
        since = self.check(p, "livestream")["seq"]
        r = self.req("POST", f"/v1/decisions/{d['id']}/delist", why, "regulator")
        self.assertEqual(r.status, 200, r)
        # A platform's change feed says the decision changed, so a mirror showing it takes it down.
        changes = self.req("GET", f"/v1/changes?since={since}", role="platform").json()["items"]
        self.assertIn(("decision", d["id"]), [(c["entity"], c["entity_id"]) for c in changes])
        got = r.json()
        self.assertEqual((got["delist_reason"], got["delist_legal_basis"]), (why["reason"], why["legal_basis"]))
        self.assertTrue(got["delist_at"].endswith("+07:00"), got["delist_at"])
        self.assertNotIn("delisted_by", got)
        self.assertIn("decision.delisted", [x["type"] for x in got["log"]])
        self.assertProblem(self.req("POST", f"/v1/decisions/{d['id']}/delist", why, "regulator"), 409, "conflict")
        # Gone from the public record; the restriction still applies to whoever checks.
        self.assertProblem(self.req("GET", f"/v1/decisions/{d['id']}"), 404, "not-found")
        self.assertNotIn(p, [x["person_id"] for x in self.req("GET", "/v1/restrictions?limit=100").json()["items"]])
        self.assertFalse(self.check(p, "livestream")["allowed"])
        time.sleep(max(0.0, (soon - now()).total_seconds()) + 0.5)
        m = monitor(url, state)
        self.assertEqual(m.returncode, 0, m.stdout + m.stderr)
        with open(state) as f:
            self.assertNotIn(f" {d['id']} ", f.read())  # withdrawn for good: no longer followed
        v = run("log", "verify", "--db", self.srv.db, check=False)
        self.assertEqual(v.returncode, 0, v.stdout)


    def test_concurrent_withdrawals_make_one_entry(self):
        d = self.decision(self.open_case(self.person("Lương Văn Đồng Thời")), [{"type": "warning"}])
        why = {"legal_basis": "Luật Khiếu nại 2011, Điều 42", "reason": "Quyết định bị hủy."}
        with ThreadPoolExecutor(6) as pool:
            got = list(pool.map(lambda _: self.req("POST", f"/v1/decisions/{d['id']}/delist", why, "regulator"), range(6)))
        self.assertEqual(sorted(r.status for r in got), [200] + [409] * 5, got)
        entries = self.req("GET", f"/v1/log/records/{d['id']}").json()["entries"]
        self.assertEqual([e["type"] for e in entries].count("decision.delisted"), 1)


class Tampering(unittest.TestCase):
    """An insider with the database edits it behind the log's back; `log verify` (on the database) and
    `log monitor` (over HTTP, from a state it saved before) each catch every edit and name it."""

    @classmethod
    def setUpClass(cls):
        cls.base = Server(demo_persons=10)
        try:
            cls.prepare(cls.base)
        except BaseException:
            cls.base.close()  # tearDownClass does not run when setUpClass fails: stop the server here
            raise

    @classmethod
    def prepare(cls, srv):
        reg, plat = srv.keys["regulator"], srv.keys["platform"]
        p = srv.request("POST", "/v1/persons", {"legal_name": "Vũ Thị Giả Mạo"}, key=reg).json()["id"]
        r = srv.request("POST", "/v1/accounts", {"person_id": p, "platform": "tiktok", "handle": "@gia.mao"}, key=plat)
        assert r.status == 201, r
        case = srv.request("POST", "/v1/cases", {"opened_at": iso(now() - timedelta(days=60)), "person_id": p, "authority": "Thanh tra Bộ"}, key=reg).json()["id"]
        srv.request("POST", f"/v1/cases/{case}/transition", {"state": "under_review"}, key=reg)
        r = srv.request("POST", f"/v1/cases/{case}/decision", {
            "number": "99/QĐ-XPHC", "authority": "Thanh tra Bộ", "signer": {"name": "Trần Văn Ký", "title": "Chánh Thanh tra"},
            "issued_at": iso(now() - timedelta(seconds=5)), "outcome": "violation",
            "legal_bases": [{"instrument": "Nghị định 38/2021/NĐ-CP", "article": "Điều 51"}], "ground": "law",
            "category": "false_advertising", "detection_source": "platform", "publish": True,
            "facts": "Quảng cáo sai công dụng.", "notice": {"sent_at": iso(now() - timedelta(seconds=4)), "channel": "văn bản"},
            "sanctions": [{"type": "appearance_restriction", "scopes": ["livestream"], "end": iso(now() + timedelta(days=90))}]},
            key=reg)
        assert r.status == 201, r
        cls.decision = r.json()
        cls.key_copy = os.path.join(srv.tmp, "log.pub.copy")  # the public key, as a monitor keeps it
        shutil.copy(os.path.join(srv.tmp, "log.pub"), cls.key_copy)
        cls.url = f"http://127.0.0.1:{srv.port}"
        cls.state = os.path.join(srv.tmp, "monitor.state")
        m = monitor(cls.url, cls.state, key=cls.key_copy)
        assert m.returncode == 0, m.stdout + m.stderr
        code = srv.stop()
        assert code == 0, srv.log_text()

    @classmethod
    def tearDownClass(cls):
        cls.base.close()

    def copy(self):
        """A copy of the database directory and of the monitor's state, to tamper with."""
        d = tempfile.mkdtemp(prefix="nt-tamper-")
        copy_server_dir(self.base.tmp, d)
        self.addCleanup(shutil.rmtree, d, True)
        return d

    def sql(self, d, *statements):
        db = db_in(d)
        if db.startswith("postgres"):  # one session, as SQLite's PRAGMA: PostgreSQL's foreign keys are triggers
            sql_run(db, "; ".join("SET session_replication_role = replica" if s == "PRAGMA foreign_keys = OFF" else s
                                  for s in statements))
            return
        con = sqlite3.connect(db)
        for s in statements:
            con.execute(s)
        con.commit()
        con.close()

    def verify(self, d, *extra):
        os.environ["NIEMTIN_SECRETS"] = d
        return run("log", "verify", "--db", db_in(d), "--key", self.key_copy, *extra, check=False)

    def serve_and_monitor(self, d):
        srv = Server(db_dir=d)
        try:
            m = monitor(f"http://127.0.0.1:{srv.port}", os.path.join(d, "monitor.state"), key=self.key_copy)
            write = srv.request("POST", "/v1/persons", {"legal_name": "Ai Đó"}, key=self.base.keys["regulator"])
            # A batch check is a POST that only reads: it is answered whatever the log's state.
            check = srv.request("POST", "/v1/check", {"subjects": ["p0000001"], "scope": "any"}, key=self.base.keys["platform"])
            self.assertEqual(check.status, 200, check)
            log = srv.log_text()
        finally:
            srv.stop()  # the directory is removed by the test's cleanup
        return m, write, log

    def test_untouched_database_verifies(self):
        d = self.copy()
        v = self.verify(d)
        self.assertEqual(v.returncode, 0, v.stdout)
        self.assertIn("ok: ", v.stdout)
        m, write, _ = self.serve_and_monitor(d)
        self.assertEqual(m.returncode, 0, m.stdout + m.stderr)
        self.assertEqual(write.status, 201)

    def test_edited_decision_row(self):
        d = self.copy()
        did = self.decision["id"]
        self.sql(d, f"UPDATE decisions SET outcome = 'no_violation', signer_name = 'Người Khác' WHERE id = '{did}'")
        v = self.verify(d)
        self.assertEqual(v.returncode, 1, v.stdout)
        self.assertIn(f"(decision.issued {did}): the decisions row {did} differs from its logged record in: outcome, signer_name",
                      v.stdout)
        m, _, _ = self.serve_and_monitor(d)
        self.assertEqual(m.returncode, 1, m.stdout)
        self.assertIn(f"(decision.issued {did}): the published record no longer matches its commitment", m.stdout)

    def test_hidden_published_decision(self):
        # A published decision taken off the public record behind the log's back: unpublished, or
        # its end of publication moved into the past. The monitor saw it disclosed last time.
        did = self.decision["id"]
        for edit in (f"UPDATE decisions SET publish = 0 WHERE id = '{did}'",
                     f"UPDATE decisions SET delist_at = '2026-01-01T00:00:00.000Z' WHERE id = '{did}'"):
            with self.subTest(edit=edit):
                d = self.copy()
                self.sql(d, edit)
                v = self.verify(d)
                self.assertEqual(v.returncode, 1, v.stdout)
                self.assertIn(f"the decisions row {did} differs from its logged record", v.stdout)
                m, _, _ = self.serve_and_monitor(d)
                self.assertEqual(m.returncode, 1, m.stdout)
                self.assertIn(f"(decision.issued {did}): its record was disclosed and no longer is, but no delisting entry "
                              f"withdraws decision {did}", m.stdout)
                sid = self.decision["sanctions"][0]["id"]
                self.assertIn(f"(sanction.created {sid}): its record was disclosed and no longer is", m.stdout)

    def test_deleted_sanction_row(self):
        d = self.copy()
        sid = self.decision["sanctions"][0]["id"]
        self.sql(d, "PRAGMA foreign_keys = OFF", f"DELETE FROM sanctions WHERE id = '{sid}'")
        v = self.verify(d)
        self.assertEqual(v.returncode, 1, v.stdout)
        self.assertIn(f"(sanction.created {sid}): the sanctions row {sid} has been deleted", v.stdout)
        m, _, _ = self.serve_and_monitor(d)
        self.assertEqual(m.returncode, 1, m.stdout)
        self.assertIn(f"(sanction.created {sid}): the record behind it has been deleted", m.stdout)

    def test_inserted_row_not_in_the_log(self):
        d = self.copy()
        did = self.decision["id"]
        self.sql(d, f"INSERT INTO sanctions (id, decision_id, person_id, type, start_at, created_at) SELECT 's_forged', id, "
                    f"person_id, 'advertising_ban', created_at, created_at FROM decisions WHERE id = '{did}'")
        v = self.verify(d)
        self.assertEqual(v.returncode, 1, v.stdout)
        self.assertIn("the sanctions row s_forged is not in the log", v.stdout)

    def test_deleted_log_rows(self):
        d = self.copy()
        self.sql(d, "DELETE FROM log_entries WHERE idx = 1")
        v = self.verify(d)
        self.assertEqual(v.returncode, 1, v.stdout)
        self.assertIn("entry 1: missing from the log_entries table", v.stdout)
        self.assertIn("do not hash to its root", v.stdout)
        # The server finds it at start and refuses writes; the monitor sees the rewritten history.
        m, write, log = self.serve_and_monitor(d)
        self.assertEqual(write.status, 503, write)
        self.assertIn("urn:niemtin:problem:log-inconsistent", write.body)
        self.assertIn("writes refused", log)
        self.assertEqual(m.returncode, 1, m.stdout)
        self.assertIn("ALARM", m.stdout)

    def test_deleted_log_rows_at_the_end_and_their_checkpoints(self):
        # Cutting the log back and removing the checkpoints that covered the cut entries: the database
        # is self-consistent again, so only an outsider who saw the longer log can tell.
        d = self.copy()
        self.sql(d, "DELETE FROM log_entries WHERE idx >= 2", "DELETE FROM log_records WHERE idx >= 2",
                 "DELETE FROM log_checkpoints WHERE size > 2")
        m, write, log = self.serve_and_monitor(d)
        self.assertEqual(m.returncode, 1, m.stdout)
        self.assertIn("the log shrank from", m.stdout)
        # The server knows too: a checkpoint it signed was larger (log.size, kept beside the
        # database). It serves reads and refuses writes until an operator looks.
        self.assertEqual(write.status, 503, write)
        self.assertEqual(write.json()["type"], "urn:niemtin:problem:log-inconsistent")
        self.assertIn("the log was cut", log)
        v = self.verify(d)
        self.assertEqual(v.returncode, 1, v.stdout)  # the decision's rows are no longer in the log
        self.assertIn("is not in the log", v.stdout)

    def test_resigned_with_another_key(self):
        d = self.copy()
        other = tempfile.mkdtemp(prefix="nt-otherkey-")
        self.addCleanup(shutil.rmtree, other, True)
        run("init", "--db", os.path.join(other, "x.db"))  # a key of the same name, not the same key
        for name in ("log.key", "log.pub"):
            shutil.copy(os.path.join(other, name), os.path.join(d, name))
        self.sql(d, "DELETE FROM log_checkpoints")  # the server re-signs everything with the new key
        m, _, _ = self.serve_and_monitor(d)
        self.assertEqual(m.returncode, 1, m.stdout)
        self.assertIn("the served checkpoint is not signed by the log key", m.stdout)
        v = self.verify(d)
        self.assertEqual(v.returncode, 1, v.stdout)
        self.assertIn("the latest checkpoint (size", v.stdout)
        self.assertIn("not signed by the log key", v.stdout)

    def test_saved_checkpoint_and_export(self):
        d = self.copy()
        srv = Server(db_dir=d)
        try:
            note = srv.request("GET", "/log/checkpoint").body
        finally:
            srv.stop()
        cp = os.path.join(d, "saved.checkpoint")
        with open(cp, "w") as f:
            f.write(note)
        v = self.verify(d, "--checkpoint", cp)
        self.assertEqual(v.returncode, 0, v.stdout)
        self.assertIn("the saved checkpoint (size", v.stdout)
        out = os.path.join(d, "static")
        run("log", "export", "--db", db_in(d), out)
        with open(os.path.join(out, "checkpoint")) as f:
            self.assertEqual(f.read(), note)
        _, size, root, _ = tlog.parse_checkpoint(note)
        with open(os.path.join(out, f"tile/0/000.p/{size}"), "rb") as f:
            data = f.read()
        self.assertEqual(tlog.root([data[i:i + 32] for i in range(0, len(data), 32)]), root)
        # A forged saved checkpoint (same key, other root) is reported.
        forged = note.replace(note.split("\n")[2], base64.b64encode(bytes(32)).decode())
        with open(cp, "w") as f:
            f.write(forged)
        v = self.verify(d, "--checkpoint", cp)
        self.assertEqual(v.returncode, 1, v.stdout)
        self.assertIn("the saved checkpoint: not signed by the log key", v.stdout)


class StaticBuild(unittest.TestCase):
    """`niemtin log build-static` against a second implementation of tlog-tiles written here from the
    specification: the same files, byte for byte (the signature is checked byte for byte against
    the public signed-note vector in the unit tests)."""

    def test_matches_an_independent_implementation(self):
        tmp = tempfile.mkdtemp(prefix="nt-static-")
        self.addCleanup(shutil.rmtree, tmp, True)
        run("init", "--db", os.path.join(tmp, "k.db"))
        # 3 * 256 + 5 entries: full and partial tiles on level 0, a partial one on level 1, and
        # entries of every length from 0 to 300 bytes.
        entries = [bytes((i * 7 + k) % 256 for k in range(i % 301)) for i in range(3 * 256 + 5)]
        src = os.path.join(tmp, "entries")
        os.mkdir(src)
        names = []
        for i, e in enumerate(entries):
            names.append(os.path.join(src, f"{i:06d}"))
            with open(names[-1], "wb") as f:
                f.write(e)
        out = os.path.join(tmp, "out")
        p = subprocess.run([BIN, "log", "build-static", "--origin", "niemtin.local/log", "--key", os.path.join(tmp, "log.key"),
                            "--out", out, *names], capture_output=True, text=True, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        want, text = tlog.static_log(entries, "niemtin.local/log")
        got = {}
        for d, _, files in os.walk(out):
            for name in files:
                path = os.path.relpath(os.path.join(d, name), out)
                with open(os.path.join(d, name), "rb") as f:
                    got[path] = f.read()
        checkpoint = got.pop("checkpoint").decode()
        self.assertEqual(sorted(got), sorted(want))
        for path in want:
            self.assertEqual(got[path], want[path], path)
        self.assertTrue(checkpoint.startswith(text + "\n— niemtin.local/log "), checkpoint)
        self.assertIn("tile/1/000.p/3", want)
        self.assertIn("tile/entries/003.p/5", want)


if __name__ == "__main__":
    unittest.main()
