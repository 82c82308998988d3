//! Several kubeconfig contexts in one run: which ones.

use kube::config::Kubeconfig;

use super::kubeconfig::{kubeconfig_location, read_kubeconfig};
use super::{ClusterError, Contexts, Target};

/// The contexts `--context a,b` or `--all-contexts` name, in kubeconfig order for
/// `--all-contexts` and in the order given otherwise; `None` for an ordinary one-cluster run.
///
/// Every name is checked against the kubeconfig before anything is sent anywhere, so a typo
/// is a usage error rather than one failed cluster among good ones.
pub fn chosen(target: &Target) -> Result<Option<Vec<String>>, ClusterError> {
    if !target.spans_contexts() {
        return Ok(None);
    }
    let kubeconfig = read_kubeconfig(target).map_err(|cause| ClusterError::Kubeconfig {
        location: kubeconfig_location(target),
        cause,
    })?;
    pick(&kubeconfig, target).map(Some)
}

fn pick(kubeconfig: &Kubeconfig, target: &Target) -> Result<Vec<String>, ClusterError> {
    let known: Vec<&str> = kubeconfig
        .contexts
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let mut names = match &target.contexts {
        Contexts::All if known.is_empty() => {
            return Err(ClusterError::NoContexts {
                location: kubeconfig_location(target),
            });
        }
        Contexts::All => known.iter().map(|name| name.to_string()).collect(),
        Contexts::Named(names) => names.clone(),
        Contexts::Current => Vec::new(),
    };
    dedup_in_order(&mut names);
    if let Some(unknown) = names.iter().find(|name| !known.contains(&name.as_str())) {
        return Err(ClusterError::UnknownContext {
            name: unknown.clone(),
        });
    }
    Ok(names)
}

/// Merged kubeconfig files may repeat a name; the first one wins, as in kubectl.
fn dedup_in_order(names: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    names.retain(|name| seen.insert(name.clone()));
}

/// Every context name in the kubeconfig the flags point at, in its order (for completion);
/// none when it cannot be read.
pub fn names(target: &Target) -> Vec<String> {
    let Ok(kubeconfig) = read_kubeconfig(target) else {
        return Vec::new();
    };
    let mut names: Vec<String> = kubeconfig.contexts.into_iter().map(|c| c.name).collect();
    dedup_in_order(&mut names);
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kubeconfig(names: &[&str]) -> Kubeconfig {
        let contexts: Vec<String> = names
            .iter()
            .map(|name| format!("- name: {name}\n  context: {{cluster: c, user: u}}\n"))
            .collect();
        let yaml = format!(
            "apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts:\n{}",
            contexts.concat()
        );
        Kubeconfig::from_yaml(&yaml).unwrap()
    }

    fn args(context: &[&str], all_contexts: bool) -> Target {
        Target {
            contexts: match (all_contexts, context) {
                (true, _) => Contexts::All,
                (false, []) => Contexts::Current,
                (false, names) => Contexts::Named(names.iter().map(|c| c.to_string()).collect()),
            },
            ..Default::default()
        }
    }

    #[test]
    fn one_context_or_none_is_an_ordinary_run() {
        assert_eq!(chosen(&args(&[], false)).unwrap(), None);
        assert_eq!(chosen(&args(&["prod"], false)).unwrap(), None);
    }

    #[test]
    fn named_contexts_keep_their_order_without_repeats() {
        let config = kubeconfig(&["a", "b", "c"]);
        assert_eq!(
            pick(&config, &args(&["c", "a", "c"], false)).unwrap(),
            ["c", "a"]
        );
    }

    #[test]
    fn an_unknown_context_is_named() {
        let config = kubeconfig(&["a", "b"]);
        let err = pick(&config, &args(&["a", "staging"], false)).unwrap_err();
        assert!(err.is_usage());
        assert!(err.to_string().contains("\"staging\""), "{err}");
    }

    #[test]
    fn all_contexts_is_every_context_in_kubeconfig_order() {
        let config = kubeconfig(&["prod", "dev", "prod"]);
        assert_eq!(pick(&config, &args(&[], true)).unwrap(), ["prod", "dev"]);
        assert!(pick(&kubeconfig(&[]), &args(&[], true)).is_err());
    }
}
