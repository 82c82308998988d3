//! Minting a token: which CLI call gives the token for a registry, running it, and reading the
//! token from what it prints.

use std::time::Duration;

use serde::Deserialize;
use zeroize::Zeroizing;

use super::error::CloudError;
use super::hosts::{CloudHost, cloud_host, host_of, is_acr_name, is_aws_region};
use super::provider::Cloud;
use crate::creds::Provider;
use crate::creds::process::{Program, Run, RunError};
use crate::creds::redact;
use crate::dockerconfig::RegistryKey;

/// How long one CLI call may take (`az acr login` alone can take several seconds).
const CLI_TIMEOUT: Duration = Duration::from_secs(60);
/// More than any token a CLI prints; more is refused rather than grown into.
const MAX_STDOUT: usize = 64 * 1024;
/// How much of a CLI's stderr is kept for the error message.
const MAX_STDERR: usize = 16 * 1024;
/// How many lines of a failing CLI's stderr its error quotes.
const STDERR_LINES: usize = 4;

/// One CLI call that mints a token. Holds nothing secret. `refresh` mints once per value and
/// reuses the token for every copy of every secret that needs it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mint {
    Ecr { region: String },
    Acr { name: String },
    Gcr,
}

impl Mint {
    /// `aws ecr get-login-password --region REGION`, when `region` is an AWS region (values
    /// read from annotations are cluster data: never passed to a CLI unchecked).
    pub fn ecr(region: &str) -> Option<Mint> {
        is_aws_region(region).then(|| Mint::Ecr {
            region: region.to_string(),
        })
    }

    /// `az acr login --name NAME --expose-token`, when `name` is an ACR registry name.
    pub fn acr(name: &str) -> Option<Mint> {
        is_acr_name(name).then(|| Mint::Acr {
            name: name.to_string(),
        })
    }

    /// The CLI call as it is run (no secret in it), for reports.
    pub fn command_line(&self) -> String {
        self.command().to_string()
    }

    /// The cloud whose CLI this call runs.
    pub fn cloud(&self) -> Cloud {
        match self {
            Mint::Ecr { .. } => Cloud::Ecr,
            Mint::Acr { .. } => Cloud::Acr,
            Mint::Gcr => Cloud::Gcr,
        }
    }

    fn command(&self) -> Program {
        let args: Vec<&str> = match self {
            Mint::Ecr { region } => vec!["ecr", "get-login-password", "--region", region],
            Mint::Acr { name } => vec![
                "acr",
                "login",
                "--name",
                name,
                "--expose-token",
                "--output",
                "json",
            ],
            Mint::Gcr => vec!["auth", "print-access-token"],
        };
        Program {
            name: self.cloud().cli().to_string(),
            args: args.into_iter().map(str::to_string).collect(),
        }
    }
}

/// Which CLI call gives the token for `key`.
pub(super) fn plan(
    provider: Provider,
    key: &RegistryKey,
    region: Option<&str>,
) -> Result<Mint, CloudError> {
    let server = || key.to_string();
    let found = cloud_host(host_of(key));
    let cloud = match (provider, &found) {
        (Provider::Ecr, _) => Cloud::Ecr,
        (Provider::Acr, _) => Cloud::Acr,
        (Provider::Gcr, _) => Cloud::Gcr,
        (Provider::Auto, Some(host)) => host.cloud(),
        (Provider::Auto, None) => return Err(CloudError::UnknownHost { server: server() }),
    };
    match (cloud, found) {
        (Cloud::Ecr, found) => {
            let region = match (region, found) {
                (Some(region), _) => region.to_string(),
                (None, Some(CloudHost::Ecr { region })) => region,
                (None, _) => return Err(CloudError::NoRegion { server: server() }),
            };
            Ok(Mint::Ecr { region })
        }
        (Cloud::Acr, Some(CloudHost::Acr { name })) => Ok(Mint::Acr { name }),
        (Cloud::Acr, _) => Err(CloudError::NoAcrName { server: server() }),
        (Cloud::Gcr, _) => Ok(Mint::Gcr),
    }
}

/// Runs the CLI for one token and reads the token from its stdout. `key` is the registry it
/// is for (logs, and ACR's login-server check).
pub fn mint_token(mint: &Mint, key: &RegistryKey) -> Result<Zeroizing<String>, CloudError> {
    let command = mint.command();
    tracing::debug!("running `{command}` for {key}");
    let stdout = run_cli(&command, CLI_TIMEOUT)?;
    let unexpected = |what| CloudError::UnexpectedOutput {
        command: command.to_string(),
        what,
    };
    let token = match mint {
        Mint::Ecr { .. } | Mint::Gcr => token_line(&stdout).map_err(unexpected)?,
        Mint::Acr { .. } => {
            let login = acr_login(&stdout).map_err(unexpected)?;
            if !login.login_server.eq_ignore_ascii_case(host_of(key)) {
                tracing::warn!(
                    "`{command}` gave a token for {}, not for --server {key}",
                    login.login_server
                );
            }
            login.access_token
        }
    };
    tracing::debug!("`{command}` gave a token for {key}");
    Ok(token)
}

/// Runs a CLI with no stdin and our whole environment (a CLI reads its own credentials from
/// it), and returns its stdout; fails when it is not on PATH, exits non-zero, prints too much
/// or takes longer than `timeout`.
fn run_cli(command: &Program, timeout: Duration) -> Result<Zeroizing<Vec<u8>>, CloudError> {
    let shown = || command.to_string();
    let how = Run {
        stdin: None,
        timeout,
        max_stdout: MAX_STDOUT,
        max_stderr: MAX_STDERR,
        env_removed: &[],
    };
    let output = command.run(&how).map_err(|e| match e {
        RunError::NotFound => CloudError::CliNotFound {
            cli: command.name.clone(),
        },
        RunError::Io(source) => CloudError::Run {
            command: shown(),
            source,
        },
        RunError::Timeout => CloudError::Timeout {
            command: shown(),
            timeout,
        },
    })?;
    let said = || {
        redact::summary(&output.stderr.bytes, STDERR_LINES)
            .unwrap_or_else(|| "no error output".to_string())
    };
    if !output.status.success() {
        return Err(CloudError::CliFailed {
            command: shown(),
            status: output.status_text(),
            stderr: said(),
        });
    }
    if !output.stderr.bytes.is_empty() {
        tracing::debug!("`{command}` said: {}", said());
    }
    if output.stdout.overflowed {
        return Err(CloudError::UnexpectedOutput {
            command: shown(),
            what: "more than 64 KiB",
        });
    }
    Ok(output.stdout.bytes)
}

/// A token printed alone on a line (`aws ecr get-login-password`, `gcloud auth
/// print-access-token`).
fn token_line(stdout: &[u8]) -> Result<Zeroizing<String>, &'static str> {
    let text = std::str::from_utf8(stdout).map_err(|_| "bytes that are not UTF-8")?;
    let token = text.trim();
    if token.is_empty() {
        Err("nothing")
    } else if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Err("more than one line or word")
    } else {
        Ok(Zeroizing::new(token.to_string()))
    }
}

/// What `az acr login --expose-token --output json` prints.
struct AcrLogin {
    access_token: Zeroizing<String>,
    login_server: String,
}

fn acr_login(stdout: &[u8]) -> Result<AcrLogin, &'static str> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Raw {
        // Wiped even when a later field fails to parse.
        #[serde(default, deserialize_with = "crate::dockerconfig::wiped_option")]
        access_token: Option<Zeroizing<String>>,
        login_server: Option<String>,
    }
    // serde's messages can quote the input: never pass them on.
    let raw: Raw = serde_json::from_slice(stdout).map_err(|_| "something other than JSON")?;
    let access_token = raw.access_token.unwrap_or_default();
    match raw.login_server {
        _ if access_token.is_empty() => Err("JSON without an accessToken"),
        _ if access_token
            .chars()
            .any(|c| c.is_whitespace() || c.is_control()) =>
        {
            Err("an accessToken with spaces in it")
        }
        None => Err("JSON without a loginServer"),
        Some(login_server) => Ok(AcrLogin {
            access_token,
            login_server,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> RegistryKey {
        RegistryKey::parse(s).unwrap()
    }

    fn sh(script: &str) -> Program {
        Program {
            name: "sh".into(),
            args: vec!["-c".into(), script.into()],
        }
    }

    #[test]
    fn plans_take_the_region_and_name_from_the_host_unless_told() {
        let ecr = key("https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/team");
        assert_eq!(
            plan(Provider::Auto, &ecr, None).unwrap(),
            Mint::Ecr {
                region: "eu-west-1".into()
            }
        );
        assert_eq!(
            plan(
                Provider::Ecr,
                &key("ecr.internal.example.com:5000"),
                Some("us-east-1")
            )
            .unwrap(),
            Mint::Ecr {
                region: "us-east-1".into()
            }
        );
        assert!(matches!(
            plan(Provider::Ecr, &key("ecr.internal.example.com"), None),
            Err(CloudError::NoRegion { .. })
        ));
        assert_eq!(
            plan(Provider::Acr, &key("MyRegistry.azurecr.io"), None).unwrap(),
            Mint::Acr {
                name: "myregistry".into()
            }
        );
        assert!(matches!(
            plan(Provider::Acr, &key("ghcr.io"), None),
            Err(CloudError::NoAcrName { .. })
        ));
        assert_eq!(
            plan(Provider::Auto, &key("eu.gcr.io"), None).unwrap(),
            Mint::Gcr
        );
        assert_eq!(
            plan(Provider::Gcr, &key("registry.example.com"), None).unwrap(),
            Mint::Gcr
        );
        let unknown = plan(Provider::Auto, &key("ghcr.io"), None).unwrap_err();
        assert!(unknown.is_usage());
        assert!(unknown.to_string().contains("ghcr.io"), "{unknown}");
    }

    #[test]
    fn commands_are_the_vendor_commands() {
        let shown = |m: Mint| m.command().to_string();
        assert_eq!(
            shown(Mint::Ecr {
                region: "eu-west-1".into()
            }),
            "aws ecr get-login-password --region eu-west-1"
        );
        assert_eq!(
            shown(Mint::Acr {
                name: "myregistry".into()
            }),
            "az acr login --name myregistry --expose-token --output json"
        );
        assert_eq!(shown(Mint::Gcr), "gcloud auth print-access-token");
    }

    #[test]
    fn token_lines_are_one_word() {
        assert_eq!(
            token_line(b"ya29.a0AfB_byC-token\n").unwrap().as_str(),
            "ya29.a0AfB_byC-token"
        );
        assert_eq!(token_line(b"\n"), Err("nothing"));
        assert_eq!(token_line(b"abc def\n"), Err("more than one line or word"));
        assert_eq!(token_line(b"abc\ndef\n"), Err("more than one line or word"));
        assert!(token_line(&[0xff, 0xfe]).is_err());
    }

    #[test]
    fn acr_json_gives_token_and_login_server() {
        let json = br#"{
  "accessToken": "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl",
  "loginServer": "myregistry.azurecr.io"
}
"#;
        let login = acr_login(json).unwrap();
        assert!(login.access_token.starts_with("eyJhbGci"));
        assert_eq!(login.login_server, "myregistry.azurecr.io");
        assert_eq!(
            acr_login(br#"{"loginServer": "x.azurecr.io"}"#).err(),
            Some("JSON without an accessToken")
        );
        assert_eq!(
            acr_login(br#""eyJhbGciOiJSUzI1NiJ9""#).err(),
            Some("something other than JSON")
        );
        assert_eq!(
            acr_login(b"eyJhbGciOiJSUzI1NiJ9\n").err(),
            Some("something other than JSON")
        );
    }

    #[test]
    fn debug_and_errors_of_a_failing_cli_hold_no_token() {
        use crate::dockerconfig::shows_secret;
        const TOKEN: &str = "Unit-Sentinel-T0ken-c4d1e2f3a4b5";
        let dir = tempfile::tempdir().unwrap();
        // The token comes from a file, so the command line shown in the error holds none.
        let token_file = dir.path().join("token");
        std::fs::write(&token_file, TOKEN).unwrap();
        let script = format!(
            "echo \"DEBUG access_token=$(cat {})\" >&2; exit 1",
            token_file.display()
        );
        let failed = run_cli(&sh(&script), Duration::from_secs(10)).unwrap_err();
        let spaced = acr_login(format!(r#"{{"accessToken":"{TOKEN} x"}}"#).as_bytes()).err();
        for text in [
            format!("{failed:?}"),
            failed.to_string(),
            format!("{spaced:?}"),
        ] {
            assert!(!shows_secret(&text, TOKEN), "{text}");
        }
    }

    #[test]
    fn a_slow_cli_is_stopped_at_the_timeout() {
        let sleep = Program {
            name: "sleep".into(),
            args: vec!["30".into()],
        };
        let err = run_cli(&sleep, Duration::from_millis(200)).unwrap_err();
        assert!(matches!(err, CloudError::Timeout { .. }), "{err}");
        assert!(!err.is_usage());
    }

    #[test]
    fn a_missing_cli_says_how_to_do_without() {
        let missing = Program {
            name: "regcred-no-such-cli".into(),
            args: vec![],
        };
        let err = run_cli(&missing, CLI_TIMEOUT).unwrap_err();
        assert_eq!(
            err.to_string(),
            "regcred-no-such-cli CLI not found on PATH: install it, or pass the token with \
             --password-stdin"
        );
        assert!(!err.is_usage());
    }

    #[test]
    fn a_failing_cli_gives_its_exit_code_and_stderr() {
        let err = run_cli(
            &sh("echo 'ERROR: Please run az login to setup account.' >&2; exit 3"),
            CLI_TIMEOUT,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "`sh -c echo 'ERROR: Please run az login to setup account.' >&2; exit 3` failed \
             (exit code 3): ERROR: Please run az login to setup account."
        );
        let silent = run_cli(&sh("exit 1"), CLI_TIMEOUT).unwrap_err();
        assert!(
            silent
                .to_string()
                .ends_with("(exit code 1): no error output")
        );
    }

    #[test]
    fn more_than_a_token_is_refused() {
        let err = run_cli(&sh("head -c 70000 /dev/zero"), CLI_TIMEOUT).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`sh -c head -c 70000 /dev/zero` printed more than 64 KiB, not a token"
        );
    }
}
