"""An organisation suspended by an admin: its keys stop at once, the act logged and audited; the
audit trail readable by admins and regulators. Before this work neither existed."""

import unittest

from harness import ServerTest


class Orgs(ServerTest):
    demo_persons = 5

    def test_suspended_organisations_keys_stop_at_once(self):
        org = self.req("POST", "/v1/orgs", {"name": "Báo Điện tử Thử Nghiệm", "kind": "press"}, "admin").json()["id"]
        key = self.req("POST", "/v1/keys", {"role": "platform", "org_id": org}, "admin").json()["secret"]
        self.assertEqual(self.srv.request("GET", "/v1/me", key=key).status, 200)  # cached as valid
        self.assertProblem(self.req("POST", f"/v1/orgs/{org}/suspend", {}, "admin"), 400, "validation", "reason")
        self.assertProblem(self.req("POST", f"/v1/orgs/{org}/suspend", {"reason": "x"}, "regulator"), 403, "forbidden")
        r = self.req("POST", f"/v1/orgs/{org}/suspend", {"reason": "Đăng tin sai sự thật nhiều lần."}, "admin")
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["status"], r.json()["status_reason"]), ("suspended", "Đăng tin sai sự thật nhiều lần."))
        self.assertEqual(r.json()["log"][0]["type"], "org.suspended")
        self.assertEqual(self.srv.request("GET", "/v1/me", key=key).status, 401)  # at once, not after a cache round
        self.assertProblem(self.req("POST", f"/v1/orgs/{org}/suspend", {"reason": "lại"}, "admin"), 409, "conflict")
        r = self.req("POST", f"/v1/orgs/{org}/reinstate", {"reason": "Đã cải chính."}, "admin")
        self.assertEqual((r.status, r.json()["log"][0]["type"]), (200, "org.reinstated"))
        self.assertEqual(self.srv.request("GET", "/v1/me", key=key).status, 200)
        operator = self.srv.operator_org
        self.assertProblem(self.req("POST", f"/v1/orgs/{operator}/suspend", {"reason": "x"}, "admin"), 409, "conflict")
        self.assertProblem(self.req("POST", "/v1/orgs/o_nothing/suspend", {"reason": "x"}, "admin"), 404, "not-found")

        # The audit trail: who did it, when, with which request; filtered, newest first, paged.
        trail = self.req("GET", f"/v1/audit?entity=org&entity_id={org}", role="regulator").json()["items"]
        self.assertEqual([a["action"] for a in trail], ["org.reinstate", "org.suspend", "org.create"])
        self.assertTrue(all(a["at"].endswith("+07:00") and a["request_id"] for a in trail))
        first = self.req("GET", "/v1/audit?limit=1", role="admin").json()
        second = self.req("GET", f"/v1/audit?limit=1&cursor={first['next_cursor']}", role="admin").json()
        self.assertGreater(first["items"][0]["seq"], second["items"][0]["seq"])
        self.assertProblem(self.req("GET", "/v1/audit", role="platform"), 403, "forbidden")
        self.assertProblem(self.req("GET", "/v1/audit?from=yesterday", role="admin"), 400, "validation", "from")


if __name__ == "__main__":
    unittest.main()
