//! How a node's container runtime reaches a registry when nothing on the node says otherwise,
//! so that a check reaches it the same way. Pure.
//!
//! containerd (1.6: `remotes/docker/config/hosts.go`, `pkg/cri/server/image_pull.go`) talks
//! plain HTTP to a registry on a loopback address (`localhost`, `127.0.0.0/8`, `::1`) and
//! HTTPS to every other host, and pulls Docker Hub from `registry-1.docker.io`. Docker treats
//! loopback registries as insecure by default too. Anything else needs node configuration (a
//! `hosts.toml`, `insecure-registries`), which `check` is told about with `--plain-http` or
//! `--ca-file`. That is why MicroK8s' `localhost:32000` pulls on the node and
//! `NODE-IP:32000` does not.

use std::net::IpAddr;

/// `http` or `https`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }
}

/// containerd's `IsLocalhost`: the host, without its port, is `localhost` or a loopback IP.
pub fn is_loopback(api_host: &str) -> bool {
    let host = match api_host.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => match api_host.rsplit_once(':') {
            // One colon: host:port. More: a bare IPv6 address.
            Some((host, _)) if !host.contains(':') => host,
            _ => api_host,
        },
    };
    host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The scheme the runtime uses for `api_host`; `plain_http` is a node told the registry is
/// insecure.
pub fn scheme_for(api_host: &str, plain_http: bool) -> Scheme {
    if plain_http || is_loopback(api_host) {
        Scheme::Http
    } else {
        Scheme::Https
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_is_what_containerd_calls_localhost() {
        for host in [
            "localhost",
            "localhost:32000",
            "127.0.0.1",
            "127.0.0.1:5000",
            "127.1.2.3:80",
            "[::1]:5000",
            "::1",
        ] {
            assert!(is_loopback(host), "{host}");
        }
        for host in [
            "10.141.241.175:32000",
            "registry.local:5000",
            "localhost.localdomain:5000",
            "ghcr.io",
            "registry-1.docker.io",
            "[fd00::1]:5000",
            "128.0.0.1:5000",
        ] {
            assert!(!is_loopback(host), "{host}");
        }
    }

    #[test]
    fn plain_http_only_for_loopback_or_when_told() {
        assert_eq!(scheme_for("127.0.0.1:5000", false), Scheme::Http);
        assert_eq!(scheme_for("localhost:32000", false), Scheme::Http);
        assert_eq!(scheme_for("10.0.0.5:32000", false), Scheme::Https);
        assert_eq!(scheme_for("10.0.0.5:32000", true), Scheme::Http);
        assert_eq!(scheme_for("registry-1.docker.io", false), Scheme::Https);
    }
}
