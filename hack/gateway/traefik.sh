#!/usr/bin/env bash
# Traefik on the real node's host: a real Gateway API implementation (and ingress-nginx stand-in) against the
# local cluster, listening on 127.0.0.1 and proxying to pod IPs on the node's bridge (see README.md here).
#   hack/gateway/traefik.sh up [PORT]   install the CRDs, GatewayClass traefik, Gateway donation-gateway/traefik
#                                       (listener web on PORT, routes from all namespaces) and IngressClass nginx
#                                       when missing; start Traefik; wait until the Gateway is Programmed; print PORT
#   hack/gateway/traefik.sh port        the listening port
#   hack/gateway/traefik.sh api         Traefik's API and ping port (GET /api/http/routers, /ping)
#   hack/gateway/traefik.sh down        stop Traefik, remove the Gateway, GatewayClass and IngressClass it made
# TRAEFIK_THROTTLE (default 2s, Traefik's own default) is how long Traefik waits after a change in the cluster
# before it applies a new configuration. State and logs: $LOCAL_CLUSTER_DIR/gateway/traefik/.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

DIR=$STATE_DIR/gateway/traefik
PIDFILE=$DIR/traefik.pid
PKI=$STATE_DIR/pki
GATEWAY_NAMESPACE=donation-gateway
GATEWAY_NAME=traefik
GATEWAY_CLASS=traefik
kubectl_() { "$TOOLS_BIN/kubectl" --kubeconfig "$STATE_DIR/admin.kubeconfig" "$@"; }

running() { [[ -f $PIDFILE ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

api_port() { sed -n 's#.*server: https://127.0.0.1:\([0-9]*\)$#\1#p' "$STATE_DIR/admin.kubeconfig" | head -1; }

install_objects() {
  local port=$1
  # A namespace left terminating by an earlier down would take the new Gateway with it.
  kubectl_ wait --for delete --timeout 60s "namespace/$GATEWAY_NAMESPACE" >/dev/null 2>&1 || true
  kubectl_ apply --server-side --force-conflicts -f "$PROXY_DIR/crds/" >/dev/null
  kubectl_ wait --for condition=Established --timeout 60s crd/gateways.gateway.networking.k8s.io \
    crd/httproutes.gateway.networking.k8s.io crd/middlewares.traefik.io >/dev/null
  # The kubernetesIngressNGINX provider serves Ingresses of class nginx (the operator's default), as
  # ingress-nginx would; the class is made only where nothing made it before, and removed by down then.
  if ! kubectl_ get ingressclass nginx >/dev/null 2>&1; then
    kubectl_ create -f - >/dev/null <<YAML
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx, labels: {app.kubernetes.io/managed-by: donation-testbed-traefik}}
spec: {controller: k8s.io/ingress-nginx}
YAML
  fi
  # Traefik maps a listener to the entry point whose address ends in the listener's port.
  kubectl_ apply --server-side -f - >/dev/null <<YAML
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: $GATEWAY_CLASS, labels: {app.kubernetes.io/managed-by: donation-testbed-traefik}}
spec: {controllerName: traefik.io/gateway-controller}
---
apiVersion: v1
kind: Namespace
metadata: {name: $GATEWAY_NAMESPACE, labels: {app.kubernetes.io/managed-by: donation-testbed-traefik}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: $GATEWAY_NAME, namespace: $GATEWAY_NAMESPACE, labels: {app.kubernetes.io/managed-by: donation-testbed-traefik}}
spec:
  gatewayClassName: $GATEWAY_CLASS
  listeners:
  - {name: web, protocol: HTTP, port: $port, allowedRoutes: {namespaces: {from: All}}}
YAML
}

write_config() {
  local port=$1 api=$2
  cat > "$DIR/traefik.yaml" <<YAML
global: {checkNewVersion: false, sendAnonymousUsage: false}
entryPoints:
  web: {address: "127.0.0.1:$port"}
  traefik: {address: "127.0.0.1:$api"}
api: {insecure: true, dashboard: false}
ping: {entryPoint: traefik}
log: {level: INFO, noColor: true}
accessLog:
  filePath: $DIR/logs/access.log
  bufferingSize: 0
providers:
  providersThrottleDuration: ${TRAEFIK_THROTTLE:-2s}
  kubernetesGateway:
    statusAddress: {ip: 127.0.0.1}
  kubernetesCRD: {}
  kubernetesIngressNGINX: {}
YAML
}

gateway_programmed() {
  [[ $(kubectl_ -n "$GATEWAY_NAMESPACE" get gateway "$GATEWAY_NAME" \
        -o jsonpath='{.status.conditions[?(@.type=="Programmed")].status}') == True ]]
}

up() {
  [[ -f $STATE_DIR/env ]] || die "the local cluster is not running: hack/local-cluster.sh up --real-node"
  "$HACK_DIR/build-tools.sh" proxy
  mkdir -p "$DIR/logs"
  local port api
  port=${1:-$(cat "$DIR/port" 2>/dev/null || free_local_port)}
  api=$(cat "$DIR/api" 2>/dev/null || free_local_port)
  if running && [[ $port != "$(cat "$DIR/port")" ]]; then stop; fi
  echo "$port" > "$DIR/port"; echo "$api" > "$DIR/api"
  install_objects "$port"
  if ! running; then
    # Its own identity (in system:masters like the other test bed components), so audit records tell it apart.
    [[ -f $PKI/traefik.crt ]] || cert traefik "/O=system:masters/CN=traefik"
    kubeconfig traefik "$DIR/kubeconfig" "$(api_port)"
    write_config "$port" "$api"
    # KUBECONFIG selects Traefik's out-of-cluster client; no KUBERNETES_SERVICE_* in its environment.
    setsid env -u KUBERNETES_SERVICE_HOST -u KUBERNETES_SERVICE_PORT KUBECONFIG="$DIR/kubeconfig" \
      "$PROXY_DIR/bin/traefik" --configFile="$DIR/traefik.yaml" >>"$DIR/logs/traefik.log" 2>&1 </dev/null &
    echo $! > "$PIDFILE"
  fi
  LOGS=$DIR/logs wait_for "traefik ping" 30 curl -sf "http://127.0.0.1:$api/ping"
  LOGS=$DIR/logs wait_for "Gateway $GATEWAY_NAMESPACE/$GATEWAY_NAME Programmed" 60 gateway_programmed
  echo "$port"
}

stop() {
  running || { rm -f "$PIDFILE"; return 0; }
  local pid i
  pid=$(cat "$PIDFILE")
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$PIDFILE"
}

down() {
  stop
  if [[ -f $STATE_DIR/admin.kubeconfig ]] && kubectl_ get --raw /readyz >/dev/null 2>&1; then
    kubectl_ delete namespace "$GATEWAY_NAMESPACE" --ignore-not-found --timeout 60s >/dev/null 2>&1 || true
    kubectl_ delete gatewayclass "$GATEWAY_CLASS" --ignore-not-found >/dev/null 2>&1 || true
    kubectl_ delete ingressclass -l app.kubernetes.io/managed-by=donation-testbed-traefik >/dev/null 2>&1 || true
  fi
  rm -rf "$DIR"
}

case ${1:-} in
  up) shift; up "$@" ;;
  port) cat "$DIR/port" 2>/dev/null || die "traefik is not running: hack/gateway/traefik.sh up" ;;
  api) cat "$DIR/api" 2>/dev/null || die "traefik is not running: hack/gateway/traefik.sh up" ;;
  down) down ;;
  *) echo "usage: $0 up [PORT]|port|api|down" >&2; exit 2 ;;
esac
