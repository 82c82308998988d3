//! Issue 16, first contact: diagnose, selections and bad input, as a new user meets them.
//!
//! Pods here never leave Pending: a nodeSelector no node matches keeps them unscheduled, so the
//! scheduler (not the test) writes their status. Workload controllers and the ServiceAccount
//! admission plugin of the node's control plane (`node.rs`) refuse pods as a cluster would.

use std::path::Path;
use std::process::{Command as StdCommand, Output, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use crate::diagnose::{create_secret, finding_ids};
use crate::node::node;
use crate::registries::registries;
use crate::support::{TestEnv, eventually, texts};

/// How long the scheduler and the workload controllers may take to report.
pub(crate) const CONTROLLER_TIMEOUT: Duration = Duration::from_secs(60);

/// Runs the plugin with `args`: its exit code, stdout and stderr.
fn run(env: &TestEnv, args: &[&str]) -> (i32, String, String) {
    let output: Output = env.regcred().args(args).output().unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (output.status.code().unwrap_or(-1), stdout, stderr)
}

#[test]
fn issue_16_diagnose_of_a_pod_that_does_not_exist_is_an_error() {
    let env = TestEnv::new("fc-no-such-pod");
    let ns = &env.namespace;
    let (code, stdout, stderr) = run(&env, &["diagnose", "nosuchpod", "-n", ns]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert_eq!(
        stderr,
        format!("error: pod \"nosuchpod\" not found in namespace {ns}\n")
    );
    assert_eq!(stdout, "", "no all-clear for a pod that is not there");
}

/// Starts pod `name`, which no node will ever take, pulling `image` with `secrets`. Waits
/// first for the namespace's default service account, without which pods are refused.
pub(crate) fn start_unschedulable_pod(env: &TestEnv, name: &str, image: &str, secrets: &[&str]) {
    assert!(
        eventually(CONTROLLER_TIMEOUT, || env
            .get_in(&env.namespace, "serviceaccount", "default")
            .is_some()),
        "no default service account in {}",
        env.namespace
    );
    let secrets: Vec<Value> = secrets.iter().map(|s| json!({"name": s})).collect();
    let pod = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": env.namespace},
        "spec": {
            "nodeSelector": {"regcred.test/no-such-node": "true"},
            "imagePullSecrets": secrets,
            "automountServiceAccountToken": false,
            "containers": [{"name": "app", "image": image}],
        },
    });
    env.apply(&pod.to_string());
}

/// The scheduler said it has no node for pod `name`.
pub(crate) fn is_unschedulable(pod: &Value) -> bool {
    pod["status"]["conditions"].as_array().is_some_and(|all| {
        all.iter()
            .any(|c| c["type"] == "PodScheduled" && c["reason"] == "Unschedulable")
    })
}

/// The prediction about pod (or workload) `name` in a `diagnose -o json` report.
pub(crate) fn predicted<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["predicted"]
        .as_array()
        .and_then(|all| {
            all.iter()
                .find(|p| p["pod"] == name || p["workload"] == name)
        })
        .unwrap_or(&Value::Null)
}

#[test]
fn issue_16_diagnose_foresees_pulls_that_will_go_without_credentials() {
    let r = registries();
    let env = node().env("fc-foresee-pulls");
    let ns = env.namespace.clone();
    let image = format!("{}/{}", r.http, r.image);
    // The namespace holds a pull secret for the registry, and a secret of another type.
    create_secret(&env, "reg", &r.http, &r.password, &[]);
    let opaque = ["secret", "generic", "opaque", "--from-literal=token=x"];
    env.kubectl_ok(&[&["create", "-n", &ns][..], &opaque].concat());
    start_unschedulable_pod(&env, "listed-missing", &image, &["ghcr-pull"]);
    start_unschedulable_pod(&env, "wrong-type", &image, &["opaque"]);
    start_unschedulable_pod(&env, "unattached", &image, &[]);
    start_unschedulable_pod(&env, "served", &image, &["reg"]);
    for pod in ["listed-missing", "wrong-type", "unattached", "served"] {
        env.wait_for_pod(pod, CONTROLLER_TIMEOUT, "unschedulable", is_unschedulable);
    }

    let (code, stdout, stderr) = run(&env, &["diagnose", "-n", &ns, "-o", "json"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stderr, "error: 3 predicted failures\n");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        report["failures"],
        json!([]),
        "nothing pulled yet: {report:#}"
    );
    assert_eq!(
        report["summary"]["pull_without_credentials"], 3,
        "{report:#}"
    );
    assert_eq!(predicted(&report, "served"), &Value::Null, "{report:#}");
    for pod in ["listed-missing", "wrong-type", "unattached"] {
        let p = predicted(&report, pod);
        assert_eq!(p["cause"], "pull_without_credentials", "{p:#}");
        assert_eq!(p["reason"], "Unschedulable", "{p:#}");
        assert_eq!(p["image"], image.as_str(), "{p:#}");
        assert!(!p["summary"].as_str().unwrap_or_default().is_empty());
    }
    let missing = predicted(&report, "listed-missing");
    assert_eq!(
        finding_ids(missing),
        [
            "secret_missing",
            "no_secret_for_registry",
            "secret_not_attached"
        ]
    );
    assert_eq!(
        missing["fix"],
        format!(
            "create the secret the pod already lists: kubectl regcred create ghcr-pull \
             --server {} --username USER --password-stdin -n {ns}",
            r.http
        )
    );
    let wrong = predicted(&report, "wrong-type");
    assert_eq!(finding_ids(wrong)[0], "secret_wrong_type", "{wrong:#}");
    assert_eq!(
        wrong["fix"],
        format!(
            "replace the secret the pod lists with a pull secret: kubectl delete secret opaque \
             -n {ns} && kubectl regcred create opaque --server {} --username USER \
             --password-stdin -n {ns}",
            r.http
        )
    );
    let unattached = predicted(&report, "unattached");
    assert_eq!(
        finding_ids(unattached),
        ["no_secret_for_registry", "secret_not_attached"]
    );
    let fix = unattached["fix"].as_str().unwrap_or_default();
    assert!(
        fix.starts_with(&format!(
            "kubectl regcred attach reg -n {ns} --service-account default; then recreate pod \
             unattached"
        )),
        "{fix}"
    );

    // For people: each prediction with its fix, and a count.
    let (code, stdout, _) = run(&env, &["diagnose", "-n", &ns]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains(&format!(
            "{ns}/listed-missing (container app): Unschedulable\n  image:     {image}\n  \
             predicted: pull_without_credentials - "
        )),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("\n3 predicted to fail: 3 pull_without_credentials\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("no container is failing"), "{stdout}");

    // `status` on the same namespace agrees: a listed secret that is missing is an error.
    let (code, stdout, _) = run(&env, &["status", "-n", &ns]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("secret_missing: pod \"listed-missing\""),
        "{stdout}"
    );
}

#[test]
fn issue_16_diagnose_foresees_pods_a_workload_cannot_create() {
    let r = registries();
    let env = node().env("fc-foresee-workload");
    let ns = env.namespace.clone();
    let deployment = json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": ns},
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "serviceAccountName": "builder",
                    "containers": [{"name": "app", "image": format!("{}/{}", r.http, r.image)}],
                },
            },
        },
    });
    env.apply(&deployment.to_string());
    // The ReplicaSet controller tries, and the ServiceAccount admission plugin refuses.
    let refused = eventually(CONTROLLER_TIMEOUT, || {
        let events = env.kubectl_ok(&[
            "get",
            "events",
            "-n",
            &ns,
            "--field-selector",
            "reason=FailedCreate",
            "-o",
            "json",
        ]);
        events.contains("serviceaccount \\\"builder\\\" not found")
            || events.contains("serviceaccount \"builder\" not found")
    });
    assert!(
        refused,
        "no FailedCreate event for the missing service account"
    );

    let (code, stdout, stderr) = run(&env, &["diagnose", "-n", &ns, "-o", "json"]);
    assert_eq!(code, 1, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let p = predicted(&report, "deployment/web");
    assert_eq!(p["cause"], "pods_not_created", "{report:#}");
    assert_eq!(p["reason"], "FailedCreate");
    assert_eq!(finding_ids(p), ["service_account_missing"]);
    assert_eq!(
        p["fix"],
        format!("create the service account: kubectl create serviceaccount builder -n {ns}")
    );
    assert_eq!(report["failures"], json!([]));

    // Once the account exists, the pods are made and nothing is foreseen any more.
    env.kubectl_ok(&["create", "serviceaccount", "builder", "-n", &ns]);
    let settled = eventually(CONTROLLER_TIMEOUT, || {
        let (_, stdout, _) = run(&env, &["diagnose", "-n", &ns, "-o", "json"]);
        serde_json::from_str::<Value>(&stdout)
            .is_ok_and(|r| predicted(&r, "deployment/web").is_null())
    });
    assert!(settled, "still foreseen after the account was created");
}

/// Runs `sync --watch` over `args` with stdout and stderr in files of the test's HOME, until
/// `done` holds for its stderr; then stops it with SIGTERM and returns its exit code, stdout
/// and stderr.
fn watch_until(env: &TestEnv, args: &[&str], done: impl Fn(&str) -> bool) -> (i32, String, String) {
    let dir = env.home.path();
    let (out, err) = (dir.join("watch.out"), dir.join("watch.err"));
    let file = |path: &Path| std::fs::File::create(path).unwrap();
    let mut child = StdCommand::new(env!("CARGO_BIN_EXE_kubectl-regcred"))
        .args(args)
        .env("HOME", dir)
        .env("DOCKER_CONFIG", dir.join(".docker"))
        .env("KUBECONFIG", env.kubeconfig)
        .env_remove("KUBERNETES_SERVICE_HOST")
        .stdin(Stdio::null())
        .stdout(file(&out))
        .stderr(file(&err))
        .spawn()
        .unwrap();
    let read = |path: &Path| std::fs::read_to_string(path).unwrap_or_default();
    let reached = eventually(Duration::from_secs(30), || done(&read(&err)));
    StdCommand::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let mut status = None;
    let ended = eventually(Duration::from_secs(10), || {
        status = child.try_wait().unwrap();
        status.is_some()
    });
    if !ended {
        let _ = child.kill();
        let _ = child.wait();
    }
    assert!(
        reached && ended,
        "stdout:\n{}\nstderr:\n{}",
        read(&out),
        read(&err)
    );
    let code = status.and_then(|s| s.code()).unwrap_or(-1);
    (code, read(&out), read(&err))
}

#[test]
fn issue_16_an_empty_selection_says_so_once_and_prints_no_table() {
    let env = TestEnv::new("fc-empty-selection");
    let selector = format!("fc-team={}", TestEnv::unique("nomatch"));
    let notice = format!("no namespace matches {selector}\n");
    let create = |extra: &[&str]| {
        let output = env
            .regcred()
            .args(["create", "regcred", "-u", "u", "--password-stdin"])
            .args(["--namespace-selector", &selector])
            .args(extra)
            .write_stdin("pw\n")
            .output()
            .unwrap();
        let (stdout, stderr) = texts(&output);
        (output.status.code(), stdout, stderr)
    };
    // As `kubectl get` with a selector that matches nothing: a line on stderr, exit 0.
    let (code, stdout, stderr) = create(&[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout, "", "no table, no summary");
    assert_eq!(stderr, notice);
    // Scripts get a valid, empty document.
    let (code, stdout, stderr) = create(&["-o", "json"]);
    assert_eq!(code, Some(0), "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["results"], json!([]));
    assert_eq!(stderr, "");

    // `sync`, once and for the first pass of --watch.
    create_secret(&env, "src", "ghcr.io", "pw", &[]);
    let from = format!("{}/src", env.namespace);
    let sync = [
        "sync",
        "--from-secret",
        &from,
        "--namespace-selector",
        &selector,
    ];
    let (code, stdout, stderr) = run(&env, &sync);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert_eq!(stderr, notice);
    let watch: Vec<&str> = sync.iter().copied().chain(["--watch"]).collect();
    let (code, stdout, stderr) = watch_until(&env, &watch, |err| err.contains(&notice));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "", "{stderr}");
    assert_eq!(stderr.matches(&notice).count(), 1, "{stderr}");
}

#[test]
fn issue_16_a_secret_named_in_one_named_namespace_that_is_not_there_is_an_error() {
    let env = TestEnv::new("fc-named-not-found");
    let ns = env.namespace.clone();
    let missing = format!("error: secret \"nosuch\" not found in namespace \"{ns}\"");
    let (code, stdout, stderr) = run(&env, &["label", "nosuch", "-n", &ns, "--cluster-wide"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stderr.starts_with(&missing), "{stderr}");
    assert_eq!(stdout, "");
    let (code, _, stderr) = run(&env, &["refresh", "nosuch", "-n", &ns]);
    assert_eq!(code, 1);
    assert!(stderr.starts_with(&missing), "{stderr}");
    let (code, _, stderr) = run(&env, &["delete", "nosuch", "-n", &ns]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        format!("error: cannot delete secret/nosuch in namespace \"{ns}\": not found\n")
    );
    // Over several namespaces, a namespace without the secret is a row that says so.
    let other = TestEnv::unique("fc-other");
    env.create_namespace(&other, &[]);
    let both = format!("{ns},{other}");
    let (code, stdout, stderr) = run(&env, &["label", "nosuch", "-n", &both, "a=b"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("2 namespaces: 2 skipped"), "{stdout}");
}

#[test]
fn status_and_diagnose_in_a_namespace_that_does_not_exist_say_so_instead_of_all_clear() {
    let env = TestEnv::new("fc-read-nope");
    let nope = TestEnv::unique("fc-read-nope");
    let expected =
        format!("error: namespace \"{nope}\" not found (`kubectl get namespaces` lists them)\n");
    let both = format!("{},{nope}", env.namespace);
    for args in [
        vec!["diagnose", "-n", &nope],
        vec!["status", "-n", &nope],
        vec!["diagnose", "-n", &both, "-o", "json"],
        vec!["status", "-n", &both, "-o", "json"],
    ] {
        let (code, stdout, stderr) = run(&env, &args);
        assert_eq!((code, stdout.as_str()), (1, ""), "{args:?}: {stderr}");
        assert_eq!(stderr, expected, "{args:?}");
    }
    // The namespace that is there still reads as before.
    let (code, stdout, stderr) = run(&env, &["diagnose", "-n", &env.namespace]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("no container is failing"), "{stdout}");
    let (code, _, stderr) = run(&env, &["status", "-n", &env.namespace]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn issue_16_attach_in_a_namespace_that_does_not_exist_says_so_as_create_does() {
    let env = TestEnv::without_namespace();
    let nope = TestEnv::unique("fc-nope");
    let expected = format!(
        "error: namespace \"{nope}\" not found: create it with `kubectl create namespace {nope}`\n"
    );
    let (code, stdout, stderr) = run(&env, &["attach", "regcred", "-n", &nope]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert_eq!(stderr, expected);
    let create = ["create", "regcred", "-u", "u", "--password-stdin"];
    let output = env
        .regcred()
        .args(create)
        .args(["-n", &nope])
        .write_stdin("pw\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(texts(&output).1, expected, "the same words as create");
}

#[test]
fn issue_16_counts_of_one_are_singular() {
    let env = TestEnv::new("fc-singular");
    let ns = env.namespace.clone();
    create_secret(&env, "regcred", "ghcr.io", "pw", &[]);
    let (code, stdout, stderr) = run(&env, &["status", "-n", &ns]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.ends_with("\n1 pull secret in 1 namespace: 0 errors, 0 warnings, 1 info\n"),
        "{stdout}"
    );
    // A pod that lists a secret that is not there: one finding, said in the singular.
    start_unschedulable_pod(&env, "web", "ghcr.io/acme/app:1", &["ghcr-pull"]);
    let (code, _, stderr) = run(&env, &["status", "-n", &ns]);
    assert_eq!(code, 1);
    assert_eq!(stderr, "error: 1 finding of severity error\n");
}
