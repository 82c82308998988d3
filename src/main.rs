use clap::Parser;
use kubectl_regcred::{ExitCode, cli::Cli, logging, report_error, run};

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
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
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::Success.into(),
        Err(err) => {
            report_error(&err);
            err.exit_code().into()
        }
    }
}
