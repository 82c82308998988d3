//! `status`: per namespace the pull secrets and what is wrong with them.

use std::collections::HashMap;

use super::{OutputError, counted, style, table, write_stdout};
use crate::expiry::human_duration;

/// Prints `status` for people: per namespace a table of pull secrets (registries with
/// usernames, service accounts, pods, the workloads that pull with it, expiry) and its findings with their fixes; then the
/// findings that span namespaces, and a summary line.
pub fn print_status(report: &crate::status::StatusReport, now: i64) -> Result<(), OutputError> {
    use crate::status::{Severity, StatusFinding};
    let finding_lines = |text: &mut String, finding: &StatusFinding| {
        let severity = match finding.severity {
            Severity::Error => style(finding.severity.as_str()).red().bold(),
            Severity::Warning => style(finding.severity.as_str()).yellow(),
            Severity::Info => style(finding.severity.as_str()).dim(),
        };
        // Pad before styling, so colour codes do not break the alignment.
        let pad = " ".repeat(7 - finding.severity.as_str().len());
        text.push_str(&format!(
            "  {severity}{pad}  {}: {}\n",
            finding.id, finding.message
        ));
        text.push_str(&format!(
            "           fix: {}\n",
            style(&finding.fix).green()
        ));
    };
    // Grouped once: thousands of namespaces each looking through every finding add up.
    let mut by_namespace: HashMap<&str, Vec<&StatusFinding>> = HashMap::new();
    for finding in &report.findings {
        if let Some(namespace) = &finding.namespace {
            by_namespace.entry(namespace).or_default().push(finding);
        }
    }
    let mut text = String::new();
    for namespace in &report.namespaces {
        let findings = by_namespace
            .remove(namespace.namespace.as_str())
            .unwrap_or_default();
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&format!(
            "{} {}\n",
            style("NAMESPACE").bold(),
            style(&namespace.namespace).bold()
        ));
        if namespace.secrets.is_empty() {
            text.push_str("  no pull secrets\n");
        } else {
            let rows: Vec<[String; 6]> = namespace
                .secrets
                .iter()
                .map(|s| {
                    [
                        s.name.clone(),
                        s.registries
                            .iter()
                            .map(|r| match &r.username {
                                Some(user) => format!("{} ({user})", r.registry),
                                None => r.registry.clone(),
                            })
                            .collect::<Vec<_>>()
                            .join(", "),
                        few(&s.service_accounts),
                        few(&s.pods),
                        few(&s
                            .workloads
                            .iter()
                            .map(|w| w.workload.clone())
                            .collect::<Vec<_>>()),
                        expiry_cell(s.expires_at_seconds, now),
                    ]
                })
                .collect();
            let table = table(
                &[
                    "SECRET",
                    "REGISTRIES",
                    "SERVICE ACCOUNTS",
                    "PODS",
                    "WORKLOADS",
                    "EXPIRES",
                ],
                &rows,
            );
            for line in table.lines() {
                text.push_str(&format!("  {line}\n"));
            }
        }
        for finding in findings {
            finding_lines(&mut text, finding);
        }
    }
    let across: Vec<&StatusFinding> = report
        .findings
        .iter()
        .filter(|f| f.namespace.is_none())
        .collect();
    if !across.is_empty() {
        text.push_str(&format!("\n{}\n", style("ACROSS NAMESPACES").bold()));
        for finding in across {
            finding_lines(&mut text, finding);
        }
    }
    if report.namespaces.is_empty() {
        text.push_str("no pull secrets in the selected namespaces\n");
    }
    let count = |key: &str| report.summary.get(key).copied().unwrap_or_default();
    text.push_str(&format!(
        "\n{} in {}: {}, {}, {} info\n",
        counted(count("secrets"), "pull secret"),
        counted(report.namespaces.len(), "namespace"),
        counted(count("error"), "error"),
        counted(count("warning"), "warning"),
        count("info")
    ));
    write_stdout(&text)
}

/// `a, b, c +4 more`, or `-` for none.
fn few(names: &[String]) -> String {
    const SHOWN: usize = 3;
    match names.len() {
        0 => "-".to_string(),
        n if n <= SHOWN => names.join(", "),
        n => format!("{} +{} more", names[..SHOWN].join(", "), n - SHOWN),
    }
}

/// `in 3h`, `expired 2d ago`, or `-`.
fn expiry_cell(expires_at: Option<i64>, now: i64) -> String {
    match expires_at {
        None => "-".to_string(),
        Some(at) if at <= now => {
            format!("expired {} ago", human_duration(now - at))
        }
        Some(at) => format!("in {}", human_duration(at - now)),
    }
}
