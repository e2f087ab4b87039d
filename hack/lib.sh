# Shared settings for the local test bed. Sourced by the other hack/ scripts.
# shellcheck shell=bash

HACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$HACK_DIR/.." && pwd)

K8S_VERSION=v1.36.3   # k8s.io/kubernetes; the staging modules are pinned to v0.36.3 in hack/kubebed/go.mod
KWOK_VERSION=v0.8.0
HELM_VERSION=v3.21.4
MOTO_VERSION=5.2.5
KUBE_NETWORK_POLICIES_VERSION=v0.8.0   # sigs.k8s.io/kube-network-policies: NetworkPolicy enforcement on the real nodes
COREDNS_VERSION=v1.12.4         # github.com/coredns/coredns: cluster DNS for the real node's pods
METRICS_SERVER_VERSION=v0.8.0   # sigs.k8s.io/metrics-server: real CPU for the HPA
VEGETA_VERSION=v12.12.0         # github.com/tsenart/vegeta: the peak rehearsal's load generator
CRICTL_VERSION=v1.37.0   # sigs.k8s.io/cri-tools: the real node's pods are listed and removed through CRI
TRAEFIK_VERSION=v3.7.13  # github.com/traefik/traefik/v3: a real Gateway API / ingress-nginx proxy (hack/gateway)
GATEWAY_API_VERSION=v1.6.1   # sigs.k8s.io/gateway-api: the CRDs Traefik's client is built against

CACHE_ROOT=${DONATION_CACHE:-$HOME/.cache/donation-operator}
# The kubebed binary is keyed by its sources too, so editing hack/kubebed rebuilds it once.
KUBEBED_HASH=$(cat "$HACK_DIR"/kubebed/go.mod "$HACK_DIR"/kubebed/go.sum "$HACK_DIR"/kubebed/*.go | sha256sum | cut -c1-10)
TOOLS_DIR=$CACHE_ROOT/k8s-$K8S_VERSION-$KUBEBED_HASH
TOOLS_BIN=$TOOLS_DIR/bin
MOTO_VENV=$CACHE_ROOT/moto-$MOTO_VERSION
# Traefik is patched to build from the module proxy (hack/gateway/traefik-patch.sh): keyed by the patch too.
TRAEFIK_HASH=$(cat "$HACK_DIR"/gateway/traefik-patch.sh | sha256sum | cut -c1-10)
PROXY_DIR=$CACHE_ROOT/traefik-$TRAEFIK_VERSION-$TRAEFIK_HASH

# Where a running local cluster keeps its certificates, kubeconfigs, pids and logs.
STATE_DIR=${LOCAL_CLUSTER_DIR:-$REPO_DIR/.local-cluster}

AWS_TEST_REGION=eu-west-1

# The real nodes (hack/real-node.sh): up to three per machine, each in a network namespace of its own with
# its own pod subnet, joined by the host bridge dono0 on 10.88.0.0/24. The host's address on it, 10.88.0.1,
# is where the API server, the AWS front, CoreDNS and metrics-server answer the nodes and pods; the real
# databases of the AWS front listen on REAL_DB_IP, an address of the host inside the class's first
# database subnet (10.42.0.0/24, hack/moto-network.py), as an RDS endpoint lies inside its subnet group.
REAL_NODE_NAME=real-node-1      # the first node; real-node-N for the others
REAL_NODE_MAX=3
REAL_NODE_BRIDGE=dono0
REAL_NODE_CIDR=10.88.0.0/16     # the node network and every node's pod subnet
REAL_NODE_IP=10.88.0.1          # the host on the node network
REAL_DB_IP=10.42.0.250
REAL_NODE_EFS_ROOT=$STATE_DIR/node/efs   # shared by the nodes, as an EFS file system is
real_node_name() { echo "real-node-$1"; }
real_node_ip() { echo "10.88.0.$((10 + $1))"; }        # node N on the node network
real_node_pod_cidr() { echo "10.88.$1.0/24"; }          # node N's pods
real_node_zone() { echo "local-$(echo abc | cut -c"$1")"; }   # local-a, local-b, local-c like the kwok nodes
CLUSTER_DNS_IP=10.96.0.10
# kwok's made-up node and pod addresses; nothing may ever send a packet to them.
KWOK_NODE_IP=10.0.0.1
KWOK_POD_CIDR=10.244.0.0/16
CNI_BIN_DIR=/usr/lib/cni
# Built locally (hack/real-node/pause) and imported under the name the kubelet and containerd expect.
PAUSE_IMAGE=registry.k8s.io/pause:3.10
# Debian packages the real node needs; hack/build-tools.sh installs the missing ones.
REAL_NODE_PACKAGES=(containerd runc containernetworking-plugins iptables conntrack mariadb-server mariadb-client nginx chromium)
# Debian packages of the AWS front's real databases (LOCAL_REAL_DATABASES=1): mariadbd,
# mariadb-install-db, and the mariadb / mariadb-dump clients. The front needs no pip package beyond moto[server].
AWSFRONT_DB_PACKAGES=(mariadb-server mariadb-client)

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Processes of the test bed: each in its own session, its pid in $PIDS/NAME, its output in $LOGS/NAME.log.
start() { # name cmd...
  local name=$1; shift
  setsid "$@" >"$LOGS/$name.log" 2>&1 < /dev/null &
  echo $! > "$PIDS/$name"
}

alive() { [[ -f $PIDS/$1 ]] && kill -0 "$(cat "$PIDS/$1")" 2>/dev/null; }

stop_one() { # name: TERM to its process group, KILL after 10 s
  local name=$1 pid
  [[ -f $PIDS/$name ]] || return 0
  pid=$(cat "$PIDS/$name")
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  local i
  for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$PIDS/$name"
}

wait_for() { # description seconds command...
  local what=$1 limit=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "$what not ready after ${limit}s (logs in $LOGS)"
    sleep 0.2
  done
}

# A key and a certificate signed by the test bed's CA in $PKI: a client certificate, or with subject
# alternative names a serving one (also usable as a client).
cert() { # name subject [san]
  local name=$1 subj=$2 san=${3:-}
  openssl genrsa -out "$PKI/$name.key" 2048 2>/dev/null
  openssl req -new -key "$PKI/$name.key" -subj "$subj" -out "$PKI/$name.csr" 2>/dev/null
  local ext=$PKI/$name.ext
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=digitalSignature,keyEncipherment"
    if [[ -n $san ]]; then echo "extendedKeyUsage=serverAuth,clientAuth"; echo "subjectAltName=$san"
    else echo "extendedKeyUsage=clientAuth"; fi
  } > "$ext"
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 365 -extfile "$ext" -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$PKI/$name.csr" "$ext"
}

kubeconfig() { # user file api-port: a kubeconfig with the user's client certificate
  local user=$1 file=$2 port=$3
  cat > "$file" <<KC
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: https://127.0.0.1:$port
    certificate-authority: $PKI/ca.crt
users:
- name: $user
  user:
    client-certificate: $PKI/$user.crt
    client-key: $PKI/$user.key
contexts:
- name: local
  context: {cluster: local, user: $user}
current-context: local
KC
}

free_local_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# A tenant namespace whose pods all go to the real node, through the API server's PodNodeSelector and
# PodTolerationRestriction plugins: the operator's objects stay exactly as it writes them.
real_node_namespace() { # namespace
  "$TOOLS_BIN/kubectl" --kubeconfig "$STATE_DIR/admin.kubeconfig" annotate namespace "$1" --overwrite \
    "scheduler.alpha.kubernetes.io/node-selector=donations.dev/node=real" \
    "scheduler.alpha.kubernetes.io/defaultTolerations=[{\"key\":\"donations.dev/real-node\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]" >/dev/null
}
