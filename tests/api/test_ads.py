"""Advertising, first part: the category rules and the advertisers behind offers (registration by
enterprise code, suspension and reinstatement by a regulator, logged)."""

import hashlib
import socket
import os
import time
import unittest
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from harness import ServerTest, run, sql_one, sql_rows
from test_cases import iso, now


def doc(type_, number, days_from=-30, days_until=365):
    return {"type": type_, "number": number, "issuer": "Cục An toàn thực phẩm - Bộ Y tế",
            "valid_from": iso(now() + timedelta(days=days_from)),
            "valid_until": iso(now() + timedelta(days=days_until)) if days_until is not None else None,
            "sha256": hashlib.sha256(number.encode()).hexdigest()}


class Advertisers(ServerTest):
    demo_persons = 10

    def advertiser_key(self, name):
        """A new advertiser organisation and its key."""
        org = self.req("POST", "/v1/orgs", {"name": name, "kind": "advertiser"}, "admin").json()
        return self.req("POST", "/v1/keys", {"role": "advertiser", "org_id": org["id"]}, "admin").json()["secret"]

    def test_categories_are_public_data(self):
        r = self.req("GET", "/v1/ad-categories")
        self.assertEqual(r.status, 200, r)
        t = r.json()
        cats = {c["id"]: c for c in t["categories"]}
        self.assertEqual(cats["health_supplements"]["disclaimers"],
                         ["Thực phẩm này không phải là thuốc và không có tác dụng thay thế thuốc chữa bệnh"])
        self.assertEqual(cats["cosmetics"]["documents"], ["cosmetic_notification"])
        self.assertEqual(cats["general_goods"]["documents"], ["business_registration", "conformity_declaration"])
        for banned in ("prescription_drugs", "cigarettes", "spirits_15", "breast_milk_substitutes_under_24m"):
            self.assertFalse(cats[banned]["advertisable"], banned)
            self.assertTrue(cats[banned]["why"]["vi"])
        self.assertEqual(t["version"], 1)

    def test_register_once_by_enterprise_code(self):
        key = self.advertiser_key("Công ty TNHH Kẹo Rau Củ Việt")
        body = {"enterprise_code": "0312345678", "name": "Công ty TNHH Kẹo Rau Củ Việt"}
        for bad, field in (({**body, "enterprise_code": "031234567"}, "enterprise_code"),
                           ({**body, "enterprise_code": "0312345678-01"}, "enterprise_code"),
                           ({**body, "enterprise_code": "03123456AB"}, "enterprise_code"),
                           ({"enterprise_code": "0312345678"}, "name"),
                           ({**body, "extra": 1}, "extra")):
            self.assertProblem(self.srv.request("POST", "/v1/advertisers", bad, key=key), 400, "validation", field)
        self.assertProblem(self.req("POST", "/v1/advertisers", body, "platform"), 403, "forbidden")
        r = self.srv.request("POST", "/v1/advertisers", body, key=key)
        self.assertEqual(r.status, 201, r)
        a = r.json()
        self.assertEqual((a["status"], a["enterprise_code"]), ("active", "0312345678"))
        self.assertEqual(r.header("Location"), f"/v1/advertisers/{a['id']}")
        # Once per organisation, and a code belongs to one advertiser.
        p = self.assertProblem(self.srv.request("POST", "/v1/advertisers", {**body, "enterprise_code": "0312345679"}, key=key),
                               409, "conflict")
        self.assertEqual(p["conflict_id"], a["id"])
        other = self.advertiser_key("Chi nhánh Hà Nội")
        p = self.assertProblem(self.srv.request("POST", "/v1/advertisers", body, key=other), 409, "conflict")
        self.assertEqual(p["conflict_id"], a["id"])
        r = self.srv.request("POST", "/v1/advertisers", {"enterprise_code": "0312345678-001", "name": "Chi nhánh Hà Nội"}, key=other)
        self.assertEqual(r.status, 201, r)  # a branch has its own code
        self.assertEqual(self.req("GET", f"/v1/advertisers/{a['id']}").json()["name"], "Công ty TNHH Kẹo Rau Củ Việt")
        listed = [x["id"] for x in self.req("GET", "/v1/advertisers?limit=100").json()["items"]]
        self.assertIn(a["id"], listed)
        self.assertProblem(self.req("GET", "/v1/advertisers/a_nothing"), 404, "not-found")

    def test_suspension_by_a_regulator_is_logged(self):
        key = self.advertiser_key("Công ty CP Sữa Mẹ Hiền")
        a = self.srv.request("POST", "/v1/advertisers", {"enterprise_code": "0109876543", "name": "Công ty CP Sữa Mẹ Hiền"},
                             key=key).json()
        why = {"reason": "Quảng cáo sữa sai công dụng", "legal_basis": "Luật Quảng cáo, Điều 8"}
        self.assertProblem(self.req("POST", f"/v1/advertisers/{a['id']}/suspend", why, "platform"), 403, "forbidden")
        self.assertProblem(self.req("POST", f"/v1/advertisers/{a['id']}/suspend", {"reason": "x"}, "regulator"), 400,
                           "validation", "legal_basis")
        self.assertProblem(self.req("POST", f"/v1/advertisers/{a['id']}/reinstate", why, "regulator"), 409, "conflict")
        r = self.req("POST", f"/v1/advertisers/{a['id']}/suspend", why, "regulator")
        self.assertEqual(r.status, 200, r)
        got = r.json()
        self.assertEqual((got["status"], got["status_legal_basis"]), ("suspended", "Luật Quảng cáo, Điều 8"))
        self.assertNotIn("status_by", got)
        self.assertEqual([(e["type"], e["record_id"]) for e in got["log"]], [("advertiser.suspended", a["id"])])
        self.assertTrue(got["log"][0]["receipt"].startswith("c2sp.org/tlog-proof@v1\n"))
        self.assertProblem(self.req("POST", f"/v1/advertisers/{a['id']}/suspend", why, "regulator"), 409, "conflict")
        self.assertEqual(self.req("GET", f"/v1/advertisers/{a['id']}").json()["status"], "suspended")  # public
        r = self.req("POST", f"/v1/advertisers/{a['id']}/reinstate", {**why, "reason": "Đã khắc phục"}, "regulator")
        self.assertEqual(r.json()["log"][0]["type"], "advertiser.reinstated")
        self.assertProblem(self.req("POST", "/v1/advertisers/a_nothing/suspend", why, "regulator"), 404, "not-found")
        v = run("log", "verify", "--db", self.srv.db, check=False)
        self.assertEqual(v.returncode, 0, v.stdout)


    def registered(self, name, code):
        key = self.advertiser_key(name)
        r = self.srv.request("POST", "/v1/advertisers", {"enterprise_code": code, "name": name}, key=key)
        self.assertEqual(r.status, 201, r)
        return key

    def test_products_documents_and_their_checks(self):
        key = self.advertiser_key("Công ty chưa đăng ký")
        cosmetic = {"name": "Kem dưỡng da Ngọc Trai", "category": "cosmetics"}
        self.assertProblem(self.srv.request("POST", "/v1/products", cosmetic, key=key), 409, "conflict")  # register first
        key = self.registered("Công ty TNHH Mỹ Phẩm Ngọc Trai", "0401234567")
        # A cosmetic with no notification number: its check fails, and says what is missing.
        r = self.srv.request("POST", "/v1/products", cosmetic, key=key)
        self.assertEqual(r.status, 201, r)
        p = r.json()
        self.assertTrue(p["advertisable"])
        checks = self.req("GET", f"/v1/products/{p['id']}/checks").json()
        self.assertFalse(checks["ok"])
        self.assertEqual([(c["check"], c["ok"], c.get("detail")) for c in checks["checks"]],
                         [("category_advertisable", True, None), ("document:cosmetic_notification", False, "chưa có"),
                          ("not_recalled", True, None)])
        # A supplement with its declaration: valid now, but not for a period past its expiry.
        sup = {"name": "Viên uống Rau Củ Xanh", "category": "health_supplements",
               "documents": [doc("product_declaration_registration", "1234/2026/ĐKSP", days_until=60)]}
        r = self.srv.request("POST", "/v1/products", sup, key=key)
        self.assertEqual(r.status, 201, r)
        p = r.json()
        self.assertEqual(p["disclaimers"], ["Thực phẩm này không phải là thuốc và không có tác dụng thay thế thuốc chữa bệnh"])
        self.assertEqual(len(p["documents"]), 1)
        self.assertTrue(self.req("GET", f"/v1/products/{p['id']}/checks").json()["ok"])
        to = iso(now() + timedelta(days=90)).replace("+", "%2B")
        late = self.req("GET", f"/v1/products/{p['id']}/checks?to={to}").json()
        self.assertFalse(late["ok"])
        self.assertIn("trước khi hết thời gian quảng cáo", late["checks"][1]["detail"])  # Vietnamese first
        self.assertProblem(self.req("GET", f"/v1/products/{p['id']}/checks?to=yesterday"), 400, "validation", "to")
        # A banned category can be recorded, but never passes.
        r = self.srv.request("POST", "/v1/products", {"name": "Rượu Nếp Cái 40 độ", "category": "spirits_15"}, key=key)
        banned = self.req("GET", f"/v1/products/{r.json()['id']}/checks").json()
        self.assertFalse(banned["checks"][0]["ok"])
        self.assertEqual(banned["checks"][0]["detail"], "Cấm quảng cáo rượu có độ cồn từ 15 độ trở lên")  # the rule, in Vietnamese
        # Bad input names the field.
        for body, field in (({**sup, "category": "candy"}, "category"),
                            ({**sup, "documents": [{**doc("x", "1"), "type": "nothing"}]}, "documents[0].type"),
                            ({**sup, "documents": [{**doc("cosmetic_notification", "1"), "sha256": "00"}]}, "documents[0].sha256"),
                            ({**sup, "documents": [{**doc("cosmetic_notification", "1"), "valid_until": iso(now() - timedelta(days=90))}]},
                             "documents[0].valid_until"),
                            ({**sup, "documents": [{**doc("cosmetic_notification", "1"), "valid_from": "hôm qua"}]},
                             "documents[0].valid_from"),
                            ({"category": "cosmetics"}, "name")):
            self.assertProblem(self.srv.request("POST", "/v1/products", body, key=key), 400, "validation", field)
        self.assertProblem(self.req("POST", "/v1/products", sup, "platform"), 403, "forbidden")

    def test_a_document_renewed(self):
        """A declaration that expires before the period asked for is renewed: the new document
        supersedes the old (logged), the old one no longer counts, and the period passes."""
        key = self.registered("Công ty TNHH Gia Hạn Giấy Tờ", "0301239876")
        old = doc("product_declaration_registration", "11/2025/ĐKSP", days_until=20)
        p = self.srv.request("POST", "/v1/products", {"name": "Viên uống Gia Hạn", "category": "health_supplements",
                                                      "documents": [old]}, key=key).json()
        old_id = p["documents"][0]["id"]
        to = iso(now() + timedelta(days=90)).replace("+", "%2B")
        self.assertFalse(self.req("GET", f"/v1/products/{p['id']}/checks?to={to}").json()["ok"])
        new = {**doc("product_declaration_registration", "12/2026/ĐKSP", days_from=-1, days_until=400), "supersedes": old_id}
        url = f"/v1/products/{p['id']}/documents"
        # Refusals: someone else's product, a regulator, what it supersedes, another type.
        other = self.registered("Công ty Khác Gia Hạn", "0301239877")
        self.assertProblem(self.srv.request("POST", url, new, key=other), 404, "not-found")
        self.assertProblem(self.req("POST", url, new, "regulator"), 403, "forbidden")
        self.assertProblem(self.srv.request("POST", url, {**new, "supersedes": "doc_nothing"}, key=key), 400, "validation",
                           "supersedes")
        self.assertProblem(self.srv.request("POST", url, {**new, "type": "food_safety_certificate"}, key=key), 400,
                           "validation", "type")
        self.assertProblem(self.srv.request("POST", url, {**new, "valid_from": "hôm qua"}, key=key), 400, "validation",
                           "valid_from")
        r = self.srv.request("POST", url, new, key=key)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.header("Location"), f"/v1/products/{p['id']}")
        got = r.json()
        self.assertEqual([x["type"] for x in got["log"]], ["product.document_added"])
        docs = {d["id"]: d for d in got["documents"]}
        self.assertEqual(docs[old_id]["superseded_by"], got["document_id"])
        self.assertEqual(docs[got["document_id"]]["supersedes"], old_id)
        self.assertTrue(docs[got["document_id"]]["valid_until"].endswith("+07:00"))
        self.assertTrue(self.req("GET", f"/v1/products/{p['id']}/checks?to={to}").json()["ok"])
        # Renewed once: a second renewal of the old one names the document that replaced it.
        again = self.srv.request("POST", url, new, key=key)
        self.assertIn(got["document_id"], self.assertProblem(again, 409, "conflict")["detail"])
        # Two renewals of the new one at once: one succeeds, the other is told it was renewed.
        newer = {**doc("product_declaration_registration", "13/2027/ĐKSP", days_from=-1, days_until=500),
                 "supersedes": got["document_id"]}
        with ThreadPoolExecutor(2) as pool:
            both = list(pool.map(lambda n: self.srv.request("POST", url, {**newer, "number": n}, key=key), ("13a", "13b")))
        self.assertEqual(sorted(r.status for r in both), [201, 409], both)
        # The file of the new document arrives later; the log still verifies.
        v = run("log", "verify", "--db", self.srv.db, check=False)
        self.assertEqual(v.returncode, 0, v.stdout)

    def test_a_recall_is_logged_and_fails_the_check(self):
        key = self.registered("Công ty CP Sữa Trẻ Em Vàng", "0201234567-002")
        milk = {"name": "Sữa bột Vàng cho trẻ 3-6 tuổi", "category": "child_nutrition",
                "documents": [doc("standards_declaration", "01/2026/CBTC"), doc("food_safety_certificate", "ATTP-99")]}
        p = self.srv.request("POST", "/v1/products", milk, key=key).json()
        self.assertTrue(self.req("GET", f"/v1/products/{p['id']}/checks").json()["ok"])
        recall = {"reason": "Phát hiện vi khuẩn trong lô sản phẩm", "source": "Công văn 123/ATTP-SP của Cục An toàn thực phẩm"}
        self.assertProblem(self.srv.request("POST", f"/v1/products/{p['id']}/recall", recall, key=key), 403, "forbidden")
        r = self.req("POST", f"/v1/products/{p['id']}/recall", recall, "regulator")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["log"][0]["type"], "product.recalled")
        self.assertEqual(r.json()["recall_source"], recall["source"])
        self.assertProblem(self.req("POST", f"/v1/products/{p['id']}/recall", recall, "regulator"), 409, "conflict")
        checks = self.req("GET", f"/v1/products/{p['id']}/checks").json()
        self.assertEqual([c["check"] for c in checks["checks"] if not c["ok"]], ["not_recalled"])
        self.assertIn(p["id"], [x["id"] for x in self.req("GET", "/v1/products?limit=100").json()["items"]])
        v = run("log", "verify", "--db", self.srv.db, check=False)
        self.assertEqual(v.returncode, 0, v.stdout)
        # The record committed to holds the columns a product had when recalls were first logged:
        # those added since (a recall's lifting) join it only once they hold a value, so a
        # database logged before they existed still verifies after the upgrade.
        record = sql_one(self.srv.db, "SELECT record FROM log_records WHERE record_key = ? ORDER BY idx DESC LIMIT 1", (p["id"],))
        self.assertIn('"recall_reason":', record)
        self.assertNotIn("recall_lift", record)


    # ---- offers and registered ads: the scenarios ----

    def kol_for(self, name):
        pid = self.req("POST", "/v1/persons", {"legal_name": name}, "regulator").json()["id"]
        return pid, self.req("POST", "/v1/keys", {"role": "kol", "person_id": pid}, "admin").json()["secret"]

    def offer(self, adv_key, person, product, claims, days=30):
        body = {"person_id": person, "product_id": product, "claims": claims, "start": iso(now() + timedelta(days=1)),
                "end": iso(now() + timedelta(days=days)), "platforms": ["tiktok"], "fee_vnd": 50000000}
        r = self.srv.request("POST", "/v1/offers", body, key=adv_key)
        self.assertEqual(r.status, 201, r)
        return r.json()

    ALL_CONFIRMED = {"used_or_understands_product": True, "claims_match_documents": True, "will_label_as_advertising": True,
                     "relationship_disclosed": True}

    def failing(self, r):
        return sorted(e["field"] for e in self.assertProblem(r, 409, "conflict")["errors"])

    def test_a_valid_offer_end_to_end(self):
        adv = self.registered("Công ty TNHH Thực Phẩm Xanh", "0301112223")
        sup = {"name": "Viên rau củ Xanh", "category": "health_supplements",
               "documents": [doc("product_declaration_registration", "5678/2026/ĐKSP")]}
        product = self.srv.request("POST", "/v1/products", sup, key=adv).json()["id"]
        person, kol = self.kol_for("Đỗ Thị Review Thật")
        claims = ("Viên rau củ Xanh bổ sung chất xơ. Thực phẩm này không phải là thuốc và không có tác dụng thay thế thuốc "
                  "chữa bệnh")
        o = self.offer(adv, person, product, claims)
        self.assertTrue(o["checks_ok"], o["checks"])
        # Others see nothing of it; the influencer, the advertiser and a regulator do.
        other_adv = self.registered("Công ty khác", "0301112224")
        self.assertProblem(self.srv.request("GET", f"/v1/offers/{o['id']}", key=other_adv), 404, "not-found")
        self.assertProblem(self.req("GET", f"/v1/offers/{o['id']}", role="kol"), 404, "not-found")
        self.assertEqual(self.req("GET", f"/v1/offers/{o['id']}", role="regulator").status, 200)
        # Accepting needs every confirmation.
        self.assertEqual(self.failing(self.srv.request("POST", f"/v1/offers/{o['id']}/accept", key=kol)),
                         sorted(self.ALL_CONFIRMED))
        self.assertProblem(self.srv.request("POST", f"/v1/offers/{o['id']}/confirm", {"used": True}, key=kol), 400, "validation",
                           "used")
        r = self.srv.request("POST", f"/v1/offers/{o['id']}/confirm", self.ALL_CONFIRMED, key=kol)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(all(c["value"] and c["at"] for c in r.json()["confirmations"].values()))
        r = self.srv.request("POST", f"/v1/offers/{o['id']}/accept", key=kol)
        self.assertEqual(r.status, 201, r)
        ad = r.json()
        self.assertEqual(r.header("Location"), f"/v1/ads/{ad['code']}")  # found by its public code
        self.assertRegex(ad["code"], r"^QC-\d{4}-\d{7}$")
        self.assertEqual(ad["label"], f"#QuảngCáo {ad['code']}")
        self.assertEqual((ad["state"], ad["person_id"]), ("registered", person))
        self.assertEqual(ad["log"][0]["type"], "ad.registered")
        self.assertProblem(self.srv.request("POST", f"/v1/offers/{o['id']}/accept", key=kol), 409, "conflict")
        # The platform verifies a post by the influencer's account, during the ad's period.
        self.assertEqual(self.req("POST", "/v1/accounts", {"person_id": person, "platform": "tiktok", "handle": "@do.review.that"},
                                  "platform").status, 201)
        at = iso(now() + timedelta(days=3)).replace("+", "%2B")
        v = self.req("GET", f"/v1/ads/{ad['code']}/verify?handle=tiktok:@do.review.that&at={at}", role="platform").json()
        self.assertEqual((v["valid"], v["reasons"]), (True, []), v)
        # Anyone looks the code up; a mistyped code is refused as such.
        self.assertEqual(self.req("GET", f"/v1/ads/{ad['code']}").json()["id"], ad["id"])
        wrong = ad["code"][:-1] + str((int(ad["code"][-1]) + 1) % 10)
        self.assertProblem(self.req("GET", f"/v1/ads/{wrong}"), 400, "validation", "code")
        self.assertProblem(self.req("GET", "/v1/ads/QC-2099-0000018"), 404, "not-found")
        v = run("log", "verify", "--db", self.srv.db, check=False)
        self.assertEqual(v.returncode, 0, v.stdout)

    def test_the_offers_that_must_fail(self):
        adv = self.registered("Công ty CP Kẹo Rau Củ", "0305556667")
        person, kol = self.kol_for("Lý Văn Livestream")
        # The candy: "one candy equals a plate of vegetables" contradicts its declaration; the
        # influencer cannot confirm the claims, and acceptance fails.
        candy = self.srv.request("POST", "/v1/products", {"name": "Kẹo rau củ", "category": "health_supplements", "documents": [
            doc("product_declaration_registration", "9999/2026/ĐKSP")]}, key=adv).json()["id"]
        o = self.offer(adv, person, candy, "Một viên kẹo bằng một đĩa rau. Thực phẩm này không phải là thuốc và không có tác "
                                           "dụng thay thế thuốc chữa bệnh")
        self.srv.request("POST", f"/v1/offers/{o['id']}/confirm", {**self.ALL_CONFIRMED, "claims_match_documents": False}, key=kol)
        self.assertEqual(self.failing(self.srv.request("POST", f"/v1/offers/{o['id']}/accept", key=kol)),
                         ["claims_match_documents"])
        # A supplement whose claims lack the mandatory disclaimer: blocked.
        o = self.offer(adv, person, candy, "Tăng sức đề kháng")
        self.srv.request("POST", f"/v1/offers/{o['id']}/confirm", self.ALL_CONFIRMED, key=kol)
        self.assertEqual(self.failing(self.srv.request("POST", f"/v1/offers/{o['id']}/accept", key=kol)), ["disclaimer_in_claims"])
        # Declining takes a reason.
        self.assertProblem(self.srv.request("POST", f"/v1/offers/{o['id']}/decline", {}, key=kol), 400, "validation", "reason")
        r = self.srv.request("POST", f"/v1/offers/{o['id']}/decline", {"reason": "Thiếu câu khuyến cáo"}, key=kol)
        self.assertEqual(r.json()["state"], "declined")
        # A cosmetic with no notification number: blocked.
        cream = self.srv.request("POST", "/v1/products", {"name": "Kem trắng da", "category": "cosmetics"}, key=adv).json()["id"]
        o = self.offer(adv, person, cream, "Da sáng sau 7 ngày")
        self.srv.request("POST", f"/v1/offers/{o['id']}/confirm", self.ALL_CONFIRMED, key=kol)
        self.assertEqual(self.failing(self.srv.request("POST", f"/v1/offers/{o['id']}/accept", key=kol)),
                         ["document:cosmetic_notification"])
        # A banned category: refused at the offer.
        spirits = self.srv.request("POST", "/v1/products", {"name": "Rượu 40 độ", "category": "spirits_15"}, key=adv).json()["id"]
        body = {"person_id": person, "product_id": spirits, "claims": "x", "start": iso(now()), "end": iso(now() + timedelta(days=3)),
                "fee_vnd": 1}
        self.assertProblem(self.srv.request("POST", "/v1/offers", body, key=adv), 400, "validation", "product_id")
        # An influencer under an advertising restriction (the demo's p0000002): the check fails.
        gen = self.srv.request("POST", "/v1/products", {"name": "Áo thun", "category": "general_goods", "documents": [
            doc("business_registration", "0305556667"), doc("conformity_declaration", "TCCS 01:2026")]}, key=adv).json()["id"]
        o = self.offer(adv, "p0000002", gen, "Áo thun cotton")
        no_platforms = {"person_id": person, "product_id": gen, "claims": "Áo thun", "start": iso(now() + timedelta(days=1)),
                        "end": iso(now() + timedelta(days=5)), "fee_vnd": 0}  # every platform
        self.assertEqual(self.srv.request("POST", "/v1/offers", no_platforms, key=adv).json()["platforms"], [])
        self.assertEqual([c["check"] for c in o["checks"] if not c["ok"]], ["influencer_not_restricted"])
        # Another advertiser's product, or an unknown person, is not offered.
        self.assertProblem(self.srv.request("POST", "/v1/offers", {**body, "product_id": "g_nothing"}, key=adv), 400,
                           "validation", "product_id")
        self.assertProblem(self.srv.request("POST", "/v1/offers", {**body, "product_id": gen, "person_id": "p_nobody"}, key=adv),
                           400, "validation", "person_id")
        self.assertProblem(self.srv.request("POST", "/v1/offers", {**body, "product_id": gen, "end": iso(now() - timedelta(days=1))},
                                            key=adv), 400, "validation", "end")


    def registered_ad(self, adv, product, name, claims="Sữa cho trẻ 3-6 tuổi"):
        person, kol = self.kol_for(name)
        o = self.offer(adv, person, product, claims, days=60)
        self.srv.request("POST", f"/v1/offers/{o['id']}/confirm", self.ALL_CONFIRMED, key=kol)
        r = self.srv.request("POST", f"/v1/offers/{o['id']}/accept", key=kol)
        self.assertEqual(r.status, 201, r)
        return person, r.json()["code"]

    def deliveries(self, hook):
        return [d["event"] for d in self.req("GET", f"/v1/webhooks/{hook}/deliveries?limit=100", role="platform").json()["items"]]

    def test_milk_recalled_after_its_ads_ran(self):
        # A platform listens for ads stopping (to take the posts down); the receiver is not up, so
        # the deliveries wait in the outbox, where the test reads them.
        hook = self.req("POST", "/v1/webhooks", {"url": "http://127.0.0.1:9/hooks", "events": ["ad.suspended", "ad.reinstated"]},
                        "platform").json()["id"]
        adv = self.registered("Công ty CP Sữa Bé Khỏe", "0108889990")
        milk = self.srv.request("POST", "/v1/products", {"name": "Sữa bột Bé Khỏe 3+", "category": "child_nutrition", "documents": [
            doc("standards_declaration", "02/2026/CBTC"), doc("food_safety_certificate", "ATTP-123")]}, key=adv).json()["id"]
        ads = [self.registered_ad(adv, milk, name) for name in ("Mẹ Bỉm Thảo Vy", "Bố Sữa Minh Quân")]
        # An influencer listens too, and hears only of their own ads; one who carries none hears nothing.
        kol = self.req("POST", "/v1/keys", {"role": "kol", "person_id": ads[0][0]}, "admin").json()["secret"]
        mine = self.srv.request("POST", "/v1/webhooks", {"url": "http://127.0.0.1:9/vy", "events": ["ad.suspended"]}, key=kol)
        self.assertEqual(mine.status, 201, mine)
        _, bystander = self.kol_for("Người Không Liên Quan")
        theirs = self.srv.request("POST", "/v1/webhooks", {"url": "http://127.0.0.1:9/x", "events": ["ad.suspended"]},
                                  key=bystander).json()["id"]
        recall = {"reason": "Lô sữa nhiễm khuẩn Cronobacter", "source": "Quyết định thu hồi 45/QĐ-ATTP"}
        r = self.req("POST", f"/v1/products/{milk}/recall", recall, "regulator")
        self.assertEqual(r.status, 200, r)
        # Every ad of the product is suspended at once, with the reason; the regulator gets the list.
        affected = r.json()["affected"]
        self.assertEqual(sorted(a["code"] for a in affected["ads"]), sorted(code for _, code in ads))
        self.assertEqual(sorted(affected["influencers"]), sorted(p for p, _ in ads))
        self.assertTrue(all(a["state"] == "suspended" for a in affected["ads"]))
        for _, code in ads:
            ad = self.req("GET", f"/v1/ads/{code}").json()
            self.assertEqual(ad["state"], "suspended")
            self.assertIn("sản phẩm bị thu hồi: Lô sữa nhiễm khuẩn Cronobacter", ad["state_reason"])  # Vietnamese first
            # Logged: registered, then suspended.
            entries = self.req("GET", f"/v1/log/records/{ad['id']}").json()["entries"]
            self.assertEqual([e["type"] for e in entries], ["ad.registered", "ad.suspended"])
        self.assertEqual(self.deliveries(hook).count("ad.suspended"), 2)
        heard = self.srv.request("GET", f"/v1/webhooks/{mine.json()['id']}/deliveries", key=kol).json()["items"]
        self.assertEqual([(d["event"], d["payload"]["data"]["code"]) for d in heard], [("ad.suspended", ads[0][1])])
        self.assertEqual(self.srv.request("GET", f"/v1/webhooks/{theirs}/deliveries", key=bystander).json()["items"], [])
        # The recall lifted by a regulator (a retest found the batch safe): logged beside the recall,
        # and the ads run again by themselves.
        self.assertProblem(self.req("POST", f"/v1/products/{milk}/recall/lift", {"reason": "x"}, "platform"), 403, "forbidden")
        r = self.req("POST", f"/v1/products/{milk}/recall/lift", {"reason": "Kiểm nghiệm lại: lô sữa đạt chuẩn"}, "regulator")
        self.assertEqual(r.status, 200, r)
        self.assertIsNone(r.json()["recalled_at"])
        self.assertEqual(r.json()["recall_lift_reason"], "Kiểm nghiệm lại: lô sữa đạt chuẩn")
        self.assertNotIn("recall_lifted_by", r.json())
        self.assertEqual(r.json()["log"][0]["type"], "product.recall_lifted")
        self.assertProblem(self.req("POST", f"/v1/products/{milk}/recall/lift", {"reason": "lại"}, "regulator"), 409, "conflict")
        for _, code in ads:
            self.assertEqual(self.req("GET", f"/v1/ads/{code}").json()["state"], "registered")
        self.assertEqual(self.deliveries(hook).count("ad.reinstated"), 2)
        v = run("log", "verify", "--db", self.srv.db, check=False)
        self.assertEqual(v.returncode, 0, v.stdout)

    def test_ads_stop_with_their_advertiser_or_influencer(self):
        hook = self.req("POST", "/v1/webhooks", {"url": "http://127.0.0.1:9/hooks2", "events": ["ad.suspended", "ad.reinstated"]},
                        "platform").json()["id"]
        adv = self.registered("Công ty TNHH Áo Đẹp", "0107776665")
        shirt = self.srv.request("POST", "/v1/products", {"name": "Áo sơ mi", "category": "general_goods", "documents": [
            doc("business_registration", "0107776665"), doc("conformity_declaration", "TCCS 02:2026")]}, key=adv).json()["id"]
        person, code = self.registered_ad(adv, shirt, "Phạm Thị Thời Trang", claims="Áo sơ mi lụa")
        a_id = self.req("GET", f"/v1/ads/{code}").json()["advertiser_id"]
        why = {"reason": "Quảng cáo gây nhầm lẫn", "legal_basis": "Luật Quảng cáo, Điều 8"}
        self.assertEqual(self.req("POST", f"/v1/advertisers/{a_id}/suspend", why, "regulator").status, 200)
        self.assertEqual(self.req("GET", f"/v1/ads/{code}").json()["state"], "suspended")
        self.assertEqual(self.req("POST", f"/v1/advertisers/{a_id}/reinstate", why, "regulator").status, 200)
        self.assertEqual(self.req("GET", f"/v1/ads/{code}").json()["state"], "registered")
        self.assertEqual(self.deliveries(hook), ["ad.suspended", "ad.reinstated"])
        # The influencer gets an advertising ban: the ad stops within a second, by itself.
        case = self.req("POST", "/v1/cases", {"opened_at": iso(now() - timedelta(days=60)), "person_id": person, "authority": "Thanh tra Bộ"}, "regulator").json()["id"]
        self.req("POST", f"/v1/cases/{case}/transition", {"state": "under_review"}, "regulator")
        r = self.req("POST", f"/v1/cases/{case}/decision", {
            "number": "77/QĐ-XPHC", "authority": "Thanh tra Bộ", "signer": {"name": "Trần Văn Ký", "title": "Chánh Thanh tra"},
            "issued_at": iso(now() - timedelta(seconds=5)), "outcome": "violation",
            "legal_bases": [{"instrument": "Nghị định 38/2021/NĐ-CP", "article": "Điều 34"}], "ground": "law",
            "category": "false_advertising", "detection_source": "platform", "publish": True, "facts": "Quảng cáo sai sự thật.",
            "notice": {"sent_at": iso(now() - timedelta(seconds=4)), "channel": "văn bản"},
            "sanctions": [{"type": "advertising_ban", "end": iso(now() + timedelta(days=120))}]}, "regulator")
        self.assertEqual(r.status, 201, r)
        deadline = time.time() + 10
        while time.time() < deadline and self.req("GET", f"/v1/ads/{code}").json()["state"] != "suspended":
            time.sleep(0.1)
        ad = self.req("GET", f"/v1/ads/{code}").json()
        self.assertEqual(ad["state"], "suspended")
        self.assertIn("người có ảnh hưởng bị hạn chế quảng cáo (quyết định 77/QĐ-XPHC)", ad["state_reason"])
        en = self.srv.request("GET", f"/v1/ads/{ad['code']}", headers={"Accept-Language": "en"}).json()
        self.assertIn("the influencer is restricted from advertising (decision 77/QĐ-XPHC)", en["state_reason"])


    def test_the_public_ad_library(self):
        adv = self.registered("Công ty TNHH Giày Việt", "0409998887")
        shoes = self.srv.request("POST", "/v1/products", {"name": "Giày vải", "category": "general_goods", "documents": [
            doc("business_registration", "0409998887"), doc("conformity_declaration", "TCCS 03:2026")]}, key=adv).json()["id"]
        person, code = self.registered_ad(adv, shoes, "Vương Văn Giày", claims="Giày vải bền đẹp")
        r = self.req("POST", "/v1/accounts", {"person_id": person, "platform": "tiktok", "handle": "@giay.viet.review"}, "platform")
        self.assertEqual(r.status, 201, r)
        a_id = self.req("GET", f"/v1/ads/{code}").json()["advertiser_id"]

        def codes(query):
            r = self.req("GET", "/v1/ads?" + query)
            self.assertEqual(r.status, 200, r)
            return [x["code"] for x in r.json()["items"]]

        self.assertEqual(codes(f"influencer={person}"), [code])
        self.assertEqual(codes("influencer=tiktok:@Giay.Viet.Review"), [code])  # a handle, as written anywhere
        self.assertEqual(codes("influencer=tiktok:nobody.here"), [])
        self.assertEqual(codes(f"advertiser={a_id}&category=general_goods&state=registered"), [code])
        self.assertEqual(codes(f"product={shoes}&state=suspended"), [])
        self.assertEqual(codes(f"advertiser={a_id}&from=2099-01-01T00:00:00Z"), [])
        self.assertIn(code, codes("limit=100"))
        first = self.req("GET", "/v1/ads?limit=1").json()
        self.assertEqual(len(first["items"]), 1)
        self.assertTrue(first["next_cursor"])
        self.assertEqual(first["items"][0]["category"], self.req("GET", f"/v1/products/{first['items'][0]['product_id']}").json()["category"])
        # A platform checks a post: the code, the author's handle, the time it ran; answered from memory.
        def verify(handle, at=None, c=code):
            q = f"/v1/ads/{c}/verify?handle={handle}" + (f"&at={at.replace('+', '%2B')}" if at else "")
            r = self.req("GET", q, role="platform")
            self.assertEqual(r.status, 200, r)
            return r.json()

        during = iso(now() + timedelta(days=2))
        v = verify("tiktok:@Giay.Viet.Review", during)
        self.assertEqual((v["valid"], v["reasons"], v["label"]), (True, [], f"#QuảngCáo {code}"))
        self.assertEqual(verify("tiktok:giay.viet.review")["reasons"], ["outside_period"])  # it starts tomorrow
        self.assertEqual(verify("tiktok:someone.else", during)["reasons"], ["not_this_influencer"])
        self.assertIn("not_this_platform", verify("youtube:giayviet", during)["reasons"])
        unknown = "QC-2099-0000018"
        self.assertEqual(verify("tiktok:giay.viet.review", during, unknown)["reasons"], ["unknown_code"])
        forged = code[:-1] + str((int(code[-1]) + 1) % 10)
        self.assertProblem(self.req("GET", f"/v1/ads/{forged}/verify?handle=tiktok:giay.viet.review"), 400, "validation", "code")
        self.assertProblem(self.req("GET", f"/v1/ads/{code}/verify"), 400, "validation", "handle")
        self.assertProblem(self.req("GET", f"/v1/ads/{code}/verify?handle=tiktok:a&at=mai"), 400, "validation", "at")
        for query, field in (("state=bogus", "state"), ("category=candy", "category"), ("to=mai", "to"),
                             ("from=2026-12-31T00:00:00Z&to=2026-01-01T00:00:00Z", "to"), ("cursor=not-a-cursor", "cursor"), ("x=1", "x")):
            self.assertProblem(self.req("GET", "/v1/ads?" + query), 400, "validation", field)


    def test_a_documents_file(self):
        adv = self.registered("Công ty TNHH Tài Liệu", "0501112223")
        pdf = b"%PDF-1.4\n" + bytes(range(256)) * 8192  # 2 MiB: more than any JSON body may be
        d = {**doc("cosmetic_notification", "123/26/CBMP-HN"), "sha256": hashlib.sha256(pdf).hexdigest()}
        p = self.srv.request("POST", "/v1/products", {"name": "Son môi", "category": "cosmetics", "documents": [d]}, key=adv).json()
        doc_id = p["documents"][0]["id"]
        url = f"/v1/products/{p['id']}/documents/{doc_id}/file"
        pdf_type = {"Content-Type": "application/pdf"}
        self.assertProblem(self.srv.request("PUT", url, raw=pdf[:-1], key=adv, headers=pdf_type), 400, "validation")  # hash differs
        self.assertProblem(self.srv.request("PUT", url, raw=pdf, key=adv, headers={"Content-Type": "text/plain"}), 415,
                           "unsupported-media-type")  # as documented
        other = self.registered("Công ty khác nữa", "0501112224")
        self.assertProblem(self.srv.request("PUT", url, raw=pdf, key=other, headers=pdf_type), 404, "not-found")
        # Refused on its declared length, before the body is sent (a client sending it anyway may
        # see the connection closed under it: Expect: 100-continue learns the answer first).
        with socket.create_connection(("127.0.0.1", self.srv.port), timeout=10) as s:
            s.sendall(f"PUT {url} HTTP/1.1\r\nHost: niemtin\r\nAuthorization: Bearer {adv}\r\nContent-Type: application/pdf\r\n"
                      f"Content-Length: {10 * 1024 * 1024 + 1}\r\nExpect: 100-continue\r\n\r\n".encode())
            self.assertTrue(s.recv(256).startswith(b"HTTP/1.1 413"))
        self.assertProblem(self.req("GET", url), 404, "not-found")  # no file yet
        r = self.srv.request("PUT", url, raw=pdf, key=adv, headers=pdf_type)
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["documents"][0]["file_size"], r.json()["documents"][0]["file_type"]), (len(pdf), "application/pdf"))
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=30)
        conn.request("GET", url)
        got = conn.getresponse()
        body = got.read()
        conn.close()
        self.assertEqual((got.status, got.getheader("Content-Type"), body == pdf), (200, "application/pdf", True))
        self.assertTrue(os.path.exists(os.path.join(self.srv.tmp, "documents", d["sha256"])))


if __name__ == "__main__":
    unittest.main()
