#!/usr/bin/env bash
# Times two builds of the plugin side by side in one run, on one throwaway control plane: the
# release binary of a base commit and that of the working tree. For a refactor that must not
# change the figures.
#
#   scripts/bench-compare.sh --base REV [--namespaces N] [--rounds R] [--same-profile]
#                                                                        (N = 200, R = 5)
#
# --same-profile builds the base with the working tree's release opt-level, so that the figures
# compare the code and not a change of build settings.
#
# Per round, each binary in turn (the order alternates): `create --attach` over N fresh
# namespaces, the same again (nothing to change), `status -A -o json` and `diagnose -A -o json`
# over every namespace; and `--help` 200 times. Prints the median of each, and new/old.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

usage="usage: $0 --base REV [--namespaces N] [--rounds R] [--same-profile]"
base="" count=200 rounds=5 same_profile=""
while [ $# -gt 0 ]; do
  case $1 in
    --base) base=$2; shift 2 ;;
    --namespaces) count=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --same-profile) same_profile=1; shift ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
[ -n "$base" ] || { echo "$usage" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/regcred-bench-compare.XXXXXX")
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
echo "== building $base and the working tree (release)" >&2
git worktree add --detach "$work/base" "$base" >/dev/null 2>&1
# The base's own target dir, kept under target/ so that a second run rebuilds only the crate.
base_target=target/bench-base
if [ -n "$same_profile" ]; then
  opt_level=$(python3 -c 'import sys, tomllib; print(tomllib.load(open("Cargo.toml", "rb"))["profile"]["release"]["opt-level"])')
  export CARGO_PROFILE_RELEASE_OPT_LEVEL=$opt_level
  base_target=target/bench-base-opt-$opt_level
  echo "== the base built with the working tree's opt-level = \"$opt_level\"" >&2
fi
cargo build --release --locked -q --manifest-path "$work/base/Cargo.toml" --target-dir "$base_target" >&2
unset CARGO_PROFILE_RELEASE_OPT_LEVEL
cp "$base_target/release/kubectl-regcred" "$work/kubectl-regcred-base"
old=$work/kubectl-regcred-base
cargo build --release --locked -q >&2
new=$PWD/target/release/kubectl-regcred
[ -x "$old" ] && [ -x "$new" ] || { echo "bench-compare: a build failed" >&2; exit 1; }

dir=$(scripts/testenv.sh up --owner-pid $$)
trap 'scripts/testenv.sh down "$dir"; git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
export KUBECONFIG="$dir/kubeconfig"

echo "== $((2 * rounds)) x $count namespaces" >&2
python3 - "$count" "$rounds" <<'PY' | kubectl apply -f - >/dev/null
import json, sys
n, rounds = int(sys.argv[1]), int(sys.argv[2])
# Interleaved, so that neither binary's namespaces get their service accounts first.
items = [{"apiVersion": "v1", "kind": "Namespace",
          "metadata": {"name": f"cmp-{who}-{r}-{i:04d}", "labels": {"bench": f"{who}-{r}"}}}
         for r in range(rounds) for i in range(n) for who in ("old", "new")]
print(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}))
PY
printf 'bench-password\n' >"$work/password"
# `--attach` waits for a namespace's default service account: time the plugin, not the
# service-account controller.
want=$((2 * count * rounds))
for _ in $(seq 600); do
  have=$(kubectl get serviceaccounts -A --field-selector metadata.name=default --no-headers 2>/dev/null | grep -c '^cmp-' || true)
  [ "$have" -ge "$want" ] && break
  sleep 0.5
done
[ "$have" -ge "$want" ] || { echo "bench-compare: only $have of $want default service accounts appeared" >&2; exit 1; }

seconds() { # seconds COMMAND...: "wall-time exit-code" of one run, its output dropped
  local start end code=0
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || code=$?
  end=$(date +%s.%N)
  python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.4f} {sys.argv[3]}')" "$start" "$end" "$code"
}
help_ms() { # help_ms BINARY: median of 200 runs of --help, in ms
  python3 - "$1" <<'PY'
import statistics, subprocess, sys, time
times = []
for _ in range(200):
    start = time.perf_counter()
    subprocess.run([sys.argv[1], "--help"], stdout=subprocess.DEVNULL, check=True)
    times.append((time.perf_counter() - start) * 1000)
print(f"{statistics.median(times):.3f}")
PY
}

results=$work/results
for r in $(seq 0 $((rounds - 1))); do
  order="old new"
  [ $((r % 2)) = 1 ] && order="new old"
  for who in $order; do
    bin=$old
    [ "$who" = new ] && bin=$new
    create=("$bin" create "bench-$who-$r" -s ghcr.io -u bench --password-file "$work/password"
      --namespace-selector "bench=$who-$r" --attach -o json)
    echo "$who create $(seconds "${create[@]}")" >>"$results"
    echo "$who rerun $(seconds "${create[@]}")" >>"$results"
    echo "$who status $(seconds "$bin" status -A -o json)" >>"$results"
    echo "$who diagnose $(seconds "$bin" diagnose -A -o json)" >>"$results"
    echo "$who help $(help_ms "$bin") 0" >>"$results"
  done
done

python3 - "$results" "$count" "$rounds" "$base" "$old" "$new" <<'PY'
import collections, os, statistics, sys
path, n, rounds, base, old, new = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
runs = collections.defaultdict(list)
codes = collections.defaultdict(set)
for line in open(path):
    who, what, value, code = line.split()
    runs[(who, what)].append(float(value))
    codes[(who, what)].add(int(code))
labels = {
    "create": f"create --attach, {n} namespaces (s)",
    "rerun": f"the same again, nothing to change (s)",
    "status": f"status -A -o json, {2 * n * rounds}+ namespaces (s)",
    "diagnose": "diagnose -A -o json (s)",
    "help": "--help, median of 200 (ms)",
}
print(f"base {base} against the working tree, median of {rounds} rounds each, alternating:")
print(f"{'':44} {'base':>9} {'now':>9} {'now/base':>9}")
for what, label in labels.items():
    a, b = statistics.median(runs[("old", what)]), statistics.median(runs[("new", what)])
    exits = "" if codes[("old", what)] == codes[("new", what)] else \
        f"   exit codes differ: base {sorted(codes[('old', what)])}, now {sorted(codes[('new', what)])}"
    print(f"{label:44} {a:9.3f} {b:9.3f} {b / a:9.2f}{exits}")
print(f"{'binary size (bytes)':44} {os.path.getsize(old):9d} {os.path.getsize(new):9d} "
      f"{os.path.getsize(new) / os.path.getsize(old):9.2f}")
PY
