//! The only place that writes to stdout: summaries for humans, JSON/YAML for scripts. One file
//! per report; each takes the models of the layers below and never reaches into `cmd`.

mod check;
mod diagnose;
mod explain;
mod fanout;
mod heal;
mod logins;
mod rows;
mod status;

use std::io::Write;

use serde::Serialize;

pub use check::print_check;
pub use diagnose::{print_diagnoses, print_explanations};
pub use explain::print_explain;
pub use fanout::{Report, print_report};
pub use heal::{HealReport, print_heal_report, print_report_with_heal};
pub use logins::print_logins;
pub use status::print_status;

/// Machine-readable output formats (`-o`).
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

/// Stdout could not be written (a closed pipe is not an error: see [`print_text`]).
#[derive(Debug, thiserror::Error)]
#[error("cannot write output")]
pub struct OutputError(#[source] pub std::io::Error);

/// Prints objects as kubectl's `-o json|yaml` would: one object alone, several as a `List`.
/// Managed fields are left out, as kubectl does by default.
pub fn print_objects<T: Serialize>(objects: &[T], format: Format) -> Result<(), OutputError> {
    let mut values = objects
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| OutputError(e.into()))?;
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
pub fn print_value<T: Serialize>(value: &T, format: Format) -> Result<(), OutputError> {
    // Through a `Value` the keys come out sorted.
    let value = serde_json::to_value(value).map_err(|e| OutputError(e.into()))?;
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&value)
            .map(|json| json + "\n")
            .map_err(|e| e.to_string()),
        Format::Yaml => {
            let mut options = serde_saphyr::SerializerOptions::default();
            options.prefer_block_scalars = false;
            serde_saphyr::to_string_with_options(&value, options).map_err(|e| e.to_string())
        }
    };
    write_stdout(&text.map_err(|e| OutputError(std::io::Error::other(e)))?)
}

fn table<R: AsRef<[String]>>(header: &[&str], rows: &[R]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row.as_ref()) {
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
        push_row(row.as_ref().iter().map(String::as_str).collect());
    }
    text
}

fn dry_run_suffix(dry_run: Option<&str>) -> &'static str {
    match dry_run {
        Some("server") => " (server dry run)",
        Some(_) => " (dry run)",
        None => "",
    }
}

pub use crate::words::counted;

/// `CONTEXT prod`: the heading of one context's part of a several-context report.
pub fn context_heading(context: &str) -> String {
    format!("{} {}", style("CONTEXT").bold(), style(context).bold())
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
pub fn print_line(line: &str) -> Result<(), OutputError> {
    write_stdout(&format!("{line}\n"))
}

/// Prints a notice for people on stderr, as kubectl prints "No resources found": the result
/// is empty, and stdout stays empty for scripts.
pub fn print_notice(line: &str) -> Result<(), OutputError> {
    let mut stderr = std::io::stderr().lock();
    match writeln!(stderr, "{line}") {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(OutputError),
    }
}

/// Prints text exactly as given (completion scripts and candidates).
pub fn print_text(text: &str) -> Result<(), OutputError> {
    write_stdout(text)
}

/// Writes to stdout; a closed pipe (`| head`) is a normal end, not an error.
fn write_stdout(text: &str) -> Result<(), OutputError> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(OutputError),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            table(&["NAMESPACE", "RESULT", "DETAILS"], &rows),
            "NAMESPACE   RESULT      DETAILS\na           created     x\nlong-name   unchanged   \n"
        );
    }
}
