//! `kubectl regcred refresh`: re-mint the cloud tokens of the pull secrets `create --provider`
//! made, with one CLI call per (provider, region or ACR name), into every copy that is due.
//!
//! Three steps: read the pull secrets of every selected namespace and decide per secret
//! (`crate::refresh`, pure); mint each token needed once; write per namespace (bounded
//! fan-out, one outcome each). Fresh secrets cost one list and nothing else.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use futures::stream::{self, StreamExt};
use k8s_openapi::api::core::v1::Secret;
use k8s_openapi::jiff::Timestamp;
use zeroize::Zeroizing;

use super::{in_each_context, mode_of, validate_named_namespaces, validate_secret_name};
use crate::cli::{KubeArgs, RefreshArgs};
use crate::cluster::fanout::{self, Outcome, Status, Work};
use crate::cluster::secrets::{self, Change, DOCKER_CONFIG_JSON_KEY, DesiredSecret};
use crate::cluster::{self, Cluster, ClusterError, Mode, minted, namespaces, prefetch};
use crate::creds::cloud::{self, Mint};
use crate::dockerconfig::{Credentials, DockerConfig, RegistryKey};
use crate::error::Error;
use crate::refresh::{self, Decision};

/// A token minted for this run, and when (seconds since the epoch).
struct Minted {
    token: Zeroizing<String>,
    at: i64,
}

/// Every token this run minted, or why its CLI call failed.
type Tokens = BTreeMap<Mint, Result<Minted, String>>;

/// One secret as read, and what to do with it.
struct Planned {
    secret: Secret,
    decision: Decision,
}

/// What one namespace's secrets came to, beyond the change: the report's words, and a failure.
#[derive(Default)]
struct Notes {
    lines: Vec<String>,
    failed: Option<Status>,
}

/// Runs `refresh` in each chosen context.
pub async fn run(kube: &KubeArgs, args: &RefreshArgs) -> Result<(), Error> {
    if let Some(name) = &args.name {
        validate_secret_name(name)?;
    }
    validate_named_namespaces(kube)?;
    let secret = args.name.as_deref().unwrap_or_default();
    in_each_context(
        kube,
        &args.output,
        "refresh",
        secret,
        |kube, progress| async move { refresh_context(&kube, args, &progress).await },
    )
    .await
}

/// One cluster's refresh: read, mint what is due, write; one row per namespace.
async fn refresh_context(
    kube: &KubeArgs,
    args: &RefreshArgs,
    progress: &indicatif::ProgressBar,
) -> Result<Vec<Outcome>, Error> {
    let cluster = cluster::connect(&kube.target()).await?;
    let selection = namespaces::resolve(&cluster, &kube.target()).await?;
    let name = args.name.as_deref();
    let now = Timestamp::now();

    let reads = read_all(&cluster, &selection.targets, name, args.fanout.concurrency).await;
    let plans: HashMap<String, Result<Vec<Planned>, ClusterError>> = reads
        .into_iter()
        .map(|(namespace, read)| (namespace, read.map(|found| plan(found, args, now))))
        .collect();
    let mode = mode_of(&args.output);
    let tokens = if mode == Mode::ClientDryRun {
        Tokens::new()
    } else {
        let needed = refresh::mints_needed(
            plans
                .values()
                .flatten()
                .flatten()
                .map(|planned| &planned.decision),
        );
        mint_all(needed).await
    };

    let plans = Mutex::new(plans);
    let notes: Mutex<HashMap<String, Notes>> = Mutex::default();
    let (cluster, plans_ref, notes_ref, tokens) = (&cluster, &plans, &notes, &tokens);
    // A NAME missing from the one namespace named is an error, as in kubectl.
    let is_named = namespaces::names_one(&kube.target());
    let mut outcomes = fanout::run(
        selection,
        args.fanout.concurrency,
        progress,
        |namespace| async move {
            let planned = plans_ref
                .lock()
                .ok()
                .and_then(|mut plans| plans.remove(&namespace))
                .unwrap_or_else(|| Ok(Vec::new()))?;
            if let Some(name) = name
                && is_named
                && planned.is_empty()
            {
                return Err(secrets::missing(&namespace, name));
            }
            let (work, found) = refresh_in(cluster, &namespace, planned, tokens, mode).await;
            if let Ok(mut notes) = notes_ref.lock() {
                notes.insert(namespace, found);
            }
            Ok(work)
        },
    )
    .await;
    let notes = notes.into_inner().unwrap_or_default();
    for outcome in &mut outcomes {
        annotate(outcome, notes.get(&outcome.namespace), name);
    }
    Ok(outcomes)
}

/// The pull secrets of each namespace: one cluster-wide list when many namespaces are asked
/// for (and allowed), else one list per namespace, bounded.
async fn read_all(
    cluster: &Cluster,
    targets: &[String],
    name: Option<&str>,
    concurrency: u16,
) -> Vec<(String, Result<Vec<Secret>, ClusterError>)> {
    if targets.len() >= prefetch::WORTH_IT_FROM
        && let Some(mut all) = minted::pull_secrets_everywhere(cluster, name).await
    {
        return targets
            .iter()
            .map(|ns| (ns.clone(), Ok(all.remove(ns).unwrap_or_default())))
            .collect();
    }
    stream::iter(targets.iter().cloned())
        .map(|namespace| async move {
            let read = minted::pull_secrets_in(cluster, &namespace, name).await;
            (namespace, read)
        })
        .buffer_unordered(usize::from(concurrency.max(1)))
        .collect()
        .await
}

/// Decides for each secret. Without NAME only secrets made with --provider count; a NAME given
/// is reported whatever it holds.
fn plan(found: Vec<Secret>, args: &RefreshArgs, now: Timestamp) -> Vec<Planned> {
    let mut planned: Vec<Planned> = found
        .into_iter()
        .filter_map(|secret| {
            let annotations = secret.metadata.annotations.clone().unwrap_or_default();
            if args.name.is_none() && !refresh::is_minted(&annotations) {
                return None;
            }
            let data = secret
                .data
                .as_ref()
                .and_then(|data| data.get(DOCKER_CONFIG_JSON_KEY))
                .map(|bytes| bytes.0.as_slice())
                .unwrap_or_default();
            let decision = refresh::decide(&annotations, data, now, args.before, args.force);
            Some(Planned { secret, decision })
        })
        .collect();
    planned.sort_by(|a, b| a.secret.metadata.name.cmp(&b.secret.metadata.name));
    planned
}

/// Runs each needed CLI call once. The calls block, so they run off the async threads.
async fn mint_all(needed: BTreeMap<Mint, RegistryKey>) -> Tokens {
    let mut tokens = Tokens::new();
    for (mint, key) in needed {
        let call = mint.clone();
        let minted = tokio::task::spawn_blocking(move || {
            let at = Timestamp::now().as_second();
            cloud::mint_token(&call, &key)
                .map(|token| Minted { token, at })
                .map_err(|e| crate::error::chain(&e))
        })
        .await
        .unwrap_or_else(|e| Err(format!("`{}` did not finish: {e}", mint.command_line())));
        tokens.insert(mint, minted);
    }
    tokens
}

/// Refreshes the secrets of one namespace; never stops at the first failure.
async fn refresh_in(
    cluster: &Cluster,
    namespace: &str,
    planned: Vec<Planned>,
    tokens: &Tokens,
    mode: Mode,
) -> (Work, Notes) {
    let mut notes = Notes::default();
    let mut change = if planned.is_empty() {
        Change::Absent
    } else {
        Change::Unchanged
    };
    for Planned { secret, decision } in planned {
        let name = secret.metadata.name.clone().unwrap_or_default();
        match refresh_one(cluster, namespace, secret, decision, tokens, mode).await {
            Ok((written, line)) => {
                if written != Change::Unchanged {
                    change = Change::Configured;
                }
                notes.lines.push(format!("secret/{name}: {line}"));
            }
            Err((status, line)) => {
                notes.failed = Some(status);
                notes.lines.push(format!("secret/{name}: {line}"));
            }
        }
    }
    let work = Work {
        secret: Some(change),
        accounts: Vec::new(),
    };
    (work, notes)
}

/// One secret: what changed and the report's words, or the failure's status and words.
async fn refresh_one(
    cluster: &Cluster,
    namespace: &str,
    secret: Secret,
    decision: Decision,
    tokens: &Tokens,
    mode: Mode,
) -> Result<(Change, String), (Status, String)> {
    let (entries, why) = match decision {
        Decision::Fresh { expires_at } => {
            return Ok((Change::Unchanged, format!("fresh until {expires_at}")));
        }
        Decision::Leave { reason } => return Ok((Change::Unchanged, reason)),
        Decision::Stuck { reason } => {
            return Err((Status::Failed, format!("cannot re-mint: {reason}")));
        }
        Decision::Refresh { entries, why } => (entries, why),
    };
    let calls = refresh::describe(&entries);
    if mode == Mode::ClientDryRun {
        return Ok((Change::Configured, format!("would re-mint {calls} ({why})")));
    }
    let mut config = DockerConfig::new();
    let mut minted_at = Vec::new();
    for entry in &entries {
        let minted = match tokens.get(&entry.mint) {
            Some(Ok(minted)) => minted,
            Some(Err(reason)) => return Err((Status::Failed, format!("cannot re-mint: {reason}"))),
            None => {
                return Err((
                    Status::Failed,
                    format!("cannot re-mint: no token for {calls}"),
                ));
            }
        };
        minted_at.push((entry.mint.cloud(), minted.at));
        config.insert(
            entry.key.clone(),
            Credentials {
                username: entry.mint.cloud().username().to_string(),
                password: minted.token.clone(),
                email: entry.email.clone(),
            },
        );
    }
    let desired = DesiredSecret {
        name: secret.metadata.name.clone().unwrap_or_default(),
        config,
        replace: false,
        labels: BTreeMap::new(),
        annotations: refresh::refreshed_annotations(&minted_at),
    };
    match secrets::ensure(cluster, namespace, &desired, mode, Some(Some(secret))).await {
        Ok(change) => Ok((change, format!("re-minted {calls} ({why})"))),
        Err(err) => {
            let status = if err.is_forbidden() {
                Status::Forbidden
            } else {
                Status::Failed
            };
            Err((status, crate::error::chain(&err)))
        }
    }
}

/// Puts a namespace's notes into its row. With NAME, the row names the secret already.
fn annotate(outcome: &mut Outcome, notes: Option<&Notes>, name: Option<&str>) {
    let Some(notes) = notes else {
        return;
    };
    if let Some(status) = notes.failed {
        outcome.status = status;
    }
    if outcome.status == Status::Skipped && name.is_none() {
        outcome.reason = Some("no pull secret made with --provider".into());
        return;
    }
    if notes.lines.is_empty() {
        return;
    }
    let lines: Vec<String> = match name {
        Some(name) => {
            let prefix = format!("secret/{name}: ");
            notes
                .lines
                .iter()
                .map(|l| l.strip_prefix(&prefix).unwrap_or(l).to_string())
                .collect()
        }
        None => {
            outcome.secret = None;
            notes.lines.clone()
        }
    };
    outcome.reason = Some(lines.join("; "));
}
