//! The registries of this test process (`scripts/registryenv.sh`), started once; their
//! watchdog stops them when it exits.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Command as StdCommand, Stdio};
use std::sync::OnceLock;

use crate::support::repo_root;

/// Host names that lead to 127.0.0.1 for the test node's containerd and for commands run
/// through [`Registries::with_hosts`] (`TEST_REGISTRY_NAMES` in scripts/lib/hosts.sh): they do
/// not count as loopback for containerd, which reaches them over HTTPS.
pub(crate) const PLAIN_NAME: &str = "registry.regcred.test";
pub(crate) const UNTRUSTED_NAME: &str = "untrusted.regcred.test";
pub(crate) const TRUSTED_NAME: &str = "trusted.regcred.test";
/// The plain-HTTP and the TLS registry under names of their own, for the test that writes
/// node files for them: what it writes must not change what other tests meet.
pub(crate) const MENDED_PLAIN_NAME: &str = "mended.regcred.test";
pub(crate) const MENDED_TLS_NAME: &str = "mended-tls.regcred.test";

pub(crate) struct Registries {
    /// `127.0.0.1:PORT` of the plain-HTTP registry (htpasswd).
    pub(crate) http: String,
    /// `127.0.0.1:PORT` of the TLS registry (htpasswd); also serves UNTRUSTED_NAME and
    /// TRUSTED_NAME on the same port.
    pub(crate) tls: String,
    /// `127.0.0.1:PORT` of the registry behind the token service.
    pub(crate) token: String,
    pub(crate) user: String,
    pub(crate) password: String,
    /// A second user of every registry (htpasswd and the token service), and its password.
    pub(crate) user2: String,
    pub(crate) password2: String,
    /// The state directory: `logs/registry-*.log` (the registries' logs), `logs/token-access.log`
    /// (`user=NAME result=granted|denied scope=...` per token asked for),
    /// `authfile.json`, `image` (the OCI layout pushed as team/app:1.0, tag `app`).
    pub(crate) dir: PathBuf,
    pub(crate) ca: PathBuf,
    /// `team/app:1.0`, pushed to each: busybox that sleeps.
    pub(crate) image: String,
    /// Runs a command that resolves the names above.
    pub(crate) with_hosts: PathBuf,
}

impl Registries {
    /// `NAME:PORT` of the plain-HTTP registry under a name that is not loopback.
    pub(crate) fn plain_named(&self) -> String {
        format!("{PLAIN_NAME}:{}", self.http_port())
    }

    /// `NAME:PORT` of the TLS registry under a name the node does not trust.
    pub(crate) fn untrusted(&self) -> String {
        format!("{UNTRUSTED_NAME}:{}", self.tls_port())
    }

    /// The plain-HTTP and the TLS registry as `NAME:PORT` under names that only the test of
    /// node-side fixes configures on the node.
    pub(crate) fn to_mend(&self) -> (String, String) {
        (
            format!("{MENDED_PLAIN_NAME}:{}", self.http_port()),
            format!("{MENDED_TLS_NAME}:{}", self.tls_port()),
        )
    }

    /// `NAME:PORT` of the TLS registry under a name the node trusts through a hosts.toml.
    pub(crate) fn trusted(&self) -> String {
        format!("{TRUSTED_NAME}:{}", self.tls_port())
    }

    /// The TLS registry's port.
    pub(crate) fn tls_port(&self) -> &str {
        self.tls
            .rsplit_once(':')
            .map(|(_, port)| port)
            .unwrap_or_default()
    }

    /// The plain-HTTP registry's port.
    pub(crate) fn http_port(&self) -> &str {
        self.http
            .rsplit_once(':')
            .map(|(_, port)| port)
            .unwrap_or_default()
    }
}

pub(crate) fn registries() -> &'static Registries {
    static REGISTRIES: OnceLock<Registries> = OnceLock::new();
    REGISTRIES.get_or_init(|| {
        let output = StdCommand::new(repo_root().join("scripts/registryenv.sh"))
            .args(["up", "--owner-pid", &std::process::id().to_string()])
            .stderr(Stdio::inherit())
            .output()
            .expect("run scripts/registryenv.sh up");
        assert!(output.status.success(), "scripts/registryenv.sh up failed");
        let dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        let text = std::fs::read_to_string(dir.join("env")).expect("registryenv writes DIR/env");
        let env: HashMap<&str, &str> = text.lines().filter_map(|l| l.split_once('=')).collect();
        let get = |key: &str| env.get(key).map(|v| v.to_string()).expect(key);
        Registries {
            http: format!("127.0.0.1:{}", get("REGISTRY_HTTP_PORT")),
            tls: format!("127.0.0.1:{}", get("REGISTRY_TLS_PORT")),
            token: format!("127.0.0.1:{}", get("REGISTRY_TOKEN_PORT")),
            user: get("REGISTRY_USER"),
            password: get("REGISTRY_PASSWORD"),
            user2: get("REGISTRY_USER2"),
            password2: get("REGISTRY_PASSWORD2"),
            ca: PathBuf::from(get("REGISTRY_CA")),
            image: get("REGISTRY_IMAGE"),
            with_hosts: PathBuf::from(get("WITH_HOSTS")),
            dir,
        }
    })
}

impl crate::support::TestEnv {
    /// The plugin, run so that it resolves the test registry names as the node's containerd
    /// does: a check from a workstation on the node's network.
    pub(crate) fn regcred_with_hosts(&self) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::new(&registries().with_hosts);
        cmd.arg(env!("CARGO_BIN_EXE_kubectl-regcred"));
        self.isolate(&mut cmd);
        cmd
    }
}
