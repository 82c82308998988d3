//! Why credentials could not be had: one enum over the sources' own errors. The run's error
//! (`crate::error`) wraps it and picks the exit code from [`Error::is_usage`].

use super::cloud::CloudError;
use super::docker_config::DockerConfigError;
use super::keyring::KeyringError;
use super::password::PasswordError;

/// Why credentials could not be had.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Standard input, a password file, or the password typed at a prompt.
    #[error(transparent)]
    Password(#[from] PasswordError),

    /// `login`, `logout`, `logins`, `create --from-keyring`: the OS keyring.
    #[error(transparent)]
    Keyring(#[from] KeyringError),

    /// `--from-docker-config`: the file, an entry or a credential helper.
    #[error(transparent)]
    DockerConfig(Box<DockerConfigError>),

    /// `--provider`, `--gcp-key-file`: a cloud CLI or key file.
    #[error(transparent)]
    Cloud(#[from] CloudError),

    /// Ctrl-C at a prompt.
    #[error("interrupted; nothing was changed")]
    Interrupted,

    /// The wizard could not read an answer from the terminal.
    #[error("cannot read the answer")]
    Answer(#[source] std::io::Error),
}

impl From<DockerConfigError> for Error {
    /// Ctrl-C at the confirmation prompt is an interruption, not a usage error.
    fn from(err: DockerConfigError) -> Self {
        match err {
            DockerConfigError::Prompt(io) if io.kind() == std::io::ErrorKind::Interrupted => {
                Error::Interrupted
            }
            other => Error::DockerConfig(Box::new(other)),
        }
    }
}

impl Error {
    /// Whether the input was wrong (a flag, a file, a missing login) rather than something
    /// failing (a CLI, the keyring, the terminal).
    pub fn is_usage(&self) -> bool {
        match self {
            Error::Password(e) => e.is_usage(),
            Error::Keyring(e) => e.is_usage(),
            Error::Cloud(e) => e.is_usage(),
            // Nothing has been sent to the cluster when the Docker config cannot be used.
            Error::DockerConfig(_) => true,
            Error::Interrupted | Error::Answer(_) => false,
        }
    }
}
