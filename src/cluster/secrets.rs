//! Image-pull secrets: build, merge, apply, label and delete them, and tell what changed.

use std::collections::BTreeMap;

use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::Secret;
use kube::api::{Api, DeleteParams, ObjectMeta, Patch, PatchParams, Preconditions};
use serde_json::json;

use super::error::Request;
use super::{Cluster, ClusterError, FIELD_MANAGER, Mode};
use crate::dockerconfig::DockerConfig;
use crate::dockerconfig::stored::{DOCKERCONFIGJSON_TYPE, Layout};

/// The data key of the secrets this module writes (`.dockerconfigjson`, [`Layout::data_key`]).
pub const DOCKER_CONFIG_JSON_KEY: &str = Layout::DockerConfigJson.data_key();

/// Attempts at a write before a concurrent writer wins.
const MAX_ATTEMPTS: usize = 8;

/// What a command did to a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Created,
    Configured,
    Unchanged,
    Deleted,
    /// There was no such secret.
    Absent,
}

impl Change {
    /// kubectl's word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Created => "created",
            Change::Configured => "configured",
            Change::Unchanged => "unchanged",
            Change::Deleted => "deleted",
            Change::Absent => "not found",
        }
    }
}

/// The pull secret a command wants in each namespace.
#[derive(Debug, Clone, Default)]
pub struct DesiredSecret {
    pub name: String,
    /// Registries to put in; merged into what the secret holds unless `replace`.
    pub config: DockerConfig,
    pub replace: bool,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
}

impl DesiredSecret {
    /// The object as `kubectl create secret docker-registry` would build it, for
    /// `--dry-run=client` (which cannot see what the cluster holds).
    pub fn manifest(&self, namespace: &str) -> Secret {
        build(
            &self.name,
            namespace,
            &self.config.to_json(),
            self.labels.clone(),
            self.annotations.clone(),
            None,
        )
    }
}

fn build(
    name: &str,
    namespace: &str,
    dockerconfigjson: &[u8],
    labels: BTreeMap<String, String>,
    annotations: BTreeMap<String, String>,
    resource_version: Option<String>,
) -> Secret {
    Secret {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            namespace: Some(namespace.to_string()),
            labels: Some(labels).filter(|l| !l.is_empty()),
            annotations: Some(annotations).filter(|a| !a.is_empty()),
            resource_version,
            ..Default::default()
        },
        type_: Some(DOCKERCONFIGJSON_TYPE.to_string()),
        data: Some(BTreeMap::from([(
            DOCKER_CONFIG_JSON_KEY.to_string(),
            ByteString(dockerconfigjson.to_vec()),
        )])),
        ..Default::default()
    }
}

/// Makes the secret in `namespace` hold what `desired` asks for, keeping everything else it
/// holds: other registries (unless `replace`), labels and annotations.
///
/// Reads first (or takes `known`, the object from a cluster-wide list, `Some(None)` meaning
/// absent) and writes only if something differs, so a re-run costs one read. The write is
/// a server-side apply carrying the resourceVersion that was read, so a concurrent change
/// makes it fail (409) instead of being lost; then it starts over.
pub async fn ensure(
    cluster: &Cluster,
    namespace: &str,
    desired: &DesiredSecret,
    mode: Mode,
    mut known: Option<Option<Secret>>,
) -> Result<Change, ClusterError> {
    let api: Api<Secret> = Api::namespaced(cluster.client.clone(), namespace);
    let request = |verb| Request {
        cluster,
        verb,
        object: format!("secret/{}", desired.name),
        namespace,
    };
    for attempt in 1..=MAX_ATTEMPTS {
        let existing = match known.take() {
            Some(existing) => check_type(namespace, &desired.name, existing)?,
            None => get_pull_secret(cluster, &api, namespace, &desired.name).await?,
        };
        let Some(target) = plan(namespace, desired, existing.as_ref())? else {
            return Ok(Change::Unchanged);
        };
        let change = if existing.is_some() {
            Change::Configured
        } else {
            Change::Created
        };
        if !mode.sends_writes() {
            return Ok(change);
        }
        let mut params = PatchParams::apply(FIELD_MANAGER);
        params.dry_run = mode.is_server_dry_run();
        // Taking over fields from another manager (e.g. `kubectl create secret`) is safe here:
        // the resourceVersion precondition proves we merged into the latest content.
        params.force = existing.is_some();
        match api
            .patch(&desired.name, &params, &Patch::Apply(&target))
            .await
        {
            Ok(_) => {
                tracing::debug!(
                    namespace,
                    secret = desired.name,
                    change = change.as_str(),
                    "applied"
                );
                return Ok(change);
            }
            Err(kube::Error::Api(status)) if status.code == 409 && attempt < MAX_ATTEMPTS => {
                tracing::debug!(
                    namespace,
                    secret = desired.name,
                    attempt,
                    "secret changed meanwhile; retrying"
                );
                super::retry::after_lost_race(attempt).await;
            }
            Err(err) => return Err(request("apply").error(err)),
        }
    }
    Err(ClusterError::Contended {
        object: format!("secret/{}", desired.name),
        namespace: namespace.to_string(),
        attempts: MAX_ATTEMPTS,
    })
}

/// The object to apply so the secret matches `desired`, or None when it already does.
/// Pure: merging, ownership and idempotency are decided here.
pub fn plan(
    namespace: &str,
    desired: &DesiredSecret,
    existing: Option<&Secret>,
) -> Result<Option<Secret>, ClusterError> {
    let Some(existing) = existing else {
        return Ok(Some(desired.manifest(namespace)));
    };
    let stored = Layout::DockerConfigJson.content_of(existing);
    let merged = if desired.replace {
        desired.config.clone()
    } else {
        let mut current = readable_config(stored, namespace, &desired.name)?;
        current.merge(&desired.config);
        current
    };
    let data_unchanged =
        DockerConfig::parse(stored).is_ok_and(|current| current.same_content(&merged));
    let labels = existing.metadata.labels.clone().unwrap_or_default();
    let annotations = existing.metadata.annotations.clone().unwrap_or_default();
    let has_all = |wanted: &BTreeMap<String, String>, current: &BTreeMap<String, String>| {
        wanted.iter().all(|(k, v)| current.get(k) == Some(v))
    };
    if data_unchanged
        && has_all(&desired.labels, &labels)
        && has_all(&desired.annotations, &annotations)
    {
        return Ok(None);
    }
    // Apply drops fields this manager set before and leaves out now, so carry them over.
    let owned = owned_metadata_keys(existing);
    let keep = |current: &BTreeMap<String, String>,
                owned: &[String],
                wanted: &BTreeMap<String, String>| {
        let mut result: BTreeMap<String, String> = current
            .iter()
            .filter(|(k, _)| owned.contains(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        result.extend(wanted.clone());
        result
    };
    let bytes = if data_unchanged {
        zeroize::Zeroizing::new(stored.to_vec())
    } else {
        merged.to_json()
    };
    Ok(Some(build(
        &desired.name,
        namespace,
        &bytes,
        keep(&labels, &owned.labels, &desired.labels),
        keep(&annotations, &owned.annotations, &desired.annotations),
        existing.metadata.resource_version.clone(),
    )))
}

/// New content for a pull secret and the annotations to change with it (`None` removes one).
pub struct Rewrite {
    pub content: zeroize::Zeroizing<Vec<u8>>,
    pub annotations: BTreeMap<String, Option<String>>,
}

/// The merge patch of a [`Rewrite`]: the content, the annotations named, and the
/// resourceVersion that was read, which makes the API server refuse it (409) if the secret
/// changed meanwhile.
#[derive(serde::Serialize)]
struct RewritePatch<'a> {
    metadata: RewriteMetadata<'a>,
    data: BTreeMap<&'static str, &'a ByteString>,
}

/// Shows no content (kube asks for `Debug`).
impl std::fmt::Debug for RewritePatch<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RewritePatch")
            .field("resource_version", &self.metadata.resource_version)
            .field("annotations", self.metadata.annotations)
            .field("data", &"<redacted>")
            .finish()
    }
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct RewriteMetadata<'a> {
    resource_version: Option<&'a str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    annotations: &'a BTreeMap<String, Option<String>>,
}

/// Rewrites pull secret `name` in `namespace` as `decide` says, changing nothing else: its
/// labels, other annotations and other data stay whoever owns them.
///
/// `decide` sees the secret as read (`known` first, the object of a list, `Some(None)` meaning
/// absent; after a conflict, a fresh read) and returns what it found, for the report, and the
/// rewrite, or none when nothing is to change. The write is a merge patch with the
/// resourceVersion that was read; when another writer came first (409) it starts over.
pub async fn rewrite<T>(
    cluster: &Cluster,
    namespace: &str,
    name: &str,
    mode: Mode,
    mut known: Option<Option<Secret>>,
    decide: impl Fn(Option<&Secret>) -> Result<(T, Option<Rewrite>), ClusterError>,
) -> Result<(T, Change), ClusterError> {
    let api: Api<Secret> = Api::namespaced(cluster.client.clone(), namespace);
    for attempt in 1..=MAX_ATTEMPTS {
        let existing = match known.take() {
            Some(existing) => check_type(namespace, name, existing)?,
            None => get_pull_secret(cluster, &api, namespace, name).await?,
        };
        let (found, planned) = decide(existing.as_ref())?;
        let (Some(existing), Some(planned)) = (existing.as_ref(), planned) else {
            let change = match existing {
                Some(_) => Change::Unchanged,
                None => Change::Absent,
            };
            return Ok((found, change));
        };
        if !mode.sends_writes() {
            return Ok((found, Change::Configured));
        }
        let mut data = ByteString(planned.content.to_vec());
        let patch = RewritePatch {
            metadata: RewriteMetadata {
                resource_version: existing.metadata.resource_version.as_deref(),
                annotations: &planned.annotations,
            },
            data: BTreeMap::from([(DOCKER_CONFIG_JSON_KEY, &data)]),
        };
        let params = PatchParams {
            dry_run: mode.is_server_dry_run(),
            field_manager: Some(FIELD_MANAGER.into()),
            ..Default::default()
        };
        let sent = api.patch(name, &params, &Patch::Merge(&patch)).await;
        zeroize::Zeroize::zeroize(&mut data.0);
        match sent {
            Ok(_) => return Ok((found, Change::Configured)),
            Err(kube::Error::Api(status)) if status.code == 409 && attempt < MAX_ATTEMPTS => {
                tracing::debug!(
                    namespace,
                    secret = name,
                    attempt,
                    "secret changed meanwhile; retrying"
                );
                super::retry::after_lost_race(attempt).await;
            }
            Err(err) => {
                return Err(Request {
                    cluster,
                    verb: "patch",
                    object: format!("secret/{name}"),
                    namespace,
                }
                .error(err));
            }
        }
    }
    Err(ClusterError::Contended {
        object: format!("secret/{name}"),
        namespace: namespace.to_string(),
        attempts: MAX_ATTEMPTS,
    })
}

/// Label and annotation keys that this tool's server-side applies own.
#[derive(Debug, Default, PartialEq, Eq)]
struct OwnedKeys {
    labels: Vec<String>,
    annotations: Vec<String>,
}

fn owned_metadata_keys(secret: &Secret) -> OwnedKeys {
    let mut owned = OwnedKeys::default();
    let entries = secret
        .metadata
        .managed_fields
        .as_deref()
        .unwrap_or_default();
    for entry in entries.iter().filter(|e| {
        e.manager.as_deref() == Some(FIELD_MANAGER) && e.operation.as_deref() == Some("Apply")
    }) {
        let Some(fields) = &entry.fields_v1 else {
            continue;
        };
        let metadata = &fields.0["f:metadata"];
        for (section, keys) in [
            ("f:labels", &mut owned.labels),
            ("f:annotations", &mut owned.annotations),
        ] {
            if let Some(map) = metadata[section].as_object() {
                keys.extend(
                    map.keys()
                        .filter_map(|k| k.strip_prefix("f:"))
                        .map(str::to_string),
                );
            }
        }
    }
    owned
}

/// Reads a secret that must be a pull secret if it exists.
async fn get_pull_secret(
    cluster: &Cluster,
    api: &Api<Secret>,
    namespace: &str,
    name: &str,
) -> Result<Option<Secret>, ClusterError> {
    let request = Request {
        cluster,
        verb: "get",
        object: format!("secret/{name}"),
        namespace,
    };
    let existing = api.get_opt(name).await.map_err(|e| request.error(e))?;
    check_type(namespace, name, existing)
}

/// Pull secret `name` of `namespace`, to change, with the API to change it through; None when
/// it does not exist.
async fn existing_pull_secret(
    cluster: &Cluster,
    namespace: &str,
    name: &str,
) -> Result<Option<(Api<Secret>, Secret)>, ClusterError> {
    let api: Api<Secret> = Api::namespaced(cluster.client.clone(), namespace);
    let existing = get_pull_secret(cluster, &api, namespace, name).await?;
    Ok(existing.map(|secret| (api, secret)))
}

/// The secret if it is a pull secret; an error naming its type otherwise.
fn check_type(
    namespace: &str,
    name: &str,
    existing: Option<Secret>,
) -> Result<Option<Secret>, ClusterError> {
    if let Some(found) = existing.as_ref().and_then(|s| s.type_.as_deref())
        && found != DOCKERCONFIGJSON_TYPE
    {
        return Err(ClusterError::WrongSecretType {
            object: format!("secret/{name}"),
            namespace: namespace.to_string(),
            found: found.to_string(),
        });
    }
    Ok(existing)
}

/// Reads the registries of a pull secret, for `--from-secret`.
pub async fn read_config(
    cluster: &Cluster,
    namespace: &str,
    name: &str,
) -> Result<DockerConfig, ClusterError> {
    let api: Api<Secret> = Api::namespaced(cluster.client.clone(), namespace);
    let secret = get_pull_secret(cluster, &api, namespace, name)
        .await?
        .ok_or_else(|| missing(namespace, name))?;
    let content = Layout::DockerConfigJson.content_of(&secret);
    readable_config(content, namespace, name)
}

/// The registries in the content of pull secret `name` (none when it has no content); an
/// error naming the secret when the content cannot be read.
fn readable_config(
    content: &[u8],
    namespace: &str,
    name: &str,
) -> Result<DockerConfig, ClusterError> {
    DockerConfig::parse(content).map_err(|reason| ClusterError::UnreadableSecret {
        object: format!("secret/{name}"),
        namespace: namespace.to_string(),
        reason: reason.to_string(),
    })
}

/// Fails unless the pull secret exists in the namespace (attach would leave a dangling reference).
/// `known` is the answer of a cluster-wide list, if one was made.
pub async fn require(
    cluster: &Cluster,
    namespace: &str,
    name: &str,
    known: Option<Option<Secret>>,
) -> Result<(), ClusterError> {
    let api: Api<Secret> = Api::namespaced(cluster.client.clone(), namespace);
    let existing = match known {
        Some(existing) => check_type(namespace, name, existing)?,
        None => get_pull_secret(cluster, &api, namespace, name).await?,
    };
    match existing {
        Some(_) => Ok(()),
        None => Err(missing(namespace, name)),
    }
}

/// Pull secret `name` is not in `namespace`, and attaching, labelling or refreshing it there
/// was asked for: the error says how to create it.
pub fn missing(namespace: &str, name: &str) -> ClusterError {
    ClusterError::MissingSecret {
        name: name.to_string(),
        namespace: namespace.to_string(),
    }
}

/// Pull secret `name` is not in `namespace`, the one namespace named, and could not be
/// `verb`-ed there: an error, as kubectl's `secrets "NAME" not found`.
pub fn not_found(verb: &'static str, namespace: &str, name: &str) -> ClusterError {
    ClusterError::Api {
        verb,
        object: format!("secret/{name}"),
        namespace: namespace.to_string(),
        message: "not found".to_string(),
    }
}

/// Deletes the pull secret (never a secret of another type), guarded by its UID.
pub async fn delete(
    cluster: &Cluster,
    namespace: &str,
    name: &str,
    mode: Mode,
) -> Result<Change, ClusterError> {
    let Some((api, existing)) = existing_pull_secret(cluster, namespace, name).await? else {
        return Ok(Change::Absent);
    };
    if !mode.sends_writes() {
        return Ok(Change::Deleted);
    }
    let params = DeleteParams {
        dry_run: mode.is_server_dry_run(),
        preconditions: Some(Preconditions {
            uid: existing.metadata.uid.clone(),
            resource_version: None,
        }),
        ..Default::default()
    };
    match api.delete(name, &params).await {
        Ok(_) => Ok(Change::Deleted),
        Err(kube::Error::Api(status)) if status.code == 404 => Ok(Change::Absent),
        Err(err) => Err(Request {
            cluster,
            verb: "delete",
            object: format!("secret/{name}"),
            namespace,
        }
        .error(err)),
    }
}

/// Sets and removes labels and annotations on an existing pull secret with a merge patch
/// that names only those keys, so every other label stays. `None` values remove.
pub async fn relabel(
    cluster: &Cluster,
    namespace: &str,
    name: &str,
    labels: &BTreeMap<String, Option<String>>,
    annotations: &BTreeMap<String, Option<String>>,
    mode: Mode,
) -> Result<Change, ClusterError> {
    let Some((api, existing)) = existing_pull_secret(cluster, namespace, name).await? else {
        return Ok(Change::Absent);
    };
    let is_current = |wanted: &BTreeMap<String, Option<String>>,
                      current: Option<&BTreeMap<String, String>>| {
        wanted
            .iter()
            .all(|(k, v)| current.and_then(|c| c.get(k)) == v.as_ref())
    };
    if is_current(labels, existing.metadata.labels.as_ref())
        && is_current(annotations, existing.metadata.annotations.as_ref())
    {
        return Ok(Change::Unchanged);
    }
    let patch = json!({"metadata": {
        "labels": labels,
        "annotations": annotations,
        "resourceVersion": existing.metadata.resource_version,
    }});
    if !mode.sends_writes() {
        return Ok(Change::Configured);
    }
    let params = PatchParams {
        dry_run: mode.is_server_dry_run(),
        field_manager: Some(FIELD_MANAGER.into()),
        ..Default::default()
    };
    api.patch(name, &params, &Patch::Merge(&patch))
        .await
        .map_err(|e| {
            Request {
                cluster,
                verb: "patch",
                object: format!("secret/{name}"),
                namespace,
            }
            .error(e)
        })?;
    Ok(Change::Configured)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerconfig::{Credentials, RegistryKey};
    use crate::labels::RUNAI_CLUSTER_WIDE;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{FieldsV1, ManagedFieldsEntry};
    use zeroize::Zeroizing;

    fn desired(server: &str, password: &str) -> DesiredSecret {
        let mut config = DockerConfig::new();
        config.insert(
            RegistryKey::parse(server).unwrap(),
            Credentials {
                username: "u".into(),
                password: Zeroizing::new(password.into()),
                email: None,
            },
        );
        DesiredSecret {
            name: "regcred".into(),
            config,
            ..Default::default()
        }
    }

    fn stored(desired: &DesiredSecret) -> Secret {
        let mut secret = desired.manifest("ns");
        secret.metadata.resource_version = Some("7".into());
        secret
    }

    fn registries(secret: &Secret) -> Vec<String> {
        let bytes = &secret.data.as_ref().unwrap()[DOCKER_CONFIG_JSON_KEY].0;
        DockerConfig::parse(bytes)
            .unwrap()
            .registries()
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn a_missing_secret_is_created_as_built() {
        let want = desired("ghcr.io", "p");
        let planned = plan("ns", &want, None).unwrap().unwrap();
        assert_eq!(planned.type_.as_deref(), Some(DOCKERCONFIGJSON_TYPE));
        assert_eq!(planned.metadata.resource_version, None);
    }

    #[test]
    fn the_same_content_needs_no_write() {
        let want = desired("ghcr.io", "p");
        assert!(plan("ns", &want, Some(&stored(&want))).unwrap().is_none());
    }

    #[test]
    fn other_registries_survive_unless_replace() {
        let existing = stored(&desired("quay.io", "q"));
        let want = desired("ghcr.io", "p");
        let planned = plan("ns", &want, Some(&existing)).unwrap().unwrap();
        assert_eq!(registries(&planned), ["ghcr.io", "quay.io"]);
        assert_eq!(planned.metadata.resource_version.as_deref(), Some("7"));

        let replacing = DesiredSecret {
            replace: true,
            ..want
        };
        let planned = plan("ns", &replacing, Some(&existing)).unwrap().unwrap();
        assert_eq!(registries(&planned), ["ghcr.io"]);
    }

    #[test]
    fn labels_we_applied_before_are_kept_and_others_left_to_their_owners() {
        let mut existing = stored(&desired("ghcr.io", "old"));
        existing.metadata.labels = Some(BTreeMap::from([
            ("ours".to_string(), "1".to_string()),
            ("theirs".to_string(), "2".to_string()),
        ]));
        existing.metadata.managed_fields = Some(vec![ManagedFieldsEntry {
            manager: Some(FIELD_MANAGER.into()),
            operation: Some("Apply".into()),
            fields_v1: Some(FieldsV1(
                json!({"f:metadata": {"f:labels": {"f:ours": {}}}}),
            )),
            ..Default::default()
        }]);
        let planned = plan("ns", &desired("ghcr.io", "new"), Some(&existing))
            .unwrap()
            .unwrap();
        let labels = planned.metadata.labels.unwrap();
        assert_eq!(labels.get("ours").map(String::as_str), Some("1"));
        assert!(
            !labels.contains_key("theirs"),
            "not ours to apply: {labels:?}"
        );
    }

    #[test]
    fn a_missing_label_is_a_change() {
        let want = desired("ghcr.io", "p");
        let existing = stored(&want);
        let labelled = DesiredSecret {
            labels: BTreeMap::from([(
                RUNAI_CLUSTER_WIDE.0.to_string(),
                RUNAI_CLUSTER_WIDE.1.to_string(),
            )]),
            ..want
        };
        assert!(plan("ns", &labelled, Some(&existing)).unwrap().is_some());
    }

    #[test]
    fn unreadable_content_is_an_error_not_an_overwrite() {
        let mut existing = stored(&desired("ghcr.io", "p"));
        existing.data = Some(BTreeMap::from([(
            DOCKER_CONFIG_JSON_KEY.into(),
            ByteString(b"{oops".to_vec()),
        )]));
        assert!(matches!(
            plan("ns", &desired("ghcr.io", "p"), Some(&existing)),
            Err(ClusterError::UnreadableSecret { .. })
        ));
    }
}
