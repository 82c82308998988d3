//! `create --from-docker-config`: credentials from a Docker `config.json` and the credential
//! helpers it names.
//!
//! The file's layout and the helpers' protocol are Docker's: inline `auths` entries (`auth` =
//! base64 of `user:password`, or `username`/`password`, or `identitytoken`), `credHelpers`
//! (registry → helper) and `credsStore` (the helper for every other registry). A helper is the
//! program `docker-credential-NAME`; `get` reads the server URL on stdin and prints
//! `{"ServerURL","Username","Secret"}`, `list` prints `{"URL":"username"}`. As in Docker, a
//! configured helper wins over an inline entry for the same registry.
//!
//! Secrets are held in [`Zeroizing`] buffers from the moment they are read: the file's bytes,
//! the helper's stdout, every decoded password. Errors name the file, the registry and the
//! helper, never a secret.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fmt;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use serde::Deserialize;
use zeroize::Zeroizing;

use super::sources::Sourced;
use crate::dockerconfig::{self, Credentials, DockerConfig, RegistryKey};
use crate::error::Error;

/// How long a credential helper may take for one `get` or `list`.
pub const HELPER_TIMEOUT: Duration = Duration::from_secs(30);

/// The `Username` a helper returns when `Secret` is an identity (refresh) token.
const TOKEN_USERNAME: &str = "<token>";

/// At most this much of a helper's output is read; helpers print a few hundred bytes.
const MAX_HELPER_OUTPUT: usize = 1 << 20;

/// Why credentials could not be taken from a Docker config. Every variant is a usage error
/// (exit code 2): nothing has been sent to the cluster.
#[derive(Debug, thiserror::Error)]
pub enum DockerConfigError {
    #[error(
        "cannot find the Docker config: neither DOCKER_CONFIG nor HOME is set; \
         pass --from-docker-config PATH"
    )]
    NoHome,

    #[error("cannot read the Docker config {}", path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("the Docker config {} is not valid JSON (line {line}, column {column})", path.display())]
    Json {
        path: PathBuf,
        line: usize,
        column: usize,
    },

    #[error(
        "the Docker config {} has an unexpected layout at line {line}, column {column}: \
         expected \"auths\" mapping registries to objects of strings, \"credHelpers\" mapping \
         registries to helper names, \"credsStore\" a helper name",
        path.display()
    )]
    Layout {
        path: PathBuf,
        line: usize,
        column: usize,
    },

    #[error("the \"auth\" field of registry {registry} in {} is not valid base64", path.display())]
    BadBase64 { path: PathBuf, registry: String },

    #[error(
        "the \"auth\" field of registry {registry} in {} does not decode to USER:PASSWORD \
         (no colon)",
        path.display()
    )]
    AuthWithoutColon { path: PathBuf, registry: String },

    #[error(
        "registry {registry} in {} holds no credentials (no auth, username/password or \
         identitytoken, and no credential helper)",
        path.display()
    )]
    NoCredentials { path: PathBuf, registry: String },

    #[error("registry {registry} in {} has an invalid username: {reason}", path.display())]
    InvalidUsername {
        path: PathBuf,
        registry: String,
        reason: dockerconfig::UsernameError,
    },

    #[error("invalid credential helper name {helper:?} in {}", path.display())]
    InvalidHelperName { path: PathBuf, helper: String },

    #[error(
        "{} names the credential helper {helper:?} for {registry}, but docker-credential-{helper} \
         is not on PATH",
        path.display()
    )]
    UnknownHelper {
        path: PathBuf,
        registry: String,
        helper: String,
    },

    #[error("cannot run docker-credential-{helper} for {registry} (from {})", path.display())]
    HelperSpawn {
        path: PathBuf,
        registry: String,
        helper: String,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "docker-credential-{helper} {action} failed for {registry} (from {}) with {outcome}",
        path.display()
    )]
    HelperFailed {
        path: PathBuf,
        registry: String,
        helper: String,
        action: &'static str,
        /// The exit status and a redacted summary of what the helper said.
        outcome: String,
    },

    #[error(
        "docker-credential-{helper} {action} for {registry} (from {}) did not finish within {} s",
        path.display(),
        timeout.as_secs()
    )]
    HelperTimeout {
        path: PathBuf,
        registry: String,
        helper: String,
        action: &'static str,
        timeout: Duration,
    },

    #[error(
        "docker-credential-{helper} {action} for {registry} (from {}) printed something other \
         than the credential helper protocol's JSON",
        path.display()
    )]
    HelperOutput {
        path: PathBuf,
        registry: String,
        helper: String,
        action: &'static str,
    },

    #[error(
        "docker-credential-{helper} has no credentials for {registry} (from {}); \
         log in with `docker login {registry}`",
        path.display()
    )]
    HelperHasNone {
        path: PathBuf,
        registry: String,
        helper: String,
    },

    #[error("--server {server} is not in {} (it has: {})", path.display(), list_or_none(.available))]
    MissingServer {
        path: PathBuf,
        server: String,
        available: Vec<String>,
    },

    #[error("{} holds no registry credentials", path.display())]
    Empty { path: PathBuf },

    #[error(
        "--from-docker-config without --server takes every registry in {} ({}): name the ones \
         to take with --server, or pass --yes",
        path.display(),
        hosts.join(", ")
    )]
    NeedsConfirmation { path: PathBuf, hosts: Vec<String> },

    #[error("not confirmed; nothing was changed")]
    Declined,

    #[error("cannot read the answer to the confirmation prompt")]
    Prompt(#[source] std::io::Error),
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "no registries".to_string()
    } else {
        items.join(", ")
    }
}

impl From<DockerConfigError> for Error {
    fn from(err: DockerConfigError) -> Self {
        match err {
            DockerConfigError::Prompt(io) if io.kind() == std::io::ErrorKind::Interrupted => {
                Error::Interrupted
            }
            other => Error::DockerConfig(Box::new(other)),
        }
    }
}

/// The credentials of `--from-docker-config [PATH]` for the registries in `keys` (every
/// registry of the file when `keys` is empty: only with `yes`, or after a confirmation on a
/// terminal). An empty `path` means the default location.
pub fn sourced(path: &Path, keys: &[RegistryKey], yes: bool) -> Result<Sourced, Error> {
    let path = config_path(path, |name| std::env::var_os(name))?;
    tracing::debug!(path = %path.display(), "reading the Docker config");
    let bytes =
        Zeroizing::new(
            std::fs::read(&path).map_err(|source| DockerConfigError::Unreadable {
                path: path.clone(),
                source,
            })?,
        );
    let file = parse_file(&bytes, &path)?;
    let mut catalogue = Catalogue::from_file(&file, &path)?;
    let selected = if keys.is_empty() {
        catalogue.add_store_list(&file, &path, true)?;
        let all = catalogue.all();
        if all.is_empty() {
            return Err(DockerConfigError::Empty { path }.into());
        }
        confirm_all(&path, &all, yes)?;
        all
    } else {
        if keys.iter().any(|key| !catalogue.has(key)) {
            catalogue.add_store_list(&file, &path, false)?;
        }
        keys.iter()
            .map(|key| catalogue.pick(key, &file, &path))
            .collect::<Result<_, _>>()?
    };
    let mut config = DockerConfig::new();
    for (key, origin) in selected {
        let found = match origin {
            Origin::Inline { spelling, entry } => entry_credentials(&spelling, &entry, &path)?,
            Origin::Helper { spelling, helper } => {
                helper_credentials(&spelling, &helper, &path, HELPER_TIMEOUT)?
            }
        };
        add(&mut config, key, found);
    }
    Ok(Sourced {
        config,
        annotations: BTreeMap::new(),
    })
}

/// `PATH`, else `$DOCKER_CONFIG/config.json`, else `$HOME/.docker/config.json`.
fn config_path(
    given: &Path,
    env: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> Result<PathBuf, DockerConfigError> {
    if !given.as_os_str().is_empty() {
        return Ok(given.to_path_buf());
    }
    let non_empty = |name| env(name).filter(|v| !v.is_empty());
    if let Some(dir) = non_empty("DOCKER_CONFIG") {
        return Ok(PathBuf::from(dir).join("config.json"));
    }
    match non_empty("HOME") {
        Some(home) => Ok(PathBuf::from(home).join(".docker").join("config.json")),
        None => Err(DockerConfigError::NoHome),
    }
}

/// A string that is wiped when dropped and never shown by `Debug`.
#[derive(Clone, Default, PartialEq, Eq)]
struct Secret(Zeroizing<String>);

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|s| Secret(Zeroizing::new(s)))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Secret {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The parts of `config.json` this source reads; other fields (`HttpHeaders`, `proxies`,
/// `currentContext`, ...) are ignored.
#[derive(Debug, Default, Deserialize)]
struct FileConfig {
    #[serde(default)]
    auths: BTreeMap<String, FileEntry>,
    #[serde(default, rename = "credsStore")]
    creds_store: Option<String>,
    #[serde(default, rename = "credHelpers")]
    cred_helpers: BTreeMap<String, String>,
}

/// One inline `auths` entry.
#[derive(Debug, Default, Clone, Deserialize)]
struct FileEntry {
    #[serde(default)]
    auth: Option<Secret>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<Secret>,
    #[serde(default)]
    identitytoken: Option<Secret>,
    #[serde(default)]
    email: Option<String>,
}

impl FileEntry {
    fn has_credentials(&self) -> bool {
        let set = |s: &Option<Secret>| s.as_ref().is_some_and(|s| !s.is_empty());
        set(&self.auth) || set(&self.password) || set(&self.identitytoken)
    }
}

/// Parses `config.json`. A JSON error reports only where it is: serde's messages can quote
/// the offending value, which may be a secret.
fn parse_file(bytes: &[u8], path: &Path) -> Result<FileConfig, DockerConfigError> {
    serde_json::from_slice(bytes).map_err(|e| {
        let (line, column, path) = (e.line(), e.column(), path.to_path_buf());
        match e.classify() {
            serde_json::error::Category::Data => DockerConfigError::Layout { path, line, column },
            _ => DockerConfigError::Json { path, line, column },
        }
    })
}

/// What one registry's credentials come from.
#[derive(Debug, Clone)]
enum Origin {
    /// An inline `auths` entry, under the key the file spells it.
    Inline { spelling: String, entry: FileEntry },
    /// A credential helper, asked with this server URL: what Docker would send (the
    /// normalised key: `ghcr.io`, `https://index.docker.io/v1/`), or the URL a store lists.
    Helper { spelling: String, helper: String },
}

/// Every registry the file knows, by normalised key.
#[derive(Debug, Default)]
struct Catalogue {
    registries: BTreeMap<RegistryKey, Origin>,
    /// `credsStore`'s `list` could not be run: requested registries go to the store as typed.
    store_unlisted: bool,
}

impl Catalogue {
    /// Inline entries and `credHelpers`; a helper configured for a registry wins over its
    /// inline entry, as in Docker, and is asked for the registry as Docker asks for it. Keys that are no registry (Docker Desktop's
    /// `https://index.docker.io/v1/access-token`) are left out.
    fn from_file(file: &FileConfig, path: &Path) -> Result<Self, DockerConfigError> {
        let mut catalogue = Catalogue::default();
        for (spelling, entry) in &file.auths {
            let Some(key) = key_of(spelling) else {
                continue;
            };
            let origin = match &file.creds_store {
                Some(store) => Origin::Helper {
                    spelling: key.as_str().to_string(),
                    helper: checked_helper(store, path)?,
                },
                None => Origin::Inline {
                    spelling: spelling.clone(),
                    entry: entry.clone(),
                },
            };
            catalogue.offer(key, origin);
        }
        for (spelling, helper) in &file.cred_helpers {
            if let Some(key) = key_of(spelling) {
                let helper = checked_helper(helper, path)?;
                catalogue.registries.insert(
                    key.clone(),
                    Origin::Helper {
                        spelling: key.as_str().to_string(),
                        helper,
                    },
                );
            }
        }
        Ok(catalogue)
    }

    /// Adds an origin unless one with credentials is already known for that key
    /// (`docker.io` and `https://index.docker.io/v1/` in one file).
    fn offer(&mut self, key: RegistryKey, origin: Origin) {
        let has_credentials = |o: &Origin| match o {
            Origin::Inline { entry, .. } => entry.has_credentials(),
            Origin::Helper { .. } => true,
        };
        match self.registries.get(&key) {
            Some(existing) if has_credentials(existing) || !has_credentials(&origin) => {}
            _ => {
                self.registries.insert(key, origin);
            }
        }
    }

    /// Adds what `credsStore`'s `list` names. Without `--server` the list is needed and its
    /// failure is an error; with `--server` a failing `list` only means asking `get` blind.
    fn add_store_list(
        &mut self,
        file: &FileConfig,
        path: &Path,
        required: bool,
    ) -> Result<(), DockerConfigError> {
        let Some(store) = &file.creds_store else {
            return Ok(());
        };
        let helper = checked_helper(store, path)?;
        match helper_list(&helper, path, HELPER_TIMEOUT) {
            Ok(urls) => {
                for url in urls {
                    let Some(key) = key_of(&url) else {
                        continue;
                    };
                    // The store is asked under the exact URL it lists.
                    let is_store =
                        |o: &Origin| matches!(o, Origin::Helper { helper: h, .. } if *h == helper);
                    if self.registries.get(&key).is_none_or(is_store) {
                        self.registries.insert(
                            key,
                            Origin::Helper {
                                spelling: url,
                                helper: helper.clone(),
                            },
                        );
                    }
                }
                Ok(())
            }
            Err(err) if required => Err(err),
            Err(err) => {
                tracing::debug!("{}", crate::error::chain(&err));
                self.store_unlisted = true;
                Ok(())
            }
        }
    }

    fn has(&self, key: &RegistryKey) -> bool {
        self.registries.contains_key(key)
    }

    /// Every registry, with its origin. Inline entries without credentials are left out
    /// (with `credsStore` unset they mean nothing).
    fn all(&self) -> Vec<(RegistryKey, Origin)> {
        self.registries
            .iter()
            .filter(|(_, origin)| match origin {
                Origin::Inline { entry, .. } => entry.has_credentials(),
                Origin::Helper { .. } => true,
            })
            .map(|(key, origin)| (key.clone(), origin.clone()))
            .collect()
    }

    /// The origin of a registry asked for with `--server`.
    fn pick(
        &self,
        key: &RegistryKey,
        file: &FileConfig,
        path: &Path,
    ) -> Result<(RegistryKey, Origin), DockerConfigError> {
        if let Some(origin) = self.registries.get(key) {
            return Ok((key.clone(), origin.clone()));
        }
        match &file.creds_store {
            Some(store) if self.store_unlisted => Ok((
                key.clone(),
                Origin::Helper {
                    spelling: key.as_str().to_string(),
                    helper: checked_helper(store, path)?,
                },
            )),
            _ => Err(DockerConfigError::MissingServer {
                path: path.to_path_buf(),
                server: key.to_string(),
                available: self.registries.keys().map(ToString::to_string).collect(),
            }),
        }
    }
}

/// The normalised key of a config key, or None for keys that name no registry.
fn key_of(spelling: &str) -> Option<RegistryKey> {
    match RegistryKey::parse(spelling) {
        Ok(key) => Some(key),
        Err(reason) => {
            tracing::debug!(key = spelling, %reason, "skipping a Docker config key");
            None
        }
    }
}

/// A helper name becomes part of a program name: no path separators, no options.
fn checked_helper(name: &str, path: &Path) -> Result<String, DockerConfigError> {
    let valid = !name.is_empty()
        && !name.starts_with('-')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if valid {
        Ok(name.to_string())
    } else {
        Err(DockerConfigError::InvalidHelperName {
            path: path.to_path_buf(),
            helper: name.to_string(),
        })
    }
}

/// Asks before taking every registry of the file; refuses without a terminal.
fn confirm_all(
    path: &Path,
    all: &[(RegistryKey, Origin)],
    yes: bool,
) -> Result<(), DockerConfigError> {
    if yes {
        return Ok(());
    }
    let hosts: Vec<String> = all.iter().map(|(key, _)| key.to_string()).collect();
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(DockerConfigError::NeedsConfirmation {
            path: path.to_path_buf(),
            hosts,
        });
    }
    let prompt = format!(
        "Take the credentials of every registry in {}?\n  {}\n",
        path.display(),
        hosts.join("\n  ")
    );
    let confirmed = dialoguer::Confirm::new()
        .with_prompt(prompt)
        .default(false)
        .interact_on(&console::Term::stderr())
        .map_err(|dialoguer::Error::IO(io)| DockerConfigError::Prompt(io))?;
    if confirmed {
        Ok(())
    } else {
        Err(DockerConfigError::Declined)
    }
}

/// Credentials found for one registry.
#[derive(Debug, PartialEq, Eq)]
enum Found {
    Basic {
        username: String,
        password: Secret,
        email: Option<String>,
    },
    /// An identity (OAuth2 refresh) token, as `docker login` stores for some registries.
    IdentityToken(Secret),
}

/// Adds what was found under `key`.
///
/// An identity token is written as `{"auth": base64(":" + token), "identitytoken": token}`.
/// The kubelet reads only `auth` (or `username`/`password`) from a pull secret and hands the
/// runtime an empty username with the token as password; containerd then does exactly what it
/// does with an identity token: the OAuth2 `refresh_token` grant. Docker, BuildKit and
/// go-containerregistry read `identitytoken` itself.
fn add(config: &mut DockerConfig, key: RegistryKey, found: Found) {
    match found {
        Found::Basic {
            username,
            password,
            email,
        } => config.insert(
            key,
            Credentials {
                username,
                password: password.0,
                email,
            },
        ),
        Found::IdentityToken(token) => {
            #[derive(serde::Serialize)]
            struct TokenEntry<'a> {
                auth: &'a str,
                identitytoken: &'a str,
            }
            let auth = dockerconfig::basic_auth("", &token.0);
            let entry = TokenEntry {
                auth: &auth,
                identitytoken: &token.0,
            };
            let auths = BTreeMap::from([(key.as_str(), entry)]);
            // Sized for the worst case, so it never grows and leaves a copy behind.
            let capacity = 6 * (key.as_str().len() + token.0.len()) + auth.len() + 64;
            let mut text = Zeroizing::new(Vec::with_capacity(capacity));
            // Writing strings into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *text, &BTreeMap::from([("auths", auths)]));
            // Valid JSON with an "auths" object by construction; kept verbatim by the config.
            if let Ok(parsed) = DockerConfig::parse(&text) {
                config.merge(&parsed);
            }
        }
    }
}

/// The credentials of an inline `auths` entry.
fn entry_credentials(
    registry: &str,
    entry: &FileEntry,
    path: &Path,
) -> Result<Found, DockerConfigError> {
    let email = entry.email.clone().filter(|e| !e.is_empty());
    if let Some(token) = entry.identitytoken.as_ref().filter(|t| !t.is_empty()) {
        return Ok(Found::IdentityToken(token.clone()));
    }
    let (username, password) = match entry.auth.as_ref().filter(|a| !a.is_empty()) {
        Some(auth) => decode_auth(auth).map_err(|problem| match problem {
            AuthProblem::Base64 => DockerConfigError::BadBase64 {
                path: path.to_path_buf(),
                registry: registry.to_string(),
            },
            AuthProblem::NoColon => DockerConfigError::AuthWithoutColon {
                path: path.to_path_buf(),
                registry: registry.to_string(),
            },
        })?,
        None => match (&entry.username, &entry.password) {
            (Some(user), Some(password)) if !password.is_empty() => {
                (user.clone(), password.clone())
            }
            _ => {
                return Err(DockerConfigError::NoCredentials {
                    path: path.to_path_buf(),
                    registry: registry.to_string(),
                });
            }
        },
    };
    dockerconfig::validate_username(&username).map_err(|reason| {
        DockerConfigError::InvalidUsername {
            path: path.to_path_buf(),
            registry: registry.to_string(),
            reason,
        }
    })?;
    Ok(Found::Basic {
        username,
        password,
        email,
    })
}

#[derive(Debug, PartialEq, Eq)]
enum AuthProblem {
    Base64,
    NoColon,
}

/// `base64(user:password)`, padded or not (Docker writes it padded; the kubelet accepts both).
fn decode_auth(auth: &Secret) -> Result<(String, Secret), AuthProblem> {
    let field = auth.0.trim();
    let decoded = Zeroizing::new(
        if field.ends_with('=') {
            STANDARD.decode(field)
        } else {
            STANDARD_NO_PAD.decode(field)
        }
        .map_err(|_| AuthProblem::Base64)?,
    );
    let text = std::str::from_utf8(&decoded).map_err(|_| AuthProblem::Base64)?;
    let (user, password) = text.split_once(':').ok_or(AuthProblem::NoColon)?;
    Ok((
        user.to_string(),
        Secret(Zeroizing::new(password.to_string())),
    ))
}

/// What `docker-credential-X get` prints.
#[derive(Deserialize)]
struct HelperCredentials {
    #[serde(rename = "Username", default)]
    username: String,
    #[serde(rename = "Secret", default)]
    secret: Secret,
}

/// Reads a helper's `get` answer. An empty secret is how some helpers say "not found".
fn parse_helper_get(stdout: &[u8]) -> Result<Option<Found>, ()> {
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
fn helper_credentials(
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
    if !output.success {
        if says_not_found(&String::from_utf8_lossy(&output.stdout))
            || says_not_found(&String::from_utf8_lossy(&output.stderr))
        {
            return Err(not_found());
        }
        return Err(call.failed(&output));
    }
    match parse_helper_get(&output.stdout) {
        Ok(Some(found)) => Ok(found),
        Ok(None) => Err(not_found()),
        Err(()) => Err(call.bad_output()),
    }
}

/// `docker-credential-HELPER list`: the server URLs it holds credentials for.
fn helper_list(
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
    if !output.success {
        return Err(call.failed(&output));
    }
    parse_helper_list(&output.stdout).map_err(|()| call.bad_output())
}

/// One run of a credential helper, for running it and naming it in errors.
struct HelperCall<'a> {
    path: &'a Path,
    registry: &'a str,
    helper: &'a str,
    action: &'static str,
}

/// What a helper printed; stdout may hold a secret.
struct HelperOutput {
    success: bool,
    status: String,
    stdout: Zeroizing<Vec<u8>>,
    stderr: Zeroizing<Vec<u8>>,
}

impl HelperCall<'_> {
    fn run(&self, timeout: Duration) -> Result<HelperOutput, DockerConfigError> {
        let program = format!("docker-credential-{}", self.helper);
        let input = match self.action {
            "get" => format!("{}\n", self.registry),
            _ => String::new(),
        };
        run_program(OsStr::new(&program), &[self.action], &input, timeout).map_err(|e| match e {
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

    fn failed(&self, output: &HelperOutput) -> DockerConfigError {
        DockerConfigError::HelperFailed {
            path: self.path.to_path_buf(),
            registry: self.registry.to_string(),
            helper: self.helper.to_string(),
            action: self.action,
            outcome: match summarise(&output.stderr, &output.stdout) {
                summary if summary.is_empty() => output.status.clone(),
                summary => format!("{}: {summary}", output.status),
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

#[derive(Debug)]
enum RunError {
    NotFound,
    Io(std::io::Error),
    Timeout,
}

/// Runs `program args` with `input` on stdin, bounded by `timeout` (then killed). The
/// program inherits our environment minus our own secret variable, and gets nothing secret
/// on its command line.
fn run_program(
    program: &OsStr,
    args: &[&str],
    input: &str,
    timeout: Duration,
) -> Result<HelperOutput, RunError> {
    let mut child = Command::new(program)
        .args(args)
        .env_remove("REGCRED_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => RunError::NotFound,
            _ => RunError::Io(e),
        })?;
    // Into buffers allocated once: a growing Vec would leave copies of the secret behind.
    let read = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || match pipe {
            Some(mut pipe) => super::cloud::read_bounded(&mut pipe, MAX_HELPER_OUTPUT)
                .map(|read| read.bytes)
                .unwrap_or_default(),
            None => Zeroizing::new(Vec::new()),
        })
    };
    let stdout = read(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = read(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    if let Some(mut stdin) = child.stdin.take() {
        // A helper that exits without reading its input is judged by its exit status.
        let _ = stdin.write_all(input.as_bytes());
    }
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait().map_err(RunError::Io)? {
            Some(status) => break status,
            None if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(RunError::Timeout);
            }
            None => std::thread::sleep(Duration::from_millis(10)),
        }
    };
    let joined = |handle: std::thread::JoinHandle<Zeroizing<Vec<u8>>>| {
        handle.join().unwrap_or_else(|_| Zeroizing::new(Vec::new()))
    };
    Ok(HelperOutput {
        success: status.success(),
        status: match status.code() {
            Some(code) => format!("exit code {code}"),
            None => "a signal".to_string(),
        },
        stdout: joined(stdout),
        stderr: joined(stderr),
    })
}

/// One line of what a failing helper said (stderr, else stdout, where
/// docker-credential-helpers print their errors), shortened, with anything that looks like a
/// secret replaced. JSON output is never shown: it may be a credential.
fn summarise(stderr: &[u8], stdout: &[u8]) -> String {
    let first_line = |bytes: &[u8]| {
        String::from_utf8_lossy(bytes)
            .lines()
            .map(str::trim)
            .find(|line| !line.is_empty())
            .map(str::to_string)
    };
    let Some(line) = first_line(stderr).or_else(|| first_line(stdout)) else {
        return String::new();
    };
    if line.starts_with('{') || line.starts_with('[') {
        return "<output redacted>".to_string();
    }
    // `password: hunter2`: the word after a secret-sounding name that ends in ':' is its value.
    let mut after_name = false;
    let redacted: Vec<String> = line
        .split_whitespace()
        .map(|word| {
            let hide = after_name || looks_secret(word);
            after_name = word.ends_with(':') && has_secret_name(word);
            if hide {
                "<redacted>".to_string()
            } else {
                word.to_string()
            }
        })
        .collect();
    let mut summary = redacted.join(" ");
    if summary.chars().count() > 200 {
        summary = summary.chars().take(200).collect::<String>() + "...";
    }
    summary
}

/// Does the word name a secret (`password`, `token`, ...), in any case?
fn has_secret_name(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    ["secret", "password", "passwd", "token", "auth", "key"]
        .iter()
        .any(|name| lower.contains(name))
}

/// Long runs of letters and digits (tokens, keys, `user:password`, `Bearer xyz`), or words
/// that carry a value after `=` or `:` with a secret-sounding name.
fn looks_secret(word: &str) -> bool {
    let named =
        has_secret_name(word) && (word.contains('=') || word.trim_end_matches(':').contains(':'));
    let core = word.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    let long_mixed = core.len() >= 20
        && core.chars().any(|c| c.is_ascii_digit())
        && core.chars().any(|c| c.is_ascii_alphabetic());
    named || long_mixed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path() -> PathBuf {
        PathBuf::from("/home/u/.docker/config.json")
    }

    fn parse(json: &str) -> FileConfig {
        parse_file(json.as_bytes(), &path()).unwrap()
    }

    fn key(s: &str) -> RegistryKey {
        RegistryKey::parse(s).unwrap()
    }

    fn secret(s: &str) -> Secret {
        Secret(Zeroizing::new(s.to_string()))
    }

    fn basic(user: &str, pass: &str) -> Found {
        Found::Basic {
            username: user.into(),
            password: secret(pass),
            email: None,
        }
    }

    #[test]
    fn the_default_location_follows_docker_config_then_home() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| std::ffi::OsString::from(v))
            }
        };
        let given = config_path(Path::new("/x/c.json"), env(&[("DOCKER_CONFIG", "/d")]));
        assert_eq!(given.unwrap(), PathBuf::from("/x/c.json"));
        let both = env(&[("DOCKER_CONFIG", "/d"), ("HOME", "/h")]);
        assert_eq!(
            config_path(Path::new(""), both).unwrap(),
            PathBuf::from("/d/config.json")
        );
        let home = env(&[("DOCKER_CONFIG", ""), ("HOME", "/h")]);
        assert_eq!(
            config_path(Path::new(""), home).unwrap(),
            PathBuf::from("/h/.docker/config.json")
        );
        assert!(matches!(
            config_path(Path::new(""), env(&[])),
            Err(DockerConfigError::NoHome)
        ));
    }

    #[test]
    fn inline_entries_decode_every_layout() {
        let file = parse(
            r#"{"auths":{
                "https://index.docker.io/v1/":{"auth":"YWxpY2U6cDpzcw=="},
                "ghcr.io":{"auth":"b2N0bzpwdw"},
                "quay.io":{"username":"robot","password":"rpw","email":"r@example.com"},
                "https://acr.example.io":{"auth":"MDAwOg==","identitytoken":"refresh"}
            },"HttpHeaders":{"User-Agent":"x"},"currentContext":"default"}"#,
        );
        let found = |k: &str| entry_credentials(k, &file.auths[k], &path()).unwrap();
        assert_eq!(found("https://index.docker.io/v1/"), basic("alice", "p:ss"));
        assert_eq!(found("ghcr.io"), basic("octo", "pw"));
        assert_eq!(
            found("quay.io"),
            Found::Basic {
                username: "robot".into(),
                password: secret("rpw"),
                email: Some("r@example.com".into())
            }
        );
        assert_eq!(
            found("https://acr.example.io"),
            Found::IdentityToken(secret("refresh"))
        );
    }

    #[test]
    fn malformed_entries_name_the_registry_and_file() {
        let file = parse(
            r#"{"auths":{"a.io":{"auth":"!!!"},"b.io":{"auth":"bm9jb2xvbg=="},"c.io":{},
                "d.io":{"username":"u"}}}"#,
        );
        let err = |k: &str| {
            entry_credentials(k, &file.auths[k], &path())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err("a.io"),
            "the \"auth\" field of registry a.io in /home/u/.docker/config.json is not valid base64"
        );
        assert!(err("b.io").contains("does not decode to USER:PASSWORD"));
        assert!(err("c.io").contains("registry c.io in /home/u/.docker/config.json holds no"));
        assert!(err("d.io").contains("holds no credentials"));
    }

    #[test]
    fn json_errors_give_the_position_and_never_the_value() {
        let err = parse_file(
            b"{\"auths\": {\n  \"ghcr.io\": {\"auth\": \"x\",}}}",
            &path(),
        )
        .unwrap_err();
        assert!(
            matches!(err, DockerConfigError::Json { line: 2, .. }),
            "{err:?}"
        );
        let err = parse_file(br#"{"auths":{"ghcr.io":"s3cr3t-sentinel"}}"#, &path()).unwrap_err();
        assert!(matches!(err, DockerConfigError::Layout { .. }), "{err:?}");
        assert!(!err.to_string().contains("s3cr3t-sentinel"));
    }

    #[test]
    fn config_keys_match_servers_by_normalised_key() {
        let file = parse(
            r#"{"auths":{"https://index.docker.io/v1/":{"auth":"dTpw"},"https://GHCR.io/":{"auth":"dTpw"},
                "https://index.docker.io/v1/access-token":{"auth":"dTpw"},"quay.io":{}},
                "credHelpers":{"123.dkr.ecr.eu-west-1.amazonaws.com":"ecr-login","quay.io":"pass"}}"#,
        );
        let catalogue = Catalogue::from_file(&file, &path()).unwrap();
        let keys: Vec<_> = catalogue.registries.keys().map(|k| k.to_string()).collect();
        assert_eq!(
            keys,
            [
                "123.dkr.ecr.eu-west-1.amazonaws.com",
                "ghcr.io",
                "https://index.docker.io/v1/",
                "quay.io"
            ]
        );
        let (_, origin) = catalogue.pick(&key("docker.io"), &file, &path()).unwrap();
        assert!(
            matches!(origin, Origin::Inline { ref spelling, .. } if spelling == "https://index.docker.io/v1/")
        );
        let (_, origin) = catalogue.pick(&key("ghcr.io"), &file, &path()).unwrap();
        assert!(
            matches!(origin, Origin::Inline { ref spelling, .. } if spelling == "https://GHCR.io/")
        );
        let (_, origin) = catalogue.pick(&key("quay.io"), &file, &path()).unwrap();
        assert!(matches!(origin, Origin::Helper { ref helper, .. } if helper == "pass"));
        let missing = catalogue.pick(&key("gcr.io"), &file, &path()).unwrap_err();
        assert_eq!(
            missing.to_string(),
            "--server gcr.io is not in /home/u/.docker/config.json (it has: \
             123.dkr.ecr.eu-west-1.amazonaws.com, ghcr.io, https://index.docker.io/v1/, quay.io)"
        );
    }

    #[test]
    fn creds_store_covers_inline_keys_and_unlisted_servers() {
        let file = parse(r#"{"auths":{"ghcr.io":{}},"credsStore":"pass"}"#);
        let mut catalogue = Catalogue::from_file(&file, &path()).unwrap();
        let (_, origin) = catalogue.pick(&key("ghcr.io"), &file, &path()).unwrap();
        assert!(matches!(origin, Origin::Helper { ref helper, .. } if helper == "pass"));
        assert!(catalogue.pick(&key("quay.io"), &file, &path()).is_err());
        catalogue.store_unlisted = true;
        let (_, origin) = catalogue.pick(&key("quay.io"), &file, &path()).unwrap();
        assert!(matches!(origin, Origin::Helper { ref spelling, .. } if spelling == "quay.io"));
    }

    #[test]
    fn inline_entries_without_credentials_are_not_taken_by_default() {
        let file = parse(r#"{"auths":{"ghcr.io":{},"quay.io":{"auth":"dTpw"}}}"#);
        let catalogue = Catalogue::from_file(&file, &path()).unwrap();
        let all: Vec<_> = catalogue
            .all()
            .into_iter()
            .map(|(k, _)| k.to_string())
            .collect();
        assert_eq!(all, ["quay.io"]);
    }

    #[test]
    fn helper_names_cannot_escape_the_program_name() {
        for bad in ["../x", "a/b", "-rf", "", "a b"] {
            assert!(checked_helper(bad, &path()).is_err(), "{bad:?}");
        }
        for good in ["pass", "ecr-login", "desktop.exe", "acr_env"] {
            assert_eq!(checked_helper(good, &path()).unwrap(), good);
        }
    }

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
    fn identity_tokens_are_written_for_the_kubelet_and_for_docker() {
        let mut config = DockerConfig::new();
        add(
            &mut config,
            key("acr.example.io"),
            Found::IdentityToken(secret("refresh")),
        );
        add(&mut config, key("ghcr.io"), basic("octo", "pw"));
        let json: serde_json::Value = serde_json::from_slice(&config.to_json()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"auths": {
                "acr.example.io": {"auth": "OnJlZnJlc2g=", "identitytoken": "refresh"},
                "ghcr.io": {"username": "octo", "password": "pw", "auth": "b2N0bzpwdw=="}
            }})
        );
    }

    #[test]
    fn helper_messages_are_summarised_without_secrets() {
        assert_eq!(
            summarise(b"", b"credentials not found in native keychain\n"),
            "credentials not found in native keychain"
        );
        let s = summarise(
            b"\nerror: token=abc password: hunter2 Bearer ghp_1234567890abcdefghijklmnop\nmore",
            b"",
        );
        assert!(!s.contains("abc") && !s.contains("ghp_"), "{s}");
        assert!(s.starts_with("error:"), "{s}");
        assert_eq!(summarise(b"", br#"{"Secret":"x"}"#), "<output redacted>");
        assert!(summarise(&[b'a'; 500], b"").len() < 220);
    }

    #[test]
    fn debug_never_shows_a_secret() {
        let file = parse(
            r#"{"auths":{"ghcr.io":{"auth":"s3cr3t-sentinel","password":"s3cr3t-sentinel"}}}"#,
        );
        assert!(!format!("{file:?}").contains("s3cr3t-sentinel"));
        assert!(!format!("{:?}", basic("u", "s3cr3t-sentinel")).contains("s3cr3t-sentinel"));
    }

    #[test]
    fn debug_of_every_type_holding_a_credential_is_redacted() {
        use crate::dockerconfig::shows_secret;
        const PASSWORD: &str = "Unit-Sentinel-Pa55word-5a0c3e77";
        const TOKEN: &str = "Unit-Sentinel-T0ken-91bd22f4";
        let json = format!(
            r#"{{"auths":{{
                "a.io":{{"auth":"{}"}},
                "b.io":{{"username":"u","password":"{PASSWORD}"}},
                "c.io":{{"identitytoken":"{TOKEN}"}}}},
              "credHelpers":{{"d.io":"pass"}}}}"#,
            STANDARD.encode(format!("u:{PASSWORD}"))
        );
        let file = parse(&json);
        let catalogue = Catalogue::from_file(&file, &path()).unwrap();
        let origins = catalogue.all();
        let mut config = DockerConfig::new();
        let mut found = Vec::new();
        for (key, origin) in &origins {
            if let Origin::Inline { spelling, entry } = origin {
                let credentials = entry_credentials(spelling, entry, &path()).unwrap();
                found.push(format!("{credentials:?}"));
                add(&mut config, key.clone(), credentials);
            }
        }
        assert_eq!(found.len(), 3);
        let helper = parse_helper_get(
            format!(r#"{{"ServerURL":"x","Username":"<token>","Secret":"{TOKEN}"}}"#).as_bytes(),
        );
        let sourced = crate::creds::sources::Sourced {
            config,
            annotations: Default::default(),
        };
        let shown = [
            format!("{file:?}"),
            format!("{:?}", file.auths["a.io"]),
            format!("{catalogue:?}"),
            format!("{origins:?}"),
            format!("{found:?}"),
            format!("{helper:?}"),
            format!("{sourced:?}"),
            format!("{:?}", secret(PASSWORD)),
            format!(
                "{:?}",
                decode_auth(&secret(&STANDARD.encode(format!("u:{PASSWORD}"))))
            ),
        ];
        for text in shown {
            assert!(!shows_secret(&text, PASSWORD), "{text}");
            assert!(!shows_secret(&text, TOKEN), "{text}");
        }
        // The check would see them: they are in the JSON the secret gets.
        let written = String::from_utf8(sourced.config.to_json().to_vec()).unwrap();
        assert!(shows_secret(&written, PASSWORD) && shows_secret(&written, TOKEN));
    }

    #[test]
    fn helper_output_is_read_whole_into_one_buffer() {
        let output =
            run_program(OsStr::new("cat"), &[], "secret answer\n", HELPER_TIMEOUT).unwrap();
        assert!(output.success);
        assert_eq!(&output.stdout[..], b"secret answer\n");
        assert!(
            output.stdout.capacity() >= MAX_HELPER_OUTPUT,
            "allocated once, never grown"
        );
    }

    #[test]
    fn helpers_are_bounded_by_a_timeout() {
        let started = Instant::now();
        let result = run_program(OsStr::new("sleep"), &["10"], "", Duration::from_millis(200));
        assert!(matches!(result, Err(RunError::Timeout)));
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(matches!(
            run_program(
                OsStr::new("docker-credential-no-such-helper"),
                &["get"],
                "",
                HELPER_TIMEOUT
            ),
            Err(RunError::NotFound)
        ));
    }

    // -----------------------------------------------------------------------------------------
    // Hostile input (issue 9): property tests over arbitrary and adversarial config.json files
    // and helper output. Helpers are never run here: only inline entries are read.

    use base64::engine::general_purpose::STANDARD_NO_PAD as UNPADDED;
    use proptest::prelude::*;

    use crate::dockerconfig::hostile::{self, SENTINEL};

    const PATH_SHOWN: &str = "/home/u/.docker/config.json";

    #[test]
    fn issue_9_the_word_after_a_secret_name_and_colon_is_redacted() {
        let s = summarise(b"error: password: hunter2 for user bob", b"");
        assert_eq!(s, "error: password: <redacted> for user bob");
        let s = summarise(b"Token: abc expired", b"");
        assert_eq!(s, "Token: <redacted> expired");
    }

    proptest! {
        #![proptest_config(hostile::config(256))]

        #[test]
        fn config_json_never_panics_and_errors_name_the_entry_not_the_secret(
            bytes in hostile::config_bytes(),
            asked in hostile::host_or_hostile(),
        ) {
            let file = match parse_file(&bytes, &path()) {
                Ok(file) => file,
                Err(err) => {
                    let shown = format!("{err} {err:?}");
                    prop_assert!(shown.contains(PATH_SHOWN) && !shown.contains(SENTINEL), "{}", shown);
                    return Ok(());
                }
            };
            let shown = format!("{file:?}");
            prop_assert!(!shown.contains(SENTINEL));
            let catalogue = match Catalogue::from_file(&file, &path()) {
                Ok(catalogue) => catalogue,
                Err(err) => {
                    prop_assert!(matches!(err, DockerConfigError::InvalidHelperName { .. }), "{err:?}");
                    return Ok(());
                }
            };
            if let Ok(key) = RegistryKey::parse(&asked) {
                let _ = catalogue.pick(&key, &file, &path());
            }
            let mut config = DockerConfig::new();
            for (key, origin) in catalogue.all() {
                let Origin::Inline { spelling, entry } = origin else { continue };
                match entry_credentials(&spelling, &entry, &path()) {
                    Ok(found) => add(&mut config, key, found),
                    Err(err) => {
                        let shown = err.to_string();
                        prop_assert!(shown.contains(&spelling) && shown.contains(PATH_SHOWN), "{}", shown);
                        prop_assert!(!shown.contains(SENTINEL), "{}", shown);
                    }
                }
            }
            let json = config.to_json();
            let read = DockerConfig::parse(&json);
            prop_assert!(read.is_ok(), "{read:?}");
            prop_assert!(read.unwrap().registries().eq(config.registries()));
        }
    }

    proptest! {
        #![proptest_config(hostile::config(512))]

        #[test]
        fn auth_fields_decode_padded_or_not_and_say_what_is_wrong(
            user in hostile::username(),
            password in hostile::password(),
            padded in any::<bool>(),
            spaced in any::<bool>(),
        ) {
            let joined = format!("{user}:{password}");
            let mut field = if padded { STANDARD.encode(&joined) } else { UNPADDED.encode(&joined) };
            if spaced {
                field = format!("  {field}\n");
            }
            prop_assert_eq!(decode_auth(&secret(&field)), Ok((user, secret(&password))));
            let no_colon = STANDARD.encode(password.replace(':', ""));
            prop_assert_eq!(decode_auth(&secret(&no_colon)), Err(AuthProblem::NoColon));
            let broken = format!("{}!", field.trim());
            prop_assert_eq!(decode_auth(&secret(&broken)), Err(AuthProblem::Base64));
            let not_utf8 = STANDARD.encode([&[0xff, 0xfe, b':'][..], password.as_bytes()].concat());
            prop_assert_eq!(decode_auth(&secret(&not_utf8)), Err(AuthProblem::Base64));
        }

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
            let summary = summarise(&[], &stdout);
            prop_assert!(summary.chars().count() <= 203);
            if let Ok(Some(_)) = parse_helper_get(&stdout) {
                // Credentials a helper printed are never quoted back.
                prop_assert!(!summary.contains(SENTINEL), "{}", summary);
            }
            let stderr = format!("{noise} {name}{separator}{SENTINEL} {noise}");
            let summary = summarise(stderr.as_bytes(), &stdout);
            prop_assert!(!summary.contains(SENTINEL), "{}", summary);
        }
    }
}
