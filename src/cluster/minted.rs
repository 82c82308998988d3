//! Reading the pull secrets `refresh` looks at: per namespace, or with one cluster-wide list.

use std::collections::HashMap;

use k8s_openapi::api::core::v1::Secret;
use kube::api::{Api, ListParams};

use super::pages::{cluster_wide, list_all};
use super::{Cluster, ClusterError};
use crate::dockerconfig::stored::DOCKERCONFIGJSON_TYPE;

/// The pull secrets of a namespace (only `name`, when given), read with a paginated list.
pub async fn pull_secrets_in(
    cluster: &Cluster,
    namespace: &str,
    name: Option<&str>,
) -> Result<Vec<Secret>, ClusterError> {
    let api: Api<Secret> = Api::namespaced(cluster.client.clone(), namespace);
    let object = name.map_or_else(|| "secrets".to_string(), |n| format!("secret/{n}"));
    let request = cluster.request("list", &object, namespace);
    let params = ListParams::default().fields(&selector(name));
    list_all(&api, params).await.map_err(|e| request.error(e))
}

/// Every pull secret (only `name`, when given) by namespace, with one paginated cluster-wide
/// list. None when that is not allowed or fails: callers then read per namespace.
pub async fn pull_secrets_everywhere(
    cluster: &Cluster,
    name: Option<&str>,
) -> Option<HashMap<String, Vec<Secret>>> {
    let params = ListParams::default().fields(&selector(name));
    cluster_wide(
        cluster,
        params,
        |found: &mut HashMap<_, Vec<_>>, namespace, secret| {
            found.entry(namespace).or_default().push(secret)
        },
    )
    .await
}

fn selector(name: Option<&str>) -> String {
    match name {
        Some(name) => format!("type={DOCKERCONFIGJSON_TYPE},metadata.name={name}"),
        None => format!("type={DOCKERCONFIGJSON_TYPE}"),
    }
}
