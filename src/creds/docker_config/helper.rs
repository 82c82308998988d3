//! The credential helper protocol: `docker-credential-NAME get` reads a server URL on stdin
//! and prints `{"ServerURL","Username","Secret"}`; `list` prints `{"URL":"username"}`.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use super::error::DockerConfigError;
use super::found::Found;
use crate::creds::password::SecretString;
use crate::creds::process::{Output, Program, Run, RunError, SECRET_VARIABLES};
use crate::creds::redact;

/// How long a credential helper may take for one `get` or `list`.
pub(super) const HELPER_TIMEOUT: Duration = Duration::from_secs(30);

/// The `Username` a helper returns when `Secret` is an identity (refresh) token.
const TOKEN_USERNAME: &str = "<token>";

/// At most this much of a helper's output is read; helpers print a few hundred bytes.
const MAX_HELPER_OUTPUT: usize = 1 << 20;

/// What `docker-credential-X get` prints.
#[derive(Deserialize)]
struct HelperCredentials {
    #[serde(rename = "Username", default)]
    username: String,
    #[serde(rename = "Secret", default)]
    secret: SecretString,
}

/// Reads a helper's `get` answer. An empty secret is how some helpers say "not found".
pub(super) fn parse_helper_get(stdout: &[u8]) -> Result<Option<Found>, ()> {
    let creds: HelperCredentials = serde_json::from_slice(stdout).map_err(|_| ())?;
    if creds.secret.is_empty() {
        return Ok(None);
    }
    if creds.username == TOKEN_USERNAME {
        return Ok(Some(Found::IdentityToken(creds.secret)));
    }
    Ok(Some(Found::Basic {
        username: creds.username,
        password: creds.secret,
        email: None,
    }))
}

/// Reads a helper's `list` answer: server URL → username.
fn parse_helper_list(stdout: &[u8]) -> Result<Vec<String>, ()> {
    let map: BTreeMap<String, serde::de::IgnoredAny> =
        serde_json::from_slice(stdout).map_err(|_| ())?;
    Ok(map.into_keys().collect())
}

/// The message docker-credential-helpers print (on stdout, exit code 1) for a missing entry.
fn says_not_found(text: &str) -> bool {
    text.contains("credentials not found")
}

/// `docker-credential-HELPER get`, with the server URL on stdin.
pub(super) fn helper_credentials(
    registry: &str,
    helper: &str,
    path: &Path,
    timeout: Duration,
) -> Result<Found, DockerConfigError> {
    tracing::debug!(helper, registry, "asking a credential helper");
    let call = HelperCall {
        path,
        registry,
        helper,
        action: "get",
    };
    let output = call.run(timeout)?;
    let not_found = || DockerConfigError::HelperHasNone {
        path: path.to_path_buf(),
        registry: registry.to_string(),
        helper: helper.to_string(),
    };
    let (stdout, stderr) = (&output.stdout.bytes, &output.stderr.bytes);
    if !output.status.success() {
        if says_not_found(&String::from_utf8_lossy(stdout))
            || says_not_found(&String::from_utf8_lossy(stderr))
        {
            return Err(not_found());
        }
        return Err(call.failed(&output));
    }
    match parse_helper_get(stdout) {
        Ok(Some(found)) => Ok(found),
        Ok(None) => Err(not_found()),
        Err(()) => Err(call.bad_output()),
    }
}

/// `docker-credential-HELPER list`: the server URLs it holds credentials for.
pub(super) fn helper_list(
    helper: &str,
    path: &Path,
    timeout: Duration,
) -> Result<Vec<String>, DockerConfigError> {
    tracing::debug!(helper, "listing a credential store");
    let call = HelperCall {
        path,
        registry: "every registry",
        helper,
        action: "list",
    };
    let output = call.run(timeout)?;
    if !output.status.success() {
        return Err(call.failed(&output));
    }
    parse_helper_list(&output.stdout.bytes).map_err(|()| call.bad_output())
}

/// One run of a credential helper, for running it and naming it in errors.
struct HelperCall<'a> {
    path: &'a Path,
    registry: &'a str,
    helper: &'a str,
    action: &'static str,
}

impl HelperCall<'_> {
    /// Runs the helper with the server URL on stdin (`get`) or nothing (`list`). It inherits
    /// our environment without our secret variables, and gets nothing secret in argv.
    fn run(&self, timeout: Duration) -> Result<Output, DockerConfigError> {
        let program = Program {
            name: format!("docker-credential-{}", self.helper),
            args: vec![self.action.to_string()],
        };
        let input = match self.action {
            "get" => format!("{}\n", self.registry),
            _ => String::new(),
        };
        let how = Run {
            stdin: Some(input.as_bytes()),
            timeout,
            max_stdout: MAX_HELPER_OUTPUT,
            max_stderr: MAX_HELPER_OUTPUT,
            env_removed: SECRET_VARIABLES,
        };
        program.run(&how).map_err(|e| match e {
            RunError::NotFound => DockerConfigError::UnknownHelper {
                path: self.path.to_path_buf(),
                registry: self.registry.to_string(),
                helper: self.helper.to_string(),
            },
            RunError::Io(source) => DockerConfigError::HelperSpawn {
                path: self.path.to_path_buf(),
                registry: self.registry.to_string(),
                helper: self.helper.to_string(),
                source,
            },
            RunError::Timeout => DockerConfigError::HelperTimeout {
                path: self.path.to_path_buf(),
                registry: self.registry.to_string(),
                helper: self.helper.to_string(),
                action: self.action,
                timeout,
            },
        })
    }

    fn failed(&self, output: &Output) -> DockerConfigError {
        let status = output.status_text();
        DockerConfigError::HelperFailed {
            path: self.path.to_path_buf(),
            registry: self.registry.to_string(),
            helper: self.helper.to_string(),
            action: self.action,
            outcome: match said(&output.stderr.bytes, &output.stdout.bytes) {
                Some(summary) => format!("{status}: {summary}"),
                None => status,
            },
        }
    }

    fn bad_output(&self) -> DockerConfigError {
        DockerConfigError::HelperOutput {
            path: self.path.to_path_buf(),
            registry: self.registry.to_string(),
            helper: self.helper.to_string(),
            action: self.action,
        }
    }
}

/// One line of what a failing helper said: stderr, else stdout, where docker-credential-helpers
/// print their errors.
fn said(stderr: &[u8], stdout: &[u8]) -> Option<String> {
    redact::summary(stderr, 1).or_else(|| redact::summary(stdout, 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::creds::docker_config::fixtures::*;

    #[test]
    fn the_helper_protocol_is_read() {
        let got = parse_helper_get(br#"{"ServerURL":"ghcr.io","Username":"octo","Secret":"pw"}"#);
        assert_eq!(got, Ok(Some(basic("octo", "pw"))));
        let got = parse_helper_get(
            br#"{"ServerURL":"x","Username":"\u003ctoken\u003e","Secret":"refresh"}"#,
        );
        assert_eq!(got, Ok(Some(Found::IdentityToken(secret("refresh")))));
        let got = parse_helper_get(br#"{"ServerURL":"x","Username":"","Secret":""}"#);
        assert_eq!(got, Ok(None));
        assert_eq!(parse_helper_get(b"credentials not found"), Err(()));
        assert_eq!(
            parse_helper_list(br#"{"ghcr.io":"octo","https://index.docker.io/v1/":"<token>"}"#),
            Ok(vec![
                "ghcr.io".to_string(),
                "https://index.docker.io/v1/".to_string()
            ])
        );
        assert!(says_not_found("credentials not found in native keychain"));
    }

    #[test]
    fn helper_messages_are_summarised_without_secrets() {
        assert_eq!(
            said(b"", b"credentials not found in native keychain\n").unwrap(),
            "credentials not found in native keychain"
        );
        assert_eq!(said(b"\n", b"").as_deref(), None);
        let s = said(
            b"\nerror: token=abc password: hunter2 Bearer ghp_1234567890abcdefghijklmnop\nmore",
            b"ignored",
        )
        .unwrap();
        assert!(
            !s.contains("abc") && !s.contains("ghp_") && !s.contains("more"),
            "{s}"
        );
        assert!(s.starts_with("error:"), "{s}");
        assert_eq!(
            said(b"", br#"{"Secret":"x"}"#).unwrap(),
            "[output redacted]"
        );
        assert!(said(&[b'a'; 500], b"").unwrap().len() < 220);
    }

    #[test]
    fn helpers_are_named_when_they_fail_to_run() {
        let call = |helper| HelperCall {
            path: Path::new("/home/u/.docker/config.json"),
            registry: "ghcr.io",
            helper,
            action: "get",
        };
        let err = call("no-such-helper").run(HELPER_TIMEOUT).err().unwrap();
        assert!(
            matches!(err, DockerConfigError::UnknownHelper { .. }),
            "{err}"
        );
        assert!(
            err.to_string()
                .contains("docker-credential-no-such-helper is not on PATH")
        );
        let missing = helper_credentials("ghcr.io", "no-such-helper", &path(), HELPER_TIMEOUT);
        assert!(matches!(
            missing,
            Err(DockerConfigError::UnknownHelper { .. })
        ));
        let listed = helper_list("no-such-helper", &path(), Duration::from_millis(200));
        assert!(matches!(
            listed,
            Err(DockerConfigError::UnknownHelper { .. })
        ));
    }

    use crate::dockerconfig::hostile::{self, SENTINEL};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(hostile::config(512))]

        #[test]
        fn helper_output_never_panics_and_summaries_stay_short_and_redacted(
            stdout in prop_oneof![
                any::<Vec<u8>>(),
                hostile::json_text().prop_map(String::into_bytes),
                (hostile::hostile_text(), hostile::password()).prop_map(|(user, secret)| {
                    serde_json::json!({"ServerURL": "ghcr.io", "Username": user, "Secret": secret})
                        .to_string()
                        .into_bytes()
                }),
            ],
            noise in hostile::hostile_text(),
            name in prop::sample::select(vec!["password", "token", "secret", "auth", "key", "Password", "TOKEN"]),
            separator in prop::sample::select(vec!["=", ": ", ":"]),
        ) {
            let _ = parse_helper_get(&stdout);
            let _ = parse_helper_list(&stdout);
            let summary = said(&[], &stdout).unwrap_or_default();
            prop_assert!(summary.chars().count() <= 203);
            if let Ok(Some(_)) = parse_helper_get(&stdout) {
                // Credentials a helper printed are never quoted back.
                prop_assert!(!summary.contains(SENTINEL), "{}", summary);
            }
            let stderr = format!("{noise} {name}{separator}{SENTINEL} {noise}");
            let summary = said(stderr.as_bytes(), &stdout).unwrap_or_default();
            prop_assert!(!summary.contains(SENTINEL), "{}", summary);
        }
    }
}
