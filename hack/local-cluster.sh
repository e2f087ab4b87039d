#!/usr/bin/env bash
# The local test bed: a real Kubernetes control plane with kwok fake nodes, and moto as the AWS endpoint.
#   hack/local-cluster.sh up      build what is missing, start everything on 127.0.0.1, wait until ready
#   hack/local-cluster.sh up --real-node   the same plus a real node where pods run (hack/real-node.sh; root)
#   hack/local-cluster.sh up --real-nodes N   N real nodes (1 to 3), one per zone, each in its own network
#                                namespace, NetworkPolicies enforced (hack/real-node.sh)
#   hack/local-cluster.sh node-kill real-node-N   stop one real node abruptly (no drain); node-back starts it
#   hack/local-cluster.sh env     print export lines (KUBECONFIG, AWS endpoint and dummy credentials, PATH)
#   hack/local-cluster.sh status  exit 0 when a started cluster answers
#   hack/local-cluster.sh down    stop everything that up started
# State (certificates, kubeconfigs, pids, logs) lives in $LOCAL_CLUSTER_DIR (default .local-cluster/).
# Sizing for larger runs (hack/bench.sh sets them; unset, the test bed is as the tests expect):
#   LOCAL_ETCD_ARGS, LOCAL_APISERVER_ARGS, LOCAL_KCM_ARGS, LOCAL_SCHEDULER_ARGS  extra flags, appended
#     (a flag given twice takes the last value), e.g. LOCAL_APISERVER_ARGS="--max-requests-inflight=800"
#   LOCAL_KWOK_NODE_PODS  pods each kwok node takes (default 110, as a kubelet)
#   LOCAL_KWOK_NODE_CPU, LOCAL_KWOK_NODE_MEMORY  each kwok node's CPU and memory (default 8 and 32Gi)
#   LOCAL_SUBNET_PREFIX   prefix length of the three subnets in moto (default 24: room for 251 campaigns'
#                         EFS mount targets, one address each per subnet, as in AWS)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

PKI=$STATE_DIR/pki
PIDS=$STATE_DIR/pids
LOGS=$STATE_DIR/logs
SERVICE_CIDR=10.96.0.0/16
ZONES=(a b c)

free_ports() { # count
  python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

make_pki() {
  mkdir -p "$PKI"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PKI/ca.key" -out "$PKI/ca.crt" -days 365 \
    -subj "/CN=donation-operator-local-ca" 2>/dev/null
  cert apiserver "/CN=kube-apiserver" \
    "IP:127.0.0.1,IP:10.96.0.1,IP:$REAL_NODE_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc"
  # Components and the developer share system:masters; the operator's own identity is separate so
  # that audit records and RBAC tests can tell its requests apart.
  local who
  for who in admin kube-controller-manager kube-scheduler kwok; do cert "$who" "/O=system:masters/CN=$who"; done
  cert donation-operator-dev "/O=system:masters/CN=donation-operator-dev"
  # The API server's identity towards kubelets (logs, exec, port-forward on the real node).
  cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client"
  # The API server's identity towards aggregated APIs (metrics-server on the real node).
  cert front-proxy-client "/CN=front-proxy-client"
  openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
  openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  for who in admin kube-controller-manager kube-scheduler kwok donation-operator-dev; do
    kubeconfig "$who" "$STATE_DIR/$who.kubeconfig" "$APISERVER_PORT"
  done
}

apiserver_ready() {
  curl -sf --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" \
    "https://127.0.0.1:$APISERVER_PORT/readyz" | grep -q ok
}

write_audit_policy() {
  # Every request of the operator's ServiceAccounts (the namespaces the tests install the chart into),
  # reads included: tests check that each RBAC rule serves a request. Everyone else's writes only: tests
  # count writes to prove idempotent reconciles.
  cat > "$STATE_DIR/audit-policy.yaml" <<'YAML'
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
- level: Metadata
  userGroups: ["system:serviceaccounts:donation-operator", "system:serviceaccounts:donation-operator-ha"]
- level: Metadata
  verbs: ["create", "update", "patch", "delete", "deletecollection"]
- level: None
YAML
}

create_nodes() {
  local z manifest="" pods=${LOCAL_KWOK_NODE_PODS:-110} cpu=${LOCAL_KWOK_NODE_CPU:-8} memory=${LOCAL_KWOK_NODE_MEMORY:-32Gi}
  for z in "${ZONES[@]}"; do
    manifest+="
---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$z
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: \"0\"}
  labels:
    type: kwok
    kubernetes.io/hostname: kwok-node-$z
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    kubernetes.io/role: agent
    topology.kubernetes.io/region: local
    topology.kubernetes.io/zone: local-$z
status:
  allocatable: {cpu: \"$cpu\", memory: $memory, pods: \"$pods\"}
  capacity: {cpu: \"$cpu\", memory: $memory, pods: \"$pods\"}
  nodeInfo: {kubeletVersion: fake, kubeProxyVersion: fake, operatingSystem: linux, architecture: amd64}
  phase: Running"
  done
  echo "$manifest" | "$TOOLS_BIN/kubectl" --kubeconfig "$STATE_DIR/admin.kubeconfig" apply -f - >/dev/null
}

nodes_ready() {
  local n
  n=$("$TOOLS_BIN/kubectl" --kubeconfig "$STATE_DIR/admin.kubeconfig" get nodes \
      -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c True)
  [[ $n -eq ${#ZONES[@]} ]]
}

default_sa_ready() {
  "$TOOLS_BIN/kubectl" --kubeconfig "$STATE_DIR/admin.kubeconfig" -n default get serviceaccount default
}

moto_ready() { curl -sf "http://127.0.0.1:$MOTO_PORT/moto-api/" -o /dev/null; }

# The AWS endpoint: moto inside the AWS front (hack/awsfront), which gives RDS instances realistic
# creating/modifying/backing-up/deleting times (AWSFRONT_RDS_DELAY_* seconds, defaults 3/2/2/2) and,
# with LOCAL_REAL_DATABASES=1, a real MariaDB each on LOCAL_DB_BIND_ADDRESS (default 127.0.0.1).
# Kept under the pid name "moto": its MariaDB servers share its process group, so stop_one stops them.
start_aws_front() {
  local real=()
  if [[ ${LOCAL_REAL_DATABASES:-0} == 1 ]]; then
    PATH=$PATH:/usr/sbin command -v mariadbd >/dev/null && command -v mariadb-dump >/dev/null ||
      die "LOCAL_REAL_DATABASES=1 needs MariaDB: apt-get install mariadb-server mariadb-client"
    real=(--real-databases --db-bind-address "${LOCAL_DB_BIND_ADDRESS:-127.0.0.1}")
  fi
  start moto env PYTHONPATH="$HACK_DIR" "$MOTO_VENV/bin/python" -m awsfront --host "${AWSFRONT_LISTEN:-127.0.0.1}" --port "$MOTO_PORT" \
    --state-dir "$STATE_DIR/awsfront" "${real[@]}"
}

up() {
  local real_nodes=${LOCAL_REAL_NODES:-}
  [[ -n $real_nodes || -z ${LOCAL_REAL_NODE:-} ]] || real_nodes=1
  case ${1:-} in
    --real-node) real_nodes=1 ;;
    --real-nodes) real_nodes=${2:-}; [[ $real_nodes =~ ^[1-3]$ ]] || die "--real-nodes takes 1, 2 or 3" ;;
    "") ;;
    *) die "unknown option $1" ;;
  esac
  local real_node=${real_nodes:+1}
  if status; then
    if [[ -z $real_node ]] || (($(cat "$STATE_DIR/node/count" 2>/dev/null || echo 0) >= real_nodes)); then
      log "already running (state in $STATE_DIR)"; return
    fi
    # Real nodes need the API server on the host's node-network address and real databases: start afresh.
    log "restarting the running cluster with $real_nodes real node(s)"
  fi
  down_quiet
  if [[ -n $real_node ]]; then
    # Pods connect to real MariaDB servers on the host's address inside the class's database subnet
    # (hack/awsfront, REAL_DB_IP in lib.sh).
    export LOCAL_REAL_DATABASES=${LOCAL_REAL_DATABASES:-1} LOCAL_DB_BIND_ADDRESS=${LOCAL_DB_BIND_ADDRESS:-$REAL_DB_IP}
    # The operator's own pod reaches AWS on the node's address, as it reaches the API server.
    export AWSFRONT_LISTEN=0.0.0.0
  fi
  "$HACK_DIR/build-tools.sh" all
  local t0=$SECONDS
  rm -rf "$STATE_DIR"; mkdir -p "$PIDS" "$LOGS" "$STATE_DIR/etcd"
  read -r ETCD_PORT ETCD_PEER_PORT APISERVER_PORT KCM_PORT SCHED_PORT MOTO_PORT <<<"$(free_ports 6)"
  make_pki
  write_audit_policy
  local bin=$TOOLS_BIN
  local etcd_args=() apiserver_args=() kcm_args=() scheduler_args=()
  read -r -a etcd_args <<<"${LOCAL_ETCD_ARGS:-}"
  read -r -a apiserver_args <<<"${LOCAL_APISERVER_ARGS:-}"
  read -r -a kcm_args <<<"${LOCAL_KCM_ARGS:-}"
  read -r -a scheduler_args <<<"${LOCAL_SCHEDULER_ARGS:-}"
  start etcd "$bin/etcd" --name local --data-dir "$STATE_DIR/etcd" --unsafe-no-fsync --log-level warn \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "local=http://127.0.0.1:$ETCD_PEER_PORT" "${etcd_args[@]}"
  start_aws_front
  # With a real node, pods reach the API server through the kubernetes Service on the node's address;
  # without one everything listens on loopback only.
  local api_listen=(--bind-address 127.0.0.1 --advertise-address 127.0.0.1 --endpoint-reconciler-type none)
  [[ -z $real_node ]] || api_listen=(--bind-address 0.0.0.0 --advertise-address "$REAL_NODE_IP" --endpoint-reconciler-type lease)
  start kube-apiserver "$bin/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    "${api_listen[@]}" --secure-port "$APISERVER_PORT" \
    --requestheader-client-ca-file "$PKI/ca.crt" --requestheader-allowed-names front-proxy-client \
    --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
    --requestheader-extra-headers-prefix X-Remote-Extra- --enable-aggregator-routing=true \
    --proxy-client-cert-file "$PKI/front-proxy-client.crt" --proxy-client-key-file "$PKI/front-proxy-client.key" \
    --kubelet-preferred-address-types InternalIP,Hostname --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" --client-ca-file "$PKI/ca.crt" \
    --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$PKI/sa.pub" \
    --service-account-signing-key-file "$PKI/sa.key" --service-cluster-ip-range "$SERVICE_CIDR" \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction,PodSecurity,PodNodeSelector,PodTolerationRestriction --allow-privileged=true \
    --audit-policy-file "$STATE_DIR/audit-policy.yaml" --audit-log-path "$LOGS/audit.log" --audit-log-format json \
    --audit-log-mode blocking --profiling=false "${apiserver_args[@]}"
  wait_for etcd 20 alive etcd
  wait_for kube-apiserver 60 apiserver_ready
  start kube-controller-manager "$bin/kube-controller-manager" --kubeconfig "$STATE_DIR/kube-controller-manager.kubeconfig" \
    --authentication-kubeconfig "$STATE_DIR/kube-controller-manager.kubeconfig" \
    --authorization-kubeconfig "$STATE_DIR/kube-controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$KCM_PORT" --leader-elect=false \
    --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
    --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
    --controllers '*' --horizontal-pod-autoscaler-sync-period 5s --profiling=false "${kcm_args[@]}"
  start kube-scheduler "$bin/kube-scheduler" --kubeconfig "$STATE_DIR/kube-scheduler.kubeconfig" \
    --authentication-kubeconfig "$STATE_DIR/kube-scheduler.kubeconfig" \
    --authorization-kubeconfig "$STATE_DIR/kube-scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$SCHED_PORT" --leader-elect=false --profiling=false "${scheduler_args[@]}"
  start kwok "$bin/kwok" --kubeconfig "$STATE_DIR/kwok.kubeconfig" --config "$TOOLS_DIR/kwok-stages.yaml" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
    --manage-nodes-with-label-selector= --node-lease-duration-seconds 40 \
    --cidr "$KWOK_POD_CIDR" --node-ip "$KWOK_NODE_IP"
  create_nodes
  wait_for "kwok nodes" 60 nodes_ready
  wait_for "default service account" 30 default_sa_ready
  wait_for moto 60 moto_ready
  local network
  network=$(AWS_ENDPOINT_URL="http://127.0.0.1:$MOTO_PORT" AWS_REGION=$AWS_TEST_REGION AWS_ACCESS_KEY_ID=testing \
    AWS_SECRET_ACCESS_KEY=testing "$MOTO_VENV/bin/python" "$HACK_DIR/moto-network.py") || die "could not create the AWS networking in moto"
  cat > "$STATE_DIR/env" <<ENV
export KUBECONFIG=$STATE_DIR/admin.kubeconfig
export AWS_ENDPOINT_URL=http://127.0.0.1:$MOTO_PORT
export AWS_ACCESS_KEY_ID=testing
export AWS_SECRET_ACCESS_KEY=testing
export AWS_REGION=$AWS_TEST_REGION
export AWS_DEFAULT_REGION=$AWS_TEST_REGION
export LOCAL_CLUSTER_DIR=$STATE_DIR
export PATH=$TOOLS_BIN:\$PATH
export LOCAL_HELM=$TOOLS_BIN/helm
$network
ENV
  if [[ -n $real_node ]]; then
    "$HACK_DIR/real-node.sh" up "$real_nodes"
    echo "export LOCAL_REAL_NODE=$REAL_NODE_NAME" >> "$STATE_DIR/env"
    echo "export LOCAL_REAL_NODES=$real_nodes" >> "$STATE_DIR/env"
    echo "export LOCAL_NODE_AWS_ENDPOINT=http://$REAL_NODE_IP:$MOTO_PORT" >> "$STATE_DIR/env"
  fi
  log "local cluster ready in $((SECONDS - t0))s: API https://127.0.0.1:$APISERVER_PORT, AWS http://127.0.0.1:$MOTO_PORT"
  log "use it with: eval \"\$(hack/local-cluster.sh env)\""
}

status() {
  [[ -f $STATE_DIR/env ]] || return 1
  local c
  for c in etcd kube-apiserver kube-controller-manager kube-scheduler kwok moto; do alive "$c" || return 1; done
  # A real node that node-kill stopped on purpose does not make the cluster down.
  local n
  for ((n = 1; n <= $(cat "$STATE_DIR/node/count" 2>/dev/null || echo 0); n++)); do
    [[ -f $STATE_DIR/node/real-node-$n/killed ]] && continue
    alive "kubelet-$n" && alive "containerd-$n" || return 1
  done
  APISERVER_PORT=$(sed -n 's#.*https://127.0.0.1:\([0-9]*\)$#\1#p' "$STATE_DIR/admin.kubeconfig" | head -1)
  apiserver_ready
}

# Restarts one control-plane process with its own command line (read from /proc), as a crashed or
# upgraded component comes back; waits until it serves again.
restart_component() { # etcd|kube-apiserver
  local name=$1 pid
  [[ $name == etcd || $name == kube-apiserver ]] || die "restart: etcd or kube-apiserver"
  status || die "not running: hack/local-cluster.sh up"
  pid=$(cat "$PIDS/$name")
  local cmd=()
  mapfile -d '' -t cmd < "/proc/$pid/cmdline"
  stop_one "$name"
  start "$name" "${cmd[@]}"
  if [[ $name == etcd ]]; then
    wait_for etcd 30 alive etcd
  fi
  wait_for kube-apiserver 60 apiserver_ready
  log "$name restarted"
}

down_quiet() {
  # Traefik (hack/gateway) keeps its state under ours: stop it before the state goes.
  [[ ! -d $STATE_DIR/gateway/traefik ]] || "$HACK_DIR/gateway/traefik.sh" down
  "$HACK_DIR/real-node.sh" down
  [[ -d $PIDS ]] || return 0
  local c
  for c in kwok kube-scheduler kube-controller-manager kube-apiserver moto etcd; do stop_one "$c"; done
  rm -f "$STATE_DIR/env"
}

case ${1:-} in
  up) shift; up "$@" ;;
  down) down_quiet; log "local cluster stopped" ;;
  env) [[ -f $STATE_DIR/env ]] || die "not running: hack/local-cluster.sh up"; cat "$STATE_DIR/env" ;;
  status) status ;;
  restart) shift; for c in "$@"; do restart_component "$c"; done ;;
  node-kill) "$HACK_DIR/real-node.sh" kill "${2:-}" ;;
  node-back) "$HACK_DIR/real-node.sh" back "${2:-}" ;;
  *) echo "usage: $0 up [--real-node|--real-nodes N]|down|env|status|restart etcd|kube-apiserver|node-kill NAME|node-back NAME" >&2; exit 2 ;;
esac
