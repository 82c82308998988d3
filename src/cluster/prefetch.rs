//! One cluster-wide list instead of a GET per namespace, when many namespaces are worked on.

use std::collections::HashMap;

use kube::api::{Api, ListParams};
use kube::{Resource, ResourceExt};
use serde::de::DeserializeOwned;

use super::Cluster;
use super::pages::for_each_page;

/// Below this many namespaces, per-namespace GETs cost less than listing the whole cluster.
pub const WORTH_IT_FROM: usize = 8;

/// Every object named `name`, by namespace, read with one paginated cluster-wide list.
/// None when the list is not allowed or fails: callers then read per namespace as usual.
pub async fn named_everywhere<K>(cluster: &Cluster, name: &str) -> Option<HashMap<String, K>>
where
    K: Resource<DynamicType = ()> + Clone + DeserializeOwned + std::fmt::Debug,
{
    let api: Api<K> = Api::all(cluster.client.clone());
    let params = ListParams::default().fields(&format!("metadata.name={name}"));
    let mut found = HashMap::new();
    let listed = for_each_page(&api, params, |object: K| {
        if let Some(namespace) = object.namespace() {
            found.insert(namespace, object);
        }
    })
    .await;
    match listed {
        Ok(()) => Some(found),
        Err(err) => {
            tracing::debug!(error = %err, "cluster-wide list unavailable; reading per namespace");
            None
        }
    }
}
