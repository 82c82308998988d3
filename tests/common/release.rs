//! The release binary, as `scripts/release.sh` ships it, for the tests that need it
//! (`tests/release_binary.rs`, `tests/krew_manifest.rs`).
//!
//! `scripts/test.sh` builds it once and passes its path in `REGCRED_RELEASE_BINARY`. When that is
//! unset, as under a plain `cargo test`, the first test that needs it builds it the same way,
//! with `scripts/release.sh --binary-only`: several minutes the first time (an LTO build, plus
//! the pinned zig tools on Linux), then cargo finds it up to date. It is never skipped: a test
//! that cannot have the binary fails, saying why.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// Names the release binary to test; `scripts/test.sh` sets it.
pub const RELEASE_BINARY_VAR: &str = "REGCRED_RELEASE_BINARY";

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Panics with the command's exit status, stdout and stderr unless it succeeded.
pub fn assert_success(what: &str, output: &Output) {
    assert!(
        output.status.success(),
        "{what} failed ({})\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
}

/// The release binary: `$REGCRED_RELEASE_BINARY`, or the one `scripts/release.sh --binary-only`
/// builds and names (once per test process).
pub fn release_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| match std::env::var_os(RELEASE_BINARY_VAR) {
        Some(path) if !path.is_empty() => {
            let path = PathBuf::from(path);
            assert!(
                path.is_file(),
                "{RELEASE_BINARY_VAR}={} is not a file; unset it to build the release binary \
                 with scripts/release.sh --binary-only",
                path.display()
            );
            path
        }
        _ => build_release_binary(),
    })
}

fn build_release_binary() -> PathBuf {
    eprintln!(
        "{RELEASE_BINARY_VAR} is unset: building the release binary with \
         scripts/release.sh --binary-only (minutes the first time)"
    );
    let mut command = Command::new(repo_root().join("scripts/release.sh"));
    command.arg("--binary-only");
    // What the cargo running these tests set for them is not the release build's: its flags,
    // and CARGO_PKG_VERSION & co., which the crate reads with env! and so cargo would take as
    // changed, rebuilding the binary scripts/release.sh last built.
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        let set_by_cargo_test = [
            "CARGO_PKG_",
            "CARGO_MANIFEST_",
            "CARGO_BIN_",
            "CARGO_CRATE_",
        ]
        .iter()
        .any(|prefix| key.starts_with(prefix))
            || [
                "CARGO_PRIMARY_PACKAGE",
                "CARGO_TARGET_TMPDIR",
                "CARGO_RUSTC_CURRENT_DIR",
            ]
            .contains(&key.as_ref());
        if set_by_cargo_test || key == "RUSTFLAGS" || key == "CARGO_ENCODED_RUSTFLAGS" {
            command.env_remove(key.as_ref());
        }
    }
    let output = command
        .output()
        .expect("run scripts/release.sh --binary-only");
    assert_success(
        &format!(
            "scripts/release.sh --binary-only (set {RELEASE_BINARY_VAR} to use a binary built already)"
        ),
        &output,
    );
    let path = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    assert!(
        path.is_file(),
        "scripts/release.sh --binary-only printed {path:?}, which is not a file"
    );
    path
}
