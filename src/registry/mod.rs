//! Talks to registries: can these credentials pull this image, as a container runtime would
//! pull it? Used by `check` (and meant for `diagnose --verify`).
//!
//! - [`ImageRef`]: image references normalised as runtimes do (pure).
//! - [`matching_keys`], [`keys_serve`], [`keyring_order`], [`keyring_lookup`]: which entries of
//!   pull secrets the kubelet hands the runtime for an image, and why (pure); what an entry holds is
//!   [`crate::dockerconfig::stored`]'s to read.
//! - [`parse_challenges`]: `WWW-Authenticate` challenges (pure).
//! - [`Prober`], [`probe`], [`check`]: the distribution API's auth dance over HTTPS (or plain
//!   HTTP when asked) and a `HEAD` of the manifest, each answer turned into an [`Outcome`].
//!
//! Passwords and tokens travel only in `Authorization` headers (marked sensitive); they never
//! reach a log line, an error or a [`ProbeResult`].

mod challenge;
mod keys;
mod probe;
mod ratelimit;
mod reference;
mod report;
mod runtime;
mod transport;

use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

pub use challenge::{Challenge, parse_challenges, preferred};
pub use keys::{
    HostMatch, KeyMatch, KeyMismatch, Lookup, Tried, Untried, keyring_lookup, keyring_order,
    keys_serve, matching_keys, pulls_docker_hub_anonymously,
};
pub use probe::{Prober, PullSecret, check, check_pull, probe};
pub use ratelimit::{DOCKER_HUB_LIMITS, RateLimit};
pub use reference::{DOCKER_HUB_DOMAIN, ImageRef, ReferenceError};
pub use report::CheckReport;
pub use runtime::{Scheme, is_loopback, scheme_for};

/// How long a check may take unless told otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// How to reach registries.
#[derive(Debug, Clone)]
pub struct ProbeOptions {
    /// Speak plain HTTP (`http://`) instead of HTTPS, as for a registry the runtime is told is
    /// insecure. Loopback registries get plain HTTP anyway, as the runtime gives them
    /// ([`scheme_for`]).
    pub plain_http: bool,
    /// Accept any TLS certificate.
    pub insecure_skip_tls_verify: bool,
    /// A PEM file of CA certificates to trust besides the system's.
    pub ca_file: Option<PathBuf>,
    /// Upper bound for the whole probe (every request of it together).
    pub timeout: Duration,
}

impl Default for ProbeOptions {
    fn default() -> Self {
        Self {
            plain_http: false,
            insecure_skip_tls_verify: false,
            ca_file: None,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// What a pull with the given credentials would run into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The registry serves the manifest to these credentials.
    Ok,
    /// 401/403: the credentials were refused, or may not read this repository.
    Denied,
    /// 404: no such repository, tag or digest.
    NotFound,
    /// No answer: DNS, connection refused or reset, timeout, or a failed TLS handshake.
    Unreachable,
    /// The registry answered plain HTTP to a TLS handshake ("server gave HTTP response to
    /// HTTPS client").
    HttpToHttps,
    /// The registry's certificate is not trusted (unknown authority, wrong name, expired).
    TlsUntrusted,
    /// The registry answered something a pull cannot go on with (5xx, 429, a token service
    /// without a token, ...).
    RegistryError,
    /// The pull secret has no entry the kubelet would use for this image. Only [`check`]
    /// says this; [`probe`] is given credentials (or none) directly.
    NoCredentials,
}

impl Outcome {
    /// The stable name used in output (`ok`, `denied`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Denied => "denied",
            Outcome::NotFound => "not_found",
            Outcome::Unreachable => "unreachable",
            Outcome::HttpToHttps => "http_to_https",
            Outcome::TlsUntrusted => "tls_untrusted",
            Outcome::RegistryError => "registry_error",
            Outcome::NoCredentials => "no_credentials",
        }
    }
}

/// The answer of one probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProbeResult {
    pub outcome: Outcome,
    /// What happened, for people: the status, the host, the cause. Never a password or token.
    pub detail: String,
    /// The manifest digest the registry named, when the outcome is `ok`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// The pull limit the manifest response stated (Docker Hub's `ratelimit-*` headers).
    #[serde(rename = "rateLimit", skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimit>,
}

impl ProbeResult {
    fn new(outcome: Outcome, detail: impl Into<String>) -> Self {
        Self {
            outcome,
            detail: detail.into(),
            digest: None,
            rate_limit: None,
        }
    }
}

/// The answer of [`check`]: which entry of the pull secret was used, and what it got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckResult {
    /// The pull secret whose entry the result is for, when the pod lists several; none for
    /// an anonymous pull.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// The key of the secret's entry the result is for (none for an anonymous pull).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    #[serde(flatten)]
    pub result: ProbeResult,
}

/// Problems on this side, before any registry is asked.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("cannot read the CA file {}", path.display())]
    CaFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("the CA file {} holds {reason}", path.display())]
    CaFileContent { path: PathBuf, reason: String },

    #[error("cannot set up TLS for registry probes: {reason}")]
    Tls { reason: String },

    #[error("cannot build the HTTP client for registry probes")]
    Client {
        #[source]
        source: reqwest::Error,
    },
}

impl RegistryError {
    /// True when the user's input (a flag's value) is at fault.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            RegistryError::CaFile { .. } | RegistryError::CaFileContent { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_names_match_their_serde_form() {
        for outcome in [
            Outcome::Ok,
            Outcome::Denied,
            Outcome::NotFound,
            Outcome::Unreachable,
            Outcome::HttpToHttps,
            Outcome::TlsUntrusted,
            Outcome::RegistryError,
            Outcome::NoCredentials,
        ] {
            assert_eq!(
                serde_json::to_value(outcome).unwrap(),
                serde_json::Value::from(outcome.as_str())
            );
        }
    }
}
