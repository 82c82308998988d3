//! Every `regcred.kubectl.io/*` annotation the credential sources write on a secret, in one
//! place (only `cloud::annotate` writes them). They record what `status`, `diagnose` and
//! `refresh` need to know about short-lived tokens: never a token. The same keys are in
//! `crate::labels`; this module is to become a `use` of those.

/// Which source minted the credentials (`ecr`, `acr`, `gcr`, comma-separated when several).
pub const PROVIDER_ANNOTATION: &str = "regcred.kubectl.io/provider";
/// When the tokens were minted (RFC 3339).
pub const MINTED_AT_ANNOTATION: &str = "regcred.kubectl.io/minted-at";
/// When the first of the tokens expires (RFC 3339); `diagnose` reads it.
pub const EXPIRES_AT_ANNOTATION: &str = "regcred.kubectl.io/expires-at";
/// The AWS regions ECR tokens were minted for (comma-separated), to re-mint them.
pub const REGION_ANNOTATION: &str = "regcred.kubectl.io/region";
/// The ACR registry names tokens were minted for (comma-separated).
pub const ACR_REGISTRY_ANNOTATION: &str = "regcred.kubectl.io/acr-registry";
/// The `client_email` of the GCP service-account key in the secret.
pub const GCP_SERVICE_ACCOUNT_ANNOTATION: &str = "regcred.kubectl.io/gcp-service-account";
