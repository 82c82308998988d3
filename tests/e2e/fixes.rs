//! The fixes `diagnose` prints, carried out as printed, make the next real pull on the node
//! succeed: commands run through the real kubectl with the plugin on PATH (USER and the
//! password are the only things filled in), node files written byte for byte into the node's
//! containerd config_path.

use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::Duration;

use crate::node::{is_failing_to_pull, is_running, node, pod_manifest};
use crate::registries::registries;
use crate::support::{TestEnv, eventually, texts};

/// A directory holding only the plugin, as krew installs it: kubectl finds it there.
fn plugin_dir() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("regcred-plugin-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let link = dir.join("kubectl-regcred");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_kubectl-regcred"), &link).unwrap();
        dir
    })
}

/// The first `kubectl ...` command of a fix, up to the end of its arguments (a `;` or a
/// parenthesised note ends it).
fn command_in(fix: &str) -> String {
    let start = fix
        .find("kubectl ")
        .unwrap_or_else(|| panic!("no command in the fix: {fix}"));
    let rest = &fix[start..];
    let end = [rest.find(';'), rest.find(" (")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(rest.len());
    rest[..end].trim().to_string()
}

/// Runs a printed command with sh, the plugin on PATH, USER filled in, the password on stdin.
fn run_as_printed(env: &TestEnv, command: &str) {
    let r = registries();
    let command = command.replace("USER", &r.user);
    let path = format!(
        "{}:{}",
        plugin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut child = StdCommand::new("sh")
        .args(["-c", &command])
        .env("PATH", path)
        .env("KUBECONFIG", env.kubeconfig)
        .env("HOME", env.home.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{}\n", r.password).as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "`{command}`: {output:?}");
}

/// The diagnosis of one pod, in JSON and as people read it.
fn diagnose(env: &TestEnv, pod: &str) -> (serde_json::Value, String) {
    let json = env
        .regcred()
        .args(["diagnose", pod, "-n", &env.namespace, "-o", "json"])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&json);
    let report: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("diagnose -o json printed no JSON ({e}):\n{stdout}\n{stderr}"));
    let failure = report["failures"][0].clone();
    assert!(failure.is_object(), "{pod} is not diagnosed: {report}");
    let human = env
        .regcred()
        .args(["diagnose", pod, "-n", &env.namespace])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (failure, texts(&human).0)
}

/// The file block of the human report (`file:` and the indented lines after it), as printed,
/// with its indentation taken off: what a person would copy into the file.
fn printed_file(human: &str) -> (String, String) {
    let mut lines = human
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("file:"));
    let header = lines.next().expect("a file: line");
    let path = header
        .trim_start()
        .trim_start_matches("file:")
        .trim()
        .to_string();
    let indent = header.find("file:").unwrap() + "file:      ".len();
    let mut content = String::new();
    for line in lines {
        if line.is_empty() {
            content.push('\n');
        } else if line.len() > indent && line[..indent].trim().is_empty() {
            content.push_str(&line[indent..]);
            content.push('\n');
        } else {
            break;
        }
    }
    (path, content.trim_end_matches('\n').to_string() + "\n")
}

/// Writes a printed node file into the node's config_path (`/etc/containerd/certs.d` there).
fn write_on_the_node(path: &str, content: &str) -> PathBuf {
    let relative = path
        .strip_prefix("/etc/containerd/certs.d/")
        .unwrap_or_else(|| panic!("not a containerd certs.d path: {path}"));
    let target = node().certs_d().join(relative);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::write(&target, content).unwrap();
    target
}

fn wait_failing(env: &TestEnv, pod: &str) {
    env.wait_for_pod(
        pod,
        Duration::from_secs(90),
        "failed to pull",
        is_failing_to_pull,
    );
}

fn wait_running(env: &TestEnv, pod: &str) {
    // The kubelet retries a failed pull with a back-off that doubles from 10 s.
    env.wait_for_pod(pod, Duration::from_secs(150), "ran", is_running);
}

fn create_secret(env: &TestEnv, name: &str, server: &str, password: &str) {
    let r = registries();
    let output = env
        .regcred()
        .args([
            "create",
            name,
            "-s",
            server,
            "-u",
            &r.user,
            "--password-stdin",
        ])
        .args(["-n", &env.namespace])
        .write_stdin(format!("{password}\n"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", texts(&output).1);
}

#[test]
fn node_files_written_as_printed_make_the_next_pull_succeed() {
    let r = registries();
    let env = node().env("fix-node-files");
    // A plain-HTTP registry under a name, and a TLS registry whose CA the node lacks.
    let (plain, tls) = r.to_mend();
    let cases = [("plain", plain), ("tls", tls)];
    for (pod, host) in &cases {
        create_secret(&env, pod, host, &r.password);
        let image = format!("{host}/{}", r.image);
        env.apply(&pod_manifest(&env.namespace, pod, &image, &[pod]));
    }
    for (pod, host) in &cases {
        wait_failing(&env, pod);
        let (failure, human) = diagnose(&env, pod);
        let (path, content) = printed_file(&human);
        assert_eq!(failure["nodeFile"]["path"], path.as_str(), "{human}");
        assert_eq!(failure["nodeFile"]["content"], content.as_str(), "{human}");
        let written = write_on_the_node(&path, &content);
        if *pod == "tls" {
            // The fix says: the registry's CA next to it, as ca.crt.
            std::fs::copy(&r.ca, written.with_file_name("ca.crt")).unwrap();
        }
        assert!(path.contains(host.as_str()), "{path}");
    }
    for (pod, _) in &cases {
        wait_running(&env, pod);
    }
}

#[test]
fn commands_run_as_printed_make_the_next_pull_succeed() {
    let r = registries();
    let env = node().env("fix-commands");
    let image = format!("{}/{}", r.http, r.image);
    // The pod's secret holds a wrong password.
    create_secret(&env, "wrong", &r.http, "Wrong-Pa55word-77aa");
    env.apply(&pod_manifest(&env.namespace, "wrong", &image, &["wrong"]));
    // The pod lists a secret that does not exist.
    env.apply(&pod_manifest(
        &env.namespace,
        "missing",
        &image,
        &["absent"],
    ));
    // A Deployment with no pull secret at all.
    env.apply(&deployment(&env.namespace, "nosecret", &image));
    for pod in ["wrong", "missing"] {
        wait_failing(&env, pod);
    }
    let stuck = eventually(Duration::from_secs(90), || {
        env.pods_named("nosecret-")
            .first()
            .is_some_and(is_failing_to_pull)
    });
    assert!(stuck, "{:?}", env.pods_named("nosecret-"));
    let nosecret = env.pods_named("nosecret-")[0]["metadata"]["name"]
        .as_str()
        .unwrap()
        .to_string();

    for pod in ["wrong", "missing", nosecret.as_str()] {
        let (failure, _) = diagnose(&env, pod);
        let fix = failure["fix"].as_str().unwrap();
        run_as_printed(&env, &command_in(fix));
    }
    for pod in ["wrong", "missing"] {
        wait_running(&env, pod);
    }
    let running = eventually(Duration::from_secs(90), || {
        let pods = env.pods_named("nosecret-");
        !pods.is_empty() && pods.iter().all(is_running)
    });
    assert!(running, "{:?}", env.pods_named("nosecret-"));
}

/// A Deployment of one pod pulling `image` on every start, with no pull secret of its own.
fn deployment(namespace: &str, name: &str, image: &str) -> String {
    serde_json::json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {
                    "terminationGracePeriodSeconds": 0,
                    "containers": [{"name": "app", "image": image, "imagePullPolicy": "Always"}],
                },
            },
        },
    })
    .to_string()
}

#[test]
fn commands_are_cut_where_the_note_begins() {
    assert_eq!(
        command_in(
            "kubectl regcred attach gh -n a --service-account default --heal (--heal restarts ...)"
        ),
        "kubectl regcred attach gh -n a --service-account default --heal"
    );
    assert_eq!(
        command_in("replace them with kubectl regcred create x -n a; then y"),
        "kubectl regcred create x -n a"
    );
}
