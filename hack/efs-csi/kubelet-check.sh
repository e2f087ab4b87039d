#!/usr/bin/env bash
# Checks efs-csi under a real kubelet (kubebed's v1.36.3) without the test bed: a private etcd,
# kube-apiserver, kube-controller-manager (PV binder and attach/detach only) and containerd, all under $W.
# The plugin registers itself; the kubelet lists it in CSINode; a PersistentVolume shaped like the
# operator's (fs-…::fsap-…, ReadWriteMany, encryptInTransit) is bound and used by two pods on the node;
# the kubelet publishes it to both (no VolumeAttachment), uid 33 writes through one and reads through the
# other; deleting the pods unpublishes; SIGTERM deregisters. The pods never start (no images offline): the
# kubelet mounts volumes before it creates the sandbox, which is all this needs.
# Needs root, containerd, openssl, python3, setpriv, and kubebed built by hack/build-tools.sh.
# Usage: sudo hack/efs-csi/kubelet-check.sh   (KEEP=1 leaves everything running; "down" stops it)
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
W=${EFS_CHECK_DIR:-/tmp/efs-csi-kubelet-check}
B=$TOOLS_BIN/kubebed
SRC=$HACK_DIR/efs-csi
NODE=efs-check-node
PKI=$W/pki; LOGS=$W/logs; PIDS=$W/pids
fail() { log "FAIL: $*"; exit 1; }
start() { local n=$1; shift; setsid "$@" >"$LOGS/$n.log" 2>&1 </dev/null & echo $! >"$PIDS/$n"; }
stop_all() {
  local n pid
  for n in efs-csi kubelet kube-controller-manager kube-apiserver etcd containerd fake-efs; do
    [ -f "$PIDS/$n" ] || continue; pid=$(cat "$PIDS/$n")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true; rm -f "$PIDS/$n"
  done
}
free_ports() { python3 -c '
import socket,sys
s=[socket.socket() for _ in range(int(sys.argv[1]))]
[x.bind(("127.0.0.1",0)) for x in s]; print(" ".join(str(x.getsockname()[1]) for x in s))' "$1"; }
wait_for() { local what=$1 n=$2; shift 2; for _ in $(seq "$n"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done; fail "$what"; }

down() {
  stop_all
  { findmnt -rn -o TARGET | grep "^$W/" || true; } | sort -r | while read -r m; do umount "$m" || umount -l "$m"; done
  rm -rf --one-file-system "$W"
}
case ${1:-} in
down) down; exit 0 ;;
"") ;;
*) echo "usage: $0 [down]" >&2; exit 2 ;;
esac
[ "$(id -u)" = 0 ] || fail "run as root"
[ -x "$B" ] || fail "$B is missing: run hack/build-tools.sh"
for tool in containerd openssl python3 setpriv findmnt; do command -v "$tool" >/dev/null || fail "$tool is missing"; done
[ -n "${KEEP:-}" ] || trap down EXIT

down; mkdir -p "$PKI" "$LOGS" "$PIDS" "$W/etcd" "$W/containerd" "$W/bin"
read -r ETCD EPEER API KUBELET_PORT <<<"$(free_ports 4)"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PKI/ca.key" -out "$PKI/ca.crt" -days 2 -subj /CN=efs-check-ca 2>/dev/null
cert() { # name subj san
  openssl genrsa -out "$PKI/$1.key" 2048 2>/dev/null
  openssl req -new -key "$PKI/$1.key" -subj "$2" -out "$PKI/$1.csr" 2>/dev/null
  { echo "basicConstraints=CA:FALSE"; echo "extendedKeyUsage=serverAuth,clientAuth"; [ -z "${3:-}" ] || echo "subjectAltName=$3"; } >"$PKI/$1.ext"
  openssl x509 -req -in "$PKI/$1.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial -days 2 -extfile "$PKI/$1.ext" -out "$PKI/$1.crt" 2>/dev/null
}
cert apiserver /CN=kube-apiserver "IP:127.0.0.1,IP:10.96.0.1,DNS:localhost"
cert admin "/O=system:masters/CN=admin"
openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null; openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
cat >"$W/admin.kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters: [{name: l, cluster: {server: "https://127.0.0.1:$API", certificate-authority: $PKI/ca.crt}}]
users: [{name: admin, user: {client-certificate: $PKI/admin.crt, client-key: $PKI/admin.key}}]
contexts: [{name: l, context: {cluster: l, user: admin}}]
current-context: l
KC
export KUBECONFIG=$W/admin.kubeconfig
k() { "$B" kubectl "$@"; }

log "build efs-csi and csicheck"
(cd "$SRC" && go build -o "$W/bin/efs-csi" . && go build -o "$W/bin/csicheck" ./cmd/csicheck)

start etcd "$B" etcd --name l --data-dir "$W/etcd" --unsafe-no-fsync --log-level warn \
  --listen-client-urls "http://127.0.0.1:$ETCD" --advertise-client-urls "http://127.0.0.1:$ETCD" \
  --listen-peer-urls "http://127.0.0.1:$EPEER" --initial-advertise-peer-urls "http://127.0.0.1:$EPEER" \
  --initial-cluster "l=http://127.0.0.1:$EPEER"
start kube-apiserver "$B" kube-apiserver --etcd-servers "http://127.0.0.1:$ETCD" --bind-address 127.0.0.1 \
  --advertise-address 127.0.0.1 --secure-port "$API" --endpoint-reconciler-type none \
  --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" --client-ca-file "$PKI/ca.crt" \
  --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$PKI/sa.pub" \
  --service-account-signing-key-file "$PKI/sa.key" --service-cluster-ip-range 10.96.0.0/16 \
  --authorization-mode RBAC --allow-privileged=true --profiling=false
cat >"$W/containerd/config.toml" <<TOML
version = 2
root = "$W/containerd/root"
state = "$W/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]
[grpc]
  address = "$W/containerd/containerd.sock"
[ttrpc]
  address = "$W/containerd/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$W/containerd/opt"
[plugins."io.containerd.grpc.v1.cri".cni]
  bin_dir = "$W/cni/bin"
  conf_dir = "$W/cni/conf"
TOML
start containerd containerd --config "$W/containerd/config.toml"
wait_for "kube-apiserver ready" 90 k get --raw /readyz
wait_for "containerd socket" 30 test -S "$W/containerd/containerd.sock"
log "control plane and containerd up"
start kube-controller-manager "$B" kube-controller-manager --kubeconfig "$W/admin.kubeconfig" \
  --authentication-kubeconfig "$W/admin.kubeconfig" --authorization-kubeconfig "$W/admin.kubeconfig" \
  --bind-address 127.0.0.1 --secure-port 0 --leader-elect=false --profiling=false \
  --controllers persistentvolume-binder-controller,persistentvolume-attach-detach-controller

cat >"$W/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication: {anonymous: {enabled: false}, webhook: {enabled: false}, x509: {clientCAFile: $PKI/ca.crt}}
authorization: {mode: AlwaysAllow}
address: 127.0.0.1
port: $KUBELET_PORT
readOnlyPort: 0
healthzPort: 0
cgroupDriver: cgroupfs
cgroupsPerQOS: false
enforceNodeAllocatable: []
failSwapOn: false
failCgroupV1: false
containerRuntimeEndpoint: unix://$W/containerd/containerd.sock
podLogsDir: $W/pod-logs
imageGCHighThresholdPercent: 100
evictionHard: {}
YAML
mkdir -m 755 "$W/kubelet"
# A stand-in for moto: the access point as the operator creates it (CreationInfo 33:33 0755).
"$W/bin/csicheck" fake-efs -listen 127.0.0.1:0 -region eu-west-1 -ap fsap-0456cdef=fs-0123abcd:33:33:0755 >"$W/aws.url" &
echo $! >"$PIDS/fake-efs"
wait_for "fake EFS API" 10 test -s "$W/aws.url"
plugin() {
  start efs-csi "$W/bin/efs-csi" --kubelet-root "$W/kubelet" --data-root "$W/data" --node-id "$NODE" \
    --aws-endpoint "$(cat "$W/aws.url")" --aws-region eu-west-1
}
# EFS_FIRST=1 starts the plugin before the kubelet: the plugin watcher must find an existing socket too.
[ -z "${EFS_FIRST:-}" ] || plugin
start kubelet "$B" kubelet --config "$W/kubelet.yaml" --kubeconfig "$W/admin.kubeconfig" --root-dir "$W/kubelet" \
  --hostname-override "$NODE" --node-ip 127.0.0.1 --cert-dir "$W/kubelet-pki" -v 2
wait_for "node $NODE registered" 90 k get node "$NODE"
log "kubelet registered node $NODE"
[ -n "${EFS_FIRST:-}" ] || plugin
k apply -f "$SRC/csidriver.yaml" >/dev/null
csinode_driver() { k get csinode "$NODE" -o jsonpath='{.spec.drivers[?(@.name=="efs.csi.aws.com")].nodeID}' | grep -qx "$NODE"; }
wait_for "CSINode lists efs.csi.aws.com" 60 csinode_driver
log "CSINode $NODE: $(k get csinode "$NODE" -o jsonpath='{.spec.drivers}')"

# The campaign's volume as UploadsVolume/UploadsClaim build it, and two WordPress-like pods on the node.
k create namespace camp >/dev/null
k -n camp create serviceaccount default >/dev/null 2>&1 || true
cat <<YAML | k apply -f - >/dev/null
apiVersion: v1
kind: PersistentVolume
metadata: {name: camp-demo-uploads}
spec:
  capacity: {storage: 100Gi}
  volumeMode: Filesystem
  accessModes: [ReadWriteMany]
  persistentVolumeReclaimPolicy: Retain
  claimRef: {namespace: camp, name: demo-uploads}
  csi:
    driver: efs.csi.aws.com
    volumeHandle: fs-0123abcd::fsap-0456cdef
    volumeAttributes: {encryptInTransit: "true"}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: demo-uploads, namespace: camp}
spec:
  accessModes: [ReadWriteMany]
  storageClassName: ""
  volumeName: camp-demo-uploads
  resources: {requests: {storage: 100Gi}}
YAML
bound() { [ "$(k -n camp get pvc demo-uploads -o jsonpath='{.status.phase}')" = Bound ]; }
wait_for "claim bound" 60 bound
log "claim bound"
for p in wp-a wp-b; do
cat <<YAML | k apply -f - >/dev/null
apiVersion: v1
kind: Pod
metadata: {name: $p, namespace: camp}
spec:
  nodeName: $NODE
  hostNetwork: true
  automountServiceAccountToken: false
  securityContext: {runAsUser: 33, runAsGroup: 33}
  containers:
  - name: wordpress
    image: registry.invalid/wordpress:none
    volumeMounts: [{name: uploads, mountPath: /var/www/html/wp-content/uploads}]
  volumes:
  - name: uploads
    persistentVolumeClaim: {claimName: demo-uploads}
YAML
done
targets() { findmnt -rn -o TARGET | grep "^$W/kubelet/pods/.*/volumes/kubernetes.io~csi/camp-demo-uploads/mount$" || true; }
two_mounts() { [ "$(targets | wc -l)" = 2 ]; }
wait_for "two pod volume mounts" 90 two_mounts
log "mounted by the kubelet:"; targets | sed 's/^/    /' >&2
ta=$W/kubelet/pods/$(k -n camp get pod wp-a -o jsonpath='{.metadata.uid}')/volumes/kubernetes.io~csi/camp-demo-uploads/mount
tb=$W/kubelet/pods/$(k -n camp get pod wp-b -o jsonpath='{.metadata.uid}')/volumes/kubernetes.io~csi/camp-demo-uploads/mount
(cd "$ta" && setpriv --reuid 33 --regid 33 --clear-groups sh -c 'echo from-a > upload.jpg && mkdir -p 2026/07')
(cd "$tb" && [ "$(setpriv --reuid 33 --regid 33 --clear-groups cat upload.jpg)" = from-a ]) || fail "wp-b does not see wp-a's file"
log "uid 33 wrote through wp-a's volume, read through wp-b's: $(stat -c '%U:%G %a %n' "$tb/upload.jpg" "$tb/2026")"
hostdir=$(stat -c '%u:%g %a' "$W/data/fs-0123abcd/fsap-0456cdef")
[ "$hostdir" = "33:33 755" ] || fail "host dir is $hostdir, want the access point's 33:33 755"
log "host dir $W/data/fs-0123abcd/fsap-0456cdef: $hostdir, from the access point"
log "pod events: $(k -n camp get events --field-selector involvedObject.name=wp-a -o jsonpath='{range .items[*]}{.reason}{" "}{end}')"
[ "$(k get volumeattachments -o name | wc -l)" = 0 ] || fail "a VolumeAttachment was created"
log "no VolumeAttachment (attachRequired: false)"

k -n camp delete pod wp-a wp-b --grace-period=0 --force >/dev/null 2>&1
no_mounts() { [ "$(targets | wc -l)" = 0 ]; }
wait_for "kubelet unmounted both" 90 no_mounts
log "pods deleted: kubelet unpublished both; data kept: $(cat "$W/data/fs-0123abcd/fsap-0456cdef/upload.jpg")"

kill -TERM "$(cat "$PIDS/efs-csi")"
gone() { ! k get csinode "$NODE" -o jsonpath='{.spec.drivers[*].name}' | grep -q efs.csi.aws.com; }
wait_for "CSINode drops the driver after SIGTERM" 60 gone
rm -f "$PIDS/efs-csi"
[ ! -e "$W/kubelet/plugins_registry/efs.csi.aws.com-reg.sock" ] && [ ! -e "$W/kubelet/plugins/efs.csi.aws.com/csi.sock" ] ||
  fail "sockets left after SIGTERM"
log "SIGTERM: sockets removed, the kubelet dropped the driver from CSINode"
log "plugin log:"; sed 's/^/    /' "$LOGS/efs-csi.log" >&2
log "PASS"
