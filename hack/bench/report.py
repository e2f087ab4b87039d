"""The benchmark's table, docs/benchmarks.md and its SVG (campaigns Ready over time, operator and floor)."""
import datetime
import math
import os
import re

from .campaigns import MAX_REPLICAS, MIN_REPLICAS

LEASE = "coordination.k8s.io"


def machine():
    cpu = open("/proc/cpuinfo").read()
    models = re.findall(r"^model name\s*:\s*(.+)$", cpu, re.M)
    mem = re.search(r"^MemTotal:\s*(\d+) kB", open("/proc/meminfo").read(), re.M)
    return {"cpus": len(re.findall(r"^processor\s*:", cpu, re.M)), "model": models[0] if models else "?",
            "mem_gib": int(mem.group(1)) / 1024 / 1024 if mem else 0, "kernel": os.uname().release}


def is_read(action):
    return action.startswith(("Describe", "Get", "List", "Head"))


def aws_split(aws):
    reads = sum(c for acts in aws.values() for a, c in acts.items() if is_read(a))
    total = sum(c for acts in aws.values() for c in acts.values())
    return reads, total - reads


def k8s_split(writes):
    """(writes that persist something other than the Lease, Lease writes). Access and token reviews are
    `create` requests that persist nothing: not counted."""
    lease = sum(c for k, c in writes.items() if k.endswith(" leases"))
    reviews = sum(c for k, c in writes.items() if k.endswith("reviews"))
    return sum(writes.values()) - lease - reviews, lease


def f(x, fmt="{:.1f}", none="-"):
    return none if x is None else fmt.format(x)


def rows(run):
    """(label, [value per N]) for the table."""
    R = run["results"]
    out = []

    def row(label, fn):
        vals = []
        for r in R:
            try:
                vals.append(fn(r))
            except (KeyError, TypeError, ZeroDivisionError):
                vals.append("-")
        out.append((label, vals))

    row("campaigns Ready", lambda r: f"{r['converge']['ready']}/{r['n']}")
    row("all Ready after (s)", lambda r: f(r["converge"]["seconds"]))
    row("floor: all done after (s); all written", lambda r: f"{f(r['floor']['seconds'])}; {f(r['floor']['written_seconds'])}")
    row("converge / floor", lambda r: f(r["converge"]["seconds"] / r["floor"]["seconds"], "{:.2f}"))
    row("create to first reconcile (first write) p50 / p99 (s)", lambda r: pq(r["converge"]["first_write"]))
    row("create to first status write p50 / p99 (s)", lambda r: pq(r["converge"]["first_status"]))
    row("create to first observedGeneration p50 / p99 (s)", lambda r: pq(r["converge"]["first_status_watched"]))
    row("reconciles/s while converging (total)", lambda r: f"{r['converge']['reconciles_per_s']:.1f} ({r['converge']['reconciles']:.0f})")
    row("operator CPU s while converging", lambda r: f(r["converge"]["cpu"]))
    row("K8s writes while converging, per campaign (events too)", lambda r: f(k8s_split(r["converge"]["k8s_writes"])[0] / r["n"]))
    row("AWS calls while converging, per campaign (describes)",
        lambda r: "{:.1f} ({:.1f})".format(sum(aws_split(r["converge"]["aws"])) / r["n"], aws_split(r["converge"]["aws"])[0] / r["n"]))
    row("steady: K8s writes/min, no Lease (Lease)", lambda r: per_min_k8s(r["steady"]))
    row("steady: AWS requests/min (mutating)", lambda r: per_min_aws(r["steady"]))
    row("steady: operator CPU s/min", lambda r: f(r["steady"]["cpu"] / r["steady"]["seconds"] * 60, "{:.2f}"))
    row("steady: reconciles/min", lambda r: f(r["steady"]["reconciles"] / r["steady"]["seconds"] * 60))
    row("heap after full GC / RSS (MiB)", lambda r: f"{r['memory']['heap_used_mib']:.0f} / {r['memory']['rss_mib']:.0f}")
    row("restart: informers synced and leading / ready (s)", lambda r: f"{f(r['restart'].get('started'))} / {f(r['restart'].get('ready'))}")
    row("restart: first / all N reconciled (s)", lambda r: "{} / {}".format(
        f(r["restart"].get("first_reconcile"), none=f"> {r['restart']['seconds']:.0f}"),
        f(r["restart"].get("all_reconciled"), none=f"> {r['restart']['seconds']:.0f}")))
    row("restart window: K8s writes, no Lease (Lease)", lambda r: "{} ({})".format(*k8s_split(r["restart"]["k8s_writes"])))
    row("restart window: AWS describes / mutating", lambda r: "{} / {}".format(*aws_split(r["restart"]["aws"])))
    return out


def pq(p):
    return "-" if not p else f"{p['p50']:.2f} / {p['p99']:.2f}"


def per_min_k8s(w):
    other, lease = k8s_split(w["k8s_writes"])
    m = w["seconds"] / 60
    return f"{other / m:.1f} ({lease / m:.1f})"


def per_min_aws(w):
    reads, mutating = aws_split(w["aws"])
    m = w["seconds"] / 60
    return f"{(reads + mutating) / m:.1f} ({mutating / m:.1f})"


def table(run, md=False):
    header = ["N"] + [str(r["n"]) for r in run["results"]]
    body = [[label, *vals] for label, vals in rows(run)]
    if md:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(r) + " |" for r in body]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in [header] + body) for i in range(len(header))]
    fmt = lambda r: "  ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r))
    return "\n".join([fmt(header), "-" * (sum(widths) + 2 * len(widths))] + [fmt(r) for r in body])


def svg(run, path):
    """Campaigns Ready against seconds since the first create, one panel per N: the operator (solid) and
    the floor (dashed)."""
    R = [r for r in run["results"] if r["converge"]["curve"]]
    w, h, left, right, top, gap = 760, 190, 60, 20, 30, 50
    height = top + len(R) * (h + gap)
    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{height}" font-family="sans-serif" font-size="11">',
         f'<rect width="{w}" height="{height}" fill="white"/>',
         f'<text x="{left}" y="18" font-size="13">Campaigns Ready after the first create: operator (solid), floor client (dashed)</text>']
    for k, r in enumerate(R):
        y0 = top + k * (h + gap) + 10
        n = r["n"]
        op, fl = r["converge"]["curve"], (r.get("floor") or {}).get("curve") or []
        tmax = max(op + fl + [1.0]) * 1.05
        pw = w - left - right
        X = lambda t: left + t / tmax * pw
        Y = lambda c: y0 + h - c / n * h
        o.append(f'<rect x="{left}" y="{y0}" width="{pw}" height="{h}" fill="none" stroke="#999"/>')
        o.append(f'<text x="{left + 4}" y="{y0 + 14}" font-size="12">N = {n}</text>')
        for t in nice_ticks(tmax):
            o.append(f'<text x="{X(t):.1f}" y="{y0 + h + 14}" text-anchor="middle">{t:g} s</text>')
            o.append(f'<line x1="{X(t):.1f}" x2="{X(t):.1f}" y1="{y0}" y2="{y0 + h}" stroke="#eee"/>')
        for c in nice_ticks(n):
            o.append(f'<text x="{left - 4}" y="{Y(c) + 4:.1f}" text-anchor="end">{c:g}</text>')
            o.append(f'<line x1="{left}" x2="{left + pw}" y1="{Y(c):.1f}" y2="{Y(c):.1f}" stroke="#eee"/>')
        for curve, style in ((op, 'stroke="#1f77b4" stroke-width="2"'), (fl, 'stroke="#d62728" stroke-width="2" stroke-dasharray="6,4"')):
            if not curve:
                continue
            pts = [(0.0, 0)]
            for i, t in enumerate(curve):  # a step up at each campaign's time
                pts += [(t, i), (t, i + 1)]
            pts.append((tmax, len(curve)))
            o.append(f'<polyline fill="none" {style} points="' + " ".join(f"{X(t):.1f},{Y(c):.1f}" for t, c in pts) + '"/>')
    o.append("</svg>")
    with open(path, "w") as fh:
        fh.write("\n".join(o) + "\n")


def nice_ticks(top):
    """Round tick values from 0 to top: steps of 1, 2 or 5 times a power of ten, about five of them."""
    raw = top / 5
    mag = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    return [i * step for i in range(int(top // step) + 1)]


def details(r):
    lines = [f"### N = {r['n']}", ""]
    s = r["steady"]
    m = s["seconds"] / 60
    lines.append(f"Steady state, {s['seconds']:.0f} s after all were Ready (per minute):")
    lines.append("")
    lines.append("| AWS service | action | requests/min |")
    lines.append("|---|---|---|")
    for svc, acts in sorted(s["aws"].items()):
        for act, c in sorted(acts.items()):
            lines.append(f"| {svc} | {act} | {c / m:.1f} |")
    if not s["aws"]:
        lines.append("| - | none | 0 |")
    lines.append("")
    lines.append("Operator's Kubernetes writes in that window: " + writes_text(s["k8s_writes"], m)
                 + f"; campaigns that stopped being Ready: {s.get('ready_lost', '-')}.")
    lines.append("")
    rs = r["restart"]
    lines.append(f"Restart with {r['n']} converged campaigns, first {rs['seconds']:.0f} s: Kubernetes writes "
                 + writes_text(rs["k8s_writes"]) + "; AWS " + aws_text(rs["aws"]) + ".")
    lines.append("")
    c = r["converge"]
    lines.append("While converging, AWS calls by action: " + aws_text(c["aws"]) + "; Kubernetes writes: "
                 + writes_text(c["k8s_writes"]) + ".")
    lines.append("")
    cp = {k: v for k, v in c.get("control_plane_cpu", {}).items()}
    if cp:
        lines.append("CPU seconds while converging: operator " + f"{c['cpu']:.0f}, "
                     + ", ".join(f"{k} {v:.0f}" for k, v in sorted(cp.items(), key=lambda x: -x[1]))
                     + (f"; the floor's run: " + ", ".join(f"{k} {v:.0f}" for k, v in sorted(r['floor']['control_plane_cpu'].items(), key=lambda x: -x[1]))
                        if r.get("floor") else "") + ".")
        lines.append("")
    if c.get("answers"):
        lines.append("The operator's requests to the API server while converging, by answer: "
                     + ", ".join(f"{k} {v}" for k, v in sorted(c["answers"].items())) + ".")
        lines.append("")
    return lines


def writes_text(writes, per=None):
    if not writes:
        return "none"
    items = sorted(writes.items(), key=lambda x: -x[1])
    return ", ".join(f"{k} {v / per:.1f}/min" if per else f"{k} {v}" for k, v in items)


def aws_text(aws):
    items = [(f"{s} {a}", c) for s, acts in aws.items() for a, c in acts.items()]
    if not items:
        return "none"
    return ", ".join(f"{k} {c}" for k, c in sorted(items, key=lambda x: -x[1]))


def write(run, path):
    base = os.path.splitext(path)[0]
    svg(run, base + ".svg")
    mc = run["machine"]
    when = datetime.datetime.fromtimestamp(run["started"]).strftime("%Y-%m-%d %H:%M")
    minutes = (run["finished"] - run["started"]) / 60
    text = [
        "# Benchmarks",
        "",
        "Generated by `hack/bench.sh` (not part of the test runs); edit the script, not this page.",
        "",
        *([f"**{run['note']}**", ""] if run.get("note") else []),
        f"- Command: `{run['command']}` ({minutes:.0f} min), {when}, commit {run['commit']}",
        f"- Machine: {mc['cpus']} x {mc['model']}, {mc['mem_gib']:.1f} GiB, Linux {mc['kernel']}; load average "
        f"{' '.join(run['load_before'])} before the run (other builds share this machine unless it says otherwise)",
        f"- Operator: `java {run['java_opts']} -jar target/quarkus-app/quarkus-run.jar`, prod profile, a token of the chart's "
        f"ServiceAccount (its RBAC, and its priority level in API priority and fairness), one replica with leader "
        f"election; settings: " + ", ".join(f"`{k}={v}`" for k, v in run["settings"].items()),
        f"- Campaigns: `samples/local/charitycampaign.yaml` with `minReplicas: {MIN_REPLICAS}`, `maxReplicas: {MAX_REPLICAS}` "
        f"(3 kwok pods a campaign instead of 4), in {run['namespaces']} namespaces, all created at once with "
        f"{run['threads']} requests in flight; the sample class `local`. The fallback hold-down is the tests' 3 s "
        f"rather than the product's 30 s, which would add a flat 30 s to every campaign's time to Ready.",
        "- Test bed: `hack/local-cluster.sh` afresh for each N and for each floor run, sized for 1000 campaigns at every N: "
        + "; ".join(f"`{k}={v}`" for k, v in run["sizing"].items()),
        "",
        table(run, md=True),
        "",
        f"![campaigns Ready over time, operator and floor]({os.path.basename(base)}.svg)",
        "",
        "## What is measured",
        "",
        "- **All Ready**: from the first create to the last campaign seen with `Ready=True` through a watch.",
        "- **Floor**: a plain parallel client (`hack/bench/floor.py`) that makes the same things without the "
        "operator, with the same identity and as many workers as the operator has reconcile threads: per campaign "
        "the EFS file system, 3 mount targets and access point, the DB parameter group and instance, the S3 bucket "
        "with its page, then the operator's Kubernetes objects, dumped once from a converged campaign and renamed. "
        "A campaign is done when that is written, its DB instance is `available` and its Deployments are available. "
        "It waits for no poll interval, so the ratio shows what the operator adds to the work itself.",
        "- **First reconcile**: from the API server's audit log, the campaign's create to the operator's first "
        "write to it (its finalizer) and first status write (the facts recorded before anything is created); "
        "**first observedGeneration**: through the watch, the create's answer to the first status that has "
        "`observedGeneration`, written when the workflow's first pass ends.",
        "- **Reconciles**: JOSDK's `reconciliations_started_total` from `/q/metrics`.",
        "- **Steady state**: the window starts when all are Ready. Kubernetes writes are the audit log's records "
        "of the operator's ServiceAccount (the Lease renewals of leader election counted apart); AWS requests are "
        "the AWS front's counters, reset at the window's start; CPU is utime + stime of the operator's process "
        "from `/proc`.",
        "- **Memory**: `jcmd <pid> GC.run`, then `GC.heap_info` (heap in use after a full collection), and VmRSS, "
        "at the end of the steady window.",
        "- **Restart**: the operator stopped with SIGTERM and started again with N converged campaigns: from the "
        "process's start to JOSDK's `Started event processing` log line (informers synced and the Lease taken), "
        "to `/q/health/ready` UP, and to the first and the N-th campaign's first reconcile (JOSDK's dispatcher "
        "logs each reconcile at DEBUG in this run only); and the Kubernetes writes and AWS requests of the "
        "window (the goal: no writes, describes only).",
        "",
        "## Knobs",
        "",
        "The test bed, for 1000 campaigns (17 objects each, plus 3000 kwok pods, their ReplicaSets and EndpointSlices); `hack/local-cluster.sh` takes them "
        "from `LOCAL_*` variables and keeps its defaults when they are unset, so the tests are unchanged:",
        "",
        "| knob | test bed default | benchmark | why |",
        "|---|---|---|---|",
        "| kube-apiserver `--max-requests-inflight` / `--max-mutating-requests-inflight` | 400 / 200 | 800 / 400 | the operator, "
        "the controller manager, the scheduler and kwok write at once; API priority and fairness stays on (the "
        "operator's ServiceAccount is in the `service-accounts` FlowSchema, priority level `workload-low`): a 429 would "
        "show in the details' answers |",
        "| kube-controller-manager `--kube-api-qps` / `--kube-api-burst` | 20 / 30 | 300 / 600 | 1000 ReplicaSets, 3000 pods, "
        "EndpointSlices |",
        "| kube-controller-manager `--concurrent-{deployment,replicaset,service-endpoint}-syncs`, `--concurrent-gc-syncs` | "
        "5, 20 | 20, 40 | |",
        "| kube-controller-manager `--horizontal-pod-autoscaler-sync-period` | 5s | 15s (Kubernetes' default) | 1000 HPAs "
        "with no metrics server |",
        "| kube-scheduler `--kube-api-qps` / `--kube-api-burst` | 50 / 100 | 300 / 600 | binding 3000 pods |",
        "| kwok node capacity (`LOCAL_KWOK_NODE_PODS`) | 110 pods | 1500 pods | 3 nodes, one per zone |",
        "| etcd `--quota-backend-bytes` | 2 GiB | 4 GiB | headroom |",
        "",
        "The operator, to compare before and after (`--threads`, `--operator-env`, `--java-opts`):",
        "",
        "| knob | default | what it changes |",
        "|---|---|---|",
        "| `QUARKUS_OPERATOR_SDK_CONCURRENT_RECONCILIATION_THREADS` (`--threads`) | 50 (JOSDK) | campaigns reconciled at "
        "once; `--threads` also sets the floor's and the creator's parallelism |",
        "| `QUARKUS_OPERATOR_SDK_CONCURRENT_WORKFLOW_THREADS` | 50 (JOSDK) | dependents run at once, shared by all "
        "workflows |",
        "| `QUARKUS_OPERATOR_SDK_CACHE_SYNC_TIMEOUT` | 2m | how long start-up waits for the informers' first lists |",
        "| `DONATION_POLLING_PROVISIONING` / `DONATION_POLLING_STEADY` | 10s / 5m | AWS describes while creating (an RDS "
        "instance `available` after 3 s is seen at the next poll) and once converged |",
        "| `DONATION_AWS_MAX_ATTEMPTS` | 10 | the SDK's adaptive retry, which also rate-limits the client after throttling |",
        "| `-Dhttp.maxConnections` (`--java-opts`) | 5 | idle keep-alive connections per host of the JDK's HttpURLConnection, "
        "which the AWS SDK's url-connection client uses: more threads than that open new connections |",
        "| Kubernetes client rate limit | none | fabric8 7.6 with Quarkus's Vert.x client has no client-side QPS limit "
        "(client-go's 5 QPS does not apply) and a pool of 8192 connections; `kubernetes.max.concurrent.requests` "
        "is an OkHttp setting and is not used |",
        "| `--java-opts -Xmx…` | 384m | the heap (the image runs with `MaxRAMPercentage=75` of the chart's 512Mi limit) |",
        "",
        "## Details",
        "",
    ]
    for r in run["results"]:
        text += details(r)
    with open(path, "w") as fh:
        fh.write("\n".join(text).rstrip() + "\n")
