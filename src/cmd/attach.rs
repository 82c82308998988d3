//! `kubectl regcred attach|detach`: add or remove a pull secret in service accounts'
//! imagePullSecrets, across namespaces; `attach --heal` then restarts what the secret unblocks.

use k8s_openapi::api::core::v1::Secret;

use super::create::{accounts_of, prefetch_accounts};
use super::heal::{AfterAttach, WithHeal};
use super::{in_each_context, mode_of, validate_named_namespaces, validate_secret_name};
use crate::cli::{AttachArgs, HealFlags, KubeArgs};
use crate::cluster::accounts::{self, Edit};
use crate::cluster::fanout::Work;
use crate::cluster::{self, namespaces, prefetch, secrets};
use crate::error::Error;

/// Runs `attach` (`edit` = Attach) or `detach` in each chosen context; with `--heal` (attach
/// only), heals each namespace after the attach there.
pub async fn run(
    kube: &KubeArgs,
    args: &AttachArgs,
    edit: Edit,
    heal: &HealFlags,
) -> Result<(), Error> {
    validate_secret_name(&args.name)?;
    validate_named_namespaces(kube)?;
    let command = match edit {
        Edit::Attach => "attach",
        Edit::Detach => "detach",
    };
    // Only attach heals: detach can only make pulls fail.
    let no_heal = &HealFlags::default();
    let heal = if edit == Edit::Attach { heal } else { no_heal };
    let attach = |kube: KubeArgs, progress| async move {
        edit_in_context(&kube, args, edit, heal, &progress).await
    };
    in_each_context(kube, &args.output, command, &args.name, attach).await
}

/// One cluster's attach or detach: one row per namespace, and the heal rows.
async fn edit_in_context(
    kube: &KubeArgs,
    args: &AttachArgs,
    edit: Edit,
    heal: &HealFlags,
    progress: &indicatif::ProgressBar,
) -> Result<WithHeal, Error> {
    let cluster = cluster::connect(&kube.target()).await?;
    let accounts = accounts_of(&args.accounts);
    let mode = mode_of(&args.output);
    let selection = namespaces::resolve(&cluster, &kube.target()).await?;
    let healing = AfterAttach::prepare(&cluster, selection.targets.len(), heal, mode).await;
    let (known_secrets, known_accounts) = if selection.targets.len() >= prefetch::WORTH_IT_FROM {
        tokio::join!(
            prefetch::named_everywhere::<Secret>(&cluster, &args.name),
            prefetch_accounts(&cluster, Some(&accounts)),
        )
    } else {
        (None, None)
    };
    let (known_secrets, known_accounts) = (&known_secrets, &known_accounts);
    let (cluster_ref, accounts_ref, name) = (&cluster, &accounts, args.name.as_str());
    let healing_ref = &healing;
    let outcomes = crate::cluster::fanout::run(
        selection,
        args.fanout.concurrency,
        progress,
        |namespace| async move {
            if edit == Edit::Attach {
                // Attaching a secret that is not there leaves pods with a dangling reference.
                let known = known_secrets
                    .as_ref()
                    .map(|all| all.get(&namespace).cloned());
                secrets::require(cluster_ref, &namespace, name, known).await?;
            }
            let known = known_accounts
                .as_ref()
                .and_then(|all| all.get(&namespace).cloned());
            let accounts = accounts::edit_accounts(
                cluster_ref,
                &namespace,
                name,
                accounts_ref,
                edit,
                mode,
                known,
            )
            .await?;
            if let Some(healing) = healing_ref {
                healing
                    .heal(cluster_ref, &namespace, name, false, &[], &accounts)
                    .await;
            }
            Ok(Work {
                secret: None,
                accounts,
            })
        },
    )
    .await;
    Ok(WithHeal::new(heal.heal, outcomes, healing))
}
