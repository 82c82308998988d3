//! `sync`: copy a source pull secret into selected namespaces, once and with `--watch`.

use std::io::Read;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::support::{TestEnv, dockerconfigjson, eventually, texts};

fn registries(secret: &serde_json::Value) -> serde_json::Value {
    serde_json::from_slice::<serde_json::Value>(&dockerconfigjson(secret)).unwrap()["auths"].clone()
}

/// A source pull secret `src` in the test's namespace, holding ghcr.io.
fn source(env: &TestEnv) -> String {
    env.kubectl_ok(&[
        "create",
        "secret",
        "docker-registry",
        "src",
        "-n",
        &env.namespace,
        "--docker-server=ghcr.io",
        "--docker-username=octocat",
        "--docker-password=source-pw",
    ]);
    format!("{}/src", env.namespace)
}

fn has_copy(env: &TestEnv, namespace: &str, registry: &str) -> bool {
    env.get_in(namespace, "secret", "copy")
        .is_some_and(|secret| !registries(&secret)[registry].is_null())
}

fn lists_copy(env: &TestEnv, namespace: &str) -> bool {
    env.get_in(namespace, "serviceaccount", "default")
        .and_then(|account| account["imagePullSecrets"].as_array().cloned())
        .is_some_and(|list| list.iter().any(|e| e["name"] == "copy"))
}

#[test]
fn sync_copies_into_selected_namespaces_merges_and_attaches() {
    let env = TestEnv::new("sync-once");
    let from = source(&env);
    let team = TestEnv::unique("sync-once-team");
    let label = format!("sync-team={team}");
    let names: Vec<String> = (0..3).map(|i| format!("{team}-{i}")).collect();
    for name in &names {
        env.create_namespace(name, &[&label]);
    }
    // The source namespace matches the selector too: it must be left alone.
    env.kubectl_ok(&["label", "namespace", &env.namespace, &label]);
    env.kubectl_ok(&[
        "create",
        "secret",
        "docker-registry",
        "copy",
        "-n",
        &names[0],
        "--docker-server=quay.io",
        "--docker-username=q",
        "--docker-password=keep-me",
    ]);
    let source_version =
        env.get_json("secret", "src").unwrap()["metadata"]["resourceVersion"].clone();

    let output = env
        .regcred()
        .args(["sync", "--from-secret", &from, "--name", "copy", "--attach"])
        .args(["--namespace-selector", &label])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}\n{stdout}");
    assert!(stdout.contains("source namespace"), "{stdout}");
    assert!(!stdout.contains("source-pw") && !stderr.contains("source-pw"));
    for name in &names {
        let copy = env.get_in(name, "secret", "copy").unwrap();
        assert_eq!(
            registries(&copy)["ghcr.io"]["password"],
            "source-pw",
            "{name}"
        );
        assert_eq!(env.pull_secrets_of(name, "default"), ["copy"], "{name}");
    }
    let kept = env.get_in(&names[0], "secret", "copy").unwrap();
    assert_eq!(registries(&kept)["quay.io"]["password"], "keep-me");
    assert!(
        env.get_json("secret", "copy").is_none(),
        "nothing in the source namespace"
    );
    assert_eq!(
        env.get_json("secret", "src").unwrap()["metadata"]["resourceVersion"],
        source_version
    );

    let again = env
        .regcred()
        .args(["sync", "--from-secret", &from, "--name", "copy", "--attach"])
        .args(["--namespace-selector", &label, "-o", "json"])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&again);
    assert!(again.status.success(), "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["summary"]["unchanged"], 3, "{}", report["summary"]);
}

/// Kills the watcher if the test fails before it is stopped.
struct Watcher {
    child: Child,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads a pipe into a shared string until it closes (the thread ends with the process).
fn collect(mut pipe: impl Read + Send + 'static) -> (Arc<Mutex<String>>, JoinHandle<()>) {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&text);
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = pipe.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    (text, reader)
}

#[test]
fn sync_watch_supplies_new_namespaces_follows_the_source_and_stops_on_sigterm() {
    let env = TestEnv::new("sync-watch");
    let from = source(&env);
    let team = TestEnv::unique("sync-watch-team");
    let label = format!("sync-team={team}");
    let first = format!("{team}-first");
    env.create_namespace(&first, &[&label]);

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kubectl-regcred"))
        .args([
            "sync",
            "--from-secret",
            &from,
            "--name",
            "copy",
            "--attach",
            "--watch",
        ])
        .args(["--namespace-selector", &label])
        .env("HOME", env.home.path())
        .env("DOCKER_CONFIG", env.home.path().join(".docker"))
        .env("KUBECONFIG", env.kubeconfig)
        .env_remove("KUBERNETES_SERVICE_HOST")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (stdout, stdout_reader) = collect(child.stdout.take().unwrap());
    let (stderr, stderr_reader) = collect(child.stderr.take().unwrap());
    let mut watcher = Watcher {
        child,
        stdout,
        stderr,
    };
    let logs = |w: &Watcher| {
        format!(
            "stdout:\n{}\nstderr:\n{}",
            w.stdout.lock().unwrap(),
            w.stderr.lock().unwrap()
        )
    };
    // The first pass.
    assert!(
        eventually(Duration::from_secs(30), || has_copy(
            &env, &first, "ghcr.io"
        ) && lists_copy(&env, &first)),
        "{}",
        logs(&watcher)
    );

    let late = format!("{team}-late");
    env.create_namespace(&late, &[&label]);
    assert!(
        eventually(Duration::from_secs(5), || has_copy(&env, &late, "ghcr.io")
            && lists_copy(&env, &late)),
        "{}",
        logs(&watcher)
    );
    assert!(
        eventually(Duration::from_secs(5), || watcher
            .stdout
            .lock()
            .unwrap()
            .contains(&format!(
                "namespace {late}: secret/copy created; attached to serviceaccount/default"
            ))),
        "{}",
        logs(&watcher)
    );

    // A registry added to the source reaches every copy.
    let output = env
        .regcred()
        .args([
            "create",
            "src",
            "-n",
            &env.namespace,
            "--server",
            "quay.io",
            "-u",
            "q",
        ])
        .arg("--password-stdin")
        .write_stdin("quay-pw")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", texts(&output).1);
    assert!(
        eventually(Duration::from_secs(5), || has_copy(&env, &first, "quay.io")
            && has_copy(&env, &late, "quay.io")),
        "{}",
        logs(&watcher)
    );
    assert!(
        env.get_json("secret", "copy").is_none(),
        "nothing in the source namespace"
    );

    std::process::Command::new("kill")
        .args(["-TERM", &watcher.child.id().to_string()])
        .status()
        .unwrap();
    let mut status = None;
    assert!(
        eventually(Duration::from_secs(5), || {
            status = watcher.child.try_wait().unwrap();
            status.is_some()
        }),
        "still running after SIGTERM\n{}",
        logs(&watcher)
    );
    assert_eq!(status.and_then(|s| s.code()), Some(0), "{}", logs(&watcher));
    stdout_reader.join().unwrap();
    stderr_reader.join().unwrap();
    let all = logs(&watcher);
    assert!(
        !all.contains("source-pw") && !all.contains("quay-pw"),
        "{all}"
    );
}
