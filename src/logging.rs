//! `-v LEVEL` logging to stderr, in kubectl's spirit: 0 warnings, 4 debug, 6+ API requests.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// The filter for a verbosity level. TLS and connection-pool internals stay quiet at every
/// level: they are noise to a user and could carry bytes of the wire.
fn filter_for(verbosity: u8) -> &'static str {
    match verbosity {
        // kube's HTTP trace layer reports every failed attempt at ERROR level; the error we
        // print (or the retry we log) already says it, in words.
        0 => "warn,kube_client::client::builder=off",
        1..=3 => "warn,kube_client::client::builder=off,kubectl_regcred=info",
        4..=5 => "warn,kube_client::client::builder=off,kubectl_regcred=debug",
        6 => "warn,kubectl_regcred=trace,kube_client=debug",
        _ => "warn,kubectl_regcred=trace,kube_client=trace,kube_core=trace,tower_http=trace",
    }
}

/// Installs the stderr logger for a verbosity level.
pub fn init(verbosity: u8) {
    let ansi = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(filter_for(verbosity)))
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_target(verbosity >= 6)
        .try_init();
}
