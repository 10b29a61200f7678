"""Durability trials, the short version (bench/durability.sh runs 100): ten times, concurrent
logged writes (persons and platforms' account attestations, each with its log entry) and
`kill -9` at a random moment in the burst; after each restart every acknowledged write is there
and `niemtin log verify` is clean."""

import unittest

from durability import trials


class Durability(unittest.TestCase):
    def test_ten_trials_lose_nothing(self):
        done, acked, lost, failures = trials(10)
        self.assertEqual(done, 10)
        self.assertGreater(acked, 100, "too few writes before the kills to mean anything")
        self.assertEqual(failures, [], f"{lost} of {acked} acknowledged writes lost, or the log failed to verify")


if __name__ == "__main__":
    unittest.main()
