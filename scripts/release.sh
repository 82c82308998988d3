#!/usr/bin/env bash
# Builds the release binary and packs it for krew as
#   dist/kubectl-regcred-v<version>-<os>-<arch>.tar.gz
# holding exactly kubectl-regcred (kubectl-regcred.exe on Windows) and LICENSE at its root,
# byte-for-byte reproducibly; then writes the version (from Cargo.toml) into spec.version and
# every uri of krew-manifest.yaml, and the archive's sha256 into this platform's entry.
# It packs the platform it runs on (linux, darwin, or windows under Git Bash); the other
# platforms' archives are made by running it on those platforms. See docs/RELEASING.md.
#
# Usage: scripts/release.sh [--no-build] [--binary PATH] [--manifest PATH] [--out DIR]
#   --no-build       package the already built target/release binary (no cargo build)
#   --binary PATH    package this binary instead (implies --no-build; the tests use it)
#   --manifest PATH  the manifest to update (default: krew-manifest.yaml)
#   --out DIR        where the archive goes (default: dist)
#
# Reproducible: names sorted, owner and group 0, fixed modes, `gzip -n`, and every mtime set to
# SOURCE_DATE_EPOCH if set, else to the time of the last commit that changed what goes into the
# archive (Cargo.toml, Cargo.lock, build.rs, src/, LICENSE). Not HEAD's time: committing the
# updated manifest must not change the archive that manifest describes.
set -euo pipefail

die() {
  echo "release.sh: $*" >&2
  exit 1
}

caller_dir=$PWD
# Paths given on the command line are relative to where the script was called from.
absolute() {
  case $1 in
    /* | [A-Za-z]:[\\/]*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$caller_dir/$1" ;;
  esac
}

build=true
binary=""
manifest=""
out=""
while [ $# -gt 0 ]; do
  case $1 in
    --no-build) build=false ;;
    --binary)
      [ $# -ge 2 ] || die "--binary needs a path"
      binary=$(absolute "$2")
      build=false
      shift
      ;;
    --manifest)
      [ $# -ge 2 ] || die "--manifest needs a path"
      manifest=$(absolute "$2")
      shift
      ;;
    --out)
      [ $# -ge 2 ] || die "--out needs a directory"
      out=$(absolute "$2")
      shift
      ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
  shift
done

cd "$(dirname "${BASH_SOURCE[0]}")/.."
manifest=${manifest:-$PWD/krew-manifest.yaml}
out=${out:-$PWD/dist}
[ -f "$manifest" ] || die "no manifest at $manifest"

# The version of the [package] section, not of a dependency table.
version=$(awk -F'"' '/^\[/ { pkg = ($0 == "[package]") } pkg && /^version *=/ { print $2; exit }' Cargo.toml)
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$ ]] ||
  die "Cargo.toml's version '$version' is not a semantic version"

# krew's os/arch names are Go's (GOOS/GOARCH), for the host this runs on.
host=$(rustc -vV | sed -n 's/^host: //p')
case $host in
  x86_64-*) arch=amd64 ;;
  aarch64-* | arm64-*) arch=arm64 ;;
  i686-* | i586-*) arch=386 ;;
  arm*) arch=arm ;;
  *) die "no krew arch for host $host" ;;
esac
case $host in
  *-linux-*) os=linux ;;
  *-apple-darwin) os=darwin ;;
  *-windows-*) os=windows ;;
  *) die "no krew os for host $host" ;;
esac
exe=""
[ "$os" = windows ] && exe=.exe
bin_name="kubectl-regcred$exe"

if $build; then
  echo "== cargo build --release --locked" >&2
  cargo build --release --locked
fi
binary=${binary:-${CARGO_TARGET_DIR:-target}/release/$bin_name}
[ -x "$binary" ] || die "no binary at $binary (build it, or drop --no-build)"
# Never ship a stale binary under a new version number.
binary_version=$("$binary" --version)
[ "$binary_version" = "kubectl-regcred $version" ] ||
  die "$binary says '$binary_version', Cargo.toml says $version: rebuild it"

# GNU tar for --sort, --mtime and --owner (macOS: brew install gnu-tar, which installs gtar).
tar=tar
command -v gtar >/dev/null && tar=gtar
"$tar" --version 2>/dev/null | grep -q 'GNU tar' || die "GNU tar is needed (macOS: brew install gnu-tar)"

if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
  mtime=$SOURCE_DATE_EPOCH
else
  mtime=$(git log -1 --format=%ct -- Cargo.toml Cargo.lock build.rs src LICENSE 2>/dev/null || true)
  [ -n "$mtime" ] || die "cannot date the archive outside a git checkout: set SOURCE_DATE_EPOCH"
fi
[[ $mtime =~ ^[0-9]+$ ]] || die "SOURCE_DATE_EPOCH '$mtime' is not a number of seconds"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$binary" "$stage/$bin_name"
cp LICENSE "$stage/LICENSE"
chmod 0755 "$stage/$bin_name"
chmod 0644 "$stage/LICENSE"

archive_name="kubectl-regcred-v$version-$os-$arch.tar.gz"
archive="$out/$archive_name"
mkdir -p "$out"
# Members listed in C-locale order (--sort=name only orders what a directory holds).
LC_ALL=C "$tar" --create --format=ustar --sort=name --mtime="@$mtime" \
  --owner=0 --group=0 --numeric-owner --mode='a=rX,u+w' \
  --directory="$stage" LICENSE "$bin_name" |
  gzip -n >"$archive.tmp"
mv "$archive.tmp" "$archive"

if command -v sha256sum >/dev/null; then
  sha=$(sha256sum "$archive" | awk '{ print $1 }')
else
  sha=$(shasum -a 256 "$archive" | awk '{ print $1 }')
fi

# Rewrite the manifest in place, keeping everything else (comments, order) as it is. Each
# platform entry starts with "  - selector:"; its os and arch come before its uri and sha256.
awk -v version="$version" -v os="$os" -v arch="$arch" -v sha="$sha" '
  function fail(msg) {
    printf "release.sh: %s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
    failed = 1
    exit 1
  }
  /^  version:/ { print "  version: v" version; next }
  /^  - selector:/ { cur_os = ""; cur_arch = "" }
  /^        os:/ { cur_os = $2 }
  /^        arch:/ { cur_arch = $2 }
  /^    uri:/ {
    if (cur_os == "" || cur_arch == "") fail("uri comes before its selector'"'"'s os and arch")
    line = $0
    name = "kubectl-regcred-v" version "-" cur_os "-" cur_arch ".tar.gz"
    if (!sub(/releases\/download\/.*$/, "releases/download/v" version "/" name, line))
      fail("uri is not a release download")
    print line
    next
  }
  /^    sha256:/ && cur_os == os && cur_arch == arch { print "    sha256: " sha; found++; next }
  { print }
  END {
    if (failed) exit 1
    if (found != 1) {
      printf "release.sh: %s has %d entries for %s/%s, wants 1\n", FILENAME, found, os, arch > "/dev/stderr"
      exit 1
    }
  }
' "$manifest" >"$manifest.tmp" || {
  rm -f "$manifest.tmp"
  die "could not update $manifest"
}
mv "$manifest.tmp" "$manifest"

if grep -q 'sha256: 0\{64\}' "$manifest"; then
  echo "release.sh: note: some platforms in $manifest are not built yet (sha256 of zeros);" \
    "run this script on those platforms before publishing (docs/RELEASING.md)" >&2
fi
echo "release.sh: wrote v$version and the $os/$arch sha256 into $manifest" >&2
printf '%s  %s\n' "$sha" "$archive"
