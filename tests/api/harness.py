"""Black-box test harness: a real `niemtin serve` process on a free loopback
port with a temporary database, and a small HTTP client.

Every server started here is stopped by its PID; its stderr is checked for
sanitizer reports when it exits."""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import unittest

BIN = os.environ.get("NIEMTIN_BIN", os.path.join(os.path.dirname(__file__), "../../build/asan/niemtin"))
SOURCE = os.environ.get("NT_SOURCE", os.path.join(os.path.dirname(__file__), "../.."))
SHARED = os.environ.get("NT_SHARED", os.path.join(SOURCE, "../shared"))


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*args, check=True, input=None):
    """Runs the niemtin binary; returns CompletedProcess."""
    p = subprocess.run([BIN, *args], capture_output=True, text=True, input=input, timeout=300)
    if check and p.returncode != 0:
        raise AssertionError(f"niemtin {' '.join(args)} exited {p.returncode}:\n{p.stdout}\n{p.stderr}")
    return p


def recv_all(sock):
    """Reads a raw socket until the server closes it."""
    data = b""
    while True:
        d = sock.recv(65536)
        if not d:
            return data
        data += d


class Response:
    def __init__(self, status, headers, body, data=None):
        self.status = status
        self.headers = headers
        self.body = body
        self.data = data  # the bytes as sent, for bodies that are not text

    def json(self):
        return json.loads(self.body)

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def __repr__(self):
        return f"<{self.status} {self.body[:300]!r}>"


def pg_url():
    """The PostgreSQL server the suites run against (its URL without a database), or None for
    SQLite: ctest's pg fixture starts one and names the file holding its URL in NT_PG_URL_FILE."""
    path = os.environ.get("NT_PG_URL_FILE")
    if not path:
        return None
    with open(path) as f:
        return f.read().strip()


PG = pg_url()


def pg_new_database(server=None):
    """A fresh, empty database on a PostgreSQL server (by default the suites'); its URL."""
    import psycopg2

    server = server or PG
    name = "nt_" + os.urandom(6).hex()
    conn = psycopg2.connect(server + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE {name}")
    conn.close()
    return f"{server}/{name}"


class PgCluster:
    """A PostgreSQL server of a test's own (tests/pg/server.sh), for what the shared one must not
    undergo: a standby made of it, a promotion, a crash and restart."""

    SCRIPT = os.path.join(SOURCE, "tests/pg/server.sh")

    def __init__(self, primary=None):
        self.dir = tempfile.mkdtemp(prefix="nt-pgc-")
        if primary is None:
            subprocess.run([self.SCRIPT, "start", self.dir], check=True, capture_output=True)
        else:
            subprocess.run([self.SCRIPT, "standby", self.dir, primary.dir], check=True, capture_output=True)
        with open(os.path.join(self.dir, "url")) as f:
            self.url = f.read().strip()

    def down(self):
        """Stopped as a crash would stop it (immediate: no checkpoint, recovery at start)."""
        subprocess.run([self.SCRIPT, "down", self.dir], check=True, capture_output=True)

    def up(self):
        subprocess.run([self.SCRIPT, "up", self.dir], check=True, capture_output=True)

    def promote(self):
        subprocess.run([self.SCRIPT, "promote", self.dir], check=True, capture_output=True)

    def stop(self):
        subprocess.run([self.SCRIPT, "stop", self.dir], check=True, capture_output=True)
        subprocess.run(["rm", "-rf", self.dir])


def sql_run(db, sql, params=()):
    """Runs one statement directly on a server's database (SQLite file or PostgreSQL URL), as a
    test that reads or tampers with the rows behind the API; (rows, rows changed)."""
    if db.startswith("postgres"):
        import psycopg2

        conn = psycopg2.connect(db)
        try:
            with conn.cursor() as cur:
                cur.execute(sql.replace("?", "%s"), params)
                rows = cur.fetchall() if cur.description else []
                # bytea comes as memoryview; bytes, as sqlite3 gives them, compare and print by value
                rows = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows]
                return rows, cur.rowcount
        finally:
            conn.commit()
            conn.close()
    import sqlite3

    conn = sqlite3.connect(db, timeout=10)
    try:
        cur = conn.execute(sql, params)
        return cur.fetchall(), cur.rowcount
    finally:
        conn.commit()
        conn.close()


def sql_rows(db, sql, params=()):
    return sql_run(db, sql, params)[0]


def sql_one(db, sql, params=()):
    """The first column of the first row."""
    return sql_rows(db, sql, params)[0][0]


def db_in(d):
    """The database of a server directory: the PostgreSQL URL it names (db.url), or its SQLite file."""
    url = os.path.join(d, "db.url")
    if os.path.exists(url):
        with open(url) as f:
            return f.read().strip()
    return os.path.join(d, "niemtin.db")


def copy_server_dir(src, dst):
    """A copy of a stopped server's directory (secrets) and of its database, to tamper with."""
    import shutil

    for name in os.listdir(src):
        if os.path.isfile(os.path.join(src, name)):
            shutil.copy(os.path.join(src, name), os.path.join(dst, name))
    db = db_in(src)
    if db.startswith("postgres"):
        new = pg_new_database()
        dump = subprocess.run(["/usr/lib/postgresql/15/bin/pg_dump", "--no-owner", "-d", db], capture_output=True, check=True)
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", new], input=dump.stdout, capture_output=True, check=True)
        with open(os.path.join(dst, "db.url"), "w") as f:
            f.write(new)
    os.environ["NIEMTIN_SECRETS"] = dst
    return db_in(dst)


class Server:
    """A database made by `niemtin init` (+ optional demo) and a server on it."""

    def __init__(self, demo_persons=0, extra_args=(), db_dir=None, env=None, local_hooks=True, db=None, sqlite=False):
        self.tmp = db_dir or tempfile.mkdtemp(prefix="nt-api-")
        # On PostgreSQL the secrets live in the temporary directory (NIEMTIN_SECRETS).
        # A directory made before for SQLite stays SQLite.
        self.pg = PG is not None and not sqlite and not os.path.exists(os.path.join(self.tmp, "niemtin.db"))
        os.environ["NIEMTIN_SECRETS"] = self.tmp
        if db is None and self.pg:
            url_file = os.path.join(self.tmp, "db.url")
            if os.path.exists(url_file):
                with open(url_file) as f:
                    db = f.read().strip()
            else:
                db = pg_new_database()
                with open(url_file, "w") as f:
                    f.write(db)
        self.db = db or os.path.join(self.tmp, "niemtin.db")
        self.pg = self.db.startswith("postgres")
        self.keys = {}
        if not os.path.exists(os.path.join(self.tmp, "hash.key")):
            out = run("init", "--db", self.db).stdout
            self.keys["admin"] = re.search(r"^(k_\S+\.\S+)$", out, re.M).group(1)
            self.operator_org = re.search(r"Operator organisation: (\S+)", out).group(1)
            if demo_persons:
                kf = os.path.join(self.tmp, "keys.env")
                run("demo", "--db", self.db, "--persons", str(demo_persons), "--keys-out", kf)
                with open(kf) as f:
                    for line in f:
                        name, value = line.strip().split("=", 1)
                        if name.endswith("_KEY"):
                            self.keys[name[len("NIEMTIN_"):-len("_KEY")].lower()] = value
        # The suites' webhook receivers listen on 127.0.0.1; the server refuses that by default.
        self.extra_args = (["--webhook-allow-loopback"] if local_hooks else []) + list(extra_args)
        self.env = {**os.environ, **(env or {})}
        self.proc = None
        self.start()

    def start(self):
        # The server binds port 0 and logs the port it got: no window in which another
        # suite running in parallel could take a port picked in advance.
        self.port = None
        fd, self.log_path = tempfile.mkstemp(prefix="serve-", suffix=".log", dir=self.tmp)
        self.log = os.fdopen(fd, "w")
        args = [BIN, "serve", "--db", self.db, "--listen", "127.0.0.1:0", "--threads", "4",
                "--public-burst", "100000", "--public-rate", "100000", *self.extra_args]
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=self.log, env=self.env)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited {self.proc.returncode}: {self.log_text()}")
            if self.port is None:
                m = re.search(r'"msg":"listening".*?"port":(\d+)', self.log_text())
                if m is None:
                    time.sleep(0.05)
                    continue
                self.port = int(m.group(1))
            try:
                if self.request("GET", "/readyz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError("server did not become ready")

    def request(self, method, path, body=None, key=None, headers=None, raw=None, timeout=30):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = dict(headers or {})
        if key:
            h["Authorization"] = f"Bearer {key}"
        data = raw
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            h.setdefault("Content-Type", "application/json")
        try:
            conn.request(method, path, body=data, headers=h)
            r = conn.getresponse()
            data = r.read()
            return Response(r.status, r.getheaders(), data.decode("utf-8", "replace"), data)
        finally:
            conn.close()

    def stop(self, sig=signal.SIGTERM, timeout=30):
        """Stops the server by its PID; returns its exit code."""
        if self.proc is None:
            return None
        self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self.proc = None
        self.log.close()
        return code

    def log_text(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def assert_clean_exit(self, tc, sig=signal.SIGTERM):
        code = self.stop(sig)
        text = self.log_text()
        tc.assertNotIn("AddressSanitizer", text)
        tc.assertNotIn("runtime error:", text)
        tc.assertNotIn("LeakSanitizer", text)
        tc.assertEqual(code, 0, text[-2000:])

    def close(self):
        if self.proc is not None:
            self.stop(signal.SIGKILL)
        subprocess.run(["rm", "-rf", self.tmp])


class ServerTest(unittest.TestCase):
    """One server for the whole class, stopped cleanly at the end."""

    demo_persons = 40
    local_hooks = True
    extra_args = ()
    env = {}

    @classmethod
    def setUpClass(cls):
        cls.srv = Server(demo_persons=cls.demo_persons, extra_args=cls.extra_args, env=cls.env, local_hooks=cls.local_hooks)

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.srv.proc is not None:
                code = cls.srv.stop()
                text = cls.srv.log_text()
                assert "AddressSanitizer" not in text and "runtime error:" not in text, text[-3000:]
                assert code == 0, f"server exited {code}: {text[-3000:]}"
        finally:
            cls.srv.close()

    def req(self, method, path, body=None, role=None, **kw):
        key = self.srv.keys[role] if role else None
        return self.srv.request(method, path, body=body, key=key, **kw)

    def assertProblem(self, r, status, slug, field=None):
        self.assertEqual(r.status, status, r)
        self.assertTrue(r.header("Content-Type").startswith("application/problem+json"), r.headers)
        p = r.json()
        self.assertEqual(p["type"], f"urn:niemtin:problem:{slug}")
        self.assertEqual(p["status"], status)
        self.assertTrue(p["title"])
        if field is not None:
            self.assertIn(field, [e["field"] for e in p.get("errors", [])], p)
        return p
