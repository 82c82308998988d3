#!/usr/bin/env bash
# Throwaway container registries on loopback for tests and demos: Debian's docker-registry,
# twice, with htpasswd (bcrypt) auth: one over plain HTTP, one over TLS with a self-signed CA.
#
#   scripts/registryenv.sh up [--owner-pid PID] [DIR]   start both, state in DIR (default: a new
#                                                       temp dir); push team/app:1.0 to each;
#                                                       prints the state dir on stdout
#   scripts/registryenv.sh env DIR                      print shell exports (ports, user, CA) for DIR
#   scripts/registryenv.sh down DIR                     stop every process started for DIR, remove DIR
#
# DIR/env holds REGISTRY_HTTP_PORT, REGISTRY_TLS_PORT, REGISTRY_USER, REGISTRY_PASSWORD,
# REGISTRY_CA and REGISTRY_IMAGE (KEY=VALUE lines). The password is never on a command line:
# curl reads it from a config file. `--owner-pid PID` also starts a watchdog that takes the
# registries down when PID exits. Needs docker-registry, apache2-utils, openssl and curl
# (`scripts/testenv.sh deps` installs them).
set -euo pipefail

SCRIPT_PATH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
REGISTRY_BIN=${REGISTRY_BIN:-/usr/bin/docker-registry}
REGISTRY_USER=regcred-test
IMAGE_REPO=team/app
IMAGE_TAG=1.0
PROCESSES=(registry-http registry-tls)

log() { echo "registryenv: $*" >&2; }
die() { log "error: $*"; exit 1; }
source "$(dirname "${BASH_SOURCE[0]}")/lib/processes.sh"

make_certs() {
  local pki=$1
  mkdir -p "$pki"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3 -subj "/CN=regcred-test-registry-ca" \
    -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=regcred-test-registry" \
    -keyout "$pki/registry.key" -out "$pki/registry.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$pki/san.ext"
  openssl x509 -req -in "$pki/registry.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 3 -extfile "$pki/san.ext" -out "$pki/registry.crt" 2>/dev/null
  chmod 600 "$pki"/*.key
}

# write_config DIR NAME PORT [TLS]: a registry config with htpasswd auth and its own storage.
write_config() {
  local dir=$1 name=$2 port=$3 tls=${4:-}
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
    echo "  htpasswd:"
    echo "    realm: regcred-test"
    echo "    path: $dir/htpasswd"
  } >"$dir/$name.yml"
}

# The registry answers /v2/ (401 without credentials) once it listens.
registry_answers() { # registry_answers BASE_URL [CURL_ARGS...]
  local base=$1; shift
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' "$@" "$base/v2/") || return 1
  [ "$code" = 401 ]
}

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }
size_of() { stat -c %s "$1"; }

# Builds a one-layer OCI image in DIR/image: layer.tar.gz, config.json, manifest.json.
make_image() {
  local image=$1
  mkdir -p "$image/rootfs"
  echo "hello from kubectl-regcred's test registry" >"$image/rootfs/hello.txt"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$image/rootfs" -cf "$image/layer.tar" .
  local diff_id
  diff_id=$(sha256_of "$image/layer.tar")
  gzip -n -9 -c "$image/layer.tar" >"$image/layer.tar.gz"
  printf '{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$diff_id" >"$image/config.json"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]}' \
    "$(sha256_of "$image/config.json")" "$(size_of "$image/config.json")" \
    "$(sha256_of "$image/layer.tar.gz")" "$(size_of "$image/layer.tar.gz")" >"$image/manifest.json"
}

# push_blob BASE_URL FILE CURL_ARGS...: monolithic upload (POST, then PUT ?digest=).
push_blob() {
  local base=$1 file=$2; shift 2
  local digest location
  digest="sha256:$(sha256_of "$file")"
  location=$(curl -sf -o /dev/null -D - -X POST "$@" "$base/v2/$IMAGE_REPO/blobs/uploads/" |
    tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
  [ -n "$location" ] || die "no upload location from $base"
  case $location in /*) location="$base$location" ;; esac
  case $location in *\?*) location="$location&digest=$digest" ;; *) location="$location?digest=$digest" ;; esac
  curl -sf -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' \
    --data-binary "@$file" "$@" "$location" || die "upload of $digest to $base failed"
}

push_image() { # push_image BASE_URL IMAGE_DIR CURL_ARGS...
  local base=$1 image=$2; shift 2
  push_blob "$base" "$image/layer.tar.gz" "$@"
  push_blob "$base" "$image/config.json" "$@"
  curl -sf -o /dev/null -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
    --data-binary "@$image/manifest.json" "$@" "$base/v2/$IMAGE_REPO/manifests/$IMAGE_TAG" ||
    die "push of the manifest $IMAGE_REPO:$IMAGE_TAG to $base failed"
  log "pushed $IMAGE_REPO:$IMAGE_TAG to $base"
}

start_registries() {
  local dir=$1
  local http_port tls_port password
  http_port=$(free_port); tls_port=$(free_port)
  password=$(random_token)
  make_certs "$dir/pki"
  # -i: the password from stdin, never on a command line.
  printf %s "$password" | htpasswd -Bin "$REGISTRY_USER" >"$dir/htpasswd" 2>/dev/null
  chmod 600 "$dir/htpasswd"
  # curl reads the credentials from here, so the password never shows in `ps`.
  printf 'user = "%s:%s"\n' "$REGISTRY_USER" "$password" >"$dir/curlrc"
  chmod 600 "$dir/curlrc"
  write_config "$dir" registry-http "$http_port"
  write_config "$dir" registry-tls "$tls_port" tls

  start_process "$dir" registry-http "$REGISTRY_BIN" serve "$dir/registry-http.yml"
  start_process "$dir" registry-tls "$REGISTRY_BIN" serve "$dir/registry-tls.yml"
  local http_base="http://127.0.0.1:$http_port" tls_base="https://127.0.0.1:$tls_port"
  wait_for "plain-HTTP registry on $http_port" 30 registry_answers "$http_base" || return 1
  wait_for "TLS registry on $tls_port" 30 registry_answers "$tls_base" --cacert "$dir/pki/ca.crt" || return 1

  make_image "$dir/image"
  push_image "$http_base" "$dir/image" -K "$dir/curlrc"
  push_image "$tls_base" "$dir/image" -K "$dir/curlrc" --cacert "$dir/pki/ca.crt"

  {
    echo "REGISTRY_HTTP_PORT=$http_port"
    echo "REGISTRY_TLS_PORT=$tls_port"
    echo "REGISTRY_USER=$REGISTRY_USER"
    echo "REGISTRY_PASSWORD=$password"
    echo "REGISTRY_CA=$dir/pki/ca.crt"
    echo "REGISTRY_IMAGE=$IMAGE_REPO:$IMAGE_TAG"
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
    *) sed -n '2,15p' "$SCRIPT_PATH" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; fi
