//! `kubectl regcred check [SECRET] --image IMAGE`: can this pull secret (or, without one, an
//! anonymous pull) pull this image, as the node's runtime would pull it?

use serde::Serialize;

use crate::cli::{CheckArgs, KubeArgs};
use crate::cluster;
use crate::error::{self, Error};
use crate::output;
use crate::registry::{self, Outcome, ProbeOptions, Prober, RegistryError};

/// The answer of `check`, as `-o json|yaml` prints it. Never holds a password or token.
#[derive(Debug, Serialize)]
pub struct CheckReport {
    /// The pull secret checked; absent for an anonymous check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The image, normalised (`nginx` is `docker.io/library/nginx:latest`).
    pub image: String,
    /// The image's registry (`docker.io`, `127.0.0.1:5000`).
    pub registry: String,
    /// The key of the secret's entry that was used, absent for `no_credentials`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    pub result: Outcome,
    pub detail: String,
    /// The manifest digest, for `ok`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

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
            let cluster = cluster::connect(kube).await?;
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
    };
    match args.output {
        Some(format) => output::print_value(&report, format)?,
        None => output::print_line(&human_line(&report))?,
    }
    if report.result == Outcome::Ok {
        Ok(())
    } else {
        Err(Error::Failed(format!(
            "{} cannot pull {} ({})",
            who(&report),
            report.image,
            report.result.as_str()
        )))
    }
}

/// `secret/NAME`, or `an anonymous pull`.
fn who(report: &CheckReport) -> String {
    match &report.secret {
        Some(name) => format!("secret/{name}"),
        None => "an anonymous pull".to_string(),
    }
}

/// `ok: secret/regcred can pull IMAGE` or `denied: secret/regcred cannot pull IMAGE: why`.
fn human_line(report: &CheckReport) -> String {
    match report.result {
        Outcome::Ok => format!("ok: {} can pull {}", who(report), report.image),
        other => format!(
            "{}: {} cannot pull {}: {}",
            other.as_str(),
            who(report),
            report.image,
            report.detail
        ),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn report(result: Outcome, detail: &str) -> CheckReport {
        CheckReport {
            secret: Some("regcred".into()),
            namespace: Some("team-a".into()),
            image: "127.0.0.1:5000/team/app:1.0".into(),
            registry: "127.0.0.1:5000".into(),
            entry: Some("127.0.0.1:5000".into()),
            result,
            detail: detail.into(),
            digest: None,
        }
    }

    #[test]
    fn human_lines_lead_with_the_result() {
        assert_eq!(
            human_line(&report(Outcome::Ok, "served")),
            "ok: secret/regcred can pull 127.0.0.1:5000/team/app:1.0"
        );
        assert_eq!(
            human_line(&report(Outcome::Denied, "401 Unauthorized")),
            "denied: secret/regcred cannot pull 127.0.0.1:5000/team/app:1.0: 401 Unauthorized"
        );
    }

    #[test]
    fn json_fields_are_stable() {
        let value = serde_json::to_value(report(Outcome::NotFound, "no tag")).unwrap();
        assert_eq!(
            value,
            serde_json::json!({
                "secret": "regcred",
                "namespace": "team-a",
                "image": "127.0.0.1:5000/team/app:1.0",
                "registry": "127.0.0.1:5000",
                "entry": "127.0.0.1:5000",
                "result": "not_found",
                "detail": "no tag",
            })
        );
    }
}
