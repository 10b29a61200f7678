"""Due process end to end: reports, cases, decisions, sanctions, appeals,
recommendations and the check, through scenarios taken from real cases."""

import time
import unittest
import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

from harness import ServerTest, run


def iso(dt):
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def now():
    return datetime.now(timezone.utc)


class CaseSteps:
    """The steps of due process, for the suites that need a case and a decision to work on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A second regulator, to review appeals against the first one's decisions.
        admin = cls.srv.keys["admin"]
        org = cls.srv.request("POST", "/v1/orgs", {"name": "Thanh tra Bộ Văn hóa, Thể thao và Du lịch", "kind": "regulator"},
                              key=admin).json()
        cls.srv.keys["reviewer"] = cls.srv.request("POST", "/v1/keys", {"role": "regulator", "org_id": org["id"]},
                                                   key=admin).json()["secret"]

    def person(self, name):
        r = self.req("POST", "/v1/persons", {"legal_name": name}, "regulator")
        self.assertEqual(r.status, 201, r)
        return r.json()["id"]

    def handle(self, person, handle):
        r = self.req("POST", "/v1/accounts", {"person_id": person, "platform": "tiktok", "handle": handle}, "platform")
        self.assertIn(r.status, (200, 201), r)

    def open_case(self, person, reports=None):
        # Opened on paper two months ago, as regulators record them: decisions are not dated before.
        body = {"authority": "Cục Phát thanh, Truyền hình và Thông tin điện tử", "opened_at": iso(now() - timedelta(days=60))}
        if reports:
            body["report_ids"] = reports
        else:
            body["person_id"] = person
        r = self.req("POST", "/v1/cases", body, "regulator")
        self.assertEqual(r.status, 201, r)
        case = r.json()["id"]
        r = self.req("POST", f"/v1/cases/{case}/transition", {"state": "under_review"}, "regulator")
        self.assertEqual(r.status, 200, r)
        return case

    def decision(self, case, sanctions, issued=None, **extra):
        body = {
            "number": f"{uuid.uuid4().hex[:6]}/QĐ-XPHC",
            "authority": "Cục Phát thanh, Truyền hình và Thông tin điện tử",
            "signer": {"name": "Lê Quang Tự Do", "title": "Cục trưởng"},
            "issued_at": iso(issued or now() - timedelta(seconds=5)),
            "outcome": "violation",
            "legal_bases": [{"instrument": "Nghị định 38/2021/NĐ-CP", "article": "Điều 51", "clause": "Khoản 3"}],
            "ground": "law",
            "category": "false_advertising",
            "facts": "Quảng cáo kẹo rau củ với công dụng không đúng với công bố sản phẩm.",
            "detection_source": "platform",
            "notice": {"sent_at": iso(issued + timedelta(seconds=1) if issued else now() - timedelta(seconds=4)),
                       "channel": "văn bản"},  # notice follows the signature: the time to appeal runs from it
            "publish": True,
            "sanctions": sanctions,
        }
        body.update(extra)
        r = self.req("POST", f"/v1/cases/{case}/decision", body, "regulator")
        self.assertEqual(r.status, 201, r)
        return r.json()

    def check(self, subject, scope="any", role="platform", **params):
        q = f"/v1/check?subject={quote(subject)}&scope={scope}" + "".join(f"&{k}={quote(v)}" for k, v in params.items())
        r = self.req("GET", q, role=role)
        self.assertEqual(r.status, 200, r)
        return r.json()


class DueProcess(CaseSteps, ServerTest):
    demo_persons = 30

    def test_demo_database_shows_every_capability(self):
        # `make run`'s README examples answer something real: a registered ad, one stopped by a
        # recall, an offer waiting for the demo kol (p0000000), and an open appeal.
        ads = {a["person_id"]: a for a in self.req("GET", "/v1/ads?limit=100").json()["items"]}
        self.assertEqual(ads["p0000000"]["state"], "registered")
        self.assertEqual(ads["p0000003"]["state"], "suspended")
        self.assertIn("thu hồi", ads["p0000003"]["state_reason"])
        handle = [a for a in self.req("GET", "/v1/persons/p0000000").json()["accounts"] if a["platform"] == "tiktok"][0]
        verify = self.req("GET", f"/v1/ads/{ads['p0000000']['code']}/verify?handle=tiktok:{quote(handle['handle'])}")
        self.assertEqual(verify.status, 200, verify)
        self.assertTrue(verify.json()["valid"], verify.json())
        waiting = self.req("GET", "/v1/offers?state=sent", role="kol").json()["items"]
        self.assertEqual([o["person_id"] for o in waiting], ["p0000000"])
        appeals = self.req("GET", "/v1/appeals?state=filed", role="regulator").json()["items"]
        self.assertEqual([a["person_id"] for a in appeals], ["p0000002"])
        products = self.req("GET", "/v1/products?limit=100").json()["items"]
        self.assertTrue(any(p["recalled_at"] for p in products))
        self.assertEqual(run("log", "verify", "--db", self.srv.db, check=False).returncode, 0)

    def test_demo_database_has_one_published_restriction(self):
        # `make run` prints this check; the demo's decision must make it answer "not allowed".
        r = self.req("GET", "/v1/public/check?subject=p0000002&scope=livestream")
        self.assertEqual(r.status, 200, r)
        self.assertFalse(r.json()["allowed"])
        self.assertEqual(r.json()["restrictions"][0]["decision_number"], "15/QĐ-XPHC")
        self.assertTrue(self.req("GET", "/v1/public/check?subject=p0000002&scope=press").json()["allowed"])
        # The handle printed by `make run` (the demo's persons are the same for any size).
        r = self.req("GET", "/v1/public/check?subject=instagram:cuong.review2&scope=livestream")
        self.assertEqual(r.json()["person_id"], "p0000002", r.json())
        self.assertFalse(r.json()["allowed"])

    def test_candy_livestreamers_restricted_for_twelve_months(self):
        p = self.person("Nguyễn Thị Kẹo Rau")
        self.handle(p, "@keorau.official")
        # The platform reports with evidence; the public reports too, with a contact.
        rep = self.req("POST", "/v1/reports", {
            "subject": {"platform": "tiktok", "handle": "@KeoRau.Official"},
            "category": "false_advertising",
            "description": "Livestream bán kẹo: 'một viên kẹo bằng một đĩa rau'.",
            "evidence": [{"url": "https://www.tiktok.com/@keorau.official/live/1", "sha256": "a" * 64,
                          "captured_at": iso(now() - timedelta(days=2))}]}, "platform")
        self.assertEqual(rep.status, 201, rep)
        self.assertEqual(rep.json()["subject_person"], p)
        pub = self.req("POST", "/v1/reports", {"subject": {"person_id": p}, "category": "false_advertising",
                                               "description": "Con tôi ăn kẹo thay rau.", "contact": "0901234567"})
        self.assertEqual(pub.status, 201, pub)
        self.assertNotIn("0901234567", pub.body)
        self.assertEqual(self.req("GET", f"/v1/reports/{pub.json()['id']}", role="regulator").json()["reporter_contact"],
                         "0901234567")
        self.assertProblem(self.req("GET", f"/v1/reports/{pub.json()['id']}", role="platform"), 404, "not-found")
        self.assertIn(rep.json()["id"], [x["id"] for x in self.req("GET", "/v1/reports", role="platform").json()["items"]])

        case = self.open_case(p, [rep.json()["id"], pub.json()["id"]])
        self.assertProblem(self.req("POST", "/v1/cases", {"authority": "X", "report_ids": [rep.json()["id"]]}, "regulator"),
                           400, "validation", "report_ids[0]")  # already in a case
        d = self.decision(case, [{"type": "appearance_restriction", "scopes": ["livestream", "advertising"],
                                  "start": iso(now() - timedelta(seconds=5)), "end": iso(now() + timedelta(days=365))}])
        self.assertEqual(d["sanctions"][0]["state"], "active")
        self.assertEqual(d["sanctions"][0]["scopes"], ["livestream", "advertising"])
        self.assertTrue(d["appeal"]["open"])
        self.assertEqual(self.req("GET", f"/v1/cases/{case}", role="regulator").json()["state"], "decided")

        for subject in ("tiktok:@keorau.official", "tiktok:KEORAU.OFFICIAL", p):
            c = self.check(subject, "livestream")
            self.assertFalse(c["allowed"], c)
            self.assertEqual(c["restrictions"][0]["decision_number"], d["number"])
            self.assertGreater(c["seq"], 0)
        self.assertTrue(self.check("tiktok:@keorau.official", "broadcast")["allowed"])
        self.assertFalse(self.check("tiktok:@keorau.official", "any")["allowed"])
        self.assertFalse(self.check(p, "advertising", role="advertiser")["allowed"])
        # The public gets the same answer, and the public list names it.
        r = self.req("GET", f"/v1/public/check?subject={p}&scope=livestream")
        self.assertFalse(r.json()["allowed"])
        listed = self.req("GET", "/v1/restrictions").json()["items"]
        mine = [x for x in listed if x["person_id"] == p]
        self.assertEqual(mine[0]["name"], "Nguyễn Thị Kẹo Rau")
        self.assertEqual(mine[0]["decision_number"], d["number"])
        # Mirrors: the snapshot and the change feed.
        snap = self.req("GET", "/v1/restrictions/snapshot", role="platform")
        self.assertIn(p, [x["person_id"] for x in snap.json()["items"]])
        again = self.req("GET", "/v1/restrictions/snapshot", role="platform", headers={"If-None-Match": snap.header("ETag")})
        self.assertEqual(again.status, 304)
        feed = self.req("GET", "/v1/changes?since=0&limit=100", role="platform").json()
        self.assertTrue(feed["items"])
        self.assertEqual(feed["items"][0]["entity"], "person")  # what a mirror needs, from the first change it may read
        full = self.req("GET", "/v1/changes?since=0&limit=100", role="regulator").json()
        self.assertEqual(full["items"][0]["seq"], 1)
        # An unpublished decision is not public; the person concerned sees theirs.
        self.assertEqual(self.req("GET", f"/v1/decisions/{d['id']}").status, 200)

    def test_invalid_transitions_list_what_is_allowed(self):
        p = self.person("Trần Văn Chuyển")
        r = self.req("POST", "/v1/cases", {"authority": "Sở VHTT Hà Nội", "person_id": p}, "regulator")
        case = r.json()["id"]
        self.assertTrue(r.json()["own_initiative"])
        r = self.req("POST", f"/v1/cases/{case}/transition", {"state": "closed"}, "regulator")
        self.assertEqual(self.assertProblem(r, 409, "conflict")["allowed"], ["under_review"])
        r = self.req("POST", f"/v1/cases/{case}/decision", {"number": "x"}, "regulator")
        self.assertProblem(r, 400, "validation")
        self.req("POST", f"/v1/cases/{case}/transition", {"state": "under_review"}, "regulator")
        r = self.req("POST", f"/v1/cases/{case}/transition", {"state": "decided"}, "regulator")
        self.assertEqual(self.assertProblem(r, 409, "conflict")["allowed"], [])
        r = self.req("POST", f"/v1/cases/{case}/transition", {"state": "archived"}, "regulator")
        self.assertProblem(r, 400, "validation", "state")
        self.assertProblem(self.req("POST", "/v1/cases/c_none/transition", {"state": "closed"}, "regulator"), 404, "not-found")

    def test_due_process_rules_name_the_field(self):
        p = self.person("Phạm Văn Luật")
        case = self.open_case(p)
        base = self.decision.__func__  # noqa: the helper builds valid bodies; break them one at a time
        cases = [
            ({"legal_bases": []}, "legal_bases"),
            ({"facts": ""}, "facts"),
            ({"notice": None}, "notice"),
            ({"sanctions": [{"type": "appearance_restriction", "scopes": ["press"]}]}, "sanctions[0].end"),
            ({"sanctions": [{"type": "appearance_restriction", "end": iso(now() + timedelta(days=1))}]}, "sanctions[0].scopes"),
            ({"sanctions": [{"type": "advertising_ban", "end": iso(now() + timedelta(days=800))}]}, "sanctions[0].end"),
            ({"sanctions": [{"type": "fine"}]}, "sanctions[0].amount_vnd"),
            ({"sanctions": [{"type": "jail"}]}, "sanctions[0].type"),
            ({"outcome": "no_violation", "sanctions": [{"type": "warning"}]}, "sanctions"),
            ({"ground": "rumour"}, "ground"),
            ({"issued_at": iso(now() + timedelta(days=3))}, "issued_at"),
        ]
        for change, field in cases:
            body = {"number": "1/QĐ", "authority": "A", "signer": {"name": "B", "title": "C"}, "issued_at": iso(now()),
                    "outcome": "violation", "legal_bases": [{"instrument": "Luật Quảng cáo", "article": "Điều 8"}],
                    "ground": "law", "category": "false_advertising", "facts": "F", "detection_source": "authority",
                    "notice": {"sent_at": iso(now()), "channel": "email"}, "sanctions": []}
            body.update(change)
            if body["notice"] is None:
                del body["notice"]
            r = self.req("POST", f"/v1/cases/{case}/decision", body, "regulator")
            self.assertProblem(r, 400, "validation", field)
        self.assertEqual(self.req("GET", f"/v1/cases/{case}", role="regulator").json()["state"], "under_review")

    def test_tv_presenter_fined_and_ordered_to_correct(self):
        p = self.person("Đỗ Thị Dẫn Chương Trình")
        case = self.open_case(p)
        d = self.decision(case, [
            {"type": "fine", "amount_vnd": 70000000},
            {"type": "remedial", "description": "Gỡ bỏ các quảng cáo và đăng cải chính trên trang cá nhân."},
        ], category="undisclosed_advertising")
        self.assertEqual([s["type"] for s in d["sanctions"]], ["fine", "remedial"])
        self.assertEqual(d["sanctions"][0]["amount_vnd"], 70000000)
        self.assertTrue(self.check(p, "broadcast")["allowed"])  # a fine limits no appearance
        # A second decision with the same number is refused.
        case2 = self.open_case(p)
        r = self.req("POST", f"/v1/cases/{case2}/decision", {**self.body_like(d), "sanctions": []}, "regulator")
        self.assertProblem(r, 409, "conflict")

    def body_like(self, d):
        return {"number": d["number"], "authority": d["authority"], "signer": {"name": "X", "title": "Y"},
                "issued_at": iso(now()), "outcome": "violation", "legal_bases": d["legal_bases"], "ground": "law",
                "category": "other", "facts": "F", "detection_source": "authority",
                "notice": {"sent_at": iso(now()), "channel": "email"}}

    def test_restriction_scheduled_for_next_week(self):
        p = self.person("Lý Thị Tuần Sau")
        case = self.open_case(p)
        start = now() + timedelta(days=7)
        self.decision(case, [{"type": "appearance_restriction", "scopes": ["performance"], "start": iso(start),
                              "end": iso(start + timedelta(days=30))}])
        self.assertTrue(self.check(p, "performance")["allowed"])
        self.assertFalse(self.check(p, "performance", at=iso(start + timedelta(days=1)))["allowed"])
        self.assertTrue(self.check(p, "performance", at=iso(start + timedelta(days=30)))["allowed"])  # end exclusive
        # A show planned across the start is caught by a window.
        self.assertFalse(self.check(p, "performance", **{"from": iso(now() + timedelta(days=6)), "to": iso(start + timedelta(hours=1))})["allowed"])
        self.assertTrue(self.check(p, "performance", **{"from": iso(now()), "to": iso(start)})["allowed"])
        snap = self.req("GET", "/v1/restrictions/snapshot", role="regulator").json()["items"]
        self.assertEqual([x["state"] for x in snap if x["person_id"] == p], ["scheduled"])
        self.assertProblem(self.req("GET", f"/v1/check?subject={p}&from={quote(iso(now()))}", role="platform"), 400,
                           "validation", "to")

    def test_expiry_at_the_exact_second(self):
        p = self.person("Vũ Văn Hết Hạn")
        self.handle(p, "@het.han")
        case = self.open_case(p)
        end = now() + timedelta(seconds=2)
        self.decision(case, [{"type": "appearance_restriction", "scopes": ["broadcast"], "start": iso(now() - timedelta(seconds=5)),
                              "end": iso(end)}])
        self.assertFalse(self.check("tiktok:het.han", "broadcast")["allowed"])
        self.assertFalse(self.check("tiktok:het.han", "broadcast", at=iso(end - timedelta(milliseconds=1)))["allowed"])
        self.assertTrue(self.check("tiktok:het.han", "broadcast", at=iso(end))["allowed"])
        time.sleep(max(0.0, (end - now()).total_seconds()) + 0.05)
        self.assertTrue(self.check("tiktok:het.han", "broadcast")["allowed"])  # nobody acted

    def test_appeal_overturns(self):
        p = self.person("Hồ Thị Khiếu Nại")
        kol = self.req("POST", "/v1/keys", {"role": "kol", "person_id": p}, "admin").json()["secret"]
        case = self.open_case(p)
        d = self.decision(case, [{"type": "appearance_restriction", "scopes": ["online_content"],
                                  "end": iso(now() + timedelta(days=90))}], publish=False)
        self.assertFalse(self.check(p, "online_content")["allowed"])
        self.assertProblem(self.req("GET", f"/v1/decisions/{d['id']}"), 404, "not-found")  # not published
        self.assertEqual(self.srv.request("GET", f"/v1/decisions/{d['id']}", key=kol).status, 200)  # but theirs
        # Someone else's kol key may not appeal it.
        self.assertProblem(self.req("POST", f"/v1/decisions/{d['id']}/appeals", {"grounds": "x"}, "kol"), 403, "forbidden")
        r = self.srv.request("POST", f"/v1/decisions/{d['id']}/appeals", {"grounds": "Tôi không phải người trong video."}, key=kol)
        self.assertEqual(r.status, 201, r)
        appeal = r.json()["id"]
        self.assertProblem(self.srv.request("POST", f"/v1/decisions/{d['id']}/appeals", {"grounds": "again"}, key=kol), 409,
                           "conflict")
        resolve = {"outcome": "overturned", "reasons": "Sai đối tượng.", "reviewer": "Nguyễn Văn Thẩm"}
        r = self.req("POST", f"/v1/appeals/{appeal}/resolve", resolve, "reviewer")
        self.assertEqual(self.assertProblem(r, 409, "conflict")["allowed"], ["under_review"])  # review first
        self.assertEqual(self.req("POST", f"/v1/appeals/{appeal}/review", role="reviewer").json()["state"], "under_review")
        # Not by the one who decided.
        self.assertProblem(self.req("POST", f"/v1/appeals/{appeal}/resolve", resolve, "regulator"), 403, "forbidden")
        self.assertProblem(self.req("POST", f"/v1/appeals/{appeal}/resolve", {**resolve, "reviewer": "Lê Quang Tự Do"},
                                    "reviewer"), 403, "forbidden")
        r = self.req("POST", f"/v1/appeals/{appeal}/resolve", resolve, "reviewer")
        self.assertEqual(r.json()["state"], "overturned", r)
        self.assertTrue(self.check(p, "online_content")["allowed"])
        got = self.req("GET", f"/v1/decisions/{d['id']}", role="regulator").json()
        self.assertEqual(got["sanctions"][0]["state"], "lifted")
        self.assertEqual(got["appeals"][0]["state"], "overturned")

    def test_suspended_pending_appeal_then_upheld(self):
        p = self.person("Bùi Văn Tạm Dừng")
        case = self.open_case(p)
        d = self.decision(case, [{"type": "appearance_restriction", "scopes": ["press"], "end": iso(now() + timedelta(days=60)),
                                  "suspend_pending_appeal": True}])
        appeal = self.req("POST", f"/v1/decisions/{d['id']}/appeals", {"grounds": "Xin xem xét lại."}, "regulator").json()["id"]
        self.assertFalse(self.check(p, "press")["allowed"])  # filed, not yet under review
        self.req("POST", f"/v1/appeals/{appeal}/review", role="reviewer")
        self.assertTrue(self.check(p, "press")["allowed"])  # suspended while under review
        self.assertEqual(self.req("GET", f"/v1/decisions/{d['id']}", role="regulator").json()["sanctions"][0]["state"],
                         "suspended")
        self.req("POST", f"/v1/appeals/{appeal}/resolve", {"outcome": "upheld", "reasons": "Đúng quy định.",
                                                            "reviewer": "Trịnh Thị Xét"}, "reviewer")
        self.assertFalse(self.check(p, "press")["allowed"])
        self.assertEqual(self.req("GET", f"/v1/decisions/{d['id']}", role="regulator").json()["sanctions"][0]["state"],
                         "reinstated")

    def test_appeal_modified_by_an_amending_decision(self):
        p = self.person("Tạ Văn Sửa Đổi")
        case = self.open_case(p)
        d = self.decision(case, [{"type": "appearance_restriction", "scopes": ["broadcast", "press"],
                                  "end": iso(now() + timedelta(days=180))}])
        appeal = self.req("POST", f"/v1/decisions/{d['id']}/appeals", {"grounds": "Quá nặng."}, "regulator").json()["id"]
        self.req("POST", f"/v1/appeals/{appeal}/review", role="reviewer")
        amendment = {"number": f"{uuid.uuid4().hex[:6]}/QĐ-SĐ", "authority": "Thanh tra Bộ", "signer": {"name": "Nguyễn Văn Thẩm",
                     "title": "Chánh Thanh tra"}, "issued_at": iso(now()), "outcome": "violation",
                     "legal_bases": d["legal_bases"], "ground": "law", "category": "false_advertising", "facts": "Giảm thời hạn.",
                     "detection_source": "authority", "notice": {"sent_at": iso(now()), "channel": "văn bản"},
                     "sanctions": [{"type": "appearance_restriction", "scopes": ["press"], "end": iso(now() + timedelta(days=30))}]}
        r = self.req("POST", f"/v1/appeals/{appeal}/resolve", {"outcome": "modified", "reasons": "Giảm còn 30 ngày, chỉ báo chí.",
                                                                "reviewer": "Nguyễn Văn Thẩm", "amendment": amendment}, "reviewer")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["state"], "modified")
        self.assertTrue(self.check(p, "broadcast")["allowed"])
        self.assertFalse(self.check(p, "press")["allowed"])
        old = self.req("GET", f"/v1/decisions/{d['id']}", role="regulator").json()
        self.assertEqual(old["sanctions"][0]["state"], "lifted")
        self.assertEqual(old["outcome"], "violation")  # the original stays as it was issued
        new = self.req("GET", f"/v1/decisions/{r.json()['amending_decision']}", role="regulator").json()
        self.assertEqual(new["amends"], d["id"])

    def test_appeal_after_the_deadline(self):
        p = self.person("Mai Văn Trễ Hạn")
        case = self.open_case(p)
        d = self.decision(case, [{"type": "warning"}], issued=now() - timedelta(days=31))
        r = self.req("POST", f"/v1/decisions/{d['id']}/appeals", {"grounds": "Muộn."}, "regulator")
        p409 = self.assertProblem(r, 409, "conflict")
        self.assertIn("+07:00", p409["detail"])  # names the deadline, in Vietnam's time

    def test_handle_moved_to_another_person(self):
        a = self.person("Lâm Thị Cũ")
        b = self.person("Lâm Thị Mới")
        self.handle(a, "@chuyen.nhuong")
        case = self.open_case(a)
        self.decision(case, [{"type": "appearance_restriction", "scopes": ["livestream"], "end": iso(now() + timedelta(days=30))}])
        self.assertFalse(self.check("tiktok:chuyen.nhuong", "livestream")["allowed"])
        self.assertEqual(self.req("DELETE", "/v1/accounts/tiktok/chuyen.nhuong", role="platform").status, 200)
        gone = self.check("tiktok:chuyen.nhuong", "livestream")
        self.assertTrue(gone["allowed"])
        self.assertFalse(gone["handle_known"])
        self.handle(b, "@chuyen.nhuong")
        moved = self.check("tiktok:chuyen.nhuong", "livestream")
        self.assertEqual((moved["person_id"], moved["allowed"], moved["handle_known"]), (b, True, True))
        self.assertFalse(self.check(a, "livestream")["allowed"])  # the restriction stays with the person

    def test_batch_and_bad_input(self):
        p = self.person("Châu Văn Lô")
        case = self.open_case(p)
        self.decision(case, [{"type": "advertising_ban", "end": iso(now() + timedelta(days=30))}])
        r = self.req("POST", "/v1/check", {"subjects": [p, "tiktok:nobody.here", "p0000001"], "scope": "advertising"}, "advertiser")
        self.assertEqual(r.status, 200, r)
        res = r.json()
        self.assertEqual([x["allowed"] for x in res["results"]], [False, True, True])
        self.assertFalse(res["all_allowed"])
        self.assertFalse(res["results"][1]["handle_known"])
        self.assertProblem(self.req("POST", "/v1/check", {"subjects": ["x"] * 1001}, "platform"), 400, "validation", "subjects")
        bad = self.req("POST", "/v1/check", {"subjects": ["myspace:abc"]}, "platform").json()  # its own error, not the batch's
        self.assertEqual((bad["results"][0]["status"], bad["results"][0]["error"]["field"]), (400, "subjects[0]"))
        self.assertProblem(self.req("GET", "/v1/check?subject=p1&scope=radio", role="platform"), 400, "validation", "scope")
        self.assertProblem(self.req("GET", "/v1/check?scope=any", role="platform"), 400, "validation", "subject")
        self.assertProblem(self.req("GET", "/v1/check?subject=p1&at=tomorrow", role="platform"), 400, "validation", "at")
        self.assertProblem(self.req("GET", "/v1/changes", role="platform"), 400, "validation", "since")

    def test_recommendations_never_sanctions(self):
        p = self.person("Dương Văn Tái Phạm")
        for i in range(5):
            case = self.open_case(p)
            self.decision(case, [{"type": "warning"}], issued=now() - timedelta(days=20 - i))
        recs = self.req("GET", "/v1/recommendations", role="regulator").json()
        mine = [x for x in recs["items"] if x["person_id"] == p]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["recommendation"], "temporary_restriction")
        self.assertEqual((mine[0]["min_days"], mine[0]["max_days"], mine[0]["window_days"]), (7, 30, 30))
        self.assertEqual(len(mine[0]["decisions"]), 5)
        self.assertTrue(self.check(p, "any")["allowed"])  # nothing was applied
        # The note and each reason in the reader's language, Vietnamese by default.
        self.assertIn("không có gì được áp dụng", recs["note"])
        self.assertIn("hạn chế xuất hiện tạm thời từ 7 đến 30 ngày", mine[0]["reason"])
        en = self.req("GET", "/v1/recommendations", role="regulator", headers={"Accept-Language": "en"}).json()
        self.assertEqual(en["note"], "Recommendations only: nothing is applied without a decision.")
        self.assertIn("5 violations within 30 days", [x for x in en["items"] if x["person_id"] == p][0]["reason"])


if __name__ == "__main__":
    unittest.main()
