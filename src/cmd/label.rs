//! `kubectl regcred label`: set or remove labels and annotations on existing pull secrets,
//! across namespaces.

use std::collections::BTreeMap;

use super::{fan_out, mode_of, validate_named_namespaces, validate_secret_name};
use crate::cli::{KubeArgs, LabelArgs, LabelChange};
use crate::cluster::fanout::Work;
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
    let cluster = cluster::connect(kube).await?;
    let mode = mode_of(&args.output);
    let (cluster_ref, name, labels_ref, annotations_ref) =
        (&cluster, args.name.as_str(), &labels, &annotations);
    let selection = namespaces::resolve(&cluster, kube).await?;
    fan_out(
        selection,
        args.fanout.concurrency,
        &args.output,
        "label",
        name,
        |namespace| async move {
            let secret = secrets::relabel(
                cluster_ref,
                &namespace,
                name,
                labels_ref,
                annotations_ref,
                mode,
            )
            .await?;
            Ok(Work {
                secret: Some(secret),
                accounts: Vec::new(),
            })
        },
    )
    .await
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
