//! The only place that writes to stdout: summaries for humans, JSON/YAML for scripts.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use crate::cli::OutputFormat;
use crate::cluster::fanout::{AccountChange, Outcome, Status};
use crate::error::Error;
use crate::heal::{HealRow, HealStatus};

/// Prints objects as kubectl's `-o json|yaml` would: one object alone, several as a `List`.
/// Managed fields are left out, as kubectl does by default.
pub fn print_objects<T: Serialize>(objects: &[T], format: OutputFormat) -> Result<(), Error> {
    let mut values = objects
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::Output(e.into()))?;
    for value in &mut values {
        if let Some(metadata) = value.get_mut("metadata").and_then(|m| m.as_object_mut()) {
            metadata.remove("managedFields");
        }
    }
    let document = match values.len() {
        1 => values.remove(0),
        _ => serde_json::json!({"apiVersion": "v1", "kind": "List", "items": values}),
    };
    print_value(&document, format)
}

/// Prints any serialisable value as JSON or YAML, keys sorted as kubectl prints them.
pub fn print_value<T: Serialize>(value: &T, format: OutputFormat) -> Result<(), Error> {
    // Through a `Value` the keys come out sorted.
    let value = serde_json::to_value(value).map_err(|e| Error::Output(e.into()))?;
    let text = match format {
        OutputFormat::Json => serde_json::to_string_pretty(&value)
            .map(|json| json + "\n")
            .map_err(|e| e.to_string()),
        OutputFormat::Yaml => {
            let mut options = serde_saphyr::SerializerOptions::default();
            options.prefer_block_scalars = false;
            serde_saphyr::to_string_with_options(&value, options).map_err(|e| e.to_string())
        }
    };
    write_stdout(&text.map_err(|e| Error::Output(std::io::Error::other(e)))?)
}

/// The machine-readable result of a command over namespaces (`-o json|yaml`). Never holds
/// secret content, so it is safe to keep in CI logs.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report<'a> {
    pub command: &'static str,
    pub secret: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<&'static str>,
    pub results: &'a [Outcome],
    pub summary: BTreeMap<&'static str, usize>,
}

impl<'a> Report<'a> {
    /// A report over `results`, with counts per status.
    pub fn new(
        command: &'static str,
        secret: &'a str,
        dry_run: Option<&'static str>,
        results: &'a [Outcome],
    ) -> Self {
        let mut summary = BTreeMap::new();
        for outcome in results {
            *summary.entry(outcome.status.as_str()).or_insert(0) += 1;
        }
        Report {
            command,
            secret,
            dry_run,
            results,
            summary,
        }
    }
}

/// Prints a report: JSON/YAML when asked, else one line for a single namespace (as kubectl
/// would), or a table with one row per namespace and a summary line.
pub fn print_report(report: &Report, format: Option<OutputFormat>) -> Result<(), Error> {
    if let Some(format) = format {
        return print_value(report, format);
    }
    let suffix = match report.dry_run {
        Some("server") => " (server dry run)",
        Some(_) => " (dry run)",
        None => "",
    };
    if let [only] = report.results
        && only.status.is_success()
        && only.context.is_none()
    {
        return print_line(&format!("{}{suffix}", single_line(report.secret, only)));
    }
    let namespace_of = |o: &Outcome| match o.namespace.as_str() {
        "" => "-".to_string(),
        name => name.to_string(),
    };
    let mut text = if report.results.iter().any(|o| o.context.is_some()) {
        let rows: Vec<[String; 4]> = report
            .results
            .iter()
            .map(|o| {
                [
                    o.context.clone().unwrap_or_default(),
                    namespace_of(o),
                    o.status.as_str().to_string(),
                    details(report.secret, o),
                ]
            })
            .collect();
        table(["CONTEXT", "NAMESPACE", "RESULT", "DETAILS"], &rows)
    } else {
        let rows: Vec<[String; 3]> = report
            .results
            .iter()
            .map(|o| {
                [
                    namespace_of(o),
                    o.status.as_str().to_string(),
                    details(report.secret, o),
                ]
            })
            .collect();
        table(["NAMESPACE", "RESULT", "DETAILS"], &rows)
    };
    let counts: Vec<String> = report
        .summary
        .iter()
        .map(|(status, n)| format!("{n} {status}"))
        .collect();
    let mut contexts: Vec<&str> = report
        .results
        .iter()
        .filter_map(|o| o.context.as_deref())
        .collect();
    contexts.dedup();
    let namespaces = report
        .results
        .iter()
        .filter(|o| !o.namespace.is_empty())
        .count();
    let plural = |n: usize, word: &str| match n {
        1 => format!("1 {word}"),
        n => format!("{n} {word}s"),
    };
    let scope = match contexts.len() {
        0 => plural(namespaces, "namespace"),
        n => format!(
            "{} in {}",
            plural(namespaces, "namespace"),
            plural(n, "context")
        ),
    };
    text.push_str(&format!("{scope}: {}{suffix}\n", counts.join(", ")));
    write_stdout(&text)
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

fn table<const N: usize>(header: [&str; N], rows: &[[String; N]]) -> String {
    let mut widths = header.map(str::len);
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    let mut push_row = |cells: Vec<&str>| {
        let last = cells.len() - 1;
        for (i, cell) in cells.iter().enumerate() {
            if i == last {
                text.push_str(cell);
            } else {
                text.push_str(&format!("{cell:<width$}   ", width = widths[i]));
            }
        }
        text.push('\n');
    };
    push_row(header.to_vec());
    for row in rows {
        push_row(row.iter().map(String::as_str).collect());
    }
    text
}

/// The machine-readable result of `heal` (`-o json|yaml`): one row per workload (or per
/// namespace with nothing to heal), and counts per status. Never holds secret content.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HealReport<'a> {
    pub command: &'static str,
    /// The secret of `create`/`attach --heal`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<&'static str>,
    pub results: &'a [HealRow],
    pub summary: BTreeMap<&'static str, usize>,
}

impl<'a> HealReport<'a> {
    /// A report over `results`, with counts per status.
    pub fn new(
        command: &'static str,
        secret: Option<&'a str>,
        dry_run: Option<&'static str>,
        results: &'a [HealRow],
    ) -> Self {
        let mut summary = BTreeMap::new();
        for row in results {
            *summary.entry(row.status.as_str()).or_insert(0) += 1;
        }
        HealReport {
            command,
            secret,
            dry_run,
            results,
            summary,
        }
    }
}

/// Prints the heal report: JSON/YAML when asked; else one line when there is one row (as
/// `kubectl rollout restart` would), or a table with one row per workload and a summary line.
pub fn print_heal_report(report: &HealReport, format: Option<OutputFormat>) -> Result<(), Error> {
    if let Some(format) = format {
        return print_value(report, format);
    }
    let suffix = dry_run_suffix(report.dry_run);
    if let [only] = report.results
        && only.status.is_success()
        && only.context.is_none()
    {
        return print_line(&format!("{}{suffix}", heal_line(only)));
    }
    let mut text = heal_table(report.results);
    text.push_str(&format!("{}{suffix}\n", heal_summary(report)));
    write_stdout(&text)
}

/// Prints the report of `create`/`attach --heal`: the command's own report, then the heal rows
/// of the namespaces that had something to heal; in JSON/YAML one document, the heal report
/// under `heal`.
pub fn print_report_with_heal(
    report: &Report,
    heal: &HealReport,
    format: Option<OutputFormat>,
) -> Result<(), Error> {
    if let Some(format) = format {
        let mut value = serde_json::to_value(report).map_err(|e| Error::Output(e.into()))?;
        let healed = serde_json::json!({"results": heal.results, "summary": heal.summary});
        if let Some(object) = value.as_object_mut() {
            object.insert("heal".into(), healed);
        }
        return print_value(&value, format);
    }
    print_report(report, None)?;
    let suffix = dry_run_suffix(heal.dry_run);
    let rows: Vec<HealRow> = heal
        .results
        .iter()
        .filter(|r| !(r.is_about_namespace() && r.status == HealStatus::Unchanged))
        .cloned()
        .collect();
    let secret = heal.secret.unwrap_or_default();
    let text = match rows.as_slice() {
        [] => format!("heal: no pod is stuck pulling an image {secret} serves{suffix}\n"),
        [only] if only.context.is_none() => format!("heal: {}{suffix}\n", heal_line(only)),
        rows => {
            let counts = status_counts(rows.iter().map(|r| r.status.as_str()));
            format!("{}heal: {counts}{suffix}\n", heal_table(rows))
        }
    };
    write_stdout(&text)
}

fn dry_run_suffix(dry_run: Option<&str>) -> &'static str {
    match dry_run {
        Some("server") => " (server dry run)",
        Some(_) => " (dry run)",
        None => "",
    }
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

fn heal_table(rows: &[HealRow]) -> String {
    let cells = |r: &HealRow| {
        let namespace = match r.namespace.as_str() {
            "" => "-".to_string(),
            name => name.to_string(),
        };
        [
            namespace,
            r.workload.clone().unwrap_or_else(|| "-".into()),
            r.status.as_str().to_string(),
            heal_details(r),
        ]
    };
    if rows.iter().any(|r| r.context.is_some()) {
        let rows: Vec<[String; 5]> = rows
            .iter()
            .map(|r| {
                let [namespace, workload, status, details] = cells(r);
                let context = r.context.clone().unwrap_or_default();
                [context, namespace, workload, status, details]
            })
            .collect();
        table(
            ["CONTEXT", "NAMESPACE", "WORKLOAD", "RESULT", "DETAILS"],
            &rows,
        )
    } else {
        let rows: Vec<[String; 4]> = rows.iter().map(cells).collect();
        table(["NAMESPACE", "WORKLOAD", "RESULT", "DETAILS"], &rows)
    }
}

/// `3 namespaces: 2 restarted, 1 skipped, 1 unchanged`, with the contexts when several.
fn heal_summary(report: &HealReport) -> String {
    let mut namespaces: Vec<(Option<&str>, &str)> = report
        .results
        .iter()
        .filter(|r| !r.namespace.is_empty())
        .map(|r| (r.context.as_deref(), r.namespace.as_str()))
        .collect();
    namespaces.dedup();
    let mut contexts: Vec<&str> = report
        .results
        .iter()
        .filter_map(|r| r.context.as_deref())
        .collect();
    contexts.dedup();
    let plural = |n: usize, word: &str| match n {
        1 => format!("1 {word}"),
        n => format!("{n} {word}s"),
    };
    let scope = match contexts.len() {
        0 => plural(namespaces.len(), "namespace"),
        n => format!(
            "{} in {}",
            plural(namespaces.len(), "namespace"),
            plural(n, "context")
        ),
    };
    let counts = status_counts(report.results.iter().map(|r| r.status.as_str()));
    format!("{scope}: {counts}")
}

/// `2 restarted, 1 skipped`, statuses in alphabetical order.
fn status_counts<'a>(statuses: impl Iterator<Item = &'a str>) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for status in statuses {
        *counts.entry(status).or_insert(0) += 1;
    }
    counts
        .iter()
        .map(|(status, n)| format!("{n} {status}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Prints the logins stored in the OS keyring: a REGISTRY/USERNAME table, or
/// `{"logins": [{"registry", "username"}]}` as JSON/YAML. There is no secret to leave out.
pub fn print_logins(
    logins: &[crate::creds::keyring::Login],
    format: Option<OutputFormat>,
) -> Result<(), Error> {
    if let Some(format) = format {
        return print_value(&serde_json::json!({ "logins": logins }), format);
    }
    if logins.is_empty() {
        return print_line(
            "no logins in the OS keyring (add one with `kubectl regcred login SERVER`)",
        );
    }
    let rows: Vec<[String; 2]> = logins
        .iter()
        .map(|l| [l.registry.clone(), l.username.clone()])
        .collect();
    write_stdout(&table(["REGISTRY", "USERNAME"], &rows))
}

/// Prints explained pull-failure messages for people: cause, summary, where, and the fix.
pub fn print_explanations(explained: &[crate::cmd::diagnose::Explained]) -> Result<(), Error> {
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

/// `CONTEXT prod`: the heading of one context's part of a several-context report.
pub fn context_heading(context: &str) -> String {
    format!("{} {}", style("CONTEXT").bold(), style(context).bold())
}

/// Prints `status` for people: per namespace a table of pull secrets (registries with
/// usernames, service accounts, pods, expiry) and its findings with their fixes; then the
/// findings that span namespaces, and a summary line.
pub fn print_status(report: &crate::status::StatusReport, now: i64) -> Result<(), Error> {
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
    let mut text = String::new();
    for namespace in &report.namespaces {
        let findings: Vec<&StatusFinding> = report
            .findings
            .iter()
            .filter(|f| f.namespace.as_deref() == Some(namespace.namespace.as_str()))
            .collect();
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
            let rows: Vec<[String; 5]> = namespace
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
                        expiry_cell(s.expires_at_seconds, now),
                    ]
                })
                .collect();
            let table = table(
                [
                    "SECRET",
                    "REGISTRIES",
                    "SERVICE ACCOUNTS",
                    "PODS",
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
        "\n{} pull secrets in {} namespaces: {} error, {} warning, {} info\n",
        count("secrets"),
        report.namespaces.len(),
        count("error"),
        count("warning"),
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
            format!("expired {} ago", crate::status::human_duration(now - at))
        }
        Some(at) => format!("in {}", crate::status::human_duration(at - now)),
    }
}

/// Prints a cluster diagnosis for people: one block per failing container, grouped by pod.
pub fn print_diagnoses(
    report: &crate::cmd::diagnose::DiagnoseReport,
    scope: &str,
) -> Result<(), Error> {
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

/// Colour for people only: stdout a terminal and `NO_COLOR` unset; never in a pipe or JSON.
fn style<D>(text: D) -> console::StyledObject<D> {
    static COLOURS: std::sync::Once = std::sync::Once::new();
    COLOURS.call_once(|| {
        let wanted = std::io::IsTerminal::is_terminal(&std::io::stdout())
            && std::env::var_os("NO_COLOR").is_none();
        console::set_colors_enabled(wanted);
    });
    console::style(text)
}

/// Prints one line for humans.
pub fn print_line(line: &str) -> Result<(), Error> {
    write_stdout(&format!("{line}\n"))
}

/// Prints text exactly as given (completion scripts and candidates).
pub fn print_text(text: &str) -> Result<(), Error> {
    write_stdout(text)
}

/// Writes to stdout; a closed pipe (`| head`) is a normal end, not an error.
fn write_stdout(text: &str) -> Result<(), Error> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(Error::Output),
    }
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
    fn table_columns_line_up() {
        let rows = vec![
            ["a".to_string(), "created".to_string(), "x".to_string()],
            [
                "long-name".to_string(),
                "unchanged".to_string(),
                "".to_string(),
            ],
        ];
        assert_eq!(
            table(["NAMESPACE", "RESULT", "DETAILS"], &rows),
            "NAMESPACE   RESULT      DETAILS\na           created     x\nlong-name   unchanged   \n"
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
        let mut text = heal_table(&rows);
        text.push_str(&heal_summary(&report));
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
