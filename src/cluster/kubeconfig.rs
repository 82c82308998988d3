//! Finding and reading the kubeconfig as kubectl does.

use std::ffi::OsStr;

use kube::config::{Kubeconfig, KubeconfigError};

use super::Target;

/// `--kubeconfig`, else the `KUBECONFIG` list, else `~/.kube/config`.
pub(crate) fn read_kubeconfig(target: &Target) -> Result<Kubeconfig, KubeconfigError> {
    if let Some(path) = &target.kubeconfig {
        return Kubeconfig::read_from(path);
    }
    match std::env::var_os("KUBECONFIG") {
        Some(list) if !list.is_empty() => read_kubeconfig_list(&list),
        _ => Kubeconfig::read(),
    }
}

/// The files of `KUBECONFIG`, merged as kubectl merges them: the first file to name a context,
/// user or cluster (or the current-context) wins, and files that do not exist are skipped
/// (kube's `Kubeconfig::read` fails on them). When none exists, the first one's error.
fn read_kubeconfig_list(list: &OsStr) -> Result<Kubeconfig, KubeconfigError> {
    let mut merged: Option<Kubeconfig> = None;
    let mut first_missing = None;
    for path in std::env::split_paths(list).filter(|path| !path.as_os_str().is_empty()) {
        match Kubeconfig::read_from(&path) {
            Ok(next) => {
                merged = Some(match merged {
                    Some(merged) => merged.merge(next)?,
                    None => next,
                });
            }
            Err(KubeconfigError::ReadConfig(err, path))
                if err.kind() == std::io::ErrorKind::NotFound =>
            {
                first_missing.get_or_insert(KubeconfigError::ReadConfig(err, path));
            }
            Err(err) => return Err(err),
        }
    }
    match (merged, first_missing) {
        (Some(merged), _) => Ok(merged),
        (None, Some(missing)) => Err(missing),
        (None, None) => Kubeconfig::read(),
    }
}

/// Where the kubeconfig was looked for, for error messages.
pub(crate) fn kubeconfig_location(target: &Target) -> String {
    match (&target.kubeconfig, std::env::var_os("KUBECONFIG")) {
        (Some(path), _) => path.display().to_string(),
        (None, Some(env)) if !env.is_empty() => format!("$KUBECONFIG ({})", env.to_string_lossy()),
        _ => "~/.kube/config".into(),
    }
}
