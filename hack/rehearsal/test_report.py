"""The report end to end on a small made-up run directory: python3 -m unittest (from hack/)."""
import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

from rehearsal import ledger, report
from rehearsal.test_ledger import RUN, created, result


class Report(unittest.TestCase):
    def test_a_run_directory_becomes_a_report_with_the_ledger_and_the_timeline(self):
        with tempfile.TemporaryDirectory() as out:
            def write(name, text):
                with open(os.path.join(out, name), "w") as f:
                    f.write(text)

            t0 = 1796692800.0  # 2026-12-08T01:20:00Z
            write("meta.txt", f"machine=2 cores\ncommit=abc1234\ndate=2026-12-08T01:20Z\ncommand=hack/peak-rehearsal.sh\nrun={RUN}\n")
            write("phases.csv", f"phase,start\nstep-400,{t0}\nrehearsal,{t0 + 10}\nkill,{t0 + 12}\n")
            write("samples.csv", "t,replicas,ready,hpa_desired,hpa_cpu,db_connections\n" + "".join(
                f"{t0 + s},{rep},{ready},2,50,10\n" for s, rep, ready in
                [(0, 2, 2), (11, 2, 2), (13, 2, 2), (15, 2, 0), (17, 2, 1), (19, 2, 2)]))
            k = lambda phase, i: ledger.key(RUN, phase, i)  # noqa: E731
            stamp = lambda s: f"2026-12-08T01:20:{s:02d}Z"  # noqa: E731
            write("step-400.json", "\n".join(result(stamp(i), 201, created(i + 1, k("step-400", i + 1))) for i in range(3)) + "\n")
            fallback = "<h1>" + report.FALLBACK_MARK + "</h1>"
            write("rehearsal.json", "\n".join([
                result(stamp(10), 201, created(10, k("rehearsal", 1))),
                result(stamp(13), 503, fallback),
                result(stamp(14), 503, fallback),
                result(stamp(16), 503, fallback),
                result(stamp(18), 201, created(11, k("rehearsal", 5))),
            ]) + "\n")
            write("ledger.tsv", "".join(f"{k('step-400', i)}\trehearsal:{RUN}:step-400\t1\n" for i in (1, 2, 3))
                  + f"{k('rehearsal', 1)}\trehearsal:{RUN}:rehearsal\t1\n"
                  + f"{k('rehearsal', 2)}\trehearsal:{RUN}:rehearsal\t1\n")  # answered 503, recorded; key 5 lost
            write("campaign.json", json.dumps({"status": {"connectionBudget": {"requiredConnections": 30}}}))
            write("max_used_connections", "12\n")
            md = os.path.join(out, "report.md")
            argv, sys.argv = sys.argv, ["report.py", out, md, "400"]
            try:
                with contextlib.redirect_stderr(io.StringIO()):
                    report.main()
            finally:
                sys.argv = argv
            with open(md) as f:
                text = f.read()
            self.assertTrue(os.path.exists(os.path.join(out, "report.svg")))
        self.assertIn(f"- Run: `{RUN}`", text)
        self.assertIn("| step 400 a minute | 3 | 3 | 3 | 0 | 0 | 0 | 0 |", text)
        self.assertIn("| rehearsal with the kill | 5 | 2 | 2 | 1 | 0 | 1 | 0 |", text)
        self.assertIn("| 400 | 3 |", text)
        self.assertIn("fallback period of 3.0 s (3 pages)", text)
        self.assertIn("fell to 0 at 3.0 s; the first was ready again at 5.0 s and every replica at 7.0 s", text)
        self.assertIn("answered at 6.0 s, 1.0 s after the first ready site pod", text)
        self.assertNotIn("every replica was ready again", text)
        self.assertIn("| donation rows written by the whole run", text)


if __name__ == "__main__":
    unittest.main()
