//! One client per run, built from the kubeconfig the way kubectl picks it.

use std::time::Duration;

use kube::client::ClientBuilder;
use kube::config::{AuthInfo, KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};
use tower::buffer::BufferLayer;
use tower::retry::RetryLayer;
use tower::timeout::TimeoutLayer;

use super::ClusterError;
use super::Target;
use super::credentials::{
    ExecTokenLayer, auth_failure, client_certificate_failure, settle_exec, trim_token_file,
};
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
    let context_label = context.clone().unwrap_or_else(|| "in-cluster".into());
    if config.accept_invalid_certs {
        // kube warns on every connection; kubectl says nothing. Once, at -v=1.
        tracing::info!(
            "TLS verification is off for context {context_label:?} (insecure-skip-tls-verify): \
             the certificate of {server} is not checked"
        );
    }
    // kube is built without its proxy features (its builder would refuse with a message about
    // Cargo features): say so in the user's words, without the proxy's password.
    if let Some(proxy) = &config.proxy_url {
        return Err(ClusterError::Proxy {
            server,
            context: context_label,
            proxy: proxy.authority().map_or_else(String::new, |authority| {
                authority
                    .as_str()
                    .rsplit('@')
                    .next()
                    .unwrap_or_default()
                    .to_string()
            }),
        });
    }
    let auth_error = |reason| ClusterError::Auth {
        server: server.clone(),
        context: context_label.clone(),
        reason,
    };
    trim_token_file(&mut config.auth_info);
    let exec_command = config
        .auth_info
        .exec
        .as_ref()
        .and_then(|exec| exec.command.clone());
    let mut auth_info = std::mem::take(&mut config.auth_info);
    let (auth_info, exec_token) = tokio::task::spawn_blocking(move || {
        settle_exec(&mut auth_info).map(|token| (auth_info, token))
    })
    .await
    .map_err(|err| auth_error(format!("the exec credential plugin did not finish: {err}")))?
    .map_err(auth_error)?;
    // What a refused client certificate needs to be explained (kube has the config then).
    let certificate = AuthInfo {
        client_certificate: auth_info.client_certificate.clone(),
        client_certificate_data: auth_info.client_certificate_data.clone(),
        ..AuthInfo::default()
    };
    config.auth_info = auth_info;
    let layer = ExecTokenLayer(exec_token);
    let client = build_client(config, target.request_timeout, &layer).map_err(|source| {
        match source {
            kube::Error::Auth(ref auth) => auth_failure(auth, exec_command.as_deref()),
            kube::Error::RustlsTls(_) => client_certificate_failure(&certificate),
            _ => None,
        }
        .map_or_else(
            || ClusterError::Client {
                server: server.clone(),
                source,
            },
            auth_error,
        )
    })?;
    Ok(Cluster {
        client,
        default_namespace,
        server,
        context,
    })
}

/// kube's HTTP stack (auth, tracing), with an exec plugin's expiring token (`exec_token`),
/// wrapped in our retry policy and, with `--request-timeout`, a limit on each attempt. kube's
/// own retry (429/503/504 only, up to minutes) is switched off so there is one policy.
fn build_client(
    mut config: Config,
    request_timeout: Option<Duration>,
    exec_token: &ExecTokenLayer,
) -> Result<Client, kube::Error> {
    config.default_retry = false;
    // Must hold every request in flight: the fan-out bounds those, far below this.
    const QUEUE: usize = 1024;
    let retry = RetryLayer::new(RetryPolicy::new(Settings::default()));
    let stack = ClientBuilder::try_from(config)?
        .with_layer(&BufferLayer::new(QUEUE))
        .with_layer(exec_token);
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
