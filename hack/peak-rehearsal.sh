#!/usr/bin/env bash
# A rehearsed broadcast peak on the real node: donations POSTed at a set rate through the ingress stand-in
# (nginx with ingress-nginx's fallback semantics) to one campaign's WordPress pods, their real MariaDB
# behind the emulated RDS, and the HPA on real CPU from metrics-server. Not part of the test runs.
#   hack/peak-rehearsal.sh [--rate 1600] [--duration 180] [--kill-at 90] [--steps "400 800 1600 2400 3200 4800"]
#                          [--step-duration 60] [--max-replicas 6] [--report PATH] [--publish]
# 1. Steps: each rate (donations a minute) for --step-duration seconds; the highest rate with p95 under
#    1 s, no error and no donation lost or recorded twice is the sustained rate, reported as a ratio to
#    1,600 a minute.
# 2. Rehearsal: --rate for --duration seconds; at --kill-at every site pod is killed, and the answers
#    are counted as donations (201), fallback page (503 from the fallback nginx) or errors. The report
#    gives the time from the kill to the first fallback page, the fallback period, and the time from the
#    first ready site pod to the first donation after the outage (vegeta's results and the samples).
# Every request carries its own Idempotency-Key, RUN:PHASE:SEQUENCE (RUN is the run id, a UTC time), in
# vegeta JSON targets read lazily (hack/rehearsal/ledger.py targets). After the run the ledger matches the
# keys that got a 201 (from the response bodies) with the rows the database holds for the run: donations
# lost, duplicates and donations recorded without a 201, for every phase (hack/rehearsal/ledger.py).
# Meanwhile replicas, the HPA's view and the database's connections are sampled every 2 s. Everything of a
# run, the report (Markdown with tables) and its SVG plot included, goes to $STATE_DIR/rehearsal/RUN/; the
# last line printed is the report's path. --report PATH writes the report there instead; --publish also
# writes docs/peak-rehearsal.md and .svg, the committed page (nothing else touches it). vegeta (Go module
# proxy) is the load generator.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

RATE=1600; DURATION=180; KILL_AT=90; STEPS="400 800 1600 2400 3200 4800"; STEP_DURATION=60; MAX_REPLICAS=6
REPORT=
PUBLISH=false
while (($#)); do
  case $1 in
    --rate) RATE=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --kill-at) KILL_AT=$2; shift 2 ;;
    --steps) STEPS=$2; shift 2 ;;
    --step-duration) STEP_DURATION=$2; shift 2 ;;
    --max-replicas) MAX_REPLICAS=$2; shift 2 ;;
    --report) REPORT=$(realpath -m "$2"); shift 2 ;;
    --publish) PUBLISH=true; shift ;;
    *) die "unknown option $1 (see the header of $0)" ;;
  esac
done
COMMAND="hack/peak-rehearsal.sh --rate $RATE --duration $DURATION --kill-at $KILL_AT --steps \"$STEPS\" --step-duration $STEP_DURATION --max-replicas $MAX_REPLICAS"

NS=peak-rehearsal
CAMPAIGN=broadcast
HOST=donate.peak-rehearsal.local
source "$HACK_DIR/stack.sh"
trap 'rc=$?; stack_cleanup; exit $rc' EXIT
trap 'exit 130' INT TERM

"$HACK_DIR/build-tools.sh" bench
stack_up real
# The run id starts every idempotency key and names the run's directory; earlier runs are kept.
RUN_ID=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$STATE_DIR/rehearsal/$RUN_ID
mkdir -p "$OUT"
REPORT=${REPORT:-$OUT/report.md}
log "run $RUN_ID: results in $OUT"

stack_namespace "$NS"
kubectl apply --server-side -f - >/dev/null <<YAML
apiVersion: donations.dev/v1alpha1
kind: CharityCampaign
metadata: {name: $CAMPAIGN, namespace: $NS}
spec:
  className: local
  site: {host: $HOST, title: Friday broadcast rehearsal}
  scaling: {minReplicas: 2, maxReplicas: $MAX_REPLICAS, workersPerPod: 10}
  database: {storageGiB: 20}
  fallback:
    title: So many donations right now
    donateInstructions: Or text SONG to 4333 to donate 5 euros.
YAML
stack_wait_ready "$NS" "$CAMPAIGN" 420
INGRESS_PORT=$("$HACK_DIR/ingress/standin.sh" up)
log "ingress stand-in on 127.0.0.1:$INGRESS_PORT"

# The database, as the site sees it (the Secret the operator wrote).
secret() { kubectl -n "$NS" get secret "$CAMPAIGN-db" -o jsonpath="{.data.$1}" | base64 -d; }
DB_ARGS=(-h "$(secret host)" -P "$(secret port)" -u "$(secret username)" "-p$(secret password)" --skip-ssl -N -B "$(secret database)")
db() { mariadb "${DB_ARGS[@]}" -e "$1" 2>/dev/null; }

sampler() { # every 2 s: time, replicas, ready replicas, HPA desired, HPA CPU %, DB threads connected
  echo "t,replicas,ready,hpa_desired,hpa_cpu,db_connections" > "$OUT/samples.csv"
  while :; do
    local d h c
    d=$(kubectl -n "$NS" get deploy "$CAMPAIGN-site" -o jsonpath='{.status.replicas},{.status.readyReplicas}' 2>/dev/null || echo ",")
    h=$(kubectl -n "$NS" get hpa "$CAMPAIGN-site" -o jsonpath='{.status.desiredReplicas},{.status.currentMetrics[0].resource.current.averageUtilization}' 2>/dev/null || echo ",")
    c=$(db "SHOW GLOBAL STATUS LIKE 'Threads_connected'" | awk '{print $2}')
    echo "$(date +%s.%N),$d,$h,$c" >> "$OUT/samples.csv"
    sleep 2
  done
}

attack() { # name rate-per-minute seconds
  # One target a request, each with its own key: vegeta sends rate x duration requests and, reading the
  # targets lazily, stops at the end of the file instead of sending a key twice. A few spare targets.
  local count=$((($2 * $3 + 59) / 60 + 10))
  python3 "$HACK_DIR/rehearsal/ledger.py" targets --run "$RUN_ID" --phase "$1" --count "$count" \
    --url "http://127.0.0.1:$INGRESS_PORT/wp-json/donations/v1/donate" --host "$HOST" > "$OUT/$1.targets.jsonl"
  "$TOOLS_BIN/vegeta" attack -name "$1" -format json -lazy -targets "$OUT/$1.targets.jsonl" -rate "$2/1m" \
    -duration "${3}s" -timeout 10s -max-workers 200 > "$OUT/$1.bin"
}

sampler & CHILD_PIDS+=($!)
echo "phase,start" > "$OUT/phases.csv"

for rate in $STEPS; do
  log "step: $rate donations a minute for ${STEP_DURATION}s"
  echo "step-$rate,$(date +%s.%N)" >> "$OUT/phases.csv"
  attack "step-$rate" "$rate" "$STEP_DURATION"
  sleep 10  # let the queue drain and the autoscaler settle a little between steps
done

log "rehearsal: $RATE donations a minute for ${DURATION}s; every site pod killed at ${KILL_AT}s"
echo "rehearsal,$(date +%s.%N)" >> "$OUT/phases.csv"
(
  sleep "$KILL_AT"
  echo "kill,$(date +%s.%N)" >> "$OUT/phases.csv"
  kubectl -n "$NS" delete pods -l app.kubernetes.io/component=site --grace-period=0 --force >/dev/null 2>&1
) & CHILD_PIDS+=($!)
attack rehearsal "$RATE" "$DURATION"
sleep 4

db "SHOW GLOBAL STATUS LIKE 'Max_used_connections'" | awk '{print $2}' > "$OUT/max_used_connections"
# The ledger's side of the database: this run's rows by key (every key starts with the run id) and donor
# (rehearsal:RUN:PHASE, so that a row without a key is still counted in its phase). NULL stays "NULL".
db "SELECT idempotency_key, donor, COUNT(*) FROM wp_donations
    WHERE idempotency_key LIKE '$RUN_ID:%' OR donor LIKE 'rehearsal:$RUN_ID:%'
    GROUP BY idempotency_key, donor" > "$OUT/ledger.tsv"
kubectl -n "$NS" get charitycampaign "$CAMPAIGN" -o json > "$OUT/campaign.json"
# JSON keeps each response body (base64), where a 201 names its idempotency key.
for f in "$OUT"/*.bin; do "$TOOLS_BIN/vegeta" encode --to json "$f" > "${f%.bin}.json"; done

{
  echo "machine=$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "commit=$(git -C "$REPO_DIR" rev-parse --short HEAD)$(git -C "$REPO_DIR" diff --quiet || echo ' (with uncommitted changes)')"
  echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
  echo "command=$COMMAND"
  echo "run=$RUN_ID"
} > "$OUT/meta.txt"
python3 "$HACK_DIR/rehearsal/report.py" "$OUT" "$REPORT" "$RATE"
if $PUBLISH; then
  python3 "$HACK_DIR/rehearsal/report.py" "$OUT" "$REPO_DIR/docs/peak-rehearsal.md" "$RATE" 2>/dev/null
  log "published: $REPO_DIR/docs/peak-rehearsal.md"
fi
log "report:"
echo "$REPORT"
