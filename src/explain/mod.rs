//! `explain`: for every image of a pod or workload, which pull-secret credentials the kubelet
//! will try, in its order, and why; which entries it will not try, and why; whether the pull
//! goes anonymous; and what cannot be seen from the API server. Pure, but for [`verify`].
//!
//! The facts come from the kubelet 1.20 and the API server:
//! - the pod's pull secrets: [`admission`] (the ServiceAccount admission plugin);
//! - listed secrets that are missing, or not of a pull-secret type, are skipped
//!   (`getPullSecretsForPod`, `MakeDockerKeyring`); a pull secret the kubelet cannot read fails
//!   every pull of the pod ([`crate::dockerconfig::stored`]);
//! - the order: [`crate::registry::keyring_lookup`] (`BasicDockerKeyring.Lookup`);
//! - `kuberuntime_image.go` `PullImage`: with no credential for the image, one anonymous pull;
//!   with credentials, each in order until one works, and no anonymous pull after they fail.
//!   The node's own credentials (credential providers, the kubelet's config.json) are tried
//!   after the pod's (`UnionDockerKeyring`): they are not visible from the API server.

pub mod admission;
pub mod subject;
mod verify;

use k8s_openapi::api::core::v1::{Secret, ServiceAccount};
use serde::Serialize;

use crate::dockerconfig::stored::StoredConfig;
use crate::registry::{
    DOCKER_HUB_LIMITS, ImageRef, KeyMatch, KeyMismatch, ProbeResult, keyring_lookup,
};

pub use admission::{Origin, PullPolicy, PullSecretList};
pub use subject::{Kind, ManifestError, ObjectName, Subject, subject_of, subjects_in};
pub use verify::verify;

/// What `explain` cannot see from the API server, said once per report.
pub const CANNOT_SEE: [&str; 4] = [
    "credentials of the node itself: a kubelet credential provider, or a config.json of the \
     kubelet (/var/lib/kubelet/config.json and others); the kubelet tries them after the pod's",
    "images already on the node: with IfNotPresent or Never such an image starts with no pull \
     and no credential checked",
    "the container runtime's own registry configuration (mirrors, hosts.toml, CA certificates), \
     which may send the pull elsewhere",
    "admission webhooks or policies that change imagePullSecrets or images when pods are created",
];

/// The answer of `explain`: one entry per object.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainReport {
    pub objects: Vec<Explained>,
    /// What the answer cannot take into account.
    pub cannot_see: Vec<String>,
}

/// One pod or workload explained.
#[derive(Debug, Clone, Serialize)]
pub struct Explained {
    /// `deployment/web`, `pod/web-1`.
    pub object: String,
    pub namespace: String,
    /// `cluster` or the manifest's file name (`-` for stdin).
    pub source: String,
    pub pull_secrets: PullSecretList,
    /// Each listed secret, as the kubelet finds it.
    pub secrets: Vec<SecretState>,
    /// Object-wide warnings (a missing service account, an unreadable secret).
    pub warnings: Vec<String>,
    /// One per container image: init, regular, ephemeral, in that order.
    pub images: Vec<ImageExplained>,
}

/// How the kubelet finds a listed pull secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretStatus {
    /// A pull secret it reads.
    Usable,
    /// Not in the namespace: the kubelet skips it.
    Missing,
    /// Not of type kubernetes.io/dockerconfigjson or dockercfg: the kubelet skips it.
    WrongType,
    /// A pull secret it cannot read: every pull of the pod fails.
    Unreadable,
}

/// A listed pull secret.
#[derive(Debug, Clone, Serialize)]
pub struct SecretState {
    pub name: String,
    pub status: SecretStatus,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub secret_type: Option<String>,
    /// What it means for the pull, unless it is usable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The keys it holds, as written.
    pub keys: Vec<String>,
}

/// Which part of the pod a container is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContainerKind {
    Init,
    Regular,
    Ephemeral,
}

impl ContainerKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            ContainerKind::Init => "init container",
            ContainerKind::Regular => "container",
            ContainerKind::Ephemeral => "ephemeral container",
        }
    }
}

/// One container's image explained.
#[derive(Debug, Clone, Serialize)]
pub struct ImageExplained {
    pub container: String,
    pub kind: ContainerKind,
    pub image: String,
    /// The registry as the image names it; none for an image that does not parse.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
    /// Why the image reference is invalid (the kubelet: InvalidImageName).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid: Option<String>,
    pub pull_policy: PullPolicy,
    /// The credentials tried, in the kubelet's order.
    pub credentials: Vec<Credential>,
    /// Entries of the pod's pull secrets that are not tried for this image.
    pub not_matching: Vec<NotMatching>,
    /// The kubelet pulls without credentials: no entry of the pod's secrets matches.
    pub anonymous: bool,
    /// What happens when no credential works, or there is none.
    pub fallback: String,
    /// An anonymous pull from Docker Hub, which is rate-limited.
    pub docker_hub_rate_limited: bool,
    pub warnings: Vec<String>,
    /// With `--verify`: what the registry answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified: Option<Verified>,
}

/// One credential the kubelet tries.
#[derive(Debug, Clone, Serialize)]
pub struct Credential {
    /// 1 for the first tried.
    pub order: usize,
    pub secret: String,
    /// The key as written in the secret.
    pub key: String,
    /// The user the entry holds; none for an entry without credentials (the runtime then
    /// pulls anonymously with it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(rename = "match")]
    pub matched: KeyMatch,
    /// `matched` in words.
    pub reason: String,
    /// With `--verify`: the registry's answer to these credentials.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify: Option<ProbeResult>,
}

/// An entry that is not tried for an image.
#[derive(Debug, Clone, Serialize)]
pub struct NotMatching {
    pub secret: String,
    pub key: String,
    pub mismatch: KeyMismatch,
    /// `mismatch` in words.
    pub reason: String,
}

/// What `--verify` found for one image.
#[derive(Debug, Clone, Serialize)]
pub struct Verified {
    /// The first credential (its `order`) the registry serves the image to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_working: Option<usize>,
    /// The answer to an anonymous pull, asked when no credential works or none matches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anonymous: Option<ProbeResult>,
    /// Whether the kubelet's pull would succeed.
    pub pulls: bool,
    pub summary: String,
}

/// A listed secret as the kubelet finds it, with the content it reads.
#[derive(Debug, Clone)]
pub enum SecretRead {
    Missing,
    WrongType(String),
    Unreadable {
        secret_type: String,
        reason: String,
    },
    Usable {
        secret_type: String,
        config: StoredConfig,
    },
}

impl SecretRead {
    /// How the kubelet reads `secret` (none: not found).
    pub fn of(secret: Option<&Secret>) -> Self {
        let Some(secret) = secret else {
            return SecretRead::Missing;
        };
        let secret_type = secret.type_.clone().unwrap_or_else(|| "Opaque".into());
        match StoredConfig::of_secret(secret) {
            None => SecretRead::WrongType(secret_type),
            Some(Err(err)) => SecretRead::Unreadable {
                secret_type,
                reason: err.to_string(),
            },
            Some(Ok(config)) => match config.unreadable() {
                Some(err) => SecretRead::Unreadable {
                    secret_type,
                    reason: err.to_string(),
                },
                None => SecretRead::Usable {
                    secret_type,
                    config,
                },
            },
        }
    }

    fn config(&self) -> Option<&StoredConfig> {
        match self {
            SecretRead::Usable { config, .. } => Some(config),
            _ => None,
        }
    }
}

/// The pull secrets of a subject, read: `(name, how the kubelet finds it)`, in list order.
pub type Secrets = Vec<(String, SecretRead)>;

/// Explains `subject` in `namespace`. `account`: its service account (none when missing);
/// `secrets`: each name of [`admission::pull_secrets`]' list, read.
pub fn explain(
    subject: &Subject,
    namespace: &str,
    source: &str,
    account: Option<&ServiceAccount>,
    secrets: &Secrets,
) -> Explained {
    let pull_secrets = admission::pull_secrets(&subject.spec, subject.admitted, account);
    let mut warnings = Vec::new();
    if pull_secrets.service_account_exists == Some(false) {
        warnings.push(format!(
            "service account {:?} does not exist: the API server refuses to create the pods \
             (admission), so nothing is pulled",
            pull_secrets.service_account
        ));
    }
    let states: Vec<SecretState> = secrets.iter().map(|(n, r)| secret_state(n, r)).collect();
    for state in &states {
        if state.status == SecretStatus::Unreadable {
            warnings.push(format!(
                "secret {:?} cannot be read by the kubelet ({}): every pull of the pod fails \
                 before any credential is tried",
                state.name,
                state.detail.as_deref().unwrap_or_default()
            ));
        }
    }
    let spec = &subject.spec;
    let containers = (spec.init_containers.iter().flatten())
        .map(|c| (ContainerKind::Init, &c.name, &c.image, &c.image_pull_policy))
        .chain(spec.containers.iter().map(|c| {
            (
                ContainerKind::Regular,
                &c.name,
                &c.image,
                &c.image_pull_policy,
            )
        }))
        .chain((spec.ephemeral_containers.iter().flatten()).map(|c| {
            (
                ContainerKind::Ephemeral,
                &c.name,
                &c.image,
                &c.image_pull_policy,
            )
        }));
    let images = containers
        .map(|(kind, name, image, policy)| {
            let image = image.clone().unwrap_or_default();
            explain_image(name, kind, &image, policy.as_deref(), secrets)
        })
        .collect();
    Explained {
        object: subject.object(),
        namespace: namespace.to_string(),
        source: source.to_string(),
        pull_secrets,
        secrets: states,
        warnings,
        images,
    }
}

fn secret_state(name: &str, read: &SecretRead) -> SecretState {
    let (status, secret_type, detail) = match read {
        SecretRead::Missing => (
            SecretStatus::Missing,
            None,
            Some("not found: the kubelet skips it".to_string()),
        ),
        SecretRead::WrongType(t) => (
            SecretStatus::WrongType,
            Some(t.clone()),
            Some(format!(
                "type {t} is not a pull secret type: the kubelet skips it"
            )),
        ),
        SecretRead::Unreadable {
            secret_type,
            reason,
        } => (
            SecretStatus::Unreadable,
            Some(secret_type.clone()),
            Some(reason.clone()),
        ),
        SecretRead::Usable { secret_type, .. } => {
            (SecretStatus::Usable, Some(secret_type.clone()), None)
        }
    };
    SecretState {
        name: name.to_string(),
        status,
        secret_type,
        detail,
        keys: read
            .config()
            .map(|c| c.keys().map(str::to_string).collect())
            .unwrap_or_default(),
    }
}

/// One container's image: the lookup over the usable secrets, and what follows from it.
fn explain_image(
    container: &str,
    kind: ContainerKind,
    image: &str,
    policy: Option<&str>,
    secrets: &Secrets,
) -> ImageExplained {
    let parsed = ImageRef::parse(image);
    let pull_policy = admission::pull_policy(policy, parsed.as_ref().ok());
    let mut explained = ImageExplained {
        container: container.to_string(),
        kind,
        image: image.to_string(),
        registry: None,
        invalid: None,
        pull_policy,
        credentials: Vec::new(),
        not_matching: Vec::new(),
        anonymous: false,
        fallback: String::new(),
        docker_hub_rate_limited: false,
        warnings: Vec::new(),
        verified: None,
    };
    let image = match parsed {
        Ok(image) => image,
        Err(err) => {
            explained.invalid = Some(err.to_string());
            explained.fallback = "the kubelet cannot pull an invalid reference \
                (InvalidImageName): no credential is tried"
                .to_string();
            return explained;
        }
    };
    explained.registry = Some(image.registry().to_string());
    // Only the secrets the kubelet reads take part; their indexes map back into `secrets`.
    let usable: Vec<(usize, &StoredConfig)> = (secrets.iter().enumerate())
        .filter_map(|(i, (_, read))| read.config().map(|c| (i, c)))
        .collect();
    let keys: Vec<Vec<&str>> = usable.iter().map(|(_, c)| c.keys().collect()).collect();
    let lookup = keyring_lookup(&image, &keys);
    for (order, tried) in lookup.tried.into_iter().enumerate() {
        let (index, config) = usable[tried.secret];
        let user = (config.entries().iter())
            .find(|entry| entry.key == tried.key)
            .and_then(|entry| entry.credentials())
            .map(|credentials| credentials.username.clone());
        if user.is_none() {
            explained.warnings.push(format!(
                "secret {:?} key {} holds no user or password: that attempt is anonymous",
                secrets[index].0, tried.key
            ));
        }
        explained.credentials.push(Credential {
            order: order + 1,
            secret: secrets[index].0.clone(),
            key: tried.key.to_string(),
            user,
            reason: tried.why.to_string(),
            matched: tried.why,
            verify: None,
        });
    }
    explained.not_matching = (lookup.untried.into_iter())
        .map(|untried| NotMatching {
            secret: secrets[usable[untried.secret].0].0.clone(),
            key: untried.key.to_string(),
            reason: untried.why.to_string(),
            mismatch: untried.why,
        })
        .collect();
    explained.anonymous = explained.credentials.is_empty();
    explained.fallback = match explained.anonymous {
        true => format!(
            "no entry of the pod's pull secrets matches {}: the kubelet pulls anonymously \
             (unless the node has credentials of its own for it)",
            image.name()
        ),
        false => "if every credential above fails, the pull fails: the kubelet (1.20) does \
            not fall back to an anonymous pull once credentials match"
            .to_string(),
    };
    if explained.anonymous && image.is_docker_hub() {
        explained.docker_hub_rate_limited = true;
        explained.warnings.push(format!(
            "anonymous pull from Docker Hub, which is rate-limited ({DOCKER_HUB_LIMITS}); give the \
             pod a pull secret for docker.io to pull as a user"
        ));
    }
    explained
}

#[cfg(test)]
mod tests;
