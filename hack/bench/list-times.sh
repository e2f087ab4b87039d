#!/usr/bin/env bash
# How long the API server takes to serve the lists the operator's informers make at start-up: every kind
# it watches, one at a time and all at once, with the bytes of each. Run it against the benchmark's test
# bed while campaigns exist (during hack/bench.sh's steady window, say):
#   hack/bench/list-times.sh [KUBECONFIG]    (default: .bench/cluster/admin.kubeconfig)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
kubeconfig=${1:-$repo/.bench/cluster/admin.kubeconfig}
k() { kubectl --kubeconfig "$kubeconfig" get --raw "$1"; }
paths="/apis/apps/v1/deployments /api/v1/services /api/v1/secrets /api/v1/configmaps
  /apis/networking.k8s.io/v1/networkpolicies /apis/networking.k8s.io/v1/ingresses
  /apis/autoscaling/v2/horizontalpodautoscalers /apis/policy/v1/poddisruptionbudgets
  /api/v1/persistentvolumeclaims /api/v1/persistentvolumes /apis/discovery.k8s.io/v1/endpointslices
  /apis/donations.dev/v1alpha1/charitycampaigns"
now() { date +%s.%N; }
s=$(now); k /healthz >/dev/null; e=$(now)
printf "kubectl's own cost (healthz): %.2f s\n" "$(echo "$e - $s" | bc)"
for p in $paths; do
  s=$(now); b=$(k "$p" | wc -c); e=$(now)
  printf "  %-50s %6.2f s %8d KiB\n" "$p" "$(echo "$e - $s" | bc)" $((b / 1024))
done
s=$(now)
for p in $paths; do k "$p" >/dev/null & done
wait
e=$(now)
printf "all at once: %.2f s\n" "$(echo "$e - $s" | bc)"
