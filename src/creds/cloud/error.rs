//! Why a cloud credential could not be had.

use std::path::PathBuf;
use std::time::Duration;

/// Why a cloud credential could not be had.
#[derive(Debug, thiserror::Error)]
pub enum CloudError {
    #[error("{cli} CLI not found on PATH: install it, or pass the token with --password-stdin")]
    CliNotFound { cli: String },

    #[error("cannot run `{command}`")]
    Run {
        command: String,
        #[source]
        source: std::io::Error,
    },

    #[error("`{command}` failed ({status}): {stderr}")]
    CliFailed {
        command: String,
        status: String,
        stderr: String,
    },

    #[error("`{command}` did not finish within {}s", timeout.as_secs())]
    Timeout { command: String, timeout: Duration },

    #[error("`{command}` printed {what}, not a token")]
    UnexpectedOutput { command: String, what: &'static str },

    #[error(
        "--server {server} is not an ECR, ACR, GCR or Artifact Registry host: \
         pass --provider ecr|acr|gcr, or the password with --password-stdin"
    )]
    UnknownHost { server: String },

    #[error("cannot tell the AWS region from --server {server}: pass --region")]
    NoRegion { server: String },

    #[error("invalid --region {region:?}: expected an AWS region such as eu-west-1")]
    InvalidRegion { region: String },

    #[error("--region is for ECR registries, and no --server is one")]
    RegionWithoutEcr,

    #[error("cannot tell the ACR registry name from --server {server}: expected NAME.azurecr.io")]
    NoAcrName { server: String },

    #[error("--{flag} needs --server HOST: the registry to mint a token for")]
    NoServer { flag: &'static str },

    #[error(
        "--username {given:?} does not go with {provider} tokens, which are for user \
         {expected:?}: leave --username out"
    )]
    WrongUsername {
        given: String,
        provider: &'static str,
        expected: &'static str,
    },

    #[error("--gcp-key-file is a GCR/Artifact Registry credential, not one for --provider {0}")]
    KeyFileForOtherProvider(&'static str),

    #[error("--gcp-key-file {}: {reason}", path.display())]
    InvalidKeyFile { path: PathBuf, reason: String },

    #[error("the system clock is out of range")]
    Clock,
}

impl CloudError {
    /// Whether the flags were wrong rather than the CLI (or the clock) failing: every error
    /// but those of running the CLI is about what was asked for.
    pub fn is_usage(&self) -> bool {
        let failed = matches!(
            self,
            CloudError::CliNotFound { .. }
                | CloudError::Run { .. }
                | CloudError::CliFailed { .. }
                | CloudError::Timeout { .. }
                | CloudError::UnexpectedOutput { .. }
                | CloudError::Clock
        );
        !failed
    }
}
