//! What a command acts on: which kubeconfig, which of its contexts, which namespaces. `cmd/`
//! builds it once from kubectl's flags; everything in `cluster/` reads it, never the flags.

use std::path::PathBuf;
use std::time::Duration;

/// Where to act.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Target {
    /// `--kubeconfig`; None: the `KUBECONFIG` files, else `~/.kube/config`, else in-cluster.
    pub kubeconfig: Option<PathBuf>,
    pub contexts: Contexts,
    pub namespaces: Namespaces,
    /// Namespaces to leave out, by name or glob (`--exclude`).
    pub exclude: Vec<String>,
    /// A limit on each API request (`--request-timeout`); None: none.
    pub request_timeout: Option<Duration>,
}

/// Which kubeconfig contexts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Contexts {
    /// The kubeconfig's current context.
    #[default]
    Current,
    /// These, in this order (`--context a,b`); one for an ordinary one-cluster run.
    Named(Vec<String>),
    /// Every context of the kubeconfig (`--all-contexts`).
    All,
}

/// Which namespaces, as asked: the rules that turn this into namespaces live in
/// `cluster::namespaces`, in one place for every command.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Namespaces {
    /// The context's namespace, else `default`.
    #[default]
    ContextDefault,
    /// These (`-n a,b`), in this order, each once.
    Named(Vec<String>),
    /// Every namespace but the system ones (`-A`): see `namespaces::SYSTEM_NAMESPACES`.
    All,
    /// Those whose labels match (`--namespace-selector`).
    Selector(String),
}

impl Target {
    /// The context to connect to in a one-cluster run: the one named, else the current one.
    pub fn context(&self) -> Option<&str> {
        match &self.contexts {
            Contexts::Named(names) => names.first().map(String::as_str),
            Contexts::Current | Contexts::All => None,
        }
    }

    /// Whether the run spans several contexts.
    pub fn spans_contexts(&self) -> bool {
        match &self.contexts {
            Contexts::Named(names) => names.len() > 1,
            Contexts::All => true,
            Contexts::Current => false,
        }
    }

    /// The same target in one context of a several-context run.
    pub fn in_context(&self, name: &str) -> Target {
        Target {
            contexts: Contexts::Named(vec![name.to_string()]),
            ..self.clone()
        }
    }

    /// The namespace named first with `-n`, if any.
    pub fn first_named_namespace(&self) -> Option<&str> {
        match &self.namespaces {
            Namespaces::Named(names) => names.first().map(String::as_str),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_context_is_an_ordinary_run() {
        let target = Target {
            contexts: Contexts::Named(vec!["prod".into()]),
            ..Target::default()
        };
        assert_eq!(target.context(), Some("prod"));
        assert!(!target.spans_contexts());
        let both = Target {
            contexts: Contexts::Named(vec!["a".into(), "b".into()]),
            ..Target::default()
        };
        assert!(both.spans_contexts());
        assert_eq!(
            both.in_context("b").contexts,
            Contexts::Named(vec!["b".into()])
        );
        assert!(
            Target {
                contexts: Contexts::All,
                ..Target::default()
            }
            .spans_contexts()
        );
        assert_eq!(Target::default().context(), None);
    }
}
