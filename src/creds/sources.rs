//! Credentials from the keyring, a Docker config, or a cloud CLI, for `create`.
//!
//! Each source fills a [`Sourced`] for the registries named with `--server`; `create` merges
//! it like typed credentials. Annotations record what `status`/`diagnose` need to know about
//! short-lived tokens (never the token).

use std::collections::BTreeMap;

use crate::cli::CreateArgs;
use crate::dockerconfig::{DockerConfig, RegistryKey};
use crate::error::Error;

/// Annotation: which source minted the credentials (`ecr`, `acr`, `gcr`).
pub const PROVIDER_ANNOTATION: &str = "regcred.kubectl.io/provider";
/// Annotation: when the token was minted (RFC 3339).
pub const MINTED_AT_ANNOTATION: &str = "regcred.kubectl.io/minted-at";
/// Annotation: when the token expires (RFC 3339); `diagnose` reads it.
pub const EXPIRES_AT_ANNOTATION: &str = crate::diagnose::facts::EXPIRES_AT_ANNOTATION;

/// Credentials a source produced, and what to record on the secret about them.
#[derive(Debug, Default)]
pub struct Sourced {
    pub config: DockerConfig,
    pub annotations: BTreeMap<String, String>,
}

/// The credentials the source flags of `create` ask for, or None when no source flag is set.
/// `keys` are the `--server` values, validated (empty when none was given).
pub fn from_flags(args: &CreateArgs, keys: &[RegistryKey]) -> Result<Option<Sourced>, Error> {
    let _ = (args, keys);
    // --from-keyring (creds/keyring.rs)
    if args.sources.from_keyring {
        return super::keyring::sourced(args, keys).map(Some);
    }

    // --from-docker-config (creds/docker_config.rs)
    if let Some(path) = &args.sources.from_docker_config {
        return super::docker_config::sourced(path, keys, args.sources.yes).map(Some);
    }

    // --provider, --gcp-key-file, and auto-detection from the host (creds/cloud.rs)
    if let Some(sourced) = super::cloud::credentials(args, keys)? {
        return Ok(Some(sourced));
    }

    Ok(None)
}
