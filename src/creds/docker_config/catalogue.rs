//! Every registry a Docker config knows, by normalised key, and where each one's credentials
//! come from: an inline entry, or a credential helper (`credHelpers`, `credsStore`). As in
//! Docker, a configured helper wins over an inline entry for the same registry.

use std::collections::BTreeMap;
use std::path::Path;

use super::error::DockerConfigError;
use super::file::{FileConfig, FileEntry};
use super::helper::{HELPER_TIMEOUT, helper_list};
use crate::dockerconfig::RegistryKey;

/// What one registry's credentials come from.
#[derive(Debug, Clone)]
pub(super) enum Origin {
    /// An inline `auths` entry, under the key the file spells it.
    Inline { spelling: String, entry: FileEntry },
    /// A credential helper, asked with this server URL: what Docker would send (the
    /// normalised key: `ghcr.io`, `https://index.docker.io/v1/`), or the URL a store lists.
    Helper { spelling: String, helper: String },
}

/// Every registry the file knows, by normalised key.
#[derive(Debug, Default)]
pub(super) struct Catalogue {
    pub(super) registries: BTreeMap<RegistryKey, Origin>,
    /// `credsStore`'s `list` could not be run: requested registries go to the store as typed.
    pub(super) store_unlisted: bool,
}

impl Catalogue {
    /// Inline entries and `credHelpers`; a helper configured for a registry wins over its
    /// inline entry, as in Docker, and is asked for the registry as Docker asks for it. Keys that are no registry (Docker Desktop's
    /// `https://index.docker.io/v1/access-token`) are left out.
    pub(super) fn from_file(file: &FileConfig, path: &Path) -> Result<Self, DockerConfigError> {
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
    pub(super) fn add_store_list(
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
                tracing::debug!("{}", crate::causes::chain(&err));
                self.store_unlisted = true;
                Ok(())
            }
        }
    }

    pub(super) fn has(&self, key: &RegistryKey) -> bool {
        self.registries.contains_key(key)
    }

    /// Every registry, with its origin. Inline entries without credentials are left out
    /// (with `credsStore` unset they mean nothing).
    pub(super) fn all(&self) -> Vec<(RegistryKey, Origin)> {
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
    pub(super) fn pick(
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
pub(super) fn checked_helper(name: &str, path: &Path) -> Result<String, DockerConfigError> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::creds::docker_config::fixtures::*;

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
}
