//! One module per subcommand: read the arguments, call the layers below, render.

pub mod attach;
pub mod check;
pub mod completion;
pub mod create;
pub mod delete;
pub mod diagnose;
pub mod explain;
pub mod heal;
pub mod label;
pub mod login;
pub mod refresh;
pub mod rotate;
pub mod status;
pub mod sync;

use std::future::Future;
use std::io::IsTerminal;

use futures::stream::{self, StreamExt};

use crate::cli::{DryRun, FanoutArgs, KubeArgs, OutputArgs};
use crate::cluster::fanout::{self, Outcome, Work};
use crate::cluster::namespaces::{self, Everywhere, Reading};
use crate::cluster::{self, ClusterError, contexts};
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

/// Resolves the namespaces a reading command keeps and runs `lists` over the scope they give;
/// `None` when the selection holds nothing. With `-A` the lists span the whole cluster (the
/// caller keeps what [`Reading::contains`]) and `-A`'s one small request, the terminating
/// namespaces, follows them only when they found something (`found_nothing` tells): on a
/// cluster of thousands of namespaces `-A` adds no list of them, and on a healthy one
/// `diagnose -A` is a single list.
async fn over_selection<T, Fut>(
    cluster: &cluster::Cluster,
    target: &cluster::Target,
    lists: impl FnOnce(crate::diagnose::collect::Scope) -> Fut,
    found_nothing: impl FnOnce(&T) -> bool,
) -> Result<(Reading, Option<T>), Error>
where
    Fut: Future<Output = Result<T, ClusterError>>,
{
    use crate::diagnose::collect::Scope;
    if matches!(target.namespaces, cluster::Namespaces::All) {
        let found = lists(Scope::All).await?;
        let everywhere = match found_nothing(&found) {
            true => Everywhere::without_terminating(target),
            false => namespaces::everywhere(cluster, target).await?,
        };
        return Ok((Reading::Everywhere(everywhere), Some(found)));
    }
    let selection = namespaces::resolve(cluster, target).await?;
    if let Some(namespace) = selection.absent.first() {
        let namespace = namespace.clone();
        return Err(ClusterError::MissingNamespaceToRead { namespace }.into());
    }
    if selection.nothing_selected.is_some() {
        return Ok((Reading::Selected(selection), None));
    }
    let found = lists(Scope::Namespaces(selection.targets.clone())).await?;
    Ok((Reading::Selected(selection), Some(found)))
}

/// Where a reading command looked.
fn scope_of(reading: &Reading) -> crate::diagnose::collect::Scope {
    use crate::diagnose::collect::Scope;
    match reading {
        Reading::Everywhere(_) => Scope::All,
        Reading::Selected(selection) => Scope::Namespaces(selection.targets.clone()),
    }
}

/// Checks a secret name given on the command line.
fn validate_secret_name(name: &str) -> Result<(), Error> {
    cluster::validate_object_name(name).map_err(|reason| Error::InvalidName {
        what: "secret name",
        name: name.to_string(),
        reason,
    })
}

/// Runs a fan-out command in the context the kubeconfig names, or side by side in every
/// context of `--context a,b` / `--all-contexts`; prints one report, and fails the run if a
/// namespace, or a whole context, failed.
///
/// `in_context` does one context's work and returns its rows; for several contexts it gets
/// flags naming just that context.
pub(crate) async fn in_each_context<R, F, Fut>(
    kube: &KubeArgs,
    output: &OutputArgs,
    command: &'static str,
    secret: &str,
    in_context: F,
) -> Result<(), Error>
where
    R: Rows,
    F: Fn(KubeArgs, indicatif::ProgressBar) -> Fut,
    Fut: Future<Output = Result<R, Error>>,
{
    let progress = progress_bar(output);
    let results = per_context(kube, |kube| in_context(kube, progress.clone())).await;
    progress.finish_and_clear();
    let mut rows = R::default();
    for run in results? {
        match run {
            ContextRun::Only(done) => rows.add(done, None),
            ContextRun::Done(name, done) => rows.add(done, Some(&name)),
            ContextRun::Failed(name, err) => rows.add(R::context_failed(name, &err), None),
        }
    }
    rows.print(output, command, secret)
}

/// The rows of a fan-out report, gathered over contexts.
pub(crate) trait Rows: Default {
    /// Takes in another context's rows, naming that context on each when given.
    fn add(&mut self, rows: Self, context: Option<&str>);
    /// The row of a context that failed as a whole.
    fn context_failed(context: String, err: &Error) -> Self;
    /// Prints the report and fails the run if a row failed.
    fn print(self, output: &OutputArgs, command: &'static str, secret: &str) -> Result<(), Error>;
}

impl Rows for Vec<Outcome> {
    fn add(&mut self, rows: Self, context: Option<&str>) {
        match context {
            Some(name) => self.extend(rows.into_iter().map(|row| row.in_context(name))),
            None => self.extend(rows),
        }
    }

    fn context_failed(context: String, err: &Error) -> Self {
        let reason = crate::causes::chain(err);
        vec![Outcome::context_failed(context, err.is_forbidden(), reason)]
    }

    fn print(self, output: &OutputArgs, command: &'static str, secret: &str) -> Result<(), Error> {
        print_outcomes(self, output, command, secret)
    }
}

/// What one context's work came to.
pub(crate) enum ContextRun<T> {
    /// An ordinary one-cluster run.
    Only(T),
    /// One context of several, by name.
    Done(String, T),
    /// One context of several failed as a whole; the others went on.
    Failed(String, Error),
}

/// Runs `work` once for the cluster the flags name, or for each context of `--context a,b` /
/// `--all-contexts`, a few side by side. An ordinary run's error ends the run; one context's
/// failure among several is its result.
pub(crate) async fn per_context<T, F, Fut>(
    kube: &KubeArgs,
    work: F,
) -> Result<Vec<ContextRun<T>>, Error>
where
    F: Fn(KubeArgs) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    Ok(match contexts::chosen(&kube.target())? {
        None => vec![ContextRun::Only(work(kube.clone()).await?)],
        Some(names) => each_context(kube, names, work)
            .await
            .into_iter()
            .map(|(name, result)| match result {
                Ok(done) => ContextRun::Done(name, done),
                Err(err) => ContextRun::Failed(name, err),
            })
            .collect(),
    })
}

/// Prints the rows (sorted by context, then namespace) and fails the run if any failed.
pub(crate) fn print_outcomes(
    mut outcomes: Vec<Outcome>,
    output: &OutputArgs,
    command: &'static str,
    secret: &str,
) -> Result<(), Error> {
    outcomes.sort_by(|a, b| (&a.context, &a.namespace).cmp(&(&b.context, &b.namespace)));
    // One namespace that failed reads best as a plain error, like kubectl's.
    if let [only] = outcomes.as_slice()
        && !only.status.is_success()
        && only.context.is_none()
        && output.output.is_none()
    {
        return Err(Error::Failed(only.reason.clone().unwrap_or_default()));
    }
    let report = Report::new(command, secret, dry_run_name(output), &outcomes);
    output::print_report(&report, output.output)?;
    let failed = outcomes.iter().filter(|o| !o.status.is_success()).count();
    if failed > 0 {
        let rows = match outcomes.iter().any(|o| o.context.is_some()) {
            true => "namespace/context",
            false => "namespace",
        };
        return Err(Error::PartialFailure {
            failed,
            total: outcomes.len(),
            rows,
        });
    }
    Ok(())
}

/// Clusters worked on at the same time; each has its own bounded namespace fan-out.
const CONTEXTS_AT_ONCE: usize = 8;

/// Runs `run` for each named context, a few side by side, with flags naming just that
/// context; the results in the order of `names`.
pub(crate) async fn each_context<T, F, Fut>(
    kube: &KubeArgs,
    names: Vec<String>,
    run: F,
) -> Vec<(String, Result<T, Error>)>
where
    F: Fn(KubeArgs) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let runs = names.into_iter().map(|name| {
        let future = run(kube.in_context(&name));
        async move { (name, future.await) }
    });
    stream::iter(runs)
        .buffered(CONTEXTS_AT_ONCE)
        .collect()
        .await
}

/// Runs `work` on secret `name` in every selected namespace of every chosen context, with a
/// handle on the cluster (cheap to clone), at most `--concurrency` namespaces at a time; prints
/// one report, one row per namespace (the skipped ones included).
pub(crate) async fn in_every_namespace<F, Fut>(
    kube: &KubeArgs,
    command: &'static str,
    name: &str,
    fanout: &FanoutArgs,
    output: &OutputArgs,
    work: F,
) -> Result<(), Error>
where
    F: Fn(cluster::Cluster, String) -> Fut,
    Fut: Future<Output = Result<Work, ClusterError>>,
{
    let work = &work;
    in_each_context(kube, output, command, name, |kube, progress| async move {
        let target = kube.target();
        let cluster = cluster::connect(&target).await?;
        let selection = namespaces::resolve(&cluster, &target).await?;
        let cluster = &cluster;
        let each = |namespace| work(cluster.clone(), namespace);
        Ok(fanout::run(selection, fanout.concurrency, &progress, each).await)
    })
    .await
}

/// A bar on stderr while namespaces are worked on; only for people (a TTY). Its length grows
/// as each context's namespaces are known.
pub(crate) fn progress_bar(output: &OutputArgs) -> indicatif::ProgressBar {
    if output.output.is_some() || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar =
        indicatif::ProgressBar::with_draw_target(Some(0), indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} namespaces {elapsed}")
    {
        bar.set_style(style);
    }
    bar
}
