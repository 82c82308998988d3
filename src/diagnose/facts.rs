//! What the cluster says about a failing pull, and the fix that follows. Pure: the I/O is in
//! `collect`, so every rule here is tested without a cluster.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Cause, Classification, FixContext, fix_for, registry_of};
use crate::dockerconfig::stored::Layout;
use crate::expiry::{Evidence, expiry_of, human_duration};
use crate::registry::{ImageRef, keys_serve, matching_keys};

/// One pull secret as the diagnosis needs it: never its content, only which registries it has
/// and what tells when its tokens expire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretFact {
    pub name: String,
    pub exists: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_type: Option<String>,
    /// The keys of its entries, as written.
    pub registries: Vec<String>,
    /// What its metadata says about when its tokens expire.
    #[serde(skip)]
    pub expiry: Evidence,
    /// The `exp` of each entry whose password (as the kubelet sends it) is a JWT, by key.
    #[serde(skip)]
    pub jwt_expires_at: BTreeMap<String, i64>,
}

impl SecretFact {
    /// Is it a type the kubelet reads pull credentials from?
    pub fn is_pull_secret(&self) -> bool {
        self.secret_type
            .as_deref()
            .is_some_and(|t| Layout::of_type(t).is_some())
    }

    /// Does it hold credentials the kubelet would use for `image` ([`keys_serve`])?
    pub fn serves(&self, image: &str) -> bool {
        let keys = self.registries.iter().map(String::as_str);
        self.exists
            && self.is_pull_secret()
            && image
                .parse::<ImageRef>()
                .is_ok_and(|image| keys_serve(&image, keys))
    }
}

/// A service account as the diagnosis needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountFact {
    pub name: String,
    pub exists: bool,
    pub pull_secrets: Vec<String>,
}

/// What is wrong on the cluster side, as a stable id and plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub id: &'static str,
    pub message: String,
}

/// Everything known about one failing container.
#[derive(Debug, Clone)]
pub struct Case<'a> {
    pub namespace: &'a str,
    pub pod: &'a str,
    pub image: &'a str,
    pub classification: &'a Classification,
    /// The pod's own imagePullSecrets (the kubelet uses exactly these).
    pub pod_secrets: &'a [SecretFact],
    pub account: Option<&'a AccountFact>,
    /// Other pull secrets of the namespace, which the pod does not list.
    pub namespace_secrets: &'a [SecretFact],
    /// Now, seconds since the epoch.
    pub now: i64,
}

/// Is this a cause the pull secrets can explain?
fn is_credential_cause(cause: Cause) -> bool {
    matches!(
        cause,
        Cause::AuthFailed | Cause::RepoDeniedOrMissing | Cause::TokenExpired | Cause::RateLimited
    )
}

/// The cluster-side findings for a failing container.
pub fn findings(case: &Case) -> Vec<Finding> {
    let mut found = Vec::new();
    let registry = registry_of(case.image).unwrap_or_else(|| "its registry".into());
    if let Some(account) = case.account
        && !account.exists
    {
        found.push(Finding {
            id: "service_account_missing",
            message: format!("service account {:?} does not exist", account.name),
        });
    }
    for secret in case.pod_secrets {
        if !secret.exists {
            found.push(Finding {
                id: "secret_missing",
                message: format!(
                    "the pod lists imagePullSecret {:?}, which does not exist",
                    secret.name
                ),
            });
        } else if !secret.is_pull_secret() {
            found.push(Finding {
                id: "secret_wrong_type",
                message: format!(
                    "imagePullSecret {:?} has type {:?}; the kubelet reads only kubernetes.io/dockerconfigjson",
                    secret.name,
                    secret.secret_type.as_deref().unwrap_or("")
                ),
            });
        }
    }
    let serving: Vec<&SecretFact> = case
        .pod_secrets
        .iter()
        .filter(|s| s.serves(case.image))
        .collect();
    if serving.is_empty() && is_credential_cause(case.classification.cause) {
        let listed: Vec<&str> = case.pod_secrets.iter().map(|s| s.name.as_str()).collect();
        found.push(Finding {
            id: "no_secret_for_registry",
            message: format!(
                "none of the pod's imagePullSecrets holds credentials for {registry} (it lists: {})",
                if listed.is_empty() { "none".to_string() } else { listed.join(", ") }
            ),
        });
        for other in case
            .namespace_secrets
            .iter()
            .filter(|s| s.serves(case.image))
        {
            found.push(Finding {
                id: "secret_not_attached",
                message: format!(
                    "secret {:?} in this namespace has credentials for {registry}, but the pod does not list it",
                    other.name
                ),
            });
        }
    }
    for secret in serving {
        if let Some(expired_for) = expired_seconds(secret, case.image, case.now) {
            found.push(Finding {
                id: "token_expired",
                message: format!(
                    "the token in secret {:?} expired {} ago",
                    secret.name,
                    human_duration(expired_for)
                ),
            });
        }
    }
    found
}

/// How long ago the token the kubelet uses from this secret for `image` expired, if it did
/// ([`crate::expiry`]): the JWT that counts is the one in the first of the secret's entries that
/// match the image, in the kubelet's order; the ECR rule goes by the image's registry.
fn expired_seconds(secret: &SecretFact, image: &str, now: i64) -> Option<i64> {
    let used = image.parse::<ImageRef>().ok().and_then(|image| {
        let keys = matching_keys(&image, secret.registries.iter().map(String::as_str));
        keys.first().map(|key| key.to_string())
    });
    let jwt_expires_at = used.and_then(|key| secret.jwt_expires_at.get(&key).copied());
    let registry = registry_of(image).unwrap_or_default();
    expiry_of(&secret.expiry, [(registry.as_str(), jwt_expires_at)])?.expired_for(now)
}

/// The fix for a failing container: the cluster findings decide when they explain the cause,
/// else the cause's own fix.
pub fn fix(case: &Case, findings: &[Finding]) -> String {
    let has = |id: &str| findings.iter().any(|f| f.id == id);
    let registry = registry_of(case.image).unwrap_or_else(|| "REGISTRY".into());
    let server = if registry == "docker.io" {
        String::new()
    } else {
        format!(" --server {registry}")
    };
    let namespace = case.namespace;
    let account = case.account.map(|a| a.name.as_str()).unwrap_or("default");
    if has("service_account_missing") {
        return format!(
            "create the service account: kubectl create serviceaccount {account} -n {namespace}"
        );
    }
    if let Some(secret) = case.pod_secrets.iter().find(|s| s.serves(case.image))
        && has("token_expired")
    {
        let found = Classification {
            cause: Cause::TokenExpired,
            ..case.classification.clone()
        };
        return fix_for(
            &found,
            FixContext {
                namespace: Some(namespace),
                secret: &secret.name,
            },
        );
    }
    if has("no_secret_for_registry") {
        if let Some(missing) = case.pod_secrets.iter().find(|s| !s.exists) {
            return format!(
                "create the secret the pod already lists: kubectl regcred create {}{server} \
                 --username USER --password-stdin -n {namespace}",
                missing.name
            );
        }
        if let Some(other) = case.namespace_secrets.iter().find(|s| s.serves(case.image)) {
            return format!(
                "kubectl regcred attach {} -n {namespace} --service-account {account} --heal \
                 (--heal restarts the pod's owner: a pod's imagePullSecrets are fixed when it is \
                 created; a pod without one is listed with the command to recreate it)",
                other.name
            );
        }
        return format!(
            "kubectl regcred create regcred{server} --username USER --password-stdin -n {namespace} \
             --attach --service-account {account} --heal (--heal restarts the pod's owner: a \
             pod's imagePullSecrets are fixed when it is created; a pod without one is listed \
             with the command to recreate it)"
        );
    }
    if is_credential_cause(case.classification.cause)
        && let Some(secret) = case.pod_secrets.iter().find(|s| s.serves(case.image))
    {
        return format!(
            "the registry refused the credentials in secret {:?}: replace them with kubectl \
             regcred create {}{server} --username USER --password-stdin -n {namespace} (and check \
             that the account may read the repository)",
            secret.name, secret.name
        );
    }
    fix_for(
        case.classification,
        FixContext {
            namespace: Some(namespace),
            secret: "regcred",
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::classify;

    const DENIED: &str = r#"Failed to pull image "ghcr.io/acme/app:1.0": rpc error: code = Unknown desc = failed to pull and unpack image "ghcr.io/acme/app:1.0": failed to resolve reference "ghcr.io/acme/app:1.0": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized"#;

    fn secret(name: &str, registries: &[&str]) -> SecretFact {
        SecretFact {
            name: name.into(),
            exists: true,
            secret_type: Some("kubernetes.io/dockerconfigjson".into()),
            registries: registries.iter().map(|r| r.to_string()).collect(),
            expiry: Evidence {
                written_at: Some(0),
                ..Evidence::default()
            },
            jwt_expires_at: BTreeMap::new(),
        }
    }

    fn missing(name: &str) -> SecretFact {
        SecretFact {
            exists: false,
            secret_type: None,
            registries: vec![],
            ..secret(name, &[])
        }
    }

    fn account() -> AccountFact {
        AccountFact {
            name: "default".into(),
            exists: true,
            pull_secrets: vec![],
        }
    }

    fn ids_and_fix(
        image: &str,
        text: &str,
        pod: &[SecretFact],
        others: &[SecretFact],
        now: i64,
    ) -> (Vec<&'static str>, String) {
        let classification = classify(Some("ErrImagePull"), &[text]);
        let account = account();
        let case = Case {
            namespace: "team-a",
            pod: "web-1",
            image,
            classification: &classification,
            pod_secrets: pod,
            account: Some(&account),
            namespace_secrets: others,
            now,
        };
        let found = findings(&case);
        let fix = fix(&case, &found);
        (found.iter().map(|f| f.id).collect(), fix)
    }

    #[test]
    fn no_secret_at_all_suggests_create_with_attach() {
        let (ids, fix) = ids_and_fix("ghcr.io/acme/app:1.0", DENIED, &[], &[], 0);
        assert_eq!(ids, ["no_secret_for_registry"]);
        assert!(fix.starts_with("kubectl regcred create regcred --server ghcr.io --username USER --password-stdin -n team-a --attach --service-account default"), "{fix}");
    }

    #[test]
    fn a_secret_for_another_host_is_no_help() {
        let (ids, _) = ids_and_fix(
            "ghcr.io/acme/app:1.0",
            DENIED,
            &[secret("regcred", &["quay.io"])],
            &[],
            0,
        );
        assert_eq!(ids, ["no_secret_for_registry"]);
    }

    #[test]
    fn an_unattached_secret_for_the_host_is_pointed_at() {
        let (ids, fix) = ids_and_fix(
            "ghcr.io/acme/app:1.0",
            DENIED,
            &[],
            &[secret("gh", &["ghcr.io"])],
            0,
        );
        assert_eq!(ids, ["no_secret_for_registry", "secret_not_attached"]);
        assert!(
            fix.starts_with("kubectl regcred attach gh -n team-a --service-account default"),
            "{fix}"
        );
    }

    #[test]
    fn a_listed_secret_that_is_missing_is_created_under_its_name() {
        let (ids, fix) = ids_and_fix(
            "ghcr.io/acme/app:1.0",
            DENIED,
            &[missing("ghcr-pull")],
            &[],
            0,
        );
        assert_eq!(ids, ["secret_missing", "no_secret_for_registry"]);
        assert!(
            fix.contains("kubectl regcred create ghcr-pull --server ghcr.io"),
            "{fix}"
        );
    }

    #[test]
    fn ecr_tokens_expire_after_12_hours() {
        let image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1";
        let text = format!(
            r#"Failed to pull image "{image}": rpc error: code = Unknown desc = failed to pull and unpack image: failed to resolve reference: pull access denied, repository does not exist or may require authorization: authorization failed: no basic auth credentials"#
        );
        let secrets = [secret(
            "ecr",
            &["123456789012.dkr.ecr.eu-west-1.amazonaws.com"],
        )];
        let (ids, fix) = ids_and_fix(image, &text, &secrets, &[], 13 * 3600);
        assert_eq!(ids, ["token_expired"]);
        assert!(
            fix.contains(
                "aws ecr get-login-password --region eu-west-1 | kubectl regcred create ecr"
            ),
            "{fix}"
        );
        let (ids, _) = ids_and_fix(image, &text, &secrets, &[], 11 * 3600);
        assert!(ids.is_empty(), "{ids:?}");
    }

    #[test]
    fn issue_14_an_expired_jwt_in_the_entry_the_kubelet_uses_is_found() {
        let image = "quay.io/acme/app:1";
        let text = DENIED.replace("ghcr.io/acme/app:1.0", image);
        const NOW: i64 = 1_795_000_000;
        let with_jwts = |jwts: &[(&str, i64)]| {
            let mut fact = secret("quay", &["quay.io", "quay.io/acme", "ghcr.io"]);
            fact.jwt_expires_at = jwts.iter().map(|(k, at)| (k.to_string(), *at)).collect();
            fact
        };
        // The kubelet uses quay.io/acme (the longest key that matches) for this image.
        let expired_in_use = with_jwts(&[("quay.io/acme", NOW - 7200), ("quay.io", NOW + 7200)]);
        let (ids, fix) = ids_and_fix(image, &text, &[expired_in_use], &[], NOW);
        assert_eq!(ids, ["token_expired"]);
        assert!(fix.contains("kubectl regcred create quay"), "{fix}");
        // An expired token in an entry for another image, or one the kubelet tries later,
        // is not what failed.
        for jwts in [
            [("ghcr.io", NOW - 7200), ("quay.io/acme", NOW + 7200)],
            [("quay.io", NOW - 7200), ("quay.io/acme", NOW + 7200)],
        ] {
            let (ids, _) = ids_and_fix(image, &text, &[with_jwts(&jwts)], &[], NOW);
            assert!(ids.is_empty(), "{jwts:?}: {ids:?}");
        }
    }

    #[test]
    fn refused_credentials_in_the_right_secret_are_named() {
        let (ids, fix) = ids_and_fix(
            "ghcr.io/acme/app:1.0",
            DENIED,
            &[secret("gh", &["ghcr.io"])],
            &[],
            0,
        );
        assert!(ids.is_empty());
        assert!(
            fix.contains("refused the credentials in secret \"gh\""),
            "{fix}"
        );
    }

    #[test]
    fn other_causes_keep_their_own_fix() {
        let text = r#"Failed to pull image "ghcr.io/acme/app:9.9": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/acme/app:9.9": failed to resolve reference "ghcr.io/acme/app:9.9": ghcr.io/acme/app:9.9: not found"#;
        let (ids, fix) = ids_and_fix(
            "ghcr.io/acme/app:9.9",
            text,
            &[secret("gh", &["ghcr.io"])],
            &[],
            0,
        );
        assert!(ids.is_empty());
        assert!(fix.contains("tag or digest"), "{fix}");
    }
}
