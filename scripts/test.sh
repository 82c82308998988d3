#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what it needs (Debian packages, a
# kube-apiserver built from Debian's sources, crates), checks formatting and lints, starts a
# throwaway control plane, runs every test against it, and stops it, leaving no process behind.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/testenv.sh deps
scripts/testenv.sh build

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --locked --all-targets -- -D warnings

echo "== control plane"
dir=$(scripts/testenv.sh up --owner-pid $$)
cleanup() {
  scripts/testenv.sh down "$dir"
  # Every process of the control plane names its state dir on its command line.
  if pgrep -f -- "$dir" >/dev/null; then
    echo "error: processes left behind:" >&2
    pgrep -af -- "$dir" >&2
    exit 1
  fi
}
trap cleanup EXIT
export REGCRED_TEST_KUBECONFIG="$dir/kubeconfig"

echo "== cargo test"
cargo test --locked --all-targets
cargo test --locked --doc

# The demo, as a new user runs it (with the debug build the tests just made): a Deployment
# stuck on a private registry is diagnosed, fixed and healed on a real node.
echo "== scripts/demo.sh"
scripts/demo.sh --debug
