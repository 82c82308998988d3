//! Passwords from standard input or a file, never from argv.

use std::io::Read;
use std::path::Path;

use zeroize::Zeroizing;

use crate::error::Error;

/// A secret string whose `Debug` never shows it; zeroed when dropped.
#[derive(Clone, Default)]
pub struct SecretString(pub Zeroizing<String>);

impl std::fmt::Debug for SecretString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretString(<redacted>)")
    }
}

/// Reads a password from standard input, as `docker login --password-stdin` does: everything
/// up to EOF, without the trailing line break.
pub fn from_stdin() -> Result<Zeroizing<String>, Error> {
    let mut raw = Zeroizing::new(String::new());
    std::io::stdin()
        .read_to_string(&mut raw)
        .map_err(Error::PasswordStdin)?;
    non_empty(strip_line_break(raw), "standard input")
}

/// Reads one password per line from standard input, for several registries at once.
pub fn lines_from_stdin(count: usize) -> Result<Vec<Zeroizing<String>>, Error> {
    let mut raw = Zeroizing::new(String::new());
    std::io::stdin()
        .read_to_string(&mut raw)
        .map_err(Error::PasswordStdin)?;
    let lines: Vec<Zeroizing<String>> = raw
        .lines()
        .map(|line| Zeroizing::new(line.trim_end_matches('\r').to_owned()))
        .collect();
    if lines.len() != count || lines.iter().any(|l| l.is_empty()) {
        return Err(Error::PasswordCount {
            expected: count,
            found: lines.iter().filter(|l| !l.is_empty()).count(),
            source_name: "standard input (one line per --server)".into(),
        });
    }
    Ok(lines)
}

/// Reads a password from a file, without the trailing line break editors add.
pub fn from_file(path: &Path) -> Result<Zeroizing<String>, Error> {
    let read_error = |source| Error::PasswordFile {
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

fn strip_line_break(mut raw: Zeroizing<String>) -> Zeroizing<String> {
    let trimmed_len = raw.trim_end_matches(['\n', '\r']).len();
    raw.truncate(trimmed_len);
    raw
}

fn non_empty(password: Zeroizing<String>, source_name: &str) -> Result<Zeroizing<String>, Error> {
    if password.is_empty() {
        Err(Error::EmptyPassword {
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
        assert!(matches!(from_file(&path), Err(Error::EmptyPassword { .. })));
    }

    #[test]
    fn a_missing_file_names_its_path() {
        let err = from_file(Path::new("/nonexistent/pw")).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/pw"), "{err}");
    }
}
