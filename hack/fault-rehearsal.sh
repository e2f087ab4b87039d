#!/usr/bin/env bash
# Faults under peak load, one at a time: donations POSTed at --rate a minute to one campaign through a real
# proxy, on three real nodes with NetworkPolicies enforced; at --fault-at seconds the fault hits, and the
# run lasts --duration seconds. Not part of the default test runs (FaultsIT in -Pfaults runs it short).
#   hack/fault-rehearsal.sh [--faults "pods-killed db-failover ..."|all] [--via standin|traefik|both]
#                           [--rate 1600] [--duration 180] [--fault-at 60] [--failover-seconds 60]
#                           [--nodes 3] [--report PATH] [--publish]
# Faults:
#   pods-killed       every site pod deleted at once (grace period 0)
#   db-failover       RebootDBInstance with ForceFailover: the AWS front kills the instance's MariaDB and
#                     starts it again on the same endpoint after --failover-seconds (RDS shows rebooting)
#   db-connections    an outside client holds every connection the database allows for 60 s
#   node-kill         the real node with the most site pods dies (hack/local-cluster.sh node-kill), and
#                     comes back 90 s later
#   node-drain        the node with the most site pods is drained (PodDisruptionBudgets honoured), and
#                     uncordoned at the end
#   rollout           the campaign's site env changes: every site pod is replaced by a rolling update
#   operator-kill     the operator is SIGKILLed and started again 10 s later
#   apiserver-restart the API server restarts (hack/local-cluster.sh restart kube-apiserver)
# Proxies: standin (nginx configured from the Ingress with ingress-nginx's semantics, hack/ingress) and
# traefik (Traefik v3 as a Gateway API implementation, hack/gateway, the HTTPRoute and errors Middleware).
# Every request carries its own idempotency key (hack/rehearsal/ledger.py); after each fault the ledger
# matches the 201s with the database. Everything goes to $STATE_DIR/faults/RUN/: vegeta's results, the
# samples, one row per fault (hack/rehearsal/faults.py) and report.md with a plot per fault; the last line
# printed is the report's path. --publish also writes docs/faults.md and its plots. With --json FILE the
# rows are also written as one JSON list (FaultsIT reads it).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ALL_FAULTS="pods-killed db-failover db-connections node-kill node-drain rollout operator-kill apiserver-restart"
FAULTS=$ALL_FAULTS; VIA=standin; RATE=1600; DURATION=180; FAULT_AT=60; FAILOVER_SECONDS=60; NODES=3
REPORT=; PUBLISH=false; JSON=
while (($#)); do
  case $1 in
    --faults) FAULTS=$2; [[ $FAULTS == all ]] && FAULTS=$ALL_FAULTS; shift 2 ;;
    --via) VIA=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --fault-at) FAULT_AT=$2; shift 2 ;;
    --failover-seconds) FAILOVER_SECONDS=$2; shift 2 ;;
    --nodes) NODES=$2; shift 2 ;;
    --report) REPORT=$(realpath -m "$2"); shift 2 ;;
    --json) JSON=$(realpath -m "$2"); shift 2 ;;
    --publish) PUBLISH=true; shift ;;
    *) die "unknown option $1 (see the header of $0)" ;;
  esac
done
for f in $FAULTS; do [[ " $ALL_FAULTS " == *" $f "* ]] || die "unknown fault $f (one of: $ALL_FAULTS)"; done
case $VIA in standin|traefik) PROXIES=$VIA ;; both) PROXIES="standin traefik" ;; *) die "--via standin|traefik|both" ;; esac
COMMAND="hack/fault-rehearsal.sh --faults \"$FAULTS\" --via $VIA --rate $RATE --duration $DURATION --fault-at $FAULT_AT --failover-seconds $FAILOVER_SECONDS --nodes $NODES"

NS=fault-rehearsal
MARKER="So many donations right now"
source "$HACK_DIR/stack.sh"
trap 'rc=$?; cleanup_faults; stack_cleanup; exit $rc' EXIT
trap 'exit 130' INT TERM

"$HACK_DIR/build-tools.sh" bench
[[ $VIA == standin ]] || "$HACK_DIR/build-tools.sh" proxy
stack_up real "$NODES"
[[ ${LOCAL_REAL_NODES:-0} -ge 2 ]] || log "only ${LOCAL_REAL_NODES:-0} real node(s): node faults lose every site pod"
RUN_ID=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$STATE_DIR/faults/$RUN_ID
mkdir -p "$OUT"
REPORT=${REPORT:-$OUT/report.md}
log "run $RUN_ID: results in $OUT"
# The AWS front's database outage for a failover, in seconds.
curl -sf -X POST "$AWS_ENDPOINT_URL/_awsfront/config" -d "{\"rds\": {\"delays\": {\"failing-over\": $FAILOVER_SECONDS}}}" >/dev/null

cleanup_faults() {
  # An operator that operator-kill started again (in the fault's subshell) goes with the run.
  [[ -f ${OUT:-/nonexistent}/operator.pid ]] && kill "$(cat "$OUT/operator.pid")" 2>/dev/null || true
  local n
  for n in $(kubectl get nodes -l donations.dev/node=real -o name 2>/dev/null); do
    kubectl uncordon "${n#node/}" >/dev/null 2>&1 || true
    [[ -f $STATE_DIR/node/${n#node/}/killed ]] && "$HACK_DIR/real-node.sh" back "${n#node/}" >/dev/null 2>&1 || true
  done
  [[ -d $STATE_DIR/gateway/traefik ]] && "$HACK_DIR/gateway/traefik.sh" down >/dev/null 2>&1 || true
}

# The campaign a proxy serves: the local class (an Ingress for the stand-in) or a Traefik class.
campaign_for() { # proxy -> name
  local name=broadcast class=local
  if [[ $1 == traefik ]]; then
    name=relay; class=traefik-faults
    "$HACK_DIR/render.sh" "$REPO_DIR/samples/local/campaignclass.yaml" | python3 -c '
import sys, re
text = sys.stdin.read().replace("name: local\n", "name: traefik-faults\n", 1)
text = re.sub(r"  ingress:\n    className: nginx\n    controllerNamespace: ingress-nginx\n",
  "  ingress:\n    provider: Traefik\n    gateway: {name: traefik, namespace: donation-gateway, https: false}\n", text)
sys.stdout.write(text)' | kubectl apply --server-side -f - >/dev/null
  fi
  kubectl apply --server-side -f - >/dev/null <<YAML
apiVersion: donations.dev/v1alpha1
kind: CharityCampaign
metadata: {name: $name, namespace: $NS}
spec:
  className: $class
  site: {host: $name.$NS.local, title: Friday broadcast}
  scaling: {minReplicas: 3, maxReplicas: 6, workersPerPod: 10}
  database: {storageGiB: 20}
  fallback:
    title: $MARKER
    donateInstructions: Or text SONG to 4333 to donate 5 euros.
YAML
  echo "$name"
}

site_pods_ready() { # campaign -> ready site pods
  kubectl -n "$NS" get deploy "$1-site" -o jsonpath='{.status.readyReplicas}' 2>/dev/null || echo 0
}

# Waits until the campaign is Ready with every site replica ready and no rollout in progress.
settle() { # campaign
  local deadline=$((SECONDS + 300))
  until [[ $(kubectl -n "$NS" get charitycampaign "$1" -o jsonpath='{.status.phase}' 2>/dev/null) == Ready ]] &&
        kubectl -n "$NS" rollout status "deploy/$1-site" --timeout=5s >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "campaign $1 did not settle after a fault"
    sleep 2
  done
}

sampler() { # campaign file: every second, ready replicas and ready endpoints of the site Service
  echo "t,ready,endpoints" > "$2"
  while :; do
    local r e
    r=$(site_pods_ready "$1")
    e=$(kubectl -n "$NS" get endpointslices -l "kubernetes.io/service-name=$1-site" \
        -o jsonpath='{range .items[*].endpoints[*]}{.conditions.ready}{"\n"}{end}' 2>/dev/null | grep -c true || true)
    echo "$(date +%s.%N),${r:-0},${e:-0}" >> "$2"
    sleep 1
  done
}

busiest_node() { # campaign -> the real node with the most site pods
  kubectl -n "$NS" get pods -l "app.kubernetes.io/component=site,app.kubernetes.io/instance=$1" \
    -o jsonpath='{range .items[*]}{.spec.nodeName}{"\n"}{end}' | sort | uniq -c | sort -rn | awk 'NR==1{print $2}'
}

restart_operator() {
  local pid=$OPERATOR_PID
  [[ -f $OUT/operator.pid ]] && pid=$(cat "$OUT/operator.pid")
  kill -KILL "$pid" 2>/dev/null || true
  sleep 10
  KUBECONFIG=$STATE_DIR/donation-operator-dev.kubeconfig DONATION_AWS_ENDPOINT_OVERRIDE=$AWS_ENDPOINT_URL \
  QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$(free_local_port) \
    java -jar "$REPO_DIR/target/quarkus-app/quarkus-run.jar" >> "$STATE_DIR/logs/operator.log" 2>&1 &
  echo $! > "$OUT/operator.pid"
}

inflict() { # fault campaign: runs the fault (some of it in the background) and records its time
  local fault=$1 c=$2 node
  echo "$(date +%s.%N)" > "$OUT/$fault-$PROXY.fault-time"
  case $fault in
    pods-killed)
      kubectl -n "$NS" delete pods -l "app.kubernetes.io/component=site,app.kubernetes.io/instance=$c" --grace-period=0 --force >/dev/null 2>&1 ;;
    db-failover)
      local id
      id=$(kubectl -n "$NS" get charitycampaign "$c" -o jsonpath='{.status.database.identifier}')
      "$MOTO_VENV/bin/python" -c 'import boto3, sys; boto3.client("rds").reboot_db_instance(DBInstanceIdentifier=sys.argv[1], ForceFailover=True)' "$id" ;;
    db-connections)
      # The master user (no CONNECTION ADMIN, as on RDS) holds every connection max_connections allows.
      local n i
      n=$(db_as "$c" "SELECT @@max_connections")
      for ((i = 0; i < n + 5; i++)); do db_as "$c" "SELECT SLEEP(60)" >/dev/null 2>&1 & done ;;
    node-kill)
      node=$(busiest_node "$c"); echo "$node" > "$OUT/$fault-$PROXY.node"
      "$HACK_DIR/real-node.sh" kill "$node" >/dev/null
      ( sleep 90; "$HACK_DIR/real-node.sh" back "$node" > "$OUT/$fault-$PROXY.back.log" 2>&1 ) & ;;
    node-drain)
      node=$(busiest_node "$c"); echo "$node" > "$OUT/$fault-$PROXY.node"
      ( kubectl drain "$node" --ignore-daemonsets --delete-emptydir-data --timeout=150s > "$OUT/$fault-$PROXY.drain.log" 2>&1 ) & ;;
    rollout)
      kubectl -n "$NS" patch charitycampaign "$c" --type merge \
        -p "{\"spec\": {\"site\": {\"env\": [{\"name\": \"REHEARSAL_ROLLOUT\", \"value\": \"$RUN_ID\"}]}}}" >/dev/null ;;
    operator-kill)
      restart_operator ;;
    apiserver-restart)
      "$HACK_DIR/local-cluster.sh" restart kube-apiserver >/dev/null ;;
  esac
}

# The database as the site sees it (the Secret the operator wrote).
db_as() { # campaign sql
  local s="kubectl -n $NS get secret $1-db -o jsonpath"
  mariadb -h "$($s='{.data.host}' | base64 -d)" -P "$($s='{.data.port}' | base64 -d)" -u "$($s='{.data.username}' | base64 -d)" \
    "-p$($s='{.data.password}' | base64 -d)" --skip-ssl -N -B "$($s='{.data.database}' | base64 -d)" -e "$2"
}

{
  echo "machine=$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "commit=$(git -C "$REPO_DIR" rev-parse --short HEAD)$(git -C "$REPO_DIR" diff --quiet || echo ' (with uncommitted changes)')"
  echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
  echo "command=$COMMAND"
  echo "run=$RUN_ID"
} > "$OUT/meta.txt"

stack_namespace "$NS"
for PROXY in $PROXIES; do
  if [[ $PROXY == traefik ]]; then
    "$HACK_DIR/gateway/traefik.sh" up >/dev/null
    PORT=$("$HACK_DIR/gateway/traefik.sh" port)
  else
    PORT=$("$HACK_DIR/ingress/standin.sh" up)
  fi
  CAMPAIGN=$(campaign_for "$PROXY")
  stack_wait_ready "$NS" "$CAMPAIGN" 420
  HOST=$CAMPAIGN.$NS.local
  log "$PROXY on 127.0.0.1:$PORT serves $HOST"
  for FAULT in $FAULTS; do
    settle "$CAMPAIGN"
    phase=$FAULT-$PROXY
    log "$phase: $RATE donations a minute for ${DURATION}s, the fault at ${FAULT_AT}s"
    python3 "$HACK_DIR/rehearsal/ledger.py" targets --run "$RUN_ID" --phase "$phase" --count $((RATE * DURATION / 60 + 10)) \
      --url "http://127.0.0.1:$PORT/wp-json/donations/v1/donate" --host "$HOST" > "$OUT/$phase.targets.jsonl"
    sampler "$CAMPAIGN" "$OUT/$phase.samples.csv" & SAMPLER=$!
    ( sleep "$FAULT_AT"; inflict "$FAULT" "$CAMPAIGN" ) & FAULTER=$!
    "$TOOLS_BIN/vegeta" attack -name "$phase" -format json -lazy -targets "$OUT/$phase.targets.jsonl" -rate "$RATE/1m" \
      -duration "${DURATION}s" -timeout 10s -max-workers 400 > "$OUT/$phase.bin"
    wait "$FAULTER" || log "$phase: the fault's command failed"
    sleep 2
    kill "$SAMPLER" 2>/dev/null || true
    [[ $FAULT == node-drain ]] && kubectl uncordon "$(cat "$OUT/$phase.node")" >/dev/null
    settle "$CAMPAIGN"
    "$TOOLS_BIN/vegeta" encode --to json "$OUT/$phase.bin" > "$OUT/$phase.json"
    db_as "$CAMPAIGN" "SELECT idempotency_key, donor, COUNT(*) FROM wp_donations
      WHERE idempotency_key LIKE '$RUN_ID:$phase:%' OR donor = 'rehearsal:$RUN_ID:$phase'
      GROUP BY idempotency_key, donor" > "$OUT/$phase.ledger.tsv"
    python3 "$HACK_DIR/rehearsal/faults.py" row --run "$RUN_ID" --fault "$FAULT" --via "$PROXY" \
      --fault-time "$(cat "$OUT/$phase.fault-time")" --marker "$MARKER" \
      "$OUT/$phase.json" "$OUT/$phase.ledger.tsv" "$OUT/$phase.samples.csv" > "$OUT/$phase.row.json"
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("  sent %(sent)s, donations %(donations)s, fallback %(fallback)s, raw errors %(raw_errors)s %(errors)s, lost %(lost)s, duplicates %(duplicates)s" % r)' "$OUT/$phase.row.json" >&2
    rm -f "$OUT/$phase.bin" "$OUT/$phase.targets.jsonl"
  done
  kubectl -n "$NS" delete charitycampaign "$CAMPAIGN" --wait=false >/dev/null
  if [[ $PROXY == traefik ]]; then "$HACK_DIR/gateway/traefik.sh" down >/dev/null; else "$HACK_DIR/ingress/standin.sh" down >/dev/null; fi
done

python3 "$HACK_DIR/rehearsal/faults.py" report "$OUT" "$REPORT"
[[ -z $JSON ]] || python3 -c 'import glob, json, sys; rows=[json.load(open(p)) for p in sorted(glob.glob(sys.argv[1] + "/*.row.json"))]
[r.pop("series", None) for r in rows]; json.dump(rows, open(sys.argv[2], "w"), indent=1)' "$OUT" "$JSON"
if $PUBLISH; then
  python3 "$HACK_DIR/rehearsal/faults.py" report "$OUT" "$REPO_DIR/docs/faults.md"
  log "published: $REPO_DIR/docs/faults.md"
fi
log "report:"
echo "$REPORT"
