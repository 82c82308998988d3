//! Adding and removing a secret in service accounts' `imagePullSecrets`.
//!
//! The list is shared with other tools and people, so it is never replaced: entries are
//! appended or removed one by one with a JSON patch whose first op tests the
//! resourceVersion we read. A concurrent writer makes the patch fail instead of being
//! overwritten; then the account is read again and the patch rebuilt.

use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::ServiceAccount;
use kube::api::{Api, ListParams, Patch, PatchParams};
use serde_json::json;

use super::error::Request;
use super::fanout::{AccountChange, AccountOutcome};
use super::pages::list_all;
use super::{Cluster, ClusterError, FIELD_MANAGER, Mode};

/// The service account every namespace gets from the service-account controller.
pub const DEFAULT_ACCOUNT: &str = "default";

/// How long to wait for the controller to create `default` in a new namespace.
const DEFAULT_ACCOUNT_WAIT: Duration = Duration::from_secs(15);

/// Attempts at a patch before a concurrent writer wins.
const MAX_ATTEMPTS: usize = 8;

/// The service accounts of one namespace, and what error messages name.
struct InNamespace<'a> {
    cluster: &'a Cluster,
    api: Api<ServiceAccount>,
    namespace: &'a str,
}

impl<'a> InNamespace<'a> {
    fn new(cluster: &'a Cluster, namespace: &'a str) -> Self {
        InNamespace {
            cluster,
            api: Api::namespaced(cluster.client.clone(), namespace),
            namespace,
        }
    }
}

/// Which accounts to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Accounts {
    Named(Vec<String>),
    All,
}

/// Add or remove.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Attach,
    Detach,
}

/// The JSON patch that makes `account` list (or not list) `secret`, or None if it already
/// does. Pure: the heart of attach/detach, tested without a cluster.
pub fn patch_for(account: &ServiceAccount, secret: &str, edit: Edit) -> Option<serde_json::Value> {
    let entries = account.image_pull_secrets.as_deref().unwrap_or_default();
    let positions: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, entry)| entry.name == secret)
        .map(|(i, _)| i)
        .collect();
    let version = account
        .metadata
        .resource_version
        .clone()
        .unwrap_or_default();
    let guard = json!({"op": "test", "path": "/metadata/resourceVersion", "value": version});
    match edit {
        Edit::Attach if !positions.is_empty() => None,
        Edit::Attach if account.image_pull_secrets.is_none() => Some(json!([
            guard,
            {"op": "add", "path": "/imagePullSecrets", "value": [{"name": secret}]},
        ])),
        Edit::Attach => Some(json!([
            guard,
            {"op": "add", "path": "/imagePullSecrets/-", "value": {"name": secret}},
        ])),
        Edit::Detach if positions.is_empty() => None,
        Edit::Detach => {
            let mut ops = vec![guard];
            // Highest index first, so earlier removals do not shift later ones.
            for i in positions.into_iter().rev() {
                ops.push(json!({"op": "test", "path": format!("/imagePullSecrets/{i}/name"), "value": secret}));
                ops.push(json!({"op": "remove", "path": format!("/imagePullSecrets/{i}")}));
            }
            Some(serde_json::Value::Array(ops))
        }
    }
}

/// Attaches or detaches `secret` on the chosen accounts of one namespace.
pub async fn edit_accounts(
    cluster: &Cluster,
    namespace: &str,
    secret: &str,
    accounts: &Accounts,
    edit: Edit,
    mode: Mode,
    known: Option<ServiceAccount>,
) -> Result<Vec<AccountOutcome>, ClusterError> {
    let target = InNamespace::new(cluster, namespace);
    let mut known = known;
    let names = match accounts {
        Accounts::Named(names) => names.clone(),
        Accounts::All => list_names(cluster, &target.api, namespace).await?,
    };
    let mut outcomes = Vec::with_capacity(names.len());
    for name in names {
        let first =
            known.take_if(|account| account.metadata.name.as_deref() == Some(name.as_str()));
        let change = edit_one(&target, &name, secret, edit, mode, first).await?;
        outcomes.push(AccountOutcome { name, change });
    }
    Ok(outcomes)
}

/// Detaches `secret` from every account of the namespace that lists it.
pub async fn detach_everywhere(
    cluster: &Cluster,
    namespace: &str,
    secret: &str,
    mode: Mode,
) -> Result<Vec<AccountOutcome>, ClusterError> {
    let target = InNamespace::new(cluster, namespace);
    let mut outcomes = Vec::new();
    for account in list(cluster, &target.api, namespace).await? {
        if patch_for(&account, secret, Edit::Detach).is_none() {
            continue;
        }
        let name = account.metadata.name.clone().unwrap_or_default();
        let change = edit_one(&target, &name, secret, Edit::Detach, mode, Some(account)).await?;
        outcomes.push(AccountOutcome { name, change });
    }
    Ok(outcomes)
}

async fn edit_one(
    target: &InNamespace<'_>,
    name: &str,
    secret: &str,
    edit: Edit,
    mode: Mode,
    known: Option<ServiceAccount>,
) -> Result<AccountChange, ClusterError> {
    let InNamespace {
        cluster,
        api,
        namespace,
    } = target;
    let (cluster, namespace) = (*cluster, *namespace);
    let mut known = known;
    let request = |verb| Request {
        cluster,
        verb,
        object: format!("serviceaccount/{name}"),
        namespace,
    };
    let mut params = PatchParams {
        field_manager: Some(FIELD_MANAGER.into()),
        ..Default::default()
    };
    params.dry_run = mode.is_server_dry_run();
    for attempt in 1..=MAX_ATTEMPTS {
        let read = match known.take() {
            Some(account) => Ok(account),
            None => get_account(cluster, api, namespace, name, edit).await,
        };
        let account = match read {
            Err(ClusterError::MissingServiceAccount { .. }) if edit == Edit::Detach => {
                return Ok(AccountChange::NotAttached);
            }
            other => other?,
        };
        let Some(patch) = patch_for(&account, secret, edit) else {
            return Ok(match edit {
                Edit::Attach => AccountChange::AlreadyAttached,
                Edit::Detach => AccountChange::NotAttached,
            });
        };
        let done = match edit {
            Edit::Attach => AccountChange::Attached,
            Edit::Detach => AccountChange::Detached,
        };
        if !mode.sends_writes() {
            return Ok(done);
        }
        let patch: json_patch::Patch = serde_json::from_value(patch)
            .map_err(|e| request("patch").error(kube::Error::SerdeError(e)))?;
        match api.patch(name, &params, &Patch::<()>::Json(patch)).await {
            Ok(_) => return Ok(done),
            // A failed `test` op (someone else wrote in between) or a conflict: read again.
            Err(kube::Error::Api(status))
                if is_lost_race(status.code) && attempt < MAX_ATTEMPTS =>
            {
                tracing::debug!(
                    namespace,
                    account = name,
                    attempt,
                    "service account changed meanwhile; retrying"
                );
                super::retry::after_lost_race(attempt).await;
                continue;
            }
            Err(err) => return Err(request("patch").error(err)),
        }
    }
    Err(ClusterError::Contended {
        object: format!("serviceaccount/{name}"),
        namespace: namespace.to_string(),
        attempts: MAX_ATTEMPTS,
    })
}

/// 409 Conflict, or 422/500 from a JSON patch whose `test` op no longer holds.
fn is_lost_race(code: u16) -> bool {
    matches!(code, 409 | 422 | 500)
}

/// Reads an account. To attach, `default` is waited for, since a namespace created a moment
/// ago may not have it yet.
async fn get_account(
    cluster: &Cluster,
    api: &Api<ServiceAccount>,
    namespace: &str,
    name: &str,
    edit: Edit,
) -> Result<ServiceAccount, ClusterError> {
    let waits = name == DEFAULT_ACCOUNT && edit == Edit::Attach;
    let request = Request {
        cluster,
        verb: "get",
        object: format!("serviceaccount/{name}"),
        namespace,
    };
    let deadline = Instant::now() + DEFAULT_ACCOUNT_WAIT;
    loop {
        match api.get_opt(name).await.map_err(|e| request.error(e))? {
            Some(account) => return Ok(account),
            None if waits && Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            None => {
                return Err(ClusterError::MissingServiceAccount {
                    name: name.to_string(),
                    namespace: namespace.to_string(),
                    waited: waits,
                });
            }
        }
    }
}

async fn list(
    cluster: &Cluster,
    api: &Api<ServiceAccount>,
    namespace: &str,
) -> Result<Vec<ServiceAccount>, ClusterError> {
    let request = Request {
        cluster,
        verb: "list",
        object: "serviceaccounts".into(),
        namespace,
    };
    list_all(api, ListParams::default())
        .await
        .map_err(|e| request.error(e))
}

async fn list_names(
    cluster: &Cluster,
    api: &Api<ServiceAccount>,
    namespace: &str,
) -> Result<Vec<String>, ClusterError> {
    Ok(list(cluster, api, namespace)
        .await?
        .into_iter()
        .filter_map(|account| account.metadata.name)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::LocalObjectReference;
    use kube::api::ObjectMeta;

    fn account(pull_secrets: Option<&[&str]>) -> ServiceAccount {
        ServiceAccount {
            metadata: ObjectMeta {
                name: Some("default".into()),
                resource_version: Some("42".into()),
                ..Default::default()
            },
            image_pull_secrets: pull_secrets.map(|names| {
                names
                    .iter()
                    .map(|n| LocalObjectReference {
                        name: n.to_string(),
                    })
                    .collect()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn attach_appends_and_guards_the_resource_version() {
        let patch = patch_for(&account(Some(&["other"])), "regcred", Edit::Attach).unwrap();
        assert_eq!(
            patch,
            json!([
                {"op": "test", "path": "/metadata/resourceVersion", "value": "42"},
                {"op": "add", "path": "/imagePullSecrets/-", "value": {"name": "regcred"}},
            ])
        );
    }

    #[test]
    fn attach_creates_the_list_when_there_is_none() {
        let patch = patch_for(&account(None), "regcred", Edit::Attach).unwrap();
        assert_eq!(patch[1]["path"], "/imagePullSecrets");
        assert_eq!(patch[1]["value"], json!([{"name": "regcred"}]));
    }

    #[test]
    fn attach_is_idempotent() {
        assert_eq!(
            patch_for(&account(Some(&["a", "regcred"])), "regcred", Edit::Attach),
            None
        );
    }

    #[test]
    fn detach_removes_only_this_secret_even_when_listed_twice() {
        let patch = patch_for(
            &account(Some(&["regcred", "keep", "regcred"])),
            "regcred",
            Edit::Detach,
        )
        .unwrap();
        let ops: Vec<_> = patch
            .as_array()
            .unwrap()
            .iter()
            .map(|op| {
                format!(
                    "{} {}",
                    op["op"].as_str().unwrap(),
                    op["path"].as_str().unwrap()
                )
            })
            .collect();
        assert_eq!(
            ops,
            [
                "test /metadata/resourceVersion",
                "test /imagePullSecrets/2/name",
                "remove /imagePullSecrets/2",
                "test /imagePullSecrets/0/name",
                "remove /imagePullSecrets/0",
            ]
        );
        assert_eq!(
            patch_for(&account(Some(&["keep"])), "regcred", Edit::Detach),
            None
        );
        assert_eq!(patch_for(&account(None), "regcred", Edit::Detach), None);
    }
}
