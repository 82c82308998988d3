//! The test environment: one control plane per run, a fresh namespace and HOME per test.

use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Output};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use tempfile::TempDir;

/// The repository root, for scripts.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The kubeconfig of the control plane shared by this test run.
///
/// `REGCRED_TEST_KUBECONFIG` wins (set by `scripts/test.sh`, or pointing at any real cluster).
/// Otherwise `scripts/testenv.sh up --owner-pid` starts one whose watchdog stops it when this
/// test process exits, however it exits.
pub fn kubeconfig() -> &'static Path {
    static KUBECONFIG: OnceLock<PathBuf> = OnceLock::new();
    KUBECONFIG.get_or_init(|| {
        if let Some(path) = std::env::var_os("REGCRED_TEST_KUBECONFIG") {
            return PathBuf::from(path);
        }
        let output = StdCommand::new(repo_root().join("scripts/testenv.sh"))
            .args(["up", "--owner-pid", &std::process::id().to_string()])
            .stderr(std::process::Stdio::inherit())
            .output()
            .expect("run scripts/testenv.sh up");
        assert!(output.status.success(), "scripts/testenv.sh up failed");
        let dir = String::from_utf8_lossy(&output.stdout).trim().to_string();
        PathBuf::from(dir).join("kubeconfig")
    })
}

/// A control plane of this test process alone, for tests that act on every namespace (`-A`)
/// and must not touch the namespaces of tests running beside them. Stopped by its watchdog
/// when the test process exits.
pub fn private_kubeconfig() -> &'static Path {
    static KUBECONFIG: OnceLock<PathBuf> = OnceLock::new();
    KUBECONFIG.get_or_init(|| {
        let output = StdCommand::new(repo_root().join("scripts/testenv.sh"))
            .args(["up", "--owner-pid", &std::process::id().to_string()])
            .stderr(std::process::Stdio::inherit())
            .output()
            .expect("run scripts/testenv.sh up");
        assert!(output.status.success(), "scripts/testenv.sh up failed");
        let dir = String::from_utf8_lossy(&output.stdout).trim().to_string();
        PathBuf::from(dir).join("kubeconfig")
    })
}

/// One test's world: a private HOME, a fresh namespace, and helpers to run the plugin and kubectl.
pub struct TestEnv {
    pub home: TempDir,
    pub namespace: String,
    pub kubeconfig: &'static Path,
    created: std::sync::Mutex<Vec<String>>,
}

static NAMESPACE_COUNTER: AtomicUsize = AtomicUsize::new(0);

impl TestEnv {
    /// A unique namespace name for this test process.
    pub fn unique(prefix: &str) -> String {
        let n = NAMESPACE_COUNTER.fetch_add(1, Ordering::SeqCst);
        format!("{prefix}-{}-{n}", std::process::id())
    }

    /// A new environment with its own namespace, named after the test.
    pub fn new(test: &str) -> Self {
        Self::new_on(kubeconfig(), test)
    }

    /// A new environment on the cluster of `kubeconfig`, with its own namespace named after
    /// the test.
    pub fn new_on(kubeconfig: &'static Path, test: &str) -> Self {
        let n = NAMESPACE_COUNTER.fetch_add(1, Ordering::SeqCst);
        let slug: String = test
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .take(40)
            .collect();
        let namespace = format!("{}-{}-{n}", slug.trim_matches('-'), std::process::id());
        let mut env = Self::without_namespace();
        env.kubeconfig = kubeconfig;
        env.kubectl_ok(&["create", "namespace", &namespace]);
        env.namespace = namespace;
        env
    }

    /// A new environment that creates nothing in the cluster.
    pub fn without_namespace() -> Self {
        TestEnv {
            home: tempfile::tempdir().expect("temp HOME"),
            namespace: String::new(),
            kubeconfig: kubeconfig(),
            created: Default::default(),
        }
    }

    /// An environment on this test process's private control plane (see [`private_kubeconfig`]).
    pub fn private() -> Self {
        TestEnv {
            home: tempfile::tempdir().expect("temp HOME"),
            namespace: String::new(),
            kubeconfig: private_kubeconfig(),
            created: Default::default(),
        }
    }

    /// Creates a namespace (with labels) that is deleted when the test ends.
    pub fn create_namespace(&self, name: &str, labels: &[&str]) {
        self.kubectl_ok(&["create", "namespace", name]);
        self.created.lock().unwrap().push(name.to_string());
        if !labels.is_empty() {
            let mut args = vec!["label", "namespace", name];
            args.extend_from_slice(labels);
            self.kubectl_ok(&args);
        }
    }

    /// Applies YAML or JSON manifests with the real kubectl.
    pub fn apply(&self, manifest: &str) {
        let mut child = StdCommand::new("kubectl")
            .args(["apply", "-f", "-"])
            .env("KUBECONFIG", self.kubeconfig)
            .env("HOME", self.home.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run kubectl apply");
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(manifest.as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "kubectl apply: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// An object in `namespace`, or None.
    pub fn get_in(&self, namespace: &str, kind: &str, name: &str) -> Option<serde_json::Value> {
        let output = self.kubectl(&["get", kind, name, "-n", namespace, "-o", "json"]);
        if !output.status.success() {
            return None;
        }
        serde_json::from_slice(&output.stdout).ok()
    }

    /// The names in a service account's imagePullSecrets.
    pub fn pull_secrets_of(&self, namespace: &str, account: &str) -> Vec<String> {
        let account = self
            .get_in(namespace, "serviceaccount", account)
            .expect("service account exists");
        account["imagePullSecrets"]
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|e| e["name"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The plugin, with HOME, DOCKER_CONFIG and KUBECONFIG pointing at this test's world only.
    pub fn regcred(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubectl-regcred"));
        self.isolate(&mut cmd);
        cmd
    }

    pub(crate) fn isolate(&self, cmd: &mut Command) {
        cmd.env("HOME", self.home.path())
            .env("DOCKER_CONFIG", self.home.path().join(".docker"))
            .env("KUBECONFIG", self.kubeconfig)
            .env_remove("NO_COLOR")
            .env_remove("REGCRED_PASSWORD")
            .env_remove("KUBERNETES_SERVICE_HOST");
    }

    /// Runs the real kubectl against the test cluster.
    pub fn kubectl(&self, args: &[&str]) -> Output {
        StdCommand::new("kubectl")
            .args(args)
            .env("KUBECONFIG", self.kubeconfig)
            .env("HOME", self.home.path())
            .output()
            .expect("run kubectl")
    }

    /// Runs kubectl and returns its stdout, failing the test with its stderr otherwise.
    pub fn kubectl_ok(&self, args: &[&str]) -> String {
        let output = self.kubectl(args);
        assert!(
            output.status.success(),
            "kubectl {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// An object of this test's namespace as JSON, or None when it does not exist.
    pub fn get_json(&self, kind: &str, name: &str) -> Option<serde_json::Value> {
        let output = self.kubectl(&["get", kind, name, "-n", &self.namespace, "-o", "json"]);
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                stderr.contains("NotFound"),
                "kubectl get {kind} {name}: {stderr}"
            );
            return None;
        }
        Some(serde_json::from_slice(&output.stdout).expect("kubectl prints JSON"))
    }

    /// Writes a file into this test's HOME and returns its path.
    pub fn write_file(&self, name: &str, content: &str) -> PathBuf {
        let path = self.home.path().join(name);
        std::fs::write(&path, content).expect("write test file");
        path
    }

    /// A kubeconfig whose context `context` is the admin impersonating `user` (kubeconfig
    /// `as`): the plugin then has exactly the permissions a test binds to that user.
    pub fn kubeconfig_as(&self, user: &str, context: &str) -> PathBuf {
        let json = self.kubectl_ok(&["config", "view", "--raw", "-o", "json"]);
        let mut config: serde_json::Value = serde_json::from_str(&json).expect("kubeconfig JSON");
        let users = config["users"].as_array_mut().expect("kubeconfig users");
        let mut impersonating = (users.iter())
            .find(|u| u["name"] == "admin")
            .expect("an admin user")
            .clone();
        impersonating["name"] = serde_json::json!(context);
        impersonating["user"]["as"] = serde_json::json!(user);
        users.push(impersonating);
        config["contexts"]
            .as_array_mut()
            .expect("kubeconfig contexts")
            .push(serde_json::json!({
                "name": context,
                "context": {"cluster": "regcred-test", "user": context}
            }));
        self.write_file(&format!("{context}-kubeconfig"), &config.to_string())
    }
}

impl Drop for TestEnv {
    fn drop(&mut self) {
        let mut names = std::mem::take(&mut *self.created.lock().unwrap());
        if !self.namespace.is_empty() {
            names.push(self.namespace.clone());
        }
        if !names.is_empty() {
            let mut args = vec!["delete", "namespace", "--wait=false"];
            args.extend(names.iter().map(String::as_str));
            let _ = self.kubectl(&args);
        }
    }
}

/// The decoded `.dockerconfigjson` of a secret object.
pub fn dockerconfigjson(secret: &serde_json::Value) -> Vec<u8> {
    use base64::Engine;
    let encoded = secret["data"][".dockerconfigjson"]
        .as_str()
        .expect("secret has .dockerconfigjson");
    base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .expect(".dockerconfigjson is base64")
}

/// Polls `check` until it returns true or `timeout` passes. Never a fixed sleep.
pub fn eventually(timeout: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if check() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// stdout and stderr of a finished command, for assertions.
pub fn texts(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}
