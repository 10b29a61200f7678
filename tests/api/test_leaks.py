"""What must not leak, and where the server must not be sent.

The change feed showed every platform and advertiser the creation of cases, reports, appeals
and keys; a webhook could point the server at its own machine or the cloud's metadata address;
text could hold control characters and bidirectional overrides; requests could come without a
Host or with two credentials. Against the binary before the fix each test here fails."""

import socket
import unittest

from harness import ServerTest
from test_cases import CaseSteps


class Leaks(CaseSteps, ServerTest):
    demo_persons = 10
    local_hooks = False  # the default an operator gets: receivers on internal addresses refused

    def test_the_change_feed_shows_each_consumer_what_it_may_read(self):
        p = self.person("Hồ Văn Bí Mật")
        rep = self.req("POST", "/v1/reports", {"subject": {"person_id": p}, "category": "misinformation",
                                              "description": "Tin giả về sức khỏe trên livestream."}, "platform")
        self.assertEqual(rep.status, 201, rep)
        case = self.open_case(p)
        d = self.decision(case, [{"type": "warning"}], publish=False)  # not published
        hidden = {"case", "report", "appeal", "key", "org", "offer", "webhook"}
        for role in ("platform", "advertiser"):
            with self.subTest(role=role):
                items, since = [], 0
                while True:
                    page = self.req("GET", f"/v1/changes?since={since}&limit=100", role=role).json()
                    items += page["items"]
                    since = page["next_since"]
                    if not page["more"]:
                        break
                entities = {x["entity"] for x in items}
                self.assertFalse(entities & hidden, entities)
                self.assertNotIn(d["id"], [x["entity_id"] for x in items])  # an unpublished decision
                self.assertIn(p, [x["entity_id"] for x in items])  # persons: what the check needs
        full = self.req("GET", "/v1/changes?since=0&limit=100", role="regulator").json()
        self.assertTrue({"case", "report", "key"} <= {x["entity"] for x in full["items"]})

    def test_webhooks_never_point_inside(self):
        for url in ("http://127.0.0.1:9/x", "http://localhost/x", "http://169.254.169.254/latest/meta-data/",
                    "http://10.0.0.1/x", "http://192.168.1.10/x", "http://172.16.0.1/x", "http://[::1]/x",
                    "http://[fd00::1]/x", "http://[::ffff:127.0.0.1]/x", "http://2130706433/x", "http://0x7f.1/x",
                    "http://0.0.0.0/x", "http://100.64.0.1/x"):
            with self.subTest(url=url):
                r = self.req("POST", "/v1/webhooks", {"url": url, "events": ["decision.published"]}, "platform")
                self.assertProblem(r, 400, "validation", "url")
                self.assertEqual(r.json()["errors"][0]["code"], "internal_address")
        for url in ("http://example.org/x\r\nX-Evil: 1", "http://example.org/a b", "http://user@example.org/x",
                    "http://example.org:99999/x", "gopher://example.org/x"):
            with self.subTest(url=url):
                self.assertProblem(self.req("POST", "/v1/webhooks", {"url": url, "events": ["decision.published"]}, "platform"),
                                   400, "validation", "url")

    def test_text_holds_no_controls_or_overrides(self):
        for name, code in (("Lê Văn \u202eAn", "bidi_control"), ("Lê Văn\u2066 An", "bidi_control"),
                           ("Lê Văn\u0007An", "control_character"), ("Lê Văn\x85An", "control_character"),
                           ("\u200b\u0301\u200d", "invisible"), ("   ", "invisible")):
            with self.subTest(name=repr(name)):
                r = self.req("POST", "/v1/persons", {"legal_name": name}, "regulator")
                self.assertProblem(r, 400, "validation", "legal_name")
                self.assertEqual(r.json()["errors"][0]["code"], code)
        r = self.req("POST", "/v1/persons", {"legal_name": "Lê Văn An", "aliases": ["An\u202e"]}, "regulator")
        self.assertProblem(r, 400, "validation", "aliases[0]")
        # Line breaks and tabs in a long text are fine, as are Vietnamese marks written decomposed.
        ok = self.req("POST", "/v1/persons", {"legal_name": "Le\u0302 Va\u0306n An"}, "regulator")
        self.assertEqual(ok.status, 201, ok)

    def raw(self, head):
        with socket.create_connection(("127.0.0.1", self.srv.port), timeout=10) as s:
            s.sendall(head.encode())
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        return data.decode("latin-1")

    def test_a_request_names_its_host_and_one_credential(self):
        key = self.srv.keys["platform"]
        self.assertIn(" 400 ", self.raw("GET /v1/persons HTTP/1.1\r\nConnection: close\r\n\r\n").split("\r\n")[0])
        two = self.raw(f"GET /v1/check?subject=p0000002 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\n"
                       f"Authorization: Bearer nobody.x\r\nConnection: close\r\n\r\n")
        self.assertIn(" 400 ", two.split("\r\n")[0])
        one = self.raw(f"GET /v1/check?subject=p0000002 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\n"
                       f"Connection: close\r\n\r\n")
        self.assertIn(" 200 ", one.split("\r\n")[0])
        self.assertIn(" 200 ", self.raw("GET /healthz HTTP/1.0\r\n\r\n").split("\r\n")[0])  # HTTP/1.0 needs no Host


if __name__ == "__main__":
    unittest.main()
