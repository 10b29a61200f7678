"""What only PostgreSQL does, each on a server of the test's own (tests/pg/server.sh): read-only
servers on a hot standby made by pg_basebackup (checks and public reads follow the primary,
writes answer 503 naming it) and the standby promoted; the database crashing and coming back
during writes (503 while it is down, nothing acknowledged lost, the log verifies, writes resume
without restarting niemtin)."""

import json
import os
import subprocess
import tempfile
import threading
import time
import unittest
from datetime import timedelta
from urllib.parse import quote

from harness import PG, SHARED, PgCluster, Server, pg_new_database, run, sql_one, sql_rows
from steps import decision_body, iso, now


def restrict(srv, name):
    key = srv.keys["regulator"]
    p = srv.request("POST", "/v1/persons", {"legal_name": name}, key=key).json()["id"]
    case = srv.request("POST", "/v1/cases", {"opened_at": iso(now() - timedelta(days=60)), "person_id": p,
                                             "authority": "Cục PTTH&TTĐT"}, key=key).json()["id"]
    srv.request("POST", f"/v1/cases/{case}/transition", {"state": "under_review"}, key=key)
    r = srv.request("POST", f"/v1/cases/{case}/decision", decision_body(), key=key)
    assert r.status == 201, r
    return p, r.json()


def wait_until(fn, timeout=15, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = fn()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@unittest.skipUnless(PG, "a hot standby is PostgreSQL's")
class Standby(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.primary = PgCluster()
        cls.standby = PgCluster(primary=cls.primary)
        db = pg_new_database(cls.primary.url)
        cls.srv = Server(demo_persons=10, db=db)
        cls.ro_db = f"{cls.standby.url}/{db.rsplit('/', 1)[1]}"

        def replicated():
            try:
                return sql_one(cls.ro_db, "SELECT count(*) FROM schema_migrations") > 0
            except Exception:
                return False

        wait_until(replicated, what="the database on the standby")
        cls.primary_url = f"http://127.0.0.1:{cls.srv.port}"
        cls.ro = Server(db_dir=cls.srv.tmp, db=cls.ro_db, extra_args=("--read-only", "--primary-url", cls.primary_url))

    @classmethod
    def tearDownClass(cls):
        for s in (cls.ro, cls.srv):
            if s.proc is not None:
                s.stop()
        cls.srv.close()
        cls.standby.stop()
        cls.primary.stop()

    def test_checks_and_reads_follow_the_primary(self):
        p, d = restrict(self.srv, "Đoàn Thị Dự Phòng")
        key = self.srv.keys["platform"]
        check = wait_until(lambda: (c := self.ro.request("GET", f"/v1/check?subject={p}&scope=livestream", key=key).json())
                           and c["allowed"] is False and c, what="the restriction on the standby's server")
        self.assertEqual(check["person_id"], p)
        self.assertEqual(self.ro.request("GET", f"/v1/decisions/{d['id']}").status, 200)
        # The same log: its checkpoint, once caught up, is the primary's.
        wait_until(lambda: self.ro.request("GET", "/log/checkpoint").body == self.srv.request("GET", "/log/checkpoint").body,
                   what="the same checkpoint")
        self.assertEqual(self.ro.request("GET", "/readyz").status, 200)

    def test_writes_answer_503_naming_the_primary(self):
        for lang, title in (("vi", "Máy chủ này chỉ đọc"), ("en", "This server only reads")):
            r = self.ro.request("POST", "/v1/persons", {"legal_name": "Không Ghi Được"}, key=self.srv.keys["regulator"],
                                headers={"Accept-Language": lang})
            self.assertEqual(r.status, 503, r)
            p = r.json()
            self.assertEqual((p["type"], p["title"], p["primary"]), ("urn:niemtin:problem:read-only", title, self.primary_url))
        self.assertEqual(sql_one(self.srv.db, "SELECT count(*) FROM persons WHERE legal_name = 'Không Ghi Được'"), 0)

    def test_z_the_standby_promoted_serves_writes(self):
        # The primary is lost; the standby is promoted and a server started on it, as failover does.
        p, _ = restrict(self.srv, "Trịnh Văn Chuyển")
        wait_until(lambda: sql_one(self.ro_db, "SELECT count(*) FROM persons WHERE id = ?", (p,)) == 1,
                   what="the last write on the standby")
        self.srv.stop()
        self.ro.stop()
        self.standby.promote()
        wait_until(lambda: not sql_one(self.ro_db, "SELECT pg_is_in_recovery()"), what="the promotion")
        new = Server(db_dir=self.srv.tmp, db=self.ro_db)
        try:
            r = new.request("POST", "/v1/persons", {"legal_name": "Sau Chuyển Đổi"}, key=self.srv.keys["regulator"])
            self.assertEqual(r.status, 201, r)
            self.assertEqual(new.request("GET", f"/v1/persons/{p}").status, 200)
            self.assertFalse(new.request("GET", f"/v1/check?subject={p}&scope=livestream",
                                         key=self.srv.keys["platform"]).json()["allowed"])
            new.assert_clean_exit(self)
            v = run("log", "verify", "--db", self.ro_db, check=False)
            self.assertEqual(v.returncode, 0, v.stdout + v.stderr)
        finally:
            if new.proc is not None:
                new.stop()


@unittest.skipUnless(PG, "PostgreSQL's own server, crashed and restarted")
class DatabaseRestart(unittest.TestCase):
    def test_writes_through_a_database_crash(self):
        pg = PgCluster()
        srv = Server(demo_persons=5, db=pg_new_database(pg.url))
        try:
            key = srv.keys["regulator"]
            acked, statuses, lock, stop = [], [], threading.Lock(), threading.Event()

            logged = []  # accounts a platform attests: each write appends to the transparency log

            def writer(k):
                i = 0
                while not stop.is_set():
                    try:
                        if k == 0:
                            r = srv.request("POST", "/v1/accounts", {"person_id": "p0000001", "platform": "tiktok",
                                                                     "handle": f"@khoi.{i}"}, key=srv.keys["platform"], timeout=30)
                        else:
                            r = srv.request("POST", "/v1/persons", {"legal_name": f"Ngô Văn Khởi {k} {i}"}, key=key, timeout=30)
                    except OSError:
                        continue
                    with lock:
                        statuses.append(r.status)
                        if r.status in (200, 201):
                            (logged if k == 0 else acked).append(f"@khoi.{i}" if k == 0 else r.json()["id"])
                    i += 1

            threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
            for t in threads:
                t.start()
            time.sleep(1)
            pg.down()
            time.sleep(1.5)
            down = srv.request("POST", "/v1/persons", {"legal_name": "Khi Cơ Sở Dữ Liệu Tắt"}, key=key)
            ready = srv.request("GET", "/readyz")
            # A read that cannot be made is not "not found": 503, as JSON and as a page.
            read = srv.request("GET", "/v1/persons/p0000002")
            page = srv.request("GET", "/persons/p0000002", headers={"Accept": "text/html"})
            pg.up()
            time.sleep(2)
            stop.set()
            for t in threads:
                t.join()
            self.assertEqual(down.status, 503, down)
            self.assertEqual(down.json()["type"], "urn:niemtin:problem:unavailable")
            self.assertEqual(down.header("Retry-After"), "1")
            self.assertEqual(ready.status, 503, ready)
            self.assertEqual((read.status, read.json()["type"]), (503, "urn:niemtin:problem:unavailable"), read)
            self.assertEqual(page.status, 503, page)
            self.assertIn("Dịch vụ tạm thời không sẵn sàng", page.body)
            self.assertTrue(page.header("Content-Type").startswith("text/html"), page.headers)
            self.assertEqual(set(statuses) - {200, 201, 503}, set(), statuses)
            self.assertIn(503, statuses)
            # Writes resumed by themselves, and every one acknowledged is there.
            n_before = len(acked)
            self.assertGreater(sum(1 for s in statuses[-20:] if s == 201), 0, statuses[-40:])
            missing = [p for p in acked if srv.request("GET", f"/v1/persons/{p}").status != 200]
            self.assertEqual(missing, [], f"{len(missing)} of {n_before} acknowledged writes lost")
            self.assertGreater(len(logged), 0)
            held = {h for (h,) in sql_rows(srv.db, "SELECT display_handle FROM accounts WHERE person_id = 'p0000001'")}
            self.assertEqual([h for h in logged if h not in held], [], "acknowledged logged writes lost")
            self.assertEqual(srv.request("POST", "/v1/persons", {"legal_name": "Đã Trở Lại"}, key=key).status, 201)
            srv.assert_clean_exit(self)
            v = run("log", "verify", "--db", srv.db, check=False)
            self.assertEqual(v.returncode, 0, v.stdout + v.stderr)
        finally:
            if srv.proc is not None:
                srv.stop()
            srv.close()
            pg.stop()


@unittest.skipUnless(PG, "a move to PostgreSQL")
class Migrate(unittest.TestCase):
    def test_a_sqlite_database_moves_whole(self):
        src = Server(demo_persons=30, sqlite=True)
        dst_dir = tempfile.mkdtemp(prefix="nt-migrated-")
        target = pg_new_database()
        dst = None
        try:
            self.assertFalse(src.pg)
            p, d = restrict(src, "Hà Văn Chuyển Nhà")
            redact = src.request("POST", "/v1/redactions", {"record_id": d["id"], "legal_basis": "Nghị định 13/2023/NĐ-CP, Điều 16",
                                                            "reason": "Yêu cầu của chủ thể dữ liệu"}, key=src.keys["regulator"])
            self.assertEqual(redact.status, 201, redact)
            wait_until(lambda: src.request("GET", "/log/checkpoint").body.split("\n")[1] ==
                       str(sql_one(src.db, "SELECT count(*) FROM log_entries")), what="the source's checkpoint")
            note = src.request("GET", "/log/checkpoint").body
            src.assert_clean_exit(self)
            os.environ["NIEMTIN_SECRETS"] = dst_dir
            out = run("migrate", "--from", src.db, "--to", target).stdout
            self.assertIn("log_entries", out)
            v = run("log", "verify", "--db", target, check=False)
            self.assertEqual(v.returncode, 0, v.stdout + v.stderr)
            for table in ("persons", "decisions", "sanctions", "log_entries", "log_records", "changes", "audit", "api_keys",
                          "webhook_deliveries", "redactions"):
                self.assertEqual(sql_one(target, f"SELECT count(*) FROM {table}"), sql_one(src.db, f"SELECT count(*) FROM {table}"),
                                 table)
            # A server on the target serves the same log (the same tree and key: the same signed note),
            # the same restriction, and writes after it.
            with open(os.path.join(dst_dir, "db.url"), "w") as f:
                f.write(target)
            dst = Server(db_dir=dst_dir)
            self.assertEqual(dst.request("GET", "/log/checkpoint").body, note)
            c = dst.request("GET", f"/v1/check?subject={p}&scope=livestream", key=src.keys["platform"]).json()
            self.assertFalse(c["allowed"])
            r = dst.request("POST", "/v1/persons", {"legal_name": "Sau Khi Chuyển"}, key=src.keys["regulator"])
            self.assertEqual(r.status, 201, r)
            dst.assert_clean_exit(self)
            # Into a database that holds records: refused, nothing touched.
            again = run("migrate", "--from", src.db, "--to", target, check=False)
            self.assertEqual(again.returncode, 1, again.stdout + again.stderr)
            self.assertIn("holds records already", again.stderr)
            self.assertEqual(sql_one(target, "SELECT count(*) FROM persons WHERE legal_name = 'Sau Khi Chuyển'"), 1)
        finally:
            if dst is not None and dst.proc is not None:
                dst.stop()
            src.close()
            subprocess.run(["rm", "-rf", dst_dir])


@unittest.skipUnless(PG, "PostgreSQL's COPY")
class Import(unittest.TestCase):
    def test_the_same_import_on_both_engines(self):
        """The development set's first 2,000 persons (accounts included) and a few lines made to
        clash, imported into SQLite and into PostgreSQL: the same persons, accounts, skipped
        handles and change rows; a clashing person fails the whole import on both."""
        tmp = tempfile.mkdtemp(prefix="nt-import-")
        try:
            sample = os.path.join(tmp, "sample.jsonl")
            with open(os.path.join(SHARED, "data/names-dev/persons.jsonl"), encoding="utf-8") as src, \
                    open(sample, "w", encoding="utf-8") as dst:
                lines = [line for _, line in zip(range(2000), src)]
                dst.writelines(lines)
                # A handle already taken by an earlier line: skipped, the first holder keeps it.
                first = json.loads(lines[0])
                taken = next(iter(first.get("accounts") or []), None)
                extra = {"id": "zz_dup_handle", "name": "Lê\tVăn \\ Trùng"}
                if taken is not None:
                    extra["accounts"] = [taken]
                dst.write(json.dumps(extra, ensure_ascii=False) + "\n")
            os.environ["NIEMTIN_SECRETS"] = os.path.join(tmp, "pg")
            sq, pg = os.path.join(tmp, "n.db"), pg_new_database()
            results = []
            for db in (sq, pg):
                run("init", "--db", db)
                indexes = sql_rows(pg, INDEXES) if db == pg else None
                out = run("person", "import", sample, "--db", db).stdout
                results.append(out.splitlines()[0])
            # A first import sets the tables' indexes aside and builds them again: all of them back.
            self.assertEqual(sql_rows(pg, INDEXES), indexes)
            self.assertGreater(len(indexes), 8)
            self.assertIn("imported 2001 persons", results[0])
            self.assertEqual(results[0].split(" in ")[0], results[1].split(" in ")[0])  # counts, not the time
            for q in ("SELECT count(*) FROM persons", "SELECT count(*) FROM accounts", "SELECT count(*) FROM person_tokens",
                      "SELECT count(*) FROM changes", "SELECT count(*) FROM changes WHERE entity = 'account'",
                      "SELECT legal_name FROM persons WHERE id = 'zz_dup_handle'",
                      "SELECT count(*) FROM accounts WHERE person_id = 'zz_dup_handle'"):
                self.assertEqual(sql_one(sq, q), sql_one(pg, q), q)
            n = sql_one(pg, "SELECT count(*) FROM changes")
            self.assertEqual(sql_one(pg, "SELECT max(seq) FROM changes"), n)  # gap-free
            # COPY's escapes undone: the backslash kept (the tab became a space, as the import normalises names).
            self.assertEqual(sql_one(pg, "SELECT legal_name FROM persons WHERE id = 'zz_dup_handle'"), "Lê Văn \\ Trùng")
            # Search reads the tokens COPY wrote.
            srv = Server(db_dir=os.environ["NIEMTIN_SECRETS"], db=pg)
            try:
                name = json.loads(lines[5])["name"]
                ids = [p["id"] for p in srv.request("GET", f"/v1/persons?q={quote(name)}").json()["items"]]
                self.assertIn(json.loads(lines[5])["id"], ids)
            finally:
                srv.stop()
            # A person clashing with one already there: nothing of the import is kept, on either.
            clash = os.path.join(tmp, "clash.jsonl")
            with open(clash, "w", encoding="utf-8") as f:
                f.write('{"id":"zz_new","name":"Lê Văn Mới"}\n' + lines[3])
            for db in (sq, pg):
                p = run("person", "import", clash, "--db", db, check=False)
                self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
                self.assertEqual(sql_one(db, "SELECT count(*) FROM persons WHERE id = 'zz_new'"), 0)
                self.assertEqual(sql_one(db, "SELECT count(*) FROM changes"), n)
        finally:
            subprocess.run(["rm", "-rf", tmp])

    def test_a_first_import_clashing_with_itself_keeps_nothing(self):
        """The same person twice in one file (ids differing in case), into an empty database: with
        the indexes set aside the clash is found when they are built again, and the import fails
        whole as on SQLite, naming the id: no person, no change row, every index there."""
        tmp = tempfile.mkdtemp(prefix="nt-import-")
        try:
            dup = os.path.join(tmp, "dup.jsonl")
            with open(dup, "w", encoding="utf-8") as f:
                f.write('{"id":"zz_a","name":"Lê Văn An"}\n{"id":"zz_b","name":"Lê Văn Bình"}\n'
                        '{"id":"ZZ_A","name":"Lê Văn An"}\n')  # ids are one ignoring case
            os.environ["NIEMTIN_SECRETS"] = os.path.join(tmp, "pg")
            sq, pg = os.path.join(tmp, "n.db"), pg_new_database()
            for db in (sq, pg):
                run("init", "--db", db)
                changes = sql_one(db, "SELECT count(*) FROM changes")
                indexes = sql_rows(pg, INDEXES) if db == pg else None
                p = run("person", "import", dup, "--db", db, check=False)
                self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
                self.assertIn("zz_a", p.stderr)  # the clash named, not taken for a national ID
                self.assertNotIn("national ID", p.stderr)
                self.assertEqual(sql_one(db, "SELECT count(*) FROM persons"), 0)
                self.assertEqual(sql_one(db, "SELECT count(*) FROM changes"), changes)
                if db == pg:
                    self.assertEqual(sql_rows(pg, INDEXES), indexes)
            # Without the clash it goes in, on PostgreSQL too.
            with open(dup, "w", encoding="utf-8") as f:
                f.write('{"id":"zz_a","name":"Lê Văn An"}\n{"id":"zz_b","name":"Lê Văn Bình"}\n')
            self.assertIn("imported 2 persons", run("person", "import", dup, "--db", pg).stdout)
        finally:
            subprocess.run(["rm", "-rf", tmp])


# The indexes of the tables an import fills, as PostgreSQL would make them.
INDEXES = ("SELECT indexdef FROM pg_indexes WHERE tablename IN ('persons', 'person_tokens', 'accounts', 'changes') "
           "ORDER BY indexname")


@unittest.skipUnless(PG, "niemtin init on a PostgreSQL URL")
class Init(unittest.TestCase):
    def test_init_can_be_retried_and_never_takes_over_a_database(self):
        one, two = tempfile.mkdtemp(prefix="nt-init-"), tempfile.mkdtemp(prefix="nt-init-")
        try:
            # A server not reachable (a typo, not started yet): nothing left behind, so init runs again.
            os.environ["NIEMTIN_SECRETS"] = one
            bad = run("init", "--db", "postgres://nobody@127.0.0.1:1/niemtin", check=False)
            self.assertEqual(bad.returncode, 1, bad.stdout + bad.stderr)
            self.assertIn("cannot connect to PostgreSQL", bad.stderr)
            self.assertEqual(os.listdir(one), [])
            db = pg_new_database()
            self.assertIn("Initialised", run("init", "--db", db).stdout)
            self.assertIn("exists already", run("init", "--db", db, check=False).stderr)
            # Another secrets directory on the same database: refused, its secrets taken back.
            os.environ["NIEMTIN_SECRETS"] = two
            other = run("init", "--db", db, check=False)
            self.assertEqual(other.returncode, 1, other.stdout + other.stderr)
            self.assertIn("holds records already", other.stderr)
            self.assertEqual(os.listdir(two), [])
            self.assertEqual(sql_one(db, "SELECT count(*) FROM orgs"), 1)
        finally:
            subprocess.run(["rm", "-rf", one, two])


if __name__ == "__main__":
    unittest.main()
