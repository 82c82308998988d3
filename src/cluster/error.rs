//! Errors from talking to the API server, each naming what failed and what to do.

use kube::config::KubeconfigError;

use super::Cluster;

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error(
        "cannot load the kubeconfig {location}: {}",
        describe_kubeconfig_error(cause)
    )]
    Kubeconfig {
        location: String,
        cause: KubeconfigError,
    },

    #[error("context {name:?} not found in the kubeconfig (see: kubectl config get-contexts)")]
    UnknownContext { name: String },

    #[error("the kubeconfig {location} has no contexts (see: kubectl config get-contexts)")]
    NoContexts { location: String },

    #[error("cannot authenticate to {server} (kubeconfig context {context}): {reason}")]
    Auth {
        server: String,
        context: String,
        reason: String,
    },

    #[error(
        "the kubeconfig context {context} reaches {server} through the proxy {proxy} \
         (proxy-url): kubectl regcred does not connect through proxies; use a context without one"
    )]
    Proxy {
        server: String,
        context: String,
        /// Host and port only: a proxy URL may carry a user and password.
        proxy: String,
    },

    #[error("cannot build a client for {server}")]
    Client {
        server: String,
        #[source]
        source: kube::Error,
    },

    #[error("cannot reach the API server at {server} (kubeconfig context {context}): {cause}")]
    Unreachable {
        server: String,
        context: String,
        cause: String,
    },

    #[error(
        "the API server at {server} (kubeconfig context {context}) rejected the credentials: \
         log in again or check the user of that context"
    )]
    Unauthorized { server: String, context: String },

    #[error("not allowed to {verb} {object} {} (RBAC): {message}", where_(.namespace))]
    Forbidden {
        verb: &'static str,
        object: String,
        namespace: String,
        message: String,
    },

    #[error(
        "namespace {namespace:?} not found: create it with `kubectl create namespace {namespace}`"
    )]
    NamespaceNotFound { namespace: String },

    /// A namespace named for reading (`status`, `diagnose`) that the cluster does not have:
    /// saying nothing is found there would read as an all-clear.
    #[error("namespace {namespace:?} not found (`kubectl get namespaces` lists them)")]
    MissingNamespaceToRead { namespace: String },

    #[error(
        "{object} in namespace {namespace:?} has type {found:?}, not kubernetes.io/dockerconfigjson: \
         refusing to change it; pick another name or delete it first"
    )]
    WrongSecretType {
        object: String,
        namespace: String,
        found: String,
    },

    #[error("invalid namespace {name:?}: {reason}")]
    InvalidNamespace { name: String, reason: String },

    #[error(
        "secret {name:?} not found in namespace {namespace:?}: create it with \
         `kubectl regcred create {name} -n {namespace} ...`"
    )]
    MissingSecret { name: String, namespace: String },

    #[error("{}", missing_account_message(name, namespace, *waited))]
    MissingServiceAccount {
        name: String,
        namespace: String,
        waited: bool,
    },

    #[error(
        "{object} in namespace {namespace:?} holds a .dockerconfigjson that {reason}: \
         refusing to merge into it; pass --replace to overwrite it"
    )]
    UnreadableSecret {
        object: String,
        namespace: String,
        reason: String,
    },

    #[error(
        "{object} in namespace {namespace:?} kept changing under us; gave up after {attempts} attempts"
    )]
    Contended {
        object: String,
        namespace: String,
        attempts: usize,
    },

    #[error("cannot {verb} {object} in namespace {namespace:?}: {message}")]
    Api {
        verb: &'static str,
        object: String,
        namespace: String,
        message: String,
    },
}

impl ClusterError {
    /// True when the user's input, not the cluster, is at fault.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            ClusterError::UnknownContext { .. }
                | ClusterError::NoContexts { .. }
                | ClusterError::InvalidNamespace { .. }
        )
    }

    /// True when RBAC refused the request.
    pub fn is_forbidden(&self) -> bool {
        matches!(self, ClusterError::Forbidden { .. })
    }
}

/// Where a refused request was: `in namespace "team-a"`, or `across the cluster` for a
/// cluster-wide list or a cluster-scoped object (namespace "").
fn where_(namespace: &str) -> String {
    match namespace {
        "" => "across the cluster".to_string(),
        namespace => format!("in namespace {namespace:?}"),
    }
}

/// What a request was doing, so its error can say so.
pub(crate) struct Request<'a> {
    pub cluster: &'a Cluster,
    pub verb: &'static str,
    pub object: String,
    pub namespace: &'a str,
}

impl Cluster {
    /// A request description for error messages: `verb` on `object` in `namespace` ("" for
    /// cluster-wide).
    pub(crate) fn request<'a>(
        &'a self,
        verb: &'static str,
        object: &str,
        namespace: &'a str,
    ) -> Request<'a> {
        Request {
            cluster: self,
            verb,
            object: object.to_string(),
            namespace,
        }
    }
}

impl Request<'_> {
    /// Turns a kube error into one that names the object, the namespace and the fix.
    ///
    /// Decided on status codes, never on message text, so a kube upgrade touches only here.
    pub fn error(&self, err: kube::Error) -> ClusterError {
        let context = self
            .cluster
            .context
            .clone()
            .unwrap_or_else(|| "in-cluster".into());
        let status = match err {
            kube::Error::Api(status) => status,
            other => {
                if let Some(reason) = auth_failure_in(&other) {
                    return ClusterError::Auth {
                        server: self.cluster.server.clone(),
                        context,
                        reason,
                    };
                }
                return ClusterError::Unreachable {
                    server: self.cluster.server.clone(),
                    context,
                    cause: root_cause(&other),
                };
            }
        };
        let message = status.message.clone();
        let namespace = self.namespace.to_string();
        let object = self.object.clone();
        match status.code {
            401 => ClusterError::Unauthorized {
                server: self.cluster.server.clone(),
                context,
            },
            403 => ClusterError::Forbidden {
                verb: self.verb,
                object,
                namespace,
                message,
            },
            404 if status
                .details
                .as_ref()
                .is_some_and(|d| d.kind == "namespaces") =>
            {
                ClusterError::NamespaceNotFound { namespace }
            }
            _ => ClusterError::Api {
                verb: self.verb,
                object,
                namespace,
                message,
            },
        }
    }
}

fn missing_account_message(name: &str, namespace: &str, waited: bool) -> String {
    if waited {
        format!(
            "service account {name:?} does not exist in namespace {namespace:?} (waited for the \
             service-account controller; is kube-controller-manager running?)"
        )
    } else {
        format!(
            "service account {name:?} not found in namespace {namespace:?}: create it with \
             `kubectl create serviceaccount {name} -n {namespace}`"
        )
    }
}

/// The part of a kubeconfig error the location does not already say, with a hint where the
/// file is missing altogether.
fn describe_kubeconfig_error(err: &KubeconfigError) -> String {
    match err {
        KubeconfigError::ReadConfig(io, _) if io.kind() == std::io::ErrorKind::NotFound => {
            "no such file: pass --kubeconfig PATH or set KUBECONFIG (`create --dry-run=client` needs none)"
                .into()
        }
        KubeconfigError::ReadConfig(io, _) => io.to_string(),
        KubeconfigError::FindPath => "no home directory to look for ~/.kube/config in".into(),
        other => other.to_string(),
    }
}

/// A credential that failed on a request (an exec plugin re-run when its token expired, a
/// token that is no header value), anywhere in the error's chain.
fn auth_failure_in(err: &kube::Error) -> Option<String> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(current) = cause {
        if let Some(auth) = current.downcast_ref::<kube::client::AuthError>() {
            return super::credentials::auth_failure(auth, None);
        }
        cause = current.source();
    }
    None
}

/// The innermost error text: "Connection refused (os error 111)" rather than "ServiceError".
pub(super) fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_names_its_namespace_or_the_whole_cluster() {
        let refused = |namespace: &str| ClusterError::Forbidden {
            verb: "list",
            object: "pods".into(),
            namespace: namespace.into(),
            message: "pods is forbidden".into(),
        };
        assert_eq!(
            refused("team-a").to_string(),
            "not allowed to list pods in namespace \"team-a\" (RBAC): pods is forbidden"
        );
        assert_eq!(
            refused("").to_string(),
            "not allowed to list pods across the cluster (RBAC): pods is forbidden"
        );
    }
}
