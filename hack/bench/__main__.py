"""hack/bench.sh's body: see the header there. For each N, on a fresh test bed: the operator run
(convergence, steady state, memory, restart), then on another fresh test bed the floor; then one table
and docs/benchmarks.md with its SVG."""
import argparse
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime

from . import report
from .campaigns import ReadyWatch, create_all, dump_template, name_of, namespace_of
from .cluster import OPERATOR_USER, WRITES, Cluster, log, resource_of
from .floor import Floor
from .kube import Kube, path_of
from .operator import Operator, metric_sum

# Sizing of the test bed for up to 1000 campaigns (3000 kwok pods); the same at every N, so the figures
# compare. Each can be overridden by setting the LOCAL_* variable itself.
SIZING = {
    # Default 400/200. The operator, the controller manager, the scheduler and kwok write at once.
    # The audit log rotates at 100 MB unless told otherwise (lumberjack's default behind maxsize 0): at
    # N=1000 it did, and the figures read from it after a mark came out empty.
    "LOCAL_APISERVER_ARGS": "--max-requests-inflight=800 --max-mutating-requests-inflight=400 --audit-log-maxsize=100000",
    # Default QPS 20 (burst 30) and 5 workers per controller: 3000 pods would take minutes to create.
    # The HPA sync period back at Kubernetes' 15 s (the tests use 5 s): 1000 HPAs without metrics.
    "LOCAL_KCM_ARGS": "--kube-api-qps=300 --kube-api-burst=600 --concurrent-deployment-syncs=20 "
                      "--concurrent-replicaset-syncs=20 --concurrent-service-endpoint-syncs=20 "
                      "--concurrent-gc-syncs=40 --horizontal-pod-autoscaler-sync-period=15s",
    # Default QPS 50 (burst 100) for binding 3000 pods.
    "LOCAL_SCHEDULER_ARGS": "--kube-api-qps=300 --kube-api-burst=600",
    # 3 nodes x 1500 pods (default 110, as a kubelet).
    "LOCAL_KWOK_NODE_PODS": "1500",
    # 3 nodes x 8 CPUs held the requests of only 54 campaigns (about 0.45 CPU each): room for every pod.
    "LOCAL_KWOK_NODE_CPU": "1000",
    "LOCAL_KWOK_NODE_MEMORY": "8Ti",
    # A mount target per campaign in each subnet: a /24 ran out at 251 campaigns (NoFreeAddressesInSubnet).
    "LOCAL_SUBNET_PREFIX": "20",
    "LOCAL_ETCD_ARGS": "--quota-backend-bytes=4294967296",
}
SAMPLE_EVERY = 1.0


def main():
    p = argparse.ArgumentParser(prog="hack/bench.sh", description=__doc__)
    p.add_argument("n", nargs="*", type=int, default=[100, 300, 1000], help="campaign counts (default 100 300 1000)")
    p.add_argument("--steady", type=int, default=300, help="steady-state window after convergence, seconds (default 300)")
    p.add_argument("--restart-window", type=int, default=120, help="window after the operator's restart, seconds (default 120)")
    p.add_argument("--threads", type=int, default=None,
                   help="the operator's reconcile threads (QUARKUS_OPERATOR_SDK_CONCURRENT_RECONCILIATION_THREADS; "
                        "unset: JOSDK's default 50) and the floor's and the creator's parallelism (default 50)")
    p.add_argument("--namespaces", type=int, default=4, help="campaigns spread over this many namespaces (default 4)")
    p.add_argument("--hold-down", default="3s", help="DONATION_ROUTING_FALLBACK_HOLD_DOWN (default 3s as in the tests; the product's is 30s)")
    p.add_argument("--java-opts", default="-Xmx384m", help="JVM options (default -Xmx384m: 75%% of the chart's 512Mi limit, as the image's MaxRAMPercentage=75)")
    p.add_argument("--operator-env", default="", help='more operator settings, e.g. "QUARKUS_OPERATOR_SDK_CONCURRENT_WORKFLOW_THREADS=100"')
    p.add_argument("--timeout", type=int, default=1800, help="longest wait for all Ready, seconds (default 1800)")
    p.add_argument("--no-floor", action="store_true", help="skip the floor client")
    p.add_argument("--floor-only", action="store_true", help="only the floor, from the template an earlier run dumped into --out")
    p.add_argument("--report-only", action="store_true", help="only print the table and write the report again from --out/run.json")
    p.add_argument("--report", default="docs/benchmarks.md", help="Markdown report; the SVG goes beside it")
    p.add_argument("--note", default="", help="a line for the report's head, e.g. what else ran on the machine")
    p.add_argument("--out", default=".bench/results", help="raw results (JSON, operator logs)")
    a = p.parse_args()

    repo = os.environ["REPO_DIR"]
    out = os.path.join(repo, a.out)
    os.makedirs(out, exist_ok=True)
    if a.report_only:
        with open(os.path.join(out, "run.json")) as f:
            run = json.load(f)
        run["note"] = a.note or run.get("note", "")
        print(report.table(run))
        report.write(run, os.path.join(repo, a.report))
        return
    sizing = {k: os.environ.get(k, v) for k, v in SIZING.items()}
    threads = a.threads or 50
    settings = {"DONATION_ROUTING_FALLBACK_HOLD_DOWN": a.hold_down}
    if a.threads:
        settings["QUARKUS_OPERATOR_SDK_CONCURRENT_RECONCILIATION_THREADS"] = str(a.threads)
    settings.update(dict(kv.split("=", 1) for kv in shlex.split(a.operator_env)))
    cluster = Cluster(repo, os.path.join(repo, ".bench", "cluster"), sizing)
    run = {"command": "hack/bench.sh " + " ".join(shlex.quote(x) for x in sys.argv[1:]),
           "machine": report.machine(), "commit": commit(repo), "sizing": sizing, "settings": settings,
           "java_opts": a.java_opts, "threads": threads, "note": a.note, "namespaces": a.namespaces, "started": time.time(),
           "load_before": open("/proc/loadavg").read().split()[:3], "results": []}
    template = None
    if a.floor_only:
        with open(os.path.join(out, "template.json")) as f:
            template = json.load(f)
    try:
        for n in a.n:
            if a.floor_only:
                res = {"n": n}
            else:
                log(f"=== N={n}: operator run")
                res, template = operator_run(cluster, n, a, settings, threads, out, template)
            if not a.no_floor:
                log(f"=== N={n}: floor")
                res["floor"] = floor_run(cluster, n, a, threads, template)
            res["load_after"] = open("/proc/loadavg").read().split()[:3]
            with open(os.path.join(out, f"result-{n}.json"), "w") as f:
                json.dump(res, f, indent=1)
            run["results"].append(res)
    finally:
        cluster.down()
    run["finished"] = time.time()
    if a.floor_only:
        print(json.dumps([r["floor"] for r in run["results"]], indent=1)[:3000])
        return
    with open(os.path.join(out, "run.json"), "w") as f:
        json.dump(run, f, indent=1)
    print()
    print(report.table(run))
    report.write(run, os.path.join(repo, a.report))
    log(f"wrote {a.report} and {os.path.splitext(a.report)[0]}.svg; raw results in {a.out}/")


def operator_run(cluster, n, a, settings, threads, out, template):
    namespaces = [namespace_of(i, a.namespaces) for i in range(min(n, a.namespaces))]
    res = {"n": n}
    cluster.up()
    try:
        cluster.install(namespaces)
        kubeconfig = cluster.operator_kubeconfig()
        java = shlex.split(a.java_opts)
        op = Operator(cluster, kubeconfig, os.path.join(out, f"operator-{n}.log"), java, settings, "bench-1")
        op.wait_ready(180)
        log(f"operator ready (pid {op.pid}); creating {n} campaigns, {threads} at a time")

        # 1. Convergence: all N created at once, until all are Ready.
        watch = ReadyWatch(cluster.admin)
        cluster.aws_reset()
        mark = cluster.audit_mark()
        cpu0, cp0, m0 = op.cpu_seconds(), control_plane_cpu(cluster), op.metrics()
        t0 = time.time()
        created = create_all(cluster.admin, n, a.namespaces, threads)
        log(f"created {n} campaigns in {time.time() - t0:.1f}s; waiting for Ready")
        last = [0.0]

        def progress(k):
            if time.time() - last[0] > 15:
                last[0] = time.time()
                log(f"  {k}/{n} Ready after {time.time() - t0:.0f}s")

        converged = watch.wait_ready(n, a.timeout, progress)
        t_end = time.time()
        m1 = op.metrics()
        conv = {
            "converged": converged, "ready": len(watch.ready), "seconds": (max(watch.ready.values()) - t0) if watch.ready else None,
            "create_seconds": max(created.values()) - t0,
            "curve": sorted(v - t0 for v in watch.ready.values()),
            "cpu": op.cpu_seconds() - cpu0, "control_plane_cpu": diff(control_plane_cpu(cluster), cp0),
            "reconciles": metric_sum(m1, "reconciliations_started_total") - metric_sum(m0, "reconciliations_started_total"),
            "aws": requests_of(cluster.aws_counters()),
        }
        conv["reconciles_per_s"] = conv["reconciles"] / (t_end - t0)
        latencies, writes = first_reconcile(cluster, mark, created, watch)
        conv.update(latencies)
        conv["k8s_writes"] = writes
        res["converge"] = conv
        log(f"{len(watch.ready)}/{n} Ready in {conv['seconds'] or 0:.1f}s; {conv['reconciles']:.0f} reconciles")

        if template is None:
            first = cluster.admin.get(path_of("CharityCampaign", namespace_of(0, a.namespaces), name_of(0)))
            template = dump_template(cluster.admin, first)
            with open(os.path.join(out, "template.json"), "w") as f:
                json.dump(template, f, indent=1)
            log(f"dumped the floor's template from {first['metadata']['namespace']}/{first['metadata']['name']}: "
                f"{len(template['objects'])} objects, {len(template['shared'])} shared")

        # 2. Steady state.
        log(f"steady state for {a.steady}s")
        res["steady"] = window(cluster, op, a.steady, watch)

        # 3. Memory after a full GC.
        used, committed = op.heap_after_gc_mib()
        res["memory"] = {"heap_used_mib": used, "heap_committed_mib": committed, "rss_mib": op.rss_mib()}
        log(f"heap after full GC {used:.0f} MiB (committed {committed:.0f}), RSS {res['memory']['rss_mib']:.0f} MiB")
        watch.stop()

        # 4. Restart with N converged campaigns.
        op.stop()
        log(f"restarting the operator with {n} converged campaigns; watching for {a.restart_window}s")
        res["restart"] = restart(cluster, n, a, kubeconfig, java, settings, out)
        return res, template
    finally:
        for o in list(Operator.running):
            o.stop()
        cluster.down()


def window(cluster, op, seconds, watch=None):
    """What the operator does in a window: its Kubernetes writes (audit log), AWS requests (the front's
    counters, reset at the start), CPU seconds and reconciles."""
    cluster.aws_reset()
    mark = cluster.audit_mark()
    cpu0, cp0, m0 = op.cpu_seconds(), control_plane_cpu(cluster), op.metrics()
    lost0 = watch.lost if watch else 0
    t0 = time.time()
    time.sleep(seconds)
    elapsed = time.time() - t0
    m1 = op.metrics()
    writes = Counter()
    for r in cluster.audit_since(mark, OPERATOR_USER):
        if r["verb"] in WRITES:
            writes[f"{r['verb']} {resource_of(r)}"] += 1
    return {
        "seconds": elapsed, "cpu": op.cpu_seconds() - cpu0, "control_plane_cpu": diff(control_plane_cpu(cluster), cp0),
        "reconciles": metric_sum(m1, "reconciliations_started_total") - metric_sum(m0, "reconciliations_started_total"),
        "k8s_writes": dict(writes), "aws": requests_of(cluster.aws_counters()),
        "aws_errors": cluster.aws_counters().get("errors", {}),
        "ready_lost": (watch.lost - lost0) if watch else None,
    }


# The restarted operator logs each reconcile's start (JOSDK's dispatcher at DEBUG, about two lines per
# reconcile), so the first and the N-th campaign's first reconcile are read from its log.
DISPATCH_DEBUG = '-Dquarkus.log.category."io.javaoperatorsdk.operator.processing.event.ReconciliationDispatcher".level=DEBUG'
LOG_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) ")
RECONCILING = re.compile(r"Reconciling resource execution scope.*?name='([^']*)', namespace='([^']*)'")


def restart(cluster, n, a, kubeconfig, java, settings, out):
    # The window starts before the process does, so the restart's first requests are in it.
    cluster.aws_reset()
    mark = cluster.audit_mark()
    cp0 = control_plane_cpu(cluster)
    t0 = time.time()
    log_path = os.path.join(out, f"operator-{n}-restart.log")
    op = Operator(cluster, kubeconfig, log_path, [*java, DISPATCH_DEBUG], settings, "bench-2")
    times = {}
    while time.time() < t0 + a.restart_window:
        if op.health("ready") == "UP":
            times["ready"] = time.time() - op.started_at
            break
        time.sleep(0.1)
    left = a.restart_window - (time.time() - t0)
    if left > 0:
        time.sleep(left)
    writes = Counter()
    for r in cluster.audit_since(mark, OPERATOR_USER):
        if r["verb"] in WRITES:
            writes[f"{r['verb']} {resource_of(r)}"] += 1
    times.update(startup_from_log(log_path, op.started_at, n))
    res = {"seconds": time.time() - t0, **times, "cpu": op.cpu_seconds(),
           "control_plane_cpu": diff(control_plane_cpu(cluster), cp0), "k8s_writes": dict(writes),
           "aws": requests_of(cluster.aws_counters()), "rss_mib": op.rss_mib()}
    log("restart: " + ", ".join(f"{k} {v:.1f}s" for k, v in sorted(times.items(), key=lambda x: x[1])))
    op.stop()
    return res


def startup_from_log(path, started_at, n):
    """Seconds from the process's start to: Quarkus started (HTTP up), leadership, event processing
    started (informers synced and leader), the first reconcile, and every campaign's first reconcile."""
    times, seen = {}, set()
    marks = {"Started event processing for controller": "started", "is now the leader": "leader",
             "started in": "http"}
    for line in open(path, errors="replace"):
        m = LOG_LINE.match(line)
        if not m:
            continue
        when = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S,%f").timestamp() - started_at
        for text, key in marks.items():
            if text in line and key not in times:
                times[key] = when
        r = RECONCILING.search(line)
        if r:
            times.setdefault("first_reconcile", when)
            seen.add(r.groups())
            if len(seen) >= n:
                times.setdefault("all_reconciled", when)
    return times


def floor_run(cluster, n, a, threads, template):
    namespaces = [namespace_of(i, a.namespaces) for i in range(min(n, a.namespaces))]
    cluster.up()
    try:
        cluster.install(namespaces, crds=False)
        kube = Kube.from_kubeconfig(cluster.operator_kubeconfig(), agent="bench-floor")
        floor = Floor(cluster, kube, template, threads, cluster.create_only())
        cluster.aws_reset()
        cp0 = control_plane_cpu(cluster)
        t0, written, done = floor.run(n, a.namespaces, a.timeout)
        res = {"seconds": max(done.values()) if done else None, "written_seconds": written, "done": len(done),
               "curve": sorted(done.values()), "aws": requests_of(cluster.aws_counters()),
               "control_plane_cpu": diff(control_plane_cpu(cluster), cp0)}
        log(f"floor: {len(done)}/{n} done in {res['seconds'] or 0:.1f}s (all written after {written:.1f}s)")
        return res
    finally:
        cluster.down()


def first_reconcile(cluster, mark, created_client, watch):
    """From the audit log: each campaign's create (as the API server finished it) to the operator's first
    write to it (finalizer or status) and first status write; and the operator's writes, by kind."""
    created, first_write, first_status = {}, {}, {}
    writes, answers = Counter(), Counter()
    for r in cluster.audit_since(mark, needles=(b"charitycampaigns", OPERATOR_USER.encode())):
        if r["user"] == OPERATOR_USER:
            answers[str(r["code"])] += 1
        if r["verb"] not in WRITES:
            continue
        key = f"{r['namespace']}/{r['name']}"
        if r["resource"] == "charitycampaigns" and r["verb"] == "create" and r["user"] != OPERATOR_USER:
            created[key] = r["done"]
        if r["user"] != OPERATOR_USER:
            continue
        writes[f"{r['verb']} {resource_of(r)}"] += 1
        if r["resource"] == "charitycampaigns":
            first_write.setdefault(key, r["received"])
            if r["subresource"] == "status":
                first_status.setdefault(key, r["received"])
    # Should the audit record of a create lack the object's name, the client's time stands in.
    from_audit = len(created)
    for key, t in created_client.items():
        created.setdefault(key, t)
    fw = [first_write[k] - created[k] for k in created if k in first_write]
    fs = [first_status[k] - created[k] for k in created if k in first_status]
    ws = [watch.first_status[k] - created_client[k] for k in created_client if k in watch.first_status]
    return {"first_write": pcts(fw), "first_status": pcts(fs), "first_status_watched": pcts(ws),
            "answers": dict(answers), "created_from_audit": from_audit}, dict(writes)


def pcts(values):
    if not values:
        return None
    v = sorted(values)

    def pct(p):
        return v[min(len(v) - 1, max(0, int(round(p / 100 * len(v) + 0.5)) - 1))]

    return {"n": len(v), "p50": pct(50), "p99": pct(99), "max": v[-1], "mean": statistics.fmean(v)}


def requests_of(counters):
    return {s: dict(a) for s, a in counters.get("requests", {}).items() if s != "moto-api"}


def control_plane_cpu(cluster):
    out = {}
    for c in ("kube-apiserver", "etcd", "moto", "kube-controller-manager", "kube-scheduler", "kwok"):
        try:
            with open(f"/proc/{cluster.pid(c)}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            out[c] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError):
            pass
    return out


def diff(b, a):
    return {k: b[k] - a.get(k, 0) for k in b}


def commit(repo):
    def git(*args):
        return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True).stdout.strip()
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return git("rev-parse", "--short", "HEAD") + (" (with uncommitted changes)" if dirty else "")


if __name__ == "__main__":
    main()
