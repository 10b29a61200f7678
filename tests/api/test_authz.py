"""Walks every role against every endpoint and asserts docs/AUTHORIZATION.md."""

import json
import os
import re
import unittest

from harness import SOURCE, ServerTest

ROLES = ["public", "admin", "regulator", "platform", "advertiser", "kol", "programme"]


def matrix():
    rows = []
    with open(os.path.join(SOURCE, "docs/AUTHORIZATION.md"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^\| (GET|POST|PATCH|PUT|DELETE) \| `([^`]+)` \|(.*)\|\s*$", line)
            if m:
                cells = [c.strip() for c in m.group(3).split("|")]
                rows.append((m.group(1), m.group(2), {r: c == "✓" for r, c in zip(ROLES, cells)}))
    return rows


class Authorization(ServerTest):
    demo_persons = 5

    def test_matrix_covers_openapi(self):
        with open(os.path.join(SOURCE, "docs/openapi.json"), encoding="utf-8") as f:
            doc = json.load(f)
        documented = {(m.upper(), p) for p, item in doc["paths"].items() for m in item}
        in_matrix = {(m, p) for m, p, _ in matrix()}
        self.assertEqual(documented, in_matrix)

    def test_every_role_against_every_endpoint(self):
        # Concrete paths: things that exist where that helps, nonsense elsewhere (404 is not a denial).
        fill = {"{id}": "p0000001", "{platform}": "tiktok", "{handle}": "nobody_at_all"}
        checked = 0
        for method, pattern, allowed in matrix():
            path = pattern
            for k, v in fill.items():
                path = path.replace(k, v)
            if pattern.startswith("/v1/orgs/") or pattern.startswith("/v1/keys/"):
                path = path.replace("p0000001", "x_nothing")
            for role in ROLES:
                headers = {}
                body = None
                if method in ("POST", "PATCH"):
                    body = {}  # invalid on purpose: past authorization it is a 400, not a write
                    headers["If-Match"] = '"999"'
                r = self.req(method, path, body, None if role == "public" else role, headers=headers)
                if allowed[role]:
                    self.assertNotIn(r.status, (401, 403), f"{role} {method} {path}: {r}")
                elif role == "public":
                    self.assertEqual(r.status, 401, f"{role} {method} {path}: {r}")
                else:
                    self.assertEqual(r.status, 403, f"{role} {method} {path}: {r}")
                    self.assertEqual(r.json()["type"], "urn:niemtin:problem:forbidden")
                checked += 1
        self.assertEqual(checked, len(matrix()) * len(ROLES))
        self.assertGreater(checked, 100)


if __name__ == "__main__":
    unittest.main()
