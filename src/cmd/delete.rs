//! `kubectl regcred delete`: detach a pull secret from every service account that lists it,
//! then delete it, across namespaces.

use super::{fan_out, in_each_context, mode_of, validate_named_namespaces, validate_secret_name};
use crate::cli::{DeleteArgs, KubeArgs};
use crate::cluster::fanout::{Outcome, Work};
use crate::cluster::{self, accounts, namespaces, secrets};
use crate::error::Error;

/// Runs `delete` in each chosen context.
pub async fn run(kube: &KubeArgs, args: &DeleteArgs) -> Result<(), Error> {
    validate_secret_name(&args.name)?;
    validate_named_namespaces(kube)?;
    in_each_context(
        kube,
        &args.output,
        "delete",
        &args.name,
        |kube, progress| async move { delete_in_context(&kube, args, &progress).await },
    )
    .await
}

/// One cluster's delete: one row per namespace.
async fn delete_in_context(
    kube: &KubeArgs,
    args: &DeleteArgs,
    progress: &indicatif::ProgressBar,
) -> Result<Vec<Outcome>, Error> {
    let cluster = cluster::connect(&kube.target()).await?;
    let mode = mode_of(&args.output);
    let (cluster_ref, name) = (&cluster, args.name.as_str());
    let selection = namespaces::resolve(&cluster, &kube.target()).await?;
    let outcomes = fan_out(
        selection,
        args.fanout.concurrency,
        progress,
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
    .await;
    Ok(outcomes)
}
