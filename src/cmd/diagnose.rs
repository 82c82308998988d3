//! `kubectl regcred diagnose`: find pods that cannot pull their images, explain the cause
//! with the cluster's facts, and print the fix; or, with `--message`, explain pasted texts
//! offline.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;

use crate::cli::{DiagnoseArgs, KubeArgs};
use crate::cluster::{self, ClusterError, contexts};
use crate::diagnose::collect::{self, FailingContainer, Scope};
use crate::diagnose::facts::{self, AccountFact, Case, SecretFact};
use crate::diagnose::{
    self, DiagnoseReport, Diagnosis, Explained, FixContext, UnreadableContext, Verification, fix,
};
use crate::dockerconfig::DockerConfig;
use crate::error::Error;
use crate::output;
use crate::registry::{self, ImageRef, Prober};
use futures::stream::{self, StreamExt};

use super::check::{probe_options, setup_error};
use super::{each_context, validate_named_namespaces};

/// Runs `diagnose`: offline with `--message`, else against the cluster.
pub async fn run(kube: &KubeArgs, args: &DiagnoseArgs) -> Result<(), Error> {
    if !args.message.is_empty() {
        return explain(kube, args);
    }
    let prober = match args.verify {
        true => Some(Prober::new(&probe_options(&args.probe)).map_err(setup_error)?),
        false => None,
    };
    let (failures, scope, unreadable) = match contexts::chosen(&kube.target())? {
        None => {
            let (failures, scope) = diagnose_context(kube, args, prober.as_ref()).await?;
            (failures, describe(&scope), Vec::new())
        }
        Some(names) => {
            validate_named_namespaces(kube)?;
            let scope = format!("{} of contexts {}", describe_flags(kube), names.join(", "));
            let prober = prober.as_ref();
            let results = each_context(kube, names, |kube| async move {
                diagnose_context(&kube, args, prober).await
            })
            .await;
            let (mut failures, mut unreadable) = (Vec::new(), Vec::new());
            for (context, result) in results {
                match result {
                    Ok((found, _)) => failures.extend(found.into_iter().map(|mut d| {
                        d.fix = fix::in_context(&d.fix, &context);
                        d.context = Some(context.clone());
                        d
                    })),
                    Err(err) => unreadable.push(UnreadableContext {
                        context,
                        error: crate::error::chain(&err),
                    }),
                }
            }
            (failures, scope, unreadable)
        }
    };
    let mut summary = BTreeMap::new();
    for failure in &failures {
        *summary.entry(failure.cause.as_str()).or_insert(0) += 1;
    }
    let report = DiagnoseReport {
        failures,
        summary,
        unreadable,
    };
    match args.output {
        Some(format) => output::print_value(&report, format)?,
        None => output::print_diagnoses(&report, &scope)?,
    }
    let unreadable = match report.unreadable.len() {
        0 => String::new(),
        1 => "; 1 context could not be read".to_string(),
        n => format!("; {n} contexts could not be read"),
    };
    match report.failures.len() {
        0 if unreadable.is_empty() => Ok(()),
        0 => Err(Error::Failed(
            unreadable.trim_start_matches("; ").to_string(),
        )),
        n => Err(Error::Failed(format!(
            "{n} container{} cannot pull {} image{unreadable}",
            if n == 1 { "" } else { "s" },
            if n == 1 { "its" } else { "their" }
        ))),
    }
}

/// One cluster's failing containers, diagnosed (and verified with `--verify`).
async fn diagnose_context(
    kube: &KubeArgs,
    args: &DiagnoseArgs,
    prober: Option<&Prober>,
) -> Result<(Vec<Diagnosis>, Scope), Error> {
    let target = kube.target();
    let cluster = cluster::connect(&target).await?;
    let selector = args.selector.as_deref();
    let on = &cluster;
    let lists =
        |scope| async move { collect::failing_containers(on, &scope, selector, &args.pods).await };
    let found_nothing = |failing: &Vec<FailingContainer>| failing.is_empty();
    let (selection, lists) = super::over_selection(on, &target, lists, found_nothing).await?;
    let scope = super::scope_of(&selection);
    let mut failing = lists.unwrap_or_default();
    // `-A` lists the whole cluster; keep what the selection holds.
    failing.retain(|f| selection.contains(&f.namespace));
    let uids: HashSet<String> = failing.iter().map(|f| f.pod_uid.clone()).collect();
    let mut namespaces: Vec<String> = failing.iter().map(|f| f.namespace.clone()).collect();
    namespaces.sort();
    namespaces.dedup();
    let (events, secrets, accounts) = tokio::join!(
        collect::pod_events(&cluster, &scope, &uids),
        readable(collect::secrets_in(&cluster, &namespaces, args.verify)),
        readable(collect::accounts_in(&cluster, &namespaces)),
    );
    let events = events?;
    let (secrets, contents) = match secrets {
        Some((facts, contents)) => (Some(facts), contents),
        None => (None, HashMap::new()),
    };
    let now = k8s_openapi::jiff::Timestamp::now().as_second();
    let mut failures: Vec<Diagnosis> = failing
        .into_iter()
        .map(|f| diagnose_one(f, &events, secrets.as_ref(), accounts.as_ref(), now))
        .collect();
    if let Some(prober) = prober {
        verify_all(&mut failures, &contents, prober).await;
    }
    Ok((failures, scope))
}

/// Asks each failing image's registry what the node would: with every entry of the pod's
/// pull secrets that the kubelet would try, in its order, or anonymously when none matches
/// ([`registry::check_pull`]); a few at a time.
async fn verify_all(
    failures: &mut [Diagnosis],
    contents: &collect::ByName<DockerConfig>,
    prober: &Prober,
) {
    let checks = failures.iter().map(|failure| async move {
        let image = failure.image.parse::<ImageRef>().ok()?;
        // The kubelet skips listed secrets that are missing or of another type.
        let secrets: Vec<registry::PullSecret> = failure
            .pull_secrets
            .iter()
            .filter_map(|secret| {
                let config = contents.get(&(failure.namespace.clone(), secret.name.clone()))?;
                Some(registry::PullSecret {
                    name: &secret.name,
                    config,
                })
            })
            .collect();
        let checked = registry::check_pull(&image, &secrets, prober).await;
        Some(Verification {
            secret: checked.secret,
            entry: checked.entry,
            result: checked.result.outcome.as_str(),
            detail: checked.result.detail,
        })
    });
    let results: Vec<Option<Verification>> = stream::iter(checks).buffered(8).collect().await;
    for (failure, verification) in failures.iter_mut().zip(results) {
        failure.verify = verification;
    }
}

/// What the namespace flags select, in words, before any cluster is asked.
fn describe_flags(kube: &KubeArgs) -> String {
    if kube.all_namespaces {
        "any namespace".to_string()
    } else if let Some(selector) = &kube.namespace_selector {
        format!("namespaces matching {selector}")
    } else if kube.namespace.is_empty() {
        "the default namespace".to_string()
    } else {
        format!("namespaces {}", kube.namespace.join(", "))
    }
}

fn describe(scope: &Scope) -> String {
    match scope {
        Scope::All => "any namespace".to_string(),
        Scope::Namespaces(names) if names.len() == 1 => format!("namespace {}", names[0]),
        Scope::Namespaces(names) => format!("namespaces {}", names.join(", ")),
    }
}

/// Facts that RBAC may hide: a diagnosis without them is still worth printing.
async fn readable<T>(
    read: impl std::future::Future<Output = Result<T, ClusterError>>,
) -> Option<T> {
    match read.await {
        Ok(facts) => Some(facts),
        Err(err) => {
            tracing::warn!("{}", crate::error::chain(&err));
            None
        }
    }
}

fn diagnose_one(
    failing: FailingContainer,
    events: &HashMap<String, Vec<collect::EventText>>,
    secrets: Option<&HashMap<(String, String), SecretFact>>,
    accounts: Option<&HashMap<(String, String), AccountFact>>,
    now: i64,
) -> Diagnosis {
    let mut texts: Vec<&str> = failing.message.iter().map(String::as_str).collect();
    // Only this container's events: the kubelet names the image in each.
    texts.extend(
        events
            .get(&failing.pod_uid)
            .into_iter()
            .flatten()
            .filter(|e| e.message.contains(&failing.image))
            .map(|e| e.message.as_str()),
    );
    let classification = diagnose::classify(Some(&failing.reason), &texts);
    let ns = failing.namespace.clone();
    let lookup = |name: &str| -> SecretFact {
        secrets
            .and_then(|all| all.get(&(ns.clone(), name.to_string())))
            .cloned()
            .unwrap_or_else(|| SecretFact {
                name: name.to_string(),
                exists: secrets.is_none(),
                secret_type: None,
                registries: Vec::new(),
                expiry: Default::default(),
                jwt_expires_at: Default::default(),
            })
    };
    let pod_secrets: Vec<SecretFact> = failing.pod_secrets.iter().map(|n| lookup(n)).collect();
    let namespace_secrets: Vec<SecretFact> = secrets
        .map(|all| {
            let mut others: Vec<SecretFact> = all
                .iter()
                .filter(|((n, name), _)| *n == ns && !failing.pod_secrets.contains(name))
                .map(|(_, fact)| fact.clone())
                .collect();
            others.sort_by(|a, b| a.name.cmp(&b.name));
            others
        })
        .unwrap_or_default();
    let account = accounts
        .and_then(|all| all.get(&(ns.clone(), failing.service_account.clone())))
        .cloned()
        .unwrap_or(AccountFact {
            name: failing.service_account.clone(),
            exists: accounts.is_none(),
            pull_secrets: Vec::new(),
        });
    let case = Case {
        namespace: &failing.namespace,
        pod: &failing.pod,
        image: &failing.image,
        classification: &classification,
        pod_secrets: &pod_secrets,
        account: Some(&account),
        namespace_secrets: &namespace_secrets,
        now,
    };
    let findings = facts::findings(&case);
    let fix = facts::fix(&case, &findings);
    let node_file =
        diagnose::node_file_for(classification.cause, classification.registry.as_deref());
    Diagnosis {
        context: None,
        namespace: failing.namespace,
        pod: failing.pod,
        container: failing.container,
        container_type: failing.kind,
        image: failing.image,
        reason: failing.reason,
        cause: classification.cause,
        summary: classification.summary,
        registry: classification.registry.clone(),
        evidence: classification.evidence.clone(),
        pull_secrets: pod_secrets,
        service_account: account,
        findings,
        fix,
        node_file,
        verify: None,
    }
}

/// `diagnose --message`: explaining succeeded, so the exit code is 0 whatever the cause.
fn explain(kube: &KubeArgs, args: &DiagnoseArgs) -> Result<(), Error> {
    let messages = messages(&args.message)?;
    let namespace = kube.namespace.first().map(String::as_str);
    let explained: Vec<Explained> = messages
        .into_iter()
        .map(|message| {
            let found = diagnose::classify(None, &[message.as_str()]);
            let fix = diagnose::fix_for(
                &found,
                FixContext {
                    namespace,
                    secret: &args.secret,
                },
            );
            Explained {
                node_file: diagnose::node_file_for(found.cause, found.registry.as_deref()),
                cause: found.cause,
                summary: found.summary,
                registry: found.registry,
                image: found.image,
                evidence: found.evidence,
                fix,
                message,
            }
        })
        .collect();
    match args.output {
        Some(format) => output::print_value(&explained, format)?,
        None => output::print_explanations(&explained)?,
    }
    Ok(())
}

/// The messages from `--message`, with `-` read from stdin one per line.
fn messages(given: &[String]) -> Result<Vec<String>, Error> {
    let mut messages = Vec::new();
    for message in given {
        if message == "-" {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).map_err(|e| {
                Error::Usage(format!("cannot read messages from standard input: {e}"))
            })?;
            messages.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_string),
            );
        } else if !message.trim().is_empty() {
            messages.push(message.trim().to_string());
        }
    }
    if messages.is_empty() {
        return Err(Error::Usage(
            "no message to explain: pass --message TEXT or --message -".into(),
        ));
    }
    Ok(messages)
}
