#!/usr/bin/env bash
# A rehearsed broadcast peak on the real node: donations POSTed at a set rate through the ingress stand-in
# (nginx with ingress-nginx's fallback semantics) to one campaign's WordPress pods, their real MariaDB
# behind the emulated RDS, and the HPA on real CPU from metrics-server. Not part of the test runs.
#   hack/peak-rehearsal.sh [--rate 1600] [--duration 180] [--kill-at 90] [--steps "400 800 1600 2400 3200 4800"]
#                          [--step-duration 60] [--max-replicas 6] [--report docs/peak-rehearsal.md]
# 1. Steps: each rate (donations a minute) for --step-duration seconds; the highest rate with p95 under
#    1 s and no error is the sustained rate, reported as a ratio to 1,600 a minute.
# 2. Rehearsal: --rate for --duration seconds; at --kill-at every site pod is killed, and the answers
#    are counted as donations (201), fallback page (503 from the fallback nginx) or errors.
# Meanwhile replicas, the HPA's view and the database's connections are sampled every 2 s. Writes the
# report (Markdown with a table) and an SVG plot beside it. vegeta (Go module proxy) is the load generator.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

RATE=1600; DURATION=180; KILL_AT=90; STEPS="400 800 1600 2400 3200 4800"; STEP_DURATION=60; MAX_REPLICAS=6
REPORT=$REPO_DIR/docs/peak-rehearsal.md
while (($#)); do
  case $1 in
    --rate) RATE=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --kill-at) KILL_AT=$2; shift 2 ;;
    --steps) STEPS=$2; shift 2 ;;
    --step-duration) STEP_DURATION=$2; shift 2 ;;
    --max-replicas) MAX_REPLICAS=$2; shift 2 ;;
    --report) REPORT=$(realpath -m "$2"); shift 2 ;;
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
OUT=$STATE_DIR/rehearsal
rm -rf "$OUT"; mkdir -p "$OUT"

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
  local body='{"amount_cents": 500, "currency": "EUR", "donor": "rehearsal"}'
  printf '%s' "$body" > "$OUT/body.json"
  printf 'POST http://127.0.0.1:%s/wp-json/donations/v1/donate\nHost: %s\nContent-Type: application/json\n@%s\n' \
    "$INGRESS_PORT" "$HOST" "$OUT/body.json" > "$OUT/targets.txt"
  "$TOOLS_BIN/vegeta" attack -name "$1" -targets "$OUT/targets.txt" -rate "$2/1m" -duration "${3}s" \
    -timeout 10s -max-workers 200 > "$OUT/$1.bin"
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
db "SELECT COUNT(*) FROM wp_donations WHERE donor = 'rehearsal'" > "$OUT/rows"
kubectl -n "$NS" get charitycampaign "$CAMPAIGN" -o json > "$OUT/campaign.json"
for f in "$OUT"/*.bin; do "$TOOLS_BIN/vegeta" encode --to csv "$f" > "${f%.bin}.csv"; done

{
  echo "machine=$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "commit=$(git -C "$REPO_DIR" rev-parse --short HEAD)$(git -C "$REPO_DIR" diff --quiet || echo ' (with uncommitted changes)')"
  echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
  echo "command=$COMMAND"
} > "$OUT/meta.txt"
python3 "$HACK_DIR/rehearsal/report.py" "$OUT" "$REPORT" "$RATE"
log "report: $REPORT"
