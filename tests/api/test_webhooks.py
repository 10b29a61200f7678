"""Webhooks against real local HTTP receivers: signed deliveries from the
outbox, retries with backoff after failures, dead letters, and events driven
by time (a sanction starting or ending with nobody acting)."""

import hashlib
import hmac
import json
import threading
import time
import unittest
import uuid
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from harness import ServerTest


def iso(dt):
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def now():
    return datetime.now(timezone.utc)


class Receiver:
    """A local HTTP server that records POSTs and fails the first `fail` of them."""

    def __init__(self, fail=0):
        self.received, self.fail, self.lock = [], fail, threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with outer.lock:
                    attempt = len(outer.received)
                    outer.received.append((dict(self.headers), body))
                status = 500 if attempt < outer.fail else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def events(self):
        with self.lock:
            return [json.loads(b)["event"] for _, b in self.received]

    def wait(self, n, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                if len(self.received) >= n:
                    return True
            time.sleep(0.05)
        return False

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class Webhooks(ServerTest):
    demo_persons = 10
    extra_args = ("--webhook-backoff-ms", "100", "--webhook-attempts", "5")

    def subscribe(self, url, events, role="platform"):
        r = self.req("POST", "/v1/webhooks", {"url": url, "events": events}, role)
        self.assertEqual(r.status, 201, r)
        return r.json()

    def restrict(self, name, start=None, end=None, publish=True):
        p = self.req("POST", "/v1/persons", {"legal_name": name}, "regulator").json()["id"]
        case = self.req("POST", "/v1/cases", {"opened_at": iso(now() - timedelta(days=60)), "person_id": p, "authority": "Cục PTTH&TTĐT"}, "regulator").json()["id"]
        self.req("POST", f"/v1/cases/{case}/transition", {"state": "under_review"}, "regulator")
        body = {"number": f"{uuid.uuid4().hex[:6]}/QĐ", "authority": "Cục PTTH&TTĐT", "signer": {"name": "A", "title": "B"},
                "issued_at": iso(now() - timedelta(seconds=2)), "outcome": "violation",
                "legal_bases": [{"instrument": "NĐ 38/2021/NĐ-CP", "article": "Điều 51"}], "ground": "law",
                "category": "false_advertising", "facts": "F", "detection_source": "platform",
                "notice": {"sent_at": iso(now()), "channel": "văn bản"}, "publish": publish,
                "sanctions": [{"type": "appearance_restriction", "scopes": ["livestream"],
                               "start": iso(start or now() - timedelta(seconds=1)), "end": iso(end or now() + timedelta(days=30))}]}
        r = self.req("POST", f"/v1/cases/{case}/decision", body, "regulator")
        self.assertEqual(r.status, 201, r)
        return p, r.json()

    def test_signed_delivery_after_failures(self):
        rx = Receiver(fail=2)
        try:
            hook = self.subscribe(rx.url, ["decision.published", "sanction.activated"])
            secret = hook["secret"]
            self.assertNotIn("secret", json.dumps(self.req("GET", "/v1/webhooks", role="platform").json()))
            p, d = self.restrict("Nguyễn Thị Sự Kiện")
            # Two events, the first delivery failing twice: 2 + 2 attempts at least.
            self.assertTrue(rx.wait(4), rx.events())
            time.sleep(0.5)
            events = rx.events()
            self.assertIn("decision.published", events)
            self.assertIn("sanction.activated", events)
            for headers, body in rx.received:
                ts = headers["X-Niemtin-Timestamp"]
                want = "sha256=" + hmac.new(secret.encode(), f"{ts}.".encode() + body, hashlib.sha256).hexdigest()
                self.assertEqual(headers["X-Niemtin-Signature"], want)
                self.assertEqual(headers["X-Niemtin-Event"], json.loads(body)["event"])
                self.assertLess(abs(int(ts) - time.time()), 60)
            published = [json.loads(b) for _, b in rx.received if json.loads(b)["event"] == "decision.published"][-1]
            self.assertEqual(published["data"]["decision_id"], d["id"])
            self.assertEqual(published["data"]["person_id"], p)
            deadline = time.time() + 10
            while True:  # the outcome is recorded just after the receiver answers
                deliveries = self.req("GET", f"/v1/webhooks/{hook['id']}/deliveries", role="platform").json()["items"]
                if all(x["state"] == "delivered" for x in deliveries) or time.time() > deadline:
                    break
                time.sleep(0.05)
            self.assertTrue(all(x["state"] == "delivered" for x in deliveries), deliveries)
            self.assertGreaterEqual(max(x["attempts"] for x in deliveries), 2)
            # Not someone else's.
            self.assertProblem(self.req("GET", f"/v1/webhooks/{hook['id']}/deliveries", role="advertiser"), 404, "not-found")
        finally:
            rx.close()

    def test_dead_letter_is_visible(self):
        rx = Receiver(fail=1000)
        try:
            hook = self.subscribe(rx.url, ["decision.published"], role="advertiser")
            self.restrict("Trần Văn Thất Bại")
            self.assertTrue(rx.wait(5))  # five attempts
            deadline = time.time() + 10
            while time.time() < deadline:
                items = self.req("GET", f"/v1/webhooks/{hook['id']}/deliveries", role="advertiser").json()["items"]
                if items and items[0]["state"] == "dead":
                    break
                time.sleep(0.1)
            self.assertEqual(items[0]["state"], "dead", items)
            self.assertEqual(items[0]["attempts"], 5)
            self.assertEqual(items[0]["last_status"], 500)
            self.assertEqual(items[0]["last_error"], "HTTP 500")
            time.sleep(0.5)
            self.assertEqual(len(rx.received), 5)  # no more after the last attempt
        finally:
            rx.close()

    def test_time_driven_and_appeal_events(self):
        rx = Receiver()
        try:
            self.subscribe(rx.url, ["sanction.activated", "sanction.expired", "sanction.lifted", "appeal.resolved"])
            # Starts in a second and ends in two: nobody acts.
            p, d = self.restrict("Lê Thị Đúng Giờ", start=now() + timedelta(seconds=1), end=now() + timedelta(seconds=2))
            self.assertTrue(rx.wait(2, timeout=10), rx.events())
            self.assertEqual(rx.events()[:2], ["sanction.activated", "sanction.expired"])
            # An appeal overturned: the sanction is lifted and the appeal resolved.
            admin = self.srv.keys["admin"]
            org = self.srv.request("POST", "/v1/orgs", {"name": "Thanh tra", "kind": "regulator"}, key=admin).json()["id"]
            reviewer = self.srv.request("POST", "/v1/keys", {"role": "regulator", "org_id": org}, key=admin).json()["secret"]
            p2, d2 = self.restrict("Phạm Văn Khiếu Nại")
            a = self.req("POST", f"/v1/decisions/{d2['id']}/appeals", {"grounds": "Sai."}, "regulator").json()["id"]
            self.srv.request("POST", f"/v1/appeals/{a}/review", key=reviewer)
            r = self.srv.request("POST", f"/v1/appeals/{a}/resolve", {"outcome": "overturned", "reasons": "R", "reviewer": "X"},
                                 key=reviewer)
            self.assertEqual(r.status, 200, r)
            self.assertTrue(rx.wait(5, timeout=10), rx.events())
            self.assertIn("sanction.lifted", rx.events())
            self.assertIn("appeal.resolved", rx.events())
        finally:
            rx.close()

    def test_stopped_subscription_gets_no_retries(self):
        rx = Receiver(fail=1000)
        try:
            hook = self.subscribe(rx.url, ["decision.published"])
            self.restrict("Hồ Văn Hủy Đăng Ký")
            self.assertTrue(rx.wait(1))
            self.assertEqual(self.req("DELETE", f"/v1/webhooks/{hook['id']}", role="platform").status, 204)
            time.sleep(0.3)
            seen = len(rx.received)
            time.sleep(1.5)  # 100, 200, 400, 800 ms backoff: a live subscription would be retried by now
            self.assertEqual(len(rx.received), seen)
            self.assertLess(seen, 5)
        finally:
            rx.close()

    def test_subscription_input_and_management(self):
        self.assertProblem(self.req("POST", "/v1/webhooks", {"url": "ftp://x", "events": ["decision.published"]}, "platform"), 400,
                           "validation", "url")
        self.assertProblem(self.req("POST", "/v1/webhooks", {"url": "http://127.0.0.1:9/x", "events": ["case.opened"]},
                                    "platform"), 400, "validation", "events[0]")
        self.assertProblem(self.req("POST", "/v1/webhooks", {"url": "http://127.0.0.1:9/x", "events": []}, "platform"), 400,
                           "validation", "events")
        # Every event the API document lists can be subscribed to (10 at a time), and no other.
        doc = self.req("GET", "/openapi.json").json()
        events = doc["components"]["schemas"]["WebhookCreate"]["properties"]["events"]["items"]["enum"]
        self.assertIn("decision.delisted", events)
        for i in range(0, len(events), 10):
            self.subscribe("http://127.0.0.1:9/all", events[i:i + 10], role="regulator")
        hook = self.subscribe("http://127.0.0.1:9/x", ["appeal.resolved"])
        self.assertProblem(self.req("DELETE", f"/v1/webhooks/{hook['id']}", role="advertiser"), 404, "not-found")
        self.assertEqual(self.req("DELETE", f"/v1/webhooks/{hook['id']}", role="platform").status, 204)
        listed = {h["id"]: h for h in self.req("GET", "/v1/webhooks", role="platform").json()["items"]}
        self.assertFalse(listed[hook["id"]]["active"])


if __name__ == "__main__":
    unittest.main()
