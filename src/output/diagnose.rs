//! `diagnose`: failing containers with cause, evidence, cluster findings and the fix; and
//! `diagnose --message`: pasted texts explained.

use super::{OutputError, context_heading, style, write_stdout};

/// Prints explained pull-failure messages for people: cause, summary, where, and the fix.
pub fn print_explanations(explained: &[crate::diagnose::Explained]) -> Result<(), OutputError> {
    let mut text = String::new();
    for (i, e) in explained.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str(&format!("cause:     {}\n", e.cause.as_str()));
        text.push_str(&format!("summary:   {}\n", e.summary));
        if let Some(registry) = &e.registry {
            text.push_str(&format!("registry:  {registry}\n"));
        }
        if let Some(image) = &e.image {
            text.push_str(&format!("image:     {image}\n"));
        }
        text.push_str(&format!("evidence:  {}\n", e.evidence));
        text.push_str(&format!("fix:       {}\n", e.fix));
        if let Some(file) = &e.node_file {
            text.push_str(&node_file_lines("", file));
        }
    }
    write_stdout(&text)
}

/// A file to write on the nodes, as `file:` and its path, then its content indented, so that
/// it can be copied as printed.
fn node_file_lines(indent: &str, file: &crate::diagnose::NodeFile) -> String {
    let mut text = format!("{indent}file:      {}\n", file.path);
    for line in file.content.lines() {
        match line {
            "" => text.push('\n'),
            line => text.push_str(&format!("{indent}           {line}\n")),
        }
    }
    text
}

/// Prints a cluster diagnosis for people: one block per failing container, grouped by pod,
/// then one per pull bound to fail; a summary line for each.
pub fn print_diagnoses(
    report: &crate::diagnose::DiagnoseReport,
    scope: &str,
) -> Result<(), OutputError> {
    let mut text = String::new();
    for unreadable in &report.unreadable {
        text.push_str(&format!(
            "{}: {}\n\n",
            context_heading(&unreadable.context),
            style(format!("error: {}", unreadable.error)).red()
        ));
    }
    if report.failures.is_empty() && report.predicted.is_empty() {
        text.push_str(&format!(
            "no container is failing to pull its image in {scope}\n"
        ));
        return write_stdout(&text);
    }
    let mut blocks: Vec<String> = report.failures.iter().map(failure_block).collect();
    blocks.extend(report.predicted.iter().map(prediction_block));
    text.push_str(&blocks.join("\n"));
    text.push('\n');
    let causes = |of: &mut dyn Iterator<Item = &str>| {
        let counts = super::rows::count_statuses(of);
        super::rows::counts_line(&counts)
    };
    if !report.failures.is_empty() {
        let counts = causes(&mut report.failures.iter().map(|f| f.cause.as_str()));
        text.push_str(&format!("{} failing: {counts}\n", report.failures.len()));
    }
    if !report.predicted.is_empty() {
        let counts = causes(&mut report.predicted.iter().map(|p| p.cause.as_str()));
        text.push_str(&format!(
            "{} predicted to fail: {counts}\n",
            report.predicted.len()
        ));
    }
    write_stdout(&text)
}

/// `team-a/web`, with its context in a run over several.
fn subject(context: Option<&str>, namespace: &str, name: &str) -> String {
    match context {
        Some(context) => format!("{context}: {namespace}/{name}"),
        None => format!("{namespace}/{name}"),
    }
}

/// ` (init container app)`: which container of a pod.
fn which_container(kind: &str, name: &str) -> String {
    match kind {
        "container" => format!(" (container {name})"),
        other => format!(" ({other} container {name})"),
    }
}

/// One line per finding of the cluster.
fn finding_lines(findings: &[crate::diagnose::facts::Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            let label = match f.severity {
                Some(severity) => format!("{severity}:"),
                None => "cluster:".to_string(),
            };
            let mut text = format!("  {label:<10} {}\n", style(&f.message).yellow());
            if let Some(fix) = &f.fix {
                text.push_str(&format!("             fix: {}\n", style(fix).green()));
            }
            text
        })
        .collect()
}

/// One failing container: where, the image, the cause with its evidence, the cluster's
/// findings, the registry's answer (`--verify`) and the fix.
fn failure_block(d: &crate::diagnose::Diagnosis) -> String {
    let pod = subject(d.context.as_deref(), &d.namespace, &d.pod);
    let mut text = format!(
        "{}{}: {}\n",
        style(&pod).bold(),
        which_container(d.container_type, &d.container),
        style(&d.reason).red()
    );
    text.push_str(&format!("  image:     {}\n", d.image));
    text.push_str(&format!(
        "  cause:     {} - {}\n",
        style(d.cause.as_str()).red().bold(),
        d.summary
    ));
    if !d.evidence.is_empty() {
        text.push_str(&format!("  evidence:  {}\n", style(&d.evidence).dim()));
    }
    text.push_str(&finding_lines(&d.findings));
    if let Some(verify) = &d.verify {
        let with = match &verify.secret {
            Some(secret) => format!("with secret {secret}"),
            None => "anonymously".to_string(),
        };
        text.push_str(&format!(
            "  registry:  {} {with}: {}\n",
            style(verify.result).bold(),
            verify.detail
        ));
        if let Some(limit) = &verify.rate_limit {
            text.push_str(&format!("  limit:     {}\n", limit.describe()));
        }
    }
    text.push_str(&format!("  fix:       {}\n", style(&d.fix).green()));
    if let Some(file) = &d.node_file {
        text.push_str(&node_file_lines("  ", file));
    }
    text
}

/// One pull bound to fail (or workload that cannot create pods): where, the image, what is
/// predicted and why, and the fix.
fn prediction_block(p: &crate::diagnose::Prediction) -> String {
    let name = match (&p.pod, &p.workload) {
        (Some(pod), _) => pod.as_str(),
        (None, Some(workload)) => workload.as_str(),
        (None, None) => "",
    };
    let container = match (&p.container, p.container_type) {
        (Some(container), Some(kind)) => which_container(kind, container),
        _ => String::new(),
    };
    let mut text = format!(
        "{}{container}: {}\n",
        style(subject(p.context.as_deref(), &p.namespace, name)).bold(),
        style(&p.reason).yellow()
    );
    if let Some(image) = &p.image {
        text.push_str(&format!("  image:     {image}\n"));
    }
    text.push_str(&format!(
        "  predicted: {} - {}\n",
        style(p.cause.as_str()).red().bold(),
        p.summary
    ));
    text.push_str(&finding_lines(&p.findings));
    text.push_str(&format!("  fix:       {}\n", style(&p.fix).green()));
    text
}
