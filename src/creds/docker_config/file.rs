//! The Docker config file: where it is, the parts of it this source reads, and the
//! credentials of an inline `auths` entry (`auth` = base64 of `user:password`, or
//! `username`/`password`, or `identitytoken`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use serde::Deserialize;
use zeroize::Zeroizing;

use super::error::DockerConfigError;
use super::found::Found;
use crate::creds::password::SecretString;
use crate::dockerconfig;

/// `PATH`, else `$DOCKER_CONFIG/config.json`, else `$HOME/.docker/config.json`.
pub(super) fn config_path(
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

/// The parts of `config.json` this source reads; other fields (`HttpHeaders`, `proxies`,
/// `currentContext`, ...) are ignored.
#[derive(Debug, Default, Deserialize)]
pub(super) struct FileConfig {
    #[serde(default)]
    pub(super) auths: BTreeMap<String, FileEntry>,
    #[serde(default, rename = "credsStore")]
    pub(super) creds_store: Option<String>,
    #[serde(default, rename = "credHelpers")]
    pub(super) cred_helpers: BTreeMap<String, String>,
}

/// One inline `auths` entry.
#[derive(Debug, Default, Clone, Deserialize)]
pub(super) struct FileEntry {
    #[serde(default)]
    auth: Option<SecretString>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<SecretString>,
    #[serde(default)]
    identitytoken: Option<SecretString>,
    #[serde(default)]
    email: Option<String>,
}

impl FileEntry {
    pub(super) fn has_credentials(&self) -> bool {
        let set = |s: &Option<SecretString>| s.as_ref().is_some_and(|s| !s.is_empty());
        set(&self.auth) || set(&self.password) || set(&self.identitytoken)
    }
}

/// Parses `config.json`. A JSON error reports only where it is: serde's messages can quote
/// the offending value, which may be a secret.
pub(super) fn parse_file(bytes: &[u8], path: &Path) -> Result<FileConfig, DockerConfigError> {
    serde_json::from_slice(bytes).map_err(|e| {
        let (line, column, path) = (e.line(), e.column(), path.to_path_buf());
        match e.classify() {
            serde_json::error::Category::Data => DockerConfigError::Layout { path, line, column },
            _ => DockerConfigError::Json { path, line, column },
        }
    })
}

/// The credentials of an inline `auths` entry.
pub(super) fn entry_credentials(
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
pub(super) enum AuthProblem {
    Base64,
    NoColon,
}

/// `base64(user:password)`, padded or not (Docker writes it padded; the kubelet accepts both).
pub(super) fn decode_auth(auth: &SecretString) -> Result<(String, SecretString), AuthProblem> {
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
        SecretString(Zeroizing::new(password.to_string())),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::creds::docker_config::fixtures::*;

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
    fn debug_never_shows_a_secret() {
        let file = parse(
            r#"{"auths":{"ghcr.io":{"auth":"s3cr3t-sentinel","password":"s3cr3t-sentinel"}}}"#,
        );
        assert!(!format!("{file:?}").contains("s3cr3t-sentinel"));
        assert!(!format!("{:?}", basic("u", "s3cr3t-sentinel")).contains("s3cr3t-sentinel"));
    }

    use base64::engine::general_purpose::STANDARD_NO_PAD as UNPADDED;
    use proptest::prelude::*;

    use crate::dockerconfig::hostile;

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
    }
}
