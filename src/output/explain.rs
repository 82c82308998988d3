//! `explain`: one block per container image, or the report as JSON/YAML.

use std::fmt::Write;

use super::{Format, OutputError, counted, print_text, print_value};
use crate::explain::{ExplainReport, Explained, ImageExplained, Origin, SecretStatus};

/// Prints the answer of `explain`.
pub fn print_explain(report: &ExplainReport, format: Option<Format>) -> Result<(), OutputError> {
    match format {
        Some(format) => print_value(report, format),
        None => print_text(&text(report)),
    }
}

fn text(report: &ExplainReport) -> String {
    let mut out = String::new();
    for object in &report.objects {
        object_text(&mut out, object);
        out.push('\n');
    }
    out.push_str("Not visible from the API server, so not taken into account:\n");
    for line in &report.cannot_see {
        let _ = writeln!(out, "  - {line}");
    }
    out
}

fn object_text(out: &mut String, object: &Explained) {
    let source = match object.source.as_str() {
        "cluster" => String::new(),
        file => format!(" (manifest {file})"),
    };
    let _ = writeln!(
        out,
        "{} in namespace {}{source}",
        object.object, object.namespace
    );
    let list = &object.pull_secrets;
    let names = match list.names.is_empty() {
        true => "none".to_string(),
        false => list.names.join(", "),
    };
    let from = match list.from {
        Origin::Pod => "the pod's own, fixed when it was created",
        Origin::Template => "listed in the pod template; admission adds none",
        Origin::ServiceAccount => {
            "added by admission from the service account: the pod template lists none"
        }
        Origin::None => "neither the pod template nor the service account lists any",
    };
    let _ = writeln!(
        out,
        "  service account {}; pull secrets: {names} ({from})",
        list.service_account
    );
    for secret in &object.secrets {
        let what = match secret.status {
            SecretStatus::Usable => format!(
                "{}, {}",
                secret.secret_type.as_deref().unwrap_or_default(),
                counted(secret.keys.len(), "registry entry")
            ),
            _ => secret.detail.clone().unwrap_or_default(),
        };
        let status = serde_json::to_value(secret.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = writeln!(out, "  secret {}: {status}: {what}", secret.name);
    }
    for warning in &object.warnings {
        let _ = writeln!(out, "  warning: {warning}");
    }
    for image in &object.images {
        out.push('\n');
        image_text(out, image);
    }
}

fn image_text(out: &mut String, image: &ImageExplained) {
    let _ = writeln!(
        out,
        "  {} {}: {}",
        image.kind.as_str(),
        image.container,
        image.image
    );
    if let Some(invalid) = &image.invalid {
        let _ = writeln!(out, "    invalid image reference: {invalid}");
    }
    let policy = &image.pull_policy;
    let defaulted = if policy.defaulted { " (default)" } else { "" };
    let _ = writeln!(
        out,
        "    pull policy {}{defaulted}: {}",
        policy.policy, policy.meaning
    );
    if !image.credentials.is_empty() {
        let _ = writeln!(out, "    credentials the kubelet tries, in this order:");
    }
    for credential in &image.credentials {
        let user = match &credential.user {
            Some(user) => format!("user {user}"),
            None => "no user".to_string(),
        };
        let _ = writeln!(
            out,
            "      {}. secret {} key {} ({user}): {}",
            credential.order, credential.secret, credential.key, credential.reason
        );
        if let Some(result) = &credential.verify {
            let _ = writeln!(
                out,
                "         verify: {}: {}",
                result.outcome.as_str(),
                result.detail
            );
            if let Some(limit) = &result.rate_limit {
                let _ = writeln!(out, "         rate limit: {}", limit.describe());
            }
        }
    }
    if !image.not_matching.is_empty() {
        let _ = writeln!(out, "    not tried for this image:");
    }
    for entry in &image.not_matching {
        let _ = writeln!(
            out,
            "      secret {} key {}: {}",
            entry.secret, entry.key, entry.reason
        );
    }
    if image.invalid.is_none() {
        let _ = writeln!(out, "    {}", image.fallback);
    }
    for warning in &image.warnings {
        let _ = writeln!(out, "    warning: {warning}");
    }
    if let Some(verified) = &image.verified {
        if let Some(anonymous) = &verified.anonymous {
            let _ = writeln!(
                out,
                "    verify anonymous: {}: {}",
                anonymous.outcome.as_str(),
                anonymous.detail
            );
            if let Some(limit) = &anonymous.rate_limit {
                let _ = writeln!(out, "    rate limit: {}", limit.describe());
            }
        }
        let verdict = if verified.pulls { "pulls" } else { "fails" };
        let _ = writeln!(out, "    verified ({verdict}): {}", verified.summary);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::{Kind, SecretRead, Subject, explain};
    use k8s_openapi::api::core::v1::{Container, LocalObjectReference, PodSpec};

    #[test]
    fn text_has_one_block_per_image_and_the_limits() {
        let subject = Subject {
            kind: Kind::Deployment,
            name: "web".into(),
            namespace: None,
            spec: PodSpec {
                containers: vec![Container {
                    name: "app".into(),
                    image: Some("busybox".into()),
                    ..Default::default()
                }],
                image_pull_secrets: Some(vec![LocalObjectReference {
                    name: "gone".into(),
                }]),
                ..Default::default()
            },
            admitted: false,
        };
        let secrets = vec![("gone".to_string(), SecretRead::Missing)];
        let report = ExplainReport {
            objects: vec![explain(&subject, "team-a", "deploy.yaml", None, &secrets)],
            cannot_see: vec!["the node's own credentials".into()],
        };
        let text = text(&report);
        assert!(text.starts_with("deployment/web in namespace team-a (manifest deploy.yaml)\n"));
        assert!(text.contains("  secret gone: missing: not found: the kubelet skips it\n"));
        assert!(text.contains("  container app: busybox\n"));
        assert!(text.contains("pull policy Always (default)"));
        assert!(text.contains("warning: anonymous pull from Docker Hub"));
        assert!(text.ends_with("  - the node's own credentials\n"));
    }
}
