#!/usr/bin/env bash
# The scale benchmark (issue 12): N campaigns at once on the local control plane with kwok nodes and moto,
# against a floor client that makes the same objects without the operator. Not part of the test runs.
#   hack/bench.sh [--steady 300] [--restart-window 120] [--threads 50] [--namespaces 4] [--hold-down 3s]
#                 [--java-opts -Xmx384m] [--operator-env "K=V ..."] [--timeout 1800] [--no-floor]
#                 [--report docs/benchmarks.md] [--out .bench/results] [--note TEXT] [N ...]  (N: 100 300 1000)
#   hack/bench.sh --report-only [--out DIR] [--note TEXT]    the table and the report again from DIR/run.json
#   hack/bench.sh --floor-only N ...                         the floor alone, from the template in --out
# For each N, on a fresh test bed in .bench/cluster (a test bed in .local-cluster/ is left alone):
#   1. the packaged operator as a process (the chart's ServiceAccount and RBAC); N campaigns created at once;
#      time until all are Ready, create-to-first-reconcile p50/p99 (audit log), reconciles per second;
#   2. steady state for --steady seconds: the operator's Kubernetes writes (audit log), AWS requests per
#      minute by service and action (AWS front counters), operator CPU seconds (/proc);
#   3. heap after a full GC (jcmd) and RSS;
#   4. the operator restarted with N converged campaigns: start to informers synced, ready, first and last
#      reconcile; the writes and AWS calls of the first --restart-window seconds;
#   5. on another fresh test bed, the floor: hack/bench/floor.py makes the same AWS resources and Kubernetes
#      objects with the same parallelism, without the operator.
# Prints one table and writes docs/benchmarks.md with an SVG of campaigns Ready over time.
# Sizing for N=1000 (API server inflight limits, controller manager and scheduler QPS, kwok pod capacity)
# is set through hack/local-cluster.sh's LOCAL_* variables; see SIZING in hack/bench/__main__.py.
# Operator knobs to compare: --threads (reconcile threads), --operator-env (e.g.
# QUARKUS_OPERATOR_SDK_CONCURRENT_WORKFLOW_THREADS, DONATION_POLLING_STEADY), --java-opts.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

command -v jcmd >/dev/null || die "jcmd (a JDK 17) is needed to read the operator's heap"
"$HACK_DIR/build-tools.sh" all
log "building the operator"
(cd "$REPO_DIR" && ./mvnw -q -B package -DskipTests -DskipITs)
cd "$REPO_DIR"
REPO_DIR=$REPO_DIR PYTHONPATH=$HACK_DIR exec "$MOTO_VENV/bin/python" -m bench "$@"
