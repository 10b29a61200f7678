"""Long commands show how far they are on a terminal — one line redrawn, done of total, rate — and
stay quiet in a pipe (a plain line every ten seconds there, so none for short work) or with
--quiet. The terminal is a real pseudo-terminal given to the command as its stderr."""

import json
import os
import pty
import subprocess
import tempfile
import unittest

from harness import BIN, SHARED, Server, run


def on_terminal(*args):
    """The command run with a pseudo-terminal as its stderr: (exit code, stdout, what the terminal got)."""
    master, slave = pty.openpty()
    p = subprocess.Popen([BIN, *args], stdout=subprocess.PIPE, stderr=slave, env=os.environ)
    os.close(slave)
    got = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        got += chunk
    out = p.stdout.read().decode()
    p.stdout.close()
    p.wait()
    os.close(master)
    return p.returncode, out, got.decode(errors="replace")


class Progress(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server(demo_persons=5)
        cls.tmp = tempfile.mkdtemp(prefix="nt-progress-")
        cls.persons = os.path.join(cls.tmp, "persons.jsonl")
        with open(os.path.join(SHARED, "data/names-dev/persons.jsonl"), encoding="utf-8") as src, \
                open(cls.persons, "w", encoding="utf-8") as dst:
            for _, line in zip(range(5000), src):
                person = json.loads(line)
                person["id"] = "pp_" + person["id"]  # not the demo's ids
                dst.write(json.dumps(person, ensure_ascii=False) + "\n")

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()
        cls.srv.close()
        subprocess.run(["rm", "-rf", cls.tmp])

    def assertRedrawn(self, term, what, unit):
        self.assertIn("\r" + what + ":", term)
        self.assertIn("\x1b[K", term)  # the rest of the line cleared at each redraw
        self.assertRegex(term, rf"{what}: [\d,.]+ of [\d,.]+ {unit} \(100%\)")
        self.assertTrue(term.rstrip(" ").endswith("\n") or term.endswith("\r\n"), repr(term[-40:]))

    def test_import_verify_export_on_a_terminal_and_not(self):
        rc, out, term = on_terminal("person", "import", self.persons, "--db", self.srv.db)
        self.assertEqual(rc, 0, term)
        self.assertIn("imported 5000 persons", out)  # the result on stdout, alone
        self.assertRedrawn(term, "import", "MB")
        # In a pipe: nothing for work this short (a line every 10 s there).
        p = run("person", "import", "-", "--db", self.srv.db, input="", check=False)
        self.assertNotIn("\r", p.stderr)
        self.assertNotIn("import:", p.stderr)
        # --quiet: nothing on the terminal either.
        rc, out, term = on_terminal("log", "verify", "--db", self.srv.db, "--quiet")
        self.assertEqual(rc, 0, out + term)
        self.assertNotIn("verify:", term)
        rc, out, term = on_terminal("log", "verify", "--db", self.srv.db)
        self.assertEqual(rc, 0, out + term)
        self.assertTrue(out.startswith("ok:"), out)
        self.assertRedrawn(term, "verify", "checks")
        d = os.path.join(self.tmp, "open")
        rc, out, term = on_terminal("export", "open-data", d, "--db", self.srv.db)
        self.assertEqual(rc, 0, out + term)
        self.assertRedrawn(term, "export", "files")
        rc, out, term = on_terminal("export", "open-data", d, "--db", self.srv.db, "--quiet")
        self.assertEqual((rc, term), (0, ""))

    def test_monitor_and_screen_eval(self):
        state = os.path.join(self.tmp, "monitor.state")
        rc, out, term = on_terminal("log", "monitor", f"http://127.0.0.1:{self.srv.port}", "--state", state)
        self.assertEqual(rc, 0, out + term)
        self.assertRedrawn(term, "monitor", "entries")
        queries = os.path.join(self.tmp, "queries.jsonl")
        with open(os.path.join(SHARED, "data/names-dev/queries.jsonl"), encoding="utf-8") as src, \
                open(queries, "w", encoding="utf-8") as dst:
            for _, line in zip(range(300), src):
                dst.write(line)
        rc, out, term = on_terminal("screen-eval", os.path.join(SHARED, "data/names-dev/persons.jsonl"), queries)
        self.assertEqual(rc, 0, out + term)
        self.assertRedrawn(term, "load", "MB")
        self.assertRedrawn(term, "screen", "queries")
        rc, out, term = on_terminal("screen-eval", self.persons, queries, "--quiet")
        self.assertNotIn("screen:", term)


if __name__ == "__main__":
    unittest.main()
