//! Reads what a diagnosis needs from the cluster: failing pods, their events, the pull secrets
//! and service accounts involved. Lists are paginated and read once per scope, never per pod.

use std::collections::{HashMap, HashSet};

use k8s_openapi::api::apps::v1::{DaemonSet, ReplicaSet, StatefulSet};
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{
    ContainerStatus, Event, LocalObjectReference, Pod, PodSpec, PodTemplateSpec, Secret,
    ServiceAccount,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use kube::api::{Api, ListParams};

use super::facts::{AccountFact, SecretFact};
use crate::cluster::accounts::DEFAULT_ACCOUNT;
use crate::cluster::pages::for_each_page;
use crate::cluster::workloads::Namespaced;
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

/// One container waiting on its image: a pull that failed ([`failures_of`]), or one not tried
/// yet ([`unpulled_of`]).
#[derive(Debug, Clone)]
pub struct FailingContainer {
    pub namespace: String,
    pub pod: String,
    pub pod_uid: String,
    pub container: String,
    /// `container`, `init` or `ephemeral`.
    pub kind: &'static str,
    pub image: String,
    /// The container's waiting reason (`ImagePullBackOff`, `ContainerCreating`), or for a pod
    /// without container statuses why it waits (`Unschedulable`, `Pending`).
    pub reason: String,
    pub message: Option<String>,
    pub service_account: String,
    pub pod_secrets: Vec<String>,
}

/// The pods in scope (all of them, or only `names`) with a container waiting on its image.
#[derive(Debug, Default)]
pub struct WaitingPods {
    /// Containers whose pull failed, sorted by namespace, pod and container.
    pub failing: Vec<FailingContainer>,
    /// Containers of pending pods that have not pulled yet, sorted the same way.
    pub unpulled: Vec<FailingContainer>,
    /// Every pod listed (namespace, name), to tell a pod named on the command line that does
    /// not exist.
    pub seen: HashSet<(String, String)>,
}

/// The containers of the pods in scope (all of them, or only `names`) that wait on their image.
pub async fn waiting_containers(
    cluster: &Cluster,
    scope: &Scope,
    label_selector: Option<&str>,
    names: &[String],
) -> Result<WaitingPods, ClusterError> {
    let mut found = WaitingPods::default();
    for api in apis::<Pod>(cluster, scope) {
        let mut params = ListParams::default();
        if let Some(selector) = label_selector {
            params = params.labels(selector);
        }
        let request = cluster.request("list", "pods", "");
        for_each_page(&api, params, |pod: Pod| {
            let name = pod.metadata.name.as_deref().unwrap_or_default();
            if names.is_empty() || names.iter().any(|n| n == name) {
                found.failing.extend(failures_of(&pod));
                found.unpulled.extend(unpulled_of(&pod));
                let namespace = pod.metadata.namespace.clone().unwrap_or_default();
                found.seen.insert((namespace, name.to_string()));
            }
        })
        .await
        .map_err(|e| request.error(e))?;
    }
    let order = |a: &FailingContainer, b: &FailingContainer| {
        (&a.namespace, &a.pod, &a.container).cmp(&(&b.namespace, &b.pod, &b.container))
    };
    found.failing.sort_by(order);
    found.unpulled.sort_by(order);
    Ok(found)
}

/// The image of container `name`, from the pod's spec (the status may hold a resolved one).
fn image_in_spec(spec: &PodSpec, name: &str) -> Option<String> {
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
}

/// The containers (init, regular, ephemeral) of a pod that wait on their image. Pure.
pub fn failures_of(pod: &Pod) -> Vec<FailingContainer> {
    let (Some(spec), Some(status)) = (&pod.spec, &pod.status) else {
        return Vec::new();
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
            let image =
                image_in_spec(spec, &container.name).unwrap_or_else(|| container.image.clone());
            failing.push(FailingContainer {
                reason,
                message: waiting.message.clone(),
                ..waiting_container(pod, spec, kind, &container.name, image)
            });
        }
    }
    failing
}

/// Waiting reasons of a container whose image has not been pulled yet: its pod's sandbox is
/// being made (or its image pulled), or its init containers run first.
const NOT_PULLED_YET_REASONS: &[&str] = &["ContainerCreating", "PodInitializing"];

/// The init and regular containers of a pending pod that have not pulled their image yet: no
/// status at all (the pod is not scheduled, or the kubelet has not started it) or waiting to
/// be created. Containers that never pull (`imagePullPolicy: Never`) are left out. Pure.
pub fn unpulled_of(pod: &Pod) -> Vec<FailingContainer> {
    let Some(spec) = &pod.spec else {
        return Vec::new();
    };
    let status = pod.status.as_ref();
    if status
        .and_then(|s| s.phase.as_deref())
        .is_some_and(|phase| phase != "Pending")
    {
        return Vec::new();
    }
    let unscheduled = status
        .into_iter()
        .flat_map(|s| s.conditions.iter().flatten())
        .find(|c| c.type_ == "PodScheduled" && c.status == "False")
        .and_then(|c| c.reason.clone());
    let statuses = |group: Option<&Vec<ContainerStatus>>, name: &str| {
        group
            .into_iter()
            .flatten()
            .find(|c| c.name == name)
            .cloned()
    };
    let groups = [
        (
            "init",
            spec.init_containers.iter().flatten().collect::<Vec<_>>(),
            status.and_then(|s| s.init_container_statuses.as_ref()),
        ),
        (
            "container",
            spec.containers.iter().collect(),
            status.and_then(|s| s.container_statuses.as_ref()),
        ),
    ];
    let mut unpulled = Vec::new();
    for (kind, containers, group) in groups {
        for container in containers {
            if container.image_pull_policy.as_deref() == Some("Never") {
                continue;
            }
            let reason = match statuses(group, &container.name) {
                None => unscheduled.clone().unwrap_or_else(|| "Pending".to_string()),
                Some(found) => {
                    let waiting = found.state.as_ref().and_then(|s| s.waiting.as_ref());
                    let reason = waiting.and_then(|w| w.reason.clone()).unwrap_or_default();
                    let has_run = found
                        .last_state
                        .as_ref()
                        .is_some_and(|s| s.terminated.is_some());
                    if has_run || !NOT_PULLED_YET_REASONS.contains(&reason.as_str()) {
                        continue;
                    }
                    reason
                }
            };
            let image = container.image.clone().unwrap_or_default();
            unpulled.push(FailingContainer {
                reason,
                ..waiting_container(pod, spec, kind, &container.name, image)
            });
        }
    }
    unpulled
}

/// A container of `pod` waiting on `image`, without a reason yet.
fn waiting_container(
    pod: &Pod,
    spec: &PodSpec,
    kind: &'static str,
    container: &str,
    image: String,
) -> FailingContainer {
    FailingContainer {
        namespace: pod.metadata.namespace.clone().unwrap_or_default(),
        pod: pod.metadata.name.clone().unwrap_or_default(),
        pod_uid: pod.metadata.uid.clone().unwrap_or_default(),
        container: container.to_string(),
        kind,
        image,
        reason: String::new(),
        message: None,
        service_account: service_account_of(spec),
        pod_secrets: pull_secret_names(spec.image_pull_secrets.as_ref()),
    }
}

/// The owner reference marked `controller`, as (kind, name): `("ReplicaSet", "web-5d8f")`.
/// Pure.
pub fn controller_of(meta: &ObjectMeta) -> Option<(String, String)> {
    meta.owner_references
        .iter()
        .flatten()
        .find(|owner| owner.controller == Some(true))
        .map(|owner| (owner.kind.clone(), owner.name.clone()))
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

/// A workload's pod template, as far as predicting the pulls of its pods needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub namespace: String,
    /// How kubectl names the workload: `deployment/web` (a ReplicaSet goes by its
    /// Deployment), `statefulset/db`, `daemonset/agent`, `job/migrate`.
    pub workload: String,
    pub service_account: String,
    pub pod_secrets: Vec<String>,
    /// The images of its init and regular containers, in order.
    pub images: Vec<String>,
}

impl Template {
    /// The template of a workload, named `kind/name` or after its controlling Deployment.
    /// Pure.
    pub fn of(meta: &ObjectMeta, kind: &str, template: Option<&PodTemplateSpec>) -> Option<Self> {
        let spec = template?.spec.as_ref()?;
        let name = meta.name.clone().unwrap_or_default();
        let deployment = meta
            .owner_references
            .iter()
            .flatten()
            .find(|o| o.controller == Some(true) && o.kind == "Deployment");
        let workload = match deployment {
            Some(owner) => format!("deployment/{}", owner.name),
            None => format!("{kind}/{name}"),
        };
        let images = spec
            .init_containers
            .iter()
            .flatten()
            .chain(&spec.containers);
        Some(Template {
            namespace: meta.namespace.clone().unwrap_or_default(),
            workload,
            service_account: service_account_of(spec),
            pod_secrets: pull_secret_names(spec.image_pull_secrets.as_ref()),
            images: images.filter_map(|c| c.image.clone()).collect(),
        })
    }

    /// A ReplicaSet with fewer pods than it wants. Pure.
    pub fn short_replica_set(set: &ReplicaSet) -> Option<Self> {
        let wanted = set.spec.replicas.unwrap_or(1);
        let has = set.status.as_ref().map_or(0, |s| s.replicas);
        (has < wanted)
            .then(|| Self::of(&set.metadata, "replicaset", set.spec.template.as_ref()))
            .flatten()
    }

    /// A StatefulSet with fewer pods than it wants. Pure.
    pub fn short_stateful_set(set: &StatefulSet) -> Option<Self> {
        let has = set.status.as_ref().map_or(0, |s| s.replicas);
        (has < set.spec.replicas.unwrap_or(1))
            .then(|| Self::of(&set.metadata, "statefulset", Some(&set.spec.template)))
            .flatten()
    }

    /// A DaemonSet with fewer pods than nodes it should run on. Pure.
    pub fn short_daemon_set(set: &DaemonSet) -> Option<Self> {
        let status = set.status.as_ref()?;
        (status.current_number_scheduled < status.desired_number_scheduled)
            .then(|| Self::of(&set.metadata, "daemonset", Some(&set.spec.template)))
            .flatten()
    }

    /// A Job that is neither finished nor suspended and has no pod running. Pure.
    pub fn short_job(job: &Job) -> Option<Self> {
        let spec = job.spec.as_ref()?;
        let status = job.status.as_ref();
        let is_finished = status
            .into_iter()
            .flat_map(|s| s.conditions.iter().flatten())
            .any(|c| matches!(c.type_.as_str(), "Complete" | "Failed") && c.status == "True");
        let is_running = status.and_then(|s| s.active).unwrap_or(0) > 0;
        let is_idle = spec.suspend == Some(true) || spec.parallelism == Some(0);
        (!is_finished && !is_running && !is_idle)
            .then(|| Self::of(&job.metadata, "job", Some(&spec.template)))
            .flatten()
    }
}

/// The workloads in scope (those `label_selector` picks) that have pods left to create: one
/// list of ReplicaSets, StatefulSets, DaemonSets and Jobs each.
pub async fn short_of_pods(
    cluster: &Cluster,
    scope: &Scope,
    label_selector: Option<&str>,
) -> Result<Vec<Template>, ClusterError> {
    let mut params = ListParams::default();
    if let Some(selector) = label_selector {
        params = params.labels(selector);
    }
    let (sets, stateful, daemons, jobs) = tokio::try_join!(
        list_where::<ReplicaSet>(cluster, scope, "replicasets", params.clone()),
        list_where::<StatefulSet>(cluster, scope, "statefulsets", params.clone()),
        list_where::<DaemonSet>(cluster, scope, "daemonsets", params.clone()),
        list_where::<Job>(cluster, scope, "jobs", params),
    )?;
    let mut short: Vec<Template> = (sets.iter().filter_map(Template::short_replica_set))
        .chain(stateful.iter().filter_map(Template::short_stateful_set))
        .chain(daemons.iter().filter_map(Template::short_daemon_set))
        .chain(jobs.iter().filter_map(Template::short_job))
        .collect();
    short.sort_by(|a, b| (&a.namespace, &a.workload).cmp(&(&b.namespace, &b.workload)));
    short.dedup_by(|a, b| (&a.namespace, &a.workload) == (&b.namespace, &b.workload));
    Ok(short)
}

/// The pod templates of the CronJobs in scope, named `cronjob/NAME`. CronJobs are served as
/// batch/v1 from Kubernetes 1.21 and as batch/v1beta1 before: the older version is read when
/// the newer one is not served.
pub async fn cron_job_templates(
    cluster: &Cluster,
    scope: &Scope,
) -> Result<Vec<Template>, ClusterError> {
    use crate::cluster::workloads::{CRON_JOB_VERSIONS, cron_job_resource};
    use kube::api::DynamicObject;
    let mut found = Vec::new();
    for version in CRON_JOB_VERSIONS {
        let resource = cron_job_resource(version);
        let apis: Vec<(Api<DynamicObject>, &str)> = match scope {
            Scope::All => vec![(Api::all_with(cluster.client.clone(), &resource), "")],
            Scope::Namespaces(names) => names
                .iter()
                .map(|ns| {
                    let api = Api::namespaced_with(cluster.client.clone(), ns, &resource);
                    (api, ns.as_str())
                })
                .collect(),
        };
        let mut served = true;
        for (api, namespace) in apis {
            let request = cluster.request("list", "cronjobs", namespace);
            let listed = for_each_page(&api, ListParams::default(), |cron: DynamicObject| {
                found.extend(cron_job_template(&cron));
            })
            .await;
            match listed {
                Ok(()) => {}
                Err(kube::Error::Api(status)) if status.code == 404 && found.is_empty() => {
                    served = false;
                    break;
                }
                Err(err) => return Err(request.error(err)),
            }
        }
        if served {
            break;
        }
    }
    Ok(found)
}

/// A CronJob's pod template (`spec.jobTemplate.spec.template`), read from either version.
/// Pure.
fn cron_job_template(cron: &kube::api::DynamicObject) -> Option<Template> {
    let template = cron
        .data
        .pointer("/spec/jobTemplate/spec/template")
        .cloned()
        .and_then(|value| serde_json::from_value::<PodTemplateSpec>(value).ok())?;
    Template::of(&cron.metadata, "cronjob", Some(&template))
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
async fn warnings_about<K: Namespaced>(
    cluster: &Cluster,
    scope: &Scope,
    resource: &str,
    params: ListParams,
    pod_uids: &HashSet<String>,
    read: fn(K) -> Option<(String, EventText)>,
) -> Result<HashMap<String, Vec<EventText>>, ClusterError> {
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
pub async fn list_in_scope<K: Namespaced>(
    cluster: &Cluster,
    scope: &Scope,
    resource: &str,
) -> Result<Vec<K>, ClusterError> {
    list_where(cluster, scope, resource, ListParams::default()).await
}

/// The objects of one kind in scope that `params` select, as [`list_in_scope`] lists them.
async fn list_where<K: Namespaced>(
    cluster: &Cluster,
    scope: &Scope,
    resource: &str,
    params: ListParams,
) -> Result<Vec<K>, ClusterError> {
    let mut objects = Vec::new();
    let namespaces: Vec<&str> = match scope {
        Scope::All => vec![""],
        Scope::Namespaces(names) => names.iter().map(String::as_str).collect(),
    };
    for (api, namespace) in apis::<K>(cluster, scope).into_iter().zip(namespaces) {
        let request = cluster.request("list", resource, namespace);
        for_each_page(&api, params.clone().limit(500), |o| objects.push(o))
            .await
            .map_err(|e| request.error(e))?;
    }
    Ok(objects)
}

/// One API per namespace in scope, or one for the whole cluster.
fn apis<K: Namespaced>(cluster: &Cluster, scope: &Scope) -> Vec<Api<K>> {
    match scope {
        Scope::All => vec![Api::all(cluster.client.clone())],
        Scope::Namespaces(names) => names
            .iter()
            .map(|ns| Api::namespaced(cluster.client.clone(), ns))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn pod(phase: &str, status: Value) -> Pod {
        let mut pod = json!({
            "metadata": {"name": "web", "namespace": "team-a", "uid": "u1"},
            "spec": {
                "imagePullSecrets": [{"name": "gh"}],
                "initContainers": [{"name": "init", "image": "ghcr.io/acme/init:1"}],
                "containers": [
                    {"name": "app", "image": "ghcr.io/acme/app:1"},
                    {"name": "local", "image": "app:dev", "imagePullPolicy": "Never"},
                ],
            },
            "status": status,
        });
        pod["status"]["phase"] = json!(phase);
        serde_json::from_value(pod).unwrap()
    }

    fn reasons(pod: &Pod) -> Vec<(String, String)> {
        unpulled_of(pod)
            .into_iter()
            .map(|c| (c.container, c.reason))
            .collect()
    }

    fn waiting(name: &str, reason: &str) -> Value {
        json!({"name": name, "image": "x", "imageID": "", "ready": false, "restartCount": 0,
               "state": {"waiting": {"reason": reason}}})
    }

    #[test]
    fn an_unscheduled_pod_has_pulled_nothing_but_what_never_pulls() {
        let unscheduled = pod(
            "Pending",
            json!({"conditions": [{"type": "PodScheduled", "status": "False",
                                   "reason": "Unschedulable"}]}),
        );
        let expected = [("init", "Unschedulable"), ("app", "Unschedulable")];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(c, r)| (c.to_string(), r.to_string()))
            .collect();
        assert_eq!(reasons(&unscheduled), expected);
        let found = unpulled_of(&unscheduled);
        assert_eq!(found[0].kind, "init");
        assert_eq!(found[1].image, "ghcr.io/acme/app:1");
        assert_eq!(found[1].pod_secrets, ["gh"]);
        assert_eq!(found[1].service_account, "default");
        // Not scheduled yet, without a condition saying so.
        assert_eq!(reasons(&pod("Pending", json!({})))[0].1, "Pending");
    }

    #[test]
    fn containers_waiting_to_be_created_have_not_pulled_and_others_have() {
        let creating = pod(
            "Pending",
            json!({
                "initContainerStatuses": [waiting("init", "PodInitializing")],
                "containerStatuses": [waiting("app", "ContainerCreating"),
                                      waiting("local", "ContainerCreating")],
            }),
        );
        assert_eq!(reasons(&creating).len(), 2, "{:?}", reasons(&creating));
        // A failed pull is a failure, not a prediction; a crash means the image was pulled.
        let failing = pod(
            "Pending",
            json!({
                "initContainerStatuses": [waiting("init", "ErrImagePull")],
                "containerStatuses": [waiting("app", "CrashLoopBackOff")],
            }),
        );
        assert!(reasons(&failing).is_empty());
        assert_eq!(failures_of(&failing).len(), 1);
        // A container that ran before has its image, whatever it waits on now.
        let mut restarted = waiting("app", "ContainerCreating");
        restarted["lastState"] = json!({"terminated": {"exitCode": 1}});
        let again = pod(
            "Pending",
            json!({"containerStatuses": [restarted], "initContainerStatuses": [
                {"name": "init", "image": "x", "imageID": "sha", "ready": true,
                 "restartCount": 0, "state": {"terminated": {"exitCode": 0}}}]}),
        );
        assert!(reasons(&again).is_empty(), "{:?}", reasons(&again));
        // A pod past Pending has pulled what it runs.
        assert!(reasons(&pod("Running", json!({}))).is_empty());
    }

    #[test]
    fn workloads_short_of_pods_are_named_as_kubectl_names_them() {
        let template = json!({"spec": {
            "serviceAccountName": "builder",
            "imagePullSecrets": [{"name": "gh"}],
            "containers": [{"name": "app", "image": "ghcr.io/acme/app:1"}],
        }});
        let set: ReplicaSet = serde_json::from_value(json!({
            "metadata": {"name": "web-5d8f", "namespace": "team-a", "ownerReferences": [
                {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": "u",
                 "controller": true}]},
            "spec": {"replicas": 2, "selector": {}, "template": template},
            "status": {"replicas": 0},
        }))
        .unwrap();
        let found = Template::short_replica_set(&set).unwrap();
        assert_eq!(found.workload, "deployment/web");
        assert_eq!(found.service_account, "builder");
        assert_eq!(found.pod_secrets, ["gh"]);
        assert_eq!(found.images, ["ghcr.io/acme/app:1"]);
        // An old ReplicaSet of a Deployment wants no pods.
        let mut old = set.clone();
        old.spec.replicas = Some(0);
        assert_eq!(Template::short_replica_set(&old), None);

        let job = |status: Value| -> Job {
            serde_json::from_value(json!({
                "metadata": {"name": "migrate", "namespace": "team-a"},
                "spec": {"template": template},
                "status": status,
            }))
            .unwrap()
        };
        let waiting = Template::short_job(&job(json!({}))).unwrap();
        assert_eq!(waiting.workload, "job/migrate");
        assert_eq!(Template::short_job(&job(json!({"active": 1}))), None);
        let done = json!({"conditions": [{"type": "Complete", "status": "True"}]});
        assert_eq!(Template::short_job(&job(done)), None);

        let daemons: DaemonSet = serde_json::from_value(json!({
            "metadata": {"name": "agent", "namespace": "team-a"},
            "spec": {"selector": {}, "template": template},
            "status": {"currentNumberScheduled": 0, "desiredNumberScheduled": 1,
                       "numberMisscheduled": 0, "numberReady": 0},
        }))
        .unwrap();
        assert_eq!(
            Template::short_daemon_set(&daemons).map(|t| t.workload),
            Some("daemonset/agent".to_string())
        );
    }
}
