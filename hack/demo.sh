#!/usr/bin/env bash
# The local demo: builds what is missing, starts the local control plane and the AWS front (moto), runs
# the operator, applies the sample CampaignClass and CharityCampaign, and waits until the campaign is Ready.
# Where this machine can run containers (root, containerd, runc), the campaign's pods really run on a real
# node, with real MariaDB behind the emulated RDS, and the demo ends with URLs on 127.0.0.1 for the site and
# the fallback page; elsewhere kwok's fake nodes stand in and only the objects exist.
#   hack/demo.sh             stays up until Ctrl-C, then cleans up
#   hack/demo.sh --exit      cleans up as soon as the campaign is Ready (for scripts and CI)
#   hack/demo.sh --kwok      fake nodes only, even where real pods could run
# The first run builds Kubernetes from its Go modules and the images from Debian packages: about 15
# minutes on 2 cores. Later runs take about a minute.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

EXIT_WHEN_READY=false
MODE=auto
for arg in "$@"; do
  case $arg in
    --exit) EXIT_WHEN_READY=true ;;
    --kwok) MODE=kwok ;;
    *) die "usage: $0 [--exit] [--kwok]" ;;
  esac
done

NS=radio-gaga
CAMPAIGN=song-request
source "$HACK_DIR/stack.sh"
trap 'rc=$?; stack_cleanup; exit $rc' EXIT
trap 'exit 130' INT TERM

cd "$REPO_DIR"
stack_up "$MODE"

log "applying the sample campaign"
# The sample's namespace first, so that its pods go to the real node when there is one.
stack_namespace "$NS"
kubectl apply --server-side -f samples/local/charitycampaign.yaml >/dev/null
log "waiting for campaign $NS/$CAMPAIGN to become Ready"
stack_wait_ready "$NS" "$CAMPAIGN" 420

echo
kubectl get charitycampaigns -A -o wide
echo
echo "Conditions:"
kubectl -n "$NS" get charitycampaign "$CAMPAIGN" \
  -o jsonpath='{range .status.conditions[*]}  {.type}={.status} ({.reason}): {.message}{"\n"}{end}'
echo
kubectl -n "$NS" get deployments,services,ingress,hpa,pdb,pvc,networkpolicies
echo
if $STACK_REAL; then kubectl -n "$NS" get pods -o wide; echo; fi
FALLBACK_URL=$(kubectl -n "$NS" get charitycampaign "$CAMPAIGN" -o jsonpath='{.status.fallbackUrl}')
echo "The fallback page on S3 ($FALLBACK_URL) starts with:"
curl -sf "$FALLBACK_URL" | sed -n '1,12p' | sed 's/^/  /'
echo

if $STACK_REAL; then
  HOST=$(kubectl -n "$NS" get charitycampaign "$CAMPAIGN" -o jsonpath='{.spec.site.host}')
  SITE_PORT=$(free_local_port); FALLBACK_PORT=$(free_local_port)
  kubectl -n "$NS" port-forward --address 127.0.0.1 "svc/$CAMPAIGN-site" "$SITE_PORT:80" > "$STATE_DIR/logs/forward-site.log" 2>&1 &
  CHILD_PIDS+=($!)
  kubectl -n "$NS" port-forward --address 127.0.0.1 "svc/$CAMPAIGN-fallback" "$FALLBACK_PORT:80" > "$STATE_DIR/logs/forward-fallback.log" 2>&1 &
  CHILD_PIDS+=($!)
  sleep 2
  site_status=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $HOST" "http://127.0.0.1:$SITE_PORT/" || true)
  fallback_status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$FALLBACK_PORT/" || true)
  cat <<TXT
The campaign's site runs on the real node ($site_status from WordPress's front page just now):
  http://127.0.0.1:$SITE_PORT/   WordPress answers for its host name $HOST, so send that name:
    curl -H 'Host: $HOST' http://127.0.0.1:$SITE_PORT/
    chromium --host-resolver-rules='MAP $HOST 127.0.0.1:$SITE_PORT' http://$HOST/
  Donate: curl -H 'Host: $HOST' -H 'Content-Type: application/json' -d '{"amount_cents": 500}' http://127.0.0.1:$SITE_PORT/wp-json/donations/v1/donate
  WordPress admin: user admin, password: kubectl -n $NS get secret $CAMPAIGN-wp-admin -o jsonpath='{.data.password}' | base64 -d
The fallback page that nginx serves when the site is down ($fallback_status, as it should be):
  http://127.0.0.1:$FALLBACK_PORT/
TXT
  echo
fi

cat <<TXT
Use the local cluster from another shell:
  eval "\$(hack/local-cluster.sh env)"
  kubectl get charitycampaigns -A
  kubectl explain charitycampaign.spec
TXT

if $EXIT_WHEN_READY; then
  log "stopping (--exit): the operator, then the cluster if this demo started it"
  exit 0
fi
echo "The demo stays up; press Ctrl-C to stop the operator and the cluster."
wait "$OPERATOR_PID"
