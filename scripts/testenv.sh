#!/usr/bin/env bash
# A throwaway Kubernetes control plane on loopback for tests and demos:
# etcd + kube-apiserver + kube-controller-manager, built from Debian's sources.
#
#   scripts/testenv.sh deps [--demo]    install what the tests (or only the demo's cluster) need,
#                                       Debian packages; --print lists them without installing
#   scripts/testenv.sh build            build and cache kube-apiserver + kube-controller-manager
#   scripts/testenv.sh up [DIR]         start a control plane, state in DIR (default: a new temp dir);
#                                       prints the state dir on stdout
#   scripts/testenv.sh up --node [DIR]  the same, plus a real node: kube-scheduler, the workload
#                                       controllers, containerd + runc and a kubelet (lib/node.sh)
#   scripts/testenv.sh env DIR          print shell exports (KUBECONFIG) for DIR
#   scripts/testenv.sh down DIR         stop every process started for DIR and remove DIR
#
# `up --owner-pid PID` also starts a watchdog that takes the control plane down when PID exits,
# so a crashed test run never leaves processes behind.
set -euo pipefail

K8S_VERSION=1.20.2
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-regcred"
BIN_DIR="$CACHE_DIR/k8s-$K8S_VERSION/bin"
SCRIPT_PATH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"

log() { echo "testenv: $*" >&2; }
die() { log "error: $*"; exit 1; }
source "$(dirname "${BASH_SOURCE[0]}")/lib/processes.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/images.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/hosts.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/node.sh"

# --- dependencies ---------------------------------------------------------------------------

# What a cluster needs: building kube-* from Debian's source, running the control plane, the
# node (NODE_PACKAGES, lib/node.sh) and the registries it pulls from.
CLUSTER_PACKAGES=(etcd-server openssl curl golang-go rsync dpkg-dev golang-github-modern-go-reflect2-dev make gcc libc6-dev docker-registry apache2-utils)
# What only the tests need besides: shells for completion tests, credential helpers, a
# keyring on a private D-Bus, tmux for the wizard, GNU time for memory figures.
TEST_PACKAGES=(zsh golang-docker-credential-helpers pass gnupg dbus-daemon gnome-keyring tmux time)

# wanted_packages SCOPE MACHINE: every package the tests need (SCOPE "tests"), or only what a
# cluster (the demo) needs ("demo"); plus Debian's kubectl when there is no kubectl at all, or
# always on a "fresh" MACHINE (rather than "this" one).
wanted_packages() {
  local pkg
  for pkg in "${CLUSTER_PACKAGES[@]}" "${NODE_PACKAGES[@]}"; do echo "$pkg"; done
  if [ "$1" = tests ]; then
    for pkg in "${TEST_PACKAGES[@]}"; do echo "$pkg"; done
  fi
  if [ "$2" = fresh ] || ! command -v kubectl >/dev/null; then echo kubernetes-client; fi
}

# cmd_deps [--demo] [--print]: installs the missing ones; --print only lists what it would
# install on a machine that has none of them (a check that the demo stays small).
cmd_deps() {
  local scope=tests print=""
  while [ $# -gt 0 ]; do
    case $1 in
      --demo) scope=demo; shift ;;
      --print) print=1; shift ;;
      *) die "deps: unknown flag $1" ;;
    esac
  done
  if [ -n "$print" ]; then wanted_packages $scope fresh; return 0; fi
  local missing="" pkg
  for pkg in $(wanted_packages $scope this); do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing="$missing $pkg"
  done
  if [ -z "$missing" ]; then return 0; fi
  [ "$(id -u)" = 0 ] || die "missing Debian packages:$missing; install them with apt-get as root"
  log "installing:$missing"
  apt-get update -qq >&2
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2
}

# --- build ----------------------------------------------------------------------------------

# The control plane, and the node's kubelet and scheduler: one tree, one build, one cache.
K8S_BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubelet)

have_binaries() {
  local out
  for out in "${K8S_BINARIES[@]}" pause; do [ -x "$BIN_DIR/$out" ] || return 1; done
}

cmd_build() {
  if have_binaries; then return 0; fi
  cmd_deps --demo
  local work="$CACHE_DIR/build.$$"
  rm -rf "$work"; mkdir -p "$work/apt/sources.list.d" "$work/apt/lists/partial"
  BUILD_WORK=$work
  trap 'rm -rf "${BUILD_WORK:-}"' EXIT
  # A private deb-src list, so the system's apt configuration is left as it was.
  sed -e 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
    > "$work/apt/sources.list.d/debian-src.sources"
  local apt_opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$work/apt/sources.list.d"
    -o "Dir::State::Lists=$work/apt/lists" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=)
  log "fetching Debian's kubernetes source package"
  apt-get "${apt_opts[@]}" update -qq >&2
  (cd "$work" && apt-get "${apt_opts[@]}" source -qq kubernetes >&2)
  local tree
  tree=$(find "$work" -maxdepth 1 -type d -name 'kubernetes-*' | head -n1)
  [ -n "$tree" ] || die "apt-get source kubernetes produced no tree in $work"
  # reflect2 1.0.1 crashes (fatal error: fault in mapiternext) under Go 1.19; 1.0.2 fixes it.
  rm -rf "$tree/vendor/github.com/modern-go/reflect2"
  cp -r /usr/share/gocode/src/github.com/modern-go/reflect2 "$tree/vendor/github.com/modern-go/reflect2"
  rm -f "$tree/vendor/github.com/modern-go/reflect2/go.mod"
  log "building ${K8S_BINARIES[*]} (about 8 minutes on 2 cores)"
  (cd "$tree" && GOPATH="$work/gopath" GOCACHE="$work/gocache" GOFLAGS=-mod=vendor GOPROXY=off \
    CGO_ENABLED=0 make WHAT="${K8S_BINARIES[*]/#/cmd/}" >&2)
  mkdir -p "$BIN_DIR"
  local out
  for out in "${K8S_BINARIES[@]}"; do
    install -m 0755 "$(find "$tree/_output" -type f -name "$out" | head -n1)" "$BIN_DIR/$out.tmp"
    mv "$BIN_DIR/$out.tmp" "$BIN_DIR/$out"
  done
  # The node's sandbox ("pause") image holds the pause program of the same tree, built as its
  # Makefile builds it: static, so the image needs nothing else.
  gcc -Os -Wall -Werror -static -DVERSION=v3.4.1-regcred -o "$BIN_DIR/pause.tmp" "$tree/build/pause/linux/pause.c"
  mv "$BIN_DIR/pause.tmp" "$BIN_DIR/pause"
  rm -rf "$work"
  log "cached in $BIN_DIR"
}

# --- up / down / env ------------------------------------------------------------------------

make_certs() {
  local pki=$1
  mkdir -p "$pki"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3 -subj "/CN=regcred-test-ca" \
    -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" \
    -keyout "$pki/apiserver.key" -out "$pki/apiserver.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\n' >"$pki/san.ext"
  openssl x509 -req -in "$pki/apiserver.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 3 -extfile "$pki/san.ext" -out "$pki/apiserver.crt" 2>/dev/null
  openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
  # A client certificate of the same CA for the `cert` and `cert-files` contexts: the API
  # server maps CN to the user and O to its groups, so this user is a cluster admin.
  openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=regcred-cert-admin" \
    -keyout "$pki/cert-admin.key" -out "$pki/cert-admin.csr" 2>/dev/null
  printf 'extendedKeyUsage=clientAuth\n' >"$pki/client.ext"
  openssl x509 -req -in "$pki/cert-admin.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 3 -extfile "$pki/client.ext" -out "$pki/cert-admin.crt" 2>/dev/null
  chmod 600 "$pki"/*.key
}

# Contexts admin (current), readonly and nobody use static tokens; cert, cert-files and
# token-file are the same cluster admin through kubectl's other ways to authenticate.
write_kubeconfig() {
  local dir=$1 port=$2 admin_token=$3 readonly_token=$4 nobody_token=$5
  local ca cert key
  ca=$(base64 -w0 <"$dir/pki/ca.crt")
  cert=$(base64 -w0 <"$dir/pki/cert-admin.crt")
  key=$(base64 -w0 <"$dir/pki/cert-admin.key")
  cat >"$dir/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: regcred-test
  cluster:
    server: https://127.0.0.1:$port
    certificate-authority-data: $ca
users:
- name: admin
  user:
    token: $admin_token
- name: readonly
  user:
    token: $readonly_token
- name: nobody
  user:
    token: $nobody_token
- name: cert
  user:
    client-certificate-data: $cert
    client-key-data: $key
- name: cert-files
  user:
    client-certificate: $dir/pki/cert-admin.crt
    client-key: $dir/pki/cert-admin.key
- name: token-file
  user:
    tokenFile: $dir/admin-token
contexts:
- name: admin
  context: {cluster: regcred-test, user: admin}
- name: readonly
  context: {cluster: regcred-test, user: readonly}
- name: nobody
  context: {cluster: regcred-test, user: nobody}
- name: cert
  context: {cluster: regcred-test, user: cert}
- name: cert-files
  context: {cluster: regcred-test, user: cert-files}
- name: token-file
  context: {cluster: regcred-test, user: token-file}
current-context: admin
KUBECONFIG
  chmod 600 "$dir/kubeconfig"
}

api() { # api DIR METHOD PATH [BODY]
  local dir=$1 method=$2 path=$3 body=${4:-}
  local server token
  server=$(cat "$dir/server"); token=$(cat "$dir/admin-token")
  curl -sf --cacert "$dir/pki/ca.crt" -H "Authorization: Bearer $token" -X "$method" \
    -H 'Content-Type: application/json' ${body:+--data "$body"} "$server$path"
}

# The read-only user may read what the plugin reads, and write nothing: for RBAC tests.
grant_readonly() {
  local dir=$1
  api "$dir" POST /apis/rbac.authorization.k8s.io/v1/clusterroles '{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"regcred-readonly"},"rules":[{"apiGroups":[""],"resources":["namespaces","secrets","serviceaccounts","pods","events"],"verbs":["get","list","watch"]},{"apiGroups":["events.k8s.io"],"resources":["events"],"verbs":["get","list","watch"]}]}' >/dev/null
  api "$dir" POST /apis/rbac.authorization.k8s.io/v1/clusterrolebindings '{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"regcred-readonly"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"regcred-readonly"},"subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"regcred-readonly"}]}' >/dev/null
}

cmd_up() {
  local dir="" owner_pid="" node=""
  while [ $# -gt 0 ]; do
    case $1 in
      --owner-pid) owner_pid=$2; shift 2 ;;
      --node) node=1; shift ;;
      *) dir=$1; shift ;;
    esac
  done
  cmd_build
  command -v etcd >/dev/null || die "etcd not found (Debian package etcd-server)"
  if [ -z "$dir" ]; then dir=$(mktemp -d "${TMPDIR:-/tmp}/regcred-testenv.XXXXXX"); fi
  mkdir -p "$dir/logs" "$dir/pids" "$dir/etcd"
  chmod 700 "$dir"
  if ! start_control_plane "$dir" "$node" || { [ -n "$node" ] && ! start_node "$dir"; }; then
    log "control plane failed to start; last lines of its logs:"
    tail -n 20 "$dir"/logs/*.log >&2 || true
    cmd_down "$dir"
    exit 1
  fi
  if [ -n "$owner_pid" ]; then
    start_watchdog "$owner_pid" "$dir"
  fi
  echo "$dir"
}

start_control_plane() {
  local dir=$1 with_node=${2:-}
  local etcd_port etcd_peer_port api_port
  etcd_port=$(free_port); etcd_peer_port=$(free_port); api_port=$(free_port)
  make_certs "$dir/pki"
  local admin_token readonly_token nobody_token
  admin_token=$(random_token); readonly_token=$(random_token); nobody_token=$(random_token)
  echo "$admin_token" >"$dir/admin-token"
  printf '%s,regcred-admin,uid-admin,"system:masters"\n%s,regcred-readonly,uid-readonly\n%s,regcred-nobody,uid-nobody\n' \
    "$admin_token" "$readonly_token" "$nobody_token" >"$dir/tokens.csv"
  chmod 600 "$dir/tokens.csv" "$dir/admin-token"
  echo "https://127.0.0.1:$api_port" >"$dir/server"

  start_process "$dir" etcd etcd --name regcred-test --data-dir "$dir/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer_port" \
    --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer_port" \
    --initial-cluster "regcred-test=http://127.0.0.1:$etcd_peer_port" --log-level warn
  wait_for etcd 30 curl -sf "http://127.0.0.1:$etcd_port/health" || return 1

  start_process "$dir" kube-apiserver "$BIN_DIR/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" --insecure-port 0 \
    --tls-cert-file "$dir/pki/apiserver.crt" --tls-private-key-file "$dir/pki/apiserver.key" \
    --client-ca-file "$dir/pki/ca.crt" --cert-dir "$dir/pki" \
    --token-auth-file "$dir/tokens.csv" --authorization-mode RBAC \
    --service-account-key-file "$dir/pki/sa.pub" --service-account-signing-key-file "$dir/pki/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --enable-admission-plugins ServiceAccount \
    --service-cluster-ip-range 10.96.0.0/16 --endpoint-reconciler-type none \
    --enable-priority-and-fairness=true --profiling=false --logtostderr
  wait_for kube-apiserver 90 curl -sf --cacert "$dir/pki/ca.crt" "https://127.0.0.1:$api_port/readyz" \
    -H "Authorization: Bearer $admin_token" || return 1

  write_kubeconfig "$dir" "$api_port" "$admin_token" "$readonly_token" "$nobody_token"
  local controllers=serviceaccount,serviceaccount-token,namespace,garbagecollector
  if [ -n "$with_node" ]; then
    # What makes pods of workloads, and takes a new node's not-ready taint off once it is ready.
    controllers=$controllers,deployment,replicaset,statefulset,daemonset,job,cronjob,nodelifecycle
    start_process "$dir" kube-scheduler "$BIN_DIR/kube-scheduler" \
      --kubeconfig "$dir/kubeconfig" --leader-elect=false --port 0 --secure-port 0 --logtostderr
  fi
  start_process "$dir" kube-controller-manager "$BIN_DIR/kube-controller-manager" \
    --kubeconfig "$dir/kubeconfig" --controllers "$controllers" \
    --service-account-private-key-file "$dir/pki/sa.key" --root-ca-file "$dir/pki/ca.crt" \
    --leader-elect=false --port 0 --secure-port 0 --use-service-account-credentials=false --logtostderr
  wait_for "service-account controller" 60 api "$dir" GET /api/v1/namespaces/default/serviceaccounts/default \
    || return 1
  grant_readonly "$dir"
}

cmd_env() {
  local dir=${1:?usage: testenv.sh env DIR}
  [ -f "$dir/kubeconfig" ] || die "no control plane in $dir"
  echo "export KUBECONFIG=$dir/kubeconfig"
  echo "export REGCRED_TEST_KUBECONFIG=$dir/kubeconfig"
}

cmd_down() {
  local dir=${1:?usage: testenv.sh down DIR}
  # The node first (its pods' processes and mounts), then the controllers, etcd last.
  stop_node "$dir"
  stop_all "$dir" kube-scheduler kube-controller-manager kube-apiserver etcd
}

main() {
  local cmd=${1:-}
  shift || true
  case $cmd in
    deps) cmd_deps "$@" ;;
    build) cmd_build ;;
    up) cmd_up "$@" ;;
    env) cmd_env "$@" ;;
    down) cmd_down "$@" ;;
    *) sed -n '2,15p' "$SCRIPT_PATH" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; fi
