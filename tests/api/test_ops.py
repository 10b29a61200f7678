"""Operations: health, metrics, OpenAPI, request logs, graceful shutdown and the CLI."""

import json
import os
import signal
import socket
import sqlite3
import stat
import tempfile
import time
import unittest

import http.client
import shutil
import subprocess

from harness import BIN, SHARED, Server, ServerTest, free_port, recv_all, run, sql_one


class Endpoints(ServerTest):
    def test_a_key_revoked_by_another_process_stops_at_once(self):
        key = self.req("POST", "/v1/keys", {"role": "admin", "org_id": self.srv.operator_org, "label": "cli"}, "admin").json()
        self.assertEqual(self.srv.request("GET", "/v1/me", key=key["secret"]).status, 200)  # cached by the server now
        self.assertIn("revoked", run("key", "revoke", key["id"], "--db", self.srv.db).stdout)
        t0 = time.time()
        while self.srv.request("GET", "/v1/me", key=key["secret"]).status == 200:
            self.assertLess(time.time() - t0, 2.0, "the revoked key still worked after 2 s")
            time.sleep(0.02)

    def test_health_ready_openapi(self):
        r = self.req("GET", "/healthz")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json()["status"], "ok")
        self.assertEqual(self.req("GET", "/readyz").json()["status"], "ready")
        doc = self.req("GET", "/openapi.json").json()
        self.assertEqual(doc["openapi"], "3.1.0")
        self.assertIn("/v1/persons/{id}", doc["paths"])

    def test_metrics(self):
        self.req("GET", "/v1/persons/p0000001")
        self.req("GET", "/v1/persons/nobody")
        self.req("GET", "/v1/network/inbox", role="platform")  # the table's last route has its own count too
        # Requests are counted when they complete, which may be just after the client has the
        # response: wait for the count rather than for a fixed time.
        deadline = time.time() + 10
        while True:
            text = self.req("GET", "/metrics").body
            counted = all(f'route="/v1/persons/{{id}}",status="{code}"' in text for code in (200, 404)) and \
                'route="/v1/network/inbox"' in text
            if counted or time.time() > deadline:
                break
            time.sleep(0.05)
        self.assertRegex(text, r'niemtin_http_requests_total\{method="GET",route="/v1/persons/\{id\}",status="200"\} \d+')
        self.assertRegex(text, r'niemtin_http_requests_total\{method="GET",route="/v1/persons/\{id\}",status="404"\} \d+')
        self.assertRegex(text, r'niemtin_http_request_duration_seconds_bucket\{method="GET",route="/v1/persons/\{id\}",le="\+Inf"\} \d+')
        self.assertRegex(text, r'niemtin_http_requests_total\{method="GET",route="/v1/network/inbox",status="\d+"\} \d+')
        self.assertRegex(text, r"niemtin_db_bytes \d+")
        self.assertRegex(text, r'niemtin_registry_records\{kind="person"\} 40')
        self.assertRegex(text, r'niemtin_index_entries\{index="keys"\} \d+')

    def test_request_ids_and_log_lines(self):
        r = self.req("GET", "/v1/persons/p0000002", role="regulator")
        rid = r.header("X-Request-Id")
        self.assertRegex(rid, r"^[0-9a-f]{16}$")
        # The line is written when the request completes, which may be just after the client has
        # the response: wait for it rather than for a fixed time.
        deadline = time.time() + 10
        while True:
            lines = [json.loads(l) for l in self.srv.log_text().splitlines() if l.startswith('{"time"') and '"route"' in l]
            mine = [l for l in lines if l["id"] == rid]
            if mine or time.time() > deadline:
                break
            time.sleep(0.05)
        self.assertEqual(len(mine), 1)
        line = mine[0]
        self.assertEqual(set(line), {"time", "id", "method", "route", "status", "us", "key"})
        self.assertEqual((line["method"], line["route"], line["status"]), ("GET", "/v1/persons/{id}", 200))
        self.assertTrue(line["key"].startswith("k_"))
        self.assertIsInstance(line["us"], int)
        # Every line the server writes is JSON, libmicrohttpd's own messages included.
        for l in self.srv.log_text().splitlines():
            json.loads(l)
        # The secret never reaches the log.
        self.assertNotIn(self.srv.keys["regulator"].split(".")[1], self.srv.log_text())


class Shutdown(unittest.TestCase):
    def test_in_flight_request_finishes_after_sigterm(self):
        srv = Server()
        try:
            body = json.dumps({"legal_name": "Đinh Thị Chậm"}).encode()
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=30)
            s.sendall((f"POST /v1/persons HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {srv.keys['admin']}\r\n"
                       f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
                      + body[:5])
            time.sleep(0.3)
            srv.proc.send_signal(signal.SIGTERM)
            time.sleep(0.5)
            self.assertIsNone(srv.proc.poll(), "the server must wait for the request in flight")
            # New connections are no longer accepted.
            with self.assertRaises(OSError):
                socket.create_connection(("127.0.0.1", srv.port), timeout=2).recv(1)
            s.sendall(body[5:])
            data = recv_all(s)
            s.close()
            self.assertTrue(data.startswith(b"HTTP/1.1 201"), data[:300])
            self.assertEqual(srv.proc.wait(timeout=15), 0)
            log = srv.log_text()
            self.assertIn('"msg":"stopped"', log)
            self.assertNotIn("Sanitizer", log)
            # The write is there and the database was closed cleanly.
            self.assertEqual(sql_one(srv.db, "SELECT count(*) FROM persons WHERE legal_name = 'Đinh Thị Chậm'"), 1)
            if not srv.pg:
                self.assertEqual(sql_one(srv.db, "PRAGMA integrity_check"), "ok")
            srv.proc = None
            srv.log.close()
        finally:
            srv.close()

    def test_environment_configures_serve(self):
        tmp = tempfile.mkdtemp(prefix="nt-env-")
        db = os.path.join(tmp, "n.db")
        try:
            run("init", "--db", db)
            port = free_port()
            env = dict(os.environ, NIEMTIN_DB=db, NIEMTIN_LISTEN=f"127.0.0.1:{port}", NIEMTIN_THREADS="2", NIEMTIN_QUIET="1")
            p = subprocess.Popen([BIN, "serve"], env=env, stderr=subprocess.PIPE, text=True)
            try:
                for _ in range(200):
                    try:
                        c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                        c.request("GET", "/healthz")
                        self.assertEqual(c.getresponse().status, 200)
                        c.close()
                        break
                    except OSError:
                        time.sleep(0.05)
            finally:
                p.send_signal(signal.SIGINT)
                err = p.communicate(timeout=20)[1]
            self.assertEqual(p.returncode, 0, err)
            self.assertNotIn('"route"', err)  # quiet: no request lines
        finally:
            shutil.rmtree(tmp)


class Cli(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="nt-cli-")
        self.db = os.path.join(self.tmp, "var", "niemtin.db")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_every_command_has_help(self):
        for cmd in ("init", "serve", "key", "org", "person", "demo", "backup", "log"):
            out = run(cmd, "--help").stdout
            self.assertIn("usage: niemtin " + cmd, out)
        self.assertIn("niemtin 0.", run("version").stdout)
        self.assertEqual(run("frobnicate", check=False).returncode, 2)

    def test_init_makes_private_secrets_once(self):
        out = run("init", "--db", self.db).stdout
        self.assertRegex(out, r"(?m)^k_[0-9a-z]+\.\S{43}$")
        d = os.path.dirname(self.db)
        for name in ("hash.key", "log.key", "log.pub", "niemtin.db"):
            mode = stat.S_IMODE(os.stat(os.path.join(d, name)).st_mode)
            self.assertEqual(mode, 0o600, name)
        with open(os.path.join(d, "log.pub")) as f:
            self.assertRegex(f.read(), r"^niemtin\.local/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}\n$")
        with open(os.path.join(d, "log.key")) as f:
            self.assertTrue(f.read().startswith("PRIVATE+KEY+niemtin.local/log+"))
        again = run("init", "--db", self.db, check=False)
        self.assertEqual(again.returncode, 1)
        self.assertIn("exists", again.stderr)
        # The admin key is only a hash in the database.
        key = out.strip().splitlines()[-1]
        with open(self.db, "rb") as f:
            self.assertNotIn(key.split(".")[1].encode(), f.read())

    def test_org_key_person_backup(self):
        run("init", "--db", self.db)
        org = run("org", "create", "--name", "Sở Văn hóa và Thể thao Hà Nội", "--kind", "regulator", "--db", self.db).stdout.strip()
        self.assertTrue(org.startswith("o_"))
        self.assertIn("Sở Văn hóa", run("org", "list", "--db", self.db).stdout)
        self.assertEqual(run("org", "create", "--name", "X", "--kind", "bank", "--db", self.db, check=False).returncode, 1)
        key = run("key", "create", "--role", "regulator", "--org", org, "--label", "thanh tra", "--db", self.db).stdout.strip()
        kid = key.split(".")[0]
        listing = run("key", "list", "--db", self.db).stdout
        self.assertIn(kid, listing)
        self.assertNotIn(key.split(".")[1], listing)
        self.assertIn("revoked", run("key", "revoke", kid, "--db", self.db).stdout)
        self.assertEqual(run("key", "revoke", kid, "--db", self.db, check=False).returncode, 1)

        # Import the shared development set's format, in one transaction.
        sample = os.path.join(self.tmp, "sample.jsonl")
        with open(os.path.join(SHARED, "data/names-dev/persons.jsonl"), encoding="utf-8") as src, open(sample, "w") as dst:
            for i, line in enumerate(src):
                if i == 500:
                    break
                dst.write(line)
        out = run("person", "import", sample, "--db", self.db).stdout
        self.assertIn("imported 500 persons", out)
        bad = os.path.join(self.tmp, "bad.jsonl")
        with open(bad, "w") as f:
            f.write('{"id":"z1","name":"Lê Văn Một"}\n{"id":"z2","name":"Lê Văn Hai","birth_year":"x"}\n')
        p = run("person", "import", bad, "--db", self.db, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stderr.count("line 2"), 1, p.stderr)  # said once, not over itself
        self.assertIn("birth_year: has the wrong type", p.stderr)
        db = sqlite3.connect(self.db)
        self.assertEqual(db.execute("SELECT count(*) FROM persons WHERE id = 'z1'").fetchone()[0], 0)
        self.assertEqual(db.execute("SELECT count(*) FROM persons").fetchone()[0], 500)
        self.assertEqual(db.execute("SELECT count(*) FROM changes WHERE entity = 'person'").fetchone()[0], 500)
        db.close()

        # Backup of a live database, while the server writes.
        srv = Server(db_dir=os.path.dirname(self.db))
        try:
            admin = srv_admin(self.db)
            for i in range(20):
                r = srv.request("POST", "/v1/persons", {"legal_name": f"Trịnh Văn {i}"}, key=admin)
                self.assertEqual(r.status, 201, r)
            copy = os.path.join(self.tmp, "copy.db")
            out = run("backup", copy, "--db", self.db).stdout
            self.assertIn("backed up", out)
            c = sqlite3.connect(copy)
            self.assertEqual(c.execute("PRAGMA integrity_check").fetchone()[0], "ok")
            self.assertGreaterEqual(c.execute("SELECT count(*) FROM persons").fetchone()[0], 520)
            c.close()
            self.assertEqual(run("backup", copy, "--db", self.db, check=False).returncode, 1)
            srv.assert_clean_exit(self)
        finally:
            if srv.proc is not None:
                srv.stop()

    def test_serve_refuses_bad_settings(self):
        run("init", "--db", self.db)
        for args in (["--appeal-days", "0"], ["--max-restriction-days", "99999"], ["--listen", "nowhere"],
                     ["--policy", "5/30"], ["--webhook-attempts", "0"], ["--request-head-seconds", "0"],
                     ["--request-body-seconds", "99999"]):
            p = run("serve", "--db", self.db, *args, check=False)
            self.assertNotEqual(p.returncode, 0, args)

    def test_log_check_vector(self):
        vec = os.path.join(SHARED, "vectors/merkle/inclusion/1/happy-path.json")
        p = run("log", "check-vector", vec, check=False)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertTrue(p.stdout.startswith("ok: "))
        # The same vector claiming the opposite verdict: the tool must disagree.
        with open(vec) as f:
            doc = json.load(f)
        doc["wantErr"] = True
        flipped = os.path.join(self.tmp, "flipped.json")
        with open(flipped, "w") as f:
            json.dump(doc, f)
        p = run("log", "check-vector", flipped, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("MISMATCH", p.stdout)
        garbage = os.path.join(self.tmp, "garbage.json")
        with open(garbage, "w") as f:
            f.write("{}")
        self.assertEqual(run("log", "check-vector", garbage, check=False).returncode, 2)
        self.assertIn("usage: niemtin log", run("log", "--help").stdout)

    def test_log_check_vector_reference_order(self):
        """Consistency vectors are judged in the reference order: sizes and root equality come
        before any hash length, so equal sizes with equal roots (of any length) and an empty
        first tree with an empty proof verify, whatever the roots hold."""
        cases = [
            ({"size1": 3, "size2": 3, "root1": "AAEC", "root2": "AAEC", "proof": None}, False),
            ({"size1": 3, "size2": 3, "root1": "AAEC", "root2": "AAED", "proof": None}, True),
            ({"size1": 0, "size2": 5, "root1": "", "root2": "AAEC", "proof": []}, False),
            ({"size1": 0, "size2": 5, "root1": "", "root2": "AAEC", "proof": ["AAEC"]}, True),
            ({"size1": 5, "size2": 3, "root1": "AAEC", "root2": "AAEC", "proof": []}, True),
            ({"size1": 2, "size2": 3, "root1": "AAEC", "root2": "AAEC", "proof": []}, True),
        ]
        for i, (doc, want_err) in enumerate(cases):
            doc = dict(doc, desc="order %d" % i, wantErr=want_err)
            path = os.path.join(self.tmp, "order%d.json" % i)
            with open(path, "w") as f:
                json.dump(doc, f)
            p = run("log", "check-vector", path, check=False)
            self.assertEqual(p.returncode, 0, (doc, p.stdout + p.stderr))

    def test_log_build_static(self):
        run("init", "--db", self.db, "--log-origin", "registry.example.vn/log")
        d = os.path.dirname(self.db)
        files = []
        for i, text in enumerate([b"", b"Quy\xe1\xba\xbft \xc4\x91\xe1\xbb\x8bnh 1", b"x" * 1000]):
            path = os.path.join(self.tmp, f"e{i}")
            with open(path, "wb") as f:
                f.write(text)
            files.append(path)
        out = os.path.join(self.tmp, "static")
        p = run("log", "build-static", "--origin", "registry.example.vn/log", "--key", os.path.join(d, "log.key"), "--out", out,
                *files)
        self.assertIn("3 entries", p.stdout)
        with open(os.path.join(out, "checkpoint"), encoding="utf-8") as f:
            lines = f.read().split("\n")
        self.assertEqual(lines[0], "registry.example.vn/log")
        self.assertEqual(lines[1], "3")
        self.assertEqual(lines[3], "")
        self.assertTrue(lines[4].startswith("\u2014 registry.example.vn/log "))
        with open(os.path.join(out, "tile/0/000.p/3"), "rb") as f:
            self.assertEqual(len(f.read()), 96)
        with open(os.path.join(out, "tile/entries/000.p/3"), "rb") as f:
            bundle = f.read()
        self.assertEqual(bundle[:2], b"\x00\x00")  # the empty entry
        self.assertEqual(len(bundle), 2 + 2 + len("Quyết định 1".encode()) + 2 + 1000)
        big = os.path.join(self.tmp, "big")
        with open(big, "wb") as f:
            f.write(b"x" * 70000)
        p = run("log", "build-static", "--origin", "o", "--key", os.path.join(d, "log.key"), "--out", out + "2", big, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("65535", p.stderr)
        p = run("log", "build-static", "--origin", "o", "--key", os.path.join(d, "log.pub"), "--out", out + "3", check=False)
        self.assertEqual(p.returncode, 1)  # a public key cannot sign

    def test_commands_without_database(self):
        p = run("key", "list", "--db", os.path.join(self.tmp, "none.db"), check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("niemtin init", p.stderr)


_admin_cache = {}


def srv_admin(db):
    """An admin key for a database made outside Server()."""
    if db not in _admin_cache:
        org = run("org", "create", "--name", "Vận hành", "--kind", "operator", "--db", db).stdout.strip()
        _admin_cache[db] = run("key", "create", "--role", "admin", "--org", org, "--db", db).stdout.strip()
    return _admin_cache[db]


if __name__ == "__main__":
    unittest.main()
