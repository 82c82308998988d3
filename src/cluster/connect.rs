//! One client per run, built from the kubeconfig the way kubectl picks it.

use std::time::Duration;

use kube::client::ClientBuilder;
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};
use tower::buffer::BufferLayer;
use tower::retry::RetryLayer;
use tower::timeout::TimeoutLayer;

use super::ClusterError;
use super::Target;
use super::credentials::{auth_failure, trim_token_file};
use super::kubeconfig::{kubeconfig_location, read_kubeconfig};
use super::retry::{RetryPolicy, Settings};

/// A connection to one cluster: the client plus what error messages need to name.
#[derive(Clone)]
pub struct Cluster {
    pub client: Client,
    /// Namespace of the kubeconfig context (or "default").
    pub default_namespace: String,
    /// Where the client talks to, e.g. `https://127.0.0.1:6443`.
    pub server: String,
    /// The kubeconfig context in use, if any (none in-cluster).
    pub context: Option<String>,
}

/// Connects as kubectl would: `--kubeconfig`, else `KUBECONFIG`, else `~/.kube/config`, else
/// the in-cluster service account; `--context` picks the context.
///
/// Nothing is sent to the server yet; an unreachable server shows on the first request.
pub async fn connect(target: &Target) -> Result<Cluster, ClusterError> {
    let options = KubeConfigOptions {
        context: target.context().map(str::to_string),
        ..Default::default()
    };
    let (mut config, context) = match read_kubeconfig(target) {
        Ok(kubeconfig) => {
            let context = context_name(&kubeconfig, target);
            if let Some(name) = &context
                && !kubeconfig.contexts.iter().any(|c| &c.name == name)
            {
                return Err(ClusterError::UnknownContext { name: name.clone() });
            }
            let config = Config::from_custom_kubeconfig(kubeconfig, &options)
                .await
                .map_err(|cause| ClusterError::Kubeconfig {
                    location: kubeconfig_location(target),
                    cause,
                })?;
            (config, context)
        }
        Err(cause) if target.kubeconfig.is_none() && target.context().is_none() => {
            let config = Config::incluster().map_err(|_| ClusterError::Kubeconfig {
                location: kubeconfig_location(target),
                cause,
            })?;
            (config, None)
        }
        Err(cause) => {
            return Err(ClusterError::Kubeconfig {
                location: kubeconfig_location(target),
                cause,
            });
        }
    };
    let server = config
        .cluster_url
        .to_string()
        .trim_end_matches('/')
        .to_string();
    let default_namespace = config.default_namespace.clone();
    trim_token_file(&mut config.auth_info);
    let exec_command = config
        .auth_info
        .exec
        .as_ref()
        .and_then(|exec| exec.command.clone());
    let client = build_client(config, target.request_timeout).map_err(|source| {
        match source {
            kube::Error::Auth(ref auth) => auth_failure(auth, exec_command.as_deref()),
            _ => None,
        }
        .map_or_else(
            || ClusterError::Client {
                server: server.clone(),
                source,
            },
            |reason| ClusterError::Auth {
                server: server.clone(),
                context: context.clone().unwrap_or_else(|| "in-cluster".into()),
                reason,
            },
        )
    })?;
    Ok(Cluster {
        client,
        default_namespace,
        server,
        context,
    })
}

/// kube's HTTP stack (auth, tracing), wrapped in our retry policy and, with
/// `--request-timeout`, a limit on each attempt. kube's own retry (429/503/504 only, up to
/// minutes) is switched off so there is one policy.
fn build_client(
    mut config: Config,
    request_timeout: Option<Duration>,
) -> Result<Client, kube::Error> {
    config.default_retry = false;
    // Must hold every request in flight: the fan-out bounds those, far below this.
    const QUEUE: usize = 1024;
    let retry = RetryLayer::new(RetryPolicy::new(Settings::default()));
    let stack = ClientBuilder::try_from(config)?.with_layer(&BufferLayer::new(QUEUE));
    Ok(match request_timeout {
        Some(limit) => stack
            .with_layer(&TimeoutLayer::new(limit))
            .with_layer(&retry)
            .build(),
        None => stack.with_layer(&retry).build(),
    })
}

/// The namespace a command would act in, without contacting any cluster (for
/// `--dry-run=client`): `-n`, else the kubeconfig context's, else `default`.
pub fn offline_namespace(target: &Target) -> String {
    if let Some(namespace) = target.first_named_namespace() {
        return namespace.to_string();
    }
    let Ok(kubeconfig) = read_kubeconfig(target) else {
        return "default".into();
    };
    context_name(&kubeconfig, target)
        .and_then(|name| kubeconfig.contexts.into_iter().find(|c| c.name == name))
        .and_then(|named| named.context)
        .and_then(|context| context.namespace)
        .filter(|namespace| !namespace.is_empty())
        .unwrap_or_else(|| "default".into())
}

fn context_name(kubeconfig: &Kubeconfig, target: &Target) -> Option<String> {
    target
        .context()
        .map(str::to_string)
        .or_else(|| kubeconfig.current_context.clone())
        .filter(|name| !name.is_empty())
}
