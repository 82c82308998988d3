//! `kubectl regcred check [SECRET] --image IMAGE`: can this pull secret (or, without one, an
//! anonymous pull) pull this image, as the node's runtime would pull it?

use crate::cli::{CheckArgs, KubeArgs};
use crate::cluster;
use crate::error::{self, Error};
use crate::output;
use crate::registry::{self, CheckReport, Outcome, ProbeOptions, Prober, RegistryError};

/// Runs `check`: exit 0 for `ok`, 1 for any other answer, 2 for bad input.
pub async fn run(kube: &KubeArgs, args: &CheckArgs) -> Result<(), Error> {
    if let Some(name) = &args.name {
        super::validate_secret_name(name)?;
    }
    super::validate_named_namespaces(kube)?;
    if kube.all_namespaces || kube.namespace_selector.is_some() || kube.namespace.len() > 1 {
        return Err(Error::Usage(
            "check reads one secret in one namespace: pass at most one -n NAMESPACE".into(),
        ));
    }
    let options = probe_options(&args.probe);
    // Read --ca-file before asking the cluster anything: a wrong path is a usage error.
    let prober = Prober::new(&options).map_err(setup_error)?;
    let (checked, namespace) = match &args.name {
        Some(name) => {
            let cluster = cluster::connect(&kube.target()).await?;
            let namespace = kube
                .namespace
                .first()
                .cloned()
                .unwrap_or_else(|| cluster.default_namespace.clone());
            let config = cluster::secrets::read_config(&cluster, &namespace, name).await?;
            (
                registry::check(&args.image, &config, &prober).await,
                Some(namespace),
            )
        }
        // An anonymous pull needs no cluster.
        None => (registry::check_pull(&args.image, &[], &prober).await, None),
    };
    let report = CheckReport {
        secret: args.name.clone(),
        namespace,
        image: args.image.to_string(),
        registry: args.image.registry().to_string(),
        entry: checked.entry,
        result: checked.result.outcome,
        detail: checked.result.detail,
        digest: checked.result.digest,
        rate_limit: checked.result.rate_limit,
    };
    output::print_check(&report, args.output)?;
    if report.result == Outcome::Ok {
        Ok(())
    } else {
        Err(Error::Failed(format!(
            "{} cannot pull {} ({})",
            report.who(),
            report.image,
            report.result.as_str()
        )))
    }
}

pub(crate) fn setup_error(err: RegistryError) -> Error {
    if err.is_usage() {
        Error::Usage(error::chain(&err))
    } else {
        Error::Failed(error::chain(&err))
    }
}

/// The probe settings the flags ask for.
pub(crate) fn probe_options(args: &crate::cli::ProbeArgs) -> ProbeOptions {
    ProbeOptions {
        plain_http: args.plain_http,
        insecure_skip_tls_verify: args.insecure_skip_tls_verify,
        ca_file: args.ca_file.clone(),
        timeout: args.timeout,
    }
}
