//! End-to-end tests: the built binary against a real kube-apiserver.
//!
//! `scripts/test.sh` starts one control plane for the run and exports
//! `REGCRED_TEST_KUBECONFIG`; without it the suite starts its own (see `support`).

mod support;

mod auth;
mod check;
mod cloud;
mod clusters;
mod completion;
mod connection;
mod contexts;
mod create;
pub(crate) mod diagnose;
mod docker_config;
mod dockerhub;
mod errors;
mod explain;
mod fanout;
mod faults;
mod first_contact;
mod first_contact_cli;
mod fixes;
mod heal;
mod keyring;
mod kubectl_compat;
mod leak_audit;
mod model;
mod node;
mod proxy;
pub(crate) mod pulls;
mod rbac;
mod refresh;
mod registries;
mod rotate;
mod scope;
mod secrecy;
mod status;
mod sync;
mod testenv;
mod wizard;
