//! Which cloud a registry host belongs to, read from the host alone.

use super::provider::Cloud;
use crate::dockerconfig::RegistryKey;

/// What a registry host says about the cloud it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CloudHost {
    /// `ACCOUNT.dkr.ecr.REGION.amazonaws.com[.cn]` (also `ecr-fips`, and dual-stack
    /// `ACCOUNT.dkr-ecr.REGION.on.aws`).
    Ecr { region: String },
    /// `NAME.azurecr.io`, and the sovereign clouds' `.azurecr.cn`, `.azurecr.us`, `.azurecr.de`.
    Acr { name: String },
    /// `gcr.io`, `*.gcr.io`, `*-docker.pkg.dev`.
    Gcr,
}

/// The cloud registry a host belongs to, or None for any other registry.
///
/// ```
/// use kubectl_regcred::creds::cloud::{CloudHost, cloud_host};
/// assert_eq!(
///     cloud_host("123456789012.dkr.ecr.eu-west-1.amazonaws.com"),
///     Some(CloudHost::Ecr { region: "eu-west-1".into() })
/// );
/// assert_eq!(cloud_host("europe-docker.pkg.dev"), Some(CloudHost::Gcr));
/// assert_eq!(cloud_host("ghcr.io"), None);
/// ```
pub fn cloud_host(host: &str) -> Option<CloudHost> {
    let host = host.to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    match labels.as_slice() {
        [
            account,
            "dkr",
            "ecr" | "ecr-fips",
            region,
            "amazonaws",
            "com",
            rest @ ..,
        ] if is_aws_account(account) && is_aws_region(region) && matches!(rest, [] | ["cn"]) => {
            Some(CloudHost::Ecr {
                region: region.to_string(),
            })
        }
        [account, "dkr-ecr" | "dkr-ecr-fips", region, "on", "aws"]
            if is_aws_account(account) && is_aws_region(region) =>
        {
            Some(CloudHost::Ecr {
                region: region.to_string(),
            })
        }
        [name, "azurecr", "io" | "cn" | "us" | "de"] if is_acr_name(name) => Some(CloudHost::Acr {
            name: name.to_string(),
        }),
        ["gcr", "io"] | [_, "gcr", "io"] => Some(CloudHost::Gcr),
        [location, "pkg", "dev"] if location.ends_with("-docker") => Some(CloudHost::Gcr),
        _ => None,
    }
}

fn is_aws_account(label: &str) -> bool {
    label.len() == 12 && label.bytes().all(|b| b.is_ascii_digit())
}

/// `eu-west-1`, `us-gov-west-1`, `cn-north-1`, `ap-southeast-2`.
pub(super) fn is_aws_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    match parts.as_slice() {
        [area, middle @ .., number] if !middle.is_empty() => {
            area.len() == 2
                && area.bytes().all(|b| b.is_ascii_lowercase())
                && middle
                    .iter()
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
                && !number.is_empty()
                && number.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

/// ACR names are alphanumeric; newer ones carry a `-hash` suffix.
pub(super) fn is_acr_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name.as_bytes()[0].is_ascii_alphanumeric()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The host of a registry key: without a port or a namespace path.
pub fn host_of(key: &RegistryKey) -> &str {
    let authority = key.as_str().split('/').next().unwrap_or_default();
    authority.split(':').next().unwrap_or_default()
}

impl CloudHost {
    /// The cloud whose CLI mints tokens for this host.
    pub fn cloud(&self) -> Cloud {
        match self {
            CloudHost::Ecr { .. } => Cloud::Ecr,
            CloudHost::Acr { .. } => Cloud::Acr,
            CloudHost::Gcr => Cloud::Gcr,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_name_their_cloud() {
        let ecr = |region: &str| {
            Some(CloudHost::Ecr {
                region: region.into(),
            })
        };
        let acr = |name: &str| Some(CloudHost::Acr { name: name.into() });
        for (host, expected) in [
            (
                "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
                ecr("eu-west-1"),
            ),
            (
                "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn",
                ecr("cn-north-1"),
            ),
            (
                "123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com",
                ecr("us-gov-west-1"),
            ),
            (
                "123456789012.dkr-ecr.ap-southeast-2.on.aws",
                ecr("ap-southeast-2"),
            ),
            (
                "123456789012.DKR.ECR.EU-WEST-1.AMAZONAWS.COM",
                ecr("eu-west-1"),
            ),
            ("12345.dkr.ecr.eu-west-1.amazonaws.com", None),
            ("123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.io", None),
            ("public.ecr.aws", None),
            ("myregistry.azurecr.io", acr("myregistry")),
            ("myregistry.azurecr.cn", acr("myregistry")),
            ("myregistry.azurecr.us", acr("myregistry")),
            (
                "myregistry-abcdef123.azurecr.io",
                acr("myregistry-abcdef123"),
            ),
            ("myregistry.westeurope.data.azurecr.io", None),
            ("azurecr.io", None),
            ("gcr.io", Some(CloudHost::Gcr)),
            ("eu.gcr.io", Some(CloudHost::Gcr)),
            ("europe-docker.pkg.dev", Some(CloudHost::Gcr)),
            ("us-central1-docker.pkg.dev", Some(CloudHost::Gcr)),
            ("pkg.dev", None),
            ("europe-python.pkg.dev", None),
            ("ghcr.io", None),
            ("quay.io", None),
        ] {
            assert_eq!(cloud_host(host), expected, "{host}");
        }
    }

    #[test]
    fn regions_are_checked_so_they_cannot_be_flags() {
        for good in [
            "eu-west-1",
            "us-gov-west-1",
            "cn-northwest-1",
            "ap-southeast-2",
        ] {
            assert!(is_aws_region(good), "{good}");
        }
        for bad in [
            "",
            "--profile",
            "eu",
            "eu-west",
            "EU-WEST-1",
            "eu-west-1;rm",
            "-eu-west-1",
        ] {
            assert!(!is_aws_region(bad), "{bad}");
        }
    }
}
