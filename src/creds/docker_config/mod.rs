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
//!
//! `file` reads the config and its inline entries, `catalogue` decides where each registry's
//! credentials come from, `helper` asks a credential helper, `confirm` asks the person before
//! taking everything, `found` writes what was found into the secret's config.

mod catalogue;
mod confirm;
mod error;
mod file;
mod found;
mod helper;

use std::collections::BTreeMap;
use std::path::Path;

use zeroize::Zeroizing;

use self::catalogue::{Catalogue, Origin};
use self::confirm::confirm_all;
pub use self::error::DockerConfigError;
use self::file::{config_path, entry_credentials, parse_file};
use self::found::add;
use self::helper::{HELPER_TIMEOUT, helper_credentials};
use super::Sourced;
use crate::dockerconfig::{DockerConfig, RegistryKey};

/// The credentials of `--from-docker-config [PATH]` for the registries in `keys` (every
/// registry of the file when `keys` is empty: only with `yes`, or after a confirmation on a
/// terminal). An empty `path` means the default location.
pub fn sourced(path: &Path, keys: &[RegistryKey], yes: bool) -> Result<Sourced, DockerConfigError> {
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
            return Err(DockerConfigError::Empty { path });
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

/// What the tests of this module's parts share.
#[cfg(test)]
mod fixtures {
    use std::path::PathBuf;

    use zeroize::Zeroizing;

    use super::file::{FileConfig, parse_file};
    use super::found::Found;
    use crate::creds::password::SecretString;
    use crate::dockerconfig::RegistryKey;

    pub fn path() -> PathBuf {
        PathBuf::from("/home/u/.docker/config.json")
    }

    pub fn parse(json: &str) -> FileConfig {
        parse_file(json.as_bytes(), &path()).unwrap()
    }

    pub fn key(s: &str) -> RegistryKey {
        RegistryKey::parse(s).unwrap()
    }

    pub fn secret(s: &str) -> SecretString {
        SecretString(Zeroizing::new(s.to_string()))
    }

    pub fn basic(user: &str, pass: &str) -> Found {
        Found::Basic {
            username: user.into(),
            password: secret(pass),
            email: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;

    use super::file::decode_auth;
    use super::fixtures::*;
    use super::helper::parse_helper_get;
    use super::*;

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
        let sourced = Sourced {
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

    // -----------------------------------------------------------------------------------------
    // Hostile input (issue 9): property tests over arbitrary and adversarial config.json files
    // and helper output. Helpers are never run here: only inline entries are read.

    use proptest::prelude::*;

    use crate::dockerconfig::hostile::{self, SENTINEL};

    const PATH_SHOWN: &str = "/home/u/.docker/config.json";

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
}
