//! What the API server's admission and defaulting do to a pod before the kubelet sees it, as far
//! as pulls go. Pure.
//!
//! - The ServiceAccount admission plugin (kubernetes 1.20,
//!   `plugin/pkg/admission/serviceaccount/admission.go`): a pod that names no service account
//!   runs as `default`; the account must exist or the pod is refused; and only when the pod lists
//!   no imagePullSecrets at all (`len(pod.Spec.ImagePullSecrets) == 0`) are the account's copied
//!   into it. A pod that exists has its list fixed from then on.
//! - Defaulting (`SetDefaults_Container`): a container without `imagePullPolicy` gets `Always`
//!   when its image's tag is `latest` (also when it names neither tag nor digest), else
//!   `IfNotPresent`.

use k8s_openapi::api::core::v1::{PodSpec, ServiceAccount};
use serde::Serialize;

use crate::registry::ImageRef;

/// Where a pod's pull secrets come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// An existing pod: its list was fixed when it was admitted.
    Pod,
    /// The pod template (or manifest) lists some: admission leaves them as they are.
    Template,
    /// The template lists none: admission copies the service account's.
    ServiceAccount,
    /// Neither the template nor its service account lists any.
    None,
}

/// The pull secrets the kubelet is handed for a pod, and where they come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PullSecretList {
    pub names: Vec<String>,
    pub from: Origin,
    /// The service account the pods run as.
    pub service_account: String,
    /// Whether it exists; none when it was not needed (an existing pod).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_account_exists: Option<bool>,
}

/// The service account of `spec`: `serviceAccountName`, else `default`
/// ([`crate::diagnose::collect::service_account_of`]).
pub fn account_of(spec: &PodSpec) -> String {
    crate::diagnose::collect::service_account_of(spec)
}

/// The pull secrets the kubelet gets for a pod of `spec`: an existing (`admitted`) pod's own,
/// else what the ServiceAccount admission plugin would leave or add. `account` is the service
/// account, none when it does not exist (then the API server refuses the pods, and the template's
/// own list is all there is to show). Names that are empty are left out (no secret has one).
///
/// ```
/// use k8s_openapi::api::core::v1::{LocalObjectReference, PodSpec, ServiceAccount};
/// use kubectl_regcred::explain::admission::{Origin, pull_secrets};
/// let account = ServiceAccount {
///     image_pull_secrets: Some(vec![LocalObjectReference { name: "from-sa".into() }]),
///     ..Default::default()
/// };
/// let template = PodSpec::default();
/// let list = pull_secrets(&template, false, Some(&account));
/// assert_eq!((list.names, list.from), (vec!["from-sa".to_string()], Origin::ServiceAccount));
/// ```
pub fn pull_secrets(
    spec: &PodSpec,
    admitted: bool,
    account: Option<&ServiceAccount>,
) -> PullSecretList {
    let names_in = crate::diagnose::collect::pull_secret_names;
    let service_account = account_of(spec);
    let listed = spec.image_pull_secrets.as_ref();
    if admitted {
        return PullSecretList {
            names: names_in(listed),
            from: Origin::Pod,
            service_account,
            service_account_exists: None,
        };
    }
    let service_account_exists = Some(account.is_some());
    // As admission.go: any entry at all, even one with an empty name, keeps the account's out.
    if listed.is_some_and(|list| !list.is_empty()) {
        return PullSecretList {
            names: names_in(listed),
            from: Origin::Template,
            service_account,
            service_account_exists,
        };
    }
    let names = names_in(account.and_then(|a| a.image_pull_secrets.as_ref()));
    let from = match names.is_empty() {
        true => Origin::None,
        false => Origin::ServiceAccount,
    };
    PullSecretList {
        names,
        from,
        service_account,
        service_account_exists,
    }
}

/// A container's image pull policy, and what it means for the pull.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PullPolicy {
    /// `Always`, `IfNotPresent` or `Never`.
    pub policy: String,
    /// Not written in the spec: the API server's default.
    pub defaulted: bool,
    pub meaning: String,
}

/// The pull policy of a container: as written, else as the API server defaults it for `image`.
pub fn pull_policy(written: Option<&str>, image: Option<&ImageRef>) -> PullPolicy {
    let (policy, defaulted) = match written.filter(|p| !p.is_empty()) {
        Some(policy) => (policy.to_string(), false),
        None => {
            let is_latest = image.is_some_and(|i| i.tag() == Some("latest"));
            let policy = if is_latest { "Always" } else { "IfNotPresent" };
            (policy.to_string(), true)
        }
    };
    let meaning = match policy.as_str() {
        "Always" => "the kubelet pulls on every container start, with the credentials below",
        "IfNotPresent" => {
            "the kubelet pulls only when the image is not on the node yet: an image already \
             there starts with no credential checked at all"
        }
        "Never" => {
            "the kubelet never pulls: the image must already be on the node (else \
             ErrImageNeverPull), and no credential below is used"
        }
        _ => "not a policy the API server accepts (Always, IfNotPresent, Never)",
    }
    .to_string();
    PullPolicy {
        policy,
        defaulted,
        meaning,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::LocalObjectReference;

    fn refs(names: &[&str]) -> Option<Vec<LocalObjectReference>> {
        Some(
            names
                .iter()
                .map(|n| LocalObjectReference {
                    name: n.to_string(),
                })
                .collect(),
        )
    }

    fn account(names: &[&str]) -> ServiceAccount {
        ServiceAccount {
            image_pull_secrets: refs(names),
            ..Default::default()
        }
    }

    #[test]
    fn admission_adds_the_accounts_secrets_only_to_pods_that_list_none() {
        let sa = account(&["sa-secret"]);
        let none = PodSpec::default();
        let list = pull_secrets(&none, false, Some(&sa));
        assert_eq!(list.names, ["sa-secret"]);
        assert_eq!(list.from, Origin::ServiceAccount);
        assert_eq!(list.service_account, "default");

        let own = PodSpec {
            image_pull_secrets: refs(&["own"]),
            service_account_name: Some("builder".into()),
            ..Default::default()
        };
        let list = pull_secrets(&own, false, Some(&sa));
        assert_eq!(
            (list.names, list.from),
            (vec!["own".into()], Origin::Template)
        );
        assert_eq!(list.service_account, "builder");

        // An empty list is no list; a list of one empty name is one (len 1 in admission.go).
        let empty = PodSpec {
            image_pull_secrets: Some(vec![]),
            ..Default::default()
        };
        assert_eq!(
            pull_secrets(&empty, false, Some(&sa)).from,
            Origin::ServiceAccount
        );
        let blank = PodSpec {
            image_pull_secrets: refs(&[""]),
            ..Default::default()
        };
        let list = pull_secrets(&blank, false, Some(&sa));
        assert_eq!(list.from, Origin::Template);
        assert!(list.names.is_empty());
    }

    #[test]
    fn an_existing_pod_keeps_its_own_list() {
        let sa = account(&["sa-secret"]);
        let list = pull_secrets(&PodSpec::default(), true, Some(&sa));
        assert_eq!(list.from, Origin::Pod);
        assert!(list.names.is_empty());
        assert_eq!(list.service_account_exists, None);
    }

    #[test]
    fn a_missing_account_adds_nothing() {
        let list = pull_secrets(&PodSpec::default(), false, None);
        assert_eq!(list.from, Origin::None);
        assert_eq!(list.service_account_exists, Some(false));
        let list = pull_secrets(&PodSpec::default(), false, Some(&account(&[])));
        assert_eq!(list.from, Origin::None);
    }

    #[test]
    fn pull_policy_defaults_as_the_api_server() {
        let image = |s: &str| ImageRef::parse(s).unwrap();
        let cases = [
            ("nginx", "Always"),
            ("nginx:latest", "Always"),
            ("nginx:1.27", "IfNotPresent"),
            (
                "nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000",
                "IfNotPresent",
            ),
        ];
        for (img, want) in cases {
            let policy = pull_policy(None, Some(&image(img)));
            assert_eq!(
                (policy.policy.as_str(), policy.defaulted),
                (want, true),
                "{img}"
            );
        }
        let never = pull_policy(Some("Never"), Some(&image("nginx")));
        assert_eq!(never.policy, "Never");
        assert!(!never.defaulted);
        assert!(never.meaning.contains("never pulls"));
    }
}
