//! `heal`, `create --attach --heal` and `attach --heal` on a real node: workloads stuck on a
//! private image (ImagePullBackOff/ErrImagePull, as the kubelet reports them) run again after
//! the secret is attached and they are restarted; what must not be touched keeps its pods.
//!
//! Every pod pulls with `imagePullPolicy: Always`, so a cached image never hides a pull, and
//! stops at once (`terminationGracePeriodSeconds: 0`). Nothing here writes a pod status.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::node::{is_failing_to_pull, is_running, node, pod_manifest};
use crate::registries::{Registries, registries};
use crate::support::{TestEnv, eventually, texts};

/// How long a stuck workload may take to run once healed (the acceptance bound).
const HEALED_WITHIN: Duration = Duration::from_secs(90);

/// How long the kubelet may take to report a failed pull.
const STUCK_WITHIN: Duration = Duration::from_secs(60);

/// The private image: busybox that sleeps, behind htpasswd on plain HTTP.
fn private_image(r: &Registries) -> String {
    format!("{}/{}", r.http, r.image)
}

/// The node's pause image, served anonymously: runs forever without any pull secret.
fn public_image() -> String {
    std::fs::read_to_string(node().dir.join("node/sandbox-image"))
        .expect("the node writes node/sandbox-image")
        .trim()
        .to_string()
}

/// A pod template that pulls `image` on every start.
fn template(app: &str, image: &str) -> Value {
    json!({
        "metadata": {"labels": {"app": app}},
        "spec": {
            "terminationGracePeriodSeconds": 0,
            "containers": [{"name": "app", "image": image, "imagePullPolicy": "Always"}],
        },
    })
}

fn deployment(namespace: &str, name: &str, image: &str) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": name}},
            "template": template(name, image),
        },
    })
}

fn stateful_set(namespace: &str, name: &str, image: &str) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "replicas": 1,
            "serviceName": name,
            "selector": {"matchLabels": {"app": name}},
            "template": template(name, image),
        },
    })
}

fn daemon_set(namespace: &str, name: &str, image: &str) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "selector": {"matchLabels": {"app": name}},
            "template": template(name, image),
        },
    })
}

fn job(namespace: &str, name: &str, image: &str) -> Value {
    let mut template = template(name, image);
    template["spec"]["restartPolicy"] = json!("Never");
    json!({
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"backoffLimit": 0, "template": template},
    })
}

fn apply_all(env: &TestEnv, objects: &[Value]) {
    env.apply(&json!({"apiVersion": "v1", "kind": "List", "items": objects}).to_string());
}

/// Waits until every pod whose name starts with one of `prefixes` has failed a pull, the
/// kubelet says so, and there is at least one such pod per prefix.
fn wait_until_stuck(env: &TestEnv, prefixes: &[&str]) {
    let stuck = eventually(STUCK_WITHIN, || {
        prefixes.iter().all(|prefix| {
            let pods = env.pods_named(prefix);
            !pods.is_empty() && pods.iter().all(is_failing_to_pull)
        })
    });
    let states: Vec<_> = prefixes.iter().map(|p| pod_states(env, p)).collect();
    assert!(stuck, "never all stuck on a pull: {states:?}");
}

/// Waits, from `since`, until exactly `count` pods named `prefix*` exist and all run.
fn wait_until_running(env: &TestEnv, prefix: &str, count: usize, since: Instant) {
    let left = HEALED_WITHIN.saturating_sub(since.elapsed());
    let running = eventually(left, || {
        let pods = env.pods_named(prefix);
        pods.len() == count && pods.iter().all(is_running)
    });
    assert!(
        running,
        "{prefix}* not running within {HEALED_WITHIN:?} of the heal: {:?}",
        pod_states(env, prefix)
    );
}

/// `name: phase/waiting reason` of the pods named `prefix*`, for failure messages.
fn pod_states(env: &TestEnv, prefix: &str) -> Vec<String> {
    env.pods_named(prefix)
        .iter()
        .map(|p| {
            format!(
                "{}: {} {}",
                p["metadata"]["name"].as_str().unwrap_or_default(),
                p["status"]["phase"].as_str().unwrap_or_default(),
                p["status"]["containerStatuses"][0]["state"]
            )
        })
        .collect()
}

/// The UIDs of the pods named `prefix*`, sorted.
fn uids(env: &TestEnv, prefix: &str) -> Vec<String> {
    let mut uids: Vec<String> = env
        .pods_named(prefix)
        .iter()
        .map(|p| {
            p["metadata"]["uid"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    uids.sort();
    uids
}

/// The pod template annotations of a workload (`deployment/web`), `null` when there are none.
fn template_annotations(env: &TestEnv, workload: &str) -> Value {
    let (kind, name) = workload.split_once('/').unwrap();
    env.get_json(kind, name).expect("the workload exists")["spec"]["template"]["metadata"]
        ["annotations"]
        .clone()
}

/// Runs the plugin with `args` (and `stdin`), returning its exit code and JSON report.
fn regcred_json(env: &TestEnv, args: &[&str], stdin: Option<String>) -> (i32, Value) {
    let mut cmd = env.regcred();
    cmd.args(args).args(["-o", "json"]);
    if let Some(stdin) = stdin {
        cmd.write_stdin(stdin);
    }
    let output = cmd.output().unwrap();
    let (stdout, stderr) = texts(&output);
    let report = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{args:?}: no JSON report ({e}): {stdout}\n{stderr}"));
    (output.status.code().unwrap_or(-1), report)
}

/// `create regcred -s HOST -u USER --password-stdin --attach [extra] -n NS -o json`.
fn create_attached(env: &TestEnv, r: &Registries, extra: &[&str]) -> (i32, Value) {
    let mut args = vec![
        "create",
        "regcred",
        "-s",
        &r.http,
        "-u",
        &r.user,
        "--password-stdin",
        "--attach",
        "-n",
        &env.namespace,
    ];
    args.extend_from_slice(extra);
    regcred_json(env, &args, Some(format!("{}\n", r.password)))
}

/// The heal rows of a report (`heal`'s own, or the `heal` part of `create`/`attach`), by
/// workload.
fn rows_by_workload(report: &Value) -> BTreeMap<String, Value> {
    let results = match report.get("heal") {
        Some(heal) => &heal["results"],
        None => &report["results"],
    };
    results
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|row| Some((row["workload"].as_str()?.to_string(), row.clone())))
        .collect()
}

fn status_of(rows: &BTreeMap<String, Value>, workload: &str) -> String {
    rows.get(workload)
        .unwrap_or_else(|| panic!("no row for {workload}: {rows:#?}"))["status"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn create_attach_heal_runs_a_stuck_deployment_statefulset_and_daemonset() {
    let r = registries();
    let env = node().env("heal-create-attach-heal");
    let (ns, image) = (env.namespace.clone(), private_image(r));
    apply_all(
        &env,
        &[
            deployment(&ns, "web", &image),
            stateful_set(&ns, "db", &image),
            daemon_set(&ns, "agent", &image),
        ],
    );
    wait_until_stuck(&env, &["web-", "db-", "agent-"]);

    let started = Instant::now();
    let (code, report) = create_attached(&env, r, &["--heal"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["results"][0]["status"], "created", "{report:#}");
    let rows = rows_by_workload(&report);
    for workload in ["deployment/web", "statefulset/db", "daemonset/agent"] {
        assert_eq!(status_of(&rows, workload), "restarted", "{report:#}");
        assert_eq!(rows[workload]["secrets"], json!(["regcred"]), "{report:#}");
    }
    assert_eq!(
        rows["statefulset/db"]["deletedPods"],
        json!(["db-0"]),
        "{report:#}"
    );
    for workload in ["deployment/web", "statefulset/db", "daemonset/agent"] {
        let annotations = template_annotations(&env, workload);
        assert!(
            annotations["kubectl.kubernetes.io/restartedAt"].is_string(),
            "{workload}: {annotations}"
        );
    }

    wait_until_running(&env, "web-", 1, started);
    wait_until_running(&env, "db-", 1, started);
    wait_until_running(&env, "agent-", 1, started);
    // The new pods got the secret from the service account.
    for prefix in ["web-", "db-", "agent-"] {
        let pod = &env.pods_named(prefix)[0];
        assert_eq!(
            pod["spec"]["imagePullSecrets"],
            json!([{"name": "regcred"}])
        );
    }
}

#[test]
fn a_bare_pod_is_reported_with_its_delete_command_and_never_deleted() {
    let r = registries();
    let env = node().env("heal-bare-pod");
    let ns = env.namespace.clone();
    env.apply(&pod_manifest(&ns, "debug", &private_image(r), &[]));
    wait_until_stuck(&env, &["debug"]);
    let before = uids(&env, "debug");

    // attach --heal, with the secret created first.
    let output = env
        .regcred()
        .args(["create", "regcred", "-s", &r.http, "-u", &r.user])
        .args(["--password-stdin", "-n", &ns])
        .write_stdin(format!("{}\n", r.password))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", texts(&output).1);
    let output = env
        .regcred()
        .args(["attach", "regcred", "--heal", "-n", &ns])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    let delete = format!("kubectl delete pod debug -n {ns}");
    assert!(
        stdout.contains(&format!(
            "heal: pod/debug skipped in namespace {ns}: 1 pod stuck on "
        )),
        "{stdout}"
    );
    assert!(stdout.contains(&format!("run: {delete}")), "{stdout}");

    // Not even --delete-pods deletes it: nothing would make it again.
    let (code, report) = regcred_json(&env, &["heal", "-n", &ns, "--delete-pods"], None);
    assert_eq!(code, 0, "{report:#}");
    let rows = rows_by_workload(&report);
    assert_eq!(status_of(&rows, "pod/debug"), "skipped", "{report:#}");
    assert_eq!(rows["pod/debug"]["commands"], json!([delete]), "{report:#}");
    assert!(rows["pod/debug"].get("deletedPods").is_none(), "{report:#}");

    assert_eq!(uids(&env, "debug"), before, "the bare pod was replaced");
    assert!(is_failing_to_pull(&env.pods_named("debug")[0]));
}

#[test]
fn job_pods_are_reported_and_deleted_only_with_delete_pods() {
    let r = registries();
    let env = node().env("heal-job-pods");
    let ns = env.namespace.clone();
    apply_all(&env, &[job(&ns, "backup", &private_image(r))]);
    wait_until_stuck(&env, &["backup-"]);
    let before = uids(&env, "backup-");

    let (code, report) = create_attached(&env, r, &["--heal"]);
    assert_eq!(code, 0, "{report:#}");
    let rows = rows_by_workload(&report);
    assert_eq!(status_of(&rows, "job/backup"), "skipped", "{report:#}");
    let pod = rows["job/backup"]["pods"][0]["name"].as_str().unwrap();
    assert_eq!(
        rows["job/backup"]["commands"],
        json!([format!("kubectl delete pod {pod} -n {ns}")])
    );
    assert_eq!(uids(&env, "backup-"), before);

    let started = Instant::now();
    let (code, report) = regcred_json(&env, &["heal", "-n", &ns, "--delete-pods"], None);
    assert_eq!(code, 0, "{report:#}");
    let rows = rows_by_workload(&report);
    assert_eq!(status_of(&rows, "job/backup"), "deleted", "{report:#}");
    assert_eq!(rows["job/backup"]["deletedPods"], json!([pod]));
    // The Job makes a new pod, which gets the secret and runs.
    wait_until_running(&env, "backup-", 1, started);
    assert_ne!(uids(&env, "backup-"), before);
}

#[test]
fn a_healthy_deployment_keeps_its_pods() {
    let r = registries();
    let env = node().env("heal-healthy-deployment");
    let ns = env.namespace.clone();
    apply_all(
        &env,
        &[
            deployment(&ns, "healthy", &public_image()),
            deployment(&ns, "web", &private_image(r)),
        ],
    );
    let started = Instant::now();
    wait_until_running(&env, "healthy-", 1, started);
    wait_until_stuck(&env, &["web-"]);
    let healthy = uids(&env, "healthy-");

    let started = Instant::now();
    let (code, report) = create_attached(&env, r, &["--heal"]);
    assert_eq!(code, 0, "{report:#}");
    let rows = rows_by_workload(&report);
    assert_eq!(
        status_of(&rows, "deployment/web"),
        "restarted",
        "{report:#}"
    );
    assert!(!rows.contains_key("deployment/healthy"), "{report:#}");
    wait_until_running(&env, "web-", 1, started);

    assert_eq!(uids(&env, "healthy-"), healthy);
    assert_eq!(
        template_annotations(&env, "deployment/healthy"),
        Value::Null
    );
}

#[test]
fn dry_runs_change_nothing() {
    let r = registries();
    let env = node().env("heal-dry-runs");
    let (ns, image) = (env.namespace.clone(), private_image(r));
    apply_all(
        &env,
        &[
            deployment(&ns, "web", &image),
            stateful_set(&ns, "db", &image),
        ],
    );
    wait_until_stuck(&env, &["web-", "db-"]);
    let (code, report) = create_attached(&env, r, &[]);
    assert_eq!(code, 0, "{report:#}");
    let before = (uids(&env, "web-"), uids(&env, "db-"));

    for strategy in ["client", "server"] {
        let dry_run = format!("--dry-run={strategy}");
        let (code, report) = regcred_json(&env, &["heal", "-n", &ns, &dry_run], None);
        assert_eq!(code, 0, "{report:#}");
        assert_eq!(report["dryRun"], strategy);
        let rows = rows_by_workload(&report);
        assert_eq!(
            status_of(&rows, "deployment/web"),
            "restarted",
            "{report:#}"
        );
        assert_eq!(
            status_of(&rows, "statefulset/db"),
            "restarted",
            "{report:#}"
        );
        assert_eq!(rows["statefulset/db"]["deletedPods"], json!(["db-0"]));
        for workload in ["deployment/web", "statefulset/db"] {
            assert_eq!(
                template_annotations(&env, workload),
                Value::Null,
                "{strategy}"
            );
        }
        assert_eq!(
            (uids(&env, "web-"), uids(&env, "db-")),
            before,
            "{strategy}"
        );
    }
    // The same for create --heal: the secret, the attachment and the restarts are reported,
    // none made.
    let fresh = node().env("heal-dry-runs-create");
    apply_all(&fresh, &[deployment(&fresh.namespace, "web", &image)]);
    wait_until_stuck(&fresh, &["web-"]);
    let before = uids(&fresh, "web-");
    for strategy in ["client", "server"] {
        let dry_run = format!("--dry-run={strategy}");
        let (code, report) = create_attached(&fresh, r, &["--heal", &dry_run]);
        assert_eq!(code, 0, "{report:#}");
        let rows = rows_by_workload(&report);
        assert_eq!(
            status_of(&rows, "deployment/web"),
            "restarted",
            "{report:#}"
        );
        assert_eq!(
            fresh.get_json("secret", "regcred"),
            None,
            "{strategy}: the secret was created"
        );
        assert!(
            fresh
                .pull_secrets_of(&fresh.namespace, "default")
                .is_empty()
        );
        assert_eq!(template_annotations(&fresh, "deployment/web"), Value::Null);
        assert_eq!(uids(&fresh, "web-"), before, "{strategy}");
    }
}

#[test]
fn a_forbidden_patch_fails_that_workload_only() {
    let r = registries();
    let env = node().env("heal-forbidden-patch");
    let (ns, image) = (env.namespace.clone(), private_image(r));
    apply_all(
        &env,
        &[
            deployment(&ns, "web", &image),
            stateful_set(&ns, "db", &image),
            daemon_set(&ns, "agent", &image),
        ],
    );
    wait_until_stuck(&env, &["web-", "db-", "agent-"]);
    let (code, report) = create_attached(&env, r, &[]);
    assert_eq!(code, 0, "{report:#}");
    // Everything heal needs, except patch on deployments, for the `nobody` context's user.
    env.apply(
        &json!({"apiVersion": "v1", "kind": "List", "items": [
            {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
             "metadata": {"name": "heal-but-deployments", "namespace": ns},
             "rules": [
                {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list", "delete"]},
                {"apiGroups": [""], "resources": ["serviceaccounts", "secrets"], "verbs": ["get"]},
                {"apiGroups": ["apps"], "resources": ["replicasets"], "verbs": ["get", "list"]},
                {"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["get"]},
                {"apiGroups": ["apps"], "resources": ["statefulsets", "daemonsets"],
                 "verbs": ["get", "patch"]},
             ]},
            {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
             "metadata": {"name": "heal-but-deployments", "namespace": ns},
             "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role",
                         "name": "heal-but-deployments"},
             "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User",
                           "name": "regcred-nobody"}]},
        ]})
        .to_string(),
    );
    let granted = eventually(Duration::from_secs(10), || {
        let output = env.kubectl(&[
            "auth",
            "can-i",
            "patch",
            "statefulsets",
            "-n",
            &ns,
            "--context",
            "nobody",
        ]);
        String::from_utf8_lossy(&output.stdout).trim() == "yes"
    });
    assert!(granted, "the Role never took effect");
    let web = uids(&env, "web-");

    let started = Instant::now();
    let (code, report) = regcred_json(&env, &["heal", "-n", &ns, "--context", "nobody"], None);
    assert_eq!(code, 1, "{report:#}");
    let rows = rows_by_workload(&report);
    assert_eq!(
        status_of(&rows, "deployment/web"),
        "forbidden",
        "{report:#}"
    );
    let reason = rows["deployment/web"]["reason"].as_str().unwrap();
    assert!(
        reason.contains(&format!(
            "not allowed to patch deployment/web in namespace \"{ns}\""
        )),
        "{reason}"
    );
    assert_eq!(
        status_of(&rows, "statefulset/db"),
        "restarted",
        "{report:#}"
    );
    assert_eq!(
        status_of(&rows, "daemonset/agent"),
        "restarted",
        "{report:#}"
    );
    assert_eq!(report["summary"], json!({"forbidden": 1, "restarted": 2}));

    wait_until_running(&env, "db-", 1, started);
    wait_until_running(&env, "agent-", 1, started);
    assert_eq!(uids(&env, "web-"), web);
    assert_eq!(template_annotations(&env, "deployment/web"), Value::Null);
}

#[test]
fn heal_again_changes_nothing() {
    let r = registries();
    let env = node().env("heal-again");
    let (ns, image) = (env.namespace.clone(), private_image(r));
    apply_all(
        &env,
        &[
            deployment(&ns, "web", &image),
            stateful_set(&ns, "db", &image),
        ],
    );
    wait_until_stuck(&env, &["web-", "db-"]);
    let (code, report) = create_attached(&env, r, &[]);
    assert_eq!(code, 0, "{report:#}");

    let started = Instant::now();
    let (code, report) = regcred_json(&env, &["heal", "-n", &ns], None);
    assert_eq!(code, 0, "{report:#}");
    let rows = rows_by_workload(&report);
    assert_eq!(
        status_of(&rows, "deployment/web"),
        "restarted",
        "{report:#}"
    );
    assert_eq!(
        status_of(&rows, "statefulset/db"),
        "restarted",
        "{report:#}"
    );
    let restarted = (
        template_annotations(&env, "deployment/web"),
        template_annotations(&env, "statefulset/db"),
    );

    // At once, while the rollout may still be replacing the pods: no second restart.
    let (code, report) = regcred_json(&env, &["heal", "-n", &ns], None);
    assert_eq!(code, 0, "{report:#}");
    assert!(
        report["summary"].get("restarted").is_none(),
        "restarted twice: {report:#}"
    );
    wait_until_running(&env, "web-", 1, started);
    wait_until_running(&env, "db-", 1, started);
    let running = (uids(&env, "web-"), uids(&env, "db-"));

    // Once they run: nothing to heal, nothing touched.
    let (code, report) = regcred_json(&env, &["heal", "-n", &ns], None);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["summary"], json!({"unchanged": 1}), "{report:#}");
    assert_eq!(
        report["results"][0]["reason"],
        "no pod is stuck on an image pull"
    );
    let (code, report) = create_attached(&env, r, &["--heal"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["results"][0]["status"], "unchanged", "{report:#}");
    assert_eq!(
        report["heal"]["summary"],
        json!({"unchanged": 1}),
        "{report:#}"
    );
    assert_eq!(
        (
            template_annotations(&env, "deployment/web"),
            template_annotations(&env, "statefulset/db"),
        ),
        restarted
    );
    assert_eq!((uids(&env, "web-"), uids(&env, "db-")), running);
}

#[test]
fn the_operator_cluster_role_of_deploy_rbac_yaml_is_enough_to_heal() {
    let r = registries();
    let env = node().env("heal-operator-role");
    let ns = env.namespace.clone();
    apply_all(&env, &[deployment(&ns, "web", &private_image(r))]);
    wait_until_stuck(&env, &["web-"]);
    let (code, report) = create_attached(&env, r, &[]);
    assert_eq!(code, 0, "{report:#}");

    // deploy/rbac.yaml's ClusterRole, under a name and for a user of this test alone; the
    // plugin acts as that user through kubeconfig impersonation (`as`) by the admin.
    let user = format!("regcred-heal-operator-{ns}");
    let text =
        std::fs::read_to_string(crate::support::repo_root().join("deploy/rbac.yaml")).unwrap();
    let documents: Vec<&str> = text.split("\n---\n").collect();
    let role = documents[2].replace("name: regcred-operator", &format!("name: {user}"));
    let binding = documents[3]
        .replace("name: regcred-operator", &format!("name: {user}"))
        .replace("name: jane", &format!("name: {user}"));
    env.apply(&format!("{role}\n---\n{binding}"));
    let path = env.kubeconfig_as(&user, "operator");
    let path = path.to_str().unwrap();
    let granted = eventually(Duration::from_secs(10), || {
        let output = env.kubectl(&[
            "auth",
            "can-i",
            "patch",
            "deployments",
            "-n",
            &ns,
            "--kubeconfig",
            path,
            "--context",
            "operator",
        ]);
        String::from_utf8_lossy(&output.stdout).trim() == "yes"
    });
    assert!(granted, "the ClusterRole never took effect");

    let (code, report) = regcred_json(
        &env,
        &[
            "heal",
            "-n",
            &ns,
            "--kubeconfig",
            path,
            "--context",
            "operator",
        ],
        None,
    );
    env.kubectl_ok(&["delete", "clusterrolebinding,clusterrole", &user]);
    assert_eq!(code, 0, "{report:#}");
    let rows = rows_by_workload(&report);
    assert_eq!(
        status_of(&rows, "deployment/web"),
        "restarted",
        "{report:#}"
    );
}

#[test]
fn many_namespaces_are_healed_from_cluster_wide_reads() {
    // Eight namespaces or more: the stuck pods, their owners, accounts and secrets are read
    // with one list per kind instead of per namespace.
    let r = registries();
    let env = node().env("heal-many-namespaces");
    let label = format!("heal-many={}", env.namespace);
    let names: Vec<String> = (0..8).map(|i| format!("{}-{i}", env.namespace)).collect();
    let image = private_image(r);
    for name in &names {
        env.create_namespace(name, &[&label]);
    }
    apply_all(
        &env,
        &names
            .iter()
            .map(|ns| deployment(ns, "web", &image))
            .collect::<Vec<_>>(),
    );
    let stuck = eventually(STUCK_WITHIN, || {
        names.iter().all(|ns| {
            let pods = pods_in(&env, ns);
            !pods.is_empty() && pods.iter().all(is_failing_to_pull)
        })
    });
    assert!(stuck, "not every namespace has a stuck pod");
    let selector = ["--namespace-selector", label.as_str()];
    let mut create = vec!["create", "regcred", "-s", &r.http, "-u", &r.user];
    create.extend(["--password-stdin", "--attach"]);
    create.extend(selector);
    let (code, report) = regcred_json(&env, &create, Some(format!("{}\n", r.password)));
    assert_eq!(code, 0, "{report:#}");

    let started = Instant::now();
    let mut heal = vec!["heal"];
    heal.extend(selector);
    let (code, report) = regcred_json(&env, &heal, None);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["summary"], json!({"restarted": 8}), "{report:#}");
    let running = eventually(HEALED_WITHIN.saturating_sub(started.elapsed()), || {
        names.iter().all(|ns| {
            let pods = pods_in(&env, ns);
            pods.len() == 1 && pods.iter().all(is_running)
        })
    });
    assert!(running, "not every namespace runs its pod again");
}

/// The pods of another namespace than the test's own.
fn pods_in(env: &TestEnv, namespace: &str) -> Vec<Value> {
    let listed = env.kubectl_ok(&["get", "pods", "-n", namespace, "-o", "json"]);
    let list: Value = serde_json::from_str(&listed).unwrap();
    list["items"].as_array().cloned().unwrap_or_default()
}
