"""Every time a user reads is in Asia/Ho_Chi_Minh.

A scenario touches every kind of record (a decision with a sanction suspended by an appeal under
review, a product with a licence given as a date, an offer with its confirmations, an ad, a
webhook delivery, a redaction), then every GET route of docs/openapi.json that the scenario can
fill is read, and the test fails on any time in UTC ("…Z"). Before the fix appeal_deadline,
suspended_from, the log's and the change feed's at, offer confirmations, document validity and
webhook bodies were UTC."""

import hashlib
import json
import os
import re
import unittest
from datetime import timedelta
from urllib.parse import quote

from harness import ServerTest
from test_cases import iso, now
from test_notices import notice
from test_trust import TrustSteps
from test_webhooks import Receiver

UTC_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")


class Times(TrustSteps, ServerTest):
    demo_persons = 10

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.receiver = Receiver()
        t = cls("run")
        cls.ids = t.scenario()

    @classmethod
    def tearDownClass(cls):
        cls.receiver.close()
        super().tearDownClass()

    def scenario(self):
        ids = {}
        hook = self.req("POST", "/v1/webhooks", {"url": self.receiver.url, "events": ["decision.published", "sanction.activated"]},
                        "platform")
        self.assertEqual(hook.status, 201, hook)
        ids["webhook"] = hook.json()["id"]
        p = self.person("Lạc Văn Giờ")
        self.handle(p, "@lac.van.gio")
        ids["person"] = p
        rep = self.req("POST", "/v1/reports", {"subject": {"person_id": p}, "category": "misinformation",
                                              "description": "Tin sai về giờ phát sóng."}, "platform")
        ids["report"] = rep.json()["id"]
        ids["case"] = case = self.open_case(p)
        d = self.decision(case, [{"type": "appearance_restriction", "scopes": ["livestream"], "suspend_pending_appeal": True,
                                  "start": iso(now() - timedelta(seconds=5)), "end": iso(now() + timedelta(days=60))}])
        ids["decision"] = d["id"]
        kol = self.req("POST", "/v1/keys", {"role": "kol", "person_id": p}, "admin").json()["secret"]
        a = self.srv.request("POST", f"/v1/decisions/{d['id']}/appeals", {"grounds": "Tôi không phát sóng giờ đó."}, key=kol)
        self.assertEqual(a.status, 201, a)
        ids["appeal"] = a.json()["id"]
        self.assertEqual(self.req("POST", f"/v1/appeals/{ids['appeal']}/review", {}, "reviewer").status, 200)
        # Advertising: a licence given as a date, an offer confirmed and accepted.
        org = self.req("POST", "/v1/orgs", {"name": "Công ty Giờ Vàng", "kind": "advertiser"}, "admin").json()
        adv = self.req("POST", "/v1/keys", {"role": "advertiser", "org_id": org["id"]}, "admin").json()["secret"]
        self.srv.request("POST", "/v1/advertisers", {"enterprise_code": "0312345670", "name": "Công ty Giờ Vàng"}, key=adv)
        number = "4321/2026/ĐKSP"
        product = self.srv.request("POST", "/v1/products", {"name": "Viên rau củ Giờ Vàng", "category": "health_supplements",
                                                           "documents": [{"type": "product_declaration_registration",
                                                                          "number": number, "issuer": "Cục An toàn thực phẩm",
                                                                          "valid_from": "2026-01-15", "valid_until": "2028-01-15",
                                                                          "sha256": hashlib.sha256(number.encode()).hexdigest()}]},
                                   key=adv)
        self.assertEqual(product.status, 201, product)
        ids["product"] = product.json()["id"]
        ids["product_documents"] = product.json()["documents"]
        seller = self.person("Mã Thị Bán Hàng")
        skol = self.req("POST", "/v1/keys", {"role": "kol", "person_id": seller}, "admin").json()["secret"]
        claims = "Viên rau củ bổ sung chất xơ. Thực phẩm này không phải là thuốc và không có tác dụng thay thế thuốc chữa bệnh"
        offer = self.srv.request("POST", "/v1/offers", {"person_id": seller, "product_id": ids["product"], "claims": claims,
                                                       "start": iso(now() + timedelta(days=1)),
                                                       "end": iso(now() + timedelta(days=30)), "platforms": ["tiktok"],
                                                       "fee_vnd": 20000000}, key=adv)
        self.assertEqual(offer.status, 201, offer)
        ids["offer"] = offer.json()["id"]
        conf = {"used_or_understands_product": True, "claims_match_documents": True, "will_label_as_advertising": True,
                "relationship_disclosed": True}
        self.srv.request("POST", f"/v1/offers/{ids['offer']}/confirm", conf, key=skol)
        ad = self.srv.request("POST", f"/v1/offers/{ids['offer']}/accept", key=skol)
        self.assertEqual(ad.status, 201, ad)
        ids["code"] = ad.json()["code"]
        # The trust programme: a member, a quiz, an application, a certificate.
        ids["certified"], tkol, ids["certificate"] = self.certify("Giờ Thị Chứng Nhận")
        ids["application"] = self.srv.request("GET", "/v1/trust/applications", key=tkol).json()["items"][0]["id"]
        ids["member"] = self.req("GET", "/v1/trust/members?kind=person&q=gio%20thi%20chung").json()["items"][0]["id"]
        ids["quiz"] = self.pass_quiz(tkol)["id"]
        # A notice reaching a member of the trusted network, who reads it.
        self.srv.request("POST", "/v1/network/members", {"topics": ["health"], "provinces": ["01"], "channels": ["feed"]},
                         key=tkol)
        ids["notice"] = self.req("POST", "/v1/notices", notice(topics=["health"]), "regulator").json()["id"]
        self.srv.request("POST", f"/v1/notices/{ids['notice']}/ack", {"state": "read"}, key=tkol)
        ids["keys"] = {"kol": kol, "adv": adv, "skol": skol, "tkol": tkol}
        return ids

    def assertNoUtc(self, where, text):
        # A logged record is the exact canonical text its commitment was made over (anyone
        # recomputes it): a stored value, not a time shown to a reader.
        text = re.sub(r'"record":"(\\.|[^"\\])*"', '"record":""', text)
        m = UTC_TIME.search(text)
        self.assertIsNone(m, f"{where}: a UTC time {m.group(0) if m else ''} in {text[:300]}")

    def test_dates_given_alone_are_that_day_in_vietnam(self):
        doc = self.ids["product_documents"][0]
        self.assertEqual(doc["valid_from"], "2026-01-15T00:00:00.000+07:00")
        self.assertEqual(doc["valid_until"], "2028-01-15T00:00:00.000+07:00")

    def test_every_readable_route_shows_local_times(self):
        with open(os.path.join(os.environ.get("NT_SOURCE", "../.."), "docs", "openapi.json")) as f:
            spec = json.load(f)
        fill = {"{id}": None, "{code}": self.ids["code"], "{platform}": "tiktok", "{handle}": "lac.van.gio"}
        by_prefix = {"/v1/persons/": "person", "/v1/reports/": "report", "/v1/cases/": "case", "/v1/decisions/": "decision",
                     "/v1/appeals/": "appeal", "/v1/products/": "product", "/v1/offers/": "offer", "/v1/webhooks/": "webhook",
                     "/v1/trust/members/": "member", "/v1/certificates/": "certificate", "/certificates/": "certificate",
                     "/v1/notices/": "notice"}
        queries = {"/v1/changes": "?since=0&limit=100", "/v1/log/records": "?from=0&limit=100", "/v1/check": "?subject=" + quote(
            self.ids["person"]), "/v1/public/check": "?subject=" + quote(self.ids["person"]), "/v1/log/receipt": "?index=0",
            "/v1/log/inclusion": "?index=0&size=1", "/v1/log/consistency": "?from=1&to=1"}
        read = 0
        for path, ops in spec["paths"].items():
            if "get" not in ops:
                continue
            url = path
            for k, v in fill.items():
                if k in url:
                    if v is None:
                        prefix = next((p for p in by_prefix if url.startswith(p)), None)
                        if prefix is None:
                            url = None
                            break
                        v = self.ids[by_prefix[prefix]]
                    url = url.replace(k, quote(v))
            if url is None or "{" in url:
                continue
            url += queries.get(path, "")
            for role in ("regulator", "platform"):
                r = self.req("GET", url, role=role)
                if r.status == 200 and r.header("Content-Type").startswith("application/json"):
                    self.assertNoUtc(f"GET {url} as {role}", r.body)
                    read += 1
        self.assertGreater(read, 30)
        for url in (f"/v1/offers/{self.ids['offer']}",):
            self.assertNoUtc(url, self.srv.request("GET", url, key=self.ids["keys"]["skol"]).body)
        tkol = self.ids["keys"]["tkol"]
        for url in ("/v1/trust/applications", f"/v1/trust/applications/{self.ids['application']}",
                    f"/v1/trust/quiz/{self.ids['quiz']}", "/v1/trust/eligibility", "/v1/network/inbox", "/v1/network/members/me"):
            r = self.srv.request("GET", url, key=tkol)
            self.assertEqual(r.status, 200, f"{url}: {r}")
            self.assertNoUtc(url, r.body)
        r = self.req("GET", f"/v1/trust/eligibility?person_id={self.ids['certified']}", role="programme")
        self.assertNoUtc("eligibility (programme)", r.body)
        self.assertNoUtc("/v1/standards", self.req("GET", "/v1/standards").body)
        # The feeds and alerts other tools read carry their times with the offset too.
        for url in ("/v1/feeds/notices.atom", "/v1/feeds/notices.json", f"/v1/notices/{self.ids['notice']}/claimreview",
                    "/v1/feeds/decisions.atom", "/v1/transparency", "/v1/transparency?format=csv",
                    "/v1/open-data/decisions.csv", "/v1/open-data/restrictions.csv",
                    "/v1/open-data/statements-of-reasons.json", "/v1/open-data/entities.ftm.json"):
            r = self.req("GET", url)
            self.assertEqual(r.status, 200, f"{url}: {r}")
            self.assertNoUtc(url, r.body)

    def test_an_ads_public_record_names_who_advertises_what_and_where(self):
        # It showed "platforms": [] while verification enforced them, and only ids.
        ad = self.req("GET", f"/v1/ads/{self.ids['code']}").json()
        self.assertEqual(ad["platforms"], ["tiktok"])
        self.assertEqual((ad["advertiser_name"], ad["product_name"]), ("Công ty Giờ Vàng", "Viên rau củ Giờ Vàng"))

    def test_webhook_bodies_show_local_times(self):
        self.receiver.wait(1)
        self.assertTrue(self.receiver.received)
        for _, body in self.receiver.received:
            self.assertNoUtc("webhook body", body.decode())


if __name__ == "__main__":
    unittest.main()
