//! Paginated lists: `limit` pages and the continue token, never one unbounded list.

use kube::ResourceExt;
use kube::api::{Api, ListParams};
use serde::de::DeserializeOwned;

use super::Cluster;

/// Objects per page.
pub const PAGE_SIZE: u32 = 500;

/// Lists page by page, handing each object to `visit`. `params` gets a page size unless it
/// has one.
pub async fn for_each_page<K>(
    api: &Api<K>,
    mut params: ListParams,
    mut visit: impl FnMut(K),
) -> Result<(), kube::Error>
where
    K: kube::Resource + Clone + DeserializeOwned + std::fmt::Debug,
{
    if params.limit.is_none() {
        params = params.limit(PAGE_SIZE);
    }
    loop {
        let page = api.list(&params).await?;
        page.items.into_iter().for_each(&mut visit);
        match page.metadata.continue_.filter(|token| !token.is_empty()) {
            Some(token) => params = params.continue_token(&token),
            None => return Ok(()),
        }
    }
}

/// Every object the list returns, read page by page.
pub async fn list_all<K>(api: &Api<K>, params: ListParams) -> Result<Vec<K>, kube::Error>
where
    K: kube::Resource + Clone + DeserializeOwned + std::fmt::Debug,
{
    let mut found = Vec::new();
    for_each_page(api, params, |object| found.push(object)).await?;
    Ok(found)
}

/// Every object of one paginated cluster-wide list of `K` (only those `params` select), each
/// handed with its namespace to `add`, which files it in what is built. None when the list is
/// not allowed or fails: callers then read per namespace.
pub async fn cluster_wide<K, T: Default>(
    cluster: &Cluster,
    params: ListParams,
    mut add: impl FnMut(&mut T, String, K),
) -> Option<T>
where
    K: kube::Resource<DynamicType = ()> + Clone + DeserializeOwned + std::fmt::Debug,
{
    let api: Api<K> = Api::all(cluster.client.clone());
    let mut found = T::default();
    let listed = for_each_page(&api, params, |object: K| {
        if let Some(namespace) = object.namespace() {
            add(&mut found, namespace, object);
        }
    })
    .await;
    match listed {
        Ok(()) => Some(found),
        Err(err) => {
            let kind = K::kind(&());
            tracing::debug!(error = %err, %kind, "cluster-wide list unavailable; reading per namespace");
            None
        }
    }
}
