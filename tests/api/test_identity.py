"""Who a person is, and who may learn it.

Two holes found by trying each role's day: any platform, broadcaster or press key could rename
any person (restricted ones included), unlogged, with the public list keeping the old name; and a
platform key could test national ID numbers, the 409 naming their holder. Against the binary
before the fix each test here fails."""

import unittest
from datetime import timedelta

from harness import run
from harness import ServerTest, sql_one
from test_cases import CaseSteps, iso, now


class Identity(CaseSteps, ServerTest):
    demo_persons = 10

    def patch(self, person, body, role):
        cur = self.req("GET", f"/v1/persons/{person}", role="regulator")
        self.assertEqual(cur.status, 200, cur)
        return self.req("PATCH", f"/v1/persons/{person}", body, role, headers={"If-Match": cur.header("ETag")})

    def restricted(self, name):
        p = self.person(name)
        case = self.open_case(p)
        self.decision(case, [{"type": "appearance_restriction", "scopes": ["livestream"],
                              "start": iso(now() - timedelta(seconds=5)), "end": iso(now() + timedelta(days=60))}])
        return p

    def test_only_a_regulator_changes_who_a_person_is(self):
        p = self.restricted("Phùng Văn Danh")
        for body in ({"legal_name": "Phùng Văn Khác"}, {"birth_year": 1990}, {"national_id": "001090000123"},
                     {"gender": "f"}):
            with self.subTest(body=body):
                r = self.patch(p, body, "platform")
                self.assertProblem(r, 403, "forbidden")
                self.assertIn(next(iter(body)), r.json()["detail"])
        self.assertEqual(self.req("GET", f"/v1/persons/{p}", role="regulator").json()["legal_name"], "Phùng Văn Danh")
        # Stage names are not identity: a platform may add them.
        r = self.patch(p, {"aliases": ["Danh Phùng"]}, "platform")
        self.assertEqual(r.status, 200, r)

    def test_a_regulators_rename_is_logged_and_shown_at_once(self):
        p = self.restricted("Kha Thị Tên Cũ")
        listed = [x for x in self.req("GET", "/v1/restrictions").json()["items"] if x["person_id"] == p]
        self.assertEqual(listed[0]["name"], "Kha Thị Tên Cũ")
        size = int(self.req("GET", "/log/checkpoint").body.split("\n")[1])
        r = self.patch(p, {"legal_name": "Kha Thị Tên Mới"}, "regulator")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["log"][0]["type"], "person.identity_changed")  # with its receipt
        listed = [x for x in self.req("GET", "/v1/restrictions").json()["items"] if x["person_id"] == p]
        self.assertEqual(listed[0]["name"], "Kha Thị Tên Mới")
        entries = self.req("GET", f"/v1/log/records?from={size}", role="regulator").json()["items"]
        mine = [e for e in entries if e["record_id"] == p]
        self.assertEqual([e["type"] for e in mine], ["person.identity_changed"])
        self.assertNotEqual(mine[0]["status"], "public")  # a person's record is never disclosed
        out = run("log", "verify", "--db", self.srv.db, check=False)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        # A person without any decision: renamed by a regulator, nothing to log.
        q = self.person("Ông Văn Chưa Xử")
        r = self.patch(q, {"legal_name": "Ông Văn Vẫn Chưa Xử"}, "regulator")
        self.assertEqual(r.status, 200, r)
        self.assertNotIn("log", r.json())

    def test_a_taken_national_id_names_its_holder_to_regulators_only(self):
        r = self.req("POST", "/v1/persons", {"legal_name": "Tạ Thị Định Danh", "national_id": "001190000777"}, "regulator")
        self.assertEqual(r.status, 201, r)
        holder = r.json()["id"]
        mine = self.req("POST", "/v1/persons", {"legal_name": "Tạ Thị Khác", "national_id": "001190000777"}, "platform")
        self.assertProblem(mine, 409, "conflict")
        self.assertNotIn(holder, mine.body)
        self.assertNotIn("conflict_id", mine.json())
        reg = self.req("POST", "/v1/persons", {"legal_name": "Tạ Thị Khác", "national_id": "001190000777"}, "regulator")
        self.assertProblem(reg, 409, "conflict")
        self.assertEqual(reg.json()["conflict_id"], holder)
        # Through an update too.
        other = self.person("Tạ Văn Thử")
        up = self.patch(other, {"national_id": "001190000777"}, "regulator")
        self.assertEqual(up.json()["conflict_id"], holder)
        # Each refusal to a non-regulator is audited; past five an hour the key is slowed down.
        for _ in range(4):
            self.assertEqual(self.req("POST", "/v1/persons", {"legal_name": "Tạ Thị Dò", "national_id": "001190000777"},
                                      "platform").status, 409)
        sixth = self.req("POST", "/v1/persons", {"legal_name": "Tạ Thị Dò", "national_id": "001190000777"}, "platform")
        self.assertProblem(sixth, 429, "rate-limited")
        n = sql_one(self.srv.db, "SELECT count(*) FROM audit WHERE action = 'person.national_id_refused'")
        self.assertEqual(n, 6)


if __name__ == "__main__":
    unittest.main()
