# A real node for the throwaway control plane (testenv.sh up --node): containerd + runc from
# Debian, and the kubelet built from the same kubernetes tree as the API server, pulling real
# images. Source it from testenv.sh, after processes.sh, images.sh and hosts.sh.
#
# Everything lives under DIR/node: containerd's root, state, socket and registry config
# (certs.d, its `config_path`, where a test writes the hosts.toml a fix prints), the kubelet's
# root, the CNI config, and the registry that serves the sandbox image. containerd runs in a
# mount namespace of its own that sees the test registry names of lib/hosts.sh.

PAUSE_TAG=3.4.1
NODE_PACKAGES=(containerd runc umoci skopeo busybox-static containernetworking-plugins iproute2 util-linux)

start_node() {
  local dir=$1
  local node=$dir/node
  mkdir -p "$node"/{containerd,certs.d,kubelet,cni/net.d,cni/ipam,runc,bin,images}
  local name bridge subnet
  name="regcred-node-$(basename "$dir" | tr -c 'a-zA-Z0-9\n' - | tr 'A-Z' 'a-z')"
  name=${name:0:63}
  # A bridge and a /24 of its own, so several nodes on one machine never meet.
  subnet="10.$((200 + RANDOM % 50)).$((RANDOM % 250)).0/24"
  bridge="rcb$(random_token | cut -c1-8)"
  echo "$name" >"$node/name"
  echo "$bridge" >"$node/bridge"

  write_hosts_view "$node"
  start_sandbox_registry "$node" || return 1
  write_cni_config "$node" "$bridge" "$subnet"
  write_containerd_config "$node" "$(cat "$node/sandbox-image")"
  # Mounts under DIR/node are shared between containerd's namespace and the machine's, as on
  # a real node: the kubelet's volume mounts reach runc, containerd's reach the kubelet.
  mount --bind "$node" "$node" && mount --make-rshared "$node" || return 1
  start_process "$dir" containerd unshare -m --propagation unchanged "$node/bin/with-hosts-exec" \
    containerd --config "$node/containerd.toml" --log-level debug
  wait_for containerd 30 ctr --address "$node/containerd.sock" version || return 1

  write_kubelet_config "$node"
  start_process "$dir" kubelet "$BIN_DIR/kubelet" \
    --config "$node/kubelet.yaml" --kubeconfig "$dir/kubeconfig" \
    --container-runtime remote --container-runtime-endpoint "unix://$node/containerd.sock" \
    --root-dir "$node/kubelet" --cert-dir "$node/kubelet/pki" \
    --hostname-override "$name" --node-ip 127.0.0.1 --v 2
  wait_for "node $name" 90 node_is_ready "$dir" "$name" || return 1
}

# A registry on loopback, no auth, serving the sandbox image: containerd pulls it over plain
# HTTP as it pulls from any loopback address, and nothing is downloaded.
start_sandbox_registry() {
  local node=$1
  local port
  port=$(free_port)
  mkdir -p "$node/sandbox-registry"
  cat >"$node/sandbox-registry.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $node/sandbox-registry
http:
  addr: 127.0.0.1:$port
  secret: $(random_token)
YAML
  start_process "$(dirname "$node")" sandbox-registry /usr/bin/docker-registry serve "$node/sandbox-registry.yml"
  wait_for "sandbox registry on $port" 30 curl -sf "http://127.0.0.1:$port/v2/" || return 1
  build_image "$node/images/oci" pause /pause "$BIN_DIR/pause"
  push_image "$node/images/oci" pause "127.0.0.1:$port/pause:$PAUSE_TAG"
  echo "127.0.0.1:$port/pause:$PAUSE_TAG" >"$node/sandbox-image"
}

write_cni_config() {
  local node=$1 bridge=$2 subnet=$3
  cat >"$node/cni/net.d/10-regcred.conflist" <<JSON
{
  "cniVersion": "0.4.0",
  "name": "regcred-test",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$bridge",
      "isGateway": true,
      "ipMasq": false,
      "ipam": {"type": "host-local", "subnet": "$subnet", "dataDir": "$node/cni/ipam"}
    }
  ]
}
JSON
}

write_containerd_config() {
  local node=$1 sandbox_image=$2
  cat >"$node/containerd.toml" <<TOML
version = 2
root = "$node/containerd/root"
state = "$node/containerd/state"
disabled_plugins = [
  "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.internal.v1.opt", "io.containerd.tracing.processor.v1.otlp",
]

[grpc]
  address = "$node/containerd.sock"
[ttrpc]
  address = "$node/containerd.sock.ttrpc"
[metrics]
  address = ""

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$sandbox_image"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  # oom_score_adj -998 is denied on this kind of machine; without this runc fails with
  # "can't get final child's PID from pipe".
  restrict_oom_score_adj = true
  disable_apparmor = true
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        Root = "$node/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$node/cni/net.d"
  # Per-registry hosts.toml files, as on real nodes (/etc/containerd/certs.d): the fixes that
  # diagnose prints for plain-HTTP and private-CA registries are written here by the tests.
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$node/certs.d"
TOML
}

write_kubelet_config() {
  local node=$1
  cat >"$node/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: 127.0.0.1
port: $(free_port)
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $(free_port)
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
authorization:
  mode: AlwaysAllow
# What this kind of machine allows: no systemd, cgroup v1 without QoS hierarchies, swap on.
cgroupDriver: cgroupfs
cgroupsPerQOS: false
enforceNodeAllocatable: []
failSwapOn: false
evictionHard: {memory.available: "50Mi", nodefs.available: "1%", imagefs.available: "1%"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
# Room for the benchmarks' hundreds of namespaces on one node (the default is 110).
maxPods: 300
# Events reach the API server at 5 a second by default; tests that fail dozens of pulls at
# once would wait a minute for the kubelet's words.
eventRecordQPS: 50
eventBurst: 100
resolvConf: /etc/resolv.conf
# No cluster DNS runs here; a placeholder keeps the kubelet from warning on every pod.
clusterDomain: cluster.local
clusterDNS: [10.96.0.10]
YAML
}

node_is_ready() {
  local dir=$1 name=$2
  api "$dir" GET "/api/v1/nodes/$name" |
    python3 -c 'import json,sys; n=json.load(sys.stdin); sys.exit(0 if any(c["type"]=="Ready" and c["status"]=="True" for c in n["status"].get("conditions",[])) else 1)'
}

# Stops the node and removes every trace of it: pods' processes, mounts, the bridge.
stop_node() {
  local dir=$1
  local node=$dir/node
  [ -d "$node" ] || return 0
  stop_processes "$dir" kubelet
  # Sandboxes and containers: kill every task (the shims outlive containerd otherwise).
  if [ -S "$node/containerd.sock" ]; then
    local task
    for task in $(ctr --address "$node/containerd.sock" -n k8s.io tasks list -q 2>/dev/null); do
      ctr --address "$node/containerd.sock" -n k8s.io tasks kill -a -s SIGKILL "$task" >/dev/null 2>&1 || true
    done
  fi
  stop_processes "$dir" containerd sandbox-registry
  # Shims name the socket on their command line; anything they started is theirs.
  pkill -KILL -f -- "$node/containerd.sock" 2>/dev/null || true
  local runc_root=$node/runc/k8s.io id
  if [ -d "$runc_root" ]; then
    for id in $(runc --root "$runc_root" list -q 2>/dev/null); do
      runc --root "$runc_root" kill -a "$id" KILL >/dev/null 2>&1 || true
      runc --root "$runc_root" delete -f "$id" >/dev/null 2>&1 || true
    done
  fi
  # Overlay and tmpfs mounts of pods, network namespaces, and the shared bind of DIR/node.
  umount -R -l "$node" 2>/dev/null || true
  if [ -f "$node/bridge" ]; then ip link del "$(cat "$node/bridge")" 2>/dev/null || true; fi
  # The kubelet writes pod logs here whatever its root; only this node's pods.
  local uid
  for uid in $(ls "$node/kubelet/pods" 2>/dev/null); do
    rm -rf /var/log/pods/*_"$uid"
  done
}
