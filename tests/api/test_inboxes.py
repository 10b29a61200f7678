"""Every role can find its own work.

An advertiser its offers, an influencer its offers, decisions, appeals and ads, a regulator the
appeals coming due, the cases it carries, the reports not yet in a case, a decision by its number;
the public the restrictions in force, searchable by name and linked to their decisions. And the
parties hear of an offer's steps, regulators of an appeal filed. Against the binary before this
work none of these lists or events existed."""

import hashlib
import unittest
from datetime import timedelta
from urllib.parse import quote

from harness import ServerTest
from test_cases import CaseSteps, iso, now


class Inboxes(CaseSteps, ServerTest):
    demo_persons = 10

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        t = cls("run")
        cls.s = t.scenario()

    def key(self, role, **body):
        return self.req("POST", "/v1/keys", {"role": role, **body}, "admin").json()["secret"]

    def hook(self, key, events):
        r = self.srv.request("POST", "/v1/webhooks", {"url": "http://127.0.0.1:9/hook", "events": events}, key=key)
        self.assertEqual(r.status, 201, r)
        return r.json()["id"]

    def events(self, key, hook, withdrawn=False):
        """The events a subscription got (a withdrawal, made by its own test, only when asked)."""
        items = self.srv.request("GET", f"/v1/webhooks/{hook}/deliveries?limit=100", key=key).json()["items"]
        return sorted(d["event"] for d in items if withdrawn or d["event"] != "offer.withdrawn")

    def get(self, path, key):
        r = self.srv.request("GET", path, key=key)
        self.assertEqual(r.status, 200, r)
        return r.json()

    def scenario(self):
        s = {"reg": self.srv.keys["regulator"], "plat": self.srv.keys["platform"]}
        advs = []
        for name, code in (("Công ty Hộp Thư Một", "0310000011"), ("Công ty Hộp Thư Hai", "0310000022")):
            org = self.req("POST", "/v1/orgs", {"name": name, "kind": "advertiser"}, "admin").json()
            k = self.key("advertiser", org_id=org["id"])
            self.assertEqual(self.srv.request("POST", "/v1/advertisers", {"enterprise_code": code, "name": name}, key=k).status, 201)
            advs.append(k)
        s["adv1"], s["adv2"] = advs
        s["kol_person"] = self.person("Vương Thị Hộp Thư")
        s["kol"] = self.key("kol", person_id=s["kol_person"])
        # Subscriptions before anything happens.
        s["hooks"] = {name: self.hook(s[name], ["offer.sent", "offer.accepted", "offer.declined", "offer.withdrawn", "appeal.filed"])
                      for name in ("adv1", "adv2", "kol", "reg", "plat")}
        number = "7777/2026/ĐKSP"
        product = self.srv.request("POST", "/v1/products", {"name": "Viên Hộp Thư", "category": "health_supplements", "documents": [
            {"type": "product_declaration_registration", "number": number, "issuer": "Cục An toàn thực phẩm",
             "valid_from": iso(now() - timedelta(days=10)), "valid_until": iso(now() + timedelta(days=400)),
             "sha256": hashlib.sha256(number.encode()).hexdigest()}]}, key=s["adv1"]).json()["id"]
        claims = "Viên bổ sung chất xơ. Thực phẩm này không phải là thuốc và không có tác dụng thay thế thuốc chữa bệnh"
        offers = []
        for _ in range(2):
            o = self.srv.request("POST", "/v1/offers", {"person_id": s["kol_person"], "product_id": product, "claims": claims,
                                                       "start": iso(now() + timedelta(days=1)), "end": iso(now() + timedelta(days=20)),
                                                       "platforms": ["tiktok"], "fee_vnd": 10000000}, key=s["adv1"])
            self.assertEqual(o.status, 201, o)
            offers.append(o.json()["id"])
        s["offers"] = offers
        self.assertEqual(self.srv.request("POST", f"/v1/offers/{offers[1]}/decline", {"reason": "Không phù hợp"},
                                          key=s["kol"]).status, 200)
        # Due process: a published decision about the influencer, appealed; another, unpublished.
        s["case"] = case = self.open_case(s["kol_person"])
        s["decision"] = self.decision(case, [{"type": "appearance_restriction", "scopes": ["livestream"],
                                              "start": iso(now() - timedelta(seconds=5)), "end": iso(now() + timedelta(days=30))}])
        a = self.srv.request("POST", f"/v1/decisions/{s['decision']['id']}/appeals", {"grounds": "Tôi đã gỡ video."}, key=s["kol"])
        self.assertEqual(a.status, 201, a)
        s["appeal"] = a.json()["id"]
        other = self.person("Ông Văn Khác")
        s["hidden"] = self.decision(self.open_case(other), [{"type": "warning"}], publish=False)
        rep = self.req("POST", "/v1/reports", {"subject": {"person_id": other}, "category": "misinformation",
                                              "description": "Chưa vào vụ việc nào."}, "platform")
        s["report"] = rep.json()["id"]
        return s

    def test_offers_each_party_its_own(self):
        s = self.s
        mine = {o["id"] for o in self.get("/v1/offers", s["adv1"])["items"]}
        self.assertEqual(mine, set(s["offers"]))
        self.assertEqual(self.get("/v1/offers", s["adv2"])["items"], [])
        self.assertEqual({o["id"] for o in self.get("/v1/offers", s["kol"])["items"]}, set(s["offers"]))
        self.assertLessEqual(set(s["offers"]), {o["id"] for o in self.get("/v1/offers?limit=100", s["reg"])["items"]})
        declined = self.get("/v1/offers?state=declined", s["kol"])["items"]
        self.assertEqual([o["id"] for o in declined], [s["offers"][1]])
        self.assertProblem(self.srv.request("GET", "/v1/offers?state=maybe", key=s["kol"]), 400, "validation", "state")
        self.assertProblem(self.req("GET", "/v1/offers", role="platform"), 403, "forbidden")

    def test_offer_events_reach_the_parties_only(self):
        s, h = self.s, self.s["hooks"]
        self.assertEqual(self.events(s["adv1"], h["adv1"]), ["offer.declined", "offer.sent", "offer.sent"])
        self.assertEqual(self.events(s["kol"], h["kol"]), ["appeal.filed", "offer.declined", "offer.sent", "offer.sent"])
        self.assertEqual(self.events(s["adv2"], h["adv2"]), [])
        self.assertEqual(self.events(s["plat"], h["plat"]), [])
        self.assertIn("appeal.filed", self.events(s["reg"], h["reg"]))  # regulators subscribe too

    def test_appeals_coming_due(self):
        s = self.s
        items = self.get("/v1/appeals?state=filed", s["reg"])["items"]
        mine = [a for a in items if a["id"] == s["appeal"]]
        self.assertEqual(len(mine), 1)
        self.assertTrue(mine[0]["due_at"].endswith("+07:00"))
        soon = iso(now() + timedelta(days=31))
        self.assertIn(s["appeal"], [a["id"] for a in self.get(f"/v1/appeals?due_before={quote(soon)}", s["reg"])["items"]])
        self.assertNotIn(s["appeal"], [a["id"] for a in self.get(f"/v1/appeals?due_before={quote(iso(now()))}", s["reg"])["items"]])
        self.assertEqual([a["id"] for a in self.get("/v1/appeals", s["kol"])["items"]], [s["appeal"]])
        other = self.key("kol", person_id=self.person("Lê Thị Không Liên Quan"))
        self.assertEqual(self.get("/v1/appeals", other)["items"], [])

    def test_cases_reports_and_decisions_found(self):
        s = self.s
        decided = self.get(f"/v1/cases?state=decided&person_id={s['kol_person']}", s["reg"])["items"]
        self.assertEqual([c["id"] for c in decided], [s["case"]])
        self.assertIn(s["case"], [c["id"] for c in self.get("/v1/cases?assigned=me&limit=100", s["reg"])["items"]])
        self.assertProblem(self.req("GET", "/v1/cases?state=lost", role="regulator"), 400, "validation", "state")
        open_ = [r["id"] for r in self.get("/v1/reports?unassigned=true&limit=100", s["reg"])["items"]]
        self.assertIn(s["report"], open_)
        by_number = self.get(f"/v1/decisions?number={quote(s['decision']['number'])}", s["plat"])["items"]
        self.assertEqual([(d["id"], d["url"]) for d in by_number], [(s["decision"]["id"], f"/v1/decisions/{s['decision']['id']}")])
        # The public finds published decisions only; a regulator every one.
        public = self.req("GET", f"/v1/decisions?limit=100&number={quote(s['hidden']['number'])}").json()["items"]
        self.assertEqual(public, [])
        reg = self.get(f"/v1/decisions?published=false&number={quote(s['hidden']['number'])}", s["reg"])["items"]
        self.assertEqual([d["id"] for d in reg], [s["hidden"]["id"]])

    def test_public_restrictions_link_search_and_page(self):
        s = self.s
        found = self.req("GET", "/v1/restrictions?q=" + quote("vuong thi hop")).json()["items"]
        self.assertEqual([x["person_id"] for x in found], [s["kol_person"]])
        self.assertEqual(found[0]["decision_id"], s["decision"]["id"])
        self.assertEqual(found[0]["decision_url"], f"/v1/decisions/{s['decision']['id']}")
        seen, cursor = [], None
        while True:
            page = self.req("GET", "/v1/restrictions?limit=1" + (f"&cursor={cursor}" if cursor else "")).json()
            seen += [x["person_id"] for x in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        everything = self.req("GET", "/v1/restrictions?limit=100").json()["items"]
        self.assertEqual(seen, [x["person_id"] for x in everything])
        self.assertProblem(self.req("GET", "/v1/restrictions?cursor=%21%21"), 400, "validation", "cursor")

    def test_an_open_offer_is_withdrawn_by_its_advertiser(self):
        s = self.s
        o = s["offers"][0]
        self.assertProblem(self.srv.request("POST", f"/v1/offers/{o}/withdraw", {"reason": "x"}, key=s["adv2"]), 404, "not-found")
        self.assertProblem(self.srv.request("POST", f"/v1/offers/{o}/withdraw", {}, key=s["adv1"]), 400, "validation", "reason")
        r = self.srv.request("POST", f"/v1/offers/{o}/withdraw", {"reason": "Đổi kế hoạch ra mắt."}, key=s["adv1"])
        self.assertEqual((r.status, r.json()["state"], r.json()["withdraw_reason"]), (200, "withdrawn", "Đổi kế hoạch ra mắt."))
        self.assertProblem(self.srv.request("POST", f"/v1/offers/{o}/accept", key=s["kol"]), 409, "conflict")
        declined = s["offers"][1]  # answered already: nothing to withdraw
        self.assertProblem(self.srv.request("POST", f"/v1/offers/{declined}/withdraw", {"reason": "x"}, key=s["adv1"]), 409,
                           "conflict")
        self.assertIn("offer.withdrawn", self.events(s["kol"], s["hooks"]["kol"], withdrawn=True))
        self.assertNotIn("offer.withdrawn", self.events(s["adv2"], s["hooks"]["adv2"], withdrawn=True))
        self.assertEqual([x["id"] for x in self.get("/v1/offers?state=withdrawn", s["adv1"])["items"]], [o])

    def test_an_influencer_sees_its_work_in_one_place(self):
        s = self.s
        me = self.get("/v1/me", s["kol"])
        summary = me["summary"]
        self.assertEqual([d["id"] for d in summary["decisions"]], [s["decision"]["id"]])
        self.assertEqual([a["id"] for a in summary["appeals"]], [s["appeal"]])
        self.assertEqual({o["id"] for o in summary["offers"]}, set(s["offers"]))
        self.assertEqual(summary["ads"], [])
        self.assertNotIn("summary", self.get("/v1/me", s["plat"]))


if __name__ == "__main__":
    unittest.main()
