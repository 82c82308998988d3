//! The objects `explain` reads, from the cluster or from manifests, reduced to what a pull
//! needs: kind, name, namespace and pod spec. Pure.

use std::fmt;
use std::str::FromStr;

use k8s_openapi::api::core::v1::PodSpec;
use serde::Serialize;

/// The kinds whose pods `explain` can explain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Pod,
    Deployment,
    StatefulSet,
    DaemonSet,
    Job,
    CronJob,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Pod,
        Kind::Deployment,
        Kind::StatefulSet,
        Kind::DaemonSet,
        Kind::Job,
        Kind::CronJob,
    ];

    /// How kubectl writes it in `KIND/NAME`: `pod`, `deployment`, ...
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Pod => "pod",
            Kind::Deployment => "deployment",
            Kind::StatefulSet => "statefulset",
            Kind::DaemonSet => "daemonset",
            Kind::Job => "job",
            Kind::CronJob => "cronjob",
        }
    }

    /// The kind as a manifest's `kind:` field spells it.
    pub const fn manifest_kind(self) -> &'static str {
        match self {
            Kind::Pod => "Pod",
            Kind::Deployment => "Deployment",
            Kind::StatefulSet => "StatefulSet",
            Kind::DaemonSet => "DaemonSet",
            Kind::Job => "Job",
            Kind::CronJob => "CronJob",
        }
    }

    /// A kind as kubectl accepts it: singular, plural or short name, any case.
    fn parse(text: &str) -> Option<Self> {
        let kind = match text.to_ascii_lowercase().as_str() {
            "pod" | "pods" | "po" => Kind::Pod,
            "deployment" | "deployments" | "deploy" => Kind::Deployment,
            "statefulset" | "statefulsets" | "sts" => Kind::StatefulSet,
            "daemonset" | "daemonsets" | "ds" => Kind::DaemonSet,
            "job" | "jobs" => Kind::Job,
            "cronjob" | "cronjobs" | "cj" => Kind::CronJob,
            _ => return None,
        };
        Some(kind)
    }

    /// Where the pod spec sits in an object of this kind.
    fn spec_path(self) -> &'static [&'static str] {
        match self {
            Kind::Pod => &["spec"],
            Kind::CronJob => &["spec", "jobTemplate", "spec", "template", "spec"],
            _ => &["spec", "template", "spec"],
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `KIND/NAME` as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectName {
    pub kind: Kind,
    pub name: String,
}

impl fmt::Display for ObjectName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.kind, self.name)
    }
}

impl FromStr for ObjectName {
    type Err = String;

    /// ```
    /// use kubectl_regcred::explain::{Kind, ObjectName};
    /// let named: ObjectName = "deploy/web".parse().unwrap();
    /// assert_eq!((named.kind, named.name.as_str()), (Kind::Deployment, "web"));
    /// assert!("nosuch/x".parse::<ObjectName>().is_err());
    /// ```
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let kinds = Kind::ALL.map(Kind::as_str).join(", ");
        let Some((kind, name)) = text.split_once('/') else {
            return Err(format!("expected KIND/NAME (KIND one of {kinds})"));
        };
        let kind = Kind::parse(kind)
            .ok_or_else(|| format!("unknown kind {kind:?}: expected one of {kinds}"))?;
        crate::names::validate_object_name(name)
            .map_err(|reason| format!("invalid name {name:?}: {reason}"))?;
        Ok(Self {
            kind,
            name: name.to_string(),
        })
    }
}

/// An object to explain.
#[derive(Debug, Clone, PartialEq)]
pub struct Subject {
    pub kind: Kind,
    pub name: String,
    /// The namespace the object names, if any.
    pub namespace: Option<String>,
    pub spec: PodSpec,
    /// An existing pod: admission is behind it, its pull secrets are fixed.
    pub admitted: bool,
}

impl Subject {
    /// `kind/name`.
    pub fn object(&self) -> String {
        format!("{}/{}", self.kind, self.name)
    }
}

/// Why a manifest or object cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestError {
    #[error("{source_name} is not YAML or JSON: {reason}")]
    Syntax { source_name: String, reason: String },
    #[error("{source_name}: {object} has no pod spec at .{path}: {reason}")]
    NoPodSpec {
        source_name: String,
        object: String,
        path: String,
        reason: String,
    },
    #[error("{source_name} holds no Pod, Deployment, StatefulSet, DaemonSet, Job or CronJob")]
    Nothing { source_name: String },
}

/// The object `value` (as the API server or a manifest has it) as a [`Subject`]; none when it is
/// not of a kind `explain` reads. `admitted`: the object was read from the cluster.
pub fn subject_of(
    value: &serde_json::Value,
    admitted: bool,
    source_name: &str,
) -> Result<Option<Subject>, ManifestError> {
    let kind = value["kind"].as_str().unwrap_or_default();
    let Some(kind) = Kind::ALL.into_iter().find(|k| k.manifest_kind() == kind) else {
        return Ok(None);
    };
    let name = value["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let object = format!("{kind}/{name}");
    let spec = kind
        .spec_path()
        .iter()
        .fold(value, |v, field| &v[*field])
        .clone();
    let spec: PodSpec = serde_json::from_value(spec).map_err(|e| ManifestError::NoPodSpec {
        source_name: source_name.to_string(),
        object: object.clone(),
        path: kind.spec_path().join("."),
        reason: e.to_string(),
    })?;
    Ok(Some(Subject {
        kind,
        name,
        namespace: value["metadata"]["namespace"]
            .as_str()
            .filter(|ns| !ns.is_empty())
            .map(str::to_string),
        spec,
        admitted: admitted && kind == Kind::Pod,
    }))
}

/// The objects `explain` reads in a manifest: every YAML (or JSON) document, and the items of
/// a `List`, in order. Other kinds are skipped. `source_name` names the file in errors.
pub fn subjects_in(text: &str, source_name: &str) -> Result<Vec<Subject>, ManifestError> {
    let documents: Vec<serde_json::Value> =
        serde_saphyr::from_multiple(text).map_err(|e| ManifestError::Syntax {
            source_name: source_name.to_string(),
            reason: e.to_string(),
        })?;
    let mut objects = Vec::new();
    for document in documents {
        match document["items"].as_array() {
            Some(items)
                if document["kind"]
                    .as_str()
                    .is_some_and(|k| k.ends_with("List")) =>
            {
                objects.extend(items.iter().cloned())
            }
            _ => objects.push(document),
        }
    }
    let mut subjects = Vec::new();
    for object in &objects {
        subjects.extend(subject_of(object, false, source_name)?);
    }
    match subjects.is_empty() {
        true => Err(ManifestError::Nothing {
            source_name: source_name.to_string(),
        }),
        false => Ok(subjects),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_as_kubectl_spells_them() {
        for (text, kind) in [
            ("pod/a", Kind::Pod),
            ("po/a", Kind::Pod),
            ("Deployment/a", Kind::Deployment),
            ("deploy/a", Kind::Deployment),
            ("sts/a", Kind::StatefulSet),
            ("daemonsets/a", Kind::DaemonSet),
            ("job/a", Kind::Job),
            ("cj/a", Kind::CronJob),
        ] {
            assert_eq!(text.parse::<ObjectName>().unwrap().kind, kind, "{text}");
        }
        let err = "nosuch/x".parse::<ObjectName>().unwrap_err();
        assert!(err.contains("unknown kind \"nosuch\""), "{err}");
        assert!("pod".parse::<ObjectName>().is_err());
        assert!("pod/".parse::<ObjectName>().is_err());
        assert!("pod/Bad_Name".parse::<ObjectName>().is_err());
    }

    #[test]
    fn manifests_give_every_workload_and_list_item() {
        let text = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: team-a}
spec:
  template:
    spec:
      containers: [{name: app, image: ghcr.io/acme/app:1}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
---
apiVersion: v1
kind: List
items:
- apiVersion: batch/v1
  kind: CronJob
  metadata: {name: nightly}
  spec:
    schedule: "@daily"
    jobTemplate:
      spec:
        template:
          spec:
            imagePullSecrets: [{name: regcred}]
            containers: [{name: run, image: busybox}]
- apiVersion: v1
  kind: Pod
  metadata: {name: one}
  spec:
    containers: [{name: c, image: nginx}]
"#;
        let subjects = subjects_in(text, "deploy.yaml").unwrap();
        let names: Vec<String> = subjects.iter().map(Subject::object).collect();
        assert_eq!(names, ["deployment/web", "cronjob/nightly", "pod/one"]);
        assert_eq!(subjects[0].namespace.as_deref(), Some("team-a"));
        assert_eq!(
            subjects[1].spec.containers[0].image.as_deref(),
            Some("busybox")
        );
        // A pod from a manifest has not been admitted yet.
        assert!(!subjects[2].admitted);
    }

    #[test]
    fn bad_manifests_name_the_file() {
        let err = subjects_in("kind: [", "x.yaml").unwrap_err();
        assert!(err.to_string().starts_with("x.yaml is not YAML"), "{err}");
        let err = subjects_in("kind: Service\n", "x.yaml").unwrap_err();
        assert!(matches!(err, ManifestError::Nothing { .. }));
        let err = subjects_in(
            "kind: Deployment\nmetadata: {name: w}\nspec: {}\n",
            "x.yaml",
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("deployment/w has no pod spec"),
            "{err}"
        );
    }
}
