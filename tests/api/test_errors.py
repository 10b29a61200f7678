"""Every class of bad input gets an RFC 9457 problem in Vietnamese or English,
naming the field, and nothing partial is stored."""

import json
import socket
import unittest

from harness import Server, ServerTest, recv_all


class Errors(ServerTest):
    def count_persons(self):
        n, cursor = 0, None
        while True:
            page = self.req("GET", "/v1/persons?limit=100" + (f"&cursor={cursor}" if cursor else ""), role="admin").json()
            n += len(page["items"])
            cursor = page["next_cursor"]
            if not cursor:
                return n

    def test_problem_shape_and_languages(self):
        r = self.req("GET", "/v1/persons/p_nobody")
        p = self.assertProblem(r, 404, "not-found")
        self.assertEqual(p["title"], "Không tìm thấy")
        self.assertEqual(r.header("Content-Language"), "vi")
        self.assertEqual(p["instance"], "/v1/persons/p_nobody")
        self.assertEqual(p["request_id"], r.header("X-Request-Id"))
        r = self.req("GET", "/v1/persons/p_nobody", headers={"Accept-Language": "en-US,en;q=0.9,vi;q=0.5"})
        self.assertEqual(r.json()["title"], "Not found")
        self.assertEqual(r.header("Content-Language"), "en")
        r = self.req("GET", "/v1/persons/p_nobody", headers={"Accept-Language": "en;q=0.5, vi"})
        self.assertEqual(r.json()["title"], "Không tìm thấy")

    def test_validation_names_every_field(self):
        before = self.count_persons()
        r = self.req("POST", "/v1/persons", {"legal_name": "", "nickname": "x", "birth_year": "1990",
                                             "aliases": ["ok", 5]}, "regulator", headers={"Accept-Language": "en"})
        p = self.assertProblem(r, 400, "validation")
        fields = {e["field"]: e["code"] for e in p["errors"]}
        self.assertEqual(fields, {"nickname": "unknown", "legal_name": "required", "birth_year": "type",
                                  "aliases[1]": "type"})
        self.assertTrue(all(e["detail"] for e in p["errors"]))
        r = self.req("POST", "/v1/persons", {"legal_name": "A" * 201}, "regulator")
        p = self.assertProblem(r, 400, "validation", "legal_name")
        self.assertEqual(p["errors"][0]["code"], "too_long")
        self.assertIn("200", p["errors"][0]["detail"])
        self.assertProblem(self.req("POST", "/v1/persons", {"legal_name": "A", "gender": "q"}, "regulator"),
                           400, "validation", "gender")
        self.assertProblem(self.req("POST", "/v1/persons", {"legal_name": "A", "national_id": "12345"}, "regulator"),
                           400, "validation", "national_id")
        self.assertProblem(self.req("POST", "/v1/persons", {"legal_name": "A", "aliases": ["x"] * 21}, "regulator"),
                           400, "validation", "aliases")
        self.assertEqual(self.count_persons(), before)

    def test_errors_say_what_would_be_accepted(self):
        def only_error(r, field):
            p = self.assertProblem(r, 400, "validation", field)
            return next(e for e in p["errors"] if e["field"] == field)

        # A misspelt query parameter: the nearest one named, and every one the address takes.
        e = only_error(self.req("GET", "/v1/check?subjct=p0000002&scope=livestream", role="platform"), "subjct")
        self.assertEqual((e["code"], e["did_you_mean"]), ("unknown", "subject"))
        self.assertEqual(e["allowed"], ["subject", "scope", "platform", "at", "from", "to"])
        self.assertIn("ý bạn là “subject”", e["detail"])
        # One no known name is near: the list, no guess.
        e = only_error(self.req("GET", "/v1/check?subject=p0000002&kind=livestream", role="platform"), "kind")
        self.assertNotIn("did_you_mean", e)
        self.assertIn("subject, scope, platform", e["detail"])
        # A value outside a choice: the choices, in the reader's language; each of them is taken.
        r = self.req("GET", "/v1/check?subject=p0000002&scope=livestrem&platform=tiktk", role="platform",
                     headers={"Accept-Language": "en"})
        e = only_error(r, "scope")
        self.assertEqual(e["allowed"], ["any", "broadcast", "press", "performance", "livestream", "online_content",
                                        "advertising"])
        self.assertIn("one of: any, broadcast", e["detail"])
        self.assertEqual(only_error(r, "platform")["allowed"],
                         ["tiktok", "facebook", "instagram", "youtube", "zalo", "x", "threads"])
        for scope in e["allowed"]:
            self.assertEqual(self.req("GET", f"/v1/check?subject=p0000002&scope={scope}", role="platform").status, 200)
        e = only_error(self.req("GET", "/v1/transparency?by=quater"), "by")
        self.assertEqual(e["allowed"], ["month", "quarter"])
        self.assertEqual(e["detail"], "giá trị không hợp lệ; một trong: month, quarter")
        for by in e["allowed"]:
            self.assertEqual(self.req("GET", f"/v1/transparency?by={by}").status, 200)
        e = only_error(self.req("GET", "/v1/appeals?state=filled", role="regulator"), "state")
        self.assertEqual(e["allowed"], ["filed", "under_review", "upheld", "overturned", "modified"])
        e = only_error(self.req("GET", "/v1/cases?assigned=mine", role="regulator"), "assigned")
        self.assertEqual(e["detail"], "giá trị không hợp lệ; phải là: me")
        # A body's misspelt field, then the same body with the name suggested: taken.
        body = {"legal_nam": "Trần Thị Bích Ngọc"}
        e = only_error(self.req("POST", "/v1/persons", body, "regulator"), "legal_nam")
        self.assertEqual(e["did_you_mean"], "legal_name")
        self.assertEqual(self.req("POST", "/v1/persons", {e["did_you_mean"]: body["legal_nam"]}, "regulator").status, 201)
        e = only_error(self.req("POST", "/v1/persons", {"legal_name": "A", "gender": "n"}, "regulator"), "gender")
        for gender in e["allowed"]:
            self.assertEqual(self.req("POST", "/v1/persons", {"legal_name": "A", "gender": gender}, "regulator").status, 201)
        # An address that takes no query parameters has nothing to offer, and says nothing it does not know.
        e = only_error(self.req("GET", "/v1/open-data/decisions.csv?x=1"), "x")
        self.assertNotIn("allowed", e)
        self.assertNotIn("did_you_mean", e)
        # A browser is told the same on the page.
        r = self.req("GET", "/transparency?bye=quarter", headers={"Accept": "text/html"})
        self.assertEqual(r.status, 400)
        self.assertIn("ý bạn là “by”", r.body)

    def test_bad_json(self):
        for raw in (b"{", b"[1,2]", b'{"legal_name":"A","legal_name":"B"}', b'{"legal_name":"\xff"}',
                    b'{"legal_name":"A"} trailing', b"", b'{"legal_name":NaN}'):
            r = self.req("POST", "/v1/persons", role="regulator", raw=raw, headers={"Content-Type": "application/json"})
            self.assertProblem(r, 400, "invalid-json")

    def test_content_type_size_method(self):
        r = self.req("POST", "/v1/persons", role="regulator", raw=b'{"legal_name":"A"}',
                     headers={"Content-Type": "text/plain"})
        self.assertProblem(r, 415, "unsupported-media-type")
        r = self.req("POST", "/v1/persons", role="regulator", raw=b'{"legal_name":"A"}', headers={})
        self.assertProblem(r, 415, "unsupported-media-type")
        ok = self.req("POST", "/v1/persons", role="regulator", raw='{"legal_name":"Bùi Thị Charset"}'.encode(),
                      headers={"Content-Type": "application/json; charset=utf-8"})
        self.assertEqual(ok.status, 201, ok)
        big = json.dumps({"legal_name": "A", "province": "x" * (1024 * 1024)}).encode()
        self.assertProblem(self.req("POST", "/v1/persons", role="regulator", raw=big,
                                    headers={"Content-Type": "application/json"}), 413, "payload-too-large")
        r = self.req("PUT", "/v1/persons", role="regulator")
        self.assertProblem(r, 405, "method-not-allowed")
        self.assertEqual(set(r.header("Allow").split(", ")), {"GET", "HEAD", "POST"})
        r = self.req("DELETE", "/v1/persons/p0000001", role="admin")
        self.assertEqual(set(self.assertProblem(r, 405, "method-not-allowed") and r.header("Allow").split(", ")),
                         {"GET", "HEAD", "PATCH"})

    def test_body_over_limit_without_content_length(self):
        # Chunked upload: the limit is enforced while accumulating.
        s = socket.create_connection(("127.0.0.1", self.srv.port), timeout=30)
        head = (f"POST /v1/persons HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {self.srv.keys['regulator']}\r\n"
                "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").encode()
        s.sendall(head)
        chunk = b"a" * 65536
        for _ in range(20):
            s.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
        s.sendall(b"0\r\n\r\n")
        data = recv_all(s)
        s.close()
        self.assertTrue(data.startswith(b"HTTP/1.1 413"), data[:200])

    def test_malformed_http_is_refused_and_logged(self):
        # Requests libmicrohttpd refuses before they reach a route: nothing leaks (checked under
        # LeakSanitizer at the clean exit of this class's server) and the server keeps serving.
        for payload in (b"GET /v1/persons HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n",
                        b"GET /v1/persons HTTP/1.1\r\nHost: x\r\nX: " + b"a" * 70000 + b"\r\n\r\n",
                        b"POST /v1/persons HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc"):
            s = socket.create_connection(("127.0.0.1", self.srv.port), timeout=5)
            s.sendall(payload)
            s.settimeout(0.5)
            try:
                s.recv(100)
            except OSError:
                pass
            s.close()
        self.assertEqual(self.req("GET", "/healthz").status, 200)
        warn = [json.loads(l) for l in self.srv.log_text().splitlines() if '"level":"warn"' in l]
        self.assertTrue(any("400" in w["msg"] for w in warn), warn)

    def test_not_found_and_query(self):
        self.assertProblem(self.req("GET", "/v1/nothing"), 404, "not-found")
        self.assertProblem(self.req("GET", "/v1/persons?q=a&q=b"), 400, "bad-request")
        self.assertProblem(self.req("GET", "/v1/persons?sort=name"), 400, "validation", "sort")
        self.assertProblem(self.req("GET", "/v1/persons/%ZZ"), 400, "bad-request")
        self.assertProblem(self.req("GET", "/v1/persons?q=" + "a" * 5000), 414, "uri-too-long")
        self.assertProblem(self.req("GET", "/v1/persons?q=" + "a" * 201), 400, "validation", "q")

    def test_auth_errors(self):
        r = self.req("GET", "/v1/orgs")
        self.assertProblem(r, 401, "unauthorized")
        self.assertEqual(r.header("WWW-Authenticate"), "Bearer")
        self.assertProblem(self.srv.request("GET", "/v1/orgs", key="k_abc.wrong"), 401, "unauthorized")
        self.assertProblem(self.srv.request("GET", "/v1/orgs", headers={"Authorization": "Basic eDp5"}), 401,
                           "unauthorized")
        # A bad key is refused even where the public may go.
        self.assertProblem(self.srv.request("GET", "/v1/persons", key="nonsense"), 401, "unauthorized")
        self.assertProblem(self.req("GET", "/v1/orgs", role="kol"), 403, "forbidden")


class RateLimit(unittest.TestCase):
    def test_unauthenticated_requests_are_limited(self):
        srv = Server(extra_args=["--public-rate", "1", "--public-burst", "3"])
        try:
            # The later flags win over the harness's generous defaults.
            statuses = [srv.request("GET", "/v1/persons").status for _ in range(6)]
            self.assertEqual(statuses[:3], [200, 200, 200])
            self.assertIn(429, statuses[3:])
            r = srv.request("GET", "/v1/persons", headers={"Accept-Language": "en"})
            self.assertEqual(r.status, 429)
            self.assertEqual(r.json()["type"], "urn:niemtin:problem:rate-limited")
            self.assertGreaterEqual(int(r.header("Retry-After")), 1)
            # Keys are not limited this way, nor is the health check.
            self.assertEqual(srv.request("GET", "/v1/persons", key=srv.keys["admin"]).status, 200)
            self.assertEqual(srv.request("GET", "/healthz").status, 200)
            srv.assert_clean_exit(self)
        finally:
            srv.close()


if __name__ == "__main__":
    unittest.main()
