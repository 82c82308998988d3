#!/usr/bin/env bash
# Times `kubectl regcred rotate` over N namespaces (each with a copy of pull secret regcred that
# also holds another registry) against the kubectl loop it replaces, in the same run, on a fresh
# throwaway control plane with the registries of scripts/registryenv.sh, and prints the ratio.
#
#   scripts/bench-rotate.sh [--no-build] [--namespaces N]   (default N = 200)
#
# The kubectl loop, per namespace: `kubectl get secret regcred` (to see it is there),
# then `kubectl create secret docker-registry regcred --dry-run=client -o yaml | kubectl apply
# -f -`, the password read from a file (--from-file of a .dockerconfigjson written beforehand),
# never from the command line. Note what the loop does NOT do that rotate does: keep the other
# registry of each copy (the loop's secret holds the rotated registry only), skip copies that
# already hold the new password, and try the password on the registry first. Both sides write
# the same new password for the same registry; the loop writes a fresh password so it changes
# every copy again.
#
# The registry check: rotate verifies the new password against the real plain-HTTP htpasswd
# registry once per run (as it always does); the loop checks nothing. The re-run of rotate
# (nothing to write) is timed too.
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
registries=$(scripts/registryenv.sh up --owner-pid $$)
work=$(mktemp -d)
trap 'scripts/testenv.sh down "$dir"; scripts/registryenv.sh down "$registries"; rm -rf "$work"' EXIT
export KUBECONFIG="$dir/kubeconfig"
# shellcheck disable=SC1091
source "$registries/env"
registry=127.0.0.1:$REGISTRY_HTTP_PORT
umask 077

now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$2"; }

echo "== $count namespaces, each with pull secret regcred for $registry and quay.io (not timed)" >&2
python3 - "$count" "$registry" <<'PY' | kubectl apply -f - >/dev/null
import base64, json, sys
n, registry = int(sys.argv[1]), sys.argv[2]
auth = lambda user, password: base64.b64encode(f"{user}:{password}".encode()).decode()
content = json.dumps({"auths": {registry: {"auth": auth("regcred-test", "old")},
                                "quay.io": {"auth": auth("q", "other")}}})
items = []
for i in range(n):
    ns = f"rotate-{i:04d}"
    items.append({"apiVersion": "v1", "kind": "Namespace",
                  "metadata": {"name": ns, "labels": {"bench": "rotate"}}})
    items.append({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/dockerconfigjson",
                  "metadata": {"name": "regcred", "namespace": ns, "labels": {"team": f"t{i}"}},
                  "data": {".dockerconfigjson": base64.b64encode(content.encode()).decode()}})
print(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}))
PY

printf '%s' "$REGISTRY_PASSWORD" >"$work/password"

echo "== kubectl regcred rotate (verified against $registry first)" >&2
start=$(now)
"$plugin" rotate regcred -s "$registry" -u "$REGISTRY_USER" --password-file "$work/password" \
  --namespace-selector bench=rotate -o json >"$work/rotate.json"
rotate_s=$(elapsed "$start" "$(now)")

start=$(now)
"$plugin" rotate regcred -s "$registry" -u "$REGISTRY_USER" --password-file "$work/password" \
  --namespace-selector bench=rotate -o json >"$work/rerun.json"
rerun_s=$(elapsed "$start" "$(now)")

echo "== baseline: kubectl get + create --dry-run=client | apply, one namespace after another" >&2
# The loop's secret: a .dockerconfigjson file, so no password is on a command line. Another
# password than rotate's, so every copy really changes.
python3 - "$registry" "$REGISTRY_USER" "$work/password" >"$work/dockerconfigjson" <<'PY'
import base64, json, sys
registry, user, path = sys.argv[1], sys.argv[2], sys.argv[3]
password = open(path).read() + "-loop"
print(json.dumps({"auths": {registry: {"username": user, "password": password,
      "auth": base64.b64encode(f"{user}:{password}".encode()).decode()}}}), end="")
PY
start=$(now)
for i in $(seq 0 $((count - 1))); do
  ns=$(printf 'rotate-%04d' "$i")
  kubectl get secret regcred -n "$ns" -o name >/dev/null
  kubectl create secret docker-registry regcred -n "$ns" \
    --from-file=.dockerconfigjson="$work/dockerconfigjson" --dry-run=client -o yaml |
    kubectl apply -f - >/dev/null 2>&1
done
loop_s=$(elapsed "$start" "$(now)")

python3 - "$count" "$rotate_s" "$rerun_s" "$loop_s" "$work" <<'PY'
import json, sys
n, rotate_s, rerun_s, loop_s, work = int(sys.argv[1]), *map(float, sys.argv[2:5]), sys.argv[5]
def rows(name, status):
    found = json.load(open(f"{work}/{name}.json"))["results"]
    return sum(1 for r in found if r["namespace"].startswith("rotate-") and r["status"] == status)
assert rows("rotate", "updated") == n, f"rotate updated {rows('rotate', 'updated')} of {n}"
assert rows("rerun", "unchanged") == n, f"the re-run left {rows('rerun', 'unchanged')} of {n} unchanged"
print(f"namespaces (one copy of regcred each):  {n}")
print(f"kubectl get + create | apply loop:      {loop_s:8.3f} s  ({1000 * loop_s / n:.1f} ms per namespace)")
print(f"kubectl regcred rotate:                 {rotate_s:8.3f} s  ({1000 * rotate_s / n:.1f} ms per namespace, incl. one registry login)")
print(f"re-run at once, nothing to write:       {rerun_s:8.3f} s")
print(f"speed-up:                               {loop_s / rotate_s:8.1f}x")
PY
