"""The Digital Trust alliance and the Influencer Trust certificate, through the API of a real server:
members and standards, the quiz, applications and reviews, the credential (checked by an
independent verifier and by `niemtin credential verify`), its status lists, badge and QR code, and
its life — suspended with a restriction, reinstated on appeal, revoked by a decision, expired to
the second."""

import json
import os
import subprocess
import tempfile
import time
import unittest
import uuid
from datetime import datetime, timedelta, timezone

import vcverify
from harness import BIN, SOURCE, Server, ServerTest
from test_cases import CaseSteps, iso, now
from test_log import monitor
from test_webhooks import Receiver

with open(os.path.join(SOURCE, "data/trust-training.json"), encoding="utf-8") as f:
    BANK = {q["id"]: q for q in json.load(f)["questions"]}


def answers(quiz, right=True):
    """Answers to the questions as shown: the right option (found by its text in the bank), or a wrong one."""
    out = {}
    for q in quiz["questions"]:
        bank = BANK[q["id"]]
        correct = bank["options"][bank["answer"]]
        idx = q["options"].index(correct)
        out[q["id"]] = idx if right else (idx + 1) % len(q["options"])
    return out


class TrustSteps(CaseSteps):
    """A person taken from the registry to a certificate, step by step."""

    def kol(self, name=None, attested=True):
        p = self.person(name or f"Lương Thị Tin Cậy {uuid.uuid4().hex[:4]}")
        handle = f"tincay_{uuid.uuid4().hex[:8]}"
        if attested:
            self.handle(p, handle)
        key = self.req("POST", "/v1/keys", {"role": "kol", "person_id": p}, "admin").json()["secret"]
        return p, key, handle

    def as_kol(self, key, method, path, body=None):
        return self.srv.request(method, path, body=body, key=key)

    def member(self, key, version=None):
        r = self.as_kol(key, "POST", "/v1/trust/members", {"topics": ["làm đẹp"], "statement": "Tôi cam kết."})
        self.assertEqual(r.status, 201, r)
        m = r.json()["id"]
        r = self.req("POST", f"/v1/trust/members/{m}/admit", {"reason": "Đủ điều kiện."}, "programme")
        self.assertEqual(r.json()["state"], "admitted", r)
        self.assertEqual(r.json()["log"][0]["type"], "member.admitted")
        version = version or self.req("GET", "/v1/standards").json()["current"]["version"]
        r = self.as_kol(key, "POST", f"/v1/trust/members/{m}/accept", {"version": version})
        self.assertEqual(r.status, 200, r)
        self.assertFalse(r.json()["standards"]["pending_acceptance"])
        return m

    def pass_quiz(self, key):
        quiz = self.as_kol(key, "POST", "/v1/trust/quiz").json()
        r = self.as_kol(key, "POST", f"/v1/trust/quiz/{quiz['id']}/answers", {"answers": answers(quiz)})
        self.assertTrue(r.json()["passed"], r)
        return r.json()

    def certify(self, name=None, validity=None):
        p, key, handle = self.kol(name)
        self.member(key)
        self.pass_quiz(key)
        r = self.req("POST", f"/v1/persons/{p}/audience", {"platform": "tiktok", "handle": handle, "followers": 120000,
                                                          "suspicious_percent": 4, "period": "2026-10"}, "platform")
        self.assertEqual(r.status, 201, r)
        r = self.as_kol(key, "POST", "/v1/trust/applications")
        self.assertEqual(r.status, 201, r)
        app = r.json()["id"]
        r = self.req("POST", f"/v1/trust/applications/{app}/review",
                     {"community": {"points": 13, "reasons": "Đính chính kịp thời, lan toả cảnh báo lừa đảo."}}, "programme")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["state"], "certified", r)
        return p, key, r.json()["certificate_id"]

    def cert(self, cid):
        r = self.req("GET", f"/v1/certificates/{cid}")
        self.assertEqual(r.status, 200, r)
        return r.json()

    def wait_status(self, cid, status, timeout=8):
        deadline = time.time() + timeout
        while time.time() < deadline:
            got = self.cert(cid)["status"]
            if got == status:
                return
            time.sleep(0.1)
        self.fail(f"certificate {cid} is {got}, not {status}")

    def status_list(self, purpose):
        r = self.req("GET", f"/v1/status-lists/{purpose}")
        self.assertEqual(r.status, 200, r)
        return r.json()


class Trust(TrustSteps, ServerTest):
    demo_persons = 5

    def test_a_kol_fails_the_quiz_retakes_passes_and_is_certified(self):
        p, key, handle = self.kol("Trần Thị Học Hỏi")
        # Not a member yet, no quiz: the eligibility says so, requirement by requirement.
        e = self.as_kol(key, "GET", "/v1/trust/eligibility").json()
        met = {r["requirement"]: r["met"] for r in e["requirements"]}
        self.assertEqual(met, {"identity": True, "no_restriction_in_force": True, "no_recent_violation": True,
                               "standards_accepted": False, "training_passed": False})
        self.assertTrue(all(isinstance(r["detail"], str) and r["detail"] for r in e["requirements"]))  # Vietnamese
        r = self.as_kol(key, "POST", "/v1/trust/applications")
        p409 = self.assertProblem(r, 409, "conflict")
        self.assertEqual({x["field"] for x in p409["errors"]}, {"standards_accepted", "training_passed"})
        self.member(key)
        # The training is public; the bank's answers are not.
        t = self.req("GET", "/v1/trust/training").json()
        self.assertEqual(len(t["modules"]), 6)
        self.assertGreaterEqual(t["bank_size"], 80)
        self.assertNotIn("questions", t)
        quiz = self.as_kol(key, "POST", "/v1/trust/quiz")
        self.assertEqual(quiz.status, 201, quiz)
        quiz = quiz.json()
        self.assertEqual(len(quiz["questions"]), 20)
        self.assertEqual(len({q["id"] for q in quiz["questions"]}), 20)
        self.assertNotIn('"answer"', json.dumps(quiz))
        again = self.as_kol(key, "GET", f"/v1/trust/quiz/{quiz['id']}").json()
        self.assertEqual(again["questions"], quiz["questions"])  # the same draw, the same order
        wrong = answers(quiz, right=False)
        r = self.as_kol(key, "POST", f"/v1/trust/quiz/{quiz['id']}/answers", {"answers": wrong})
        self.assertEqual(r.status, 200, r)
        self.assertFalse(r.json()["passed"])
        self.assertEqual(r.json()["percent"], 0)
        self.assertNotIn('"answer"', r.text if hasattr(r, "text") else json.dumps(r.json()))
        self.assertTrue(all(set(q) == {"id", "module", "correct"} for q in r.json()["questions"]))
        # Scored once.
        self.assertProblem(self.as_kol(key, "POST", f"/v1/trust/quiz/{quiz['id']}/answers", {"answers": wrong}), 409,
                           "conflict")
        # Someone else's attempt is not theirs to see.
        self.assertProblem(self.req("GET", f"/v1/trust/quiz/{quiz['id']}", role="kol"), 404, "not-found")
        # 16 of 20 passes: exactly the threshold.
        quiz = self.as_kol(key, "POST", "/v1/trust/quiz").json()
        mixed = answers(quiz)
        for qid in list(mixed)[:4]:
            mixed[qid] = answers({"questions": [q for q in quiz["questions"] if q["id"] == qid]}, right=False)[qid]
        r = self.as_kol(key, "POST", f"/v1/trust/quiz/{quiz['id']}/answers", {"answers": mixed}).json()
        self.assertEqual((r["correct"], r["percent"], r["passed"]), (16, 80, True))
        # A third attempt in 24 hours is allowed; a fourth is not.
        self.as_kol(key, "POST", "/v1/trust/quiz")
        self.assertProblem(self.as_kol(key, "POST", "/v1/trust/quiz"), 429, "rate-limited")
        # Apply: every requirement met now; audience needs a reviewer (no platform figures).
        r = self.as_kol(key, "POST", "/v1/trust/applications")
        self.assertEqual(r.status, 201, r)
        app = r.json()
        self.assertEqual(app["state"], "awaiting_review")
        scores = {s["pillar"]: s for s in app["scores"]}
        self.assertEqual(scores["knowledge"]["points"], 16)  # 80 % of 20
        self.assertEqual(scores["conduct"]["points"], 25)
        self.assertEqual(scores["ad_transparency"]["points"], 25)
        self.assertIsNone(scores["audience"]["points"])
        self.assertProblem(self.as_kol(key, "POST", "/v1/trust/applications"), 409, "conflict")  # one at a time
        bad = self.req("POST", f"/v1/trust/applications/{app['id']}/review",
                       {"community": {"points": 13, "reasons": "Tốt."}}, "programme")
        self.assertProblem(bad, 400, "validation", "audience")
        r = self.req("POST", f"/v1/trust/applications/{app['id']}/review",
                     {"community": {"points": 13, "reasons": "Tham gia lan toả thông báo."},
                      "audience": {"points": 12, "reasons": "Kiểm tra mẫu người theo dõi: ít tài khoản ảo."}}, "programme")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["state"], "certified")
        self.assertEqual(r.json()["total"], 25 + 25 + 16 + 12 + 13)
        self.assertProblem(self.req("POST", f"/v1/trust/applications/{app['id']}/review",
                                    {"community": {"points": 13, "reasons": "x y z"}, "audience": {"points": 1, "reasons": "x y"}},
                                    "programme"), 409, "conflict")
        cid = r.json()["certificate_id"]
        c = self.cert(cid)
        self.assertEqual((c["status"], c["person_id"], c["name"]), ("active", p, "Trần Thị Học Hỏi"))
        self.assertTrue(c["valid_until"].endswith("+07:00"))
        # The public directory finds them without diacritics and by handle.
        items = self.req("GET", "/v1/certificates?q=tran%20thi%20hoc").json()["items"]
        self.assertIn(cid, [i["id"] for i in items])
        items = self.req("GET", f"/v1/certificates?handle=@{handle}").json()["items"]
        self.assertEqual([i["id"] for i in items], [cid])
        items = self.req("GET", "/v1/certificates?topic=l%C3%A0m%20%C4%91%E1%BA%B9p&q=hoc%20hoi").json()["items"]
        self.assertEqual([i["id"] for i in items], [cid])
        # The check carries it, so a booking sees both.
        ans = self.check(p)
        self.assertEqual((ans["certificate"]["id"], ans["certificate"]["status"]), (cid, "active"))

    def test_the_credential_verifies_independently_and_with_the_cli(self):
        p, key, cid = self.certify("Phạm Minh Xác Thực")
        r = self.req("GET", f"/v1/certificates/{cid}/credential")
        self.assertEqual(r.header("Content-Type"), "application/vc")
        vc = r.json()
        did = self.req("GET", "/.well-known/did.json").json()
        self.assertEqual(vc["issuer"]["id"], did["id"])
        self.assertTrue(did["id"].startswith("did:web:127.0.0.1%3A"))
        self.assertEqual(vc["type"], ["VerifiableCredential", "InfluencerTrustCredential"])
        self.assertEqual(vc["credentialSubject"]["name"], "Phạm Minh Xác Thực")
        self.assertEqual([s["statusPurpose"] for s in vc["credentialStatus"]], ["suspension", "revocation"])
        self.assertTrue(vcverify.verify(vc, did))
        # The programme key is not the log key.
        self.assertNotIn(did["verificationMethod"][0]["publicKeyMultibase"], self.req("GET", "/log/key").body)
        for purpose in ("suspension", "revocation"):
            lst = self.status_list(purpose)
            self.assertTrue(vcverify.verify(lst, did))
            self.assertEqual(vcverify.status_bit(lst, int(vc["credentialStatus"][0]["statusListIndex"])), 0)
        # Any one character changed anywhere: the independent verifier refuses it.
        text = json.dumps(vc, ensure_ascii=False)
        for i in range(0, len(text), max(1, len(text) // 60)):
            changed = text[:i] + ("A" if text[i] != "A" else "B") + text[i + 1:]
            try:
                doc = json.loads(changed)
            except ValueError:
                continue
            if doc == vc:
                continue
            try:
                ok = vcverify.verify(doc, did)
            except Exception:
                ok = False
            self.assertFalse(ok, f"changed at {i}: {changed[max(0, i - 20):i + 20]}")
        # The CLI: with the pinned DID document and the status lists.
        with tempfile.TemporaryDirectory() as tmp:
            cred, didf = os.path.join(tmp, "c.json"), os.path.join(tmp, "did.json")
            with open(cred, "w") as f:
                json.dump(vc, f, ensure_ascii=False)
            with open(didf, "w") as f:
                json.dump(did, f)
            base = f"http://127.0.0.1:{self.srv.port}"
            out = subprocess.run([BIN, "credential", "verify", cred, "--did", didf, "--status",
                                  f"{base}/v1/status-lists/suspension", "--status", f"{base}/v1/status-lists/revocation"],
                                 capture_output=True, text=True)
            self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
            self.assertIn("result: valid", out.stdout)
            out = subprocess.run([BIN, "credential", "verify", cred], capture_output=True, text=True)
            self.assertEqual(out.returncode, 1, out.stdout)  # a did:web without its document pinned
            self.assertIn("pin its DID document", out.stdout)
            with open(cred, "w") as f:
                json.dump({**vc, "validUntil": "2099-01-01T00:00:00.000Z"}, f, ensure_ascii=False)
            out = subprocess.run([BIN, "credential", "verify", cred, "--did", didf], capture_output=True, text=True)
            self.assertEqual(out.returncode, 1, out.stdout)
            self.assertIn("the signature does not verify", out.stdout)
        # Badge and QR code.
        b = self.req("GET", f"/v1/certificates/{cid}/badge.svg")
        self.assertEqual((b.status, b.header("Content-Type")), (200, "image/svg+xml"))
        self.assertIn("Còn hiệu lực", b.body)
        self.assertIn("max-age", b.header("Cache-Control"))
        png = self.req("GET", f"/v1/certificates/{cid}/qr.png")
        self.assertEqual(png.data[:8], b"\x89PNG\r\n\x1a\n")
        svg = self.req("GET", f"/v1/certificates/{cid}/qr.svg").body
        self.assertTrue(svg.startswith("<svg"))
        self.assertEqual(self.req("GET", f"/certificates/{cid}").json()["id"], cid)  # the QR code's target answers
        nb = self.req("GET", "/v1/certificates/cert_nothing/badge.svg")
        self.assertEqual(nb.status, 404)
        self.assertIn("Không xác định", nb.body)  # fails closed: unrecognised, never valid

    def test_a_restriction_suspends_an_appeal_reinstates_a_revocation_ends_it(self):
        rx = Receiver()
        self.addCleanup(rx.close)
        events = ["certificate.issued", "certificate.suspended", "certificate.reinstated", "certificate.revoked"]
        r = self.req("POST", "/v1/webhooks", {"url": rx.url, "events": events}, "platform")
        self.assertEqual(r.status, 201, r)
        self.addCleanup(lambda: self.req("DELETE", f"/v1/webhooks/{r.json()['id']}", role="platform"))
        p, key, cid = self.certify("Đoàn Văn Tạm Ngưng")
        vc = self.req("GET", f"/v1/certificates/{cid}/credential").json()
        idx = int(vc["credentialStatus"][0]["statusListIndex"])
        case = self.open_case(p)
        d = self.decision(case, [{"type": "appearance_restriction", "scopes": ["livestream"],
                                  "end": iso(now() + timedelta(days=30))}])
        self.wait_status(cid, "suspended")
        self.assertIn(d["number"], self.cert(cid)["state_reason"])  # why, in Vietnamese, naming the published decision
        self.assertEqual(vcverify.status_bit(self.status_list("suspension"), idx), 1)
        self.assertEqual(vcverify.status_bit(self.status_list("revocation"), idx), 0)
        self.assertIn("Tạm đình chỉ", self.req("GET", f"/v1/certificates/{cid}/badge.svg").body)
        self.assertEqual(self.check(p)["certificate"]["status"], "suspended")
        with tempfile.TemporaryDirectory() as tmp:
            cred, didf = os.path.join(tmp, "c.json"), os.path.join(tmp, "did.json")
            with open(cred, "w") as f:
                json.dump(vc, f, ensure_ascii=False)
            with open(didf, "w") as f:
                json.dump(self.req("GET", "/.well-known/did.json").json(), f)
            out = subprocess.run([BIN, "credential", "verify", cred, "--did", didf, "--status", "auto"],
                                 capture_output=True, text=True)
            self.assertEqual(out.returncode, 1, out.stdout + out.stderr)
            self.assertIn("result: suspended", out.stdout)
        # Overturned on appeal: reinstated.
        appeal = self.as_kol(key, "POST", f"/v1/decisions/{d['id']}/appeals", {"grounds": "Không phải tôi."}).json()["id"]
        self.req("POST", f"/v1/appeals/{appeal}/review", role="reviewer")
        r = self.req("POST", f"/v1/appeals/{appeal}/resolve", {"outcome": "overturned", "reasons": "Sai đối tượng.",
                                                                "reviewer": "Nguyễn Văn Thẩm"}, "reviewer")
        self.assertEqual(r.json()["state"], "overturned", r)
        self.wait_status(cid, "active")
        self.assertEqual(vcverify.status_bit(self.status_list("suspension"), idx), 0)
        # A certificate_revocation sanction: revoked for good.
        case = self.open_case(p)
        self.decision(case, [{"type": "certificate_revocation"}])
        self.wait_status(cid, "revoked")
        self.assertEqual(vcverify.status_bit(self.status_list("revocation"), idx), 1)
        self.assertIn("Đã thu hồi", self.req("GET", f"/v1/certificates/{cid}/badge.svg").body)
        self.assertEqual(self.check(p)["certificate"]["status"], "revoked")
        # Each step is in the log.
        entries = self.req("GET", f"/v1/log/records/{cid}").json()["entries"]
        self.assertEqual([e["type"] for e in entries], events)
        # The records are public: anyone recomputes each commitment from the salt and the record.
        self.assertEqual({e["status"] for e in entries}, {"public"})
        self.assertEqual(json.loads(entries[-1]["record"])["status"], "revoked")
        # Sent to the platform that subscribed, each once, in order.
        self.assertTrue(rx.wait(4), rx.events())
        mine = [json.loads(b) for _, b in rx.received if json.loads(b)["data"].get("certificate_id") == cid]
        self.assertEqual([m["event"] for m in mine], events)
        self.assertEqual(mine[1]["data"]["decision_id"], d["id"])
        # The database and its log agree: every certificate and member row as its last record says;
        # and an outside monitor, rebuilding the log and every public record, raises no alarm.
        out = subprocess.run([BIN, "log", "verify", "--db", self.srv.db], capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn(" 0 discrepancies", out.stdout)
        with tempfile.TemporaryDirectory() as tmp:
            out = monitor(f"http://127.0.0.1:{self.srv.port}", os.path.join(tmp, "monitor.state"))
            self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
            self.assertNotIn("ALARM", out.stdout)

    def test_a_reviewer_from_the_recording_organisation_is_refused(self):
        # The alliance's own admin key records a person: its reviewers may not review them.
        r = self.req("POST", "/v1/persons", {"legal_name": "Lâm Thị Xung Đột"}, "admin")
        p = r.json()["id"]
        key = self.req("POST", "/v1/keys", {"role": "kol", "person_id": p}, "admin").json()["secret"]
        self.handle(p, f"xungdot_{uuid.uuid4().hex[:6]}")
        self.member(key)
        self.pass_quiz(key)
        app = self.as_kol(key, "POST", "/v1/trust/applications").json()["id"]
        r = self.req("POST", f"/v1/trust/applications/{app}/review",
                     {"community": {"points": 10, "reasons": "Tốt."}, "audience": {"points": 10, "reasons": "Tốt."}},
                     "programme")
        p403 = self.assertProblem(r, 403, "forbidden")
        self.assertIn("xung đột lợi ích", p403["detail"])
        self.assertEqual(self.req("GET", f"/v1/trust/applications/{app}", role="programme").json()["state"], "awaiting_review")

    def test_bad_input_names_the_field(self):
        p, key, handle = self.kol()
        for body, field in (({"topics": "x"}, "topics"), ({"category": "regulator"}, "category"), ({"nope": 1}, "nope"),
                            ({"statement": ""}, "statement")):
            with self.subTest(body=body):
                self.assertProblem(self.as_kol(key, "POST", "/v1/trust/members", body), 400, "validation", field)
        m = self.as_kol(key, "POST", "/v1/trust/members", {}).json()["id"]
        self.assertProblem(self.req("POST", f"/v1/trust/members/{m}/refuse", {}, "programme"), 400, "validation", "reason")
        self.assertProblem(self.as_kol(key, "POST", f"/v1/trust/members/{m}/accept", {"version": 1}), 409, "conflict")
        self.req("POST", f"/v1/trust/members/{m}/admit", {}, "programme")
        self.assertProblem(self.as_kol(key, "POST", f"/v1/trust/members/{m}/accept", {"version": 7}), 400, "validation",
                           "version")
        self.assertProblem(self.req("POST", f"/v1/trust/members/{m}/admit", {}, "programme"), 409, "conflict")
        quiz = self.as_kol(key, "POST", "/v1/trust/quiz").json()
        self.assertProblem(self.as_kol(key, "POST", f"/v1/trust/quiz/{quiz['id']}/answers", {"answers": {"ads-99": 0}}), 400,
                           "validation", "answers.ads-99")
        q0 = quiz["questions"][0]["id"]
        self.assertProblem(self.as_kol(key, "POST", f"/v1/trust/quiz/{quiz['id']}/answers", {"answers": {q0: 9}}), 400,
                           "validation", f"answers.{q0}")
        self.assertProblem(self.as_kol(key, "POST", f"/v1/trust/quiz/{quiz['id']}/answers", {}), 400, "validation", "answers")
        for body, field in (({"platform": "tiktok", "handle": handle, "followers": -1, "suspicious_percent": 1,
                              "period": "2026-10"}, "followers"),
                            ({"platform": "tiktok", "handle": handle, "followers": 1, "suspicious_percent": 101,
                              "period": "2026-10"}, "suspicious_percent"),
                            ({"platform": "tiktok", "handle": handle, "followers": 1, "suspicious_percent": 1,
                              "period": "2026-13"}, "period"),
                            ({"platform": "youtube", "handle": handle, "followers": 1, "suspicious_percent": 1,
                              "period": "2026-10"}, "platform"),
                            ({"platform": "tiktok", "handle": "someone_else", "followers": 1, "suspicious_percent": 1,
                              "period": "2026-10"}, "handle")):
            with self.subTest(field=field):
                self.assertProblem(self.req("POST", f"/v1/persons/{p}/audience", body, "platform"), 400, "validation", field)
        for q, field in (("status=maybe", "status"), ("q=%20", "q"), ("cursor=zz", "cursor")):
            self.assertProblem(self.req("GET", f"/v1/certificates?{q}"), 400, "validation", field)
        self.assertProblem(self.req("GET", "/v1/trust/members?state=applied"), 400, "validation", "state")
        self.assertProblem(self.req("GET", "/v1/standards?version=x"), 400, "validation", "version")
        self.assertProblem(self.req("GET", "/v1/standards?version=9"), 404, "not-found")
        self.assertProblem(self.req("GET", "/v1/status-lists/other"), 404, "not-found")
        self.assertProblem(self.req("GET", "/v1/trust/eligibility", role="programme"), 400, "validation", "person_id")

    def test_members_leave_and_are_removed_with_reasons(self):
        r = self.req("POST", "/v1/trust/members", {"category": "agency", "province": "Hà Nội", "topics": ["thực phẩm"]},
                     "advertiser")
        self.assertEqual(r.status, 201, r)
        m = r.json()
        self.assertEqual((m["kind"], m["category"]), ("org", "agency"))
        self.assertNotIn(m["id"], [x["id"] for x in self.req("GET", "/v1/trust/members").json()["items"]])  # not yet
        self.assertEqual(self.req("GET", f"/v1/trust/members/{m['id']}").status, 404)  # applicants are not public
        r = self.req("POST", f"/v1/trust/members/{m['id']}/admit", role="programme")  # no body: the reason is optional
        self.assertEqual(r.json()["state"], "admitted", r)
        got = self.req("GET", "/v1/trust/members?kind=org&province=H%C3%A0%20N%E1%BB%99i&q=an%20khang").json()["items"]
        self.assertEqual([x["id"] for x in got], [m["id"]])
        self.assertTrue(got[0]["standards"]["pending_acceptance"])
        # Admitted today, after the version's 30 days ran out for others: 30 days from today, not overdue.
        until = datetime.fromisoformat(got[0]["standards"]["accept_until"])
        self.assertGreater(until, datetime.now(timezone.utc) + timedelta(days=29))
        self.assertFalse(got[0]["standards"]["overdue"])
        me = self.req("GET", "/v1/me", role="advertiser").json()["summary"]["trust"]["member"]  # their own page says so
        self.assertEqual((me["id"], me["standards_pending_acceptance"]), (m["id"], True))
        self.assertProblem(self.req("POST", f"/v1/trust/members/{m['id']}/remove", {}, "programme"), 400, "validation", "reason")
        r = self.req("POST", f"/v1/trust/members/{m['id']}/remove", {"reason": "Quảng cáo sai sự thật lặp lại."}, "programme")
        self.assertEqual(r.json()["state"], "removed")
        self.assertEqual(r.json()["log"][0]["type"], "member.removed")
        # It may apply again, and leave of its own accord.
        m2 = self.req("POST", "/v1/trust/members", {}, "advertiser").json()["id"]
        self.req("POST", f"/v1/trust/members/{m2}/admit", {}, "programme")
        r = self.req("POST", f"/v1/trust/members/{m2}/leave", role="advertiser")
        self.assertEqual((r.json()["state"], r.json()["log"][0]["type"]), ("left", "member.left"))


class Lifetime(TrustSteps, ServerTest):
    """A server whose certificates last a few seconds, and whose alliance adopts a second standards
    version while it runs."""

    demo_persons = 5
    extra_args = ("--certificate-validity-seconds", "6")

    def test_expiry_at_the_exact_second(self):
        p, key, cid = self.certify("Hồ Thị Hết Hạn")
        c = self.cert(cid)
        until = datetime.fromisoformat(c["valid_until"])
        just_before = (until - timedelta(microseconds=1)).isoformat()
        self.assertEqual(self.check(p, at=just_before)["certificate"]["status"], "active")
        self.assertEqual(self.check(p, at=until.isoformat())["certificate"]["status"], "expired")
        vc = self.req("GET", f"/v1/certificates/{cid}/credential").json()
        with tempfile.TemporaryDirectory() as tmp:
            cred, didf = os.path.join(tmp, "c.json"), os.path.join(tmp, "did.json")
            with open(cred, "w") as f:
                json.dump(vc, f, ensure_ascii=False)
            with open(didf, "w") as f:
                json.dump(self.req("GET", "/.well-known/did.json").json(), f)
            ok = subprocess.run([BIN, "credential", "verify", cred, "--did", didf, "--at", just_before], capture_output=True,
                                text=True)
            self.assertEqual(ok.returncode, 0, ok.stdout)
            late = subprocess.run([BIN, "credential", "verify", cred, "--did", didf, "--at", until.isoformat()],
                                  capture_output=True, text=True)
            self.assertEqual(late.returncode, 1, late.stdout)
            self.assertIn("result: expired", late.stdout)
        self.wait_status(cid, "expired", timeout=10)
        self.assertIn("Hết hạn", self.req("GET", f"/v1/certificates/{cid}/badge.svg").body)
        deadline = time.time() + 5  # the runtime writes the expiry down within a second
        while time.time() < deadline:
            types = [e["type"] for e in self.req("GET", f"/v1/log/records/{cid}").json()["entries"]]
            if len(types) == 2:
                break
            time.sleep(0.1)
        self.assertEqual(types, ["certificate.issued", "certificate.expired"])
        # Expired, they may apply again: the quiz passed this year still counts.
        r = self.as_kol(key, "POST", "/v1/trust/applications")
        self.assertEqual(r.status, 201, r)

    def test_renewal_supersedes_and_adds_to_what_is_left(self):
        # Certificates here last 6 seconds, so the renewal window (60 days before the end) is open at once.
        p, key, old = self.certify("Lý Văn Gia Hạn")
        before = self.cert(old)
        r = self.as_kol(key, "POST", "/v1/trust/applications")
        self.assertEqual(r.status, 201, r)
        r = self.req("POST", f"/v1/trust/applications/{r.json()['id']}/review",
                     {"community": {"points": 14, "reasons": "Tiếp tục giữ chuẩn mực."}}, "programme")
        new = r.json()["certificate_id"]
        self.assertEqual(r.json()["log"][-1]["type"], "certificate.superseded")
        got = self.cert(old)
        self.assertEqual((got["status"], got["superseded_by"]), ("superseded", new))
        self.assertEqual(self.cert(new)["supersedes"], old)
        added = datetime.fromisoformat(self.cert(new)["valid_until"]) - datetime.fromisoformat(before["valid_until"])
        self.assertEqual(added, timedelta(seconds=6))
        self.assertEqual(self.check(p)["certificate"]["id"], new)

    def test_a_new_standards_version_leaves_members_pending_until_they_accept(self):
        p, key, handle = self.kol("Vũ Thị Tiêu Chuẩn")
        m = self.member(key)
        with open(os.path.join(SOURCE, "data/trust-standards.json"), encoding="utf-8") as f:
            doc = json.load(f)
        v2 = json.loads(json.dumps(doc["versions"][0]))
        v2["version"] = 2
        v2["adopted_at"] = iso(now())
        v2["commitments"].append({"id": "community-3", "pillar": "community",
                                  "text": {"vi": "Hỗ trợ người mới học cách dùng ảnh hưởng đúng đắn.",
                                           "en": "Help newcomers learn to use their influence well."}})
        doc["versions"].append(v2)
        path = os.path.join(self.srv.tmp, "standards-v2.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False)
        self.srv.stop()
        self.srv.extra_args = list(self.srv.extra_args) + ["--trust-standards", path]
        self.srv.start()
        s = self.req("GET", "/v1/standards").json()
        self.assertEqual(s["current"]["version"], 2)
        got = self.req("GET", f"/v1/trust/members/{m}").json()["standards"]
        self.assertEqual((got["accepted_version"], got["current_version"], got["pending_acceptance"]), (1, 2, True))
        self.assertTrue(got["accept_until"].endswith("+07:00"))
        e = self.as_kol(key, "GET", "/v1/trust/eligibility").json()
        self.assertFalse(next(r for r in e["requirements"] if r["requirement"] == "standards_accepted")["met"])
        self.assertTrue(self.as_kol(key, "GET", "/v1/me").json()["summary"]["trust"]["member"]["standards_pending_acceptance"])
        self.assertProblem(self.as_kol(key, "POST", f"/v1/trust/members/{m}/accept", {"version": 1}), 400, "validation",
                           "version")
        r = self.as_kol(key, "POST", f"/v1/trust/members/{m}/accept", {"version": 2})
        self.assertFalse(r.json()["standards"]["pending_acceptance"])
        self.assertFalse(self.as_kol(key, "GET", "/v1/me").json()["summary"]["trust"]["member"]["standards_pending_acceptance"])
        self.assertEqual(r.json()["log"][0]["type"], "member.standards_accepted")


if __name__ == "__main__":
    unittest.main()
