//! Watches for `sync --watch`: the namespaces (all, or those a label selector picks) and one
//! source secret, as one stream of events. kube-runtime watchers underneath: they list, then
//! watch, and re-list with backoff when a watch breaks.

use futures::{Stream, StreamExt};
use k8s_openapi::api::core::v1::{Namespace, Secret};
use kube::api::Api;
use kube::runtime::{WatchStreamExt, watcher};

use super::Cluster;
use super::namespaces::NamespaceInfo;

/// What changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A namespace appeared, or changed (labels, phase); also every namespace when a watch
    /// (re)starts.
    Namespace(NamespaceInfo),
    /// A namespace was deleted.
    NamespaceGone(String),
    /// The source secret was created or changed (or the watch restarted): read it again.
    Source,
    /// The source secret was deleted.
    SourceGone,
    /// A watch broke; it starts again by itself, with backoff. `what` names the watch.
    Broken { what: &'static str, cause: String },
}

/// The namespaces (matching `selector`, if given) and secret `namespace/name`, until the
/// caller stops reading. Never ends by itself while the server answers.
pub fn namespaces_and_secret(
    cluster: &Cluster,
    selector: Option<&str>,
    namespace: &str,
    name: &str,
) -> impl Stream<Item = Change> + Send + 'static {
    let mut config = watcher::Config::default();
    if let Some(selector) = selector {
        config = config.labels(selector);
    }
    let namespaces = watcher(Api::<Namespace>::all(cluster.client.clone()), config)
        .default_backoff()
        .filter_map(|event| async move {
            match event {
                Ok(watcher::Event::Apply(ns) | watcher::Event::InitApply(ns)) => {
                    Some(Change::Namespace(NamespaceInfo::of(&ns)))
                }
                Ok(watcher::Event::Delete(ns)) => ns.metadata.name.map(Change::NamespaceGone),
                Ok(watcher::Event::Init | watcher::Event::InitDone) => None,
                Err(err) => Some(Change::Broken {
                    what: "namespaces",
                    cause: crate::causes::chain(&err),
                }),
            }
        });
    let source = watcher(
        Api::<Secret>::namespaced(cluster.client.clone(), namespace),
        watcher::Config::default().fields(&format!("metadata.name={name}")),
    )
    .default_backoff()
    .filter_map(|event| async move {
        match event {
            Ok(watcher::Event::Apply(_) | watcher::Event::InitApply(_)) => Some(Change::Source),
            Ok(watcher::Event::Delete(_)) => Some(Change::SourceGone),
            Ok(watcher::Event::Init | watcher::Event::InitDone) => None,
            Err(err) => Some(Change::Broken {
                what: "the source secret",
                cause: crate::causes::chain(&err),
            }),
        }
    });
    futures::stream::select(namespaces, source)
}
