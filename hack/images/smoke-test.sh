#!/usr/bin/env bash
# Runs the images for real as containers (runc, no Kubernetes) and checks the contracts in docs/site-image.md:
#   hack/images/smoke-test.sh site       two site containers (read-only root, uid 33) against one MariaDB
#   hack/images/smoke-test.sh fallback   the fallback image with a read-only root, alone and with a mounted conf
#   hack/images/smoke-test.sh java-base  java -version as uid 185
#   hack/images/smoke-test.sh operator TAR   the operator image Jib built: the JVM and Quarkus start
#   hack/images/smoke-test.sh import [TAR...]  ctr -n k8s.io images import into a private containerd
#                                             (default: the three cached images)
#   hack/images/smoke-test.sh all        site, fallback, java-base and import
# Builds missing images first (hack/images/build.sh). Everything runs in a network namespace of its own
# (loopback only), so no port on the host is used. Needs root; installs runc, containerd, skopeo, umoci, curl,
# iproute2 and mariadb-server with apt-get when they are missing. Cleans up every container, mount,
# process and file it made, also when a check fails. Ends with "N passed, N failed".
set -euo pipefail
IMAGES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$IMAGES_DIR/../lib.sh"

WORK=${SMOKE_DIR:-/tmp/donation-image-smoke}
NETNS=donation-smoke-$$
PREFIX=donation-smoke-$$
HOST=donate.radio-gaga.local
TITLE="Radio Gaga Donations"
PASSED=0
FAILED=0
CONTAINERS=()
DB_PID=

pass() { PASSED=$((PASSED + 1)); printf 'PASS %s\n' "$*"; }
fail() { FAILED=$((FAILED + 1)); printf 'FAIL %s\n' "$*"; }
check() { # description command...
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

ensure_tools() {
  local missing=()
  command -v runc >/dev/null || missing+=(runc)
  command -v containerd >/dev/null || missing+=(containerd)
  command -v skopeo >/dev/null || missing+=(skopeo)
  command -v umoci >/dev/null || missing+=(umoci)
  command -v curl >/dev/null || missing+=(curl)
  command -v ip >/dev/null || missing+=(iproute2)
  if [[ ${NEED_DB:-0} == 1 ]]; then command -v mariadbd >/dev/null || missing+=(mariadb-server); fi
  ((${#missing[@]} == 0)) && return
  log "installing host packages: ${missing[*]}"
  apt-get install -y --no-install-recommends "${missing[@]}" >&2 ||
    { apt-get update >&2 && apt-get install -y --no-install-recommends "${missing[@]}" >&2; }
}

cleanup() {
  local c
  for c in "${CONTAINERS[@]}"; do
    runc kill "$c" KILL >/dev/null 2>&1 || true
  done
  sleep 1
  for c in "${CONTAINERS[@]}"; do
    runc delete -f "$c" >/dev/null 2>&1 || true
  done
  if [[ -n $DB_PID ]]; then kill "$DB_PID" 2>/dev/null || true; wait "$DB_PID" 2>/dev/null || true; fi
  ip netns del "$NETNS" 2>/dev/null || true
  if [[ ${KEEP_SMOKE_DIR:-0} != 1 ]]; then rm -rf "$WORK"; fi
}

in_ns() { ip netns exec "$NETNS" "$@"; }

# Unpacks an image once into $WORK/<name>/rootfs (shared read-only by its containers) and keeps the
# runtime config umoci derived from the image config as $WORK/<name>/base.json.
unpack() { # name tar
  local name=$1 tar=$2
  [[ -d $WORK/$name/rootfs ]] && return
  mkdir -p "$WORK/$name"
  skopeo copy --quiet "docker-archive:$tar" "oci:$WORK/$name/oci:image" >&2
  umoci unpack --image "$WORK/$name/oci:image" "$WORK/$name/bundle" >/dev/null
  mv "$WORK/$name/bundle/rootfs" "$WORK/$name/rootfs"
  mv "$WORK/$name/bundle/config.json" "$WORK/$name/base.json"
  rm -rf "$WORK/$name/bundle" "$WORK/$name/oci"
}

# Writes a runc bundle for container ID from an image's base config and a JSON spec:
# {"env": {..}, "args": [..], "mounts": [["src", "dst", "ro"|"rw"]], "tmp": true}
# Always: read-only root, no capabilities, no new privileges, the image's user, our network namespace.
bundle() { # id image spec-json
  local id=$1 image=$2 spec=$3
  mkdir -p "$WORK/$id"
  python3 - "$WORK/$image/base.json" "$WORK/$id/config.json" "$WORK/$image/rootfs" "/var/run/netns/$NETNS" "$spec" <<'PY'
import json, sys
base, out, rootfs, netns, spec = sys.argv[1:]
c = json.load(open(base))
s = json.loads(spec)
p = c["process"]
p["terminal"] = False
p["noNewPrivileges"] = True
p["capabilities"] = {k: [] for k in ("bounding", "effective", "inheritable", "permitted", "ambient")}
env = dict(e.split("=", 1) for e in p.get("env", []))
env.pop("TERM", None)
env.update(s.get("env", {}))
p["env"] = [f"{k}={v}" for k, v in env.items()]
if "args" in s:
    p["args"] = s["args"]
c["root"] = {"path": rootfs, "readonly": True}
c["hostname"] = "smoke"
ns = [n for n in c["linux"]["namespaces"] if n["type"] != "network"]
ns.append({"type": "network", "path": netns})
c["linux"]["namespaces"] = ns
if s.get("tmp", True):
    c["mounts"].append({"destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
                        "options": ["nosuid", "nodev", "mode=1777", "size=256m"]})
for src, dst, mode in s.get("mounts", []):
    c["mounts"].append({"destination": dst, "type": "bind", "source": src, "options": ["rbind", mode]})
json.dump(c, open(out, "w"), indent=1)
PY
}

# Starts a bundle detached; its stdout/stderr go to $WORK/<id>.log, owned by the container's user as a
# container runtime hands the user its own pipes.
start() { # id uid
  local id=$1 uid=$2
  : >"$WORK/$id.log"
  chown "$uid" "$WORK/$id.log"
  runc run -d --bundle "$WORK/$id" "$id" >>"$WORK/$id.log" 2>&1 </dev/null
  CONTAINERS+=("$id")
}

# "uid command" of each process of a container.
procs() { # id
  local pids
  pids=$(runc ps -f json "$1" | tr -d '[] \n')
  [[ -n $pids ]] && ps -o uid=,comm= -p "$pids"
}

stop() { # id... (the namespace is shared: the next test may reuse their ports)
  local c
  for c in "$@"; do runc kill "$c" KILL >/dev/null 2>&1 || true; done
  sleep 1
  for c in "$@"; do runc delete -f "$c" >/dev/null 2>&1 || true; done
}

wait_http() { # url seconds
  local i
  for ((i = 0; i < $2; i++)); do
    in_ns curl -fsS -o /dev/null --max-time 5 "$1" 2>/dev/null && return 0
    sleep 1
  done
  return 1
}

status_of() { # curl args... -> HTTP status
  in_ns curl -s -o /dev/null -w '%{http_code}' --max-time 20 "$@" || true
}

# POSTs a donation: the status on stdout, the headers in $WORK/donate.headers, the body in $WORK/donate.body.
donate() { # port json [curl args...]
  local port=$1 json=$2
  shift 2
  in_ns curl -s -D "$WORK/donate.headers" -o "$WORK/donate.body" -w '%{http_code}' --max-time 30 -H "Host: $HOST" \
    -H 'Content-Type: application/json' "$@" -d "$json" "http://127.0.0.1:$port/wp-json/donations/v1/donate" || true
}
# shellcheck disable=SC2053 # the second argument is a glob on purpose
matches() { [[ $1 == $2 ]]; }
header_of() { # name -> its value in $WORK/donate.headers (or the file given second), without the CR
  sed -n "s/^$1: *//Ip" "${2:-$WORK/donate.headers}" | tr -d '\r' | head -1
}

new_netns() {
  ip netns add "$NETNS"
  ip -n "$NETNS" link set lo up
}

# --- MariaDB in the namespace ---------------------------------------------------------------------------
DB_DIR=
start_db() {
  DB_DIR=$WORK/mariadb
  if [[ ! -d $DB_DIR/data ]]; then
    mkdir -p "$DB_DIR"
    chown mysql:mysql "$DB_DIR"
    mariadb-install-db --no-defaults --datadir="$DB_DIR/data" --user=mysql \
      --auth-root-authentication-method=socket >"$DB_DIR/install.log" 2>&1
  fi
  # Not through in_ns (a function, so "&" would fork a subshell): $! must be mariadbd itself.
  ip netns exec "$NETNS" mariadbd --no-defaults --datadir="$DB_DIR/data" --user=mysql --port=3306 --bind-address=127.0.0.1 \
    --socket="$DB_DIR/sock" --pid-file="$DB_DIR/pid" --skip-name-resolve --log-error="$DB_DIR/error.log" &
  DB_PID=$!
  local i
  for ((i = 0; i < 60; i++)); do
    mariadb --no-defaults -S "$DB_DIR/sock" -e 'SELECT 1' >/dev/null 2>&1 && return 0
    sleep 1
  done
  die "MariaDB did not start: $(tail -5 "$DB_DIR/error.log")"
}

stop_db() {
  kill "$DB_PID"
  wait "$DB_PID" 2>/dev/null || true
  DB_PID=
}

sql() { mariadb --no-defaults -S "$DB_DIR/sock" -N -B "$@"; }

# --- site --------------------------------------------------------------------------------------------------
test_site() {
  local tar
  tar=$("$IMAGES_DIR/build.sh" site)
  unpack site "$tar"
  start_db
  sql -e "CREATE DATABASE wp; CREATE USER 'wp'@'127.0.0.1' IDENTIFIED BY 'db-secret-pw';
          GRANT ALL ON wp.* TO 'wp'@'127.0.0.1';"

  mkdir -p "$WORK/uploads"
  chown 33:33 "$WORK/uploads"
  printf '%s\n' '# as donation-operator renders it for workersPerPod 4' '<IfModule mpm_prefork_module>' \
    '  ServerLimit 4' '  MaxRequestWorkers 4' '</IfModule>' >"$WORK/zz-donation-workers.conf"

  local salts='' k
  for k in AUTH_KEY SECURE_AUTH_KEY LOGGED_IN_KEY NONCE_KEY AUTH_SALT SECURE_AUTH_SALT LOGGED_IN_SALT NONCE_SALT; do
    salts+="\"$k\": \"salt-$k-$RANDOM$RANDOM\","
  done
  local env="{$salts \"DB_HOST\": \"127.0.0.1\", \"DB_PORT\": \"3306\", \"DB_NAME\": \"wp\", \"DB_USER\": \"wp\",
    \"DB_PASSWORD\": \"db-secret-pw\", \"WP_HOME\": \"http://$HOST\", \"WP_SITEURL\": \"http://$HOST/wp\",
    \"WP_ENV\": \"production\", \"WEB_WORKERS\": \"4\", \"WP_TITLE\": \"$TITLE\",
    \"WP_ADMIN_PASSWORD\": \"admin-secret-pw\", \"WP_ADMIN_EMAIL\": \"ops@radio-gaga.local\""
  local mounts="[[\"$WORK/uploads\", \"/var/www/html/web/app/uploads\", \"rw\"],
    [\"$WORK/zz-donation-workers.conf\", \"/etc/apache2/conf-enabled/zz-donation-workers.conf\", \"ro\"]]"
  # Site 1 on the default port 8080, site 2 on PORT=8081; started together against the empty database.
  bundle "$PREFIX-site1" site "{\"env\": $env}, \"mounts\": $mounts}"
  bundle "$PREFIX-site2" site "{\"env\": $env, \"PORT\": \"8081\"}, \"mounts\": $mounts}"
  # The database is down when they start: the install step must wait for it, and say so.
  stop_db
  start "$PREFIX-site1" 33
  start "$PREFIX-site2" 33
  log "site: two containers started with the database down; starting it in 12 s"
  sleep 12
  start_db
  local t0=$SECONDS
  check "site 1 answers /livez on 8080" wait_http http://127.0.0.1:8080/livez 180
  check "site 2 answers /livez on 8081 (PORT)" wait_http http://127.0.0.1:8081/livez 180
  log "site: both up after $((SECONDS - t0))s"
  local logs="$WORK/$PREFIX-site1.log $WORK/$PREFIX-site2.log"
  # shellcheck disable=SC2086
  {
    check "exactly one container installed WordPress" test "$(cat $logs | grep -c 'installing WordPress')" = 1
    check "the other found it installed" test "$(cat $logs | grep -c 'WordPress is already installed')" = 1
    check "both took the install lock" test "$(cat $logs | grep -c 'took the lock')" = 2
    check "both waited for the database and logged it" test "$(cat $logs | grep -c 'still waiting for the database')" -ge 2
    check "no password, key or salt in the logs" bash -c "! grep -E 'db-secret-pw|admin-secret-pw|salt-' $logs"
  }
  check "wp_options has the title" test "$(sql wp -e "SELECT option_value FROM wp_options WHERE option_name='blogname'")" = "$TITLE"
  check "permalinks are /%postname%/" test "$(sql wp -e "SELECT option_value FROM wp_options WHERE option_name='permalink_structure'")" = "/%postname%/"
  check "one admin user" test "$(sql wp -e "SELECT COUNT(*) FROM wp_users")" = 1

  local page="$WORK/front.html"
  check "GET / with Host $HOST is 200" test "$(status_of -H "Host: $HOST" -o "$page" http://127.0.0.1:8080/)" = 200
  in_ns curl -s -H "Host: $HOST" -o "$page" http://127.0.0.1:8080/
  check "the front page shows the title" grep -q "$TITLE" "$page"
  check "the front page is not the installer" bash -c "! grep -qi 'wp-admin/install.php' '$page'"
  check "the front page uses the twentytwentythree theme" grep -q 'app/themes/twentytwentythree' "$page"
  check "GET /sample-page/ (pretty permalink) is 200" test "$(status_of -H "Host: $HOST" http://127.0.0.1:8081/sample-page/)" = 200
  check "GET /wp/wp-login.php is 200" test "$(status_of -H "Host: $HOST" http://127.0.0.1:8080/wp/wp-login.php)" = 200
  local other
  other=$(in_ns curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -H 'Host: other.example' http://127.0.0.1:8080/)
  check "another Host gets 200 or a redirect to WP_HOME (got: $other)" bash -c "[[ '$other' == '200 ' || '$other' == 30?' http://$HOST/'* ]]"

  check "/healthz is 200 ok" test "$(in_ns curl -s --max-time 5 http://127.0.0.1:8080/healthz)" = ok
  check "/livez is 200 ok" test "$(in_ns curl -s --max-time 5 http://127.0.0.1:8081/livez)" = ok
  check "the probes are not in the access log" bash -c "! grep -E 'GET /(healthz|livez)' $logs"

  local body
  body=$(in_ns curl -s -w ' %{http_code}' -H "Host: $HOST" -H 'Content-Type: application/json' \
    -d '{"amount_cents": 2500, "currency": "eur", "donor": "Freddie"}' http://127.0.0.1:8080/wp-json/donations/v1/donate)
  check "POST donate is 201 {\"id\":1} (got: $body)" test "$body" = '{"id":1} 201'
  body=$(in_ns curl -s -w ' %{http_code}' -H "Host: $HOST" -H 'Content-Type: application/json' \
    -d '{"amount_cents": 1000}' http://127.0.0.1:8081/wp-json/donations/v1/donate)
  check "POST donate without currency/donor on site 2 is 201 {\"id\":2} (got: $body)" test "$body" = '{"id":2} 201'
  check "the rows are in wp_donations" test "$(sql wp -e 'SELECT id, amount_cents, currency, IFNULL(donor, "-") FROM wp_donations ORDER BY id' | tr '\t\n' ' ')" = "1 2500 EUR Freddie 2 1000 EUR - "
  local bad
  for bad in '{"amount_cents": 0}' '{"amount_cents": "100"}' '{"amount_cents": 1.5}' '{}' \
    '{"amount_cents": 100, "currency": "EURO"}' "{\"amount_cents\": 100, \"donor\": \"$(printf 'x%.0s' {1..101})\"}"; do
    check "POST donate $bad is 400" test "$(status_of -H "Host: $HOST" -H 'Content-Type: application/json' -d "$bad" http://127.0.0.1:8080/wp-json/donations/v1/donate)" = 400
  done
  body=$(in_ns curl -s -H "Host: $HOST" http://127.0.0.1:8081/wp-json/donations/v1/total)
  check "GET total is {\"count\":2,\"amount_cents\":3500} (got: $body)" test "$body" = '{"count":2,"amount_cents":3500}'

  # Idempotency keys: the same key twice is one row, answered twice alike; two keys are two rows.
  local code key=smoke-run:0001
  code=$(donate 8080 '{"amount_cents": 700, "donor": "Brian"}' -H "Idempotency-Key: $key")
  body=$(cat "$WORK/donate.body")
  check "POST donate with Idempotency-Key is 201 with the key in the body (got: $code $body)" \
    test "$code $body" = "201 {\"id\":3,\"idempotency_key\":\"$key\"}"
  check "a first request has no Idempotent-Replayed header" test -z "$(header_of Idempotent-Replayed)"
  code=$(donate 8081 '{"amount_cents": 700, "donor": "Brian"}' -H "Idempotency-Key: $key")
  body=$(cat "$WORK/donate.body")
  check "the same key again (on site 2) is 201 with the same id (got: $code $body)" \
    test "$code $body" = "201 {\"id\":3,\"idempotency_key\":\"$key\"}"
  check "with Idempotent-Replayed: true (got: '$(header_of Idempotent-Replayed)')" test "$(header_of Idempotent-Replayed)" = true
  check "the key has one row" test "$(sql wp -e "SELECT COUNT(*) FROM wp_donations WHERE idempotency_key = '$key'")" = 1
  code=$(donate 8080 '{"amount_cents": 700, "donor": "Brian", "idempotency_key": "smoke-run:0002"}')
  body=$(cat "$WORK/donate.body")
  check "another key, in the body as a form would send it, is 201 with a new id (got: $code $body)" \
    matches "$code $body" '201 {"id":[1-9]*,"idempotency_key":"smoke-run:0002"}'
  check "  not the first key's id" test "${body#'{"id":3,'}" = "$body"
  check "two keys are two rows" test "$(sql wp -e "SELECT COUNT(*) FROM wp_donations WHERE idempotency_key LIKE 'smoke-run:%'")" = 2
  code=$(donate 8080 '{"amount_cents": 900}' -H "Idempotency-Key: $key")
  check "the same key with another amount is 422, not a donation (got: $code)" test "$code" = 422
  # Ten requests at once with one key, over both sites: one row, ten 201s with one id.
  local i ids racers=()
  for i in $(seq 10); do
    in_ns curl -s --max-time 30 -H "Host: $HOST" -H 'Content-Type: application/json' -H 'Idempotency-Key: smoke-race' \
      -d '{"amount_cents": 300}' -w ' %{http_code}\n' "http://127.0.0.1:$((8080 + i % 2))/wp-json/donations/v1/donate" \
      >"$WORK/race.$i" &
    racers+=($!)
  done
  wait "${racers[@]}"
  ids=$(cat "$WORK"/race.* | sort | uniq -c | sed 's/^ *//')
  check "ten concurrent requests with one key: ten 201s with one id (got: $ids)" \
    matches "$ids" '10 {"id":[1-9]*,"idempotency_key":"smoke-race"} 201'
  check "and one row" test "$(sql wp -e "SELECT COUNT(*) FROM wp_donations WHERE idempotency_key = 'smoke-race'")" = 1
  local badkey
  for badkey in "$(printf 'k%.0s' {1..65})" 'white space' 'semi;colon' 'ümlaut' ''; do
    # curl sends an empty header only when it is written "Name;".
    if [[ -z $badkey ]]; then code=$(donate 8080 '{"amount_cents": 100}' -H 'Idempotency-Key;')
    else code=$(donate 8080 '{"amount_cents": 100}' -H "Idempotency-Key: $badkey"); fi
    check "Idempotency-Key '${badkey:0:12}' (${#badkey} chars) is 400 with a message (got: $code $(cut -c1-80 "$WORK/donate.body"))" \
      bash -c "[[ $code == 400 ]] && grep -q 'idempotency key' '$WORK/donate.body'"
  done
  code=$(donate 8080 '{"amount_cents": 100, "idempotency_key": "a b"}')
  check "idempotency_key 'a b' in the body is 400 (got: $code)" test "$code" = 400
  code=$(donate 8080 '{"amount_cents": 100, "idempotency_key": "k-1"}' -H 'Idempotency-Key: k-2')
  check "a header and a body key that differ are 400 (got: $code)" test "$code" = 400
  check "a 64-character key is accepted" test "$(donate 8080 '{"amount_cents": 100}' -H "Idempotency-Key: $(printf 'k%.0s' {1..64})")" = 201
  check "no row was written by a refused request" test "$(sql wp -e "SELECT COUNT(*) FROM wp_donations")" = 6
  check "requests without a key are still one row each" test "$(sql wp -e "SELECT COUNT(*) FROM wp_donations WHERE idempotency_key IS NULL")" = 2

  # A table of schema 1 (no key column) gets the column and its UNIQUE index on the first request.
  check "downgrade the table to schema 1" sql wp -e "ALTER TABLE wp_donations DROP INDEX idempotency_key, DROP COLUMN idempotency_key;
    UPDATE wp_options SET option_value = '1' WHERE option_name = 'donations_schema_version'"
  code=$(donate 8081 '{"amount_cents": 100}' -H 'Idempotency-Key: after-upgrade')
  check "after a downgrade to schema 1, a keyed donation is 201 (got: $code $(cat "$WORK/donate.body"))" test "$code" = 201
  check "the column is back with its UNIQUE index" test "$(sql wp -e "SELECT non_unique FROM information_schema.statistics WHERE table_schema = 'wp' AND table_name = 'wp_donations' AND index_name = 'idempotency_key'")" = 0
  check "the schema version is 2 again" test "$(sql wp -e "SELECT option_value FROM wp_options WHERE option_name = 'donations_schema_version'")" = 2

  runc exec --user 33:33 "$PREFIX-site1" sh -c 'mkdir -p /var/www/html/web/app/uploads/2025/01 && echo smoke-upload > /var/www/html/web/app/uploads/2025/01/smoke.txt'
  check "a file written in site 1's uploads is served by site 2" test "$(in_ns curl -s -H "Host: $HOST" http://127.0.0.1:8081/app/uploads/2025/01/smoke.txt)" = smoke-upload
  check "it is owned by uid 33 on the shared volume" test "$(stat -c %u "$WORK/uploads/2025/01/smoke.txt")" = 33
  echo '<?php echo "ran";' >"$WORK/uploads/2025/01/x.php"
  check "PHP in uploads is not run" bash -c "[[ \$(ip netns exec $NETNS curl -s -H 'Host: $HOST' http://127.0.0.1:8080/app/uploads/2025/01/x.php) != ran ]]"

  check "Apache runs as uid 33" test "$(procs "$PREFIX-site1" | awk '$2 == "apache2" {print $1}' | sort -u)" = 33
  local scoreboard
  scoreboard=$(in_ns curl -s 'http://127.0.0.1:8080/server-status?auto' | sed -n 's/^Scoreboard: //p')
  check "the mounted worker file sets ServerLimit 4 (scoreboard '$scoreboard')" test "${#scoreboard}" = 4
  # 48 requests at once: never more than 4 workers (plus the parent).
  local max=0 n i
  local pids=()
  for i in $(seq 48); do
    in_ns curl -s -o /dev/null -H "Host: $HOST" "http://127.0.0.1:8080/?p=$i" &
    pids+=($!)
  done
  for i in $(seq 20); do
    n=$(procs "$PREFIX-site1" | grep -c apache2 || true)
    ((n > max)) && max=$n
    sleep 0.2
  done
  wait "${pids[@]}"
  check "under load at most 1 + 4 apache2 processes (saw $max)" test "$max" -le 5 -a "$max" -ge 3

  stop_db
  body=$(in_ns curl -s -w ' %{http_code}' --max-time 10 http://127.0.0.1:8080/healthz)
  check "/healthz is 503 with the database stopped (got: ${body//$'\n'/ })" bash -c "[[ '$body' == *' 503' && '$body' != *secret* ]]"
  check "/livez is still 200" test "$(status_of http://127.0.0.1:8080/livez)" = 200
  # WordPress's own answer would be a 500 "Error establishing a database connection"; web/app/db-error.php
  # makes it a 503 with Retry-After, for pages and for the donation endpoint.
  local headers="$WORK/front.headers"
  code=$(in_ns curl -s -D "$headers" -o "$WORK/front.body" -w '%{http_code}' --max-time 30 -H "Host: $HOST" http://127.0.0.1:8080/ || true)
  check "GET / with the database stopped is 503 (got: $code)" test "$code" = 503
  check "with Retry-After: 5 (got: '$(header_of Retry-After "$headers")')" test "$(header_of Retry-After "$headers")" = 5
  check "and Cache-Control: no-store" test "$(header_of Cache-Control "$headers")" = no-store
  check "and the short page, not WordPress's error" bash -c "grep -q 'Back in a moment' '$WORK/front.body' && ! grep -qi 'Error establishing' '$WORK/front.body'"
  code=$(donate 8081 '{"amount_cents": 100}' -H 'Idempotency-Key: while-down')
  check "POST donate with the database stopped is 503 (got: $code $(cut -c1-80 "$WORK/donate.body"))" test "$code" = 503
  check "with Retry-After: 5 (got: '$(header_of Retry-After)')" test "$(header_of Retry-After)" = 5
  check "and a JSON body" grep -q '"code":"donations_unavailable"' "$WORK/donate.body"
  start_db
  check "/healthz is 200 again with the database back" wait_http http://127.0.0.1:8080/healthz 10
  code=$(donate 8081 '{"amount_cents": 100}' -H 'Idempotency-Key: while-down')
  check "with the database back, the donation refused while it was stopped is 201 (got: $code $(cat "$WORK/donate.body"))" test "$code" = 201
  check "a donation without a key is 201 again" test "$(donate 8080 '{"amount_cents": 100}')" = 201
  check "the key refused while the database was stopped has one row" test "$(sql wp -e "SELECT COUNT(*) FROM wp_donations WHERE idempotency_key = 'while-down'")" = 1

  # The server goes away during the INSERT: a write lock holds the INSERT, then MariaDB stops.
  sql wp -e "LOCK TABLES wp_donations WRITE; SELECT SLEEP(60)" >/dev/null 2>&1 &
  local locker=$!
  sleep 1
  in_ns curl -s -D "$WORK/mid.headers" -o "$WORK/mid.body" -w '%{http_code}' --max-time 60 -H "Host: $HOST" \
    -H 'Content-Type: application/json' -H 'Idempotency-Key: mid-request' -d '{"amount_cents": 100}' \
    http://127.0.0.1:8080/wp-json/donations/v1/donate >"$WORK/mid.code" &
  local poster=$!
  sleep 2
  stop_db
  wait "$poster" || true
  wait "$locker" 2>/dev/null || true
  code=$(cat "$WORK/mid.code")
  check "the database stopped during the INSERT: 503, not 500 (got: $code $(cut -c1-80 "$WORK/mid.body"))" test "$code" = 503
  check "with Retry-After: 5" test "$(header_of Retry-After "$WORK/mid.headers")" = 5
  start_db
  check "/healthz is 200 again" wait_http http://127.0.0.1:8080/healthz 10

  # Without WP_ADMIN_PASSWORD on a new database: no install, Apache starts, the site shows the installer.
  sql -e "CREATE DATABASE wp2; GRANT ALL ON wp2.* TO 'wp'@'127.0.0.1';"
  local env3=${env/\"WP_ADMIN_PASSWORD\": \"admin-secret-pw\"/\"WP_ADMIN_PASSWORD\": \"\"}
  env3=${env3/\"DB_NAME\": \"wp\"/\"DB_NAME\": \"wp2\"}
  bundle "$PREFIX-site3" site "{\"env\": $env3, \"PORT\": \"8082\"}, \"mounts\": $mounts}"
  start "$PREFIX-site3" 33
  check "site 3 (no WP_ADMIN_PASSWORD) starts Apache" wait_http http://127.0.0.1:8082/livez 60
  check "and logs that it does not install" grep -q 'WP_ADMIN_PASSWORD is empty' "$WORK/$PREFIX-site3.log"
  local loc
  loc=$(in_ns curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -H "Host: $HOST" http://127.0.0.1:8082/)
  check "its front page sends to the installer (got: $loc)" bash -c "[[ '$loc' == 302\ *wp/wp-admin/install.php ]]"

  stop "$PREFIX-site1" "$PREFIX-site2" "$PREFIX-site3"
  stop_db
  log "site: logs of container 1:"
  sed 's/^/  | /' "$WORK/$PREFIX-site1.log" | grep -v '"GET /?p=' | head -40 >&2
  log "site: logs of container 2:"
  sed 's/^/  | /' "$WORK/$PREFIX-site2.log" | grep -v '"GET /?p=' | head -20 >&2
}

# --- fallback ----------------------------------------------------------------------------------------------
test_fallback() {
  local tar
  tar=$("$IMAGES_DIR/build.sh" fallback)
  unpack fallback "$tar"
  bundle "$PREFIX-fb1" fallback '{}'
  start "$PREFIX-fb1" 101
  check "fallback alone answers on 8080" wait_http http://127.0.0.1:8080/ 30
  check "its default page is 200" test "$(in_ns curl -s -w '%{http_code}' http://127.0.0.1:8080/ | tail -c 3)" = 200
  check "nginx runs as uid 101" test "$(procs "$PREFIX-fb1" | awk '{print $1}' | sort -u)" = 101
  stop "$PREFIX-fb1"

  # donation-operator's mounts: conf.d/default.conf (FallbackNginxConfig.render()) and the page.
  mkdir -p "$WORK/fb-conf" "$WORK/fb-page"
  cat >"$WORK/fb-conf/default.conf" <<'EOF'
server {
  listen 8080;
  server_name _;
  location = /healthz {
    access_log off;
    default_type text/plain;
    return 200 "ok\n";
  }
  location / {
    return 503;
  }
  error_page 502 503 504 =503 /index.html;
  location = /index.html {
    internal;
    root /usr/share/nginx/fallback;
    add_header Retry-After 30 always;
    add_header Cache-Control "no-store" always;
  }
}
EOF
  echo '<html><body><h1>We will be right back</h1></body></html>' >"$WORK/fb-page/index.html"
  bundle "$PREFIX-fb2" fallback "{\"mounts\": [[\"$WORK/fb-conf\", \"/etc/nginx/conf.d\", \"ro\"],
    [\"$WORK/fb-page\", \"/usr/share/nginx/fallback\", \"ro\"]]}"
  start "$PREFIX-fb2" 101
  check "fallback with the operator's conf answers /healthz 200" wait_http http://127.0.0.1:8080/healthz 30
  local headers="$WORK/fb-headers" body
  body=$(in_ns curl -s -D "$headers" http://127.0.0.1:8080/donate/now)
  check "GET /donate/now is 503" grep -q '^HTTP/1.1 503' "$headers"
  check "with Retry-After: 30" grep -qi '^Retry-After: 30' "$headers"
  check "and the mounted page" test "$body" = '<html><body><h1>We will be right back</h1></body></html>'
  check "nginx wrote nothing outside /tmp (read-only root) and logged to stdout" grep -q '"GET /donate/now HTTP/1.1" 503' "$WORK/$PREFIX-fb2.log"
  stop "$PREFIX-fb2"
  log "fallback: logs:"
  sed 's/^/  | /' "$WORK/$PREFIX-fb1.log" "$WORK/$PREFIX-fb2.log" >&2
}

# --- java-base and the operator image -------------------------------------------------------------------
test_java_base() {
  local tar out
  tar=$("$IMAGES_DIR/build.sh" java-base)
  unpack java-base "$tar"
  bundle "$PREFIX-java" java-base '{"args": ["sh", "-c", "id -u; id -g; pwd; echo $JAVA_HOME; java -version 2>&1 | head -1"]}'
  out=$(runc run --bundle "$WORK/$PREFIX-java" "$PREFIX-java" </dev/null 2>&1 || true)
  log "java-base: $(echo "$out" | tr '\n' ' ')"
  check "java-base runs as uid 185" test "$(sed -n 1p <<<"$out")" = 185
  check "in /deployments" test "$(sed -n 3p <<<"$out")" = /deployments
  check "with JAVA_HOME set" test -n "$(sed -n 4p <<<"$out")"
  check "java is OpenJDK 17" grep -q 'openjdk version "17' <<<"$out"
}

test_operator() { # tar
  local tar=$1
  unpack operator "$tar"
  bundle "$PREFIX-op" operator '{"env": {"KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": "6443"}}'
  start "$PREFIX-op" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["process"]["user"]["uid"])' "$WORK/operator/base.json")"
  local i
  for ((i = 0; i < 60; i++)); do
    grep -qi 'starting operator' "$WORK/$PREFIX-op.log" && break
    sleep 1
  done
  check "the operator image starts the JVM and Quarkus" grep -qi 'quarkus' "$WORK/$PREFIX-op.log"
  check "it runs as uid 185" test "$(procs "$PREFIX-op" | awk '{print $1}' | sort -u)" = 185
  # It has no Kubernetes API to reach (127.0.0.1:6443 in the empty namespace): wait for it to say so.
  for ((i = 0; i < 60; i++)); do
    grep -qiE 'refused|unable to|failed to' "$WORK/$PREFIX-op.log" && break
    sleep 1
  done
  log "operator: the first log lines, and what it says about the API server:"
  { head -12 "$WORK/$PREFIX-op.log"; echo ...; grep -iE 'refused|unable to|failed to' "$WORK/$PREFIX-op.log" | head -4; } |
    cut -c1-300 | sed 's/^/  | /' >&2
}

# --- containerd import ---------------------------------------------------------------------------------------
# A private containerd (its own root, state and socket under $WORK, no CRI), so no running cluster is touched.
test_import() { # tar...
  local dir=$WORK/containerd tar pid i
  mkdir -p "$dir"
  printf '%s\n' 'version = 2' "root = \"$dir/root\"" "state = \"$dir/state\"" \
    'disabled_plugins = ["io.containerd.grpc.v1.cri"]' '[grpc]' "  address = \"$dir/containerd.sock\"" \
    '[ttrpc]' "  address = \"$dir/containerd.sock.ttrpc\"" >"$dir/config.toml"
  containerd --config "$dir/config.toml" >"$dir/containerd.log" 2>&1 &
  pid=$!
  for ((i = 0; i < 30; i++)); do ctr -a "$dir/containerd.sock" version >/dev/null 2>&1 && break; sleep 1; done
  for tar in "$@"; do
    if ctr -a "$dir/containerd.sock" -n k8s.io images import "$tar" >"$dir/import.log" 2>&1; then
      pass "ctr -n k8s.io images import $(basename "$tar") ($(tr '\n' ' ' <"$dir/import.log"))"
    else
      fail "ctr -n k8s.io images import $(basename "$tar"): $(cat "$dir/import.log")"
    fi
  done
  ctr -a "$dir/containerd.sock" -n k8s.io images ls >&2
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  if [[ -d $dir/root ]]; then umount -R "$dir/root" 2>/dev/null || true; fi
}

[[ $# -ge 1 ]] || { sed -n '2,14p' "$0" >&2; exit 2; }
[[ $(id -u) == 0 ]] || die "run as root (runc, network namespaces)"
case $1 in site | all) NEED_DB=1 ;; esac
ensure_tools
rm -rf "$WORK"
mkdir -p "$WORK"
chmod 755 "$WORK"
trap cleanup EXIT
new_netns
case $1 in
  site) test_site ;;
  fallback) test_fallback ;;
  java-base) test_java_base ;;
  operator) [[ $# == 2 ]] || die "usage: $0 operator TAR"; test_operator "$(realpath "$2")" ;;
  import)
    shift
    (($# > 0)) || set -- "$("$IMAGES_DIR/build.sh" path site)" "$("$IMAGES_DIR/build.sh" path fallback)" \
      "$("$IMAGES_DIR/build.sh" path java-base)"
    test_import "$@"
    ;;
  all)
    test_site
    test_fallback
    test_java_base
    test_import "$("$IMAGES_DIR/build.sh" path site)" "$("$IMAGES_DIR/build.sh" path fallback)" \
      "$("$IMAGES_DIR/build.sh" path java-base)"
    ;;
  *) die "unknown: $1" ;;
esac
echo "$PASSED passed, $FAILED failed"
((FAILED == 0))
