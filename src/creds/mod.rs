//! Where credentials come from: the OS keyring, a Docker config and its credential helpers,
//! cloud CLIs, password files and standard input, and the interactive wizard. Secrets are held
//! in zeroizing types from the moment they are read.
//!
//! `create` says what it wants in a [`Request`]; [`sourced`] picks the source. Nothing here
//! knows the command line's types or the run's exit codes: every failure is an [`Error`], and
//! `crate::error` decides what it ends the run with. Programs are run by one runner
//! (`process`), and what they say is shown only through one redactor (`redact`).

pub mod cloud;
mod docker_config;
mod error;
pub mod keyring;
pub mod password;
mod process;
mod redact;
mod request;
mod sources;
mod terminal;
pub mod wizard;

pub use self::docker_config::DockerConfigError;
pub use self::error::Error;
pub use self::request::{PasswordInput, Provider, Request};
pub use self::sources::{Sourced, sourced};
pub use self::terminal::can_ask;
