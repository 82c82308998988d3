//! What `create` asks the credential sources for, in creds' own terms: `cmd::create` builds a
//! [`Request`] from its flags, the [wizard](super::wizard) from its answers.

use std::path::PathBuf;

use super::password::SecretString;

/// What `create` asks the credential sources for. Holds no secret but a password typed into
/// the wizard, which `Debug` never shows.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The registries (`--server`), as typed; none means Docker Hub for typed credentials.
    pub servers: Vec<String>,
    /// `--username`: one per server, or one for all of them.
    pub usernames: Vec<String>,
    /// `--email`, when given and not empty.
    pub email: Option<String>,
    /// Where the password of typed credentials comes from.
    pub password: PasswordInput,
    /// `--from-keyring`: every server's login from the OS keyring.
    pub from_keyring: bool,
    /// `--from-docker-config [PATH]`; an empty path means the default location.
    pub from_docker_config: Option<PathBuf>,
    /// `--yes`: with `from_docker_config` and no server, take every registry without asking.
    pub yes: bool,
    /// `--provider`: mint a token with a cloud CLI.
    pub provider: Option<Provider>,
    /// `--region`: the AWS region of ECR tokens.
    pub region: Option<String>,
    /// `--gcp-key-file`: a GCP service-account key.
    pub gcp_key_file: Option<PathBuf>,
}

/// Where the password of typed credentials comes from.
#[derive(Debug, Clone, Default)]
pub struct PasswordInput {
    /// Standard input (one line per server when several).
    pub stdin: bool,
    /// Files, one per server.
    pub files: Vec<PathBuf>,
    /// A password was put on the command line: `create` refuses it, but it counts as given.
    pub on_command_line: bool,
    /// The password typed into the wizard.
    pub typed: Option<SecretString>,
}

impl PasswordInput {
    /// Whether a password was given at all, by any means.
    pub fn is_given(&self) -> bool {
        self.stdin || !self.files.is_empty() || self.on_command_line || self.typed.is_some()
    }
}

/// Which cloud CLI mints the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// Decided by each server's host.
    Auto,
    /// Amazon ECR: `aws`.
    Ecr,
    /// Azure Container Registry: `az`.
    Acr,
    /// Google GCR / Artifact Registry: `gcloud`.
    Gcr,
}

impl Provider {
    /// The provider as `--provider` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Auto => "auto",
            Provider::Ecr => "ecr",
            Provider::Acr => "acr",
            Provider::Gcr => "gcr",
        }
    }
}
