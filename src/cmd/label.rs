//! `kubectl regcred label`: set or remove labels and annotations on existing pull secrets,
//! across namespaces.

use std::collections::BTreeMap;

use super::{in_every_namespace, mode_of, validate_named_namespaces, validate_secret_name};
use crate::cli::{KubeArgs, LabelArgs, LabelChange};
use crate::cluster::fanout::Work;
use crate::cluster::{Cluster, namespaces, secrets};
use crate::error::Error;
use crate::labels::RUNAI_CLUSTER_WIDE;

/// Runs `label`.
pub async fn run(kube: &KubeArgs, args: &LabelArgs) -> Result<(), Error> {
    validate_secret_name(&args.name)?;
    validate_named_namespaces(kube)?;
    let mut labels = changes_map(&args.changes);
    if args.run_ai.cluster_wide {
        labels.insert(
            RUNAI_CLUSTER_WIDE.0.into(),
            Some(RUNAI_CLUSTER_WIDE.1.into()),
        );
    }
    let annotations = changes_map(&args.annotations);
    if labels.is_empty() && annotations.is_empty() {
        return Err(Error::Usage(
            "nothing to change: give KEY=VALUE or KEY- arguments, --annotation, or --cluster-wide"
                .into(),
        ));
    }
    let (labels, annotations) = (&labels, &annotations);
    let (name, mode) = (args.name.as_str(), mode_of(&args.output));
    let is_named = namespaces::names_one(&kube.target());
    let relabel = |cluster: Cluster, namespace: String| async move {
        let secret =
            secrets::relabel(&cluster, &namespace, name, labels, annotations, mode).await?;
        let work = Work {
            secret: Some(secret),
            accounts: Vec::new(),
        };
        // In the one namespace named, a secret that is not there is an error, as in kubectl.
        match is_named && work.found_nothing() {
            true => Err(secrets::missing(&namespace, name)),
            false => Ok(work),
        }
    };
    in_every_namespace(kube, "label", name, &args.fanout, &args.output, relabel).await
}

/// `KEY=VALUE` → Some(value), `KEY-` → None (remove).
fn changes_map(changes: &[LabelChange]) -> BTreeMap<String, Option<String>> {
    changes
        .iter()
        .map(|change| match change {
            LabelChange::Set(kv) => (kv.key.clone(), Some(kv.value.clone())),
            LabelChange::Remove(key) => (key.clone(), None),
        })
        .collect()
}
