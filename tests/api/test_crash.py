"""kill -9 during a burst of concurrent writes: every write that got a 2xx is
there after a restart, and the database passes PRAGMA integrity_check."""

import signal
import threading
import time
import unittest

from harness import Server, sql_one


class Crash(unittest.TestCase):
    def test_acknowledged_writes_survive_kill_9(self):
        srv = Server(demo_persons=20)
        try:
            acked, lock, stop = [], threading.Lock(), threading.Event()
            key = srv.keys["regulator"]

            def writer(n):
                i = 0
                while not stop.is_set():
                    i += 1
                    try:
                        r = srv.request("POST", "/v1/persons", {"legal_name": f"Nguyễn Văn Sập {n}-{i}",
                                                                "aliases": [f"Sập {n}"]}, key=key, timeout=5)
                    except OSError:
                        return  # the server is gone
                    if r.status == 201:
                        with lock:
                            acked.append(r.json()["id"])
                    elif r.status >= 500:
                        return

            threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
            for t in threads:
                t.start()
            deadline = time.time() + 20
            while time.time() < deadline:
                with lock:
                    if len(acked) >= 150:
                        break
                time.sleep(0.05)
            srv.proc.send_signal(signal.SIGKILL)  # mid-burst, writers still running
            srv.proc.wait()
            stop.set()
            for t in threads:
                t.join()
            srv.proc = None
            srv.log.close()
            self.assertGreaterEqual(len(acked), 150, "too few writes before the kill to mean anything")

            if not srv.pg:  # PostgreSQL checks its own pages as it recovers
                self.assertEqual(sql_one(srv.db, "PRAGMA integrity_check"), "ok")
            srv.start()
            missing = [pid for pid in acked if srv.request("GET", f"/v1/persons/{pid}", key=key).status != 200]
            self.assertEqual(missing, [], f"{len(missing)} of {len(acked)} acknowledged writes lost")
            # Each acknowledged write kept its audit and change rows too.
            ids = ",".join(f"'{p}'" for p in acked)
            self.assertEqual(sql_one(srv.db, f"SELECT count(DISTINCT entity_id) FROM audit WHERE entity_id IN ({ids})"), len(acked))
            self.assertEqual(sql_one(srv.db, f"SELECT count(*) FROM changes WHERE entity_id IN ({ids})"), len(acked))
            srv.assert_clean_exit(self)
        finally:
            srv.close()


if __name__ == "__main__":
    unittest.main()
