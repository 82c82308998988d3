//! Extra throwaway control planes for tests that need a cluster of their own to stop, slow
//! down or act on with `-A`, and kubeconfig files that name them.

use std::path::PathBuf;
use std::process::{Command as StdCommand, Output};

use base64::Engine;

use crate::support::repo_root;

/// A control plane for tests that need one of their own (a proxy in front of it,
/// cluster-scoped objects) but neither `-A` nor a restart, so they may share it: started on
/// first use, stopped by its watchdog when the test process exits.
pub fn spare() -> &'static ControlPlane {
    static SPARE: std::sync::OnceLock<ControlPlane> = std::sync::OnceLock::new();
    SPARE.get_or_init(ControlPlane::start)
}

/// A test environment (HOME, namespaces, kubectl) on [`spare`].
pub fn spare_env() -> crate::support::TestEnv {
    static KUBECONFIG: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    let mut env = crate::support::TestEnv::without_namespace();
    env.kubeconfig = KUBECONFIG.get_or_init(|| spare().kubeconfig());
    env
}

/// A control plane of one test: stopped (`testenv.sh down`) when dropped, and by its
/// watchdog if the test process dies first.
pub struct ControlPlane {
    pub dir: PathBuf,
}

impl ControlPlane {
    pub fn start() -> ControlPlane {
        let output = StdCommand::new(repo_root().join("scripts/testenv.sh"))
            .args(["up", "--owner-pid", &std::process::id().to_string()])
            .stderr(std::process::Stdio::inherit())
            .output()
            .expect("run scripts/testenv.sh up");
        assert!(output.status.success(), "scripts/testenv.sh up failed");
        let dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        ControlPlane { dir }
    }

    /// Several at once: each takes some 15 s to start, mostly waiting.
    pub fn start_many(n: usize) -> Vec<ControlPlane> {
        let starting: Vec<_> = (0..n)
            .map(|_| std::thread::spawn(ControlPlane::start))
            .collect();
        starting.into_iter().map(|t| t.join().unwrap()).collect()
    }

    pub fn kubeconfig(&self) -> PathBuf {
        self.dir.join("kubeconfig")
    }

    /// `127.0.0.1:PORT` of the API server.
    pub fn api_addr(&self) -> std::net::SocketAddr {
        let server = std::fs::read_to_string(self.dir.join("server")).unwrap();
        server
            .trim()
            .trim_start_matches("https://")
            .parse()
            .unwrap()
    }

    /// A kubeconfig file naming this cluster, its admin user and a context all `name`, with
    /// the API server at `server` (the real one, or a proxy in front of it).
    pub fn kubeconfig_named(&self, name: &str, server: &str) -> String {
        let ca = std::fs::read(self.dir.join("pki/ca.crt")).unwrap();
        let ca = base64::engine::general_purpose::STANDARD.encode(ca);
        let token = std::fs::read_to_string(self.dir.join("admin-token")).unwrap();
        format!(
            "apiVersion: v1\nkind: Config\n\
             clusters:\n- name: {name}\n  cluster:\n    server: {server}\n    certificate-authority-data: {ca}\n\
             users:\n- name: {name}\n  user:\n    token: {}\n\
             contexts:\n- name: {name}\n  context: {{cluster: {name}, user: {name}}}\n\
             current-context: {name}\n",
            token.trim()
        )
    }

    /// The real kubectl against this cluster, as admin.
    pub fn kubectl(&self, args: &[&str]) -> Output {
        StdCommand::new("kubectl")
            .args(args)
            .env("KUBECONFIG", self.kubeconfig())
            .output()
            .expect("run kubectl")
    }

    pub fn kubectl_ok(&self, args: &[&str]) -> String {
        let output = self.kubectl(args);
        assert!(
            output.status.success(),
            "kubectl {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Creates namespaces in one request each, many at a time.
    pub fn create_namespaces(&self, names: &[String]) {
        let manifest: String = names
            .iter()
            .map(|n| format!("---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: {n}\n"))
            .collect();
        let path = self.dir.join(format!("namespaces-{}.yaml", names.len()));
        std::fs::write(&path, manifest).unwrap();
        self.kubectl_ok(&["create", "-f", path.to_str().unwrap()]);
    }

    /// Kills the API server (SIGKILL, as a crash): etcd and the rest keep running.
    pub fn kill_apiserver(&self) -> String {
        let pid = self.apiserver_pid();
        let status = StdCommand::new("kill")
            .args(["-KILL", &pid])
            .status()
            .unwrap();
        assert!(status.success(), "kill kube-apiserver {pid}");
        pid
    }

    /// Kills the API server and starts it again with the same command line.
    pub fn restart_apiserver(&self) {
        let argv = self.stop_apiserver();
        self.start_apiserver(&argv);
    }

    /// Kills the API server (SIGKILL) and waits until it is gone; returns its command line,
    /// for [`start_apiserver`](Self::start_apiserver).
    pub fn stop_apiserver(&self) -> Vec<String> {
        let pid = self.apiserver_pid();
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap();
        let argv: Vec<String> = cmdline
            .split(|b| *b == 0)
            .filter(|a| !a.is_empty())
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        self.kill_apiserver();
        let gone = crate::support::eventually(std::time::Duration::from_secs(10), || {
            !std::path::Path::new(&format!("/proc/{pid}")).exists()
                || std::fs::read_to_string(format!("/proc/{pid}/status"))
                    .is_ok_and(|s| s.contains("zombie"))
        });
        assert!(gone, "kube-apiserver {pid} did not stop");
        argv
    }

    /// Starts the API server with `argv`, detached from the test process (so the
    /// environment's `down` and watchdog stop it as before).
    pub fn start_apiserver(&self, argv: &[String]) {
        let log = self.dir.join("logs/kube-apiserver.log");
        let output = StdCommand::new("setsid")
            .args([
                "bash",
                "-c",
                r#"log=$1; shift; "$@" >>"$log" 2>&1 & echo $!"#,
                "restart",
            ])
            .arg(&log)
            .args(argv)
            .output()
            .unwrap();
        assert!(output.status.success());
        let new_pid = String::from_utf8_lossy(&output.stdout).trim().to_string();
        std::fs::write(self.dir.join("pids/kube-apiserver"), format!("{new_pid}\n")).unwrap();
    }

    /// Whether the API server answers `/readyz`.
    pub fn is_ready(&self) -> bool {
        self.kubectl(&["get", "--raw", "/readyz"]).status.success()
    }

    pub fn apiserver_pid(&self) -> String {
        std::fs::read_to_string(self.dir.join("pids/kube-apiserver"))
            .unwrap()
            .trim()
            .to_string()
    }
}

impl Drop for ControlPlane {
    fn drop(&mut self) {
        let _ = StdCommand::new(repo_root().join("scripts/testenv.sh"))
            .arg("down")
            .arg(&self.dir)
            .output();
    }
}

/// The plugin with `KUBECONFIG=kubeconfig` (a file, or a list) and a fresh HOME, `pw` on
/// stdin.
pub fn run_plugin(kubeconfig: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kubectl-regcred"))
        .args(args)
        .env("HOME", home.path())
        .env("KUBECONFIG", kubeconfig.as_ref())
        .env_remove("KUBERNETES_SERVICE_HOST")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"pw\n").unwrap();
    }
    child.wait_with_output().unwrap()
}
