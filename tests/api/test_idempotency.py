"""Idempotency-Key on every route that writes: the first request records its answer once, a retry
with the same key and request replays it byte for byte, another request with the same key is 422,
and a concurrent duplicate waits for the first instead of failing.

The table below has one row per write route of docs/AUTHORIZATION.md; a route added there without
a row here fails the test."""

import hashlib
import json
import os
import threading
import unittest
import uuid
from datetime import timedelta

from harness import SOURCE, ServerTest, sql_one, sql_run
from steps import decision_body, iso, now
from test_authz import matrix
from test_notices import notice
from test_trust import answers


# POSTs that only read: an Idempotency-Key on them changes nothing.
READS = {("POST", "/v1/check"), ("POST", "/v1/screen")}

CONFIRMED = {"used_or_understands_product": True, "claims_match_documents": True, "will_label_as_advertising": True,
             "relationship_disclosed": True}


class Call:
    """One request: who sends it, where, with what; and a different request for the same key."""

    def __init__(self, key, method, path, body=None, raw=None, headers=None, other=None):
        self.key, self.method, self.path, self.body, self.raw = key, method, path, body, raw
        self.headers = headers or {}
        self.other = other  # (path, body): another request


class Idempotency(ServerTest):
    demo_persons = 5

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.srv.keys["admin"]
        org = cls.srv.request("POST", "/v1/orgs", {"name": "Thanh tra Bộ Văn hóa", "kind": "regulator"}, key=admin).json()
        cls.srv.keys["reviewer"] = cls.srv.request("POST", "/v1/keys", {"role": "regulator", "org_id": org["id"]},
                                                   key=admin).json()["secret"]

    # ---- preconditions, made without keys ----

    def k(self, role):
        return self.srv.keys[role]

    def ok(self, r, *status):
        self.assertIn(r.status, status or (200, 201), r)
        return r.json() if r.body else None

    def person(self, name=None):
        return self.ok(self.req("POST", "/v1/persons", {"legal_name": name or f"Nguyễn Văn {uuid.uuid4().hex[:6]}"},
                                "regulator"))["id"]

    def org(self, suspended=False):
        o = self.ok(self.req("POST", "/v1/orgs", {"name": f"Báo Thử {uuid.uuid4().hex[:6]}", "kind": "press"}, "admin"))["id"]
        if suspended:
            self.ok(self.req("POST", f"/v1/orgs/{o}/suspend", {"reason": "Thử."}, "admin"))
        return o

    def user(self):
        return self.ok(self.req("POST", "/v1/users", {"login": f"u.{uuid.uuid4().hex[:10]}", "name": "Người Dùng",
                                                      "role": "admin", "org_id": self.srv.operator_org}, "admin"))["id"]

    def case(self, moved=True):
        c = self.ok(self.req("POST", "/v1/cases", {"opened_at": iso(now() - timedelta(days=60)), "person_id": self.person(), "authority": "Cục PTTH&TTĐT"}, "regulator"))["id"]
        if moved:
            self.ok(self.req("POST", f"/v1/cases/{c}/transition", {"state": "under_review"}, "regulator"))
        return c

    def decision_body(self, number=None):
        return decision_body(number=number)

    def decision(self):
        return self.ok(self.req("POST", f"/v1/cases/{self.case()}/decision", self.decision_body(), "regulator"))["id"]

    def appeal(self, reviewed=False):
        a = self.ok(self.req("POST", f"/v1/decisions/{self.decision()}/appeals", {"grounds": "Xin xem xét lại."},
                             "regulator"))["id"]
        if reviewed:
            self.ok(self.req("POST", f"/v1/appeals/{a}/review", role="reviewer"))
        return a

    def advertiser(self):
        org = self.ok(self.req("POST", "/v1/orgs", {"name": f"Công ty {uuid.uuid4().hex[:6]}", "kind": "advertiser"}, "admin"))
        key = self.ok(self.req("POST", "/v1/keys", {"role": "advertiser", "org_id": org["id"]}, "admin"))["secret"]
        return key

    def registered(self):
        key = self.advertiser()
        code = str(int(uuid.uuid4().int % 9_000_000_000) + 1_000_000_000)
        a = self.ok(self.srv.request("POST", "/v1/advertisers", {"enterprise_code": code, "name": "Công ty TNHH Thử"}, key=key))
        return key, a["id"]

    def doc(self, number, sha=None):
        return {"type": "product_declaration_registration", "number": number, "issuer": "Cục An toàn thực phẩm",
                "valid_from": iso(now() - timedelta(days=30)), "valid_until": iso(now() + timedelta(days=365)),
                "sha256": sha or hashlib.sha256(number.encode()).hexdigest()}

    def product_body(self, name="Viên rau củ Xanh", sha=None):
        return {"name": name, "category": "health_supplements", "documents": [self.doc(f"{uuid.uuid4().hex[:4]}/2026/ĐKSP", sha)]}

    def product(self, key, sha=None):
        return self.ok(self.srv.request("POST", "/v1/products", self.product_body(sha=sha), key=key))

    def kol(self):
        pid = self.person("Đỗ Thị Review")
        return pid, self.ok(self.req("POST", "/v1/keys", {"role": "kol", "person_id": pid}, "admin"))["secret"]

    CLAIMS = "Viên rau củ Xanh bổ sung chất xơ. Thực phẩm này không phải là thuốc và không có tác dụng thay thế thuốc chữa bệnh"

    def offer_body(self, person, product, fee=50000000):
        return {"person_id": person, "product_id": product, "claims": self.CLAIMS, "start": iso(now() + timedelta(days=1)),
                "end": iso(now() + timedelta(days=30)), "platforms": ["tiktok"], "fee_vnd": fee}

    def offer(self, confirmed=False, advertiser=False):
        adv, _ = self.registered()
        product = self.product(adv)["id"]
        person, kol = self.kol()
        o = self.ok(self.srv.request("POST", "/v1/offers", self.offer_body(person, product), key=adv))
        if confirmed:
            self.ok(self.srv.request("POST", f"/v1/offers/{o['id']}/confirm", CONFIRMED, key=kol))
        return o["id"], adv if advertiser else kol

    def recalled(self):
        p = self.product(self.registered()[0])["id"]
        self.ok(self.req("POST", f"/v1/products/{p}/recall", {"reason": "Thử", "source": "Công văn"}, "regulator"))
        return p

    def account(self):
        handle = f"@idem.{uuid.uuid4().hex[:8]}"
        self.ok(self.req("POST", "/v1/accounts", {"person_id": self.person(), "platform": "tiktok", "handle": handle}, "platform"))
        return handle

    def webhook(self):
        return self.ok(self.req("POST", "/v1/webhooks", {"url": "http://127.0.0.1:9/h", "events": ["ad.suspended"]},
                                "platform"))["id"]

    def trust_kol(self):
        pid = self.person("Lương Thị Thành Viên")
        handle = f"tv.{uuid.uuid4().hex[:8]}"
        self.ok(self.req("POST", "/v1/accounts", {"person_id": pid, "platform": "tiktok", "handle": handle}, "platform"))
        return pid, self.ok(self.req("POST", "/v1/keys", {"role": "kol", "person_id": pid}, "admin"))["secret"], handle

    def member(self, key, admitted=False, accepted=False):
        m = self.ok(self.srv.request("POST", "/v1/trust/members", {}, key=key))["id"]
        if admitted or accepted:
            self.ok(self.req("POST", f"/v1/trust/members/{m}/admit", {}, "programme"))
        if accepted:
            self.ok(self.srv.request("POST", f"/v1/trust/members/{m}/accept", {"version": 1}, key=key))
        return m

    def quiz(self, key):
        return self.ok(self.srv.request("POST", "/v1/trust/quiz", key=key, raw=b""))

    def application(self):
        pid, key, _ = self.trust_kol()
        self.member(key, accepted=True)
        q = self.quiz(key)
        self.ok(self.srv.request("POST", f"/v1/trust/quiz/{q['id']}/answers", {"answers": answers(q)}, key=key))
        return self.ok(self.srv.request("POST", "/v1/trust/applications", key=key, raw=b""))["id"]

    def network_kol(self, topic="health"):
        pid = self.person("Lý Thị Mạng Lưới")
        key = self.ok(self.req("POST", "/v1/keys", {"role": "kol", "person_id": pid}, "admin"))["secret"]
        self.ok(self.srv.request("POST", "/v1/network/members", {"topics": [topic], "provinces": ["01"], "channels": ["feed"]},
                                 key=key))
        return key

    def issued(self, **over):
        return self.ok(self.req("POST", "/v1/notices", notice(**over), "regulator"))["id"]

    # ---- one row per write route ----

    def calls(self):
        k = self.k
        return {
            ("POST", "/v1/orgs"): lambda: Call(k("admin"), "POST", "/v1/orgs", {"name": "Đài Truyền hình Thử", "kind": "broadcaster"},
                                               other=("/v1/orgs", {"name": "Đài khác", "kind": "broadcaster"})),
            ("POST", "/v1/orgs/{id}/suspend"): lambda: (lambda o: Call(
                k("admin"), "POST", f"/v1/orgs/{o}/suspend", {"reason": "Vi phạm quy chế."},
                other=(f"/v1/orgs/{o}/suspend", {"reason": "Lý do khác."})))(self.org()),
            ("POST", "/v1/orgs/{id}/reinstate"): lambda: (lambda o: Call(
                k("admin"), "POST", f"/v1/orgs/{o}/reinstate", {"reason": "Đã khắc phục."},
                other=(f"/v1/orgs/{o}/reinstate", {"reason": "Khác."})))(self.org(suspended=True)),
            ("POST", "/v1/keys"): lambda: Call(k("admin"), "POST", "/v1/keys", {"role": "admin", "org_id": self.srv.operator_org,
                                                                                 "label": "một"}, other=("/v1/keys", {"role": "admin"})),
            ("POST", "/v1/users"): lambda: Call(k("admin"), "POST", "/v1/users", {
                "login": f"thu.{uuid.uuid4().hex[:8]}", "name": "Người Thử", "role": "admin", "org_id": self.srv.operator_org},
                other=("/v1/users", {"login": f"khac.{uuid.uuid4().hex[:8]}", "name": "Người Khác", "role": "admin",
                                     "org_id": self.srv.operator_org})),
            ("POST", "/v1/users/{id}/disable"): lambda: (lambda u, u2: Call(
                k("admin"), "POST", f"/v1/users/{u}/disable", {"reason": "Đã nghỉ việc."},
                other=(f"/v1/users/{u2}/disable", {"reason": "Đã nghỉ việc."})))(self.user(), self.user()),
            ("POST", "/v1/users/{id}/reset"): lambda: (lambda u, u2: Call(
                k("admin"), "POST", f"/v1/users/{u}/reset", other=(f"/v1/users/{u2}/reset", None)))(self.user(), self.user()),
            ("POST", "/v1/keys/{id}/revoke"): lambda: (lambda kid, kid2: Call(
                k("admin"), "POST", f"/v1/keys/{kid}/revoke", other=(f"/v1/keys/{kid2}/revoke", None)))(
                *[self.ok(self.req("POST", "/v1/keys", {"role": "admin", "org_id": self.srv.operator_org}, "admin"))["id"]
                  for _ in range(2)]),
            ("POST", "/v1/persons"): lambda: Call(k("regulator"), "POST", "/v1/persons", {"legal_name": "Trần Thị Lặp Lại"},
                                                  other=("/v1/persons", {"legal_name": "Trần Thị Khác"})),
            ("PATCH", "/v1/persons/{id}"): lambda: (lambda p: Call(k("regulator"), "PATCH", f"/v1/persons/{p}", {"province": "Huế"},
                                                                   headers={"If-Match": '"1"'},
                                                                   other=(f"/v1/persons/{p}", {"province": "Hà Nội"})))(self.person()),
            ("POST", "/v1/accounts"): lambda: (lambda p: Call(k("platform"), "POST", "/v1/accounts",
                                                              {"person_id": p, "platform": "tiktok", "handle": f"@lap.{p[-6:]}"},
                                                              other=("/v1/accounts", {"person_id": p, "platform": "tiktok",
                                                                                      "handle": f"@khac.{p[-6:]}"})))(self.person()),
            ("DELETE", "/v1/accounts/{platform}/{handle}"): lambda: (lambda h, h2: Call(
                k("platform"), "DELETE", f"/v1/accounts/tiktok/{h}", other=(f"/v1/accounts/tiktok/{h2}", None)))(
                self.account(), self.account()),
            ("POST", "/v1/reports"): lambda: Call(k("platform"), "POST", "/v1/reports", {
                "subject": {"person_id": "p0000001"}, "category": "false_advertising", "description": "Quảng cáo sai."},
                other=("/v1/reports", {"subject": {"person_id": "p0000001"}, "category": "false_advertising", "description": "Khác."})),
            ("POST", "/v1/cases"): lambda: Call(k("regulator"), "POST", "/v1/cases", {"person_id": "p0000003", "authority": "Cục A"},
                                                other=("/v1/cases", {"person_id": "p0000003", "authority": "Cục B"})),
            ("POST", "/v1/cases/{id}/transition"): lambda: (lambda c: Call(
                k("regulator"), "POST", f"/v1/cases/{c}/transition", {"state": "under_review"},
                other=(f"/v1/cases/{c}/transition", {"state": "closed"})))(self.case(moved=False)),
            ("POST", "/v1/cases/{id}/decision"): lambda: (lambda c: Call(
                k("regulator"), "POST", f"/v1/cases/{c}/decision", self.decision_body(),
                other=(f"/v1/cases/{c}/decision", self.decision_body())))(self.case()),
            ("POST", "/v1/decisions/{id}/delist"): lambda: (lambda d: Call(
                k("regulator"), "POST", f"/v1/decisions/{d}/delist",
                {"legal_basis": "Luật Khiếu nại 2011, Điều 42", "reason": "Quyết định bị hủy."},
                other=(f"/v1/decisions/{d}/delist", {"legal_basis": "Luật Khiếu nại 2011, Điều 42", "reason": "Khác"})))(
                self.decision()),
            ("POST", "/v1/decisions/{id}/appeals"): lambda: (lambda d: Call(
                k("regulator"), "POST", f"/v1/decisions/{d}/appeals", {"grounds": "Xin xem xét lại."},
                other=(f"/v1/decisions/{d}/appeals", {"grounds": "Lý do khác."})))(self.decision()),
            ("POST", "/v1/appeals/{id}/review"): lambda: (lambda a, a2: Call(
                k("reviewer"), "POST", f"/v1/appeals/{a}/review", other=(f"/v1/appeals/{a2}/review", None)))(
                self.appeal(), self.appeal()),
            ("POST", "/v1/appeals/{id}/resolve"): lambda: (lambda a: Call(
                k("reviewer"), "POST", f"/v1/appeals/{a}/resolve",
                {"outcome": "overturned", "reasons": "Sai đối tượng.", "reviewer": "Nguyễn Văn Thẩm"},
                other=(f"/v1/appeals/{a}/resolve", {"outcome": "upheld", "reasons": "Đúng.", "reviewer": "Nguyễn Văn Thẩm"})))(
                self.appeal(reviewed=True)),
            ("POST", "/v1/redactions"): lambda: (lambda d: Call(
                k("regulator"), "POST", "/v1/redactions", {"record_id": d, "legal_basis": "Nghị định 13/2023/NĐ-CP, Điều 16",
                                                            "reason": "Yêu cầu của chủ thể dữ liệu"},
                other=("/v1/redactions", {"record_id": d, "legal_basis": "Khác", "reason": "Khác"})))(self.decision()),
            ("POST", "/v1/advertisers"): lambda: (lambda key: Call(
                key, "POST", "/v1/advertisers", {"enterprise_code": "0312345670", "name": "Công ty CP Lặp"},
                other=("/v1/advertisers", {"enterprise_code": "0312345671", "name": "Công ty CP Khác"})))(self.advertiser()),
            ("POST", "/v1/advertisers/{id}/suspend"): lambda: (lambda a: Call(
                k("regulator"), "POST", f"/v1/advertisers/{a}/suspend", {"reason": "Quảng cáo sai sự thật nhiều lần",
                                                                          "legal_basis": "Luật Quảng cáo, Điều 8"},
                other=(f"/v1/advertisers/{a}/suspend", {"reason": "Lý do khác hẳn", "legal_basis": "Luật Quảng cáo"})))(
                self.registered()[1]),
            ("POST", "/v1/advertisers/{id}/reinstate"): lambda: (lambda a: (self.ok(self.req(
                "POST", f"/v1/advertisers/{a}/suspend", {"reason": "Quảng cáo sai sự thật nhiều lần",
                                                         "legal_basis": "Luật Quảng cáo, Điều 8"}, "regulator")), Call(
                k("regulator"), "POST", f"/v1/advertisers/{a}/reinstate", {"reason": "Đã khắc phục",
                                                                            "legal_basis": "Luật Quảng cáo, Điều 8"},
                other=(f"/v1/advertisers/{a}/reinstate", {"reason": "Khác", "legal_basis": "Luật Quảng cáo"})))[1])(
                self.registered()[1]),
            ("POST", "/v1/products"): lambda: (lambda key: Call(
                key, "POST", "/v1/products", self.product_body(), other=("/v1/products", self.product_body("Khác"))))(
                self.registered()[0]),
            ("POST", "/v1/products/{id}/recall"): lambda: (lambda p: Call(
                k("regulator"), "POST", f"/v1/products/{p}/recall", {"reason": "Phát hiện chất cấm", "source": "Công văn 1/ATTP"},
                other=(f"/v1/products/{p}/recall", {"reason": "Khác", "source": "Công văn 2/ATTP"})))(
                self.product(self.registered()[0])["id"]),
            ("POST", "/v1/products/{id}/recall/lift"): lambda: (lambda p: Call(
                k("regulator"), "POST", f"/v1/products/{p}/recall/lift", {"reason": "Kết quả kiểm nghiệm lại đạt"},
                other=(f"/v1/products/{p}/recall/lift", {"reason": "Khác"})))(self.recalled()),
            ("POST", "/v1/products/{id}/documents"): lambda: (lambda p: Call(
                p[0], "POST", f"/v1/products/{p[1]['id']}/documents",
                {**self.doc(f"{uuid.uuid4().hex[:4]}/2026/ĐKSP"), "supersedes": p[1]["documents"][0]["id"]},
                other=(f"/v1/products/{p[1]['id']}/documents", self.doc("khác/2026/ĐKSP"))))(
                (lambda adv: (adv, self.product(adv)))(self.registered()[0])),
            ("PUT", "/v1/products/{id}/documents/{doc}/file"): self.file_call,
            ("POST", "/v1/offers"): lambda: (lambda key, person: Call(
                key[0], "POST", "/v1/offers", self.offer_body(person, key[1]),
                other=("/v1/offers", self.offer_body(person, key[1], fee=1))))(
                (lambda adv: (adv, self.product(adv)["id"]))(self.registered()[0]), self.person()),
            ("POST", "/v1/offers/{id}/confirm"): lambda: (lambda o: Call(
                o[1], "POST", f"/v1/offers/{o[0]}/confirm", CONFIRMED,
                other=(f"/v1/offers/{o[0]}/confirm", {**CONFIRMED, "relationship_disclosed": False})))(self.offer()),
            ("POST", "/v1/offers/{id}/decline"): lambda: (lambda o: Call(
                o[1], "POST", f"/v1/offers/{o[0]}/decline", {"reason": "Thiếu câu khuyến cáo"},
                other=(f"/v1/offers/{o[0]}/decline", {"reason": "Khác"})))(self.offer()),
            ("POST", "/v1/offers/{id}/withdraw"): lambda: (lambda o: Call(
                o[1], "POST", f"/v1/offers/{o[0]}/withdraw", {"reason": "Đổi kế hoạch"},
                other=(f"/v1/offers/{o[0]}/withdraw", {"reason": "Khác"})))(self.offer(advertiser=True)),
            ("POST", "/v1/offers/{id}/accept"): lambda: (lambda o: Call(
                o[1], "POST", f"/v1/offers/{o[0]}/accept", other=(f"/v1/offers/{o[0]}x/accept", None)))(self.offer(confirmed=True)),
            ("POST", "/v1/webhooks"): lambda: Call(k("platform"), "POST", "/v1/webhooks",
                                                   {"url": "http://127.0.0.1:9/lap", "events": ["ad.suspended"]},
                                                   other=("/v1/webhooks", {"url": "http://127.0.0.1:9/khac", "events": ["ad.suspended"]})),
            ("DELETE", "/v1/webhooks/{id}"): lambda: (lambda h, h2: Call(
                k("platform"), "DELETE", f"/v1/webhooks/{h}", other=(f"/v1/webhooks/{h2}", None)))(self.webhook(), self.webhook()),
            ("POST", "/v1/trust/members"): lambda: (lambda t: Call(
                t[1], "POST", "/v1/trust/members", {"topics": ["làm đẹp"]},
                other=("/v1/trust/members", {"topics": ["ẩm thực"]})))(self.trust_kol()),
            ("POST", "/v1/trust/members/{id}/admit"): lambda: (lambda m: Call(
                k("programme"), "POST", f"/v1/trust/members/{m}/admit", {"reason": "Đủ điều kiện."},
                other=(f"/v1/trust/members/{m}/admit", {"reason": "Khác."})))(self.member(self.trust_kol()[1])),
            ("POST", "/v1/trust/members/{id}/refuse"): lambda: (lambda m: Call(
                k("programme"), "POST", f"/v1/trust/members/{m}/refuse", {"reason": "Chưa đủ hồ sơ."},
                other=(f"/v1/trust/members/{m}/refuse", {"reason": "Khác."})))(self.member(self.trust_kol()[1])),
            ("POST", "/v1/trust/members/{id}/remove"): lambda: (lambda m: Call(
                k("programme"), "POST", f"/v1/trust/members/{m}/remove", {"reason": "Vi phạm bộ tiêu chuẩn."},
                other=(f"/v1/trust/members/{m}/remove", {"reason": "Khác."})))(self.member(self.trust_kol()[1], admitted=True)),
            ("POST", "/v1/trust/members/{id}/accept"): lambda: (lambda key: (lambda m: Call(
                key, "POST", f"/v1/trust/members/{m}/accept", {"version": 1},
                other=(f"/v1/trust/members/{m}/accept", {"version": 2})))(self.member(key, admitted=True)))(self.trust_kol()[1]),
            ("POST", "/v1/trust/members/{id}/leave"): lambda: (lambda key: (lambda m: Call(
                key, "POST", f"/v1/trust/members/{m}/leave", {"reason": "Tạm dừng hoạt động."},
                other=(f"/v1/trust/members/{m}/leave", {"reason": "Khác."})))(self.member(key, admitted=True)))(self.trust_kol()[1]),
            ("POST", "/v1/trust/quiz"): lambda: (lambda key: Call(key, "POST", "/v1/trust/quiz",
                                                                  other=("/v1/trust/applications", None)))(self.trust_kol()[1]),
            ("POST", "/v1/trust/quiz/{id}/answers"): lambda: (lambda key: (lambda q: Call(
                key, "POST", f"/v1/trust/quiz/{q['id']}/answers", {"answers": answers(q)},
                other=(f"/v1/trust/quiz/{q['id']}/answers", {"answers": answers(q, right=False)})))(self.quiz(key)))(
                self.trust_kol()[1]),
            ("POST", "/v1/trust/applications"): lambda: (lambda t: (self.member(t[1], accepted=True), (lambda q: (
                self.ok(self.srv.request("POST", f"/v1/trust/quiz/{q['id']}/answers", {"answers": answers(q)}, key=t[1])),
                Call(t[1], "POST", "/v1/trust/applications", other=("/v1/trust/quiz", None)))[1])(self.quiz(t[1])))[1])(
                self.trust_kol()),
            ("POST", "/v1/trust/applications/{id}/review"): lambda: (lambda a: Call(
                k("programme"), "POST", f"/v1/trust/applications/{a}/review",
                {"community": {"points": 12, "reasons": "Tích cực."}, "audience": {"points": 12, "reasons": "Ổn định."}},
                other=(f"/v1/trust/applications/{a}/review",
                       {"community": {"points": 2, "reasons": "Khác."}, "audience": {"points": 2, "reasons": "Khác."}})))(
                self.application()),
            ("POST", "/v1/notices"): lambda: Call(k("regulator"), "POST", "/v1/notices", notice(),
                                                  other=("/v1/notices", notice(severity="minor"))),
            ("POST", "/v1/notices/{id}/amend"): lambda: (lambda n: Call(
                k("regulator"), "POST", f"/v1/notices/{n}/amend", notice(body={"vi": "Nội dung đã sửa."}),
                other=(f"/v1/notices/{n}/amend", notice(body={"vi": "Nội dung khác."}))))(self.issued()),
            ("POST", "/v1/notices/{id}/withdraw"): lambda: (lambda n: Call(
                k("regulator"), "POST", f"/v1/notices/{n}/withdraw", {"reason": "Đã có thông báo thay thế."},
                other=(f"/v1/notices/{n}/withdraw", {"reason": "Khác."})))(self.issued()),
            ("POST", "/v1/notices/{id}/ack"): lambda: (lambda key: (lambda n: Call(
                key, "POST", f"/v1/notices/{n}/ack", {"state": "read"},
                other=(f"/v1/notices/{n}/ack", {"state": "shared"})))(self.issued(topics=["education"])))(
                self.network_kol("education")),
            ("POST", "/v1/network/members"): lambda: (lambda key: Call(
                key, "POST", "/v1/network/members", {"topics": ["health"], "provinces": ["01"], "channels": ["feed"]},
                other=("/v1/network/members", {"topics": ["finance"], "provinces": ["01"], "channels": ["feed"]})))(
                self.kol()[1]),
            ("DELETE", "/v1/network/members/me"): lambda: (lambda key: Call(
                key, "DELETE", "/v1/network/members/me", other=("/v1/webhooks/wh_none", None)))(self.network_kol()),
            ("POST", "/v1/persons/{id}/audience"): lambda: (lambda t: Call(
                k("platform"), "POST", f"/v1/persons/{t[0]}/audience",
                {"platform": "tiktok", "handle": t[2], "followers": 5000, "suspicious_percent": 3, "period": "2026-10"},
                other=(f"/v1/persons/{t[0]}/audience",
                       {"platform": "tiktok", "handle": t[2], "followers": 6000, "suspicious_percent": 3, "period": "2026-10"})))(
                self.trust_kol()),
        }

    def file_call(self):
        pdf = b"%PDF-1.4\n" + os.urandom(4096)
        adv, _ = self.registered()
        p = self.product(adv, sha=hashlib.sha256(pdf).hexdigest())
        p2 = self.product(adv)
        url = f"/v1/products/{p['id']}/documents/{p['documents'][0]['id']}/file"
        url2 = f"/v1/products/{p2['id']}/documents/{p2['documents'][0]['id']}/file"
        return Call(adv, "PUT", url, raw=pdf, headers={"Content-Type": "application/pdf"}, other=(url2, None))

    # ---- helpers ----

    def send(self, c, idem, path=None, body=None, use_other=False):
        h = {**c.headers, "Idempotency-Key": idem}
        if use_other:
            path, body, raw = c.other[0], c.other[1], None
        else:
            path, body, raw = c.path, c.body, c.raw
        if body is None and raw is None and c.method == "POST":
            raw = b""
        return self.srv.request(c.method, path, body=body, raw=raw, key=c.key, headers=h)

    def seq(self):
        return sql_one(self.srv.db, "SELECT coalesce(max(seq), 0) FROM changes")

    def records(self, idem):
        return sql_one(self.srv.db, "SELECT count(*) FROM idempotency WHERE idem_key = ?", (idem,))

    # ---- the tests ----

    def test_every_write_route_has_a_row(self):
        writes = {(m, p) for m, p, _ in matrix() if m != "GET"}
        self.assertEqual(writes - READS, set(self.calls()), "a write route without an idempotency row (or a row for none)")

    def test_the_api_description_says_so(self):
        with open(os.path.join(SOURCE, "docs/openapi.json"), encoding="utf-8") as f:
            doc = json.load(f)
        for method, path in self.calls():
            params = [p.get("name") for p in doc["paths"][path][method.lower()].get("parameters", [])]
            self.assertIn("Idempotency-Key", params, f"{method} {path}")

    def test_every_write_replays_once_and_refuses_another_request(self):
        for route, make in self.calls().items():
            with self.subTest(route=route):
                c = make()
                idem = f"retry-{uuid.uuid4()}"
                first = self.send(c, idem)
                self.assertIn(first.status, (200, 201, 204), f"{route}: {first}")
                self.assertIsNone(first.header("Idempotent-Replayed"))
                after_first = self.seq()
                self.assertEqual(self.records(idem), 1, route)
                again = self.send(c, idem)
                self.assertEqual(again.header("Idempotent-Replayed"), "true", f"{route}: {again}")
                self.assertEqual(again.status, first.status, route)
                self.assertEqual(again.header("Location"), first.header("Location"), route)
                self.assertEqual(again.header("Content-Type"), first.header("Content-Type"), route)
                if route in (("POST", "/v1/keys"), ("POST", "/v1/users"), ("POST", "/v1/users/{id}/reset")):
                    # the secret or password is shown once, never kept
                    expected = {k: v for k, v in first.json().items() if k not in ("secret", "password")}
                    self.assertEqual(again.json(), expected)
                else:
                    self.assertEqual(again.body, first.body, route)
                self.assertEqual(self.seq(), after_first, f"{route}: the retry wrote again")
                other = self.send(c, idem, use_other=True)
                self.assertProblem(other, 422, "idempotency-key-reused")
                self.assertEqual(self.seq(), after_first, route)

    def test_receipts_are_replayed(self):
        c = self.calls()[("POST", "/v1/cases/{id}/decision")]()
        idem = str(uuid.uuid4())
        first = self.send(c, idem)
        self.assertEqual(first.status, 201, first)
        self.assertTrue(first.json()["log"] and first.json()["log"][0]["receipt"].startswith("c2sp.org/tlog-proof@v1"))
        # More entries since: the replay still shows the receipts as first answered.
        self.decision()
        again = self.send(c, idem)
        self.assertEqual(again.json()["log"], first.json()["log"])

    def test_concurrent_duplicates_wait_for_the_first(self):
        for route in (("POST", "/v1/cases/{id}/decision"), ("POST", "/v1/offers/{id}/accept"), ("POST", "/v1/persons")):
            with self.subTest(route=route):
                c = self.calls()[route]()
                idem = str(uuid.uuid4())
                out = [None] * 6
                go = threading.Barrier(len(out))

                def one(i):
                    go.wait()
                    out[i] = self.send(c, idem)

                ts = [threading.Thread(target=one, args=(i,)) for i in range(len(out))]
                for t in ts:
                    t.start()
                for t in ts:
                    t.join()
                self.assertEqual({r.status for r in out}, {out[0].status}, out)
                self.assertIn(out[0].status, (200, 201), out)
                self.assertEqual(len({r.body for r in out}), 1, out)
                self.assertEqual(sum(r.header("Idempotent-Replayed") is None for r in out), 1)
                self.assertEqual(self.records(idem), 1)

    def test_a_failed_write_records_nothing(self):
        idem = str(uuid.uuid4())
        bad = self.srv.request("POST", "/v1/persons", {"legal_name": ""}, key=self.k("regulator"), headers={"Idempotency-Key": idem})
        self.assertProblem(bad, 400, "validation", "legal_name")
        self.assertEqual(self.records(idem), 0)
        good = self.srv.request("POST", "/v1/persons", {"legal_name": ""}, key=self.k("regulator"),
                                headers={"Idempotency-Key": idem})
        self.assertProblem(good, 400, "validation", "legal_name")  # not a replay: evaluated again
        self.assertIsNone(good.header("Idempotent-Replayed"))

    def test_keys_belong_to_their_caller(self):
        idem = str(uuid.uuid4())
        body = {"legal_name": "Lý Thị Riêng"}
        a = self.srv.request("POST", "/v1/persons", body, key=self.k("regulator"), headers={"Idempotency-Key": idem})
        b = self.srv.request("POST", "/v1/persons", body, key=self.k("platform"), headers={"Idempotency-Key": idem})
        self.assertEqual((a.status, b.status), (201, 201))
        self.assertNotEqual(a.json()["id"], b.json()["id"])
        self.assertIsNone(b.header("Idempotent-Replayed"))

    def test_bad_keys_and_reads(self):
        r = self.srv.request("POST", "/v1/persons", {"legal_name": "X Y"}, key=self.k("regulator"),
                             headers={"Idempotency-Key": "with space"})
        self.assertProblem(r, 400, "bad-request", "Idempotency-Key")
        # A read-only POST ignores the key: each is answered afresh.
        for _ in range(2):
            r = self.srv.request("POST", "/v1/check", {"subjects": ["p0000001"]}, key=self.k("platform"),
                                 headers={"Idempotency-Key": "read-1"})
            self.assertEqual(r.status, 200, r)
            self.assertIsNone(r.header("Idempotent-Replayed"))


class AnswerLost(ServerTest):
    """The answer's own bytes are lost (the machine stopped between the commit and keeping them):
    the retry still replays the write, from the record made in its transaction, with receipts."""

    demo_persons = 3

    def test_replay_from_the_record(self):
        idem = str(uuid.uuid4())
        body = {"legal_name": "Vũ Thị Mất Điện"}
        first = self.srv.request("POST", "/v1/persons", body, key=self.srv.keys["regulator"], headers={"Idempotency-Key": idem})
        self.assertEqual(first.status, 201, first)
        self.srv.stop()
        self.assertEqual(sql_run(self.srv.db, "UPDATE idempotency SET answer = NULL, answer_headers = NULL WHERE idem_key = ?",
                                 (idem,))[1], 1)
        self.srv.start()
        again = self.srv.request("POST", "/v1/persons", body, key=self.srv.keys["regulator"], headers={"Idempotency-Key": idem})
        self.assertEqual(again.status, 201, again)
        self.assertEqual(again.header("Idempotent-Replayed"), "true")
        self.assertEqual(again.json()["id"], first.json()["id"])
        self.assertEqual(again.json()["legal_name"], "Vũ Thị Mất Điện")
        # And once answered again, kept: the next retry is byte for byte the same.
        third = self.srv.request("POST", "/v1/persons", body, key=self.srv.keys["regulator"], headers={"Idempotency-Key": idem})
        self.assertEqual(third.body, again.body)


if __name__ == "__main__":
    unittest.main()
