#!/usr/bin/env bash
# Builds the plugin, starts a throwaway control plane, creates a pull secret in a namespace with
# `kubectl regcred create` and shows it; then stops the control plane.
# `scripts/demo.sh --keep` leaves it running and prints how to use it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
keep=false
[ "${1:-}" = "--keep" ] && keep=true

scripts/testenv.sh deps
echo "== building kubectl-regcred"
cargo build --locked --release
export PATH="$PWD/target/release:$PATH"

echo "== starting a throwaway control plane (builds kube-apiserver once, ~5 minutes)"
dir=$(scripts/testenv.sh up)
$keep || trap 'scripts/testenv.sh down "$dir"' EXIT
export KUBECONFIG="$dir/kubeconfig"

run() { echo "\$ $*"; "$@"; }
run kubectl create namespace team-a
echo '$ echo "$DEMO_TOKEN" | kubectl regcred create regcred --server ghcr.io --username octocat --password-stdin -n team-a'
echo "demo-token-not-a-real-one" | kubectl regcred create regcred --server ghcr.io --username octocat --password-stdin -n team-a
echo '$ (the same again: nothing changes)'
echo "demo-token-not-a-real-one" | kubectl regcred create regcred --server ghcr.io --username octocat --password-stdin -n team-a
run kubectl get secret regcred -n team-a
echo '$ kubectl get secret regcred -n team-a -o jsonpath="{.data.\.dockerconfigjson}" | base64 -d'
kubectl get secret regcred -n team-a -o jsonpath='{.data.\.dockerconfigjson}' | base64 -d
echo
run kubectl regcred attach regcred -n team-a
echo '$ kubectl get serviceaccount default -n team-a -o jsonpath="{.imagePullSecrets}"'
kubectl get serviceaccount default -n team-a -o jsonpath='{.imagePullSecrets}'
echo
run kubectl regcred status -n team-a || true
if $keep; then
  echo
  echo "The control plane keeps running. Use it with:"
  scripts/testenv.sh env "$dir"
  echo "Stop it with: scripts/testenv.sh down $dir"
fi
