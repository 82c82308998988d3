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
    self, DiagnoseReport, Diagnosis, Explained, FixContext, Foreseen, Prediction,
    UnreadableContext, Verification, fix, predict,
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
    let (found, scope, unreadable) = match contexts::chosen(&kube.target())? {
        None => {
            let (found, scope) = diagnose_context(kube, args, prober.as_ref()).await?;
            (found, describe(&scope), Vec::new())
        }
        Some(names) => {
            validate_named_namespaces(kube)?;
            let scope = format!("{} of contexts {}", describe_flags(kube), names.join(", "));
            let prober = prober.as_ref();
            let results = each_context(kube, names, |kube| async move {
                let (found, _) = diagnose_context(&kube, args, prober).await?;
                Ok(found)
            })
            .await;
            let (found, unreadable) = merge_contexts(results);
            (found, scope, unreadable)
        }
    };
    if let Some(notice) = &found.nothing_selected
        && args.output.is_none()
    {
        output::print_notice(notice)?;
        return Ok(());
    }
    let mut summary = BTreeMap::new();
    let causes = found.failures.iter().map(|f| f.cause.as_str());
    for cause in causes.chain(found.predicted.iter().map(|p| p.cause.as_str())) {
        *summary.entry(cause).or_insert(0) += 1;
    }
    let report = DiagnoseReport {
        failures: found.failures,
        predicted: found.predicted,
        summary,
        unreadable,
    };
    // Every pod named is missing: the error says so, and nothing else is to be said.
    let is_all_missing =
        !args.pods.is_empty() && args.pods.iter().all(|pod| found.missing_pods.contains(pod));
    match args.output {
        Some(format) => output::print_value(&report, format)?,
        None if is_all_missing => {}
        None => output::print_diagnoses(&report, &scope)?,
    }
    let mut problems: Vec<String> = found
        .missing_pods
        .iter()
        .map(|pod| format!("pod {pod:?} not found in {scope}"))
        .collect();
    match report.failures.len() {
        0 => {}
        1 => problems.push("1 container cannot pull its image".to_string()),
        n => problems.push(format!("{n} containers cannot pull their images")),
    }
    if !report.predicted.is_empty() {
        problems.push(output::counted(report.predicted.len(), "predicted failure"));
    }
    if !report.unreadable.is_empty() {
        let contexts = output::counted(report.unreadable.len(), "context");
        problems.push(format!("{contexts} could not be read"));
    }
    match problems.is_empty() {
        true => Ok(()),
        false => Err(Error::Failed(problems.join("; "))),
    }
}

/// What one cluster (or, merged, several) came to.
#[derive(Default)]
struct Found {
    failures: Vec<Diagnosis>,
    predicted: Vec<Prediction>,
    /// Pods named on the command line that are in no namespace looked at.
    missing_pods: Vec<String>,
    /// The selection held no namespace: why, in kubectl's words.
    nothing_selected: Option<String>,
}

/// The results of several contexts as one, each finding naming its context (and its fix aimed
/// at it); a named pod is missing when no context that could be read has it.
fn merge_contexts(results: Vec<(String, Result<Found, Error>)>) -> (Found, Vec<UnreadableContext>) {
    let (mut merged, mut unreadable) = (Found::default(), Vec::new());
    let mut missing: Option<Vec<String>> = None;
    for (context, result) in results {
        let found = match result {
            Ok(found) => found,
            Err(err) => {
                unreadable.push(UnreadableContext {
                    context,
                    error: crate::error::chain(&err),
                });
                continue;
            }
        };
        merged
            .failures
            .extend(found.failures.into_iter().map(|mut d| {
                d.fix = fix::in_context(&d.fix, &context);
                d.context = Some(context.clone());
                d
            }));
        merged
            .predicted
            .extend(found.predicted.into_iter().map(|mut p| {
                p.fix = fix::in_context(&p.fix, &context);
                p.context = Some(context.clone());
                p
            }));
        missing = Some(match missing {
            None => found.missing_pods,
            Some(before) => before
                .into_iter()
                .filter(|pod| found.missing_pods.contains(pod))
                .collect(),
        });
    }
    merged.missing_pods = missing.unwrap_or_default();
    (merged, unreadable)
}

/// One cluster's failing containers, diagnosed (and verified with `--verify`), and the pulls
/// bound to fail; and where it looked.
async fn diagnose_context(
    kube: &KubeArgs,
    args: &DiagnoseArgs,
    prober: Option<&Prober>,
) -> Result<(Found, Scope), Error> {
    let target = kube.target();
    let cluster = cluster::connect(&target).await?;
    let selector = args.selector.as_deref();
    let on = &cluster;
    let lists = |scope| async move {
        let (pods, templates) = tokio::join!(
            collect::waiting_containers(on, &scope, selector, &args.pods),
            // Pods named on the command line exist: their workloads are not the question.
            async {
                match args.pods.is_empty() {
                    true => quietly(collect::short_of_pods(on, &scope, selector)).await,
                    false => None,
                }
            },
        );
        Ok((pods?, templates))
    };
    // A pod named on the command line is looked for in the namespaces `-A` keeps.
    let found_nothing =
        |(pods, templates): &(collect::WaitingPods, Option<Vec<collect::Template>>)| {
            pods.failing.is_empty()
                && pods.unpulled.is_empty()
                && templates.as_ref().is_none_or(Vec::is_empty)
                && args.pods.is_empty()
        };
    let (selection, lists) = super::over_selection(on, &target, lists, found_nothing).await?;
    let scope = super::scope_of(&selection);
    let Some((mut pods, templates)) = lists else {
        let found = Found {
            nothing_selected: selection.nothing_selected().map(str::to_string),
            ..Found::default()
        };
        return Ok((found, scope));
    };
    // `-A` lists the whole cluster; keep what the selection holds.
    let wanted = |namespace: &str| selection.contains(namespace);
    pods.failing.retain(|f| wanted(&f.namespace));
    pods.unpulled.retain(|f| wanted(&f.namespace));
    let mut templates = templates.unwrap_or_default();
    templates.retain(|t| wanted(&t.namespace));
    let missing_pods = args
        .pods
        .iter()
        .filter(|name| !pods.seen.iter().any(|(ns, pod)| pod == *name && wanted(ns)))
        .cloned()
        .collect();
    let uids: HashSet<String> = pods.failing.iter().map(|f| f.pod_uid.clone()).collect();
    let all = pods.failing.iter().chain(&pods.unpulled);
    let mut namespaces: Vec<String> = all.map(|f| f.namespace.clone()).collect();
    namespaces.extend(templates.iter().map(|t| t.namespace.clone()));
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
    let known = Known::new(secrets.as_ref(), accounts.as_ref(), now);
    let mut failures: Vec<Diagnosis> = (pods.failing.into_iter())
        .map(|f| diagnose_one(f, &events, &known))
        .collect();
    if let Some(prober) = prober {
        verify_all(&mut failures, &contents, prober).await;
    }
    let mut predicted: Vec<Prediction> = (pods.unpulled.into_iter())
        .filter_map(|f| predict_pull(f, &known))
        .collect();
    predicted.extend(templates.iter().filter_map(|t| predict_pods(t, &known)));
    let found = Found {
        failures,
        predicted,
        missing_pods,
        nothing_selected: None,
    };
    Ok((found, scope))
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
            rate_limit: checked.result.rate_limit,
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

/// Facts a diagnosis can do without and that many users may not read (workloads): their
/// absence is said only at `-v`.
pub(super) async fn quietly<T>(
    read: impl std::future::Future<Output = Result<T, ClusterError>>,
) -> Option<T> {
    match read.await {
        Ok(facts) => Some(facts),
        Err(err) => {
            tracing::info!("{}", crate::error::chain(&err));
            None
        }
    }
}

/// Object `name` of `namespace` among those read, if they could be read and it is there.
fn read<'a, T>(all: Option<&'a collect::ByName<T>>, namespace: &str, name: &str) -> Option<&'a T> {
    all?.get(&(namespace.to_string(), name.to_string()))
}

/// The secrets and service accounts read (none when RBAC hid them), and the time.
struct Known<'a> {
    secrets: Option<&'a collect::ByName<SecretFact>>,
    /// The secrets again, by namespace: when every pod of a large cluster fails, each looks
    /// through its own namespace's secrets only.
    secrets_by_namespace: HashMap<&'a str, Vec<&'a SecretFact>>,
    accounts: Option<&'a collect::ByName<AccountFact>>,
    now: i64,
}

impl<'a> Known<'a> {
    fn new(
        secrets: Option<&'a collect::ByName<SecretFact>>,
        accounts: Option<&'a collect::ByName<AccountFact>>,
        now: i64,
    ) -> Self {
        let mut secrets_by_namespace: HashMap<&str, Vec<&SecretFact>> = HashMap::new();
        for ((namespace, _), fact) in secrets.into_iter().flatten() {
            secrets_by_namespace
                .entry(namespace)
                .or_default()
                .push(fact);
        }
        Known {
            secrets,
            secrets_by_namespace,
            accounts,
            now,
        }
    }

    /// Secret `name` of `namespace`; when secrets could not be read, one taken to exist.
    fn secret(&self, namespace: &str, name: &str) -> SecretFact {
        let found = read(self.secrets, namespace, name);
        found.cloned().unwrap_or_else(|| SecretFact {
            name: name.to_string(),
            exists: self.secrets.is_none(),
            secret_type: None,
            registries: Vec::new(),
            expiry: Default::default(),
            jwt_expires_at: Default::default(),
        })
    }

    /// The secrets of `namespace` but those in `listed`, by name.
    fn others(&self, namespace: &str, listed: &[String]) -> Vec<SecretFact> {
        let in_namespace = self.secrets_by_namespace.get(namespace).into_iter();
        let mut others: Vec<SecretFact> = (in_namespace.flatten())
            .filter(|fact| !listed.contains(&fact.name))
            .map(|fact| (*fact).clone())
            .collect();
        others.sort_by(|a, b| a.name.cmp(&b.name));
        others
    }

    /// Service account `name` of `namespace`; when accounts could not be read, one taken to
    /// exist.
    fn account(&self, namespace: &str, name: &str) -> AccountFact {
        let found = read(self.accounts, namespace, name);
        found.cloned().unwrap_or_else(|| AccountFact {
            name: name.to_string(),
            exists: self.accounts.is_none(),
            pull_secrets: Vec::new(),
        })
    }

    /// What the cluster says about a waiting container's pod: its pull secrets, the others of
    /// the namespace, its service account.
    fn of(&self, waiting: &FailingContainer) -> (Vec<SecretFact>, Vec<SecretFact>, AccountFact) {
        let ns = &waiting.namespace;
        let pod_secrets = waiting.pod_secrets.iter();
        (
            pod_secrets.map(|name| self.secret(ns, name)).collect(),
            self.others(ns, &waiting.pod_secrets),
            self.account(ns, &waiting.service_account),
        )
    }
}

fn diagnose_one(
    failing: FailingContainer,
    events: &HashMap<String, Vec<collect::EventText>>,
    known: &Known,
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
    let (pod_secrets, namespace_secrets, account) = known.of(&failing);
    let case = Case {
        namespace: &failing.namespace,
        pod: &failing.pod,
        image: &failing.image,
        classification: Some(&classification),
        pod_secrets: &pod_secrets,
        account: Some(&account),
        namespace_secrets: &namespace_secrets,
        now: known.now,
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

/// The prediction for a container that has not pulled yet, if its pull is bound to go
/// without the credentials meant for it.
fn predict_pull(waiting: FailingContainer, known: &Known) -> Option<Prediction> {
    let (pod_secrets, namespace_secrets, account) = known.of(&waiting);
    let case = Case {
        namespace: &waiting.namespace,
        pod: &waiting.pod,
        image: &waiting.image,
        classification: None,
        pod_secrets: &pod_secrets,
        account: Some(&account),
        namespace_secrets: &namespace_secrets,
        now: known.now,
    };
    let (cause, findings, fix) = predict::for_container(&case)?;
    Some(Prediction {
        context: None,
        namespace: waiting.namespace,
        pod: Some(waiting.pod),
        workload: None,
        container: Some(waiting.container),
        container_type: Some(waiting.kind),
        image: Some(waiting.image),
        reason: waiting.reason,
        cause,
        summary: cause.summary(),
        findings,
        fix,
    })
}

/// The prediction for a workload with pods left to create, if it cannot create them.
fn predict_pods(template: &collect::Template, known: &Known) -> Option<Prediction> {
    let namespace = &template.namespace;
    let account = known.account(namespace, &template.service_account);
    let others = known.others(namespace, &[]);
    let (findings, fix) = predict::for_template(template, account.exists, &others)?;
    let cause = Foreseen::PodsNotCreated;
    Some(Prediction {
        context: None,
        namespace: namespace.clone(),
        pod: None,
        workload: Some(template.workload.clone()),
        container: None,
        container_type: None,
        image: None,
        reason: "FailedCreate".to_string(),
        cause,
        summary: cause.summary(),
        findings,
        fix,
    })
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
