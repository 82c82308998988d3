#!/usr/bin/env bash
# The whole loop on a throwaway cluster with a real node (kubelet + containerd + runc) and a
# private registry, all on loopback: a Deployment cannot pull its image; `kubectl regcred
# diagnose` says why; one `kubectl regcred create --attach --heal` fixes and heals it; the
# Deployment runs. Then everything is stopped.
#
#   scripts/demo.sh [--keep] [--debug]
#     --keep    leave the cluster and registry running, and print how to use them
#     --debug   use the debug build (faster to build; what CI runs)
#   scripts/demo.sh --packages
#     print the Debian packages the demo installs on a fresh machine (DEMO_PACKAGES), and exit
#   scripts/demo.sh --plugin-path BUILD_DIR DIR
#     put the plugin binaries of BUILD_DIR (e.g. target/release) into DIR, as the demo does,
#     and print the PATH the demo runs kubectl with
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Everything the demo installs on a fresh Debian machine, and nothing else: a control plane
# built from source (etcd, Go, make, gcc, dpkg-dev to fetch the source), a node (containerd,
# runc, CNI plugins, image tools), a registry with htpasswd, and kubectl when it is missing.
# No keyring, GTK, shells or credential helpers: only the tests use those.
# tests/kubectl_plugin.rs checks `scripts/testenv.sh deps --demo --print` against this list.
DEMO_PACKAGES=(
  etcd-server openssl curl golang-go rsync dpkg-dev golang-github-modern-go-reflect2-dev make
  gcc libc6-dev docker-registry apache2-utils
  containerd runc umoci skopeo busybox-static containernetworking-plugins iproute2 util-linux
  kubernetes-client
)

# plugin_path BUILD_DIR DIR: kubectl runs every executable named kubectl-* on PATH, and cargo's
# build dir also holds kubectl-regcred.d files, which `kubectl plugin list` reports as plugins
# that are not executable. So the plugin gets a directory of its own, as krew gives it.
plugin_path() {
  rm -rf "$2" && mkdir -p "$2"
  cp "$1/kubectl-regcred" "$1/kubectl_complete-regcred" "$2/"
  echo "$(cd "$2" && pwd):$PATH"
}

keep=false
profile=release
while [ $# -gt 0 ]; do
  case $1 in
    --keep) keep=true ;;
    --debug) profile=debug ;;
    --packages) printf '%s\n' "${DEMO_PACKAGES[@]}"; exit 0 ;;
    --plugin-path) [ $# = 3 ] || { echo "usage: $0 --plugin-path BUILD_DIR DIR" >&2; exit 2; }
      plugin_path "$2" "$3"; exit 0 ;;
    *) echo "usage: $0 [--keep] [--debug] | --packages | --plugin-path BUILD_DIR DIR" >&2; exit 2 ;;
  esac
  shift
done

scripts/testenv.sh deps --demo
# cargo says "Compiling" itself when there is something to build.
echo "== kubectl-regcred ($profile build)"
if [ $profile = release ]; then cargo build --locked --release; else cargo build --locked; fi
PATH=$(plugin_path "target/$profile" target/demo-bin)
export PATH

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
