//! The errors a run can end with, and the exit code each maps to.

use std::path::PathBuf;

use crate::cluster::ClusterError;
use crate::dockerconfig::{ServerError, UsernameError};

/// Exit codes, as kubectl and most CLIs use them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    Success = 0,
    /// The command ran and something failed (in any namespace; the output says which).
    Failure = 1,
    /// The command line or an input was wrong; nothing was done.
    Usage = 2,
    /// Ctrl-C at a prompt; nothing was done.
    Interrupted = 130,
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        std::process::ExitCode::from(code as u8)
    }
}

/// Everything that can stop a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid --server {input:?}: {reason}")]
    InvalidServer { input: String, reason: ServerError },

    #[error("invalid --username: {0}")]
    InvalidUsername(UsernameError),

    #[error("invalid {what} {name:?}: {reason}")]
    InvalidName {
        what: &'static str,
        name: String,
        reason: String,
    },

    #[error(
        "refusing a password on the command line (every process on this machine can read it): \
         use --password-stdin or --password-file PATH"
    )]
    PasswordOnCommandLine,

    #[error("no password given: pass --password-stdin or --password-file PATH")]
    MissingPassword,

    #[error("cannot read the password from {}", path.display())]
    PasswordFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot read the password from standard input")]
    PasswordStdin(#[source] std::io::Error),

    #[error("expected {expected} passwords from {source_name}, got {found}")]
    PasswordCount {
        expected: usize,
        found: usize,
        source_name: String,
    },

    #[error("{0}")]
    Usage(String),

    #[error("interrupted; nothing was changed")]
    Interrupted,

    /// The one namespace a command acted in failed; the reason names it.
    #[error("{0}")]
    Failed(String),

    #[error("{failed} of {total} {rows} failed (see the report above)")]
    PartialFailure {
        failed: usize,
        total: usize,
        /// What the report's rows are: "namespaces", or with several contexts
        /// "namespaces and contexts" (a context that failed as a whole is one row).
        rows: &'static str,
    },

    #[error("the password from {source_name} is empty")]
    EmptyPassword { source_name: String },

    #[error(transparent)]
    Cluster(#[from] ClusterError),

    /// `login`, `logout`, `logins`, `create --from-keyring`: the OS keyring.
    #[error(transparent)]
    Keyring(#[from] crate::creds::keyring::KeyringError),

    #[error("cannot read the {what} from the terminal")]
    Prompt {
        what: &'static str,
        #[source]
        source: std::io::Error,
    },

    /// `--provider`, `--gcp-key-file`: a cloud CLI or key file.
    #[error(transparent)]
    Cloud(#[from] crate::creds::cloud::CloudError),

    /// `--from-docker-config`: the file, an entry or a credential helper (converted in
    /// `creds::docker_config`, where Ctrl-C at its prompt becomes `Interrupted`).
    #[error(transparent)]
    DockerConfig(Box<crate::creds::docker_config::DockerConfigError>),

    #[error(transparent)]
    Output(#[from] crate::output::OutputError),

    /// `sync --watch`: Ctrl-C and SIGTERM could not be caught.
    #[error("cannot listen for Ctrl-C and SIGTERM")]
    Signals(#[source] std::io::Error),

    #[error("cannot write {}", path.display())]
    WriteFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// RBAC refused a request: reports say `forbidden`, not `failed`.
    pub fn is_forbidden(&self) -> bool {
        matches!(self, Error::Cluster(e) if e.is_forbidden())
    }

    /// The exit code this error ends the run with.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::InvalidServer { .. }
            | Error::InvalidUsername(_)
            | Error::InvalidName { .. }
            | Error::PasswordOnCommandLine
            | Error::MissingPassword
            | Error::PasswordCount { .. }
            | Error::Usage(_)
            | Error::PasswordFile { .. }
            | Error::EmptyPassword { .. }
            | Error::DockerConfig(_) => ExitCode::Usage,
            Error::Cluster(e) if e.is_usage() => ExitCode::Usage,
            Error::Keyring(e) if e.is_usage() => ExitCode::Usage,
            Error::Cloud(e) if e.is_usage() => ExitCode::Usage,
            Error::Interrupted => ExitCode::Interrupted,
            Error::PasswordStdin(_)
            | Error::Keyring(_)
            | Error::Prompt { .. }
            | Error::Cluster(_)
            | Error::Cloud(_)
            | Error::Output(_)
            | Error::Signals(_)
            | Error::WriteFile { .. }
            | Error::Failed(_)
            | Error::PartialFailure { .. } => ExitCode::Failure,
        }
    }
}

pub use crate::causes::chain;
