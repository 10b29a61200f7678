"""Transparency numbers and open data against a scenario with known counts, on a database that
holds nothing else: reports from three sources, decisions with restrictions and fines, an appeal,
a delisting; the numbers as JSON and CSV, small counts hidden; the published record as CSV,
statements of reasons, FollowTheMoney entities and an Atom feed, a delisted decision gone from
every one of them at once."""

import csv
import io
import json
import unittest
import uuid
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

import hashlib
import os
import shutil
import tempfile

from harness import ServerTest, run
from steps import iso, now
from tlog import parse_checkpoint, verify_note

ATOM = "{http://www.w3.org/2005/Atom}"
VN = timezone(timedelta(hours=7))


class Transparency(ServerTest):
    demo_persons = 0

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        srv, admin = cls.srv, cls.srv.keys["admin"]

        def key(role, org):
            o = srv.request("POST", "/v1/orgs", org, key=admin).json()
            return srv.request("POST", "/v1/keys", {"role": role, "org_id": o["id"]}, key=admin).json()["secret"]

        srv.keys["regulator"] = key("regulator", {"name": "Cục Phát thanh, Truyền hình và Thông tin điện tử",
                                                   "kind": "regulator"})
        srv.keys["platform"] = key("platform", {"name": "TikTok Việt Nam", "kind": "platform", "platform": "tiktok"})
        cls.persons, cls.decisions = [], []
        for i in range(6):
            r = srv.request("POST", "/v1/persons", {"legal_name": f"Nguyễn Văn Số {'ABCDEF'[i]}"}, key=srv.keys["regulator"])
            assert r.status == 201, r
            cls.persons.append(r.json()["id"])
            h = srv.request("POST", "/v1/accounts", {"person_id": cls.persons[i], "platform": "tiktok",
                                                     "handle": f"so.{i}.{uuid.uuid4().hex[:4]}"}, key=srv.keys["platform"])
            assert h.status in (200, 201), h

        def report(who, person, category):
            body = {"subject": {"person_id": person}, "category": category, "description": "Quảng cáo sai sự thật."}
            r = srv.request("POST", "/v1/reports", body, key=srv.keys.get(who))
            assert r.status == 201, r
            return r.json()["id"]

        # Eight reports: five from the platform, two from the public, one from a regulator.
        platform_reports = [report("platform", cls.persons[i], "false_advertising") for i in range(5)]
        public_reports = [report(None, cls.persons[5], "fraud_or_scam") for _ in range(2)]
        report("regulator", cls.persons[0], "misinformation")
        # Six cases, each from its reports; five violations (a restriction and a fine each, published)
        # and one without (no sanction, not published).
        for i in range(6):
            reports = [platform_reports[i]] if i < 5 else public_reports
            c = srv.request("POST", "/v1/cases", {"authority": "Cục Phát thanh, Truyền hình và Thông tin điện tử",
                                                  "report_ids": reports}, key=srv.keys["regulator"])
            assert c.status == 201, c
            case = c.json()["id"]
            srv.request("POST", f"/v1/cases/{case}/transition", {"state": "under_review"}, key=srv.keys["regulator"])
            violation = i < 5
            body = {"number": f"{i + 1}/{uuid.uuid4().hex[:4]}/QĐ-XPHC",
                    "authority": "Cục Phát thanh, Truyền hình và Thông tin điện tử",
                    "signer": {"name": "Lê Quang Tự Do", "title": "Cục trưởng"}, "issued_at": iso(now()),
                    "outcome": "violation" if violation else "no_violation",
                    "legal_bases": [{"instrument": "Nghị định 38/2021/NĐ-CP", "article": "Điều 51", "clause": "Khoản 3"}],
                    "ground": "law", "category": "false_advertising",
                    "facts": "Quảng cáo kẹo rau củ với công dụng không đúng, \"chữa bách bệnh\".",
                    "detection_source": "platform" if violation else "user_report",
                    "notice": {"sent_at": iso(now() + timedelta(seconds=1)), "channel": "văn bản"},
                    "publish": violation,
                    "sanctions": [{"type": "appearance_restriction", "scopes": ["livestream"],
                                   "end": iso(now() + timedelta(days=90))},
                                  {"type": "fine", "amount_vnd": 10_000_000}] if violation else []}
            d = srv.request("POST", f"/v1/cases/{case}/decision", body, key=srv.keys["regulator"])
            assert d.status == 201, d
            cls.decisions.append(d.json())
        a = srv.request("POST", f"/v1/decisions/{cls.decisions[0]['id']}/appeals",
                        {"grounds": "Tôi đã gỡ nội dung trước khi có quyết định."}, key=srv.keys["regulator"])
        assert a.status == 201, a

    def numbers(self, **params):
        q = "&".join(f"{k}={v}" for k, v in params.items())
        r = self.req("GET", "/v1/transparency" + (f"?{q}" if q else ""))
        self.assertEqual(r.status, 200, r)
        return r.json()

    def this_month(self):
        return datetime.now(VN).strftime("%Y-%m")

    def test_numbers_match_the_scenario(self):
        n = self.numbers()
        self.assertEqual(n["by"], "month")
        self.assertEqual(n["time_zone"], "Asia/Ho_Chi_Minh")
        self.assertEqual(len(n["periods"]), 12)
        self.assertEqual(n["periods"][-1]["period"], self.this_month())
        self.assertTrue(n["periods"][-1]["from"].endswith("T00:00:00.000+07:00"), n["periods"][-1])
        for p in (n["periods"][-1], n["total"]):
            rep = p["reports"]
            self.assertEqual(rep["total"], 8)
            self.assertEqual(rep["by_source"], {"platform": 5, "public": "<5", "regulator": "<5"})
            self.assertEqual(rep["by_category"], {"false_advertising": 5, "fraud_or_scam": "<5", "misinformation": "<5"})
            dec = p["decisions"]
            self.assertEqual(dec["total"], 6)
            self.assertEqual(dec["by_outcome"], {"violation": 5, "no_violation": "<5"})
            self.assertEqual(dec["by_category"], {"false_advertising": 6})
            self.assertEqual(dec["by_legal_basis"], {"Nghị định 38/2021/NĐ-CP, Điều 51": 6})
            self.assertEqual(dec["by_authority"], {"Cục Phát thanh, Truyền hình và Thông tin điện tử": 6})
            self.assertEqual(p["sanctions"]["total"], 10)
            self.assertEqual(p["sanctions"]["by_type"], {"appearance_restriction": 5, "fine": 5})
            self.assertEqual(p["sanctions"]["by_scope"], {"livestream": 5})
            self.assertEqual(p["fines"], {"count": 5, "total_vnd": 50_000_000})
            self.assertEqual(p["appeals"]["filed"], "<5")
            self.assertIsNone(p["appeals"]["median_days_to_resolution"])
            self.assertEqual(p["restrictions_in_force_at_end"], 5)
            ttd = p["time_to_decision_days"]
            self.assertEqual(ttd["decisions"], 6)  # every decision came from its reports
            self.assertLess(ttd["median"], 0.1)
            self.assertLess(ttd["p90"], 0.1)
            self.assertEqual(p["certificates"], {"issued": 0, "suspended": 0, "revoked": 0})
            self.assertEqual(p["notices"], {"published": 0, "withdrawn": 0})
            self.assertEqual(p["ads"], {"registered": 0, "suspended": 0})
        # An earlier month: nothing, and nothing hidden.
        empty = n["periods"][0]
        self.assertEqual(empty["reports"]["total"], 0)
        self.assertEqual(empty["decisions"]["total"], 0)
        self.assertIsNone(empty["fines"]["total_vnd"])
        self.assertIsNone(empty["time_to_decision_days"]["median"])

    def test_quarters_and_ranges(self):
        n = self.numbers(by="quarter")
        self.assertEqual(len(n["periods"]), 8)
        self.assertRegex(n["periods"][-1]["period"], r"^\d{4}-Q[1-4]$")
        self.assertEqual(n["periods"][-1]["decisions"]["total"], 6)
        one = self.numbers(**{"from": self.this_month(), "to": datetime.now(VN).strftime("%Y-%m-%d")})
        self.assertEqual([p["period"] for p in one["periods"]], [self.this_month()])
        self.assertEqual(one["total"]["reports"]["total"], 8)
        for params, field in (({"by": "week"}, "by"), ({"from": "2026-13"}, "from"), ({"to": "hôm qua"}, "to"),
                              ({"from": "2030-01", "to": "2029-01"}, "from"), ({"from": "1990-01", "to": "2026-01"}, "from"),
                              ({"from": "2020-01", "to": "2030-12"}, "from"), ({"format": "xml"}, "format")):
            q = "&".join(f"{k}={quote(v)}" for k, v in params.items())
            self.assertProblem(self.req("GET", f"/v1/transparency?{q}"), 400, "validation", field)
        self.assertProblem(self.req("GET", "/v1/transparency?by=week", headers={"Accept-Language": "en"}), 400,
                           "validation", "by")

    def test_numbers_as_csv(self):
        r = self.req("GET", "/v1/transparency", headers={"Accept": "text/csv"})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.header("Content-Type").startswith("text/csv"))
        self.assertTrue(r.body.startswith("\ufeff"), r.body[:20])  # a spreadsheet reads it as UTF-8
        rows = list(csv.reader(io.StringIO(r.body[1:])))
        self.assertEqual(rows[0], ["period", "measure", "key", "value"])
        got = {(p, m, k): v for p, m, k, v in rows[1:]}
        month = self.this_month()
        self.assertEqual(got[(month, "reports.by_source", "platform")], "5")
        self.assertEqual(got[(month, "reports.by_source", "public")], "<5")
        self.assertEqual(got[("total", "fines", "total_vnd")], "50000000")
        self.assertEqual(got[("total", "decisions.by_authority", "Cục Phát thanh, Truyền hình và Thông tin điện tử")], "6")
        self.assertEqual(got[("total", "restrictions_in_force_at_end", "")], "5")
        # The same from a link, and its ETag answered with 304.
        r2 = self.req("GET", "/v1/transparency?format=csv")
        self.assertEqual(r2.body, r.body)
        r3 = self.req("GET", "/v1/transparency?format=csv", headers={"If-None-Match": r2.header("ETag")})
        self.assertEqual(r3.status, 304, r3)

    def open_data(self):
        out = {}
        for name in ("decisions.csv", "restrictions.csv", "statements-of-reasons.json", "entities.ftm.json"):
            r = self.req("GET", f"/v1/open-data/{name}")
            self.assertEqual(r.status, 200, r)
            self.assertTrue(r.header("ETag"), r.headers)
            out[name] = r
        r = self.req("GET", "/v1/feeds/decisions.atom")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.header("Content-Type").startswith("application/atom+xml"))
        out["atom"] = r
        return out

    def test_open_data_and_delisting(self):
        published = [d for d in self.decisions if d["publish"]]
        od = self.open_data()
        # CSV: RFC 4180 with a byte-order mark, a row per published decision / restriction in force.
        body = od["decisions.csv"].body
        self.assertTrue(body.startswith("\ufeff"))
        rows = list(csv.DictReader(io.StringIO(body[1:])))
        self.assertEqual(sorted(r["decision_id"] for r in rows), sorted(d["id"] for d in published))
        row = rows[0]
        self.assertTrue(row["person_name"].startswith("Nguyễn Văn Số"))
        self.assertEqual(row["legal_bases"], "Nghị định 38/2021/NĐ-CP, Điều 51, Khoản 3")
        self.assertIn("fine 10000000 VND", row["sanctions"])
        self.assertTrue(row["issued_at"].endswith("+07:00"), row)
        self.assertIn("\r\n", body)
        rows = list(csv.DictReader(io.StringIO(od["restrictions.csv"].body[1:])))
        self.assertEqual(len(rows), 5)
        self.assertEqual({r["type"] for r in rows}, {"appearance_restriction"})
        # Statements of reasons in the DSA Transparency Database's terms.
        st = od["statements-of-reasons.json"].json()["statements"]
        self.assertEqual(sorted(s["puid"] for s in st), sorted(d["id"] for d in published))
        s = st[0]
        self.assertEqual(s["decision_visibility"], ["DECISION_VISIBILITY_OTHER"])
        self.assertIn("appearance_restriction (livestream)", s["decision_visibility_other"])
        self.assertEqual(s["decision_ground"], "DECISION_GROUND_ILLEGAL_CONTENT")
        self.assertEqual(s["illegal_content_legal_ground"], "Nghị định 38/2021/NĐ-CP, Điều 51, Khoản 3")
        self.assertEqual(s["category"], "STATEMENT_CATEGORY_CONSUMER_INFORMATION")
        self.assertEqual(s["source_type"], "SOURCE_TRUSTED_FLAGGER")
        self.assertEqual(s["automated_detection"], "No")
        self.assertEqual(s["automated_decision"], "AUTOMATED_DECISION_NOT_AUTOMATED")
        self.assertRegex(s["application_date"], r"^\d{4}-\d{2}-\d{2}$")
        self.assertRegex(s["end_date_visibility_restriction"], r"^\d{4}-\d{2}-\d{2}$")
        self.assertEqual(s["territorial_scope"], ["VN"])
        # FollowTheMoney: an entity a line, values always lists of strings, sanctions linked to persons.
        ents = [json.loads(line) for line in od["entities.ftm.json"].body.splitlines()]
        by_schema = {}
        for e in ents:
            by_schema.setdefault(e["schema"], []).append(e)
            self.assertTrue(all(isinstance(v, list) and all(isinstance(x, str) for x in v)
                                for v in e["properties"].values()), e)
        self.assertEqual(len(by_schema["Person"]), 5)
        self.assertEqual(len(by_schema["Sanction"]), 10)
        self.assertEqual(len(by_schema["UserAccount"]), 5)
        ids = {e["id"] for e in by_schema["Person"]}
        for e in by_schema["Sanction"] + by_schema["UserAccount"]:
            link = e["properties"].get("entity") or e["properties"].get("owner")
            self.assertIn(link[0], ids)
        for e in by_schema["Person"]:
            self.assertNotIn("birthDate", e["properties"])  # no more than the public record shows
        # Atom: an entry per published decision.
        feed = ET.fromstring(od["atom"].body)
        entries = feed.findall(f"{ATOM}entry")
        self.assertEqual(len(entries), 5)
        self.assertIsNotNone(feed.find(f"{ATOM}updated").text)
        etag = od["atom"].header("ETag")
        self.assertEqual(self.req("GET", "/v1/feeds/decisions.atom", headers={"If-None-Match": etag}).status, 304)

        # Delisted: gone from every export at once; the feed says so without naming the person.
        gone = published[-1]
        r = self.req("POST", f"/v1/decisions/{gone['id']}/delist",
                     {"legal_basis": "Điều 17 Nghị định 13/2023/NĐ-CP", "reason": "Người bị xử lý đã khắc phục."}, "regulator")
        self.assertEqual(r.status, 200, r)
        od = self.open_data()
        for name in ("decisions.csv", "restrictions.csv", "statements-of-reasons.json", "entities.ftm.json"):
            self.assertNotIn(gone["id"], od[name].body, name)
        self.assertEqual(len(list(csv.DictReader(io.StringIO(od["decisions.csv"].body[1:])))), 4)
        self.assertEqual(len(list(csv.DictReader(io.StringIO(od["restrictions.csv"].body[1:])))), 4)
        self.assertEqual(len(od["statements-of-reasons.json"].json()["statements"]), 4)
        feed = ET.fromstring(od["atom"].body)
        entries = feed.findall(f"{ATOM}entry")
        ids = [e.find(f"{ATOM}id").text for e in entries]
        self.assertEqual(len(ids), 5)
        self.assertEqual(ids[0], f"urn:niemtin:decision-delisted:{gone['id']}")  # newest first
        self.assertNotIn(f"urn:niemtin:decision:{gone['id']}", ids)
        person = self.req("GET", f"/v1/persons/{gone['person_id']}").json()["legal_name"]
        self.assertNotIn(person, od["atom"].body)
        self.assertNotEqual(od["atom"].header("ETag"), etag)
        self.assertEqual(self.req("GET", "/v1/feeds/decisions.atom", headers={"If-None-Match": etag}).status, 200)
        # The numbers still count it: they count what was decided, not what is published.
        self.assertEqual(self.numbers()["total"]["decisions"]["total"], 6)

    def test_open_data_dump(self):
        """niemtin export open-data: every file, the manifest of their SHA-256s signed with the log's
        key (checked with python3-nacl against log.pub), the checkpoint the record matches; a
        decision delisted before the dump is in none of its files."""
        gone = [d for d in self.decisions if d["publish"]][0]
        r = self.req("POST", f"/v1/decisions/{gone['id']}/delist",
                     {"legal_basis": "Điều 17 Nghị định 13/2023/NĐ-CP", "reason": "Đã khắc phục."}, "regulator")
        self.assertIn(r.status, (200, 409), r)  # 409: delisted by the other test already
        out = tempfile.mkdtemp(prefix="nt-open-")
        try:
            p = run("export", "open-data", os.path.join(out, "d"), "--db", self.srv.db, "--quiet")
            self.assertIn("manifest signed by", p.stdout)
            self.assertEqual(p.stderr, "")  # --quiet
            d = os.path.join(out, "d")
            with open(os.path.join(self.srv.tmp, "log.pub")) as f:
                vkey = f.read()
            with open(os.path.join(d, "manifest"), encoding="utf-8") as f:
                text = verify_note(f.read(), vkey)
            lines = text.splitlines()
            self.assertEqual(lines[0], "niemtin open data")
            head = dict(line.split(" ", 1) for line in lines[1:4])
            listed = dict(reversed(line.split(" ", 1)) for line in lines[4:])
            self.assertEqual(sorted(listed), sorted(["checkpoint", "decisions.atom", "decisions.csv", "entities.ftm.json",
                                                     "restrictions.csv", "statements-of-reasons.json", "transparency.csv",
                                                     "transparency.json"]))
            for name, digest in listed.items():
                with open(os.path.join(d, name), "rb") as f:
                    self.assertEqual(hashlib.sha256(f.read()).hexdigest(), digest, name)
            with open(os.path.join(d, "checkpoint"), encoding="utf-8") as f:
                cp = f.read()
            verify_note(cp, vkey)
            origin, size, _, _ = parse_checkpoint(cp)
            self.assertEqual(head["origin"], origin)
            self.assertEqual(int(head["log-size"]), size)
            self.assertLessEqual(size, int(self.req("GET", "/log/checkpoint").body.split("\n")[1]))
            self.assertGreater(size, 0)
            # The dump holds what the API publishes now, and not the delisted decision.
            api = self.req("GET", "/v1/decisions?published=true&limit=100").json()["items"]
            with open(os.path.join(d, "decisions.csv"), encoding="utf-8-sig") as f:
                rows = list(csv.DictReader(f))
            self.assertEqual(sorted(r["decision_id"] for r in rows), sorted(x["id"] for x in api))
            for name in listed:
                if name != "checkpoint":
                    with open(os.path.join(d, name), encoding="utf-8") as f:
                        self.assertNotIn(gone["id"] if name != "decisions.atom" else f"decision:{gone['id']}", f.read(), name)
            with open(os.path.join(d, "transparency.json"), encoding="utf-8") as f:
                self.assertEqual(json.load(f)["total"]["decisions"]["total"], 6)
            # A tampered file no longer matches its line in the manifest.
            with open(os.path.join(d, "decisions.csv"), "a", encoding="utf-8") as f:
                f.write("x")
            with open(os.path.join(d, "decisions.csv"), "rb") as f:
                self.assertNotEqual(hashlib.sha256(f.read()).hexdigest(), listed["decisions.csv"])
            # Usage errors.
            self.assertEqual(run("export", check=False).returncode, 2)
            self.assertEqual(run("export", "open-data", check=False).returncode, 2)
            self.assertEqual(run("export", "closed-data", "x", check=False).returncode, 2)
        finally:
            shutil.rmtree(out)


if __name__ == "__main__":
    unittest.main()
