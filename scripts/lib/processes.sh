# Shared by the throwaway environments (testenv.sh, registryenv.sh, keyringenv.sh): free ports,
# background processes recorded by PID, and polling until something answers. Source it after
# defining `log`.

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

random_token() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }

# Starts a command in the background, its output in DIR/logs/NAME.log and its PID in DIR/pids/NAME.
start_process() {
  local dir=$1 name=$2; shift 2
  "$@" >"$dir/logs/$name.log" 2>&1 &
  echo $! >"$dir/pids/$name"
}

# wait_for WHAT TIMEOUT_SECONDS COMMAND...: polls COMMAND until it succeeds; never a fixed sleep.
wait_for() {
  local what=$1 timeout=$2; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then return 1; fi
    sleep 0.1
  done
  log "$what ready"
}

# start_watchdog OWNER_PID DIR: a detached process that runs `$SCRIPT_PATH down DIR` when
# OWNER_PID exits, even by a crash, so a test run never leaves processes behind.
start_watchdog() {
  local owner_pid=$1 dir=$2
  # shellcheck disable=SC2016 # the inner script expands its own arguments
  nohup setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; "$2" down "$3"' \
    watchdog "$owner_pid" "$SCRIPT_PATH" "$dir" >/dev/null 2>&1 &
  echo $! >"$dir/pids/watchdog"
}

# stop_processes DIR NAME...: stops the processes recorded in DIR/pids in the order given (TERM,
# then KILL after 5 s).
stop_processes() {
  local dir=$1; shift
  [ -d "$dir/pids" ] || return 0
  local name pid
  for name in "$@"; do
    [ -f "$dir/pids/$name" ] || continue
    pid=$(cat "$dir/pids/$name")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$dir/pids/$name"
  done
}

# stop_all DIR NAME...: stop_processes, then the watchdog unless it is the one running us, and
# removes DIR.
stop_all() {
  local dir=$1; shift
  [ -d "$dir/pids" ] || return 0
  stop_processes "$dir" "$@"
  local pid
  if [ -f "$dir/pids/watchdog" ]; then
    pid=$(cat "$dir/pids/watchdog")
    [ "$pid" = "$PPID" ] || [ "$pid" = "$$" ] || kill "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
