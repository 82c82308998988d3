//! A stored pull secret's entries, read as the kubelet reads them: the one decoder of
//! `.dockerconfigjson` and legacy `.dockercfg` content that `status`, `diagnose`, `refresh` and
//! the registry probe share. Pure.
//!
//! The kubelet's rules (`pkg/credentialprovider`: `MakeDockerKeyring` and
//! `DockerConfigEntry.UnmarshalJSON`), which this follows:
//! - a `kubernetes.io/dockerconfigjson` secret is read from `.dockerconfigjson`, its registries
//!   under `auths`; a `kubernetes.io/dockercfg` secret from `.dockercfg`, its registries at the
//!   top level. Empty content holds no registry; so does `null`.
//! - names match as Go's `encoding/json` matches struct fields: case-insensitively
//!   (`Username`, `AUTH`, `Auths`); a later duplicate wins; `null` leaves a field as it was;
//!   unknown fields (`identitytoken`) are skipped unread.
//! - a non-empty `auth` is base64 of `USER:PASSWORD` (padded when it ends in `=`, else unpadded;
//!   `\r` and `\n` ignored), split at the first colon, and it **replaces** `username` and
//!   `password`; `email` stays.
//! - content that is not JSON, registries that are not an object, `HttpHeaders` that are not
//!   an object of strings, an entry that is not an object, a field that is not a string or an
//!   `auth` that does not decode make the whole secret unreadable: the kubelet then fails every
//!   pull of a pod that lists it.
//!
//! Where this differs: bytes that are not UTF-8 (in the JSON text, or in a decoded `auth`) are
//! unreadable here, where Go would pass them on or replace them; so is JSON nested deeper than
//! serde_json's 128 levels (Go's limit is 10,000).
//!
//! ```
//! use kubectl_regcred::dockerconfig::stored::{Layout, StoredConfig};
//! // `auth` is base64("kubelet-user:p2"): it wins over `username` and `password`.
//! let content = br#"{"auths":{"https://GHCR.io/":{"username":"shown","password":"p1","auth":"a3ViZWxldC11c2VyOnAy"}}}"#;
//! let config = StoredConfig::decode(Layout::DockerConfigJson, content).unwrap();
//! let entry = &config.entries()[0];
//! assert_eq!((entry.key.as_str(), entry.registry.as_str()), ("https://GHCR.io/", "ghcr.io"));
//! let sent = entry.credentials().unwrap();
//! assert_eq!((sent.username.as_str(), sent.password.as_str()), ("kubelet-user", "p2"));
//! ```

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use k8s_openapi::api::core::v1::Secret;
use serde::de::{self, Deserialize, Deserializer, MapAccess};
use serde_json::value::RawValue;
use zeroize::Zeroizing;

use super::{Credentials, normalise_key};

/// The secret type whose `.dockerconfigjson` the kubelet reads pull credentials from.
pub const DOCKERCONFIGJSON_TYPE: &str = "kubernetes.io/dockerconfigjson";
/// The legacy secret type whose `.dockercfg` the kubelet reads pull credentials from.
pub const DOCKERCFG_TYPE: &str = "kubernetes.io/dockercfg";

/// Go's `base64.StdEncoding`: padding required; bits after the last byte ignored (Go's
/// encodings are not strict).
const GO_STD_ENCODING: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
);
/// Go's `base64.RawStdEncoding`: no padding.
const GO_RAW_STD_ENCODING: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone),
);

/// The fields of an entry the kubelet reads, as Go names them.
const FIELDS: [&str; 4] = ["username", "password", "email", "auth"];

/// The two layouts a pull secret's content comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `.dockerconfigjson`: `{"auths": {KEY: ENTRY, ...}}`.
    DockerConfigJson,
    /// The legacy `.dockercfg`: `{KEY: ENTRY, ...}`.
    DockerCfg,
}

impl Layout {
    /// The layout the kubelet reads a secret of this type in; none for other types, whose
    /// content it never reads.
    pub fn of_type(secret_type: &str) -> Option<Self> {
        match secret_type {
            DOCKERCONFIGJSON_TYPE => Some(Layout::DockerConfigJson),
            DOCKERCFG_TYPE => Some(Layout::DockerCfg),
            _ => None,
        }
    }

    /// The secret type of this layout.
    pub const fn secret_type(self) -> &'static str {
        match self {
            Layout::DockerConfigJson => DOCKERCONFIGJSON_TYPE,
            Layout::DockerCfg => DOCKERCFG_TYPE,
        }
    }

    /// The key of the secret's data that holds the content.
    pub const fn data_key(self) -> &'static str {
        match self {
            Layout::DockerConfigJson => ".dockerconfigjson",
            Layout::DockerCfg => ".dockercfg",
        }
    }

    /// The content a secret holds in this layout (whatever its type): the bytes under the
    /// layout's data key, empty when there are none.
    pub fn content_of(self, secret: &Secret) -> &[u8] {
        secret
            .data
            .as_ref()
            .and_then(|data| data.get(self.data_key()))
            .map_or(&[][..], |bytes| bytes.0.as_slice())
    }
}

/// Why the kubelet cannot read a pull secret: it then fails every pull of a pod that lists
/// it. Names the entry's key, never its content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unreadable {
    #[error("the {data_key} is not valid JSON (line {line}, column {column})")]
    Json {
        data_key: &'static str,
        line: usize,
        column: usize,
    },
    #[error("the {data_key} is not a JSON object of registries")]
    NotRegistries { data_key: &'static str },
    #[error("the {data_key} has \"HttpHeaders\" that are not a JSON object of strings")]
    BadHttpHeaders { data_key: &'static str },
    #[error("the entry for {key:?} is not a JSON object")]
    NotAnObject { key: String },
    #[error("the entry for {key:?} has a {field:?} field that is not a string")]
    NotAString { key: String, field: &'static str },
    #[error("the entry for {key:?} has an \"auth\" field that is not base64 of USER:PASSWORD")]
    BadAuth { key: String },
}

/// One registry entry of a stored pull secret. `Debug` shows no password.
#[derive(Debug, Clone)]
pub struct StoredEntry {
    /// The key as written in the secret (`https://index.docker.io/v1/`, `GHCR.io`).
    pub key: String,
    /// The key normalised ([`crate::dockerconfig::RegistryKey`]), or the key as written when it
    /// names no registry (`*.azurecr.io`).
    pub registry: String,
    /// What the kubelet reads from the entry (with `auth` decoded into username and password),
    /// or why it cannot.
    pub read: Result<Credentials, Unreadable>,
}

impl StoredEntry {
    /// The credentials the entry holds; none when it holds neither username nor password (the
    /// runtime then pulls anonymously with it) or cannot be read.
    pub fn credentials(&self) -> Option<&Credentials> {
        self.read
            .as_ref()
            .ok()
            .filter(|c| !(c.username.is_empty() && c.password.is_empty()))
    }
}

/// The entries of a stored pull secret, in key order, one per key.
#[derive(Debug, Clone, Default)]
pub struct StoredConfig {
    entries: Vec<StoredEntry>,
}

impl StoredConfig {
    /// Reads stored content in `layout`. An error is about the content as a whole; an entry
    /// that cannot be read is kept with its reason ([`StoredEntry::read`]), so its key is still
    /// known.
    pub fn decode(layout: Layout, bytes: &[u8]) -> Result<Self, Unreadable> {
        // The kubelet skips empty content, as if the secret held no registry.
        if bytes.is_empty() {
            return Ok(Self::default());
        }
        let data_key = layout.data_key();
        let unreadable = |err: serde_json::Error| match err.classify() {
            serde_json::error::Category::Data => Unreadable::NotRegistries { data_key },
            _ => Unreadable::Json {
                data_key,
                line: err.line(),
                column: err.column(),
            },
        };
        let top = serde_json::from_slice::<Members>(bytes).map_err(unreadable)?;
        let mut raw: BTreeMap<String, &RawValue> = BTreeMap::new();
        match layout {
            Layout::DockerCfg => raw.extend(top.0.into_iter().flatten()),
            Layout::DockerConfigJson => {
                for (name, value) in top.0.into_iter().flatten() {
                    if folds_to(&name, "auths") {
                        // Go decodes a second `auths` into the map of the first: they add up.
                        let auths = serde_json::from_str::<Members>(value.get());
                        raw.extend(auths.map_err(unreadable)?.0.into_iter().flatten());
                    } else if folds_to(&name, "httpheaders") && !are_headers(value) {
                        return Err(Unreadable::BadHttpHeaders { data_key });
                    }
                }
            }
        }
        let entries = raw
            .into_iter()
            .map(|(key, value)| StoredEntry {
                registry: normalise_key(&key),
                read: decode_entry(&key, value),
                key,
            })
            .collect();
        Ok(Self { entries })
    }

    /// The content of a pull secret as the kubelet reads it: none for a secret of another type
    /// (the kubelet never reads it); no registry when the secret has no content.
    pub fn of_secret(secret: &Secret) -> Option<Result<Self, Unreadable>> {
        let layout = Layout::of_type(secret.type_.as_deref()?)?;
        Some(Self::decode(layout, layout.content_of(secret)))
    }

    /// Every entry, in key order.
    pub fn entries(&self) -> &[StoredEntry] {
        &self.entries
    }

    /// Every entry, in key order, taken out.
    pub fn into_entries(self) -> Vec<StoredEntry> {
        self.entries
    }

    /// The keys as written, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.key.as_str())
    }

    /// The first entry the kubelet cannot read, which makes it refuse the whole secret.
    pub fn unreadable(&self) -> Option<&Unreadable> {
        self.entries.iter().find_map(|e| e.read.as_ref().err())
    }

    /// Every entry with the credentials the kubelet sends for it: none for an entry without
    /// any, and none for every entry of a secret it cannot read ([`Self::unreadable`]).
    pub fn sent(&self) -> impl Iterator<Item = (&StoredEntry, Option<&Credentials>)> {
        let readable = self.unreadable().is_none();
        self.entries
            .iter()
            .map(move |entry| (entry, entry.credentials().filter(|_| readable)))
    }
}

/// One entry, as `DockerConfigEntry.UnmarshalJSON` reads it. Secrets are held in wiped memory
/// from the moment they are parsed, also when a later field fails.
pub(super) fn decode_entry(key: &str, raw: &RawValue) -> Result<Credentials, Unreadable> {
    let members =
        serde_json::from_str::<Members>(raw.get()).map_err(|_| Unreadable::NotAnObject {
            key: key.to_string(),
        })?;
    let mut values: [Zeroizing<String>; 4] = Default::default();
    for (name, value) in members.0.into_iter().flatten() {
        let Some(field) = FIELDS.iter().position(|field| folds_to(&name, field)) else {
            continue;
        };
        let text = serde_json::from_str::<Option<String>>(value.get()).map_err(|_| {
            Unreadable::NotAString {
                key: key.to_string(),
                field: FIELDS[field],
            }
        })?;
        // `null` leaves the field as it was, as in Go.
        if let Some(text) = text {
            values[field] = Zeroizing::new(text);
        }
    }
    let [mut username, password, mut email, auth] = values;
    let email = Some(std::mem::take(&mut *email)).filter(|e| !e.is_empty());
    if auth.is_empty() {
        return Ok(Credentials {
            username: std::mem::take(&mut *username),
            password,
            email,
        });
    }
    let (username, password) = decode_auth(&auth).ok_or_else(|| Unreadable::BadAuth {
        key: key.to_string(),
    })?;
    Ok(Credentials {
        username,
        password,
        email,
    })
}

/// `auth` as `decodeDockerConfigFieldAuth` decodes it: padded base64 when it ends in `=`
/// (spaces around it aside), else unpadded; `\r` and `\n` skipped, as Go's decoder skips them;
/// split at the first colon.
fn decode_auth(auth: &str) -> Option<(String, Zeroizing<String>)> {
    let mut text = Zeroizing::new(String::with_capacity(auth.len()));
    text.extend(auth.chars().filter(|c| !matches!(c, '\r' | '\n')));
    let engine = match auth.trim().ends_with('=') {
        true => &GO_STD_ENCODING,
        false => &GO_RAW_STD_ENCODING,
    };
    let decoded = Zeroizing::new(engine.decode(text.as_bytes()).ok()?);
    let colon = decoded.iter().position(|&b| b == b':')?;
    let username = std::str::from_utf8(&decoded[..colon]).ok()?.to_string();
    let password = Zeroizing::new(std::str::from_utf8(&decoded[colon + 1..]).ok()?.to_string());
    Some((username, password))
}

/// Would Go decode `HttpHeaders` (which the kubelet then leaves unused) into its
/// `map[string]string`: an object of strings, or `null`? The values are looked at, never copied
/// (they may hold tokens).
fn are_headers(value: &RawValue) -> bool {
    serde_json::from_str::<Members>(value.get()).is_ok_and(|headers| {
        let mut values = headers.0.into_iter().flatten().map(|(_, v)| v.get());
        values.all(|v| v.starts_with('"') || v == "null")
    })
}

/// Does the JSON member `name` set the Go struct field `field` (lower-case ASCII)? As
/// `encoding/json` matches them: ignoring ASCII case, and with `ſ` (U+017F) for `s` and the
/// Kelvin sign (U+212A) for `k`, which Go's case folding also takes.
pub(super) fn folds_to(name: &str, field: &str) -> bool {
    let mut chars = name.chars();
    field.chars().all(|f| {
        chars.next().is_some_and(|c| {
            c.to_ascii_lowercase() == f || (f == 's' && c == 'ſ') || (f == 'k' && c == 'K')
        })
    }) && chars.next().is_none()
}

/// A JSON object's members in order, each value raw JSON text borrowed from the input (no
/// secret is copied into memory that is not wiped); none for `null`.
pub(super) struct Members<'a>(pub(super) Option<Vec<(String, &'a RawValue)>>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = Members<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object or null")
            }

            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Members(None))
            }

            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Members(None))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, &'de RawValue>()? {
                    members.push(member);
                }
                Ok(Members(Some(members)))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::{STANDARD as BASE64, STANDARD_NO_PAD};
    use proptest::prelude::*;

    use super::*;
    use crate::dockerconfig::hostile::{self, SENTINEL};
    use crate::dockerconfig::shows_secret;

    fn json(content: &str) -> Result<StoredConfig, Unreadable> {
        StoredConfig::decode(Layout::DockerConfigJson, content.as_bytes())
    }

    /// What the kubelet sends for an entry: `(username, password)`, none, or why it cannot.
    type Sent = Result<Option<(String, String)>, Unreadable>;

    /// What the kubelet sends for the only entry of `{"auths":{"r.io":ENTRY}}`.
    fn sent(entry: &str) -> Sent {
        let config = json(&format!(r#"{{"auths":{{"r.io":{entry}}}}}"#))?;
        let entry = &config.entries()[0];
        entry.read.as_ref().map_err(Clone::clone)?;
        Ok(entry
            .credentials()
            .map(|c| (c.username.clone(), c.password.to_string())))
    }

    fn pair(user: &str, password: &str) -> Sent {
        Ok(Some((user.to_string(), password.to_string())))
    }

    fn bad_auth() -> Sent {
        Err(Unreadable::BadAuth { key: "r.io".into() })
    }

    #[test]
    fn issue_14_auth_replaces_username_and_password_as_in_the_kubelet() {
        let auth = BASE64.encode("kubelet-user:p2");
        let entry = format!(r#"{{"username":"shown","password":"p1","auth":"{auth}"}}"#);
        assert_eq!(sent(&entry), pair("kubelet-user", "p2"));
    }

    #[test]
    fn entries_read_as_the_kubelet_reads_them() {
        let b64 = |text: &str| BASE64.encode(text);
        let cases: Vec<(String, Sent)> = vec![
            // As kubectl writes them.
            (
                format!(
                    r#"{{"username":"u","password":"p","auth":"{}"}}"#,
                    b64("u:p")
                ),
                pair("u", "p"),
            ),
            (
                r#"{"username":"bob","password":"pw"}"#.into(),
                pair("bob", "pw"),
            ),
            (
                format!(r#"{{"auth":"{}"}}"#, b64("alice:pa:ss")),
                pair("alice", "pa:ss"),
            ),
            // Unpadded, with line breaks, empty user or password.
            (
                format!(r#"{{"auth":"{}"}}"#, STANDARD_NO_PAD.encode("user:pa:ss")),
                pair("user", "pa:ss"),
            ),
            (
                r#"{"auth":"dXNl\ncjpw\r\nYXNz"}"#.into(),
                pair("user", "pass"),
            ),
            (format!(r#"{{"auth":"{}"}}"#, b64(":p")), pair("", "p")),
            (format!(r#"{{"auth":"{}"}}"#, b64("u:")), pair("u", "")),
            // No credentials: the runtime pulls anonymously.
            ("{}".into(), Ok(None)),
            ("null".into(), Ok(None)),
            (
                r#"{"auth":"","username":"","identitytoken":"t"}"#.into(),
                Ok(None),
            ),
            // Go's matching of names: any case, later duplicates win, null changes nothing.
            (r#"{"Username":"U","PASSWORD":"P"}"#.into(), pair("U", "P")),
            (format!(r#"{{"AUTH":"{}"}}"#, b64("a:b")), pair("a", "b")),
            (
                r#"{"uſername":"long-s","password":"p"}"#.into(),
                pair("long-s", "p"),
            ),
            (
                r#"{"username":"a","username":"b","password":"p"}"#.into(),
                pair("b", "p"),
            ),
            (
                r#"{"username":"a","username":null,"password":"p"}"#.into(),
                pair("a", "p"),
            ),
            (
                format!(
                    r#"{{"auth":"{}","auth":"","username":"u","password":"p"}}"#,
                    b64("x:y")
                ),
                pair("u", "p"),
            ),
            // Unreadable: the kubelet refuses the secret.
            (r#"{"auth":"not base64!"}"#.into(), bad_auth()),
            (format!(r#"{{"auth":"{}"}}"#, b64("no-colon")), bad_auth()),
            (format!(r#"{{"auth":" {} "}}"#, b64("u:p")), bad_auth()),
            (r#"{"auth":"YQ="}"#.into(), bad_auth()),
            (
                format!(r#"{{"auth":"{}"}}"#, BASE64.encode([0xff, b':', 0xfe])),
                bad_auth(),
            ),
            (
                r#""x""#.into(),
                Err(Unreadable::NotAnObject { key: "r.io".into() }),
            ),
            (
                "[]".into(),
                Err(Unreadable::NotAnObject { key: "r.io".into() }),
            ),
            (
                r#"{"username":5}"#.into(),
                Err(Unreadable::NotAString {
                    key: "r.io".into(),
                    field: "username",
                }),
            ),
            (
                r#"{"Password":{"a":1}}"#.into(),
                Err(Unreadable::NotAString {
                    key: "r.io".into(),
                    field: "password",
                }),
            ),
        ];
        for (entry, want) in cases {
            assert_eq!(sent(&entry), want, "{entry}");
        }
    }

    #[test]
    fn email_stays_when_auth_replaces_the_rest() {
        let content = format!(
            r#"{{"auths":{{"r.io":{{"username":"x","email":"a@example.com","auth":"{}"}}}}}}"#,
            BASE64.encode("u:p")
        );
        let config = json(&content).unwrap();
        let read = config.entries()[0].read.as_ref().unwrap();
        assert_eq!(read.email.as_deref(), Some("a@example.com"));
        assert_eq!(read.username, "u");
    }

    #[test]
    fn content_is_read_in_its_layout_or_refused_as_a_whole() {
        let keys = |content: Result<StoredConfig, Unreadable>| -> Result<Vec<String>, Unreadable> {
            content.map(|c| c.keys().map(str::to_string).collect())
        };
        let cfg = |text: &str| StoredConfig::decode(Layout::DockerCfg, text.as_bytes());
        assert_eq!(
            keys(json(r#"{"auths":{"b.io":{},"a.io":{}}}"#)),
            Ok(vec!["a.io".into(), "b.io".into()])
        );
        // Go matches `auths` in any case, and a second one adds to the first.
        assert_eq!(
            keys(json(
                r#"{"Auths":{"a.io":{}},"auths":{"b.io":{}},"credsStore":"x"}"#
            )),
            Ok(vec!["a.io".into(), "b.io".into()])
        );
        // Registries at the top level of a .dockerconfigjson are not read.
        assert_eq!(keys(json(r#"{"ghcr.io":{"auth":"eA=="}}"#)), Ok(vec![]));
        assert_eq!(keys(json("")), Ok(vec![]));
        assert_eq!(keys(json("null")), Ok(vec![]));
        assert_eq!(keys(json(r#"{"auths":null}"#)), Ok(vec![]));
        assert_eq!(
            keys(cfg(r#"{"registry.example.com":{"username":"u"}}"#)),
            Ok(vec!["registry.example.com".into()])
        );
        assert_eq!(
            json("{not json").unwrap_err(),
            Unreadable::Json {
                data_key: ".dockerconfigjson",
                line: 1,
                column: 2
            }
        );
        for not_registries in [r#"{"auths":[]}"#, r#"{"auths":"x"}"#, "[]", "5"] {
            assert_eq!(
                json(not_registries).unwrap_err(),
                Unreadable::NotRegistries {
                    data_key: ".dockerconfigjson"
                },
                "{not_registries}"
            );
        }
        // Go decodes HttpHeaders too, though the kubelet never uses them.
        assert_eq!(
            keys(json(
                r#"{"auths":{"a.io":{}},"HttpHeaders":{"X-Meta":"v","Y":null}}"#
            )),
            Ok(vec!["a.io".into()])
        );
        for headers in [r#"{"X-Meta":5}"#, "[]", r#""x""#] {
            let content = format!(r#"{{"auths":{{"a.io":{{}}}},"httpHeaders":{headers}}}"#);
            assert_eq!(
                json(&content).unwrap_err(),
                Unreadable::BadHttpHeaders {
                    data_key: ".dockerconfigjson"
                },
                "{headers}"
            );
        }
        assert_eq!(
            cfg("[1]").unwrap_err(),
            Unreadable::NotRegistries {
                data_key: ".dockercfg"
            }
        );
    }

    #[test]
    fn one_unreadable_entry_makes_the_kubelet_send_nothing_from_the_secret() {
        let content = r#"{"auths":{"a.io":{"username":"u","password":"p"},"b.io":{"auth":"!"}}}"#;
        let config = json(content).unwrap();
        assert_eq!(
            config.unreadable(),
            Some(&Unreadable::BadAuth { key: "b.io".into() })
        );
        assert!(config.entries()[0].credentials().is_some());
        assert!(config.sent().all(|(_, sent)| sent.is_none()));
        let fine = json(r#"{"auths":{"a.io":{"username":"u","password":"p"},"b.io":{}}}"#).unwrap();
        let sent: Vec<Option<&str>> = fine
            .sent()
            .map(|(_, c)| c.map(|c| c.username.as_str()))
            .collect();
        assert_eq!(sent, [Some("u"), None]);
    }

    #[test]
    fn keys_are_kept_as_written_beside_their_registry() {
        let config = json(r#"{"auths":{"https://index.docker.io/v1/":{},"HTTPS://GHCR.io/":{},"*.azurecr.io":{}}}"#).unwrap();
        let pairs: Vec<(&str, &str)> = config
            .entries()
            .iter()
            .map(|e| (e.key.as_str(), e.registry.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("*.azurecr.io", "*.azurecr.io"),
                ("HTTPS://GHCR.io/", "ghcr.io"),
                ("https://index.docker.io/v1/", "https://index.docker.io/v1/"),
            ]
        );
    }

    #[test]
    fn the_layout_follows_the_secret_type() {
        assert_eq!(
            Layout::of_type(DOCKERCONFIGJSON_TYPE),
            Some(Layout::DockerConfigJson)
        );
        assert_eq!(Layout::of_type(DOCKERCFG_TYPE), Some(Layout::DockerCfg));
        assert_eq!(Layout::of_type("Opaque"), None);
        for layout in [Layout::DockerConfigJson, Layout::DockerCfg] {
            assert_eq!(Layout::of_type(layout.secret_type()), Some(layout));
        }
        let secret = |secret_type: &str, key: &str| Secret {
            type_: Some(secret_type.into()),
            data: Some(BTreeMap::from([(
                key.to_string(),
                k8s_openapi::ByteString(br#"{"auths":{"a.io":{}}}"#.to_vec()),
            )])),
            ..Default::default()
        };
        let count = |s: &Secret| StoredConfig::of_secret(s).map(|c| c.map(|c| c.entries().len()));
        assert_eq!(
            count(&secret(DOCKERCONFIGJSON_TYPE, ".dockerconfigjson")),
            Some(Ok(1))
        );
        // The kubelet reads only the type's own key, and never an Opaque secret.
        assert_eq!(
            count(&secret(DOCKERCONFIGJSON_TYPE, ".dockercfg")),
            Some(Ok(0))
        );
        assert_eq!(count(&secret("Opaque", ".dockerconfigjson")), None);
    }

    #[test]
    fn debug_and_errors_never_show_a_password() {
        const PASSWORD: &str = "Unit-Sentinel-Pa55word-3f9a0c21";
        let content = format!(
            r#"{{"auths":{{"a.io":{{"auth":"{}"}},"b.io":{{"username":"u","password":"{PASSWORD}","identitytoken":"{PASSWORD}"}},"c.io":{{"password":5,"username":"{PASSWORD}"}}}}}}"#,
            BASE64.encode(format!("u:{PASSWORD}"))
        );
        let config = json(&content).unwrap();
        assert_eq!(
            config.entries()[0]
                .credentials()
                .map(|c| c.password.as_str()),
            Some(PASSWORD)
        );
        let shown = format!(
            "{config:?} {:?}",
            config.unreadable().map(ToString::to_string)
        );
        assert!(!shows_secret(&shown, PASSWORD), "{shown}");
    }

    proptest! {
        #![proptest_config(hostile::config(256))]

        #[test]
        fn hostile_content_never_panics_and_errors_name_only_the_key(
            bytes in hostile::config_bytes(),
            legacy in any::<bool>(),
        ) {
            let layout = if legacy { Layout::DockerCfg } else { Layout::DockerConfigJson };
            match StoredConfig::decode(layout, &bytes) {
                Ok(config) => {
                    let shown = format!("{config:?}");
                    prop_assert!(!shown.contains(SENTINEL), "{}", shown);
                    for entry in config.entries() {
                        if let Err(err) = &entry.read {
                            let shown = err.to_string();
                            prop_assert!(shown.contains(&format!("{:?}", entry.key)), "{}", shown);
                            prop_assert!(!shown.contains(SENTINEL), "{}", shown);
                        }
                    }
                }
                Err(err) => {
                    let whole = matches!(
                        err,
                        Unreadable::Json { .. }
                            | Unreadable::NotRegistries { .. }
                            | Unreadable::BadHttpHeaders { .. }
                    );
                    prop_assert!(whole, "{:?}", err);
                }
            }
        }

        #[test]
        fn auth_wins_whatever_username_and_password_say(
            user in hostile::username(),
            password in hostile::password(),
            shown in hostile::hostile_text(),
            padded in any::<bool>(),
        ) {
            let joined = format!("{user}:{password}");
            let auth = if padded { BASE64.encode(&joined) } else { STANDARD_NO_PAD.encode(&joined) };
            let entry = serde_json::json!({"username": shown, "password": "other", "auth": auth});
            prop_assert_eq!(sent(&entry.to_string()), pair(&user, &password));
        }
    }
}
