//! What the cluster says about a failing pull, and the fix that follows. Pure: the I/O is in
//! `collect`, so every rule here is tested without a cluster.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Cause, Classification, FixContext, fix_for, registry_of};
use crate::cluster::accounts::DEFAULT_ACCOUNT;
use crate::dockerconfig::stored::Layout;
use crate::expiry::{Evidence, expiry_of, human_duration};
use crate::registry::{ImageRef, keys_serve, matching_keys, pulls_docker_hub_anonymously};

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
    /// `warning` for a finding that is no cause of the failure but will be one (an anonymous
    /// Docker Hub pull); absent for the facts that explain it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<&'static str>,
    /// The finding's own fix, when it is not the failure's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// Everything known about one container waiting on its image.
#[derive(Debug, Clone)]
pub struct Case<'a> {
    pub namespace: &'a str,
    pub pod: &'a str,
    pub image: &'a str,
    /// What the kubelet's messages say went wrong; none for a pull not tried yet.
    pub classification: Option<&'a Classification>,
    /// The pod's own imagePullSecrets (the kubelet uses exactly these).
    pub pod_secrets: &'a [SecretFact],
    pub account: Option<&'a AccountFact>,
    /// Other pull secrets of the namespace, which the pod does not list.
    pub namespace_secrets: &'a [SecretFact],
    /// Now, seconds since the epoch.
    pub now: i64,
}

impl Case<'_> {
    /// Does a secret the pod lists hold credentials the kubelet would use for the image?
    fn is_served(&self) -> bool {
        self.pod_secrets.iter().any(|s| s.serves(self.image))
    }

    /// The namespace's other pull secrets that serve the image.
    fn unlisted_serving(&self) -> impl Iterator<Item = &SecretFact> {
        self.namespace_secrets
            .iter()
            .filter(|s| s.serves(self.image))
    }
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
    if let Some(account) = case.account
        && !account.exists
    {
        found.push(account_missing(&account.name));
    }
    found.extend(listed_secret_findings(case));
    let is_about_credentials = case
        .classification
        .is_some_and(|c| is_credential_cause(c.cause));
    if !case.is_served() && is_about_credentials {
        found.extend(registry_findings(case));
    }
    found.extend(docker_hub_finding(case));
    found.extend(expired_tokens(case).map(|(_, finding)| finding));
    found
}

/// The pod's secrets that serve the image and whose token, the one the kubelet would send,
/// has expired: each with its finding.
fn expired_tokens<'a>(case: &'a Case) -> impl Iterator<Item = (&'a SecretFact, Finding)> + 'a {
    let serving = case.pod_secrets.iter().filter(|s| s.serves(case.image));
    serving.filter_map(|secret| {
        let expired_for = expired_seconds(secret, case.image, case.now)?;
        let finding = Finding {
            severity: None,
            fix: None,
            id: "token_expired",
            message: format!(
                "the token in secret {:?} expired {} ago",
                secret.name,
                human_duration(expired_for)
            ),
        };
        Some((secret, finding))
    })
}

/// A pull not tried yet whose every serving credential holds an expired token: those findings,
/// and the fix (a new token in the first of them). The kubelet tries each matching credential
/// and never falls back to an anonymous pull, so one good credential is enough to go on.
pub fn foreseen_expired(case: &Case) -> Option<(Vec<Finding>, String)> {
    let serving = case
        .pod_secrets
        .iter()
        .filter(|s| s.serves(case.image))
        .count();
    let expired: Vec<(&SecretFact, Finding)> = expired_tokens(case).collect();
    let (first, _) = expired.first()?;
    if expired.len() < serving {
        return None;
    }
    let registry = registry_of(case.image);
    let found = Classification {
        cause: Cause::TokenExpired,
        summary: Cause::TokenExpired.summary(),
        registry,
        image: Some(case.image.to_string()),
        evidence: String::new(),
    };
    let context = FixContext {
        namespace: Some(case.namespace),
        secret: &first.name,
    };
    let fix = fix_for(&found, context);
    Some((expired.into_iter().map(|(_, f)| f).collect(), fix))
}

/// A Docker Hub image that none of the pod's pull secrets (that exist and are pull secrets)
/// holds credentials for: the pull is anonymous and counts against Docker Hub's limit per IP
/// address ([`anonymous_docker_hub_pull`]). A warning with its own fix, whatever the failure.
pub(super) fn docker_hub_finding(case: &Case) -> Option<Finding> {
    let image = case.image.parse::<ImageRef>().ok()?;
    let keys: Vec<Vec<&str>> = case
        .pod_secrets
        .iter()
        .filter(|s| s.exists && s.is_pull_secret())
        .map(|s| s.registries.iter().map(String::as_str).collect())
        .collect();
    if !pulls_docker_hub_anonymously(&image, &keys) {
        return None;
    }
    let account = case.account.map_or(DEFAULT_ACCOUNT, |a| a.name.as_str());
    let who = format!("pod {:?}", case.pod);
    let images = [case.image.to_string()];
    let (message, fix) = anonymous_docker_hub_pull(&who, &images, case.namespace, account);
    Some(Finding {
        id: "docker_hub_anonymous",
        message,
        severity: Some("warning"),
        fix: Some(fix),
    })
}

/// The finding of a service account that does not exist.
pub(super) fn account_missing(name: &str) -> Finding {
    Finding {
        severity: None,
        fix: None,
        id: "service_account_missing",
        message: format!("service account {name:?} does not exist"),
    }
}

/// The fix for a service account that does not exist.
pub(super) fn create_account(name: &str, namespace: &str) -> String {
    format!("create the service account: kubectl create serviceaccount {name} -n {namespace}")
}

/// What makes a pull that has not been tried yet go without the credentials meant for it, as
/// findings: secrets the pod lists that are missing or of another type (the kubelet skips
/// them), or a pull secret of the namespace for the image's registry that the pod does not
/// list. Empty when a listed secret serves the image, or nothing says the registry wants
/// credentials.
pub fn foreseen_findings(case: &Case) -> Vec<Finding> {
    if case.is_served() {
        return Vec::new();
    }
    let mut found = listed_secret_findings(case);
    if found.is_empty() && case.unlisted_serving().next().is_none() {
        return found;
    }
    found.extend(registry_findings(case));
    found
}

/// The pod's imagePullSecrets that the kubelet skips: missing, or of another type.
fn listed_secret_findings(case: &Case) -> Vec<Finding> {
    let mut found = Vec::new();
    for secret in case.pod_secrets {
        if !secret.exists {
            found.push(Finding {
                severity: None,
                fix: None,
                id: "secret_missing",
                message: format!(
                    "the pod lists imagePullSecret {:?}, which does not exist",
                    secret.name
                ),
            });
        } else if !secret.is_pull_secret() {
            found.push(Finding {
                severity: None,
                fix: None,
                id: "secret_wrong_type",
                message: format!(
                    "imagePullSecret {:?} has type {:?}; the kubelet reads only kubernetes.io/dockerconfigjson",
                    secret.name,
                    secret.secret_type.as_deref().unwrap_or("")
                ),
            });
        }
    }
    found
}

/// No listed secret serves the image's registry; and which secrets of the namespace would.
fn registry_findings(case: &Case) -> Vec<Finding> {
    let registry = registry_of(case.image).unwrap_or_else(|| "its registry".into());
    let listed: Vec<&str> = case.pod_secrets.iter().map(|s| s.name.as_str()).collect();
    let mut found = vec![Finding {
        severity: None,
        fix: None,
        id: "no_secret_for_registry",
        message: format!(
            "none of the pod's imagePullSecrets holds credentials for {registry} (it lists: {})",
            if listed.is_empty() {
                "none".to_string()
            } else {
                listed.join(", ")
            }
        ),
    }];
    found.extend(case.unlisted_serving().map(|other| Finding {
        severity: None,
        fix: None,
        id: "secret_not_attached",
        message: format!(
            "secret {:?} in this namespace has credentials for {registry}, but the pod does not list it",
            other.name
        ),
    }));
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
        return create_account(account, namespace);
    }
    if let Some(secret) = case.pod_secrets.iter().find(|s| s.serves(case.image))
        && let Some(classification) = case.classification
        && has("token_expired")
    {
        let found = Classification {
            cause: Cause::TokenExpired,
            ..classification.clone()
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
                "create the secret the pod already lists: {}",
                create_command(&missing.name, &server, namespace)
            );
        }
        if let Some(wrong) = case.pod_secrets.iter().find(|s| !s.is_pull_secret()) {
            return format!(
                "replace the secret the pod lists with a pull secret: {}",
                replace_command(&wrong.name, &server, namespace)
            );
        }
        if let Some(other) = case.unlisted_serving().next() {
            let attach = format!(
                "kubectl regcred attach {} -n {namespace} --service-account {account}",
                other.name
            );
            // A pull not tried yet is no stuck pull, which is all --heal restarts.
            return match case.classification {
                Some(_) => format!(
                    "{attach} --heal (--heal restarts the pod's owner: a pod's imagePullSecrets \
                     are fixed when it is created; a pod without one is listed with the command \
                     to recreate it)"
                ),
                None => format!(
                    "{attach}; then recreate pod {} (a pod's imagePullSecrets are fixed when it \
                     is created): kubectl rollout restart its workload, or delete and create a \
                     pod of its own",
                    case.pod
                ),
            };
        }
        return create_and_attach(case, &server, account);
    }
    let Some(classification) = case.classification else {
        return create_and_attach(case, &server, account);
    };
    if is_credential_cause(classification.cause)
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
        classification,
        FixContext {
            namespace: Some(namespace),
            secret: "regcred",
        },
    )
}

/// The finding of a container that will pull `image` from Docker Hub with no credentials, and
/// the fix: a Docker Hub pull secret attached to the service account `account` of its pods.
/// `who` names the puller (`pod "web"`, `deployment/web`).
pub fn anonymous_docker_hub_pull(
    who: &str,
    images: &[String],
    namespace: &str,
    account: &str,
) -> (String, String) {
    let message = format!(
        "{who} pulls {} from Docker Hub with no credentials: {}; past the limit its pulls fail \
         with 429 Too Many Requests (toomanyrequests)",
        images.join(", "),
        crate::registry::DOCKER_HUB_LIMITS
    );
    let account = match account {
        DEFAULT_ACCOUNT => String::new(),
        other => format!(" --service-account {other}"),
    };
    let fix = format!(
        "pull with a Docker Hub account: kubectl regcred create dockerhub --server docker.io \
         --username USER --password-stdin -n {namespace} --attach{account}"
    );
    (message, fix)
}

/// The command that creates pull secret `name` for a registry (`server`: ` --server HOST`, or
/// empty for Docker Hub) in `namespace`.
pub fn create_command(name: &str, server: &str, namespace: &str) -> String {
    format!("kubectl regcred create {name}{server} --username USER --password-stdin -n {namespace}")
}

/// The commands that replace secret `name`, of a type the kubelet does not read, with a pull
/// secret of the same name ([`create_command`]).
pub fn replace_command(name: &str, server: &str, namespace: &str) -> String {
    format!(
        "kubectl delete secret {name} -n {namespace} && {}",
        create_command(name, server, namespace)
    )
}

/// A new pull secret for the image's registry, attached to the pod's service account, and the
/// pod's owner restarted.
fn create_and_attach(case: &Case, server: &str, account: &str) -> String {
    format!(
        "kubectl regcred create regcred{server} --username USER --password-stdin -n {} \
         --attach --service-account {account} --heal (--heal restarts the pod's owner: a \
         pod's imagePullSecrets are fixed when it is created; a pod without one is listed \
         with the command to recreate it)",
        case.namespace
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
            classification: Some(&classification),
            pod_secrets: pod,
            account: Some(&account),
            namespace_secrets: others,
            now,
        };
        let found = findings(&case);
        let fix = fix(&case, &found);
        (found.iter().map(|f| f.id).collect(), fix)
    }

    /// The findings and fix of a pull not tried yet.
    fn foreseen(pod: &[SecretFact], others: &[SecretFact]) -> (Vec<&'static str>, String) {
        let account = account();
        let case = Case {
            namespace: "team-a",
            pod: "web-1",
            image: "ghcr.io/acme/app:1.0",
            classification: None,
            pod_secrets: pod,
            account: Some(&account),
            namespace_secrets: others,
            now: 0,
        };
        let found = foreseen_findings(&case);
        let fix = fix(&case, &found);
        (found.iter().map(|f| f.id).collect(), fix)
    }

    #[test]
    fn an_anonymous_docker_hub_pull_is_a_warning_with_its_own_fix() {
        const NO_NETWORK: &str = r#"Failed to pull image "docker.io/library/busybox:1.36": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/busybox:1.36": failed to resolve reference "docker.io/library/busybox:1.36": failed to do request: Head "https://registry-1.docker.io/v2/library/busybox/manifests/1.36": dial tcp: lookup registry-1.docker.io: no such host"#;
        let image = "docker.io/library/busybox:1.36";
        let classification = classify(Some("ErrImagePull"), &[NO_NETWORK]);
        let account = account();
        let (gh, hub) = (
            secret("gh", &["ghcr.io"]),
            secret("hub", &["https://index.docker.io/v1/"]),
        );
        let case = |pod_secrets| Case {
            namespace: "team-a",
            pod: "web-1",
            image,
            classification: Some(&classification),
            pod_secrets,
            account: Some(&account),
            namespace_secrets: &[],
            now: 0,
        };
        let without = [gh.clone(), missing("hub")];
        let found = findings(&case(&without));
        let hub_finding = found
            .iter()
            .find(|f| f.id == "docker_hub_anonymous")
            .unwrap();
        assert_eq!(hub_finding.severity, Some("warning"));
        assert!(
            hub_finding.message.contains("10 anonymous pulls an hour"),
            "{}",
            hub_finding.message
        );
        assert_eq!(
            hub_finding.fix.as_deref(),
            Some(
                "pull with a Docker Hub account: kubectl regcred create dockerhub --server \
                 docker.io --username USER --password-stdin -n team-a --attach"
            )
        );
        // The failure keeps its own fix.
        assert!(!fix(&case(&without), &found).contains("dockerhub"));
        let with = [gh, hub];
        assert!(
            findings(&case(&with))
                .iter()
                .all(|f| f.id != "docker_hub_anonymous")
        );
    }

    #[test]
    fn a_pull_not_tried_yet_is_foreseen_only_when_its_credentials_are_missing() {
        let gh = || secret("gh", &["ghcr.io"]);
        let wrong_type = SecretFact {
            secret_type: Some("Opaque".into()),
            ..secret("gh-opaque", &[])
        };
        // A listed secret that serves the image: the pull has its credentials.
        assert!(foreseen(&[gh(), missing("old")], &[]).0.is_empty());
        // No secret anywhere for the registry: a public image, presumably.
        assert!(foreseen(&[], &[secret("quay", &["quay.io"])]).0.is_empty());
        let (ids, fix) = foreseen(&[missing("ghcr-pull")], &[]);
        assert_eq!(ids, ["secret_missing", "no_secret_for_registry"]);
        assert!(
            fix.starts_with("create the secret the pod already lists: kubectl regcred create ghcr-pull --server ghcr.io"),
            "{fix}"
        );
        let (ids, fix) = foreseen(&[wrong_type], &[]);
        assert_eq!(ids, ["secret_wrong_type", "no_secret_for_registry"]);
        assert_eq!(
            fix,
            "replace the secret the pod lists with a pull secret: kubectl delete secret \
             gh-opaque -n team-a && kubectl regcred create gh-opaque --server ghcr.io --username \
             USER --password-stdin -n team-a"
        );
        let (ids, fix) = foreseen(&[], &[gh()]);
        assert_eq!(ids, ["no_secret_for_registry", "secret_not_attached"]);
        // --heal restarts only what is stuck on a pull: the pod is to be made again.
        assert!(
            fix.starts_with(
                "kubectl regcred attach gh -n team-a --service-account default; then recreate \
                 pod web-1"
            ),
            "{fix}"
        );
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
