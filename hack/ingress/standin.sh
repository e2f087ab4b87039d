#!/usr/bin/env bash
# An ingress stand-in on the real node's host: Debian's nginx, configured from the cluster's Ingress objects
# by hack/ingress/render.py with ingress-nginx's meaning of default-backend and custom-http-errors, listening
# on 127.0.0.1. It plays the ingress controller in the demo, the real-node tests and the peak rehearsal.
#   hack/ingress/standin.sh up [PORT]   (re)render the configuration and start or reload nginx; prints the port
#   hack/ingress/standin.sh reload      re-render from the current Ingresses and Services
#   hack/ingress/standin.sh down
# Like a controller, it follows the cluster: watches on Ingresses and EndpointSlices re-render and reload
# nginx on every change, so the operator's switch of an Ingress backend to the fallback (and back) takes
# effect, and requests go to the ready pods (render.py: endpoints, not the Service's cluster IP, and the
# next endpoint when a connection fails, as ingress-nginx does).
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

DIR=$STATE_DIR/ingress
PIDFILE=$DIR/nginx.pid
kubectl_() { "$TOOLS_BIN/kubectl" --kubeconfig "$STATE_DIR/admin.kubeconfig" "$@"; }

# A new configuration only from complete reads: while the API server is away (a restart) the last one
# stays, as ingress-nginx keeps serving its last configuration. (Called in an if, where errexit is off:
# every step checks itself. Rendering from a failed read made every host a 404.)
render() {
  local port=$1 kind
  for kind in ingress service endpointslice; do
    kubectl_ get "$kind" -A -o json > "$DIR/$kind.json.tmp" || return 1
  done
  python3 "$HACK_DIR/ingress/render.py" "$DIR/ingress.json.tmp" "$DIR/service.json.tmp" "$DIR/endpointslice.json.tmp" "$port" \
    > "$DIR/nginx.conf.rendered" || return 1
  # nginx keeps its temporary files under its prefix; all of it lives in the state directory.
  sed "s#^pid .*#pid $PIDFILE;#" "$DIR/nginx.conf.rendered" > "$DIR/nginx.conf.tmp" || return 1
  nginx -t -p "$DIR" -c "$DIR/nginx.conf.tmp" -e stderr 2>"$DIR/test.log" || { cat "$DIR/test.log" >&2; return 1; }
  mv "$DIR/nginx.conf.tmp" "$DIR/nginx.conf"
}

running() { [[ -f $PIDFILE ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
following() { [[ -f $DIR/follow.pid ]] && kill -0 "$(cat "$DIR/follow.pid")" 2>/dev/null; }

# Re-render on every event of one kind (ingress or endpointslice); events that arrive together are one
# reload, and the two followers take turns (a lock).
follow() { # kind
  while running; do
    kubectl_ get "$1" -A --watch --output-watch-events -o name 2>>"$DIR/logs/follow.log" | while read -r _; do
      while read -r -t 0.2 _; do :; done
      running || exit 0
      (
        flock 9
        if (render "$(cat "$DIR/port")") 2>>"$DIR/logs/follow.log"; then
          kill -HUP "$(cat "$PIDFILE")"
          echo "$(date -u +%FT%T.%3NZ) reloaded ($1)" >> "$DIR/logs/follow.log"
        fi
      ) 9>"$DIR/render.lock"
    done || true
    sleep 1
  done
}

case ${1:-} in
  up)
    command -v nginx >/dev/null || die "nginx is missing: hack/build-tools.sh node installs it"
    mkdir -p "$DIR/logs"
    port=${2:-$(cat "$DIR/port" 2>/dev/null || free_local_port)}
    echo "$port" > "$DIR/port"
    render "$port" || die "could not render the configuration (is the API server up?)"
    if running; then kill -HUP "$(cat "$PIDFILE")"; else nginx -p "$DIR" -c "$DIR/nginx.conf" -e stderr 2>>"$DIR/logs/error.log"; fi
    if ! following; then
      setsid bash -c '"$0" __follow ingress & "$0" __follow endpointslice & wait' "$0" </dev/null >/dev/null 2>&1 &
      echo $! > "$DIR/follow.pid"
    fi
    echo "$port" ;;
  reload)
    running || die "the ingress stand-in is not running"
    render "$(cat "$DIR/port")" || die "could not render the configuration"
    kill -HUP "$(cat "$PIDFILE")" ;;
  __follow) follow "$2" ;;
  down)
    if following; then kill -- -"$(cat "$DIR/follow.pid")" 2>/dev/null || kill "$(cat "$DIR/follow.pid")" 2>/dev/null || true; fi
    if running; then kill -QUIT "$(cat "$PIDFILE")"; fi
    rm -rf "$DIR" ;;
  *) echo "usage: $0 up [PORT]|reload|down" >&2; exit 2 ;;
esac
