//! Several clusters in one run: `--context a,b` and `--all-contexts` against two real control
//! planes, one of them behind a proxy so it can be slowed down and stopped mid-run.

use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

use crate::clusters::{ControlPlane, run_plugin};
use crate::proxy::Proxy;
use crate::support::{eventually, texts};

/// Two clusters, `a` and `b` (b behind a proxy), in one merged `KUBECONFIG` of two files.
struct TwoClusters {
    a: ControlPlane,
    b: ControlPlane,
    proxy_b: Proxy,
    home: tempfile::TempDir,
}

impl TwoClusters {
    fn start() -> TwoClusters {
        let mut planes = ControlPlane::start_many(2);
        let b = planes.pop().unwrap();
        let a = planes.pop().unwrap();
        let proxy_b = Proxy::start(b.api_addr());
        let home = tempfile::tempdir().unwrap();
        let server_a = format!("https://{}", a.api_addr());
        std::fs::write(
            home.path().join("a.yaml"),
            a.kubeconfig_named("a", &server_a),
        )
        .unwrap();
        std::fs::write(
            home.path().join("b.yaml"),
            b.kubeconfig_named("b", &proxy_b.url()),
        )
        .unwrap();
        TwoClusters {
            a,
            b,
            proxy_b,
            home,
        }
    }

    /// `a.yaml:b.yaml`: the current context is a, the first file's.
    fn kubeconfig_list(&self) -> String {
        format!(
            "{}:{}",
            self.home.path().join("a.yaml").display(),
            self.home.path().join("b.yaml").display()
        )
    }

    /// The plugin with `KUBECONFIG=a.yaml:b.yaml`.
    fn regcred(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubectl-regcred"));
        cmd.env("HOME", self.home.path())
            .env("KUBECONFIG", self.kubeconfig_list())
            .env_remove("KUBERNETES_SERVICE_HOST")
            .env_remove("NO_COLOR");
        cmd
    }

    fn both(&self) -> [(&str, &ControlPlane); 2] {
        [("a", &self.a), ("b", &self.b)]
    }
}

fn pull_secrets(plane: &ControlPlane, namespace: &str) -> Vec<String> {
    let out = plane.kubectl_ok(&[
        "get",
        "serviceaccount",
        "default",
        "-n",
        namespace,
        "-o",
        "jsonpath={.imagePullSecrets[*].name}",
    ]);
    out.split_whitespace().map(str::to_string).collect()
}

fn has_secret(plane: &ControlPlane, namespace: &str, name: &str) -> bool {
    plane
        .kubectl(&["get", "secret", name, "-n", namespace])
        .status
        .success()
}

fn wait_for_default_accounts(plane: &ControlPlane, namespaces: &[String]) {
    let ready = eventually(Duration::from_secs(60), || {
        let listed = plane.kubectl_ok(&[
            "get",
            "serviceaccounts",
            "-A",
            "--field-selector",
            "metadata.name=default",
            "-o",
            "jsonpath={.items[*].metadata.namespace}",
        ]);
        let have: Vec<&str> = listed.split_whitespace().collect();
        namespaces.iter().all(|ns| have.contains(&ns.as_str()))
    });
    assert!(
        ready,
        "the service-account controller made no default accounts"
    );
}

fn results(stdout: &str) -> Vec<Value> {
    let report: Value = serde_json::from_str(stdout).expect("a JSON report");
    report["results"].as_array().unwrap().clone()
}

#[test]
fn several_contexts_are_worked_on_side_by_side_and_one_stopping_does_not_stop_the_other() {
    let clusters = TwoClusters::start();
    let names: Vec<String> = (0..3).map(|i| format!("team-{i}")).collect();
    for (_, plane) in clusters.both() {
        plane.create_namespaces(&names);
        wait_for_default_accounts(plane, &names);
    }
    clusters.b.create_namespaces(&["only-in-b".to_string()]);

    // `create --attach --context a,b -A` reaches both clusters.
    let output = clusters
        .regcred()
        .args([
            "create",
            "regcred",
            "--server",
            "ghcr.io",
            "--username",
            "u",
        ])
        .args(["--password-stdin", "--attach", "--context", "a,b", "-A"])
        .args(["-o", "json"])
        .write_stdin("pw\n")
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}\n{stdout}");
    let rows = results(&stdout);
    for (context, plane) in clusters.both() {
        for namespace in names.iter().chain(["default".to_string()].iter()) {
            assert!(
                rows.iter().any(|r| r["context"] == context
                    && r["namespace"] == namespace.as_str()
                    && r["status"] == "created"),
                "no created row for {context}/{namespace}: {stdout}"
            );
            assert!(
                has_secret(plane, namespace, "regcred"),
                "{context}/{namespace}"
            );
            assert_eq!(pull_secrets(plane, namespace), ["regcred"]);
        }
    }
    assert!(
        rows.iter()
            .any(|r| r["context"] == "b" && r["namespace"] == "only-in-b")
    );
    assert!(!has_secret(&clusters.a, "kube-system", "regcred"));

    // The table names the context of every row; a re-run with --all-contexts changes nothing.
    let output = clusters
        .regcred()
        .args([
            "create",
            "regcred",
            "--server",
            "ghcr.io",
            "--username",
            "u",
        ])
        .args(["--password-stdin", "--attach", "--all-contexts", "-A"])
        .write_stdin("pw\n")
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.starts_with("CONTEXT"), "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("b ") && l.contains("only-in-b"))
    );
    assert!(
        stdout.contains("15 namespaces in 2 contexts: 6 skipped, 9 unchanged"),
        "{stdout}"
    );

    // label, status and diagnose span both too; every status fix names its context.
    let output = clusters
        .regcred()
        .args([
            "label",
            "regcred",
            "team=x",
            "--context",
            "b",
            "--context",
            "a",
        ])
        .args(["-n", "team-0", "-o", "json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", texts(&output).1);
    assert_eq!(results(&texts(&output).0).len(), 2);
    for (_, plane) in clusters.both() {
        let labels = plane.kubectl_ok(&[
            "get",
            "secret",
            "regcred",
            "-n",
            "team-0",
            "-o",
            "jsonpath={.metadata.labels.team}",
        ]);
        assert_eq!(labels, "x");
    }
    clusters.b.kubectl_ok(&[
        "patch",
        "serviceaccount",
        "default",
        "-n",
        "team-1",
        "--type",
        "merge",
        "-p",
        r#"{"imagePullSecrets":[{"name":"regcred"},{"name":"gone"}]}"#,
    ]);
    let output = clusters
        .regcred()
        .args(["status", "--context", "a,b", "-A", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "a dangling reference in b");
    let status: Value = serde_json::from_str(&texts(&output).0).unwrap();
    let contexts = status["contexts"].as_array().unwrap();
    assert_eq!(contexts[0]["context"], "a");
    assert_eq!(contexts[1]["context"], "b");
    let dangling: Vec<&Value> = contexts[1]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["secret"] == "gone")
        .collect();
    assert_eq!(dangling.len(), 1, "{status}");
    assert!(
        dangling[0]["fix"]
            .as_str()
            .unwrap()
            .contains("--context b -n team-1"),
        "{status}"
    );
    assert!(
        contexts[0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["secret"] != "gone")
    );
    let output = clusters
        .regcred()
        .args(["diagnose", "--all-contexts", "-A"])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("of contexts a, b"), "{stdout}");

    // detach, attach and delete span both as well.
    for command in ["detach", "attach", "delete"] {
        let output = clusters
            .regcred()
            .args([
                command,
                "regcred",
                "--context",
                "a,b",
                "-n",
                "team-2",
                "-o",
                "json",
            ])
            .output()
            .unwrap();
        let (stdout, stderr) = texts(&output);
        assert!(output.status.success(), "{command}: {stderr}");
        let rows = results(&stdout);
        assert_eq!(rows.len(), 2, "{command}: {stdout}");
        for (context, plane) in clusters.both() {
            assert!(rows.iter().any(|r| r["context"] == context), "{stdout}");
            let attached = pull_secrets(plane, "team-2") == ["regcred"];
            match command {
                "detach" => assert!(!attached, "{context}: still attached"),
                "attach" => assert!(attached, "{context}: not attached"),
                _ => {
                    assert!(!attached, "{context}: still attached after delete");
                    assert!(!has_secret(plane, "team-2", "regcred"), "{context}");
                }
            }
        }
    }

    // A typo in a context name is a usage error before anything is sent; so is a command
    // that works in one cluster only.
    let output = clusters
        .regcred()
        .args(["delete", "regcred", "--context", "a,staging", "-A"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        texts(&output).1.contains("\"staging\""),
        "{}",
        texts(&output).1
    );
    assert!(has_secret(&clusters.a, "team-0", "regcred"));
    let output = clusters
        .regcred()
        .args([
            "sync",
            "--from-secret",
            "team-0/regcred",
            "--context",
            "a,b",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        texts(&output).1.contains("one --context"),
        "{}",
        texts(&output).1
    );

    // Stopping b mid-run: a is completed, b's rows say what happened to each namespace.
    let late: Vec<String> = (0..40).map(|i| format!("late-{i:02}")).collect();
    for (_, plane) in clusters.both() {
        plane.create_namespaces(&late);
    }
    wait_for_default_accounts(&clusters.a, &late);
    wait_for_default_accounts(&clusters.b, &late);
    clusters.proxy_b.set_latency(Duration::from_millis(40));
    let kubeconfig = clusters.kubeconfig_list();
    let late_list = late.join(",");
    let run = std::thread::spawn(move || {
        run_plugin(
            &kubeconfig,
            &[
                "create",
                "late",
                "--server",
                "ghcr.io",
                "--username",
                "u",
                "--password-stdin",
                "--attach",
                "--context",
                "a,b",
                "-n",
                &late_list,
                "--concurrency",
                "2",
                "-o",
                "json",
            ],
        )
    });
    let started = eventually(Duration::from_secs(60), || {
        let listed = clusters.b.kubectl_ok(&[
            "get",
            "secrets",
            "-A",
            "--field-selector",
            "metadata.name=late",
            "-o",
            "name",
        ]);
        listed.lines().count() >= 5
    });
    assert!(started, "b never got going");
    clusters.b.kill_apiserver();
    let output = run.join().unwrap();
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}\n{stdout}");
    let rows = results(&stdout);
    for namespace in &late {
        let row_a = rows
            .iter()
            .find(|r| r["context"] == "a" && r["namespace"] == namespace.as_str())
            .unwrap_or_else(|| panic!("no row for a/{namespace}: {stdout}"));
        assert_eq!(row_a["status"], "created", "{row_a}");
        assert!(has_secret(&clusters.a, namespace, "late"));
        assert_eq!(pull_secrets(&clusters.a, namespace), ["late"]);
        let row_b = rows
            .iter()
            .find(|r| r["context"] == "b" && r["namespace"] == namespace.as_str())
            .unwrap_or_else(|| panic!("no row for b/{namespace}: {stdout}"));
        assert!(
            ["created", "failed"].contains(&row_b["status"].as_str().unwrap()),
            "{row_b}"
        );
    }
    let failed_b: Vec<&Value> = rows
        .iter()
        .filter(|r| r["context"] == "b" && r["status"] == "failed")
        .collect();
    assert!(!failed_b.is_empty(), "b was stopped mid-run: {stdout}");
    eprintln!(
        "b stopped mid-run: {} of {} namespaces failed, e.g. {}",
        failed_b.len(),
        late.len(),
        failed_b[0]["reason"]
    );
    for row in &failed_b {
        let reason = row["reason"].as_str().unwrap();
        assert!(reason.contains("context b"), "{reason}");
    }
    assert!(stderr.contains("failed"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
