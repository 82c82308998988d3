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

impl Work {
    /// The secret was not there and nothing else was done: a skipped row, or, where the user
    /// named the one namespace, a "not found" error.
    pub fn found_nothing(&self) -> bool {
        status_of(self) == Status::Skipped
    }
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

    /// Not a namespace: the selection matched none, and `notice` says so in kubectl's words
    /// ("no namespace matches team=x"). A skipped row without a namespace: reports print it
    /// on stderr, never as a row or in JSON.
    pub fn nothing_selected(notice: String) -> Self {
        Outcome::skipped(String::new(), notice)
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
            Err(err) => Outcome::failed(
                None,
                namespace,
                err.is_forbidden(),
                crate::causes::chain(&err),
            ),
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
        Outcome::failed(Some(context), String::new(), forbidden, reason)
    }

    /// A row that failed, refused by RBAC or otherwise.
    fn failed(context: Option<String>, namespace: String, forbidden: bool, reason: String) -> Self {
        Outcome {
            context,
            namespace,
            status: match forbidden {
                true => Status::Forbidden,
                false => Status::Failed,
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
/// namespace failing never stops the others. A named namespace that does not exist fails
/// without `work`; a selection of none gives the one [`Outcome::nothing_selected`].
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
    if let Some(notice) = selection.nothing_selected {
        return vec![Outcome::nothing_selected(notice)];
    }
    progress.inc_length(selection.targets.len() as u64);
    let absent = &selection.absent;
    let work = &work;
    let mut outcomes: Vec<Outcome> = stream::iter(selection.targets)
        .map(|namespace| async move {
            let result = match absent.contains(&namespace) {
                true => Err(ClusterError::NamespaceNotFound {
                    namespace: namespace.clone(),
                }),
                false => work(namespace.clone()).await,
            };
            let outcome = Outcome::from_result(namespace, result);
            progress.inc(1);
            outcome
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
            ..Selection::default()
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
        assert!(outcomes.iter().all(|o| !o.namespace.is_empty()));
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

    #[tokio::test]
    async fn absent_namespaces_fail_without_work_and_no_namespace_is_one_notice() {
        let selection = Selection {
            targets: vec!["here".into(), "nope".into()],
            absent: vec!["nope".into()],
            ..Selection::default()
        };
        let calls = std::sync::Mutex::new(Vec::new());
        let outcomes = run(
            selection,
            4,
            &indicatif::ProgressBar::hidden(),
            |ns: String| {
                calls.lock().unwrap().push(ns);
                async { Ok(Work::default()) }
            },
        )
        .await;
        assert_eq!(*calls.lock().unwrap(), ["here"]);
        assert_eq!(outcomes[1].status, Status::Failed);
        assert!(
            outcomes[1]
                .reason
                .as_deref()
                .is_some_and(|r| r.starts_with("namespace \"nope\" not found")),
            "{outcomes:?}"
        );
        let nothing = Selection {
            nothing_selected: Some("no namespace matches a=b".into()),
            ..Selection::default()
        };
        let outcomes = run(nothing, 4, &indicatif::ProgressBar::hidden(), |_| async {
            Ok(Work::default())
        })
        .await;
        assert_eq!(
            outcomes,
            [Outcome::nothing_selected("no namespace matches a=b".into())]
        );
        assert!(outcomes[0].namespace.is_empty());
    }

    #[test]
    fn nothing_found_is_a_skip_and_anything_done_is_not() {
        let absent = Work {
            secret: Some(Change::Absent),
            accounts: Vec::new(),
        };
        assert!(absent.found_nothing());
        let detached = Work {
            accounts: vec![AccountOutcome {
                name: "default".into(),
                change: AccountChange::Detached,
            }],
            ..absent
        };
        assert!(!detached.found_nothing());
    }
}
