//! Credentials from the keyring, a Docker config, or a cloud CLI, for `create`: one place that
//! picks the source the [`Request`] asks for.
//!
//! Each source fills a [`Sourced`] for the registries named with `--server`; `create` merges
//! it like typed credentials. Annotations record what `status`/`diagnose` need to know about
//! short-lived tokens (never the token).

use std::collections::BTreeMap;

use super::{Error, Request, cloud, docker_config, keyring};
use crate::dockerconfig::{DockerConfig, RegistryKey};

/// Credentials a source produced, and what to record on the secret about them.
#[derive(Debug, Default)]
pub struct Sourced {
    pub config: DockerConfig,
    pub annotations: BTreeMap<String, String>,
}

/// The credentials of the source `request` names, or None when it names none (typed
/// credentials, or none at all). `keys` are its servers, validated (empty when none was given).
pub fn sourced(request: &Request, keys: &[RegistryKey]) -> Result<Option<Sourced>, Error> {
    if request.from_keyring {
        return Ok(Some(keyring::sourced(request, keys)?));
    }
    if let Some(path) = &request.from_docker_config {
        return Ok(Some(docker_config::sourced(path, keys, request.yes)?));
    }
    // --provider, --gcp-key-file, and auto-detection from the host.
    cloud::credentials(request, keys)
}
