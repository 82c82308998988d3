//! The clouds whose CLIs mint pull tokens: their CLI and the username that goes with its
//! tokens. How long a token lives is [`crate::expiry`]'s, by the provider's [`Cloud::name`].

/// A cloud registry whose CLI mints pull tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cloud {
    Ecr,
    Acr,
    Gcr,
}

impl Cloud {
    /// The value of the provider annotation, and the provider [`crate::expiry::TOKEN_LIFETIMES`]
    /// names.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expiry::token_lifetime_hours;

    #[test]
    fn every_cloud_has_a_token_lifetime() {
        for cloud in [Cloud::Ecr, Cloud::Acr, Cloud::Gcr] {
            assert!(token_lifetime_hours(cloud.name()).is_some(), "{cloud:?}");
        }
    }
}
