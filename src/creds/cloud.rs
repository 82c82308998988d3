//! Pull tokens minted by cloud CLIs (`aws`, `az`, `gcloud`), and GCP service-account keys, for
//! `create --provider` / `--gcp-key-file`.
//!
//! A token travels only from the CLI's stdout into zeroizing memory: never argv, the
//! environment or a log. What the secret records about it (provider, region, times) is in
//! annotations, so `diagnose` can tell an expired token and a cron job can re-mint it.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use k8s_openapi::jiff::Timestamp;
use serde::Deserialize;
use zeroize::Zeroizing;

use super::password;
use super::sources::{EXPIRES_AT_ANNOTATION, MINTED_AT_ANNOTATION, PROVIDER_ANNOTATION, Sourced};
use crate::cli::{CreateArgs, Provider};
use crate::dockerconfig::{Credentials, DockerConfig, RegistryKey};
use crate::error::Error;

/// Annotation: the AWS regions ECR tokens were minted for (comma-separated), to re-mint them.
pub const REGION_ANNOTATION: &str = "regcred.kubectl.io/region";
/// Annotation: the ACR registry names tokens were minted for (comma-separated).
pub const ACR_REGISTRY_ANNOTATION: &str = "regcred.kubectl.io/acr-registry";
/// Annotation: the `client_email` of the GCP service-account key in the secret.
pub const GCP_SERVICE_ACCOUNT_ANNOTATION: &str = "regcred.kubectl.io/gcp-service-account";

/// How long one CLI call may take (`az acr login` alone can take several seconds).
const CLI_TIMEOUT: Duration = Duration::from_secs(60);
/// More than any token a CLI prints; more is refused rather than grown into.
const MAX_STDOUT: usize = 64 * 1024;
/// How much of a CLI's stderr is kept for the error message.
const MAX_STDERR: usize = 16 * 1024;

/// Why a cloud credential could not be had.
#[derive(Debug, thiserror::Error)]
pub enum CloudError {
    #[error("{cli} CLI not found on PATH: install it, or pass the token with --password-stdin")]
    CliNotFound { cli: &'static str },

    #[error("cannot run `{command}`")]
    Run {
        command: String,
        #[source]
        source: std::io::Error,
    },

    #[error("`{command}` failed ({status}): {stderr}")]
    CliFailed {
        command: String,
        status: String,
        stderr: String,
    },

    #[error("`{command}` did not finish within {}s", timeout.as_secs())]
    Timeout { command: String, timeout: Duration },

    #[error("`{command}` printed {what}, not a token")]
    UnexpectedOutput { command: String, what: &'static str },

    #[error(
        "--server {server} is not an ECR, ACR, GCR or Artifact Registry host: \
         pass --provider ecr|acr|gcr, or the password with --password-stdin"
    )]
    UnknownHost { server: String },

    #[error("cannot tell the AWS region from --server {server}: pass --region")]
    NoRegion { server: String },

    #[error("invalid --region {region:?}: expected an AWS region such as eu-west-1")]
    InvalidRegion { region: String },

    #[error("--region is for ECR registries, and no --server is one")]
    RegionWithoutEcr,

    #[error("cannot tell the ACR registry name from --server {server}: expected NAME.azurecr.io")]
    NoAcrName { server: String },

    #[error("--{flag} needs --server HOST: the registry to mint a token for")]
    NoServer { flag: &'static str },

    #[error(
        "--username {given:?} does not go with {provider} tokens, which are for user \
         {expected:?}: leave --username out"
    )]
    WrongUsername {
        given: String,
        provider: &'static str,
        expected: &'static str,
    },

    #[error("--gcp-key-file is a GCR/Artifact Registry credential, not one for --provider {0}")]
    KeyFileForOtherProvider(&'static str),

    #[error("--gcp-key-file {}: {reason}", path.display())]
    InvalidKeyFile { path: PathBuf, reason: String },

    #[error("the system clock is out of range")]
    Clock,
}

impl CloudError {
    /// Whether the command line was wrong (exit code 2) rather than the CLI failing (1).
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            CloudError::UnknownHost { .. }
                | CloudError::NoRegion { .. }
                | CloudError::InvalidRegion { .. }
                | CloudError::RegionWithoutEcr
                | CloudError::NoAcrName { .. }
                | CloudError::NoServer { .. }
                | CloudError::WrongUsername { .. }
                | CloudError::KeyFileForOtherProvider(_)
                | CloudError::InvalidKeyFile { .. }
        )
    }
}

/// A cloud registry whose CLI mints pull tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cloud {
    Ecr,
    Acr,
    Gcr,
}

impl Cloud {
    /// The value of [`PROVIDER_ANNOTATION`].
    pub fn name(self) -> &'static str {
        match self {
            Cloud::Ecr => "ecr",
            Cloud::Acr => "acr",
            Cloud::Gcr => "gcr",
        }
    }

    /// The registry username that goes with the CLI's tokens.
    pub fn username(self) -> &'static str {
        match self {
            Cloud::Ecr => "AWS",
            Cloud::Acr => "00000000-0000-0000-0000-000000000000",
            Cloud::Gcr => "oauth2accesstoken",
        }
    }

    /// How long a minted token is valid.
    pub fn token_lifetime_hours(self) -> i64 {
        match self {
            Cloud::Ecr => 12,
            Cloud::Acr => 3,
            Cloud::Gcr => 1,
        }
    }

    fn description(self) -> &'static str {
        match self {
            Cloud::Ecr => "an Amazon ECR registry",
            Cloud::Acr => "an Azure Container Registry",
            Cloud::Gcr => "a Google GCR / Artifact Registry host",
        }
    }
}

/// The username GCP service-account keys are used with.
pub const GCP_KEY_USERNAME: &str = "_json_key";

/// What a registry host says about the cloud it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CloudHost {
    /// `ACCOUNT.dkr.ecr.REGION.amazonaws.com[.cn]` (also `ecr-fips`, and dual-stack
    /// `ACCOUNT.dkr-ecr.REGION.on.aws`).
    Ecr { region: String },
    /// `NAME.azurecr.io`, and the sovereign clouds' `.azurecr.cn`, `.azurecr.us`, `.azurecr.de`.
    Acr { name: String },
    /// `gcr.io`, `*.gcr.io`, `*-docker.pkg.dev`.
    Gcr,
}

/// The cloud registry a host belongs to, or None for any other registry.
///
/// ```
/// use kubectl_regcred::creds::cloud::{CloudHost, cloud_host};
/// assert_eq!(
///     cloud_host("123456789012.dkr.ecr.eu-west-1.amazonaws.com"),
///     Some(CloudHost::Ecr { region: "eu-west-1".into() })
/// );
/// assert_eq!(cloud_host("europe-docker.pkg.dev"), Some(CloudHost::Gcr));
/// assert_eq!(cloud_host("ghcr.io"), None);
/// ```
pub fn cloud_host(host: &str) -> Option<CloudHost> {
    let host = host.to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    match labels.as_slice() {
        [
            account,
            "dkr",
            "ecr" | "ecr-fips",
            region,
            "amazonaws",
            "com",
            rest @ ..,
        ] if is_aws_account(account) && is_aws_region(region) && matches!(rest, [] | ["cn"]) => {
            Some(CloudHost::Ecr {
                region: region.to_string(),
            })
        }
        [account, "dkr-ecr" | "dkr-ecr-fips", region, "on", "aws"]
            if is_aws_account(account) && is_aws_region(region) =>
        {
            Some(CloudHost::Ecr {
                region: region.to_string(),
            })
        }
        [name, "azurecr", "io" | "cn" | "us" | "de"] if is_acr_name(name) => Some(CloudHost::Acr {
            name: name.to_string(),
        }),
        ["gcr", "io"] | [_, "gcr", "io"] => Some(CloudHost::Gcr),
        [location, "pkg", "dev"] if location.ends_with("-docker") => Some(CloudHost::Gcr),
        _ => None,
    }
}

fn is_aws_account(label: &str) -> bool {
    label.len() == 12 && label.bytes().all(|b| b.is_ascii_digit())
}

/// `eu-west-1`, `us-gov-west-1`, `cn-north-1`, `ap-southeast-2`.
fn is_aws_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    match parts.as_slice() {
        [area, middle @ .., number] if !middle.is_empty() => {
            area.len() == 2
                && area.bytes().all(|b| b.is_ascii_lowercase())
                && middle
                    .iter()
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
                && !number.is_empty()
                && number.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

/// ACR names are alphanumeric; newer ones carry a `-hash` suffix.
fn is_acr_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name.as_bytes()[0].is_ascii_alphanumeric()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The host of a registry key: without a port or a namespace path.
pub fn host_of(key: &RegistryKey) -> &str {
    let authority = key.as_str().split('/').next().unwrap_or_default();
    authority.split(':').next().unwrap_or_default()
}

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

    fn command(&self) -> CliCommand {
        let (program, args): (&'static str, Vec<&str>) = match self {
            Mint::Ecr { region } => (
                "aws",
                vec!["ecr", "get-login-password", "--region", region.as_str()],
            ),
            Mint::Acr { name } => (
                "az",
                vec![
                    "acr",
                    "login",
                    "--name",
                    name.as_str(),
                    "--expose-token",
                    "--output",
                    "json",
                ],
            ),
            Mint::Gcr => ("gcloud", vec!["auth", "print-access-token"]),
        };
        CliCommand {
            program,
            args: args.into_iter().map(str::to_string).collect(),
        }
    }
}

/// Which CLI call gives the token for `key`.
fn plan(provider: Provider, key: &RegistryKey, region: Option<&str>) -> Result<Mint, CloudError> {
    let server = || key.to_string();
    let found = cloud_host(host_of(key));
    let cloud = match provider {
        Provider::Ecr => Cloud::Ecr,
        Provider::Acr => Cloud::Acr,
        Provider::Gcr => Cloud::Gcr,
        Provider::Auto => match &found {
            Some(CloudHost::Ecr { .. }) => Cloud::Ecr,
            Some(CloudHost::Acr { .. }) => Cloud::Acr,
            Some(CloudHost::Gcr) => Cloud::Gcr,
            None => return Err(CloudError::UnknownHost { server: server() }),
        },
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

/// The credentials `--provider`/`--gcp-key-file` ask for, or those of a cloud registry given
/// with `--server` and no password at all; None when neither applies.
pub fn credentials(args: &CreateArgs, keys: &[RegistryKey]) -> Result<Option<Sourced>, Error> {
    if let Some(path) = &args.sources.gcp_key_file {
        return Ok(Some(from_key_file(args, keys, path)?));
    }
    let provider = match args.sources.provider {
        Some(provider) => provider,
        None if is_cloud_without_password(args, keys) => {
            for key in keys {
                if let Some(host) = cloud_host(host_of(key)) {
                    let cloud = match host {
                        CloudHost::Ecr { .. } => Cloud::Ecr,
                        CloudHost::Acr { .. } => Cloud::Acr,
                        CloudHost::Gcr => Cloud::Gcr,
                    };
                    tracing::info!(
                        "--server {key} is {} and no password was given: minting a token with \
                         the {} CLI (--password-stdin takes your own)",
                        cloud.description(),
                        cloud_cli(cloud),
                    );
                }
            }
            Provider::Auto
        }
        None => return Ok(None),
    };
    Ok(Some(minted(args, keys, provider)?))
}

fn cloud_cli(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::Ecr => "aws",
        Cloud::Acr => "az",
        Cloud::Gcr => "gcloud",
    }
}

/// No password source at all, and every `--server` is a cloud registry.
fn is_cloud_without_password(args: &CreateArgs, keys: &[RegistryKey]) -> bool {
    let has_password = args.password.password_stdin
        || !args.password.password_file.is_empty()
        || args.password.password_on_command_line.is_some()
        || args.typed_password.is_some()
        || args.sources.from_keyring
        || args.sources.from_docker_config.is_some();
    !has_password && !keys.is_empty() && keys.iter().all(|key| cloud_host(host_of(key)).is_some())
}

/// Runs one CLI call per distinct token needed, and builds the secret's entries.
fn minted(args: &CreateArgs, keys: &[RegistryKey], provider: Provider) -> Result<Sourced, Error> {
    if keys.is_empty() {
        return Err(CloudError::NoServer { flag: "provider" }.into());
    }
    let region = args.sources.region.as_deref();
    if let Some(region) = region
        && !is_aws_region(region)
    {
        return Err(CloudError::InvalidRegion {
            region: region.to_string(),
        }
        .into());
    }
    let plans = keys
        .iter()
        .map(|key| plan(provider, key, region))
        .collect::<Result<Vec<_>, _>>()?;
    if region.is_some() && !plans.iter().any(|m| matches!(m, Mint::Ecr { .. })) {
        return Err(CloudError::RegionWithoutEcr.into());
    }
    check_usernames(&args.username, &plans)?;

    let minted_at = Timestamp::now().as_second();
    let mut tokens: BTreeMap<&Mint, Zeroizing<String>> = BTreeMap::new();
    let mut config = DockerConfig::new();
    for (key, mint) in keys.iter().zip(&plans) {
        if !tokens.contains_key(mint) {
            tokens.insert(mint, mint_token(mint, key)?);
        }
        let Some(token) = tokens.get(mint) else {
            continue;
        };
        config.insert(
            key.clone(),
            Credentials {
                username: mint.cloud().username().to_string(),
                password: token.clone(),
                email: args.email.clone().filter(|e| !e.is_empty()),
            },
        );
    }
    Ok(Sourced {
        config,
        annotations: minted_annotations(&plans, minted_at)?,
    })
}

/// `--username` may only repeat what the provider needs (one for all, or one per server).
fn check_usernames(usernames: &[String], plans: &[Mint]) -> Result<(), CloudError> {
    for (i, mint) in plans.iter().enumerate() {
        let given = match usernames {
            [] => continue,
            [one] => one,
            many => match many.get(i) {
                Some(given) => given,
                None => continue,
            },
        };
        let expected = mint.cloud().username();
        if given != expected {
            return Err(CloudError::WrongUsername {
                given: given.clone(),
                provider: mint.cloud().name(),
                expected,
            });
        }
    }
    Ok(())
}

/// Distinct values in order of first appearance, comma-separated.
fn joined<'a>(values: impl Iterator<Item = &'a str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for value in values {
        if !seen.contains(&value) {
            seen.push(value);
        }
    }
    seen.join(",")
}

/// What the secret records: providers, regions or registry names to re-mint with, when the
/// tokens were minted and when the first of them expires. Never a token.
fn minted_annotations(plans: &[Mint], minted_at: i64) -> Result<BTreeMap<String, String>, Error> {
    let rfc3339 = |second: i64| {
        Timestamp::from_second(second)
            .map(|t| t.to_string())
            .map_err(|_| CloudError::Clock)
    };
    let mut annotations = BTreeMap::new();
    annotations.insert(
        PROVIDER_ANNOTATION.to_string(),
        joined(plans.iter().map(|m| m.cloud().name())),
    );
    annotations.insert(MINTED_AT_ANNOTATION.to_string(), rfc3339(minted_at)?);
    if let Some(hours) = plans.iter().map(|m| m.cloud().token_lifetime_hours()).min() {
        annotations.insert(
            EXPIRES_AT_ANNOTATION.to_string(),
            rfc3339(minted_at + hours * 3600)?,
        );
    }
    let regions = joined(plans.iter().filter_map(|m| match m {
        Mint::Ecr { region } => Some(region.as_str()),
        _ => None,
    }));
    if !regions.is_empty() {
        annotations.insert(REGION_ANNOTATION.to_string(), regions);
    }
    let names = joined(plans.iter().filter_map(|m| match m {
        Mint::Acr { name } => Some(name.as_str()),
        _ => None,
    }));
    if !names.is_empty() {
        annotations.insert(ACR_REGISTRY_ANNOTATION.to_string(), names);
    }
    Ok(annotations)
}

/// Runs the CLI for one token and reads the token from its stdout. `key` is the registry it
/// is for (logs, and ACR's login-server check).
pub fn mint_token(mint: &Mint, key: &RegistryKey) -> Result<Zeroizing<String>, CloudError> {
    let command = mint.command();
    tracing::debug!("running `{command}` for {key}");
    let output = run_cli(&command, CLI_TIMEOUT)?;
    if !output.stderr.is_empty() {
        tracing::debug!("`{command}` said: {}", summarize_stderr(&output.stderr));
    }
    let unexpected = |what| CloudError::UnexpectedOutput {
        command: command.to_string(),
        what,
    };
    let token = match mint {
        Mint::Ecr { .. } | Mint::Gcr => token_line(&output.stdout).map_err(unexpected)?,
        Mint::Acr { .. } => {
            let login = acr_login(&output.stdout).map_err(unexpected)?;
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

/// `--gcp-key-file`: the key's JSON is the password of user `_json_key`, for every `--server`.
fn from_key_file(args: &CreateArgs, keys: &[RegistryKey], path: &Path) -> Result<Sourced, Error> {
    match args.sources.provider {
        None | Some(Provider::Gcr) | Some(Provider::Auto) => {}
        Some(Provider::Ecr) => return Err(CloudError::KeyFileForOtherProvider("ecr").into()),
        Some(Provider::Acr) => return Err(CloudError::KeyFileForOtherProvider("acr").into()),
    }
    if keys.is_empty() {
        return Err(CloudError::NoServer {
            flag: "gcp-key-file",
        }
        .into());
    }
    if args.sources.region.is_some() {
        return Err(CloudError::RegionWithoutEcr.into());
    }
    for given in &args.username {
        if given != GCP_KEY_USERNAME {
            return Err(CloudError::WrongUsername {
                given: given.clone(),
                provider: "GCP service-account key",
                expected: GCP_KEY_USERNAME,
            }
            .into());
        }
    }
    let key_json = password::from_file(path)?;
    let client_email = service_account_email(key_json.as_bytes()).map_err(|reason| {
        CloudError::InvalidKeyFile {
            path: path.to_path_buf(),
            reason,
        }
    })?;
    let mut config = DockerConfig::new();
    for key in keys {
        config.insert(
            key.clone(),
            Credentials {
                username: GCP_KEY_USERNAME.to_string(),
                password: key_json.clone(),
                email: args.email.clone().filter(|e| !e.is_empty()),
            },
        );
    }
    let mut annotations = BTreeMap::new();
    annotations.insert(
        PROVIDER_ANNOTATION.to_string(),
        Cloud::Gcr.name().to_string(),
    );
    annotations.insert(GCP_SERVICE_ACCOUNT_ANNOTATION.to_string(), client_email);
    Ok(Sourced {
        config,
        annotations,
    })
}

/// Checks that a file is a GCP service-account key and returns its `client_email`. The
/// private key is skipped, never copied.
fn service_account_email(json: &[u8]) -> Result<String, String> {
    #[derive(Deserialize)]
    struct Key {
        #[serde(rename = "type")]
        kind: Option<String>,
        client_email: Option<String>,
        private_key: Option<serde::de::IgnoredAny>,
    }
    // serde's messages can quote the input (the private key): only say where it went wrong.
    let key: Key = serde_json::from_slice(json).map_err(|e| {
        format!(
            "not a JSON object (line {}, column {}): expected a service-account key file",
            e.line(),
            e.column()
        )
    })?;
    match key.kind.as_deref() {
        Some("service_account") => {}
        Some(other) => {
            return Err(format!(
                "its \"type\" is {other:?}, not \"service_account\": create a key with \
                 `gcloud iam service-accounts keys create`"
            ));
        }
        None => return Err("has no \"type\": expected a service-account key file".into()),
    }
    if key.private_key.is_none() {
        return Err("has no \"private_key\"".into());
    }
    match key.client_email {
        Some(email) if email.contains('@') => Ok(email),
        _ => Err("has no \"client_email\"".into()),
    }
}

/// A CLI call, shown in logs and errors. Its arguments are never secret.
struct CliCommand {
    program: &'static str,
    args: Vec<String>,
}

impl fmt::Display for CliCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.program)?;
        for arg in &self.args {
            write!(f, " {arg}")?;
        }
        Ok(())
    }
}

struct CliOutput {
    stdout: Zeroizing<Vec<u8>>,
    stderr: Zeroizing<Vec<u8>>,
}

/// Runs a CLI with no stdin, reading its stdout into zeroizing memory; fails when it is not on
/// PATH, exits non-zero, or takes longer than `timeout`.
fn run_cli(command: &CliCommand, timeout: Duration) -> Result<CliOutput, CloudError> {
    let shown = || command.to_string();
    let mut child = match Command::new(command.program)
        .args(&command.args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(CloudError::CliNotFound {
                cli: command.program,
            });
        }
        Err(source) => {
            return Err(CloudError::Run {
                command: shown(),
                source,
            });
        }
    };
    // Readers on their own threads, so a full pipe never stalls the CLI, and a grandchild
    // that keeps a pipe open never stalls us past the deadline.
    let stdout = read_in_background(child.stdout.take(), MAX_STDOUT);
    let stderr = read_in_background(child.stderr.take(), MAX_STDERR);
    let deadline = Instant::now() + timeout;
    let timed_out = || CloudError::Timeout {
        command: shown(),
        timeout,
    };
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(timed_out());
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(source) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(CloudError::Run {
                    command: shown(),
                    source,
                });
            }
        }
    };
    let grace = deadline
        .saturating_duration_since(Instant::now())
        .max(Duration::from_secs(1));
    let collect = |rx: mpsc::Receiver<std::io::Result<Drained>>| match rx.recv_timeout(grace) {
        Ok(Ok(read)) => Ok(read),
        Ok(Err(source)) => Err(CloudError::Run {
            command: shown(),
            source,
        }),
        Err(_) => Err(timed_out()),
    };
    let stderr = collect(stderr)?.bytes;
    if !status.success() {
        return Err(CloudError::CliFailed {
            command: shown(),
            status: describe(status),
            stderr: summarize_stderr(&stderr),
        });
    }
    let stdout = collect(stdout)?;
    if stdout.overflowed {
        return Err(CloudError::UnexpectedOutput {
            command: shown(),
            what: "more than 64 KiB",
        });
    }
    Ok(CliOutput {
        stdout: stdout.bytes,
        stderr,
    })
}

fn describe(status: ExitStatus) -> String {
    match status.code() {
        Some(code) => format!("exit code {code}"),
        None => status.to_string(),
    }
}

/// What a reader thread read: up to its limit, and whether there was more.
pub(crate) struct Drained {
    pub(crate) bytes: Zeroizing<Vec<u8>>,
    pub(crate) overflowed: bool,
}

fn read_in_background(
    pipe: Option<impl std::io::Read + Send + 'static>,
    limit: usize,
) -> mpsc::Receiver<std::io::Result<Drained>> {
    let (tx, rx) = mpsc::channel();
    match pipe {
        Some(mut pipe) => {
            std::thread::spawn(move || {
                let _ = tx.send(read_bounded(&mut pipe, limit));
            });
        }
        None => {
            let _ = tx.send(Ok(Drained {
                bytes: Zeroizing::new(Vec::new()),
                overflowed: false,
            }));
        }
    }
    rx
}

/// Reads to EOF into a buffer allocated once (a growing `Vec` would leave copies of the token
/// behind in freed memory), keeping at most `limit` bytes. Also reads passwords from stdin
/// and credential helpers' answers.
pub(crate) fn read_bounded(
    pipe: &mut impl std::io::Read,
    limit: usize,
) -> std::io::Result<Drained> {
    let mut bytes = Zeroizing::new(vec![0u8; limit]);
    let mut spill = Zeroizing::new([0u8; 4096]);
    let mut len = 0;
    let mut overflowed = false;
    loop {
        let read = if len < limit {
            pipe.read(&mut bytes[len..])
        } else {
            pipe.read(&mut spill[..])
        };
        match read {
            Ok(0) => break,
            Ok(n) if len < limit => len += n,
            Ok(_) => overflowed = true,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(len);
    Ok(Drained { bytes, overflowed })
}

/// The first lines of a CLI's stderr, token-like words redacted, bounded in length.
fn summarize_stderr(stderr: &[u8]) -> String {
    const MAX_LINES: usize = 4;
    const MAX_LINE: usize = 200;
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .take(MAX_LINES)
        .map(|line| truncate(&redact(line), MAX_LINE))
        .collect();
    if lines.is_empty() {
        "no error output".to_string()
    } else {
        lines.join(" | ")
    }
}

fn truncate(line: &str, max: usize) -> String {
    match line.char_indices().nth(max) {
        Some((at, _)) => format!("{}...", &line[..at]),
        None => line.to_string(),
    }
}

/// Replaces words that look like credentials (JWTs, `ya29.` tokens, long mixed-case base64)
/// with `[redacted]`.
fn redact(line: &str) -> String {
    let is_token_char =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '_' | '-' | '.' | '~');
    let mut out = String::with_capacity(line.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if is_token_like(word) {
            out.push_str("[redacted]");
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in line.chars() {
        if is_token_char(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn is_token_like(word: &str) -> bool {
    let has = |f: fn(&char) -> bool| word.chars().any(|c| f(&c));
    (word.len() >= 16 && (word.contains("ya29.") || word.contains("eyJ")))
        || (word.len() >= 24
            && has(char::is_ascii_uppercase)
            && has(char::is_ascii_lowercase)
            && has(char::is_ascii_digit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> RegistryKey {
        RegistryKey::parse(s).unwrap()
    }

    #[test]
    fn hosts_name_their_cloud() {
        let ecr = |region: &str| {
            Some(CloudHost::Ecr {
                region: region.into(),
            })
        };
        let acr = |name: &str| Some(CloudHost::Acr { name: name.into() });
        for (host, expected) in [
            (
                "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
                ecr("eu-west-1"),
            ),
            (
                "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn",
                ecr("cn-north-1"),
            ),
            (
                "123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com",
                ecr("us-gov-west-1"),
            ),
            (
                "123456789012.dkr-ecr.ap-southeast-2.on.aws",
                ecr("ap-southeast-2"),
            ),
            (
                "123456789012.DKR.ECR.EU-WEST-1.AMAZONAWS.COM",
                ecr("eu-west-1"),
            ),
            ("12345.dkr.ecr.eu-west-1.amazonaws.com", None),
            ("123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.io", None),
            ("public.ecr.aws", None),
            ("myregistry.azurecr.io", acr("myregistry")),
            ("myregistry.azurecr.cn", acr("myregistry")),
            ("myregistry.azurecr.us", acr("myregistry")),
            (
                "myregistry-abcdef123.azurecr.io",
                acr("myregistry-abcdef123"),
            ),
            ("myregistry.westeurope.data.azurecr.io", None),
            ("azurecr.io", None),
            ("gcr.io", Some(CloudHost::Gcr)),
            ("eu.gcr.io", Some(CloudHost::Gcr)),
            ("europe-docker.pkg.dev", Some(CloudHost::Gcr)),
            ("us-central1-docker.pkg.dev", Some(CloudHost::Gcr)),
            ("pkg.dev", None),
            ("europe-python.pkg.dev", None),
            ("ghcr.io", None),
            ("quay.io", None),
        ] {
            assert_eq!(cloud_host(host), expected, "{host}");
        }
    }

    #[test]
    fn regions_are_checked_so_they_cannot_be_flags() {
        for good in [
            "eu-west-1",
            "us-gov-west-1",
            "cn-northwest-1",
            "ap-southeast-2",
        ] {
            assert!(is_aws_region(good), "{good}");
        }
        for bad in [
            "",
            "--profile",
            "eu",
            "eu-west",
            "EU-WEST-1",
            "eu-west-1;rm",
            "-eu-west-1",
        ] {
            assert!(!is_aws_region(bad), "{bad}");
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
    fn annotations_record_provider_times_and_what_to_re_mint_with() {
        let minted_at = 1_795_000_000; // 2026-11-18T11:06:40Z
        let ecr = Mint::Ecr {
            region: "eu-west-1".into(),
        };
        let annotations = minted_annotations(std::slice::from_ref(&ecr), minted_at).unwrap();
        assert_eq!(annotations[PROVIDER_ANNOTATION], "ecr");
        assert_eq!(annotations[MINTED_AT_ANNOTATION], "2026-11-18T11:06:40Z");
        assert_eq!(annotations[EXPIRES_AT_ANNOTATION], "2026-11-18T23:06:40Z");
        assert_eq!(annotations[REGION_ANNOTATION], "eu-west-1");
        assert!(!annotations.contains_key(ACR_REGISTRY_ANNOTATION));

        let acr = Mint::Acr {
            name: "myregistry".into(),
        };
        let mixed = minted_annotations(&[ecr.clone(), acr, ecr, Mint::Gcr], minted_at).unwrap();
        assert_eq!(mixed[PROVIDER_ANNOTATION], "ecr,acr,gcr");
        // The first token to expire decides: GCP's, after one hour.
        assert_eq!(mixed[EXPIRES_AT_ANNOTATION], "2026-11-18T12:06:40Z");
        assert_eq!(mixed[REGION_ANNOTATION], "eu-west-1");
        assert_eq!(mixed[ACR_REGISTRY_ANNOTATION], "myregistry");
        // What diagnose parses.
        let parsed: Timestamp = mixed[EXPIRES_AT_ANNOTATION].parse().unwrap();
        assert_eq!(parsed.as_second(), minted_at + 3600);
    }

    #[test]
    fn usernames_may_only_repeat_the_providers() {
        let ecr = Mint::Ecr {
            region: "eu-west-1".into(),
        };
        assert!(check_usernames(&[], std::slice::from_ref(&ecr)).is_ok());
        assert!(check_usernames(&["AWS".into()], std::slice::from_ref(&ecr)).is_ok());
        let err = check_usernames(&["alice".into()], &[ecr]).unwrap_err();
        assert!(err.is_usage());
        assert!(err.to_string().contains("\"AWS\""), "{err}");
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
    fn gcp_keys_must_be_service_account_keys() {
        let good = br#"{"type": "service_account", "project_id": "p", "private_key_id": "k",
            "private_key": "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
            "client_email": "puller@p.iam.gserviceaccount.com", "client_id": "1"}"#;
        assert_eq!(
            service_account_email(good).unwrap(),
            "puller@p.iam.gserviceaccount.com"
        );
        let user = br#"{"type": "authorized_user", "client_id": "x", "refresh_token": "1//0gSecretRefreshTokenABCdef"}"#;
        let err = service_account_email(user).unwrap_err();
        assert!(err.contains("authorized_user"), "{err}");
        assert!(!err.contains("Secret"), "{err}");
        let no_email = br#"{"type": "service_account", "private_key": "x"}"#;
        assert!(
            service_account_email(no_email)
                .unwrap_err()
                .contains("client_email")
        );
        let broken = b"{\"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----MIIEsecret";
        let err = service_account_email(broken).unwrap_err();
        assert!(!err.contains("MIIEsecret"), "{err}");
    }

    #[test]
    fn stderr_is_summarised_with_tokens_redacted() {
        let stderr = b"\nAn error occurred (UnrecognizedClientException) when calling the GetAuthorizationToken operation: The security token included in the request is invalid.\n";
        assert_eq!(
            summarize_stderr(stderr),
            "An error occurred (UnrecognizedClientException) when calling the \
             GetAuthorizationToken operation: The security token included in the request is invalid."
        );
        let leaky = b"DEBUG token=eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0.sig\n\
            Authorization: Bearer ya29.a0AfB_byCxyzSECRET123 access_token=ya29.lowercase0only\n\
            payload eyJwYXlsb2FkIjoiQVFJQkFIaE9TMnAzMkt4In0K QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE1Mzg=\n\
            line 4\nline 5 is not shown\n";
        let summary = summarize_stderr(leaky);
        for secret in [
            "eyJhbGci",
            "ya29.a0",
            "SECRET123",
            "lowercase0only",
            "eyJwYXls",
            "QUFBQUFB",
        ] {
            assert!(!summary.contains(secret), "{summary}");
        }
        assert_eq!(summary.matches("[redacted]").count(), 5, "{summary}");
        assert!(
            summary.contains("line 4") && !summary.contains("line 5"),
            "{summary}"
        );
        assert_eq!(summarize_stderr(b""), "no error output");
        let long = "x ".repeat(300);
        assert!(summarize_stderr(long.as_bytes()).len() <= 203);
        // Paths, ids and error names stay readable.
        let plain = "ERROR: (gcloud.auth.print-access-token) Reauthentication failed. \
                     /usr/lib/google-cloud-sdk/lib 8c7b1f4e-0c1d-4e8a-9f3b-2a6d5e4c3b2a";
        assert_eq!(redact(plain), plain);
    }

    #[test]
    fn debug_of_key_file_credentials_and_cli_errors_is_redacted() {
        use crate::dockerconfig::shows_secret;
        use clap::Parser;
        const KEY: &str = "Unit-Sentinel-PrivateKey-6f1e08aa";
        const TOKEN: &str = "Unit-Sentinel-T0ken-c4d1e2f3a4b5";
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key.json");
        std::fs::write(
            &path,
            format!(
                r#"{{"type":"service_account","client_email":"sa@p.iam.gserviceaccount.com",
                    "private_key":"-----BEGIN PRIVATE KEY-----\n{KEY}\n-----END PRIVATE KEY-----\n"}}"#
            ),
        )
        .unwrap();
        let cli = crate::cli::Cli::try_parse_from([
            "kubectl-regcred",
            "create",
            "x",
            "-s",
            "europe-docker.pkg.dev",
            "--gcp-key-file",
            path.to_str().unwrap(),
        ])
        .unwrap();
        let crate::cli::Command::Create(args) = &cli.command else {
            panic!("not create")
        };
        let sourced = from_key_file(args, &[key("europe-docker.pkg.dev")], &path).unwrap();
        // The token comes from a file, so the command line shown in the error holds none.
        let token_file = dir.path().join("token");
        std::fs::write(&token_file, TOKEN).unwrap();
        let failed = run_cli(
            &CliCommand {
                program: "sh",
                args: vec![
                    "-c".into(),
                    format!(
                        "echo \"DEBUG access_token=$(cat {})\" >&2; exit 1",
                        token_file.display()
                    ),
                ],
            },
            Duration::from_secs(10),
        )
        .err()
        .unwrap();
        let spaced = acr_login(format!(r#"{{"accessToken":"{TOKEN} x"}}"#).as_bytes()).err();
        for text in [
            format!("{sourced:?}"),
            format!("{failed:?}"),
            failed.to_string(),
            format!("{spaced:?}"),
        ] {
            assert!(
                !shows_secret(&text, KEY) && !shows_secret(&text, TOKEN),
                "{text}"
            );
        }
        let written = String::from_utf8(sourced.config.to_json().to_vec()).unwrap();
        assert!(shows_secret(&written, KEY), "the key is the password");
    }

    #[test]
    fn reads_are_bounded_without_growing() {
        let mut input: &[u8] = &[b'a'; 100];
        let read = read_bounded(&mut input, 64).unwrap();
        assert_eq!(read.bytes.len(), 64);
        assert!(read.overflowed);
        let mut input: &[u8] = b"token\n";
        let read = read_bounded(&mut input, 64).unwrap();
        assert_eq!(&read.bytes[..], b"token\n");
        assert!(!read.overflowed);
    }

    #[test]
    fn a_slow_cli_is_stopped_at_the_timeout() {
        let command = CliCommand {
            program: "sleep",
            args: vec!["30".into()],
        };
        let started = Instant::now();
        let err = run_cli(&command, Duration::from_millis(200))
            .err()
            .expect("timeout");
        assert!(matches!(err, CloudError::Timeout { .. }), "{err}");
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn a_missing_cli_says_how_to_do_without() {
        let command = CliCommand {
            program: "regcred-no-such-cli",
            args: vec![],
        };
        let err = run_cli(&command, CLI_TIMEOUT).err().expect("not found");
        assert_eq!(
            err.to_string(),
            "regcred-no-such-cli CLI not found on PATH: install it, or pass the token with \
             --password-stdin"
        );
        assert!(!err.is_usage());
    }

    #[test]
    fn a_failing_cli_gives_its_exit_code_and_stderr() {
        let command = CliCommand {
            program: "sh",
            args: vec![
                "-c".into(),
                "echo 'ERROR: Please run az login to setup account.' >&2; exit 3".into(),
            ],
        };
        let err = run_cli(&command, CLI_TIMEOUT).err().expect("fails");
        assert_eq!(
            err.to_string(),
            "`sh -c echo 'ERROR: Please run az login to setup account.' >&2; exit 3` failed \
             (exit code 3): ERROR: Please run az login to setup account."
        );
    }
}
