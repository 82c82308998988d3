//! One module per subcommand: read the arguments, call the layers below, render.

pub mod attach;
pub mod check;
pub mod completion;
pub mod create;
pub mod delete;
pub mod diagnose;
pub mod label;
pub mod login;
pub mod refresh;
pub mod status;
pub mod sync;

use std::future::Future;
use std::io::IsTerminal;

use crate::cli::{DryRun, KubeArgs, OutputArgs};
use crate::cluster::fanout::{self, Outcome, Work};
use crate::cluster::namespaces::Selection;
use crate::cluster::{self, ClusterError};
use crate::error::Error;
use crate::output::{self, Report};

/// The dry-run strategy as the report names it.
fn dry_run_name(output: &OutputArgs) -> Option<&'static str> {
    match output.dry_run {
        Some(DryRun::Client) => Some("client"),
        Some(DryRun::Server) => Some("server"),
        _ => None,
    }
}

/// How the cluster is to be touched.
fn mode_of(output: &OutputArgs) -> cluster::Mode {
    match output.dry_run {
        Some(DryRun::Server) => cluster::Mode::ServerDryRun,
        Some(DryRun::Client) => cluster::Mode::ClientDryRun,
        _ => cluster::Mode::Write,
    }
}

/// Checks the namespaces named with `-n` before anything else happens.
fn validate_named_namespaces(kube: &KubeArgs) -> Result<(), Error> {
    for name in &kube.namespace {
        cluster::validate_namespace(name).map_err(|reason| Error::InvalidName {
            what: "namespace",
            name: name.clone(),
            reason,
        })?;
    }
    Ok(())
}

/// Checks a secret name given on the command line.
fn validate_secret_name(name: &str) -> Result<(), Error> {
    cluster::validate_object_name(name).map_err(|reason| Error::InvalidName {
        what: "secret name",
        name: name.to_string(),
        reason,
    })
}

/// Runs `work` in each selected namespace (bounded), prints the report, and fails the run if
/// any namespace failed.
pub(crate) async fn fan_out<F, Fut>(
    selection: Selection,
    concurrency: u16,
    output: &OutputArgs,
    command: &'static str,
    secret: &str,
    work: F,
) -> Result<(), Error>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<Work, ClusterError>>,
{
    let progress = progress_bar(selection.targets.len(), output);
    let mut outcomes =
        fanout::run(selection.targets, usize::from(concurrency), &progress, work).await;
    progress.finish_and_clear();
    outcomes.extend(
        selection
            .skipped
            .into_iter()
            .map(|(namespace, reason)| Outcome::skipped(namespace, reason)),
    );
    outcomes.sort_by(|a, b| a.namespace.cmp(&b.namespace));
    // One namespace that failed reads best as a plain error, like kubectl's.
    if let [only] = outcomes.as_slice()
        && !only.status.is_success()
        && output.output.is_none()
    {
        return Err(Error::Failed(only.reason.clone().unwrap_or_default()));
    }
    let report = Report::new(command, secret, dry_run_name(output), &outcomes);
    output::print_report(&report, output.output)?;
    let failed = outcomes.iter().filter(|o| !o.status.is_success()).count();
    if failed > 0 {
        return Err(Error::PartialFailure {
            failed,
            total: outcomes.len(),
        });
    }
    Ok(())
}

/// A bar on stderr while namespaces are worked on; only for people (a TTY), only when there
/// is more than one namespace.
fn progress_bar(total: usize, output: &OutputArgs) -> indicatif::ProgressBar {
    if total < 2 || output.output.is_some() || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(total as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} namespaces {elapsed}")
    {
        bar.set_style(style);
    }
    bar
}
