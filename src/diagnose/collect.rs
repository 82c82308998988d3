//! Reads what a diagnosis needs from the cluster: failing pods, their events, the pull secrets
//! and service accounts involved. Lists are paginated and read once per scope, never per pod.

use std::collections::{BTreeMap, HashMap, HashSet};

use k8s_openapi::api::core::v1::{ContainerStatus, Event, Pod, Secret, ServiceAccount};
use kube::api::{Api, ListParams};

use super::facts::{AccountFact, EXPIRES_AT_ANNOTATION, SecretFact};
use crate::cluster::pages::for_each_page;
use crate::cluster::{Cluster, ClusterError};
use crate::dockerconfig::DockerConfig;

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
                service_account: spec
                    .service_account_name
                    .clone()
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| "default".into()),
                pod_secrets: spec
                    .image_pull_secrets
                    .iter()
                    .flatten()
                    .map(|s| s.name.clone())
                    .filter(|n| !n.is_empty())
                    .collect(),
            });
        }
    }
    failing
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
    let mut by_pod: HashMap<String, Vec<EventText>> = HashMap::new();
    if pod_uids.is_empty() {
        return Ok(by_pod);
    }
    match core_events(cluster, scope, pod_uids, &mut by_pod).await {
        Ok(()) => {}
        Err(ClusterError::Forbidden { .. }) => {
            by_pod.clear();
            tracing::debug!("core/v1 events are forbidden; reading events.k8s.io/v1");
            events_api_events(cluster, scope, pod_uids, &mut by_pod).await?;
        }
        Err(err) => return Err(err),
    }
    for events in by_pod.values_mut() {
        events.sort_by_key(|event| std::cmp::Reverse(event.at));
    }
    Ok(by_pod)
}

async fn core_events(
    cluster: &Cluster,
    scope: &Scope,
    pod_uids: &HashSet<String>,
    by_pod: &mut HashMap<String, Vec<EventText>>,
) -> Result<(), ClusterError> {
    for api in apis::<Event>(cluster, scope) {
        let params = ListParams::default()
            .fields("involvedObject.kind=Pod,type=Warning")
            .limit(500);
        let request = cluster.request("list", "events", "");
        for_each_page(&api, params, |event: Event| {
            let Some(uid) = event
                .involved_object
                .uid
                .clone()
                .filter(|u| pod_uids.contains(u))
            else {
                return;
            };
            let at = event
                .last_timestamp
                .as_ref()
                .map(|t| t.0.as_second())
                .or_else(|| event.event_time.as_ref().map(|t| t.0.as_second()))
                .or_else(|| event.first_timestamp.as_ref().map(|t| t.0.as_second()))
                .unwrap_or_default();
            by_pod.entry(uid).or_default().push(EventText {
                at,
                reason: event.reason.unwrap_or_default(),
                message: event.message.unwrap_or_default(),
            });
        })
        .await
        .map_err(|e| request.error(e))?;
    }
    Ok(())
}

async fn events_api_events(
    cluster: &Cluster,
    scope: &Scope,
    pod_uids: &HashSet<String>,
    by_pod: &mut HashMap<String, Vec<EventText>>,
) -> Result<(), ClusterError> {
    use k8s_openapi::api::events::v1::Event as NewEvent;
    for api in apis::<NewEvent>(cluster, scope) {
        // This API's field selectors differ between versions; filter here instead.
        let request = cluster.request("list", "events.events.k8s.io", "");
        for_each_page(&api, ListParams::default().limit(500), |event: NewEvent| {
            let is_pod_warning = event.type_.as_deref() == Some("Warning")
                && event.regarding.as_ref().and_then(|r| r.kind.as_deref()) == Some("Pod");
            let uid = event.regarding.as_ref().and_then(|r| r.uid.clone());
            let Some(uid) = uid.filter(|u| is_pod_warning && pod_uids.contains(u)) else {
                return;
            };
            let at = event
                .series
                .as_ref()
                .map(|s| s.last_observed_time.0.as_second())
                .or_else(|| {
                    event
                        .deprecated_last_timestamp
                        .as_ref()
                        .map(|t| t.0.as_second())
                })
                .or_else(|| event.event_time.as_ref().map(|t| t.0.as_second()))
                .unwrap_or_default();
            by_pod.entry(uid).or_default().push(EventText {
                at,
                reason: event.reason.unwrap_or_default(),
                message: event.note.unwrap_or_default(),
            });
        })
        .await
        .map_err(|e| request.error(e))?;
    }
    Ok(())
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
                .and_then(|d| d.get(".dockerconfigjson"))
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

/// What a secret says, without its content. Pure.
pub fn secret_fact(secret: &Secret) -> SecretFact {
    let data = secret.data.as_ref();
    let registries = match secret.type_.as_deref() {
        Some("kubernetes.io/dockerconfigjson") => data
            .and_then(|d| d.get(".dockerconfigjson"))
            .and_then(|bytes| DockerConfig::parse(&bytes.0).ok())
            .map(|config| config.registries().map(str::to_string).collect())
            .unwrap_or_default(),
        // The legacy layout: registry keys at the top level.
        Some("kubernetes.io/dockercfg") => data
            .and_then(|d| d.get(".dockercfg"))
            .and_then(|bytes| {
                serde_json::from_slice::<BTreeMap<String, serde_json::Value>>(&bytes.0).ok()
            })
            .map(|keys| keys.into_keys().collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let written_at = secret
        .metadata
        .managed_fields
        .iter()
        .flatten()
        .filter_map(|f| f.time.as_ref().map(|t| t.0.as_second()))
        .max()
        .or_else(|| {
            secret
                .metadata
                .creation_timestamp
                .as_ref()
                .map(|t| t.0.as_second())
        });
    let expires_at = secret
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(EXPIRES_AT_ANNOTATION))
        .and_then(|text| text.parse::<k8s_openapi::jiff::Timestamp>().ok())
        .map(|t| t.as_second());
    SecretFact {
        name: secret.metadata.name.clone().unwrap_or_default(),
        exists: true,
        secret_type: secret.type_.clone(),
        registries,
        written_at,
        expires_at,
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
            let name = account.metadata.name.clone().unwrap_or_default();
            let pull_secrets = account
                .image_pull_secrets
                .iter()
                .flatten()
                .map(|s| s.name.clone())
                .collect();
            facts.insert(
                (namespace.clone(), name.clone()),
                AccountFact {
                    name,
                    exists: true,
                    pull_secrets,
                },
            );
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
