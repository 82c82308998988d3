//! `kubectl regcred heal`, and `--heal` of `create` and `attach`: find the pods stuck on an image
//! pull in each namespace, read what they pull with (`cluster::workloads`), let `crate::heal`
//! decide, restart or delete, and report one row per workload.
//!
//! Per namespace: one list of pods (or one cluster-wide list for many namespaces), then GETs of
//! only what the stuck pods name (their ReplicaSets and workloads, service accounts, secrets),
//! then one patch per workload. A namespace with no stuck pod costs the list alone.

use std::collections::HashMap;
use std::sync::Mutex;

use futures::stream::{self, StreamExt};
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::{Pod, Secret, ServiceAccount};
use k8s_openapi::jiff::Timestamp;

use super::{
    ContextRun, Rows, dry_run_name, mode_of, per_context, progress_bar, validate_named_namespaces,
};
use crate::cli::{HealArgs, HealFlags, KubeArgs, OutputArgs};
use crate::cluster::fanout::{AccountChange, AccountOutcome, Outcome};
use crate::cluster::{self, Cluster, ClusterError, Mode, namespaces, prefetch, workloads};
use crate::diagnose::collect::secret_fact;
use crate::error::{self, Error};
use crate::heal::{self, Action, Executed, Facts, HealRow, Kind, Options, StuckPod, Trigger};
use crate::output::{self, HealReport, Report};

/// Runs `heal` in each chosen context and prints one report.
pub async fn run(kube: &KubeArgs, args: &HealArgs) -> Result<(), Error> {
    validate_named_namespaces(kube)?;
    let progress = progress_bar(&args.output);
    let results = per_context(kube, |kube| {
        let progress = progress.clone();
        async move { heal_context(&kube, args, &progress).await }
    })
    .await;
    progress.finish_and_clear();
    let rows = results?
        .into_iter()
        .flat_map(|run| match run {
            ContextRun::Only(rows) => rows,
            ContextRun::Done(name, rows) => rows.into_iter().map(|r| r.in_context(&name)).collect(),
            ContextRun::Failed(name, err) => vec![context_failed(name, &err)],
        })
        .collect();
    print_heal(rows, &args.output)
}

/// One cluster's heal: rows for every selected namespace.
async fn heal_context(
    kube: &KubeArgs,
    args: &HealArgs,
    progress: &indicatif::ProgressBar,
) -> Result<Vec<HealRow>, Error> {
    let cluster = cluster::connect(&kube.target()).await?;
    let selection = namespaces::resolve(&cluster, &kube.target()).await?;
    if let Some(notice) = selection.nothing_selected {
        // A row without a namespace: the report says it as a notice.
        return Ok(vec![HealRow::namespace_skipped("", notice)]);
    }
    let prefetched = stuck_pods_everywhere(&cluster, selection.targets.len()).await;
    let stuck_namespaces = prefetched.as_ref().map_or(0, |stuck| {
        let targets = selection.targets.iter();
        targets.filter(|ns| stuck.contains_key(*ns)).count()
    });
    let known = match stuck_namespaces >= prefetch::WORTH_IT_FROM {
        true => Known::read(&cluster).await,
        false => Known::default(),
    };
    let options = Options {
        delete_pods: args.delete_pods,
        trigger: None,
    };
    let mode = mode_of(&args.output);
    let stamp = restart_stamp();
    let (cluster, prefetched, known, options) = (&cluster, &prefetched, &known, &options);
    let stamp = &stamp;
    progress.inc_length(selection.targets.len() as u64);
    let mut rows: Vec<HealRow> = stream::iter(selection.targets)
        .map(|namespace| async move {
            let pods = known_pods(prefetched, &namespace);
            let healing = Healing {
                cluster,
                namespace: &namespace,
                known,
                mode,
                stamp,
            };
            let rows = healing.heal(pods, options, None).await;
            progress.inc(1);
            rows
        })
        .buffer_unordered(usize::from(args.fanout.concurrency))
        .flat_map(stream::iter)
        .collect()
        .await;
    rows.extend(
        selection
            .skipped
            .into_iter()
            .map(|(namespace, reason)| HealRow::namespace_skipped(&namespace, reason)),
    );
    Ok(rows)
}

/// The stuck pods of the whole cluster, by namespace, when enough namespaces are asked for
/// that one list beats one per namespace (and the list is allowed).
async fn stuck_pods_everywhere(
    cluster: &Cluster,
    namespaces: usize,
) -> Option<HashMap<String, Vec<Pod>>> {
    if namespaces < prefetch::WORTH_IT_FROM {
        return None;
    }
    workloads::pods_everywhere(cluster, heal::is_stuck).await
}

fn known_pods(prefetched: &Option<HashMap<String, Vec<Pod>>>, namespace: &str) -> Option<Vec<Pod>> {
    prefetched
        .as_ref()
        .map(|all| all.get(namespace).cloned().unwrap_or_default())
}

/// What the stuck pods name, read with one cluster-wide list per kind when many namespaces have
/// stuck pods (each list that is not allowed is read per namespace instead).
#[derive(Default)]
struct Known {
    replica_sets: Option<HashMap<(String, String), ReplicaSet>>,
    deployments: Option<HashMap<(String, String), Deployment>>,
    stateful_sets: Option<HashMap<(String, String), StatefulSet>>,
    daemon_sets: Option<HashMap<(String, String), DaemonSet>>,
    accounts: Option<HashMap<(String, String), ServiceAccount>>,
    /// Pull secrets only: a secret of another type serves no image, present or not.
    secrets: Option<HashMap<(String, String), Secret>>,
}

impl Known {
    async fn read(cluster: &Cluster) -> Self {
        let (replica_sets, deployments, stateful_sets, daemon_sets, accounts, json, legacy) = tokio::join!(
            workloads::everywhere::<ReplicaSet>(cluster, None),
            workloads::everywhere::<Deployment>(cluster, None),
            workloads::everywhere::<StatefulSet>(cluster, None),
            workloads::everywhere::<DaemonSet>(cluster, None),
            workloads::everywhere::<ServiceAccount>(cluster, None),
            workloads::everywhere::<Secret>(cluster, Some("type=kubernetes.io/dockerconfigjson")),
            workloads::everywhere::<Secret>(cluster, Some("type=kubernetes.io/dockercfg")),
        );
        let secrets = json.zip(legacy).map(|(mut json, legacy)| {
            json.extend(legacy);
            json
        });
        Known {
            replica_sets,
            deployments,
            stateful_sets,
            daemon_sets,
            accounts,
            secrets,
        }
    }
}

/// kubectl's restartedAt value: now, RFC 3339, whole seconds.
fn restart_stamp() -> String {
    let now = Timestamp::now();
    Timestamp::from_second(now.as_second())
        .unwrap_or(now)
        .to_string()
}

/// What this run wrote before healing (`create`/`attach --heal`), which a dry run does not
/// persist: the secret's registries and the accounts that now list it.
struct Written<'a> {
    secret: &'a str,
    registries: &'a [String],
    attached_to: Vec<String>,
}

/// Healing one namespace of one cluster.
struct Healing<'a> {
    cluster: &'a Cluster,
    namespace: &'a str,
    known: &'a Known,
    mode: Mode,
    /// The restartedAt value of this run.
    stamp: &'a str,
}

impl Healing<'_> {
    /// Heals the namespace: the rows of its workloads, or one row for the namespace.
    /// `pods`: its stuck pods when already listed.
    async fn heal(
        &self,
        pods: Option<Vec<Pod>>,
        options: &Options,
        written: Option<&Written<'_>>,
    ) -> Vec<HealRow> {
        let (cluster, namespace) = (self.cluster, self.namespace);
        let trigger = options.trigger.as_ref();
        let pods = match pods {
            Some(pods) => pods,
            None => match workloads::pods_in(cluster, namespace, heal::is_stuck).await {
                Ok(pods) => pods,
                Err(err) => return vec![namespace_failed(namespace, &err)],
            },
        };
        let stuck: Vec<StuckPod> = pods.iter().filter_map(heal::stuck_pod).collect();
        if stuck.is_empty() {
            return vec![HealRow::nothing_stuck(namespace, trigger)];
        }
        let mut facts = match self.read_facts(&stuck, trigger).await {
            Ok(facts) => facts,
            Err(err) => return vec![namespace_failed(namespace, &err)],
        };
        if let Some(written) = written {
            let registries = written.registries.iter().map(String::as_str);
            facts.assume_written(written.secret, registries, &written.attached_to);
        }
        let planned = heal::plan(namespace, &stuck, &facts, options);
        if planned.is_empty() {
            return vec![HealRow::nothing_stuck(namespace, trigger)];
        }
        let mut rows = Vec::with_capacity(planned.len());
        for planned in planned {
            let executed = self.execute(&planned.action).await;
            rows.push(HealRow::of_plan(namespace, planned, executed));
        }
        rows
    }

    /// One object the stuck pods name: from the cluster-wide list when there is one, else
    /// with a GET.
    async fn get<K: workloads::Namespaced>(
        &self,
        known: &Option<HashMap<(String, String), K>>,
        name: &str,
    ) -> Result<Option<K>, ClusterError> {
        match known {
            Some(all) => Ok(all
                .get(&(self.namespace.to_string(), name.to_string()))
                .cloned()),
            None => workloads::get::<K>(self.cluster, self.namespace, name).await,
        }
    }

    /// Reads what the stuck pods name: their ReplicaSets and workloads, beside their service
    /// accounts; then the secrets those list.
    async fn read_facts(
        &self,
        stuck: &[StuckPod],
        trigger: Option<&Trigger>,
    ) -> Result<Facts, ClusterError> {
        let known = self.known;
        let owners = async {
            let mut replica_sets = HashMap::new();
            for name in heal::replica_sets_needed(stuck) {
                if let Some(set) = self.get(&known.replica_sets, &name).await? {
                    replica_sets.insert(name, heal::replica_set_fact(&set));
                }
            }
            let mut found = HashMap::new();
            for (kind, name) in heal::workloads_needed(stuck, &replica_sets) {
                let fact = match kind {
                    Kind::Deployment => self
                        .get(&known.deployments, &name)
                        .await?
                        .map(|d| heal::deployment_fact(&d)),
                    Kind::StatefulSet => self
                        .get(&known.stateful_sets, &name)
                        .await?
                        .map(|s| heal::stateful_set_fact(&s)),
                    Kind::DaemonSet => self
                        .get(&known.daemon_sets, &name)
                        .await?
                        .map(|d| heal::daemon_set_fact(&d)),
                };
                if let Some(fact) = fact {
                    found.insert((kind, name), fact);
                }
            }
            Ok::<_, ClusterError>((replica_sets, found))
        };
        let accounts = async {
            let mut accounts = HashMap::new();
            for name in heal::accounts_needed(stuck) {
                if let Some(account) = self.get(&known.accounts, &name).await? {
                    accounts.insert(name, heal::account_fact(&account));
                }
            }
            Ok::<_, ClusterError>(accounts)
        };
        let (owners, accounts) = tokio::join!(owners, accounts);
        let (replica_sets, workloads) = owners?;
        let mut facts = Facts {
            accounts: accounts?,
            secrets: HashMap::new(),
            replica_sets,
            workloads,
        };
        for name in heal::secrets_needed(&facts, trigger) {
            if let Some(secret) = self.get(&known.secrets, &name).await? {
                facts.secrets.insert(name, secret_fact(&secret));
            }
        }
        Ok(facts)
    }

    /// Carries out a restart or delete; None for rows that only report.
    async fn execute(&self, action: &Action) -> Option<Executed> {
        execute(self.cluster, self.namespace, action, self.mode, self.stamp).await
    }
}

/// Carries out a restart or delete; None for rows that only report.
async fn execute(
    cluster: &Cluster,
    namespace: &str,
    action: &Action,
    mode: Mode,
    stamp: &str,
) -> Option<Executed> {
    let (restart, pods) = match action {
        Action::Restart {
            kind,
            name,
            patch,
            delete,
        } => (patch.then_some((*kind, name.as_str())), delete.as_slice()),
        Action::Delete { pods } => (None, pods.as_slice()),
        Action::Skip { .. } | Action::Leave { .. } => return None,
    };
    if let Some((kind, name)) = restart {
        let restarted = match kind {
            Kind::Deployment => {
                workloads::restart::<Deployment>(cluster, namespace, name, stamp, mode).await
            }
            Kind::StatefulSet => {
                workloads::restart::<StatefulSet>(cluster, namespace, name, stamp, mode).await
            }
            Kind::DaemonSet => {
                workloads::restart::<DaemonSet>(cluster, namespace, name, stamp, mode).await
            }
        };
        if let Err(err) = restarted {
            return Some(Executed::Failed {
                forbidden: err.is_forbidden(),
                message: error::chain(&err),
                deleted: Vec::new(),
            });
        }
    }
    let mut deleted = Vec::new();
    for pod in pods {
        match workloads::delete_pod(cluster, namespace, &pod.name, &pod.uid, mode).await {
            Ok(_) => deleted.push(pod.name.clone()),
            Err(err) => {
                let but = if restart.is_some() {
                    "restarted, but "
                } else {
                    ""
                };
                return Some(Executed::Failed {
                    forbidden: err.is_forbidden(),
                    message: format!("{but}{}", error::chain(&err)),
                    deleted,
                });
            }
        }
    }
    Some(Executed::Done { deleted })
}

fn namespace_failed(namespace: &str, err: &ClusterError) -> HealRow {
    HealRow::namespace_failed(namespace, err.is_forbidden(), error::chain(err))
}

fn context_failed(context: String, err: &Error) -> HealRow {
    HealRow::context_failed(context, err.is_forbidden(), error::chain(err))
}

/// Rows sorted by context and namespace (the plan's order within a namespace kept).
fn sorted(mut rows: Vec<HealRow>) -> Vec<HealRow> {
    rows.sort_by(|a, b| (&a.context, &a.namespace).cmp(&(&b.context, &b.namespace)));
    rows
}

/// Prints the heal report and fails the run if a row failed.
fn print_heal(rows: Vec<HealRow>, output: &OutputArgs) -> Result<(), Error> {
    let rows = sorted(rows);
    let report = HealReport::new("heal", None, dry_run_name(output), &rows);
    output::print_heal_report(&report, output.output)?;
    let failed = rows.iter().filter(|r| !r.status.is_success()).count();
    if failed > 0 {
        return Err(Error::PartialFailure {
            failed,
            total: rows.len(),
            rows: "row",
        });
    }
    Ok(())
}

/// `--heal` of `create` and `attach`: heals each namespace right after the attach there, for
/// the secret the run wrote, and keeps the rows for the report.
pub(crate) struct AfterAttach {
    prefetched: Option<HashMap<String, Vec<Pod>>>,
    delete_pods: bool,
    mode: Mode,
    stamp: String,
    rows: Mutex<Vec<HealRow>>,
}

impl AfterAttach {
    /// Ready to heal `namespaces` namespaces, when `--heal` was given.
    pub(crate) async fn prepare(
        cluster: &Cluster,
        namespaces: usize,
        flags: &HealFlags,
        mode: Mode,
    ) -> Option<Self> {
        if !flags.heal {
            return None;
        }
        Some(AfterAttach {
            prefetched: stuck_pods_everywhere(cluster, namespaces).await,
            delete_pods: flags.delete_pods,
            mode,
            stamp: restart_stamp(),
            rows: Mutex::default(),
        })
    }

    /// Heals `namespace` for `secret`: this run wrote it (`changed`: created it or changed its
    /// content; `registries`: what it put in) and attached it to `accounts`.
    pub(crate) async fn heal(
        &self,
        cluster: &Cluster,
        namespace: &str,
        secret: &str,
        changed: bool,
        registries: &[String],
        accounts: &[AccountOutcome],
    ) {
        let options = Options {
            delete_pods: self.delete_pods,
            trigger: Some(Trigger {
                secret: secret.to_string(),
                changed,
            }),
        };
        let written = Written {
            secret,
            registries,
            attached_to: accounts
                .iter()
                .filter(|a| {
                    matches!(
                        a.change,
                        AccountChange::Attached | AccountChange::AlreadyAttached
                    )
                })
                .map(|a| a.name.clone())
                .collect(),
        };
        // Read per namespace, after this run's writes there: a list made before would miss them.
        let healing = Healing {
            cluster,
            namespace,
            known: &Known::default(),
            mode: self.mode,
            stamp: &self.stamp,
        };
        let pods = known_pods(&self.prefetched, namespace);
        let rows = healing.heal(pods, &options, Some(&written)).await;
        if let Ok(mut all) = self.rows.lock() {
            all.extend(rows);
        }
    }

    /// The rows of every namespace healed.
    fn into_rows(self) -> Vec<HealRow> {
        self.rows.into_inner().unwrap_or_default()
    }
}

/// The rows of `create` and `attach`: the command's own, then, with `--heal`, the heal rows.
/// Printed as two reports (in JSON/YAML, one document with a `heal` key); the run fails if a
/// namespace or a heal row failed.
#[derive(Default)]
pub(crate) struct WithHeal {
    /// `--heal` was given: the heal report is printed, even with no row.
    pub(crate) healing: bool,
    pub(crate) done: Vec<Outcome>,
    pub(crate) healed: Vec<HealRow>,
}

impl WithHeal {
    /// A command's rows, and the heal rows of `after` when it healed (`--heal`).
    pub(crate) fn new(healing: bool, done: Vec<Outcome>, after: Option<AfterAttach>) -> Self {
        WithHeal {
            healing,
            done,
            healed: after.map(AfterAttach::into_rows).unwrap_or_default(),
        }
    }
}

impl Rows for WithHeal {
    fn add(&mut self, rows: Self, context: Option<&str>) {
        self.healing |= rows.healing;
        self.done.add(rows.done, context);
        match context {
            Some(name) => self
                .healed
                .extend(rows.healed.into_iter().map(|r| r.in_context(name))),
            None => self.healed.extend(rows.healed),
        }
    }

    fn context_failed(context: String, err: &Error) -> Self {
        WithHeal {
            done: Vec::<Outcome>::context_failed(context, err),
            ..WithHeal::default()
        }
    }

    fn print(self, output: &OutputArgs, command: &'static str, secret: &str) -> Result<(), Error> {
        if !self.healing {
            return self.done.print(output, command, secret);
        }
        let mut outcomes = self.done;
        outcomes.sort_by(|a, b| (&a.context, &a.namespace).cmp(&(&b.context, &b.namespace)));
        let rows = sorted(self.healed);
        let dry_run = dry_run_name(output);
        let report = Report::new(command, secret, dry_run, &outcomes);
        let healed = HealReport::new("heal", Some(secret), dry_run, &rows);
        output::print_report_with_heal(&report, &healed, output.output)?;
        let failed = outcomes.iter().filter(|o| !o.status.is_success()).count()
            + rows.iter().filter(|r| !r.status.is_success()).count();
        if failed > 0 {
            return Err(Error::PartialFailure {
                failed,
                total: outcomes.len() + rows.len(),
                rows: "namespace and heal row",
            });
        }
        Ok(())
    }
}
