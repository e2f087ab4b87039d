#!/usr/bin/env bash
# A real node beside the kwok nodes of the local test bed: kubelet and kube-proxy (from kubebed, the same
# Kubernetes modules as the control plane), Debian's containerd and runc, Debian's CNI plugins (a bridge
# on its own subnet), and the EFS CSI node plugin of hack/efs-csi. Pods really run here.
#   hack/real-node.sh up     add the node to the running local cluster (hack/local-cluster.sh up --real-node)
#   hack/real-node.sh down   remove every pod, container, mount, network namespace, interface, iptables rule
#                            and cgroup it made
#   hack/real-node.sh import FILE...   import docker-archive image tarballs into the node's runtime
# Needs root (containers, mounts, iptables). One real node per machine: the bridge and the node address are
# fixed. The node is tainted donations.dev/real-node=true:NoSchedule so kwok-only tests never land on it;
# a namespace opts in with the annotations of real_node_namespace_annotations (lib.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

NODE_DIR=$STATE_DIR/node
NODE_RUN=/run/donation-node
CONTAINERD_SOCK=$NODE_RUN/containerd.sock
KUBELET_ROOT=$NODE_DIR/kubelet
PKI=$STATE_DIR/pki
PIDS=$STATE_DIR/pids
LOGS=$STATE_DIR/logs
GUARD_CHAIN=DONATION-NODE-GUARD

need_root() { [[ $(id -u) -eq 0 ]] || die "the real node needs root (containers, mounts, iptables)"; }

ctr_() { ctr --address "$CONTAINERD_SOCK" -n k8s.io "$@"; }
crictl_() { "$TOOLS_BIN/crictl" --runtime-endpoint "unix://$CONTAINERD_SOCK" --image-endpoint "unix://$CONTAINERD_SOCK" --timeout 30s "$@"; }
kubectl_() { "$TOOLS_BIN/kubectl" --kubeconfig "$STATE_DIR/admin.kubeconfig" "$@"; }

# The API server's port, from the admin kubeconfig local-cluster.sh wrote.
api_port() { sed -n 's#.*server: https://127.0.0.1:\([0-9]*\)$#\1#p' "$STATE_DIR/admin.kubeconfig" | head -1; }

save_sysctl() { # key value: set it, remembering the old value for down
  local key=$1 value=$2 path=/proc/sys/${1//.//}
  [[ -e $path ]] || return 0
  grep -q "^$key=" "$NODE_DIR/sysctl.saved" 2>/dev/null || echo "$key=$(cat "$path")" >> "$NODE_DIR/sysctl.saved"
  echo "$value" > "$path"
}

network_up() {
  ip link add "$REAL_NODE_BRIDGE" type bridge
  ip addr add "$REAL_NODE_IP/16" dev "$REAL_NODE_BRIDGE"
  ip link set "$REAL_NODE_BRIDGE" up
  modprobe br_netfilter 2>/dev/null || true
  save_sysctl net.bridge.bridge-nf-call-iptables 1
  save_sysctl net.ipv4.ip_forward 1
  # Pods talk to each other, to Services and to this host, never further: no outside network is a target.
  iptables -N "$GUARD_CHAIN"
  iptables -A "$GUARD_CHAIN" -s "$REAL_NODE_CIDR" -d "$REAL_NODE_CIDR" -j RETURN
  iptables -A "$GUARD_CHAIN" -s "$REAL_NODE_CIDR" -j REJECT
  iptables -I FORWARD 1 -j "$GUARD_CHAIN"
  # kwok's nodes and pods have made-up addresses (lib.sh): with Services and a kubelet API in play, make
  # sure nothing on this host ever sends a packet to them.
  iptables -N "$GUARD_CHAIN-OUT"
  iptables -A "$GUARD_CHAIN-OUT" -d "$KWOK_NODE_IP" -j REJECT
  iptables -A "$GUARD_CHAIN-OUT" -d "$KWOK_POD_CIDR" -j REJECT
  iptables -I OUTPUT 1 -j "$GUARD_CHAIN-OUT"
  iptables -I FORWARD 1 -j "$GUARD_CHAIN-OUT"
  mkdir -p "$NODE_DIR/cni/conf" "$NODE_DIR/cni/ipam"
  cat > "$NODE_DIR/cni/conf/10-donation.conflist" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "donation-node",
  "plugins": [
    {"type": "bridge", "bridge": "$REAL_NODE_BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "dataDir": "$NODE_DIR/cni/ipam",
              "ranges": [[{"subnet": "$REAL_NODE_CIDR", "rangeStart": "${REAL_NODE_IP%.*}.10", "gateway": "$REAL_NODE_IP"}]],
              "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
JSON
}

containerd_up() {
  mkdir -p "$NODE_RUN" "$NODE_DIR/containerd"
  cat > "$NODE_DIR/containerd.toml" <<TOML
version = 2
root = "$NODE_DIR/containerd"
state = "$NODE_RUN/state"
[grpc]
  address = "$CONTAINERD_SOCK"
[ttrpc]
  address = "$NODE_RUN/containerd.sock.ttrpc"
[debug]
  address = "$NODE_RUN/debug.sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  enable_selinux = false
  disable_apparmor = true
  # Lowering oom_score_adj below our own is refused in this sandbox (EACCES even as root); keep pods at
  # or above containerd's value.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$NODE_RUN/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN_DIR"
    conf_dir = "$NODE_DIR/cni/conf"
TOML
  start containerd containerd --config "$NODE_DIR/containerd.toml"
  wait_for containerd 30 ctr_ version
}

pause_image() {
  local out=$TOOLS_DIR/pause-image.tar
  if [[ ! -s $out ]]; then
    log "building the pause image"
    local dir
    dir=$(mktemp -d)
    mkdir -p "$dir/root"
    (cd "$HACK_DIR/real-node/pause" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$dir/root/pause" .)
    tar -C "$dir/root" --owner=0 --group=0 -cf "$dir/rootfs.tar" pause
    printf '{"tag": "%s", "config": {"User": "65535:65535", "Entrypoint": ["/pause"]}}\n' "$PAUSE_IMAGE" > "$dir/image.json"
    python3 "$HACK_DIR/images/mkarchive.py" "$dir/rootfs.tar" "$dir/image.json" "$out.tmp"
    mv "$out.tmp" "$out"
    rm -rf "$dir"
  fi
  echo "$out"
}

import_images() { # tarballs...
  local f
  for f in "$@"; do
    ctr_ images import --snapshotter overlayfs "$f" >/dev/null || die "could not import $f"
    log "imported $(basename "$f")"
  done
}

kubelet_up() {
  mkdir -p "$KUBELET_ROOT" "$NODE_DIR/volume-plugins"
  cert "kubelet-$REAL_NODE_NAME" "/O=system:nodes/CN=system:node:$REAL_NODE_NAME"
  cert "kubelet-serving-$REAL_NODE_NAME" "/CN=$REAL_NODE_NAME" "IP:$REAL_NODE_IP,DNS:$REAL_NODE_NAME"
  kubeconfig "kubelet-$REAL_NODE_NAME" "$NODE_DIR/kubelet.kubeconfig" "$(api_port)"
  # No nameserver: pods resolve nothing outside the cluster.
  echo "options ndots:5" > "$NODE_DIR/resolv.conf"
  local port healthz
  port=$(free_local_port); healthz=$(free_local_port)
  cat > "$NODE_DIR/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false
cgroupDriver: cgroupfs
address: $REAL_NODE_IP
port: $port
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $healthz
tlsCertFile: $PKI/kubelet-serving-$REAL_NODE_NAME.crt
tlsPrivateKeyFile: $PKI/kubelet-serving-$REAL_NODE_NAME.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
imageServiceEndpoint: unix://$CONTAINERD_SOCK
clusterDomain: cluster.local
clusterDNS: [$CLUSTER_DNS_IP]
resolvConf: $NODE_DIR/resolv.conf
registerWithTaints:
- {key: donations.dev/real-node, value: "true", effect: NoSchedule}
failSwapOn: false
serializeImagePulls: false
maxPods: 60
evictionHard: {memory.available: 200Mi, nodefs.available: 2%, imagefs.available: 2%, nodefs.inodesFree: 2%}
imageGCHighThresholdPercent: 99
imageGCLowThresholdPercent: 98
volumePluginDir: $NODE_DIR/volume-plugins
rotateCertificates: false
serverTLSBootstrap: false
protectKernelDefaults: false
YAML
  start kubelet "$TOOLS_BIN/kubelet" --config "$NODE_DIR/kubelet.yaml" --kubeconfig "$NODE_DIR/kubelet.kubeconfig" \
    --hostname-override "$REAL_NODE_NAME" --node-ip "$REAL_NODE_IP" --root-dir "$KUBELET_ROOT" \
    --node-labels "donations.dev/node=real,topology.kubernetes.io/region=local,topology.kubernetes.io/zone=local-real" \
    --v 1
  wait_for "kubelet health" 60 curl -sf "http://127.0.0.1:$healthz/healthz"
}

kube_proxy_up() {
  cert kube-proxy "/CN=system:kube-proxy"
  kubeconfig kube-proxy "$NODE_DIR/kube-proxy.kubeconfig" "$(api_port)"
  local metrics healthz
  metrics=$(free_local_port); healthz=$(free_local_port)
  cat > "$NODE_DIR/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: {kubeconfig: $NODE_DIR/kube-proxy.kubeconfig}
hostnameOverride: $REAL_NODE_NAME
clusterCIDR: $REAL_NODE_CIDR
bindAddress: 127.0.0.1
healthzBindAddress: 127.0.0.1:$healthz
metricsBindAddress: 127.0.0.1:$metrics
conntrack: {maxPerCore: 0}
iptables: {localhostNodePorts: false}
YAML
  start kube-proxy "$TOOLS_BIN/kube-proxy" --config "$NODE_DIR/kube-proxy.yaml"
  wait_for "kube-proxy" 60 curl -sf "http://127.0.0.1:$healthz/healthz"
}

csi_up() {
  [[ -x $TOOLS_BIN/efs-csi ]] || die "the EFS CSI node plugin is missing: hack/build-tools.sh node"
  mkdir -p "$REAL_NODE_EFS_ROOT"
  local endpoint
  endpoint=$(sed -n 's/^export AWS_ENDPOINT_URL=//p' "$STATE_DIR/env")
  start efs-csi "$TOOLS_BIN/efs-csi" --kubelet-root "$KUBELET_ROOT" --data-root "$REAL_NODE_EFS_ROOT" \
    --node-id "$REAL_NODE_NAME" --aws-endpoint "$endpoint" --aws-region "$AWS_TEST_REGION"
  kubectl_ apply -f "$HACK_DIR/efs-csi/csidriver.yaml" >/dev/null
}

# A Service without a selector whose endpoint is a process on the node's address: cluster DNS and
# metrics-server run on the host, reached through kube-proxy like any Service.
host_service() { # namespace name cluster-ip|"" port protocol...
  local ns=$1 name=$2 ip=$3 port=$4; shift 4
  local ports="" eports="" proto
  for proto in "$@"; do
    ports+="  - {name: p-${proto,,}, port: $port, targetPort: $port, protocol: $proto}"$'\n'
    eports+="- {name: p-${proto,,}, port: $port, protocol: $proto}"$'\n'
  done
  kubectl_ apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Service
metadata: {name: $name, namespace: $ns, labels: {app.kubernetes.io/managed-by: donation-testbed}}
spec:
  ${ip:+clusterIP: $ip}
  ports:
$ports
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: $name-host
  namespace: $ns
  labels: {kubernetes.io/service-name: $name, endpointslice.kubernetes.io/managed-by: donation-testbed}
addressType: IPv4
endpoints:
- addresses: [$REAL_NODE_IP]
  conditions: {ready: true}
ports:
$eports
YAML
}

dns_up() {
  # Cluster names only: no forward plugin, so nothing leaves the machine.
  cat > "$NODE_DIR/Corefile" <<COREFILE
.:53 {
  bind $REAL_NODE_IP
  errors
  health 127.0.0.1:$(free_local_port)
  kubernetes cluster.local in-addr.arpa ip6.arpa {
    kubeconfig $STATE_DIR/admin.kubeconfig local
    pods insecure
  }
  cache 10
}
COREFILE
  start coredns "$TOOLS_BIN/coredns" -conf "$NODE_DIR/Corefile"
  host_service kube-system kube-dns "$CLUSTER_DNS_IP" 53 UDP TCP
}

metrics_up() {
  local port
  port=$(free_local_port)
  mkdir -p "$NODE_DIR/metrics-server"
  start metrics-server "$TOOLS_BIN/metrics-server" --kubeconfig "$STATE_DIR/admin.kubeconfig" \
    --authentication-kubeconfig "$STATE_DIR/admin.kubeconfig" --authorization-kubeconfig "$STATE_DIR/admin.kubeconfig" \
    --bind-address "$REAL_NODE_IP" --secure-port "$port" --cert-dir "$NODE_DIR/metrics-server" \
    --kubelet-preferred-address-types InternalIP --kubelet-use-node-status-port --kubelet-insecure-tls \
    --node-selector donations.dev/node=real --metric-resolution 15s
  host_service kube-system metrics-server "" "$port" TCP
  kubectl_ apply -f - >/dev/null <<YAML
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1beta1.metrics.k8s.io, labels: {app.kubernetes.io/managed-by: donation-testbed}}
spec:
  service: {name: metrics-server, namespace: kube-system, port: $port}
  group: metrics.k8s.io
  version: v1beta1
  insecureSkipTLSVerify: true
  groupPriorityMinimum: 100
  versionPriority: 100
YAML
}

node_ready() {
  [[ $(kubectl_ get node "$REAL_NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}') == True ]]
}

up() {
  need_root
  [[ -f $STATE_DIR/env ]] || die "the local cluster is not running: hack/local-cluster.sh up --real-node"
  if [[ -e /sys/class/net/$REAL_NODE_BRIDGE ]]; then
    node_alive_elsewhere && die "a real node already runs on this machine (its kubelet is alive); stop it with hack/local-cluster.sh down in its checkout"
    log "removing the network of a real node that is no longer running"
    ip link del "$REAL_NODE_BRIDGE" 2>/dev/null || true
    remove_chains
  fi
  "$HACK_DIR/build-tools.sh" node
  local t0=$SECONDS
  mkdir -p "$NODE_DIR" "$PIDS" "$LOGS"
  network_up
  containerd_up
  import_images "$(pause_image)"
  # The stack's own images (site, fallback), built from Debian packages once and cached.
  local images
  images=$("$HACK_DIR/images/build.sh" site fallback) || die "could not build the images (hack/images/build.sh)"
  # shellcheck disable=SC2086
  import_images $images
  kubelet_up
  kube_proxy_up
  csi_up
  dns_up
  metrics_up
  wait_for "node $REAL_NODE_NAME Ready" 120 node_ready
  log "real node $REAL_NODE_NAME Ready in $((SECONDS - t0))s (pods on $REAL_NODE_CIDR, node address $REAL_NODE_IP)"
}

# Every iptables chain the node made: the guard, the kubelet's KUBE-FIREWALL and canaries, and what
# kube-proxy --cleanup left. The rules that jump to them go first, then the chains.
remove_chains() {
  local cmd table rule chain
  for cmd in iptables ip6tables; do
    command -v "$cmd" >/dev/null || continue
    for table in filter nat mangle; do
      "$cmd" -t "$table" -S >/dev/null 2>&1 || continue
      while read -r rule; do
        [[ -n $rule ]] && { eval "$cmd -t $table ${rule/-A/-D}" 2>/dev/null || true; }
      done < <("$cmd" -t "$table" -S | grep -E -- "^-A .*-j (KUBE-|$GUARD_CHAIN)" || true)
      for chain in $("$cmd" -t "$table" -S | sed -n "s/^-N \(KUBE-[^ ]*\|$GUARD_CHAIN[^ ]*\)$/\1/p"); do
        "$cmd" -t "$table" -F "$chain" 2>/dev/null || true
      done
      for chain in $("$cmd" -t "$table" -S | sed -n "s/^-N \(KUBE-[^ ]*\|$GUARD_CHAIN[^ ]*\)$/\1/p"); do
        "$cmd" -t "$table" -X "$chain" 2>/dev/null || true
      done
    done
  done
}

# Another checkout's node (its kubelet alive) is never touched; a dead one's network is cleared by up.
node_alive_elsewhere() {
  pgrep -f -- "--hostname-override $REAL_NODE_NAME" >/dev/null
}

down() {
  # Only this checkout's node: the bridge and chains are machine-wide, the state directory is ours.
  [[ -d $NODE_DIR ]] || return 0
  need_root
  stop_one kubelet
  if [[ -S $CONTAINERD_SOCK ]]; then
    # Stopping the pods through CRI runs the CNI teardown: veths, IP leases, portmap rules.
    crictl_ stopp $(crictl_ pods -q 2>/dev/null) >/dev/null 2>&1 || true
    crictl_ rmp -fa >/dev/null 2>&1 || true
  fi
  stop_one efs-csi
  stop_one metrics-server
  stop_one coredns
  kubectl_ delete apiservice v1beta1.metrics.k8s.io --ignore-not-found >/dev/null 2>&1 || true
  stop_one kube-proxy
  [[ -x $TOOLS_BIN/kube-proxy ]] && "$TOOLS_BIN/kube-proxy" --cleanup >/dev/null 2>&1 || true
  stop_one containerd
  pkill -KILL -f "containerd-shim-runc-v2 -namespace k8s.io -address $CONTAINERD_SOCK" 2>/dev/null || true
  # Mounts last made first: pod volumes, projected tokens, rootfs overlays, the shm and netns bind mounts.
  local m
  for m in $(findmnt -rn -o TARGET | grep -E "^($NODE_DIR|$NODE_RUN|/run/netns/cni-|/var/run/netns/cni-)" | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
  rm -f /run/netns/cni-* 2>/dev/null || true
  if [[ -e /sys/class/net/$REAL_NODE_BRIDGE ]]; then
    local veth
    for veth in $(ls "/sys/class/net/$REAL_NODE_BRIDGE/brif" 2>/dev/null); do ip link del "$veth" 2>/dev/null || true; done
    ip link del "$REAL_NODE_BRIDGE"
  fi
  remove_chains
  # The pod cgroups the kubelet made (cgroup v1: one tree per controller), deepest first.
  local c
  for c in /sys/fs/cgroup/*/kubepods; do
    [[ -d $c ]] && find "$c" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
  if [[ -f $NODE_DIR/sysctl.saved ]]; then
    local line
    while IFS= read -r line; do echo "${line#*=}" > "/proc/sys/$(echo "${line%%=*}" | tr . /)" || true; done < "$NODE_DIR/sysctl.saved"
  fi
  rm -rf --one-file-system "$NODE_DIR" "$NODE_RUN"
  log "real node removed"
}

case ${1:-} in
  up) up ;;
  down) down ;;
  import) shift; need_root; import_images "$@" ;;
  *) echo "usage: $0 up|down|import FILE..." >&2; exit 2 ;;
esac
