#!/usr/bin/env bash
# Builds the release binary and packs it for krew as
#   dist/kubectl-regcred-v<version>-<os>-<arch>.tar.gz
# holding exactly kubectl-regcred (kubectl-regcred.exe on Windows) and LICENSE at its root,
# byte-for-byte reproducibly; then renders krew-manifest.yaml from the template .krew.yaml for
# that archive (scripts/render-krew-manifest.py --only-built). It packs the platform it runs on
# (linux, darwin, or windows under Git Bash); the release workflow runs it on each platform and
# renders the manifest of all five. See docs/RELEASING.md.
#
# On Linux the binary is built with cargo-zigbuild against glibc 2.17, so it runs wherever glibc
# is 2.17 or newer (CentOS/RHEL 7 and every later distribution); elsewhere with plain cargo. The
# pinned build tools (cargo-zigbuild, zig from PyPI's ziglang) are installed on first use,
# under ~/.cache/kubectl-regcred/tools.
#
# Usage: scripts/release.sh [--binary-only] [--no-build] [--binary PATH] [--manifest PATH]
#                           [--no-manifest] [--out DIR]
#   --binary-only    build the release binary, print its path and stop (the tests use it)
#   --no-build       use the binary the last build left (no cargo run)
#   --binary PATH    package this binary instead (implies --no-build; the tests use it)
#   --manifest PATH  where the rendered manifest goes (default: krew-manifest.yaml)
#   --no-manifest    pack the archive only (the release workflow renders the manifest itself)
#   --out DIR        where the archive goes (default: dist)
#
# Reproducible: the binary does not depend on the checkout's path or on CARGO_HOME's (remapped
# to /cargo), and the archive has names sorted, owner and group 0, fixed modes, `gzip -n`, and
# every mtime set to SOURCE_DATE_EPOCH, by default 2000-01-01T00:00:00Z: a fixed date, so the
# archive of the same sources is the same whether they are committed yet or not.
set -euo pipefail

# Pinned: another version of either gives another binary, and so another sha256.
CARGO_ZIGBUILD_VERSION=0.24.1
ZIGLANG_VERSION=0.15.1
# Oldest glibc the Linux binary may need (its highest GLIBC_x.y symbol version).
GLIBC_VERSION=2.17
DEFAULT_SOURCE_DATE_EPOCH=946684800

die() {
  echo "release.sh: $*" >&2
  exit 1
}
log() { echo "release.sh: $*" >&2; }

caller_dir=$PWD
# Paths given on the command line are relative to where the script was called from.
absolute() {
  case $1 in
    /* | [A-Za-z]:[\\/]*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$caller_dir/$1" ;;
  esac
}

build=true
binary_only=false
binary=""
manifest=""
render=true
out=""
while [ $# -gt 0 ]; do
  case $1 in
    --binary-only) binary_only=true ;;
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
    --no-manifest) render=false ;;
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
tools_dir="${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-regcred/tools"

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
target_dir=${CARGO_TARGET_DIR:-target}

# Linux builds against an old glibc through zig; the Rust target is the host's.
if [ "$os" = linux ]; then
  rust_target="${host%%-*}-unknown-linux-gnu"
  built_binary="$target_dir/$rust_target/release/$bin_name"
else
  built_binary="$target_dir/release/$bin_name"
fi

as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    die "need root to run: $*"
  fi
}

# cargo-zigbuild (crates.io) and zig (PyPI's ziglang wheel, in a venv of its own), pinned. A
# cargo-zigbuild of the pinned version already on PATH is used as it is.
install_zig_tools() {
  local zb_root="$tools_dir/cargo-zigbuild-$CARGO_ZIGBUILD_VERSION"
  if [ "$(cargo-zigbuild --version 2>/dev/null)" != "cargo-zigbuild $CARGO_ZIGBUILD_VERSION" ]; then
    if [ ! -x "$zb_root/bin/cargo-zigbuild" ]; then
      log "installing cargo-zigbuild $CARGO_ZIGBUILD_VERSION (crates.io) into $zb_root"
      cargo install --quiet --locked --root "$zb_root.tmp" "cargo-zigbuild@$CARGO_ZIGBUILD_VERSION" >&2
      rm -rf "$zb_root"
      mv "$zb_root.tmp" "$zb_root"
    fi
    PATH="$zb_root/bin:$PATH"
  fi
  local venv="$tools_dir/ziglang-$ZIGLANG_VERSION"
  if [ "$("$venv/bin/python3" -m ziglang version 2>/dev/null)" != "$ZIGLANG_VERSION" ]; then
    log "installing zig $ZIGLANG_VERSION (PyPI: ziglang) into $venv"
    rm -rf "$venv"
    if ! python3 -m venv "$venv" >/dev/null 2>&1; then
      rm -rf "$venv"
      command -v apt-get >/dev/null || die "python3 cannot make a venv; install python3's venv module"
      as_root apt-get update -qq >&2
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >&2
      python3 -m venv "$venv"
    fi
    "$venv/bin/python3" -m pip install --quiet --disable-pip-version-check \
      "ziglang==$ZIGLANG_VERSION" >&2
    [ "$("$venv/bin/python3" -m ziglang version)" = "$ZIGLANG_VERSION" ] ||
      die "the ziglang installed into $venv is not zig $ZIGLANG_VERSION"
  fi
  # cargo-zigbuild runs `python3 -m ziglang` before any zig on PATH: make it ours.
  export CARGO_ZIGBUILD_PYTHON_PATH="$venv/bin/python3"
  export PATH
}

build_binary() {
  # Where crates' sources are (CARGO_HOME) ends up in panic locations: name it the same on every
  # machine. The checkout's path never does (cargo passes it relative), nor does target/.
  local cargo_home=${CARGO_HOME:-$HOME/.cargo}
  if command -v cygpath >/dev/null; then cargo_home=$(cygpath -w "$cargo_home"); fi
  local rustflags="--remap-path-prefix=$cargo_home=/cargo"
  # The flags of a cargo that runs this script (the tests) are not the release build's.
  unset CARGO_ENCODED_RUSTFLAGS
  if [ "$os" = linux ]; then
    install_zig_tools
    # Under the 10 MB target (docs/RELEASING.md): a position-dependent executable, as kubectl's
    # own Linux binary is, carries no 0.5 MB of load-time relocations. Only with --target: the
    # flag must not reach the proc-macros built for the host. (zig's linker takes no --icf.)
    rustflags="$rustflags -C relocation-model=static"
    log "cargo zigbuild --release --locked --bin kubectl-regcred --target $rust_target.$GLIBC_VERSION"
    RUSTFLAGS=$rustflags cargo zigbuild --release --locked --bin kubectl-regcred \
      --target "$rust_target.$GLIBC_VERSION" >&2
  else
    log "cargo build --release --locked --bin kubectl-regcred"
    RUSTFLAGS=$rustflags cargo build --release --locked --bin kubectl-regcred >&2
  fi
}

# The highest GLIBC_x.y the binary asks for must not pass GLIBC_VERSION.
check_glibc() {
  command -v objdump >/dev/null || die "objdump is needed to check the glibc the binary needs (binutils)"
  local highest
  highest=$(objdump -T "$1" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/^GLIBC_//' | sort -V | tail -n1)
  [ -n "$highest" ] || die "$1 asks for no GLIBC symbol version: not the dynamic glibc binary expected"
  [ "$(printf '%s\n%s\n' "$highest" "$GLIBC_VERSION" | sort -V | tail -n1)" = "$GLIBC_VERSION" ] ||
    die "$1 needs glibc $highest, more than $GLIBC_VERSION"
}

if $build; then
  build_binary
fi
binary=${binary:-$built_binary}
[ -x "$binary" ] || die "no binary at $binary (build it, or drop --no-build)"
# Never ship a stale binary under a new version number.
binary_version=$("$binary" --version)
[ "$binary_version" = "kubectl-regcred $version" ] ||
  die "$binary says '$binary_version', Cargo.toml says $version: rebuild it"
if [ "$os" = linux ] && [ "$binary" = "$built_binary" ]; then
  check_glibc "$binary"
fi
if $binary_only; then
  case $binary in
    /*) printf '%s\n' "$binary" ;;
    *) printf '%s\n' "$PWD/$binary" ;;
  esac
  exit 0
fi

# GNU tar for --sort, --mtime and --owner (macOS: brew install gnu-tar, which installs gtar).
tar=tar
command -v gtar >/dev/null && tar=gtar
"$tar" --version 2>/dev/null | grep -q 'GNU tar' || die "GNU tar is needed (macOS: brew install gnu-tar)"

mtime=${SOURCE_DATE_EPOCH:-$DEFAULT_SOURCE_DATE_EPOCH}
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

if $render; then
  python3 scripts/render-krew-manifest.py --tag "v$version" --only-built --output "$manifest" \
    .krew.yaml "$archive" || die "could not render $manifest"
  log "rendered $manifest from .krew.yaml for v$version, $os/$arch only"
fi
printf '%s  %s\n' "$sha" "$archive"
