//! Credentials found for one registry, and how they are written into the secret.

use std::collections::BTreeMap;

use zeroize::Zeroizing;

use crate::creds::password::SecretString;
use crate::dockerconfig::{self, Credentials, DockerConfig, RegistryKey};

/// Credentials found for one registry.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Found {
    Basic {
        username: String,
        password: SecretString,
        email: Option<String>,
    },
    /// An identity (OAuth2 refresh) token, as `docker login` stores for some registries.
    IdentityToken(SecretString),
}

/// Adds what was found under `key`.
///
/// An identity token is written as `{"auth": base64(":" + token), "identitytoken": token}`.
/// The kubelet reads only `auth` (or `username`/`password`) from a pull secret and hands the
/// runtime an empty username with the token as password; containerd then does exactly what it
/// does with an identity token: the OAuth2 `refresh_token` grant. Docker, BuildKit and
/// go-containerregistry read `identitytoken` itself.
pub(super) fn add(config: &mut DockerConfig, key: RegistryKey, found: Found) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::creds::docker_config::fixtures::*;

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
}
