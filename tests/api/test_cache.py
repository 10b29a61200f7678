"""GET /v1/persons/{id} answers from memory; writes here show at once, writes
made by another process on the same database within the follower interval."""

import re
import time
import unittest

from harness import Server


class Cache(unittest.TestCase):
    def test_read_your_writes_and_other_writers(self):
        a = Server(demo_persons=10)
        b = Server(db_dir=a.tmp)  # a second process on the same database
        b.keys = a.keys
        try:
            reg = a.keys["regulator"]
            first = a.request("GET", "/v1/persons/p0000003", key=reg)
            self.assertEqual(first.header("ETag"), '"1"')
            again = a.request("GET", "/v1/persons/p0000003", key=reg)
            self.assertEqual(again.body, first.body)
            public = a.request("GET", "/v1/persons/p0000003")
            self.assertNotIn("birth_year", public.json())  # views are cached apart
            self.assertIn("birth_year", a.request("GET", "/v1/persons/p0000003", key=reg).json())

            # A write through this process is visible to the next read.
            r = a.request("PATCH", "/v1/persons/p0000003", {"province": "Cần Thơ"}, key=reg, headers={"If-Match": '"1"'})
            self.assertEqual(r.status, 200, r)
            got = a.request("GET", "/v1/persons/p0000003", key=reg)
            self.assertEqual((got.header("ETag"), got.json()["province"]), ('"2"', "Cần Thơ"))
            r = a.request("POST", "/v1/accounts", {"person_id": "p0000003", "platform": "tiktok", "handle": "@cache.test"},
                          key=a.keys["platform"])
            self.assertEqual(r.status, 201, r)
            handles = [x["handle"] for x in a.request("GET", "/v1/persons/p0000003").json()["accounts"]]
            self.assertIn("cache.test", handles)

            # A write through the other process reaches this one's cache through the change sequence.
            r = b.request("PATCH", "/v1/persons/p0000003", {"province": "Huế"}, key=reg, headers={"If-Match": '"2"'})
            self.assertEqual(r.status, 200, r)
            r = b.request("DELETE", "/v1/accounts/tiktok/cache.test", key=a.keys["platform"])
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json()["log"][0]["type"], "account.unlinked")
            deadline = time.time() + 5
            while time.time() < deadline:
                got = a.request("GET", "/v1/persons/p0000003", key=reg).json()
                if got["province"] == "Huế" and "cache.test" not in [x["handle"] for x in got["accounts"]]:
                    break
                time.sleep(0.05)
            else:
                self.fail(f"process A still serves {got}")
            self.assertLess(time.time() - (deadline - 5), 2.0)
            # The cache holds the person again once a read puts it back after the last invalidation
            # (a read racing an invalidation does not keep its copy, by design): ask until it does.
            for _ in range(40):
                a.request("GET", "/v1/persons/p0000003", key=reg)
                metrics = a.request("GET", "/metrics").body
                if re.search(r'niemtin_index_entries\{index="person_responses"\} [1-9]', metrics):
                    break
                time.sleep(0.05)
            self.assertRegex(metrics, r'niemtin_index_entries\{index="person_responses"\} [1-9]')
            b.assert_clean_exit(self)
            a.assert_clean_exit(self)
        finally:
            b.proc and b.stop()
            a.close()


if __name__ == "__main__":
    unittest.main()
