//! A real node: a control plane of its own with kube-scheduler, the workload controllers and a
//! kubelet on containerd + runc (`scripts/testenv.sh up --node`), pulling real images from the
//! registries of `registries.rs`. Tests that claim anything about pulls run their pods here.
//!
//! The node is shared by every test of the run (each in namespaces of its own) and stopped by
//! its watchdog when the test process exits.

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;
use std::sync::OnceLock;
use std::time::Duration;

use crate::support::{TestEnv, eventually, repo_root};

pub(crate) struct Node {
    pub(crate) dir: PathBuf,
    kubeconfig: PathBuf,
}

/// The node of this test process, started on first use.
pub(crate) fn node() -> &'static Node {
    static NODE: OnceLock<Node> = OnceLock::new();
    NODE.get_or_init(|| {
        let output = StdCommand::new(repo_root().join("scripts/testenv.sh"))
            .args([
                "up",
                "--node",
                "--owner-pid",
                &std::process::id().to_string(),
            ])
            .stderr(std::process::Stdio::inherit())
            .output()
            .expect("run scripts/testenv.sh up --node");
        assert!(
            output.status.success(),
            "scripts/testenv.sh up --node failed"
        );
        let dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        Node {
            kubeconfig: dir.join("kubeconfig"),
            dir,
        }
    })
}

impl Node {
    pub(crate) fn kubeconfig(&'static self) -> &'static Path {
        &self.kubeconfig
    }

    /// A test environment on this node's cluster with a fresh namespace.
    pub(crate) fn env(&'static self, test: &str) -> TestEnv {
        TestEnv::new_on(self.kubeconfig(), test)
    }

    /// containerd's `config_path`: `HOST[:PORT]/hosts.toml` files, as /etc/containerd/certs.d.
    pub(crate) fn certs_d(&self) -> PathBuf {
        self.dir.join("node/certs.d")
    }

    /// Writes `content` as the node's hosts.toml for `host` (containerd reads it on the next
    /// pull; no restart).
    pub(crate) fn write_hosts_toml(&self, host: &str, content: &str) {
        let dir = self.certs_d().join(host);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("hosts.toml"), content).unwrap();
    }

    /// The logs of the node's processes (`containerd.log`, `kubelet.log`, ...).
    pub(crate) fn log(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join("logs").join(format!("{name}.log")))
            .unwrap_or_default()
    }

    /// The node's object name.
    pub(crate) fn name(&self) -> String {
        std::fs::read_to_string(self.dir.join("node/name"))
            .unwrap()
            .trim()
            .to_string()
    }
}

impl TestEnv {
    /// A pod of this test's namespace, or None.
    pub(crate) fn pod(&self, name: &str) -> Option<serde_json::Value> {
        self.get_in(&self.namespace, "pod", name)
    }

    /// Waits until `done` holds for pod `name`, and returns the pod; fails the test after
    /// `timeout` with the pod's last status.
    pub(crate) fn wait_for_pod(
        &self,
        name: &str,
        timeout: Duration,
        what: &str,
        mut done: impl FnMut(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let mut last = None;
        let reached = eventually(timeout, || {
            last = self.pod(name);
            last.as_ref().is_some_and(&mut done)
        });
        let last = last.unwrap_or_default();
        assert!(
            reached,
            "pod {name} never {what} within {timeout:?}: {}",
            last["status"]
        );
        last
    }

    /// Pods of this namespace whose names start with `prefix`, as JSON.
    pub(crate) fn pods_named(&self, prefix: &str) -> Vec<serde_json::Value> {
        let listed = self.kubectl_ok(&["get", "pods", "-n", &self.namespace, "-o", "json"]);
        let list: serde_json::Value = serde_json::from_str(&listed).unwrap();
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| {
                p["metadata"]["name"]
                    .as_str()
                    .is_some_and(|n| n.starts_with(prefix))
            })
            .cloned()
            .collect()
    }
}

/// Every container of the pod is running.
pub(crate) fn is_running(pod: &serde_json::Value) -> bool {
    pod["status"]["phase"] == "Running"
        && pod["status"]["containerStatuses"]
            .as_array()
            .is_some_and(|all| all.iter().all(|c| c["state"]["running"].is_object()))
}

/// The waiting reason of the pod's first container (`ErrImagePull`, ...), if it waits.
pub(crate) fn waiting_reason(pod: &serde_json::Value) -> Option<&str> {
    pod["status"]["containerStatuses"][0]["state"]["waiting"]["reason"].as_str()
}

/// The pod failed a pull at least once, and the kubelet reported it.
pub(crate) fn is_failing_to_pull(pod: &serde_json::Value) -> bool {
    matches!(
        waiting_reason(pod),
        Some("ErrImagePull" | "ImagePullBackOff")
    )
}

/// A pod that runs `image` (which sleeps), pulling it on every start, with these pull secrets.
pub(crate) fn pod_manifest(namespace: &str, name: &str, image: &str, secrets: &[&str]) -> String {
    serde_json::json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "imagePullSecrets": secrets.iter().map(|s| serde_json::json!({"name": s})).collect::<Vec<_>>(),
            "terminationGracePeriodSeconds": 0,
            "containers": [{"name": "app", "image": image, "imagePullPolicy": "Always"}],
        },
    })
    .to_string()
}

#[test]
fn the_node_runs_a_deployment_from_a_private_registry() {
    let registry = crate::registries::registries();
    let node = node();
    let env = node.env("node-runs-a-deployment");
    let image = format!("{}/{}", registry.http, registry.image);
    let output = env
        .regcred()
        .args([
            "create",
            "regcred",
            "-s",
            &registry.http,
            "-u",
            &registry.user,
        ])
        .args(["--password-stdin", "--attach", "-n", &env.namespace])
        .write_stdin(format!("{}\n", registry.password))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    env.kubectl_ok(&[
        "create",
        "deployment",
        "web",
        "--image",
        &image,
        "-n",
        &env.namespace,
    ]);
    let running = eventually(Duration::from_secs(60), || {
        let pods = env.pods_named("web-");
        pods.len() == 1 && is_running(&pods[0])
    });
    assert!(running, "web never ran: {:?}", env.pods_named("web-"));
    // The ServiceAccount admission plugin copied the account's pull secret into the pod.
    let pod = &env.pods_named("web-")[0];
    assert_eq!(pod["spec"]["imagePullSecrets"][0]["name"], "regcred");
    assert_eq!(pod["spec"]["nodeName"], node.name());
}
