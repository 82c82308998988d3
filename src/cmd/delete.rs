//! `kubectl regcred delete`: detach a pull secret from every service account that lists it,
//! then delete it, across namespaces.

use super::{fan_out, is_server_dry_run, validate_named_namespaces, validate_secret_name};
use crate::cli::{DeleteArgs, DryRun, KubeArgs};
use crate::cluster::fanout::Work;
use crate::cluster::{self, accounts, secrets};
use crate::error::Error;

/// Runs `delete`.
pub async fn run(kube: &KubeArgs, args: &DeleteArgs) -> Result<(), Error> {
    validate_secret_name(&args.name)?;
    validate_named_namespaces(kube)?;
    if args.output.dry_run == Some(DryRun::Client) {
        return Err(Error::UnsupportedFlag {
            flag: "--dry-run=client",
            reason: "what is deleted depends on the cluster; use --dry-run=server",
        });
    }
    let cluster = cluster::connect(kube).await?;
    let dry_run = is_server_dry_run(&args.output);
    let (cluster_ref, name) = (&cluster, args.name.as_str());
    fan_out(
        &cluster,
        kube,
        args.fanout.concurrency,
        &args.output,
        "delete",
        name,
        |namespace| async move {
            // Detach first: a reference without its secret is what makes pulls fail silently.
            let accounts =
                accounts::detach_everywhere(cluster_ref, &namespace, name, dry_run).await?;
            let secret = secrets::delete(cluster_ref, &namespace, name, dry_run).await?;
            Ok(Work {
                secret: Some(secret),
                accounts,
            })
        },
    )
    .await
}
