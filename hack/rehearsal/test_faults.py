"""faults.py: one fault's row from made-up answers, ledger rows and samples."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import faults  # noqa: E402

RUN, FAULT, VIA = "20261208T000000Z", "pods-killed", "standin"
PHASE = f"{FAULT}-{VIA}"
MARK = "So many donations right now"


def answer(t, code, key=None, body="", latency=0.02, error=""):
    if code == 201:
        body = '{"id": 1, "idempotency_key": "%s"}' % key
    return {"t": t, "latency": latency, "done": t + latency, "code": code, "error": error, "body": body,
            "key": key if code == 201 else None}


def key(i):
    return f"{RUN}:{PHASE}:{i:07d}"


class RowTest(unittest.TestCase):
    def setUp(self):
        self.results = [answer(100.0 + i, 201, key(i)) for i in range(5)]  # before the fault at 105
        self.results += [
            answer(105.5, 503, body=f"<h1>{MARK}</h1>"),
            answer(106.0, 504),
            answer(107.0, 0, latency=10.0, error="context deadline exceeded (Client.Timeout exceeded)"),
            answer(108.0, 503, body=f"<h1>{MARK}</h1>"),
            answer(111.0, 201, key(9)),
            answer(112.0, 201, key(10)),
        ]
        self.db = [(key(i), f"rehearsal:{RUN}:{PHASE}", 1) for i in list(range(5)) + [9]]  # 10 is lost
        self.db.append((key(11), f"rehearsal:{RUN}:{PHASE}", 2))  # recorded twice, never confirmed
        self.samples = [{"t": 104.0 + i, "ready": 3, "endpoints": e} for i, e in enumerate([3, 3, 0, 0, 0, 1, 2, 3])]

    def test_answers_ledger_and_timings(self):
        r = faults.row(RUN, FAULT, VIA, 105.0, MARK, self.results, self.db, self.samples)
        self.assertEqual((r["sent"], r["donations"], r["fallback"], r["raw_errors"]), (11, 7, 2, 2))
        self.assertEqual(r["errors"], {"504": 1, "Client.Timeout": 1})
        self.assertEqual((r["lost"], r["duplicates"], r["recorded_without_201"]), (1, 1, 1))
        self.assertAlmostEqual(r["to_first_fallback"], 0.5)
        # Not a donation from 105.5 until the time-out's end at 117.0.
        self.assertAlmostEqual(r["not_served"], 117.0 - 105.5)
        # The first ready endpoint again at 109; every answer after it a donation from 111.02 on.
        self.assertAlmostEqual(r["ready_to_site"], 111.02 - 109.0, places=2)

    def test_a_fault_without_an_outage_has_no_ready_to_site(self):
        samples = [{"t": 104.0 + i, "ready": 3, "endpoints": 3} for i in range(5)]
        r = faults.row(RUN, FAULT, VIA, 105.0, MARK, self.results[:5], self.db, samples)
        self.assertIsNone(r["ready_to_site"])
        self.assertEqual(r["not_served"], 0.0)


if __name__ == "__main__":
    unittest.main()
