//! `kubectl regcred attach|detach`: add or remove a pull secret in service accounts'
//! imagePullSecrets, across namespaces.

use super::create::accounts_of;
use super::{fan_out, is_server_dry_run, validate_named_namespaces, validate_secret_name};
use crate::cli::{AttachArgs, DryRun, KubeArgs};
use crate::cluster::accounts::{self, Edit};
use crate::cluster::fanout::Work;
use crate::cluster::{self, secrets};
use crate::error::Error;

/// Runs `attach` (`edit` = Attach) or `detach`.
pub async fn run(kube: &KubeArgs, args: &AttachArgs, edit: Edit) -> Result<(), Error> {
    validate_secret_name(&args.name)?;
    validate_named_namespaces(kube)?;
    if args.output.dry_run == Some(DryRun::Client) {
        return Err(Error::UnsupportedFlag {
            flag: "--dry-run=client",
            reason: "a patch depends on what the service account lists now; use --dry-run=server",
        });
    }
    let cluster = cluster::connect(kube).await?;
    let accounts = accounts_of(&args.accounts);
    let dry_run = is_server_dry_run(&args.output);
    let (cluster_ref, accounts_ref, name) = (&cluster, &accounts, args.name.as_str());
    let command = match edit {
        Edit::Attach => "attach",
        Edit::Detach => "detach",
    };
    fan_out(
        &cluster,
        kube,
        args.fanout.concurrency,
        &args.output,
        command,
        name,
        |namespace| async move {
            if edit == Edit::Attach {
                // Attaching a secret that is not there leaves pods with a dangling reference.
                secrets::require(cluster_ref, &namespace, name).await?;
            }
            let accounts =
                accounts::edit_accounts(cluster_ref, &namespace, name, accounts_ref, edit, dry_run)
                    .await?;
            Ok(Work {
                secret: None,
                accounts,
            })
        },
    )
    .await
}
