//! What heal knows of a namespace: its stuck pods, their owners, service accounts and
//! secrets, taken from the objects `cmd::heal` reads.

use std::collections::{BTreeSet, HashMap};

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::{Pod, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::jiff::Timestamp;
use serde::Serialize;

use super::plan::Trigger;
use crate::cluster::workloads::RESTARTED_AT_ANNOTATION;
pub use crate::diagnose::collect::account_fact;
use crate::diagnose::collect::{controller_of, failures_of, pull_secret_names, service_account_of};
use crate::diagnose::facts::{AccountFact, SecretFact};

/// Waiting reasons heal acts on: the pull itself failed, so other credentials may fix it.
pub const STUCK_REASONS: &[&str] = &["ErrImagePull", "ImagePullBackOff"];

/// The Deployment controller's revision of a Deployment and of each of its ReplicaSets.
const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";

/// Set on the API server's copy of a static pod: its manifest lives on the node, and static
/// pods cannot use pull secrets at all.
const MIRROR_POD_ANNOTATION: &str = "kubernetes.io/config.mirror";

/// The workloads heal restarts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Deployment,
    StatefulSet,
    DaemonSet,
}

impl Kind {
    /// kubectl's resource name, as in `deployment/web`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Deployment => "deployment",
            Kind::StatefulSet => "statefulset",
            Kind::DaemonSet => "daemonset",
        }
    }

    /// The kind an ownerReference names (`Deployment`), if heal restarts it.
    pub(super) fn from_owner_kind(kind: &str) -> Option<Kind> {
        match kind {
            "Deployment" => Some(Kind::Deployment),
            "StatefulSet" => Some(Kind::StatefulSet),
            "DaemonSet" => Some(Kind::DaemonSet),
            _ => None,
        }
    }
}

/// One container waiting on a failed pull.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailingImage {
    pub container: String,
    pub image: String,
    /// `ErrImagePull` or `ImagePullBackOff`.
    pub reason: String,
}

/// A pod with at least one init or regular container stuck on a failed pull.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StuckPod {
    pub name: String,
    pub uid: String,
    /// Seconds since the epoch.
    pub created_at: Option<i64>,
    pub service_account: String,
    /// The pod's own imagePullSecrets: the only ones the kubelet uses for it.
    pub pod_secrets: Vec<String>,
    pub failing: Vec<FailingImage>,
    /// The controller's kind and name, as the pod's ownerReferences give them
    /// (`ReplicaSet`, `web-5d8f6c7b9`).
    pub controller: Option<(String, String)>,
}

/// Whether a pod is stuck on a failed pull that a new pod might get past.
pub fn is_stuck(pod: &Pod) -> bool {
    stuck_pod(pod).is_some()
}

/// The pod as heal sees it, or None when it is not stuck on a pull, is being deleted, or is a
/// static pod. Ephemeral containers do not count: a new pod would not have them.
pub fn stuck_pod(pod: &Pod) -> Option<StuckPod> {
    let meta = &pod.metadata;
    if meta.deletion_timestamp.is_some()
        || meta
            .annotations
            .as_ref()
            .is_some_and(|a| a.contains_key(MIRROR_POD_ANNOTATION))
    {
        return None;
    }
    let failing: Vec<FailingImage> = failures_of(pod)
        .into_iter()
        .filter(|c| c.kind != "ephemeral" && STUCK_REASONS.contains(&c.reason.as_str()))
        .map(|c| FailingImage {
            container: c.container,
            image: c.image,
            reason: c.reason,
        })
        .collect();
    if failing.is_empty() {
        return None;
    }
    // A pod with a failing container has a spec: `failures_of` reads the images from it.
    let spec = pod.spec.as_ref()?;
    Some(StuckPod {
        name: meta.name.clone().unwrap_or_default(),
        uid: meta.uid.clone().unwrap_or_default(),
        created_at: meta.creation_timestamp.as_ref().map(|t| t.0.as_second()),
        service_account: service_account_of(spec),
        pod_secrets: pull_secret_names(spec.image_pull_secrets.as_ref()),
        failing,
        controller: controller_of(meta),
    })
}

/// What heal needs of a ReplicaSet: its Deployment and its revision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplicaSetFact {
    pub deployment: Option<String>,
    pub revision: Option<i64>,
}

/// The ReplicaSet as heal sees it.
pub fn replica_set_fact(replica_set: &ReplicaSet) -> ReplicaSetFact {
    ReplicaSetFact {
        deployment: controller_of(&replica_set.metadata)
            .filter(|(kind, _)| kind == "Deployment")
            .map(|(_, name)| name),
        revision: revision_of(&replica_set.metadata),
    }
}

/// What heal needs of a Deployment, StatefulSet or DaemonSet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkloadFact {
    /// A paused Deployment makes no new pods: it is reported, not restarted.
    pub paused: bool,
    /// The pod template's own imagePullSecrets: when there are any, new pods get these and not
    /// the service account's.
    pub template_secrets: Vec<String>,
    /// The template's restartedAt annotation, seconds since the epoch.
    pub restarted_at: Option<i64>,
    /// A Deployment's revision (its ReplicaSets carry theirs).
    pub revision: Option<i64>,
    /// Whether a restart makes the controller replace a pod that never became Ready. A
    /// StatefulSet (OrderedReady) waits for it to be Ready first, forever; one with the OnDelete
    /// strategy (StatefulSet or DaemonSet) replaces only pods that are deleted.
    pub replaces_stuck_pods: bool,
}

/// The Deployment as heal sees it.
pub fn deployment_fact(deployment: &Deployment) -> WorkloadFact {
    let spec = &deployment.spec;
    WorkloadFact {
        paused: spec.paused.unwrap_or(false),
        revision: revision_of(&deployment.metadata),
        replaces_stuck_pods: true,
        ..template_fact(&spec.template)
    }
}

/// The StatefulSet as heal sees it.
pub fn stateful_set_fact(set: &StatefulSet) -> WorkloadFact {
    let spec = &set.spec;
    let parallel = spec.pod_management_policy.as_deref() == Some("Parallel");
    let on_delete = spec
        .update_strategy
        .as_ref()
        .and_then(|s| s.type_.as_deref())
        == Some("OnDelete");
    WorkloadFact {
        replaces_stuck_pods: parallel && !on_delete,
        ..template_fact(&spec.template)
    }
}

/// The DaemonSet as heal sees it.
pub fn daemon_set_fact(set: &DaemonSet) -> WorkloadFact {
    let on_delete = set
        .spec
        .update_strategy
        .as_ref()
        .and_then(|s| s.type_.as_deref())
        == Some("OnDelete");
    WorkloadFact {
        replaces_stuck_pods: !on_delete,
        ..template_fact(&set.spec.template)
    }
}

fn template_fact(template: &PodTemplateSpec) -> WorkloadFact {
    let restarted_at = template
        .metadata
        .as_ref()
        .and_then(|m| m.annotations.as_ref())
        .and_then(|a| a.get(RESTARTED_AT_ANNOTATION))
        .and_then(|text| text.parse::<Timestamp>().ok())
        .map(|t| t.as_second());
    let template_secrets = pull_secret_names(
        template
            .spec
            .as_ref()
            .and_then(|s| s.image_pull_secrets.as_ref()),
    );
    WorkloadFact {
        template_secrets,
        restarted_at,
        ..WorkloadFact::default()
    }
}

fn revision_of(meta: &ObjectMeta) -> Option<i64> {
    meta.annotations
        .as_ref()
        .and_then(|a| a.get(REVISION_ANNOTATION))
        .and_then(|r| r.parse().ok())
}

/// Who makes a new pod when this one goes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Owner {
    /// A Deployment, StatefulSet or DaemonSet: restarted.
    Workload(Kind, String),
    /// Another controller (Job, ReplicaSet of no Deployment, ...): makes a new pod when this
    /// one is deleted.
    Controller(String, String),
    /// No controller: nothing makes it again.
    Bare(String),
    /// A ReplicaSet that could not be found.
    Gone(String, String),
}

pub(super) fn owner_of(pod: &StuckPod, replica_sets: &HashMap<String, ReplicaSetFact>) -> Owner {
    let Some((kind, name)) = &pod.controller else {
        return Owner::Bare(pod.name.clone());
    };
    if kind == "ReplicaSet" {
        return match replica_sets.get(name) {
            Some(ReplicaSetFact {
                deployment: Some(deployment),
                ..
            }) => Owner::Workload(Kind::Deployment, deployment.clone()),
            Some(_) => Owner::Controller(kind.clone(), name.clone()),
            None => Owner::Gone(kind.clone(), name.clone()),
        };
    }
    match Kind::from_owner_kind(kind) {
        Some(kind) => Owner::Workload(kind, name.clone()),
        None => Owner::Controller(kind.clone(), name.clone()),
    }
}

impl Owner {
    /// `deployment/web`, `job/backup`, `pod/debug`.
    pub(super) fn label(&self) -> String {
        match self {
            Owner::Workload(kind, name) => format!("{}/{name}", kind.as_str()),
            Owner::Controller(kind, name) | Owner::Gone(kind, name) => {
                format!("{}/{name}", kind.to_lowercase())
            }
            Owner::Bare(pod) => format!("pod/{pod}"),
        }
    }
}

/// What the cluster holds in one namespace, as far as its stuck pods go. Objects that do not
/// exist are absent.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub accounts: HashMap<String, AccountFact>,
    pub secrets: HashMap<String, SecretFact>,
    pub replica_sets: HashMap<String, ReplicaSetFact>,
    pub workloads: HashMap<(Kind, String), WorkloadFact>,
}

/// The ReplicaSets to read: the controllers of the stuck pods.
pub fn replica_sets_needed(pods: &[StuckPod]) -> BTreeSet<String> {
    pods.iter()
        .filter_map(|p| p.controller.as_ref())
        .filter(|(kind, _)| kind == "ReplicaSet")
        .map(|(_, name)| name.clone())
        .collect()
}

/// The workloads to read: the stuck pods' Deployments (through `replica_sets`), StatefulSets
/// and DaemonSets.
pub fn workloads_needed(
    pods: &[StuckPod],
    replica_sets: &HashMap<String, ReplicaSetFact>,
) -> BTreeSet<(Kind, String)> {
    pods.iter()
        .filter_map(|pod| match owner_of(pod, replica_sets) {
            Owner::Workload(kind, name) => Some((kind, name)),
            _ => None,
        })
        .collect()
}

/// The service accounts to read.
pub fn accounts_needed(pods: &[StuckPod]) -> BTreeSet<String> {
    pods.iter().map(|p| p.service_account.clone()).collect()
}

/// The secrets to read: every one the accounts and templates list, and the trigger.
pub fn secrets_needed(facts: &Facts, trigger: Option<&Trigger>) -> BTreeSet<String> {
    let listed_by_accounts = facts.accounts.values().flat_map(|a| &a.pull_secrets);
    let listed_by_templates = facts.workloads.values().flat_map(|w| &w.template_secrets);
    listed_by_accounts
        .chain(listed_by_templates)
        .cloned()
        .chain(trigger.map(|t| t.secret.clone()))
        .collect()
}

impl Facts {
    /// Takes what this run just wrote as read, even where the cluster does not hold it (a dry
    /// run persists nothing): the secret `name` holds `registries` (besides what it held), and
    /// the accounts `attached_to` list it.
    pub fn assume_written<'a>(
        &mut self,
        name: &str,
        registries: impl IntoIterator<Item = &'a str>,
        attached_to: &[String],
    ) {
        let mut registries = registries.into_iter().peekable();
        if registries.peek().is_some() {
            let fact = self
                .secrets
                .entry(name.to_string())
                .or_insert_with(|| SecretFact {
                    name: name.to_string(),
                    exists: true,
                    secret_type: Some(crate::dockerconfig::stored::DOCKERCONFIGJSON_TYPE.into()),
                    registries: Vec::new(),
                    expiry: Default::default(),
                    jwt_expires_at: Default::default(),
                });
            for registry in registries {
                if !fact.registries.iter().any(|r| r == registry) {
                    fact.registries.push(registry.to_string());
                }
            }
        }
        for account in attached_to {
            if let Some(fact) = self.accounts.get_mut(account)
                && !fact.pull_secrets.iter().any(|s| s == name)
            {
                fact.pull_secrets.push(name.to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heal::fixtures::IMAGE;

    #[test]
    fn facts_come_from_the_objects() {
        let deployment: Deployment = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "web", "annotations": {"deployment.kubernetes.io/revision": "3"}},
            "spec": {
                "paused": true,
                "selector": {},
                "template": {
                    "metadata": {"annotations": {RESTARTED_AT_ANNOTATION: "2024-05-01T12:00:00+02:00"}},
                    "spec": {"containers": [], "imagePullSecrets": [{"name": "own"}]},
                },
            },
        }))
        .unwrap();
        let fact = deployment_fact(&deployment);
        assert!(fact.paused);
        assert_eq!(fact.revision, Some(3));
        assert_eq!(fact.template_secrets, ["own"]);
        assert_eq!(fact.restarted_at, Some(1_714_557_600));

        let set = |policy: &str, strategy: &str| -> StatefulSet {
            serde_json::from_value(serde_json::json!({
                "metadata": {"name": "db"},
                "spec": {
                    "selector": {}, "serviceName": "db",
                    "podManagementPolicy": policy,
                    "updateStrategy": {"type": strategy},
                    "template": {"spec": {"containers": []}},
                },
            }))
            .unwrap()
        };
        assert!(!stateful_set_fact(&set("OrderedReady", "RollingUpdate")).replaces_stuck_pods);
        assert!(stateful_set_fact(&set("Parallel", "RollingUpdate")).replaces_stuck_pods);
        assert!(!stateful_set_fact(&set("Parallel", "OnDelete")).replaces_stuck_pods);

        let replica_set: ReplicaSet = serde_json::from_value(serde_json::json!({
            "metadata": {
                "name": "web-1",
                "annotations": {"deployment.kubernetes.io/revision": "2"},
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web",
                                     "uid": "u", "controller": true}],
            },
            "spec": {"selector": {}},
        }))
        .unwrap();
        assert_eq!(
            replica_set_fact(&replica_set),
            ReplicaSetFact {
                deployment: Some("web".into()),
                revision: Some(2)
            }
        );
    }

    #[test]
    fn only_pods_stuck_on_a_pull_count() {
        let pod_with = |waiting: &str, extra: serde_json::Value| -> Pod {
            let mut pod = serde_json::json!({
                "metadata": {
                    "name": "web-1-a", "uid": "u1", "creationTimestamp": "2024-05-01T10:00:00Z",
                    "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                         "name": "web-1", "uid": "u", "controller": true}],
                },
                "spec": {
                    "serviceAccountName": "builder",
                    "imagePullSecrets": [{"name": "old"}],
                    "initContainers": [{"name": "init", "image": "busybox"}],
                    "containers": [{"name": "app", "image": IMAGE}],
                },
                "status": {
                    "initContainerStatuses": [{"name": "init", "image": "busybox", "imageID": "",
                        "ready": true, "restartCount": 0,
                        "state": {"terminated": {"exitCode": 0}}}],
                    "containerStatuses": [{"name": "app", "image": IMAGE, "imageID": "",
                        "ready": false, "restartCount": 0,
                        "state": {"waiting": {"reason": waiting}}}],
                },
            });
            json_merge(&mut pod, extra);
            serde_json::from_value(pod).unwrap()
        };
        let stuck = stuck_pod(&pod_with("ImagePullBackOff", serde_json::json!({}))).unwrap();
        assert_eq!(stuck.service_account, "builder");
        assert_eq!(stuck.pod_secrets, ["old"]);
        assert_eq!(stuck.created_at, Some(1_714_557_600));
        assert_eq!(
            stuck.controller,
            Some(("ReplicaSet".to_string(), "web-1".to_string()))
        );
        assert_eq!(stuck.failing.len(), 1);
        assert!(is_stuck(&pod_with("ErrImagePull", serde_json::json!({}))));
        // Not a pull failure heal can fix; being deleted; a static pod.
        assert!(!is_stuck(&pod_with(
            "InvalidImageName",
            serde_json::json!({})
        )));
        assert!(!is_stuck(&pod_with(
            "ContainerCreating",
            serde_json::json!({})
        )));
        assert!(!is_stuck(&pod_with(
            "ImagePullBackOff",
            serde_json::json!({"metadata": {"deletionTimestamp": "2024-05-01T10:01:00Z"}})
        )));
        assert!(!is_stuck(&pod_with(
            "ImagePullBackOff",
            serde_json::json!({"metadata": {"annotations": {MIRROR_POD_ANNOTATION: "x"}}})
        )));
    }

    fn json_merge(target: &mut serde_json::Value, patch: serde_json::Value) {
        match (target, patch) {
            (serde_json::Value::Object(target), serde_json::Value::Object(patch)) => {
                for (key, value) in patch {
                    json_merge(target.entry(key).or_insert(serde_json::Value::Null), value);
                }
            }
            (target, patch) => *target = patch,
        }
    }
}
