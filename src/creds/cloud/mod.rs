//! Pull tokens minted by cloud CLIs (`aws`, `az`, `gcloud`), and GCP service-account keys, for
//! `create --provider` / `--gcp-key-file`.
//!
//! A token travels only from the CLI's stdout into zeroizing memory: never argv, the
//! environment or a log. What the secret records about it (provider, region, times) is in
//! annotations, so `diagnose` can tell an expired token and a cron job can re-mint it.
//!
//! `hosts` tells the cloud from a registry host, `provider` what each cloud's tokens are,
//! `mint` runs the CLI call for one token, `gcp_key` reads a key file, `annotate` writes what
//! the secret records.

mod annotate;
mod error;
mod gcp_key;
mod hosts;
mod mint;
mod provider;

use std::collections::BTreeMap;

use k8s_openapi::jiff::Timestamp;
use zeroize::Zeroizing;

pub use self::annotate::token_times;
pub use self::error::CloudError;
pub use self::gcp_key::GCP_KEY_USERNAME;
pub use self::hosts::{CloudHost, cloud_host, host_of};
pub use self::mint::{Mint, mint_token};
pub use self::provider::Cloud;
use super::{Error, Provider, Request, Sourced};
use crate::dockerconfig::{Credentials, DockerConfig, RegistryKey};

/// The credentials `--provider`/`--gcp-key-file` ask for, or those of a cloud registry given
/// with `--server` and no password at all; None when neither applies.
pub fn credentials(request: &Request, keys: &[RegistryKey]) -> Result<Option<Sourced>, Error> {
    if let Some(path) = &request.gcp_key_file {
        return Ok(Some(gcp_key::sourced(request, keys, path)?));
    }
    let provider = match request.provider {
        Some(provider) => provider,
        None if is_cloud_without_password(request, keys) => {
            for key in keys {
                if let Some(host) = cloud_host(host_of(key)) {
                    let cloud = host.cloud();
                    tracing::info!(
                        "--server {key} is {} and no password was given: minting a token with \
                         the {} CLI (--password-stdin takes your own)",
                        cloud.description(),
                        cloud.cli(),
                    );
                }
            }
            Provider::Auto
        }
        None => return Ok(None),
    };
    Ok(Some(minted(request, keys, provider)?))
}

/// No password source at all, and every `--server` is a cloud registry.
fn is_cloud_without_password(request: &Request, keys: &[RegistryKey]) -> bool {
    let has_password =
        request.password.is_given() || request.from_keyring || request.from_docker_config.is_some();
    !has_password && !keys.is_empty() && keys.iter().all(|key| cloud_host(host_of(key)).is_some())
}

/// Runs one CLI call per distinct token needed, and builds the secret's entries.
fn minted(
    request: &Request,
    keys: &[RegistryKey],
    provider: Provider,
) -> Result<Sourced, CloudError> {
    if keys.is_empty() {
        return Err(CloudError::NoServer { flag: "provider" });
    }
    let region = request.region.as_deref();
    if let Some(region) = region
        && !hosts::is_aws_region(region)
    {
        return Err(CloudError::InvalidRegion {
            region: region.to_string(),
        });
    }
    let plans = keys
        .iter()
        .map(|key| mint::plan(provider, key, region))
        .collect::<Result<Vec<_>, _>>()?;
    if region.is_some() && !plans.iter().any(|m| matches!(m, Mint::Ecr { .. })) {
        return Err(CloudError::RegionWithoutEcr);
    }
    check_usernames(&request.usernames, &plans)?;

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
                email: request.email.clone(),
            },
        );
    }
    Ok(Sourced {
        config,
        annotations: annotate::minted(&plans, minted_at)?,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> RegistryKey {
        RegistryKey::parse(s).unwrap()
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
    fn only_cloud_hosts_without_a_password_mint_unasked() {
        let ecr = key("123456789012.dkr.ecr.eu-west-1.amazonaws.com");
        let bare = Request::default();
        assert!(is_cloud_without_password(&bare, std::slice::from_ref(&ecr)));
        assert!(!is_cloud_without_password(&bare, &[]));
        assert!(!is_cloud_without_password(
            &bare,
            &[ecr.clone(), key("ghcr.io")]
        ));
        let mut stdin = Request::default();
        stdin.password.stdin = true;
        assert!(!is_cloud_without_password(
            &stdin,
            std::slice::from_ref(&ecr)
        ));
        let keyring = Request {
            from_keyring: true,
            ..Request::default()
        };
        assert!(!is_cloud_without_password(&keyring, &[ecr]));
        assert!(matches!(credentials(&bare, &[key("ghcr.io")]), Ok(None)));
    }

    #[test]
    fn minting_flags_are_checked_before_any_cli_runs() {
        let ecr = key("123456789012.dkr.ecr.eu-west-1.amazonaws.com");
        let refused = |request: Request, keys: &[RegistryKey]| {
            let err =
                minted(&request, keys, request.provider.unwrap_or(Provider::Auto)).unwrap_err();
            assert!(err.is_usage(), "{err}");
            err
        };
        assert!(matches!(
            refused(Request::default(), &[]),
            CloudError::NoServer { flag: "provider" }
        ));
        let bad_region = Request {
            region: Some("--profile".into()),
            ..Request::default()
        };
        assert!(matches!(
            refused(bad_region, std::slice::from_ref(&ecr)),
            CloudError::InvalidRegion { .. }
        ));
        let gcr_region = Request {
            region: Some("eu-west-1".into()),
            ..Request::default()
        };
        assert!(matches!(
            refused(gcr_region, &[key("gcr.io")]),
            CloudError::RegionWithoutEcr
        ));
        let alice = Request {
            usernames: vec!["alice".into()],
            ..Request::default()
        };
        assert!(matches!(
            refused(alice, &[ecr]),
            CloudError::WrongUsername { .. }
        ));
    }
}
