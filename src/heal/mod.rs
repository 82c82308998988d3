//! `heal`: which workloads to restart, and which pods to delete, so that pods stuck on an image
//! pull get the pull secrets their service account now lists. Pure: `cmd::heal` reads the
//! objects (`cluster::workloads`), hands them here as facts, and carries the plan out.
//!
//! A pod's imagePullSecrets are fixed when it is admitted: the ServiceAccount admission plugin
//! copies the account's list into a new pod, and only when the pod (its template) lists none
//! of its own. So a new pod pulls with its template's list when that has entries, else with
//! what the account lists at that moment. A stuck pod is worth replacing when that list holds a
//! secret that exists, is a pull secret, serves the failing image's registry, and is missing
//! from the stuck pod.
//!
//! `facts` turns the objects read into facts; `plan` decides per workload; `report` is the
//! row each decision, once carried out, becomes.

mod facts;
mod plan;
mod report;

#[cfg(test)]
mod fixtures;

pub use facts::{
    Facts, FailingImage, Kind, ReplicaSetFact, STUCK_REASONS, StuckPod, WorkloadFact, account_fact,
    accounts_needed, daemon_set_fact, deployment_fact, is_stuck, replica_set_fact,
    replica_sets_needed, secrets_needed, stateful_set_fact, stuck_pod, workloads_needed,
};
pub use plan::{Action, Options, Planned, PodRef, PodReport, Trigger, plan};
pub use report::{Executed, HealRow, HealStatus};
