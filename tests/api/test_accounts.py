"""People who sign in to the web pages: users made by an admin, passwords (argon2id), sessions
in an HttpOnly SameSite=Strict cookie, a second factor (TOTP, RFC 6238) set up and required for
regulators, programme reviewers and admins, lockout after failures (that does not tell which
logins exist), CSRF refusal, sign-out and sign-out everywhere, idle and absolute timeouts, and the
audit rows of each. Driven as a browser does: forms posted, cookies kept, redirects read."""

import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import struct
import time
import unittest
import uuid
from urllib.parse import urlencode

from datetime import timedelta

from harness import SOURCE, Response, ServerTest
from test_cases import iso, now
from test_trust import TrustSteps

PASSWORD = re.compile(r"^[a-km-z2-9]{4}(-[a-km-z2-9]{4}){3}$")


def totp(secret, at=None, step=0):
    """RFC 6238 with HMAC-SHA-1, 6 digits, 30-second steps: what an authenticator app shows."""
    key = base64.b32decode(secret + "=" * ((8 - len(secret) % 8) % 8))
    counter = int((at or time.time()) // 30) + step
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    o = mac[19] & 15
    return "%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7FFFFFFF) % 1000000)


class Browser:
    """Keeps cookies as a browser would (by name) and posts forms."""

    def __init__(self, srv):
        self.srv = srv
        self.jar = {}
        self.cookies = []  # every Set-Cookie seen, as sent

    def go(self, method, path, form=None, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=30)
        h = {"Accept": "text/html", **(headers or {})}
        if self.jar:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        body = None
        if form is not None:
            body = urlencode(form)
            h["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            c.request(method, path, body, h)
            r = c.getresponse()
            data = r.read().decode("utf-8", "replace")
            hdrs = r.getheaders()
        finally:
            c.close()
        for k, v in hdrs:
            if k.lower() == "set-cookie":
                self.cookies.append(v)
                name, value = v.split(";")[0].split("=", 1)
                if "Max-Age=0" in v:
                    self.jar.pop(name, None)
                else:
                    self.jar[name] = value
        return Response(r.status, hdrs, data)

    def go_raw(self, method, path, body, content_type):
        c = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=60)
        h = {"Accept": "text/html", "Content-Type": content_type, "Cookie": "; ".join(f"{k}={v}" for k, v in self.jar.items())}
        try:
            c.request(method, path, body, h)
            r = c.getresponse()
            return Response(r.status, r.getheaders(), r.read().decode("utf-8", "replace"))
        finally:
            c.close()

    def csrf(self):
        if "nt_csrf" not in self.jar:
            self.go("GET", "/login")
        return self.jar["nt_csrf"]

    def sign_in(self, login, password, next_="/console"):
        return self.go("POST", "/login", {"csrf": self.csrf(), "login": login, "password": password, "next": next_})

    def code(self, code, next_="/console"):
        return self.go("POST", "/login/code", {"csrf": self.csrf(), "code": code, "next": next_})


class AccountSteps:
    def org_of(self, role):
        return self.req("GET", "/v1/me", role=role).json()["org_id"]

    def make_user(self, role, login=None, **over):
        body = {"login": login or f"{role}.{uuid.uuid4().hex[:8]}", "name": "Nguyễn Thị Thử", "role": role}
        if role == "kol":
            body["person_id"] = "p0000001"
        else:
            body["org_id"] = self.org_of(role)
        body.update(over)
        r = self.req("POST", "/v1/users", body, "admin")
        self.assertEqual(r.status, 201, r)
        return r.json()

    def signed_in(self, role):
        """A browser signed in as a new user of the role, its second factor set up if asked."""
        u = self.make_user(role)
        b = Browser(self.srv)
        r = b.sign_in(u["login"], u["password"])
        self.assertEqual(r.status, 303, r)
        if r.header("Location").startswith("/login/code"):
            page = b.go("GET", r.header("Location"))
            secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.body).group(1).replace(" ", "")
            r = b.code(totp(secret))
            self.assertEqual(r.status, 303, r)
            u["secret"] = secret
        return u, b

    def audit(self, **filters):
        q = urlencode({**filters, "limit": 100})
        return self.req("GET", f"/v1/audit?{q}", role="admin").json()["items"]


class Accounts(AccountSteps, ServerTest):
    demo_persons = 5

    def test_an_admin_makes_users_whose_secrets_are_never_shown_again(self):
        u = self.make_user("platform", login="Mai.Platform")
        self.assertEqual(u["login"], "mai.platform")  # kept in lower case
        self.assertRegex(u["password"], PASSWORD)
        self.assertEqual(u["second_factor"], "not_required")
        self.assertEqual(u["org_id"], self.org_of("platform"))
        self.assertEqual(u["created_at"][-6:], "+07:00")
        self.assertEqual(self.make_user("regulator")["second_factor"], "to_set_up")
        self.assertEqual(self.make_user("kol")["person_id"], "p0000001")
        got = self.req("GET", f"/v1/users/{u['id']}", role="admin")
        self.assertEqual(got.status, 200, got)
        listed = self.req("GET", "/v1/users?limit=100", role="admin")
        for text in (got.body, listed.body):
            self.assertNotIn("password\"", text)
            self.assertNotIn("argon2", text)
            self.assertNotIn("totp_secret", text)
            self.assertNotIn("pwhash", text)
        self.assertIn(u["id"], [x["id"] for x in listed.json()["items"]])
        # Bad input named at its field; a taken login is a conflict; only an admin makes users.
        cases = [({"login": "a b", "name": "X", "role": "platform", "org_id": self.org_of("platform")}, "login"),
                 ({"login": "ab", "name": "X", "role": "platform", "org_id": self.org_of("platform")}, "login"),
                 ({"login": "x.role", "name": "X", "role": "regulator", "org_id": self.org_of("platform")}, "role"),
                 ({"login": "x.kol", "name": "X", "role": "kol"}, "person_id"),
                 ({"login": "x.org", "name": "X", "role": "platform"}, "org_id"),
                 ({"login": "x.name", "role": "platform", "org_id": self.org_of("platform")}, "name")]
        for body, field in cases:
            with self.subTest(field=field):
                self.assertProblem(self.req("POST", "/v1/users", body, "admin"), 400, "validation", field)
        again = self.req("POST", "/v1/users", {"login": "MAI.platform", "name": "Khác", "role": "platform",
                                               "org_id": self.org_of("platform")}, "admin")
        self.assertEqual(again.status, 409, again)
        self.assertEqual(self.req("POST", "/v1/users", {"login": "x.y", "name": "X", "role": "platform",
                                                        "org_id": self.org_of("platform")}, "regulator").status, 403)
        self.assertEqual(self.req("GET", "/v1/users/u_nobody", role="admin").status, 404)

    def test_a_platform_user_signs_in_without_a_second_factor(self):
        u = self.make_user("platform")
        b = Browser(self.srv)
        login = b.go("GET", "/login")
        self.assertEqual(login.status, 200, login)
        self.assertIn('name="password"', login.body)
        self.assertIn('autocomplete="current-password"', login.body)
        r = b.sign_in(u["login"].upper(), u["password"], "/restrictions")
        self.assertEqual((r.status, r.header("Location")), (303, "/restrictions"), r)
        cookie = [c for c in b.cookies if c.startswith("nt_session=")][-1]
        self.assertRegex(cookie, r"^nt_session=[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Strict$")
        console = b.go("GET", "/console")
        self.assertEqual(console.status, 200, console)
        self.assertIn("Nguyễn Thị Thử", console.body)
        self.assertIn('action="/logout"', console.body)
        self.assertEqual("private, no-store", console.header("Cache-Control"))
        # A page seen signed in is never served to someone else from the pages' cache.
        self.assertNotIn("Nguyễn Thị Thử", Browser(self.srv).go("GET", "/restrictions").body)
        self.assertIn("Nguyễn Thị Thử", b.go("GET", "/restrictions").body)
        rows = self.audit(key_id=u["id"])
        self.assertEqual([x["action"] for x in rows][::-1], ["login.succeeded", "session.started"])
        # The session's secret is nowhere in the audit: rows name the session by its hash.
        self.assertNotIn(b.jar["nt_session"], str(rows))
        # Sessions are nobody's to follow in the change feed.
        seen, since = set(), 0
        while True:
            page = self.req("GET", f"/v1/changes?since={since}&limit=100", role="platform").json()["items"]
            if not page:
                break
            seen |= {c["entity"] for c in page}
            since = page[-1]["seq"]
        self.assertTrue(seen)
        self.assertFalse(seen & {"session", "user"}, seen)

    def test_a_regulator_sets_up_the_second_factor_and_needs_it_every_time(self):
        u = self.make_user("regulator")
        b = Browser(self.srv)
        r = b.sign_in(u["login"], u["password"], "/console/users")
        self.assertEqual(r.status, 303, r)
        self.assertEqual(r.header("Location"), "/login/code?next=%2Fconsole%2Fusers")
        # Half signed in is not signed in.
        half = b.go("GET", "/console")
        self.assertEqual((half.status, half.header("Location")), (303, "/login?next=%2Fconsole"), half)
        page = b.go("GET", "/login/code?next=%2Fconsole%2Fusers")
        self.assertEqual(page.status, 200, page)
        secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.body).group(1).replace(" ", "")
        self.assertEqual(len(secret), 32)  # 160 bits
        self.assertIn("data:image/svg+xml;base64,", page.body)  # its QR code
        wrong = b.code("000000" if totp(secret) != "000000" else "111111")
        self.assertEqual(wrong.status, 400, wrong)
        self.assertIn('id="code-error"', wrong.body)
        self.assertIn("Mã không đúng.", wrong.body)
        ok = b.code(totp(secret), "/console")
        self.assertEqual((ok.status, ok.header("Location")), (303, "/console"), ok)
        self.assertEqual(b.go("GET", "/console").status, 200)
        self.assertEqual(self.req("GET", f"/v1/users/{u['id']}", role="admin").json()["second_factor"], "set")
        # Next time: the code, no secret shown again; a code is good once.
        used = totp(secret)
        b2 = Browser(self.srv)
        r = b2.sign_in(u["login"], u["password"])
        page = b2.go("GET", r.header("Location"))
        self.assertNotIn("totp-secret", page.body)
        self.assertEqual(b2.code(used).status, 400)
        time.sleep(max(0.0, 30 - time.time() % 30) + 0.2)  # the next step's code
        ok = b2.code(totp(secret))
        self.assertEqual(ok.status, 303, ok)
        actions = [x["action"] for x in self.audit(key_id=u["id"])]
        for a in ("login.password", "login.failed", "totp.enrolled", "login.succeeded", "login.code"):
            self.assertIn(a, actions)

    def test_five_failures_lock_a_login_known_or_not(self):
        u = self.make_user("advertiser")
        b = Browser(self.srv)
        for i in range(4):
            r = b.sign_in(u["login"], "sai-mat-khau")
            self.assertEqual(r.status, 401, r)
            self.assertIn("Tên đăng nhập hoặc mật khẩu không đúng", r.body)
        r = b.sign_in(u["login"], "sai-mat-khau")
        self.assertEqual(r.status, 429, r)
        self.assertIn("tạm khóa đến", r.body)
        r = b.sign_in(u["login"], u["password"])  # the right password, locked all the same
        self.assertEqual(r.status, 429, r)
        self.assertNotIn("nt_session", b.jar)
        # A login nobody has locks the same way: the lock does not tell which logins exist.
        ghost = Browser(self.srv)
        answers = [ghost.sign_in("nobody.at.all", "x").status for _ in range(6)]
        self.assertEqual(answers, [401, 401, 401, 401, 429, 429])
        self.assertIn("login.locked", [x["action"] for x in self.audit(key_id=u["id"])])
        self.assertTrue(self.audit(action="login.refused"))
        self.assertTrue(self.req("GET", f"/v1/users/{u['id']}", role="admin").json()["locked_until"])
        # An admin's reset: a new password, the lock lifted; the old password no longer works.
        reset = self.req("POST", f"/v1/users/{u['id']}/reset", role="admin")
        self.assertEqual(reset.status, 200, reset)
        self.assertRegex(reset.json()["password"], PASSWORD)
        self.assertIsNone(reset.json()["locked_until"])
        self.assertEqual(Browser(self.srv).sign_in(u["login"], u["password"]).status, 401)
        self.assertEqual(Browser(self.srv).sign_in(u["login"], reset.json()["password"]).status, 303)

    def test_forms_without_this_visitors_token_are_refused(self):
        u, b = self.signed_in("platform")
        other = Browser(self.srv)
        other_token = other.csrf()
        # Another visitor's token, none, or no cookie at all: 403, nothing done.
        self.assertEqual(b.go("POST", "/logout", {"csrf": other_token}).status, 403)
        self.assertEqual(b.go("POST", "/logout", {}).status, 403)
        bare = Browser(self.srv)
        r = bare.go("POST", "/login", {"csrf": other_token, "login": u["login"], "password": u["password"]})
        self.assertEqual(r.status, 403, r)
        self.assertNotIn("nt_session", bare.jar)
        self.assertEqual(b.go("GET", "/console").status, 200)  # still signed in

    def test_sign_out_here_and_everywhere(self):
        u, first = self.signed_in("platform")
        second = Browser(self.srv)
        second.sign_in(u["login"], u["password"])
        self.assertEqual(second.go("GET", "/console").status, 200)
        stale = dict(first.jar)
        out = first.go("POST", "/logout", {"csrf": first.csrf()})
        self.assertEqual((out.status, out.header("Location")), (303, "/"), out)
        self.assertNotIn("nt_session", first.jar)
        first.jar = stale  # the old cookie kept by someone: it is dead
        self.assertEqual(first.go("GET", "/console").status, 303)
        self.assertEqual(second.go("GET", "/console").status, 200)
        third = Browser(self.srv)
        third.sign_in(u["login"], u["password"])
        self.assertEqual(third.go("GET", "/console").status, 200)
        console = second.go("GET", "/console")
        self.assertIn('action="/logout/all"', console.body)
        everywhere = second.go("POST", "/logout/all", {"csrf": second.csrf()})
        self.assertEqual((everywhere.status, everywhere.header("Location")), (303, "/login"), everywhere)
        self.assertEqual(second.go("GET", "/console").status, 303)
        self.assertEqual(third.go("GET", "/console").status, 303)
        self.assertIn("logout.everywhere", [x["action"] for x in self.audit(key_id=u["id"])])

    def test_a_disabled_user_is_out_at_once(self):
        u, b = self.signed_in("kol")
        self.assertEqual(b.go("GET", "/console").status, 200)
        self.assertProblem(self.req("POST", f"/v1/users/{u['id']}/disable", {}, "admin"), 400, "validation", "reason")
        d = self.req("POST", f"/v1/users/{u['id']}/disable", {"reason": "Tài khoản bị lộ."}, "admin")
        self.assertEqual(d.status, 200, d)
        self.assertEqual(d.json()["sessions"], [])
        self.assertEqual(b.go("GET", "/console").status, 303)
        self.assertEqual(Browser(self.srv).sign_in(u["login"], u["password"]).status, 401)
        self.assertEqual(self.req("POST", f"/v1/users/{u['id']}/disable", {"reason": "Lần nữa."}, "admin").status, 409)

    def test_a_page_for_another_role_is_refused(self):
        _, reg = self.signed_in("regulator")
        refused = reg.go("GET", "/console/users")
        self.assertEqual(refused.status, 403, refused)
        self.assertTrue(refused.header("Content-Type").startswith("text/html"), refused.headers)
        _, admin = self.signed_in("admin")
        page = admin.go("GET", "/console/users")
        self.assertEqual(page.status, 200, page)
        visitor = Browser(self.srv).go("GET", "/console/users")
        self.assertEqual((visitor.status, visitor.header("Location")), (303, "/login?next=%2Fconsole%2Fusers"))
        # The language asked for on the address holds for the sign-in page it leads to.
        en = Browser(self.srv)
        r = en.go("GET", "/console?lang=en")
        self.assertEqual(r.header("Location"), "/login?next=%2Fconsole%3Flang%3Den")
        self.assertIn(">Sign in</h1>", en.go("GET", r.header("Location")).body)
        # Only this site's paths are followed after signing in.
        u = self.make_user("platform")
        for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
            r = Browser(self.srv).sign_in(u["login"], u["password"], evil)
            self.assertEqual(r.header("Location"), "/console", evil)


    def test_a_list_checked_from_a_csv_file(self):
        _, plat = self.signed_in("platform")
        form = plat.go("GET", "/console/check/csv")
        self.assertEqual(form.status, 200, form)
        self.assertIn('enctype="multipart/form-data"', form.body)
        self.assertIn('href="/console/check/csv"', plat.go("GET", "/console/check").body)
        rows = ["subject", "p0000002", '"p0000003"', "tiktok:nobody_at_all_zz", "Nguyen Van A", "", "p9999999"]
        rows += [f"tiktok:bulk.{i}" for i in range(2000)]
        r = self.upload(plat, "\r\n".join(rows).encode())
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.header("Content-Type").startswith("text/csv"))
        self.assertIn("attachment", r.header("Content-Disposition"))
        import csv
        import io
        lines = list(csv.reader(io.StringIO(r.body.lstrip("\ufeff"))))
        self.assertEqual(lines[0], ["subject", "status", "allowed", "person_id", "basis", "restrictions"])
        got = {row[0]: row for row in lines[1:]}
        self.assertEqual(len(lines) - 1, 2005)  # the header and the blank line skipped, nothing else
        self.assertEqual(got["p0000002"][1:3], ["restricted", "false"])
        self.assertIn("/QĐ-", got["p0000002"][5])
        self.assertEqual(got["p0000003"][1:3], ["no_restriction", "true"])
        # Fail closed: what the registry does not hold is unverified, never allowed.
        for unknown in ("tiktok:nobody_at_all_zz", "p9999999", "tiktok:bulk.1999"):
            self.assertEqual(got[unknown][1:3], ["unverified", ""], unknown)
        self.assertEqual(got["Nguyen Van A"][1], "invalid")
        # Limits and refusals.
        too_many = self.upload(plat, "\n".join(f"p{i:07d}" for i in range(10001)).encode())
        self.assertEqual(too_many.status, 413, too_many)
        self.assertEqual(self.upload(plat, b"").status, 400)
        self.assertEqual(self.upload(plat, b"p0000002", csrf="0" * 32).status, 403)
        _, kol = self.signed_in("kol")
        self.assertEqual(self.upload(kol, b"p0000002").status, 403)

    def upload(self, b, data, csrf=None):
        boundary = "----nt" + uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf or b.csrf()}\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"list.csv\"\r\n"
                f"Content-Type: text/csv\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
        return b.go_raw("POST", "/console/check/csv", body, f"multipart/form-data; boundary={boundary}")

    def test_the_check_page_fails_closed(self):
        _, plat = self.signed_in("platform")
        form = plat.go("GET", "/console/check")
        self.assertEqual(form.status, 200, form)
        self.assertIn('name="subject"', form.body)
        self.assertIn('href="/console/check"', plat.go("GET", "/console").body)
        restricted = plat.go("GET", "/console/check?subject=p0000002&scope=livestream")
        self.assertIn('id="check-status">Đang bị hạn chế<', restricted.body)
        self.assertIn("/QĐ-", restricted.body)  # the decision it rests on
        self.assertIn("nt-status--restricted", restricted.body)
        clear = plat.go("GET", "/console/check?subject=p0000003&scope=livestream")
        self.assertIn('id="check-status">Không có hạn chế nào đang áp dụng<', clear.body)
        # A subject the registry does not hold is unverified, never "allowed".
        for unknown in ("tiktok:nobody_at_all_zz", "p9999999", "@nobody_at_all_zz"):
            page = plat.go("GET", "/console/check?subject=" + unknown)
            self.assertEqual(page.status, 200, page)
            self.assertIn('id="check-status">Không có trong sổ đăng ký — chưa xác minh<', page.body, unknown)
            self.assertNotIn("Không có hạn chế nào", page.body, unknown)
        bad = plat.go("GET", "/console/check?subject=" + "%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        self.assertEqual(bad.status, 400, bad)
        self.assertIn('id="subject-error"', bad.body)
        self.assertNotIn("<script>alert", bad.body)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", bad.body)
        self.assertEqual(plat.go("GET", "/console/check?subject=p0000002&scope=everything").status, 400)
        self.assertEqual(plat.go("GET", "/console/check?subject=%20").status, 400)
        _, kol = self.signed_in("kol")
        self.assertEqual(kol.go("GET", "/console/check").status, 403)
        self.assertEqual(Browser(self.srv).go("GET", "/console/check?subject=p0000002").header("Location"),
                         "/login?next=%2Fconsole%2Fcheck%3Fsubject%3Dp0000002")


class Reporting(AccountSteps, ServerTest):
    """Report a concern without signing in (a form that writes), and the reports' inbox."""
    demo_persons = 5
    EVIL = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>"

    def report(self, b, **form):
        return b.go("POST", "/report", {"csrf": b.csrf(), "category": "fraud_or_scam",
                                        "description": "Bán hàng giả trên livestream.", **form})

    def test_anyone_reports_a_concern_and_a_regulator_sees_it(self):
        visitor = Browser(self.srv)
        page = visitor.go("GET", "/report")
        self.assertEqual(page.status, 200, page)
        self.assertIn('name="contact"', page.body)
        self.assertIn('href="/report"', visitor.go("GET", "/").body)  # reachable from every page's footer
        # Each problem named at its field, what was typed kept (and inert).
        cases = [({"subject": ""}, "subject", "Hãy nhập người hoặc tài khoản"),
                 ({"subject": "Nguyen Van A"}, "subject", "Đây là một cái tên"),
                 ({"subject": "@ban.hang.gia"}, "subject", "Hãy ghi rõ nền tảng"),
                 ({"subject": "p9999999"}, "subject", "Sổ đăng ký không có người này"),
                 ({"subject": "tiktok:ban.hang.gia", "category": "nothing"}, "category", "Hãy chọn loại vi phạm"),
                 ({"subject": "tiktok:ban.hang.gia", "description": " \r\n"}, "description", "Hãy kể điều bạn thấy"),
                 ({"subject": "tiktok:ban.hang.gia", "description": "x" * 2001}, "description", "tối đa 2.000 ký tự"),
                 ({"subject": "tiktok:ban.hang.gia", "contact": "x" * 201}, "contact", "tối đa 200 ký tự")]
        for form, field, words in cases:
            with self.subTest(form=form):
                r = self.report(visitor, **form)
                self.assertEqual(r.status, 400, r)
                self.assertIn(f'id="{field}-error"', r.body)
                self.assertIn(words, r.body)
                self.assertIn(f'href="#{field}"', r.body)  # the summary links to it
        r = self.report(visitor, subject=self.EVIL, description=self.EVIL, contact=self.EVIL)
        self.assertEqual(r.status, 400, r)
        self.assertNotIn("<script>alert", r.body)
        self.assertNotIn("<img src=x", r.body)
        self.assertEqual(r.body.count("&lt;script&gt;alert(1)&lt;/script&gt;"), 3)
        # Without the visitor's token nothing is written.
        before = len(self.req("GET", "/v1/reports?limit=100", role="regulator").json()["items"])
        self.assertEqual(visitor.go("POST", "/report", {"csrf": "0" * 32, "subject": "p0000002", "category": "other",
                                                        "description": "x"}).status, 403)
        ok = self.report(visitor, subject="https://www.tiktok.com/@ban.hang.gia", description=self.EVIL,
                         contact="0901 234 567")
        self.assertEqual(ok.status, 200, ok)
        rid = re.search(r'id="report-id">(r_[^<]+)<', ok.body).group(1)
        listed = self.req("GET", "/v1/reports?limit=100", role="regulator").json()["items"]
        self.assertEqual(len(listed), before + 1)
        got = self.req("GET", f"/v1/reports/{rid}", role="regulator").json()
        self.assertEqual((got["subject_platform"], got["subject_handle"]), ("tiktok", "ban.hang.gia"))
        self.assertEqual(got["reporter_contact"], "0901 234 567")
        self.assertIsNone(got["reporter_key"])  # the public reports anonymously
        # The regulator's inbox shows it, the script as text; waiting for a case.
        _, reg = self.signed_in("regulator")
        inbox = reg.go("GET", "/console/reports?unassigned=true")
        self.assertEqual(inbox.status, 200, inbox)
        self.assertIn(f'id="{rid}"', inbox.body)
        self.assertIn("&lt;script&gt;alert(1)", inbox.body)
        self.assertNotIn("<script>alert", inbox.body)
        self.assertIn('href="/console/reports"', reg.go("GET", "/console").body)

    def test_a_regulator_opens_a_case_from_a_report_and_moves_it(self):
        ok = self.report(Browser(self.srv), subject="p0000003")
        rid = re.search(r'id="report-id">(r_[^<]+)<', ok.body).group(1)
        orphan = self.report(Browser(self.srv), subject="tiktok:nobody.holds.this")
        orphan_id = re.search(r'id="report-id">(r_[^<]+)<', orphan.body).group(1)
        u, reg = self.signed_in("regulator")
        inbox = reg.go("GET", "/console/reports?unassigned=true").body
        row = inbox[inbox.index(f'id="{rid}"'):]
        row = row[:row.index("</tr>")]
        self.assertIn('action="/console/cases"', row)
        orphan_row = inbox[inbox.index(f'id="{orphan_id}"'):]
        self.assertNotIn('action="/console/cases"', orphan_row[:orphan_row.index("</tr>")])  # about nobody known yet
        self.assertEqual(reg.go("POST", "/console/cases", {"csrf": "0" * 32, "report_id": rid}).status, 403)
        opened = reg.go("POST", "/console/cases", {"csrf": reg.csrf(), "report_id": rid})
        self.assertEqual(opened.status, 303, opened)
        where = opened.header("Location")
        self.assertRegex(where, r"^/console/cases/c_\w+$")
        case_id = where.rsplit("/", 1)[1]
        page = reg.go("GET", where)
        self.assertEqual(page.status, 200, page)
        self.assertIn('id="case-state">Đang mở<', page.body)
        self.assertIn(rid, page.body)
        self.assertIn('href="/persons/p0000003"', page.body)
        got = self.req("GET", f"/v1/cases/{case_id}", role="regulator").json()
        self.assertEqual((got["person_id"], got["report_ids"], got["opened_by"]), ("p0000003", [rid], u["id"]))
        # The inbox now links the case; the same report cannot open another.
        self.assertIn(f'href="/console/cases/{case_id}"', reg.go("GET", "/console/reports").body)
        self.assertEqual(reg.go("POST", "/console/cases", {"csrf": reg.csrf(), "report_id": rid}).status, 400)
        moved = reg.go("POST", f"/console/cases/{case_id}/move", {"csrf": reg.csrf(), "state": "under_review"})
        self.assertEqual((moved.status, moved.header("Location")), (303, where), moved)
        self.assertIn('id="case-state">Đang xem xét<', reg.go("GET", where).body)
        wrong = reg.go("POST", f"/console/cases/{case_id}/move", {"csrf": reg.csrf(), "state": "open"})
        self.assertEqual(wrong.status, 409, wrong)
        self.assertTrue(wrong.header("Content-Type").startswith("text/html"))
        self.assertIn(case_id, reg.go("GET", "/console/cases?state=under_review").body)
        self.assertNotIn(case_id, reg.go("GET", "/console/cases?state=open").body)
        self.assertTrue({"case.open"} <= {x["action"] for x in self.audit(key_id=u["id"])})
        _, plat = self.signed_in("platform")
        self.assertEqual(plat.go("GET", where).status, 403)
        self.assertEqual(plat.go("POST", "/console/cases", {"csrf": plat.csrf(), "report_id": rid}).status, 403)

    def test_report_case_decision_then_the_check_says_not_allowed(self):
        ok = self.report(Browser(self.srv), subject="p0000004")
        rid = re.search(r'id="report-id">(r_[^<]+)<', ok.body).group(1)
        _, reg = self.signed_in("regulator")
        where = reg.go("POST", "/console/cases", {"csrf": reg.csrf(), "report_id": rid}).header("Location")
        self.assertNotIn(f'href="{where}/decision"', reg.go("GET", where).body)  # open: to be reviewed first
        reg.go("POST", where + "/move", {"csrf": reg.csrf(), "state": "under_review"})
        self.assertIn(f'href="{where}/decision"', reg.go("GET", where).body)
        form = reg.go("GET", where + "/decision")
        self.assertEqual(form.status, 200, form)
        now = re.search(r'name="issued_at" type="datetime-local" value="([^"]+)"', form.body).group(1)
        self.assertRegex(now, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")  # Vietnam time, to the second
        self.assertRegex(form.body, r'name="publish" type="checkbox" value="1" checked')
        base = {"csrf": reg.csrf(), "number": f"{uuid.uuid4().hex[:5]}/QĐ-XPHC", "signer.name": "Lê Văn An",
                "signer.title": "Cục trưởng", "outcome": "violation", "category": "false_advertising", "ground": "law",
                "detection_source": "user_report", "issued_at": now, "publish": "1",
                "sanctions[0].type": "appearance_restriction", "sanctions[0].scopes.livestream": "1",
                "sanctions[0].end": "2027-06-01T00:00"}
        # Due process refused at its fields: no legal basis, no facts, no notice.
        bad = reg.go("POST", where + "/decision", base)
        self.assertEqual(bad.status, 400, bad)
        for words, anchor in (("cần ít nhất một căn cứ pháp lý", "legal-bases"), ("cần nêu rõ sự việc", "facts"),
                              ("phải được thông báo", "notice")):
            self.assertIn(words, bad.body)
            self.assertIn(f'href="#{anchor}"', bad.body)
            self.assertIn(f'id="{anchor}"', bad.body)
        self.assertIn('value="Lê Văn An"', bad.body)  # what was typed is kept
        self.assertRegex(bad.body, r'name="sanctions\[0\]\.scopes\.livestream" type="checkbox" value="1" checked')
        full = {**base, "facts": "Quảng cáo sai công dụng <script>alert(1)</script>", "notice.sent_at": now,
                "notice.channel": "văn bản", "legal_bases[0].instrument": "Nghị định 38/2021/NĐ-CP",
                "legal_bases[0].article": "Điều 51", "legal_bases[0].clause": "Khoản 3"}
        self.assertEqual(reg.go("POST", where + "/decision", {**full, "csrf": "0" * 32}).status, 403)
        issued = reg.go("POST", where + "/decision", full)
        self.assertEqual((issued.status, issued.header("Location")), (303, where), re.findall(r"<li><a href=[^>]*>([^<]*)", issued.body))
        case = reg.go("GET", where).body
        did = re.search(r'href="/console/decisions/(d_\w+)"', case).group(1)
        d = self.req("GET", f"/v1/decisions/{did}", role="regulator").json()
        self.assertEqual(d["legal_bases"], [{"instrument": "Nghị định 38/2021/NĐ-CP", "article": "Điều 51", "clause": "Khoản 3"}])
        self.assertEqual(d["sanctions"][0]["scopes"], ["livestream"])
        self.assertTrue(d["sanctions"][0]["end_at"].startswith("2027-06-01T00:00:00"))
        # The check says not allowed, on the API and on the platform's page; the public decision is inert.
        # (In force from its issue, to the second the form showed: at most a second from now.)
        deadline = time.time() + 5
        while self.req("GET", "/v1/check?subject=p0000004&scope=livestream", role="platform").json()["allowed"]:
            self.assertLess(time.time(), deadline, "the restriction never came into force")
            time.sleep(0.2)
        _, plat = self.signed_in("platform")
        self.assertIn('id="check-status">Đang bị hạn chế<', plat.go("GET", "/console/check?subject=p0000004&scope=livestream").body)
        public = Browser(self.srv).go("GET", f"/decisions/{did}")
        self.assertEqual(public.status, 200, public)
        self.assertNotIn("<script>alert", public.body)
        self.assertIn(d["number"], Browser(self.srv).go("GET", "/persons/p0000004").body)
        self.assertEqual(plat.go("GET", where + "/decision").status, 403)

    def test_a_fine_typed_as_people_write_it(self):
        _, reg = self.signed_in("regulator")
        case = self.req("POST", "/v1/cases", {"person_id": "p0000001"}, "regulator").json()["id"]
        self.req("POST", f"/v1/cases/{case}/transition", {"state": "under_review"}, "regulator")
        where = f"/console/cases/{case}"
        now = re.search(r'name="issued_at" type="datetime-local" value="([^"]+)"', reg.go("GET", where + "/decision").body).group(1)
        form = {"csrf": reg.csrf(), "number": f"{uuid.uuid4().hex[:5]}/QĐ-XPHC", "signer.name": "Lê Văn An",
                "signer.title": "Cục trưởng", "outcome": "violation", "category": "undisclosed_advertising", "ground": "law",
                "detection_source": "own_initiative", "issued_at": now, "facts": "Không ghi rõ quảng cáo.",
                "notice.sent_at": now, "notice.channel": "văn bản", "legal_bases[0].instrument": "Luật Quảng cáo",
                "legal_bases[0].article": "Điều 8", "sanctions[0].type": "fine", "sanctions[0].amount_vnd": "70.000.000 ₫",
                "publish": "1"}
        r = reg.go("POST", where + "/decision", form)
        self.assertEqual(r.status, 303, r)
        did = re.search(r'href="/console/decisions/(d_\w+)"', reg.go("GET", where).body).group(1)
        self.assertEqual(self.req("GET", f"/v1/decisions/{did}", role="regulator").json()["sanctions"][0]["amount_vnd"], 70000000)
        self.assertIn("70.000.000", Browser(self.srv).go("GET", f"/decisions/{did}").body)

    def test_a_platform_reports_as_itself_and_sees_only_its_own(self):
        u, plat = self.signed_in("platform")
        page = plat.go("GET", "/report")
        self.assertNotIn('name="contact"', page.body)  # it reports as itself, not anonymously
        ok = self.report(plat, subject="p0000002")
        self.assertEqual(ok.status, 200, ok)
        rid = re.search(r'id="report-id">(r_[^<]+)<', ok.body).group(1)
        got = self.req("GET", f"/v1/reports/{rid}", role="regulator").json()
        self.assertEqual((got["reporter_key"], got["reporter_org"]), (u["id"], u["org_id"]))
        other = self.report(Browser(self.srv), subject="p0000002")
        other_id = re.search(r'id="report-id">(r_[^<]+)<', other.body).group(1)
        inbox = plat.go("GET", "/console/reports")
        self.assertIn(f'id="{rid}"', inbox.body)
        self.assertNotIn(other_id, inbox.body)
        # A kol signed in reports as the public; the inbox is not theirs.
        _, kol = self.signed_in("kol")
        self.assertIn('name="contact"', kol.go("GET", "/report").body)
        self.assertEqual(kol.go("GET", "/console/reports").status, 403)
        self.assertEqual(Browser(self.srv).go("GET", "/console/reports").status, 303)


class Appeals(AccountSteps, ServerTest):
    """An influencer appeals a decision on the web; a regulator reviews and resolves it."""
    demo_persons = 5

    def decided(self, person):
        from steps import decision_body, iso, now
        from datetime import timedelta
        case = self.req("POST", "/v1/cases", {"person_id": person, "opened_at": iso(now() - timedelta(days=60))},
                        "regulator").json()["id"]
        self.req("POST", f"/v1/cases/{case}/transition", {"state": "under_review"}, "regulator")
        d = self.req("POST", f"/v1/cases/{case}/decision", decision_body(), "regulator")
        self.assertEqual(d.status, 201, d)
        return d.json()

    def appeal(self, kol, d):
        page = kol.go("GET", "/console/decisions")
        self.assertIn(f'href="/console/decisions/{d["id"]}/appeal"', page.body)
        r = kol.go("POST", f"/console/decisions/{d['id']}/appeal", {"csrf": kol.csrf(), "grounds": "Tôi đã gỡ video <b>ngay</b>."})
        self.assertEqual(r.status, 303, r)
        self.assertRegex(r.header("Location"), r"^/console/appeals/a_\w+$")
        return r.header("Location")

    def test_an_appeal_filed_on_the_web_and_upheld(self):
        d = self.decided("p0000003")
        u, kol = self.signed_in_kol("p0000003")
        mine = kol.go("GET", "/console/decisions")
        self.assertEqual(mine.status, 200, mine)
        self.assertIn(d["number"], mine.body)
        form = kol.go("GET", f"/console/decisions/{d['id']}/appeal")
        self.assertEqual(form.status, 200, form)
        empty = kol.go("POST", f"/console/decisions/{d['id']}/appeal", {"csrf": kol.csrf(), "grounds": "  "})
        self.assertEqual(empty.status, 400, empty)
        self.assertIn('id="grounds-error"', empty.body)
        self.assertEqual(kol.go("POST", f"/console/decisions/{d['id']}/appeal", {"csrf": "0" * 32, "grounds": "x"}).status, 403)
        where = self.appeal(kol, d)
        page = kol.go("GET", where)
        self.assertIn('id="appeal-state">Đã nộp<', page.body)
        self.assertIn("&lt;b&gt;ngay&lt;/b&gt;", page.body)
        self.assertNotIn('action="' + where + '/resolve"', page.body)  # not the influencer's to resolve
        self.assertEqual(kol.go("POST", where + "/review", {"csrf": kol.csrf()}).status, 403)
        # The decision no longer offers another appeal.
        self.assertNotIn(f'/console/decisions/{d["id"]}/appeal"', kol.go("GET", "/console/decisions").body)
        # Someone else's decision is not theirs to appeal.
        other = self.decided("p0000000")
        self.assertEqual(kol.go("GET", f"/console/decisions/{other['id']}/appeal").status, 404)
        # A regulator's queue, review and resolution.
        _, reg = self.signed_in("regulator")
        queue = reg.go("GET", "/console/appeals?state=filed")
        self.assertIn(where, queue.body)
        self.assertEqual(reg.go("POST", where + "/review", {"csrf": reg.csrf()}).status, 303)
        self.assertIn('id="appeal-state">Đang xem xét<', reg.go("GET", where).body)
        missing = reg.go("POST", where + "/resolve", {"csrf": reg.csrf(), "reviewer": "Trần Văn Bình"})
        self.assertEqual(missing.status, 400, missing)
        self.assertIn("Hãy chọn kết quả", missing.body)
        signer = reg.go("POST", where + "/resolve", {"csrf": reg.csrf(), "outcome": "upheld", "reasons": "Đúng quy định.",
                                                    "reviewer": d["signer"]["name"] if "signer" in d else "Lê Văn A"})
        self.assertEqual(signer.status, 403, signer)  # the decision's signer does not review it
        done = reg.go("POST", where + "/resolve", {"csrf": reg.csrf(), "outcome": "upheld", "reasons": "Vi phạm có thật.",
                                                  "reviewer": "Trần Văn Bình"})
        self.assertEqual(done.status, 303, done)
        self.assertIn('id="appeal-state">Giữ nguyên quyết định<', kol.go("GET", where).body)
        # Upheld: the restriction stands and the public profile shows it.
        self.assertIn(d["number"], Browser(self.srv).go("GET", "/persons/p0000003").body)
        self.assertFalse(self.req("GET", "/v1/check?subject=p0000003&scope=livestream", role="platform").json()["allowed"])

    def test_an_appeal_overturned_lifts_the_restriction(self):
        d = self.decided("p0000004")
        _, kol = self.signed_in_kol("p0000004")
        where = self.appeal(kol, d)
        _, reg = self.signed_in("regulator")
        self.assertNotIn(f'action="{where}/resolve"', reg.go("GET", where).body)  # reviewed first
        self.assertEqual(reg.go("POST", where + "/resolve", {"csrf": reg.csrf(), "outcome": "overturned", "reasons": "x",
                                                            "reviewer": "Trần Văn Bình"}).status, 409)
        reg.go("POST", where + "/review", {"csrf": reg.csrf()})
        r = reg.go("POST", where + "/resolve", {"csrf": reg.csrf(), "outcome": "overturned", "reasons": "Thiếu căn cứ.",
                                               "reviewer": "Trần Văn Bình"})
        self.assertEqual(r.status, 303, r)
        self.assertIn('id="appeal-state">Hủy quyết định<', reg.go("GET", where).body)
        deadline = time.time() + 5  # the check follows the change within a moment
        while not self.req("GET", "/v1/check?subject=p0000004&scope=livestream", role="platform").json()["allowed"]:
            self.assertLess(time.time(), deadline, "the restriction was not lifted")
            time.sleep(0.2)

    def signed_in_kol(self, person):
        u = self.make_user("kol", person_id=person)
        b = Browser(self.srv)
        self.assertEqual(b.sign_in(u["login"], u["password"]).status, 303)
        return u, b


class Offers(AccountSteps, ServerTest):
    """An influencer's offer on the web: the checks, the checklist, accepting (the ad registered)."""
    demo_persons = 5

    def test_offer_checklist_accept_then_the_ads_public_page(self):
        u = self.make_user("kol", person_id="p0000000")  # the demo's offer waits for p0000000
        kol = Browser(self.srv)
        self.assertEqual(kol.sign_in(u["login"], u["password"]).status, 303)
        listed = kol.go("GET", "/console/offers?state=sent")
        oid = re.search(r'href="/console/offers/(ofr_\w+)"', listed.body).group(1)
        where = f"/console/offers/{oid}"
        page = kol.go("GET", where)
        self.assertEqual(page.status, 200, page)
        self.assertIn('id="offer-state">Đang chờ trả lời<', page.body)
        self.assertIn("Bạn không bị cấm quảng cáo trong thời gian này", page.body)
        self.assertIn("30.000.000", page.body)  # the fee in VND
        # Accepting before confirming: each missing confirmation named, nothing registered.
        early = kol.go("POST", where + "/accept", {"csrf": kol.csrf()})
        self.assertEqual(early.status, 409, early)
        for words in ("Tôi đã dùng hoặc hiểu rõ sản phẩm", "Tôi sẽ ghi rõ bài đăng là quảng cáo"):
            self.assertIn(f'<li><a href="#checklist">{words}', early.body)
        self.assertEqual(kol.go("POST", where + "/decline", {"csrf": kol.csrf(), "reason": " "}).status, 400)
        # Three ticked, one not: still not accepted, the ticked ones kept.
        kol.go("POST", where + "/confirm", {"csrf": kol.csrf(), "used_or_understands_product": "1",
                                            "claims_match_documents": "1", "will_label_as_advertising": "1"})
        again = kol.go("POST", where + "/accept", {"csrf": kol.csrf()})
        self.assertEqual(again.status, 409)
        self.assertIn('<li><a href="#checklist">Quan hệ với nhà quảng cáo đã được nêu rõ', again.body)
        self.assertRegex(again.body, r'name="claims_match_documents" type="checkbox" value="1" checked')
        self.assertEqual(kol.go("POST", where + "/accept", {"csrf": "0" * 32}).status, 403)
        kol.go("POST", where + "/confirm", {"csrf": kol.csrf(), "used_or_understands_product": "1",
                                            "claims_match_documents": "1", "will_label_as_advertising": "1",
                                            "relationship_disclosed": "1"})
        done = kol.go("POST", where + "/accept", {"csrf": kol.csrf()})
        self.assertEqual((done.status, done.header("Location")), (303, where), done)
        page = kol.go("GET", where)
        self.assertIn('id="offer-state">Đã nhận lời<', page.body)
        code = re.search(r'id="ad-code" href="/ads/(QC-\d{4}-\d+)"', page.body).group(1)
        ad = Browser(self.srv).go("GET", f"/ads/{code}")
        self.assertEqual(ad.status, 200, ad)
        self.assertIn(code, ad.body)
        self.assertEqual(self.req("GET", f"/v1/offers/{oid}", role="kol").json()["ad_code"], code)
        # The advertiser reads its offer, without the influencer's forms; another influencer cannot.
        adv = self.make_user("advertiser")
        ab = Browser(self.srv)
        ab.sign_in(adv["login"], adv["password"])
        seen = ab.go("GET", where)
        self.assertEqual(seen.status, 200, seen)
        self.assertNotIn("/accept", seen.body)
        self.assertEqual(ab.go("POST", where + "/accept", {"csrf": ab.csrf()}).status, 403)
        other = self.make_user("kol", person_id="p0000003")
        ob = Browser(self.srv)
        ob.sign_in(other["login"], other["password"])
        self.assertEqual(ob.go("GET", where).status, 404)


class Certificate(AccountSteps, ServerTest):
    """An influencer's requirements and the training quiz taken in the page."""
    demo_persons = 5

    def test_the_quiz_taken_in_the_page(self):
        from test_trust import answers
        u = self.make_user("kol", person_id="p0000003")
        kol = Browser(self.srv)
        kol.sign_in(u["login"], u["password"])
        page = kol.go("GET", "/console/certificate")
        self.assertEqual(page.status, 200, page)
        self.assertIn("Đã đạt bài kiểm tra", page.body)
        self.assertIn("Chưa đạt", page.body)
        self.assertNotIn("/console/certificate/apply", page.body)  # requirements not met: no application
        started = kol.go("POST", "/console/quiz", {"csrf": kol.csrf()})
        self.assertEqual(started.status, 303, started)
        where = started.header("Location")
        qid = where.rsplit("/", 1)[1]
        quiz = kol.go("GET", where)
        self.assertEqual(quiz.body.count('type="radio"') >= 40, True)
        self.assertEqual(quiz.body.count("<fieldset"), 20)
        # What the page shows, read as the influencer's key would, answered rightly.
        key = self.req("POST", "/v1/keys", {"role": "kol", "person_id": "p0000003"}, "admin").json()["secret"]
        shown = self.srv.request("GET", f"/v1/trust/quiz/{qid}", key=key).json()
        form = {"csrf": kol.csrf(), **{k: str(v) for k, v in answers(shown).items()}}
        result = kol.go("POST", where, form)
        self.assertEqual(result.status, 200, result)
        self.assertIn('id="quiz-result">Đạt<', result.body)
        self.assertIn("100% (20/20)", result.body)
        self.assertEqual(kol.go("POST", where, form).status, 409)  # scored once
        # A second attempt answered wrongly names the modules to read again, never the answers.
        where2 = kol.go("POST", "/console/quiz", {"csrf": kol.csrf()}).header("Location")
        shown2 = self.srv.request("GET", f"/v1/trust/quiz/{where2.rsplit('/', 1)[1]}", key=key).json()
        wrong = kol.go("POST", where2, {"csrf": kol.csrf(), **{k: str(v) for k, v in answers(shown2, right=False).items()}})
        self.assertIn('id="quiz-result">Chưa đạt<', wrong.body)
        with open(os.path.join(SOURCE, "data/trust-training.json"), encoding="utf-8") as f:
            titles = {m["id"]: m["title"]["vi"] for m in json.load(f)["modules"]}
        for module in {q["module"] for q in shown2["questions"]}:
            self.assertIn(f"<li>{titles[module]}</li>", wrong.body)
        # The first attempt passed: the requirement is met now.
        self.assertIn("Đạt</strong> Đã đạt bài kiểm tra", kol.go("GET", "/console/certificate").body)
        _, reg = self.signed_in("regulator")
        self.assertEqual(reg.go("GET", "/console/certificate").status, 403)


ROLES = ["public", "admin", "regulator", "platform", "advertiser", "kol", "programme"]


def page_matrix():
    """The pages table of docs/AUTHORIZATION.md: path -> {role: allowed}."""
    rows = {}
    with open(os.path.join(SOURCE, "docs/AUTHORIZATION.md"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^\| page \| `([^`]+)` \|(.*)\|\s*$", line)
            if m:
                rows[m.group(1)] = {r: c.strip() == "✓" for r, c in zip(ROLES, m.group(2).split("|"))}
    return rows


class PagesByRole(AccountSteps, ServerTest):
    """Every page opened by every role: its own render, another's refused (403 as a page), a visitor
    sent to sign in. The table walked is docs/AUTHORIZATION.md's, checked against the route table."""
    demo_persons = 5

    def test_the_table_is_the_route_table(self):
        with open(os.path.join(SOURCE, "src/http/router.c"), encoding="utf-8") as f:
            routed = {m.group(1) for m in re.finditer(r'\{"GET", "(/[^"]*)", \w+, [A-Z| ]+, PAGE', f.read())}
        self.assertEqual(routed, set(page_matrix()))

    def test_every_role_against_every_page(self):
        browsers = {"public": Browser(self.srv)}
        for role in ROLES[1:]:
            browsers[role] = self.signed_in(role)[1]
        checked = 0
        for path, allowed in page_matrix().items():
            concrete = re.sub(r"\{\w+\}", "nothing_here", path)
            for role, b in browsers.items():
                r = b.go("GET", concrete)
                what = f"{role} GET {concrete}: {r.status}"
                if path.startswith("/login") and role != "public":
                    self.assertEqual((r.status, r.header("Location")), (303, "/console"), what)  # signed in already
                    continue
                if path == "/login/code":
                    self.assertEqual(r.status, 303, what)  # the second step, before the first: back to it
                    self.assertTrue(r.header("Location").startswith("/login"), what)
                    continue
                self.assertTrue(r.header("Content-Type").startswith("text/html") or r.status == 303, what)
                if allowed[role]:
                    self.assertIn(r.status, (200, 404), what)  # its page, or the thing named is not there
                elif role == "public":
                    self.assertEqual(r.status, 303, what)
                    self.assertTrue(r.header("Location").startswith("/login?next="), what)
                else:
                    self.assertEqual(r.status, 403, what)
                checked += 1
        self.assertGreater(checked, 200)


class Alliance(AccountSteps, TrustSteps, ServerTest):
    """The alliance on the web: an influencer joins and accepts the standards, the secretariat admits
    and reviews, the certificate's public page says valid, a restriction suspends it."""
    demo_persons = 5

    def test_join_accept_apply_review_then_a_restriction_suspends(self):
        p, key, _ = self.kol("Đoàn Thị Minh Thư")
        u = self.make_user("kol", person_id=p)
        kol = Browser(self.srv)
        kol.sign_in(u["login"], u["password"])
        page = kol.go("GET", "/console/membership")
        self.assertEqual(page.status, 200, page)
        self.assertIn('action="/console/membership"', page.body)
        # Eleven topics are too many: said by the field, what was typed kept and inert.
        script = "<script>alert(1)</script>"
        bad = kol.go("POST", "/console/membership",
                     {"csrf": kol.csrf(), "topics": ",".join(f"chủ đề {i}" for i in range(11)), "statement": script})
        self.assertEqual(bad.status, 400, bad)
        self.assertIn('id="topics-error"', bad.body)
        self.assertIn('href="#topics"', bad.body)
        self.assertNotIn(script, bad.body)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;</textarea>", bad.body)
        ok = kol.go("POST", "/console/membership", {"csrf": kol.csrf(), "topics": "làm đẹp, sức khỏe ,", "statement": script})
        self.assertEqual((ok.status, ok.header("Location")), (303, "/console/membership"), ok)
        self.assertIn('id="member-state">Đang chờ xét<', kol.go("GET", "/console/membership").body)
        again = kol.go("POST", "/console/membership", {"csrf": kol.csrf(), "topics": "làm đẹp"})
        self.assertEqual(again.status, 409, again)  # one open membership
        # The secretariat admits it; a refusal needs a reason.
        _, prog = self.signed_in("programme")
        queue = prog.go("GET", "/console/members")
        self.assertEqual(queue.status, 200, queue)
        mid = re.search(r'href="/console/members/(mem_\w+)">Đoàn Thị Minh Thư<', queue.body).group(1)
        member = prog.go("GET", f"/console/members/{mid}")
        self.assertIn("làm đẹp, sức khỏe", member.body)
        self.assertIn("&lt;script&gt;", member.body)
        self.assertNotIn(script, member.body)
        no_reason = prog.go("POST", f"/console/members/{mid}/refuse", {"csrf": prog.csrf(), "reason": "  "})
        self.assertEqual(no_reason.status, 400, no_reason)
        self.assertIn('href="#reason"', no_reason.body)
        admitted = prog.go("POST", f"/console/members/{mid}/admit", {"csrf": prog.csrf(), "admit-reason": ""})
        self.assertEqual((admitted.status, admitted.header("Location")), (303, f"/console/members/{mid}"), admitted)
        self.assertIn('id="member-state">Thành viên<', prog.go("GET", f"/console/members/{mid}").body)
        self.assertEqual(self.req("GET", f"/v1/trust/members/{mid}").json()["topics"], ["làm đẹp", "sức khỏe"])
        # The influencer accepts the version in force, having been shown it; another version is refused.
        version = self.req("GET", "/v1/standards").json()["current"]["version"]
        page = kol.go("GET", "/console/membership")
        self.assertIn(f'name="version" value="{version}"', page.body)
        wrong = kol.go("POST", "/console/membership/accept", {"csrf": kol.csrf(), "version": str(version + 1)})
        self.assertIn(wrong.status, (400, 409), wrong)
        accepted = kol.go("POST", "/console/membership/accept", {"csrf": kol.csrf(), "version": str(version)})
        self.assertEqual(accepted.status, 303, accepted)
        self.assertIn(f'id="accepted-version">{version}<', kol.go("GET", "/console/membership").body)
        self.assertEqual(self.req("GET", "/standards").status, 200)
        # Quiz passed; the application from the certificate page.
        self.pass_quiz(key)
        cert_page = kol.go("GET", "/console/certificate")
        self.assertIn("thành viên</li>", cert_page.body)
        applied = kol.go("POST", "/console/certificate/apply", {"csrf": kol.csrf()})
        self.assertEqual(applied.status, 303, applied)
        self.assertIn("đang chờ Ban thư ký thẩm định", kol.go("GET", "/console/certificate").body)
        # The review: points that are not a number are named; what was typed stays.
        apps = prog.go("GET", "/console/applications")
        aid = re.search(r'href="/console/applications/(app_\w+)"', apps.body).group(1)
        self.assertIn("Đoàn Thị Minh Thư", apps.body)
        form = prog.go("GET", f"/console/applications/{aid}")
        self.assertIn('name="community.points"', form.body)
        self.assertIn('name="audience.points"', form.body)  # no platform attested figures: a reviewer scores it
        bad = prog.go("POST", f"/console/applications/{aid}/review",
                      {"csrf": prog.csrf(), "community.points": "mười ba", "community.reasons": script,
                       "audience.points": "12", "audience.reasons": "Tương tác thật."})
        self.assertEqual(bad.status, 400, bad)
        self.assertIn('id="community.points-error"', bad.body)
        self.assertIn('value="mười ba"', bad.body)
        self.assertNotIn(script, bad.body)
        good = prog.go("POST", f"/console/applications/{aid}/review",
                       {"csrf": prog.csrf(), "community.points": "13", "community.reasons": "Đính chính kịp thời.",
                        "audience.points": "12", "audience.reasons": "Tương tác thật."})
        self.assertEqual((good.status, good.header("Location")), (303, f"/console/applications/{aid}"), good)
        done = prog.go("GET", f"/console/applications/{aid}")
        self.assertIn('id="application-state">Được chứng nhận<', done.body)
        cid = re.search(r'href="/certificates/(cert_\w+)"', done.body).group(1)
        public = Browser(self.srv).go("GET", f"/certificates/{cid}")
        self.assertIn("Còn hiệu lực", public.body)
        self.assertIn(f'href="/certificates/{cid}">Còn hiệu lực<', kol.go("GET", "/console/certificate").body)
        # A restriction suspends it; the QR code's page says so.
        case = self.open_case(p)
        self.decision(case, [{"type": "appearance_restriction", "scopes": ["livestream"],
                              "end": iso(now() + timedelta(days=30))}])
        self.wait_status(cid, "suspended")
        self.assertIn("Tạm đình chỉ", Browser(self.srv).go("GET", f"/certificates/{cid}").body)
        # Queues are the secretariat's.
        _, reg = self.signed_in("regulator")
        self.assertEqual(reg.go("GET", "/console/applications").status, 403)
        self.assertEqual(reg.go("GET", f"/console/members/{mid}").status, 403)


class Administration(AccountSteps, ServerTest):
    """An admin registers an organisation, issues it a key and a user (each secret shown once, kept
    by no cache), suspends it, revokes a key, and reads the audit trail."""
    demo_persons = 5

    def test_an_organisation_its_key_and_user_then_suspended(self):
        _, adm = self.signed_in("admin")
        page = adm.go("GET", "/console/orgs")
        self.assertEqual(page.status, 200, page)
        empty = adm.go("POST", "/console/orgs", {"csrf": adm.csrf(), "name": " ", "kind": "press"})
        self.assertEqual(empty.status, 400, empty)
        self.assertIn('href="#name"', empty.body)
        wrong = adm.go("POST", "/console/orgs", {"csrf": adm.csrf(), "name": "Báo Tuổi Trẻ", "kind": "press", "platform": "tiktok"})
        self.assertEqual(wrong.status, 400, wrong)
        self.assertIn('id="platform-error"', wrong.body)
        self.assertIn('value="Báo Tuổi Trẻ"', wrong.body)  # what was typed stays
        self.assertIn('<option value="press" selected>', wrong.body)
        made = adm.go("POST", "/console/orgs", {"csrf": adm.csrf(), "name": "Báo Tuổi Trẻ <b>", "kind": "press"})
        self.assertEqual(made.status, 303, made)
        where = made.header("Location")
        org = adm.go("GET", where)
        self.assertIn("Báo Tuổi Trẻ &lt;b&gt;", org.body)
        # The reason's field names its hint, and nothing else (its markup once read past its arguments).
        self.assertRegex(org.body, r'<textarea class="govuk-textarea" id="reason" name="reason" rows="5" '
                                   r'aria-describedby="reason-hint">')
        oid = where.rsplit("/", 1)[1]
        # A key for its systems: shown once, on a page no cache keeps; it works.
        key = adm.go("POST", f"{where}/keys", {"csrf": adm.csrf(), "key-role": "platform", "label": "CMS tòa soạn"})
        self.assertEqual(key.status, 201, key)
        self.assertEqual(key.header("Cache-Control"), "private, no-store")
        secret = re.search(r'<code id="secret">([^<]+)<', key.body).group(1)
        me = self.srv.request("GET", "/v1/me", key=secret)
        self.assertEqual((me.status, me.json()["org_id"]), (200, oid), me)
        self.assertNotIn(secret, adm.go("GET", where).body)  # never again
        bad_role = adm.go("POST", f"{where}/keys", {"csrf": adm.csrf(), "key-role": "regulator"})
        self.assertEqual(bad_role.status, 400, bad_role)
        # A user for a person of it; the same login twice is refused by name.
        login = f"phongvien.{uuid.uuid4().hex[:6]}"
        user = adm.go("POST", f"{where}/users", {"csrf": adm.csrf(), "login": login, "user-name": "Trần Thị Thu Trang",
                                                 "user-role": "platform"})
        self.assertEqual(user.status, 201, user)
        password = re.search(r'<code id="secret">([^<]+)<', user.body).group(1)
        self.assertRegex(password, PASSWORD)
        self.assertEqual(Browser(self.srv).sign_in(login, password).status, 303)
        twice = adm.go("POST", f"{where}/users", {"csrf": adm.csrf(), "login": login, "user-name": "Ai Đó", "user-role": "platform"})
        self.assertEqual(twice.status, 409, twice)
        self.assertIn('href="#login"', twice.body)
        # From the users' list to the user's page: a new password shown once, then disabled with a reason.
        users = adm.go("GET", "/console/users").body
        uid = re.search(r'href="/console/users/(\w+)">' + re.escape(login) + "<", users).group(1)
        reset = adm.go("POST", f"/console/users/{uid}/reset", {"csrf": adm.csrf()})
        self.assertEqual(reset.status, 200, reset)
        password2 = re.search(r'<code id="secret">([^<]+)<', reset.body).group(1)
        self.assertNotEqual(password2, password)
        self.assertEqual(Browser(self.srv).sign_in(login, password).status, 401)
        self.assertEqual(Browser(self.srv).sign_in(login, password2).status, 303)
        self.assertNotIn(password2, adm.go("GET", f"/console/users/{uid}").body)
        self.assertEqual(adm.go("POST", f"/console/users/{uid}/disable", {"csrf": adm.csrf(), "reason": ""}).status, 400)
        self.assertEqual(adm.go("POST", f"/console/users/{uid}/disable", {"csrf": adm.csrf(), "reason": "Nghỉ việc."}).status, 303)
        self.assertIn('id="user-state">Đã vô hiệu hóa<', adm.go("GET", f"/console/users/{uid}").body)
        self.assertEqual(Browser(self.srv).sign_in(login, password2).status, 401)
        # Suspended with a reason: its key stops at once.
        no_reason = adm.go("POST", f"{where}/suspend", {"csrf": adm.csrf(), "reason": ""})
        self.assertEqual(no_reason.status, 400, no_reason)
        self.assertEqual(adm.go("POST", f"{where}/suspend", {"csrf": adm.csrf(), "reason": "Hết hợp đồng."}).status, 303)
        self.assertIn('id="org-status">Tạm ngừng<', adm.go("GET", where).body)
        self.assertEqual(self.srv.request("GET", "/v1/me", key=secret).status, 401)
        self.assertEqual(adm.go("POST", f"{where}/reinstate", {"csrf": adm.csrf(), "reason": "Gia hạn."}).status, 303)
        self.assertEqual(self.srv.request("GET", "/v1/me", key=secret).status, 200)
        # The key revoked from the keys page.
        keys = adm.go("GET", "/console/keys")
        kid = re.search(r'<tr class="govuk-table__row" id="(\w+)"><td class="govuk-table__cell"><code>\w+</code><br><span '
                        r'class="govuk-body-s">CMS tòa soạn<', keys.body).group(1)
        self.assertEqual(adm.go("POST", f"/console/keys/{kid}/revoke", {"csrf": adm.csrf()}).status, 303)
        self.assertEqual(self.srv.request("GET", "/v1/me", key=secret).status, 401)
        self.assertEqual(adm.go("POST", f"/console/keys/{kid}/revoke", {"csrf": adm.csrf()}).status, 409)
        # The audit trail, filtered.
        audit = adm.go("GET", f"/console/audit?action=org.suspend&entity_id={oid}")
        self.assertEqual(audit.status, 200, audit)
        self.assertIn("<code>org.suspend</code>", audit.body)
        self.assertNotIn("<code>org.create</code>", audit.body)
        _, reg = self.signed_in("regulator")
        self.assertEqual(reg.go("GET", "/console/audit").status, 200)
        self.assertEqual(reg.go("GET", "/console/orgs").status, 403)


class WebhookPages(AccountSteps, TrustSteps, ServerTest):
    """A platform subscribes on the web (the secret shown once), sees the deliveries, and stops it;
    its organisation's keys see the same subscription."""
    demo_persons = 5

    def test_subscribe_see_deliveries_stop(self):
        from test_webhooks import Receiver
        rx = Receiver()
        self.addCleanup(rx.close)
        _, plat = self.signed_in("platform")
        page = plat.go("GET", "/console/webhooks")
        self.assertEqual(page.status, 200, page)
        none = plat.go("POST", "/console/webhooks", {"csrf": plat.csrf(), "url": rx.url})
        self.assertEqual(none.status, 400, none)
        self.assertIn('href="#events"', none.body)
        self.assertIn(f'value="{rx.url}"', none.body)
        bad = plat.go("POST", "/console/webhooks", {"csrf": plat.csrf(), "url": "không phải địa chỉ", "event-decision.published": "1"})
        self.assertEqual(bad.status, 400, bad)
        self.assertIn('id="url-error"', bad.body)
        self.assertIn('id="event-decision.published" name="event-decision.published" type="checkbox" value="1" checked', bad.body)
        made = plat.go("POST", "/console/webhooks", {"csrf": plat.csrf(), "url": rx.url, "event-decision.published": "1",
                                                      "event-appeal.filed": "1"})
        self.assertEqual(made.status, 201, made)
        self.assertEqual(made.header("Cache-Control"), "private, no-store")
        secret = re.search(r'<code id="secret">([0-9a-f]{64})<', made.body).group(1)
        hid = re.search(r'<tr class="govuk-table__row" id="(wh_\w+)">', made.body).group(1)
        self.assertNotIn(secret, plat.go("GET", "/console/webhooks").body)
        # The organisation's API key sees the subscription its user made.
        listed = self.req("GET", "/v1/webhooks", role="platform").json()["items"]
        self.assertIn(hid, [h["id"] for h in listed])
        # A decision published is delivered, signed with the secret shown.
        case = self.open_case(self.person("Vương Thị Giao Hàng"))
        self.decision(case, [{"type": "warning"}])
        self.assertTrue(rx.wait(1))
        # A subscription made by a user hears what the user's role may: an appeal's filing is for
        # regulators and the person concerned, never a platform.
        p = self.person("Khúc Thị Kháng Nghị")
        d = self.decision(self.open_case(p), [{"type": "warning"}])
        kol = self.req("POST", "/v1/keys", {"role": "kol", "person_id": p}, "admin").json()["secret"]
        filed = self.srv.request("POST", f"/v1/decisions/{d['id']}/appeals", {"grounds": "Tôi không đồng ý."}, key=kol)
        self.assertEqual(filed.status, 201, filed)
        self.assertTrue(rx.wait(2))
        time.sleep(1)
        self.assertNotIn("appeal.filed", rx.events())
        headers, body = rx.received[0]
        ts = headers["X-Niemtin-Timestamp"]
        want = hmac.new(secret.encode(), (ts + ".").encode() + body, hashlib.sha256).hexdigest()
        self.assertEqual(headers["X-Niemtin-Signature"], f"sha256={want}")
        deadline = time.time() + 5
        while time.time() < deadline:
            deliveries = plat.go("GET", f"/console/webhooks/{hid}")
            if "Đã gửi" in deliveries.body:
                break
            time.sleep(0.1)
        self.assertIn("Quyết định được công bố", deliveries.body)
        self.assertIn("HTTP 200", deliveries.body)
        # Another organisation does not see it; stopped, it says so.
        _, adv = self.signed_in("advertiser")
        self.assertEqual(adv.go("GET", f"/console/webhooks/{hid}").status, 404)
        self.assertEqual(adv.go("POST", f"/console/webhooks/{hid}/delete", {"csrf": adv.csrf()}).status, 404)
        self.assertEqual(plat.go("POST", f"/console/webhooks/{hid}/delete", {"csrf": plat.csrf()}).status, 303)
        self.assertIn("Đã dừng", plat.go("GET", "/console/webhooks").body)


def multipart(fields, files):
    """A multipart/form-data body (RFC 7578) and its Content-Type."""
    boundary = "----niemtin" + uuid.uuid4().hex
    out = b""
    for k, v in fields.items():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
    for k, (name, data) in files.items():
        out += (f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{name}"\r\n'
                f"Content-Type: application/pdf\r\n\r\n").encode() + data + b"\r\n"
    return out + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class ProductPages(AccountSteps, ServerTest):
    """An advertiser adds a product and its document with the file; the hash sent with the file must
    be the file's."""
    demo_persons = 5

    def test_a_product_and_its_document(self):
        _, adv = self.signed_in("advertiser")
        self.assertEqual(adv.go("GET", "/console/products").status, 200)
        empty = adv.go("POST", "/console/products", {"csrf": adv.csrf(), "name": "  ", "category": "cosmetics"})
        self.assertEqual(empty.status, 400, empty)
        self.assertIn('href="#name"', empty.body)
        made = adv.go("POST", "/console/products", {"csrf": adv.csrf(), "name": "Kem dưỡng ẩm Hoa Sen", "category": "cosmetics"})
        self.assertEqual(made.status, 303, made)
        where = made.header("Location")
        page = adv.go("GET", where)
        self.assertEqual(page.status, 200, page)
        self.assertIn('id="checks"', page.body)
        pdf = b"%PDF-1.4\n% Phi\xe1\xba\xbfu ti\xe1\xba\xbfp nh\xe1\xba\xadn\n" + os.urandom(64)
        digest = hashlib.sha256(pdf).hexdigest()
        fields = {"csrf": adv.csrf(), "type": "cosmetic_notification", "number": "123/24/CBMP-HN", "issuer": "Sở Y tế Hà Nội",
                  "valid_from": "2025-01-15", "valid_until": "2030-01-15"}
        body, ct = multipart({**fields, "sha256": "0" * 64}, {"file": ("cong-bo.pdf", pdf)})
        changed = adv.go_raw("POST", f"{where}/documents", body, ct)
        self.assertEqual(changed.status, 400, changed)
        self.assertIn("mã băm không khớp", changed.body)
        self.assertIn('value="123/24/CBMP-HN"', changed.body)  # what was typed stays
        body, ct = multipart(fields, {})
        self.assertEqual(adv.go_raw("POST", f"{where}/documents", body, ct).status, 400)  # no file
        body, ct = multipart({**fields, "sha256": digest}, {"file": ("cong-bo.pdf", pdf)})
        added = adv.go_raw("POST", f"{where}/documents", body, ct)
        self.assertEqual((added.status, added.header("Location")), (303, where), added)
        page = adv.go("GET", where)
        self.assertIn(f"<code>{digest}</code>", page.body)
        pid = where.rsplit("/", 1)[1]
        doc = self.req("GET", f"/v1/products/{pid}").json()["documents"][0]
        self.assertEqual((doc["sha256"], doc["valid_from"][:10]), (digest, "2025-01-15"))
        got = self.req("GET", f"/v1/products/{pid}/documents/{doc['id']}/file")
        self.assertEqual(got.status, 200, got)
        # Another advertiser's product is not found; another role is refused.
        _, plat = self.signed_in("platform")
        self.assertEqual(plat.go("GET", where).status, 403)


class NoticePages(AccountSteps, ServerTest):
    """A regulator issues a scam alert and a correction on the web, each error at its field, and
    withdraws one with a reason; an advertiser may issue only recalls."""
    demo_persons = 5

    def test_issue_then_withdraw(self):
        _, reg = self.signed_in("regulator")
        self.assertEqual(reg.go("GET", "/console/notices").status, 200)
        form = reg.go("GET", "/console/notices/new?kind=scam_alert")
        self.assertEqual(form.status, 200, form)
        self.assertIn('name="scam.how"', form.body)
        base = {"csrf": reg.csrf(), "kind": "scam_alert", "title.vi": "Cảnh báo giả mạo <script>x</script>",
                "summary.vi": "Kẻ gian mạo danh KOL để bán hàng giả.", "body.vi": "Chi tiết.", "provinces[0]": "79",
                "severity": "severe", "valid_until": "2027-06-30", "scam.how": "Lập tài khoản giống hệt.",
                "scam.what_to_do": "Không chuyển tiền.", "scam.report_to": "Công an phường", "scam.impersonated": "tiktok:@that\n\n"}
        bad = reg.go("POST", "/console/notices", {**base, "sources[0].title": "Công văn 12"})
        self.assertEqual(bad.status, 400, bad)
        self.assertIn('href="#topics"', bad.body)  # no topic ticked
        self.assertIn('href="#sources-0--url"', bad.body)  # a source is a link or a document
        self.assertNotIn("<script>x</script>", bad.body)
        self.assertIn('value="Cảnh báo giả mạo &lt;script&gt;x&lt;/script&gt;"', bad.body)
        self.assertIn('<option value="79" selected>', bad.body)
        ok = reg.go("POST", "/console/notices", {**base, "topics.scams": "1", "sources[0].title": "Công văn 12",
                                                 "sources[0].url": "https://example.gov.vn/cv12"})
        self.assertEqual(ok.status, 303, ok)
        where = ok.header("Location")
        nid = where.rsplit("/", 1)[1]
        n = self.req("GET", f"/v1/notices/{nid}").json()
        self.assertEqual((n["kind"], n["provinces"], n["scam"]["impersonated"]), ("scam_alert", ["79"], ["tiktok:@that"]))
        self.assertTrue(n["valid_until"].startswith("2027-06-30T23:59:59"), n["valid_until"])
        page = reg.go("GET", where)
        self.assertIn('id="notice-state">Đang hiệu lực<', page.body)
        self.assertIn('id="reach"', page.body)
        # A correction whose "where it appeared" line is neither an address nor a handle: named.
        wrong = reg.go("POST", "/console/notices", {**base, "kind": "correction", "topics.scams": "1",
                                                    "sources[0].title": "Công văn 13", "sources[0].url": "https://example.gov.vn/cv13",
                                                    "claim.text": "Sữa X bị làm giả", "claim.appeared": "ở chợ\nhttps://vd.vn/a",
                                                    "claim.rating": "false"})
        self.assertEqual(wrong.status, 400, wrong)
        self.assertIn('href="#claim-appeared"', wrong.body)
        self.assertIn("ở chợ\nhttps://vd.vn/a</textarea>", wrong.body)
        # Withdrawn with a reason; without one it is named.
        self.assertEqual(reg.go("POST", f"{where}/withdraw", {"csrf": reg.csrf(), "reason": " "}).status, 400)
        self.assertEqual(reg.go("POST", f"{where}/withdraw", {"csrf": reg.csrf(), "reason": "Đã xử lý xong."}).status, 303)
        self.assertIn('id="notice-state">Đã rút<', reg.go("GET", where).body)
        self.assertEqual(self.req("GET", f"/v1/notices/{nid}").json()["state"], "withdrawn")
        # An advertiser issues recalls only.
        _, adv = self.signed_in("advertiser")
        self.assertEqual(adv.go("GET", "/console/notices/new?kind=correction").status, 403)
        self.assertEqual(adv.go("GET", "/console/notices/new?kind=product_recall").status, 200)
        self.assertEqual(adv.go("POST", "/console/notices", {**base, "csrf": adv.csrf(), "kind": "correction"}).status, 403)
        self.assertEqual(reg.go("GET", "/console/notices/new?kind=gossip").status, 400)

    def test_a_recall_issued_then_lifted(self):
        pid = self.req("GET", "/v1/products?limit=1").json()["items"][0]["id"]
        _, reg = self.signed_in("regulator")
        made = reg.go("POST", "/console/notices", {
            "csrf": reg.csrf(), "kind": "product_recall", "title.vi": "Thu hồi lô sữa", "summary.vi": "Lô sữa nhiễm khuẩn.",
            "body.vi": "Chi tiết.", "topics.food_safety": "1", "provinces[0]": "all", "severity": "severe",
            "valid_until": "2027-06-30", "sources[0].title": "Quyết định thu hồi 5/QĐ",
            "sources[0].url": "https://example.gov.vn/qd5", "products": f"{pid}\n"})
        self.assertEqual(made.status, 303, made)
        where = made.header("Location")
        self.assertIsNotNone(self.req("GET", f"/v1/products/{pid}").json()["recalled_at"])
        page = reg.go("GET", where)
        self.assertIn(f'action="/console/products/{pid}/lift"', page.body)
        self.assertEqual(reg.go("POST", f"/console/products/{pid}/lift", {"csrf": reg.csrf(), "notice": where.rsplit("/", 1)[1]}).status,
                         400)
        lifted = reg.go("POST", f"/console/products/{pid}/lift", {"csrf": reg.csrf(), "notice": where.rsplit("/", 1)[1],
                                                                   f"reason-{pid}": "Kiểm nghiệm lại đạt."})
        self.assertEqual((lifted.status, lifted.header("Location")), (303, where), lifted)
        self.assertIn("đã dỡ bỏ thu hồi", reg.go("GET", where).body)
        self.assertIsNotNone(self.req("GET", f"/v1/products/{pid}").json()["recall_lifted_at"])


class RegulatorPages(AccountSteps, TrustSteps, ServerTest):
    """A regulator reads the repeat-violation recommendations and opens a case from one; a decision
    not published is readable on the console by regulators and its person only."""
    demo_persons = 5

    def test_recommendations_and_a_case_from_one(self):
        p = self.person("Tăng Văn Tái Phạm")
        numbers = [self.decision(self.open_case(p), [{"type": "warning"}])["number"] for _ in range(5)]
        _, reg = self.signed_in("regulator")
        page = reg.go("GET", "/console/recommendations")
        self.assertEqual(page.status, 200, page)
        card = page.body[page.body.index(f'id="rec-{p}"'):]
        card = card[:card.index("</form>")]
        self.assertIn("5 vi phạm trong 30 ngày", card)
        for n in numbers:
            self.assertIn(f">{n}</a>", card)
        opened = reg.go("POST", "/console/cases", {"csrf": reg.csrf(), "person_id": p})
        self.assertEqual(opened.status, 303, opened)
        self.assertTrue(opened.header("Location").startswith("/console/cases/c_"), opened.header("Location"))
        self.assertIn("Tăng Văn Tái Phạm", reg.go("GET", opened.header("Location")).body)

    def test_a_decision_not_published_on_the_console(self):
        p, key, _ = self.kol("Quan Thị Kín Đáo")
        d = self.decision(self.open_case(p), [{"type": "warning"}], publish=False)
        self.assertEqual(Browser(self.srv).go("GET", f"/decisions/{d['id']}").status, 404)
        _, reg = self.signed_in("regulator")
        page = reg.go("GET", f"/console/decisions/{d['id']}")
        self.assertEqual(page.status, 200, page)
        self.assertIn('id="decision-published">Chưa công bố', page.body)
        u = self.make_user("kol", person_id=p)
        kol = Browser(self.srv)
        kol.sign_in(u["login"], u["password"])
        self.assertEqual(kol.go("GET", f"/console/decisions/{d['id']}").status, 200)
        other = self.make_user("kol", person_id="p0000002")
        stranger = Browser(self.srv)
        stranger.sign_in(other["login"], other["password"])
        self.assertEqual(stranger.go("GET", f"/console/decisions/{d['id']}").status, 404)


class AttestPages(AccountSteps, ServerTest):
    """A platform attests an account on its own platform and the audience figures of it."""
    demo_persons = 5

    def test_an_account_and_its_audience(self):
        _, plat = self.signed_in("platform")
        platform = self.req("GET", "/v1/me", role="platform").json()["platform"]
        page = plat.go("GET", "/console/accounts")
        self.assertEqual(page.status, 200, page)
        self.assertIn(f"<strong>{platform}</strong>", page.body)
        handle = f"xacthuc_{uuid.uuid4().hex[:6]}"
        none = plat.go("POST", "/console/accounts", {"csrf": plat.csrf(), "handle": handle})
        self.assertEqual(none.status, 400, none)
        self.assertIn('href="#person-id"', none.body)
        self.assertIn(f'value="{handle}"', none.body)
        unknown = plat.go("POST", "/console/accounts", {"csrf": plat.csrf(), "person_id": "p9999999", "handle": handle})
        self.assertEqual(unknown.status, 404, unknown)
        self.assertIn('id="person-id-error"', unknown.body)
        ok = plat.go("POST", "/console/accounts", {"csrf": plat.csrf(), "person_id": "p0000002", "handle": "@" + handle,
                                                   "followers": "120.000"})
        self.assertEqual(ok.status, 201, ok)
        self.assertIn(f"{platform}:{handle} → p0000002", ok.body)
        acc = self.req("GET", f"/v1/accounts/{platform}/{handle}").json()
        self.assertEqual((acc["person_id"], acc["followers"]), ("p0000002", 120000))
        self.assertTrue(acc.get("verified") or acc.get("verified_by"), acc)
        bad = plat.go("POST", "/console/audience", {"csrf": plat.csrf(), "audience.person_id": "p0000002", "audience.handle": handle,
                                                    "audience.followers": "120000", "audience.suspicious_percent": "150",
                                                    "audience.period": "2026-10"})
        self.assertEqual(bad.status, 400, bad)
        self.assertIn('href="#audience-suspicious-percent"', bad.body)
        self.assertIn('id="audience-suspicious-percent-error"', bad.body)
        good = plat.go("POST", "/console/audience", {"csrf": plat.csrf(), "audience.person_id": "p0000002",
                                                     "audience.handle": handle, "audience.followers": "120.000",
                                                     "audience.suspicious_percent": "4", "audience.period": "2026-10"})
        self.assertEqual(good.status, 201, good)
        self.assertIn('id="attested"', good.body)


class OfferPages(AccountSteps, ServerTest):
    """An advertiser sends an offer on the web, each error at its field, and withdraws it; its ads and
    an influencer's are listed."""
    demo_persons = 5

    def test_send_then_withdraw(self):
        _, adv = self.signed_in("advertiser")
        made = adv.go("POST", "/console/products", {"csrf": adv.csrf(), "name": "Trà thảo mộc An Nhiên", "category": "cosmetics"})
        pid = made.header("Location").rsplit("/", 1)[1]
        form = adv.go("GET", "/console/offers/new")
        self.assertEqual(form.status, 200, form)
        self.assertIn(f'<option value="{pid}"', form.body)
        base = {"csrf": adv.csrf(), "product_id": pid, "start": "2027-01-05T08:00", "end": "2027-02-05T22:00",
                "platforms.tiktok": "1", "fee_vnd": "70.000.000 ₫"}
        empty = adv.go("POST", "/console/offers", {**base, "person_id": "p0000002", "claims": ""})
        self.assertEqual(empty.status, 400, empty)
        self.assertIn('href="#claims"', empty.body)
        bad = adv.go("POST", "/console/offers", {**base, "person_id": "tiktok:@khong_ai_ca", "claims": "Thành phần tự nhiên."})
        self.assertIn(bad.status, (400, 404), bad)
        self.assertIn('href="#person-id"', bad.body)
        self.assertIn('value="tiktok:@khong_ai_ca"', bad.body)
        self.assertIn('value="70.000.000 ₫"', bad.body)
        ok = adv.go("POST", "/console/offers", {**base, "person_id": "p0000002", "claims": "Thành phần thảo mộc tự nhiên."})
        self.assertEqual(ok.status, 303, ok)
        where = ok.header("Location")
        oid = where.rsplit("/", 1)[1]
        o = self.req("GET", f"/v1/offers/{oid}", role="advertiser").json()
        self.assertEqual((o["fee_vnd"], o["person_id"], o["platforms"]), (70000000, "p0000002", ["tiktok"]))
        self.assertTrue(o["start_at"].startswith("2027-01-05T08:00:00.000+07:00"), o["start_at"])  # as typed, Vietnam time
        page = adv.go("GET", where)
        self.assertIn(f'action="{where}/withdraw"', page.body)
        self.assertEqual(adv.go("POST", f"{where}/withdraw", {"csrf": adv.csrf(), "reason": "Đổi kế hoạch."}).status, 303)
        self.assertEqual(self.req("GET", f"/v1/offers/{oid}", role="advertiser").json()["state"], "withdrawn")
        self.assertEqual(adv.go("GET", "/console/ads").status, 200)
        kol = Browser(self.srv)
        u = self.make_user("kol", person_id="p0000002")
        kol.sign_in(u["login"], u["password"])
        self.assertEqual(kol.go("GET", "/console/ads").status, 200)
        self.assertEqual(kol.go("GET", "/console/offers/new").status, 403)


class PasswordPages(AccountSteps, ServerTest):
    """A user changes their own password: the current one checked, the new one long enough and
    typed twice alike; every other session ends; the old password no longer signs in."""
    demo_persons = 5

    def test_change_own_password(self):
        u = self.make_user("platform")
        here, there = Browser(self.srv), Browser(self.srv)
        here.sign_in(u["login"], u["password"])
        there.sign_in(u["login"], u["password"])
        self.assertIn('href="/console/password"', here.go("GET", "/console").body)
        form = here.go("GET", "/console/password")
        self.assertIn('autocomplete="current-password"', form.body)
        new = "Trời hôm nay xanh lắm 2026"
        cases = [({"current": "sai rồi", "password": new, "password2": new}, "current"),
                 ({"current": u["password"], "password": "ngắn quá", "password2": "ngắn quá"}, "password"),
                 ({"current": u["password"], "password": new, "password2": new + "!"}, "password2"),
                 ({"current": u["password"], "password": u["password"], "password2": u["password"]}, "password")]
        for form_in, field in cases:
            r = here.go("POST", "/console/password", {"csrf": here.csrf(), **form_in})
            self.assertEqual(r.status, 400, (field, r))
            self.assertIn(f'href="#{field}"', r.body)
            self.assertNotIn(form_in["password"], r.body)  # a password is never written back
        ok = here.go("POST", "/console/password", {"csrf": here.csrf(), "current": u["password"], "password": new, "password2": new})
        self.assertEqual(ok.status, 200, ok)
        self.assertIn('id="password-changed"', ok.body)
        self.assertEqual(here.go("GET", "/console").status, 200)  # this session stays
        self.assertEqual(there.go("GET", "/console").status, 303)  # the other ended
        self.assertEqual(Browser(self.srv).sign_in(u["login"], u["password"]).status, 401)
        self.assertEqual(Browser(self.srv).sign_in(u["login"], new).status, 303)
        actions = [a["action"] for a in self.audit(key_id=u["id"])]
        self.assertIn("user.password_changed", actions)
        self.assertIn("password.refused", actions)
        # Guessing the current password from a session locks the login like wrong sign-ins do.
        for i in range(5):
            r = here.go("POST", "/console/password", {"csrf": here.csrf(), "current": f"đoán {i}", "password": new + "x",
                                                      "password2": new + "x"})
        self.assertEqual(r.status, 429, r)
        self.assertEqual(here.go("GET", "/console").status, 303)  # signed out
        self.assertEqual(Browser(self.srv).sign_in(u["login"], new).status, 429)  # locked


class Timeouts(AccountSteps, ServerTest):
    demo_persons = 5
    extra_args = ("--session-idle-seconds", "4", "--session-max-seconds", "10")

    def test_idle_and_absolute_timeouts(self):
        # Timed from each sign-in's answer, so that a slow machine (argon2id under load) moves
        # nothing: the idle session is used once at once, the busy one every 0.4 s.
        _, busy = self.signed_in("advertiser")
        busy_since = time.time()
        _, idle = self.signed_in("platform")
        self.assertEqual(idle.go("GET", "/console").status, 200)
        idle_since = time.time()
        while time.time() - idle_since < 6:
            self.assertEqual(busy.go("GET", "/console").status, 200)  # used: kept alive past the idle limit
            time.sleep(0.4)
        self.assertEqual(idle.go("GET", "/console").status, 303)  # not used for 6 s: idle too long
        while time.time() - busy_since < 10.5:
            busy.go("GET", "/console")
            time.sleep(0.4)
        self.assertEqual(busy.go("GET", "/console").status, 303)  # past the absolute limit


if __name__ == "__main__":
    unittest.main()
