#!/usr/bin/env bash
# Builds the efs-csi plugin and checks it over its own sockets, as the kubelet would use it: registration,
# identity, NodePublishVolume of one volume to two pods' targets sharing writes as uid 33, read-only,
# idempotency, refusals, NodeUnpublishVolume, and socket removal on SIGTERM. Needs root (bind mounts) and
# setpriv/findmnt (util-linux). Leaves nothing behind. Usage: sudo hack/efs-csi/selftest.sh
set -euo pipefail
cd "$(dirname "$0")"

[ "$(id -u)" = 0 ] || { echo "selftest.sh: run as root (it bind-mounts)" >&2; exit 1; }
for tool in setpriv findmnt go; do command -v "$tool" >/dev/null || { echo "selftest.sh: $tool is missing" >&2; exit 1; }; done

work=$(mktemp -d /tmp/efscsi.XXXXXX)
# uid 33 reaches the targets by path here (in a pod the runtime bind-mounts them), so it must traverse.
chmod 755 "$work"
plugin_pid='' fake_pid=''
cleanup() {
  [ -z "$plugin_pid" ] || kill "$plugin_pid" 2>/dev/null || true
  [ -z "$fake_pid" ] || kill "$fake_pid" 2>/dev/null || true
  { findmnt -rn -o TARGET | grep "^$work/" || true; } | sort -r | while read -r m; do umount "$m" || true; done
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

passed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
bad() {
  echo "FAIL $*" >&2
  echo "--- plugin log" >&2
  cat "$work/plugin.log" >&2 || true
  exit 1
}
# expect_code CODE CMD…: the command must fail with that gRPC code.
expect_code() {
  local code=$1 out
  shift
  if out=$("$@" 2>&1); then bad "expected $code, got success: $*"; fi
  [[ $out == "$code:"* ]] || bad "expected $code from: $* — got: $out"
}
mounts_at() { findmnt -rn --mountpoint "$1" | wc -l; }

t0=$(date +%s.%N)
go build -o "$work/efs-csi" .
t1=$(date +%s.%N)
go build -o "$work/csicheck" ./cmd/csicheck
echo "built efs-csi in $(echo "$t1 - $t0" | bc)s ($(stat -c %s "$work/efs-csi") bytes)"
check=$work/csicheck

# A stand-in for moto's DescribeAccessPoints: fsap-456 exists with CreationInfo 33:33 0750.
"$check" fake-efs -listen 127.0.0.1:0 -region eu-west-1 -ap fsap-456=fs-123:33:33:0750 >"$work/fake.url" &
fake_pid=$!
for _ in $(seq 50); do [ -s "$work/fake.url" ] && break; sleep 0.1; done
aws=$(cat "$work/fake.url")

kroot=$work/kubelet data=$work/data
mkdir -m 755 "$kroot"
"$work/efs-csi" --kubelet-root "$kroot" --data-root "$data" --node-id selftest-node \
  --aws-endpoint "$aws" --aws-region eu-west-1 --volume-stats 2>"$work/plugin.log" &
plugin_pid=$!
reg=$kroot/plugins_registry/efs.csi.aws.com-reg.sock
sock=$kroot/plugins/efs.csi.aws.com/csi.sock
for _ in $(seq 100); do [ -S "$reg" ] && [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$reg" ] && [ -S "$sock" ] || bad "sockets did not appear"
ok "sockets $reg and $sock"

info=$("$check" reginfo -socket "$reg" -notify)
[ "$info" = "{\"endpoint\":\"$sock\",\"name\":\"efs.csi.aws.com\",\"type\":\"CSIPlugin\",\"versions\":[\"1.0.0\"]}" ] ||
  bad "GetInfo: $info"
ok "registration GetInfo $info"

id=$("$check" identity -socket "$sock")
[ "$id" = '{"name":"efs.csi.aws.com","nodeCapabilities":["GET_VOLUME_STATS"],"nodeId":"selftest-node","pluginCapabilities":0,"ready":true,"vendorVersion":"0.1.0-testbed"}' ] ||
  bad "identity: $id"
ok "identity and node info $id"

# The kubelet creates the parent of each target path; the plugin creates the target itself.
t1=$kroot/pods/pod-a/volumes/kubernetes.io~csi/uploads-pv/mount
t2=$kroot/pods/pod-b/volumes/kubernetes.io~csi/uploads-pv/mount
t3=$kroot/pods/pod-c/volumes/kubernetes.io~csi/other-pv/mount
mkdir -p "$(dirname "$t1")" "$(dirname "$t2")" "$(dirname "$t3")"
vol=fs-123::fsap-456
for t in "$t1" "$t2"; do
  "$check" publish -socket "$sock" -volume "$vol" -target "$t" -attr encryptInTransit=true || bad "publish $t"
  [ "$(mounts_at "$t")" = 1 ] || bad "$t is not mounted once"
done
ok "published $vol to two targets"

src=$data/fs-123/fsap-456
[ "$(stat -c '%u:%g %a' "$src")" = "33:33 750" ] || bad "$src is $(stat -c '%u:%g %a' "$src"), want the access point's 33:33 750"
ok "created $src as the access point's CreationInfo says: $(stat -c '%u:%g %a' "$src")"

as33() { setpriv --reuid 33 --regid 33 --clear-groups "$@"; }
as33 touch "$t1/touched" || bad "uid 33 cannot create a file through $t1"
as33 sh -c "echo shared > '$t1/hello.txt' && mkdir -p '$t1/2026/07'" || bad "uid 33 cannot write through $t1"
[ "$(as33 cat "$t2/hello.txt")" = shared ] || bad "$t2 does not show what was written through $t1"
[ -d "$t2/2026/07" ] && [ -f "$t2/touched" ] || bad "$t2 misses entries made through $t1"
[ "$(stat -c '%u:%g' "$t2/hello.txt" "$t2/touched" "$t2/2026/07" | sort -u)" = 33:33 ] || bad "ownership is not 33:33"
[ "$(cat "$src/hello.txt")" = shared ] || bad "the data is not in $src"
ok "uid 33 writes through one target, reads through the other, files are 33:33"
if setpriv --reuid 65534 --regid 65534 --clear-groups touch "$t2/nobody" 2>/dev/null; then bad "uid 65534 could write into a 0750 directory"; fi
ok "another uid cannot write (mode 750 holds)"

"$check" publish -socket "$sock" -volume "$vol" -target "$t1" || bad "republish"
[ "$(mounts_at "$t1")" = 1 ] || bad "republish stacked a second mount"
ok "NodePublishVolume again on the same target: OK, still one mount"
expect_code AlreadyExists "$check" publish -socket "$sock" -volume fs-123::fsap-789 -target "$t1"
expect_code AlreadyExists "$check" publish -socket "$sock" -volume "$vol" -target "$t1" -readonly
ok "another volume or read-only on a mounted target: AlreadyExists"

# fsap-789 is unknown to the emulator: the flag defaults apply.
"$check" publish -socket "$sock" -volume fs-123::fsap-789 -target "$t3" -readonly || bad "read-only publish"
[ "$(stat -c '%u:%g %a' "$data/fs-123/fsap-789")" = "33:33 775" ] || bad "fallback owner: $(stat -c '%u:%g %a' "$data/fs-123/fsap-789")"
findmnt -rn -o OPTIONS --mountpoint "$t3" | grep -qE '(^|,)ro(,|$)' || bad "$t3 is not read-only"
if touch "$t3/x" 2>/dev/null; then bad "root could write through the read-only $t3"; fi
ok "read-only publish; unknown access point falls back to 33:33 775"

expect_code InvalidArgument "$check" publish -socket "$sock" -volume "$vol" -target "$work/x" -mode MULTI_NODE_READER_ONLY
expect_code InvalidArgument "$check" publish -socket "$sock" -volume "$vol" -target "$work/x" -attr unknown=1
expect_code InvalidArgument "$check" publish -socket "$sock" -volume "$vol" -target "$work/x" -attr encryptInTransit=maybe
expect_code InvalidArgument "$check" publish -socket "$sock" -volume nonsense -target "$work/x"
expect_code InvalidArgument "$check" publish -socket "$sock" -volume "fs-123:/../..:fsap-4/5" -target "$work/x"
ok "refused: reader-only mode, unknown attribute, bad boolean, bad handles"

"$check" publish -socket "$sock" -volume fs-123:/shared/sub -target "$work/path-target" || bad "publish fs-id:/path"
[ -d "$data/fs-123/shared/sub" ] && [ "$(stat -c '%u:%g %a' "$data/fs-123/shared/sub")" = "33:33 775" ] || bad "fs-id:/path dir"
"$check" unpublish -socket "$sock" -volume fs-123:/shared/sub -target "$work/path-target" || bad "unpublish fs-id:/path"
ok "fs-123:/shared/sub maps to $data/fs-123/shared/sub"

stats=$("$check" stats -socket "$sock" -volume "$vol" -path "$t1") || bad "stats"
ok "NodeGetVolumeStats $(echo "$stats" | cut -c1-80)…"

for t in "$t1" "$t2" "$t3"; do "$check" unpublish -socket "$sock" -volume "$vol" -target "$t" || bad "unpublish $t"; done
for t in "$t1" "$t2" "$t3"; do [ ! -e "$t" ] || bad "$t still exists"; done
"$check" unpublish -socket "$sock" -volume "$vol" -target "$t1" || bad "second unpublish"
ok "unpublished; targets removed; unpublishing again is OK"
left=$(findmnt -rn -o TARGET | grep -c "^$work/" || true)
[ "$left" = 0 ] || bad "$left mounts left under $work"
[ "$(cat "$src/hello.txt")" = shared ] || bad "data lost on unpublish"
ok "findmnt: nothing left mounted under $work; the data stays in $src"

kill -TERM "$plugin_pid"
rc=0
wait "$plugin_pid" || rc=$?
plugin_pid=''
[ "$rc" = 0 ] || bad "plugin exited $rc on SIGTERM"
[ ! -e "$reg" ] && [ ! -e "$sock" ] || bad "sockets left after SIGTERM"
ok "SIGTERM: exit 0, both sockets removed"

echo "--- plugin log"
cat "$work/plugin.log"
echo "selftest: $passed checks passed"
