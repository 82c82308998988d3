#!/usr/bin/env bash
# What a user of the plugin pays for it: the size of the stripped release binary, and the
# median wall time of `kubectl-regcred --help` next to that of /bin/true (the bare cost of
# spawning a process on this machine), measured in the same hyperfine run. The binary is the
# one scripts/release.sh ships (on Linux: built with cargo-zigbuild against glibc 2.17).
#
# Usage: scripts/bench-binary.sh [--no-build] [--binary PATH] [--runs N]
#   --no-build     measure the binary scripts/release.sh last built (no cargo run)
#   --binary PATH  measure this binary
#   --runs N       timed runs per command (default 200, after 10 warm-up runs)
# Targets: binary < 10 MB, --help < 5 ms. Installs Debian's hyperfine if it is missing.
set -euo pipefail
caller_dir=$PWD
cd "$(dirname "${BASH_SOURCE[0]}")/.."

die() {
  echo "bench-binary.sh: $*" >&2
  exit 1
}

build=true
binary=""
runs=200
while [ $# -gt 0 ]; do
  case $1 in
    --no-build) build=false ;;
    --binary)
      [ $# -ge 2 ] || die "--binary needs a path"
      case $2 in
        /*) binary=$2 ;;
        *) binary=$caller_dir/$2 ;;
      esac
      shift
      ;;
    --runs)
      [ $# -ge 2 ] || die "--runs needs a number"
      runs=$2
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
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs wants a positive number, not '$runs'"

if ! command -v hyperfine >/dev/null; then
  command -v apt-get >/dev/null || die "hyperfine is missing; install it"
  echo "== installing hyperfine (Debian package)" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >&2
fi

if [ -z "$binary" ]; then
  if $build; then
    binary=$(scripts/release.sh --binary-only)
  else
    binary=$(scripts/release.sh --binary-only --no-build)
  fi
fi
[ -x "$binary" ] || die "no binary at $binary"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The release profile strips already; strip a copy anyway so the number means "stripped"
# whatever the profile says.
cp "$binary" "$work/kubectl-regcred"
if command -v strip >/dev/null; then
  strip "$work/kubectl-regcred"
else
  echo "bench-binary.sh: no strip on PATH; measuring the binary as built" >&2
fi
size=$(wc -c <"$work/kubectl-regcred" | tr -d ' ')

# -N: no intermediate shell, so the numbers are the process alone. The plugin runs from the
# stripped copy, as shipped; its output goes to /dev/null (hyperfine's default).
hyperfine --warmup 10 --runs "$runs" -N --style basic \
  --export-json "$work/times.json" \
  "$work/kubectl-regcred --help" "/bin/true" >&2

python3 - "$size" "$runs" "$work/times.json" "$binary" <<'EOF'
import json
import sys

size, runs, times_path, binary = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
results = json.load(open(times_path))["results"]
help_ms, true_ms = (r["median"] * 1000 for r in results)

def verdict(ok):
    return "ok" if ok else "MISSED"

size_mb = size / 1_000_000
print(f"{'binary:':<18}{binary} (stripped copy)")
print(f"{'size:':<18}{size} bytes = {size_mb:.2f} MB ({size / 2**20:.2f} MiB)"
      f"   target < 10 MB: {verdict(size_mb < 10)}")
print(f"{'--help median:':<18}{help_ms:.3f} ms over {runs} runs"
      f"   target < 5 ms: {verdict(help_ms < 5)}")
print(f"{'/bin/true median:':<18}{true_ms:.3f} ms (process-spawn baseline, same run)")
print(f"{'ratio:':<18}{help_ms / true_ms:.1f}x the baseline")
EOF
