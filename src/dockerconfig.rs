//! The `.dockerconfigjson` model: registry keys, credentials and their JSON form.
//!
//! Pure: no I/O, no cluster. The JSON written here is byte-for-byte what
//! `kubectl create secret docker-registry` writes for the same inputs, so a secret made by
//! either tool compares equal.

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::Serialize;
use zeroize::Zeroizing;

/// The key Docker Hub credentials live under, as `docker login` and kubectl write it.
pub const DOCKER_HUB_KEY: &str = "https://index.docker.io/v1/";

/// Host names that all mean Docker Hub.
const DOCKER_HUB_ALIASES: &[&str] = &[
    "docker.io",
    "index.docker.io",
    "registry-1.docker.io",
    "registry.hub.docker.com",
    "hub.docker.com",
];

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
/// lower-cased, and every spelling of Docker Hub becomes [`DOCKER_HUB_KEY`]. A path is kept
/// when it names a repository namespace (`quay.io/acme`), because the kubelet matches such keys
/// against image names by prefix.
///
/// ```
/// use kubectl_regcred::dockerconfig::RegistryKey;
/// assert_eq!(RegistryKey::parse("docker.io").unwrap().as_str(), "https://index.docker.io/v1/");
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
        if port.is_none() && (DOCKER_HUB_ALIASES.contains(&host.as_str())) {
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
    match authority.rsplit_once(':') {
        Some((host, port)) => {
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
        None => Ok((authority, None)),
    }
}

fn is_valid_host(host: &str) -> bool {
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
            Some(auths) => serde_json::from_str(auths.get()).map_err(json_error)?,
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

    /// Adds every entry of `other`, replacing entries for the same registries.
    pub fn merge(&mut self, other: &DockerConfig) {
        for (key, entry) in &other.auths {
            match RegistryKey::parse(key) {
                Ok(normalised) => self.auths.retain(|existing, _| {
                    RegistryKey::parse(existing).ok() != Some(normalised.clone())
                }),
                Err(_) => {
                    self.auths.remove(key);
                }
            }
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
        let as_value =
            |c: &DockerConfig| serde_json::from_slice::<serde_json::Value>(&c.to_json()).ok();
        let (a, b) = (as_value(self), as_value(other));
        a.is_some() && a == b
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
        // Serialising strings and already-valid raw JSON into a String cannot fail.
        let plain = Zeroizing::new(serde_json::to_string(&wire).unwrap_or_default());
        Zeroizing::new(go_html_escape(&plain).into_bytes())
    }
}

/// `base64(username:password)`, the `auth` field.
pub fn basic_auth(username: &str, password: &str) -> Zeroizing<String> {
    let joined = Zeroizing::new(format!("{username}:{password}"));
    Zeroizing::new(BASE64.encode(joined.as_bytes()))
}

/// Escapes what Go's `json.Marshal` escapes and serde_json does not. The characters can only
/// occur inside JSON strings, so a plain replacement is exact.
fn go_html_escape(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
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
            "registry-1.docker.io",
            "https://index.docker.io/v1/",
            "https://index.docker.io/v1",
            "https://registry-1.docker.io/v2/",
            "DOCKER.IO",
            "registry.hub.docker.com",
        ] {
            assert_eq!(key(spelling), DOCKER_HUB_KEY, "{spelling}");
        }
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

    #[test]
    fn usernames_are_checked() {
        assert_eq!(validate_username(""), Err(UsernameError::Empty));
        assert_eq!(validate_username("  "), Err(UsernameError::Empty));
        assert_eq!(validate_username("a:b"), Err(UsernameError::Colon));
        assert_eq!(validate_username("a\nb"), Err(UsernameError::Control));
        assert_eq!(validate_username("_json_key"), Ok(()));
    }
}
