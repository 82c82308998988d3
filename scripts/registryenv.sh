#!/usr/bin/env bash
# Throwaway container registries on loopback for tests and demos, all Debian's docker-registry:
#   - registry-http: htpasswd (bcrypt) auth over plain HTTP;
#   - registry-tls: htpasswd auth over TLS with a CA of its own, for 127.0.0.1 and the names
#     untrusted.regcred.test, trusted.regcred.test and mended-tls.regcred.test (names of
#     lib/hosts.sh, which a test node maps to 127.0.0.1);
#   - registry-token: the Docker token flow (GHCR, Docker Hub, Harbor), with lib/token-server.py
#     as its token service.
#
#   scripts/registryenv.sh up [--owner-pid PID] [DIR]   start them, state in DIR (default: a new
#                                                       temp dir); push team/app:1.0 (a busybox
#                                                       image that sleeps) to each;
#                                                       prints the state dir on stdout
#   scripts/registryenv.sh env DIR                      print shell exports (ports, user, CA) for DIR
#   scripts/registryenv.sh down DIR                     stop every process started for DIR, remove DIR
#
# DIR/env holds REGISTRY_HTTP_PORT, REGISTRY_TLS_PORT, REGISTRY_TOKEN_PORT, REGISTRY_USER,
# REGISTRY_PASSWORD, REGISTRY_USER2, REGISTRY_PASSWORD2 (a second user of every registry), REGISTRY_CA, REGISTRY_IMAGE, TOKEN_ACCESS_LOG and WITH_HOSTS (a program
# that runs a command seeing the names of lib/hosts.sh) as KEY=VALUE lines. The
# password is never on a command line: curl and skopeo read it from files. `--owner-pid PID`
# also starts a watchdog that takes the registries down when PID exits. Needs docker-registry,
# apache2-utils, openssl, curl, umoci, skopeo and busybox-static (`scripts/testenv.sh deps`).
set -euo pipefail

SCRIPT_PATH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
REGISTRY_BIN=${REGISTRY_BIN:-/usr/bin/docker-registry}
REGISTRY_USER=regcred-test
# A second user of the htpasswd registries, for tests that tell users apart in the access logs.
REGISTRY_USER2=regcred-other
IMAGE_REPO=team/app
IMAGE_TAG=1.0
PROCESSES=(registry-http registry-tls registry-token token-server)

log() { echo "registryenv: $*" >&2; }
die() { log "error: $*"; exit 1; }
source "$(dirname "${BASH_SOURCE[0]}")/lib/processes.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/images.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/hosts.sh"

make_certs() {
  local pki=$1
  mkdir -p "$pki"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3 -subj "/CN=regcred-test-registry-ca" \
    -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=regcred-test-registry" \
    -keyout "$pki/registry.key" -out "$pki/registry.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:untrusted.regcred.test,DNS:trusted.regcred.test,DNS:mended-tls.regcred.test\n' >"$pki/san.ext"
  openssl x509 -req -in "$pki/registry.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 3 -extfile "$pki/san.ext" -out "$pki/registry.crt" 2>/dev/null
  # The token service's signing key, in a self-signed certificate the token registry trusts.
  openssl req -x509 -newkey rsa:2048 -nodes -days 3 -subj "/CN=regcred-test-token-server" \
    -keyout "$pki/token.key" -out "$pki/token.crt" 2>/dev/null
  chmod 600 "$pki"/*.key
}

# write_config DIR NAME PORT [tls] [TOKEN_PORT]: a registry config with its own storage and
# htpasswd auth, or token auth from the token service on TOKEN_PORT.
write_config() {
  local dir=$1 name=$2 port=$3 tls=${4:-} token_port=${5:-}
  mkdir -p "$dir/storage/$name"
  {
    echo "version: 0.1"
    echo "log:"
    echo "  level: info"
    echo "storage:"
    echo "  filesystem:"
    echo "    rootdirectory: $dir/storage/$name"
    echo "  delete:"
    echo "    enabled: true"
    echo "http:"
    echo "  addr: 127.0.0.1:$port"
    echo "  secret: $(random_token)"
    if [ -n "$tls" ]; then
      echo "  tls:"
      echo "    certificate: $dir/pki/registry.crt"
      echo "    key: $dir/pki/registry.key"
    fi
    echo "auth:"
    if [ -n "$token_port" ]; then
      echo "  token:"
      echo "    realm: http://127.0.0.1:$token_port/token"
      echo "    service: regcred-test-registry"
      echo "    issuer: regcred-test-token-server"
      echo "    rootcertbundle: $dir/pki/token.crt"
    else
      echo "  htpasswd:"
      echo "    realm: regcred-test"
      echo "    path: $dir/htpasswd"
    fi
  } >"$dir/$name.yml"
}

# The registry answers /v2/ (401 without credentials) once it listens.
registry_answers() { # registry_answers BASE_URL [CURL_ARGS...]
  local base=$1; shift
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' "$@" "$base/v2/") || return 1
  [ "$code" = 401 ]
}

start_registries() {
  local dir=$1
  local http_port tls_port token_port token_server_port password password2
  http_port=$(free_port); tls_port=$(free_port); token_port=$(free_port); token_server_port=$(free_port)
  password=$(random_token)
  password2=$(random_token)
  make_certs "$dir/pki"
  # -i: the password from stdin, never on a command line.
  printf %s "$password" | htpasswd -Bin "$REGISTRY_USER" >"$dir/htpasswd" 2>/dev/null
  printf %s "$password2" | htpasswd -Bin "$REGISTRY_USER2" >>"$dir/htpasswd" 2>/dev/null
  printf '%s:%s\n' "$REGISTRY_USER" "$(printf %s "$password" | sha256sum | cut -d' ' -f1)" >"$dir/token-users"
  printf '%s:%s\n' "$REGISTRY_USER2" "$(printf %s "$password2" | sha256sum | cut -d' ' -f1)" >>"$dir/token-users"
  chmod 600 "$dir/htpasswd" "$dir/token-users"
  # curl and skopeo read the credentials from these, so the password never shows in `ps`.
  printf 'user = "%s:%s"\n' "$REGISTRY_USER" "$password" >"$dir/curlrc"
  printf '{"auths":{"127.0.0.1:%s":{"auth":"%s"},"127.0.0.1:%s":{"auth":"%s"},"127.0.0.1:%s":{"auth":"%s"}}}\n' \
    "$http_port" "$(printf '%s:%s' "$REGISTRY_USER" "$password" | base64 -w0)" \
    "$tls_port" "$(printf '%s:%s' "$REGISTRY_USER" "$password" | base64 -w0)" \
    "$token_port" "$(printf '%s:%s' "$REGISTRY_USER" "$password" | base64 -w0)" >"$dir/authfile.json"
  chmod 600 "$dir/curlrc" "$dir/authfile.json"
  write_config "$dir" registry-http "$http_port"
  write_config "$dir" registry-tls "$tls_port" tls
  write_config "$dir" registry-token "$token_port" "" "$token_server_port"

  start_process "$dir" token-server python3 "$(dirname "$SCRIPT_PATH")/lib/token-server.py" \
    --port "$token_server_port" --key "$dir/pki/token.key" --cert "$dir/pki/token.crt" \
    --users "$dir/token-users" --access-log "$dir/logs/token-access.log"
  start_process "$dir" registry-http "$REGISTRY_BIN" serve "$dir/registry-http.yml"
  start_process "$dir" registry-tls "$REGISTRY_BIN" serve "$dir/registry-tls.yml"
  start_process "$dir" registry-token "$REGISTRY_BIN" serve "$dir/registry-token.yml"
  local http_base="http://127.0.0.1:$http_port" tls_base="https://127.0.0.1:$tls_port"
  local token_base="http://127.0.0.1:$token_port"
  wait_for "plain-HTTP registry on $http_port" 30 registry_answers "$http_base" || return 1
  wait_for "TLS registry on $tls_port" 30 registry_answers "$tls_base" --cacert "$dir/pki/ca.crt" || return 1
  wait_for "token registry on $token_port" 30 registry_answers "$token_base" || return 1
  wait_for "token server on $token_server_port" 30 curl -sf "http://127.0.0.1:$token_server_port/token" || return 1

  write_hosts_view "$dir"
  build_busybox_image "$dir/image" app
  mkdir -p "$dir/pki/certs.d"
  cp "$dir/pki/ca.crt" "$dir/pki/certs.d/ca.crt"
  push_image "$dir/image" app "127.0.0.1:$http_port/$IMAGE_REPO:$IMAGE_TAG" "$dir/authfile.json"
  push_image "$dir/image" app "127.0.0.1:$tls_port/$IMAGE_REPO:$IMAGE_TAG" "$dir/authfile.json" "$dir/pki/certs.d"
  push_image "$dir/image" app "127.0.0.1:$token_port/$IMAGE_REPO:$IMAGE_TAG" "$dir/authfile.json"
  log "pushed $IMAGE_REPO:$IMAGE_TAG to each registry"

  {
    echo "REGISTRY_HTTP_PORT=$http_port"
    echo "REGISTRY_TLS_PORT=$tls_port"
    echo "REGISTRY_TOKEN_PORT=$token_port"
    echo "REGISTRY_USER=$REGISTRY_USER"
    echo "REGISTRY_PASSWORD=$password"
    echo "REGISTRY_USER2=$REGISTRY_USER2"
    echo "REGISTRY_PASSWORD2=$password2"
    echo "REGISTRY_CA=$dir/pki/ca.crt"
    echo "REGISTRY_IMAGE=$IMAGE_REPO:$IMAGE_TAG"
    echo "TOKEN_ACCESS_LOG=$dir/logs/token-access.log"
    echo "WITH_HOSTS=$dir/bin/with-hosts"
  } >"$dir/env"
  chmod 600 "$dir/env"
}

cmd_up() {
  local dir="" owner_pid=""
  while [ $# -gt 0 ]; do
    case $1 in
      --owner-pid) owner_pid=$2; shift 2 ;;
      *) dir=$1; shift ;;
    esac
  done
  [ -x "$REGISTRY_BIN" ] || die "$REGISTRY_BIN not found (Debian package docker-registry; run scripts/testenv.sh deps)"
  command -v htpasswd >/dev/null || die "htpasswd not found (Debian package apache2-utils; run scripts/testenv.sh deps)"
  if [ -z "$dir" ]; then dir=$(mktemp -d "${TMPDIR:-/tmp}/regcred-registryenv.XXXXXX"); fi
  mkdir -p "$dir/logs" "$dir/pids"
  chmod 700 "$dir"
  if ! (start_registries "$dir"); then
    log "registries failed to start; last lines of their logs:"
    tail -n 20 "$dir"/logs/*.log >&2 || true
    cmd_down "$dir"
    exit 1
  fi
  if [ -n "$owner_pid" ]; then
    start_watchdog "$owner_pid" "$dir"
  fi
  echo "$dir"
}

cmd_env() {
  local dir=${1:?usage: registryenv.sh env DIR}
  [ -f "$dir/env" ] || die "no registries in $dir"
  sed 's/^/export /' "$dir/env"
}

cmd_down() {
  local dir=${1:?usage: registryenv.sh down DIR}
  stop_all "$dir" "${PROCESSES[@]}"
}

main() {
  local cmd=${1:-}
  shift || true
  case $cmd in
    up) cmd_up "$@" ;;
    env) cmd_env "$@" ;;
    down) cmd_down "$@" ;;
    *) sed -n '2,22p' "$SCRIPT_PATH" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; fi
