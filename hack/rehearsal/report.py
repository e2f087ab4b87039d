#!/usr/bin/env python3
"""The peak rehearsal's report: figures from vegeta's results and the samples hack/peak-rehearsal.sh took,
the donation ledger (ledger.py) and the kill timeline (timeline.py), as a Markdown page and an SVG plot
(request rate, p95 latency and replicas over time) beside it.

    report.py OUT_DIR REPORT.md TARGET_RATE_PER_MINUTE

OUT_DIR holds meta.txt (with run=RUN), phases.csv, samples.csv, <phase>.json (`vegeta encode --to json`),
ledger.tsv (the database's rows of the run by key and donor), campaign.json and max_used_connections.
Standard library only.
"""
import csv
import json
import os
import sys

try:
    from . import ledger, timeline
except ImportError:  # run as a script
    import ledger
    import timeline

FALLBACK_MARK = "So many donations right now"  # the campaign's fallback title in peak-rehearsal.sh


def kind(code, body):
    return "donation" if code == 201 else ("fallback" if code == 503 and FALLBACK_MARK in body else "error")


def read_results(path):
    """vegeta's results of one phase (`vegeta encode --to json`), each with its kind of answer."""
    with open(path) as f:
        rows = ledger.read_results(f)
    for r in rows:
        r["kind"] = kind(r["code"], r["body"])
        del r["body"]  # a run keeps tens of thousands
    return rows


def pct(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(round(p / 100.0 * len(v) + 0.5)) - 1))
    return v[k]


def summary(rows, seconds):
    lat = [r["latency"] for r in rows]
    n = len(rows)
    kinds = {k: sum(1 for r in rows if r["kind"] == k) for k in ("donation", "fallback", "error")}
    return {
        "n": n,
        "rate": n / seconds * 60 if seconds else 0,
        "p50": pct(lat, 50), "p95": pct(lat, 95), "p99": pct(lat, 99),
        **kinds,
        "error_rate": (n - kinds["donation"]) / n if n else 1.0,
        "codes": sorted({r["code"] for r in rows}),
    }


def ms(x):
    return f"{x * 1000:.0f} ms"


def svg_plot(rows, samples, phases, t0, path):
    width, left, panel_h, gap = 900, 60, 150, 40
    t_end = max([r["t"] for r in rows] + [s["t"] for s in samples] + [t0 + 1])
    span = t_end - t0
    bucket = 5.0
    buckets = {}
    for r in rows:
        b = int((r["t"] - t0) // bucket)
        buckets.setdefault(b, []).append(r)
    # Buckets without a request (between steps) count as zero, so the lines do not bridge the pauses.
    for b in range(0, int(span // bucket) + 1):
        buckets.setdefault(b, [])
    series_rate = [((b + 0.5) * bucket, len(v) / bucket * 60) for b, v in sorted(buckets.items())]
    series_p95 = [((b + 0.5) * bucket, pct([r["latency"] for r in v], 95) if v else 0.0) for b, v in sorted(buckets.items())]
    series_err = [((b + 0.5) * bucket, sum(1 for r in v if r["kind"] != "donation") / bucket * 60) for b, v in sorted(buckets.items())]
    series_rep = [(s["t"] - t0, s["replicas"]) for s in samples if s["replicas"] is not None]
    series_ready = [(s["t"] - t0, s["ready"]) for s in samples if s["ready"] is not None]
    panels = [
        ("requests a minute (green: donations + fallback + errors; red: not a donation)", [(series_rate, "#2a7"), (series_err, "#c33")]),
        ("p95 latency (s), 5 s buckets", [(series_p95, "#36c")]),
        ("site replicas (black) and ready replicas (orange)", [(series_rep, "#000"), (series_ready, "#e80")]),
    ]
    height = len(panels) * (panel_h + gap) + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>']
    plot_w = width - left - 20
    for i, (title, lines) in enumerate(panels):
        top = 20 + i * (panel_h + gap)
        ymax = max([y for s, _ in lines for _, y in s if y == y] + [1]) * 1.1
        out.append(f'<text x="{left}" y="{top - 6}">{title}</text>')
        out.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{panel_h}" fill="none" stroke="#999"/>')
        for frac in (0, 0.5, 1):
            y = top + panel_h - frac * panel_h
            out.append(f'<text x="{left - 5}" y="{y + 4:.0f}" text-anchor="end">{ymax * frac:.3g}</text>')
        for name, start in phases:
            x = left + (start - t0) / span * plot_w
            color = "#c33" if name == "kill" else "#bbb"
            out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + panel_h}" stroke="{color}" stroke-dasharray="3,3"/>')
            if i == 0:
                out.append(f'<text x="{x + 2:.1f}" y="{top + 12}" fill="{color}">{name}</text>')
        for series, color in lines:
            pts = " ".join(f"{left + t / span * plot_w:.1f},{top + panel_h - (y / ymax) * panel_h:.1f}" for t, y in series if y == y)
            if pts:
                out.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="1.5"/>')
    out.append(f'<text x="{left + plot_w / 2}" y="{height - 6}" text-anchor="middle">seconds since the first step</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main():
    out_dir, report, target = sys.argv[1], sys.argv[2], int(sys.argv[3])
    meta = dict(line.rstrip("\n").split("=", 1) for line in open(os.path.join(out_dir, "meta.txt")))
    phases = [(r["phase"], float(r["start"])) for r in csv.DictReader(open(os.path.join(out_dir, "phases.csv")))]
    samples = []
    for r in csv.DictReader(open(os.path.join(out_dir, "samples.csv"))):
        def num(v):
            return int(v) if v not in ("", None) else None
        samples.append({"t": float(r["t"]), "replicas": num(r["replicas"]), "ready": num(r["ready"]),
                        "hpa_desired": num(r["hpa_desired"]), "hpa_cpu": num(r["hpa_cpu"]), "db": num(r["db_connections"])})
    campaign = json.load(open(os.path.join(out_dir, "campaign.json")))
    budget = campaign.get("status", {}).get("connectionBudget", {})
    max_used = open(os.path.join(out_dir, "max_used_connections")).read().strip()
    run = meta["run"]
    with open(os.path.join(out_dir, "ledger.tsv")) as f:
        db_rows = ledger.read_db_rows(f)
    rows_in_db = sum(n for _, _, n in db_rows)
    ledgers = []

    step_names = [p for p, _ in phases if p.startswith("step-")]
    steps = []
    all_rows = []
    for name in step_names:
        rows = read_results(os.path.join(out_dir, name + ".json"))
        all_rows += rows
        rate = int(name.split("-")[1])
        seconds = (rows[-1]["t"] - rows[0]["t"]) if len(rows) > 1 else 1
        s = summary(rows, seconds)
        s["target"] = rate
        s["ledger"] = ledger.check(run, name, rows, db_rows)
        s["ok"] = (s["p95"] < 1.0 and s["n"] > 0 and s["donation"] == s["n"]
                   and s["ledger"]["lost"] == 0 and s["ledger"]["duplicates"] == 0)
        steps.append(s)
        ledgers.append((f"step {rate} a minute", s["n"], s["ledger"]))
    rehearsal = read_results(os.path.join(out_dir, "rehearsal.json"))
    all_rows += rehearsal
    ledgers.append(("rehearsal with the kill", len(rehearsal), ledger.check(run, "rehearsal", rehearsal, db_rows)))
    start = dict(phases).get("rehearsal")
    kill = dict(phases).get("kill")
    before = [r for r in rehearsal if kill is None or r["t"] < kill]
    after = [r for r in rehearsal if kill is not None and r["t"] >= kill]
    rh_all = summary(rehearsal, (rehearsal[-1]["t"] - rehearsal[0]["t"]) if len(rehearsal) > 1 else 1)
    rh_before = summary(before, (before[-1]["t"] - before[0]["t"]) if len(before) > 1 else 1)
    rh_after = summary(after, (after[-1]["t"] - after[0]["t"]) if len(after) > 1 else 1)
    sustained = max([s["target"] for s in steps if s["ok"]], default=0)
    t0 = min(r["t"] for r in all_rows) if all_rows else phases[0][1]
    reh_samples = [s for s in samples if start is None or s["t"] >= start]
    svg = os.path.splitext(report)[0] + ".svg"
    svg_plot(all_rows, samples, phases, t0, svg)

    peak_reps = max([s["replicas"] or 0 for s in samples], default=0)
    peak_db = max([s["db"] or 0 for s in samples], default=0)
    tl = timeline.kill_timeline(rehearsal, samples, kill) if kill else None
    lines = [
        "# Peak rehearsal",
        "",
        "A rehearsed broadcast peak on the test bed's real node: donations POSTed through the ingress stand-in",
        "(Debian's nginx, configured from the campaign's Ingress with ingress-nginx's fallback semantics) to the",
        "campaign's WordPress pods (the site image of hack/images), their real MariaDB behind the emulated RDS,",
        "and the HPA acting on real CPU from metrics-server. The load generator is vegeta; everything, load",
        "generator included, shares the machine below.",
        "",
        f"- Machine: {meta['machine']}",
        f"- Commit: {meta['commit']}; run {meta['date']}",
        f"- Command: `{meta['command']}`",
        f"- Run: `{run}` (every donation's idempotency key starts with `{run}:`)",
        "",
        "## Sustained rate",
        "",
        "Each step POSTs donations at a fixed rate; a step passes with p95 under 1 s, every answer a 201 and",
        "no donation lost or recorded twice (see the ledger below).",
        "",
        "| donations a minute | sent | p50 | p95 | p99 | not a donation | status codes | passes |",
        "|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for s in steps:
        lines.append(f"| {s['target']} | {s['n']} | {ms(s['p50'])} | {ms(s['p95'])} | {ms(s['p99'])} | "
                     f"{s['n'] - s['donation']} ({s['error_rate']:.1%}) | {', '.join(map(str, s['codes']))} | {'yes' if s['ok'] else 'no'} |")
    lines += [
        "",
        f"**Highest sustained rate: {sustained} donations a minute = {sustained / 1600:.2f} x the 1,600 a minute target.**",
        "",
        "## Rehearsal with every site pod killed",
        "",
        f"{target} donations a minute; at the dashed red line every site pod was deleted at once (grace period 0).",
        "",
        "| window | sent | donations (201) | fallback page (503) | errors | p50 | p95 | p99 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, s in (("before the kill", rh_before), ("from the kill on", rh_after), ("whole rehearsal", rh_all)):
        lines.append(f"| {label} | {s['n']} | {s['donation']} | {s['fallback']} | {s['error']} | {ms(s['p50'])} | {ms(s['p95'])} | {ms(s['p99'])} |")
    answered = rh_after["donation"] + rh_after["fallback"]
    errors = {}
    for r in rehearsal:
        if r["kind"] == "error":
            key = f"{r['code']} {r['error']}".strip()
            errors[key] = errors.get(key, 0) + 1
    lines += [
        "",
        f"From the kill on, {answered} of {rh_after['n']} requests ({answered / rh_after['n']:.2%}) got an answer a visitor "
        f"can use (a donation or the fallback page) and {rh_after['error']} ({rh_after['error'] / rh_after['n']:.2%}) got an error"
        + (": " + ", ".join(f"{v} x {k}" for k, v in sorted(errors.items())) if errors else "") + "." if rh_after["n"] else "",
        timeline.describe(tl) if tl else "",
        "",
        "## Donation ledger",
        "",
        "Every donation carried its own idempotency key. After each phase, the keys that got a 201 (from the",
        "response bodies) are matched against the rows the database holds for the run: **lost** is a 201 whose",
        "key has no row, **duplicates** are extra rows (a key with more than one row, or a row without a key),",
        "**recorded without a 201** is a row whose request got the fallback page or an error: the donor was not",
        "thanked but the donation is there (a retry with the same key would answer 201 and record nothing new).",
        "",
        "| phase | sent | 201 | rows | lost | duplicates | recorded without a 201 | 201 without a key |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, sent, lg in ledgers:
        lines.append(f"| {label} | {sent} | {lg['confirmed'] + lg['confirmed_without_key']} | {lg['rows']} | {lg['lost']} | "
                     f"{lg['duplicates']} | {lg['recorded_without_201']} | {lg['confirmed_without_key']} |")
    if any(lg["confirmed_without_key"] for _, _, lg in ledgers):
        lines += ["", "Some 201s named no key: the site image predates idempotency keys, so those donations "
                      "could not be checked."]
    lines += [
        "",
        "## Database connections and replicas",
        "",
        "| figure | value |",
        "|---|---:|",
        f"| largest number of connections used (MariaDB `Max_used_connections`) | {max_used} |",
        f"| largest `Threads_connected` sampled every 2 s | {peak_db} |",
        f"| connections the budget requires (`status.connectionBudget.requiredConnections`) | {budget.get('requiredConnections')} |",
        f"| `max_connections` set on the parameter group and applied to the server | {budget.get('configuredMaxConnections')} |",
        f"| most site replicas | {peak_reps} |",
        f"| donation rows written by the whole run (by key or donor `rehearsal:{run}:*`) | {rows_in_db} |",
        "",
        f"![request rate, p95 latency and replicas over time]({os.path.basename(svg)})",
        "",
        "Replicas over the rehearsal (every 10 s): "
        + ", ".join(f"{int(s['t'] - start)}s:{s['replicas']}/{s['ready']}" for s in reh_samples[::5] if start) + " (replicas/ready).",
        "",
    ]
    with open(report, "w") as f:
        f.write("\n".join(l for l in lines) + "\n")
    print("\n".join(lines[13:]), file=sys.stderr)


if __name__ == "__main__":
    main()
