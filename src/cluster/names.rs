//! Names for shell completion: namespaces and pull secrets, listed without their contents.

use k8s_openapi::api::core::v1::{Namespace, Secret};
use kube::api::{Api, ListParams};
use kube::core::{ObjectList, PartialObjectMeta};

use super::error::Request;
use super::{Cluster, ClusterError};
use crate::dockerconfig::stored::DOCKERCONFIGJSON_TYPE;

/// The names of every namespace, sorted (one paginated metadata-only list).
pub async fn namespace_names(cluster: &Cluster) -> Result<Vec<String>, ClusterError> {
    let api: Api<Namespace> = Api::all(cluster.client.clone());
    let request = Request {
        cluster,
        verb: "list",
        object: "namespaces".into(),
        namespace: "",
    };
    let found = list_names(&api, ListParams::default(), &request).await?;
    Ok(found.into_iter().map(|(name, _)| name).collect())
}

/// The pull secrets (`kubernetes.io/dockerconfigjson`) of one namespace, or of every namespace
/// with `None`, as `(name, namespace)` sorted by name. Only metadata is read: the secret data
/// never leaves the API server.
pub async fn pull_secret_names(
    cluster: &Cluster,
    namespace: Option<&str>,
) -> Result<Vec<(String, String)>, ClusterError> {
    let api: Api<Secret> = match namespace {
        Some(namespace) => Api::namespaced(cluster.client.clone(), namespace),
        None => Api::all(cluster.client.clone()),
    };
    let params = ListParams::default().fields(&format!("type={DOCKERCONFIGJSON_TYPE}"));
    let request = Request {
        cluster,
        verb: "list",
        object: "secrets".into(),
        namespace: namespace.unwrap_or(""),
    };
    list_names(&api, params, &request).await
}

/// `(name, namespace)` of every object the list returns, page by page, sorted.
async fn list_names<K>(
    api: &Api<K>,
    params: ListParams,
    request: &Request<'_>,
) -> Result<Vec<(String, String)>, ClusterError>
where
    K: kube::Resource + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let mut params = params.limit(500);
    let mut found = Vec::new();
    loop {
        let page: ObjectList<PartialObjectMeta<K>> = api
            .list_metadata(&params)
            .await
            .map_err(|e| request.error(e))?;
        found.extend(page.items.into_iter().filter_map(|object| {
            let meta = object.metadata;
            Some((meta.name?, meta.namespace.unwrap_or_default()))
        }));
        match page.metadata.continue_.filter(|token| !token.is_empty()) {
            Some(token) => params = params.continue_token(&token),
            None => break,
        }
    }
    found.sort();
    Ok(found)
}
