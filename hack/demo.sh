#!/usr/bin/env bash
# The local demo: builds what is missing, starts the local control plane and moto, runs the operator,
# applies the sample CampaignClass and CharityCampaign, and waits until the campaign is Ready.
#   hack/demo.sh          stays up until Ctrl-C, then cleans up
#   hack/demo.sh --exit   cleans up as soon as the campaign is Ready (for scripts and CI)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

EXIT_WHEN_READY=false
[[ ${1:-} == --exit ]] && EXIT_WHEN_READY=true

OPERATOR_PID=
STARTED_CLUSTER=false
cleanup() {
  local rc=$?
  if [[ -n $OPERATOR_PID ]]; then kill "$OPERATOR_PID" 2>/dev/null || true; wait "$OPERATOR_PID" 2>/dev/null || true; fi
  if $STARTED_CLUSTER; then "$HACK_DIR/local-cluster.sh" down || true; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cd "$REPO_DIR"
log "building the operator"
./mvnw -q -B package -DskipTests -DskipITs

if ! "$HACK_DIR/local-cluster.sh" status; then
  STARTED_CLUSTER=true
  "$HACK_DIR/local-cluster.sh" up
fi
source "$STATE_DIR/env"

log "installing the CRDs, the local CampaignClass and the sample campaign"
kubectl apply --server-side -f crds/ >/dev/null
# The operator's own namespace, where it keeps the image pre-pull DaemonSets.
kubectl create namespace donation-operator --dry-run=client -o yaml \
  | kubectl label --local -f - pod-security.kubernetes.io/enforce=restricted -o yaml | kubectl apply --server-side -f - >/dev/null
kubectl wait --for=condition=Established crd/charitycampaigns.donations.dev crd/campaignclasses.donations.dev --timeout=30s >/dev/null
"$HACK_DIR/render.sh" samples/local/campaignclass.yaml | kubectl apply --server-side -f - >/dev/null
kubectl apply --server-side -f samples/local/charitycampaign.yaml >/dev/null

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log "starting the operator (log: $STATE_DIR/logs/operator.log, metrics: http://127.0.0.1:$PORT/q/metrics)"
KUBECONFIG=$STATE_DIR/donation-operator-dev.kubeconfig \
DONATION_AWS_ENDPOINT_OVERRIDE=$AWS_ENDPOINT_URL \
QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$PORT \
  java -jar target/quarkus-app/quarkus-run.jar > "$STATE_DIR/logs/operator.log" 2>&1 &
OPERATOR_PID=$!

log "waiting for campaign radio-gaga/song-request to become Ready"
t0=$SECONDS
if ! kubectl -n radio-gaga wait charitycampaign/song-request --for=jsonpath='{.status.phase}'=Ready --timeout=180s >/dev/null; then
  kubectl -n radio-gaga get charitycampaign song-request -o yaml || true
  die "the campaign did not become Ready; see $STATE_DIR/logs/operator.log"
fi
log "Ready after $((SECONDS - t0))s"

echo
kubectl get charitycampaigns -A -o wide
echo
echo "Conditions:"
kubectl -n radio-gaga get charitycampaign song-request \
  -o jsonpath='{range .status.conditions[*]}  {.type}={.status} ({.reason}): {.message}{"\n"}{end}'
echo
kubectl -n radio-gaga get deployments,services,ingress,hpa,pdb,pvc,networkpolicies
echo
FALLBACK_URL=$(kubectl -n radio-gaga get charitycampaign song-request -o jsonpath='{.status.fallbackUrl}')
echo "The fallback page on S3 ($FALLBACK_URL) starts with:"
curl -sf "$FALLBACK_URL" | sed -n '1,12p' | sed 's/^/  /'
echo
cat <<TXT
Point kubectl at the local cluster with:
  eval "\$(hack/local-cluster.sh env)"
  kubectl get charitycampaigns -A
TXT

if $EXIT_WHEN_READY; then
  exit 0
fi
echo "The demo stays up; press Ctrl-C to stop the operator and the cluster."
wait "$OPERATOR_PID"
