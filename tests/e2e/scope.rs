//! `-A` means one set of namespaces in every command: every namespace but the system ones (and
//! those `--exclude` names), whether the command writes (`create`), audits (`status`) or reads
//! pods (`diagnose`). Before, `diagnose -A` took in kube-system and `status -A` took in
//! terminating namespaces, while `create -A` left both out.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::node::{is_failing_to_pull, node, pod_manifest};
use crate::registries::registries;
use crate::support::{TestEnv, texts};

/// In each namespace: a pull secret, and a pod that really fails to pull (no credentials).
fn populate(env: &TestEnv, namespace: &str) {
    let r = registries();
    let output = env
        .regcred()
        .args(["create", "regcred", "-s", "ghcr.io", "-u", "someone"])
        .args(["--password-stdin", "-n", namespace])
        .write_stdin("not-used\n")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", texts(&output).1);
    let image = format!("{}/{}", r.http, r.image);
    env.apply(&pod_manifest(namespace, "stuck", &image, &[]));
}

/// Labels the pod "stuck" of the test's namespace `KEY=<pid>` and waits until the node fails to
/// pull its image; returns the label, a selector for that pod alone.
fn labelled_once_stuck(env: &TestEnv, key: &str) -> String {
    let label = format!("{key}={}", std::process::id());
    env.kubectl_ok(&["label", "pod", "stuck", "-n", &env.namespace, &label]);
    let stuck = crate::support::eventually(Duration::from_secs(90), || {
        env.get_in(&env.namespace, "pod", "stuck")
            .is_some_and(|p| is_failing_to_pull(&p))
    });
    assert!(stuck, "the pod never failed to pull");
    label
}

/// The namespaces of `ours` that each command acts in, given extra flags.
fn sets(env: &TestEnv, ours: &BTreeSet<String>, extra: &[&str]) -> [BTreeSet<String>; 3] {
    let keep = |names: Vec<String>| -> BTreeSet<String> {
        names.into_iter().filter(|n| ours.contains(n)).collect()
    };
    let create = env
        .regcred()
        .args([
            "create",
            "regcred",
            "-s",
            "ghcr.io",
            "-u",
            "someone",
            "--password-stdin",
        ])
        .args(["-A", "--dry-run=client", "-o", "json"])
        .args(extra)
        .write_stdin("not-used\n")
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&create);
    assert!(create.status.success(), "{stderr}");
    let manifests: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let created = manifests["items"]
        .as_array()
        .map(|items| items.to_vec())
        .unwrap_or_else(|| vec![manifests.clone()])
        .iter()
        .map(|m| m["metadata"]["namespace"].as_str().unwrap().to_string())
        .collect();

    let status = env
        .regcred()
        .args(["status", "-A", "-o", "json"])
        .args(extra)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    let audited = report["namespaces"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| !n["secrets"].as_array().unwrap().is_empty())
        .map(|n| n["namespace"].as_str().unwrap().to_string())
        .collect();

    let diagnose = env
        .regcred()
        .args(["diagnose", "-A", "-o", "json"])
        .args(extra)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&diagnose.stdout).unwrap();
    let diagnosed = report["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["namespace"].as_str().unwrap().to_string())
        .collect();
    [keep(created), keep(audited), keep(diagnosed)]
}

#[test]
fn issue_14_all_namespaces_is_one_set_in_create_status_and_diagnose() {
    let env = node().env("scope");
    let id = std::process::id();
    let (a, b) = (format!("scope-a-{id}"), format!("scope-b-{id}"));
    env.create_namespace(&a, &[]);
    env.create_namespace(&b, &[]);
    // kube-system: a system namespace, which -A leaves out unless it is named.
    let system = "kube-system".to_string();
    for namespace in [&a, &b, &system] {
        populate(&env, namespace);
    }
    for namespace in [&a, &b, &system] {
        let stuck = crate::support::eventually(Duration::from_secs(90), || {
            env.get_in(namespace, "pod", "stuck")
                .is_some_and(|p| is_failing_to_pull(&p))
        });
        assert!(stuck, "the pod in {namespace} never failed to pull");
    }
    let ours: BTreeSet<String> = [a.clone(), b.clone(), system.clone()].into();

    let [created, audited, diagnosed] = sets(&env, &ours, &[]);
    let want: BTreeSet<String> = [a.clone(), b.clone()].into();
    assert_eq!(created, want, "create -A");
    assert_eq!(audited, want, "status -A");
    assert_eq!(diagnosed, want, "diagnose -A");

    let [created, audited, diagnosed] = sets(&env, &ours, &["--exclude", "scope-b-*"]);
    let want: BTreeSet<String> = [a.clone()].into();
    assert_eq!(created, want, "create -A --exclude");
    assert_eq!(audited, want, "status -A --exclude");
    assert_eq!(diagnosed, want, "diagnose -A --exclude");

    // Named with -n, a system namespace is in.
    let named = env
        .regcred()
        .args(["diagnose", "-n", "kube-system", "-o", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&named.stdout).unwrap();
    assert!(
        report["failures"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["namespace"] == "kube-system" && f["pod"] == "stuck"),
        "{report}"
    );
    env.kubectl_ok(&[
        "delete",
        "pod",
        "stuck",
        "-n",
        "kube-system",
        "--wait=false",
    ]);
    env.kubectl_ok(&["delete", "secret", "regcred", "-n", "kube-system"]);
}

/// A terminating namespace is out of `-A` for every command, writer or reader, although the
/// readers no longer list every namespace to find out.
#[test]
fn issue_14_all_namespaces_leaves_out_a_terminating_namespace() {
    let env = TestEnv::new("scope terminating");
    let live = env.namespace.clone();
    let dying = TestEnv::unique("scope-dying");
    env.create_namespace(&dying, &[]);
    for namespace in [&live, &dying] {
        let output = env
            .regcred()
            .args(["create", "regcred", "-s", "ghcr.io", "-u", "someone"])
            .args(["--password-stdin", "-n", namespace])
            .write_stdin("not-used\n")
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", texts(&output).1);
    }
    // The secret's finalizer holds the namespace in Terminating until the test lets it go.
    let hold = r#"{"metadata":{"finalizers":["regcred.test/hold"]}}"#;
    env.kubectl_ok(&["patch", "secret", "regcred", "-n", &dying, "-p", hold]);
    env.kubectl_ok(&["delete", "namespace", &dying, "--wait=false"]);
    let terminating = crate::support::eventually(Duration::from_secs(30), || {
        env.get_json("namespace", &dying)
            .is_some_and(|ns| ns["status"]["phase"] == "Terminating")
    });
    assert!(terminating, "{dying} never became Terminating");

    let ours: BTreeSet<String> = [live.clone(), dying.clone()].into();
    let [created, audited, _] = sets(&env, &ours, &[]);
    let want: BTreeSet<String> = [live.clone()].into();
    assert_eq!(created, want, "create -A");
    assert_eq!(audited, want, "status -A");
    // Named, it is read as kubectl reads it.
    let named = env
        .regcred()
        .args(["status", "-n", &dying, "-o", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&named.stdout).unwrap();
    let listed = report["namespaces"].as_array().unwrap();
    assert!(
        listed.iter().all(|n| n["namespace"] != dying.as_str()),
        "a terminating namespace named with -n is skipped too: {report}"
    );

    let release = r#"{"metadata":{"finalizers":null}}"#;
    env.kubectl_ok(&["patch", "secret", "regcred", "-n", &dying, "-p", release]);
}

/// `-A`'s one question to the cluster, which namespaces are terminating, is asked only when
/// the cluster-wide lists found something to keep or leave out: on a healthy cluster
/// `diagnose -A` is a single list.
#[test]
fn diagnose_all_namespaces_asks_for_the_terminating_ones_only_when_it_found_something() {
    let env = node().env("scope asks");
    let r = registries();
    let image = format!("{}/{}", r.http, r.image);
    env.apply(&pod_manifest(&env.namespace, "stuck", &image, &[]));
    let label = labelled_once_stuck(&env, "regcred.test/scope-asks");

    let diagnose = |selector: &str| -> (bool, serde_json::Value) {
        let output = env
            .regcred()
            .args(["diagnose", "-A", "-l", selector, "-o", "json", "-v=6"])
            .output()
            .unwrap();
        let (stdout, stderr) = texts(&output);
        let asked = stderr
            .lines()
            .any(|line| line.contains("/api/v1/namespaces?") && line.contains("requesting"));
        let report = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
        (asked, report)
    };
    let (asked, report) = diagnose("regcred.test/scope-asks=nothing-here");
    assert_eq!(report["failures"], serde_json::json!([]), "{report}");
    assert!(!asked, "nothing was found, yet the namespaces were listed");

    let (asked, report) = diagnose(&label);
    let namespaces: Vec<&str> = (report["failures"].as_array().unwrap().iter())
        .filter_map(|f| f["namespace"].as_str())
        .collect();
    assert_eq!(namespaces, [env.namespace.as_str()], "{report}");
    assert!(
        asked,
        "a failure was found, and -A must know the terminating namespaces"
    );
}

/// Someone who may read pods, secrets and workloads in every namespace but not list namespaces
/// still gets `status -A` and `diagnose -A`: the one thing they cannot be told, which
/// namespaces are terminating, is not worth failing the reading for.
#[test]
fn readers_all_namespaces_work_for_a_user_who_may_not_list_namespaces() {
    let env = node().env("scope no namespaces");
    populate(&env, &env.namespace);
    let label = labelled_once_stuck(&env, "regcred.test/scope-reader");

    let user = format!("regcred-scope-reader-{}", env.namespace);
    let read = "verbs: [get, list]";
    env.apply(&format!(
        "apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {{name: {user}}}
rules:
- {{apiGroups: [''], resources: [pods, secrets, serviceaccounts, events], {read}}}
- {{apiGroups: [apps], resources: [deployments, replicasets, statefulsets, daemonsets], {read}}}
- {{apiGroups: [batch], resources: [jobs, cronjobs], {read}}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {{name: {user}}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: {user}}}
subjects: [{{apiGroup: rbac.authorization.k8s.io, kind: User, name: {user}}}]
"
    ));
    let kubeconfig = env.kubeconfig_as(&user, "reader");
    let as_reader = |args: &[&str]| -> (serde_json::Value, String) {
        let output = env
            .regcred()
            .args(args)
            .args(["-o", "json", "--context", "reader", "--kubeconfig"])
            .arg(&kubeconfig)
            .output()
            .unwrap();
        let (stdout, stderr) = texts(&output);
        let report = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
        (report, stderr)
    };
    let granted = crate::support::eventually(Duration::from_secs(10), || {
        let (report, _) = as_reader(&["diagnose", "-n", &env.namespace]);
        report["failures"].as_array().is_some_and(|f| !f.is_empty())
    });
    let namespaces_forbidden = env.kubectl(&["auth", "can-i", "list", "namespaces", "--as", &user]);

    let (diagnosis, diagnose_err) = as_reader(&["diagnose", "-A", "-l", &label]);
    let (status, status_err) = as_reader(&["status", "-A"]);
    env.kubectl_ok(&["delete", "clusterrolebinding,clusterrole", &user]);
    assert!(granted, "the ClusterRole never took effect");
    assert_eq!(texts(&namespaces_forbidden).0.trim(), "no");

    let failing: Vec<&str> = (diagnosis["failures"].as_array().unwrap().iter())
        .filter_map(|f| f["namespace"].as_str())
        .collect();
    assert_eq!(failing, [env.namespace.as_str()], "{diagnose_err}");
    let secrets: Vec<&str> = (status["namespaces"].as_array().unwrap().iter())
        .filter(|n| n["namespace"] == env.namespace.as_str())
        .flat_map(|n| n["secrets"].as_array().unwrap())
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(secrets, ["regcred"], "{status_err}");
}
