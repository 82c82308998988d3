//! `kubectl regcred status`: every pull secret of the selected namespaces, its registries and
//! users, and what is wrong (dangling references, expired tokens, drift, unused secrets).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Pod, Secret, ServiceAccount};
use serde::Serialize;

use super::each_context;

use crate::cli::{KubeArgs, StatusArgs};
use crate::cluster::{self, contexts};
use crate::diagnose::collect::{self, Scope};
use crate::diagnose::fix;
use crate::error::Error;
use crate::output;
use crate::status::{self, Facts, StatusReport};

/// Runs `status`: three lists (secrets, service accounts, pods) per namespace, or three
/// cluster-wide lists for `-A`, in each chosen context; then the report; exit code 1 when a
/// finding is an error (or a context could not be read).
pub async fn run(kube: &KubeArgs, args: &StatusArgs) -> Result<(), Error> {
    let now = k8s_openapi::jiff::Timestamp::now().as_second();
    let Some(names) = contexts::chosen(&kube.target())? else {
        let report = report_in_context(kube, now).await?;
        match args.output {
            Some(format) => output::print_value(&report, format)?,
            None => output::print_status(&report, now)?,
        }
        return exit_status(count(&report, "error"), 0);
    };
    super::validate_named_namespaces(kube)?;
    let results = each_context(kube, names, |kube| async move {
        report_in_context(&kube, now).await
    })
    .await;
    let contexts: Vec<ContextStatus> = results
        .into_iter()
        .map(|(context, result)| match result {
            Ok(mut report) => {
                for finding in &mut report.findings {
                    finding.fix = fix::in_context(&finding.fix, &context);
                }
                ContextStatus {
                    context,
                    report: Some(report),
                    error: None,
                }
            }
            Err(err) => ContextStatus {
                context,
                report: None,
                error: Some(crate::error::chain(&err)),
            },
        })
        .collect();
    let mut summary = BTreeMap::new();
    for report in contexts.iter().filter_map(|c| c.report.as_ref()) {
        for (severity, n) in &report.summary {
            *summary.entry(*severity).or_insert(0) += n;
        }
    }
    let failed = contexts.iter().filter(|c| c.error.is_some()).count();
    let errors = summary.get("error").copied().unwrap_or_default();
    let all = SeveralContexts { contexts, summary };
    match args.output {
        Some(format) => output::print_value(&all, format)?,
        None => {
            for (i, context) in all.contexts.iter().enumerate() {
                let gap = if i == 0 { "" } else { "\n" };
                output::print_line(&format!(
                    "{gap}{}",
                    output::context_heading(&context.context)
                ))?;
                match (&context.report, &context.error) {
                    (Some(report), _) => output::print_status(report, now)?,
                    (None, Some(error)) => output::print_line(&format!("  error: {error}"))?,
                    (None, None) => {}
                }
            }
        }
    }
    exit_status(errors, failed)
}

/// `status -o json` across several contexts: one report per context, or its error.
#[derive(Debug, Serialize)]
struct SeveralContexts {
    contexts: Vec<ContextStatus>,
    /// Findings per severity, over every context.
    summary: BTreeMap<&'static str, usize>,
}

#[derive(Debug, Serialize)]
struct ContextStatus {
    context: String,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    report: Option<StatusReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

fn count(report: &StatusReport, severity: &str) -> usize {
    report.summary.get(severity).copied().unwrap_or_default()
}

/// Exit code 1 when a finding is an error or a context could not be read.
fn exit_status(errors: usize, failed_contexts: usize) -> Result<(), Error> {
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    match (errors, failed_contexts) {
        (0, 0) => Ok(()),
        (n, 0) => Err(Error::Failed(format!(
            "{n} finding{} of severity error",
            plural(n)
        ))),
        (0, m) => Err(Error::Failed(format!(
            "{m} context{} could not be read",
            plural(m)
        ))),
        (n, m) => Err(Error::Failed(format!(
            "{n} finding{} of severity error; {m} context{} could not be read",
            plural(n),
            plural(m)
        ))),
    }
}

/// One cluster's report.
async fn report_in_context(kube: &KubeArgs, now: i64) -> Result<StatusReport, Error> {
    let target = kube.target();
    let cluster = cluster::connect(&target).await?;
    let on = &cluster;
    let lists = |scope| async move {
        tokio::try_join!(
            collect::list_in_scope::<Secret>(on, &scope, "secrets"),
            collect::list_in_scope::<ServiceAccount>(on, &scope, "serviceaccounts"),
            collect::list_in_scope::<Pod>(on, &scope, "pods"),
        )
    };
    let found_nothing =
        |(secrets, accounts, pods): &(Vec<Secret>, Vec<ServiceAccount>, Vec<Pod>)| {
            secrets.is_empty() && accounts.is_empty() && pods.is_empty()
        };
    let (selection, lists) = super::over_selection(on, &target, lists, found_nothing).await?;
    let scope = super::scope_of(&selection);
    let (secrets, accounts, pods) = lists.unwrap_or_default();
    // `-A` lists the whole cluster; keep what the selection holds.
    let is_wanted =
        |namespace: &Option<String>| selection.contains(namespace.as_deref().unwrap_or_default());
    let facts = Facts {
        secrets: secrets
            .iter()
            .filter(|s| is_wanted(&s.metadata.namespace))
            .map(status::secret_facts)
            .collect(),
        accounts: accounts
            .iter()
            .filter(|a| is_wanted(&a.metadata.namespace))
            .map(status::account_referrer)
            .collect(),
        pods: pods
            .iter()
            .filter(|p| is_wanted(&p.metadata.namespace))
            .map(status::pod_referrer)
            .collect(),
        namespaces: match &scope {
            Scope::All => Vec::new(),
            Scope::Namespaces(names) => names.clone(),
        },
    };
    // The objects held credentials; drop them now that the facts are taken.
    drop(secrets);
    let report = status::report(&facts, now);
    Ok(report)
}
