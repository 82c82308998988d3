#!/usr/bin/env bash
# Times `kubectl regcred create --attach` over N namespaces against the procedure it replaces
# (per namespace: `kubectl create secret docker-registry` + `kubectl patch serviceaccount
# default`), in the same run, on a fresh throwaway control plane, and prints the ratio.
#
#   scripts/bench-fanout.sh [--no-build] [--namespaces N]   (default N = 200)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build=true
count=200
while [ $# -gt 0 ]; do
  case $1 in
    --no-build) build=false; shift ;;
    --namespaces) count=$2; shift 2 ;;
    *) echo "usage: $0 [--no-build] [--namespaces N]" >&2; exit 2 ;;
  esac
done

$build && cargo build --release --locked >&2
plugin="$PWD/target/release/kubectl-regcred"
[ -x "$plugin" ] || { echo "no release binary at $plugin (drop --no-build)" >&2; exit 1; }

dir=$(scripts/testenv.sh up --owner-pid $$)
trap 'scripts/testenv.sh down "$dir"' EXIT
export KUBECONFIG="$dir/kubeconfig"

now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$2"; }

echo "== creating 2 x $count namespaces" >&2
python3 - "$count" <<'PY' | kubectl apply -f - >/dev/null
import json, sys
n = int(sys.argv[1])
items = []
for prefix, label in (("loop", "kubectl"), ("fan", "regcred")):
    for i in range(n):
        items.append({"apiVersion": "v1", "kind": "Namespace",
                      "metadata": {"name": f"{prefix}-{i:04d}", "labels": {"bench": label}}})
print(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}))
PY
want=$((2 * count))
for _ in $(seq 600); do
  have=$(kubectl get serviceaccounts -A --no-headers 2>/dev/null | awk '$2 == "default" && $1 ~ /^(loop|fan)-/' | wc -l)
  [ "$have" -ge "$want" ] && break
  sleep 0.2
done

echo "== baseline: the kubectl loop over $count namespaces" >&2
start=$(now)
for i in $(seq 0 $((count - 1))); do
  ns=$(printf 'loop-%04d' "$i")
  kubectl create secret docker-registry regcred -n "$ns" --docker-server=ghcr.io \
    --docker-username=bench --docker-password=bench-not-a-secret >/dev/null
  kubectl patch serviceaccount default -n "$ns" -p '{"imagePullSecrets":[{"name":"regcred"}]}' >/dev/null
done
loop_s=$(elapsed "$start" "$(now)")

echo "== kubectl regcred create --attach over $count namespaces" >&2
start=$(now)
echo bench-not-a-secret | "$plugin" create regcred -s ghcr.io -u bench --password-stdin \
  --namespace-selector bench=regcred --attach -o json >/tmp/bench-fanout-report.json
ours_s=$(elapsed "$start" "$(now)")

start=$(now)
echo bench-not-a-secret | "$plugin" create regcred -s ghcr.io -u bench --password-stdin \
  --namespace-selector bench=regcred --attach -o json >/tmp/bench-fanout-rerun.json
rerun_s=$(elapsed "$start" "$(now)")

python3 - "$count" "$loop_s" "$ours_s" "$rerun_s" <<'PY'
import json, sys
n, loop_s, ours_s, rerun_s = int(sys.argv[1]), *map(float, sys.argv[2:])
first = json.load(open("/tmp/bench-fanout-report.json"))["summary"]
rerun = json.load(open("/tmp/bench-fanout-rerun.json"))["summary"]
assert first.get("created") == n, f"first run: {first}"
assert rerun.get("unchanged") == n, f"re-run: {rerun}"
print(f"namespaces:                      {n}")
print(f"kubectl loop (create + patch):   {loop_s:8.3f} s  ({1000 * loop_s / n:.1f} ms per namespace)")
print(f"kubectl regcred create --attach: {ours_s:8.3f} s  ({1000 * ours_s / n:.1f} ms per namespace)")
print(f"re-run, nothing to change:       {rerun_s:8.3f} s")
print(f"speed-up:                        {loop_s / ours_s:8.1f}x   (target: >= 50x, and < 2 s for 200)")
PY
