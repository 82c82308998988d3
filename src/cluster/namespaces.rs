//! Which namespaces a command acts in: `-n`, `-A`, `--namespace-selector`, `--exclude`. One
//! resolver for every command, so `-A` means the same set everywhere: every namespace but the
//! system ones and those excluded, without the terminating ones.

use std::collections::HashSet;

use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, ListParams};

use super::error::Request;
use super::pages::for_each_page;
use super::{Cluster, ClusterError, Namespaces, Target};
use crate::glob::matches as glob_matches;

/// Namespaces `-A` leaves out unless they are named with `-n`.
pub const SYSTEM_NAMESPACES: &[&str] = &["kube-system", "kube-public", "kube-node-lease"];

/// The namespaces to act in, and the ones left out with the reason.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Selection {
    pub targets: Vec<String>,
    pub skipped: Vec<(String, String)>,
    /// Asked for with `-A`: commands that read may list every namespace at once and keep what
    /// lies in `targets`.
    pub everywhere: bool,
    /// Targets named with `-n` that the cluster's list of namespaces does not hold (empty when
    /// the user may not list namespaces): a write there fails as `create` does, with
    /// [`ClusterError::NamespaceNotFound`].
    pub absent: Vec<String>,
    /// Nothing to act in and nothing left out: why, in kubectl's words for an empty result
    /// ("No resources found"): `no namespace matches team=x`.
    pub nothing_selected: Option<String>,
}

impl Selection {
    /// Is `namespace` one to act in?
    pub fn contains(&self, namespace: &str) -> bool {
        self.targets.iter().any(|t| t == namespace)
    }
}

/// Did the user name exactly one namespace (with `-n`, or through the context's namespace) of
/// one cluster? There, as in kubectl, an object that is not found is an error, not a skipped
/// row.
pub fn names_one(target: &Target) -> bool {
    let one = match &target.namespaces {
        Namespaces::ContextDefault => true,
        Namespaces::Named(names) => names
            .first()
            .is_some_and(|first| names.iter().all(|name| name == first)),
        Namespaces::All | Namespaces::Selector(_) => false,
    };
    one && !target.spans_contexts()
}

/// What the cluster says about one namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamespaceInfo {
    pub name: String,
    pub is_terminating: bool,
}

impl NamespaceInfo {
    /// The facts of a namespace object: terminating once deleted or in phase Terminating.
    pub fn of(namespace: &Namespace) -> Self {
        NamespaceInfo {
            name: namespace.metadata.name.clone().unwrap_or_default(),
            is_terminating: namespace.metadata.deletion_timestamp.is_some()
                || namespace.status.as_ref().and_then(|s| s.phase.as_deref())
                    == Some("Terminating"),
        }
    }
}

/// How the user asked for namespaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wanted {
    Named(Vec<String>),
    All,
    Selector(String),
}

/// Turns the target's namespaces into a request, with the context's namespace when none is
/// named.
pub fn requested(target: &Target, default_namespace: &str) -> Wanted {
    match &target.namespaces {
        Namespaces::All => Wanted::All,
        Namespaces::Selector(selector) => Wanted::Selector(selector.clone()),
        Namespaces::ContextDefault => Wanted::Named(vec![default_namespace.to_string()]),
        Namespaces::Named(given) => {
            let mut names: Vec<String> = Vec::new();
            for name in given {
                if !names.contains(name) {
                    names.push(name.clone());
                }
            }
            Wanted::Named(names)
        }
    }
}

/// Picks the namespaces from what the cluster listed (pure, so it is tested without one).
///
/// `listed` is `None` for named namespaces when the user may not list namespaces: then the
/// names are taken as given.
pub fn select(request: &Wanted, listed: Option<&[NamespaceInfo]>, exclude: &[String]) -> Selection {
    let mut selection = Selection {
        everywhere: *request == Wanted::All,
        ..Selection::default()
    };
    let candidates: Vec<NamespaceInfo> = match (request, listed) {
        (Wanted::Named(names), Some(listed)) => names
            .iter()
            .map(|name| {
                listed
                    .iter()
                    .find(|ns| &ns.name == name)
                    .cloned()
                    .unwrap_or_else(|| {
                        selection.absent.push(name.clone());
                        NamespaceInfo {
                            name: name.clone(),
                            is_terminating: false,
                        }
                    })
            })
            .collect(),
        (Wanted::Named(names), None) => names
            .iter()
            .map(|name| NamespaceInfo {
                name: name.clone(),
                is_terminating: false,
            })
            .collect(),
        (_, listed) => listed.unwrap_or_default().to_vec(),
    };
    for ns in candidates {
        match left_out(request, &ns, exclude) {
            Some(reason) => selection.skipped.push((ns.name, reason.into())),
            None => selection.targets.push(ns.name),
        }
    }
    selection
        .absent
        .retain(|name| selection.targets.contains(name));
    if selection.targets.is_empty() && selection.skipped.is_empty() {
        selection.nothing_selected = Some(match request {
            Wanted::Selector(selector) => format!("no namespace matches {selector}"),
            Wanted::All | Wanted::Named(_) => "no namespace found".to_string(),
        });
    }
    selection
}

/// Why a namespace the request reaches is left out, if it is: the one rule of every selection,
/// listed ([`select`]) or not ([`Everywhere`]).
fn left_out(request: &Wanted, ns: &NamespaceInfo, exclude: &[String]) -> Option<&'static str> {
    if exclude
        .iter()
        .any(|pattern| glob_matches(pattern, &ns.name))
    {
        Some("excluded by --exclude")
    } else if *request == Wanted::All && SYSTEM_NAMESPACES.contains(&ns.name.as_str()) {
        Some("system namespace (name it with -n to include it)")
    } else if ns.is_terminating {
        Some("namespace is terminating")
    } else {
        None
    }
}

/// `-A` for a command that only reads and lists every kind cluster-wide: the same set as
/// [`select`] gives, decided name by name, so that it needs the terminating namespaces only,
/// not a list of every namespace (on a cluster of thousands, that list cost more than the
/// reads themselves).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Everywhere {
    terminating: HashSet<String>,
    exclude: Vec<String>,
}

impl Everywhere {
    /// `-A` without knowing which namespaces are terminating: when the cluster-wide lists found
    /// nothing there is no namespace to decide about, and someone who may not list namespaces
    /// cannot be told.
    pub fn without_terminating(target: &Target) -> Self {
        Everywhere {
            terminating: HashSet::new(),
            exclude: target.exclude.clone(),
        }
    }

    /// Is `namespace` one `-A` reads?
    pub fn contains(&self, namespace: &str) -> bool {
        let ns = NamespaceInfo {
            name: namespace.to_string(),
            is_terminating: self.terminating.contains(namespace),
        };
        left_out(&Wanted::All, &ns, &self.exclude).is_none()
    }
}

/// What a reading command keeps of what it listed.
#[derive(Debug, PartialEq, Eq)]
pub enum Reading {
    /// `-n` or `--namespace-selector`: the namespaces listed and selected.
    Selected(Selection),
    /// `-A`: every namespace the rule admits.
    Everywhere(Everywhere),
}

impl Reading {
    /// Is `namespace` one to read?
    pub fn contains(&self, namespace: &str) -> bool {
        match self {
            Reading::Selected(selection) => selection.contains(namespace),
            Reading::Everywhere(everywhere) => everywhere.contains(namespace),
        }
    }

    /// Why nothing is read, when nothing is ([`Selection::nothing_selected`]).
    pub fn nothing_selected(&self) -> Option<&str> {
        match self {
            Reading::Selected(selection) => selection.nothing_selected.as_deref(),
            Reading::Everywhere(_) => None,
        }
    }
}

/// `-A` for a command that only reads: the terminating namespaces, from the API server's cache.
pub async fn everywhere(cluster: &Cluster, target: &Target) -> Result<Everywhere, ClusterError> {
    // Any resource version: the API server answers from its watch cache instead of reading
    // every namespace from etcd to find the few terminating ones. A namespace deleted a moment
    // ago may still be read, which a reader can afford. Unpaginated, as the cache answers
    // (kube drops resourceVersion=0 from a request with a limit).
    let params = ListParams::default()
        .fields("status.phase=Terminating")
        .match_any();
    let api: Api<Namespace> = Api::all(cluster.client.clone());
    let listed = match api.list(&params).await {
        Ok(listed) => listed,
        Err(err) => match list_request(cluster).error(err) {
            // Someone who may read pods and secrets everywhere but not list namespaces still
            // gets the reading; only terminating namespaces, which -A would leave out, stay in.
            err @ ClusterError::Forbidden { .. } => {
                tracing::info!("{err}: terminating namespaces are not left out");
                return Ok(Everywhere::without_terminating(target));
            }
            err => return Err(err),
        },
    };
    let terminating = listed
        .items
        .iter()
        .map(NamespaceInfo::of)
        .filter(|ns| ns.is_terminating)
        .map(|ns| ns.name)
        .collect();
    Ok(Everywhere {
        terminating,
        ..Everywhere::without_terminating(target)
    })
}

/// Named namespaces must be valid names: a typo is a usage error before anything is sent.
fn validate(request: &Wanted) -> Result<(), ClusterError> {
    if let Wanted::Named(names) = request {
        for name in names {
            super::validate_namespace(name).map_err(|reason| ClusterError::InvalidNamespace {
                name: name.clone(),
                reason,
            })?;
        }
    }
    Ok(())
}

/// Resolves the target's namespaces without a cluster, where that can be done: named ones (or
/// `default_namespace`, the kubeconfig context's), validated, with `--exclude` applied. None for
/// `-A` and selectors, which need the cluster's list ([`resolve`]).
pub fn resolve_offline(
    target: &Target,
    default_namespace: &str,
) -> Result<Option<Selection>, ClusterError> {
    let request = requested(target, default_namespace);
    if !matches!(request, Wanted::Named(_)) {
        return Ok(None);
    }
    validate(&request)?;
    Ok(Some(select(&request, None, &target.exclude)))
}

/// Resolves the namespace flags against the cluster: one paginated list of namespaces.
pub async fn resolve(cluster: &Cluster, target: &Target) -> Result<Selection, ClusterError> {
    let request = requested(target, &cluster.default_namespace);
    validate(&request)?;
    let params = match &request {
        Wanted::Selector(selector) => ListParams::default().labels(selector),
        _ => ListParams::default(),
    };
    let listed = match list(cluster, params).await {
        Ok(listed) => Some(listed),
        // Someone who may only work in their own namespaces can still name them.
        Err(ClusterError::Forbidden { .. }) if matches!(request, Wanted::Named(_)) => None,
        Err(err) => return Err(err),
    };
    Ok(select(&request, listed.as_deref(), &target.exclude))
}

async fn list(cluster: &Cluster, params: ListParams) -> Result<Vec<NamespaceInfo>, ClusterError> {
    let api: Api<Namespace> = Api::all(cluster.client.clone());
    let mut found = Vec::new();
    for_each_page(&api, params, |ns: Namespace| {
        found.push(NamespaceInfo::of(&ns))
    })
    .await
    .map_err(|e| list_request(cluster).error(e))?;
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

/// The request that lists namespaces, as its errors name it.
fn list_request(cluster: &Cluster) -> Request<'_> {
    Request {
        cluster,
        verb: "list",
        object: "namespaces".into(),
        namespace: "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ns(name: &str) -> NamespaceInfo {
        NamespaceInfo {
            name: name.into(),
            is_terminating: false,
        }
    }

    fn listed() -> Vec<NamespaceInfo> {
        let mut all: Vec<_> = [
            "default",
            "kube-node-lease",
            "kube-public",
            "kube-system",
            "team-a",
            "team-b",
        ]
        .into_iter()
        .map(ns)
        .collect();
        all.push(NamespaceInfo {
            name: "old".into(),
            is_terminating: true,
        });
        all
    }

    #[test]
    fn all_namespaces_skips_system_and_terminating_ones_and_says_why() {
        let selection = select(&Wanted::All, Some(&listed()), &[]);
        assert_eq!(selection.targets, ["default", "team-a", "team-b"]);
        let skipped: Vec<_> = selection.skipped.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            skipped,
            ["kube-node-lease", "kube-public", "kube-system", "old"]
        );
        assert!(selection.skipped[3].1.contains("terminating"));
    }

    #[test]
    fn all_namespaces_for_readers_is_the_listed_set() {
        for exclude in [
            vec![],
            vec!["team-b".to_string()],
            vec!["kube-*".to_string()],
        ] {
            let selection = select(&Wanted::All, Some(&listed()), &exclude);
            let everywhere = Everywhere {
                terminating: ["old".to_string()].into(),
                exclude: exclude.clone(),
            };
            for ns in listed() {
                assert_eq!(
                    everywhere.contains(&ns.name),
                    selection.contains(&ns.name),
                    "{} with --exclude {exclude:?}",
                    ns.name
                );
            }
        }
    }

    #[test]
    fn system_namespaces_are_used_when_named() {
        let request = Wanted::Named(vec!["kube-system".into()]);
        let selection = select(&request, Some(&listed()), &[]);
        assert_eq!(selection.targets, ["kube-system"]);
    }

    #[test]
    fn exclude_takes_names_and_globs() {
        let exclude = vec!["team-*".to_string(), "default".to_string()];
        let selection = select(&Wanted::All, Some(&listed()), &exclude);
        assert!(selection.targets.is_empty(), "{selection:?}");
        assert!(
            selection
                .skipped
                .iter()
                .any(|(n, r)| n == "team-b" && r.contains("--exclude"))
        );
    }

    #[test]
    fn named_namespaces_need_no_list_permission() {
        let request = Wanted::Named(vec!["mine".into()]);
        assert_eq!(select(&request, None, &[]).targets, ["mine"]);
    }

    #[test]
    fn named_namespaces_the_cluster_lacks_are_marked_absent() {
        let request = Wanted::Named(vec!["team-a".into(), "nope".into()]);
        let selection = select(&request, Some(&listed()), &[]);
        assert_eq!(selection.targets, ["team-a", "nope"]);
        assert_eq!(selection.absent, ["nope"]);
        // Without the list, nothing is known to be absent.
        assert!(select(&request, None, &[]).absent.is_empty());
        // Nor is an excluded name a target at all.
        let excluded = select(&request, Some(&listed()), &["nope".to_string()]);
        assert!(excluded.absent.is_empty(), "{excluded:?}");
    }

    #[test]
    fn a_selection_of_nothing_says_why_in_kubectl_words() {
        let request = Wanted::Selector("team=nomatch".into());
        let selection = select(&request, Some(&[]), &[]);
        assert_eq!(
            selection.nothing_selected.as_deref(),
            Some("no namespace matches team=nomatch")
        );
        // Namespaces left out are reported rows: that is no empty selection.
        let excluded = select(&request, Some(&listed()[4..5]), &["team-*".to_string()]);
        assert_eq!(excluded.nothing_selected, None);
        assert_eq!(
            select(&Wanted::All, Some(&listed()), &[]).nothing_selected,
            None
        );
    }

    #[test]
    fn one_named_namespace_in_one_cluster_is_explicit() {
        let with = |namespaces, contexts| Target {
            namespaces,
            contexts,
            ..Target::default()
        };
        use super::super::target::Contexts;
        let one = || Namespaces::Named(vec!["a".into()]);
        assert!(names_one(&with(one(), Contexts::Current)));
        assert!(names_one(&with(
            Namespaces::ContextDefault,
            Contexts::Current
        )));
        assert!(names_one(&with(
            Namespaces::Named(vec!["a".into(), "a".into()]),
            Contexts::Current
        )));
        assert!(!names_one(&with(
            Namespaces::Named(vec!["a".into(), "b".into()]),
            Contexts::Current
        )));
        assert!(!names_one(&with(Namespaces::All, Contexts::Current)));
        assert!(!names_one(&with(
            Namespaces::Selector("x=y".into()),
            Contexts::Current
        )));
        assert!(!names_one(&with(one(), Contexts::All)));
        assert!(names_one(&with(
            one(),
            Contexts::Named(vec!["prod".into()])
        )));
    }

    #[test]
    fn named_namespaces_keep_their_order_and_lose_duplicates() {
        let target = Target {
            namespaces: Namespaces::Named(vec!["b".into(), "a".into(), "b".into()]),
            ..Default::default()
        };
        assert_eq!(
            requested(&target, "x"),
            Wanted::Named(vec!["b".into(), "a".into()])
        );
        assert_eq!(
            requested(&Target::default(), "ctx"),
            Wanted::Named(vec!["ctx".into()])
        );
    }
}
