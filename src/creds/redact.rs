//! What a failed program said, made fit for an error message: its first lines, shortened, with
//! every word that looks like a credential replaced. Cloud CLIs and credential helpers print
//! tokens in their debug lines and echo what they were given; none of it may reach a terminal
//! or a CI log.

/// What a word that looks like a credential is replaced with.
const REDACTED: &str = "[redacted]";
/// What a line that looks like JSON is replaced with: it may be the credential itself (a
/// helper's `get` answer).
const JSON_REDACTED: &str = "[output redacted]";
/// The longest line shown, in characters; longer ones end in `...`.
const MAX_LINE: usize = 200;

/// The first `max_lines` non-empty lines of `said`, trimmed, each with the words that look like
/// credentials replaced and cut at 200 characters, joined with ` | `; None when `said` holds no
/// text.
///
/// ```text
/// error: password: hunter2 for user bob     ->  error: password: [redacted] for user bob
/// Authorization: Bearer ya29.a0AfB_xyz...   ->  Authorization: Bearer [redacted]
/// {"Secret":"x"}                            ->  [output redacted]
/// ```
pub fn summary(said: &[u8], max_lines: usize) -> Option<String> {
    let text = String::from_utf8_lossy(said);
    let lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .take(max_lines)
        .map(|line| {
            if line.starts_with(['{', '[']) {
                JSON_REDACTED.to_string()
            } else {
                truncate(&redact(line), MAX_LINE)
            }
        })
        .collect();
    (!lines.is_empty()).then(|| lines.join(" | "))
}

fn truncate(line: &str, max: usize) -> String {
    match line.char_indices().nth(max) {
        Some((at, _)) => format!("{}...", &line[..at]),
        None => line.to_string(),
    }
}

/// What the words before this one say about it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Before {
    Nothing,
    /// `password:`, `token:`: this word is the value.
    SecretName,
    /// `Authorization:`: this word is the value, or its scheme (`Bearer`) and the next one is.
    AuthorizationHeader,
}

/// `line` with every word that looks like a credential replaced; the spaces between words are
/// kept as they are.
fn redact(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut before = Before::Nothing;
    let mut rest = line;
    while !rest.is_empty() {
        let word_start = rest.len() - rest.trim_start().len();
        out.push_str(&rest[..word_start]);
        rest = &rest[word_start..];
        let word_len = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (word, after) = rest.split_at(word_len);
        rest = after;
        if word.is_empty() {
            continue;
        }
        let is_scheme = before == Before::AuthorizationHeader && matches!(word, "Bearer" | "Basic");
        let hide = (before != Before::Nothing && !is_scheme) || looks_secret(word);
        out.push_str(if hide { REDACTED } else { word });
        before = if word.ends_with(':') && has_secret_name(word) {
            let name = word.trim_end_matches(':').to_ascii_lowercase();
            if name.ends_with("authorization") {
                Before::AuthorizationHeader
            } else {
                Before::SecretName
            }
        } else if is_scheme {
            Before::SecretName
        } else {
            Before::Nothing
        };
    }
    out
}

/// Does the word name a secret (`password`, `token`, ...), in any case?
fn has_secret_name(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    ["secret", "password", "passwd", "token", "auth", "key"]
        .iter()
        .any(|name| lower.contains(name))
}

/// A word with a secret-sounding name and a value (`token=abc`, `"password":"x"`), or holding
/// a token: a JWT, a Google `ya29.` token, long mixed-case base64, a long run of letters and
/// digits (`ghp_...`, `user:password` in base64).
fn looks_secret(word: &str) -> bool {
    let is_named_value =
        has_secret_name(word) && (word.contains('=') || word.trim_end_matches(':').contains(':'));
    let is_token_char =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '_' | '-' | '.' | '~');
    is_named_value
        || word.split(|c| !is_token_char(c)).any(is_token_like)
        || word
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .any(is_long_mixed)
}

fn is_token_like(piece: &str) -> bool {
    let has = |f: fn(&char) -> bool| piece.chars().any(|c| f(&c));
    (piece.len() >= 16 && (piece.contains("ya29.") || piece.contains("eyJ")))
        || (piece.len() >= 24
            && has(char::is_ascii_uppercase)
            && has(char::is_ascii_lowercase)
            && has(char::is_ascii_digit))
}

/// Twenty or more letters, digits and underscores, with both letters and digits. A UUID's
/// groups are shorter: ids stay readable.
fn is_long_mixed(piece: &str) -> bool {
    piece.len() >= 20
        && piece.chars().any(|c| c.is_ascii_digit())
        && piece.chars().any(|c| c.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_messages_are_kept_whole() {
        let aws = b"\nAn error occurred (UnrecognizedClientException) when calling the GetAuthorizationToken operation: The security token included in the request is invalid.\n";
        assert_eq!(
            summary(aws, 4).unwrap(),
            "An error occurred (UnrecognizedClientException) when calling the \
             GetAuthorizationToken operation: The security token included in the request is invalid."
        );
        assert_eq!(summary(b"", 4), None);
        assert_eq!(summary(b"\n \n", 1), None);
        assert_eq!(
            summary(b"credentials not found in native keychain\n", 1).unwrap(),
            "credentials not found in native keychain"
        );
        // Paths, ids and error names stay readable.
        let plain = "ERROR: (gcloud.auth.print-access-token) Reauthentication failed. \
                     /usr/lib/google-cloud-sdk/lib 8c7b1f4e-0c1d-4e8a-9f3b-2a6d5e4c3b2a";
        assert_eq!(redact(plain), plain);
    }

    #[test]
    fn tokens_are_redacted() {
        let leaky = b"DEBUG token=eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0.sig\n\
            Authorization: Bearer ya29.a0AfB_byCxyzSECRET123 access_token=ya29.lowercase0only\n\
            payload eyJwYXlsb2FkIjoiQVFJQkFIaE9TMnAzMkt4In0K QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE1Mzg=\n\
            line 4\nline 5 is not shown\n";
        let shown = summary(leaky, 4).unwrap();
        for secret in [
            "eyJhbGci",
            "ya29.a0",
            "SECRET123",
            "lowercase0only",
            "eyJwYXls",
            "QUFBQUFB",
        ] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert_eq!(shown.matches("[redacted]").count(), 5, "{shown}");
        assert!(
            shown.contains("Authorization: Bearer [redacted]"),
            "{shown}"
        );
        assert!(
            shown.contains("line 4") && !shown.contains("line 5"),
            "{shown}"
        );
        let s = summary(
            b"\nerror: token=abc password: hunter2 Bearer ghp_1234567890abcdefghijklmnop\nmore",
            1,
        )
        .unwrap();
        assert!(!s.contains("abc") && !s.contains("ghp_"), "{s}");
        assert!(s.starts_with("error:"), "{s}");
    }

    #[test]
    fn json_lines_are_never_shown() {
        assert_eq!(
            summary(br#"{"Secret":"x"}"#, 1).unwrap(),
            "[output redacted]"
        );
        assert_eq!(
            summary(b"failed\n[\"x\"]", 2).unwrap(),
            "failed | [output redacted]"
        );
    }

    #[test]
    fn lines_are_bounded() {
        let long = "x ".repeat(300);
        assert!(summary(long.as_bytes(), 4).unwrap().len() <= 203);
        assert!(summary(&[b'a'; 500], 1).unwrap().len() < 220);
    }

    #[test]
    fn issue_9_the_word_after_a_secret_name_and_colon_is_redacted() {
        let s = summary(b"error: password: hunter2 for user bob", 1).unwrap();
        assert_eq!(s, "error: password: [redacted] for user bob");
        let s = summary(b"Token: abc expired", 1).unwrap();
        assert_eq!(s, "Token: [redacted] expired");
        // A scheme is no secret, the credential after it is.
        let s = redact("authorization: Basic dXNlcjpwYXNz and password: Bearer");
        assert_eq!(
            s,
            "authorization: Basic [redacted] and password: [redacted]"
        );
    }
}
