# The whole stack on the local test bed, shared by hack/demo.sh and hack/peak-rehearsal.sh: the operator
# built and running as a process, the local cluster (with a real node where this machine can run
# containers), the images imported, the CRDs and the local class applied. Sourced after lib.sh.
# shellcheck shell=bash

OPERATOR_PID=
STARTED_CLUSTER=false
STACK_REAL=false
CHILD_PIDS=()

stack_cleanup() {
  local p
  for p in "${CHILD_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  if [[ -n $OPERATOR_PID ]]; then kill "$OPERATOR_PID" 2>/dev/null || true; wait "$OPERATOR_PID" 2>/dev/null || true; fi
  [[ -x $HACK_DIR/ingress/standin.sh && -d $STATE_DIR/ingress ]] && "$HACK_DIR/ingress/standin.sh" down || true
  if $STARTED_CLUSTER; then "$HACK_DIR/local-cluster.sh" down || true; fi
}

# Real pods need root and the namespaces containers use; the Debian packages come from build-tools.sh.
can_run_real_node() {
  [[ $(id -u) -eq 0 ]] || return 1
  command -v apt-get >/dev/null || command -v containerd >/dev/null || return 1
  unshare --mount --net --pid --fork true 2>/dev/null
}

# stack_up auto|kwok|real [NODES]: everything up to a running operator, with NODES real nodes (default 1)
# where they can run; sets STACK_REAL. STACK_BUILD=false uses the operator already built in target/ (a test
# run that calls a script).
stack_up() {
  local mode=$1 nodes=${2:-1}
  case $mode in
    real) can_run_real_node || die "this machine cannot run real pods (needs root and Linux namespaces)"; STACK_REAL=true ;;
    auto) if can_run_real_node; then STACK_REAL=true; fi ;;
    kwok) STACK_REAL=false ;;
  esac
  if $STACK_REAL; then
    log "mode: real node (pods run in containers; MariaDB behind the emulated RDS)"
  else
    log "mode: kwok only (fake nodes: objects exist, no pod runs; run as root on Linux for real pods)"
  fi
  log "a first run builds Kubernetes from its Go modules and the images from Debian packages: about 15 minutes on 2 cores, quiet at times"

  if [[ ${STACK_BUILD:-true} == true || ! -f $REPO_DIR/target/quarkus-app/quarkus-run.jar ]]; then
    log "building the operator"
    (cd "$REPO_DIR" && ./mvnw -q -B package -DskipTests -DskipITs)
  fi

  if ! "$HACK_DIR/local-cluster.sh" status; then
    STARTED_CLUSTER=true
    if $STACK_REAL; then "$HACK_DIR/local-cluster.sh" up --real-nodes "$nodes"; else "$HACK_DIR/local-cluster.sh" up; fi
  elif $STACK_REAL; then
    "$HACK_DIR/local-cluster.sh" up --real-nodes "$nodes"
  fi
  # shellcheck disable=SC1091
  source "$STATE_DIR/env"
  [[ -n ${LOCAL_REAL_NODE:-} ]] || STACK_REAL=false

  log "installing the CRDs and the local CampaignClass"
  kubectl apply --server-side --force-conflicts -f "$REPO_DIR/crds/" >/dev/null
  # The operator's own namespace, where it keeps the image pre-pull DaemonSets.
  restricted_namespace donation-operator
  kubectl wait --for=condition=Established crd/charitycampaigns.donations.dev crd/campaignclasses.donations.dev --timeout=30s >/dev/null
  "$HACK_DIR/render.sh" "$REPO_DIR/samples/local/campaignclass.yaml" | kubectl apply --server-side -f - >/dev/null

  local port
  port=$(free_local_port)
  log "starting the operator (log: $STATE_DIR/logs/operator.log, metrics: http://127.0.0.1:$port/q/metrics)"
  KUBECONFIG=$STATE_DIR/donation-operator-dev.kubeconfig \
  DONATION_AWS_ENDPOINT_OVERRIDE=$AWS_ENDPOINT_URL \
  QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$port \
    java -jar "$REPO_DIR/target/quarkus-app/quarkus-run.jar" > "$STATE_DIR/logs/operator.log" 2>&1 &
  OPERATOR_PID=$!
  OPERATOR_METRICS=http://127.0.0.1:$port/q/metrics
}

# A tenant namespace (Pod Security restricted) whose pods go to the real node when there is one.
stack_namespace() { # name
  restricted_namespace "$1"
  if $STACK_REAL; then real_node_namespace "$1"; fi
}

restricted_namespace() { # name: a namespace that enforces Pod Security "restricted"
  kubectl create namespace "$1" --dry-run=client -o yaml \
    | kubectl label --local -f - pod-security.kubernetes.io/enforce=restricted -o yaml | kubectl apply --server-side -f - >/dev/null
}

stack_wait_ready() { # namespace name timeout-seconds
  local t0=$SECONDS
  if ! kubectl -n "$1" wait "charitycampaign/$2" --for=jsonpath='{.status.phase}'=Ready --timeout="${3}s" >/dev/null; then
    kubectl -n "$1" get charitycampaign "$2" -o yaml || true
    kubectl -n "$1" get pods -o wide || true
    die "campaign $1/$2 did not become Ready; see $STATE_DIR/logs/operator.log"
  fi
  log "campaign $1/$2 Ready after $((SECONDS - t0))s"
}
