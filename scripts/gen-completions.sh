#!/usr/bin/env bash
# Regenerates the shipped shell completion scripts (completions/) and man pages (man/) from
# the clap definition, with the hidden `kubectl-regcred __generate DIR`. Run it after changing
# a subcommand, a flag or a help text, and commit the result; tests/generated_files.rs fails
# while the committed files differ from what the current code generates.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Into a fresh dir first, so a failure leaves the committed files as they were, and a page of
# a removed subcommand does not linger.
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo run --quiet --locked --bin kubectl-regcred -- __generate "$out"
rm -rf completions man
mv "$out/completions" "$out/man" .
echo "gen-completions.sh: wrote $(ls completions | wc -l) completion scripts and $(ls man | wc -l) man pages" >&2
