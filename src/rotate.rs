//! What `rotate` writes into one copy of a pull secret. Pure: no cluster, no registry.
//!
//! A copy holds a registry when one of its entries' keys names it, as the kubelet reads keys
//! ([`crate::dockerconfig::normalise_key`]: `https://GHCR.io/` is `ghcr.io`; `ghcr.io/acme` is
//! another registry). Only those entries change ([`with_registry_replaced`]): every other byte
//! of the content, and every label, stays. An entry that already holds the new credentials is
//! not written, so a second run writes nothing.
//!
//! The cloud annotations ([`CLOUD_ANNOTATIONS`]) describe the tokens `create --provider`
//! minted. A credential from a cloud source brings its own (provider, minted-at, expires-at,
//! ...), which are set. When, after the rotation, the copy holds no entry a provider minted
//! any more (a static password replaced the token), they no longer describe anything: they are
//! removed, so `status` and `refresh` do not judge a password by a token's expiry.

use std::collections::BTreeMap;

use zeroize::Zeroizing;

use crate::dockerconfig::stored::{Layout, StoredConfig};
use crate::dockerconfig::{Credentials, DockerConfig, RegistryKey, with_registry_replaced};
use crate::labels::CLOUD_ANNOTATIONS;
use crate::refresh::holds_minted_entry;

/// The credentials to rotate to, for one registry.
#[derive(Debug, Clone)]
pub struct NewCredential {
    pub key: RegistryKey,
    pub credentials: Credentials,
}

/// The credentials a source gave, one per registry, as the kubelet will read them once
/// written; an error naming the registry whose entry cannot be used.
pub fn credentials_of(config: &DockerConfig) -> Result<Vec<NewCredential>, String> {
    let read = StoredConfig::decode(Layout::DockerConfigJson, &config.to_json())
        .map_err(|reason| format!("the new credentials: {reason}"))?;
    let mut new = Vec::new();
    for entry in read.into_entries() {
        let key = RegistryKey::parse(&entry.key)
            .map_err(|reason| format!("registry {:?} {reason}", entry.key))?;
        let credentials = entry
            .read
            .map_err(|reason| format!("the new credentials for {key}: {reason}"))?;
        new.push(NewCredential { key, credentials });
    }
    if new.is_empty() {
        return Err("no new credentials: name the registry with --server".to_string());
    }
    Ok(new)
}

/// The registries of a rotation, for messages: `ghcr.io, quay.io`.
pub fn registries_of(new: &[NewCredential]) -> String {
    let keys: Vec<&str> = new.iter().map(|n| n.key.as_str()).collect();
    keys.join(", ")
}

/// What to do with one copy. `Debug` shows no content.
pub enum Decision {
    /// The copy holds none of the registries: not one to rotate.
    NotHeld,
    /// Every entry of the registries holds the new credentials already.
    Unchanged { keys: Vec<String> },
    /// Write this content and these annotation changes (`None` removes one); `keys` are the
    /// entries (as written) that changed.
    Rotate {
        content: Zeroizing<Vec<u8>>,
        annotations: BTreeMap<String, Option<String>>,
        keys: Vec<String>,
    },
}

impl std::fmt::Debug for Decision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Decision::NotHeld => f.write_str("NotHeld"),
            Decision::Unchanged { keys } => {
                f.debug_struct("Unchanged").field("keys", keys).finish()
            }
            Decision::Rotate {
                annotations, keys, ..
            } => f
                .debug_struct("Rotate")
                .field("content", &"<redacted>")
                .field("annotations", annotations)
                .field("keys", keys)
                .finish(),
        }
    }
}

/// Decides for one copy, from its `.dockerconfigjson` and annotations. `source_annotations`
/// are those the credential source records (cloud tokens), set on every copy that changes.
/// The error says why the content cannot be read.
pub fn decide(
    content: &[u8],
    annotations: &BTreeMap<String, String>,
    new: &[NewCredential],
    source_annotations: &BTreeMap<String, String>,
) -> Result<Decision, String> {
    let mut current: Option<Zeroizing<Vec<u8>>> = None;
    let (mut held, mut changed) = (Vec::new(), Vec::new());
    for credential in new {
        let bytes = current.as_deref().map_or(content, Vec::as_slice);
        let done = with_registry_replaced(bytes, &credential.key, &credential.credentials)
            .map_err(|reason| format!("its .dockerconfigjson {reason}"))?;
        held.extend(done.held);
        changed.extend(done.replaced);
        if let Some(content) = done.content {
            current = Some(content);
        }
    }
    if held.is_empty() {
        return Ok(Decision::NotHeld);
    }
    let Some(content) = current else {
        return Ok(Decision::Unchanged { keys: held });
    };
    let mut after: BTreeMap<String, String> = annotations.clone();
    after.extend(source_annotations.clone());
    let mut changes: BTreeMap<String, Option<String>> = source_annotations
        .iter()
        .filter(|(k, v)| annotations.get(*k) != Some(v))
        .map(|(k, v)| (k.clone(), Some(v.clone())))
        .collect();
    if !holds_minted_entry(&after, &content) {
        for key in CLOUD_ANNOTATIONS {
            if annotations.contains_key(key) {
                changes.insert(key.to_string(), None);
            }
        }
    }
    Ok(Decision::Rotate {
        content,
        annotations: changes,
        keys: changed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerconfig::{basic_auth, shows_secret};
    use crate::labels::{EXPIRES_AT_ANNOTATION, PROVIDER_ANNOTATION, REGION_ANNOTATION};

    const ECR: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

    fn new(server: &str, user: &str, password: &str) -> NewCredential {
        NewCredential {
            key: RegistryKey::parse(server).unwrap(),
            credentials: Credentials {
                username: user.into(),
                password: Zeroizing::new(password.into()),
                email: None,
            },
        }
    }

    fn content(entries: &[(&str, &str, &str)]) -> Vec<u8> {
        let auths: serde_json::Map<String, serde_json::Value> = entries
            .iter()
            .map(|(key, user, password)| {
                let auth = basic_auth(user, password);
                (
                    key.to_string(),
                    serde_json::json!({ "auth": auth.as_str() }),
                )
            })
            .collect();
        serde_json::to_vec(&serde_json::json!({ "auths": auths })).unwrap()
    }

    fn cloud_annotations() -> BTreeMap<String, String> {
        BTreeMap::from([
            (PROVIDER_ANNOTATION.to_string(), "ecr".to_string()),
            (REGION_ANNOTATION.to_string(), "eu-west-1".to_string()),
            (
                EXPIRES_AT_ANNOTATION.to_string(),
                "2026-03-01T12:00:00Z".to_string(),
            ),
            ("team".to_string(), "a".to_string()),
        ])
    }

    /// The annotation changes of a decision that rotates.
    fn annotation_changes(
        stored: &[u8],
        annotations: &BTreeMap<String, String>,
        new: NewCredential,
        source: &BTreeMap<String, String>,
    ) -> BTreeMap<String, Option<String>> {
        match decide(stored, annotations, &[new], source) {
            Ok(Decision::Rotate { annotations, .. }) => annotations,
            other => panic!("expected a rotation: {other:?}"),
        }
    }

    fn password_of(content: &[u8], key: &str) -> String {
        let read = StoredConfig::decode(Layout::DockerConfigJson, content).unwrap();
        let entry = read.entries().iter().find(|e| e.key == key).unwrap();
        entry.credentials().unwrap().password.to_string()
    }

    #[test]
    fn a_copy_without_the_registry_is_not_held() {
        let stored = content(&[("quay.io", "u", "p"), ("ghcr.io/acme", "u", "p")]);
        let decision = decide(
            &stored,
            &BTreeMap::new(),
            &[new("ghcr.io", "u", "n")],
            &BTreeMap::new(),
        );
        assert!(matches!(decision, Ok(Decision::NotHeld)), "{decision:?}");
    }

    #[test]
    fn only_the_registry_changes_and_a_second_run_writes_nothing() {
        let stored = content(&[("https://GHCR.io/", "u", "old"), ("quay.io", "q", "keep")]);
        let rotation = [new("ghcr.io", "u", "new")];
        let none = BTreeMap::new();
        let Ok(Decision::Rotate {
            content: rotated,
            annotations,
            keys,
        }) = decide(&stored, &none, &rotation, &none)
        else {
            panic!("expected a rotation");
        };
        assert_eq!(keys, ["https://GHCR.io/"]);
        assert!(annotations.is_empty());
        assert_eq!(password_of(&rotated, "https://GHCR.io/"), "new");
        assert_eq!(password_of(&rotated, "quay.io"), "keep");
        let again = decide(&rotated, &none, &rotation, &none);
        assert!(
            matches!(&again, Ok(Decision::Unchanged { keys }) if keys == &["https://GHCR.io/"]),
            "{again:?}"
        );
    }

    #[test]
    fn a_static_password_over_the_only_token_drops_the_cloud_annotations() {
        let stored = content(&[(ECR, "AWS", "token"), ("quay.io", "q", "p")]);
        let annotations = annotation_changes(
            &stored,
            &cloud_annotations(),
            new(ECR, "robot", "static"),
            &BTreeMap::new(),
        );
        let removed: Vec<&str> = annotations
            .iter()
            .filter(|(_, v)| v.is_none())
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(
            removed,
            [
                EXPIRES_AT_ANNOTATION,
                PROVIDER_ANNOTATION,
                REGION_ANNOTATION
            ]
        );
        assert!(
            !annotations.contains_key("team"),
            "not ours: {annotations:?}"
        );
    }

    #[test]
    fn cloud_annotations_stay_while_another_token_is_held() {
        let other_ecr = "210987654321.dkr.ecr.eu-west-1.amazonaws.com";
        let stored = content(&[(ECR, "AWS", "token"), (other_ecr, "AWS", "token2")]);
        let annotations = annotation_changes(
            &stored,
            &cloud_annotations(),
            new(ECR, "robot", "static"),
            &BTreeMap::new(),
        );
        assert!(annotations.is_empty(), "{annotations:?}");
    }

    #[test]
    fn a_minted_credential_brings_its_annotations() {
        let stored = content(&[(ECR, "AWS", "old-token")]);
        let minted = BTreeMap::from([
            (PROVIDER_ANNOTATION.to_string(), "ecr".to_string()),
            (
                EXPIRES_AT_ANNOTATION.to_string(),
                "2026-03-02T00:00:00Z".to_string(),
            ),
        ]);
        let annotations = annotation_changes(
            &stored,
            &cloud_annotations(),
            new(ECR, "AWS", "new-token"),
            &minted,
        );
        assert_eq!(
            annotations,
            BTreeMap::from([(
                EXPIRES_AT_ANNOTATION.to_string(),
                Some("2026-03-02T00:00:00Z".to_string())
            )])
        );
    }

    #[test]
    fn unreadable_content_is_an_error_naming_it_and_never_the_password() {
        let decision = decide(
            b"{oops",
            &BTreeMap::new(),
            &[new("ghcr.io", "u", "Sentinel-77a")],
            &BTreeMap::new(),
        );
        let Err(reason) = decision else {
            panic!("expected an error");
        };
        assert!(reason.contains(".dockerconfigjson"), "{reason}");
        let rotated = decide(
            &content(&[("ghcr.io", "u", "old")]),
            &BTreeMap::new(),
            &[new("ghcr.io", "u", "Sentinel-77a")],
            &BTreeMap::new(),
        );
        assert!(!shows_secret(&format!("{rotated:?}"), "Sentinel-77a"));
    }
}
