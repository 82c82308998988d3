#!/usr/bin/env bash
# Times `kubectl regcred heal -A` over N namespaces, each with one Deployment stuck on a private
# image (ImagePullBackOff on a real node, its service account since given the pull secret),
# against the procedure it replaces (per namespace: `kubectl rollout restart deployment/stuck`),
# in the same run, on a fresh throwaway cluster with a node, and prints the ratio.
#
#   scripts/bench-heal.sh [--no-build] [--namespaces N]   (default N = 200)
#
# What is timed is the command alone (finding the stuck pods, reading their owners, patching),
# not pods becoming ready: once the pods are stuck, the node is cordoned, so the pods either
# side's restarts make stay unscheduled and starting them costs neither run. heal runs first, on
# pods that are really stuck; then the kubectl loop over the same Deployments (it restarts
# whatever it is given).
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

# The node admits 300 pods (maxPods in scripts/lib/node.sh).
[ "$count" -le 250 ] || { echo "bench-heal: at most 250 namespaces fit on the test node" >&2; exit 2; }

$build && cargo build --release --locked >&2
plugin="$PWD/target/release/kubectl-regcred"
[ -x "$plugin" ] || { echo "no release binary at $plugin (drop --no-build)" >&2; exit 1; }

dir=$(scripts/testenv.sh up --node --owner-pid $$)
registries=$(scripts/registryenv.sh up --owner-pid $$)
trap 'scripts/testenv.sh down "$dir"; scripts/registryenv.sh down "$registries"' EXIT
export KUBECONFIG="$dir/kubeconfig"
# shellcheck disable=SC1091
source "$registries/env"
registry=127.0.0.1:$REGISTRY_HTTP_PORT
report=$(mktemp -d)

now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$2"; }

# wait_until SECONDS WHAT COMMAND...: polls until COMMAND succeeds.
wait_until() {
  local timeout=$1 what=$2; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@"; do
    [ $SECONDS -lt $deadline ] || { echo "bench-heal: $what: gave up after ${timeout}s" >&2; exit 1; }
    sleep 0.5
  done
}


# How many bench pods wait on a failed pull.
stuck_pods() {
  kubectl get pods -A -l app=stuck -o json | python3 -c '
import json, sys
pods = [p for p in json.load(sys.stdin)["items"] if p["metadata"]["namespace"].startswith("heal-")]
def stuck(p):
    waiting = [c["state"].get("waiting", {}).get("reason") for c in p["status"].get("containerStatuses", [])]
    return any(r in ("ErrImagePull", "ImagePullBackOff") for r in waiting)
print(sum(1 for p in pods if stuck(p)))
'
}
all_pods_stuck() { [ "$(stuck_pods)" -ge "$count" ]; }

echo "== $count namespaces, each with a Deployment stuck on $registry/$REGISTRY_IMAGE" >&2
python3 - "$count" "$registry/$REGISTRY_IMAGE" <<'PY' | kubectl apply -f - >/dev/null
import json, sys
n, image = int(sys.argv[1]), sys.argv[2]
items = []
for i in range(n):
    ns = f"heal-{i:04d}"
    items.append({"apiVersion": "v1", "kind": "Namespace",
                  "metadata": {"name": ns, "labels": {"bench": "heal"}}})
    items.append({"apiVersion": "apps/v1", "kind": "Deployment",
                  "metadata": {"name": "stuck", "namespace": ns},
                  "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "stuck"}},
                           "template": {"metadata": {"labels": {"app": "stuck"}},
                                        "spec": {"terminationGracePeriodSeconds": 0,
                                                 "containers": [{"name": "app", "image": image,
                                                                 "imagePullPolicy": "Always"}]}}}})
print(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}))
PY
wait_until 900 "$count pods stuck on a pull" all_pods_stuck
echo "== attaching the pull secret to each default service account (not timed)" >&2
echo "$REGISTRY_PASSWORD" | "$plugin" create regcred -s "$registry" -u "$REGISTRY_USER" --password-stdin \
  --namespace-selector bench=heal --attach -o json >"$report/attach.json"
kubectl cordon "$(cat "$dir/node/name")" >/dev/null

echo "== kubectl regcred heal -A" >&2
start=$(now)
"$plugin" heal -A -o json >"$report/heal.json"
heal_s=$(elapsed "$start" "$(now)")

start=$(now)
"$plugin" heal -A -o json >"$report/rerun.json"
rerun_s=$(elapsed "$start" "$(now)")

echo "== baseline: kubectl rollout restart, one namespace after another" >&2
start=$(now)
for i in $(seq 0 $((count - 1))); do
  kubectl rollout restart deployment/stuck -n "$(printf 'heal-%04d' "$i")" >/dev/null
done
loop_s=$(elapsed "$start" "$(now)")

python3 - "$count" "$heal_s" "$rerun_s" "$loop_s" "$report" <<'PY'
import json, sys
n, heal_s, rerun_s, loop_s, report = int(sys.argv[1]), *map(float, sys.argv[2:5]), sys.argv[5]
def restarted(name):
    rows = json.load(open(f"{report}/{name}.json"))["results"]
    return sum(1 for r in rows if r["namespace"].startswith("heal-") and r["status"] == "restarted")
assert restarted("heal") == n, f"heal restarted {restarted('heal')} of {n}"
assert restarted("rerun") == 0, f"the re-run restarted {restarted('rerun')}"
print(f"namespaces (one stuck Deployment each): {n}")
print(f"kubectl rollout restart loop:           {loop_s:8.3f} s  ({1000 * loop_s / n:.1f} ms per namespace)")
print(f"kubectl regcred heal -A:                {heal_s:8.3f} s  ({1000 * heal_s / n:.1f} ms per namespace)")
print(f"re-run at once, nothing to restart:     {rerun_s:8.3f} s")
print(f"speed-up:                               {loop_s / heal_s:8.1f}x")
PY
