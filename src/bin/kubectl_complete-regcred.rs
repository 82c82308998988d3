//! `kubectl_complete-regcred`: what kubectl (1.26+) runs to complete `kubectl regcred ...`.
//!
//! kubectl looks this name up on PATH and runs it with the words typed after `regcred` (the
//! last one possibly empty), expecting Cobra's `__complete` output. This shim only hands them
//! to `kubectl-regcred __complete --`, found next to this executable (symlinks resolved), else
//! on PATH, so the two binaries never disagree about the command line. Standard library only:
//! it stays small and builds in a moment.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

const PLUGIN: &str = "kubectl-regcred";

fn main() -> ExitCode {
    let mut plugin = Command::new(plugin_path());
    plugin
        .arg("__complete")
        .arg("--")
        .args(std::env::args_os().skip(1));
    run(plugin)
}

/// The plugin beside this executable, or the one on PATH.
fn plugin_path() -> PathBuf {
    let file_name = format!("{PLUGIN}{}", std::env::consts::EXE_SUFFIX);
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.canonicalize().ok())
        .and_then(|exe| exe.parent().map(|dir| dir.join(&file_name)))
        .filter(|candidate| candidate.is_file())
        .unwrap_or_else(|| PathBuf::from(OsString::from(file_name)))
}

/// Becomes the plugin. Completion never fails loudly: when the plugin cannot be run there is
/// simply nothing to offer.
#[cfg(unix)]
fn run(mut plugin: Command) -> ExitCode {
    use std::os::unix::process::CommandExt as _;
    let _ = plugin.exec();
    ExitCode::SUCCESS
}

#[cfg(not(unix))]
fn run(mut plugin: Command) -> ExitCode {
    let _ = plugin.status();
    ExitCode::SUCCESS
}
