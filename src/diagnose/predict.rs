//! Pulls that have not been tried yet, but cannot go as meant: a pending pod whose pull will go
//! without the credentials meant for it, a workload whose pods cannot even be created. Pure:
//! the facts come from `collect`, findings and fixes from `facts`.

use serde::Serialize;

use super::collect::Template;
use super::facts::{self, Case, Finding, SecretFact};

/// Why a pull that has not been tried yet is bound to go wrong.
///
/// The serialised names (`pull_without_credentials`, ...) are part of the JSON output (`cause`
/// of `predicted`) and are never renamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Foreseen {
    /// The kubelet will find no credentials for the image's registry among the pod's
    /// imagePullSecrets, though the pod lists some or the namespace has them.
    PullWithoutCredentials,
    /// The workload's pods run as a service account that does not exist, so the API server
    /// refuses to create them (the controller's `FailedCreate` events).
    PodsNotCreated,
    /// Every credential the kubelet will find for the image's registry holds a token that has
    /// expired (the secret's annotation, the provider's lifetime, a JWT's `exp`).
    TokenExpired,
}

impl Foreseen {
    /// The stable snake_case name, as serialised.
    pub const fn as_str(self) -> &'static str {
        match self {
            Foreseen::PullWithoutCredentials => "pull_without_credentials",
            Foreseen::PodsNotCreated => "pods_not_created",
            Foreseen::TokenExpired => "token_expired",
        }
    }

    /// One or two plain sentences for a person: what will happen and why.
    pub const fn summary(self) -> &'static str {
        match self {
            Foreseen::PullWithoutCredentials => {
                "The image has not been pulled yet, and when it is, the kubelet will have no \
                 credentials for its registry: it skips pull secrets that are missing or of \
                 another type, and uses only those the pod lists. The pull will go anonymous, \
                 which a private registry refuses."
            }
            Foreseen::PodsNotCreated => {
                "The workload cannot create its pods: they run as a service account that does \
                 not exist, so the API server refuses every one, and no image is ever pulled."
            }
            Foreseen::TokenExpired => {
                "The image has not been pulled yet, and the token the kubelet will send for its \
                 registry has expired: the registry will refuse it, and the kubelet does not \
                 fall back to an anonymous pull when credentials match."
            }
        }
    }
}

/// What a pull not tried yet will meet, when it is bound to fail: it will go without the
/// credentials meant for it ([`facts::foreseen_findings`]), or with expired ones only
/// ([`facts::foreseen_expired`]). Its findings and fix.
pub fn for_container(case: &Case) -> Option<(Foreseen, Vec<Finding>, String)> {
    let mut findings = facts::foreseen_findings(case);
    if findings.is_empty() {
        let (findings, fix) = facts::foreseen_expired(case)?;
        return Some((Foreseen::TokenExpired, findings, fix));
    }
    let fix = facts::fix(case, &findings);
    // Its own warning, with its own fix: the pull will go anonymous to Docker Hub.
    findings.extend(facts::docker_hub_finding(case));
    Some((Foreseen::PullWithoutCredentials, findings, fix))
}

/// What a workload with pods left to create will meet when its service account does not
/// exist: that finding, and the fix (create the account; and where the namespace has a pull
/// secret for its images that the template does not list, attach it to the new account).
pub fn for_template(
    template: &Template,
    account_exists: bool,
    namespace_secrets: &[SecretFact],
) -> Option<(Vec<Finding>, String)> {
    if account_exists {
        return None;
    }
    let (account, namespace) = (&template.service_account, &template.namespace);
    let mut fix = facts::create_account(account, namespace);
    let unserved = |image: &&String| {
        let listed = |s: &&SecretFact| template.pod_secrets.contains(&s.name);
        !namespace_secrets
            .iter()
            .filter(listed)
            .any(|s| s.serves(image))
    };
    let serving = template.images.iter().filter(unserved).find_map(|image| {
        namespace_secrets
            .iter()
            .find(|s| !template.pod_secrets.contains(&s.name) && s.serves(image))
    });
    if let Some(secret) = serving {
        fix.push_str(&format!(
            "; then give it the pull secret: kubectl regcred attach {} -n {namespace} \
             --service-account {account}",
            secret.name
        ));
    }
    Some((vec![facts::account_missing(account)], fix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(account: &str, secrets: &[&str]) -> Template {
        Template {
            namespace: "team-a".into(),
            workload: "deployment/web".into(),
            service_account: account.into(),
            pod_secrets: secrets.iter().map(|s| s.to_string()).collect(),
            images: vec!["ghcr.io/acme/app:1".into()],
        }
    }

    fn pull_secret(name: &str, registry: &str) -> SecretFact {
        SecretFact {
            name: name.into(),
            exists: true,
            secret_type: Some("kubernetes.io/dockerconfigjson".into()),
            registries: vec![registry.into()],
            expiry: Default::default(),
            jwt_expires_at: Default::default(),
        }
    }

    #[test]
    fn a_missing_service_account_means_no_pods_and_is_created() {
        let (findings, fix) = for_template(&template("builder", &[]), false, &[]).unwrap();
        assert_eq!(findings[0].id, "service_account_missing");
        assert_eq!(
            fix,
            "create the service account: kubectl create serviceaccount builder -n team-a"
        );
        assert!(for_template(&template("builder", &[]), true, &[]).is_none());
    }

    #[test]
    fn the_namespace_pull_secret_for_its_images_is_attached_to_the_new_account() {
        let secrets = [pull_secret("gh", "ghcr.io"), pull_secret("quay", "quay.io")];
        let (_, fix) = for_template(&template("builder", &[]), false, &secrets).unwrap();
        assert!(
            fix.ends_with(
                "; then give it the pull secret: kubectl regcred attach gh -n team-a \
                 --service-account builder"
            ),
            "{fix}"
        );
        // The template lists it already: nothing to attach.
        let (_, fix) = for_template(&template("builder", &["gh"]), false, &secrets).unwrap();
        assert!(!fix.contains("attach"), "{fix}");
    }

    #[test]
    fn a_foreseen_anonymous_pull_from_docker_hub_is_also_a_warning() {
        let missing = SecretFact {
            exists: false,
            secret_type: None,
            registries: vec![],
            ..pull_secret("hub", "")
        };
        let account = facts::AccountFact {
            name: "default".into(),
            exists: true,
            pull_secrets: vec![],
        };
        let case = |image| Case {
            namespace: "team-a",
            pod: "web-1",
            image,
            classification: None,
            pod_secrets: std::slice::from_ref(&missing),
            account: Some(&account),
            namespace_secrets: &[],
            now: 0,
        };
        let (cause, findings, fix) = for_container(&case("busybox:1.36")).unwrap();
        assert_eq!(cause, Foreseen::PullWithoutCredentials);
        let ids: Vec<&str> = findings.iter().map(|f| f.id).collect();
        assert_eq!(
            ids,
            [
                "secret_missing",
                "no_secret_for_registry",
                "docker_hub_anonymous"
            ]
        );
        assert!(
            fix.starts_with("create the secret the pod already lists"),
            "{fix}"
        );
        let (_, findings, _) = for_container(&case("ghcr.io/acme/app:1")).unwrap();
        assert!(findings.iter().all(|f| f.id != "docker_hub_anonymous"));
    }

    #[test]
    fn a_pull_whose_every_credential_has_expired_is_foreseen_and_one_good_one_is_enough() {
        const NOW: i64 = 1_795_000_000;
        let with_jwt = |name: &str, exp: Option<i64>| {
            let mut fact = pull_secret(name, "quay.io");
            fact.jwt_expires_at = exp
                .map(|at| ("quay.io".to_string(), at))
                .into_iter()
                .collect();
            fact
        };
        let account = facts::AccountFact {
            name: "default".into(),
            exists: true,
            pull_secrets: vec![],
        };
        let predict = |secrets: &[SecretFact]| {
            let case = Case {
                namespace: "team-a",
                pod: "web-1",
                image: "quay.io/acme/app:1",
                classification: None,
                pod_secrets: secrets,
                account: Some(&account),
                namespace_secrets: secrets,
                now: NOW,
            };
            for_container(&case)
        };
        let expired = with_jwt("quay", Some(NOW - 3 * 3600));
        let (cause, findings, fix) = predict(std::slice::from_ref(&expired)).unwrap();
        assert_eq!(cause, Foreseen::TokenExpired);
        let ids: Vec<&str> = findings.iter().map(|f| f.id).collect();
        assert_eq!(ids, ["token_expired"]);
        assert!(
            findings[0].message.contains("expired 3h ago"),
            "{findings:?}"
        );
        assert_eq!(
            fix,
            "refresh the token in the pull secret: kubectl regcred create quay --server quay.io \
             --username USER --password-stdin -n team-a --attach --heal"
        );
        // Another credential for the registry still valid, or no expiry known: nothing foreseen.
        let valid = with_jwt("quay-2", Some(NOW + 3600));
        assert!(predict(&[expired.clone(), valid]).is_none());
        assert!(predict(&[with_jwt("quay", None)]).is_none());
    }

    #[test]
    fn names_are_stable() {
        for (cause, name) in [
            (Foreseen::PullWithoutCredentials, "pull_without_credentials"),
            (Foreseen::PodsNotCreated, "pods_not_created"),
            (Foreseen::TokenExpired, "token_expired"),
        ] {
            assert_eq!(
                serde_json::to_string(&cause).unwrap(),
                format!("\"{name}\"")
            );
            assert_eq!(cause.as_str(), name);
        }
    }
}
