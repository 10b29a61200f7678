"""The check never clears a subject it did not recognise.

A typo in a person id, a name, a handle without its platform: each must come back as what it is
(an error that says which forms are accepted, "no record", or every holder of the handle), never
as a plain "allowed". Against the binary before this fix every test here fails: each of those
subjects answered 200 "allowed": true, echoing the text as person_id."""

import json
import os
import tempfile
import unittest
from datetime import timedelta
from urllib.parse import quote

from harness import ServerTest, run
from test_cases import CaseSteps, iso, now


class CheckSubjects(CaseSteps, ServerTest):
    demo_persons = 10

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.srv.keys["admin"]
        for platform, name in (("instagram", "Instagram"), ("facebook", "Meta")):
            org = cls.srv.request("POST", "/v1/orgs", {"name": name, "kind": "platform", "platform": platform}, key=admin).json()
            cls.srv.keys[platform] = cls.srv.request("POST", "/v1/keys", {"role": "platform", "org_id": org["id"]},
                                                     key=admin).json()["secret"]
        t = cls("run")
        # Restricted, with a handle on TikTok and Instagram.
        cls.kiem = t.person("Trương Văn Kiểm")
        t.link(cls.kiem, "tiktok", "@kiem.tra1")
        t.link(cls.kiem, "instagram", "kiem.tra1")
        t.restrict(cls.kiem)
        # "kiem.tra2" is held by two persons on two platforms; only the second is restricted.
        cls.free = t.person("Lý Thị Tự Do")
        t.link(cls.free, "tiktok", "@kiem.tra2")
        cls.held = t.person("Đỗ Văn Bị Cấm")
        t.link(cls.held, "facebook", "kiem.tra2")
        t.restrict(cls.held)

    def link(self, person, platform, handle):
        role = platform if platform in self.srv.keys else "platform"  # each platform attests its own accounts
        r = self.req("POST", "/v1/accounts", {"person_id": person, "platform": platform, "handle": handle}, role)
        self.assertIn(r.status, (200, 201), r)

    def restrict(self, person):
        case = self.open_case(person)
        self.decision(case, [{"type": "appearance_restriction", "scopes": ["livestream", "advertising"],
                              "start": iso(now() - timedelta(seconds=5)), "end": iso(now() + timedelta(days=90))}])

    def get(self, subject, path="/v1/check", role="platform", scope="livestream", headers=None):
        return self.req("GET", f"{path}?subject={quote(subject)}&scope={scope}", role=role, headers=headers)

    def test_a_registered_person_is_checked(self):
        a = self.check(self.kiem, "livestream")
        self.assertEqual((a["person_id"], a["person_known"], a["basis"], a["allowed"]), (self.kiem, True, "checked", False))
        self.assertEqual(a["restrictions"][0]["scopes"], ["livestream", "advertising"])

    def test_other_casings_name_the_registered_person(self):
        for subject in (self.kiem.upper(), self.kiem.capitalize(), "P0000002"):
            with self.subTest(subject=subject):
                a = self.check(subject, "livestream")
                self.assertEqual(a["subject"], subject)
                self.assertEqual(a["person_id"], subject.lower())  # as the registry writes it
                self.assertTrue(a["person_known"])
                self.assertFalse(a["allowed"])

    def test_an_unknown_id_is_no_record_not_a_clearance(self):
        for subject in ("p9999999", "p_zz9zz9zz9zz9zz9z"):
            with self.subTest(subject=subject):
                a = self.check(subject, "livestream")
                self.assertEqual((a["person_id"], a["person_known"], a["basis"]), (None, False, "no_record"))
                self.assertTrue(a["allowed"])  # nothing recorded restricts it, and the answer says so
                self.assertEqual(a["restrictions"], [])

    def test_a_person_created_now_is_known_at_once(self):
        p = self.person("Mai Văn Mới")
        a = self.check(p, "livestream")
        self.assertEqual((a["person_known"], a["basis"], a["allowed"]), (True, "checked", True))

    def test_a_name_is_refused_with_the_way_to_screening(self):
        for subject in ("Nguyen", "Trương Văn Kiểm", "Nguyen Van A"):
            with self.subTest(subject=subject):
                r = self.get(subject)
                self.assertProblem(r, 400, "validation", "subject")
                err = r.json()["errors"][0]
                self.assertEqual(err["code"], "is_a_name")
                self.assertIn("POST /v1/screen", err["detail"])
        en = self.get("Nguyen", headers={"Accept-Language": "en"}).json()["errors"][0]["detail"]
        self.assertIn("look names up with POST /v1/screen", en)

    def test_other_malformed_subjects_say_which_forms_are_accepted(self):
        for subject, code in (("myspace:abc", "unknown_platform"), ("tiktok:", "invalid_handle"),
                              ("tiktok:@a!b", "invalid_handle"), ("https://example.org/kiem", "unknown_platform"),
                              ("https://www.youtube.com/channel/UC123", "invalid_handle"), ("#$%", "not_a_subject"),
                              ("12 + 3", "not_a_subject")):
            with self.subTest(subject=subject):
                r = self.get(subject)
                self.assertProblem(r, 400, "validation", "subject")
                self.assertEqual(r.json()["errors"][0]["code"], code)
        detail = self.get("#$%").json()["errors"][0]["detail"]
        self.assertIn("tiktok:@", detail)  # says what is accepted

    def test_a_handle_without_its_platform_is_checked_everywhere_it_is_held(self):
        for subject in ("@kiem.tra1", "kiem.tra1"):
            with self.subTest(subject=subject):
                a = self.check(subject, "livestream")
                self.assertEqual(sorted(a["handles"]), ["instagram:kiem.tra1", "tiktok:kiem.tra1"])
                self.assertEqual((a["person_id"], a["person_known"], a["allowed"]), (self.kiem, True, False))
        none = self.check("@nobody.holds.this", "livestream")
        self.assertEqual((none["handles"], none["person_known"], none["basis"]), ([], False, "no_record"))

    def test_a_handle_held_by_several_persons_answers_each(self):
        a = self.check("@kiem.tra2", "livestream")
        self.assertFalse(a["allowed"])  # one of them is restricted
        self.assertIsNone(a["person_id"])
        holders = {h["person_id"]: h for h in a["holders"]}
        self.assertEqual(set(holders), {self.free, self.held})
        self.assertTrue(holders[self.free]["allowed"])
        self.assertEqual(holders[self.free]["handles"], ["tiktok:kiem.tra2"])
        self.assertFalse(holders[self.held]["allowed"])
        self.assertEqual(holders[self.held]["handles"], ["facebook:kiemtra2"])  # Facebook ignores dots in usernames

    def test_profile_urls(self):
        for url in ("https://www.tiktok.com/@kiem.tra1?lang=vi", "tiktok.com/@KIEM.TRA1", "https://instagram.com/kiem.tra1/",
                    "http://m.facebook.com/kiem.tra2"):
            with self.subTest(url=url):
                a = self.check(url, "livestream")
                self.assertTrue(a["handle_known"])
                self.assertFalse(a["allowed"])

    def test_the_public_check_fails_closed_too(self):
        self.assertProblem(self.get("Nguyen", path="/v1/public/check", role=None), 400, "validation", "subject")
        a = self.get("p9999999", path="/v1/public/check", role=None).json()
        self.assertEqual((a["basis"], a["person_known"]), ("no_record", False))
        self.assertFalse(self.get(self.kiem.upper(), path="/v1/public/check", role=None).json()["allowed"])

    def test_batch_answers_each_item_with_its_own_status(self):
        subjects = [self.kiem, "Nguyen", "p9999999", "myspace:x", "@kiem.tra1"]
        r = self.req("POST", "/v1/check", {"subjects": subjects, "scope": "livestream"}, "platform")
        self.assertEqual(r.status, 200, r)
        res = r.json()
        self.assertEqual([x["status"] for x in res["results"]], [200, 400, 200, 400, 200])
        self.assertEqual([x["subject"] for x in res["results"]], subjects)
        self.assertEqual(res["results"][1]["error"]["field"], "subjects[1]")
        self.assertEqual(res["results"][1]["error"]["code"], "is_a_name")
        self.assertIn("POST /v1/screen", res["results"][1]["error"]["detail"])
        self.assertEqual(res["results"][3]["error"]["code"], "unknown_platform")
        self.assertEqual(res["results"][2]["basis"], "no_record")
        self.assertFalse(res["results"][0]["allowed"])
        self.assertEqual((res["all_allowed"], res["all_known"], res["errors"]), (False, False, 2))
        en = self.req("POST", "/v1/check", {"subjects": ["Nguyen"]}, "platform", headers={"Accept-Language": "en"}).json()
        self.assertIn("look names up", en["results"][0]["error"]["detail"])
        self.assertFalse(en["all_allowed"])  # an item that could not be checked is not cleared
        # Only a malformed batch is refused whole.
        self.assertProblem(self.req("POST", "/v1/check", {"subjects": "p0000002"}, "platform"), 400, "validation", "subjects")
        ok = self.req("POST", "/v1/check", {"subjects": [self.free, "p9999999"]}, "platform").json()
        self.assertEqual((ok["all_allowed"], ok["all_known"], ok["errors"]), (True, False, 0))

    def test_ids_that_differ_only_in_case_cannot_both_be_registered(self):
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
            f.write(json.dumps({"id": "Twin0001", "name": "Hà Văn Một"}) + "\n")
            f.write(json.dumps({"id": "twin0001", "name": "Hà Văn Hai"}) + "\n")
        try:
            p = run("person", "import", f.name, "--db", self.srv.db, check=False)
        finally:
            os.unlink(f.name)
        self.assertNotEqual(p.returncode, 0, p.stdout)
        self.assertEqual(self.req("GET", "/v1/persons/Twin0001", role="regulator").status, 404)


if __name__ == "__main__":
    unittest.main()
