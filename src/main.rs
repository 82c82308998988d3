use kubectl_regcred::cmd::completion;
use kubectl_regcred::{ExitCode, cli::Cli, logging, report_error, run};

fn main() -> std::process::ExitCode {
    // kubectl's plugin completion (`__complete`) is answered before clap: a half-typed line
    // is rarely a valid command line.
    if let Some(hidden) = completion::hidden_command(std::env::args_os()) {
        return exit_code(completion::run_hidden(hidden));
    }
    let cli = Cli::from_args();
    logging::init(cli.kube.verbosity);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::Failure.into();
        }
    };
    exit_code(runtime.block_on(run(cli)))
}

fn exit_code(result: Result<(), kubectl_regcred::Error>) -> std::process::ExitCode {
    match result {
        Ok(()) => ExitCode::Success.into(),
        Err(err) => {
            report_error(&err);
            err.exit_code().into()
        }
    }
}
