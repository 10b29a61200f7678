"""Advertising, first part: the category rules and the advertisers behind offers (registration by
enterprise code, suspension and reinstatement by a regulator, logged)."""

import unittest

from harness import ServerTest, run


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


if __name__ == "__main__":
    unittest.main()
