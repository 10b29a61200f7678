"""The disk fills up under the database during writes: writes are refused with a problem (507,
never a 500 or a lost acknowledgement), reads keep working, nothing is corrupted, the log
verifies, and writes resume by themselves once space is freed. The database lives on a small
tmpfs of its own (mounted here, as root; CI runs as root)."""

import os
import shutil
import subprocess
import tempfile
import unittest

from harness import PG, Server, run, sql_one

SIZE_MB = 48


def can_mount():
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    d = tempfile.mkdtemp(prefix="nt-mnt-")
    ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", d], capture_output=True).returncode == 0
    if ok:
        subprocess.run(["umount", d])
    os.rmdir(d)
    return ok


@unittest.skipIf(PG, "the SQLite file's own disk; PostgreSQL's is its operator's")
@unittest.skipUnless(can_mount(), "needs root to mount a small tmpfs")
class DiskFull(unittest.TestCase):
    def test_writes_refused_reads_kept_then_resumed(self):
        mnt = tempfile.mkdtemp(prefix="nt-full-")
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE_MB}m", "tmpfs", mnt], check=True)
        srv = None
        try:
            os.mkdir(os.path.join(mnt, "db"))
            srv = Server(demo_persons=5, db_dir=os.path.join(mnt, "db"), sqlite=True)
            reg, plat = srv.keys["regulator"], srv.keys["platform"]
            # Most of the space taken by something else, as on a shared disk.
            free = shutil.disk_usage(mnt).free
            filler = os.path.join(mnt, "filler")
            with open(filler, "wb") as f:
                f.write(b"\0" * (free - 3 * 1024 * 1024))
            acked, refused = [], None
            for i in range(20000):
                r = srv.request("POST", "/v1/persons", {"legal_name": f"Lê Văn Đầy {i}", "aliases": ["x" * 200]}, key=reg)
                if r.status == 201:
                    acked.append(r.json()["id"])
                    continue
                refused = r
                break
            self.assertIsNotNone(refused, "the disk never filled")
            self.assertGreater(len(acked), 10)
            self.assertEqual(refused.status, 507, refused)
            self.assertTrue(refused.header("Content-Type").startswith("application/problem+json"))
            p = refused.json()
            self.assertEqual(p["type"], "urn:niemtin:problem:insufficient-storage")
            self.assertEqual(refused.header("Retry-After"), "30")
            # The rest of the space taken too: from now on a write either fits in pages SQLite
            # holds already or is refused the same way — never a 500, never acknowledged and lost.
            with open(os.path.join(mnt, "filler2"), "wb") as f:
                try:
                    while True:
                        f.write(b"\0" * 65536)
                        f.flush()
                except OSError:
                    pass
            seen, handles = {}, []
            for i in range(30):
                lang = "en" if i % 2 else "vi"
                if i % 3 == 2:  # a logged write: a platform's attestation
                    r = srv.request("POST", "/v1/accounts", {"person_id": acked[0], "platform": "tiktok", "handle": f"day.{i}"},
                                    key=plat, headers={"Accept-Language": lang})
                else:
                    r = srv.request("POST", "/v1/persons", {"legal_name": f"Lê Văn Đầy Nữa {i}", "aliases": ["y" * 200]},
                                    key=reg, headers={"Accept-Language": lang})
                self.assertIn(r.status, (200, 201, 507), r)
                seen.setdefault(r.status, []).append(r)
                if r.status in (200, 201):
                    (handles.append(f"day.{i}") if i % 3 == 2 else acked.append(r.json()["id"]))
            self.assertIn(507, seen, "no write refused on a full disk")
            en = [r for r in seen[507] if r.header("Content-Language") == "en"]
            self.assertTrue(en, "no refusal in English")
            self.assertEqual(en[0].json()["title"], "Insufficient storage")
            # Reads keep working: the check, the registry, the log.
            self.assertEqual(srv.request("GET", f"/v1/persons/{acked[-1]}", key=reg).status, 200)
            self.assertEqual(srv.request("GET", f"/v1/check?subject={acked[-1]}", key=plat).status, 200)
            self.assertEqual(srv.request("GET", "/log/checkpoint").status, 200)
            self.assertEqual(srv.request("GET", "/readyz").status, 200)
            # Space freed: writes resume without a restart.
            os.remove(filler)
            os.remove(os.path.join(mnt, "filler2"))
            r = srv.request("POST", "/v1/persons", {"legal_name": "Lê Văn Trở Lại"}, key=reg)
            self.assertEqual(r.status, 201, r)
            acked.append(r.json()["id"])
            r = srv.request("POST", "/v1/accounts", {"person_id": acked[0], "platform": "tiktok", "handle": "tro.lai"}, key=plat)
            self.assertIn(r.status, (200, 201), r)
            srv.stop()
            # Nothing acknowledged lost, nothing corrupted, the log whole.
            self.assertEqual(sql_one(srv.db, "PRAGMA integrity_check"), "ok")
            ids = ",".join(f"'{a}'" for a in acked)
            self.assertEqual(sql_one(srv.db, f"SELECT count(*) FROM persons WHERE id IN ({ids})"), len(acked))
            for h in handles + ["tro.lai"]:
                self.assertEqual(sql_one(srv.db, "SELECT count(*) FROM accounts WHERE handle = ?", (h,)), 1, h)
            v = run("log", "verify", "--db", srv.db, check=False)
            self.assertEqual(v.returncode, 0, v.stdout + v.stderr)
        finally:
            if srv is not None:
                if srv.proc is not None:
                    srv.stop()
                srv.close()
            subprocess.run(["umount", "-l", mnt])
            shutil.rmtree(mnt, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
