//! Asking before taking every registry of a Docker config (`--from-docker-config` without
//! `--server`).

use std::path::Path;

use super::catalogue::Origin;
use super::error::DockerConfigError;
use crate::dockerconfig::RegistryKey;

/// Asks before taking every registry of the file; refuses without a terminal.
pub(super) fn confirm_all(
    path: &Path,
    all: &[(RegistryKey, Origin)],
    yes: bool,
) -> Result<(), DockerConfigError> {
    if yes {
        return Ok(());
    }
    let hosts: Vec<String> = all.iter().map(|(key, _)| key.to_string()).collect();
    if !crate::creds::can_ask() {
        return Err(DockerConfigError::NeedsConfirmation {
            path: path.to_path_buf(),
            hosts,
        });
    }
    let prompt = format!(
        "Take the credentials of every registry in {}?\n  {}\n",
        path.display(),
        hosts.join("\n  ")
    );
    let confirmed = dialoguer::Confirm::new()
        .with_prompt(prompt)
        .default(false)
        .interact_on(&console::Term::stderr())
        .map_err(|dialoguer::Error::IO(io)| DockerConfigError::Prompt(io))?;
    if confirmed {
        Ok(())
    } else {
        Err(DockerConfigError::Declined)
    }
}
