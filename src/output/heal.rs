//! The report of `heal` (and of `create`/`attach --heal`): one row per workload.

use super::fanout::{Report, print_report};
use super::rows::{RowReport, count_statuses, counts_line, print_rows, rows_table};
use super::{Format, OutputError, dry_run_suffix, print_value, write_stdout};
use crate::heal::{HealRow, HealStatus};

/// The machine-readable result of `heal` (`-o json|yaml`): one row per workload (or per
/// namespace with nothing to heal).
pub type HealReport<'a> = RowReport<'a, HealRow>;

impl<'a> HealReport<'a> {
    /// A report over `results`, with counts per status; `secret` is that of
    /// `create`/`attach --heal`.
    pub fn new(
        command: &'static str,
        secret: Option<&'a str>,
        dry_run: Option<&'static str>,
        results: &'a [HealRow],
    ) -> Self {
        RowReport::over(command, secret, dry_run, results)
    }
}

/// Prints the heal report: JSON/YAML when asked; else one line when there is one row (as
/// `kubectl rollout restart` would), or a table with one row per workload and a summary line.
pub fn print_heal_report(report: &HealReport, format: Option<Format>) -> Result<(), OutputError> {
    print_rows(report, format, heal_line, heal_table)
}

/// Prints the report of `create`/`attach --heal`: the command's own report, then the heal rows
/// of the namespaces that had something to heal; in JSON/YAML one document, the heal report
/// under `heal`.
pub fn print_report_with_heal(
    report: &Report,
    heal: &HealReport,
    format: Option<Format>,
) -> Result<(), OutputError> {
    if let Some(format) = format {
        let mut value = serde_json::to_value(report).map_err(|e| OutputError(e.into()))?;
        let healed = serde_json::json!({"results": heal.results, "summary": heal.summary});
        if let Some(object) = value.as_object_mut() {
            object.insert("heal".into(), healed);
        }
        return print_value(&value, format);
    }
    print_report(report, None)?;
    if report.results.is_empty() && heal.results.is_empty() {
        // Nothing was selected, and the notice said so.
        return Ok(());
    }
    let suffix = dry_run_suffix(heal.dry_run);
    let rows: Vec<&HealRow> = heal
        .results
        .iter()
        .filter(|r| !(r.is_about_namespace() && r.status == HealStatus::Unchanged))
        .copied()
        .collect();
    let secret = heal.secret.unwrap_or_default();
    let text = match rows.as_slice() {
        [] => format!("heal: no pod is stuck pulling an image {secret} serves{suffix}\n"),
        [only] if only.context.is_none() => format!("heal: {}{suffix}\n", heal_line(only)),
        rows => {
            let counts = counts_line(&count_statuses(rows.iter().map(|r| r.status.as_str())));
            format!("{}heal: {counts}{suffix}\n", heal_table(rows))
        }
    };
    write_stdout(&text)
}

/// `deployment/web restarted in namespace team-a: 1 pod stuck on ImagePullBackOff; ...`, or
/// `namespace team-a unchanged: no pod is stuck on an image pull`.
fn heal_line(row: &HealRow) -> String {
    let subject = match &row.workload {
        Some(workload) => format!(
            "{workload} {} in namespace {}",
            row.status.as_str(),
            row.namespace
        ),
        None => format!("namespace {} {}", row.namespace, row.status.as_str()),
    };
    format!("{subject}: {}", heal_details(row))
}

/// The reason, then the commands to run.
fn heal_details(row: &HealRow) -> String {
    match row.commands.as_slice() {
        [] => row.reason.clone(),
        commands => format!("{}; run: {}", row.reason, commands.join("; ")),
    }
}

fn heal_table(rows: &[&HealRow]) -> String {
    let cells = |r: &HealRow| {
        [
            r.workload.clone().unwrap_or_else(|| "-".into()),
            r.status.as_str().to_string(),
            heal_details(r),
        ]
    };
    rows_table(["WORKLOAD", "RESULT", "DETAILS"], rows, cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heal_row(namespace: &str, workload: Option<&str>, status: HealStatus) -> HealRow {
        HealRow {
            context: None,
            namespace: namespace.into(),
            workload: workload.map(str::to_string),
            status,
            pods: Vec::new(),
            secrets: Vec::new(),
            deleted_pods: Vec::new(),
            reason: "1 pod stuck on ImagePullBackOff".into(),
            commands: Vec::new(),
        }
    }

    #[test]
    fn heal_rows_read_like_rollout_restart() {
        let row = heal_row("team-a", Some("deployment/web"), HealStatus::Restarted);
        assert_eq!(
            heal_line(&row),
            "deployment/web restarted in namespace team-a: 1 pod stuck on ImagePullBackOff"
        );
        let skipped = HealRow {
            commands: vec!["kubectl delete pod debug -n team-a".into()],
            ..heal_row("team-a", Some("pod/debug"), HealStatus::Skipped)
        };
        let nothing = HealRow {
            reason: "no pod is stuck on an image pull".into(),
            ..heal_row("team-b", None, HealStatus::Unchanged)
        };
        let rows = [row, skipped, nothing];
        let report = HealReport::new("heal", None, Some("client"), &rows);
        let mut text = heal_table(&rows.iter().collect::<Vec<_>>());
        text.push_str(&report.summary_line());
        assert_eq!(
            text,
            "NAMESPACE   WORKLOAD         RESULT      DETAILS\n\
             team-a      deployment/web   restarted   1 pod stuck on ImagePullBackOff\n\
             team-a      pod/debug        skipped     1 pod stuck on ImagePullBackOff; run: kubectl delete pod debug -n team-a\n\
             team-b      -                unchanged   no pod is stuck on an image pull\n\
             2 namespaces: 1 restarted, 1 skipped, 1 unchanged"
        );
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["dryRun"], "client");
        assert_eq!(json["results"][0]["workload"], "deployment/web");
        assert_eq!(
            json["results"][1]["commands"][0],
            "kubectl delete pod debug -n team-a"
        );
        assert!(json["results"][2].get("workload").is_none());
        assert_eq!(json["summary"]["restarted"], 1);
    }
}
