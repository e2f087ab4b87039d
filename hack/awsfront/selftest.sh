#!/usr/bin/env bash
# Starts the AWS front on a free port with real databases, runs selftest.py against it, stops it, and
# checks that no MariaDB it started is left; then hooks_selftest.py and faults_selftest.py. Standalone: hack/awsfront/selftest.sh
# Needs the moto venv (hack/build-tools.sh cluster) and the mariadb-server, mariadb-client packages.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

PY=${AWSFRONT_PYTHON:-$MOTO_VENV/bin/python}
[[ -x $PY ]] || die "no moto venv at $MOTO_VENV: run hack/build-tools.sh cluster"
command -v mariadbd >/dev/null || PATH=$PATH:/usr/sbin
command -v mariadbd >/dev/null && command -v mariadb >/dev/null || die "apt-get install mariadb-server mariadb-client"

STATE=$(mktemp -d /tmp/awsfront-selftest.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
FRONT_PID=
cleanup() {
  if [[ -n $FRONT_PID ]] && kill -0 "$FRONT_PID" 2>/dev/null; then kill -TERM "$FRONT_PID"; wait "$FRONT_PID" || true; fi
  if [[ ${KEEP_STATE:-0} != 1 ]]; then rm -rf "$STATE"; else log "state kept in $STATE"; fi
}
trap cleanup EXIT

leftovers() { pgrep -f "mariadbd .*--datadir=$STATE/" || true; }

t0=$(date +%s.%N)
PYTHONPATH=$HACK_DIR "$PY" -m awsfront --host 127.0.0.1 --port "$PORT" --state-dir "$STATE" --real-databases \
  >"$STATE.log" 2>&1 &
FRONT_PID=$!
until curl -sf "http://127.0.0.1:$PORT/moto-api/" -o /dev/null; do
  kill -0 "$FRONT_PID" 2>/dev/null || { cat "$STATE.log" >&2; die "the front exited"; }
  sleep 0.05
done
echo "FIGURE front_start_seconds $(python3 -c "print(round($(date +%s.%N) - $t0, 2))")"

status=0
AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing "$PY" "$HACK_DIR/awsfront/selftest.py" \
  "http://127.0.0.1:$PORT" "$STATE" "$STATE.log" || status=$?

running=$(leftovers | wc -l)
echo "mariadbd running before shutdown: $running"
kill -TERM "$FRONT_PID"
wait "$FRONT_PID" || true
FRONT_PID=
sleep 0.2
if [[ -n $(leftovers) ]]; then
  echo "FAIL mariadbd left after the front stopped: $(leftovers | tr '\n' ' ')"; status=1
else
  echo "ok   no mariadbd left after the front stopped (SIGTERM)"
fi
if ((status != 0)); then echo "--- front log (last 40 lines)"; tail -40 "$STATE.log"; fi
rm -f "$STATE.log"
echo "--- hooks (the fault injection's entry point)"
PYTHONPATH=$HACK_DIR "$PY" "$HACK_DIR/awsfront/hooks_selftest.py" || status=1
echo "--- faults (/_awsfront/faults, each service's throttling, resets, EFS states)"
PYTHONPATH=$HACK_DIR "$PY" "$HACK_DIR/awsfront/faults_selftest.py" || status=1
echo "--- CloudFront and Route 53 as the operator's failover needs them"
PYTHONPATH=$HACK_DIR "$PY" "$HACK_DIR/awsfront/failover_selftest.py" || status=1
((status == 0)) && echo "selftest.sh passed" || echo "selftest.sh FAILED"
exit $status
