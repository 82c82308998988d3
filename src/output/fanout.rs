//! The report of the commands that act in many namespaces (create, attach, detach, label,
//! delete, refresh, sync): one line for one namespace, else a table and a summary.

use std::collections::BTreeMap;

use super::rows::{RowReport, print_rows, rows_table};
use super::{Format, OutputError};
use crate::cluster::fanout::{AccountChange, Outcome, Status};

/// The machine-readable result of a command over namespaces (`-o json|yaml`): one outcome per
/// namespace.
pub type Report<'a> = RowReport<'a, Outcome>;

impl<'a> Report<'a> {
    /// A report over `results`, with counts per status.
    pub fn new(
        command: &'static str,
        secret: &'a str,
        dry_run: Option<&'static str>,
        results: &'a [Outcome],
    ) -> Self {
        RowReport::over(command, Some(secret), dry_run, results)
    }
}

/// Prints a report: JSON/YAML when asked, else one line for a single namespace (as kubectl
/// would), or a table with one row per namespace and a summary line.
pub fn print_report(report: &Report, format: Option<Format>) -> Result<(), OutputError> {
    let secret = report.secret.unwrap_or_default();
    let cells = |o: &Outcome| [o.status.as_str().to_string(), details(secret, o)];
    print_rows(
        report,
        format,
        |only| single_line(secret, only),
        |rows| rows_table(["RESULT", "DETAILS"], rows, cells),
    )
}

/// `secret/regcred created in namespace team-a; attached to serviceaccount/default`, or
/// `secret/regcred attached to serviceaccount/default in namespace team-a`.
fn single_line(secret: &str, outcome: &Outcome) -> String {
    let namespace = &outcome.namespace;
    let accounts = account_phrases(&outcome.service_accounts, "serviceaccount/");
    let mut line = match outcome.secret {
        _ if outcome.status == Status::Skipped => format!("namespace {namespace} skipped"),
        Some(change) => {
            let mut line = format!(
                "secret/{secret} {} in namespace {namespace}",
                change.as_str()
            );
            for phrase in &accounts {
                line.push_str("; ");
                line.push_str(phrase);
            }
            line
        }
        // `refresh` without NAME: several secrets, named in the reason.
        None if accounts.is_empty() => {
            format!("namespace {namespace} {}", outcome.status.as_str())
        }
        None => format!(
            "secret/{secret} {} in namespace {namespace}",
            accounts.join("; ")
        ),
    };
    if let Some(reason) = &outcome.reason {
        line.push_str(": ");
        line.push_str(reason);
    }
    line
}

/// `secret created; attached to default, builder` or the failure reason.
fn details(secret: &str, outcome: &Outcome) -> String {
    let mut parts = Vec::new();
    if let Some(change) = outcome.secret.filter(|_| outcome.status != Status::Skipped) {
        parts.push(format!("secret {secret} {}", change.as_str()));
    }
    parts.extend(account_phrases(&outcome.service_accounts, ""));
    if let Some(reason) = &outcome.reason {
        parts.push(reason.clone());
    }
    parts.join("; ")
}

fn account_phrases(
    accounts: &[crate::cluster::fanout::AccountOutcome],
    prefix: &str,
) -> Vec<String> {
    let mut by_change: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for account in accounts {
        let phrase = match account.change {
            AccountChange::Attached => "attached to",
            AccountChange::AlreadyAttached => "already attached to",
            AccountChange::Detached => "detached from",
            AccountChange::NotAttached => "not attached to",
        };
        by_change
            .entry(phrase)
            .or_default()
            .push(format!("{prefix}{}", account.name));
    }
    by_change
        .into_iter()
        .map(|(phrase, names)| format!("{phrase} {}", names.join(", ")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::fanout::AccountOutcome;
    use crate::cluster::secrets::Change;

    fn outcome(
        namespace: &str,
        status: Status,
        secret: Option<Change>,
        accounts: &[(&str, AccountChange)],
    ) -> Outcome {
        Outcome {
            context: None,
            namespace: namespace.into(),
            status,
            secret,
            service_accounts: accounts
                .iter()
                .map(|(name, change)| AccountOutcome {
                    name: name.to_string(),
                    change: *change,
                })
                .collect(),
            reason: None,
        }
    }

    #[test]
    fn one_namespace_reads_like_kubectl() {
        let o = outcome(
            "team-a",
            Status::Created,
            Some(Change::Created),
            &[("default", AccountChange::Attached)],
        );
        assert_eq!(
            single_line("regcred", &o),
            "secret/regcred created in namespace team-a; attached to serviceaccount/default"
        );
    }

    #[test]
    fn details_group_accounts_by_change() {
        let o = outcome(
            "ns",
            Status::Updated,
            Some(Change::Unchanged),
            &[
                ("a", AccountChange::Attached),
                ("b", AccountChange::Attached),
                ("c", AccountChange::AlreadyAttached),
            ],
        );
        assert_eq!(
            details("regcred", &o),
            "secret regcred unchanged; already attached to c; attached to a, b"
        );
    }

    #[test]
    fn a_selection_of_nothing_is_a_notice_not_a_row() {
        let results = [
            Outcome::nothing_selected("no namespace matches team=x".into()),
            Outcome::nothing_selected("no namespace matches team=x".into()).in_context("b"),
            outcome("a", Status::Created, None, &[]).in_context("c"),
        ];
        let report = Report::new("create", "regcred", None, &results);
        assert_eq!(
            report.notices,
            [
                "no namespace matches team=x",
                "no namespace matches team=x in context b"
            ]
        );
        assert_eq!(report.results.len(), 1);
        assert_eq!(report.summary, BTreeMap::from([("created", 1)]));
        let json = serde_json::to_value(&report).unwrap();
        assert!(json.get("notices").is_none(), "{json}");
        let empty = Report::new("create", "regcred", None, &results[..1]);
        let json = serde_json::to_value(&empty).unwrap();
        assert_eq!(json["results"], serde_json::json!([]));
    }

    #[test]
    fn counts_are_plural_unless_one() {
        let results = [outcome("a", Status::Created, None, &[])];
        let report = Report::new("create", "regcred", None, &results);
        assert_eq!(report.summary_line(), "1 namespace: 1 created");
    }

    #[test]
    fn report_counts_statuses() {
        let results = [
            outcome("a", Status::Created, None, &[]),
            outcome("b", Status::Created, None, &[]),
            outcome("c", Status::Forbidden, None, &[]),
        ];
        let report = Report::new("create", "regcred", None, &results);
        assert_eq!(
            report.summary,
            BTreeMap::from([("created", 2), ("forbidden", 1)])
        );
    }
}
