//! `kubectl regcred delete`: detach a pull secret from every service account that lists it,
//! then delete it, across namespaces.

use super::{in_every_namespace, mode_of, validate_named_namespaces, validate_secret_name};
use crate::cli::{DeleteArgs, KubeArgs};
use crate::cluster::fanout::Work;
use crate::cluster::{Cluster, accounts, namespaces, secrets};
use crate::error::Error;

/// Runs `delete` in each chosen context.
pub async fn run(kube: &KubeArgs, args: &DeleteArgs) -> Result<(), Error> {
    validate_secret_name(&args.name)?;
    validate_named_namespaces(kube)?;
    let (name, mode) = (args.name.as_str(), mode_of(&args.output));
    let is_named = namespaces::names_one(&kube.target());
    let delete = |cluster: Cluster, namespace: String| async move {
        // Detach first: a reference without its secret is what makes pulls fail silently.
        let accounts = accounts::detach_everywhere(&cluster, &namespace, name, mode).await?;
        let secret = secrets::delete(&cluster, &namespace, name, mode).await?;
        let work = Work {
            secret: Some(secret),
            accounts,
        };
        // In the one namespace named, nothing to delete is an error, as in `kubectl delete`.
        match is_named && work.found_nothing() {
            true => Err(secrets::not_found("delete", &namespace, name)),
            false => Ok(work),
        }
    };
    in_every_namespace(kube, "delete", name, &args.fanout, &args.output, delete).await
}
