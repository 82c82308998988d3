#!/usr/bin/env bash
# Measures `kubectl regcred diagnose -A` on a cluster with many pods and events: wall time and
# peak memory (RSS), next to `kubectl get pods -A -o json` + `kubectl get events -A -o json`
# (the reads a person would start from) in the same run, on a fresh throwaway control plane.
#
#   scripts/bench-diagnose.sh [--no-build] [--pods N] [--events M] [--failing F]
#   (defaults: 5000 pods, 20000 events, 500 of the pods failing to pull)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build=true pods=5000 events=20000 failing=500
while [ $# -gt 0 ]; do
  case $1 in
    --no-build) build=false; shift ;;
    --pods) pods=$2; shift 2 ;;
    --events) events=$2; shift 2 ;;
    --failing) failing=$2; shift 2 ;;
    *) echo "usage: $0 [--no-build] [--pods N] [--events M] [--failing F]" >&2; exit 2 ;;
  esac
done

$build && cargo build --release --locked >&2
plugin="$PWD/target/release/kubectl-regcred"
[ -x "$plugin" ] || { echo "no release binary at $plugin (drop --no-build)" >&2; exit 1; }

dir=$(scripts/testenv.sh up --owner-pid $$)
trap 'scripts/testenv.sh down "$dir"' EXIT
export KUBECONFIG="$dir/kubeconfig"

echo "== loading $pods pods ($failing failing) and $events events into 20 namespaces" >&2
python3 - "$dir" "$pods" "$events" "$failing" <<'PY'
import json, ssl, sys, urllib.request
from concurrent.futures import ThreadPoolExecutor

state, pods, events, failing = sys.argv[1], *map(int, sys.argv[2:])
server = open(f"{state}/server").read().strip()
token = open(f"{state}/admin-token").read().strip()
tls = ssl.create_default_context(cafile=f"{state}/pki/ca.crt")

def call(method, path, body, content_type="application/json"):
    request = urllib.request.Request(server + path, data=json.dumps(body).encode(), method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": content_type})
    with urllib.request.urlopen(request, context=tls) as response:
        return json.load(response)

namespaces = [f"bench-{i:02d}" for i in range(20)]
for ns in namespaces:
    call("POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})

def make_pod(i):
    ns, name = namespaces[i % 20], f"pod-{i:05d}"
    image = f"ghcr.io/acme/app-{i % 50}:1.0"
    pod = call("POST", f"/api/v1/namespaces/{ns}/pods", {"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": f"app-{i % 50}"}},
        "spec": {"automountServiceAccountToken": False, "containers": [{"name": "app", "image": image}]}})
    if i < failing:
        status = {"status": {"phase": "Pending", "containerStatuses": [{"name": "app", "image": image,
            "imageID": "", "ready": False, "restartCount": 0,
            "state": {"waiting": {"reason": "ImagePullBackOff", "message": f'Back-off pulling image "{image}"'}}}]}}
        call("PATCH", f"/api/v1/namespaces/{ns}/pods/{name}/status", status, "application/merge-patch+json")
    return ns, name, pod["metadata"]["uid"], image

with ThreadPoolExecutor(16) as pool:
    made = list(pool.map(make_pod, range(pods)))

def make_event(j):
    ns, name, uid, image = made[j % len(made)]
    message = (f'Failed to pull image "{image}": rpc error: code = Unknown desc = failed to pull and unpack image '
               f'"{image}": failed to resolve reference "{image}": failed to authorize: failed to fetch anonymous '
               'token: unexpected status: 401 Unauthorized')
    call("POST", f"/api/v1/namespaces/{ns}/events", {"apiVersion": "v1", "kind": "Event",
        "metadata": {"name": f"{name}.{j:06d}"},
        "involvedObject": {"kind": "Pod", "name": name, "namespace": ns, "uid": uid, "apiVersion": "v1"},
        "reason": "Failed", "type": "Warning", "message": message, "count": 1,
        "source": {"component": "kubelet", "host": "node-1"},
        "firstTimestamp": "2026-11-23T10:00:00Z", "lastTimestamp": "2026-11-23T10:00:00Z"})

with ThreadPoolExecutor(16) as pool:
    list(pool.map(make_event, range(events)))
PY

measure() { # measure LABEL CMD...: prints wall seconds and peak RSS of CMD
  local label=$1; shift
  local out
  /usr/bin/time -f '%e %M' -o "$dir/time.out" "$@" >/dev/null 2>&1 || true
  out=$(tail -n1 "$dir/time.out")
  printf '%-44s %8.3f s  %7.1f MB peak RSS\n' "$label" "${out%% *}" "$(python3 -c "print(${out##* } / 1024)")"
}
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >&2

echo "== measuring" >&2
measure "kubectl get pods -A -o json"      kubectl get pods -A -o json
measure "kubectl get events -A -o json"    kubectl get events -A -o json
measure "kubectl regcred diagnose -A -o json" "$plugin" diagnose -A -o json
count=$("$plugin" diagnose -A -o json 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["failures"]))' || true)
echo "failing containers found: $count of $failing   (targets: diagnose < 3 s and < 150 MB with 5000 pods and 20000 events)"
