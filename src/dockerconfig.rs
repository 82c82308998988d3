//! The `.dockerconfigjson` model: registry keys, credentials and their JSON form.
//!
//! Pure: no I/O, no cluster. The JSON written here is byte-for-byte what
//! `kubectl create secret docker-registry` writes for the same inputs, so a secret made by
//! either tool compares equal.
//!
//! [`DockerConfig`] is the model we write (entries kept verbatim, merged, serialised);
//! [`stored`] reads stored content as the kubelet does (which user it sends, which secrets it
//! refuses).

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::Serialize;
use zeroize::Zeroizing;

#[cfg(test)]
pub(crate) mod hostile;
pub mod stored;

/// The key Docker Hub credentials live under, as `docker login` and kubectl write it.
pub const DOCKER_HUB_KEY: &str = "https://index.docker.io/v1/";

/// Host names that all mean Docker Hub (in error texts too: runtimes pull Docker Hub's images
/// from [`DOCKER_HUB_API_HOST`]).
pub const DOCKER_HUB_ALIASES: &[&str] = &[
    "docker.io",
    "index.docker.io",
    DOCKER_HUB_API_HOST,
    "registry.hub.docker.com",
    "hub.docker.com",
];

/// The host whose `/v2/` API serves Docker Hub's images. As a `--server` it gets a key of its
/// own, not [`DOCKER_HUB_KEY`]: the kubelet reads an image written `registry-1.docker.io/...`
/// as one on a registry of that name, and tries only keys for that host (its keyring falls
/// back to the `index.docker.io` key for `docker.io` images alone).
pub const DOCKER_HUB_API_HOST: &str = "registry-1.docker.io";

/// Why a `--server` value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServerError {
    #[error("is empty")]
    Empty,
    #[error("has an unknown scheme {scheme:?}: use https://, http:// or none")]
    UnknownScheme { scheme: String },
    #[error("has a malformed scheme: write https://{rest}, or just {rest}")]
    MalformedScheme { rest: String },
    #[error("has an invalid host {host:?}")]
    InvalidHost { host: String },
    #[error("has an invalid port {port:?}")]
    InvalidPort { port: String },
    #[error("looks like an image reference: use the registry host {host:?}")]
    ImageReference { host: String },
    #[error("has an invalid path {path:?}: a registry key is HOST[:PORT] or HOST[:PORT]/NAMESPACE")]
    InvalidPath { path: String },
}

/// A registry key as it appears under `auths` in a `.dockerconfigjson`.
///
/// Built from what the user typed: the scheme and a trailing slash are dropped, the host is
/// lower-cased, and every spelling of Docker Hub but [`DOCKER_HUB_API_HOST`] becomes
/// [`DOCKER_HUB_KEY`]. A path is kept
/// when it names a repository namespace (`quay.io/acme`), because the kubelet matches such keys
/// against image names by prefix.
///
/// ```
/// use kubectl_regcred::dockerconfig::RegistryKey;
/// assert_eq!(RegistryKey::parse("docker.io").unwrap().as_str(), "https://index.docker.io/v1/");
/// assert_eq!(RegistryKey::parse("registry-1.docker.io").unwrap().as_str(), "registry-1.docker.io");
/// assert_eq!(RegistryKey::parse("https://GHCR.io/").unwrap().as_str(), "ghcr.io");
/// assert!(RegistryKey::parse("ghcr.io/acme/app:1.0").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct RegistryKey(String);

impl RegistryKey {
    /// Validates and normalises a registry server as given on the command line.
    pub fn parse(input: &str) -> Result<Self, ServerError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(ServerError::Empty);
        }
        let rest = strip_scheme(trimmed)?;
        let (authority, path) = match rest.split_once('/') {
            Some((authority, path)) => (authority, path.trim_end_matches('/')),
            None => (rest, ""),
        };
        let (host, port) = split_port(authority)?;
        if !is_valid_host(host) {
            return Err(ServerError::InvalidHost {
                host: host.to_string(),
            });
        }
        let host = host.to_ascii_lowercase();
        let authority = match port {
            Some(port) => format!("{host}:{port}"),
            None => host.clone(),
        };
        if port.is_none()
            && host != DOCKER_HUB_API_HOST
            && DOCKER_HUB_ALIASES.contains(&host.as_str())
        {
            return match path {
                "" | "v1" | "v2" => Ok(Self(DOCKER_HUB_KEY.to_string())),
                _ => Err(ServerError::InvalidPath {
                    path: path.to_string(),
                }),
            };
        }
        match path {
            // `docker login` style API suffixes name the registry itself.
            "" | "v1" | "v2" => Ok(Self(authority)),
            _ => {
                check_namespace_path(path, &authority)?;
                Ok(Self(format!("{authority}/{path}")))
            }
        }
    }

    /// The key as written into `.dockerconfigjson`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Is this Docker Hub's key?
    pub fn is_docker_hub(&self) -> bool {
        self.0 == DOCKER_HUB_KEY
    }
}

/// The registry a key as written names: its normalised [`RegistryKey`], or the key itself when
/// it names none (`*.azurecr.io`, junk), which can equal no normalised key but itself.
///
/// ```
/// use kubectl_regcred::dockerconfig::normalise_key;
/// assert_eq!(normalise_key("https://GHCR.io/"), "ghcr.io");
/// assert_eq!(normalise_key("*.azurecr.io"), "*.azurecr.io");
/// ```
pub fn normalise_key(key: &str) -> String {
    RegistryKey::parse(key).map_or_else(|_| key.to_string(), |k| k.0)
}

impl fmt::Display for RegistryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn strip_scheme(input: &str) -> Result<&str, ServerError> {
    if let Some((scheme, rest)) = input.split_once("://") {
        return match scheme.to_ascii_lowercase().as_str() {
            "https" | "http" => Ok(rest),
            _ if looks_like_http(scheme) => Err(ServerError::MalformedScheme {
                rest: rest.to_string(),
            }),
            _ => Err(ServerError::UnknownScheme {
                scheme: scheme.to_string(),
            }),
        };
    }
    // `https:/host`, `https//host`, `https:host`: a scheme with a typo.
    let lower = input.to_ascii_lowercase();
    for prefix in ["https:/", "http:/", "https//", "http//", "https:", "http:"] {
        if let Some(rest) = lower.strip_prefix(prefix) {
            return Err(ServerError::MalformedScheme {
                rest: rest.trim_start_matches('/').to_string(),
            });
        }
    }
    Ok(input)
}

/// `htps`, `htttp`, `hhtps`...: close enough to http(s) to call it a typo.
fn looks_like_http(scheme: &str) -> bool {
    let lower = scheme.to_ascii_lowercase();
    lower.starts_with('h') && lower.len() <= 6 && lower.contains('t') && lower.contains('p')
}

fn split_port(authority: &str) -> Result<(&str, Option<&str>), ServerError> {
    let (host, port) = match authority.find(']') {
        // `[IPv6]` and `[IPv6]:PORT`: the colons inside the brackets belong to the address.
        Some(end) if authority.starts_with('[') => match authority.split_at(end + 1) {
            (host, "") => return Ok((host, None)),
            (host, after) => match after.strip_prefix(':') {
                Some(port) => (host, port),
                None => {
                    return Err(ServerError::InvalidPort {
                        port: after.to_string(),
                    });
                }
            },
        },
        _ => match authority.rsplit_once(':') {
            Some(split) => split,
            None => return Ok((authority, None)),
        },
    };
    let valid = !port.is_empty()
        && port.len() <= 5
        && port.bytes().all(|b| b.is_ascii_digit())
        && port.parse::<u16>().is_ok_and(|p| p > 0);
    if valid {
        Ok((host, Some(port)))
    } else {
        Err(ServerError::InvalidPort {
            port: port.to_string(),
        })
    }
}

fn is_valid_host(host: &str) -> bool {
    if let Some(address) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        // An IPv6 literal, as image references and the kubelet write it: `[fd00::1]`.
        return address.contains(':')
            && address.len() <= 39
            && address.bytes().all(|b| b.is_ascii_hexdigit() || b == b':');
    }
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

fn check_namespace_path(path: &str, authority: &str) -> Result<(), ServerError> {
    if path.contains('@')
        || path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains(':'))
    {
        return Err(ServerError::ImageReference {
            host: authority.to_string(),
        });
    }
    let valid_component = |c: &str| {
        !c.is_empty()
            && c.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
            })
            && c.as_bytes()[0].is_ascii_alphanumeric()
    };
    if path.split('/').all(valid_component) {
        Ok(())
    } else {
        Err(ServerError::InvalidPath {
            path: path.to_string(),
        })
    }
}

/// One registry's credentials. The password never shows in `Debug`.
#[derive(Clone)]
pub struct Credentials {
    pub username: String,
    pub password: Zeroizing<String>,
    pub email: Option<String>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("email", &self.email)
            .finish()
    }
}

/// Why a username was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsernameError {
    #[error("is empty")]
    Empty,
    #[error("contains ':', which cannot be told apart from the password in the auth field")]
    Colon,
    #[error("contains a control character")]
    Control,
}

/// Checks a registry username the way `docker login` would accept it.
pub fn validate_username(username: &str) -> Result<(), UsernameError> {
    if username.trim().is_empty() {
        Err(UsernameError::Empty)
    } else if username.contains(':') {
        Err(UsernameError::Colon)
    } else if username.chars().any(char::is_control) {
        Err(UsernameError::Control)
    } else {
        Ok(())
    }
}

/// One registry's entry: credentials we were given, or an entry read from an existing secret,
/// kept verbatim (it may hold fields we do not model, such as `identitytoken`).
#[derive(Clone)]
pub enum Entry {
    Credentials(Credentials),
    Existing(Zeroizing<String>),
}

impl fmt::Debug for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Entry::Credentials(c) => c.fmt(f),
            Entry::Existing(_) => f.write_str("Existing(<redacted>)"),
        }
    }
}

/// Why stored `.dockerconfigjson` content could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("is not valid JSON (line {line}, column {column})")]
    Json { line: usize, column: usize },
    #[error("has no \"auths\" object (is it in the legacy .dockercfg layout?)")]
    NoAuths,
    /// `"auths": null`, `[]`, `"..."`: the kubelet reads a null one as no registries, but
    /// there is nothing to merge into.
    #[error("has {found} \"auths\" where an object of registries belongs")]
    AuthsNotAnObject { found: &'static str },
}

/// The content of a `kubernetes.io/dockerconfigjson` secret: registry key → entry.
#[derive(Debug, Clone, Default)]
pub struct DockerConfig {
    auths: BTreeMap<String, Entry>,
}

/// The wire form, in kubectl's field order so the bytes match.
#[derive(Serialize)]
struct WireConfig<'a> {
    auths: BTreeMap<&'a str, WireEntry<'a>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum WireEntry<'a> {
    Credentials(WireCredentials<'a>),
    Existing(&'a serde_json::value::RawValue),
}

#[derive(Serialize)]
struct WireCredentials<'a> {
    #[serde(skip_serializing_if = "str::is_empty")]
    username: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    password: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    email: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    auth: &'a str,
}

/// The read side of the wire form: entries stay raw JSON text.
type RawMap<'a> = BTreeMap<String, &'a serde_json::value::RawValue>;

impl DockerConfig {
    /// An empty config.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the content of an existing secret, keeping every entry as it is.
    pub fn parse(bytes: &[u8]) -> Result<Self, ParseError> {
        let json_error = |e: serde_json::Error| ParseError::Json {
            line: e.line(),
            column: e.column(),
        };
        let mut top: RawMap = serde_json::from_slice(bytes).map_err(json_error)?;
        let auths: RawMap = match top.remove("auths") {
            Some(auths) => {
                serde_json::from_str(auths.get()).map_err(|_| ParseError::AuthsNotAnObject {
                    found: json_kind(auths.get()),
                })?
            }
            // `{}` holds no registries; anything else is another layout we must not drop.
            None if top.is_empty() => BTreeMap::new(),
            None => return Err(ParseError::NoAuths),
        };
        Ok(Self {
            auths: auths
                .into_iter()
                .map(|(key, raw)| (key, Entry::Existing(Zeroizing::new(raw.get().to_owned()))))
                .collect(),
        })
    }

    /// Adds or replaces the credentials for one registry. An entry stored under another
    /// spelling of the same registry (`https://ghcr.io/` for `ghcr.io`) is replaced too.
    pub fn insert(&mut self, key: RegistryKey, credentials: Credentials) {
        self.auths
            .retain(|existing, _| RegistryKey::parse(existing).ok().as_ref() != Some(&key));
        self.auths
            .insert(key.as_str().to_owned(), Entry::Credentials(credentials));
    }

    /// Adds every entry of `other`, replacing entries for the same registries. Of several
    /// spellings of one registry in `other`, the last (in key order) is taken.
    pub fn merge(&mut self, other: &DockerConfig) {
        // A registry is its normalised key. Each key is parsed once, so merging configs of
        // thousands of registries stays fast.
        let incoming: BTreeMap<String, (&String, &Entry)> = other
            .auths
            .iter()
            .map(|(key, entry)| (normalise_key(key), (key, entry)))
            .collect();
        self.auths
            .retain(|existing, _| !incoming.contains_key(&normalise_key(existing)));
        for (key, entry) in incoming.into_values() {
            self.auths.insert(key.clone(), entry.clone());
        }
    }

    /// The registry keys this config holds, sorted.
    pub fn registries(&self) -> impl Iterator<Item = &str> {
        self.auths.keys().map(String::as_str)
    }

    /// True when there is no registry at all.
    pub fn is_empty(&self) -> bool {
        self.auths.is_empty()
    }

    /// True when both configs hold the same registries with the same entry content,
    /// whatever the key order or escaping of their JSON.
    pub fn same_content(&self, other: &DockerConfig) -> bool {
        let as_value = |c: &DockerConfig| {
            serde_json::from_slice::<serde_json::Value>(&c.to_json())
                .ok()
                .map(WipedValue)
        };
        let (a, b) = (as_value(self), as_value(other));
        matches!((a, b), (Some(a), Some(b)) if a.0 == b.0)
    }

    /// Serialises to the `.dockerconfigjson` bytes.
    ///
    /// Go's `encoding/json` escapes `<`, `>`, `&`, U+2028 and U+2029; so do we, so the bytes
    /// equal kubectl's.
    pub fn to_json(&self) -> Zeroizing<Vec<u8>> {
        let auth_fields: Vec<Option<Zeroizing<String>>> = self
            .auths
            .values()
            .map(|entry| match entry {
                Entry::Credentials(c) => Some(basic_auth(&c.username, &c.password)),
                Entry::Existing(_) => None,
            })
            .collect();
        let mut wire = WireConfig {
            auths: BTreeMap::new(),
        };
        for ((key, entry), auth) in self.auths.iter().zip(&auth_fields) {
            let wire_entry = match (entry, auth) {
                (Entry::Credentials(c), Some(auth)) => WireEntry::Credentials(WireCredentials {
                    username: &c.username,
                    password: &c.password,
                    email: c.email.as_deref().unwrap_or(""),
                    auth,
                }),
                (Entry::Existing(raw), _) => match serde_json::from_str(raw) {
                    Ok(raw) => WireEntry::Existing(raw),
                    // Only valid JSON is ever stored as Existing (it came from a parse).
                    Err(_) => continue,
                },
                (Entry::Credentials(_), None) => continue,
            };
            wire.auths.insert(key.as_str(), wire_entry);
        }
        // Sized for the worst case (every byte a six-byte `\uXXXX` escape), so the buffer never
        // grows and leaves a copy of a password behind in freed memory.
        let capacity: usize = 16
            + self
                .auths
                .iter()
                .zip(&auth_fields)
                .map(|((key, entry), auth)| {
                    let content = match entry {
                        Entry::Credentials(c) => {
                            c.username.len()
                                + c.password.len()
                                + c.email.as_deref().map_or(0, str::len)
                        }
                        Entry::Existing(raw) => raw.len(),
                    };
                    6 * (key.len() + content) + auth.as_ref().map_or(0, |a| a.len()) + 64
                })
                .sum::<usize>();
        let mut plain = Zeroizing::new(Vec::with_capacity(capacity));
        // Writing strings and already-valid raw JSON into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *plain, &wire);
        go_html_escape(&plain)
    }
}

/// What [`with_registry_replaced`] did to stored content.
#[derive(Debug, Default)]
pub struct Replaced {
    /// The keys (as written) of the entries that name the registry, in the order they appear.
    pub held: Vec<String>,
    /// Those of them whose credentials differed, and were replaced.
    pub replaced: Vec<String>,
    /// The new content; none when nothing was replaced.
    pub content: Option<Zeroizing<Vec<u8>>>,
}

/// `content` (a `.dockerconfigjson`) with new `credentials` for one registry, and every other
/// byte as it was: other entries, their order and spacing, other top-level fields.
///
/// Every entry whose key names `registry` (any spelling: `https://GHCR.io/` for `ghcr.io`, in
/// every `auths` member the kubelet reads) gets the entry [`DockerConfig::to_json`] writes for
/// `credentials`, unless the kubelet already reads exactly these credentials from it. With no
/// email given, an entry keeps the email it had.
///
/// ```
/// use kubectl_regcred::dockerconfig::{Credentials, RegistryKey, with_registry_replaced};
/// let stored = br#"{"auths":{"quay.io":{"auth":"eDp5"}, "https://GHCR.io/":{"auth":"dTpvbGQ="}}}"#;
/// let new = Credentials { username: "u".into(), password: "new".to_string().into(), email: None };
/// let done = with_registry_replaced(stored, &RegistryKey::parse("ghcr.io").unwrap(), &new).unwrap();
/// assert_eq!(done.replaced, ["https://GHCR.io/"]);
/// assert_eq!(
///     std::str::from_utf8(&done.content.unwrap()).unwrap(),
///     r#"{"auths":{"quay.io":{"auth":"eDp5"}, "https://GHCR.io/":{"username":"u","password":"new","auth":"dTpuZXc="}}}"#,
/// );
/// ```
pub fn with_registry_replaced(
    content: &[u8],
    registry: &RegistryKey,
    credentials: &Credentials,
) -> Result<Replaced, ParseError> {
    let mut done = Replaced::default();
    if content.is_empty() {
        return Ok(done);
    }
    let json_error = |e: serde_json::Error| ParseError::Json {
        line: e.line(),
        column: e.column(),
    };
    let top: stored::Members = serde_json::from_slice(content).map_err(json_error)?;
    let Some(top) = top.0 else {
        return Ok(done);
    };
    // Where each entry to replace sits in `content`, and what goes there.
    let mut splices: Vec<(usize, usize, Zeroizing<Vec<u8>>)> = Vec::new();
    for (name, auths) in &top {
        if !stored::folds_to(name, "auths") {
            continue;
        }
        let entries: stored::Members =
            serde_json::from_str(auths.get()).map_err(|_| ParseError::AuthsNotAnObject {
                found: json_kind(auths.get()),
            })?;
        for (key, raw) in entries.0.iter().flatten() {
            if normalise_key(key) != registry.as_str() {
                continue;
            }
            done.held.push(key.clone());
            let old = stored::decode_entry(key, raw).ok();
            let email = credentials
                .email
                .clone()
                .or_else(|| old.as_ref().and_then(|old| old.email.clone()));
            let holds_them = old.as_ref().is_some_and(|old| {
                old.username == credentials.username
                    && old.password == credentials.password
                    && old.email == email
            });
            if holds_them {
                continue;
            }
            // The raw text borrows from `content`: its address gives its place.
            let start = raw.get().as_ptr() as usize - content.as_ptr() as usize;
            let entry = Credentials {
                email,
                ..credentials.clone()
            };
            splices.push((start, start + raw.get().len(), entry_json(&entry)));
            done.replaced.push(key.clone());
        }
    }
    if splices.is_empty() {
        return Ok(done);
    }
    splices.sort_by_key(|(start, _, _)| *start);
    let size = content.len() + splices.iter().map(|(_, _, new)| new.len()).sum::<usize>();
    let mut out = Zeroizing::new(Vec::with_capacity(size));
    let mut at = 0;
    for (start, end, new) in &splices {
        out.extend_from_slice(&content[at..*start]);
        out.extend_from_slice(new);
        at = *end;
    }
    out.extend_from_slice(&content[at..]);
    done.content = Some(out);
    Ok(done)
}

/// The JSON text of one entry, as [`DockerConfig::to_json`] writes it.
fn entry_json(credentials: &Credentials) -> Zeroizing<Vec<u8>> {
    let auth = basic_auth(&credentials.username, &credentials.password);
    let email = credentials.email.as_deref().unwrap_or("");
    let wire = WireCredentials {
        username: &credentials.username,
        password: &credentials.password,
        email,
        auth: &auth,
    };
    // Sized for the worst case, as in `to_json`, so no copy of the password is left behind.
    let capacity = 6 * (credentials.username.len() + credentials.password.len() + email.len())
        + auth.len()
        + 64;
    let mut plain = Zeroizing::new(Vec::with_capacity(capacity));
    // Writing strings into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *plain, &wire);
    go_html_escape(&plain)
}

/// A parsed JSON value whose strings (passwords, tokens) are wiped when it is dropped.
struct WipedValue(serde_json::Value);

impl Drop for WipedValue {
    fn drop(&mut self) {
        fn wipe(value: &mut serde_json::Value) {
            match value {
                serde_json::Value::String(s) => zeroize::Zeroize::zeroize(s),
                serde_json::Value::Array(items) => items.iter_mut().for_each(wipe),
                serde_json::Value::Object(map) => map.values_mut().for_each(wipe),
                _ => {}
            }
        }
        wipe(&mut self.0);
    }
}

/// Deserialises a JSON string straight into wiped memory (`#[serde(deserialize_with)]`), so
/// a secret is wiped even when a later field fails to parse.
pub fn wiped_string<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Zeroizing<String>, D::Error> {
    <String as serde::Deserialize>::deserialize(deserializer).map(Zeroizing::new)
}

/// [`wiped_string`] for an optional field (use with `#[serde(default)]`).
pub fn wiped_option<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Zeroizing<String>>, D::Error> {
    <Option<String> as serde::Deserialize>::deserialize(deserializer).map(|s| s.map(Zeroizing::new))
}

/// What a JSON value that is not an object is, for a message: "a null", "an array", ...
fn json_kind(raw: &str) -> &'static str {
    match raw.trim_start().as_bytes().first() {
        Some(b'n') => "a null",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        _ => "a number",
    }
}

/// `base64(username:password)`, the `auth` field.
pub fn basic_auth(username: &str, password: &str) -> Zeroizing<String> {
    // Allocated once: a growing String would leave copies behind in freed memory.
    let mut joined = Zeroizing::new(String::with_capacity(username.len() + 1 + password.len()));
    joined.push_str(username);
    joined.push(':');
    joined.push_str(password);
    Zeroizing::new(BASE64.encode(joined.as_bytes()))
}

/// Escapes what Go's `json.Marshal` escapes and serde_json does not. The characters can only
/// occur inside JSON strings, so a plain replacement is exact. The output is allocated once,
/// at its exact size.
fn go_html_escape(json: &[u8]) -> Zeroizing<Vec<u8>> {
    fn escape(c: char) -> Option<&'static str> {
        match c {
            '<' => Some("\\u003c"),
            '>' => Some("\\u003e"),
            '&' => Some("\\u0026"),
            '\u{2028}' => Some("\\u2028"),
            '\u{2029}' => Some("\\u2029"),
            _ => None,
        }
    }
    // serde_json writes UTF-8; anything else would be a bug, and is passed on untouched.
    let Ok(text) = std::str::from_utf8(json) else {
        return Zeroizing::new(json.to_vec());
    };
    let size: usize = text
        .chars()
        .map(|c| escape(c).map_or(c.len_utf8(), str::len))
        .sum();
    let mut out = Zeroizing::new(Vec::with_capacity(size));
    for (i, c) in text.char_indices() {
        match escape(c) {
            Some(escaped) => out.extend_from_slice(escaped.as_bytes()),
            None => out.extend_from_slice(&json[i..i + c.len_utf8()]),
        }
    }
    out
}

/// The forms a secret can take in text: itself, base64 (standard and URL-safe) at each of
/// the three byte alignments (inside `auth` or a whole `.dockerconfigjson`), and the decimal
/// byte list `Debug` prints for `Vec<u8>` and `ByteString`. For the redaction tests of every
/// module that holds a secret.
#[cfg(test)]
pub(crate) fn leak_forms(secret: &str) -> Vec<String> {
    use base64::engine::general_purpose::URL_SAFE;
    let mut forms = vec![secret.to_string()];
    for offset in 0..3 {
        let mut bytes = vec![b'x'; offset];
        bytes.extend_from_slice(secret.as_bytes());
        for encoded in [BASE64.encode(&bytes), URL_SAFE.encode(&bytes)] {
            // Drop the characters that also depend on the neighbouring bytes.
            let start = if offset == 0 { 0 } else { 4 };
            forms.push(encoded[start..encoded.len() - 4].to_string());
        }
    }
    let decimal: Vec<String> = secret.bytes().map(|b| b.to_string()).collect();
    forms.push(decimal.join(", "));
    forms
}

/// Does `text` show `secret` in any of its [`leak_forms`]?
#[cfg(test)]
pub(crate) fn shows_secret(text: &str, secret: &str) -> bool {
    leak_forms(secret)
        .iter()
        .any(|form| text.contains(form.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(user: &str, pass: &str) -> Credentials {
        Credentials {
            username: user.into(),
            password: Zeroizing::new(pass.into()),
            email: None,
        }
    }

    fn key(s: &str) -> String {
        RegistryKey::parse(s)
            .map(|k| k.0)
            .unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn docker_hub_spellings_share_one_key() {
        for spelling in [
            "docker.io",
            "index.docker.io",
            "https://index.docker.io/v1/",
            "https://index.docker.io/v1",
            "DOCKER.IO",
            "registry.hub.docker.com",
        ] {
            assert_eq!(key(spelling), DOCKER_HUB_KEY, "{spelling}");
        }
    }

    /// Issue 16: the kubelet tries only `registry-1.docker.io` keys for images written
    /// `registry-1.docker.io/...`; Docker Hub's key serves `docker.io` images only.
    #[test]
    fn docker_hubs_api_host_has_a_key_of_its_own() {
        for spelling in [
            "registry-1.docker.io",
            "https://registry-1.docker.io/v2/",
            "Registry-1.Docker.IO",
        ] {
            assert_eq!(key(spelling), "registry-1.docker.io", "{spelling}");
        }
        assert_eq!(
            key("registry-1.docker.io/acme"),
            "registry-1.docker.io/acme"
        );
    }

    #[test]
    fn other_registries_are_normalised() {
        let cases = [
            ("ghcr.io", "ghcr.io"),
            ("https://ghcr.io", "ghcr.io"),
            ("https://ghcr.io/", "ghcr.io"),
            ("GHCR.IO", "ghcr.io"),
            ("http://localhost:5000", "localhost:5000"),
            ("10.141.241.175:32000", "10.141.241.175:32000"),
            (
                "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
                "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
            ),
            ("quay.io/acme", "quay.io/acme"),
            ("quay.io/acme/", "quay.io/acme"),
            (
                "europe-docker.pkg.dev/my-project",
                "europe-docker.pkg.dev/my-project",
            ),
            ("myregistry.azurecr.io/v2/", "myregistry.azurecr.io"),
            ("  ghcr.io  ", "ghcr.io"),
            // IPv6 literals, as image references write them (issue 9).
            ("[::1]:5000", "[::1]:5000"),
            ("https://[FD00::1]/v2/", "[fd00::1]"),
            ("[fd00::1]/team", "[fd00::1]/team"),
        ];
        for (input, want) in cases {
            assert_eq!(key(input), want, "{input}");
        }
    }

    #[test]
    fn malformed_servers_are_refused_with_a_reason() {
        let cases = [
            ("", ServerError::Empty),
            (
                "htps://ghcr.io",
                ServerError::MalformedScheme {
                    rest: "ghcr.io".into(),
                },
            ),
            (
                "https//ghcr.io",
                ServerError::MalformedScheme {
                    rest: "ghcr.io".into(),
                },
            ),
            (
                "https:/ghcr.io",
                ServerError::MalformedScheme {
                    rest: "ghcr.io".into(),
                },
            ),
            (
                "ftp://ghcr.io",
                ServerError::UnknownScheme {
                    scheme: "ftp".into(),
                },
            ),
            (
                "ghcr.io/acme/app:1.0",
                ServerError::ImageReference {
                    host: "ghcr.io".into(),
                },
            ),
            (
                "ghcr.io/acme/app@sha256:abc",
                ServerError::ImageReference {
                    host: "ghcr.io".into(),
                },
            ),
            (
                "ghcr.io//acme",
                ServerError::InvalidPath {
                    path: "/acme".into(),
                },
            ),
            (
                "ghcr.io/Acme",
                ServerError::InvalidPath {
                    path: "Acme".into(),
                },
            ),
            (
                "ghcr.io:99999",
                ServerError::InvalidPort {
                    port: "99999".into(),
                },
            ),
            ("ghcr.io:", ServerError::InvalidPort { port: "".into() }),
            (
                "ghcr io",
                ServerError::InvalidHost {
                    host: "ghcr io".into(),
                },
            ),
            (
                "-ghcr.io",
                ServerError::InvalidHost {
                    host: "-ghcr.io".into(),
                },
            ),
            (
                "docker.io/library",
                ServerError::InvalidPath {
                    path: "library".into(),
                },
            ),
            (
                "[::1]5000",
                ServerError::InvalidPort {
                    port: "5000".into(),
                },
            ),
            ("[::1]:0", ServerError::InvalidPort { port: "0".into() }),
            (
                "[ghcr.io]",
                ServerError::InvalidHost {
                    host: "[ghcr.io]".into(),
                },
            ),
            ("::1", ServerError::InvalidHost { host: ":".into() }),
        ];
        for (input, want) in cases {
            assert_eq!(RegistryKey::parse(input), Err(want), "{input:?}");
        }
    }

    #[test]
    fn json_matches_kubectl_layout() {
        let mut config = DockerConfig::new();
        config.insert(RegistryKey::parse("ghcr.io").unwrap(), creds("u", "p"));
        assert_eq!(
            std::str::from_utf8(&config.to_json()).unwrap(),
            r#"{"auths":{"ghcr.io":{"username":"u","password":"p","auth":"dTpw"}}}"#
        );
    }

    #[test]
    fn email_sits_between_password_and_auth_like_kubectl() {
        let mut config = DockerConfig::new();
        let mut c = creds("u", "p");
        c.email = Some("u@example.com".into());
        config.insert(RegistryKey::parse("docker.io").unwrap(), c);
        assert_eq!(
            std::str::from_utf8(&config.to_json()).unwrap(),
            r#"{"auths":{"https://index.docker.io/v1/":{"username":"u","password":"p","email":"u@example.com","auth":"dTpw"}}}"#
        );
    }

    #[test]
    fn html_characters_are_escaped_as_go_does() {
        let mut config = DockerConfig::new();
        config.insert(
            RegistryKey::parse("ghcr.io").unwrap(),
            creds("u", "a<b>&\u{2028}\"\\"),
        );
        let json = String::from_utf8(config.to_json().to_vec()).unwrap();
        assert!(
            json.contains(r#""password":"a\u003cb\u003e\u0026\u2028\"\\""#),
            "{json}"
        );
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed["auths"]["ghcr.io"]["password"], "a<b>&\u{2028}\"\\");
    }

    #[test]
    fn several_registries_sorted_by_key() {
        let mut config = DockerConfig::new();
        config.insert(RegistryKey::parse("quay.io").unwrap(), creds("q", "1"));
        config.insert(RegistryKey::parse("ghcr.io").unwrap(), creds("g", "2"));
        let keys: Vec<_> = config.registries().collect();
        assert_eq!(keys, ["ghcr.io", "quay.io"]);
    }

    #[test]
    fn merging_keeps_other_registries_and_their_exact_fields() {
        let stored = br#"{"auths":{"quay.io":{"auth":"cTox","identitytoken":"tok"},"https://ghcr.io/":{"username":"old","password":"old","auth":"b2xkOm9sZA=="}}}"#;
        let mut config = DockerConfig::parse(stored).unwrap();
        config.insert(RegistryKey::parse("ghcr.io").unwrap(), creds("new", "pw"));
        let json: serde_json::Value = serde_json::from_slice(&config.to_json()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"auths": {
                "quay.io": {"auth": "cTox", "identitytoken": "tok"},
                "ghcr.io": {"username": "new", "password": "pw", "auth": "bmV3OnB3"}
            }})
        );
    }

    #[test]
    fn content_comparison_ignores_key_order_and_escaping() {
        let kubectl_written =
            br#"{"auths":{"ghcr.io":{"username":"u","password":"a\u003cb","auth":"dTphPGI="}}}"#;
        let mut ours = DockerConfig::new();
        ours.insert(RegistryKey::parse("ghcr.io").unwrap(), creds("u", "a<b"));
        assert!(
            DockerConfig::parse(kubectl_written)
                .unwrap()
                .same_content(&ours)
        );
        let reordered =
            br#"{"auths":{"ghcr.io":{"auth":"dTphPGI=","password":"a<b","username":"u"}}}"#;
        assert!(DockerConfig::parse(reordered).unwrap().same_content(&ours));
        ours.insert(RegistryKey::parse("ghcr.io").unwrap(), creds("u", "other"));
        assert!(!DockerConfig::parse(reordered).unwrap().same_content(&ours));
    }

    #[test]
    fn merge_replaces_same_registry_under_any_spelling() {
        let mut base = DockerConfig::parse(
            br#"{"auths":{"docker.io":{"auth":"YTpi"},"ghcr.io":{"auth":"YzpkZA=="}}}"#,
        )
        .unwrap();
        let from =
            DockerConfig::parse(br#"{"auths":{"https://index.docker.io/v1/":{"auth":"eDp5"}}}"#)
                .unwrap();
        base.merge(&from);
        let keys: Vec<_> = base.registries().collect();
        assert_eq!(keys, ["ghcr.io", "https://index.docker.io/v1/"]);
    }

    #[test]
    fn unreadable_content_is_reported_not_dropped() {
        assert!(matches!(
            DockerConfig::parse(b"{not json"),
            Err(ParseError::Json { .. })
        ));
        assert_eq!(
            DockerConfig::parse(br#"{"ghcr.io":{"auth":"eA=="}}"#).unwrap_err(),
            ParseError::NoAuths
        );
        assert!(DockerConfig::parse(b"{}").unwrap().is_empty());
        assert!(DockerConfig::parse(br#"{"auths":{}}"#).unwrap().is_empty());
    }

    /// Issue 16: `{"auths": null}` is valid JSON; the message says what is wrong with it.
    #[test]
    fn auths_that_are_no_object_are_named() {
        for (content, found) in [
            (&br#"{"auths": null}"#[..], "a null"),
            (br#"{"auths":[]}"#, "an array"),
            (br#"{"auths":"ghcr.io"}"#, "a string"),
            (br#"{"auths":1}"#, "a number"),
            (br#"{"auths":true}"#, "a boolean"),
        ] {
            let err = DockerConfig::parse(content).unwrap_err();
            assert_eq!(err, ParseError::AuthsNotAnObject { found });
            assert_eq!(
                err.to_string(),
                format!("has {found} \"auths\" where an object of registries belongs")
            );
        }
    }

    #[test]
    fn debug_of_a_stored_entry_is_redacted() {
        let config =
            DockerConfig::parse(br#"{"auths":{"ghcr.io":{"password":"s3cr3t-sentinel"}}}"#)
                .unwrap();
        assert!(!format!("{config:?}").contains("s3cr3t-sentinel"));
    }

    #[test]
    fn auth_is_base64_of_user_colon_password() {
        assert_eq!(basic_auth("user", "pa:ss").as_str(), "dXNlcjpwYTpzcw==");
    }

    #[test]
    fn debug_never_shows_the_password() {
        let shown = format!("{:?}", creds("alice", "s3cr3t-sentinel"));
        assert!(!shown.contains("s3cr3t-sentinel"), "{shown}");
        assert!(shown.contains("redacted"));
    }

    const REDACTION_SENTINEL: &str = "Unit-Sentinel-Pa55word-0b7e41d2";

    #[test]
    fn the_leak_check_finds_every_form_it_looks_for() {
        let json = {
            let mut config = DockerConfig::new();
            config.insert(
                RegistryKey::parse("ghcr.io").unwrap(),
                creds("u", REDACTION_SENTINEL),
            );
            config.to_json()
        };
        let text = std::str::from_utf8(&json).unwrap();
        assert!(shows_secret(text, REDACTION_SENTINEL));
        assert!(
            shows_secret(&BASE64.encode(text), REDACTION_SENTINEL),
            "the whole JSON, encoded"
        );
        assert!(
            shows_secret(&basic_auth("u", REDACTION_SENTINEL), REDACTION_SENTINEL),
            "the auth field"
        );
        assert!(shows_secret(
            &format!("{:?}", REDACTION_SENTINEL.as_bytes()),
            REDACTION_SENTINEL
        ));
        assert!(!shows_secret(text, "Another-Sentinel-9c2f1a"));
    }

    #[test]
    fn debug_of_every_type_holding_a_secret_is_redacted() {
        let mut with_email = creds("alice", REDACTION_SENTINEL);
        with_email.email = Some("a@example.com".into());
        let mut config = DockerConfig::new();
        config.insert(RegistryKey::parse("ghcr.io").unwrap(), with_email.clone());
        let stored = DockerConfig::parse(&config.to_json()).unwrap();
        let desired = crate::cluster::secrets::DesiredSecret {
            name: "regcred".into(),
            config: config.clone(),
            ..Default::default()
        };
        let shown = [
            format!("{with_email:?}"),
            format!("{:?}", Entry::Credentials(with_email.clone())),
            format!("{:?}", stored.auths["ghcr.io"]),
            format!("{config:?}"),
            format!("{stored:?}"),
            format!("{desired:?}"),
            format!("{:?}", basic_auth("alice", REDACTION_SENTINEL)),
            format!("{:?}", config.to_json()),
        ];
        for text in shown {
            assert!(!shows_secret(&text, REDACTION_SENTINEL), "{text}");
        }
    }

    #[test]
    fn secrets_deserialise_straight_into_wiped_memory() {
        #[derive(serde::Deserialize)]
        struct Wire {
            #[serde(default, deserialize_with = "wiped_string")]
            password: Zeroizing<String>,
            #[serde(default, deserialize_with = "wiped_option")]
            token: Option<Zeroizing<String>>,
        }
        let entry: Wire = serde_json::from_str(r#"{"password":"p\u003c","token":"t"}"#).unwrap();
        assert_eq!(
            (
                entry.password.as_str(),
                entry.token.as_deref().map(String::as_str)
            ),
            ("p<", Some("t"))
        );
        let entry: Wire = serde_json::from_str(r#"{"token":null}"#).unwrap();
        assert!(entry.password.is_empty() && entry.token.is_none());
    }

    #[test]
    fn the_json_is_built_in_one_allocation_of_its_exact_size() {
        let mut config = DockerConfig::new();
        config.insert(
            RegistryKey::parse("ghcr.io").unwrap(),
            creds("u", "a<b>&\u{2028}c"),
        );
        config.insert(
            RegistryKey::parse("quay.io").unwrap(),
            creds("\u{1}", "plain"),
        );
        let json = config.to_json();
        assert_eq!(json.capacity(), json.len());
        assert!(DockerConfig::parse(&json).unwrap().same_content(&config));
    }

    #[test]
    fn usernames_are_checked() {
        assert_eq!(validate_username(""), Err(UsernameError::Empty));
        assert_eq!(validate_username("  "), Err(UsernameError::Empty));
        assert_eq!(validate_username("a:b"), Err(UsernameError::Colon));
        assert_eq!(validate_username("a\nb"), Err(UsernameError::Control));
        assert_eq!(validate_username("_json_key"), Ok(()));
    }

    // -----------------------------------------------------------------------------------------
    // Hostile input (issue 9): property tests over arbitrary and adversarial text and bytes.

    use proptest::prelude::*;

    use super::hostile::{self, SENTINEL};

    /// The `auths` object of serialised content.
    fn auths_of(json: &[u8]) -> serde_json::Map<String, serde_json::Value> {
        let value: serde_json::Value = serde_json::from_slice(json).expect("to_json writes JSON");
        value["auths"]
            .as_object()
            .cloned()
            .expect("an auths object")
    }

    /// Content as a secret stores it: `{"auths": {key: {"auth": value}}}`.
    fn stored(entries: &BTreeMap<String, String>) -> DockerConfig {
        let auths: serde_json::Map<String, serde_json::Value> = entries
            .iter()
            .map(|(key, auth)| (key.clone(), serde_json::json!({ "auth": auth })))
            .collect();
        let text = serde_json::json!({ "auths": auths }).to_string();
        DockerConfig::parse(text.as_bytes()).expect("valid content")
    }

    proptest! {
        #![proptest_config(hostile::config(1024))]

        #[test]
        fn registry_keys_are_idempotent_and_never_longer_than_typed(
            input in hostile::host_or_hostile(),
        ) {
            match RegistryKey::parse(&input) {
                Ok(key) => {
                    prop_assert_eq!(RegistryKey::parse(key.as_str()), Ok(key.clone()));
                    let s = key.as_str();
                    prop_assert!(s.is_ascii() && !s.contains(char::is_whitespace), "{s:?}");
                    prop_assert!(key.is_docker_hub() || !(s.contains("://") || s.ends_with('/')));
                    prop_assert!(s.len() <= input.len().max(DOCKER_HUB_KEY.len()));
                }
                // The reason quotes at most (twice) what was typed.
                Err(reason) => prop_assert!(reason.to_string().len() <= 2 * input.len() + 120),
            }
        }

        #[test]
        fn every_spelling_of_a_registry_gets_its_key(
            authority in hostile::valid_authority(),
            scheme in prop::sample::select(vec!["", "https://", "http://", "HTTPS://", "Http://"]),
            suffix in prop::sample::select(vec!["", "/", "/v1", "/v1/", "/v2", "/v2/"]),
            upper in any::<bool>(),
            padding in prop::sample::select(vec!["", " ", "\t", " \n"]),
        ) {
            let plain = RegistryKey::parse(&authority);
            prop_assert!(plain.is_ok(), "{authority}: {plain:?}");
            let cased = if upper { authority.to_ascii_uppercase() } else { authority.clone() };
            let spelled = format!("{padding}{scheme}{cased}{suffix}{padding}");
            prop_assert_eq!(RegistryKey::parse(&spelled), plain, "{:?}", spelled);
        }
    }

    proptest! {
        #![proptest_config(hostile::config(256))]

        #[test]
        fn stored_content_never_panics_and_serialises_to_a_fixpoint(
            bytes in hostile::config_bytes(),
        ) {
            match DockerConfig::parse(&bytes) {
                Ok(config) => {
                    let json = config.to_json();
                    let again = DockerConfig::parse(&json);
                    prop_assert!(again.is_ok(), "{again:?}");
                    let again = again.unwrap();
                    prop_assert!(again.registries().eq(config.registries()));
                    prop_assert_eq!(&again.to_json()[..], &json[..]);
                    // Go's escaping turns one byte into at most six.
                    prop_assert!(json.len() <= 6 * bytes.len() + 16);
                    let shown = format!("{config:?}");
                    prop_assert!(!shown.contains(SENTINEL));
                }
                Err(reason) => prop_assert!(!reason.to_string().contains(SENTINEL)),
            }
        }

        #[test]
        fn written_credentials_read_back_the_same_everywhere(
            entries in prop::collection::vec(
                (
                    hostile::valid_authority(),
                    hostile::username(),
                    hostile::password(),
                    proptest::option::of(hostile::hostile_text()),
                ),
                1..8,
            ),
        ) {
            let mut config = DockerConfig::new();
            let mut want = BTreeMap::new();
            for (server, username, password, email) in entries {
                let key = RegistryKey::parse(&server);
                prop_assert!(key.is_ok(), "{server}: {key:?}");
                let key = key.unwrap();
                let shown_email = email.clone().filter(|e| !e.is_empty());
                want.insert(key.as_str().to_string(), (username.clone(), password.clone(), shown_email));
                config.insert(key, Credentials { username, password: Zeroizing::new(password), email });
            }
            let json = config.to_json();
            let auths = auths_of(&json);
            prop_assert!(auths.keys().eq(want.keys()));
            let read = stored::StoredConfig::decode(stored::Layout::DockerConfigJson, &json)
                .expect("valid JSON");
            prop_assert!(read.unreadable().is_none());
            for (key, (username, password, email)) in &want {
                let entry = &auths[key];
                prop_assert_eq!(entry["username"].as_str(), Some(username.as_str()));
                prop_assert_eq!(entry["password"].as_str(), Some(password.as_str()));
                prop_assert_eq!(entry["email"].as_str(), email.as_deref());
                let auth = BASE64.decode(entry["auth"].as_str().unwrap_or_default());
                prop_assert_eq!(auth.ok(), Some(format!("{username}:{password}").into_bytes()));
                // The kubelet's reading of the same bytes (`stored`) agrees.
                let kubelet = read.entries().iter().find(|e| &e.key == key).and_then(|e| e.credentials());
                prop_assert_eq!(
                    kubelet.map(|c| (c.username.as_str(), c.password.as_str())),
                    Some((username.as_str(), password.as_str()))
                );
            }
            prop_assert!(DockerConfig::parse(&json).unwrap().same_content(&config));
            let shown = format!("{config:?}");
            prop_assert!(!shown.contains(SENTINEL));
        }

        #[test]
        fn merging_keeps_one_entry_per_registry_and_every_other_entry(
            ours in prop::collection::btree_map(hostile::host_or_hostile(), hostile::hostile_text(), 0..8),
            theirs in prop::collection::btree_map(hostile::host_or_hostile(), hostile::hostile_text(), 0..8),
        ) {
            let mut merged = stored(&ours);
            merged.merge(&stored(&theirs));
            // Theirs win, the last of several spellings of one registry among them; ours stay
            // where theirs do not name the same registry.
            let mut incoming: BTreeMap<String, (&String, &String)> = BTreeMap::new();
            for (key, auth) in &theirs {
                incoming.insert(normalise_key(key), (key, auth));
            }
            let mut want: BTreeMap<&String, &String> = ours
                .iter()
                .filter(|(key, _)| !incoming.contains_key(&normalise_key(key)))
                .collect();
            want.extend(incoming.values().copied());
            let auths = auths_of(&merged.to_json());
            let got: BTreeMap<&String, &str> = auths
                .iter()
                .map(|(key, entry)| (key, entry["auth"].as_str().unwrap_or("<not a string>")))
                .collect();
            let want: BTreeMap<&String, &str> = want.into_iter().map(|(k, v)| (k, v.as_str())).collect();
            prop_assert_eq!(got, want);
            for registry in incoming.keys() {
                let spellings = merged.registries().filter(|key| normalise_key(key) == *registry).count();
                prop_assert_eq!(spellings, 1, "{}", registry);
            }
        }
    }

    #[test]
    fn issue_9_ipv6_registries_get_a_key_that_serves_their_images() {
        let key = RegistryKey::parse("https://[FD00::1]:5000/").unwrap();
        assert_eq!(key.as_str(), "[fd00::1]:5000");
        let image = crate::registry::ImageRef::parse("[fd00::1]:5000/team/app:1").unwrap();
        assert_eq!(
            crate::registry::matching_keys(&image, [key.as_str()]),
            [key.as_str()]
        );
    }

    #[test]
    fn deep_nesting_and_numbers_beyond_f64_are_kept_or_refused_without_overflow() {
        let depth = 50_000;
        let deep_array = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let deep_object = format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
        for entry in [
            deep_array.as_str(),
            &deep_object,
            "1e400",
            "-123456789012345678901234567890",
        ] {
            let text = format!(r#"{{"auths":{{"ghcr.io":{entry},"quay.io":{{"auth":"cTox"}}}}}}"#);
            let config = DockerConfig::parse(text.as_bytes()).expect("an entry is kept verbatim");
            let json = config.to_json();
            assert!(json.len() >= entry.len());
            assert!(
                DockerConfig::parse(&json)
                    .unwrap()
                    .registries()
                    .eq(["ghcr.io", "quay.io"])
            );
            // JSON a Value cannot hold compares as different content, never as a crash.
            let _ = config.same_content(&config);
        }
        for top in [
            deep_array.clone(),
            format!(r#"{{"auths":{deep_array}}}"#),
            deep_object,
        ] {
            assert!(
                DockerConfig::parse(top.as_bytes()).is_err(),
                "{}",
                &top[..40]
            );
        }
    }

    #[test]
    fn a_thousand_registries_parse_merge_and_serialise_correctly() {
        let host = |i: usize| format!("registry-{i:04}.example.com");
        let ours: serde_json::Map<String, serde_json::Value> = (0..1000)
            .map(|i| {
                let entry = serde_json::json!({ "username": format!("user{i}"), "password": format!("old{i}") });
                (host(i), entry)
            })
            .collect();
        let ours = serde_json::json!({ "auths": ours }).to_string();
        let mut ours = DockerConfig::parse(ours.as_bytes()).unwrap();
        assert_eq!(ours.registries().count(), 1000);
        // One more through `insert`, which replaces its registry under any spelling.
        ours.insert(
            RegistryKey::parse("HTTPS://Registry-0007.example.com/").unwrap(),
            creds("user7", "old7"),
        );
        // Theirs: the upper half again, spelled as URLs with new passwords, and 500 more.
        let theirs: serde_json::Map<String, serde_json::Value> = (500..1500)
            .map(|i| {
                let auth = basic_auth(&format!("user{i}"), &format!("new{i}"));
                (
                    format!("https://{}/", host(i)),
                    serde_json::json!({ "auth": *auth }),
                )
            })
            .collect();
        let theirs = serde_json::json!({ "auths": theirs }).to_string();
        ours.merge(&DockerConfig::parse(theirs.as_bytes()).unwrap());
        let json = ours.to_json();
        let auths = auths_of(&json);
        assert_eq!(auths.len(), 1500);
        for i in 0..500 {
            assert_eq!(auths[&host(i)]["password"], format!("old{i}"));
        }
        for i in 500..1500 {
            assert!(!auths.contains_key(&host(i)));
            let auth = auths[&format!("https://{}/", host(i))]["auth"]
                .as_str()
                .unwrap();
            assert_eq!(
                auth,
                basic_auth(&format!("user{i}"), &format!("new{i}")).as_str()
            );
        }
        let read = DockerConfig::parse(&json).unwrap();
        assert_eq!(read.registries().count(), 1500);
        assert!(read.same_content(&ours));
    }

    fn replaced(content: &str, registry: &str, credentials: &Credentials) -> Replaced {
        with_registry_replaced(
            content.as_bytes(),
            &RegistryKey::parse(registry).unwrap(),
            credentials,
        )
        .unwrap()
    }

    fn text(done: &Replaced) -> &str {
        std::str::from_utf8(done.content.as_ref().expect("a new content")).unwrap()
    }

    /// The entry `to_json` writes for these credentials alone.
    fn written_entry(credentials: &Credentials) -> String {
        let mut config = DockerConfig::new();
        config.insert(RegistryKey::parse("r.io").unwrap(), credentials.clone());
        let json = String::from_utf8(config.to_json().to_vec()).unwrap();
        json.strip_prefix(r#"{"auths":{"r.io":"#)
            .and_then(|rest| rest.strip_suffix("}}"))
            .unwrap()
            .to_string()
    }

    #[test]
    fn rotating_one_registry_keeps_every_other_byte() {
        let stored = "{\n  \"auths\": {\n    \"quay.io\": {\"auth\": \"eDp5\", \"identitytoken\": \"t<\"},\n    \"ghcr.io\": {\"username\": \"u\", \"password\": \"old\"},\n    \"quay.io/acme\": {\"auth\":\"YTpi\"}\n  },\n  \"HttpHeaders\": {\"X\": \"1\"}\n}";
        let new = creds("u", "n&w<");
        let done = replaced(stored, "ghcr.io", &new);
        assert_eq!(done.held, ["ghcr.io"]);
        assert_eq!(done.replaced, ["ghcr.io"]);
        let old_entry = r#"{"username": "u", "password": "old"}"#;
        assert_eq!(text(&done), stored.replace(old_entry, &written_entry(&new)));
        // What the kubelet reads: the new password for ghcr.io, the rest as it was.
        let read = stored::StoredConfig::decode(
            stored::Layout::DockerConfigJson,
            done.content.as_ref().unwrap(),
        )
        .unwrap();
        let ghcr = read.entries().iter().find(|e| e.key == "ghcr.io").unwrap();
        assert_eq!(ghcr.credentials().unwrap().password.as_str(), "n&w<");
    }

    #[test]
    fn every_spelling_of_the_registry_in_every_auths_is_rotated() {
        let stored = r#"{"auths":{"https://GHCR.io/":{"auth":"dTpvbGQ="},"ghcr.io":{"auth":"dTpvbGQ="},"ghcr.io/acme":{"auth":"dTpvbGQ="}},"Auths":{"ghcr.io":{"auth":"dTpvbGQ="}}}"#;
        let done = replaced(stored, "ghcr.io", &creds("u", "new"));
        assert_eq!(done.held, ["https://GHCR.io/", "ghcr.io", "ghcr.io"]);
        assert_eq!(done.replaced.len(), 3);
        let entry = written_entry(&creds("u", "new"));
        let want = format!(
            r#"{{"auths":{{"https://GHCR.io/":{entry},"ghcr.io":{entry},"ghcr.io/acme":{{"auth":"dTpvbGQ="}}}},"Auths":{{"ghcr.io":{entry}}}}}"#
        );
        assert_eq!(text(&done), want, "a key with a path is another registry");
    }

    #[test]
    fn an_entry_that_holds_the_credentials_already_is_not_written() {
        // `auth` decodes to u:new, whatever username and password say.
        let stored = r#"{"auths":{"ghcr.io":{"username":"x","password":"y","auth":"dTpuZXc="}}}"#;
        let done = replaced(stored, "ghcr.io", &creds("u", "new"));
        assert_eq!((done.held.len(), done.replaced.len()), (1, 0));
        assert!(done.content.is_none());
        let other_user = replaced(stored, "ghcr.io", &creds("v", "new"));
        assert_eq!(
            other_user.replaced,
            ["ghcr.io"],
            "a new username is a change"
        );
    }

    #[test]
    fn a_stored_email_stays_unless_another_is_given() {
        let stored = r#"{"auths":{"ghcr.io":{"email":"a@b.c","auth":"dTpvbGQ="}}}"#;
        let done = replaced(stored, "ghcr.io", &creds("u", "new"));
        assert!(
            text(&done).contains(r#""email":"a@b.c""#),
            "{}",
            text(&done)
        );
        let mut with_email = creds("u", "new");
        with_email.email = Some("d@e.f".into());
        let done = replaced(stored, "ghcr.io", &with_email);
        assert!(
            text(&done).contains(r#""email":"d@e.f""#),
            "{}",
            text(&done)
        );
        // The same password with the email it has: nothing to write.
        let again = replaced(text(&done), "ghcr.io", &creds("u", "new"));
        assert!(again.content.is_none());
    }

    #[test]
    fn a_secret_without_the_registry_holds_nothing_to_rotate() {
        for stored in [
            "",
            "null",
            "{}",
            r#"{"auths":{}}"#,
            r#"{"auths":{"quay.io":{"auth":"eDp5"}}}"#,
        ] {
            let done = replaced(stored, "ghcr.io", &creds("u", "new"));
            assert!(done.held.is_empty() && done.content.is_none(), "{stored}");
        }
    }

    #[test]
    fn an_unreadable_entry_of_the_registry_is_replaced_and_bad_content_refused() {
        let stored = r#"{"auths":{"ghcr.io":{"auth":"%%%"},"quay.io":7}}"#;
        let done = replaced(stored, "ghcr.io", &creds("u", "new"));
        assert_eq!(done.replaced, ["ghcr.io"]);
        assert!(text(&done).ends_with(r#","quay.io":7}}"#));
        let key = RegistryKey::parse("ghcr.io").unwrap();
        for bad in ["{oops", r#"{"auths":[]}"#] {
            assert!(
                with_registry_replaced(bad.as_bytes(), &key, &creds("u", "p")).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn debug_of_what_was_replaced_never_shows_the_password() {
        let done = replaced(
            r#"{"auths":{"ghcr.io":{}}}"#,
            "ghcr.io",
            &creds("u", "Sentinel-9f2"),
        );
        assert!(!shows_secret(&format!("{done:?}"), "Sentinel-9f2"));
    }
}
