# Container images built here, with nothing downloaded: Debian's umoci writes an OCI layout,
# skopeo pushes it. Source it after defining `log` and `die`.

# build_image LAYOUT_DIR TAG ENTRYPOINT FILE...: a one-layer image tagged TAG in the OCI layout
# LAYOUT_DIR, holding each FILE under / by its base name (executable), with ENTRYPOINT (a
# space-separated argv) as its command.
build_image() {
  local layout=$1 tag=$2 entrypoint=$3; shift 3
  local work
  work=$(mktemp -d "${TMPDIR:-/tmp}/regcred-image.XXXXXX")
  [ -d "$layout" ] || umoci init --layout "$layout" >&2
  umoci new --image "$layout:$tag" >&2
  umoci unpack --rootless --image "$layout:$tag" "$work/bundle" >&2
  local file
  for file in "$@"; do
    install -m 0755 "$file" "$work/bundle/rootfs/$(basename "$file")"
  done
  umoci repack --image "$layout:$tag" "$work/bundle" >&2
  # After repack: repack writes a new config and would drop an entrypoint set before it.
  local args=() word
  for word in $entrypoint; do args+=(--config.entrypoint "$word"); done
  umoci config --image "$layout:$tag" --architecture amd64 --os linux "${args[@]}" >&2
  rm -rf "$work"
}

# The busybox image the test registries serve: `sh`, `sleep` and friends from busybox-static,
# sleeping by default, so a pod that pulled it keeps running.
build_busybox_image() {
  local layout=$1 tag=$2
  local work
  work=$(mktemp -d "${TMPDIR:-/tmp}/regcred-busybox.XXXXXX")
  cp /bin/busybox "$work/busybox"
  build_image "$layout" "$tag" "/busybox sleep 2147483647" "$work/busybox"
  rm -rf "$work"
}

# push_image LAYOUT_DIR TAG DEST [AUTHFILE] [CA_DIR]: pushes with skopeo; the credentials, if
# any, come from AUTHFILE (a Docker config.json), never from the command line.
push_image() {
  local layout=$1 tag=$2 dest=$3 authfile=${4:-} ca_dir=${5:-}
  local args=(--insecure-policy copy --quiet)
  if [ -n "$authfile" ]; then args+=(--dest-authfile "$authfile"); fi
  if [ -n "$ca_dir" ]; then args+=(--dest-cert-dir "$ca_dir"); else args+=(--dest-tls-verify=false); fi
  skopeo "${args[@]}" "oci:$layout:$tag" "docker://$dest" >&2 || die "push of $tag to $dest failed"
}
