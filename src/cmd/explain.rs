//! `kubectl regcred explain KIND/NAME | -f FILE`: for each image of a pod or workload, the
//! credentials the kubelet will try, in its order, and why; with `--verify`, what the registry
//! says to each.

use std::io::Read;
use std::path::Path;

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, StatefulSet};
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{Pod, Secret, ServiceAccount};
use serde::Serialize;

use crate::cli::{ExplainArgs, KubeArgs};
use crate::cluster::workloads::{self, Namespaced};
use crate::cluster::{self, Cluster};
use crate::error::Error;
use crate::explain::{self, CANNOT_SEE, ExplainReport, Kind, ObjectName, SecretRead, Subject};
use crate::output;
use crate::registry::Prober;

use super::check::{probe_options, setup_error};

/// Runs `explain`: exit 0, or with `--verify` 1 when an image would not be pulled.
pub async fn run(kube: &KubeArgs, args: &ExplainArgs) -> Result<(), Error> {
    super::validate_named_namespaces(kube)?;
    if kube.all_namespaces || kube.namespace_selector.is_some() || kube.namespace.len() > 1 {
        return Err(Error::Usage(
            "explain reads one namespace: pass at most one -n NAMESPACE".into(),
        ));
    }
    let prober = match args.verify {
        true => Some(Prober::new(&probe_options(&args.probe)).map_err(setup_error)?),
        false => None,
    };
    // A manifest is read before the cluster is asked anything: a bad file is a usage error.
    let manifest = match &args.filename {
        Some(path) => Some(read_manifest(path, args.object.as_ref())?),
        None => None,
    };
    // As kubectl: an object's own namespace and a different -n are a contradiction.
    if let (Some(named), Some((subjects, source))) = (kube.namespace.first(), &manifest) {
        let mut own = subjects.iter().filter_map(|s| s.namespace.as_deref());
        if let Some(other) = own.find(|ns| ns != named) {
            return Err(Error::Usage(format!(
                "the namespace from {source}, \"{other}\", does not match the namespace \
                 \"{named}\": pass -n {other}, or leave -n out"
            )));
        }
    }
    let cluster = cluster::connect(&kube.target()).await?;
    let asked =
        (kube.namespace.first().cloned()).unwrap_or_else(|| cluster.default_namespace.clone());
    let (subjects, source) = match (manifest, &args.object) {
        (Some(manifest), _) => manifest,
        (None, Some(named)) => (
            vec![fetch(&cluster, &asked, named).await?],
            "cluster".into(),
        ),
        (None, None) => return Err(Error::Usage("explain needs KIND/NAME or -f FILE".into())),
    };
    let mut report = ExplainReport {
        objects: Vec::new(),
        cannot_see: CANNOT_SEE.map(str::to_string).to_vec(),
    };
    for subject in &subjects {
        let namespace = subject.namespace.clone().unwrap_or_else(|| asked.clone());
        let account = match subject.admitted {
            true => None,
            false => {
                let name = explain::admission::account_of(&subject.spec);
                workloads::get::<ServiceAccount>(&cluster, &namespace, &name).await?
            }
        };
        let list =
            explain::admission::pull_secrets(&subject.spec, subject.admitted, account.as_ref());
        let mut secrets = Vec::with_capacity(list.names.len());
        for name in list.names {
            let secret = workloads::get::<Secret>(&cluster, &namespace, &name).await?;
            secrets.push((name, SecretRead::of(secret.as_ref())));
        }
        let mut explained =
            explain::explain(subject, &namespace, &source, account.as_ref(), &secrets);
        if let Some(prober) = &prober {
            explain::verify(&mut explained, &secrets, prober).await;
        }
        report.objects.push(explained);
    }
    output::print_explain(&report, args.output)?;
    let failing: Vec<String> = (report.objects.iter())
        .flat_map(|o| o.images.iter().map(move |i| (o, i)))
        .filter(|(_, i)| i.verified.as_ref().is_some_and(|v| !v.pulls))
        .map(|(o, i)| format!("{} {} ({})", o.object, i.container, i.image))
        .collect();
    match failing.is_empty() {
        true => Ok(()),
        false => Err(Error::Failed(format!(
            "{} cannot be pulled: {}",
            output::counted(failing.len(), "image"),
            failing.join(", ")
        ))),
    }
}

/// The objects of a manifest file (`-` for stdin), only `named` when given, and the source
/// name for the report.
fn read_manifest(path: &Path, named: Option<&ObjectName>) -> Result<(Vec<Subject>, String), Error> {
    let source = path.display().to_string();
    let mut text = String::new();
    let read = match source.as_str() {
        "-" => std::io::stdin().read_to_string(&mut text),
        _ => std::fs::File::open(path).and_then(|mut f| f.read_to_string(&mut text)),
    };
    read.map_err(|e| Error::Usage(format!("cannot read {source}: {e}")))?;
    let mut subjects =
        explain::subjects_in(&text, &source).map_err(|e| Error::Usage(e.to_string()))?;
    if let Some(named) = named {
        subjects.retain(|s| s.kind == named.kind && s.name == named.name);
        if subjects.is_empty() {
            return Err(Error::Usage(format!("{source} holds no {named}")));
        }
    }
    Ok((subjects, source))
}

/// The object `named` in `namespace`, as the cluster has it; not found is an error.
async fn fetch(cluster: &Cluster, namespace: &str, named: &ObjectName) -> Result<Subject, Error> {
    let value = match named.kind {
        Kind::Pod => get::<Pod>(cluster, namespace, &named.name).await?,
        Kind::Deployment => get::<Deployment>(cluster, namespace, &named.name).await?,
        Kind::StatefulSet => get::<StatefulSet>(cluster, namespace, &named.name).await?,
        Kind::DaemonSet => get::<DaemonSet>(cluster, namespace, &named.name).await?,
        Kind::Job => get::<Job>(cluster, namespace, &named.name).await?,
        Kind::CronJob => workloads::get_cron_job(cluster, namespace, &named.name).await?,
    };
    let Some(value) = value else {
        return Err(Error::Failed(format!(
            "{named} not found in namespace {namespace:?}"
        )));
    };
    let subject =
        explain::subject_of(&value, true, "cluster").map_err(|e| Error::Failed(e.to_string()))?;
    subject.ok_or_else(|| {
        Error::Failed(format!(
            "{named} in namespace {namespace:?} has no pod spec"
        ))
    })
}

/// One object as JSON, as the API server serves it.
async fn get<K: Namespaced + Serialize>(
    cluster: &Cluster,
    namespace: &str,
    name: &str,
) -> Result<Option<serde_json::Value>, Error> {
    let object = workloads::get::<K>(cluster, namespace, name).await?;
    object
        .map(serde_json::to_value)
        .transpose()
        .map_err(|e| Error::Failed(format!("cannot read {name}: {e}")))
}
