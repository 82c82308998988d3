//! Passwords from standard input or a file, never from argv.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use zeroize::Zeroizing;

/// A secret string whose `Debug` never shows it; zeroed when dropped.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretString(pub Zeroizing<String>);

impl std::fmt::Debug for SecretString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretString(<redacted>)")
    }
}

impl<'de> Deserialize<'de> for SecretString {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|s| SecretString(Zeroizing::new(s)))
    }
}

impl SecretString {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Why a password could not be read. Names where it was to come from, never the password.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("cannot read the password from {}", path.display())]
    File {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot read the password from standard input")]
    Stdin(#[source] std::io::Error),

    #[error("expected {expected} passwords from {source_name}, got {found}")]
    Count {
        expected: usize,
        found: usize,
        source_name: String,
    },

    #[error("the password from {source_name} is empty")]
    Empty { source_name: String },
}

impl PasswordError {
    /// Whether the input was wrong (a file, the lines given) rather than standard input failing.
    pub fn is_usage(&self) -> bool {
        !matches!(self, PasswordError::Stdin(_))
    }
}

/// The most standard input may hold: far more than any password, token or key file.
const MAX_STDIN: usize = 1 << 20;

/// Reads a password from standard input, as `docker login --password-stdin` does: everything
/// up to EOF, without the trailing line break.
pub fn from_stdin() -> Result<Zeroizing<String>, PasswordError> {
    let raw = read_all(&mut std::io::stdin().lock(), MAX_STDIN).map_err(PasswordError::Stdin)?;
    non_empty(strip_line_break(raw), "standard input")
}

/// Reads one password per line from standard input, for several registries at once.
pub fn lines_from_stdin(count: usize) -> Result<Vec<Zeroizing<String>>, PasswordError> {
    let raw = read_all(&mut std::io::stdin().lock(), MAX_STDIN).map_err(PasswordError::Stdin)?;
    let lines: Vec<Zeroizing<String>> = raw
        .lines()
        .map(|line| Zeroizing::new(line.trim_end_matches('\r').to_owned()))
        .collect();
    if lines.len() != count || lines.iter().any(|l| l.is_empty()) {
        return Err(PasswordError::Count {
            expected: count,
            found: lines.iter().filter(|l| !l.is_empty()).count(),
            source_name: "standard input (one line per --server)".into(),
        });
    }
    Ok(lines)
}

/// Reads a password from a file, without the trailing line break editors add.
pub fn from_file(path: &Path) -> Result<Zeroizing<String>, PasswordError> {
    let read_error = |source| PasswordError::File {
        path: path.to_path_buf(),
        source,
    };
    let bytes = Zeroizing::new(std::fs::read(path).map_err(read_error)?);
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        read_error(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "the file is not UTF-8 text",
        ))
    })?;
    non_empty(
        strip_line_break(Zeroizing::new(text.to_owned())),
        &path.display().to_string(),
    )
}

/// Reads UTF-8 text to EOF into a buffer allocated once: `read_to_string` grows its buffer,
/// and every reallocation would leave a copy of the password in freed memory.
fn read_all(input: &mut impl Read, limit: usize) -> std::io::Result<Zeroizing<String>> {
    let invalid = |what: String| std::io::Error::new(std::io::ErrorKind::InvalidData, what);
    let mut read = super::process::read_bounded(input, limit)?;
    if read.overflowed {
        return Err(invalid(format!("more than {limit} bytes")));
    }
    // Takes the buffer over without copying it; on error, hands it back to be wiped.
    String::from_utf8(std::mem::take(&mut *read.bytes))
        .map(Zeroizing::new)
        .map_err(|e| {
            drop(Zeroizing::new(e.into_bytes()));
            invalid("not UTF-8 text".into())
        })
}

fn strip_line_break(mut raw: Zeroizing<String>) -> Zeroizing<String> {
    let trimmed_len = raw.trim_end_matches(['\n', '\r']).len();
    raw.truncate(trimmed_len);
    raw
}

fn non_empty(
    password: Zeroizing<String>,
    source_name: &str,
) -> Result<Zeroizing<String>, PasswordError> {
    if password.is_empty() {
        Err(PasswordError::Empty {
            source_name: source_name.to_string(),
        })
    } else {
        Ok(password)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_trailing_line_breaks_are_removed() {
        let strip = |s: &str| strip_line_break(Zeroizing::new(s.to_string())).to_string();
        assert_eq!(strip("secret\n"), "secret");
        assert_eq!(strip("secret\r\n"), "secret");
        assert_eq!(strip(" secret \n\n"), " secret ");
        assert_eq!(strip("se\ncret"), "se\ncret");
    }

    #[test]
    fn a_file_with_only_a_newline_is_an_empty_password() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pw");
        std::fs::write(&path, "\n").unwrap();
        let err = from_file(&path).unwrap_err();
        assert!(matches!(err, PasswordError::Empty { .. }), "{err}");
        assert!(err.is_usage());
    }

    const STDIN_SENTINEL: &str = "Unit-Sentinel-Pa55word-3e9d7c10";

    #[test]
    fn stdin_is_read_into_one_buffer_and_refused_beyond_the_limit() {
        let read = read_all(&mut format!("{STDIN_SENTINEL}\n").as_bytes(), 1024).unwrap();
        assert_eq!(strip_line_break(read).as_str(), STDIN_SENTINEL);
        let err = read_all(&mut [b'x'; 65].as_slice(), 64).unwrap_err();
        assert_eq!(err.to_string(), "more than 64 bytes");
        let err = read_all(&mut [0xff, 0xfe].as_slice(), 64).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    }

    #[test]
    fn debug_of_every_type_holding_a_password_is_redacted() {
        use crate::dockerconfig::shows_secret;
        let secret = SecretString(Zeroizing::new(STDIN_SENTINEL.to_string()));
        let request = super::super::Request {
            servers: vec!["x.io".into()],
            usernames: vec!["u".into()],
            password: super::super::PasswordInput {
                typed: Some(secret.clone()),
                ..Default::default()
            },
            ..Default::default()
        };
        let parsed: SecretString = serde_json::from_str(&format!("{STDIN_SENTINEL:?}")).unwrap();
        assert_eq!(parsed, secret);
        for shown in [
            format!("{secret:?}"),
            format!("{request:?}"),
            format!("{parsed:?}"),
        ] {
            assert!(!shows_secret(&shown, STDIN_SENTINEL), "{shown}");
        }
    }

    #[test]
    fn a_missing_file_names_its_path() {
        let err = from_file(Path::new("/nonexistent/pw")).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/pw"), "{err}");
        assert!(err.is_usage());
        assert!(!PasswordError::Stdin(std::io::ErrorKind::BrokenPipe.into()).is_usage());
    }
}
