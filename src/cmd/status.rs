//! `kubectl regcred status`: every pull secret of the selected namespaces, its registries and
//! users, and what is wrong (dangling references, expired tokens, drift, unused secrets).

use k8s_openapi::api::core::v1::{Pod, Secret, ServiceAccount};

use crate::cli::{KubeArgs, StatusArgs};
use crate::cluster::namespaces::{self, SYSTEM_NAMESPACES};
use crate::cluster::{self, Cluster};
use crate::diagnose::collect::{self, Scope};
use crate::error::Error;
use crate::labels::glob_matches;
use crate::output;
use crate::status::{self, Facts};

/// Runs `status`: three lists (secrets, service accounts, pods) per namespace, or three
/// cluster-wide lists for `-A`; then the report; exit code 1 when a finding is an error.
pub async fn run(kube: &KubeArgs, args: &StatusArgs) -> Result<(), Error> {
    let cluster = cluster::connect(kube).await?;
    let scope = scope_of(&cluster, kube).await?;
    let (secrets, accounts, pods) = tokio::try_join!(
        collect::list_in_scope::<Secret>(&cluster, &scope, "secrets"),
        collect::list_in_scope::<ServiceAccount>(&cluster, &scope, "serviceaccounts"),
        collect::list_in_scope::<Pod>(&cluster, &scope, "pods"),
    )?;
    // `-A` lists the whole cluster; leave out what `-A` means to leave out.
    let is_wanted = |namespace: &Option<String>| {
        let namespace = namespace.as_deref().unwrap_or_default();
        match scope {
            Scope::All => {
                !SYSTEM_NAMESPACES.contains(&namespace)
                    && !kube.exclude.iter().any(|p| glob_matches(p, namespace))
            }
            Scope::Namespaces(_) => true,
        }
    };
    let facts = Facts {
        secrets: secrets
            .iter()
            .filter(|s| is_wanted(&s.metadata.namespace))
            .map(status::secret_facts)
            .collect(),
        accounts: accounts
            .iter()
            .filter(|a| is_wanted(&a.metadata.namespace))
            .map(status::account_referrer)
            .collect(),
        pods: pods
            .iter()
            .filter(|p| is_wanted(&p.metadata.namespace))
            .map(status::pod_referrer)
            .collect(),
        namespaces: match &scope {
            Scope::All => Vec::new(),
            Scope::Namespaces(names) => names.clone(),
        },
    };
    // The objects held credentials; drop them now that the facts are taken.
    drop(secrets);
    let now = k8s_openapi::jiff::Timestamp::now().as_second();
    let report = status::report(&facts, now);
    match args.output {
        Some(format) => output::print_value(&report, format)?,
        None => output::print_status(&report, now)?,
    }
    let errors = report.summary.get("error").copied().unwrap_or_default();
    match errors {
        0 => Ok(()),
        n => Err(Error::Failed(format!(
            "{n} finding{} of severity error",
            if n == 1 { "" } else { "s" }
        ))),
    }
}

/// `-A` is one cluster-wide list per kind; anything else resolves to namespaces.
async fn scope_of(cluster: &Cluster, kube: &KubeArgs) -> Result<Scope, Error> {
    if kube.all_namespaces {
        return Ok(Scope::All);
    }
    super::validate_named_namespaces(kube)?;
    if kube.namespace_selector.is_none() {
        let mut names = if kube.namespace.is_empty() {
            vec![cluster.default_namespace.clone()]
        } else {
            kube.namespace.clone()
        };
        names.retain(|ns| !kube.exclude.iter().any(|p| glob_matches(p, ns)));
        let mut seen = std::collections::HashSet::new();
        names.retain(|ns| seen.insert(ns.clone()));
        return Ok(Scope::Namespaces(names));
    }
    Ok(Scope::Namespaces(
        namespaces::resolve(cluster, kube).await?.targets,
    ))
}
