//! Kubernetes label and annotation syntax, the presets this tool knows, and every
//! `regcred.kubectl.io/*` key it writes or reads: one place, so no two modules can spell a key
//! differently.

/// Run:ai copies secrets carrying this label (value "true") from the `runai` namespace into
/// every project's namespace when the cluster sets `clusterWideSecret: true`.
pub const RUNAI_CLUSTER_WIDE: (&str, &str) = ("runai/cluster-wide", "true");

/// Annotation: which cloud providers minted the secret's tokens (`ecr`, `acr`, `gcr`,
/// comma-separated), written by `create --provider` and `--gcp-key-file`.
pub const PROVIDER_ANNOTATION: &str = "regcred.kubectl.io/provider";
/// Annotation: when the tokens were minted (RFC 3339).
pub const MINTED_AT_ANNOTATION: &str = "regcred.kubectl.io/minted-at";
/// Annotation: when the first of the tokens expires (RFC 3339); see [`crate::expiry`].
pub const EXPIRES_AT_ANNOTATION: &str = "regcred.kubectl.io/expires-at";
/// Annotation: the AWS regions ECR tokens were minted for (comma-separated), to re-mint them.
pub const REGION_ANNOTATION: &str = "regcred.kubectl.io/region";
/// Annotation: the ACR registry names tokens were minted for (comma-separated).
pub const ACR_REGISTRY_ANNOTATION: &str = "regcred.kubectl.io/acr-registry";
/// Annotation: the `client_email` of the GCP service-account key in the secret.
pub const GCP_SERVICE_ACCOUNT_ANNOTATION: &str = "regcred.kubectl.io/gcp-service-account";

/// Every annotation that describes a secret's cloud tokens: they go together, and go when the
/// secret no longer holds a minted token (`rotate` with a static password).
pub const CLOUD_ANNOTATIONS: [&str; 6] = [
    PROVIDER_ANNOTATION,
    MINTED_AT_ANNOTATION,
    EXPIRES_AT_ANNOTATION,
    REGION_ANNOTATION,
    ACR_REGISTRY_ANNOTATION,
    GCP_SERVICE_ACCOUNT_ANNOTATION,
];

/// Checks a label or annotation key: an optional DNS-subdomain prefix and `/`, then a name of
/// at most 63 characters of alphanumerics, `-`, `_` and `.`, starting and ending alphanumeric.
pub fn validate_key(key: &str) -> Result<(), String> {
    let (prefix, name) = match key.split_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    if let Some(prefix) = prefix
        && crate::names::validate_object_name(prefix).is_err()
    {
        return Err(format!(
            "invalid key {key:?}: the prefix must be a DNS subdomain"
        ));
    }
    if name.is_empty() || name.len() > 63 || !is_label_word(name) {
        return Err(format!(
            "invalid key {key:?}: the name must be 1-63 letters, digits, '-', '_' or '.', \
             starting and ending with a letter or digit"
        ));
    }
    Ok(())
}

/// Checks a label value: empty, or at most 63 characters as for a key's name.
pub fn validate_label_value(value: &str) -> Result<(), String> {
    if value.is_empty() || (value.len() <= 63 && is_label_word(value)) {
        Ok(())
    } else {
        Err(format!(
            "invalid label value {value:?}: at most 63 letters, digits, '-', '_' or '.', \
             starting and ending with a letter or digit"
        ))
    }
}

fn is_label_word(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_kubernetes_rules() {
        for ok in ["app", "runai/cluster-wide", "example.com/a_b.c", "A1"] {
            assert_eq!(validate_key(ok), Ok(()), "{ok}");
        }
        for bad in ["", "-a", "a b", "Bad_Prefix/x", "x/", &"a".repeat(64)] {
            assert!(validate_key(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn label_values_follow_kubernetes_rules() {
        for ok in ["", "true", "a-b_c.d"] {
            assert_eq!(validate_label_value(ok), Ok(()), "{ok}");
        }
        for bad in ["a b", "-x", &"v".repeat(64)] {
            assert!(validate_label_value(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_annotation_key_is_ours_and_valid() {
        for key in CLOUD_ANNOTATIONS {
            assert!(key.starts_with("regcred.kubectl.io/"), "{key}");
            assert_eq!(validate_key(key), Ok(()), "{key}");
        }
    }
}
