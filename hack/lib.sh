# Shared settings for the local test bed. Sourced by the other hack/ scripts.
# shellcheck shell=bash

HACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$HACK_DIR/.." && pwd)

K8S_VERSION=v1.36.3   # k8s.io/kubernetes; the staging modules are pinned to v0.36.3 in hack/kubebed/go.mod
KWOK_VERSION=v0.8.0
HELM_VERSION=v3.21.4
MOTO_VERSION=5.2.5

CACHE_ROOT=${DONATION_CACHE:-$HOME/.cache/donation-operator}
# The kubebed binary is keyed by its sources too, so editing hack/kubebed rebuilds it once.
KUBEBED_HASH=$(cat "$HACK_DIR"/kubebed/go.mod "$HACK_DIR"/kubebed/go.sum "$HACK_DIR"/kubebed/*.go | sha256sum | cut -c1-10)
TOOLS_DIR=$CACHE_ROOT/k8s-$K8S_VERSION-$KUBEBED_HASH
TOOLS_BIN=$TOOLS_DIR/bin
MOTO_VENV=$CACHE_ROOT/moto-$MOTO_VERSION

# Where a running local cluster keeps its certificates, kubeconfigs, pids and logs.
STATE_DIR=${LOCAL_CLUSTER_DIR:-$REPO_DIR/.local-cluster}

AWS_TEST_REGION=eu-west-1

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
