//! The workloads behind pods stuck on an image pull: list the pods, read their owners (and the
//! service accounts and secrets they pull with), restart a workload as `kubectl rollout restart`
//! does, delete a pod. Every error names the verb, the object and the namespace.

use std::collections::HashMap;

use k8s_openapi::NamespaceResourceScope;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, Preconditions};
use kube::{Resource, ResourceExt};
use serde::de::DeserializeOwned;
use serde_json::json;

use super::pages::{cluster_wide, for_each_page};
use super::{Cluster, ClusterError, FIELD_MANAGER, Mode};

/// The pod template annotation `kubectl rollout restart` sets; a new value makes the controller
/// replace every pod.
pub const RESTARTED_AT_ANNOTATION: &str = "kubectl.kubernetes.io/restartedAt";

/// A namespaced kind this module reads or writes.
pub trait Namespaced:
    Resource<Scope = NamespaceResourceScope, DynamicType = ()>
    + Clone
    + DeserializeOwned
    + std::fmt::Debug
{
}

impl<K> Namespaced for K where
    K: Resource<Scope = NamespaceResourceScope, DynamicType = ()>
        + Clone
        + DeserializeOwned
        + std::fmt::Debug
{
}

/// `deployment/web`: how messages and kubectl name an object.
fn object<K: Namespaced>(name: &str) -> String {
    format!("{}/{name}", K::kind(&()).to_lowercase())
}

/// The pods of `namespace` that `keep` picks, read page by page (only those are kept).
pub async fn pods_in(
    cluster: &Cluster,
    namespace: &str,
    keep: impl Fn(&Pod) -> bool,
) -> Result<Vec<Pod>, ClusterError> {
    let api: Api<Pod> = Api::namespaced(cluster.client.clone(), namespace);
    let request = cluster.request("list", "pods", namespace);
    let mut kept = Vec::new();
    for_each_page(&api, ListParams::default(), |pod| {
        if keep(&pod) {
            kept.push(pod);
        }
    })
    .await
    .map_err(|e| request.error(e))?;
    Ok(kept)
}

/// The pods `keep` picks in the whole cluster, by namespace, read with one paginated list.
/// None when that list is not allowed or fails: callers then list per namespace.
pub async fn pods_everywhere(
    cluster: &Cluster,
    keep: impl Fn(&Pod) -> bool,
) -> Option<HashMap<String, Vec<Pod>>> {
    let params = ListParams::default();
    cluster_wide(
        cluster,
        params,
        |found: &mut HashMap<_, Vec<_>>, namespace, pod: Pod| {
            if keep(&pod) {
                found.entry(namespace).or_default().push(pod);
            }
        },
    )
    .await
}

/// Every object of kind `K` in the cluster (only those matching `fields`, a field selector),
/// by namespace and name, read with one paginated list. None when that list is not allowed or
/// fails: callers then read per namespace.
pub async fn everywhere<K: Namespaced>(
    cluster: &Cluster,
    fields: Option<&str>,
) -> Option<HashMap<(String, String), K>> {
    let params = match fields {
        Some(fields) => ListParams::default().fields(fields),
        None => ListParams::default(),
    };
    cluster_wide(
        cluster,
        params,
        |found: &mut HashMap<_, _>, namespace, object: K| {
            found.insert((namespace, object.name_any()), object);
        },
    )
    .await
}

/// One object of `namespace`, or None when there is no such object.
pub async fn get<K: Namespaced>(
    cluster: &Cluster,
    namespace: &str,
    name: &str,
) -> Result<Option<K>, ClusterError> {
    let api: Api<K> = Api::namespaced(cluster.client.clone(), namespace);
    api.get_opt(name).await.map_err(|e| {
        cluster
            .request("get", &object::<K>(name), namespace)
            .error(e)
    })
}

/// The versions a CronJob is served in, newest first: batch/v1 from Kubernetes 1.21, only
/// batch/v1beta1 before.
pub const CRON_JOB_VERSIONS: [&str; 2] = ["v1", "v1beta1"];

/// The CronJob resource in `version` (one of [`CRON_JOB_VERSIONS`]), read as dynamic objects.
pub fn cron_job_resource(version: &str) -> kube::api::ApiResource {
    let gvk = kube::api::GroupVersionKind::gvk("batch", version, "CronJob");
    kube::api::ApiResource::from_gvk_with_plural(&gvk, "cronjobs")
}

/// One CronJob as JSON, in the newest version the cluster serves. None when it has none.
pub async fn get_cron_job(
    cluster: &Cluster,
    namespace: &str,
    name: &str,
) -> Result<Option<serde_json::Value>, ClusterError> {
    use kube::api::DynamicObject;
    for version in CRON_JOB_VERSIONS {
        let resource = cron_job_resource(version);
        let api: Api<DynamicObject> =
            Api::namespaced_with(cluster.client.clone(), namespace, &resource);
        let found = api.get_opt(name).await.map_err(|e| {
            let object = format!("cronjob {name}");
            cluster.request("get", &object, namespace).error(e)
        })?;
        if let Some(cron) = found {
            // A DynamicObject always serialises: its fields are JSON already.
            let Ok(mut value) = serde_json::to_value(cron) else {
                return Ok(None);
            };
            value["apiVersion"] = json!(format!("batch/{version}"));
            value["kind"] = json!("CronJob");
            return Ok(Some(value));
        }
    }
    Ok(None)
}

/// Restarts a Deployment, StatefulSet or DaemonSet as `kubectl rollout restart` does: a
/// strategic merge patch of the pod template's restartedAt annotation to `at` (RFC 3339), and
/// nothing else. With `--dry-run=server` the patch is sent with dryRun=All; with
/// `--dry-run=client` nothing is sent.
pub async fn restart<K: Namespaced>(
    cluster: &Cluster,
    namespace: &str,
    name: &str,
    at: &str,
    mode: Mode,
) -> Result<(), ClusterError> {
    if !mode.sends_writes() {
        return Ok(());
    }
    let api: Api<K> = Api::namespaced(cluster.client.clone(), namespace);
    let patch = json!({
        "spec": {"template": {"metadata": {"annotations": {RESTARTED_AT_ANNOTATION: at}}}}
    });
    let params = PatchParams {
        field_manager: Some(FIELD_MANAGER.into()),
        dry_run: mode.is_server_dry_run(),
        ..Default::default()
    };
    api.patch(name, &params, &Patch::Strategic(&patch))
        .await
        .map(|_| ())
        .map_err(|e| {
            cluster
                .request("patch", &object::<K>(name), namespace)
                .error(e)
        })
}

/// How a pod deletion ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodDeletion {
    Deleted,
    /// Gone already, or replaced by a new pod of the same name (which is left alone).
    AlreadyGone,
}

/// Deletes the pod `name` if it is still the one with `uid`, so a new pod of the same name (a
/// StatefulSet's) is never deleted by mistake.
pub async fn delete_pod(
    cluster: &Cluster,
    namespace: &str,
    name: &str,
    uid: &str,
    mode: Mode,
) -> Result<PodDeletion, ClusterError> {
    if !mode.sends_writes() {
        return Ok(PodDeletion::Deleted);
    }
    let api: Api<Pod> = Api::namespaced(cluster.client.clone(), namespace);
    let params = DeleteParams {
        dry_run: mode.is_server_dry_run(),
        preconditions: Some(Preconditions {
            uid: Some(uid.to_string()),
            resource_version: None,
        }),
        ..Default::default()
    };
    match api.delete(name, &params).await {
        Ok(_) => Ok(PodDeletion::Deleted),
        // 404: gone; 409: the UID precondition failed, so the name is a new pod's.
        Err(kube::Error::Api(status)) if matches!(status.code, 404 | 409) => {
            Ok(PodDeletion::AlreadyGone)
        }
        Err(err) => Err(cluster
            .request("delete", &format!("pod/{name}"), namespace)
            .error(err)),
    }
}
