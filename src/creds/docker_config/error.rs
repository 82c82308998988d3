//! Why credentials could not be taken from a Docker config.

use std::path::PathBuf;
use std::time::Duration;

use crate::dockerconfig;

/// Why credentials could not be taken from a Docker config. Every variant is a usage error
/// (exit code 2): nothing has been sent to the cluster.
#[derive(Debug, thiserror::Error)]
pub enum DockerConfigError {
    #[error(
        "cannot find the Docker config: neither DOCKER_CONFIG nor HOME is set; \
         pass --from-docker-config PATH"
    )]
    NoHome,

    #[error("cannot read the Docker config {}", path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("the Docker config {} is not valid JSON (line {line}, column {column})", path.display())]
    Json {
        path: PathBuf,
        line: usize,
        column: usize,
    },

    #[error(
        "the Docker config {} has an unexpected layout at line {line}, column {column}: \
         expected \"auths\" mapping registries to objects of strings, \"credHelpers\" mapping \
         registries to helper names, \"credsStore\" a helper name",
        path.display()
    )]
    Layout {
        path: PathBuf,
        line: usize,
        column: usize,
    },

    #[error("the \"auth\" field of registry {registry} in {} is not valid base64", path.display())]
    BadBase64 { path: PathBuf, registry: String },

    #[error(
        "the \"auth\" field of registry {registry} in {} does not decode to USER:PASSWORD \
         (no colon)",
        path.display()
    )]
    AuthWithoutColon { path: PathBuf, registry: String },

    #[error(
        "registry {registry} in {} holds no credentials (no auth, username/password or \
         identitytoken, and no credential helper)",
        path.display()
    )]
    NoCredentials { path: PathBuf, registry: String },

    #[error("registry {registry} in {} has an invalid username: {reason}", path.display())]
    InvalidUsername {
        path: PathBuf,
        registry: String,
        reason: dockerconfig::UsernameError,
    },

    #[error("invalid credential helper name {helper:?} in {}", path.display())]
    InvalidHelperName { path: PathBuf, helper: String },

    #[error(
        "{} names the credential helper {helper:?} for {registry}, but docker-credential-{helper} \
         is not on PATH",
        path.display()
    )]
    UnknownHelper {
        path: PathBuf,
        registry: String,
        helper: String,
    },

    #[error("cannot run docker-credential-{helper} for {registry} (from {})", path.display())]
    HelperSpawn {
        path: PathBuf,
        registry: String,
        helper: String,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "docker-credential-{helper} {action} failed for {registry} (from {}) with {outcome}",
        path.display()
    )]
    HelperFailed {
        path: PathBuf,
        registry: String,
        helper: String,
        action: &'static str,
        /// The exit status and a redacted summary of what the helper said.
        outcome: String,
    },

    #[error(
        "docker-credential-{helper} {action} for {registry} (from {}) did not finish within {} s",
        path.display(),
        timeout.as_secs()
    )]
    HelperTimeout {
        path: PathBuf,
        registry: String,
        helper: String,
        action: &'static str,
        timeout: Duration,
    },

    #[error(
        "docker-credential-{helper} {action} for {registry} (from {}) printed something other \
         than the credential helper protocol's JSON",
        path.display()
    )]
    HelperOutput {
        path: PathBuf,
        registry: String,
        helper: String,
        action: &'static str,
    },

    #[error(
        "docker-credential-{helper} has no credentials for {registry} (from {}); \
         log in with `docker login {registry}`",
        path.display()
    )]
    HelperHasNone {
        path: PathBuf,
        registry: String,
        helper: String,
    },

    #[error("--server {server} is not in {} (it has: {})", path.display(), list_or_none(.available))]
    MissingServer {
        path: PathBuf,
        server: String,
        available: Vec<String>,
    },

    #[error("{} holds no registry credentials", path.display())]
    Empty { path: PathBuf },

    #[error(
        "--from-docker-config without --server takes every registry in {} ({}): name the ones \
         to take with --server, or pass --yes",
        path.display(),
        hosts.join(", ")
    )]
    NeedsConfirmation { path: PathBuf, hosts: Vec<String> },

    #[error("not confirmed; nothing was changed")]
    Declined,

    #[error("cannot read the answer to the confirmation prompt")]
    Prompt(#[source] std::io::Error),
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "no registries".to_string()
    } else {
        items.join(", ")
    }
}
