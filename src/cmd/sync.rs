//! `kubectl regcred sync`: copy a source pull secret into the selected namespaces, once or,
//! with `--watch`, continuously (new namespaces, changes to the source) until Ctrl-C/SIGTERM.

use std::collections::BTreeSet;
use std::sync::Mutex;

use futures::StreamExt;

use super::create::accounts_of;
use super::{
    mode_of, print_outcomes, progress_bar, validate_named_namespaces, validate_secret_name,
};
use crate::cli::{KubeArgs, SyncArgs};
use crate::cluster::accounts::{self, Accounts, Edit};
use crate::cluster::fanout::{AccountChange, Work};
use crate::cluster::namespaces::{self, NamespaceInfo, Selection, Wanted};
use crate::cluster::secrets::{self, Change, DesiredSecret};
use crate::cluster::{self, Cluster, ClusterError, Mode, watch};
use crate::error::{self, Error};
use crate::output;

/// Why the source namespace is never a target.
const SOURCE_REASON: &str = "the source namespace (never written to)";

/// What every copy is made of: the source, the name of the copies, the accounts to attach to.
struct Plan {
    source_namespace: String,
    source_name: String,
    desired: DesiredSecret,
    accounts: Option<Accounts>,
    mode: Mode,
}

/// Runs `sync`: one pass, then with `--watch` keeps the copies current until a signal.
pub async fn run(kube: &KubeArgs, args: &SyncArgs) -> Result<(), Error> {
    validate_named_namespaces(kube)?;
    let (source_namespace, source_name) = parse_source(&args.from_secret)?;
    let name = args.name.clone().unwrap_or_else(|| source_name.clone());
    validate_secret_name(&name)?;
    // Caught before the first pass, so a signal during it ends the run after it, not midway.
    let mut shutdown = if args.watch {
        Some(Box::pin(shutdown_signal()?))
    } else {
        None
    };
    let cluster = cluster::connect(&kube.target()).await?;
    let config = secrets::read_config(&cluster, &source_namespace, &source_name).await?;
    let mut plan = Plan {
        source_namespace,
        source_name,
        desired: DesiredSecret {
            name,
            config,
            ..Default::default()
        },
        accounts: args.attach.then(|| accounts_of(&args.accounts)),
        mode: mode_of(&args.output),
    };
    let selection = without_source(
        namespaces::resolve(&cluster, &kube.target()).await?,
        &plan.source_namespace,
    );
    let done = Mutex::new(BTreeSet::new());
    let (cluster_ref, plan_ref, done_ref) = (&cluster, &plan, &done);
    let progress = progress_bar(&args.output);
    let outcomes = crate::cluster::fanout::run(
        selection,
        args.fanout.concurrency,
        &progress,
        |namespace| async move {
            let work = copy_into(cluster_ref, plan_ref, &namespace).await?;
            if let Ok(mut done) = done_ref.lock() {
                done.insert(namespace);
            }
            Ok(work)
        },
    )
    .await;
    progress.finish_and_clear();
    let first = print_outcomes(outcomes, &args.output, "sync", &plan.desired.name);
    let Some(shutdown) = shutdown.as_mut() else {
        return first;
    };
    if let Err(err) = first {
        // The namespaces that failed are in the report above; the watch retries them when the
        // source changes or the namespace does.
        tracing::warn!("first pass: {}", error::chain(&err));
    }
    let done = done.into_inner().unwrap_or_default();
    let wanted = namespaces::requested(&kube.target(), &cluster.default_namespace);
    watch(&cluster, &mut plan, &wanted, &kube.exclude, done, shutdown).await
}

/// Watches namespaces and the source until `shutdown` completes. Each change's work is
/// finished before the next change (or the signal) is looked at, so a signal never leaves half
/// a copy.
async fn watch(
    cluster: &Cluster,
    plan: &mut Plan,
    wanted: &Wanted,
    exclude: &[String],
    mut done: BTreeSet<String>,
    shutdown: &mut (impl std::future::Future<Output = ()> + Unpin),
) -> Result<(), Error> {
    let selector = match wanted {
        Wanted::Selector(selector) => Some(selector.as_str()),
        _ => None,
    };
    let changes =
        watch::namespaces_and_secret(cluster, selector, &plan.source_namespace, &plan.source_name);
    let mut changes = std::pin::pin!(changes);
    tracing::info!(
        "watching namespaces and secret {}/{}",
        plan.source_namespace,
        plan.source_name
    );
    loop {
        tokio::select! {
            biased;
            () = &mut *shutdown => return Ok(()),
            change = changes.next() => match change {
                Some(change) => on_change(cluster, plan, wanted, exclude, &mut done, change).await?,
                None => return Ok(()),
            },
        }
    }
}

async fn on_change(
    cluster: &Cluster,
    plan: &mut Plan,
    wanted: &Wanted,
    exclude: &[String],
    done: &mut BTreeSet<String>,
    change: watch::Change,
) -> Result<(), Error> {
    let source = format!("{}/{}", plan.source_namespace, plan.source_name);
    match change {
        watch::Change::Namespace(info) => {
            if !calls_for_copy(&info, wanted, exclude, &plan.source_namespace, done) {
                return Ok(());
            }
            let result = copy_into(cluster, plan, &info.name).await;
            if result.is_ok() {
                done.insert(info.name.clone());
            }
            print_result(&plan.desired.name, &info.name, &result)
        }
        watch::Change::NamespaceGone(name) => {
            done.remove(&name);
            Ok(())
        }
        watch::Change::Source => on_source_change(cluster, plan, done, &source).await,
        watch::Change::SourceGone => Ok(output::print_line(&format!(
            "source secret {source} deleted; the copies are kept"
        ))?),
        watch::Change::Broken { what, cause } => {
            tracing::warn!("watch of {what}: {cause}; retrying");
            Ok(())
        }
    }
}

/// The source changed: read it, and when its registries changed, update every copy.
async fn on_source_change(
    cluster: &Cluster,
    plan: &mut Plan,
    done: &BTreeSet<String>,
    source: &str,
) -> Result<(), Error> {
    let config =
        match secrets::read_config(cluster, &plan.source_namespace, &plan.source_name).await {
            Ok(config) => config,
            Err(err) => {
                output::print_line(&format!(
                    "source secret {source}: failed: {}",
                    error::chain(&err)
                ))?;
                return Ok(());
            }
        };
    if *config.to_json() == *plan.desired.config.to_json() {
        return Ok(());
    }
    plan.desired.config = config;
    output::print_line(&format!(
        "source secret {source} changed; updating {}",
        output::counted(done.len(), "namespace")
    ))?;
    // One namespace at a time keeps the order of the lines and the load predictable.
    for namespace in done {
        let result = copy_into(cluster, plan, namespace).await;
        print_result(&plan.desired.name, namespace, &result)?;
    }
    Ok(())
}

/// Merges the source into the copy in `namespace` and attaches it when asked.
async fn copy_into(cluster: &Cluster, plan: &Plan, namespace: &str) -> Result<Work, ClusterError> {
    let secret = secrets::ensure(cluster, namespace, &plan.desired, plan.mode, None).await?;
    let accounts = match &plan.accounts {
        Some(accounts) => {
            accounts::edit_accounts(
                cluster,
                namespace,
                &plan.desired.name,
                accounts,
                Edit::Attach,
                plan.mode,
                None,
            )
            .await?
        }
        None => Vec::new(),
    };
    Ok(Work {
        secret: Some(secret),
        accounts,
    })
}

fn print_result(
    secret: &str,
    namespace: &str,
    result: &Result<Work, ClusterError>,
) -> Result<(), Error> {
    let line = match result {
        Ok(work) => action_line(secret, namespace, work),
        Err(err) => Some(format!(
            "namespace {namespace}: failed: {}",
            error::chain(err)
        )),
    };
    match line {
        Some(line) => Ok(output::print_line(&line)?),
        None => Ok(()),
    }
}

/// `namespace team-x: secret/regcred created; attached to serviceaccount/default`, or None
/// when nothing changed.
fn action_line(secret: &str, namespace: &str, work: &Work) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(change @ (Change::Created | Change::Configured)) = work.secret {
        parts.push(format!("secret/{secret} {}", change.as_str()));
    }
    let attached: Vec<String> = work
        .accounts
        .iter()
        .filter(|a| a.change == AccountChange::Attached)
        .map(|a| format!("serviceaccount/{}", a.name))
        .collect();
    if !attached.is_empty() {
        parts.push(format!("attached to {}", attached.join(", ")));
    }
    (!parts.is_empty()).then(|| format!("namespace {namespace}: {}", parts.join("; ")))
}

/// Whether a namespace the watch saw should get a copy now: selected by the flags, not the
/// source namespace, not terminating, and not already done.
fn calls_for_copy(
    namespace: &NamespaceInfo,
    wanted: &Wanted,
    exclude: &[String],
    source_namespace: &str,
    done: &BTreeSet<String>,
) -> bool {
    if namespace.name == source_namespace || done.contains(&namespace.name) {
        return false;
    }
    let selection = namespaces::select(wanted, Some(std::slice::from_ref(namespace)), exclude);
    selection.targets.contains(&namespace.name)
}

/// Moves the source namespace from the targets to the skipped ones.
fn without_source(mut selection: Selection, source_namespace: &str) -> Selection {
    if let Some(at) = selection
        .targets
        .iter()
        .position(|name| name == source_namespace)
    {
        let name = selection.targets.remove(at);
        selection.skipped.push((name, SOURCE_REASON.to_string()));
    }
    selection
}

/// `NAMESPACE/NAME`, both required (the source must not depend on the context).
fn parse_source(input: &str) -> Result<(String, String), Error> {
    let Some((namespace, name)) = input.split_once('/') else {
        return Err(Error::Usage(format!(
            "--from-secret {input:?}: expected NAMESPACE/NAME"
        )));
    };
    cluster::validate_namespace(namespace).map_err(|reason| Error::InvalidName {
        what: "--from-secret namespace",
        name: namespace.to_string(),
        reason,
    })?;
    validate_secret_name(name)?;
    Ok((namespace.to_string(), name.to_string()))
}

/// Completes on the first Ctrl-C (SIGINT) or SIGTERM.
#[cfg(unix)]
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>, Error> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt()).map_err(Error::Signals)?;
    let mut terminate = signal(SignalKind::terminate()).map_err(Error::Signals)?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

/// Completes on the first Ctrl-C.
#[cfg(not(unix))]
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>, Error> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::fanout::AccountOutcome;

    fn ns(name: &str) -> NamespaceInfo {
        NamespaceInfo {
            name: name.into(),
            is_terminating: false,
        }
    }

    #[test]
    fn new_selected_namespaces_call_for_a_copy_once() {
        let wanted = Wanted::Selector("team=x".into());
        let mut done = BTreeSet::new();
        assert!(calls_for_copy(&ns("team-x"), &wanted, &[], "src", &done));
        done.insert("team-x".to_string());
        assert!(!calls_for_copy(&ns("team-x"), &wanted, &[], "src", &done));
    }

    #[test]
    fn the_source_excluded_system_and_terminating_namespaces_never_do() {
        let none = BTreeSet::new();
        assert!(!calls_for_copy(&ns("src"), &Wanted::All, &[], "src", &none));
        assert!(!calls_for_copy(
            &ns("kube-system"),
            &Wanted::All,
            &[],
            "src",
            &none
        ));
        let exclude = vec!["tmp-*".to_string()];
        assert!(!calls_for_copy(
            &ns("tmp-1"),
            &Wanted::All,
            &exclude,
            "src",
            &none
        ));
        let terminating = NamespaceInfo {
            name: "old".into(),
            is_terminating: true,
        };
        assert!(!calls_for_copy(
            &terminating,
            &Wanted::All,
            &[],
            "src",
            &none
        ));
        let named = Wanted::Named(vec!["a".into()]);
        assert!(calls_for_copy(&ns("a"), &named, &[], "src", &none));
        assert!(!calls_for_copy(&ns("b"), &named, &[], "src", &none));
    }

    #[test]
    fn the_source_namespace_is_skipped_with_a_reason() {
        let selection = Selection {
            targets: vec!["a".into(), "src".into()],
            ..Selection::default()
        };
        let selection = without_source(selection, "src");
        assert_eq!(selection.targets, ["a"]);
        assert_eq!(selection.skipped, [("src".into(), SOURCE_REASON.into())]);
    }

    #[test]
    fn lines_name_what_changed_and_nothing_else() {
        let work = Work {
            secret: Some(Change::Created),
            accounts: vec![AccountOutcome {
                name: "default".into(),
                change: AccountChange::Attached,
            }],
        };
        assert_eq!(
            action_line("regcred", "team-x", &work).as_deref(),
            Some("namespace team-x: secret/regcred created; attached to serviceaccount/default")
        );
        let quiet = Work {
            secret: Some(Change::Unchanged),
            accounts: vec![AccountOutcome {
                name: "default".into(),
                change: AccountChange::AlreadyAttached,
            }],
        };
        assert_eq!(action_line("regcred", "team-x", &quiet), None);
        let updated = Work {
            secret: Some(Change::Configured),
            accounts: Vec::new(),
        };
        assert_eq!(
            action_line("regcred", "a", &updated).as_deref(),
            Some("namespace a: secret/regcred configured")
        );
    }

    #[test]
    fn the_source_needs_a_namespace_and_a_name() {
        assert!(parse_source("regcred").is_err());
        assert!(parse_source("Bad_NS/regcred").is_err());
        assert_eq!(
            parse_source("platform/regcred").unwrap(),
            ("platform".to_string(), "regcred".to_string())
        );
    }
}
