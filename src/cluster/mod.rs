//! Everything that talks to the API server, behind a small API the commands use.

pub mod accounts;
mod connect;
pub mod contexts;
mod credentials;
mod error;
pub mod fanout;
mod kubeconfig;
pub mod minted;
pub mod names;
pub mod namespaces;
pub mod pages;
pub mod prefetch;
pub mod retry;
pub mod secrets;
mod target;
pub mod watch;
pub mod workloads;

pub use connect::{Cluster, connect, offline_namespace};
pub use error::ClusterError;
pub use target::{Contexts, Namespaces, Target};

/// Whether a command writes, asks the server to validate only, or only reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    /// Sent with `dryRun=All`: validated and admitted, not persisted.
    ServerDryRun,
    /// Nothing is sent but reads: the report says what would change.
    ClientDryRun,
}

impl Mode {
    fn is_server_dry_run(self) -> bool {
        self == Mode::ServerDryRun
    }

    fn sends_writes(self) -> bool {
        self != Mode::ClientDryRun
    }
}

/// The field manager for every server-side apply this tool makes.
pub const FIELD_MANAGER: &str = "kubectl-regcred";

pub use crate::names::{validate_namespace, validate_object_name};
