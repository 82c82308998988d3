# A private view of host names: registry names that are not loopback by name (containerd
# reaches them over HTTPS, not plain HTTP) but lead to 127.0.0.1, without touching the
# machine's /etc/hosts. Source it; `write_hosts_view DIR` writes:
#   DIR/hosts                 the hosts file
#   DIR/bin/with-hosts CMD    runs CMD in a mount namespace of its own that sees DIR/hosts
#                             (how the tests run `check` as a workstation on the node's network)
#   DIR/bin/with-hosts-exec   the same, for a caller already in such a namespace (`unshare -m
#                             --propagation unchanged`, as the node's containerd is started)

# The names, all 127.0.0.1: the plain-HTTP registry under a name, and the TLS registry under
# a name the node does not trust and one it trusts through a hosts.toml; and one of each kind
# that a test mends by writing the hosts.toml `diagnose` prints, so it never meets the others.
TEST_REGISTRY_NAMES=(registry.regcred.test untrusted.regcred.test trusted.regcred.test
  mended.regcred.test mended-tls.regcred.test)

write_hosts_view() {
  local dir=$1
  mkdir -p "$dir/bin"
  {
    echo "127.0.0.1 localhost"
    echo "::1 localhost ip6-localhost ip6-loopback"
    echo "127.0.0.1 ${TEST_REGISTRY_NAMES[*]}"
  } >"$dir/hosts"
  cat >"$dir/bin/with-hosts-exec" <<SCRIPT
#!/bin/sh
# In a mount namespace of its own: see $dir/hosts as /etc/hosts, then exec the command.
# / is private on the machines this runs on, so the bind stays in this namespace.
mount --bind "$dir/hosts" /etc/hosts && exec "\$@"
SCRIPT
  cat >"$dir/bin/with-hosts" <<SCRIPT
#!/bin/sh
# Runs a command that resolves the test registry names as the test node does.
exec unshare -m "$dir/bin/with-hosts-exec" "\$@"
SCRIPT
  chmod 755 "$dir/bin/with-hosts-exec" "$dir/bin/with-hosts"
}
