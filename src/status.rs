//! `status`: what pull secrets there are, who uses them, and what is wrong with them. Pure:
//! from listed secrets, service accounts and pods to a report; the I/O is in
//! `diagnose::collect` and `cmd::status`.
//!
//! Entries are read as the kubelet reads them ([`crate::dockerconfig::stored`]): the username
//! shown is the one the kubelet sends. Nothing secret leaves this module: passwords are read
//! only to fingerprint them (SHA-256, compared, never printed) and to read a JWT's `exp` claim.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{Pod, Secret, ServiceAccount};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::cluster::accounts::DEFAULT_ACCOUNT;
use crate::diagnose::collect::{Template, controller_of, pull_secret_names};
use crate::diagnose::facts::{anonymous_docker_hub_pull, create_command, replace_command};
use crate::dockerconfig::Credentials;
use crate::dockerconfig::stored::{Layout, StoredConfig};
use crate::expiry::{
    EXPIRING_WITHIN_SECONDS, Evidence, Expiry, ExpirySource, expiry_of, human_duration, jwt_expiry,
};
use crate::labels::PROVIDER_ANNOTATION;
use crate::registry::{DOCKER_HUB_DOMAIN, ImageRef, keys_serve, pulls_docker_hub_anonymously};
use crate::words::counted;

/// How bad a finding is. `error` makes `status` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    /// The name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One registry entry of a pull secret: host and username, never the password. `Debug`
/// leaves out the fingerprint (an unsalted hash of the password).
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct RegistryEntry {
    /// The registry key, normalised (`ghcr.io`, `https://index.docker.io/v1/`).
    pub registry: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// SHA-256 over the username and password, to compare entries. Never serialised.
    #[serde(skip)]
    pub fingerprint: Option<[u8; 32]>,
    /// A JWT password's `exp` claim, seconds since the epoch.
    #[serde(skip)]
    pub jwt_expires_at: Option<i64>,
}

impl std::fmt::Debug for RegistryEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistryEntry")
            .field("registry", &self.registry)
            .field("username", &self.username)
            .field("fingerprint", &self.fingerprint.map(|_| "<redacted>"))
            .field("jwt_expires_at", &self.jwt_expires_at)
            .finish()
    }
}

/// A secret of the namespace as `status` needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretFacts {
    pub namespace: String,
    pub name: String,
    pub secret_type: String,
    pub registries: Vec<RegistryEntry>,
    pub annotations: BTreeMap<String, String>,
    /// Last written (newest managed-field time, else creation), seconds since the epoch.
    pub written_at: Option<i64>,
}

impl SecretFacts {
    fn is_pull_secret(&self) -> bool {
        Layout::of_type(&self.secret_type).is_some()
    }

    /// When the secret's token expires, judged by all its entries ([`crate::expiry`]).
    fn expiry(&self) -> Option<Expiry> {
        let evidence = Evidence::from_annotations(&self.annotations, self.written_at);
        let entries = self
            .registries
            .iter()
            .map(|e| (e.registry.as_str(), e.jwt_expires_at));
        expiry_of(&evidence, entries)
    }
}

/// Something that lists imagePullSecrets: a service account or a pod.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Referrer {
    pub namespace: String,
    pub name: String,
    pub pull_secrets: Vec<String>,
    /// The images a pod pulls (init and regular containers); none for a pod that has finished
    /// or a service account.
    pub images: Vec<String>,
    /// The workload a pod belongs to, as kubectl names it (`deployment/web`); none for a pod
    /// of its own or a service account.
    pub workload: Option<String>,
    /// The service account a pod runs as; none for a service account.
    pub service_account: Option<String>,
}

/// Everything listed, already reduced to facts.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub secrets: Vec<SecretFacts>,
    pub accounts: Vec<Referrer>,
    pub pods: Vec<Referrer>,
    /// The pod templates of the workloads ([`workload_templates`]): what their next pods pull
    /// with, also before they have any.
    pub workloads: Vec<Template>,
    /// The namespaces looked at (also those with nothing in them).
    pub namespaces: Vec<String>,
}

/// A workload that pulls with a secret: its pods now, and its images the secret holds
/// credentials for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkloadUse {
    /// As kubectl names it: `deployment/web`, `statefulset/db`, `cronjob/nightly`.
    pub workload: String,
    /// Its pods that pull with the secret now (a workload without pods yet has none).
    pub pods: usize,
    /// Its images (of its pods and its pod template) that the secret holds credentials for.
    pub images: Vec<String>,
}

/// One pull secret in the report.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretStatus {
    pub name: String,
    #[serde(rename = "type")]
    pub secret_type: String,
    pub registries: Vec<RegistryEntry>,
    pub service_accounts: Vec<String>,
    pub pods: Vec<String>,
    /// The workloads that pull with it (through their pods, their pod template or their
    /// service account), for images it holds credentials for.
    pub workloads: Vec<WorkloadUse>,
    /// How many pods pull with it now (for images it holds credentials for), of workloads or
    /// of their own.
    pub pods_pulling: usize,
    /// When the token expires (RFC 3339), if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiry_source: Option<ExpirySource>,
    /// Seconds since the epoch, for the table. Not in JSON (`expiresAt` is).
    #[serde(skip)]
    pub expires_at_seconds: Option<i64>,
}

/// One namespace in the report.
#[derive(Debug, Clone, Serialize)]
pub struct NamespaceStatus {
    pub namespace: String,
    pub secrets: Vec<SecretStatus>,
}

/// Something wrong (or worth knowing), with the command that fixes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusFinding {
    /// `secret_missing`, `secret_wrong_type`, `token_expired`, `token_expiring`,
    /// `credentials_drift`, `secret_unused`.
    pub id: &'static str,
    pub severity: Severity,
    /// The namespace it concerns; none for drift, which spans namespaces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The secret it concerns (for drift: none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// The service account that lists a missing or wrong secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_account: Option<String>,
    /// The pod that lists a missing or wrong secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod: Option<String>,
    /// The registry of an expiring token, or of drift.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
    /// Drift: the namespaces whose credentials for `registry` differ.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub namespaces: Vec<String>,
    /// The workloads it breaks (an expiring token) or concerns (an anonymous Docker Hub pull),
    /// as kubectl names them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub workloads: Vec<String>,
    pub message: String,
    pub fix: String,
}

/// The whole `status` result, as `-o json|yaml` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct StatusReport {
    pub namespaces: Vec<NamespaceStatus>,
    pub findings: Vec<StatusFinding>,
    /// `secrets` and a count per severity (`error`, `warning`, `info`).
    pub summary: BTreeMap<&'static str, usize>,
}

impl StatusReport {
    /// Is there a finding of severity error (exit code 1)?
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

// ---------------------------------------------------------------------------------------------
// From API objects to facts.

/// The facts of one secret; registries (and password fingerprints) only for pull secrets.
pub fn secret_facts(secret: &Secret) -> SecretFacts {
    let registries = match StoredConfig::of_secret(secret) {
        Some(Ok(config)) => config
            .sent()
            .map(|(entry, sent)| registry_entry(&entry.registry, sent))
            .collect(),
        // Content the kubelet cannot read at all shows no registry.
        Some(Err(_)) | None => Vec::new(),
    };
    SecretFacts {
        namespace: secret.metadata.namespace.clone().unwrap_or_default(),
        name: secret.metadata.name.clone().unwrap_or_default(),
        secret_type: secret.type_.clone().unwrap_or_else(|| "Opaque".into()),
        registries,
        annotations: secret.metadata.annotations.clone().unwrap_or_default(),
        written_at: crate::expiry::written_at(&secret.metadata),
    }
}

/// One entry as the report shows it, from the credentials the kubelet sends with it (none when
/// it sends none, or cannot read the secret).
fn registry_entry(registry: &str, sent: Option<&Credentials>) -> RegistryEntry {
    let username = sent.map(|c| c.username.clone()).filter(|u| !u.is_empty());
    let password = sent.map(|c| c.password.as_str()).filter(|p| !p.is_empty());
    let fingerprint = password.map(|p| {
        let mut hasher = Sha256::new();
        hasher.update(username.as_deref().unwrap_or_default().as_bytes());
        hasher.update([0u8]);
        hasher.update(p.as_bytes());
        hasher.finalize().into()
    });
    RegistryEntry {
        registry: registry.to_string(),
        username,
        fingerprint,
        jwt_expires_at: password.and_then(jwt_expiry),
    }
}

/// The imagePullSecrets a service account lists.
pub fn account_referrer(account: &ServiceAccount) -> Referrer {
    Referrer {
        namespace: account.metadata.namespace.clone().unwrap_or_default(),
        name: account.metadata.name.clone().unwrap_or_default(),
        pull_secrets: pull_secret_names(account.image_pull_secrets.as_ref()),
        ..Referrer::default()
    }
}

/// The imagePullSecrets a pod lists (`spec.imagePullSecrets`, which already holds its
/// service account's at admission), its images, its service account and its workload.
pub fn pod_referrer(pod: &Pod, owners: &Owners) -> Referrer {
    let spec = pod.spec.as_ref();
    let containers = spec.into_iter().flat_map(|s| {
        s.init_containers
            .iter()
            .flatten()
            .chain(s.containers.iter())
    });
    let namespace = pod.metadata.namespace.clone().unwrap_or_default();
    // A pod that has finished (a Job's, done) pulls nothing more.
    let is_finished = pod
        .status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .is_some_and(|phase| matches!(phase, "Succeeded" | "Failed"));
    Referrer {
        workload: owners.workload_of(&namespace, &pod.metadata),
        namespace,
        name: pod.metadata.name.clone().unwrap_or_default(),
        pull_secrets: pull_secret_names(spec.and_then(|s| s.image_pull_secrets.as_ref())),
        images: match is_finished {
            true => Vec::new(),
            false => containers.filter_map(|c| c.image.clone()).collect(),
        },
        service_account: spec.map(crate::diagnose::collect::service_account_of),
    }
}

/// Which workload owns a ReplicaSet or a Job, by namespace: `replicaset/web-5d8f` belongs to
/// `deployment/web`, `job/nightly-2904` to `cronjob/nightly`.
#[derive(Debug, Clone, Default)]
pub struct Owners(HashMap<(String, String), String>);

impl Owners {
    /// The owners the ReplicaSets' and Jobs' controller references name.
    pub fn of(replica_sets: &[ReplicaSet], jobs: &[Job]) -> Self {
        let metas = (replica_sets.iter().map(|r| ("replicaset", &r.metadata)))
            .chain(jobs.iter().map(|j| ("job", &j.metadata)));
        let mut links = HashMap::new();
        for (kind, meta) in metas {
            let Some(owner) = controller_of(meta) else {
                continue;
            };
            let namespace = meta.namespace.clone().unwrap_or_default();
            let own = format!("{kind}/{}", meta.name.as_deref().unwrap_or_default());
            links.insert((namespace, own), label(&owner));
        }
        Self(links)
    }

    /// The workload of an object with this metadata (a pod): its controller, or the
    /// controller's own controller for a ReplicaSet of a Deployment and a Job of a CronJob.
    pub fn workload_of(&self, namespace: &str, meta: &ObjectMeta) -> Option<String> {
        let direct = label(&controller_of(meta)?);
        let key = (namespace.to_string(), direct);
        Some(self.0.get(&key).cloned().unwrap_or(key.1))
    }
}

/// `deployment/web` from (`Deployment`, `web`).
fn label((kind, name): &(String, String)) -> String {
    format!("{}/{name}", kind.to_lowercase())
}

/// The pod templates of the workloads that make pods: Deployments, StatefulSets, DaemonSets,
/// CronJobs (`cron_jobs`, read as either API version), and the ReplicaSets and Jobs no other
/// workload controls (a Job only while it runs: a finished one makes no more pods).
pub fn workload_templates(
    deployments: &[Deployment],
    replica_sets: &[ReplicaSet],
    stateful_sets: &[StatefulSet],
    daemon_sets: &[DaemonSet],
    jobs: &[Job],
    cron_jobs: Vec<Template>,
) -> Vec<Template> {
    let of_own = |meta: &ObjectMeta| controller_of(meta).is_none();
    let mut found: Vec<Template> = cron_jobs;
    found.extend(
        deployments
            .iter()
            .filter_map(|d| Template::of(&d.metadata, "deployment", Some(&d.spec.template))),
    );
    found.extend(
        replica_sets
            .iter()
            .filter(|r| of_own(&r.metadata))
            .filter_map(|r| {
                let template = r.spec.template.as_ref();
                Template::of(&r.metadata, "replicaset", template)
            }),
    );
    found.extend(
        stateful_sets
            .iter()
            .filter_map(|s| Template::of(&s.metadata, "statefulset", Some(&s.spec.template))),
    );
    found.extend(
        daemon_sets
            .iter()
            .filter_map(|d| Template::of(&d.metadata, "daemonset", Some(&d.spec.template))),
    );
    found.extend(
        jobs.iter()
            .filter(|j| of_own(&j.metadata) && !is_finished(j))
            .filter_map(|j| Template::of(&j.metadata, "job", j.spec.as_ref().map(|s| &s.template))),
    );
    found.sort_by(|a, b| (&a.namespace, &a.workload).cmp(&(&b.namespace, &b.workload)));
    found
}

/// A Job whose Complete or Failed condition is true.
fn is_finished(job: &Job) -> bool {
    let conditions = job
        .status
        .iter()
        .flat_map(|s| s.conditions.iter().flatten());
    conditions
        .into_iter()
        .any(|c| matches!(c.type_.as_str(), "Complete" | "Failed") && c.status == "True")
}

// ---------------------------------------------------------------------------------------------
// From facts to the report.

/// The report: each pull secret with its users, and every finding, sorted by namespace.
pub fn report(facts: &Facts, now: i64) -> StatusReport {
    let mut namespaces: BTreeSet<&str> = facts.namespaces.iter().map(String::as_str).collect();
    namespaces.extend(
        facts
            .secrets
            .iter()
            .filter(|s| s.is_pull_secret())
            .map(|s| s.namespace.as_str()),
    );
    let index = Index::of(facts);
    let mut findings = Vec::new();
    findings.extend(dangling_references(facts, &index));
    let mut by_namespace: BTreeMap<&str, Vec<SecretStatus>> =
        namespaces.iter().map(|ns| (*ns, Vec::new())).collect();
    let mut pull_secrets: Vec<&SecretFacts> = facts
        .secrets
        .iter()
        .filter(|s| s.is_pull_secret())
        .collect();
    pull_secrets.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    for secret in pull_secrets {
        let users = |referrers: &[&Referrer]| -> Vec<String> {
            let mut names: Vec<String> = referrers
                .iter()
                .filter(|r| r.pull_secrets.contains(&secret.name))
                .map(|r| r.name.clone())
                .collect();
            names.sort();
            names.dedup();
            names
        };
        let service_accounts = users(index.accounts_in(&secret.namespace));
        let pods = users(index.pods_in(&secret.namespace));
        if service_accounts.is_empty() && pods.is_empty() {
            findings.push(unused(secret));
        }
        let (workloads, pods_pulling) = pulling_with(secret, &index);
        let expiry = secret.expiry();
        if let Some(expiry) = expiry {
            let pulling = Pulling {
                workloads: &workloads,
                pods: pods_pulling,
            };
            findings.extend(expiry_finding(secret, expiry, now, pulling));
        }
        let status = SecretStatus {
            name: secret.name.clone(),
            secret_type: secret.secret_type.clone(),
            registries: secret.registries.clone(),
            service_accounts,
            pods,
            workloads,
            pods_pulling,
            expires_at: expiry.and_then(|e| rfc3339(e.at)),
            expiry_source: expiry.map(|e| e.source),
            expires_at_seconds: expiry.map(|e| e.at),
        };
        by_namespace
            .entry(secret.namespace.as_str())
            .or_default()
            .push(status);
    }
    findings.extend(drift(facts));
    findings.extend(anonymous_docker_hub_pulls(facts, &index));
    findings.sort_by(|a, b| {
        (
            &a.namespace,
            a.severity,
            &a.secret,
            a.id,
            &a.service_account,
            &a.pod,
        )
            .cmp(&(
                &b.namespace,
                b.severity,
                &b.secret,
                b.id,
                &b.service_account,
                &b.pod,
            ))
    });
    let mut summary = BTreeMap::from([("secrets", 0), ("error", 0), ("warning", 0), ("info", 0)]);
    summary.insert("secrets", by_namespace.values().map(Vec::len).sum());
    for finding in &findings {
        *summary.entry(finding.severity.as_str()).or_insert(0) += 1;
    }
    StatusReport {
        namespaces: by_namespace
            .into_iter()
            .map(|(namespace, secrets)| NamespaceStatus {
                namespace: namespace.to_string(),
                secrets,
            })
            .collect(),
        findings,
        summary,
    }
}

/// The facts of a report looked up by namespace, gathered once: each secret, pod and template
/// then meets only its own namespace's, and a report over thousands of namespaces stays linear
/// in what was listed instead of comparing every secret with every account and pod.
struct Index<'a> {
    /// By (namespace, name); the first of a name wins, as a search in list order would find.
    secrets: HashMap<(&'a str, &'a str), &'a SecretFacts>,
    accounts: HashMap<(&'a str, &'a str), &'a Referrer>,
    accounts_by_namespace: HashMap<&'a str, Vec<&'a Referrer>>,
    pods_by_namespace: HashMap<&'a str, Vec<&'a Referrer>>,
    templates_by_namespace: HashMap<&'a str, Vec<&'a Template>>,
}

impl<'a> Index<'a> {
    fn of(facts: &'a Facts) -> Self {
        let mut secrets = HashMap::with_capacity(facts.secrets.len());
        for secret in &facts.secrets {
            let key = (secret.namespace.as_str(), secret.name.as_str());
            secrets.entry(key).or_insert(secret);
        }
        let mut accounts = HashMap::with_capacity(facts.accounts.len());
        for account in &facts.accounts {
            let key = (account.namespace.as_str(), account.name.as_str());
            accounts.entry(key).or_insert(account);
        }
        Index {
            secrets,
            accounts,
            accounts_by_namespace: by_namespace(&facts.accounts, |a| &a.namespace),
            pods_by_namespace: by_namespace(&facts.pods, |p| &p.namespace),
            templates_by_namespace: by_namespace(&facts.workloads, |t| &t.namespace),
        }
    }

    fn secret(&self, namespace: &str, name: &str) -> Option<&'a SecretFacts> {
        self.secrets.get(&(namespace, name)).copied()
    }

    fn accounts_in(&self, namespace: &str) -> &[&'a Referrer] {
        self.accounts_by_namespace
            .get(namespace)
            .map_or(&[], Vec::as_slice)
    }

    fn pods_in(&self, namespace: &str) -> &[&'a Referrer] {
        self.pods_by_namespace
            .get(namespace)
            .map_or(&[], Vec::as_slice)
    }

    fn templates_in(&self, namespace: &str) -> &[&'a Template] {
        self.templates_by_namespace
            .get(namespace)
            .map_or(&[], Vec::as_slice)
    }

    /// The pull secrets that pods of the workload of `template` get: the template's own, else
    /// its service account's (admission copies those into a pod that lists none).
    fn template_secrets(&self, template: &'a Template) -> &'a [String] {
        if !template.pod_secrets.is_empty() {
            return &template.pod_secrets;
        }
        let account = (
            template.namespace.as_str(),
            template.service_account.as_str(),
        );
        self.accounts
            .get(&account)
            .map_or(&[], |a| a.pull_secrets.as_slice())
    }
}

/// `items` grouped by their namespace, in list order.
fn by_namespace<'a, T>(
    items: &'a [T],
    namespace: impl Fn(&'a T) -> &'a str,
) -> HashMap<&'a str, Vec<&'a T>> {
    let mut grouped: HashMap<&str, Vec<&T>> = HashMap::new();
    for item in items {
        grouped.entry(namespace(item)).or_default().push(item);
    }
    grouped
}

/// The workloads that pull with `secret` (their pods list it, or their next pods will), with
/// their pods that do now and their images it holds credentials for; and how many pods in
/// all (of workloads or of their own) pull with it now. An image counts when the kubelet would
/// try one of the secret's entries for it ([`keys_serve`]).
fn pulling_with(secret: &SecretFacts, index: &Index) -> (Vec<WorkloadUse>, usize) {
    let keys: Vec<&str> = secret
        .registries
        .iter()
        .map(|e| e.registry.as_str())
        .collect();
    let served = |images: &[String]| -> Vec<String> {
        let serves = |image: &&String| {
            image
                .parse::<ImageRef>()
                .is_ok_and(|image| keys_serve(&image, keys.iter().copied()))
        };
        images.iter().filter(serves).cloned().collect()
    };
    let mut by_workload: BTreeMap<&str, (usize, BTreeSet<String>)> = BTreeMap::new();
    for template in index.templates_in(&secret.namespace) {
        if !index.template_secrets(template).contains(&secret.name) {
            continue;
        }
        let images = served(&template.images);
        if !images.is_empty() {
            let entry = by_workload.entry(&template.workload).or_default();
            entry.1.extend(images);
        }
    }
    let mut pods = 0;
    let listing = index
        .pods_in(&secret.namespace)
        .iter()
        .filter(|p| p.pull_secrets.contains(&secret.name));
    for pod in listing {
        let images = served(&pod.images);
        if images.is_empty() {
            continue;
        }
        pods += 1;
        if let Some(workload) = &pod.workload {
            let entry = by_workload.entry(workload).or_default();
            entry.0 += 1;
            entry.1.extend(images);
        }
    }
    let workloads = by_workload
        .into_iter()
        .map(|(workload, (pods, images))| WorkloadUse {
            workload: workload.to_string(),
            pods,
            images: images.into_iter().collect(),
        })
        .collect();
    (workloads, pods)
}

/// What pulls with a secret, for its findings.
#[derive(Debug, Clone, Copy)]
struct Pulling<'a> {
    workloads: &'a [WorkloadUse],
    pods: usize,
}

impl Pulling<'_> {
    fn is_empty(&self) -> bool {
        self.workloads.is_empty() && self.pods == 0
    }

    /// `3 workloads, 7 pods in payments pull with it: deployment/web, statefulset/db,
    /// cronjob/nightly`.
    fn describe(&self, namespace: &str) -> String {
        let names: Vec<&str> = self.workloads.iter().map(|w| w.workload.as_str()).collect();
        let mut text = format!(
            "{}, {} in {namespace} pull with it",
            counted(self.workloads.len(), "workload"),
            counted(self.pods, "pod")
        );
        if !names.is_empty() {
            text.push_str(&format!(": {}", names.join(", ")));
        }
        text
    }

    fn names(&self) -> Vec<String> {
        self.workloads.iter().map(|w| w.workload.clone()).collect()
    }
}

/// Pods and workloads that will pull Docker Hub images with no credentials for them: one
/// warning per workload (its pods and its template together) or pod of its own, with the
/// images, Docker Hub's limits and the fix.
fn anonymous_docker_hub_pulls(facts: &Facts, index: &Index) -> Vec<StatusFinding> {
    // (namespace, workload or pod) → (is a workload, service account, images)
    type Pullers<'a> = BTreeMap<(&'a str, &'a str), (bool, &'a str, BTreeSet<String>)>;
    let mut pullers: Pullers = BTreeMap::new();
    let anonymous = |namespace: &str, listed: &[String], images: &[String]| -> Vec<String> {
        let keys: Vec<Vec<&str>> = listed
            .iter()
            .filter_map(|name| index.secret(namespace, name))
            .filter(|s| s.is_pull_secret())
            .map(|s| s.registries.iter().map(|e| e.registry.as_str()).collect())
            .collect();
        images
            .iter()
            .filter(|image| {
                image
                    .parse::<ImageRef>()
                    .is_ok_and(|image| pulls_docker_hub_anonymously(&image, &keys))
            })
            .cloned()
            .collect()
    };
    for pod in &facts.pods {
        let images = anonymous(&pod.namespace, &pod.pull_secrets, &pod.images);
        if images.is_empty() {
            continue;
        }
        let (who, is_workload) = match &pod.workload {
            Some(workload) => (workload.as_str(), true),
            None => (pod.name.as_str(), false),
        };
        let account = pod.service_account.as_deref().unwrap_or(DEFAULT_ACCOUNT);
        let entry = pullers.entry((pod.namespace.as_str(), who)).or_insert((
            is_workload,
            account,
            BTreeSet::new(),
        ));
        entry.2.extend(images);
    }
    for template in &facts.workloads {
        let listed = index.template_secrets(template);
        let images = anonymous(&template.namespace, listed, &template.images);
        if images.is_empty() {
            continue;
        }
        let entry = pullers
            .entry((template.namespace.as_str(), template.workload.as_str()))
            .or_insert((true, template.service_account.as_str(), BTreeSet::new()));
        entry.2.extend(images);
    }
    pullers
        .into_iter()
        .map(|((namespace, who), (is_workload, account, images))| {
            let images: Vec<String> = images.into_iter().collect();
            let named = match is_workload {
                true => who.to_string(),
                false => format!("pod {who:?}"),
            };
            let (message, fix) = anonymous_docker_hub_pull(&named, &images, namespace, account);
            StatusFinding {
                id: "docker_hub_anonymous",
                severity: Severity::Warning,
                namespace: Some(namespace.to_string()),
                secret: None,
                service_account: None,
                pod: (!is_workload).then(|| who.to_string()),
                registry: Some(DOCKER_HUB_DOMAIN.to_string()),
                namespaces: Vec::new(),
                workloads: match is_workload {
                    true => vec![who.to_string()],
                    false => Vec::new(),
                },
                message,
                fix,
            }
        })
        .collect()
}

fn rfc3339(seconds: i64) -> Option<String> {
    k8s_openapi::jiff::Timestamp::from_second(seconds)
        .ok()
        .map(|t| t.to_string())
}

/// Service accounts and pods that list a secret that does not exist or is no pull secret.
fn dangling_references(facts: &Facts, index: &Index) -> Vec<StatusFinding> {
    // Which registry the secret was meant for is not known here.
    const SERVER: &str = " --server REGISTRY";
    let mut found = Vec::new();
    let referrers = facts
        .accounts
        .iter()
        .map(|r| (r, true))
        .chain(facts.pods.iter().map(|r| (r, false)));
    for (referrer, is_account) in referrers {
        let mut seen = BTreeSet::new();
        for name in referrer.pull_secrets.iter().filter(|n| seen.insert(*n)) {
            let ns = &referrer.namespace;
            let who = match is_account {
                true => format!("service account {:?}", referrer.name),
                false => format!("pod {:?}", referrer.name),
            };
            let (id, message, fix) = match index.secret(ns, name) {
                None => (
                    "secret_missing",
                    format!("{who} lists imagePullSecret {name:?}, which does not exist"),
                    format!("create it: {}", create_command(name, SERVER, ns)),
                ),
                Some(secret) if !secret.is_pull_secret() => (
                    "secret_wrong_type",
                    format!(
                        "{who} lists imagePullSecret {name:?}, which has type {:?}; the kubelet reads only {}",
                        secret.secret_type,
                        Layout::DockerConfigJson.secret_type()
                    ),
                    format!(
                        "replace it with a pull secret: {}",
                        replace_command(name, SERVER, ns)
                    ),
                ),
                Some(_) => continue,
            };
            let fix = match is_account {
                true => format!(
                    "{fix}; or stop listing it: kubectl regcred detach {name} -n {ns} --service-account {}",
                    referrer.name
                ),
                false => {
                    format!("{fix}; or remove it from the imagePullSecrets of the pod's template")
                }
            };
            found.push(StatusFinding {
                id,
                severity: Severity::Error,
                namespace: Some(ns.clone()),
                secret: Some(name.clone()),
                service_account: is_account.then(|| referrer.name.clone()),
                pod: (!is_account).then(|| referrer.name.clone()),
                registry: None,
                namespaces: Vec::new(),
                workloads: Vec::new(),
                message,
                fix,
            });
        }
    }
    found
}

fn unused(secret: &SecretFacts) -> StatusFinding {
    let (ns, name) = (&secret.namespace, &secret.name);
    StatusFinding {
        id: "secret_unused",
        severity: Severity::Info,
        namespace: Some(ns.clone()),
        secret: Some(name.clone()),
        service_account: None,
        pod: None,
        registry: None,
        namespaces: Vec::new(),
        workloads: Vec::new(),
        message: format!("pull secret {name:?} is listed by no service account and no pod"),
        fix: format!(
            "attach it: kubectl regcred attach {name} -n {ns}; or delete it: kubectl regcred delete {name} -n {ns}"
        ),
    }
}

/// `token_expired` (error), `token_expiring` within the hour (warning), or `token_expires`
/// later (info, only when something pulls with the secret); each says what pulls with it.
fn expiry_finding(
    secret: &SecretFacts,
    expiry: Expiry,
    now: i64,
    pulling: Pulling,
) -> Option<StatusFinding> {
    let (ns, name, at) = (&secret.namespace, &secret.name, expiry.at);
    let how = expiry.source.describe();
    let (id, severity, mut message) = if let Some(ago) = expiry.expired_for(now) {
        (
            "token_expired",
            Severity::Error,
            format!(
                "the token in secret {name:?} expired {} ago ({how})",
                human_duration(ago)
            ),
        )
    } else if at.saturating_sub(now) <= EXPIRING_WITHIN_SECONDS {
        (
            "token_expiring",
            Severity::Warning,
            format!(
                "the token in secret {name:?} expires in {} ({how})",
                human_duration(at.saturating_sub(now))
            ),
        )
    } else if !pulling.is_empty() {
        (
            "token_expires",
            Severity::Info,
            format!(
                "the token in secret {name:?} expires in {} ({how})",
                human_duration(at.saturating_sub(now))
            ),
        )
    } else {
        return None;
    };
    if !pulling.is_empty() {
        message = format!("{message}: {}", pulling.describe(ns));
    }
    let registry = secret.registries.first().map(|e| e.registry.clone());
    let server = registry.as_deref().unwrap_or("REGISTRY");
    let fix = match secret.annotations.get(PROVIDER_ANNOTATION) {
        Some(provider) if !provider.contains(',') => format!(
            "mint a new token: kubectl regcred create {name} --server {server} --provider {provider} -n {ns}"
        ),
        _ => {
            let user = secret
                .registries
                .first()
                .and_then(|e| e.username.as_deref())
                .unwrap_or("USER");
            format!(
                "store a new token: kubectl regcred create {name} --server {server} --username {user} --password-stdin -n {ns}"
            )
        }
    };
    Some(StatusFinding {
        id,
        severity,
        namespace: Some(ns.clone()),
        secret: Some(name.clone()),
        service_account: None,
        pod: None,
        registry,
        namespaces: Vec::new(),
        workloads: pulling.names(),
        message,
        fix,
    })
}

/// The same registry with different credentials in different namespaces: one finding per
/// registry, naming the namespaces (never the credentials or their digests).
fn drift(facts: &Facts) -> Vec<StatusFinding> {
    // registry → fingerprint → (namespace, secret) pairs
    type Holders<'a> = BTreeMap<[u8; 32], BTreeSet<(&'a str, &'a str)>>;
    let mut by_registry: BTreeMap<&str, Holders> = BTreeMap::new();
    for secret in facts.secrets.iter().filter(|s| s.is_pull_secret()) {
        for entry in &secret.registries {
            if let Some(fingerprint) = entry.fingerprint {
                by_registry
                    .entry(entry.registry.as_str())
                    .or_default()
                    .entry(fingerprint)
                    .or_default()
                    .insert((secret.namespace.as_str(), secret.name.as_str()));
            }
        }
    }
    let mut found = Vec::new();
    for (registry, holders) in by_registry {
        let namespaces: BTreeSet<&str> = holders.values().flatten().map(|(ns, _)| *ns).collect();
        if holders.len() < 2 || namespaces.len() < 2 {
            continue;
        }
        // Largest group first: it is the likely reference to copy from.
        let mut groups: Vec<Vec<String>> = holders
            .values()
            .map(|set| {
                set.iter()
                    .map(|(ns, name)| format!("{ns}/{name}"))
                    .collect()
            })
            .collect();
        groups.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        let described: Vec<String> = groups.iter().map(|g| g.join(", ")).collect();
        let reference = groups
            .first()
            .and_then(|g| g.first())
            .cloned()
            .unwrap_or_default();
        let (ref_ns, ref_name) = reference.split_once('/').unwrap_or(("NS", "NAME"));
        let others: Vec<&str> = namespaces
            .iter()
            .copied()
            .filter(|ns| *ns != ref_ns)
            .collect();
        found.push(StatusFinding {
            id: "credentials_drift",
            severity: Severity::Warning,
            namespace: None,
            secret: None,
            service_account: None,
            pod: None,
            registry: Some(registry.to_string()),
            namespaces: namespaces.iter().map(|ns| ns.to_string()).collect(),
            workloads: Vec::new(),
            message: format!(
                "registry {registry} has {} different credentials across namespaces: [{}]",
                groups.len(),
                described.join("] vs [")
            ),
            fix: format!(
                "copy one set everywhere: kubectl regcred create {ref_name} --from-secret {ref_ns}/{ref_name} -n {}",
                others.join(",")
            ),
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::{STANDARD as BASE64, URL_SAFE_NO_PAD as BASE64URL};
    use k8s_openapi::ByteString;
    use k8s_openapi::api::core::v1::LocalObjectReference;
    use kube::api::ObjectMeta;

    use crate::dockerconfig::stored::{
        DOCKERCFG_TYPE as DOCKERCFG, DOCKERCONFIGJSON_TYPE as DOCKERCONFIGJSON,
    };
    use crate::labels::{EXPIRES_AT_ANNOTATION, MINTED_AT_ANNOTATION};

    const NOW: i64 = 1_795_000_000; // 2026-11-18T11:06:40Z

    fn jwt(exp: i64) -> String {
        let header = BASE64URL.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
        let payload = BASE64URL.encode(format!(r#"{{"sub":"robot","exp":{exp}}}"#));
        format!("{header}.{payload}.c2lnbmF0dXJl")
    }

    fn pull_secret(ns: &str, name: &str, config: &str, annotations: &[(&str, &str)]) -> Secret {
        Secret {
            metadata: ObjectMeta {
                name: Some(name.into()),
                namespace: Some(ns.into()),
                annotations: Some(
                    annotations
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                ),
                ..Default::default()
            },
            type_: Some(DOCKERCONFIGJSON.into()),
            data: Some(BTreeMap::from([(
                ".dockerconfigjson".to_string(),
                ByteString(config.as_bytes().to_vec()),
            )])),
            ..Default::default()
        }
    }

    fn config(host: &str, user: &str, password: &str) -> String {
        format!(r#"{{"auths":{{"{host}":{{"username":"{user}","password":"{password}"}}}}}}"#)
    }

    fn referrer(ns: &str, name: &str, secrets: &[&str]) -> Referrer {
        Referrer {
            namespace: ns.into(),
            name: name.into(),
            pull_secrets: secrets.iter().map(|s| s.to_string()).collect(),
            ..Referrer::default()
        }
    }

    fn with_id<'a>(report: &'a StatusReport, id: &str) -> Vec<&'a StatusFinding> {
        report.findings.iter().filter(|f| f.id == id).collect()
    }

    fn ids(report: &StatusReport) -> Vec<(&'static str, Severity)> {
        report.findings.iter().map(|f| (f.id, f.severity)).collect()
    }

    #[test]
    fn usernames_come_from_the_entry_or_the_auth_field_and_passwords_stay_hidden() {
        let auth = BASE64.encode("robot$ci:s3cret-pass");
        let content = format!(
            r#"{{"auths":{{"https://GHCR.io/":{{"username":"octocat","password":"pw"}},"quay.io":{{"auth":"{auth}"}}}}}}"#
        );
        let facts = secret_facts(&pull_secret("a", "regcred", &content, &[]));
        let shown: Vec<(&str, Option<&str>)> = facts
            .registries
            .iter()
            .map(|e| (e.registry.as_str(), e.username.as_deref()))
            .collect();
        assert_eq!(
            shown,
            [("ghcr.io", Some("octocat")), ("quay.io", Some("robot$ci"))]
        );
        assert!(facts.registries.iter().all(|e| e.fingerprint.is_some()));
        let json = serde_json::to_string(&facts.registries).unwrap();
        assert!(!json.contains("s3cret") && !json.contains("pw\""), "{json}");
        assert!(!format!("{facts:?}").contains("s3cret"));
    }

    #[test]
    fn issue_14_the_user_shown_is_the_one_the_kubelet_sends() {
        // `auth` (base64 "kubelet-user:p2") wins over `username` and `password` in the
        // kubelet; status used to show "shown".
        let auth = BASE64.encode("kubelet-user:p2");
        let content = format!(
            r#"{{"auths":{{"ghcr.io":{{"username":"shown","password":"p1","auth":"{auth}"}}}}}}"#
        );
        let facts = secret_facts(&pull_secret("a", "regcred", &content, &[]));
        assert_eq!(
            facts.registries[0].username.as_deref(),
            Some("kubelet-user")
        );
        // The fingerprint is of what is sent too: the same as a secret holding p2 alone.
        let plain = secret_facts(&pull_secret(
            "b",
            "regcred",
            &config("ghcr.io", "kubelet-user", "p2"),
            &[],
        ));
        assert_eq!(
            facts.registries[0].fingerprint,
            plain.registries[0].fingerprint
        );
        // An undecodable `auth` makes the kubelet send nothing from the secret.
        let broken = r#"{"auths":{"ghcr.io":{"username":"shown","password":"p1","auth":"!"},"quay.io":{"username":"q","password":"p"}}}"#;
        let facts = secret_facts(&pull_secret("a", "broken", broken, &[]));
        let shown: Vec<(&str, Option<&str>, bool)> = facts
            .registries
            .iter()
            .map(|e| {
                (
                    e.registry.as_str(),
                    e.username.as_deref(),
                    e.fingerprint.is_some(),
                )
            })
            .collect();
        assert_eq!(shown, [("ghcr.io", None, false), ("quay.io", None, false)]);
    }

    #[test]
    fn debug_of_facts_shows_neither_password_nor_its_fingerprint() {
        use crate::dockerconfig::shows_secret;
        const PASSWORD: &str = "Unit-Sentinel-Pa55word-e5f60718";
        let content = format!(
            r#"{{"auths":{{"a.io":{{"auth":"{}"}},"b.io":{{"username":"u","password":"{PASSWORD}","identitytoken":"{PASSWORD}"}}}}}}"#,
            BASE64.encode(format!("u:{PASSWORD}"))
        );
        let facts = secret_facts(&pull_secret("a", "regcred", &content, &[]));
        let shown = format!("{facts:?}");
        assert!(!shows_secret(&shown, PASSWORD), "{shown}");
        for entry in &facts.registries {
            let fingerprint = entry.fingerprint.expect("a fingerprint");
            assert!(!shown.contains(&format!("{fingerprint:?}")), "{shown}");
        }
    }

    #[test]
    fn legacy_dockercfg_entries_are_read() {
        let mut secret = pull_secret("a", "old", "", &[]);
        secret.type_ = Some(DOCKERCFG.into());
        secret.data = Some(BTreeMap::from([(
            ".dockercfg".to_string(),
            ByteString(br#"{"registry.example.com":{"username":"u","password":"p"}}"#.to_vec()),
        )]));
        let facts = secret_facts(&secret);
        assert_eq!(facts.registries[0].registry, "registry.example.com");
        assert_eq!(facts.registries[0].username.as_deref(), Some("u"));
    }

    #[test]
    fn expiry_prefers_annotation_then_provider_then_jwt_then_ecr_age() {
        let mut facts = secret_facts(&pull_secret(
            "a",
            "s",
            &config(
                "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
                "AWS",
                &jwt(NOW + 50),
            ),
            &[
                (EXPIRES_AT_ANNOTATION, "2026-11-18T12:00:00Z"),
                (PROVIDER_ANNOTATION, "ecr,gcr"),
                (MINTED_AT_ANNOTATION, "2026-11-18T11:00:00Z"),
            ],
        ));
        facts.written_at = Some(NOW);
        let at = |h: i64, m: i64| 1_794_960_000 + 11 * 3600 + h * 3600 + m * 60;
        let expiry_of = |facts: &SecretFacts| facts.expiry().map(|e| (e.at, e.source));
        assert_eq!(
            expiry_of(&facts),
            Some((at(1, 0), ExpirySource::Annotation))
        );
        facts.annotations.remove(EXPIRES_AT_ANNOTATION);
        // gcr's 1 h is the shortest of the two providers.
        assert_eq!(expiry_of(&facts), Some((at(1, 0), ExpirySource::Provider)));
        facts.annotations.clear();
        assert_eq!(expiry_of(&facts), Some((NOW + 50, ExpirySource::Jwt)));
        facts.registries[0].jwt_expires_at = None;
        assert_eq!(
            expiry_of(&facts),
            Some((NOW + 12 * 3600, ExpirySource::EcrAge))
        );
        facts.registries[0].registry = "ghcr.io".into();
        assert_eq!(expiry_of(&facts), None);
    }

    #[test]
    fn dangling_references_from_accounts_and_pods_are_errors() {
        let mut opaque = pull_secret("a", "opaque", "{}", &[]);
        opaque.type_ = Some("Opaque".into());
        let facts = Facts {
            secrets: vec![
                secret_facts(&pull_secret("a", "good", &config("ghcr.io", "u", "p"), &[])),
                secret_facts(&opaque),
            ],
            accounts: vec![referrer("a", "default", &["good", "gone", "gone"])],
            pods: vec![referrer("a", "web", &["good", "opaque"])],
            namespaces: vec!["a".into()],
            workloads: Vec::new(),
        };
        let report = report(&facts, NOW);
        assert_eq!(
            ids(&report),
            [
                ("secret_missing", Severity::Error),
                ("secret_wrong_type", Severity::Error)
            ]
        );
        let missing = &report.findings[0];
        assert_eq!(missing.service_account.as_deref(), Some("default"));
        assert!(
            missing
                .fix
                .contains("kubectl regcred detach gone -n a --service-account default"),
            "{}",
            missing.fix
        );
        assert_eq!(report.findings[1].pod.as_deref(), Some("web"));
        assert!(report.has_errors());
        let good = &report.namespaces[0].secrets[0];
        assert_eq!(
            (good.service_accounts.as_slice(), good.pods.as_slice()),
            (&["default".to_string()][..], &["web".to_string()][..])
        );
    }

    #[test]
    fn expired_is_an_error_expiring_a_warning_and_later_nothing() {
        let secret = |name: &str, exp: i64| {
            secret_facts(&pull_secret(
                "a",
                name,
                &config("ghcr.io", "u", &jwt(exp)),
                &[],
            ))
        };
        let facts = Facts {
            secrets: vec![
                secret("expired", NOW - 10),
                secret("soon", NOW + 600),
                secret("later", NOW + 7200),
            ],
            accounts: vec![referrer("a", "default", &["expired", "soon", "later"])],
            pods: vec![],
            namespaces: vec!["a".into()],
            workloads: Vec::new(),
        };
        let report = report(&facts, NOW);
        let by_secret: Vec<(&str, &str)> = report
            .findings
            .iter()
            .map(|f| (f.secret.as_deref().unwrap_or(""), f.id))
            .collect();
        assert_eq!(
            by_secret,
            [("expired", "token_expired"), ("soon", "token_expiring")]
        );
        assert_eq!(report.summary["error"], 1);
        assert_eq!(report.summary["warning"], 1);
        assert_eq!(report.summary["secrets"], 3);
    }

    #[test]
    fn drift_names_namespaces_not_credentials() {
        let facts = Facts {
            secrets: vec![
                secret_facts(&pull_secret(
                    "a",
                    "regcred",
                    &config("ghcr.io", "u", "one"),
                    &[],
                )),
                secret_facts(&pull_secret(
                    "b",
                    "regcred",
                    &config("ghcr.io", "u", "one"),
                    &[],
                )),
                secret_facts(&pull_secret(
                    "c",
                    "hub",
                    &config("https://ghcr.io", "u", "two"),
                    &[],
                )),
                secret_facts(&pull_secret("c", "quay", &config("quay.io", "u", "x"), &[])),
                secret_facts(&pull_secret("d", "quay", &config("quay.io", "u", "x"), &[])),
            ],
            accounts: vec![
                referrer("a", "default", &["regcred"]),
                referrer("b", "default", &["regcred"]),
                referrer("c", "default", &["hub", "quay"]),
                referrer("d", "default", &["quay"]),
            ],
            pods: vec![],
            namespaces: vec![],
            workloads: Vec::new(),
        };
        let report = report(&facts, NOW);
        assert_eq!(ids(&report), [("credentials_drift", Severity::Warning)]);
        let drift = &report.findings[0];
        assert_eq!(drift.registry.as_deref(), Some("ghcr.io"));
        assert_eq!(drift.namespaces, ["a", "b", "c"]);
        assert_eq!(
            drift.message,
            "registry ghcr.io has 2 different credentials across namespaces: [a/regcred, b/regcred] vs [c/hub]"
        );
        assert_eq!(
            drift.fix,
            "copy one set everywhere: kubectl regcred create regcred --from-secret a/regcred -n b,c"
        );
        assert!(!report.has_errors());
    }

    #[test]
    fn a_secret_nobody_lists_is_unused_info_and_clean_namespaces_have_no_findings() {
        let facts = Facts {
            secrets: vec![secret_facts(&pull_secret(
                "a",
                "spare",
                &config("ghcr.io", "u", "p"),
                &[],
            ))],
            accounts: vec![referrer("a", "default", &[])],
            pods: vec![],
            namespaces: vec!["a".into(), "empty".into()],
            workloads: Vec::new(),
        };
        let report = report(&facts, NOW);
        assert_eq!(ids(&report), [("secret_unused", Severity::Info)]);
        assert!(!report.has_errors());
        assert_eq!(report.namespaces.len(), 2);
        assert!(report.namespaces[1].secrets.is_empty());
        assert!(self::report(&Facts::default(), NOW).findings.is_empty());
    }

    #[test]
    fn pods_and_accounts_objects_become_referrers() {
        let account = ServiceAccount {
            metadata: ObjectMeta {
                name: Some("builder".into()),
                namespace: Some("a".into()),
                ..Default::default()
            },
            image_pull_secrets: Some(vec![LocalObjectReference {
                name: "regcred".into(),
            }]),
            ..Default::default()
        };
        assert_eq!(
            account_referrer(&account),
            referrer("a", "builder", &["regcred"])
        );
        assert_eq!(
            pod_referrer(&Pod::default(), &Owners::default()).pull_secrets,
            Vec::<String>::new()
        );
    }

    /// A namespace `a` with a Deployment (two pods through its ReplicaSet), a StatefulSet with
    /// no pods yet whose service account lists the secret, a CronJob with a running Job's pod
    /// (and a Docker Hub sidecar), a pod of its own, and a Deployment of another registry.
    fn workload_facts(config: &str, annotations: &[(&str, &str)]) -> Facts {
        use serde_json::json;
        let owner = |kind: &str, name: &str| json!([{"apiVersion": "v1", "kind": kind, "name": name, "uid": "u", "controller": true}]);
        let pod_spec = |images: &[&str], secrets: &[&str]| {
            json!({
                "imagePullSecrets": secrets.iter().map(|s| json!({"name": s})).collect::<Vec<_>>(),
                "containers": images.iter().enumerate()
                    .map(|(i, image)| json!({"name": format!("c{i}"), "image": image}))
                    .collect::<Vec<_>>(),
            })
        };
        let pod = |name: &str, owner: Option<serde_json::Value>, images: &[&str]| -> Pod {
            serde_json::from_value(json!({
                "metadata": {"name": name, "namespace": "a", "ownerReferences": owner},
                "spec": pod_spec(images, &["regcred"]),
            }))
            .unwrap()
        };
        let template =
            |images: &[&str], secrets: &[&str]| json!({"spec": pod_spec(images, secrets)});
        let web = "ghcr.io/acme/web:1";
        let replica_set: ReplicaSet = serde_json::from_value(json!({
            "metadata": {"name": "web-5d8f", "namespace": "a", "ownerReferences": owner("Deployment", "web")},
            "spec": {"selector": {}, "template": template(&[web], &[])},
        }))
        .unwrap();
        let deployment = |name: &str, image: &str| -> Deployment {
            serde_json::from_value(json!({
                "metadata": {"name": name, "namespace": "a"},
                "spec": {"selector": {}, "template": template(&[image], &["regcred"])},
            }))
            .unwrap()
        };
        let stateful_set: StatefulSet = serde_json::from_value(json!({
            "metadata": {"name": "db", "namespace": "a"},
            "spec": {"selector": {}, "serviceName": "db", "replicas": 1,
                     "template": {"spec": {"serviceAccountName": "db",
                                           "containers": [{"name": "db", "image": "ghcr.io/acme/db:1"}]}}},
        }))
        .unwrap();
        let job: Job = serde_json::from_value(json!({
            "metadata": {"name": "nightly-29", "namespace": "a", "ownerReferences": owner("CronJob", "nightly")},
            "spec": {"template": template(&["ghcr.io/acme/batch:1"], &["regcred"])},
        }))
        .unwrap();
        let cron_meta: ObjectMeta =
            serde_json::from_value(json!({"name": "nightly", "namespace": "a"})).unwrap();
        let cron_template: k8s_openapi::api::core::v1::PodTemplateSpec = serde_json::from_value(
            template(&["ghcr.io/acme/batch:1", "busybox:1.36"], &["regcred"]),
        )
        .unwrap();
        let cron_jobs = vec![Template::of(&cron_meta, "cronjob", Some(&cron_template)).unwrap()];
        let owners = Owners::of(
            std::slice::from_ref(&replica_set),
            std::slice::from_ref(&job),
        );
        let pods = [
            pod("web-5d8f-x1", Some(owner("ReplicaSet", "web-5d8f")), &[web]),
            pod("web-5d8f-x2", Some(owner("ReplicaSet", "web-5d8f")), &[web]),
            pod(
                "nightly-29-q",
                Some(owner("Job", "nightly-29")),
                &["ghcr.io/acme/batch:1", "busybox:1.36"],
            ),
            pod("debug", None, &["ghcr.io/acme/tools:1"]),
        ];
        Facts {
            secrets: vec![secret_facts(&pull_secret(
                "a",
                "regcred",
                config,
                annotations,
            ))],
            accounts: vec![
                referrer("a", "default", &[]),
                referrer("a", "db", &["regcred"]),
            ],
            pods: pods.iter().map(|p| pod_referrer(p, &owners)).collect(),
            workloads: workload_templates(
                &[
                    deployment("web", web),
                    deployment("other", "quay.io/acme/other:1"),
                ],
                &[replica_set],
                &[stateful_set],
                &[],
                &[job],
                cron_jobs,
            ),
            namespaces: vec!["a".into()],
        }
    }

    #[test]
    fn pods_belong_to_the_workloads_that_own_their_owners() {
        let facts = workload_facts(&config("ghcr.io", "u", "p"), &[]);
        let workloads: Vec<(&str, Option<&str>)> = facts
            .pods
            .iter()
            .map(|p| (p.name.as_str(), p.workload.as_deref()))
            .collect();
        assert_eq!(
            workloads,
            [
                ("web-5d8f-x1", Some("deployment/web")),
                ("web-5d8f-x2", Some("deployment/web")),
                ("nightly-29-q", Some("cronjob/nightly")),
                ("debug", None),
            ]
        );
        // The Job of the CronJob and the Deployment's ReplicaSet are no workloads of their own.
        let templates: Vec<&str> = facts
            .workloads
            .iter()
            .map(|t| t.workload.as_str())
            .collect();
        assert_eq!(
            templates,
            [
                "cronjob/nightly",
                "deployment/other",
                "deployment/web",
                "statefulset/db"
            ]
        );
        assert_eq!(
            facts.pods[2].images,
            ["ghcr.io/acme/batch:1", "busybox:1.36"]
        );
        // A finished pod pulls nothing more.
        let done: Pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "nightly-28-z", "namespace": "a"},
            "spec": {"containers": [{"name": "c", "image": "busybox:1.36"}]},
            "status": {"phase": "Succeeded"},
        }))
        .unwrap();
        assert!(pod_referrer(&done, &Owners::default()).images.is_empty());
    }

    #[test]
    fn a_secret_lists_the_workloads_that_pull_with_it_and_their_images() {
        let at = NOW + 2 * 3600;
        let expires = rfc3339(at).unwrap();
        let facts = workload_facts(
            &config("ghcr.io", "u", "p"),
            &[(EXPIRES_AT_ANNOTATION, &expires)],
        );
        let report = report(&facts, NOW);
        let secret = &report.namespaces[0].secrets[0];
        let uses: Vec<(&str, usize, Vec<&str>)> = secret
            .workloads
            .iter()
            .map(|w| {
                (
                    w.workload.as_str(),
                    w.pods,
                    w.images.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        // Through pods (web, nightly), the template (nightly, other: not served), the service
        // account of a template with no pods yet (db); only images it holds credentials for.
        assert_eq!(
            uses,
            [
                ("cronjob/nightly", 1, vec!["ghcr.io/acme/batch:1"]),
                ("deployment/web", 2, vec!["ghcr.io/acme/web:1"]),
                ("statefulset/db", 0, vec!["ghcr.io/acme/db:1"]),
            ]
        );
        assert_eq!(secret.pods_pulling, 4);
        let expiring = with_id(&report, "token_expires");
        assert_eq!(expiring.len(), 1, "{:#?}", report.findings);
        assert_eq!(expiring[0].severity, Severity::Info);
        assert_eq!(
            expiring[0].message,
            "the token in secret \"regcred\" expires in 2h (by its regcred.kubectl.io/expires-at \
             annotation): 3 workloads, 4 pods in a pull with it: cronjob/nightly, deployment/web, \
             statefulset/db"
        );
        assert_eq!(
            expiring[0].workloads,
            ["cronjob/nightly", "deployment/web", "statefulset/db"]
        );
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(
            json["namespaces"][0]["secrets"][0]["workloads"][2],
            serde_json::json!({"workload": "statefulset/db", "pods": 0, "images": ["ghcr.io/acme/db:1"]})
        );
        assert_eq!(json["namespaces"][0]["secrets"][0]["podsPulling"], 4);
        // Within the hour it is a warning, expired an error; both still say what breaks.
        for (now, id) in [(at - 600, "token_expiring"), (at + 1, "token_expired")] {
            let report = self::report(&facts, now);
            let found = report.findings.iter().find(|f| f.id == id).unwrap();
            assert!(found.message.ends_with("3 workloads, 4 pods in a pull with it: cronjob/nightly, deployment/web, statefulset/db"), "{}", found.message);
        }
    }

    #[test]
    fn docker_hub_images_without_credentials_are_flagged_once_per_workload() {
        let facts = workload_facts(&config("ghcr.io", "u", "p"), &[]);
        let report = report(&facts, NOW);
        let hub = with_id(&report, "docker_hub_anonymous");
        assert_eq!(hub.len(), 1, "{:#?}", report.findings);
        assert_eq!(hub[0].severity, Severity::Warning);
        assert_eq!(hub[0].workloads, ["cronjob/nightly"]);
        assert!(hub[0].message.starts_with("cronjob/nightly pulls busybox:1.36 from Docker Hub with no credentials: Docker Hub allows 10 anonymous pulls an hour"), "{}", hub[0].message);
        assert_eq!(
            hub[0].fix,
            "pull with a Docker Hub account: kubectl regcred create dockerhub --server docker.io \
             --username USER --password-stdin -n a --attach"
        );
        // A secret with a Docker Hub entry among the pod's: nothing to flag.
        let both = r#"{"auths":{"ghcr.io":{"username":"u","password":"p"},"https://index.docker.io/v1/":{"username":"u","password":"p"}}}"#;
        let facts = workload_facts(both, &[]);
        let report = self::report(&facts, NOW);
        assert!(
            report
                .findings
                .iter()
                .all(|f| f.id != "docker_hub_anonymous"),
            "{:#?}",
            report.findings
        );
    }

    // -----------------------------------------------------------------------------------------
    // Hostile input (issue 9): property tests.

    use proptest::prelude::*;
    use serde_json::{Value, json};

    use crate::dockerconfig::hostile::{self, SENTINEL};
    use crate::expiry::tests::{EARLIEST, LATEST, exp_claim};

    #[test]
    fn issue_9_an_exp_beyond_the_calendar_is_no_expiry_and_no_overflow() {
        for exp in ["-1e300", "-9223372036854775808", "1e300", "253402207201"] {
            let payload = BASE64URL.encode(format!(r#"{{"exp":{exp}}}"#));
            let token = format!("e30.{payload}.c2ln");
            let content = config("ghcr.io", "u", &token);
            let facts = Facts {
                secrets: vec![secret_facts(&pull_secret("a", "s", &content, &[]))],
                ..Facts::default()
            };
            assert!(
                self::report(&facts, NOW)
                    .findings
                    .iter()
                    .all(|f| f.id == "secret_unused")
            );
        }
        // Before the fix, `now - exp` overflowed (a panic in debug builds, a negative age
        // in release builds).
        let mut facts = secret_facts(&pull_secret("a", "s", "{}", &[]));
        facts.registries.push(RegistryEntry {
            registry: "ghcr.io".into(),
            username: None,
            fingerprint: None,
            jwt_expires_at: Some(i64::MIN),
        });
        let report = self::report(
            &Facts {
                secrets: vec![facts],
                ..Facts::default()
            },
            NOW,
        );
        assert!(report.findings.iter().any(|f| f.id == "token_expired"));
    }

    /// A JWT whose signature is the sentinel, so a leak of the token shows.
    fn token_with(exp: &Value, padded: bool) -> String {
        let header = BASE64URL.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
        let mut payload = BASE64URL.encode(json!({ "sub": "robot", "exp": exp }).to_string());
        if padded {
            payload.push_str("==");
        }
        format!("{header}.{payload}.{SENTINEL}")
    }

    /// A pull secret of either type, with any content and any annotations.
    fn hostile_secret(
        legacy: bool,
        content: Vec<u8>,
        annotations: BTreeMap<String, String>,
    ) -> Secret {
        let (secret_type, key) = if legacy {
            (DOCKERCFG, ".dockercfg")
        } else {
            (DOCKERCONFIGJSON, ".dockerconfigjson")
        };
        Secret {
            metadata: ObjectMeta {
                name: Some("regcred".into()),
                namespace: Some("a".into()),
                annotations: Some(annotations),
                ..Default::default()
            },
            type_: Some(secret_type.into()),
            data: Some(BTreeMap::from([(key.to_string(), ByteString(content))])),
            ..Default::default()
        }
    }

    fn annotation_value() -> impl Strategy<Value = String> {
        prop_oneof![
            2 => hostile::hostile_text(),
            1 => prop::sample::select(vec![
                "2026-11-18T11:00:00Z",
                "9999-12-31T23:59:59Z",
                "-009999-01-01T00:00:00Z",
                "1970-01-01T00:00:00.999999999+14:00",
                "2026-02-30T00:00:00Z",
                "ecr",
                "acr,gcr,ecr",
                " gcr ",
            ]).prop_map(str::to_string),
        ]
    }

    fn annotations() -> impl Strategy<Value = BTreeMap<String, String>> {
        let key = prop::sample::select(vec![
            EXPIRES_AT_ANNOTATION,
            MINTED_AT_ANNOTATION,
            PROVIDER_ANNOTATION,
            "other",
        ])
        .prop_map(str::to_string);
        prop::collection::btree_map(key, annotation_value(), 0..4)
    }

    /// Secret content: hostile bytes, or entries whose passwords are JWTs with any `exp`.
    fn content() -> impl Strategy<Value = (bool, Vec<u8>)> {
        let jwt_entries = prop::collection::vec((hostile::host_or_hostile(), exp_claim()), 1..4)
            .prop_map(|entries| {
                let auths: serde_json::Map<String, Value> = entries
                    .iter()
                    .map(|(host, exp)| {
                        (
                            host.clone(),
                            json!({ "username": "AWS", "password": token_with(exp, false) }),
                        )
                    })
                    .collect();
                json!({ "auths": auths }).to_string().into_bytes()
            });
        (
            any::<bool>(),
            prop_oneof![hostile::config_bytes(), jwt_entries],
        )
    }

    proptest! {
        #![proptest_config(hostile::config(128))]

        #[test]
        fn status_never_panics_on_hostile_secrets_and_never_shows_their_secrets(
            secrets in prop::collection::vec((content(), annotations(), proptest::option::of(EARLIEST..=LATEST)), 0..4),
            now in EARLIEST..=LATEST,
        ) {
            let facts = Facts {
                secrets: secrets
                    .into_iter()
                    .enumerate()
                    .map(|(i, ((legacy, bytes), annotations, written_at))| {
                        let mut facts = secret_facts(&hostile_secret(legacy, bytes, annotations));
                        facts.name = format!("regcred-{i}");
                        facts.written_at = written_at;
                        facts
                    })
                    .collect(),
                accounts: vec![referrer("a", "default", &["regcred-0", "gone"])],
                pods: vec![],
                namespaces: vec!["a".into()],
                workloads: Vec::new(),
            };
            let shown = format!("{facts:?}");
            prop_assert!(!shown.contains(SENTINEL), "{}", shown);
            for secret in &facts.secrets {
                let _ = secret.expiry();
            }
            let report = report(&facts, now);
            let json = serde_json::to_string(&report).expect("a report serialises");
            prop_assert!(!json.contains(SENTINEL), "{}", json);
            prop_assert_eq!(report.summary["secrets"], facts.secrets.len());
        }
    }
}
