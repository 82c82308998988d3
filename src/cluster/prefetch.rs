//! One cluster-wide list instead of a GET per namespace, when many namespaces are worked on.

use std::collections::HashMap;

use kube::Resource;
use kube::api::ListParams;
use serde::de::DeserializeOwned;

use super::Cluster;
use super::pages::cluster_wide;

/// Below this many namespaces, per-namespace GETs cost less than listing the whole cluster.
pub const WORTH_IT_FROM: usize = 8;

/// Every object named `name`, by namespace, read with one paginated cluster-wide list.
/// None when the list is not allowed or fails: callers then read per namespace as usual.
pub async fn named_everywhere<K>(cluster: &Cluster, name: &str) -> Option<HashMap<String, K>>
where
    K: Resource<DynamicType = ()> + Clone + DeserializeOwned + std::fmt::Debug,
{
    let params = ListParams::default().fields(&format!("metadata.name={name}"));
    cluster_wide(
        cluster,
        params,
        |found: &mut HashMap<_, _>, namespace, object| {
            found.insert(namespace, object);
        },
    )
    .await
}
