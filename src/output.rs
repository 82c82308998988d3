//! The only place that writes to stdout: summaries for humans, JSON/YAML for scripts.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use crate::cli::OutputFormat;
use crate::cluster::fanout::{AccountChange, Outcome, Status};
use crate::error::Error;

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
