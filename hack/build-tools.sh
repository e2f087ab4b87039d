#!/usr/bin/env bash
# Builds the test bed's tools once per version into the cache (outside the repo) and reuses them:
#   kubebed (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl in one binary),
#   kwok and its stage definitions, helm, and a Python venv with moto[server] for the AWS front
#   (plus Debian's mariadb-server and mariadb-client when LOCAL_REAL_DATABASES=1); `proxy` builds Traefik
#   for hack/gateway (not part of `all`).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

command -v go >/dev/null || die "go is needed to build the test bed"
command -v python3 >/dev/null || die "python3 is needed for the AWS emulator"
mkdir -p "$TOOLS_BIN"

build_kubebed() {
  [[ -x $TOOLS_BIN/kubebed ]] && return
  log "building kubebed (Kubernetes $K8S_VERSION: etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl); the first build takes a while"
  local t0=$SECONDS
  (cd "$HACK_DIR/kubebed" && go build -trimpath -ldflags "-s -w \
      -X k8s.io/component-base/version.gitVersion=$K8S_VERSION \
      -X k8s.io/component-base/version.gitMajor=$(echo "$K8S_VERSION" | cut -d. -f1 | tr -d v) \
      -X k8s.io/component-base/version.gitMinor=$(echo "$K8S_VERSION" | cut -d. -f2)" \
      -o "$TOOLS_BIN/kubebed.tmp" .)
  mv "$TOOLS_BIN/kubebed.tmp" "$TOOLS_BIN/kubebed"
  log "kubebed built in $((SECONDS - t0))s"
}

link_components() {
  local c
  for c in etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy; do
    ln -sf kubebed "$TOOLS_BIN/$c"
  done
}

build_go_tool() { # name module version
  local name=$1 module=$2 version=$3
  [[ -x $TOOLS_BIN/$name ]] && return
  log "building $name $version"
  local t0=$SECONDS
  (cd "$TOOLS_DIR" && GOBIN="$TOOLS_BIN" go install "$module@$version")
  log "$name built in $((SECONDS - t0))s"
}

kwok_stages() {
  local out=$TOOLS_DIR/kwok-stages.yaml
  [[ -s $out ]] && return
  local dir
  dir=$(cd "$TOOLS_DIR" && go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
  # The "fast" stages: nodes become Ready and keep their leases; pods become Ready at once and go away on delete.
  local f
  for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
           pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
    cat "$dir/kustomize/stage/$f"
    echo "---"
  done > "$out.tmp"
  mv "$out.tmp" "$out"
}

moto_venv() {
  [[ -x $MOTO_VENV/bin/moto_server ]] && return
  log "installing moto[server]==$MOTO_VERSION into $MOTO_VENV"
  python3 -m venv "$MOTO_VENV"
  "$MOTO_VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
}

apt_packages() { # packages...: installs the missing ones (the test bed runs as root)
  local missing=() p
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
  ((${#missing[@]} == 0)) && return
  [[ $(id -u) -eq 0 ]] || die "missing Debian packages: ${missing[*]} (install them as root)"
  log "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  # policy-rc.d keeps the packages' services (containerd, mariadb) from starting: the test bed runs its own.
  local policy=/usr/sbin/policy-rc.d created=
  [[ -e $policy ]] || { printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; created=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [[ -z $created ]] || rm -f "$policy"
}

# The AWS front (hack/awsfront) runs on the moto venv; its real databases need Debian's MariaDB.
aws_front() {
  moto_venv
  if [[ ${LOCAL_REAL_DATABASES:-0} == 1 ]]; then apt_packages "${AWSFRONT_DB_PACKAGES[@]}"; fi
}

build_efs_csi() {
  [[ -x $TOOLS_BIN/efs-csi ]] && return
  log "building the EFS CSI node plugin"
  (cd "$HACK_DIR/efs-csi" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$TOOLS_BIN/efs-csi.tmp" .)
  mv "$TOOLS_BIN/efs-csi.tmp" "$TOOLS_BIN/efs-csi"
}

# Traefik (hack/gateway): its module from the Go module proxy, patched by hack/gateway/traefik-patch.sh so
# that it builds without the modules the proxy does not serve; the Gateway API CRDs its client is built
# against and its own CRDs (Middleware, ...) go beside it. Keyed by version and patch (PROXY_DIR, lib.sh).
build_traefik() {
  [[ -x $PROXY_DIR/bin/traefik && -d $PROXY_DIR/crds ]] && return
  log "building traefik $TRAEFIK_VERSION (Gateway API $GATEWAY_API_VERSION); takes about 5 minutes"
  local t0=$SECONDS src work gwapi
  mkdir -p "$PROXY_DIR/bin"
  src=$(cd "$PROXY_DIR" && go mod download -json "github.com/traefik/traefik/v3@$TRAEFIK_VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
  gwapi=$(cd "$PROXY_DIR" && go mod download -json "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
  work=$PROXY_DIR/src
  rm -rf "$work"; cp -r "$src" "$work"; chmod -R u+w "$work"
  "$HACK_DIR/gateway/traefik-patch.sh" "$work"
  (cd "$work" && GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=$TRAEFIK_VERSION" \
      -o "$PROXY_DIR/bin/traefik.tmp" ./cmd/traefik)
  rm -rf "$PROXY_DIR/crds.tmp"; mkdir -p "$PROXY_DIR/crds.tmp"
  cp "$gwapi"/config/crd/standard/*.yaml "$PROXY_DIR/crds.tmp/"
  cp "$work/docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml" "$PROXY_DIR/crds.tmp/traefik.io-crds.yaml"
  chmod -R u+w "$PROXY_DIR/crds.tmp"
  rm -rf "$work" "$PROXY_DIR/crds"
  mv "$PROXY_DIR/crds.tmp" "$PROXY_DIR/crds"
  mv "$PROXY_DIR/bin/traefik.tmp" "$PROXY_DIR/bin/traefik"
  log "traefik built in $((SECONDS - t0))s"
}

# kube-network-policies (the enforcer kind ships) from its module, with one change: it reads the kubeconfig
# that $KUBECONFIG names when set (upstream knows only the in-cluster service-account files, at a fixed
# path that host processes of the test bed do not have).
build_kube_network_policies() {
  [[ -x $TOOLS_BIN/kube-network-policies ]] && return
  log "building kube-network-policies $KUBE_NETWORK_POLICIES_VERSION"
  local t0=$SECONDS src work
  src=$(cd "$TOOLS_DIR" && go mod download -json "sigs.k8s.io/kube-network-policies@$KUBE_NETWORK_POLICIES_VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
  work=$TOOLS_DIR/kube-network-policies-src
  rm -rf "$work"; cp -r "$src" "$work"; chmod -R u+w "$work"
  grep -q 'config, err := rest.InClusterConfig()' "$work/cmd/main.go" || die "kube-network-policies: cmd/main.go changed, update the patch"
  sed -i 's#config, err := rest.InClusterConfig()#config, err := clientcmd.BuildConfigFromFlags("", os.Getenv("KUBECONFIG"))#' "$work/cmd/main.go"
  sed -i 's#"k8s.io/client-go/rest"#"k8s.io/client-go/tools/clientcmd"#' "$work/cmd/main.go"
  (cd "$work" && GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" \
      -o "$TOOLS_BIN/kube-network-policies.tmp" ./cmd)
  rm -rf "$work"
  mv "$TOOLS_BIN/kube-network-policies.tmp" "$TOOLS_BIN/kube-network-policies"
  log "kube-network-policies built in $((SECONDS - t0))s"
}

node_tools() {
  apt_packages "${REAL_NODE_PACKAGES[@]}"
  build_kubebed; link_components
  build_go_tool crictl sigs.k8s.io/cri-tools/cmd/crictl "$CRICTL_VERSION"
  build_go_tool coredns github.com/coredns/coredns "$COREDNS_VERSION"
  build_go_tool metrics-server sigs.k8s.io/metrics-server/cmd/metrics-server "$METRICS_SERVER_VERSION"
  build_kube_network_policies
  [[ -d $HACK_DIR/efs-csi ]] && build_efs_csi
  return 0
}

bench_tools() {
  node_tools
  build_go_tool vegeta github.com/tsenart/vegeta/v12 "$VEGETA_VERSION"
}

what=${1:-all}
case $what in
  all) build_kubebed; link_components; build_go_tool kwok sigs.k8s.io/kwok/cmd/kwok "$KWOK_VERSION"; kwok_stages
       build_go_tool helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION"; aws_front ;;
  node) node_tools ;;
  bench) bench_tools ;;
  proxy) build_traefik ;;
  cluster) build_kubebed; link_components; build_go_tool kwok sigs.k8s.io/kwok/cmd/kwok "$KWOK_VERSION"; kwok_stages; aws_front ;;
  *) die "usage: $0 [all|cluster|node|bench|proxy]" ;;
esac
