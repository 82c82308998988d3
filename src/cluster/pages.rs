//! Paginated lists: `limit` pages and the continue token, never one unbounded list.

use kube::api::{Api, ListParams};
use serde::de::DeserializeOwned;

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
