//! The rows of the heal report: what was done (or left) for each workload, in words and as
//! stable JSON fields.

use std::collections::BTreeSet;

use serde::Serialize;

use super::facts::Kind;
use super::plan::{Action, Planned, PodReport, Trigger};

/// How a row ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HealStatus {
    /// The workload's pod template was given a new restartedAt (and pods it would not replace
    /// were deleted).
    Restarted,
    /// Stuck pods were deleted for their controller to make new ones (`--delete-pods`).
    Deleted,
    /// Left for the user: the details say what to run.
    Skipped,
    /// Nothing to do.
    Unchanged,
    Forbidden,
    Failed,
}

impl HealStatus {
    /// The word shown in tables and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            HealStatus::Restarted => "restarted",
            HealStatus::Deleted => "deleted",
            HealStatus::Skipped => "skipped",
            HealStatus::Unchanged => "unchanged",
            HealStatus::Forbidden => "forbidden",
            HealStatus::Failed => "failed",
        }
    }

    /// Did the row end as the user wanted (a deliberate skip included)?
    pub fn is_success(self) -> bool {
        !matches!(self, HealStatus::Forbidden | HealStatus::Failed)
    }
}

/// One row of the heal report: a workload (or controller, or bare pod), or a whole namespace
/// when it had nothing to heal or could not be read. Never holds secret content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HealRow {
    /// The kubeconfig context, when the run spans several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// Empty when a whole context failed.
    pub namespace: String,
    /// `deployment/web`, `statefulset/db`, `daemonset/agent`, `job/backup`, `pod/debug`; absent
    /// on a row about the whole namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workload: Option<String>,
    pub status: HealStatus,
    /// The stuck pods this row is about.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pods: Vec<PodReport>,
    /// The pull secrets that serve the failing images, which new pods get.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<String>,
    /// Pods deleted (StatefulSet pods, which it would not replace; `--delete-pods`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub deleted_pods: Vec<String>,
    pub reason: String,
    /// Commands for the user to run (skipped rows).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub commands: Vec<String>,
}

/// How carrying out an action went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Executed {
    /// Done; these pods were deleted (or were gone already).
    Done { deleted: Vec<String> },
    Failed {
        forbidden: bool,
        message: String,
        deleted: Vec<String>,
    },
}

impl HealRow {
    /// A namespace with no pod for heal: none stuck, or (with a trigger) none the secret serves.
    pub fn nothing_stuck(namespace: &str, trigger: Option<&Trigger>) -> Self {
        let reason = match trigger {
            Some(t) => format!("no pod is stuck pulling an image {} serves", t.secret),
            None => "no pod is stuck on an image pull".to_string(),
        };
        Self::of_namespace(namespace, HealStatus::Unchanged, reason)
    }

    /// A namespace that could not be read.
    pub fn namespace_failed(namespace: &str, forbidden: bool, message: String) -> Self {
        let status = match forbidden {
            true => HealStatus::Forbidden,
            false => HealStatus::Failed,
        };
        Self::of_namespace(namespace, status, message)
    }

    /// A namespace left out on purpose (terminating, ...).
    pub fn namespace_skipped(namespace: &str, reason: String) -> Self {
        Self::of_namespace(namespace, HealStatus::Skipped, reason)
    }

    fn of_namespace(namespace: &str, status: HealStatus, reason: String) -> Self {
        HealRow {
            context: None,
            namespace: namespace.to_string(),
            workload: None,
            status,
            pods: Vec::new(),
            secrets: Vec::new(),
            deleted_pods: Vec::new(),
            reason,
            commands: Vec::new(),
        }
    }

    /// A row about a namespace-level problem (or nothing to do)?
    pub fn is_about_namespace(&self) -> bool {
        self.workload.is_none()
    }

    /// The row for a planned action and, for a restart or delete, how it went.
    pub fn of_plan(namespace: &str, planned: Planned, executed: Option<Executed>) -> Self {
        let stuck = stuck_summary(&planned.pods);
        let gets = match planned.secrets.as_slice() {
            [] => String::new(),
            secrets => format!(
                "; new pods get {} from {}",
                secrets.join(", "),
                planned.source
            ),
        };
        let (status, reason, deleted, commands) = match (planned.action, executed) {
            (Action::Skip { reason, commands }, _) => (
                HealStatus::Skipped,
                format!("{stuck}; {reason}"),
                vec![],
                commands,
            ),
            (Action::Leave { reason }, _) => (
                HealStatus::Unchanged,
                format!("{stuck}; {reason}"),
                vec![],
                vec![],
            ),
            (
                _,
                Some(Executed::Failed {
                    forbidden,
                    message,
                    deleted,
                }),
            ) => {
                let status = match forbidden {
                    true => HealStatus::Forbidden,
                    false => HealStatus::Failed,
                };
                (status, format!("{stuck}: {message}"), deleted, vec![])
            }
            (Action::Restart { kind, patch, .. }, executed) => {
                let deleted = done_deletions(executed);
                let reason = restart_reason(format!("{stuck}{gets}"), kind, patch, &deleted);
                (HealStatus::Restarted, reason, deleted, vec![])
            }
            (Action::Delete { .. }, executed) => {
                let deleted = done_deletions(executed);
                let reason = format!(
                    "{stuck}{gets}; deleted {}: its controller makes a new one",
                    deleted.join(", ")
                );
                (HealStatus::Deleted, reason, deleted, vec![])
            }
        };
        HealRow {
            context: None,
            namespace: namespace.to_string(),
            workload: Some(planned.workload),
            status,
            pods: planned.pods,
            secrets: planned.secrets,
            deleted_pods: deleted,
            reason,
            commands,
        }
    }

    /// This row, as done in kubeconfig context `name`.
    pub fn in_context(self, name: &str) -> Self {
        HealRow {
            context: Some(name.to_string()),
            ..self
        }
    }

    /// The one row of a context that failed as a whole.
    pub fn context_failed(context: String, forbidden: bool, message: String) -> Self {
        HealRow {
            context: Some(context),
            ..Self::namespace_failed("", forbidden, message)
        }
    }
}

/// What a restart did beyond the patch: `... ; deleted db-0 (a StatefulSet does not ...)`.
fn restart_reason(mut reason: String, kind: Kind, patch: bool, deleted: &[String]) -> String {
    if !patch {
        reason.push_str("; already restarted after these pods were made");
    }
    if !deleted.is_empty() {
        let why = match kind {
            Kind::StatefulSet => "a StatefulSet does not replace a pod that never became Ready",
            _ => "its update strategy is OnDelete",
        };
        reason.push_str(&format!("; deleted {} ({why})", deleted.join(", ")));
    }
    reason
}

fn done_deletions(executed: Option<Executed>) -> Vec<String> {
    match executed {
        Some(Executed::Done { deleted }) => deleted,
        _ => Vec::new(),
    }
}

/// `1 pod stuck on ImagePullBackOff`, `3 pods stuck on ErrImagePull, ImagePullBackOff`.
fn stuck_summary(pods: &[PodReport]) -> String {
    let reasons: BTreeSet<&str> = pods
        .iter()
        .flat_map(|p| &p.containers)
        .map(|c| c.reason.as_str())
        .collect();
    let reasons = reasons.into_iter().collect::<Vec<_>>().join(", ");
    match pods.len() {
        1 => format!("1 pod stuck on {reasons}"),
        n => format!("{n} pods stuck on {reasons}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heal::fixtures::*;
    use crate::heal::{Options, plan};

    #[test]
    fn rows_read_as_sentences() {
        let planned = plan(NS, &[web("web-1-a")], &facts(), &Options::default());
        let row = HealRow::of_plan(
            NS,
            planned[0].clone(),
            Some(Executed::Done { deleted: vec![] }),
        );
        assert_eq!(row.status, HealStatus::Restarted);
        assert_eq!(row.workload.as_deref(), Some("deployment/web"));
        assert_eq!(
            row.reason,
            "1 pod stuck on ImagePullBackOff; new pods get regcred from serviceaccount default"
        );
        let forbidden = HealRow::of_plan(
            NS,
            planned[0].clone(),
            Some(Executed::Failed {
                forbidden: true,
                message: "not allowed to patch deployment/web".into(),
                deleted: vec![],
            }),
        );
        assert_eq!(forbidden.status, HealStatus::Forbidden);
        assert!(!forbidden.status.is_success());
        assert_eq!(
            forbidden.reason,
            "1 pod stuck on ImagePullBackOff: not allowed to patch deployment/web"
        );

        let sts = plan(
            NS,
            &[pod("db-0", Some(("StatefulSet", "db")), &[])],
            &facts(),
            &Options::default(),
        );
        let row = HealRow::of_plan(
            NS,
            sts[0].clone(),
            Some(Executed::Done {
                deleted: vec!["db-0".into()],
            }),
        );
        assert_eq!(row.deleted_pods, ["db-0"]);
        assert!(
            row.reason.ends_with(
                "; deleted db-0 (a StatefulSet does not replace a pod that never became Ready)"
            ),
            "{}",
            row.reason
        );
    }
}
