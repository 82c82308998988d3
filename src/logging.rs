//! `-v LEVEL` logging to stderr, in kubectl's spirit: 0 warnings, 4 debug, 6+ API requests.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// Below `-v=6`: kube's HTTP trace layer reports every failed attempt at ERROR level; the
/// error we print (or the retry we log) already says it, in words.
const QUIET_HTTP_ERRORS: &str = "kube_client::client::builder=off";

/// Below `-v=4`: kube's TLS layer warns "Server cert bypassed" on every connection to a
/// cluster with `insecure-skip-tls-verify: true`, which kubectl never does;
/// `cluster::connect` says it once per context, at `-v=1`.
const QUIET_TLS_BYPASS: &str = "kube_client::client::tls=off";

/// The filter for a verbosity level. TLS and connection-pool internals stay quiet at every
/// level: they are noise to a user and could carry bytes of the wire.
fn filter_for(verbosity: u8) -> String {
    match verbosity {
        0 => format!("warn,{QUIET_HTTP_ERRORS},{QUIET_TLS_BYPASS}"),
        1..=3 => format!("warn,{QUIET_HTTP_ERRORS},{QUIET_TLS_BYPASS},kubectl_regcred=info"),
        4..=5 => format!("warn,{QUIET_HTTP_ERRORS},kubectl_regcred=debug"),
        6 => "warn,kubectl_regcred=trace,kube_client=debug".into(),
        _ => "warn,kubectl_regcred=trace,kube_client=trace,kube_core=trace,tower_http=trace".into(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_tls_bypass_warning_is_shown_from_level_4_only() {
        for level in 0..=3 {
            assert!(filter_for(level).contains(QUIET_TLS_BYPASS), "{level}");
        }
        for level in 4..=10 {
            assert!(!filter_for(level).contains(QUIET_TLS_BYPASS), "{level}");
        }
    }
}
