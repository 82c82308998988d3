#!/usr/bin/env bash
# The whole loop on a throwaway cluster with a real node (kubelet + containerd + runc) and a
# private registry, all on loopback: a Deployment cannot pull its image; `kubectl regcred
# diagnose` says why; one `kubectl regcred create --attach --heal` fixes and heals it; the
# Deployment runs. Then everything is stopped.
#
#   scripts/demo.sh [--keep] [--debug]
#     --keep    leave the cluster and registry running, and print how to use them
#     --debug   use the debug build (faster to build; what CI runs)
#
# Installs only what the demo needs (`scripts/testenv.sh deps --demo --print` lists it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
keep=false
profile=release
for arg in "$@"; do
  case $arg in
    --keep) keep=true ;;
    --debug) profile=debug ;;
    *) echo "usage: $0 [--keep] [--debug]" >&2; exit 2 ;;
  esac
done

scripts/testenv.sh deps --demo
echo "== building kubectl-regcred ($profile)"
if [ $profile = release ]; then cargo build --locked --release; else cargo build --locked; fi
# kubectl runs every executable named kubectl-* on PATH; cargo's target dir also holds
# kubectl-regcred.d files, so the plugin gets a directory of its own, as krew gives it.
bin=$PWD/target/demo-bin
rm -rf "$bin" && mkdir -p "$bin"
cp "target/$profile/kubectl-regcred" "target/$profile/kubectl_complete-regcred" "$bin/"
export PATH="$bin:$PATH"

# testenv.sh says so itself when it has to build kube-apiserver & co. first (once, cached).
echo "== starting a throwaway cluster with one node, and a private registry"
dir=$(scripts/testenv.sh up --node)
registries=$(scripts/registryenv.sh up)
if ! $keep; then
  trap 'scripts/testenv.sh down "$dir"; scripts/registryenv.sh down "$registries"' EXIT
fi
export KUBECONFIG="$dir/kubeconfig"
# shellcheck disable=SC1091
source "$registries/env"
registry=127.0.0.1:$REGISTRY_HTTP_PORT
image=$registry/$REGISTRY_IMAGE
# The password lives in a file only the demo reads; it never appears on a command line.
password_file=$registries/demo-password
printf '%s\n' "$REGISTRY_PASSWORD" >"$password_file"
chmod 600 "$password_file"

run() { echo; echo "\$ $*"; "$@"; }
run kubectl plugin list
run kubectl create namespace shop
run kubectl create deployment web --image "$image" -n shop
echo
echo "(waiting for the kubelet to try the pull)"
for _ in $(seq 300); do
  reason=$(kubectl get pods -n shop -l app=web -o jsonpath='{.items[0].status.containerStatuses[0].state.waiting.reason}' 2>/dev/null || true)
  case $reason in ErrImagePull|ImagePullBackOff) break ;; esac
  sleep 0.2
done
run kubectl get pods -n shop
run kubectl regcred diagnose -n shop || true
echo
echo "\$ kubectl regcred create regcred --server $registry --username $REGISTRY_USER --password-file PASSWORD_FILE -n shop --attach --heal"
kubectl regcred create regcred --server "$registry" --username "$REGISTRY_USER" \
  --password-file "$password_file" -n shop --attach --heal
run kubectl rollout status deployment/web -n shop --timeout 90s
run kubectl get pods -n shop
run kubectl regcred status -n shop
if $keep; then
  echo
  echo "The cluster and the registry keep running. Use them with:"
  scripts/testenv.sh env "$dir"
  echo "Stop them with: scripts/testenv.sh down $dir; scripts/registryenv.sh down $registries"
fi
