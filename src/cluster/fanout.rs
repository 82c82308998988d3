//! Doing one piece of work in many namespaces at once: bounded, one client, one outcome each.

use std::future::Future;

use futures::stream::{self, StreamExt};
use serde::Serialize;

use super::ClusterError;
use super::namespaces::Selection;
use super::secrets::Change;

/// How one namespace ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Created,
    Updated,
    Unchanged,
    Deleted,
    Skipped,
    Forbidden,
    Failed,
}

impl Status {
    /// The word shown in tables and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Created => "created",
            Status::Updated => "updated",
            Status::Unchanged => "unchanged",
            Status::Deleted => "deleted",
            Status::Skipped => "skipped",
            Status::Forbidden => "forbidden",
            Status::Failed => "failed",
        }
    }

    /// Did the namespace end as the user wanted (a deliberate skip included)?
    pub fn is_success(self) -> bool {
        !matches!(self, Status::Forbidden | Status::Failed)
    }
}

/// What happened to one service account's imagePullSecrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum AccountChange {
    Attached,
    AlreadyAttached,
    Detached,
    NotAttached,
}

impl AccountChange {
    /// Whether the service account was written.
    pub fn is_write(self) -> bool {
        matches!(self, AccountChange::Attached | AccountChange::Detached)
    }

    /// Plain words for the table.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountChange::Attached => "attached",
            AccountChange::AlreadyAttached => "already attached",
            AccountChange::Detached => "detached",
            AccountChange::NotAttached => "not attached",
        }
    }
}

/// One service account's change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountOutcome {
    pub name: String,
    pub change: AccountChange,
}

/// What was done in one namespace.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Work {
    pub secret: Option<Change>,
    pub accounts: Vec<AccountOutcome>,
}

/// One row of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// The kubeconfig context, when the run spans several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// Empty when a whole context failed before any namespace was worked on.
    pub namespace: String,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<Change>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub service_accounts: Vec<AccountOutcome>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Outcome {
    /// A namespace left out on purpose.
    pub fn skipped(namespace: String, reason: String) -> Self {
        Outcome {
            context: None,
            namespace,
            status: Status::Skipped,
            secret: None,
            service_accounts: Vec::new(),
            reason: Some(reason),
        }
    }

    /// The row for finished work or its error.
    pub fn from_result(namespace: String, result: Result<Work, ClusterError>) -> Self {
        match result {
            Ok(work) => {
                let status = status_of(&work);
                Outcome {
                    context: None,
                    reason: (status == Status::Skipped)
                        .then(|| "no such secret in this namespace".to_string()),
                    status,
                    secret: work.secret,
                    service_accounts: work.accounts,
                    namespace,
                }
            }
            Err(err) => Outcome {
                context: None,
                status: if err.is_forbidden() {
                    Status::Forbidden
                } else {
                    Status::Failed
                },
                secret: None,
                service_accounts: Vec::new(),
                reason: Some(crate::causes::chain(&err)),
                namespace,
            },
        }
    }
}

impl Outcome {
    /// This row, as done in kubeconfig context `name`.
    pub fn in_context(self, name: &str) -> Self {
        Outcome {
            context: Some(name.to_string()),
            ..self
        }
    }

    /// The one row of a context that failed as a whole (unreachable, forbidden to list
    /// namespaces...): the other contexts go on.
    pub fn context_failed(context: String, forbidden: bool, reason: String) -> Self {
        Outcome {
            context: Some(context),
            namespace: String::new(),
            status: if forbidden {
                Status::Forbidden
            } else {
                Status::Failed
            },
            secret: None,
            service_accounts: Vec::new(),
            reason: Some(reason),
        }
    }
}

fn status_of(work: &Work) -> Status {
    match work.secret {
        Some(Change::Created) => Status::Created,
        Some(Change::Deleted) => Status::Deleted,
        Some(Change::Configured) => Status::Updated,
        _ if work.accounts.iter().any(|a| a.change.is_write()) => Status::Updated,
        Some(Change::Absent) => Status::Skipped,
        _ => Status::Unchanged,
    }
}

/// Runs `work` in every selected namespace, at most `concurrency` at a time, and returns one
/// outcome per namespace, sorted by name, then one per namespace the selection skipped. One
/// namespace failing never stops the others.
pub async fn run<F, Fut>(
    selection: Selection,
    concurrency: u16,
    progress: &indicatif::ProgressBar,
    work: F,
) -> Vec<Outcome>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<Work, ClusterError>>,
{
    progress.inc_length(selection.targets.len() as u64);
    let mut outcomes: Vec<Outcome> = stream::iter(selection.targets)
        .map(|namespace| {
            let future = work(namespace.clone());
            async move {
                let outcome = Outcome::from_result(namespace, future.await);
                progress.inc(1);
                outcome
            }
        })
        .buffer_unordered(usize::from(concurrency.max(1)))
        .collect()
        .await;
    outcomes.sort_by(|a, b| a.namespace.cmp(&b.namespace));
    outcomes.extend(
        selection
            .skipped
            .into_iter()
            .map(|(namespace, reason)| Outcome::skipped(namespace, reason)),
    );
    outcomes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_follows_what_changed() {
        let attached = AccountOutcome {
            name: "default".into(),
            change: AccountChange::Attached,
        };
        let work = |secret, accounts: Vec<AccountOutcome>| Work { secret, accounts };
        assert_eq!(
            status_of(&work(Some(Change::Created), vec![attached.clone()])),
            Status::Created
        );
        assert_eq!(
            status_of(&work(Some(Change::Unchanged), vec![attached.clone()])),
            Status::Updated
        );
        assert_eq!(
            status_of(&work(Some(Change::Unchanged), vec![])),
            Status::Unchanged
        );
        assert_eq!(status_of(&work(None, vec![])), Status::Unchanged);
        assert_eq!(
            status_of(&work(Some(Change::Deleted), vec![])),
            Status::Deleted
        );
    }

    #[tokio::test]
    async fn every_namespace_gets_an_outcome_even_when_some_fail() {
        let selection = Selection {
            targets: (0..50).map(|i| format!("ns-{i:02}")).collect(),
            skipped: vec![("kube-system".into(), "system namespace".into())],
            everywhere: true,
        };
        let outcomes = run(
            selection,
            4,
            &indicatif::ProgressBar::hidden(),
            |ns| async move {
                if ns.ends_with('7') {
                    Err(ClusterError::NamespaceNotFound { namespace: ns })
                } else {
                    Ok(Work::default())
                }
            },
        )
        .await;
        assert_eq!(outcomes.len(), 51);
        assert_eq!(outcomes[0].namespace, "ns-00");
        assert_eq!(outcomes[50].status, Status::Skipped);
        assert_eq!(
            outcomes
                .iter()
                .filter(|o| o.status == Status::Failed)
                .count(),
            5
        );
    }
}
