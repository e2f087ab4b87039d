#!/usr/bin/env python3
"""The fault rehearsal's figures (hack/fault-rehearsal.sh): one fault under load, summed up as a row, and
the report of a whole run.

    faults.py row --run RUN --fault NAME --via PROXY --fault-time EPOCH --marker TEXT \
                  RESULTS.json DB_ROWS.tsv SAMPLES.csv > ROW.json
    faults.py report RUN_DIR REPORT.md        every RUN_DIR/*.row.json as one table, a plot per fault

An answer is a donation (201), the fallback page (a 503 whose body carries the campaign's fallback
title, MARKER) or a raw error (anything else: a 404, 500, 502, a 503 without the page, a reset, a
time-out). Per fault: requests sent, donations, fallback pages, raw errors (with their kinds), the ledger
(hack/rehearsal/ledger.py: donations lost, duplicates, recorded without a 201), p95 and p99, the time from
the fault to the first fallback page, how long donors were not served the site (first to last answer
that was not a donation), and the time from the first ready site pod after the fault (sampled every
second) to the first donation after it.

Standard library only.
"""
import csv
import glob
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ledger  # noqa: E402

FIELDS = [
    ("fault", "fault"), ("via", "through"), ("sent", "sent"), ("donations", "donations (201)"),
    ("fallback", "fallback page"), ("raw_errors", "raw errors"), ("lost", "lost"), ("duplicates", "duplicates"),
    ("recorded_without_201", "recorded without a 201"), ("to_first_fallback", "fault to first fallback"),
    ("not_served", "site not served"), ("ready_to_site", "first ready pod to site"), ("p95", "p95"), ("p99", "p99"),
]


def kind(code, body, marker):
    if code == 201:
        return "donation"
    if code == 503 and marker in body:
        return "fallback"
    return "error"


def error_name(r):
    if r["code"]:
        return str(r["code"])
    e = r["error"] or "no answer"
    for short in ("timeout", "Client.Timeout", "connection reset", "connection refused", "EOF"):
        if short in e:
            return short
    return e[:60]


def pct(values, p):
    if not values:
        return None
    v = sorted(values)
    return v[max(0, min(len(v) - 1, int(round(p / 100.0 * len(v) + 0.5)) - 1))]


def read_samples(path):
    """t, ready site pods (the Deployment's readyReplicas), ready endpoints of the site Service."""
    out = []
    with open(path) as f:
        for row in csv.DictReader(f):
            try:
                out.append({"t": float(row["t"]), "ready": int(row["ready"] or 0),
                            "endpoints": int(row["endpoints"] or 0)})
            except (ValueError, KeyError):
                continue
    return out


def row(run, fault, via, fault_time, marker, results, db_rows, samples):
    for r in results:
        r["kind"] = kind(r["code"], r["body"], marker)
    ledger_figures = ledger.check(run, fault if via is None else f"{fault}-{via}", results, db_rows)
    lat = [r["latency"] for r in results]
    errors = {}
    for r in results:
        if r["kind"] == "error":
            name = error_name(r)
            errors[name] = errors.get(name, 0) + 1
    after = [r for r in results if r["t"] >= fault_time]
    first_fallback = next((r["t"] for r in after if r["kind"] == "fallback"), None)
    not_donations = [r for r in after if r["kind"] != "donation"]
    not_served = (max(r["done"] for r in not_donations) - not_donations[0]["t"]) if not_donations else 0.0
    # The first sample after the fault with a ready site pod, after the lowest point it fell to.
    later = [s for s in samples if s["t"] >= fault_time]
    ready_at = None
    if later:
        low = min(s["endpoints"] for s in later)
        dipped = False
        for s in later:
            if s["endpoints"] == low:
                dipped = True
            elif dipped and s["endpoints"] > low:
                ready_at = s["t"] if low == 0 else None
                break
    ready_to_site = None
    if ready_at is not None:
        first = next((r for r in results if r["t"] >= ready_at and r["kind"] == "donation"), None)
        if first is not None:
            # Donors get the site again once no answer after the pod's return is anything else.
            last_other = max((r["done"] for r in results if r["t"] >= ready_at and r["kind"] != "donation"),
                             default=None)
            ready_to_site = max(first["done"], last_other or 0) - ready_at
    return {
        "fault": fault, "via": via, "fault_time": fault_time, "sent": len(results),
        "donations": sum(1 for r in results if r["kind"] == "donation"),
        "fallback": sum(1 for r in results if r["kind"] == "fallback"),
        "raw_errors": sum(errors.values()), "errors": dict(sorted(errors.items(), key=lambda x: -x[1])),
        "lost": ledger_figures["lost"], "duplicates": ledger_figures["duplicates"],
        "recorded_without_201": ledger_figures["recorded_without_201"],
        "ledger_examples": ledger_figures["examples"],
        "to_first_fallback": None if first_fallback is None else first_fallback - fault_time,
        "not_served": not_served, "ready_to_site": ready_to_site,
        "p95": pct(lat, 95), "p99": pct(lat, 99),
        "series": series(results, samples, fault_time),
    }


def series(results, samples, fault_time):
    """Answers a second by kind, and ready endpoints, relative to the first request."""
    if not results:
        return {}
    t0 = results[0]["t"]
    n = int(results[-1]["t"] - t0) + 1
    counts = {k: [0] * n for k in ("donation", "fallback", "error")}
    for r in results:
        counts[r["kind"]][int(r["t"] - t0)] += 1
    return {"t0": t0, "fault": fault_time - t0, **counts,
            "endpoints": [[round(s["t"] - t0, 1), s["endpoints"]] for s in samples if s["t"] >= t0]}


def seconds(x):
    return "-" if x is None else f"{x:.1f} s"


def cell(r, key):
    v = r.get(key)
    if key in ("to_first_fallback", "not_served", "ready_to_site"):
        return seconds(v)
    if key in ("p95", "p99"):
        return "-" if v is None else f"{v * 1000:.0f} ms"
    if key == "raw_errors" and v:
        return f"{v} ({', '.join(f'{n} x {k}' for k, n in list(r['errors'].items())[:3])})"
    return str(v)


def svg(r, path):
    s = r["series"]
    if not s:
        return
    n = len(s["donation"])
    w, h, left, top = 720, 220, 40, 10
    peak = max([a + b + c for a, b, c in zip(s["donation"], s["fallback"], s["error"])] + [1])
    ymax_pods = max([e for _, e in s["endpoints"]] + [1])
    x = lambda t: left + (w - left - 10) * t / max(n, 1)  # noqa: E731
    y = lambda v, top_v: top + (h - top - 30) * (1 - v / top_v)  # noqa: E731
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="11">',
             f'<text x="{left}" y="{h - 8}">seconds; bars: answers a second (green donation, orange fallback page, '
             f'red raw error); blue: ready site endpoints (0..{ymax_pods}); red line: the fault</text>']
    for i in range(n):
        base = 0
        for k, colour in (("donation", "#2e7d32"), ("fallback", "#ef6c00"), ("error", "#c62828")):
            v = s[k][i]
            if v:
                parts.append(f'<rect x="{x(i):.1f}" y="{y(base + v, peak):.1f}" width="{max(x(1) - x(0), 1):.1f}" '
                             f'height="{y(base, peak) - y(base + v, peak):.1f}" fill="{colour}"/>')
                base += v
    pts = " ".join(f"{x(t):.1f},{y(e, ymax_pods):.1f}" for t, e in s["endpoints"])
    if pts:
        parts.append(f'<polyline points="{pts}" fill="none" stroke="#1565c0" stroke-width="1.5"/>')
    fx = x(s["fault"])
    parts.append(f'<line x1="{fx:.1f}" y1="{top}" x2="{fx:.1f}" y2="{h - 30}" stroke="red" stroke-dasharray="4"/>')
    parts.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(parts) + "\n")


def report(run_dir, out):
    rows = []
    for p in sorted(glob.glob(os.path.join(run_dir, "*.row.json"))):
        with open(p) as f:
            rows.append(json.load(f))
    meta = {}
    if os.path.exists(os.path.join(run_dir, "meta.txt")):
        with open(os.path.join(run_dir, "meta.txt")) as f:
            meta = dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)
    out_dir = os.path.dirname(os.path.abspath(out))
    lines = [
        "# Faults under peak load",
        "",
        "Each fault hits one campaign while donations arrive at a steady rate through the named proxy, on the",
        "test bed's three real nodes with NetworkPolicies enforced (kube-network-policies). Every donation",
        "carries its own idempotency key; afterwards the ledger compares every 201 with the database.",
        "",
        f"- Machine: {meta.get('machine', '?')}",
        f"- Commit: {meta.get('commit', '?')}; run {meta.get('date', '?')}",
        f"- Command: `{meta.get('command', '?')}`",
        "",
        "| " + " | ".join(label for _, label in FIELDS) + " |",
        "|" + "|".join("---" if k in ("fault", "via") else "---:" for k, _ in FIELDS) + "|",
    ]
    for r in rows:
        lines.append("| " + " | ".join(cell(r, k) for k, _ in FIELDS) + " |")
    lines += [
        "",
        "Raw errors are every answer that is neither a donation nor the fallback page. *Site not served*: from",
        "the first answer after the fault that was not a donation to the end of the last one. *First ready pod",
        "to site*: from the first sample (every second) with a ready endpoint after they all went, to the",
        "moment after which every answer was a donation.",
        "",
        "What these figures made the operator change, and what remains, is in [reliability.md](reliability.md).",
        "Not rehearsed: the EFS mount stalling. The test bed's EFS is a bind mount of a host directory",
        "(hack/efs-csi); making it hang safely needs a file server that can be paused (a user-space NFS server",
        "under SIGSTOP), which the test bed does not have, and a hung host mount leaves processes in",
        "uninterruptible sleep that `down` could not remove.",
        "",
    ]
    for r in rows:
        name = f"{r['fault']}-{r['via']}"
        svg(r, os.path.join(out_dir, f"faults-{name}.svg"))
        lines.append(f"### {r['fault']} through {r['via']}")
        lines.append("")
        lines.append(f"![answers a second, {name}](faults-{name}.svg)")
        if r["ledger_examples"]["lost"]:
            lines.append(f"\nLost (first keys): {', '.join(r['ledger_examples']['lost'])}")
        lines.append("")
    with open(out, "w") as f:
        f.write("\n".join(lines))


def main(argv):
    if argv[:1] == ["report"]:
        report(argv[1], argv[2])
        return 0
    if argv[:1] != ["row"]:
        sys.stderr.write(__doc__)
        return 2
    args, files = {}, []
    it = iter(argv[1:])
    for a in it:
        if a.startswith("--"):
            args[a[2:]] = next(it)
        else:
            files.append(a)
    with open(files[0]) as f:
        results = ledger.read_results(f)
    with open(files[1]) as f:
        db_rows = ledger.read_db_rows(f)
    r = row(args["run"], args["fault"], args["via"], float(args["fault-time"]), args["marker"], results, db_rows,
            read_samples(files[2]))
    json.dump(r, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
