#!/usr/bin/env bash
# Builds the project's container images from Debian bookworm packages, without any container registry:
#   hack/images/build.sh NAME...|all                   build what is missing (NAME: site, fallback, java-base),
#                                                       print the tar path(s)
#   hack/images/build.sh path NAME                      print the cached tar path of NAME, build nothing
#   hack/images/build.sh jib-base IMAGE_BASE DEST       for pom.xml's image profile: when IMAGE_BASE is
#                                                       tar://DEST, build java-base and link DEST to it
#
# Each image is described by hack/images/<name>/: image.json (tag, mmdebstrap variant, packages, image
# config), setup.sh (run inside the new root file system) and rootfs/ (files copied in first). The result
# is a docker-archive (`docker save` format, one layer) that `ctr -n k8s.io images import` and Jib's
# tar:// base image accept, cached at
#   ${DONATION_CACHE:-~/.cache/donation-operator}/images/<name>-<hash of the inputs, 10 chars>.tar
# with <name>.tar linked to the newest one; it is rebuilt only when those input files change.
# Paths go to stdout, logs to stderr. Needs root (mmdebstrap --mode=root); installs mmdebstrap with
# apt-get when it is missing. DEBIAN_MIRROR and DEBIAN_SECURITY_MIRROR override the package sources.
set -euo pipefail
IMAGES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$IMAGES_DIR/../lib.sh"

IMAGE_CACHE=$CACHE_ROOT/images
NAMES=(site fallback java-base)
SUITE=bookworm
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
# Host packages used (Debian names): mmdebstrap python3 util-linux tar coreutils dpkg debian-archive-keyring.

usage() { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

known() { local n; for n in "${NAMES[@]}"; do [[ $n == "$1" ]] && return 0; done; return 1; }

# The image's input files: the shared scripts and its own folder, by name, content and executable bit.
input_hash() {
  (
    cd "$IMAGES_DIR"
    find build.sh mkarchive.py "$1" -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
    find build.sh mkarchive.py "$1" -type f -perm -u+x -print0 | LC_ALL=C sort -z | xargs -0 -r printf 'x %s\n'
  ) | sha256sum | cut -c1-10
}

cached_path() { echo "$IMAGE_CACHE/$1-$(input_hash "$1").tar"; }

ensure_host_tools() {
  local missing=()
  command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
  command -v python3 >/dev/null || missing+=(python3)
  command -v flock >/dev/null || missing+=(util-linux)
  [[ -f /usr/share/keyrings/debian-archive-keyring.gpg ]] || missing+=(debian-archive-keyring)
  ((${#missing[@]} == 0)) && return
  [[ $(id -u) == 0 ]] || die "missing host packages: ${missing[*]} (run as root, or install them)"
  log "installing host packages: ${missing[*]}"
  apt-get install -y --no-install-recommends "${missing[@]}" >&2 ||
    { apt-get update >&2 && apt-get install -y --no-install-recommends "${missing[@]}" >&2; }
}

# A fixed time for file dates and the image's "created": the last commit of hack/images, else a constant.
source_date_epoch() {
  if [[ -n ${SOURCE_DATE_EPOCH:-} ]]; then echo "$SOURCE_DATE_EPOCH"; return; fi
  git -C "$IMAGES_DIR" log -1 --format=%ct -- . 2>/dev/null | grep . || echo 1735689600
}

image_field() { # name python-expression over d (the parsed image.json)
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
    "$IMAGES_DIR/$1/image.json" "$2"
}

build_one() { # name -> prints the tar path
  local name=$1 dir=$IMAGES_DIR/$1 out
  out=$(cached_path "$name")
  mkdir -p "$IMAGE_CACHE"
  exec 9>"$IMAGE_CACHE/.lock-$name"
  flock 9 # another build of the same image (another worktree, CI) finishes first
  if [[ -s $out ]]; then
    log "$name: cached $(basename "$out")"
  else
    [[ $(id -u) == 0 ]] || die "building images needs root (mmdebstrap --mode=root)"
    ensure_host_tools
    local t0=$SECONDS tmp variant packages epoch
    tmp=$(mktemp -d "$IMAGE_CACHE/.build-$name.XXXXXX")
    # shellcheck disable=SC2064
    trap "rm -rf '$tmp' '/tmp/$(basename "$tmp")'" EXIT
    variant=$(image_field "$name" 'd.get("variant", "apt")')
    packages=$(image_field "$name" '",".join(d["packages"])')
    epoch=$(source_date_epoch)
    export SOURCE_DATE_EPOCH=$epoch
    log "$name: building $(basename "$out") from $SUITE ($variant + $packages)"
    # Stub packages: Provides that satisfy dependencies the image does not need (image.json "provides_stub").
    local provides stub_args=()
    provides=$(image_field "$name" '", ".join(d.get("provides_stub", []))')
    if [[ -n $provides ]]; then
      # Under /tmp, because the stub is copied into the chroot at the same path and /tmp is emptied there.
      mkdir -p "$tmp/stub/DEBIAN" "/tmp/$(basename "$tmp")"
      printf '%s\n' "Package: donation-$name-stubs" "Version: 1.0" "Architecture: all" \
        "Maintainer: donation-operator <root@localhost>" "Provides: $provides" \
        "Description: dependencies the $name image does not need" \
        " Built by hack/images/build.sh: $provides." > "$tmp/stub/DEBIAN/control"
      local stub_deb
      stub_deb=/tmp/$(basename "$tmp")/donation-$name-stubs.deb
      dpkg-deb --root-owner-group -b "$tmp/stub" "$stub_deb" >&2
      stub_args=(--hook-dir=/usr/share/mmdebstrap/hooks/file-mirror-automount --include="$stub_deb")
      packages+=",$(image_field "$name" '",".join(p + "-" for p in d.get("avoid", []))')"
    fi
    mkdir -p "$tmp/overlay"
    [[ -d $dir/rootfs ]] && cp -a "$dir/rootfs/." "$tmp/overlay/"
    tar -C "$tmp/overlay" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
      --mode=go-w -cf "$tmp/overlay.tar" .
    mmdebstrap --mode=root --format=tar --variant="$variant" "${stub_args[@]}" --include="$packages" \
      --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
      --aptopt='Acquire::Languages "none"' \
      --dpkgopt='path-exclude=/usr/share/doc/*' \
      --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      --dpkgopt='path-exclude=/usr/share/man/*' \
      --dpkgopt='path-exclude=/usr/share/info/*' \
      --dpkgopt='path-exclude=/usr/share/locale/*' \
      --dpkgopt='path-include=/usr/share/locale/locale.alias' \
      --dpkgopt='path-exclude=/usr/share/lintian/*' \
      --dpkgopt='path-exclude=/usr/share/linda/*' \
      --essential-hook='mkdir -p "$1"/usr/share/man/man1' \
      --customize-hook="tar-in $tmp/overlay.tar /" \
      --customize-hook="upload $dir/setup.sh /tmp/image-setup.sh" \
      --customize-hook='chroot "$1" /bin/sh -eu /tmp/image-setup.sh' \
      --customize-hook='rm -rf "$1"/var/cache/debconf/*-old "$1"/var/lib/dpkg/*-old "$1"/var/log/apt/* "$1"/var/cache/apt/*.bin "$1"/usr/share/man/*' \
      --customize-hook='rm -f "$1"/etc/resolv.conf && : > "$1"/etc/resolv.conf && echo localhost > "$1"/etc/hostname' \
      "$SUITE" "$tmp/rootfs.tar" \
      "deb $MIRROR $SUITE main" "deb $MIRROR $SUITE-updates main" \
      "deb $SECURITY_MIRROR $SUITE-security main" >&2
    IMAGE_ARCH=$(dpkg --print-architecture) python3 "$IMAGES_DIR/mkarchive.py" \
      "$tmp/rootfs.tar" "$dir/image.json" "$tmp/image.tar"
    mv "$tmp/image.tar" "$out"
    rm -rf "$tmp" "/tmp/$(basename "$tmp")"
    trap - EXIT
    # Older builds of this image are replaced.
    find "$IMAGE_CACHE" -maxdepth 1 -name "$name-??????????.tar" ! -path "$out" -delete
    log "$name: built in $((SECONDS - t0))s, $(du -m "$out" | cut -f1) MiB"
  fi
  ln -sfn "$(basename "$out")" "$IMAGE_CACHE/$name.tar"
  exec 9>&-
  echo "$out"
}

[[ $# -ge 1 ]] || usage
case $1 in
  all)
    for n in "${NAMES[@]}"; do build_one "$n"; done
    ;;
  path)
    [[ $# == 2 ]] && known "$2" || usage
    cached_path "$2"
    ;;
  jib-base)
    [[ $# == 3 ]] || usage
    if [[ $2 == "tar://$3" ]]; then
      out=$(build_one java-base)
      mkdir -p "$(dirname "$3")"
      ln -sfn "$out" "$3"
      log "jib base: $3 -> $out"
    else
      log "jib base: image.base is $2; not building java-base"
    fi
    ;;
  *)
    for n in "$@"; do known "$n" || usage; done
    for n in "$@"; do build_one "$n"; done
    ;;
esac
