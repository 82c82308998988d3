#!/usr/bin/env bash
# A throwaway OS keyring for tests: a private D-Bus session bus and a gnome-keyring-daemon
# serving the Secret Service (org.freedesktop.secrets) on it, unlocked, its keyrings in DIR.
# The user's own session bus and keyrings are never touched.
#
#   scripts/keyringenv.sh up [--owner-pid PID] [DIR]   start one, state in DIR (default: a new
#                                                      temp dir); prints DIR on stdout
#   scripts/keyringenv.sh env DIR                      print shell exports for DIR
#   scripts/keyringenv.sh down DIR                     stop every process started for DIR, remove DIR
#
# DIR/env holds `DBUS_SESSION_BUS_ADDRESS=...`, the one variable a client needs.
# `up --owner-pid PID` also starts a watchdog that takes it down when PID exits, so a crashed
# test run never leaves processes behind. Needs the Debian packages dbus-daemon and
# gnome-keyring (scripts/testenv.sh deps installs them).
set -euo pipefail

SCRIPT_PATH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"

log() { echo "keyringenv: $*" >&2; }
die() { log "error: $*"; exit 1; }
source "$(dirname "${BASH_SOURCE[0]}")/lib/processes.sh"

# A session bus with no service directory: nothing is activated behind our back (not even the
# system's gnome-keyring), so the only Secret Service on it is the one started here.
write_bus_config() {
  local dir=$1
  cat >"$dir/bus.conf" <<BUSCONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$dir/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
BUSCONF
}

# Does something own org.freedesktop.secrets on the bus of DIR?
has_secret_service() {
  local dir=$1
  DBUS_SESSION_BUS_ADDRESS=$(cat "$dir/address") dbus-send --session --print-reply \
    --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner \
    string:org.freedesktop.secrets | grep -q 'boolean true'
}

start_keyring() {
  local dir=$1
  local output
  output=$(dbus-daemon --config-file="$dir/bus.conf" --fork --print-address=1 --print-pid=1) || return 1
  sed -n 1p <<<"$output" >"$dir/address"
  sed -n 2p <<<"$output" >"$dir/pids/dbus-daemon"
  printf 'DBUS_SESSION_BUS_ADDRESS=%s\n' "$(cat "$dir/address")" >"$dir/env"
  # `--unlock` reads the login keyring's password from stdin, creates that keyring (the
  # default collection) when there is none, and unlocks it: writes never show a prompt.
  # HOME and the XDG dirs point into DIR, so no real keyring is read or written.
  head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/password"
  chmod 600 "$dir/password"
  env DBUS_SESSION_BUS_ADDRESS="$(cat "$dir/address")" HOME="$dir/home" \
    XDG_DATA_HOME="$dir/data" XDG_CONFIG_HOME="$dir/config" XDG_RUNTIME_DIR="$dir/runtime" \
    XDG_CACHE_HOME="$dir/cache" \
    gnome-keyring-daemon --foreground --unlock --components=secrets \
    <"$dir/password" >"$dir/logs/gnome-keyring-daemon.log" 2>&1 &
  echo $! >"$dir/pids/gnome-keyring-daemon"
  wait_for "Secret Service" 15 has_secret_service "$dir"
}

cmd_up() {
  local dir="" owner_pid=""
  while [ $# -gt 0 ]; do
    case $1 in
      --owner-pid) owner_pid=$2; shift 2 ;;
      *) dir=$1; shift ;;
    esac
  done
  command -v dbus-daemon >/dev/null || die "dbus-daemon not found (Debian package dbus-daemon)"
  command -v gnome-keyring-daemon >/dev/null || die "gnome-keyring-daemon not found (Debian package gnome-keyring)"
  if [ -z "$dir" ]; then dir=$(mktemp -d "${TMPDIR:-/tmp}/regcred-keyringenv.XXXXXX"); fi
  mkdir -p "$dir/logs" "$dir/pids" "$dir/home" "$dir/data" "$dir/config" "$dir/runtime" "$dir/cache"
  chmod 700 "$dir" "$dir/runtime"
  write_bus_config "$dir"
  if ! start_keyring "$dir"; then
    log "the keyring failed to start; last lines of its logs:"
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
  local dir=${1:?usage: keyringenv.sh env DIR}
  [ -f "$dir/env" ] || die "no keyring in $dir"
  echo "export $(cat "$dir/env")"
}

cmd_down() {
  local dir=${1:?usage: keyringenv.sh down DIR}
  # The keyring before its bus.
  stop_all "$dir" gnome-keyring-daemon dbus-daemon
}

main() {
  local cmd=${1:-}
  shift || true
  case $cmd in
    up) cmd_up "$@" ;;
    env) cmd_env "$@" ;;
    down) cmd_down "$@" ;;
    *) sed -n '2,14p' "$SCRIPT_PATH" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; fi
