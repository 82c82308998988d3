//! Facts for the planner's tests: one registry, the default account listing `regcred`, which
//! serves it; `web-*` pods of deployment/web through replicaset web-1.

use std::collections::HashMap;

use super::{Facts, FailingImage, Kind, Options, ReplicaSetFact, StuckPod, Trigger, WorkloadFact};
use crate::diagnose::facts::{AccountFact, SecretFact};

pub(crate) const REGISTRY: &str = "registry.example:5000";
pub(crate) const IMAGE: &str = "registry.example:5000/team/app:1.0";
pub(crate) const NS: &str = "team-a";

pub(crate) fn pull_secret(name: &str, registries: &[&str]) -> SecretFact {
    SecretFact {
        name: name.into(),
        exists: true,
        secret_type: Some("kubernetes.io/dockerconfigjson".into()),
        registries: registries.iter().map(|r| r.to_string()).collect(),
        expiry: Default::default(),
        jwt_expires_at: Default::default(),
    }
}

pub(crate) fn account(name: &str, secrets: &[&str]) -> AccountFact {
    AccountFact {
        name: name.into(),
        exists: true,
        pull_secrets: secrets.iter().map(|s| s.to_string()).collect(),
    }
}

pub(crate) fn pod(name: &str, controller: Option<(&str, &str)>, secrets: &[&str]) -> StuckPod {
    StuckPod {
        name: name.into(),
        uid: format!("uid-{name}"),
        created_at: Some(1_000),
        service_account: "default".into(),
        pod_secrets: secrets.iter().map(|s| s.to_string()).collect(),
        failing: vec![FailingImage {
            container: "app".into(),
            image: IMAGE.into(),
            reason: "ImagePullBackOff".into(),
        }],
        controller: controller.map(|(k, n)| (k.to_string(), n.to_string())),
    }
}

pub(crate) fn deployment() -> WorkloadFact {
    WorkloadFact {
        revision: Some(1),
        replaces_stuck_pods: true,
        ..WorkloadFact::default()
    }
}

/// The default account lists `regcred`, which serves REGISTRY; web-* pods belong to
/// deployment/web through replicaset web-1 (revision 1).
pub(crate) fn facts() -> Facts {
    Facts {
        accounts: HashMap::from([("default".into(), account("default", &["regcred"]))]),
        secrets: HashMap::from([("regcred".into(), pull_secret("regcred", &[REGISTRY]))]),
        replica_sets: HashMap::from([(
            "web-1".into(),
            ReplicaSetFact {
                deployment: Some("web".into()),
                revision: Some(1),
            },
        )]),
        workloads: HashMap::from([
            ((Kind::Deployment, "web".into()), deployment()),
            ((Kind::StatefulSet, "db".into()), WorkloadFact::default()),
            (
                (Kind::DaemonSet, "agent".into()),
                WorkloadFact {
                    replaces_stuck_pods: true,
                    ..WorkloadFact::default()
                },
            ),
        ]),
    }
}

pub(crate) fn web(name: &str) -> StuckPod {
    pod(name, Some(("ReplicaSet", "web-1")), &[])
}

pub(crate) fn trigger(changed: bool) -> Options {
    Options {
        delete_pods: false,
        trigger: Some(Trigger {
            secret: "regcred".into(),
            changed,
        }),
    }
}
