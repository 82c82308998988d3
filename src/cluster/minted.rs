//! Reading the pull secrets `refresh` looks at: per namespace, or with one cluster-wide list.

use std::collections::HashMap;

use k8s_openapi::api::core::v1::Secret;
use kube::ResourceExt;
use kube::api::{Api, ListParams};

use super::secrets::DOCKER_CONFIG_JSON_TYPE;
use super::{Cluster, ClusterError};

/// The pull secrets of a namespace (only `name`, when given), read with a paginated list.
pub async fn pull_secrets_in(
    cluster: &Cluster,
    namespace: &str,
    name: Option<&str>,
) -> Result<Vec<Secret>, ClusterError> {
    let api: Api<Secret> = Api::namespaced(cluster.client.clone(), namespace);
    let object = name.map_or_else(|| "secrets".to_string(), |n| format!("secret/{n}"));
    let request = cluster.request("list", &object, namespace);
    let mut params = ListParams::default().fields(&selector(name)).limit(500);
    let mut found = Vec::new();
    loop {
        let page = api.list(&params).await.map_err(|e| request.error(e))?;
        found.extend(page.items);
        match page.metadata.continue_.filter(|token| !token.is_empty()) {
            Some(token) => params = params.continue_token(&token),
            None => return Ok(found),
        }
    }
}

/// Every pull secret (only `name`, when given) by namespace, with one paginated cluster-wide
/// list. None when that is not allowed or fails: callers then read per namespace.
pub async fn pull_secrets_everywhere(
    cluster: &Cluster,
    name: Option<&str>,
) -> Option<HashMap<String, Vec<Secret>>> {
    let api: Api<Secret> = Api::all(cluster.client.clone());
    let mut params = ListParams::default().fields(&selector(name)).limit(500);
    let mut found: HashMap<String, Vec<Secret>> = HashMap::new();
    loop {
        let page = match api.list(&params).await {
            Ok(page) => page,
            Err(err) => {
                tracing::debug!(error = %err, "cluster-wide list unavailable; reading per namespace");
                return None;
            }
        };
        for secret in page.items {
            if let Some(namespace) = secret.namespace() {
                found.entry(namespace).or_default().push(secret);
            }
        }
        match page.metadata.continue_.filter(|token| !token.is_empty()) {
            Some(token) => params = params.continue_token(&token),
            None => return Some(found),
        }
    }
}

fn selector(name: Option<&str>) -> String {
    match name {
        Some(name) => format!("type={DOCKER_CONFIG_JSON_TYPE},metadata.name={name}"),
        None => format!("type={DOCKER_CONFIG_JSON_TYPE}"),
    }
}
