//! `kubectl regcred label`: set or remove labels and annotations on existing pull secrets,
//! across namespaces.

use std::collections::BTreeMap;

use super::{fan_out, in_each_context, mode_of, validate_named_namespaces, validate_secret_name};
use crate::cli::{KubeArgs, LabelArgs, LabelChange};
use crate::cluster::fanout::{Outcome, Work};
use crate::cluster::{self, namespaces, secrets};
use crate::error::Error;
use crate::labels::RUNAI_CLUSTER_WIDE;

/// Runs `label`.
pub async fn run(kube: &KubeArgs, args: &LabelArgs) -> Result<(), Error> {
    validate_secret_name(&args.name)?;
    validate_named_namespaces(kube)?;
    let mut labels = changes_map(&args.changes);
    if args.cluster_wide {
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
    in_each_context(
        kube,
        &args.output,
        "label",
        &args.name,
        |kube, progress| async move {
            label_in_context(&kube, args, labels, annotations, &progress).await
        },
    )
    .await
}

/// One cluster's relabelling: one row per namespace.
async fn label_in_context(
    kube: &KubeArgs,
    args: &LabelArgs,
    labels: &BTreeMap<String, Option<String>>,
    annotations: &BTreeMap<String, Option<String>>,
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
            let secret =
                secrets::relabel(cluster_ref, &namespace, name, labels, annotations, mode).await?;
            Ok(Work {
                secret: Some(secret),
                accounts: Vec::new(),
            })
        },
    )
    .await;
    Ok(outcomes)
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
