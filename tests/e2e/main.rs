//! End-to-end tests: the built binary against a real kube-apiserver.
//!
//! `scripts/test.sh` starts one control plane for the run and exports
//! `REGCRED_TEST_KUBECONFIG`; without it the suite starts its own (see `support`).

mod support;

mod check;
mod completion;
mod create;
pub(crate) mod diagnose;
mod errors;
mod fanout;
mod kubectl_compat;
mod rbac;
mod secrecy;
mod testenv;
