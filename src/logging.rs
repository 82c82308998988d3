//! `-v LEVEL` logging to stderr, in kubectl's spirit: 0 warnings, 4 debug, 6+ API requests.

use std::io::IsTerminal;

use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

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
    let lines = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_target(verbosity >= 6);
    let _ = tracing_subscriber::registry()
        .with(lines)
        .with(targets(verbosity))
        .try_init();
}

/// The level's filter. Target prefixes and levels only (no regular expressions: kubectl's -v
/// needs none, and the binary is smaller without them).
fn targets(verbosity: u8) -> Targets {
    filter_for(verbosity)
        .parse()
        .unwrap_or_else(|_| Targets::new().with_default(tracing::Level::WARN))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level_parses_as_targets() {
        for level in 0..=10 {
            assert!(filter_for(level).parse::<Targets>().is_ok(), "{level}");
        }
        assert!(!targets(0).would_enable("kube_client::client::tls", &tracing::Level::WARN));
        assert!(!targets(5).would_enable("kube_client::client::builder", &tracing::Level::ERROR));
        assert!(targets(6).would_enable("kube_client::client::builder", &tracing::Level::DEBUG));
        assert!(!targets(6).would_enable("kube_client::client::builder", &tracing::Level::TRACE));
    }

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
