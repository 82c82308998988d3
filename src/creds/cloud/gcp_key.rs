//! `--gcp-key-file`: a GCP service-account key is the password of user `_json_key`.

use std::path::Path;

use serde::Deserialize;

use super::annotate;
use super::error::CloudError;
use crate::creds::{Error, Provider, Request, Sourced, password};
use crate::dockerconfig::{Credentials, DockerConfig, RegistryKey};

/// The username GCP service-account keys are used with.
pub const GCP_KEY_USERNAME: &str = "_json_key";

/// The key's JSON as the password of user `_json_key`, for every server in `keys`.
pub(super) fn sourced(
    request: &Request,
    keys: &[RegistryKey],
    path: &Path,
) -> Result<Sourced, Error> {
    match request.provider {
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
    if request.region.is_some() {
        return Err(CloudError::RegionWithoutEcr.into());
    }
    for given in &request.usernames {
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
                email: request.email.clone(),
            },
        );
    }
    Ok(Sourced {
        config,
        annotations: annotate::key_file(client_email),
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn debug_of_key_file_credentials_is_redacted() {
        use crate::dockerconfig::shows_secret;
        const KEY: &str = "Unit-Sentinel-PrivateKey-6f1e08aa";
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
        let request = Request {
            servers: vec!["europe-docker.pkg.dev".into()],
            gcp_key_file: Some(path.clone()),
            ..Request::default()
        };
        let keys = [RegistryKey::parse("europe-docker.pkg.dev").unwrap()];
        let sourced = sourced(&request, &keys, &path).unwrap();
        let shown = format!("{sourced:?}");
        assert!(!shows_secret(&shown, KEY), "{shown}");
        let written = String::from_utf8(sourced.config.to_json().to_vec()).unwrap();
        assert!(shows_secret(&written, KEY), "the key is the password");
    }

    #[test]
    fn key_files_are_refused_with_other_flags() {
        let keys = [RegistryKey::parse("gcr.io").unwrap()];
        let path = Path::new("/nonexistent/key.json");
        let refused = |request: Request, keys: &[RegistryKey]| {
            let err = sourced(&request, keys, path).unwrap_err();
            assert!(err.is_usage(), "{err}");
            err.to_string()
        };
        let ecr = Request {
            provider: Some(Provider::Ecr),
            ..Request::default()
        };
        assert!(refused(ecr, &keys).contains("not one for --provider ecr"));
        assert!(refused(Request::default(), &[]).starts_with("--gcp-key-file needs --server"));
        let alice = Request {
            usernames: vec!["alice".into()],
            ..Request::default()
        };
        assert!(refused(alice, &keys).contains("\"_json_key\""));
        // A missing file is read last, and named.
        assert!(refused(Request::default(), &keys).contains("/nonexistent/key.json"));
    }
}
