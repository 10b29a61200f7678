#!/usr/bin/python3
"""The baseline for screening: PostgreSQL's pg_trgm on the same corpus and queries.

Starts a real PostgreSQL server (initdb and pg_ctl in a temporary directory, on a free loopback
port; as the postgres user when run as root), loads every person's legal name, stage names and
handles accent-stripped and lower-cased, builds a GIN trigram index on them, and runs every query as
the top 10 persons by similarity (the `%` operator at the default threshold 0.3, which the index
serves). Prints recall@1, recall@10, the negatives' share (none is ever strong: pg_trgm has no levels),
and latency p50/p99 per query as a client on the same machine sees it. Stops the server by its PID.

usage: screen_pg.py PERSONS.jsonl QUERIES.jsonl [--json]
"""

import argparse
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unicodedata

import psycopg2


def plain(s):
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in s if not unicodedata.combining(c)).lower().split())


def handle_text(h):
    return plain(h.lstrip("@"))


def pg_bin(name):
    for d in sorted(os.listdir("/usr/lib/postgresql"), reverse=True):
        p = os.path.join("/usr/lib/postgresql", d, "bin", name)
        if os.path.exists(p):
            return p
    return shutil.which(name)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Postgres:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="niemtin-pg-")
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()
        self.as_user = []
        if os.geteuid() == 0:  # initdb will not run as root
            user = pwd.getpwnam("postgres")
            os.chown(self.dir, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.pid = None

    def run(self, *args):
        subprocess.run(self.as_user + list(args), check=True, stdout=subprocess.DEVNULL)

    def start(self):
        self.run(pg_bin("initdb"), "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
        opts = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
                "-c shared_buffers=1GB -c maintenance_work_mem=1GB -c work_mem=64MB -c max_parallel_workers_per_gather=0")
        self.run(pg_bin("pg_ctl"), "-D", self.data, "-o", opts, "-l", os.path.join(self.dir, "log"), "-w", "start")
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            self.pid = int(f.readline())

    def stop(self):
        if self.pid is not None:
            try:
                self.run(pg_bin("pg_ctl"), "-D", self.data, "-m", "fast", "-w", "stop")
            except subprocess.CalledProcessError:
                os.kill(self.pid, signal.SIGKILL)
            self.pid = None
        shutil.rmtree(self.dir, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("persons")
    ap.add_argument("queries")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    pg = Postgres()
    try:
        pg.start()
        conn = psycopg2.connect(host="127.0.0.1", port=pg.port, user="postgres", dbname="postgres")
        conn.autocommit = True
        cur = conn.cursor()
        cur.execute("CREATE EXTENSION pg_trgm")
        cur.execute("CREATE TABLE names (person_id text NOT NULL, t text NOT NULL)")
        t0 = time.perf_counter()
        tsv = os.path.join(pg.dir, "names.tsv")
        rows = 0
        with open(a.persons, encoding="utf-8") as f, open(tsv, "w", encoding="utf-8") as out:
            for line in f:
                p = json.loads(line)
                texts = {plain(p["name"])} | {plain(x) for x in p.get("aliases", [])} | \
                        {handle_text(x["handle"]) for x in p.get("accounts", [])}
                for t in texts:
                    if t:
                        out.write(f"{p['id']}\t{t.replace(chr(9), ' ')}\n")
                        rows += 1
        with open(tsv, encoding="utf-8") as f:
            cur.copy_expert("COPY names FROM STDIN", f)
        load_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        cur.execute("CREATE INDEX names_trgm ON names USING gin (t gin_trgm_ops)")
        cur.execute("ANALYZE names")
        index_s = time.perf_counter() - t0
        queries = [json.loads(line) for line in open(a.queries, encoding="utf-8")]
        sql = ("SELECT person_id, max(similarity(t, %(q)s)) AS s FROM names WHERE t %% %(q)s "
               "GROUP BY person_id ORDER BY s DESC, person_id LIMIT 10")
        lat, pos, p1, p10, neg = [], 0, 0, 0, 0
        kinds = {}
        for q in queries:
            text = plain(q["query"]["name"]) if q["query"].get("name") else handle_text(q["query"].get("handle", ""))
            t1 = time.perf_counter()
            cur.execute(sql, {"q": text})
            got = [r[0] for r in cur.fetchall()]
            lat.append(time.perf_counter() - t1)
            if q["expect"] is None:
                neg += 1
                continue
            k = kinds.setdefault(q["kind"], [0, 0, 0])
            k[0] += 1
            ok = {q["expect"], *q.get("also", [])}
            rank = next((i + 1 for i, x in enumerate(got) if x in ok), 0)
            pos += 1
            p1 += rank == 1
            p10 += rank >= 1
            k[1] += rank == 1
            k[2] += rank >= 1
        lat.sort()
        res = {"persons_rows": rows, "load_s": round(load_s, 2), "index_s": round(index_s, 2), "queries": len(queries),
               "recall_at_1": p1 / pos if pos else 0, "recall_at_10": p10 / pos if pos else 0, "negatives": neg,
               "p50_ms": lat[len(lat) // 2] * 1000, "p99_ms": lat[int(len(lat) * 0.99)] * 1000,
               "kinds": {k: {"n": v[0], "recall_at_1": v[1] / v[0], "recall_at_10": v[2] / v[0]}
                         for k, v in kinds.items()}}
        conn.close()
    finally:
        pg.stop()
    if a.json:
        print(json.dumps(res, indent=2, sort_keys=True))
    else:
        print(f"pg_trgm: {res['persons_rows']} names loaded in {res['load_s']} s, GIN index in {res['index_s']} s")
        for k, v in sorted(res["kinds"].items()):
            print(f"  {k:22s} {v['n']:6d} {v['recall_at_1']:10.4f} {v['recall_at_10']:10.4f}")
        print(f"  recall@1 {res['recall_at_1']:.4f}, recall@10 {res['recall_at_10']:.4f}; "
              f"latency p50 {res['p50_ms']:.3f} ms, p99 {res['p99_ms']:.3f} ms")


if __name__ == "__main__":
    sys.exit(main())
