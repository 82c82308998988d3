//! kubectl-regcred: image-pull secrets for Kubernetes, created, attached and diagnosed.
//!
//! The binary is a thin shell over [`run`]; see `docs/ARCHITECTURE.md` for the module map.

pub mod causes;
pub mod cli;
pub mod cluster;
pub mod cmd;
pub mod creds;
pub mod diagnose;
pub mod dockerconfig;
pub mod error;
pub mod expiry;
pub mod explain;
pub mod glob;
pub mod heal;
pub mod labels;
pub mod logging;
pub mod names;
pub mod output;
pub mod refresh;
pub mod registry;
pub mod rotate;
pub mod status;
pub mod words;

pub use error::{Error, ExitCode};

/// Runs one parsed command line to completion.
pub async fn run(cli: cli::Cli) -> Result<(), Error> {
    if cli.kube.target().spans_contexts() && !cli.command.spans_contexts() {
        return Err(Error::Usage(format!(
            "`{}` works in one cluster at a time: give one --context",
            cli.command.name()
        )));
    }
    match &cli.command {
        cli::Command::Create(args) => cmd::create::run(&cli.kube, args).await,
        cli::Command::Attach { args, heal } => {
            cmd::attach::run(&cli.kube, args, cluster::accounts::Edit::Attach, heal).await
        }
        cli::Command::Detach(args) => {
            let no_heal = cli::HealFlags::default();
            cmd::attach::run(&cli.kube, args, cluster::accounts::Edit::Detach, &no_heal).await
        }
        cli::Command::Sync(args) => cmd::sync::run(&cli.kube, args).await,
        cli::Command::Label(args) => cmd::label::run(&cli.kube, args).await,
        cli::Command::Delete(args) => cmd::delete::run(&cli.kube, args).await,
        cli::Command::Refresh(args) => cmd::refresh::run(&cli.kube, args).await,
        cli::Command::Rotate(args) => cmd::rotate::run(&cli.kube, args).await,
        cli::Command::Diagnose(args) => cmd::diagnose::run(&cli.kube, args).await,
        cli::Command::Heal(args) => cmd::heal::run(&cli.kube, args).await,
        cli::Command::Check(args) => cmd::check::run(&cli.kube, args).await,
        cli::Command::Explain(args) => cmd::explain::run(&cli.kube, args).await,
        cli::Command::Status(args) => cmd::status::run(&cli.kube, args).await,
        cli::Command::Login(args) => cmd::login::login(args),
        cli::Command::Logout(args) => cmd::login::logout(args),
        cli::Command::Logins(args) => cmd::login::logins(args),
        cli::Command::Completion(args) => cmd::completion::print_script(args.shell),
    }
}

/// Prints an error and its causes to stderr, kubectl style (`error: ...`).
pub fn report_error(err: &Error) {
    eprintln!("error: {}", error::chain(err));
}
