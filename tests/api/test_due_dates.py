"""Dates that keep a decision true, and an appeal's record after it is resolved.

A decision could be dated before its case was opened, notice in the future or before 2000, a
delisting before the decision; the time to appeal ran from the signature rather than from the
notice; after an appeal was resolved the decision still read "appeal open", and a second appeal
on the same decision was taken. Against the binary before the fix each test here fails."""

import unittest
import uuid
from datetime import timedelta

from harness import ServerTest
from test_cases import CaseSteps, iso, now


class DueDates(CaseSteps, ServerTest):
    demo_persons = 5

    def body(self, **over):
        b = {"number": f"{uuid.uuid4().hex[:6]}/QĐ-XPHC", "authority": "Cục Phát thanh, Truyền hình và Thông tin điện tử",
             "signer": {"name": "Lê Quang Tự Do", "title": "Cục trưởng"}, "issued_at": iso(now() - timedelta(days=1)),
             "outcome": "violation", "legal_bases": [{"instrument": "Nghị định 38/2021/NĐ-CP", "article": "Điều 51"}],
             "ground": "law", "category": "false_advertising", "facts": "Quảng cáo sai công dụng.",
             "detection_source": "platform", "notice": {"sent_at": iso(now() - timedelta(hours=20)), "channel": "văn bản"},
             "publish": True, "sanctions": [{"type": "warning"}]}
        b.update(over)
        return b

    def fresh_case(self):
        p = self.person("Đinh Văn Hạn Định")
        r = self.req("POST", "/v1/cases", {"person_id": p, "authority": "Cục PTTH&TTĐT",
                                            "opened_at": iso(now() - timedelta(days=3))}, "regulator")
        self.assertEqual(r.status, 201, r)
        case = r.json()["id"]
        self.req("POST", f"/v1/cases/{case}/transition", {"state": "under_review"}, "regulator")
        return case

    def test_dates_have_bounds(self):
        case = self.fresh_case()
        for over, field in (({"issued_at": iso(now() - timedelta(days=5))}, "issued_at"),  # before the case was opened
                            ({"issued_at": "1999-12-31T10:00:00+07:00"}, "issued_at"),
                            ({"issued_at": iso(now() + timedelta(hours=1))}, "issued_at"),
                            ({"notice": {"sent_at": iso(now() - timedelta(days=4)), "channel": "văn bản"}}, "notice.sent_at"),
                            ({"notice": {"sent_at": iso(now() + timedelta(days=2)), "channel": "văn bản"}}, "notice.sent_at"),
                            ({"delist_at": iso(now() - timedelta(days=2))}, "delist_at")):
            with self.subTest(field=field, over=over):
                self.assertProblem(self.req("POST", f"/v1/cases/{case}/decision", self.body(**over), "regulator"), 400,
                                   "validation", field)
        # A case cannot claim to have begun in the future, nor before 2000.
        p = self.person("Đinh Thị Tương Lai")
        for opened in (iso(now() + timedelta(days=1)), "1999-01-01"):
            self.assertProblem(self.req("POST", "/v1/cases", {"person_id": p, "authority": "X", "opened_at": opened},
                                        "regulator"), 400, "validation", "opened_at")

    def test_the_authority_is_the_issuing_organisation(self):
        """A decision's authority is the issuing key's organisation; the text given adds a department
        and cannot name another authority in its place."""
        own = "Cục Phát thanh, Truyền hình và Thông tin điện tử"
        for given, want in ((None, own), ("Phòng Pháp chế", own + " – Phòng Pháp chế"),
                            ("cuc phat thanh, truyen hinh va thong tin dien tu (Phòng Thanh tra)",
                             "cuc phat thanh, truyen hinh va thong tin dien tu (Phòng Thanh tra)"),
                            ("Bộ Công an", own + " – Bộ Công an")):
            with self.subTest(given=given):
                body = self.body()
                if given is None:
                    del body["authority"]
                else:
                    body["authority"] = given
                r = self.req("POST", f"/v1/cases/{self.fresh_case()}/decision", body, "regulator")
                self.assertEqual(r.status, 201, r)
                self.assertEqual(r.json()["authority"], want)
        # Another regulator's key records its own organisation, whatever the text claims.
        org = self.req("POST", "/v1/orgs", {"name": "Cục Cạnh tranh và Bảo vệ người tiêu dùng", "kind": "regulator"},
                       "admin").json()["id"]
        key = self.req("POST", "/v1/keys", {"role": "regulator", "org_id": org}, "admin").json()["secret"]
        r = self.srv.request("POST", f"/v1/cases/{self.fresh_case()}/decision", self.body(), key=key)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["authority"], "Cục Cạnh tranh và Bảo vệ người tiêu dùng – " + own)
        case = self.req("POST", "/v1/cases", {"person_id": self.person("Đinh Văn Cơ Quan")}, "regulator")
        self.assertEqual(case.status, 201, case)
        self.assertEqual(case.json()["authority"], own)

    def test_the_time_to_appeal_runs_from_the_notice(self):
        case = self.fresh_case()
        issued, sent = now() - timedelta(days=2), now() - timedelta(days=1)
        r = self.req("POST", f"/v1/cases/{case}/decision",
                     self.body(issued_at=iso(issued), notice={"sent_at": iso(sent), "channel": "văn bản"}), "regulator")
        self.assertEqual(r.status, 201, r)
        d = r.json()
        expected = self.req("GET", f"/v1/decisions/{d['id']}").json()["appeal"]["deadline"]
        # 30 days after the notice, shown in Vietnam's time (the notice was given a day after signing).
        notice_shown = d["notice"]["sent_at"]
        self.assertEqual(expected[:10], (sent + timedelta(days=30) + timedelta(hours=7)).strftime("%Y-%m-%d"))
        self.assertTrue(notice_shown.endswith("+07:00"))

    def test_a_resolved_appeal_closes_the_decision_to_appeals(self):
        case = self.fresh_case()
        d = self.req("POST", f"/v1/cases/{case}/decision", self.body(), "regulator").json()
        self.assertTrue(d["appeal"]["open"])
        a = self.req("POST", f"/v1/decisions/{d['id']}/appeals", {"grounds": "Tôi không đồng ý."}, "regulator").json()
        pending = self.req("GET", f"/v1/decisions/{d['id']}").json()["appeal"]
        self.assertEqual((pending["open"], pending["state"], pending["appeal_id"]), (False, "filed", a["id"]))
        self.req("POST", f"/v1/appeals/{a['id']}/review", {}, "reviewer")
        amendment = self.body(sanctions=[{"type": "warning"}], facts="Sửa lại sau khiếu nại.")
        del amendment["issued_at"]
        amendment["issued_at"] = iso(now() - timedelta(seconds=2))
        r = self.req("POST", f"/v1/appeals/{a['id']}/resolve", {"outcome": "modified", "reasons": "Sửa mức xử lý.",
                                                               "reviewer": "Trần Thị Xét Lại", "amendment": amendment},
                     "reviewer")
        self.assertEqual(r.status, 200, r)
        after = self.req("GET", f"/v1/decisions/{d['id']}").json()["appeal"]
        self.assertEqual((after["open"], after["state"]), (False, "modified"))
        self.assertEqual(after["amended_by"], r.json()["amending_decision"])
        second = self.req("POST", f"/v1/decisions/{d['id']}/appeals", {"grounds": "Lần nữa."}, "regulator")
        self.assertIn("Điều 7", self.assertProblem(second, 409, "conflict")["detail"])

    def test_the_wrong_resolver_is_told_why(self):
        case = self.fresh_case()
        d = self.req("POST", f"/v1/cases/{case}/decision", self.body(), "regulator").json()
        a = self.req("POST", f"/v1/decisions/{d['id']}/appeals", {"grounds": "Xin xem lại."}, "regulator").json()
        self.req("POST", f"/v1/appeals/{a['id']}/review", {}, "reviewer")
        same_key = self.req("POST", f"/v1/appeals/{a['id']}/resolve", {"outcome": "upheld", "reasons": "Giữ nguyên.",
                                                                      "reviewer": "Người Khác"}, "regulator")
        self.assertIn("khóa này đã ghi quyết định", self.assertProblem(same_key, 403, "forbidden")["detail"])
        signer = self.req("POST", f"/v1/appeals/{a['id']}/resolve", {"outcome": "upheld", "reasons": "Giữ nguyên.",
                                                                    "reviewer": "  le quang TU DO "}, "reviewer",
                          headers={"Accept-Language": "en"})
        self.assertIn("signer", self.assertProblem(signer, 403, "forbidden")["detail"])  # names compared loosely


if __name__ == "__main__":
    unittest.main()
