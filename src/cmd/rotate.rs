//! `kubectl regcred rotate`: new credentials for one registry in every copy of a pull secret,
//! in every selected namespace and context, tried on the registry before anything is written.
//!
//! Three steps: read the credentials as `create` does and try them on the registry (nothing is
//! written when it refuses them); per namespace, read the copies and decide each
//! (`crate::rotate`, pure); write the ones that change with a merge patch guarded by their
//! resourceVersion (`cluster::secrets::rewrite`). One row per namespace and context.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use k8s_openapi::api::core::v1::Secret;

use super::check::{probe_options, setup_error};
use super::create::{credentials_request, new_credentials};
use super::heal::{AfterAttach, WithHeal};
use super::{in_each_context, mode_of, validate_named_namespaces, validate_secret_name};
use crate::cli::{KubeArgs, RotateArgs};
use crate::cluster::fanout::{self, Outcome, Status, Work};
use crate::cluster::secrets::{self, Change, Rewrite};
use crate::cluster::{self, Cluster, ClusterError, Mode, Namespaces, minted, namespaces, prefetch};
use crate::creds::{self, wizard};
use crate::dockerconfig::stored::Layout;
use crate::error::Error;
use crate::registry::{Outcome as Answer, Prober};
use crate::rotate::{self, Decision, NewCredential};

/// What the run rotates to: the credentials, the annotations their source records, and the
/// registries for messages.
struct Rotation {
    new: Vec<NewCredential>,
    annotations: BTreeMap<String, String>,
    registries: String,
}

/// What one copy was found to hold.
enum Found {
    Absent,
    NotHeld,
    Unchanged,
    Rotated(Vec<String>),
}

/// A namespace's words for its row, and its status when it is not what the change says.
#[derive(Default)]
struct Notes {
    lines: Vec<String>,
    status: Option<Status>,
}

/// Runs `rotate`: verify, then every chosen context.
pub async fn run(kube: &KubeArgs, args: &RotateArgs) -> Result<(), Error> {
    if let Some(name) = &args.name {
        validate_secret_name(name)?;
    }
    validate_named_namespaces(kube)?;
    let mut request = credentials_request(&args.credentials);
    if wizard::is_needed(&request) && creds::can_ask() {
        let settled = wizard::Settled {
            secret_name: args.name.clone().unwrap_or_default(),
            namespaces: kube.namespace.clone(),
            namespace_to_offer: None,
            attach: true,
        };
        request = wizard::ask(&request, &settled)?.request;
    } else if wizard::is_needed(&request) && request.servers.is_empty() {
        return Err(Error::Usage(
            "no new credentials given, and no terminal to ask on: pass --server and --username \
             with --password-stdin or --password-file, --from-keyring, --from-docker-config, or \
             --provider"
                .into(),
        ));
    }
    let (config, annotations) = new_credentials(&request, false)?;
    let new = rotate::credentials_of(&config).map_err(Error::Usage)?;
    let rotation = Rotation {
        registries: rotate::registries_of(&new),
        new,
        annotations,
    };
    if !args.no_verify {
        verify(&rotation, args).await?;
    }
    let secret = args.name.as_deref().unwrap_or_default();
    let rotation = &rotation;
    in_each_context(
        kube,
        &args.output,
        "rotate",
        secret,
        |kube, progress| async move { rotate_context(&kube, args, rotation, &progress).await },
    )
    .await
}

/// Tries each new credential on its registry, as `docker login` does; the first refusal (or
/// no answer) ends the run before anything is written.
async fn verify(rotation: &Rotation, args: &RotateArgs) -> Result<(), Error> {
    let prober = Prober::new(&probe_options(&args.probe)).map_err(setup_error)?;
    for new in &rotation.new {
        let answer = prober.login(&new.key, &new.credentials).await;
        if answer.outcome != Answer::Ok {
            return Err(Error::Failed(format!(
                "the new credentials for {} were not accepted, so nothing was changed: {} ({}); \
                 --no-verify skips this check",
                new.key,
                answer.detail,
                answer.outcome.as_str()
            )));
        }
        tracing::info!(registry = %new.key, detail = %answer.detail, "verified");
    }
    Ok(())
}

/// One cluster's rotation: one row per namespace, and the heal rows.
async fn rotate_context(
    kube: &KubeArgs,
    args: &RotateArgs,
    rotation: &Rotation,
    progress: &indicatif::ProgressBar,
) -> Result<WithHeal, Error> {
    let target = kube.target();
    let cluster = cluster::connect(&target).await?;
    let selection = namespaces::resolve(&cluster, &target).await?;
    let mode = mode_of(&args.output);
    let healing = AfterAttach::prepare(&cluster, selection.targets.len(), &args.heal, mode).await;
    // A secret missing from a namespace named with -n (or the context's) is an error.
    let named = matches!(
        target.namespaces,
        Namespaces::Named(_) | Namespaces::ContextDefault
    );
    let many = selection.targets.len() >= prefetch::WORTH_IT_FROM;
    let name = args.name.as_deref();
    let (known_named, known_holders) = match (many, name) {
        (false, _) => (None, None),
        (true, Some(name)) => (
            prefetch::named_everywhere::<Secret>(&cluster, name).await,
            None,
        ),
        (true, None) => (None, minted::pull_secrets_everywhere(&cluster, None).await),
    };
    let notes: Mutex<HashMap<String, Notes>> = Mutex::default();
    let (cluster_ref, notes_ref, healing_ref) = (&cluster, &notes, &healing);
    let (known_named, known_holders) = (&known_named, &known_holders);
    let mut outcomes = fanout::run(
        selection,
        args.fanout.concurrency,
        progress,
        |namespace| async move {
            let copies: Vec<(String, Option<Option<Secret>>)> = match name {
                Some(name) => {
                    let known = known_named.as_ref().map(|all| all.get(&namespace).cloned());
                    vec![(name.to_string(), known)]
                }
                None => {
                    let found = match known_holders {
                        Some(all) => all.get(&namespace).cloned().unwrap_or_default(),
                        None => minted::pull_secrets_in(cluster_ref, &namespace, None).await?,
                    };
                    found
                        .into_iter()
                        .filter_map(|s| Some((s.metadata.name.clone()?, Some(Some(s)))))
                        .collect()
                }
            };
            let (work, found) =
                rotate_in(cluster_ref, &namespace, copies, rotation, mode, named, name).await?;
            if let Some(healing) = healing_ref {
                let registries: Vec<String> =
                    rotation.new.iter().map(|n| n.key.to_string()).collect();
                for (secret, changed) in &found.1 {
                    healing
                        .heal(cluster_ref, &namespace, secret, *changed, &registries, &[])
                        .await;
                }
            }
            if let Ok(mut notes) = notes_ref.lock() {
                notes.insert(namespace, found.0);
            }
            Ok(work)
        },
    )
    .await;
    let notes = notes.into_inner().unwrap_or_default();
    for outcome in &mut outcomes {
        if let Some(notes) = notes.get(&outcome.namespace) {
            annotate(outcome, notes, name.is_some());
        }
    }
    Ok(WithHeal::new(args.heal.heal, outcomes, healing))
}

/// The copies found in one namespace, and for `--heal` each copy that holds the registry with
/// whether this run changed it.
type FoundIn = (Notes, Vec<(String, bool)>);

/// Rotates the copies of one namespace; never stops at the first failure. With a NAME, the
/// one copy's error is the row's.
async fn rotate_in(
    cluster: &Cluster,
    namespace: &str,
    copies: Vec<(String, Option<Option<Secret>>)>,
    rotation: &Rotation,
    mode: Mode,
    named: bool,
    name: Option<&str>,
) -> Result<(Work, FoundIn), ClusterError> {
    let mut notes = Notes::default();
    let mut held = Vec::new();
    let (mut any_held, mut any_written, mut any_absent) = (false, false, false);
    for (secret, known) in copies {
        let decide =
            |existing: Option<&Secret>| decide_copy(namespace, &secret, existing, rotation);
        let result = secrets::rewrite(cluster, namespace, &secret, mode, known, decide).await;
        let (found, change) = match result {
            Ok(done) => done,
            Err(err) if name.is_some() => return Err(err),
            Err(err) => {
                notes.status = Some(match err.is_forbidden() {
                    true => Status::Forbidden,
                    false => Status::Failed,
                });
                notes
                    .lines
                    .push(format!("secret/{secret}: {}", crate::causes::chain(&err)));
                continue;
            }
        };
        let line = match found {
            Found::Absent if named && name.is_some() => {
                return Err(secrets::missing(namespace, &secret));
            }
            Found::Absent => {
                any_absent = true;
                continue;
            }
            Found::NotHeld => match name {
                Some(_) => format!("holds no entry for {}", rotation.registries),
                None => continue,
            },
            Found::Unchanged => {
                any_held = true;
                held.push((secret.clone(), false));
                format!(
                    "already holds the new credentials for {}",
                    rotation.registries
                )
            }
            Found::Rotated(keys) => {
                any_held = true;
                any_written |= change == Change::Configured;
                held.push((secret.clone(), change == Change::Configured));
                let verb = match mode {
                    Mode::Write => "rotated",
                    _ => "would rotate",
                };
                format!("{verb} {}", keys.join(", "))
            }
        };
        notes.lines.push(format!("secret/{secret}: {line}"));
    }
    if !any_held && notes.status.is_none() {
        notes.status = Some(Status::Skipped);
        if name.is_none() {
            notes
                .lines
                .push(format!("no pull secret holds {}", rotation.registries));
        }
    }
    let change = match (any_written, any_held, any_absent) {
        (true, _, _) => Change::Configured,
        (false, true, _) => Change::Unchanged,
        (false, false, true) => Change::Absent,
        (false, false, false) => Change::Unchanged,
    };
    let work = Work {
        secret: Some(change),
        accounts: Vec::new(),
    };
    Ok((work, (notes, held)))
}

/// What one copy holds and what to write into it.
fn decide_copy(
    namespace: &str,
    name: &str,
    existing: Option<&Secret>,
    rotation: &Rotation,
) -> Result<(Found, Option<Rewrite>), ClusterError> {
    let Some(existing) = existing else {
        return Ok((Found::Absent, None));
    };
    let content = Layout::DockerConfigJson.content_of(existing);
    let none = BTreeMap::new();
    let annotations = existing.metadata.annotations.as_ref().unwrap_or(&none);
    let decision = rotate::decide(content, annotations, &rotation.new, &rotation.annotations)
        .map_err(|reason| ClusterError::UnreadableSecret {
            object: format!("secret/{name}"),
            namespace: namespace.to_string(),
            reason,
        })?;
    Ok(match decision {
        Decision::NotHeld => (Found::NotHeld, None),
        Decision::Unchanged { .. } => (Found::Unchanged, None),
        Decision::Rotate {
            content,
            annotations,
            keys,
        } => (
            Found::Rotated(keys),
            Some(Rewrite {
                content,
                annotations,
            }),
        ),
    })
}

/// Puts a namespace's notes into its row. With NAME, the row names the secret already.
fn annotate(outcome: &mut Outcome, notes: &Notes, has_name: bool) {
    if let Some(status) = notes.status
        && outcome.status.is_success()
    {
        outcome.status = status;
    }
    if notes.lines.is_empty() {
        return;
    }
    if !has_name {
        outcome.secret = None;
    }
    let lines: Vec<&str> = notes
        .lines
        .iter()
        .map(|line| match has_name {
            true => line
                .split_once(": ")
                .map_or(line.as_str(), |(_, rest)| rest),
            false => line.as_str(),
        })
        .collect();
    outcome.reason = Some(lines.join("; "));
}
