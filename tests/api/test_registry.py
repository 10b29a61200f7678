"""The registry API end to end: organisations, keys, persons, accounts."""

import unittest
import uuid

from harness import ServerTest


class Registry(ServerTest):
    def create_person(self, role="regulator", **fields):
        body = {"legal_name": "Nguyễn Thị Thu Cúc"}
        body.update(fields)
        r = self.req("POST", "/v1/persons", body, role)
        self.assertEqual(r.status, 201, r)
        return r.json()

    def test_org_and_key_lifecycle(self):
        r = self.req("POST", "/v1/orgs", {"name": "Cục Quản lý Dược", "kind": "regulator"}, "admin")
        self.assertEqual(r.status, 201, r)
        org = r.json()
        self.assertEqual(r.header("Location"), f"/v1/orgs/{org['id']}")
        self.assertEqual(self.req("GET", f"/v1/orgs/{org['id']}", role="admin").json()["name"], "Cục Quản lý Dược")
        ids = []
        cursor = None
        while True:
            page = self.req("GET", "/v1/orgs?limit=3" + (f"&cursor={cursor}" if cursor else ""), role="admin").json()
            ids += [o["id"] for o in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        self.assertIn(org["id"], ids)
        self.assertEqual(len(ids), len(set(ids)))

        r = self.req("POST", "/v1/keys", {"role": "regulator", "org_id": org["id"], "label": "thanh tra"}, "admin")
        self.assertEqual(r.status, 201, r)
        key = r.json()
        self.assertEqual(r.header("Cache-Control"), "no-store")
        secret = key["secret"]
        me = self.srv.request("GET", "/v1/me", key=secret).json()
        self.assertEqual(me["role"], "regulator")
        self.assertEqual(me["org_id"], org["id"])
        listed = self.req("GET", "/v1/keys?limit=100", role="admin").json()["items"]
        self.assertNotIn("secret", str(listed))
        self.assertNotIn("secret_hash", str(listed))
        mine = [k for k in listed if k["id"] == key["id"]][0]
        self.assertIsNotNone(mine["last_used_at"])  # the /v1/me call above
        r = self.req("POST", f"/v1/keys/{key['id']}/revoke", role="admin")
        self.assertEqual(r.status, 200, r)
        self.assertIsNotNone(r.json()["revoked_at"])
        self.assertEqual(self.srv.request("GET", "/v1/me", key=secret).status, 401)
        self.assertProblem(self.req("POST", f"/v1/keys/{key['id']}/revoke", role="admin"), 409, "conflict")
        self.assertProblem(self.req("POST", "/v1/keys/k_nope/revoke", role="admin"), 404, "not-found")
        # A kol key belongs to a person, not an organisation.
        self.assertProblem(self.req("POST", "/v1/keys", {"role": "kol", "org_id": org["id"]}, "admin"), 400, "validation")
        self.assertProblem(self.req("POST", "/v1/keys", {"role": "kol", "person_id": "p_none"}, "admin"), 404, "not-found")

    def test_person_create_read_update(self):
        p = self.create_person(aliases=["Cúc Review"], birth_year=1990, gender="f", province="Hà Nội",
                               national_id="001190000001")
        self.assertEqual(p["legal_name"], "Nguyễn Thị Thu Cúc")
        self.assertTrue(p["has_national_id"])
        self.assertNotIn("national_id", p)
        self.assertTrue(p["created_at"].endswith("+07:00"), p["created_at"])
        r = self.req("GET", f"/v1/persons/{p['id']}", role="regulator")
        self.assertEqual(r.header("ETag"), '"1"')
        for _ in range(2):  # a miss, then from the cache
            nm = self.req("GET", f"/v1/persons/{p['id']}", role="regulator", headers={"If-None-Match": '"1"'})
            self.assertEqual((nm.status, nm.body, nm.header("ETag")), (304, "", '"1"'))
        self.assertEqual(self.req("GET", f"/v1/persons/{p['id']}", headers={"If-None-Match": '"7", W/"1"'}).status, 304)
        self.assertEqual(self.req("GET", f"/v1/persons/{p['id']}", headers={"If-None-Match": '"11"'}).status, 200)
        head = self.req("HEAD", f"/v1/persons/{p['id']}")
        self.assertEqual((head.status, head.body), (200, ""))
        full = r.json()
        self.assertEqual(full["birth_year"], 1990)
        # The public sees less.
        pub = self.req("GET", f"/v1/persons/{p['id']}").json()
        for hidden in ("birth_year", "province", "has_national_id", "created_by"):
            self.assertNotIn(hidden, pub)
        self.assertEqual(pub["legal_name"], "Nguyễn Thị Thu Cúc")
        # Update with If-Match.
        r = self.req("PATCH", f"/v1/persons/{p['id']}", {"province": "Huế", "aliases": ["Cúc Review", "Cúc TV"]},
                     "regulator", headers={"If-Match": '"1"'})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("ETag"), '"2"')
        self.assertEqual(r.json()["province"], "Huế")
        self.assertEqual(self.req("GET", f"/v1/persons/{p['id']}", headers={"If-None-Match": '"1"'}).status, 200)
        self.assertTrue(r.json()["has_national_id"])
        self.assertProblem(self.req("PATCH", f"/v1/persons/{p['id']}", {"province": "Huế"}, "regulator",
                                    headers={"If-Match": '"1"'}), 412, "precondition-failed")
        self.assertProblem(self.req("PATCH", f"/v1/persons/{p['id']}", {"province": "Huế"}, "regulator"),
                           428, "precondition-required")
        self.assertProblem(self.req("PATCH", "/v1/persons/p_nobody", {"province": "Huế"}, "regulator",
                                    headers={"If-Match": '"1"'}), 404, "not-found")
        self.assertProblem(self.req("PATCH", f"/v1/persons/{p['id']}", {"legal_name": None}, "regulator",
                                    headers={"If-Match": '"2"'}), 400, "validation", "legal_name")

    def test_national_id_duplicate_names_existing(self):
        nid = "0791900" + str(uuid.uuid4().int)[:5]
        a = self.create_person(national_id=nid)
        r = self.req("POST", "/v1/persons", {"legal_name": "Trần Văn Khác", "national_id": nid}, "regulator")
        p = self.assertProblem(r, 409, "conflict")
        self.assertEqual(p["conflict_id"], a["id"])  # to a regulator (test_identity.py: nobody else learns who)
        self.assertNotIn(nid, r.body)

    def test_search_ignores_diacritics_case_order(self):
        tag = "Khuê" + uuid.uuid4().hex[:4]
        p = self.create_person(legal_name=f"Nguyễn Thị Thu {tag}")
        from urllib.parse import quote
        plain = tag.replace("ê", "e").lower()
        for q in (f"nguyen thi {plain}", f"{plain.upper()} NGUYỄN", f"thu {plain}"):
            items = self.req("GET", f"/v1/persons?q={quote(q)}").json()["items"]
            self.assertEqual([i["id"] for i in items], [p["id"]], q)
        self.assertEqual(self.req("GET", f"/v1/persons?q={quote(plain + ' van')}").json()["items"], [])
        # Paging over everyone: every person once.
        seen, cursor = [], None
        while True:
            page = self.req("GET", "/v1/persons?limit=25" + (f"&cursor={cursor}" if cursor else ""), role="regulator").json()
            seen += [i["id"] for i in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        self.assertEqual(len(seen), len(set(seen)))
        self.assertGreaterEqual(len(seen), self.demo_persons)
        self.assertProblem(self.req("GET", "/v1/persons?cursor=%21%21"), 400, "validation", "cursor")
        self.assertProblem(self.req("GET", "/v1/persons?limit=101"), 400, "validation", "limit")
        self.assertProblem(self.req("GET", "/v1/persons?limit=0"), 400, "validation", "limit")

    def test_accounts_claim_attest_get_unlink(self):
        kol_me = self.req("GET", "/v1/me", role="kol").json()
        person = kol_me["person_id"]
        handle = "cuc" + uuid.uuid4().hex[:8]
        # The kol claims its own account: unverified.
        r = self.req("POST", "/v1/accounts", {"platform": "tiktok", "handle": f"@{handle.upper()}"}, "kol")
        self.assertEqual(r.status, 201, r)
        self.assertIsNone(r.json()["verified_by"])
        self.assertEqual(r.json()["handle"], handle)
        # Not for someone else.
        self.assertProblem(self.req("POST", "/v1/accounts", {"person_id": "p0000001", "platform": "tiktok",
                                                             "handle": "@other" + handle}, "kol"), 403, "forbidden")
        # The platform (TikTok) attests it: verified, same link, 200.
        r = self.req("POST", "/v1/accounts", {"person_id": person, "platform": "tiktok", "handle": handle,
                                              "followers": 120000}, "platform")
        self.assertEqual(r.status, 200, r)
        self.assertIsNotNone(r.json()["verified_by"])
        self.assertIsNotNone(r.json()["verified_at"])
        # Only on its own platform.
        self.assertProblem(self.req("POST", "/v1/accounts", {"person_id": person, "platform": "youtube",
                                                             "handle": handle}, "platform"), 403, "forbidden")
        # A broadcaster has the platform role but speaks for no platform.
        self.assertProblem(self.req("POST", "/v1/accounts", {"person_id": person, "platform": "tiktok",
                                                             "handle": handle + "x"}, "broadcaster"), 403, "forbidden")
        # Unique per platform: another person cannot take it.
        p2 = self.create_person(legal_name="Lê Văn Tám")
        r = self.req("POST", "/v1/accounts", {"person_id": p2["id"], "platform": "tiktok", "handle": handle}, "platform")
        self.assertEqual(self.assertProblem(r, 409, "conflict")["conflict_id"], person)
        # Lookup by handle, any case, with or without @.
        for h in (handle, "%40" + handle.upper()):
            r = self.req("GET", f"/v1/accounts/tiktok/{h}")
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json()["person"]["id"], person)
            self.assertNotIn("birth_year", r.json()["person"])
        self.assertIn(handle, [a["handle"] for a in self.req("GET", f"/v1/persons/{person}/accounts").json()["items"]])
        self.assertProblem(self.req("GET", "/v1/accounts/tiktok/nobody_here"), 404, "not-found")
        self.assertProblem(self.req("GET", "/v1/accounts/myspace/x"), 404, "not-found")
        self.assertProblem(self.req("POST", "/v1/accounts", {"platform": "tiktok", "handle": "bad handle!"}, "kol"),
                           400, "validation", "handle")
        # The kol may not unlink a verified account; the platform may.
        self.assertProblem(self.req("DELETE", f"/v1/accounts/tiktok/{handle}", role="kol"), 403, "forbidden")
        r = self.req("DELETE", f"/v1/accounts/tiktok/{handle}", role="platform")
        self.assertEqual(r.status, 200, r)
        self.assertEqual([e["type"] for e in r.json()["log"]], ["account.unlinked"])
        self.assertProblem(self.req("GET", f"/v1/accounts/tiktok/{handle}"), 404, "not-found")
        self.assertProblem(self.req("DELETE", f"/v1/accounts/tiktok/{handle}", role="platform"), 404, "not-found")

    def test_idempotent_posts(self):
        key = "idem-" + uuid.uuid4().hex
        body = {"legal_name": "Phạm Thị Idem"}
        a = self.req("POST", "/v1/persons", body, "regulator", headers={"Idempotency-Key": key})
        b = self.req("POST", "/v1/persons", body, "regulator", headers={"Idempotency-Key": key})
        self.assertEqual(a.status, 201)
        self.assertEqual(b.status, 201)
        self.assertEqual(a.json()["id"], b.json()["id"])
        self.assertEqual(b.header("Idempotent-Replayed"), "true")
        self.assertProblem(self.req("POST", "/v1/persons", {"legal_name": "Khác"}, "regulator",
                                    headers={"Idempotency-Key": key}), 422, "idempotency-key-reused")
        # Keys are per API key: another caller's identical key is its own.
        c = self.req("POST", "/v1/persons", body, "platform", headers={"Idempotency-Key": key})
        self.assertEqual(c.status, 201)
        self.assertNotEqual(c.json()["id"], a.json()["id"])
        # Account links replay too.
        person = self.req("GET", "/v1/me", role="kol").json()["person_id"]
        h = "idem" + uuid.uuid4().hex[:8]
        k2 = "idem-" + uuid.uuid4().hex
        r1 = self.req("POST", "/v1/accounts", {"platform": "zalo", "handle": h}, "kol", headers={"Idempotency-Key": k2})
        r2 = self.req("POST", "/v1/accounts", {"platform": "zalo", "handle": h}, "kol", headers={"Idempotency-Key": k2})
        self.assertEqual((r1.status, r2.status), (201, 201), (r1, r2))
        self.assertEqual(r1.json()["person_id"], person)
        self.assertEqual(r2.json()["handle"], h)
        self.assertProblem(self.req("POST", "/v1/persons", body, "regulator", headers={"Idempotency-Key": "x" * 300}),
                           400, "bad-request")


if __name__ == "__main__":
    unittest.main()
