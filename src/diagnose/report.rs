//! What `diagnose` reports: the models `output` prints and `-o json` serialises. Never
//! secret content: secrets appear by name, registries and findings only.

use std::collections::BTreeMap;

use serde::Serialize;

use super::facts::{AccountFact, Finding, SecretFact};
use super::{Cause, Foreseen, NodeFile};

/// One failing container, as `-o json` prints it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnosis {
    /// The kubeconfig context, when the run spans several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    pub namespace: String,
    pub pod: String,
    pub container: String,
    /// `container`, `init` or `ephemeral`.
    pub container_type: &'static str,
    pub image: String,
    /// The container's waiting reason, e.g. `ImagePullBackOff`.
    pub reason: String,
    pub cause: Cause,
    pub summary: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
    pub evidence: String,
    pub pull_secrets: Vec<SecretFact>,
    pub service_account: AccountFact,
    pub findings: Vec<Finding>,
    pub fix: String,
    /// A file the fix asks to write on every node (containerd's hosts.toml), exactly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_file: Option<NodeFile>,
    /// With `--verify`: what the registry said to the pod's pull secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify: Option<Verification>,
}

/// The registry's answer to the pod's pull secrets for one image.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    /// The pull secret whose entry got the answer (the first that worked, else the first
    /// tried); absent for an anonymous pull.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// The key of that secret's entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    /// `ok`, `denied`, `not_found`, `unreachable`, `http_to_https`, `tls_untrusted`,
    /// `registry_error`, `no_credentials`.
    pub result: &'static str,
    pub detail: String,
    /// The pull limit the registry stated with the manifest (Docker Hub's `ratelimit-*`
    /// headers).
    #[serde(rename = "rateLimit", skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<crate::registry::RateLimit>,
}

/// A pull that has not been tried yet but is bound to fail or to go without credentials, or a
/// workload whose pods cannot be created, as `-o json` prints it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Prediction {
    /// The kubeconfig context, when the run spans several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    pub namespace: String,
    /// The pending pod; absent for a workload whose pods cannot be created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod: Option<String>,
    /// The workload whose pods cannot be created: `deployment/web`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workload: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    /// `container` or `init`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Where it stands: the container's waiting reason (`ContainerCreating`), why the pod
    /// waits (`Unschedulable`, `Pending`), or `FailedCreate` for a workload.
    pub reason: String,
    pub cause: Foreseen,
    pub summary: &'static str,
    pub findings: Vec<Finding>,
    pub fix: String,
}

/// The whole cluster-side result.
#[derive(Debug, Serialize)]
pub struct DiagnoseReport {
    pub failures: Vec<Diagnosis>,
    /// Pulls not tried yet that are bound to fail, and workloads that cannot create pods.
    pub predicted: Vec<Prediction>,
    /// Failing containers per cause, and predictions per cause.
    pub summary: BTreeMap<&'static str, usize>,
    /// Contexts that could not be read, in a run over several.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unreadable: Vec<UnreadableContext>,
}

/// A context of a several-context run that failed as a whole.
#[derive(Debug, Serialize)]
pub struct UnreadableContext {
    pub context: String,
    pub error: String,
}

/// One explained message, as `-o json` prints it.
#[derive(Debug, Serialize)]
pub struct Explained {
    pub message: String,
    pub cause: Cause,
    pub summary: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    pub evidence: String,
    pub fix: String,
    /// A file the fix asks to write on every node (containerd's hosts.toml), exactly.
    #[serde(rename = "nodeFile", skip_serializing_if = "Option::is_none")]
    pub node_file: Option<NodeFile>,
}
