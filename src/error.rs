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

    /// Credentials given on the command line (a password, a --server) without the user.
    #[error(
        "missing --username: pass --username USER (or -u USER), once for all --server values \
         or once for each"
    )]
    MissingUsername,

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

    #[error("{0}")]
    Usage(String),

    #[error("interrupted; nothing was changed")]
    Interrupted,

    /// The one namespace a command acted in failed; the reason names it.
    #[error("{0}")]
    Failed(String),

    #[error("{failed} of {} failed (see the report above)", crate::output::counted(*total, rows))]
    PartialFailure {
        failed: usize,
        total: usize,
        /// What one of the report's rows is: "namespace", or with several contexts
        /// "namespace/context" (a context that failed as a whole is one row).
        rows: &'static str,
    },

    #[error(transparent)]
    Cluster(#[from] ClusterError),

    /// Where credentials come from: passwords, the OS keyring, a Docker config and its
    /// helpers, cloud CLIs, the wizard's prompts. Never `Interrupted` (see the `From`).
    #[error(transparent)]
    Creds(crate::creds::Error),

    #[error("cannot read the {what} from the terminal")]
    Prompt {
        what: &'static str,
        #[source]
        source: std::io::Error,
    },

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
            | Error::MissingUsername
            | Error::InvalidName { .. }
            | Error::PasswordOnCommandLine
            | Error::MissingPassword
            | Error::Usage(_) => ExitCode::Usage,
            Error::Cluster(e) if e.is_usage() => ExitCode::Usage,
            Error::Creds(e) if e.is_usage() => ExitCode::Usage,
            Error::Interrupted => ExitCode::Interrupted,
            Error::Prompt { .. }
            | Error::Cluster(_)
            | Error::Creds(_)
            | Error::Output(_)
            | Error::Signals(_)
            | Error::WriteFile { .. }
            | Error::Failed(_)
            | Error::PartialFailure { .. } => ExitCode::Failure,
        }
    }
}

/// Credentials: Ctrl-C at a prompt ends the run as interrupted; the rest as the input's fault
/// (usage) or a failure, as [`crate::creds::Error::is_usage`] says.
impl From<crate::creds::Error> for Error {
    fn from(err: crate::creds::Error) -> Self {
        match err {
            crate::creds::Error::Interrupted => Error::Interrupted,
            other => Error::Creds(other),
        }
    }
}

impl From<crate::creds::password::PasswordError> for Error {
    fn from(err: crate::creds::password::PasswordError) -> Self {
        crate::creds::Error::from(err).into()
    }
}

impl From<crate::creds::keyring::KeyringError> for Error {
    fn from(err: crate::creds::keyring::KeyringError) -> Self {
        crate::creds::Error::from(err).into()
    }
}

pub use crate::causes::chain;
