#!/usr/bin/env bash
# Wall time and peak memory (RSS, GNU time) of the release build on large inputs, the figures
# BENCHMARKS.md gives under "Large inputs" (tests/large_inputs.rs bounds the debug build's):
#   - a 10 MB ~/.docker/config.json, one registry taken (create --from-docker-config --server);
#   - 1,000 registries in one secret: from a config.json (--yes), from 1,000 --server flags with
#     the passwords on stdin, and `check` of that secret in a cluster;
#   - N namespaces (default 5,000) on a fresh throwaway control plane: create -A, status -A.
#
#   scripts/bench-large-inputs.sh [--no-build] [--namespaces N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build=true namespaces=5000
while [ $# -gt 0 ]; do
  case $1 in
    --no-build) build=false; shift ;;
    --namespaces) namespaces=$2; shift 2 ;;
    *) echo "usage: $0 [--no-build] [--namespaces N]" >&2; exit 2 ;;
  esac
done

$build && cargo build --release --locked >&2
plugin="$PWD/target/release/kubectl-regcred"
[ -x "$plugin" ] || { echo "no release binary at $plugin (drop --no-build)" >&2; exit 1; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; } >&2

work=$(mktemp -d "${TMPDIR:-/tmp}/bench-large-inputs.XXXXXX")
dir=""
cleanup() {
  [ -z "$dir" ] || scripts/testenv.sh down "$dir"
  rm -rf "$work"
}
trap cleanup EXIT

# The plugin gets a private HOME and DOCKER_CONFIG (testenv.sh keeps its cache in the real HOME).
DOCKER_CONFIG="$work/home/.docker"
mkdir -p "$DOCKER_CONFIG"
regcred=(env HOME="$work/home" DOCKER_CONFIG="$DOCKER_CONFIG" "$plugin")
unset REGCRED_PASSWORD KUBERNETES_SERVICE_HOST
# Offline runs get a kubeconfig that points where nothing listens: none may contact a cluster.
cat >"$work/nowhere.kubeconfig" <<'KUBECONFIG'
apiVersion: v1
kind: Config
clusters: [{name: nowhere, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: nobody, user: {token: none}}]
contexts: [{name: nowhere, context: {cluster: nowhere, user: nobody}}]
current-context: nowhere
KUBECONFIG
export KUBECONFIG="$work/nowhere.kubeconfig"

echo "== generating inputs" >&2
python3 - "$work" <<'PY'
import base64, json, sys
work = sys.argv[1]
b64 = lambda s: base64.b64encode(s.encode()).decode()
host = lambda i: f"registry-{i:05d}.example.com"
password = lambda i: f"pw-{i}-" + "x" * (i % 17)

# 10 MB: inline entries with junk fields (some under URL spellings, some broken), credential
# helpers for other hosts, and junk beside them; as tests/large_inputs.rs writes it.
note, auths, size, i = "n" * 300, {}, 0, 0
while size < 10 * 2**20 * 4 // 5:
    if i % 50 == 7:
        entry = {"auth": "!!! not base64", "x-note": note}
    elif i % 50 == 13:
        entry = {"auth": b64("no colon here"), "x-note": note}
    else:
        entry = {"auth": b64(f"user{i}:{password(i)}"), "email": f"user{i}@example.com", "x-note": note,
                 "x-nested": {"a": [1, 2.5, -3e300, "é<>&\u2028", None, {"b": [True, False]}]}}
    key = f"https://{host(i).upper()}/v1/" if i % 50 == 21 else host(i)
    size += len(key) + len(json.dumps(entry)) + 4
    auths[key] = entry
    i += 1
junk = [{"k": j, "v": "j" * 80} for j in range(max(0, 10 * 2**20 - size) // 90 + 100)]
big = {"auths": auths, "credHelpers": {f"helper-{j}.example.com": "no-such-helper" for j in range(100)},
       "HttpHeaders": {"User-Agent": "Docker-Client/27.0.0 (linux)"}, "currentContext": "desktop-linux",
       "proxies": {"default": {"httpProxy": "http://127.0.0.1:3128"}}, "plugins": {"x-junk": junk}}
with open(f"{work}/config-10mb.json", "w") as f:
    json.dump(big, f)

# 1,000 registries, every tenth an identity token; the last one 127.0.0.1:1 for `check`.
key = lambda i: "127.0.0.1:1" if i == 999 else host(i)
thousand = {key(i): ({"auth": "", "identitytoken": f"token-{i}"} if i % 10 == 3
                     else {"auth": b64(f"user{i}:{password(i)}")}) for i in range(1000)}
with open(f"{work}/config-1000.json", "w") as f:
    json.dump({"auths": thousand}, f)
with open(f"{work}/servers-1000.args", "w") as f:
    f.write("\n".join(f"-s\n{host(i)}" for i in range(1000)) + "\n")
with open(f"{work}/passwords-1000.txt", "w") as f:
    f.write("".join(password(i) + "\n" for i in range(1000)))
PY
printf '   config-10mb.json: %s bytes\n' "$(stat -c %s "$work/config-10mb.json")" >&2

# measure LABEL STDIN CMD...: wall seconds and peak RSS of CMD; its stdout in $work/out
measure() {
  local label=$1 input=$2; shift 2
  local out code=0
  /usr/bin/time -f '%e %M' -o "$work/time.out" "$@" <"$input" >"$work/out" 2>"$work/err" || code=$?
  out=$(tail -n1 "$work/time.out")
  printf '%-52s %8.3f s  %7.1f MB peak RSS  (exit %d)\n' "$label" "${out%% *}" \
    "$(python3 -c "print(${out##* } / 1024)")" "$code"
}
# count_auths: the number of registries in the secret manifest in $work/out
count_auths() {
  python3 -c 'import base64, json, sys
s = json.load(open(sys.argv[1]))
print(len(json.loads(base64.b64decode(s["data"][".dockerconfigjson"]))["auths"]))' "$work/out"
}

echo "== offline: client dry runs" >&2
cp "$work/config-10mb.json" "$DOCKER_CONFIG/config.json"
measure "create --from-docker-config (10 MB config.json)" /dev/null \
  "${regcred[@]}" create regcred --from-docker-config --server registry-12345.example.com -n large --dry-run=client -o json
echo "   registries in the manifest: $(count_auths) (want 1)"

cp "$work/config-1000.json" "$DOCKER_CONFIG/config.json"
measure "create --from-docker-config --yes (1,000 registries)" /dev/null \
  "${regcred[@]}" create big --from-docker-config --yes -n large --dry-run=client -o json
echo "   registries in the manifest: $(count_auths) (want 1000)"

mapfile -t servers <"$work/servers-1000.args"
measure "create -s ... x1000 --password-stdin" "$work/passwords-1000.txt" \
  "${regcred[@]}" create flags -u robot --password-stdin "${servers[@]}" -n large --dry-run=client -o json
echo "   registries in the manifest: $(count_auths) (want 1000)"

echo "== $namespaces namespaces on a fresh control plane" >&2
dir=$(scripts/testenv.sh up --owner-pid $$)
export KUBECONFIG="$dir/kubeconfig"
python3 - "$work" "$namespaces" <<'PY'
import json, sys
work, n = sys.argv[1], int(sys.argv[2])
for batch in range(8):
    items = [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": f"ns-{i:04d}"}}
             for i in range(batch, n, 8)]
    with open(f"{work}/namespaces-{batch}.json", "w") as f:
        json.dump({"apiVersion": "v1", "kind": "List", "items": items}, f)
PY
start=$(date +%s.%N)
pids=()
for batch in 0 1 2 3 4 5 6 7; do
  kubectl create -f "$work/namespaces-$batch.json" -o name >/dev/null &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
printf '   %d namespaces created in %.1f s (8 kubectl create -f of a List at once)\n' "$namespaces" \
  "$(python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$start" "$(date +%s.%N)")" >&2

echo bench-not-a-secret >"$work/password.txt"
measure "create -A ($namespaces namespaces + default)" "$work/password.txt" \
  "${regcred[@]}" create regcred -A -s ghcr.io -u robot --password-stdin -o json
echo "   $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"])' "$work/out")"

cp "$work/config-1000.json" "$DOCKER_CONFIG/config.json"
"${regcred[@]}" create big --from-docker-config --yes -n ns-0000 >/dev/null
measure "status -A -o json ($namespaces namespaces + default)" /dev/null "${regcred[@]}" status -A -o json
python3 - "$work/out" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
have = sum(any(s["name"] == "regcred" for s in ns["secrets"]) for ns in report["namespaces"])
big = [s for ns in report["namespaces"] if ns["namespace"] == "ns-0000" for s in ns["secrets"] if s["name"] == "big"]
print(f"   namespaces with regcred: {have}; registries in ns-0000/big: {len(big[0]['registries']) if big else 0}")
PY
measure "check of the 1,000-registry secret" /dev/null \
  "${regcred[@]}" check big -n ns-0000 --image 127.0.0.1:1/team/app:1 --plain-http --timeout 5s -o json
echo "   $(python3 -c 'import json,sys; r = json.load(open(sys.argv[1])); print("entry", r["entry"], "result", r["result"])' "$work/out")"
