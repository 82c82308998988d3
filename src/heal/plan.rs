//! The decision per workload: restart it, delete pods, leave it to the user (and say what to
//! run), or leave it alone (and say why).

use std::collections::BTreeMap;

use serde::Serialize;

use super::facts::{Facts, FailingImage, Kind, Owner, StuckPod, WorkloadFact, owner_of};
use crate::diagnose::registry_of;

/// `create --heal` / `attach --heal`: heal only for this secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    pub secret: String,
    /// This run created the secret or changed its content: pods that already list it failed
    /// with the old content, and are restarted too.
    pub changed: bool,
}

/// How to heal one namespace.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Delete stuck pods whose controller (a Job, ...) makes new ones.
    pub delete_pods: bool,
    pub trigger: Option<Trigger>,
}

/// A pod to delete, by name and UID (the delete is conditional on the UID, so a new pod of
/// the same name is never deleted by mistake).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PodRef {
    pub name: String,
    #[serde(skip)]
    pub uid: String,
}

/// What to do for one workload (or controller, or bare pod).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Patch the template's restartedAt (when `patch`), then delete the pods in `delete`,
    /// which the controller would not replace by itself.
    Restart {
        kind: Kind,
        name: String,
        patch: bool,
        delete: Vec<PodRef>,
    },
    /// Delete the pods; their controller makes new ones (`--delete-pods`).
    Delete { pods: Vec<PodRef> },
    /// Left for the user, who has to act: why, and what to run.
    Skip {
        reason: String,
        commands: Vec<String>,
    },
    /// Nothing to do, and why.
    Leave { reason: String },
}

/// A stuck pod in a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PodReport {
    pub name: String,
    pub containers: Vec<FailingImage>,
}

/// The plan for one workload, controller or bare pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    /// `deployment/web`, `job/backup`, `pod/debug`.
    pub workload: String,
    pub pods: Vec<PodReport>,
    /// The serving secrets new pods get, and where from (`serviceaccount default`).
    pub secrets: Vec<String>,
    pub source: String,
    pub action: Action,
}

/// Why a pod is, or is not, worth replacing.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Verdict {
    /// New pods get `secrets`, which serve a failing image. `already_listed`: the pod lists
    /// them too, and the run changed them (trigger mode).
    Heal {
        secrets: Vec<String>,
        source: String,
        already_listed: bool,
    },
    /// The template lists pull secrets of its own, so new pods do not get the account's
    /// `missing`, which serve.
    TemplateOwnsSecrets {
        template: Vec<String>,
        missing: Vec<String>,
        account: String,
    },
    AccountMissing(String),
    /// The pod already lists every serving secret new pods would get.
    AlreadyListed(Vec<String>),
    /// No secret new pods would get serves the image.
    NothingServes {
        registry: String,
        account: String,
    },
    /// Trigger mode: the account does not list the trigger.
    NotListed {
        secret: String,
        account: String,
    },
    /// Trigger mode: the trigger serves none of the failing images.
    OutOfScope,
}

/// Whether new pods of `pod`'s owner would pull its failing images with a secret it lacks
/// (`template`: the owner's own imagePullSecrets, when known).
fn verdict(
    pod: &StuckPod,
    template: Option<&[String]>,
    facts: &Facts,
    options: &Options,
) -> Verdict {
    let trigger = options.trigger.as_ref();
    let images = images_in_scope(pod, facts, trigger);
    let Some(first_image) = images.first() else {
        return Verdict::OutOfScope;
    };
    let serving = Serving {
        facts,
        images: &images,
    };
    let account = &pod.service_account;
    let account_list = facts
        .accounts
        .get(account)
        .map(|a| a.pull_secrets.as_slice());
    let template = template.filter(|t| !t.is_empty());
    let (new_list, source) = match (template, account_list) {
        (Some(template), _) => (template, "the pod template".to_string()),
        (None, Some(list)) => (list, format!("serviceaccount {account}")),
        (None, None) => return Verdict::AccountMissing(account.clone()),
    };
    if let Some(gain) = gain(pod, serving.among(new_list), source, trigger) {
        return gain;
    }
    // Nothing new pods would get helps: say why.
    if let Some(template) = template {
        let mut missing = serving.among(account_list.unwrap_or_default());
        missing.retain(|n| !template.contains(n) && trigger.is_none_or(|t| &t.secret == n));
        if !missing.is_empty() {
            return Verdict::TemplateOwnsSecrets {
                template: template.to_vec(),
                missing,
                account: account.clone(),
            };
        }
    }
    match (account_list, trigger) {
        (None, _) => Verdict::AccountMissing(account.clone()),
        (Some(_), Some(t)) => Verdict::NotListed {
            secret: t.secret.clone(),
            account: account.clone(),
        },
        (Some(_), None) => Verdict::NothingServes {
            registry: registry_of(first_image).unwrap_or_else(|| first_image.to_string()),
            account: account.clone(),
        },
    }
}

/// The failing images heal looks at: all of them, or with a trigger those it serves.
fn images_in_scope<'a>(
    pod: &'a StuckPod,
    facts: &Facts,
    trigger: Option<&Trigger>,
) -> Vec<&'a str> {
    let trigger = trigger.map(|t| facts.secrets.get(&t.secret));
    pod.failing
        .iter()
        .map(|f| f.image.as_str())
        .filter(|image| match trigger {
            Some(secret) => secret.is_some_and(|s| s.serves(image)),
            None => true,
        })
        .collect()
}

/// Which secrets serve the images in scope.
struct Serving<'a> {
    facts: &'a Facts,
    images: &'a [&'a str],
}

impl Serving<'_> {
    /// The names in `list` whose secret exists, is a pull secret and serves an image, once each.
    fn among(&self, list: &[String]) -> Vec<String> {
        let mut serving: Vec<String> = Vec::new();
        for name in list {
            let serves = self
                .facts
                .secrets
                .get(name)
                .is_some_and(|s| self.images.iter().any(|image| s.serves(image)));
            if serves && !serving.contains(name) {
                serving.push(name.clone());
            }
        }
        serving
    }
}

/// The verdict when new pods would get serving secrets (`serving`, from `source`): heal if
/// they gain one the pod lacks (with a trigger: the trigger, or one the run changed), else
/// the pod already has them. None when no secret new pods get serves.
fn gain(
    pod: &StuckPod,
    serving: Vec<String>,
    source: String,
    trigger: Option<&Trigger>,
) -> Option<Verdict> {
    let lacks = |name: &String| !pod.pod_secrets.contains(name);
    match trigger {
        Some(t) if serving.contains(&t.secret) => {
            let already_listed = !lacks(&t.secret);
            Some(match !already_listed || t.changed {
                true => Verdict::Heal {
                    secrets: vec![t.secret.clone()],
                    source,
                    already_listed,
                },
                false => Verdict::AlreadyListed(vec![t.secret.clone()]),
            })
        }
        Some(_) => None,
        None if serving.is_empty() => None,
        None => {
            let gained: Vec<String> = serving.iter().filter(|n| lacks(n)).cloned().collect();
            Some(match gained.is_empty() {
                true => Verdict::AlreadyListed(serving),
                false => Verdict::Heal {
                    secrets: gained,
                    source,
                    already_listed: false,
                },
            })
        }
    }
}

/// What to do in one namespace: one entry per workload, controller or bare pod with stuck
/// pods, in a stable order. With a trigger, pods whose failing images it does not serve are
/// left out altogether.
pub fn plan(namespace: &str, pods: &[StuckPod], facts: &Facts, options: &Options) -> Vec<Planned> {
    let mut groups: BTreeMap<Owner, Vec<(&StuckPod, Verdict)>> = BTreeMap::new();
    for pod in pods {
        let owner = owner_of(pod, &facts.replica_sets);
        let workload = match &owner {
            Owner::Workload(kind, name) => facts.workloads.get(&(*kind, name.clone())),
            _ => None,
        };
        let template = workload.map(|w| w.template_secrets.as_slice());
        let verdict = verdict(pod, template, facts, options);
        if verdict != Verdict::OutOfScope {
            groups.entry(owner).or_default().push((pod, verdict));
        }
    }
    groups
        .into_iter()
        .map(|(owner, pods)| plan_owner(namespace, &owner, &pods, facts, options))
        .collect()
}

fn plan_owner(
    namespace: &str,
    owner: &Owner,
    pods: &[(&StuckPod, Verdict)],
    facts: &Facts,
    options: &Options,
) -> Planned {
    let healable: Vec<&StuckPod> = pods
        .iter()
        .filter(|(_, v)| matches!(v, Verdict::Heal { .. }))
        .map(|(p, _)| *p)
        .collect();
    let (secrets, source, only_changed) = heal_secrets(pods);
    let shown: Vec<&StuckPod> = match healable.is_empty() {
        true => pods.iter().map(|(p, _)| *p).collect(),
        false => healable.clone(),
    };
    let mut planned = Planned {
        workload: owner.label(),
        pods: shown.iter().map(|p| pod_report(p)).collect(),
        secrets,
        source,
        action: Action::Leave {
            reason: String::new(),
        },
    };
    planned.action = if healable.is_empty() {
        explain(namespace, owner, &pods[0].1)
    } else {
        heal_action(namespace, owner, &healable, only_changed, facts, options)
    };
    planned
}

/// The serving secrets the healable pods gain, where from, and whether every one of those pods
/// lists them already (only their content changed).
fn heal_secrets(pods: &[(&StuckPod, Verdict)]) -> (Vec<String>, String, bool) {
    let mut secrets: Vec<String> = Vec::new();
    let mut from = String::new();
    let mut only_changed = true;
    for (_, verdict) in pods {
        if let Verdict::Heal {
            secrets: gained,
            source,
            already_listed,
        } = verdict
        {
            for name in gained {
                if !secrets.contains(name) {
                    secrets.push(name.clone());
                }
            }
            if from.is_empty() {
                from = source.clone();
            }
            only_changed &= *already_listed;
        }
    }
    (secrets, from, only_changed)
}

fn heal_action(
    namespace: &str,
    owner: &Owner,
    healable: &[&StuckPod],
    only_changed: bool,
    facts: &Facts,
    options: &Options,
) -> Action {
    match owner {
        Owner::Workload(kind, name) => match facts.workloads.get(&(*kind, name.clone())) {
            Some(workload) => restart(namespace, *kind, name, workload, healable, facts),
            None => Action::Leave {
                reason: format!("{} not found", owner.label()),
            },
        },
        // The kubelet pulls again with the new content, within its back-off: no delete needed.
        Owner::Controller(..) | Owner::Bare(_) if only_changed => Action::Leave {
            reason: "it lists the secret this run changed: the kubelet tries again with it \
                     within its back-off (up to 5 minutes)"
                .into(),
        },
        Owner::Controller(_, _) if options.delete_pods => Action::Delete {
            pods: pod_refs(healable),
        },
        Owner::Controller(kind, name) => Action::Skip {
            reason: format!(
                "{}/{name} makes a new pod when a stuck one is deleted: delete it, or pass \
                 --delete-pods",
                kind.to_lowercase()
            ),
            commands: delete_commands(namespace, healable),
        },
        Owner::Bare(_) => Action::Skip {
            reason: "no controller makes this pod again, so heal never deletes it (not even \
                     with --delete-pods): delete it and create it again from its manifest"
                .into(),
            commands: delete_commands(namespace, healable),
        },
        Owner::Gone(..) => Action::Leave {
            reason: format!("{} not found", owner.label()),
        },
    }
}

/// A restart of a Deployment, StatefulSet or DaemonSet, unless it is paused or a rollout is
/// replacing its stuck pods already; with the deletes of the pods it would not replace.
fn restart(
    namespace: &str,
    kind: Kind,
    name: &str,
    workload: &WorkloadFact,
    healable: &[&StuckPod],
    facts: &Facts,
) -> Action {
    if kind == Kind::Deployment && workload.paused {
        // Resuming rolls out only a template changed meanwhile: heal again after.
        return Action::Skip {
            reason: "paused: run kubectl rollout resume first".into(),
            commands: vec![
                format!("kubectl rollout resume deployment/{name} -n {namespace}"),
                format!("kubectl regcred heal -n {namespace}"),
            ],
        };
    }
    let restarted_since = |pod: &&StuckPod| is_restarted_since(workload, pod);
    if !workload.replaces_stuck_pods {
        return Action::Restart {
            kind,
            name: name.to_string(),
            patch: !healable.iter().all(restarted_since),
            delete: pod_refs(healable),
        };
    }
    let being_replaced =
        |pod: &&StuckPod| restarted_since(pod) || is_older_revision(workload, pod, facts);
    if healable.iter().all(being_replaced) {
        return Action::Leave {
            reason: "a rollout is already replacing its stuck pods".into(),
        };
    }
    Action::Restart {
        kind,
        name: name.to_string(),
        patch: true,
        delete: Vec::new(),
    }
}

/// The workload was restarted after the pod was made.
fn is_restarted_since(workload: &WorkloadFact, pod: &StuckPod) -> bool {
    match (workload.restarted_at, pod.created_at) {
        (Some(restarted), Some(created)) => restarted > created,
        _ => false,
    }
}

/// The pod's ReplicaSet is of an older revision than its Deployment: a rollout replaces it.
fn is_older_revision(workload: &WorkloadFact, pod: &StuckPod, facts: &Facts) -> bool {
    let pod_revision = pod
        .controller
        .as_ref()
        .and_then(|(_, replica_set)| facts.replica_sets.get(replica_set))
        .and_then(|replica_set| replica_set.revision);
    matches!((pod_revision, workload.revision), (Some(pod), Some(current)) if pod < current)
}

fn pod_refs(pods: &[&StuckPod]) -> Vec<PodRef> {
    pods.iter()
        .map(|p| PodRef {
            name: p.name.clone(),
            uid: p.uid.clone(),
        })
        .collect()
}

fn delete_commands(namespace: &str, pods: &[&StuckPod]) -> Vec<String> {
    pods.iter()
        .map(|p| format!("kubectl delete pod {} -n {namespace}", p.name))
        .collect()
}

/// Why nothing is done for an owner none of whose stuck pods would pull better when new.
fn explain(namespace: &str, owner: &Owner, verdict: &Verdict) -> Action {
    let diagnose = format!("see kubectl regcred diagnose -n {namespace}");
    let reason = match verdict {
        Verdict::TemplateOwnsSecrets {
            template,
            missing,
            account,
        } => {
            let mut commands = Vec::new();
            if let Owner::Workload(..) = owner {
                for secret in missing {
                    let op = serde_json::json!([{
                        "op": "add",
                        "path": "/spec/template/spec/imagePullSecrets/-",
                        "value": {"name": secret},
                    }]);
                    commands.push(format!(
                        "kubectl patch {} -n {namespace} --type json -p '{op}'",
                        owner.label()
                    ));
                }
            }
            return Action::Skip {
                reason: format!(
                    "its pod template lists imagePullSecrets of its own ({}), so new pods do not \
                     get serviceaccount {account}'s: add {} to the template",
                    template.join(", "),
                    missing.join(", ")
                ),
                commands,
            };
        }
        Verdict::AccountMissing(account) => format!("serviceaccount {account} not found"),
        Verdict::AlreadyListed(secrets) => format!(
            "the pods already list {}, which serves the image: a new pod would pull the same \
             way ({diagnose})",
            secrets.join(", ")
        ),
        Verdict::NothingServes { registry, account } => {
            format!("no pull secret of serviceaccount {account} serves {registry} ({diagnose})")
        }
        Verdict::NotListed { secret, account } => format!(
            "serviceaccount {account} does not list {secret}: attach it with --service-account \
             {account}"
        ),
        // Planned only for healable pods, and out-of-scope pods are never grouped.
        Verdict::Heal { .. } | Verdict::OutOfScope => String::new(),
    };
    Action::Leave { reason }
}

fn pod_report(pod: &StuckPod) -> PodReport {
    PodReport {
        name: pod.name.clone(),
        containers: pod.failing.clone(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::heal::ReplicaSetFact;
    use crate::heal::fixtures::*;

    /// (workload, action kind, detail) for each planned entry: a compact view for the table.
    fn summary(planned: &[Planned]) -> Vec<(String, String)> {
        planned
            .iter()
            .map(|p| {
                let action = match &p.action {
                    Action::Restart { patch, delete, .. } => format!(
                        "restart patch={patch} delete=[{}]",
                        delete
                            .iter()
                            .map(|d| d.name.as_str())
                            .collect::<Vec<_>>()
                            .join(",")
                    ),
                    Action::Delete { pods } => format!(
                        "delete [{}]",
                        pods.iter()
                            .map(|d| d.name.as_str())
                            .collect::<Vec<_>>()
                            .join(",")
                    ),
                    Action::Skip { reason, .. } => format!("skip: {reason}"),
                    Action::Leave { reason } => format!("leave: {reason}"),
                };
                (p.workload.clone(), action)
            })
            .collect()
    }

    struct Case {
        name: &'static str,
        pods: Vec<StuckPod>,
        facts: Facts,
        options: Options,
        /// (workload, start of the action summary)
        expected: Vec<(&'static str, &'static str)>,
    }

    fn cases() -> Vec<Case> {
        let mut template_owns = facts();
        template_owns
            .workloads
            .get_mut(&(Kind::Deployment, "web".into()))
            .unwrap()
            .template_secrets = vec!["old".into()];
        let mut template_lists = facts();
        template_lists
            .workloads
            .get_mut(&(Kind::Deployment, "web".into()))
            .unwrap()
            .template_secrets = vec!["regcred".into()];
        let mut paused = facts();
        paused
            .workloads
            .get_mut(&(Kind::Deployment, "web".into()))
            .unwrap()
            .paused = true;
        let mut restarted = facts();
        restarted
            .workloads
            .get_mut(&(Kind::Deployment, "web".into()))
            .unwrap()
            .restarted_at = Some(2_000);
        let mut newer_revision = facts();
        newer_revision
            .workloads
            .get_mut(&(Kind::Deployment, "web".into()))
            .unwrap()
            .revision = Some(2);
        let mut sts_restarted = facts();
        sts_restarted
            .workloads
            .get_mut(&(Kind::StatefulSet, "db".into()))
            .unwrap()
            .restarted_at = Some(2_000);
        let mut other_host = facts();
        other_host.secrets =
            HashMap::from([("regcred".into(), pull_secret("regcred", &["ghcr.io"]))]);
        let mut not_attached = facts();
        not_attached.accounts = HashMap::from([("default".into(), account("default", &[]))]);
        let mut missing_secret = facts();
        missing_secret.secrets.clear();
        let mut wrong_type = facts();
        wrong_type.secrets.get_mut("regcred").unwrap().secret_type = Some("Opaque".into());
        let mut no_account = facts();
        no_account.accounts.clear();
        let mut bare_rs = facts();
        bare_rs
            .replica_sets
            .insert("solo".into(), ReplicaSetFact::default());
        let mut second_secret = facts();
        second_secret
            .accounts
            .insert("default".into(), account("default", &["old", "regcred"]));
        second_secret
            .secrets
            .insert("old".into(), pull_secret("old", &[REGISTRY]));

        vec![
            Case {
                name: "the issue's rule: the account lists a serving secret the pod lacks",
                pods: vec![web("web-1-a")],
                facts: facts(),
                options: Options::default(),
                expected: vec![("deployment/web", "restart patch=true delete=[]")],
            },
            Case {
                name: "several stuck pods of one Deployment: one restart",
                pods: vec![web("web-1-a"), web("web-1-b"), web("web-1-c")],
                facts: facts(),
                options: Options::default(),
                expected: vec![("deployment/web", "restart patch=true delete=[]")],
            },
            Case {
                name: "the pod already has the serving secret",
                pods: vec![pod("web-1-a", Some(("ReplicaSet", "web-1")), &["regcred"])],
                facts: facts(),
                options: Options::default(),
                expected: vec![("deployment/web", "leave: the pods already list regcred")],
            },
            Case {
                name: "an old secret for the registry on the pod, a new one on the account",
                pods: vec![pod("web-1-a", Some(("ReplicaSet", "web-1")), &["old"])],
                facts: second_secret,
                options: Options::default(),
                expected: vec![("deployment/web", "restart patch=true")],
            },
            Case {
                name: "the account's secret is for another registry",
                pods: vec![web("web-1-a")],
                facts: other_host,
                options: Options::default(),
                expected: vec![(
                    "deployment/web",
                    "leave: no pull secret of serviceaccount default serves registry.example:5000",
                )],
            },
            Case {
                name: "the account lists nothing",
                pods: vec![web("web-1-a")],
                facts: not_attached.clone(),
                options: Options::default(),
                expected: vec![("deployment/web", "leave: no pull secret")],
            },
            Case {
                name: "the listed secret does not exist",
                pods: vec![web("web-1-a")],
                facts: missing_secret,
                options: Options::default(),
                expected: vec![("deployment/web", "leave: no pull secret")],
            },
            Case {
                name: "the listed secret is no pull secret",
                pods: vec![web("web-1-a")],
                facts: wrong_type,
                options: Options::default(),
                expected: vec![("deployment/web", "leave: no pull secret")],
            },
            Case {
                name: "the service account does not exist",
                pods: vec![web("web-1-a")],
                facts: no_account,
                options: Options::default(),
                expected: vec![("deployment/web", "leave: serviceaccount default not found")],
            },
            Case {
                name: "a template with pull secrets of its own ignores the account's",
                pods: vec![pod("web-1-a", Some(("ReplicaSet", "web-1")), &["old"])],
                facts: template_owns,
                options: Options::default(),
                expected: vec![(
                    "deployment/web",
                    "skip: its pod template lists imagePullSecrets of its own (old)",
                )],
            },
            Case {
                name: "a template that lists the serving secret the pod lacks",
                pods: vec![web("web-1-a")],
                facts: template_lists,
                options: Options::default(),
                expected: vec![("deployment/web", "restart patch=true")],
            },
            Case {
                name: "a paused Deployment is reported",
                pods: vec![web("web-1-a")],
                facts: paused,
                options: Options::default(),
                expected: vec![(
                    "deployment/web",
                    "skip: paused: run kubectl rollout resume first",
                )],
            },
            Case {
                name: "re-run while the rollout replaces the pods: restartedAt after the pod",
                pods: vec![web("web-1-a")],
                facts: restarted,
                options: Options::default(),
                expected: vec![(
                    "deployment/web",
                    "leave: a rollout is already replacing its stuck pods",
                )],
            },
            Case {
                name: "re-run while the rollout replaces the pods: an old ReplicaSet",
                pods: vec![web("web-1-a")],
                facts: newer_revision,
                options: Options::default(),
                expected: vec![(
                    "deployment/web",
                    "leave: a rollout is already replacing its stuck pods",
                )],
            },
            Case {
                name: "a StatefulSet is restarted and its stuck pods deleted",
                pods: vec![
                    pod("db-0", Some(("StatefulSet", "db")), &[]),
                    pod("db-1", Some(("StatefulSet", "db")), &[]),
                ],
                facts: facts(),
                options: Options::default(),
                expected: vec![("statefulset/db", "restart patch=true delete=[db-0,db-1]")],
            },
            Case {
                name: "a StatefulSet restarted since: only the deletes",
                pods: vec![pod("db-0", Some(("StatefulSet", "db")), &[])],
                facts: sts_restarted,
                options: Options::default(),
                expected: vec![("statefulset/db", "restart patch=false delete=[db-0]")],
            },
            Case {
                name: "a DaemonSet is restarted",
                pods: vec![pod("agent-x", Some(("DaemonSet", "agent")), &[])],
                facts: facts(),
                options: Options::default(),
                expected: vec![("daemonset/agent", "restart patch=true delete=[]")],
            },
            Case {
                name: "a bare pod is reported with the delete command",
                pods: vec![pod("debug", None, &[])],
                facts: facts(),
                options: Options::default(),
                expected: vec![("pod/debug", "skip: no controller makes this pod again")],
            },
            Case {
                name: "a bare pod is not deleted even with --delete-pods",
                pods: vec![pod("debug", None, &[])],
                facts: facts(),
                options: Options {
                    delete_pods: true,
                    trigger: None,
                },
                expected: vec![("pod/debug", "skip: no controller makes this pod again")],
            },
            Case {
                name: "a Job pod is reported",
                pods: vec![pod("backup-x", Some(("Job", "backup")), &[])],
                facts: facts(),
                options: Options::default(),
                expected: vec![(
                    "job/backup",
                    "skip: job/backup makes a new pod when a stuck one is deleted",
                )],
            },
            Case {
                name: "a Job pod is deleted with --delete-pods",
                pods: vec![pod("backup-x", Some(("Job", "backup")), &[])],
                facts: facts(),
                options: Options {
                    delete_pods: true,
                    trigger: None,
                },
                expected: vec![("job/backup", "delete [backup-x]")],
            },
            Case {
                name: "a ReplicaSet of no Deployment counts as another controller",
                pods: vec![pod("solo-x", Some(("ReplicaSet", "solo")), &[])],
                facts: bare_rs,
                options: Options::default(),
                expected: vec![("replicaset/solo", "skip: replicaset/solo makes a new pod")],
            },
            Case {
                name: "one row per owner, in a stable order",
                pods: vec![
                    pod("debug", None, &[]),
                    pod("db-0", Some(("StatefulSet", "db")), &[]),
                    web("web-1-a"),
                ],
                facts: facts(),
                options: Options::default(),
                expected: vec![
                    ("deployment/web", "restart"),
                    ("statefulset/db", "restart"),
                    ("pod/debug", "skip"),
                ],
            },
            Case {
                name: "--heal: a pod that lacks the secret the run attached",
                pods: vec![web("web-1-a")],
                facts: facts(),
                options: trigger(false),
                expected: vec![("deployment/web", "restart patch=true")],
            },
            Case {
                name: "--heal: a pod that lists the secret the run changed",
                pods: vec![pod("web-1-a", Some(("ReplicaSet", "web-1")), &["regcred"])],
                facts: facts(),
                options: trigger(true),
                expected: vec![("deployment/web", "restart patch=true")],
            },
            Case {
                name: "--heal: a pod that lists the secret the run did not change",
                pods: vec![pod("web-1-a", Some(("ReplicaSet", "web-1")), &["regcred"])],
                facts: facts(),
                options: trigger(false),
                expected: vec![("deployment/web", "leave: the pods already list regcred")],
            },
            Case {
                name: "--heal: a bare pod listing the changed secret retries by itself",
                pods: vec![pod("debug", None, &["regcred"])],
                facts: facts(),
                options: trigger(true),
                expected: vec![("pod/debug", "leave: it lists the secret this run changed")],
            },
            Case {
                name: "--heal: pods whose image the secret does not serve are left out",
                pods: vec![web("web-1-a")],
                facts: other_host_with_other_secret(),
                options: trigger(false),
                expected: vec![],
            },
            Case {
                name: "--heal: the pod's account does not list the secret",
                pods: vec![web("web-1-a")],
                facts: not_attached,
                options: trigger(false),
                expected: vec![(
                    "deployment/web",
                    "leave: serviceaccount default does not list regcred",
                )],
            },
        ]
    }

    /// `regcred` serves ghcr.io only; `other` on the account serves the failing image.
    fn other_host_with_other_secret() -> Facts {
        let mut facts = facts();
        facts.secrets = HashMap::from([
            ("regcred".into(), pull_secret("regcred", &["ghcr.io"])),
            ("other".into(), pull_secret("other", &[REGISTRY])),
        ]);
        facts.accounts =
            HashMap::from([("default".into(), account("default", &["regcred", "other"]))]);
        facts
    }

    #[test]
    fn plans_follow_the_rules() {
        for case in cases() {
            let planned = plan(NS, &case.pods, &case.facts, &case.options);
            let got = summary(&planned);
            assert_eq!(got.len(), case.expected.len(), "{}: {got:#?}", case.name);
            for ((workload, action), (want_workload, want_action)) in got.iter().zip(&case.expected)
            {
                assert_eq!(workload, want_workload, "{}: {got:#?}", case.name);
                assert!(
                    action.starts_with(want_action),
                    "{}: {action:?} does not start with {want_action:?}",
                    case.name
                );
            }
        }
    }

    #[test]
    fn skipped_pods_carry_the_exact_commands() {
        let planned = plan(
            NS,
            &[pod("debug", None, &[])],
            &facts(),
            &Options::default(),
        );
        let Action::Skip { commands, .. } = &planned[0].action else {
            panic!("{planned:?}")
        };
        assert_eq!(commands, &["kubectl delete pod debug -n team-a"]);

        let mut paused = facts();
        paused
            .workloads
            .get_mut(&(Kind::Deployment, "web".into()))
            .unwrap()
            .paused = true;
        let planned = plan(NS, &[web("web-1-a")], &paused, &Options::default());
        let Action::Skip { commands, .. } = &planned[0].action else {
            panic!("{planned:?}")
        };
        assert_eq!(
            commands,
            &[
                "kubectl rollout resume deployment/web -n team-a",
                "kubectl regcred heal -n team-a"
            ]
        );
    }

    #[test]
    fn the_template_fix_is_a_json_patch_that_appends() {
        let mut owns = facts();
        owns.workloads
            .get_mut(&(Kind::Deployment, "web".into()))
            .unwrap()
            .template_secrets = vec!["old".into()];
        let planned = plan(NS, &[web("web-1-a")], &owns, &Options::default());
        let Action::Skip { commands, .. } = &planned[0].action else {
            panic!("{planned:?}")
        };
        assert_eq!(
            commands,
            &[
                r#"kubectl patch deployment/web -n team-a --type json -p '[{"op":"add","path":"/spec/template/spec/imagePullSecrets/-","value":{"name":"regcred"}}]'"#
            ]
        );
    }

    #[test]
    fn a_dry_run_assumes_what_the_run_wrote() {
        let mut facts = facts();
        facts.secrets.clear();
        facts.accounts = HashMap::from([("default".into(), account("default", &[]))]);
        assert_eq!(
            summary(&plan(NS, &[web("web-1-a")], &facts, &trigger(true))),
            vec![]
        );
        facts.assume_written("regcred", [REGISTRY], &["default".to_string()]);
        assert_eq!(facts.accounts["default"].pull_secrets, ["regcred"]);
        assert!(facts.secrets["regcred"].serves(IMAGE));
        let planned = plan(NS, &[web("web-1-a")], &facts, &trigger(true));
        assert!(
            matches!(planned[0].action, Action::Restart { .. }),
            "{planned:?}"
        );
        // Assuming twice changes nothing.
        facts.assume_written("regcred", [REGISTRY], &["default".to_string()]);
        assert_eq!(facts.accounts["default"].pull_secrets, ["regcred"]);
        assert_eq!(facts.secrets["regcred"].registries, [REGISTRY]);
    }
}
