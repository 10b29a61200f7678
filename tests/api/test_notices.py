"""Verified notices and the trusted network, through the API of a real server with real local
webhook receivers: who receives what, amendments and withdrawals on the record, scam victims
linked, recalls that stop ads, members leaving, reach only in aggregate, issuers' limits, the
interchange formats parsed as their specifications say, and bad input per field."""

import json
import time
import unittest
import uuid
import xml.etree.ElementTree as ET
from datetime import timedelta

from harness import ServerTest
from test_cases import CaseSteps, iso, now
from test_webhooks import Receiver

ATOM = "{http://www.w3.org/2005/Atom}"
CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"
UNTIL = iso(now() + timedelta(days=30))


def notice(kind="correction", **over):
    body = {"kind": kind,
            "title": {"vi": "Thông tin sai về sữa bột giả", "en": "False claim about fake formula"},
            "summary": {"vi": "Không có lô sữa bột nào bị làm giả tại địa phương."},
            "body": {"vi": "Cơ quan chức năng đã kiểm tra và xác nhận thông tin lan truyền là sai sự thật."},
            "topics": ["food_safety"], "provinces": ["01"], "severity": "moderate",
            "valid_until": UNTIL,
            "sources": [{"title": "Công văn 12/ATTP", "url": "https://attp.example.vn/cv-12"}]}
    if kind == "correction":
        body["claim"] = {"text": "Sữa bột X bị làm giả hàng loạt", "appeared": ["https://example.com/post/1", "tiktok:@tinnhanh"],
                         "rating": "false"}
    if kind == "scam_alert":
        body["scam"] = {"how": "Kẻ gian giả danh người nổi tiếng để kêu gọi đầu tư.", "impersonated": [],
                        "what_to_do": "Không chuyển tiền, báo ngay cho công an.", "report_to": "Công an địa phương, số 113"}
    body.update(over)
    return body


class NoticeSteps(CaseSteps):
    def member(self, topics, provinces, hook=True):
        """A person joining the network with a webhook receiver of its own: (person, key, receiver)."""
        p = self.person(f"Thành Viên {uuid.uuid4().hex[:6]}")
        key = self.req("POST", "/v1/keys", {"role": "kol", "person_id": p}, "admin").json()["secret"]
        rx = None
        body = {"topics": topics, "provinces": provinces, "channels": ["feed"]}
        if hook:
            rx = Receiver()
            self.addCleanup(rx.close)
            h = self.srv.request("POST", "/v1/webhooks", {"url": rx.url, "events": ["notice.published"]}, key=key)
            self.assertEqual(h.status, 201, h)
            body = {**body, "channels": ["webhook", "feed"], "webhook_id": h.json()["id"]}
        r = self.srv.request("POST", "/v1/network/members", body, key=key)
        self.assertEqual(r.status, 201, r)
        return p, key, rx

    def issue(self, body, role="regulator", status=201):
        r = self.req("POST", "/v1/notices", body, role)
        self.assertEqual(r.status, status, r)
        return r.json()

    def received(self, rx, notice_id, timeout=5):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for _, b in list(rx.received):
                if json.loads(b)["data"]["notice_id"] == notice_id:
                    return json.loads(b)
            time.sleep(0.05)
        return None


class Notices(NoticeSteps, ServerTest):
    demo_persons = 5

    def test_a_correction_reaches_its_topic_and_province_and_no_one_else(self):
        _, ka, ra = self.member(["food_safety"], ["01"])
        _, kb, rb = self.member(["food_safety"], ["79"])
        _, kc, rc = self.member(["finance"], ["01"])
        n = self.issue(notice())
        self.assertEqual(n["members_reached"], 1)
        self.assertEqual(n["log"][0]["type"], "notice.published")
        got = self.received(ra, n["id"])
        self.assertIsNotNone(got)
        self.assertEqual((got["event"], got["data"]["kind"]), ("notice.published", "correction"))
        time.sleep(0.5)
        self.assertIsNone(self.received(rb, n["id"], timeout=0.2))
        self.assertIsNone(self.received(rc, n["id"], timeout=0.2))
        inbox = self.srv.request("GET", "/v1/network/inbox", key=ka).json()["items"]
        self.assertEqual([i["notice_id"] for i in inbox], [n["id"]])
        self.assertEqual(self.srv.request("GET", "/v1/network/inbox", key=kb).json()["items"], [])
        # The member acknowledges: read, then shared with a link that is stored, never fetched.
        r = self.srv.request("POST", f"/v1/notices/{n['id']}/ack", {"state": "read"}, key=ka)
        self.assertEqual(r.status, 200, r)
        self.assertIsNotNone(r.json()["received_at"])  # reading implies receiving
        r = self.srv.request("POST", f"/v1/notices/{n['id']}/ack", {"state": "shared", "link": "https://example.com/my-post"},
                             key=ka)
        self.assertEqual(r.json()["shared_link"], "https://example.com/my-post")
        self.assertProblem(self.srv.request("POST", f"/v1/notices/{n['id']}/ack", {"state": "read"}, key=kb), 404, "not-found")

    def test_an_amendment_shows_what_changed_and_is_logged(self):
        n = self.issue(notice(topics=["health"]))
        r = self.req("POST", f"/v1/notices/{n['id']}/amend",
                     notice(topics=["health"], body={"vi": "Đã xác minh thêm: thông tin lan truyền là sai sự thật."}), "regulator")
        self.assertEqual(r.status, 200, r)
        a = r.json()
        self.assertEqual(a["version"], 2)
        self.assertEqual([c["field"] for c in a["changes"]], ["body.vi"])
        self.assertIn("Đã xác minh thêm", a["changes"][0]["after"])
        self.assertEqual(a["log"][0]["type"], "notice.amended")
        versions = self.req("GET", f"/v1/notices/{n['id']}/versions").json()["versions"]
        self.assertEqual([v["version"] for v in versions], [1, 2])
        self.assertProblem(self.req("POST", f"/v1/notices/{n['id']}/amend", notice(topics=["health"], body={
            "vi": "Đã xác minh thêm: thông tin lan truyền là sai sự thật."}), "regulator"), 409, "conflict")  # nothing changed
        self.assertProblem(self.req("POST", f"/v1/notices/{n['id']}/amend", notice("public_information"), "regulator"), 400,
                           "validation", "kind")
        self.assertProblem(self.req("POST", f"/v1/notices/{n['id']}/amend", notice(), "platform"), 403, "forbidden")
        w = self.req("POST", f"/v1/notices/{n['id']}/withdraw", {"reason": "Đã có kết luận chính thức thay thế."}, "regulator")
        self.assertEqual((w.json()["state"], w.json()["log"][0]["type"]), ("withdrawn", "notice.withdrawn"))
        self.assertProblem(self.req("POST", f"/v1/notices/{n['id']}/amend", notice(), "regulator"), 409, "conflict")
        entries = self.req("GET", f"/v1/log/records/{n['id']}").json()["entries"]
        self.assertEqual([e["type"] for e in entries], ["notice.published", "notice.amended", "notice.withdrawn"])
        self.assertEqual({e["status"] for e in entries}, {"public"})
        self.assertNotIn("sữa", entries[0]["record"])  # the log commits to a digest: no text in it

    def test_a_scam_alert_links_the_impersonated_and_names_no_private_person(self):
        victim = self.person("Lê Thị Bị Mạo Danh")
        self.handle(victim, "@lethi.that")
        private = self.person("Trần Văn Riêng Tư")
        body = notice("scam_alert", topics=["scams"],
                      body={"vi": "Kẻ gian lập tài khoản giả Lê Thị Bị Mạo Danh để kêu gọi đầu tư."})
        body["scam"]["impersonated"] = ["tiktok:@lethi.that", "tiktok:@khong.co.ai"]
        n = self.issue(body)
        linked = {x["handle"]: x["person_id"] for x in n["scam"]["linked"]}
        self.assertEqual(linked, {"tiktok:lethi.that": victim, "tiktok:khong.co.ai": None})
        # A private person named in the text: refused, naming the field.
        bad = notice(body={"vi": "Theo nguồn tin, Trần Văn Riêng Tư đã chia sẻ tin sai."})
        self.assertProblem(self.req("POST", "/v1/notices", bad, "regulator"), 400, "validation", "body.vi")
        # A person with a published decision may be named (the demo's p0000002, Võ Hữu Cường).
        ok = notice(body={"vi": "Quyết định xử phạt Võ Hữu Cường đã được công bố; tin lan truyền về việc hủy quyết định là sai."})
        self.issue(ok)
        self.assertTrue(private)

    def test_a_recall_notice_stops_the_products_ads_and_tells_their_platforms(self):
        rx = Receiver()
        self.addCleanup(rx.close)
        self.req("POST", "/v1/webhooks", {"url": rx.url, "events": ["ad.suspended"]}, "platform")
        ad = self.req("GET", "/v1/ads?influencer=p0000000&state=registered").json()["items"][0]
        product = ad["product_id"]
        # Press may not issue a recall; the regulator may.
        org = self.req("POST", "/v1/orgs", {"name": f"Báo {uuid.uuid4().hex[:4]}", "kind": "press"}, "admin").json()
        press = self.req("POST", "/v1/keys", {"role": "platform", "org_id": org["id"]}, "admin").json()["secret"]
        body = notice("product_recall", topics=["food_safety"], products=[product], severity="severe")
        self.assertProblem(self.srv.request("POST", "/v1/notices", body, key=press), 403, "forbidden")
        n = self.issue(body)
        self.assertEqual(self.req("GET", f"/v1/ads/{ad['code']}").json()["state"], "suspended")
        self.assertIsNotNone(self.req("GET", f"/v1/products/{product}").json()["recalled_at"])
        self.assertTrue(rx.wait(1), rx.events())
        self.assertIn("ad.suspended", rx.events())
        cap = ET.fromstring(self.req("GET", f"/v1/notices/{n['id']}/cap").body)
        self.assertEqual(cap.find(CAP + "msgType").text, "Alert")
        self.assertEqual(cap.find(CAP + "info/" + CAP + "category").text, "Health")

    def test_an_advertiser_issues_only_recalls_of_its_own(self):
        self.assertProblem(self.req("POST", "/v1/notices", notice(), "advertiser"), 403, "forbidden")
        other = self.req("GET", "/v1/products?limit=10").json()["items"]
        self.assertTrue(other)

    def test_a_member_who_leaves_receives_nothing_more_and_counts_stay(self):
        _, key, rx = self.member(["education"], ["46"])
        first = self.issue(notice(topics=["education"], provinces=["46"]))
        self.assertIsNotNone(self.received(rx, first["id"]))
        r = self.srv.request("DELETE", "/v1/network/members/me", key=key)
        self.assertEqual(r.json()["state"], "left", r)
        self.assertProblem(self.srv.request("GET", "/v1/network/members/me", key=key), 404, "not-found")
        second = self.issue(notice(topics=["education"], provinces=["46"]))
        self.assertEqual(second["members_reached"], 0)
        time.sleep(0.5)
        self.assertIsNone(self.received(rx, second["id"], timeout=0.2))
        reach = self.req("GET", f"/v1/notices/{first['id']}/reach", role="regulator").json()
        self.assertEqual(reach["total"]["delivered"], "<5")  # one member, kept as a count, shown suppressed

    def test_a_notice_reaches_those_who_joined_before_it_and_a_nationwide_one_every_province(self):
        _, early, rx = self.member(["culture", "disasters"], ["33", "01"])
        _, feed_only, _ = self.member(["disasters"], ["92"], hook=False)
        n = self.issue(notice(topics=["disasters"], provinces=["all"]))
        self.assertEqual(n["members_reached"], 2)
        got = self.received(rx, n["id"])
        self.assertTrue(got["id"].startswith("wd_"), got)  # the delivery's own id, first in the payload it shares
        self.assertEqual((got["data"]["kind"], got["data"]["title"]["vi"]), ("correction", "Thông tin sai về sữa bột giả"))
        hook = self.srv.request("GET", "/v1/network/members/me", key=early).json()["webhook_id"]
        shown = self.srv.request("GET", f"/v1/webhooks/{hook}/deliveries", key=early).json()["items"]
        self.assertEqual([d["payload"]["id"] for d in shown if d["payload"]["data"]["notice_id"] == n["id"]], [got["id"]])
        # A member who joins afterwards was not reached: not in its inbox, nothing to acknowledge.
        _, late, _ = self.member(["disasters"], ["01"], hook=False)
        self.assertEqual(self.srv.request("GET", "/v1/network/inbox", key=late).json()["items"], [])
        self.assertProblem(self.srv.request("POST", f"/v1/notices/{n['id']}/ack", {"state": "read"}, key=late), 404, "not-found")
        for k in (early, feed_only):
            self.assertEqual(self.srv.request("POST", f"/v1/notices/{n['id']}/ack", {"state": "received"}, key=k).status, 200)
        again = self.srv.request("POST", f"/v1/notices/{n['id']}/ack", {"state": "received"}, key=early).json()
        self.assertIsNotNone(again["received_at"])  # a step taken already keeps its first time
        # Counted in the group of the first province of theirs the notice has: 33 for the first
        # (listed first), 92 for the second; by channel.
        reach = self.req("GET", f"/v1/notices/{n['id']}/reach", role="regulator").json()
        self.assertEqual(sorted((g["province"], g["topic"], g["channel"]) for g in reach["groups"]),
                         [("33", "disasters", "webhook"), ("92", "disasters", "feed")])
        self.assertEqual((reach["total"]["delivered"], reach["total"]["received"]), ("<5", "<5"))
        # Leaving forgets who acknowledged; the counts stay.
        self.srv.request("DELETE", "/v1/network/members/me", key=early)
        self.assertEqual(self.srv.request("GET", "/v1/network/inbox", key=early).status, 404)
        again = self.req("GET", f"/v1/notices/{n['id']}/reach", role="regulator").json()
        self.assertEqual(again["groups"], reach["groups"])

    def test_reach_is_only_in_aggregate_and_small_groups_are_suppressed(self):
        for _ in range(4):
            self.member(["children"], ["48"], hook=False)
        keys = [self.member(["children"], ["92"], hook=False)[1] for _ in range(5)]
        n = self.issue(notice(topics=["children"], provinces=["48", "92"]))
        self.assertEqual(n["members_reached"], 9)
        for k in keys:
            self.srv.request("POST", f"/v1/notices/{n['id']}/ack", {"state": "read"}, key=k)
        reach = self.req("GET", f"/v1/notices/{n['id']}/reach", role="regulator").json()
        groups = {g["province"]: g for g in reach["groups"]}
        self.assertEqual(groups["48"]["delivered"], "<5")
        self.assertEqual(groups["48"]["read"], "<5")
        self.assertEqual((groups["92"]["delivered"], groups["92"]["read"]), (5, 5))
        self.assertEqual(reach["total"]["delivered"], 9)
        self.assertIsInstance(reach["median_seconds_to_read"], int)
        self.assertNotIn("member", json.dumps(reach))  # no member is named anywhere
        self.assertProblem(self.req("GET", f"/v1/notices/{n['id']}/reach", role="platform"), 403, "forbidden")
        self.assertProblem(self.req("GET", f"/v1/notices/{n['id']}/reach"), 401, "unauthorized")

    def test_the_interchange_formats_parse_as_their_specifications_say(self):
        n = self.issue(notice(topics=["consumer"], provinces=["79"]))
        s = self.issue(notice("scam_alert", topics=["consumer"], provinces=["79"], severity="severe"))
        # Atom (RFC 4287): the feed's and every entry's required elements.
        r = self.req("GET", "/v1/feeds/notices.atom?topic=consumer&province=79")
        self.assertTrue(r.header("Content-Type").startswith("application/atom+xml"))
        feed = ET.fromstring(r.body)
        self.assertEqual(feed.tag, ATOM + "feed")
        for el in ("id", "title", "updated", "author"):
            self.assertIsNotNone(feed.find(ATOM + el), el)
        entries = feed.findall(ATOM + "entry")
        self.assertEqual({e.find(ATOM + "id").text for e in entries}, {f"urn:niemtin:notice:{n['id']}",
                                                                       f"urn:niemtin:notice:{s['id']}"})
        for e in entries:
            for el in ("id", "title", "updated", "link", "content"):
                self.assertIsNotNone(e.find(ATOM + el), el)
            self.assertTrue(e.find(ATOM + "updated").text.endswith("+07:00"))
        # ETag: the same feed again is 304.
        again = self.req("GET", "/v1/feeds/notices.atom?topic=consumer&province=79", headers={"If-None-Match": r.header("ETag")})
        self.assertEqual(again.status, 304)
        # JSON Feed 1.1.
        jf = self.req("GET", "/v1/feeds/notices.json?topic=consumer").json()
        self.assertEqual(jf["version"], "https://jsonfeed.org/version/1.1")
        self.assertTrue(jf["title"])
        for item in jf["items"]:
            self.assertIn("id", item)
            self.assertTrue(item.get("content_text") or item.get("content_html"))
        # ClaimReview (schema.org).
        cr = self.req("GET", f"/v1/notices/{n['id']}/claimreview")
        self.assertTrue(cr.header("Content-Type").startswith("application/ld+json"))
        cr = cr.json()
        self.assertEqual((cr["@context"], cr["@type"]), ("https://schema.org", "ClaimReview"))
        for k in ("claimReviewed", "reviewRating", "url", "author", "itemReviewed", "datePublished"):
            self.assertIn(k, cr)
        self.assertEqual(cr["reviewRating"]["alternateName"], "Sai sự thật")
        self.assertProblem(self.req("GET", f"/v1/notices/{s['id']}/claimreview"), 404, "not-found")
        # CAP 1.2.
        cap = self.req("GET", f"/v1/notices/{s['id']}/cap")
        self.assertTrue(cap.header("Content-Type").startswith("application/cap+xml"))
        alert = ET.fromstring(cap.body)
        self.assertEqual(alert.tag, CAP + "alert")
        for el in ("identifier", "sender", "sent", "status", "msgType", "scope"):
            self.assertIsNotNone(alert.find(CAP + el), el)
        info = alert.find(CAP + "info")
        for el in ("category", "event", "urgency", "severity", "certainty"):
            self.assertIsNotNone(info.find(CAP + el), el)
        self.assertEqual(info.find(CAP + "severity").text, "Severe")
        self.assertIsNotNone(info.find(CAP + "area/" + CAP + "areaDesc"))
        self.assertEqual(info.find(CAP + "area/" + CAP + "geocode/" + CAP + "value").text, "79")
        self.assertRegex(alert.find(CAP + "sent").text, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$")
        self.assertProblem(self.req("GET", f"/v1/notices/{n['id']}/cap"), 404, "not-found")

    def test_bad_input_names_the_field(self):
        cases = [({"kind": "rumour"}, "kind"), ({"topics": ["weather"]}, "topics[0]"), ({"topics": []}, "topics"), ({"provinces": ["99"]}, "provinces[0]"),
                 ({"severity": "huge"}, "severity"), ({"valid_until": iso(now() - timedelta(days=1))}, "valid_until"),
                 ({"sources": []}, "sources"), ({"sources": [{"title": "x"}]}, "sources[0].url"),
                 ({"sources": [{"title": "x", "url": "ftp://x"}]}, "sources[0].url"), ({"claim": None}, "claim"),
                 ({"products": ["prd_x"]}, "products"), ({"title": {"en": "only English"}}, "title.vi"),
                 ({"claim": {"text": "x", "appeared": ["not a place"], "rating": "false"}}, "claim.appeared[0]"),
                 ({"claim": {"text": "x", "appeared": ["https://a.b/c"], "rating": "maybe"}}, "claim.rating")]
        for over, field in cases:
            with self.subTest(field=field):
                body = notice(**over)
                if over.get("claim", 1) is None:
                    del body["claim"]
                self.assertProblem(self.req("POST", "/v1/notices", body, "regulator"), 400, "validation", field)
        self.assertProblem(self.req("POST", "/v1/notices", notice("scam_alert", scam=None), "regulator"), 400, "validation", "scam")
        self.assertProblem(self.req("POST", "/v1/notices", notice("product_recall"), "regulator"), 400, "validation", "products")
        p, key, _ = self.member(["health"], ["01"], hook=False)
        for body, field in (({"topics": ["x"], "provinces": ["01"], "channels": ["feed"]}, "topics[0]"),
                            ({"topics": ["health"], "provinces": ["01"], "channels": ["sms"]}, "channels[0]"),
                            ({"topics": ["health"], "provinces": ["01"], "channels": ["webhook"]}, "webhook_id"),
                            ({"topics": ["health"], "provinces": ["01"], "channels": ["webhook"], "webhook_id": "wh_x"},
                             "webhook_id")):
            with self.subTest(field=field):
                self.assertProblem(self.srv.request("POST", "/v1/network/members", body, key=key), 400, "validation", field)
        n = self.issue(notice(topics=["health"]))
        self.assertProblem(self.srv.request("POST", f"/v1/notices/{n['id']}/ack", {"state": "liked"}, key=key), 400, "validation",
                           "state")
        self.assertProblem(self.srv.request("POST", f"/v1/notices/{n['id']}/ack", {"state": "read", "link": "https://x.y/z"},
                                            key=key), 400, "validation", "link")
        self.assertProblem(self.req("POST", f"/v1/notices/{n['id']}/withdraw", {}, "regulator"), 400, "validation", "reason")
        self.assertProblem(self.req("GET", "/v1/notices?province=99"), 400, "validation", "province")
        self.assertProblem(self.req("GET", "/v1/feeds/notices.atom?topic=nope"), 400, "validation", "topic")
        self.assertEqual(len(self.req("GET", "/v1/provinces").json()["provinces"]), 34)


if __name__ == "__main__":
    unittest.main()
