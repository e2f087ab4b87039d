"""Unit tests of the rehearsal's ledger and kill timeline: python3 -m unittest (from hack/)."""
import base64
import json
import unittest

from rehearsal import ledger, timeline

RUN = "r20261208T0120Z"


def result(t, code, body="", latency_ms=20, error=""):
    """One line of `vegeta encode --to json`."""
    return json.dumps({
        "attack": "step-400", "seq": 0, "code": code, "timestamp": t, "latency": latency_ms * 1_000_000,
        "bytes_out": 60, "bytes_in": len(body), "error": error,
        "body": base64.b64encode(body.encode()).decode(), "method": "POST",
        "url": "http://127.0.0.1:8443/wp-json/donations/v1/donate", "headers": {},
    })


def created(i, k):
    return json.dumps({"id": i, "idempotency_key": k})


class KeysAndTargets(unittest.TestCase):
    def test_keys_are_unique_valid_and_sorted(self):
        keys = [ledger.key(RUN, "step-400", i) for i in range(1, 1001)]
        self.assertEqual(len(set(keys)), 1000)
        self.assertEqual(keys, sorted(keys))
        self.assertTrue(all(ledger.KEY_PATTERN.match(k) and len(k) <= 64 for k in keys))
        self.assertEqual(keys[0], "r20261208T0120Z:step-400:0000001")

    def test_a_key_outside_the_alphabet_is_refused(self):
        with self.assertRaises(ValueError):
            ledger.key("run id", "step", 1)

    def test_targets_are_vegeta_json_with_one_key_each(self):
        lines = list(ledger.targets(RUN, "rehearsal", 3, "http://127.0.0.1:1/d", "donate.example"))
        self.assertEqual(len(lines), 3)
        docs = [json.loads(line) for line in lines]
        self.assertTrue(all("\n" not in line for line in lines))
        self.assertEqual([d["header"]["Idempotency-Key"] for d in docs],
                         [[f"{RUN}:rehearsal:000000{i}"] for i in (1, 2, 3)])
        self.assertEqual(docs[0]["method"], "POST")
        self.assertEqual(docs[0]["header"]["Host"], ["donate.example"])
        body = json.loads(base64.b64decode(docs[0]["body"]))
        self.assertEqual(body, {"amount_cents": 500, "currency": "EUR", "donor": f"rehearsal:{RUN}:rehearsal"})


class Results(unittest.TestCase):
    def test_times_with_nanoseconds_and_offsets(self):
        self.assertAlmostEqual(ledger.parse_time("2026-12-08T01:20:00.123456789Z"), 1796692800.123456789, places=6)
        self.assertEqual(ledger.parse_time("2026-12-08T02:20:00+01:00"), ledger.parse_time("2026-12-08T01:20:00Z"))
        with self.assertRaises(ValueError):
            ledger.parse_time("yesterday")

    def test_read_results_decodes_bodies_and_keys(self):
        k = ledger.key(RUN, "step-400", 1)
        rows = ledger.read_results([
            result("2026-12-08T01:20:01Z", 503, "<h1>So many donations right now</h1>"),
            result("2026-12-08T01:20:00Z", 201, created(7, k), latency_ms=250),
            "",
            result("2026-12-08T01:20:02Z", 0, error="connection refused"),
        ])
        self.assertEqual([r["code"] for r in rows], [201, 503, 0])
        self.assertEqual(rows[0]["key"], k)
        self.assertAlmostEqual(rows[0]["done"] - rows[0]["t"], 0.25)
        self.assertIsNone(rows[1]["key"])
        self.assertIn("So many donations", rows[1]["body"])
        self.assertEqual(rows[2]["error"], "connection refused")

    def test_a_201_body_without_a_key(self):
        self.assertIsNone(ledger.body_key('{"id":1}'))
        self.assertIsNone(ledger.body_key("<html>"))
        self.assertIsNone(ledger.body_key("[1]"))


class Check(unittest.TestCase):
    def key(self, i, phase="step-400"):
        return ledger.key(RUN, phase, i)

    def results(self, codes):
        """codes[i] for the request with key i + 1; a 201 names its key."""
        return ledger.read_results(
            result(f"2026-12-08T01:20:{i:02d}Z", c, created(100 + i, self.key(i + 1)) if c == 201 else "")
            for i, c in enumerate(codes))

    def test_a_clean_phase(self):
        rows = ledger.read_db_rows(f"{self.key(i)}\trehearsal:{RUN}:step-400\t1\n" for i in (1, 2, 3))
        got = ledger.check(RUN, "step-400", self.results([201, 201, 201]), rows)
        self.assertEqual((got["confirmed"], got["rows"], got["lost"], got["duplicates"], got["recorded_without_201"]),
                         (3, 3, 0, 0, 0))

    def test_lost_duplicates_and_recorded_without_a_201(self):
        d = f"rehearsal:{RUN}:step-400"
        rows = ledger.read_db_rows([
            f"{self.key(1)}\t{d}\t1",   # confirmed, recorded
            f"{self.key(2)}\t{d}\t3",   # confirmed, three rows: two duplicates
            # key 3: confirmed, no row: lost
            f"{self.key(4)}\t{d}\t1",   # a 503 answered, but recorded
            f"NULL\t{d}\t2",            # two rows of this phase without a key: duplicates
            f"NULL\trehearsal:{RUN}:step-800\t5",                     # another phase
            f"{self.key(1, 'step-800')}\trehearsal:{RUN}:step-800\t1",  # another phase
            f"other-run:step-400:0000001\t{d}\t1",                    # another run's key
            "NULL\tFreddie\t1",                                       # a real donor
        ])
        got = ledger.check(RUN, "step-400", self.results([201, 201, 201, 503, 502]), rows)
        self.assertEqual(got["confirmed"], 3)
        self.assertEqual(got["lost"], 1)
        self.assertEqual(got["examples"]["lost"], [self.key(3)])
        self.assertEqual(got["duplicates"], 2 + 2)
        self.assertEqual(got["duplicate_keys"], 1)
        self.assertEqual(got["keyless_rows"], 2)
        self.assertEqual(got["recorded_without_201"], 1)
        self.assertEqual(got["examples"]["recorded_without_201"], [self.key(4)])
        self.assertEqual(got["rows"], 1 + 3 + 1 + 2)

    def test_201s_without_a_key_are_counted_not_matched(self):
        rows = ledger.read_results([result("2026-12-08T01:20:00Z", 201, '{"id":1}')])
        got = ledger.check(RUN, "step-400", rows, [])
        self.assertEqual((got["confirmed"], got["confirmed_without_key"], got["lost"]), (0, 1, 0))

    def test_a_key_confirmed_twice(self):
        k = self.key(1)
        rows = ledger.read_results([result("2026-12-08T01:20:00Z", 201, created(1, k)),
                                    result("2026-12-08T01:20:01Z", 201, created(1, k))])
        got = ledger.check(RUN, "step-400", rows, [(k, f"rehearsal:{RUN}:step-400", 1)])
        self.assertEqual((got["confirmed"], got["confirmed_twice"], got["lost"], got["duplicates"]), (1, 1, 0, 0))


class KillTimeline(unittest.TestCase):
    KILL = 1000.0

    def answers(self, spec):
        """spec: (seconds after the kill, kind)"""
        return [{"done": self.KILL + s, "code": {"donation": 201, "fallback": 503, "error": 404}[k], "kind": k}
                for s, k in spec]

    def samples(self, spec):
        return [{"t": self.KILL + s, "replicas": rep, "ready": ready} for s, rep, ready in spec]

    def test_the_kill_the_fallback_period_and_the_way_back(self):
        answers = self.answers([(-1, "donation"), (0.1, "donation"), (0.8, "error"), (1.5, "fallback"),
                                (20, "fallback"), (44.5, "fallback"), (45.2, "donation"), (46, "donation")])
        # The sample right after the kill still shows 6/6 (the Deployment's status lags).
        samples = self.samples([(-2, 6, 6), (0.5, 6, 6), (2.5, 6, 0), (4.5, 6, 0), (12.5, 6, 1), (14.5, 6, 6)])
        tl = timeline.kill_timeline(answers, samples, self.KILL)
        self.assertAlmostEqual(tl["first_fallback"], 1.5)
        self.assertAlmostEqual(tl["fallback_period"], 43.0)
        self.assertEqual(tl["fallback_pages"], 3)
        self.assertAlmostEqual(tl["outage_start"], 0.8)
        self.assertEqual(tl["lowest_ready"], 0)
        self.assertAlmostEqual(tl["lowest_ready_at"], 2.5)
        self.assertAlmostEqual(tl["first_ready"], 12.5)
        self.assertAlmostEqual(tl["all_ready"], 14.5)
        self.assertAlmostEqual(tl["first_donation"], 45.2)
        self.assertAlmostEqual(tl["first_ready_to_first_donation"], 32.7)
        text = timeline.describe(tl)
        self.assertIn("fallback period of 43.0 s", text)
        self.assertIn("32.7 s after the first ready site pod", text)
        self.assertNotIn("every replica was ready again 0", text)

    def test_no_outage_and_no_sample_at_zero(self):
        tl = timeline.kill_timeline(self.answers([(1, "donation"), (2, "donation")]),
                                    self.samples([(1, 6, 6), (3, 6, 4), (5, 6, 6)]), self.KILL)
        self.assertIsNone(tl["first_fallback"])
        self.assertEqual(tl["fallback_period"], 0.0)
        self.assertIsNone(tl["first_donation"])
        self.assertEqual(tl["lowest_ready"], 4)
        self.assertIsNone(tl["first_ready"])
        self.assertAlmostEqual(tl["all_ready"], 5)
        text = timeline.describe(tl)
        self.assertIn("No fallback page", text)
        self.assertIn("never saw 0", text)

    def test_no_donation_after_the_outage(self):
        tl = timeline.kill_timeline(self.answers([(1, "fallback"), (9, "fallback")]),
                                    self.samples([(2, 6, 0)]), self.KILL)
        self.assertIsNone(tl["first_ready"])
        self.assertIsNone(tl["first_ready_to_first_donation"])
        self.assertIn("no donation was answered again", timeline.describe(tl))
        self.assertIn("not ready again", timeline.describe(tl))


if __name__ == "__main__":
    unittest.main()
