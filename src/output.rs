//! The only place that writes to stdout: summaries for humans, JSON/YAML for scripts.

use std::io::Write;

use k8s_openapi::api::core::v1::Secret;

use crate::cli::OutputFormat;
use crate::error::Error;

/// Prints an object as kubectl's `-o json|yaml` would, without managed fields.
pub fn print_object(secret: &Secret, format: OutputFormat) -> Result<(), Error> {
    let mut shown = secret.clone();
    shown.metadata.managed_fields = None;
    // Through a `Value` the keys come out sorted, as kubectl prints them.
    let value = serde_json::to_value(&shown).map_err(|e| Error::Output(e.into()))?;
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

/// Prints one line for humans.
pub fn print_line(line: &str) -> Result<(), Error> {
    write_stdout(&format!("{line}\n"))
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
