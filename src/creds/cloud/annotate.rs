//! What a secret records about the credentials a cloud gave: the providers, the regions or
//! registry names to re-mint with, when the tokens were minted and when the first expires, or
//! the service account of a key. Never a token or a key.

use std::collections::BTreeMap;

use k8s_openapi::jiff::Timestamp;

use super::error::CloudError;
use super::mint::Mint;
use super::provider::Cloud;
use crate::expiry::token_expires_at;
use crate::labels::{
    ACR_REGISTRY_ANNOTATION, EXPIRES_AT_ANNOTATION, GCP_SERVICE_ACCOUNT_ANNOTATION,
    MINTED_AT_ANNOTATION, PROVIDER_ANNOTATION, REGION_ANNOTATION,
};

/// The annotations of tokens minted by `plans` at `minted_at` (seconds since the epoch).
pub(super) fn minted(
    plans: &[Mint],
    minted_at: i64,
) -> Result<BTreeMap<String, String>, CloudError> {
    let times: Vec<(Cloud, i64)> = plans.iter().map(|m| (m.cloud(), minted_at)).collect();
    let mut annotations = token_times(&times)?;
    annotations.insert(
        PROVIDER_ANNOTATION.to_string(),
        joined(plans.iter().map(|m| m.cloud().name())),
    );
    let regions = joined(plans.iter().filter_map(|m| match m {
        Mint::Ecr { region } => Some(region.as_str()),
        _ => None,
    }));
    if !regions.is_empty() {
        annotations.insert(REGION_ANNOTATION.to_string(), regions);
    }
    let names = joined(plans.iter().filter_map(|m| match m {
        Mint::Acr { name } => Some(name.as_str()),
        _ => None,
    }));
    if !names.is_empty() {
        annotations.insert(ACR_REGISTRY_ANNOTATION.to_string(), names);
    }
    Ok(annotations)
}

/// The minted-at and expires-at annotations of tokens minted at these times (seconds since
/// the epoch), for `create` and `refresh`: the earliest mint, and the first expiry
/// ([`token_expires_at`]). An error when a time is beyond the calendar.
pub fn token_times(minted: &[(Cloud, i64)]) -> Result<BTreeMap<String, String>, CloudError> {
    let rfc3339 = |second: i64| {
        Timestamp::from_second(second)
            .map(|t| t.to_string())
            .map_err(|_| CloudError::Clock)
    };
    let mut annotations = BTreeMap::new();
    if let Some(at) = minted.iter().map(|(_, at)| *at).min() {
        annotations.insert(MINTED_AT_ANNOTATION.to_string(), rfc3339(at)?);
    }
    let first_expiry = minted
        .iter()
        .filter_map(|(cloud, at)| token_expires_at(cloud.name(), *at))
        .min();
    if let Some(at) = first_expiry {
        annotations.insert(EXPIRES_AT_ANNOTATION.to_string(), rfc3339(at)?);
    }
    Ok(annotations)
}

/// The annotations of a GCP service-account key: the provider and the key's account.
pub(super) fn key_file(client_email: String) -> BTreeMap<String, String> {
    BTreeMap::from([
        (
            PROVIDER_ANNOTATION.to_string(),
            Cloud::Gcr.name().to_string(),
        ),
        (GCP_SERVICE_ACCOUNT_ANNOTATION.to_string(), client_email),
    ])
}

/// Distinct values in order of first appearance, comma-separated.
fn joined<'a>(values: impl Iterator<Item = &'a str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for value in values {
        if !seen.contains(&value) {
            seen.push(value);
        }
    }
    seen.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_record_provider_times_and_what_to_re_mint_with() {
        let minted_at = 1_795_000_000; // 2026-11-18T11:06:40Z
        let ecr = Mint::Ecr {
            region: "eu-west-1".into(),
        };
        let annotations = minted(std::slice::from_ref(&ecr), minted_at).unwrap();
        assert_eq!(annotations[PROVIDER_ANNOTATION], "ecr");
        assert_eq!(annotations[MINTED_AT_ANNOTATION], "2026-11-18T11:06:40Z");
        assert_eq!(annotations[EXPIRES_AT_ANNOTATION], "2026-11-18T23:06:40Z");
        assert_eq!(annotations[REGION_ANNOTATION], "eu-west-1");
        assert!(!annotations.contains_key(ACR_REGISTRY_ANNOTATION));

        let acr = Mint::Acr {
            name: "myregistry".into(),
        };
        let mixed = minted(&[ecr.clone(), acr, ecr, Mint::Gcr], minted_at).unwrap();
        assert_eq!(mixed[PROVIDER_ANNOTATION], "ecr,acr,gcr");
        // The first token to expire decides: GCP's, after one hour.
        assert_eq!(mixed[EXPIRES_AT_ANNOTATION], "2026-11-18T12:06:40Z");
        assert_eq!(mixed[REGION_ANNOTATION], "eu-west-1");
        assert_eq!(mixed[ACR_REGISTRY_ANNOTATION], "myregistry");
        // What diagnose parses.
        let parsed: Timestamp = mixed[EXPIRES_AT_ANNOTATION].parse().unwrap();
        assert_eq!(parsed.as_second(), minted_at + 3600);
    }
}
