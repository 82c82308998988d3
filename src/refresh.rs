//! Which pull secrets `refresh` re-mints, and with which CLI calls. Pure: no cluster, no CLI,
//! no clock (the caller passes `now`).
//!
//! A secret `create --provider` made records how its tokens were minted in annotations
//! (provider, AWS regions, ACR names, when they expire). Its entries whose username (the one
//! the kubelet sends, [`crate::dockerconfig::stored`]) is the provider's token user (`AWS`, the
//! ACR null GUID, `oauth2accesstoken`) are the minted ones; every other entry is left as it is.
//!
//! Whether tokens are due is decided on the expires-at annotation alone, as
//! [`crate::expiry::annotated_expiry`] reads it (see [`crate::expiry`] for why).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use k8s_openapi::jiff::Timestamp;

use crate::creds::cloud::{
    Cloud, CloudHost, GCP_KEY_USERNAME, Mint, cloud_host, host_of, token_times,
};
use crate::dockerconfig::RegistryKey;
use crate::dockerconfig::stored::{Layout, StoredConfig};
use crate::expiry::annotated_expiry;
use crate::labels::{
    ACR_REGISTRY_ANNOTATION, EXPIRES_AT_ANNOTATION, GCP_SERVICE_ACCOUNT_ANNOTATION,
    PROVIDER_ANNOTATION, REGION_ANNOTATION,
};

/// Why a GCP service-account key secret is never refreshed.
pub const KEY_FILE_REASON: &str = "holds a GCP service-account key (--gcp-key-file): keys have \
     no expiry, and the key is not kept in the annotations, so it cannot be re-read; re-run \
     `create --gcp-key-file` to rotate it";

/// One registry entry to re-mint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    pub key: RegistryKey,
    pub mint: Mint,
    /// The entry's email, kept as it was.
    pub email: Option<String>,
}

/// What `refresh` does with one secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Valid beyond the `--before` margin: no CLI call, no write.
    Fresh { expires_at: Timestamp },
    /// Re-mint these entries; `why` is for the report.
    Refresh { entries: Vec<Stale>, why: String },
    /// Nothing to re-mint, and nothing wrong (a key file, no minted entry left).
    Leave { reason: String },
    /// Due, but the annotations do not say how to re-mint: the namespace fails.
    Stuck { reason: String },
}

/// Whether a secret was made by `create --provider` (or `--gcp-key-file`).
pub fn is_minted(annotations: &BTreeMap<String, String>) -> bool {
    annotations.contains_key(PROVIDER_ANNOTATION)
}

/// Decides what to do with one pull secret from its annotations and `.dockerconfigjson`.
/// `before`: re-mint tokens expiring sooner than this; `force`: re-mint whatever the expiry.
pub fn decide(
    annotations: &BTreeMap<String, String>,
    dockerconfigjson: &[u8],
    now: Timestamp,
    before: Duration,
    force: bool,
) -> Decision {
    let Some(providers) = annotations.get(PROVIDER_ANNOTATION) else {
        return Decision::Leave {
            reason: format!("not made with --provider (no {PROVIDER_ANNOTATION} annotation)"),
        };
    };
    let mut clouds = Vec::new();
    for name in split(providers) {
        match cloud_named(name) {
            Some(cloud) => clouds.push(cloud),
            None => {
                return Decision::Stuck {
                    reason: format!("unknown provider {name:?} in {PROVIDER_ANNOTATION}"),
                };
            }
        }
    }
    let entries = match usernames(dockerconfigjson) {
        Ok(entries) => entries,
        Err(reason) => return Decision::Stuck { reason },
    };
    let minted: Vec<(&String, &EntryMeta, Cloud)> = entries
        .iter()
        .filter_map(|(key, meta)| {
            let cloud = clouds.iter().find(|c| c.username() == meta.username)?;
            Some((key, meta, *cloud))
        })
        .collect();
    if minted.is_empty() {
        let has_key = annotations.contains_key(GCP_SERVICE_ACCOUNT_ANNOTATION)
            || entries.values().any(|m| m.username == GCP_KEY_USERNAME);
        let reason = if has_key {
            KEY_FILE_REASON.to_string()
        } else {
            format!("no registry entry with a {providers} token")
        };
        return Decision::Leave { reason };
    }
    let why = match due(annotations, now, before, force) {
        Ok(expires_at) => return Decision::Fresh { expires_at },
        Err(why) => why,
    };
    let mut stale = Vec::new();
    for (key, meta, cloud) in minted {
        let key = match RegistryKey::parse(key) {
            Ok(key) => key,
            Err(reason) => {
                return Decision::Stuck {
                    reason: format!("registry {key:?}: {reason}"),
                };
            }
        };
        match mint_for(annotations, &key, cloud) {
            Ok(mint) => stale.push(Stale {
                key,
                mint,
                email: meta.email.clone().filter(|e| !e.is_empty()),
            }),
            Err(reason) => return Decision::Stuck { reason },
        }
    }
    Decision::Refresh {
        entries: stale,
        why,
    }
}

/// Whether the secret's cloud annotations still describe one of its entries: they name a
/// provider, and an entry's username (as the kubelet reads it) is that provider's token user,
/// or a GCP key's user. Content that cannot be read counts as holding one (nothing is dropped
/// on a guess).
pub fn holds_minted_entry(annotations: &BTreeMap<String, String>, dockerconfigjson: &[u8]) -> bool {
    let Some(providers) = annotations.get(PROVIDER_ANNOTATION) else {
        return false;
    };
    let clouds: Vec<Cloud> = split(providers).filter_map(cloud_named).collect();
    let Ok(entries) = usernames(dockerconfigjson) else {
        return true;
    };
    entries.values().any(|meta| {
        meta.username == GCP_KEY_USERNAME || clouds.iter().any(|c| c.username() == meta.username)
    })
}

/// Ok(expiry) when the token is valid beyond the margin; Err(why it is due) otherwise.
fn due(
    annotations: &BTreeMap<String, String>,
    now: Timestamp,
    before: Duration,
    force: bool,
) -> Result<Timestamp, String> {
    let expires_at = match annotated_expiry(annotations) {
        None => return Err(format!("no {EXPIRES_AT_ANNOTATION} annotation")),
        Some(Ok(time)) => time,
        Some(Err(text)) => return Err(format!("unreadable {EXPIRES_AT_ANNOTATION} {text:?}")),
    };
    let margin = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
    if force {
        Err("--force".to_string())
    } else if expires_at.as_second() <= now.as_second() {
        Err(format!("expired at {expires_at}"))
    } else if expires_at.as_second().saturating_sub(margin) <= now.as_second() {
        Err(format!("expires at {expires_at}, within --before"))
    } else {
        Ok(expires_at)
    }
}

/// The CLI call that gives the token for one entry, from the host and the annotations.
fn mint_for(
    annotations: &BTreeMap<String, String>,
    key: &RegistryKey,
    cloud: Cloud,
) -> Result<Mint, String> {
    let host = cloud_host(host_of(key));
    match cloud {
        Cloud::Gcr => Ok(Mint::Gcr),
        Cloud::Ecr => {
            let from_host = match host {
                Some(CloudHost::Ecr { region }) => Some(region),
                _ => None,
            };
            let region = pick(annotations, REGION_ANNOTATION, from_host, key, "AWS region")?;
            Mint::ecr(&region)
                .ok_or_else(|| format!("invalid AWS region {region:?} in {REGION_ANNOTATION}"))
        }
        Cloud::Acr => {
            let from_host = match host {
                Some(CloudHost::Acr { name }) => Some(name),
                _ => None,
            };
            let name = pick(
                annotations,
                ACR_REGISTRY_ANNOTATION,
                from_host,
                key,
                "ACR name",
            )?;
            Mint::acr(&name)
                .ok_or_else(|| format!("invalid ACR name {name:?} in {ACR_REGISTRY_ANNOTATION}"))
        }
    }
}

/// One value of a comma-separated annotation: the only one, or the host's when listed, or the
/// host's when there is no annotation.
fn pick(
    annotations: &BTreeMap<String, String>,
    annotation: &str,
    from_host: Option<String>,
    key: &RegistryKey,
    what: &str,
) -> Result<String, String> {
    let listed: Vec<&str> = annotations
        .get(annotation)
        .map(|v| split(v).collect())
        .unwrap_or_default();
    match (listed.as_slice(), from_host) {
        ([only], _) => Ok(only.to_string()),
        ([], Some(host)) => Ok(host),
        (many, Some(host)) if many.contains(&host.as_str()) => Ok(host),
        ([], None) => Err(format!(
            "cannot tell the {what} of registry {key}: no {annotation} annotation"
        )),
        (many, _) => Err(format!(
            "cannot tell which {what} of {annotation} ({}) registry {key} goes with",
            many.join(",")
        )),
    }
}

fn split(value: &str) -> impl Iterator<Item = &str> {
    value.split(',').map(str::trim).filter(|v| !v.is_empty())
}

fn cloud_named(name: &str) -> Option<Cloud> {
    [Cloud::Ecr, Cloud::Acr, Cloud::Gcr]
        .into_iter()
        .find(|c| c.name() == name)
}

/// What `refresh` reads of an entry: never the password.
#[derive(Debug)]
struct EntryMeta {
    username: String,
    email: Option<String>,
}

/// The username and email the kubelet reads from each entry, by key; why not, when it cannot
/// read the secret (re-minting some entries would leave it unreadable).
fn usernames(dockerconfigjson: &[u8]) -> Result<BTreeMap<String, EntryMeta>, String> {
    let config = StoredConfig::decode(Layout::DockerConfigJson, dockerconfigjson)
        .map_err(|reason| format!("unreadable .dockerconfigjson: {reason}"))?;
    if let Some(reason) = config.unreadable() {
        return Err(format!("unreadable .dockerconfigjson: {reason}"));
    }
    Ok(config
        .into_entries()
        .into_iter()
        .filter_map(|entry| {
            let read = entry.read.ok()?;
            let meta = EntryMeta {
                username: read.username,
                email: read.email,
            };
            Some((entry.key, meta))
        })
        .collect())
}

/// The distinct CLI calls a set of decisions needs, each with a registry it is for: one call
/// per (provider, region or ACR name), however many secrets and namespaces share it.
pub fn mints_needed<'a>(
    decisions: impl IntoIterator<Item = &'a Decision>,
) -> BTreeMap<Mint, RegistryKey> {
    let mut needed = BTreeMap::new();
    for decision in decisions {
        if let Decision::Refresh { entries, .. } = decision {
            for entry in entries {
                needed
                    .entry(entry.mint.clone())
                    .or_insert_with(|| entry.key.clone());
            }
        }
    }
    needed
}

/// minted-at and expires-at for a secret whose tokens were minted at these times (seconds):
/// the earliest mint, and the first expiry ([`token_times`]); none for a time beyond the
/// calendar.
pub fn refreshed_annotations(minted: &[(Cloud, i64)]) -> BTreeMap<String, String> {
    token_times(minted).unwrap_or_default()
}

/// The providers of a set of entries, for the report: `ecr (eu-west-1)`.
pub fn describe(entries: &[Stale]) -> String {
    let calls: BTreeSet<String> = entries
        .iter()
        .map(|e| match &e.mint {
            Mint::Ecr { region } => format!("ecr {region}"),
            Mint::Acr { name } => format!("acr {name}"),
            Mint::Gcr => "gcr".to_string(),
        })
        .collect();
    calls.into_iter().collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::MINTED_AT_ANNOTATION;

    const ECR: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
    const HOUR: Duration = Duration::from_secs(3600);

    fn now() -> Timestamp {
        "2026-03-01T12:00:00Z".parse().unwrap()
    }

    fn annotations(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (format!("regcred.kubectl.io/{k}"), v.to_string()))
            .collect()
    }

    fn config(entries: &[(&str, &str)]) -> Vec<u8> {
        let auths: serde_json::Map<String, serde_json::Value> = entries
            .iter()
            .map(|(key, user)| {
                (
                    key.to_string(),
                    serde_json::json!({
                        "username": user,
                        "password": "p",
                        "auth": crate::dockerconfig::basic_auth(user, "p").as_str(),
                    }),
                )
            })
            .collect();
        serde_json::to_vec(&serde_json::json!({ "auths": auths })).unwrap()
    }

    fn ecr(expires: &str) -> BTreeMap<String, String> {
        annotations(&[
            ("provider", "ecr"),
            ("region", "eu-west-1"),
            ("expires-at", expires),
        ])
    }

    #[test]
    fn fresh_tokens_are_left_alone_unless_forced() {
        let data = config(&[(ECR, "AWS")]);
        let fresh = ecr("2026-03-01T14:00:00Z");
        assert_eq!(
            decide(&fresh, &data, now(), HOUR, false),
            Decision::Fresh {
                expires_at: "2026-03-01T14:00:00Z".parse().unwrap()
            }
        );
        assert!(matches!(
            decide(&fresh, &data, now(), HOUR, true),
            Decision::Refresh { why, .. } if why == "--force"
        ));
    }

    #[test]
    fn expired_or_nearly_expired_tokens_are_re_minted_for_their_entries_only() {
        let data = config(&[(ECR, "AWS"), ("ghcr.io", "octocat")]);
        for (expires, why) in [
            ("2026-03-01T11:00:00Z", "expired at"),
            ("2026-03-01T12:30:00Z", "within --before"),
        ] {
            let Decision::Refresh { entries, why: got } =
                decide(&ecr(expires), &data, now(), HOUR, false)
            else {
                panic!("not refreshed: {expires}")
            };
            assert!(got.contains(why), "{got}");
            assert_eq!(entries.len(), 1, "ghcr.io is not minted");
            assert_eq!(entries[0].key.as_str(), ECR);
            assert_eq!(entries[0].mint, Mint::ecr("eu-west-1").unwrap());
        }
        // A shorter margin leaves the half-hour token alone.
        assert!(matches!(
            decide(
                &ecr("2026-03-01T12:30:00Z"),
                &data,
                now(),
                Duration::from_secs(600),
                false
            ),
            Decision::Fresh { .. }
        ));
    }

    #[test]
    fn a_missing_expiry_is_due() {
        let mut a = ecr("x");
        a.remove(EXPIRES_AT_ANNOTATION);
        assert!(matches!(
            decide(&a, &config(&[(ECR, "AWS")]), now(), HOUR, false),
            Decision::Refresh { .. }
        ));
    }

    #[test]
    fn minted_entries_are_told_by_the_user_the_kubelet_sends() {
        // `auth` (which the kubelet decodes, and which wins) names AWS: a minted ECR token.
        let auth = crate::dockerconfig::basic_auth("AWS", "token");
        let data = serde_json::to_vec(&serde_json::json!({"auths": {
            ECR: {"username": "someone", "password": "x", "auth": auth.as_str()}
        }}))
        .unwrap();
        let expired = ecr("2026-01-01T00:00:00Z");
        assert!(matches!(
            decide(&expired, &data, now(), HOUR, false),
            Decision::Refresh { entries, .. } if entries.len() == 1
        ));
        // A secret the kubelet cannot read is not half re-minted.
        let broken = format!(r#"{{"auths":{{"{ECR}":{{"username":"AWS","auth":"!"}}}}}}"#);
        assert!(matches!(
            decide(&expired, broken.as_bytes(), now(), HOUR, false),
            Decision::Stuck { reason } if reason.contains("not base64")
        ));
    }

    #[test]
    fn the_region_flag_recorded_wins_over_the_host() {
        let mut a = ecr("2026-01-01T00:00:00Z");
        a.insert(REGION_ANNOTATION.into(), "cn-northwest-1".into());
        let Decision::Refresh { entries, .. } =
            decide(&a, &config(&[(ECR, "AWS")]), now(), HOUR, false)
        else {
            panic!()
        };
        assert_eq!(entries[0].mint, Mint::ecr("cn-northwest-1").unwrap());
    }

    #[test]
    fn several_regions_go_with_their_hosts_and_ambiguity_is_stuck() {
        let mut a = ecr("2026-01-01T00:00:00Z");
        a.insert(REGION_ANNOTATION.into(), "us-east-1,eu-west-1".into());
        let Decision::Refresh { entries, .. } =
            decide(&a, &config(&[(ECR, "AWS")]), now(), HOUR, false)
        else {
            panic!()
        };
        assert_eq!(entries[0].mint, Mint::ecr("eu-west-1").unwrap());
        let proxy = config(&[("ecr-proxy.example.com", "AWS")]);
        assert!(matches!(
            decide(&a, &proxy, now(), HOUR, false),
            Decision::Stuck { .. }
        ));
    }

    #[test]
    fn annotation_values_never_reach_a_cli_unchecked() {
        let mut a = ecr("2026-01-01T00:00:00Z");
        a.insert(REGION_ANNOTATION.into(), "--profile=evil".into());
        assert!(matches!(
            decide(&a, &config(&[(ECR, "AWS")]), now(), HOUR, false),
            Decision::Stuck { reason } if reason.contains("invalid AWS region")
        ));
    }

    #[test]
    fn acr_and_gcr_entries_map_to_their_calls() {
        let a = annotations(&[
            ("provider", "gcr,acr"),
            ("acr-registry", "myregistry"),
            ("expires-at", "2026-01-01T00:00:00Z"),
        ]);
        let data = config(&[
            ("eu.gcr.io", "oauth2accesstoken"),
            (
                "myregistry.azurecr.io",
                "00000000-0000-0000-0000-000000000000",
            ),
        ]);
        let Decision::Refresh { entries, .. } = decide(&a, &data, now(), HOUR, false) else {
            panic!()
        };
        let mints: Vec<_> = entries.iter().map(|e| e.mint.clone()).collect();
        assert_eq!(mints, [Mint::Gcr, Mint::acr("myregistry").unwrap()]);
        assert_eq!(describe(&entries), "acr myregistry, gcr");
    }

    #[test]
    fn key_file_secrets_are_left_alone_and_say_why() {
        let a = annotations(&[
            ("provider", "gcr"),
            ("gcp-service-account", "p@x.iam.gserviceaccount.com"),
        ]);
        let data = config(&[("europe-docker.pkg.dev", "_json_key")]);
        assert_eq!(
            decide(&a, &data, now(), HOUR, true),
            Decision::Leave {
                reason: KEY_FILE_REASON.into()
            }
        );
    }

    #[test]
    fn secrets_not_made_with_a_provider_are_left_alone() {
        let data = config(&[(ECR, "AWS")]);
        assert!(!is_minted(&BTreeMap::new()));
        assert!(matches!(
            decide(&BTreeMap::new(), &data, now(), HOUR, true),
            Decision::Leave { .. }
        ));
    }

    #[test]
    fn one_call_per_mint_key_across_every_secret() {
        let data = config(&[(ECR, "AWS")]);
        let other = config(&[("210987654321.dkr.ecr.eu-west-1.amazonaws.com", "AWS")]);
        let expired = ecr("2026-01-01T00:00:00Z");
        let decisions: Vec<Decision> = (0..200)
            .map(|i| {
                let d = if i % 2 == 0 { &data } else { &other };
                decide(&expired, d, now(), HOUR, false)
            })
            .chain([Decision::Fresh { expires_at: now() }])
            .collect();
        let needed = mints_needed(&decisions);
        assert_eq!(needed.len(), 1, "{needed:?}");
        assert_eq!(needed.keys().next(), Mint::ecr("eu-west-1").as_ref());
    }

    #[test]
    fn refreshed_annotations_take_the_first_expiry() {
        let at = now().as_second();
        let a = refreshed_annotations(&[(Cloud::Ecr, at), (Cloud::Gcr, at + 10)]);
        assert_eq!(a[MINTED_AT_ANNOTATION], "2026-03-01T12:00:00Z");
        assert_eq!(a[EXPIRES_AT_ANNOTATION], "2026-03-01T13:00:10Z");
    }
}
