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
