#!/usr/bin/env bash
# Real nodes beside the kwok nodes of the local test bed: up to three, each a kubelet, containerd (its own
# root, state and socket), kube-proxy, kube-network-policies and the EFS CSI node plugin of hack/efs-csi in a
# network namespace of its own, with its own pod subnet and zone. Pods really run there.
#   hack/real-node.sh up [N]     add N nodes (default 1) to the running local cluster
#                                (hack/local-cluster.sh up --real-nodes N)
#   hack/real-node.sh down       remove every pod, container, mount, network namespace, interface, iptables
#                                rule and cgroup it made
#   hack/real-node.sh kill NAME  stop one node abruptly: SIGKILL to its kubelet, containerd, kube-proxy,
#                                policy enforcer, CSI plugin and every container process; its network goes
#                                dark (packets to it are lost, as to a machine that died). No drain.
#   hack/real-node.sh back NAME  start a killed node again with the same state
#   hack/real-node.sh import FILE...   import docker-archive image tarballs into every node's runtime
#
# The network: the host bridge dono0 (10.88.0.0/24, the host is 10.88.0.1, node N is 10.88.0.(10+N))
# joins the nodes' namespaces through veth pairs; node N's pods live on its own bridge cni0 on
# 10.88.N.0/24, and every node routes the other nodes' pod subnets to them over dono0 (host-gw routing,
# as flannel's host-gw or an AWS VPC does). The host routes them too, so the API server, the proxies on
# 127.0.0.1 and the tests reach pods. A guard on the host rejects any pod packet that would leave the
# machine and any packet to kwok's made-up addresses.
#
# NetworkPolicies are enforced by kube-network-policies (sigs.k8s.io, the enforcer kind ships) on every
# node: new connections from and to the node's pods go to its NFQUEUE, where it decides by the policies.
# This kernel has no nftables queue expression (CONFIG_NFT_QUEUE is off), so the queue rule is an
# iptables NFQUEUE rule in the node's namespace (xtables NFQUEUE is built in) instead of the nftables
# rule the enforcer would add; its own nftables sync fails and is ignored, the decisions are its own.
#
# Needs root (containers, mounts, iptables, namespaces). One set of real nodes per machine: the bridge
# and the addresses are fixed. The nodes are tainted donations.dev/real-node=true:NoSchedule so kwok-only
# tests never land there; a namespace opts in with real_node_namespace (lib.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

FABRIC_DIR=$STATE_DIR/node       # what the nodes share: the CNI ipam, the EFS root, the node count
PKI=$STATE_DIR/pki
PIDS=$STATE_DIR/pids
LOGS=$STATE_DIR/logs
GUARD_CHAIN=DONATION-NODE-GUARD
NETPOL_CHAIN=DONATION-NETPOL
NETPOL_QUEUE=100

need_root() { [[ $(id -u) -eq 0 ]] || die "the real nodes need root (containers, mounts, iptables)"; }

# Per node N: its name, directories, namespace, socket and process names.
node_dir() { echo "$FABRIC_DIR/$(real_node_name "$1")"; }
node_run() { echo "/run/donation-node-$1"; }
node_netns() { echo "donation-node-$1"; }
node_cgroup() { echo "donation-node-$1"; }
node_sock() { echo "$(node_run "$1")/containerd.sock"; }
in_node() { local n=$1; shift; nsenter --net="/run/netns/$(node_netns "$n")" "$@"; }
# For start (lib.sh), which runs a command, not a function: the words that put one in node N's namespace.
node_ns_cmd() { echo nsenter "--net=/run/netns/$(node_netns "$1")"; }
node_count() { cat "$FABRIC_DIR/count" 2>/dev/null || echo 0; }
node_index() { # name -> N
  [[ $1 =~ ^real-node-([1-9])$ ]] && ((BASH_REMATCH[1] <= $(node_count))) || die "no real node $1 (running: $(node_count))"
  echo "${BASH_REMATCH[1]}"
}

ctr_() { local n=$1; shift; ctr --address "$(node_sock "$n")" -n k8s.io "$@"; }
crictl_() { local n=$1; shift; "$TOOLS_BIN/crictl" --runtime-endpoint "unix://$(node_sock "$n")" --image-endpoint "unix://$(node_sock "$n")" --timeout 30s "$@"; }
kubectl_() { "$TOOLS_BIN/kubectl" --kubeconfig "$STATE_DIR/admin.kubeconfig" "$@"; }

# The API server's port, from the admin kubeconfig local-cluster.sh wrote.
api_port() { sed -n 's#.*server: https://127.0.0.1:\([0-9]*\)$#\1#p' "$STATE_DIR/admin.kubeconfig" | head -1; }

# A kubeconfig for a process in a node's namespace: the API server on the host's node-network address.
node_kubeconfig() { # user file
  kubeconfig "$1" "$2" "$(api_port)"
  sed -i "s#https://127.0.0.1:#https://$REAL_NODE_IP:#" "$2"
}

save_sysctl() { # key value: set it, remembering the old value for down
  local key=$1 value=$2 path=/proc/sys/${1//.//}
  [[ -e $path ]] || return 0
  grep -q "^$key=" "$FABRIC_DIR/sysctl.saved" 2>/dev/null || echo "$key=$(cat "$path")" >> "$FABRIC_DIR/sysctl.saved"
  echo "$value" > "$path"
}

# The host's side: the bridge the nodes hang on, the database address, the routes to the pod subnets,
# and the guards.
fabric_up() {
  ip link add "$REAL_NODE_BRIDGE" type bridge
  ip addr add "$REAL_NODE_IP/24" dev "$REAL_NODE_BRIDGE"
  ip addr add "$REAL_DB_IP/32" dev "$REAL_NODE_BRIDGE"
  ip link set "$REAL_NODE_BRIDGE" up
  modprobe br_netfilter 2>/dev/null || true
  save_sysctl net.bridge.bridge-nf-call-iptables 1
  save_sysctl net.ipv4.ip_forward 1
  # Pods and nodes talk to each other, to Services and to this host, never further: no outside network
  # is a target.
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
  mkdir -p "$REAL_NODE_EFS_ROOT"
}

# Node N's namespace: a veth to the bridge, its address, routes to the host and the other nodes' pods,
# and the queue rule that hands new pod connections to kube-network-policies.
node_network_up() { # N
  local n=$1 ns host_if j
  ns=$(node_netns "$n"); host_if=dn$n-host
  ip netns add "$ns"
  ip link add "$host_if" type veth peer name eth0 netns "$ns"
  ip link set "$host_if" master "$REAL_NODE_BRIDGE" up
  in_node "$n" ip link set lo up
  in_node "$n" ip addr add "$(real_node_ip "$n")/24" dev eth0
  in_node "$n" ip link set eth0 up
  in_node "$n" ip route add default via "$REAL_NODE_IP"
  for ((j = 1; j <= REAL_NODE_MAX; j++)); do
    ((j == n)) && continue
    in_node "$n" ip route add "$(real_node_pod_cidr "$j")" via "$(real_node_ip "$j")"
  done
  ip route replace "$(real_node_pod_cidr "$n")" via "$(real_node_ip "$n")"
  in_node "$n" sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
  in_node "$n" sh -c 'echo 1 > /proc/sys/net/bridge/bridge-nf-call-iptables' 2>/dev/null || true
  netpol_rules "$n"
  local dir
  dir=$(node_dir "$n")
  mkdir -p "$dir/cni/conf" "$dir/cni/ipam"
  cat > "$dir/cni/conf/10-donation.conflist" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "donation-node",
  "plugins": [
    {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "dataDir": "$dir/cni/ipam",
              "ranges": [[{"subnet": "$(real_node_pod_cidr "$n")", "rangeStart": "10.88.$n.10", "gateway": "10.88.$n.1"}]],
              "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
JSON
}

# New connections from or to the node's pods go to kube-network-policies' queue, in POSTROUTING (after
# kube-proxy's DNAT, so the policy sees the pod behind a Service). Like the enforcer's own rules:
# established flows are not asked again, and the node's own root processes (the kubelet's probes) pass.
# No bypass: while the enforcer is down, new pod connections wait, as with any enforcing CNI.
netpol_rules() { # N
  local n=$1 cidr
  cidr=$(real_node_pod_cidr "$n")
  in_node "$n" iptables -t mangle -N "$NETPOL_CHAIN"
  in_node "$n" iptables -t mangle -A "$NETPOL_CHAIN" -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN
  in_node "$n" iptables -t mangle -A "$NETPOL_CHAIN" -m owner --uid-owner 0 -j RETURN
  in_node "$n" iptables -t mangle -A "$NETPOL_CHAIN" -s "$cidr" -j NFQUEUE --queue-num "$NETPOL_QUEUE"
  in_node "$n" iptables -t mangle -A "$NETPOL_CHAIN" -d "$cidr" -j NFQUEUE --queue-num "$NETPOL_QUEUE"
  in_node "$n" iptables -t mangle -A POSTROUTING -j "$NETPOL_CHAIN"
}

containerd_up() { # N
  local n=$1 dir run
  dir=$(node_dir "$n"); run=$(node_run "$n")
  mkdir -p "$run" "$dir/containerd"
  cat > "$dir/containerd.toml" <<TOML
version = 2
root = "$dir/containerd"
state = "$run/state"
[grpc]
  address = "$run/containerd.sock"
[ttrpc]
  address = "$run/containerd.sock.ttrpc"
[debug]
  address = "$run/debug.sock"
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
        Root = "$run/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN_DIR"
    conf_dir = "$dir/cni/conf"
TOML
  start "containerd-$n" $(node_ns_cmd "$n") containerd --config "$dir/containerd.toml"
  # Its CRI plugin answers only once it has loaded its state (after a crash: every dead container's).
  wait_for "containerd of $(real_node_name "$n")" 60 crictl_ "$n" info
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

import_images() { # N tarballs...
  local n=$1 f; shift
  for f in "$@"; do
    ctr_ "$n" images import --snapshotter overlayfs "$f" >/dev/null || die "could not import $f into $(real_node_name "$n")"
  done
  log "$(real_node_name "$n"): imported $(for f in "$@"; do basename "$f"; done | paste -sd' ')"
}

# The kubelet's pods live under a cgroup root of their own per node (cgroup v1: one tree per controller),
# so no kubelet ever sees, or cleans up as orphans, another node's pods; node-kill finds them there.
cgroups_up() { # N
  local c
  for c in /sys/fs/cgroup/*/; do
    [[ -e $c/cgroup.procs && ! -L ${c%/} ]] || continue
    mkdir -p "$c$(node_cgroup "$1")"
  done
  # A new cpuset cgroup has no CPUs and no memory nodes until it is given its parent's.
  local cs=/sys/fs/cgroup/cpuset
  if [[ -e $cs/cpuset.cpus ]]; then
    cat "$cs/cpuset.cpus" > "$cs/$(node_cgroup "$1")/cpuset.cpus"
    cat "$cs/cpuset.mems" > "$cs/$(node_cgroup "$1")/cpuset.mems"
  fi
}

kubelet_up() { # N
  local n=$1 name dir ip
  name=$(real_node_name "$n"); dir=$(node_dir "$n"); ip=$(real_node_ip "$n")
  mkdir -p "$dir/kubelet" "$dir/volume-plugins"
  if [[ ! -f $PKI/kubelet-$name.crt ]]; then
    cert "kubelet-$name" "/O=system:nodes/CN=system:node:$name"
    cert "kubelet-serving-$name" "/CN=$name" "IP:$ip,DNS:$name"
  fi
  node_kubeconfig "kubelet-$name" "$dir/kubelet.kubeconfig"
  # No nameserver: pods resolve nothing outside the cluster.
  echo "options ndots:5" > "$dir/resolv.conf"
  cat > "$dir/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupRoot: /$(node_cgroup "$n")
address: $ip
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
tlsCertFile: $PKI/kubelet-serving-$name.crt
tlsPrivateKeyFile: $PKI/kubelet-serving-$name.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
containerRuntimeEndpoint: unix://$(node_sock "$n")
imageServiceEndpoint: unix://$(node_sock "$n")
clusterDomain: cluster.local
clusterDNS: [$CLUSTER_DNS_IP]
resolvConf: $dir/resolv.conf
registerWithTaints:
- {key: donations.dev/real-node, value: "true", effect: NoSchedule}
failSwapOn: false
serializeImagePulls: false
maxPods: 60
evictionHard: {memory.available: 200Mi, nodefs.available: 2%, imagefs.available: 2%, nodefs.inodesFree: 2%}
imageGCHighThresholdPercent: 99
imageGCLowThresholdPercent: 98
volumePluginDir: $dir/volume-plugins
rotateCertificates: false
serverTLSBootstrap: false
protectKernelDefaults: false
YAML
  start "kubelet-$n" $(node_ns_cmd "$n") "$TOOLS_BIN/kubelet" --config "$dir/kubelet.yaml" --kubeconfig "$dir/kubelet.kubeconfig" \
    --hostname-override "$name" --node-ip "$ip" --root-dir "$dir/kubelet" \
    --node-labels "donations.dev/node=real,topology.kubernetes.io/region=local,topology.kubernetes.io/zone=$(real_node_zone "$n")" \
    --v 1
  wait_for "kubelet of $name" 60 in_node "$n" curl -sf http://127.0.0.1:10248/healthz
}

kube_proxy_config() { # kubeconfig hostname file [healthz-port metrics-port]
  cat > "$3" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: {kubeconfig: $1}
hostnameOverride: $2
clusterCIDR: $REAL_NODE_CIDR
bindAddress: 127.0.0.1
healthzBindAddress: 127.0.0.1:${4:-10256}
metricsBindAddress: 127.0.0.1:${5:-10249}
conntrack: {maxPerCore: 0}
iptables: {localhostNodePorts: false}
YAML
}

kube_proxy_up() { # N
  local n=$1 dir
  dir=$(node_dir "$n")
  [[ -f $PKI/kube-proxy.crt ]] || cert kube-proxy "/CN=system:kube-proxy"
  node_kubeconfig kube-proxy "$dir/kube-proxy.kubeconfig"
  kube_proxy_config "$dir/kube-proxy.kubeconfig" "$(real_node_name "$n")" "$dir/kube-proxy.yaml"
  start "kube-proxy-$n" $(node_ns_cmd "$n") "$TOOLS_BIN/kube-proxy" --config "$dir/kube-proxy.yaml"
  wait_for "kube-proxy of $(real_node_name "$n")" 60 in_node "$n" curl -sf http://127.0.0.1:10256/healthz
}

# The host is no node, but the proxies (Traefik, the ingress stand-in) and the tests run there and reach
# Services by their cluster IPs, as a load balancer in the VPC would reach node ports: one kube-proxy in
# the host's namespace too.
host_kube_proxy_up() {
  local healthz metrics
  healthz=$(free_local_port); metrics=$(free_local_port)
  kubeconfig kube-proxy "$FABRIC_DIR/kube-proxy-host.kubeconfig" "$(api_port)"
  kube_proxy_config "$FABRIC_DIR/kube-proxy-host.kubeconfig" "$REAL_NODE_NAME" "$FABRIC_DIR/kube-proxy-host.yaml" "$healthz" "$metrics"
  start kube-proxy-host "$TOOLS_BIN/kube-proxy" --config "$FABRIC_DIR/kube-proxy-host.yaml"
  wait_for "kube-proxy (host)" 60 curl -sf "http://127.0.0.1:$healthz/healthz"
}

netpol_up() { # N
  local n=$1 dir
  dir=$(node_dir "$n")
  [[ -x $TOOLS_BIN/kube-network-policies ]] || die "kube-network-policies is missing: hack/build-tools.sh node"
  [[ -f $PKI/kube-network-policies.crt ]] || cert kube-network-policies "/O=system:masters/CN=kube-network-policies"
  node_kubeconfig kube-network-policies "$dir/netpol.kubeconfig"
  # Kernel 6.18: the DNS conntrack race of netfilter bug 1766 is fixed; containerd 1.6 has no NRI.
  start "netpol-$n" $(node_ns_cmd "$n") env KUBECONFIG="$dir/netpol.kubeconfig" "$TOOLS_BIN/kube-network-policies" \
    --hostname-override "$(real_node_name "$n")" --nfqueue-id "$NETPOL_QUEUE" --netfilter-bug-1766-fix=false \
    --disable-nri --metrics-bind-address 127.0.0.1:9080 --v 2
  wait_for "kube-network-policies of $(real_node_name "$n")" 60 netpol_listening "$n"
}

# The enforcer has bound its queue once the kernel lists it.
netpol_listening() { in_node "$1" awk -v q="$NETPOL_QUEUE" '$1 == q {found=1} END {exit !found}' /proc/net/netfilter/nfnetlink_queue; }

csi_up() { # N
  local n=$1 endpoint
  [[ -x $TOOLS_BIN/efs-csi ]] || die "the EFS CSI node plugin is missing: hack/build-tools.sh node"
  endpoint=$(sed -n 's/^export AWS_ENDPOINT_URL=//p' "$STATE_DIR/env")
  endpoint=${endpoint/127.0.0.1/$REAL_NODE_IP}
  start "efs-csi-$n" $(node_ns_cmd "$n") "$TOOLS_BIN/efs-csi" --kubelet-root "$(node_dir "$n")/kubelet" --data-root "$REAL_NODE_EFS_ROOT" \
    --node-id "$(real_node_name "$n")" --aws-endpoint "$endpoint" --aws-region "$AWS_TEST_REGION"
}

# A Service without a selector whose endpoint is a process on the host's node-network address: cluster
# DNS and metrics-server run on the host, reached through kube-proxy like any Service.
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
  cat > "$FABRIC_DIR/Corefile" <<COREFILE
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
  start coredns "$TOOLS_BIN/coredns" -conf "$FABRIC_DIR/Corefile"
  host_service kube-system kube-dns "$CLUSTER_DNS_IP" 53 UDP TCP
}

metrics_up() {
  local port
  port=$(free_local_port)
  mkdir -p "$FABRIC_DIR/metrics-server"
  start metrics-server "$TOOLS_BIN/metrics-server" --kubeconfig "$STATE_DIR/admin.kubeconfig" \
    --authentication-kubeconfig "$STATE_DIR/admin.kubeconfig" --authorization-kubeconfig "$STATE_DIR/admin.kubeconfig" \
    --bind-address "$REAL_NODE_IP" --secure-port "$port" --cert-dir "$FABRIC_DIR/metrics-server" \
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

node_ready() { # name
  [[ $(kubectl_ get node "$1" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}') == True ]]
}

# One node's processes, in order; its namespace and images already there.
node_processes_up() { # N
  containerd_up "$1"
  kubelet_up "$1"
  kube_proxy_up "$1"
  netpol_up "$1"
  csi_up "$1"
}

up() {
  need_root
  local count=${1:-1}
  [[ $count =~ ^[1-9]$ ]] && ((count <= REAL_NODE_MAX)) || die "1 to $REAL_NODE_MAX real nodes, not $count"
  [[ -f $STATE_DIR/env ]] || die "the local cluster is not running: hack/local-cluster.sh up --real-nodes $count"
  if [[ -e /sys/class/net/$REAL_NODE_BRIDGE ]]; then
    node_alive_elsewhere && die "real nodes already run on this machine (a kubelet is alive); stop them with hack/local-cluster.sh down in their checkout"
    log "removing the network of real nodes that are no longer running"
    stale_network_down
  fi
  "$HACK_DIR/build-tools.sh" node
  local t0=$SECONDS n images
  mkdir -p "$FABRIC_DIR" "$PIDS" "$LOGS"
  echo "$count" > "$FABRIC_DIR/count"
  fabric_up
  # The stack's own images (site, fallback), built from Debian packages once and cached.
  images=$("$HACK_DIR/images/build.sh" site fallback) || die "could not build the images (hack/images/build.sh)"
  for ((n = 1; n <= count; n++)); do
    node_network_up "$n"
    cgroups_up "$n"
    containerd_up "$n"
    # shellcheck disable=SC2086
    import_images "$n" "$(pause_image)" $images
  done
  for ((n = 1; n <= count; n++)); do
    kubelet_up "$n"
    kube_proxy_up "$n"
    netpol_up "$n"
    csi_up "$n"
  done
  kubectl_ apply -f "$HACK_DIR/efs-csi/csidriver.yaml" >/dev/null
  host_kube_proxy_up
  dns_up
  metrics_up
  for ((n = 1; n <= count; n++)); do
    wait_for "node $(real_node_name "$n") Ready" 120 node_ready "$(real_node_name "$n")"
  done
  log "$count real node(s) Ready in $((SECONDS - t0))s (node N: 10.88.0.(10+N), its pods on 10.88.N.0/24, zone local-a/b/c; host $REAL_NODE_IP)"
}

# A node dies: every process of it gets SIGKILL at once, and its network goes dark (its link on the
# bridge down: packets to its address and its pods are lost, not refused). Its pods stay in the API as
# they were until the node controller notices.
node_kill() { # name
  need_root
  local n t0=$SECONDS
  n=$(node_index "$1")
  ip link set "dn$n-host" down
  local p pids=()
  for p in kubelet containerd kube-proxy netpol efs-csi; do
    [[ -f $PIDS/$p-$n ]] && pids+=("-$(cat "$PIDS/$p-$n")")
  done
  ((${#pids[@]})) && kill -KILL -- "${pids[@]}" 2>/dev/null || true
  pkill -KILL -f "containerd-shim-runc-v2 -namespace k8s.io -address $(node_sock "$n")" 2>/dev/null || true
  # Every container process: they live in the node's cgroups.
  local procs
  procs=$(find "/sys/fs/cgroup/pids/$(node_cgroup "$n")" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u)
  [[ -z $procs ]] || kill -KILL $procs 2>/dev/null || true
  for p in kubelet containerd kube-proxy netpol efs-csi; do rm -f "$PIDS/$p-$n"; done
  touch "$(node_dir "$n")/killed"
  log "$1 killed in $((SECONDS - t0))s ($(wc -w <<<"$procs") container processes)"
}

# The node comes back as a machine that rebooted: its processes start again on the same state; the
# kubelet finds its pods' containers gone and starts them again, or learns that they were deleted.
node_back() { # name
  need_root
  local n t0=$SECONDS
  n=$(node_index "$1")
  [[ -f $(node_dir "$n")/killed ]] || die "$1 was not killed"
  # The dead pods' sandboxes are still known to containerd; the kubelet stops them (CNI teardown) and
  # makes new ones.
  ip link set "dn$n-host" up
  node_processes_up "$n"
  wait_for "node $1 Ready" 120 node_ready "$1"
  rm -f "$(node_dir "$n")/killed"
  log "$1 back and Ready in $((SECONDS - t0))s"
}

# Every iptables chain the nodes made in the host's namespace: the guards, and what the host's kube-proxy
# and --cleanup left. The rules that jump to them go first, then the chains. (The nodes' own rules go
# with their namespaces.)
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

# Another checkout's nodes (a kubelet alive) are never touched; dead ones' network is cleared by up.
node_alive_elsewhere() {
  pgrep -f -- "--hostname-override real-node-[0-9]" >/dev/null
}

stale_network_down() {
  local n
  for ((n = 1; n <= REAL_NODE_MAX; n++)); do
    ip netns del "$(node_netns "$n")" 2>/dev/null || true
    ip link del "dn$n-host" 2>/dev/null || true
    ip route del "$(real_node_pod_cidr "$n")" 2>/dev/null || true
  done
  ip link del "$REAL_NODE_BRIDGE" 2>/dev/null || true
  remove_chains
}

down() {
  # Only this checkout's nodes: the bridge and chains are machine-wide, the state directory is ours.
  [[ -d $FABRIC_DIR ]] || return 0
  need_root
  local n count
  count=$(node_count)
  for ((n = 1; n <= count; n++)); do
    stop_one "kubelet-$n"
    if [[ -S $(node_sock "$n") ]]; then
      # Stopping the pods through CRI runs the CNI teardown: veths, IP leases, portmap rules.
      # shellcheck disable=SC2046
      crictl_ "$n" stopp $(crictl_ "$n" pods -q 2>/dev/null) >/dev/null 2>&1 || true
      crictl_ "$n" rmp -fa >/dev/null 2>&1 || true
    fi
    stop_one "efs-csi-$n"
    stop_one "netpol-$n"
    stop_one "kube-proxy-$n"
    stop_one "containerd-$n"
    pkill -KILL -f "containerd-shim-runc-v2 -namespace k8s.io -address $(node_sock "$n")" 2>/dev/null || true
  done
  stop_one metrics-server
  stop_one coredns
  kubectl_ delete apiservice v1beta1.metrics.k8s.io --ignore-not-found >/dev/null 2>&1 || true
  stop_one kube-proxy-host
  [[ -x $TOOLS_BIN/kube-proxy ]] && "$TOOLS_BIN/kube-proxy" --cleanup >/dev/null 2>&1 || true
  # Mounts last made first: pod volumes, projected tokens, rootfs overlays, the shm and netns bind mounts.
  local m
  for m in $(findmnt -rn -o TARGET | grep -E "^($FABRIC_DIR|/run/donation-node-|/run/netns/cni-|/var/run/netns/cni-|/run/netns/donation-node-)" | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
  rm -f /run/netns/cni-* 2>/dev/null || true
  stale_network_down
  # The pod cgroups the kubelets made (cgroup v1: one tree per controller), deepest first.
  local c
  for ((n = 1; n <= REAL_NODE_MAX; n++)); do
    for c in /sys/fs/cgroup/*/"$(node_cgroup "$n")"; do
      [[ -d $c ]] && find "$c" -depth -type d -exec rmdir {} \; 2>/dev/null || true
    done
  done
  if [[ -f $FABRIC_DIR/sysctl.saved ]]; then
    local line
    while IFS= read -r line; do echo "${line#*=}" > "/proc/sys/$(echo "${line%%=*}" | tr . /)" || true; done < "$FABRIC_DIR/sysctl.saved"
  fi
  rm -rf --one-file-system "$FABRIC_DIR" /run/donation-node-*
  log "real nodes removed"
}

case ${1:-} in
  up) shift; up "$@" ;;
  down) down ;;
  kill) [[ -n ${2:-} ]] || die "usage: $0 kill real-node-N"; node_kill "$2" ;;
  back) [[ -n ${2:-} ]] || die "usage: $0 back real-node-N"; node_back "$2" ;;
  import) shift; need_root; for ((i = 1; i <= $(node_count); i++)); do import_images "$i" "$@"; done ;;
  *) echo "usage: $0 up [N]|down|kill NAME|back NAME|import FILE..." >&2; exit 2 ;;
esac
