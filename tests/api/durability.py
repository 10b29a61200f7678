"""Durability trials: concurrent logged writes, `kill -9` at a random moment, a restart; every
acknowledged write must be there and `niemtin log verify` clean. Run as a module by
bench/durability.sh (100 trials) and by test_durability.py (10, in make test).

usage: python3 durability.py TRIALS [SEED]   (NIEMTIN_BIN names the binary, as for the suites)"""

import random
import signal
import sys
import threading
import time
import uuid

from harness import Server, run


def trial(srv, rng, writers=6):
    """One trial on a running server: (acknowledged writes, lost ones, log verify's output or "")."""
    acked, lock, stop = [], threading.Lock(), threading.Event()
    reg, plat = srv.keys["regulator"], srv.keys["platform"]

    def writer(n):
        i = 0
        while not stop.is_set():
            i += 1
            try:
                r = srv.request("POST", "/v1/persons", {"legal_name": f"Trần Thị Bền {n}-{i}"}, key=reg, timeout=5)
                if r.status != 201:
                    return
                person = r.json()["id"]
                with lock:
                    acked.append(("person", person))
                # A platform's attestation: logged, with its receipt, in the same transaction.
                handle = f"ben.{uuid.uuid4().hex[:10]}"
                r = srv.request("POST", "/v1/accounts", {"person_id": person, "platform": "tiktok", "handle": handle},
                                key=plat, timeout=5)
                if r.status not in (200, 201):
                    return
                with lock:
                    acked.append(("account", handle))
            except OSError:
                return  # the server is gone

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    time.sleep(rng.uniform(0.2, 1.5))  # a random moment in the burst
    srv.proc.send_signal(signal.SIGKILL)
    srv.proc.wait()
    stop.set()
    for t in threads:
        t.join()
    srv.proc = None
    srv.log.close()
    srv.start()
    lost = []
    for kind, ident in acked:
        path = f"/v1/persons/{ident}" if kind == "person" else f"/v1/accounts/tiktok/{ident}"
        if srv.request("GET", path, key=reg).status != 200:
            lost.append((kind, ident))
    v = run("log", "verify", "--db", srv.db, check=False)
    return acked, lost, "" if v.returncode == 0 else v.stdout + v.stderr


def trials(n, seed=None, report=print):
    """n trials on one database (restarted after each kill): (trials, acknowledged, lost, failures)."""
    rng = random.Random(seed)
    srv = Server(demo_persons=5)
    total = lost_n = 0
    failures = []
    try:
        for i in range(n):
            acked, lost, verify = trial(srv, rng)
            total += len(acked)
            lost_n += len(lost)
            if lost or verify:
                failures.append((i, lost[:5], verify[-2000:]))
            report(f"trial {i + 1}/{n}: {len(acked)} acknowledged, {len(lost)} lost, log verify {'ok' if not verify else 'FAILED'}")
        srv.stop()
    finally:
        srv.close()
    return n, total, lost_n, failures


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else None
    done, total, lost, failures = trials(n, seed, report=lambda s: print(s, flush=True))
    print(f"durability: {done} trials, {total} acknowledged writes, {lost} lost, {len(failures)} trials failing")
    for f in failures:
        print("failed:", f)
    sys.exit(1 if failures else 0)
