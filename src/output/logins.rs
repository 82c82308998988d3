//! `logins`: the registries with a login in the OS keyring, never their passwords.

use super::{Format, OutputError, print_line, print_value, table, write_stdout};

/// Prints the logins stored in the OS keyring: a REGISTRY/USERNAME table, or
/// `{"logins": [{"registry", "username"}]}` as JSON/YAML. There is no secret to leave out.
pub fn print_logins(
    logins: &[crate::creds::keyring::Login],
    format: Option<Format>,
) -> Result<(), OutputError> {
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
    write_stdout(&table(&["REGISTRY", "USERNAME"], &rows))
}
