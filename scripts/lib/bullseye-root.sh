#!/usr/bin/env bash
# Prints the path of a minimal Debian 11 (bullseye, glibc 2.31) root, as a new user's older
# machine: made once with Debian's debootstrap (`--variant=minbase`) and cached in
# ~/.cache/kubectl-regcred/debian-bullseye-root, as scripts/testenv.sh caches its Kubernetes
# build. tests/release_binary.rs runs the release binary in it under chroot. Needs root
# (debootstrap makes device nodes; chroot needs it too); installs Debian's debootstrap if
# missing. About 3 minutes and 240 MB the first time; concurrent callers wait for one build.
#
# Usage: scripts/lib/bullseye-root.sh          build if needed, print the root's path
#        scripts/lib/bullseye-root.sh --rebuild  throw the cached root away first
# Environment: BULLSEYE_MIRROR (default http://deb.debian.org/debian).
set -euo pipefail

CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-regcred"
ROOT="$CACHE_DIR/debian-bullseye-root"
MIRROR=${BULLSEYE_MIRROR:-http://deb.debian.org/debian}
# Written last: a root without it is a build that did not finish.
DONE_MARK=".kubectl-regcred-complete"

log() { echo "bullseye-root: $*" >&2; }
die() {
  log "error: $*"
  exit 1
}

rebuild=false
case ${1:-} in
  "") ;;
  --rebuild) rebuild=true ;;
  -h | --help)
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *) die "unknown argument: $1 (see --help)" ;;
esac

is_complete() { [ -f "$ROOT/$DONE_MARK" ] && [ -x "$ROOT/bin/sh" ]; }

# Unmounts whatever a killed debootstrap left mounted under $1 (proc, sys), deepest first, so
# that removing the tree cannot reach the host's files.
unmount_under() {
  local mounts
  mounts=$(awk -v dir="$1" 'index($2, dir "/") == 1 { print $2 }' /proc/mounts | sort -r)
  [ -z "$mounts" ] || echo "$mounts" | xargs -r -n1 umount -l
}

remove_tree() {
  [ -e "$1" ] || return 0
  unmount_under "$1"
  rm -rf --one-file-system "$1"
}

if ! $rebuild && is_complete; then
  echo "$ROOT"
  exit 0
fi
[ "$(id -u)" = 0 ] || die "building the Debian 11 root needs root (debootstrap, then chroot)"
mkdir -p "$CACHE_DIR"

exec 9>"$CACHE_DIR/debian-bullseye-root.lock"
flock -w 1800 9 || die "another build of $ROOT holds the lock for 30 minutes"
if $rebuild; then
  remove_tree "$ROOT"
elif is_complete; then
  # Built by the caller we waited for.
  echo "$ROOT"
  exit 0
fi

if ! command -v debootstrap >/dev/null; then
  log "installing Debian's debootstrap"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >&2
fi

work="$ROOT.build.$$"
trap 'remove_tree "$work"' EXIT
remove_tree "$work"
start=$SECONDS
log "debootstrap --variant=minbase bullseye from $MIRROR (about 3 minutes)"
if ! debootstrap --variant=minbase bullseye "$work" "$MIRROR" >"$work.log" 2>&1; then
  tail -n 20 "$work.log" >&2
  [ ! -f "$work/debootstrap/debootstrap.log" ] || tail -n 20 "$work/debootstrap/debootstrap.log" >&2
  rm -f "$work.log"
  die "debootstrap failed"
fi
rm -f "$work.log"
unmount_under "$work"
# The point of this root is its old glibc: check it is the one the tests mean.
glibc=$(chroot "$work" /usr/bin/ldd --version | sed -n '1s/.* //p')
[ "$glibc" = 2.31 ] || die "the bullseye root has glibc '$glibc', expected 2.31"
date -u +%FT%TZ >"$work/$DONE_MARK"
remove_tree "$ROOT"
mv "$work" "$ROOT"
trap - EXIT
log "cached in $ROOT (glibc $glibc, $((SECONDS - start)) s)"
echo "$ROOT"
