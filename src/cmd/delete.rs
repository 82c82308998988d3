//! `kubectl regcred delete`: detach a pull secret from every service account that lists it,
//! then delete it, across namespaces.

use super::{fan_out, mode_of, validate_named_namespaces, validate_secret_name};
use crate::cli::{DeleteArgs, KubeArgs};
use crate::cluster::fanout::Work;
use crate::cluster::{self, accounts, namespaces, secrets};
use crate::error::Error;

/// Runs `delete`.
pub async fn run(kube: &KubeArgs, args: &DeleteArgs) -> Result<(), Error> {
    validate_secret_name(&args.name)?;
    validate_named_namespaces(kube)?;
    let cluster = cluster::connect(kube).await?;
    let mode = mode_of(&args.output);
    let (cluster_ref, name) = (&cluster, args.name.as_str());
    let selection = namespaces::resolve(&cluster, kube).await?;
    fan_out(
        selection,
        args.fanout.concurrency,
        &args.output,
        "delete",
        name,
        |namespace| async move {
            // Detach first: a reference without its secret is what makes pulls fail silently.
            let accounts = accounts::detach_everywhere(cluster_ref, &namespace, name, mode).await?;
            let secret = secrets::delete(cluster_ref, &namespace, name, mode).await?;
            Ok(Work {
                secret: Some(secret),
                accounts,
            })
        },
    )
    .await
}
