//! One client per run, built from the kubeconfig the way kubectl picks it.

use kube::config::{KubeConfigOptions, Kubeconfig, KubeconfigError};
use kube::{Client, Config};

use super::ClusterError;
use crate::cli::KubeArgs;

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
pub async fn connect(args: &KubeArgs) -> Result<Cluster, ClusterError> {
    let options = KubeConfigOptions {
        context: args.context.first().cloned(),
        ..Default::default()
    };
    let (config, context) = match read_kubeconfig(args) {
        Ok(kubeconfig) => {
            let context = context_name(&kubeconfig, args);
            if let Some(name) = &context
                && !kubeconfig.contexts.iter().any(|c| &c.name == name)
            {
                return Err(ClusterError::UnknownContext { name: name.clone() });
            }
            let config = Config::from_custom_kubeconfig(kubeconfig, &options)
                .await
                .map_err(|cause| ClusterError::Kubeconfig {
                    location: kubeconfig_location(args),
                    cause,
                })?;
            (config, context)
        }
        Err(cause) if args.kubeconfig.is_none() && args.context.is_empty() => {
            let config = Config::incluster().map_err(|_| ClusterError::Kubeconfig {
                location: kubeconfig_location(args),
                cause,
            })?;
            (config, None)
        }
        Err(cause) => {
            return Err(ClusterError::Kubeconfig {
                location: kubeconfig_location(args),
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
    let client = Client::try_from(config).map_err(|source| ClusterError::Client {
        server: server.clone(),
        source,
    })?;
    Ok(Cluster {
        client,
        default_namespace,
        server,
        context,
    })
}

/// The namespace a command would act in, without contacting any cluster (for
/// `--dry-run=client`): `-n`, else the kubeconfig context's, else `default`.
pub fn offline_namespace(args: &KubeArgs) -> String {
    if let Some(namespace) = args.namespace.first() {
        return namespace.clone();
    }
    let Ok(kubeconfig) = read_kubeconfig(args) else {
        return "default".into();
    };
    context_name(&kubeconfig, args)
        .and_then(|name| kubeconfig.contexts.into_iter().find(|c| c.name == name))
        .and_then(|named| named.context)
        .and_then(|context| context.namespace)
        .filter(|namespace| !namespace.is_empty())
        .unwrap_or_else(|| "default".into())
}

pub(super) fn read_kubeconfig(args: &KubeArgs) -> Result<Kubeconfig, KubeconfigError> {
    match &args.kubeconfig {
        Some(path) => Kubeconfig::read_from(path),
        None => Kubeconfig::read(),
    }
}

fn context_name(kubeconfig: &Kubeconfig, args: &KubeArgs) -> Option<String> {
    args.context
        .first()
        .cloned()
        .or_else(|| kubeconfig.current_context.clone())
        .filter(|name| !name.is_empty())
}

pub(super) fn kubeconfig_location(args: &KubeArgs) -> String {
    match (&args.kubeconfig, std::env::var_os("KUBECONFIG")) {
        (Some(path), _) => path.display().to_string(),
        (None, Some(env)) if !env.is_empty() => format!("$KUBECONFIG ({})", env.to_string_lossy()),
        _ => "~/.kube/config".into(),
    }
}
