#!/usr/bin/env bash
# Times builds of the plugin side by side in one run, on one throwaway control plane: the
# release binary of a base commit against that of the working tree, or of other commits. For a
# refactor that must not change the figures.
#
#   scripts/bench-compare.sh --base REV [--new REV]... [--tree] [--namespaces N] [--rounds R]
#                            [--same-profile]                          (N = 200, R = 5)
#
# Each --new adds a commit: a refactor's own last commit, when later work changed what the
# commands read. The working tree is timed when no --new is given, or with --tree.
# --same-profile builds the commits with the working tree's release opt-level, so that the
# figures compare the code and not a change of build settings.
#
# Per round, each binary in turn (the order rotates): `create --attach` over N fresh namespaces,
# the same again (nothing to change), `status -A -o json` and `diagnose -A -o json` over every
# namespace; and `--help` 200 times. Prints the median of each, new/base, the spread, and per
# figure whether a build differs from the base beyond the noise of the rounds (an exact
# Mann-Whitney test): a reading, never the exit code (timings on a shared machine are noise).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

usage="usage: $0 --base REV [--new REV]... [--tree] [--namespaces N] [--rounds R] [--same-profile]"
base="" news=() tree="" count=200 rounds=5 same_profile=""
while [ $# -gt 0 ]; do
  case $1 in
    --base) base=$2; shift 2 ;;
    --new) news+=("$2"); shift 2 ;;
    --tree) tree=1; shift ;;
    --namespaces) count=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --same-profile) same_profile=1; shift ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
[ -n "$base" ] || { echo "$usage" >&2; exit 2; }
[ ${#news[@]} = 0 ] && tree=1

work=$(mktemp -d "${TMPDIR:-/tmp}/regcred-bench-compare.XXXXXX")
remove_worktrees() {
  for tree_dir in "$work"/tree-*; do
    git worktree remove --force "$tree_dir" >/dev/null 2>&1 || true
  done
}
trap 'remove_worktrees; rm -rf "$work"' EXIT
# One target dir for every build of a run, kept under target/: the dependencies the builds share
# (same versions, same profile) are compiled once, and a second run rebuilds only the crates.
target_dir=target/bench-compare profile=()
if [ -n "$same_profile" ]; then
  opt_level=$(python3 -c 'import sys, tomllib; print(tomllib.load(open("Cargo.toml", "rb"))["profile"]["release"]["opt-level"])')
  echo "== the commits built with the working tree's opt-level = \"$opt_level\"" >&2
  target_dir=target/bench-compare-opt-$opt_level profile=("CARGO_PROFILE_RELEASE_OPT_LEVEL=$opt_level")
fi
build() { # build DIR NAME: the release binary of the checkout in DIR, as $work/kubectl-regcred-NAME
  env "${profile[@]}" cargo build --release --locked -q --manifest-path "$1/Cargo.toml" \
    --target-dir "$target_dir" >&2 || return 0 # said below, with the binary that is missing
  cp "$target_dir/release/kubectl-regcred" "$work/kubectl-regcred-$2"
}
# The binaries in column order, the base first, and their names.
binaries=() names=()
for rev in "$base" "${news[@]}"; do
  git rev-parse -q --verify "$rev^{commit}" >/dev/null ||
    { echo "bench-compare: no commit $rev in this clone" >&2; exit 1; }
  echo "== building $rev (release)" >&2
  git worktree add --detach "$work/tree-$rev" "$rev" >/dev/null 2>&1
  build "$work/tree-$rev" "$rev"
  git worktree remove --force "$work/tree-$rev" >/dev/null 2>&1 || true
  binaries+=("$work/kubectl-regcred-$rev") names+=("$rev")
done
if [ -n "$tree" ]; then
  echo "== building the working tree (release)" >&2
  build "$PWD" tree
  binaries+=("$work/kubectl-regcred-tree") names+=("tree")
fi
for bin in "${binaries[@]}"; do
  [ -x "$bin" ] || { echo "bench-compare: the build of $bin failed" >&2; exit 1; }
done
columns=${#binaries[@]}

dir=$(scripts/testenv.sh up --owner-pid $$)
trap 'scripts/testenv.sh down "$dir"; remove_worktrees; rm -rf "$work"' EXIT
export KUBECONFIG="$dir/kubeconfig"

echo "== $((columns * rounds)) x $count namespaces" >&2
python3 - "$count" "$rounds" "$columns" <<'PY' | kubectl apply -f - >/dev/null
import json, sys
n, rounds, columns = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
# Interleaved, so that no binary's namespaces get their service accounts first.
items = [{"apiVersion": "v1", "kind": "Namespace",
          "metadata": {"name": f"cmp-{who}-{r}-{i:04d}", "labels": {"bench": f"{who}-{r}"}}}
         for r in range(rounds) for i in range(n) for who in range(columns)]
print(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}))
PY
printf 'bench-password\n' >"$work/password"
# `--attach` waits for a namespace's default service account: time the plugin, not the
# service-account controller.
want=$((columns * count * rounds))
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
  for step in $(seq 0 $((columns - 1))); do
    who=$(((r + step) % columns))
    bin=${binaries[$who]}
    create=("$bin" create "bench-$who-$r" -s ghcr.io -u bench --password-file "$work/password"
      --namespace-selector "bench=$who-$r" --attach -o json)
    echo "$who create $(seconds "${create[@]}")" >>"$results"
    echo "$who rerun $(seconds "${create[@]}")" >>"$results"
    echo "$who status $(seconds "$bin" status -A -o json)" >>"$results"
    echo "$who diagnose $(seconds "$bin" diagnose -A -o json)" >>"$results"
    echo "$who help $(help_ms "$bin") 0" >>"$results"
  done
done

python3 - "$results" "$count" "$rounds" "${names[@]}" -- "${binaries[@]}" <<'PY'
import collections, os, statistics, sys
path, n, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rest = sys.argv[4:]
names, binaries = rest[:rest.index("--")], rest[rest.index("--") + 1:]
runs = collections.defaultdict(list)
codes = collections.defaultdict(set)
for line in open(path):
    who, what, value, code = line.split()
    runs[(int(who), what)].append(float(value))
    codes[(int(who), what)].add(int(code))
labels = {
    "create": f"create --attach, {n} namespaces (s)",
    "rerun": "the same again, nothing to change (s)",
    "status": f"status -A -o json, {len(names) * n * rounds}+ namespaces (s)",
    "diagnose": "diagnose -A -o json (s)",
    "help": "--help, median of 200 (ms)",
}
columns = range(len(names))
print(f"base {names[0]} against {', '.join(names[1:])}; median of {rounds} rounds each, "
      "in rotating order:")
print(f"{'':44}" + "".join(f" {name[:10]:>10}" for name in names)
      + "".join(f" {name[:7] + '/base':>12}" for name in names[1:]))
for what, label in labels.items():
    medians = [statistics.median(runs[(c, what)]) for c in columns]
    line = f"{label:44}" + "".join(f" {m:10.3f}" for m in medians)
    line += "".join(f" {m / medians[0]:12.2f}" for m in medians[1:])
    if len({frozenset(codes[(c, what)]) for c in columns}) > 1:
        line += "   exit codes differ: " + ", ".join(
            f"{names[c]} {sorted(codes[(c, what)])}" for c in columns)
    print(line)
sizes = [os.path.getsize(b) for b in binaries]
print(f"{'binary size (bytes)':44}" + "".join(f" {s:10d}" for s in sizes)
      + "".join(f" {s / sizes[0]:12.2f}" for s in sizes[1:]))
print()
print("spread, lowest to highest of the rounds:")
for what, label in labels.items():
    print(f"{label:44}" + "".join(
        f" {min(runs[(c, what)]):.3f}-{max(runs[(c, what)]):.3f}".rjust(17) for c in columns))
if rounds > 1:
    # Exact two-sided Mann-Whitney test on the rounds: how often a split of the pooled times
    # into two groups of these sizes is at least as lopsided as the one measured.
    import itertools
    def p_value(a, b):
        pooled = sorted(a + b)
        rank = {v: sum(i + 1 for i, w in enumerate(pooled) if w == v) / pooled.count(v) for v in pooled}
        ranks = [rank[v] for v in a + b]
        mean = len(a) * (len(pooled) + 1) / 2
        measured = abs(sum(ranks[:len(a)]) - mean)
        splits = list(itertools.combinations(ranks, len(a)))
        return sum(abs(sum(s) - mean) >= measured - 1e-9 for s in splits) / len(splits)
    print()
    print("the same within noise? (exact Mann-Whitney test on the rounds; different: p < 0.05)")
    print(f"{'':44}" + "".join(f" {name[:7] + ' vs base':>20}" for name in names[1:]))
    for what, label in labels.items():
        readings = []
        for c in columns[1:]:
            p = p_value(runs[(0, what)], runs[(c, what)])
            ratio = statistics.median(runs[(c, what)]) / statistics.median(runs[(0, what)])
            readings.append(f"same (p {p:.2f})" if p >= 0.05 else f"{ratio:.2f}x (p {p:.3f})")
        print(f"{label:44}" + "".join(f" {r:>20}" for r in readings))
    # How often a build that changed nothing still reads "different", from the same test's
    # exact distribution: several figures are tested at once.
    n = rounds + rounds
    deviations = [abs(sum(s) - rounds * (n + 1) / 2)
                  for s in itertools.combinations(range(1, n + 1), rounds)]
    at_least = lambda d: sum(x >= d - 1e-9 for x in deviations) / len(deviations)
    chance = sum(at_least(d) < 0.05 for d in deviations) / len(deviations)
    some = 1 - (1 - chance) ** len(labels)
    print(f"(by chance alone a figure reads different with probability {chance:.3f} at "
          f"{rounds} rounds, so some figure of an unchanged build in about 1 run in "
          f"{round(1 / some)}: read a lone 'different' against other runs)")
PY
