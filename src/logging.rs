//! `-v LEVEL` logging to stderr, in kubectl's spirit: 0 warnings, 4 debug, 6+ API requests.

use tracing_subscriber::EnvFilter;

/// Installs the stderr logger for a verbosity level.
pub fn init(verbosity: u8) {
    let filter = match verbosity {
        0 => "warn",
        1..=3 => "info",
        4..=5 => "kubectl_regcred=debug,info",
        6..=7 => "kubectl_regcred=trace,kube=debug,info",
        _ => "trace",
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .with_target(verbosity >= 6)
        .try_init();
}
