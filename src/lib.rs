//! kubectl-regcred: image-pull secrets for Kubernetes, created, attached and diagnosed.
//!
//! The binary is a thin shell over [`run`]; see `docs/ARCHITECTURE.md` for the module map.

pub mod cli;
pub mod cluster;
pub mod cmd;
pub mod creds;
pub mod dockerconfig;
pub mod error;
pub mod logging;
pub mod output;

pub use error::{Error, ExitCode};

/// Runs one parsed command line to completion.
pub async fn run(cli: cli::Cli) -> Result<(), Error> {
    match &cli.command {
        cli::Command::Create(args) => cmd::create::run(&cli.kube, args).await,
    }
}

/// Prints an error and its causes to stderr, kubectl style (`error: ...`).
pub fn report_error(err: &Error) {
    let mut message = format!("error: {err}");
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(&format!(": {text}"));
        }
        source = cause.source();
    }
    eprintln!("{message}");
}
