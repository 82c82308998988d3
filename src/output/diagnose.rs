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

/// Prints a cluster diagnosis for people: one block per failing container, grouped by pod.
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
    if report.failures.is_empty() {
        text.push_str(&format!(
            "no container is failing to pull its image in {scope}\n"
        ));
        return write_stdout(&text);
    }
    for (i, d) in report.failures.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        let kind = match d.container_type {
            "container" => String::new(),
            other => format!("{other} "),
        };
        let pod = match &d.context {
            Some(context) => format!("{context}: {}/{}", d.namespace, d.pod),
            None => format!("{}/{}", d.namespace, d.pod),
        };
        text.push_str(&format!(
            "{} ({kind}container {}): {}\n",
            style(&pod).bold(),
            d.container,
            style(&d.reason).red()
        ));
        text.push_str(&format!("  image:     {}\n", d.image));
        text.push_str(&format!(
            "  cause:     {} - {}\n",
            style(d.cause.as_str()).red().bold(),
            d.summary
        ));
        if !d.evidence.is_empty() {
            text.push_str(&format!("  evidence:  {}\n", style(&d.evidence).dim()));
        }
        for finding in &d.findings {
            text.push_str(&format!(
                "  cluster:   {}\n",
                style(&finding.message).yellow()
            ));
        }
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
        }
        text.push_str(&format!("  fix:       {}\n", style(&d.fix).green()));
        if let Some(file) = &d.node_file {
            text.push_str(&node_file_lines("  ", file));
        }
    }
    let counts: Vec<String> = report
        .summary
        .iter()
        .map(|(cause, n)| format!("{n} {cause}"))
        .collect();
    text.push_str(&format!(
        "\n{} failing: {}\n",
        report.failures.len(),
        counts.join(", ")
    ));
    write_stdout(&text)
}
