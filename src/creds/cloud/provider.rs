//! The clouds whose CLIs mint pull tokens: their CLI, the username that goes with its tokens,
//! and how long a token lives.

/// A cloud registry whose CLI mints pull tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cloud {
    Ecr,
    Acr,
    Gcr,
}

impl Cloud {
    /// The value of the provider annotation.
    pub fn name(self) -> &'static str {
        match self {
            Cloud::Ecr => "ecr",
            Cloud::Acr => "acr",
            Cloud::Gcr => "gcr",
        }
    }

    /// The registry username that goes with the CLI's tokens.
    pub fn username(self) -> &'static str {
        match self {
            Cloud::Ecr => "AWS",
            Cloud::Acr => "00000000-0000-0000-0000-000000000000",
            Cloud::Gcr => "oauth2accesstoken",
        }
    }

    /// How long a minted token is valid.
    pub fn token_lifetime_hours(self) -> i64 {
        match self {
            Cloud::Ecr => 12,
            Cloud::Acr => 3,
            Cloud::Gcr => 1,
        }
    }

    /// The CLI that mints its tokens.
    pub fn cli(self) -> &'static str {
        match self {
            Cloud::Ecr => "aws",
            Cloud::Acr => "az",
            Cloud::Gcr => "gcloud",
        }
    }

    /// What a registry of this cloud is, for messages.
    pub(super) fn description(self) -> &'static str {
        match self {
            Cloud::Ecr => "an Amazon ECR registry",
            Cloud::Acr => "an Azure Container Registry",
            Cloud::Gcr => "a Google GCR / Artifact Registry host",
        }
    }
}
