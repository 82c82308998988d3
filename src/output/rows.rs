//! What the reports of commands over namespaces share: the fan-out's outcomes and heal's rows
//! both come as rows with a status, a namespace and (in runs over several contexts) a context,
//! counted in a summary and printed as one line or a table.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{
    Format, OutputError, counted, dry_run_suffix, print_notice, print_value, table, write_stdout,
};
use crate::cluster::fanout::Outcome;
use crate::heal::HealRow;

/// A row of a report over namespaces.
pub trait Row {
    /// The row's status as the summary counts it (`created`, `restarted`).
    fn status(&self) -> &'static str;
    /// Did the row end as the user wanted (a deliberate skip included)?
    fn is_success(&self) -> bool;
    /// The kubeconfig context, when the run spans several.
    fn context(&self) -> Option<&str>;
    /// Empty when a whole context failed, or the selection held no namespace.
    fn namespace(&self) -> &str;
    /// Why the row has its status.
    fn reason(&self) -> Option<&str>;

    /// What a row without a namespace that is skipped stands for: a selection that held no
    /// namespace, which is said on stderr as kubectl says "No resources found", not as a row.
    fn notice(&self) -> Option<&str> {
        let is_notice = self.namespace().is_empty() && self.status() == "skipped";
        self.reason().filter(|_| is_notice)
    }
}

/// A row's reason, whether the row always has one or not.
trait Reason {
    fn text(&self) -> Option<&str>;
}

impl Reason for String {
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl Reason for Option<String> {
    fn text(&self) -> Option<&str> {
        self.as_deref()
    }
}

/// The rows of both reports carry a `context`, a `namespace`, a `status` that says its word
/// and whether it is a success, and a `reason`: one implementation for both.
macro_rules! impl_row {
    ($($row:ty),+) => {$(
        impl Row for $row {
            fn status(&self) -> &'static str {
                self.status.as_str()
            }

            fn is_success(&self) -> bool {
                self.status.is_success()
            }

            fn context(&self) -> Option<&str> {
                self.context.as_deref()
            }

            fn namespace(&self) -> &str {
                &self.namespace
            }

            fn reason(&self) -> Option<&str> {
                self.reason.text()
            }
        }
    )+};
}

impl_row!(Outcome, HealRow);

/// The machine-readable result of a command over namespaces (`-o json|yaml`): its rows and
/// counts per status. Never holds secret content, so it is safe to keep in CI logs.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RowReport<'a, R> {
    pub command: &'static str,
    /// The secret the command is about; absent for `heal`, which looks at every one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<&'static str>,
    pub results: Vec<&'a R>,
    pub summary: BTreeMap<&'static str, usize>,
    /// Lines for stderr, not rows: why a selection held no namespace, as kubectl prints "No
    /// resources found". Never in JSON, whose `results` is then empty.
    #[serde(skip)]
    pub notices: Vec<String>,
}

impl<'a, R: Row> RowReport<'a, R> {
    /// A report over `results`, with counts per status; rows that stand for a notice
    /// ([`Row::notice`]) are notices, not rows.
    pub(super) fn over(
        command: &'static str,
        secret: Option<&'a str>,
        dry_run: Option<&'static str>,
        results: &'a [R],
    ) -> Self {
        let (notices, results): (Vec<&R>, Vec<&R>) =
            results.iter().partition(|r| r.notice().is_some());
        let notices = notices
            .into_iter()
            .map(|r| {
                let notice = r.notice().unwrap_or_default();
                match r.context() {
                    Some(context) => format!("{notice} in context {context}"),
                    None => notice.to_string(),
                }
            })
            .collect();
        RowReport {
            command,
            secret,
            dry_run,
            summary: count_statuses(results.iter().map(|r| r.status())),
            results,
            notices,
        }
    }

    /// The only row, when there is one and it succeeded in the current context: it is said in
    /// one line, as kubectl would say it.
    fn lone_success(&self) -> Option<&'a R> {
        match self.results.as_slice() {
            [only] if only.is_success() && only.context().is_none() => Some(*only),
            _ => None,
        }
    }

    /// `3 namespaces: 2 created, 1 unchanged`, with the contexts when several.
    pub(super) fn summary_line(&self) -> String {
        let mut namespaces: Vec<(Option<&str>, &str)> = self
            .results
            .iter()
            .filter(|r| !r.namespace().is_empty())
            .map(|r| (r.context(), r.namespace()))
            .collect();
        namespaces.dedup();
        let mut contexts: Vec<&str> = self.results.iter().filter_map(|r| r.context()).collect();
        contexts.dedup();
        let scope = scope_line(namespaces.len(), contexts.len());
        format!("{scope}: {}", counts_line(&self.summary))
    }
}

/// Prints a report over rows: JSON/YAML when asked; else its notices on stderr, then `line` of
/// the only row when it succeeded in the current context (as kubectl would say it), or `table`
/// of the rows and a summary line; no table at all without rows.
pub(super) fn print_rows<R: Row + Serialize>(
    report: &RowReport<R>,
    format: Option<Format>,
    line: impl Fn(&R) -> String,
    table: impl Fn(&[&R]) -> String,
) -> Result<(), OutputError> {
    if let Some(format) = format {
        return print_value(report, format);
    }
    for notice in &report.notices {
        print_notice(notice)?;
    }
    if report.results.is_empty() {
        return Ok(());
    }
    let suffix = dry_run_suffix(report.dry_run);
    let text = match report.lone_success() {
        Some(only) => format!("{}{suffix}\n", line(only)),
        None => format!(
            "{}{}{suffix}\n",
            table(&report.results),
            report.summary_line()
        ),
    };
    write_stdout(&text)
}

/// A table of rows: `cells` gives each row's columns after the namespace, under `header`
/// (`RESULT`, `DETAILS`); NAMESPACE comes first, and CONTEXT before it when a row has one.
pub(super) fn rows_table<R: Row, const N: usize>(
    header: [&str; N],
    rows: &[&R],
    cells: impl Fn(&R) -> [String; N],
) -> String {
    let namespace = |r: &R| match r.namespace() {
        "" => "-".to_string(),
        name => name.to_string(),
    };
    let with_contexts = rows.iter().any(|r| r.context().is_some());
    let mut lines: Vec<Vec<String>> = Vec::with_capacity(rows.len());
    for &r in rows {
        let mut line = Vec::with_capacity(N + 2);
        if with_contexts {
            line.push(r.context().unwrap_or_default().to_string());
        }
        line.push(namespace(r));
        line.extend(cells(r));
        lines.push(line);
    }
    let mut columns = Vec::with_capacity(N + 2);
    if with_contexts {
        columns.push("CONTEXT");
    }
    columns.push("NAMESPACE");
    columns.extend(header);
    table(&columns, &lines)
}

/// How many rows have each status.
pub(super) fn count_statuses<'a>(
    statuses: impl Iterator<Item = &'a str>,
) -> BTreeMap<&'a str, usize> {
    let mut counts = BTreeMap::new();
    for status in statuses {
        *counts.entry(status).or_insert(0) += 1;
    }
    counts
}

/// `2 restarted, 1 skipped`, statuses in alphabetical order.
pub(super) fn counts_line(counts: &BTreeMap<&str, usize>) -> String {
    counts
        .iter()
        .map(|(status, n)| format!("{n} {status}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `3 namespaces`, or `3 namespaces in 2 contexts` when the run spans contexts.
fn scope_line(namespaces: usize, contexts: usize) -> String {
    match contexts {
        0 => counted(namespaces, "namespace"),
        n => format!(
            "{} in {}",
            counted(namespaces, "namespace"),
            counted(n, "context")
        ),
    }
}
