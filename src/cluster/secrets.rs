//! Image-pull secrets: build the object, apply it, tell what changed.

use std::collections::BTreeMap;

use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::Secret;
use kube::api::{Api, ObjectMeta, Patch, PatchParams};

use super::error::Request;
use super::{Cluster, ClusterError, FIELD_MANAGER};
use crate::dockerconfig::DockerConfig;

/// The secret type kubelets read pull credentials from.
pub const DOCKER_CONFIG_JSON_TYPE: &str = "kubernetes.io/dockerconfigjson";
/// The data key of that type.
pub const DOCKER_CONFIG_JSON_KEY: &str = ".dockerconfigjson";

/// Builds the secret object for `config`, as `kubectl create secret docker-registry` does.
pub fn pull_secret(name: &str, namespace: &str, config: &DockerConfig) -> Secret {
    let json = config.to_json();
    Secret {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            namespace: Some(namespace.to_string()),
            ..Default::default()
        },
        type_: Some(DOCKER_CONFIG_JSON_TYPE.to_string()),
        data: Some(BTreeMap::from([(
            DOCKER_CONFIG_JSON_KEY.to_string(),
            ByteString(json.to_vec()),
        )])),
        ..Default::default()
    }
}

/// What an apply did to the object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Created,
    Configured,
    Unchanged,
}

impl Change {
    /// kubectl's word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Created => "created",
            Change::Configured => "configured",
            Change::Unchanged => "unchanged",
        }
    }
}

/// How to apply.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApplyOptions {
    /// Ask the server to validate without persisting.
    pub server_dry_run: bool,
    /// Take over fields another field manager owns.
    pub force_conflicts: bool,
}

/// Applies `secret` with server-side apply and reports whether it was created, changed or
/// already as wanted. Refuses to touch a same-named secret of another type.
pub async fn apply_pull_secret(
    cluster: &Cluster,
    secret: &Secret,
    options: ApplyOptions,
) -> Result<(Change, Secret), ClusterError> {
    let name = secret.metadata.name.as_deref().unwrap_or_default();
    let namespace = secret.metadata.namespace.as_deref().unwrap_or_default();
    let api: Api<Secret> = Api::namespaced(cluster.client.clone(), namespace);
    let request = |verb| Request {
        cluster,
        verb,
        object: format!("secret/{name}"),
        namespace,
    };

    let existing = api
        .get_opt(name)
        .await
        .map_err(|e| request("get").error(e))?;
    tracing::debug!(
        namespace,
        secret = name,
        resource_version = existing
            .as_ref()
            .and_then(|s| s.metadata.resource_version.as_deref()),
        "read the current secret"
    );
    if let Some(found) = existing.as_ref().and_then(|s| s.type_.as_deref())
        && found != DOCKER_CONFIG_JSON_TYPE
    {
        return Err(ClusterError::WrongSecretType {
            object: format!("secret/{name}"),
            namespace: namespace.to_string(),
            found: found.to_string(),
        });
    }

    let mut params = PatchParams::apply(FIELD_MANAGER);
    params.dry_run = options.server_dry_run;
    params.force = options.force_conflicts;
    let applied = api
        .patch(name, &params, &Patch::Apply(secret))
        .await
        .map_err(|e| request("apply").error(e))?;

    let change = match &existing {
        None => Change::Created,
        Some(before) if is_same_content(before, &applied, options.server_dry_run) => {
            Change::Unchanged
        }
        Some(_) => Change::Configured,
    };
    tracing::debug!(
        namespace,
        secret = name,
        change = change.as_str(),
        "applied"
    );
    Ok((change, applied))
}

/// A real apply that changed nothing keeps the resourceVersion. A dry run never bumps it, so
/// there the content itself is compared.
fn is_same_content(before: &Secret, after: &Secret, dry_run: bool) -> bool {
    if !dry_run {
        return before.metadata.resource_version == after.metadata.resource_version;
    }
    before.type_ == after.type_
        && before.data == after.data
        && before.metadata.labels == after.metadata.labels
        && before.metadata.annotations == after.metadata.annotations
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerconfig::{Credentials, RegistryKey};
    use zeroize::Zeroizing;

    #[test]
    fn pull_secret_has_the_type_and_key_kubelets_read() {
        let mut config = DockerConfig::new();
        config.insert(
            RegistryKey::parse("ghcr.io").unwrap(),
            Credentials {
                username: "u".into(),
                password: Zeroizing::new("p".into()),
                email: None,
            },
        );
        let secret = pull_secret("regcred", "team-a", &config);
        assert_eq!(secret.type_.as_deref(), Some(DOCKER_CONFIG_JSON_TYPE));
        assert_eq!(secret.metadata.namespace.as_deref(), Some("team-a"));
        let data = &secret.data.unwrap()[DOCKER_CONFIG_JSON_KEY];
        assert_eq!(data.0, config.to_json().to_vec());
    }
}
