//! Reads what a diagnosis needs from the cluster: failing pods, their events, the pull secrets
//! and service accounts involved. Lists are paginated and read once per scope, never per pod.

use std::collections::{HashMap, HashSet};

use k8s_openapi::api::core::v1::{
    ContainerStatus, Event, LocalObjectReference, Pod, PodSpec, Secret, ServiceAccount,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use kube::api::{Api, ListParams};

use super::facts::{AccountFact, SecretFact};
use crate::cluster::accounts::DEFAULT_ACCOUNT;
use crate::cluster::pages::for_each_page;
use crate::cluster::{Cluster, ClusterError};
use crate::dockerconfig::DockerConfig;
use crate::dockerconfig::stored::{Layout, StoredConfig};
use crate::expiry::{Evidence, jwt_expiry};

/// Waiting reasons of containers whose image could not be pulled.
pub const PULL_FAILURE_REASONS: &[&str] = &[
    "ImagePullBackOff",
    "ErrImagePull",
    "InvalidImageName",
    "ErrImageNeverPull",
    "RegistryUnavailable",
    "ImageInspectError",
];

/// Where to look for pods.
#[derive(Debug, Clone)]
pub enum Scope {
    All,
    Namespaces(Vec<String>),
}

/// One container waiting on its image.
#[derive(Debug, Clone)]
pub struct FailingContainer {
    pub namespace: String,
    pub pod: String,
    pub pod_uid: String,
    pub container: String,
    /// `container`, `init` or `ephemeral`.
    pub kind: &'static str,
    pub image: String,
    pub reason: String,
    pub message: Option<String>,
    pub service_account: String,
    pub pod_secrets: Vec<String>,
}

/// The failing containers of the pods in scope (all of them, or only `names`).
pub async fn failing_containers(
    cluster: &Cluster,
    scope: &Scope,
    label_selector: Option<&str>,
    names: &[String],
) -> Result<Vec<FailingContainer>, ClusterError> {
    let mut failing = Vec::new();
    for api in apis::<Pod>(cluster, scope) {
        let mut params = ListParams::default();
        if let Some(selector) = label_selector {
            params = params.labels(selector);
        }
        let request = cluster.request("list", "pods", "");
        for_each_page(&api, params, |pod: Pod| {
            let name = pod.metadata.name.as_deref().unwrap_or_default();
            if names.is_empty() || names.iter().any(|n| n == name) {
                failing.extend(failures_of(&pod));
            }
        })
        .await
        .map_err(|e| request.error(e))?;
    }
    failing.sort_by(|a, b| {
        (&a.namespace, &a.pod, &a.container).cmp(&(&b.namespace, &b.pod, &b.container))
    });
    Ok(failing)
}

/// The containers (init, regular, ephemeral) of a pod that wait on their image. Pure.
pub fn failures_of(pod: &Pod) -> Vec<FailingContainer> {
    let (Some(spec), Some(status)) = (&pod.spec, &pod.status) else {
        return Vec::new();
    };
    let image_of = |name: &str| -> Option<String> {
        let regular = spec
            .containers
            .iter()
            .chain(spec.init_containers.iter().flatten());
        regular
            .filter(|c| c.name == name)
            .find_map(|c| c.image.clone())
            .or_else(|| {
                spec.ephemeral_containers
                    .iter()
                    .flatten()
                    .filter(|c| c.name == name)
                    .find_map(|c| c.image.clone())
            })
    };
    let groups: [(&'static str, &Option<Vec<ContainerStatus>>); 3] = [
        ("init", &status.init_container_statuses),
        ("container", &status.container_statuses),
        ("ephemeral", &status.ephemeral_container_statuses),
    ];
    let mut failing = Vec::new();
    for (kind, statuses) in groups {
        for container in statuses.iter().flatten() {
            let Some(waiting) = container.state.as_ref().and_then(|s| s.waiting.as_ref()) else {
                continue;
            };
            let reason = waiting.reason.clone().unwrap_or_default();
            if !PULL_FAILURE_REASONS.contains(&reason.as_str()) {
                continue;
            }
            failing.push(FailingContainer {
                namespace: pod.metadata.namespace.clone().unwrap_or_default(),
                pod: pod.metadata.name.clone().unwrap_or_default(),
                pod_uid: pod.metadata.uid.clone().unwrap_or_default(),
                image: image_of(&container.name).unwrap_or_else(|| container.image.clone()),
                container: container.name.clone(),
                kind,
                reason,
                message: waiting.message.clone(),
                service_account: service_account_of(spec),
                pod_secrets: pull_secret_names(spec.image_pull_secrets.as_ref()),
            });
        }
    }
    failing
}

/// The service account a pod runs as: its `serviceAccountName`, else the namespace's
/// `default`. Pure.
pub fn service_account_of(spec: &PodSpec) -> String {
    spec.service_account_name
        .clone()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| DEFAULT_ACCOUNT.to_string())
}

/// The names a list of imagePullSecrets gives (a pod's, a pod template's or a service
/// account's), empty ones left out. Pure.
pub fn pull_secret_names(listed: Option<&Vec<LocalObjectReference>>) -> Vec<String> {
    listed
        .into_iter()
        .flatten()
        .map(|s| s.name.clone())
        .filter(|n| !n.is_empty())
        .collect()
}

/// A service account as the diagnosis (and heal) needs it: its name and the pull secrets it
/// lists. Pure.
pub fn account_fact(account: &ServiceAccount) -> AccountFact {
    AccountFact {
        name: account.metadata.name.clone().unwrap_or_default(),
        exists: true,
        pull_secrets: pull_secret_names(account.image_pull_secrets.as_ref()),
    }
}

/// One event's text and when it happened (seconds since the epoch), for sorting newest first.
#[derive(Debug, Clone)]
pub struct EventText {
    pub at: i64,
    pub reason: String,
    pub message: String,
}

/// Warning events about the given pods, newest first, by pod UID: core/v1 events, or the
/// same objects through events.k8s.io/v1 when RBAC grants only that API.
pub async fn pod_events(
    cluster: &Cluster,
    scope: &Scope,
    pod_uids: &HashSet<String>,
) -> Result<HashMap<String, Vec<EventText>>, ClusterError> {
    if pod_uids.is_empty() {
        return Ok(HashMap::new());
    }
    let core = ListParams::default().fields("involvedObject.kind=Pod,type=Warning");
    let mut by_pod =
        match warnings_about(cluster, scope, "events", core, pod_uids, core_warning).await {
            Err(ClusterError::Forbidden { .. }) => {
                tracing::debug!("core/v1 events are forbidden; reading events.k8s.io/v1");
                // This API's field selectors differ between versions; filter here instead.
                let all = ListParams::default();
                let resource = "events.events.k8s.io";
                warnings_about(cluster, scope, resource, all, pod_uids, api_warning).await?
            }
            found => found?,
        };
    for events in by_pod.values_mut() {
        events.sort_by_key(|event| std::cmp::Reverse(event.at));
    }
    Ok(by_pod)
}

/// The events of kind `K` in scope that `read` takes for a pod warning, for the pods of
/// `pod_uids`, by pod UID. `resource` names the list in errors.
async fn warnings_about<K>(
    cluster: &Cluster,
    scope: &Scope,
    resource: &str,
    params: ListParams,
    pod_uids: &HashSet<String>,
    read: fn(K) -> Option<(String, EventText)>,
) -> Result<HashMap<String, Vec<EventText>>, ClusterError>
where
    K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope, DynamicType = ()>
        + Clone
        + serde::de::DeserializeOwned
        + std::fmt::Debug,
{
    let mut by_pod: HashMap<String, Vec<EventText>> = HashMap::new();
    for api in apis::<K>(cluster, scope) {
        let request = cluster.request("list", resource, "");
        for_each_page(&api, params.clone().limit(500), |event: K| {
            if let Some((uid, text)) = read(event).filter(|(uid, _)| pod_uids.contains(uid)) {
                by_pod.entry(uid).or_default().push(text);
            }
        })
        .await
        .map_err(|e| request.error(e))?;
    }
    Ok(by_pod)
}

impl EventText {
    /// An event's text; no time sorts it last.
    fn new(at: Option<i64>, reason: Option<String>, message: Option<String>) -> Self {
        Self {
            at: at.unwrap_or_default(),
            reason: reason.unwrap_or_default(),
            message: message.unwrap_or_default(),
        }
    }
}

/// Seconds since the epoch of an optional API time.
fn second_of(time: Option<&Time>) -> Option<i64> {
    time.map(|t| t.0.as_second())
}

/// A core/v1 event about a pod (the list asked for warnings only): its pod's UID and text.
fn core_warning(event: Event) -> Option<(String, EventText)> {
    let uid = event.involved_object.uid.clone()?;
    let at = second_of(event.last_timestamp.as_ref())
        .or(event.event_time.as_ref().map(|t| t.0.as_second()))
        .or(second_of(event.first_timestamp.as_ref()));
    Some((uid, EventText::new(at, event.reason, event.message)))
}

/// An events.k8s.io/v1 warning about a pod: its pod's UID and text; none for anything else.
fn api_warning(event: k8s_openapi::api::events::v1::Event) -> Option<(String, EventText)> {
    let regarding = event.regarding.as_ref()?;
    let is_pod_warning =
        event.type_.as_deref() == Some("Warning") && regarding.kind.as_deref() == Some("Pod");
    let uid = regarding.uid.clone().filter(|_| is_pod_warning)?;
    let series = event.series.as_ref();
    let at = series
        .map(|s| s.last_observed_time.0.as_second())
        .or(second_of(event.deprecated_last_timestamp.as_ref()))
        .or(event.event_time.as_ref().map(|t| t.0.as_second()));
    Some((uid, EventText::new(at, event.reason, event.note)))
}

/// Secrets by namespace and name.
pub type ByName<T> = HashMap<(String, String), T>;

/// Every secret of the namespaces (pull secrets with their registries; others by type only),
/// by namespace and name. One list per namespace. With `with_content`, the pull secrets'
/// credentials too (for `--verify`), held in zeroizing types.
pub async fn secrets_in(
    cluster: &Cluster,
    namespaces: &[String],
    with_content: bool,
) -> Result<(ByName<SecretFact>, ByName<DockerConfig>), ClusterError> {
    let mut facts = HashMap::new();
    let mut contents = HashMap::new();
    for namespace in namespaces {
        let api: Api<Secret> = Api::namespaced(cluster.client.clone(), namespace);
        let request = cluster.request("list", "secrets", namespace);
        for_each_page(&api, ListParams::default(), |secret: Secret| {
            let name = secret.metadata.name.clone().unwrap_or_default();
            let content = secret
                .data
                .as_ref()
                .and_then(|d| d.get(Layout::DockerConfigJson.data_key()))
                .filter(|_| with_content)
                .and_then(|bytes| DockerConfig::parse(&bytes.0).ok());
            if let Some(content) = content {
                contents.insert((namespace.clone(), name.clone()), content);
            }
            facts.insert((namespace.clone(), name), secret_fact(&secret));
        })
        .await
        .map_err(|e| request.error(e))?;
    }
    Ok((facts, contents))
}

/// What a secret says, without its content: the keys of its entries, and what tells when its
/// tokens expire (the JWT `exp` of what the kubelet sends, never the token). Pure.
pub fn secret_fact(secret: &Secret) -> SecretFact {
    let config = StoredConfig::of_secret(secret).and_then(Result::ok);
    let jwt_expires_at = config
        .iter()
        .flat_map(StoredConfig::sent)
        .filter_map(|(entry, sent)| Some((entry.key.clone(), jwt_expiry(&sent?.password)?)))
        .collect();
    SecretFact {
        name: secret.metadata.name.clone().unwrap_or_default(),
        exists: true,
        secret_type: secret.type_.clone(),
        registries: config
            .iter()
            .flat_map(StoredConfig::keys)
            .map(str::to_string)
            .collect(),
        expiry: Evidence::of_secret(&secret.metadata),
        jwt_expires_at,
    }
}

/// The service accounts of the namespaces, by namespace and name. One list per namespace.
pub async fn accounts_in(
    cluster: &Cluster,
    namespaces: &[String],
) -> Result<HashMap<(String, String), AccountFact>, ClusterError> {
    let mut facts = HashMap::new();
    for namespace in namespaces {
        let api: Api<ServiceAccount> = Api::namespaced(cluster.client.clone(), namespace);
        let request = cluster.request("list", "serviceaccounts", namespace);
        let page = api
            .list(&ListParams::default())
            .await
            .map_err(|e| request.error(e))?;
        for account in page.items {
            let fact = account_fact(&account);
            facts.insert((namespace.clone(), fact.name.clone()), fact);
        }
    }
    Ok(facts)
}

/// Every object of one kind in scope: one paginated list (limit 500) per namespace, or one
/// for the whole cluster; `resource` names it in errors (`secrets`, `pods`).
pub async fn list_in_scope<K>(
    cluster: &Cluster,
    scope: &Scope,
    resource: &str,
) -> Result<Vec<K>, ClusterError>
where
    K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope, DynamicType = ()>
        + Clone
        + serde::de::DeserializeOwned
        + std::fmt::Debug,
{
    let mut objects = Vec::new();
    let namespaces: Vec<&str> = match scope {
        Scope::All => vec![""],
        Scope::Namespaces(names) => names.iter().map(String::as_str).collect(),
    };
    for (api, namespace) in apis::<K>(cluster, scope).into_iter().zip(namespaces) {
        let request = cluster.request("list", resource, namespace);
        for_each_page(&api, ListParams::default().limit(500), |o| objects.push(o))
            .await
            .map_err(|e| request.error(e))?;
    }
    Ok(objects)
}

/// One API per namespace in scope, or one for the whole cluster.
fn apis<K>(cluster: &Cluster, scope: &Scope) -> Vec<Api<K>>
where
    K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope, DynamicType = ()>,
{
    match scope {
        Scope::All => vec![Api::all(cluster.client.clone())],
        Scope::Namespaces(names) => names
            .iter()
            .map(|ns| Api::namespaced(cluster.client.clone(), ns))
            .collect(),
    }
}
