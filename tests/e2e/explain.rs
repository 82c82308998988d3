//! `explain`: the credentials the kubelet tries for each image, in its order, held to what the
//! real node (kubelet 1.20 + containerd) does and to what the registry's access log shows.

use std::process::Command as StdCommand;
use std::time::Duration;

use serde_json::{Value, json};

use crate::node::{is_running, node, pod_manifest};
use crate::pulls::trust_the_tls_registry_under_its_trusted_name;
use crate::registries::registries;
use crate::support::{TestEnv, eventually, texts};

/// A pull secret with one entry per `(key, user, password)`, applied through stdin (no
/// password on a command line).
fn apply_pull_secret(env: &TestEnv, name: &str, entries: &[(&str, &str, &str)]) {
    let auths: serde_json::Map<String, Value> = entries
        .iter()
        .map(|(key, user, password)| {
            (
                key.to_string(),
                json!({"username": user, "password": password}),
            )
        })
        .collect();
    let secret = json!({
        "apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": name, "namespace": env.namespace},
        "type": "kubernetes.io/dockerconfigjson",
        "stringData": {".dockerconfigjson": json!({"auths": auths}).to_string()},
    });
    env.apply(&secret.to_string());
}

/// Pushes the registries' test image as `REPO:1.0` to `registry` (`127.0.0.1:PORT` of the
/// plain-HTTP or the TLS registry), so that the access log's lines for it are this test's.
fn push_as(registry: &str, repo: &str, tls: bool) {
    let r = registries();
    let mut command = StdCommand::new("skopeo");
    command.args(["--insecure-policy", "copy", "--quiet", "--dest-authfile"]);
    command.arg(r.dir.join("authfile.json"));
    match tls {
        true => command
            .arg("--dest-cert-dir")
            .arg(r.dir.join("pki/certs.d")),
        false => command.arg("--dest-tls-verify=false"),
    };
    let output = command
        .arg(format!("oci:{}:app", r.dir.join("image").display()))
        .arg(format!("docker://{registry}/{repo}:1.0"))
        .output()
        .expect("run skopeo");
    assert!(output.status.success(), "skopeo: {}", texts(&output).1);
}

/// Runs `explain ARGS -o json` and returns its report (and whether it exited 0).
fn explain_json(env: &TestEnv, args: &[&str], with_hosts: bool) -> (Value, bool) {
    let mut command = match with_hosts {
        true => env.regcred_with_hosts(),
        false => env.regcred(),
    };
    let output = command
        .arg("explain")
        .args(args)
        .args(["-n", &env.namespace, "-o", "json"])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    let report = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("explain printed no JSON ({e}): {stdout}\n{stderr}"));
    (report, output.status.success())
}

/// `(order, secret, key, user)` of each credential of the report's first object's image `i`.
fn tried(report: &Value, i: usize) -> Vec<(u64, String, String, String)> {
    let image = &report["objects"][0]["images"][i];
    image["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["order"].as_u64().unwrap(),
                c["secret"].as_str().unwrap().to_string(),
                c["key"].as_str().unwrap().to_string(),
                c["user"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The access log lines of `log` (`registry-http`, `registry-tls`) that containerd made for the
/// manifest of `repo`: only this test pulls `repo`, and only the node's runtime says
/// `containerd` as its user agent.
fn containerd_manifest_lines(log: &str, repo: &str) -> Vec<String> {
    let path = registries().dir.join("logs").join(format!("{log}.log"));
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let uri = format!("/v2/{repo}/manifests/1.0");
    text.lines()
        .filter(|l| l.contains(&uri) && l.contains("containerd"))
        .map(str::to_string)
        .collect()
}

/// The token service's access log from byte `from` on, as lines.
fn token_access_since(from: usize) -> Vec<String> {
    let path = registries().dir.join("logs/token-access.log");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.get(from..)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

fn token_access_len() -> usize {
    let path = registries().dir.join("logs/token-access.log");
    std::fs::metadata(path).map_or(0, |m| m.len() as usize)
}

#[test]
fn explain_lists_the_kubelets_order_and_the_node_pulls_with_the_first_that_works() {
    let r = registries();
    let env = node().env("explain-kubelet-order");
    // The registry behind the token service: its access log names the user of every token
    // asked for, and this test's repository is asked for by this test alone.
    let repo = format!("{}/app", env.namespace);
    push_as(&r.token, &repo, false);
    let image = format!("{}/{repo}:1.0", r.token);
    let path_key = format!("{}/{}", r.token, env.namespace);
    let other_key = format!("{}/elsewhere", r.token);
    // The path-prefix key (tried first) holds the second user with a WRONG password; the
    // host-only key the first user with the right one; the other path is never tried.
    apply_pull_secret(&env, "host-only", &[(&r.token, &r.user, &r.password)]);
    apply_pull_secret(
        &env,
        "path-prefix",
        &[(&path_key, &r.user2, "not-the-password")],
    );
    apply_pull_secret(&env, "other-path", &[(&other_key, &r.user2, &r.password2)]);
    let secrets = ["other-path", "host-only", "path-prefix"];
    let before_pull = token_access_len();
    env.apply(&pod_manifest(&env.namespace, "app", &image, &secrets));

    // The real kubelet pulls: the pod starts. The token service saw, for this repository,
    // the second user refused, then the first user granted: the path-prefix key first, then
    // the host-only key.
    env.wait_for_pod("app", Duration::from_secs(90), "ran", is_running);
    let scope = format!("scope=repository:{repo}:pull");
    let node_asked: Vec<String> = token_access_since(before_pull)
        .into_iter()
        .filter(|l| l.contains(&scope))
        .collect();
    let refused = format!("user={} result=denied", r.user2);
    let granted = format!("user={} result=granted", r.user);
    let first_refused = node_asked.iter().position(|l| l.starts_with(&refused));
    let first_granted = node_asked.iter().position(|l| l.starts_with(&granted));
    assert!(
        matches!((first_refused, first_granted), (Some(a), Some(b)) if a < b),
        "the node did not try {} (refused) before {} (granted): {node_asked:#?}",
        r.user2,
        r.user
    );
    let other_granted = format!("user={} result=granted", r.user2);
    assert!(
        !node_asked.iter().any(|l| l.starts_with(&other_granted)),
        "{node_asked:#?}"
    );

    // explain lists that order, and --verify names the same user as the first that works.
    let (report, ok) = explain_json(&env, &["pod/app", "--verify"], false);
    assert!(ok, "{report}");
    assert_eq!(
        tried(&report, 0),
        [
            (1, "path-prefix".into(), path_key.clone(), r.user2.clone()),
            (2, "host-only".into(), r.token.clone(), r.user.clone()),
        ],
        "{report}"
    );
    let image_report = &report["objects"][0]["images"][0];
    let path_prefix = format!("/{}", env.namespace);
    assert_eq!(
        image_report["credentials"][0]["match"]["path_prefix"],
        path_prefix
    );
    assert_eq!(image_report["credentials"][1]["match"]["host"], "exact");
    let not_matching = image_report["not_matching"].as_array().unwrap();
    assert_eq!(not_matching.len(), 1, "{report}");
    assert_eq!(not_matching[0]["secret"], "other-path");
    assert_eq!(not_matching[0]["mismatch"]["why"], "path");
    assert_eq!(image_report["anonymous"], false);
    assert_eq!(
        image_report["credentials"][0]["verify"]["outcome"],
        "denied"
    );
    assert_eq!(image_report["credentials"][1]["verify"]["outcome"], "ok");
    assert_eq!(image_report["verified"]["first_working"], 2);
    let named = image_report["credentials"][1]["user"].as_str().unwrap();
    assert_eq!(
        named, r.user,
        "explain --verify names the user the node was granted as"
    );
    assert!(
        !report.to_string().contains(&r.password),
        "a password in the report"
    );
}

#[test]
fn a_glob_key_matches_as_the_kubelet_matches_it_and_the_node_pulls_with_it() {
    let r = registries();
    trust_the_tls_registry_under_its_trusted_name();
    let env = node().env("explain-glob-key");
    let repo = format!("{}/app", env.namespace);
    push_as(&r.tls, &repo, true);
    let image = format!("{}/{repo}:1.0", r.trusted());
    let glob_key = format!("*.regcred.test:{}", r.tls_port());
    apply_pull_secret(&env, "glob", &[(&glob_key, &r.user2, &r.password2)]);
    env.apply(&pod_manifest(&env.namespace, "app", &image, &["glob"]));

    let args = ["pod/app", "--verify", "--ca-file", r.ca.to_str().unwrap()];
    let (report, ok) = explain_json(&env, &args, true);
    assert!(ok, "{report}");
    let credential = &report["objects"][0]["images"][0]["credentials"][0];
    assert_eq!(credential["key"], glob_key.as_str(), "{report}");
    assert_eq!(credential["match"]["host"], "glob");
    assert_eq!(
        credential["reason"].as_str().unwrap(),
        format!("host matches by glob, port {}, any path", r.tls_port())
    );
    assert_eq!(credential["verify"]["outcome"], "ok");

    env.wait_for_pod("app", Duration::from_secs(90), "ran", is_running);
    // The registry (htpasswd) served the manifest to containerd with credentials, and refused
    // none it was sent: the glob entry, the only one the pod has, is what the node sent.
    let mut lines = Vec::new();
    let served = eventually(Duration::from_secs(10), || {
        lines = containerd_manifest_lines("registry-tls", &repo);
        lines.iter().any(|l| l.contains("http.response.status=200"))
    });
    assert!(served, "containerd was not served {repo}: {lines:#?}");
    assert!(
        lines.iter().any(|l| l.contains("authorized request")),
        "{lines:#?}"
    );
    assert!(
        !lines
            .iter()
            .any(|l| l.contains("error authenticating user")),
        "{lines:#?}"
    );
}

#[test]
fn explain_reads_a_manifest_not_applied_with_the_accounts_pull_secrets() {
    let r = registries();
    let env = TestEnv::new("explain-manifest");
    apply_pull_secret(&env, "regcred", &[(&r.http, &r.user, &r.password)]);
    env.kubectl_ok(&["create", "serviceaccount", "builder", "-n", &env.namespace]);
    env.kubectl_ok(&[
        "patch",
        "serviceaccount",
        "builder",
        "-n",
        &env.namespace,
        "-p",
        r#"{"imagePullSecrets":[{"name":"regcred"},{"name":"gone"}]}"#,
    ]);
    let image = format!("{}/{}", r.http, r.image);
    let manifest = format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec:\n      serviceAccountName: builder\n      initContainers: [{{name: init, image: \"{image}\"}}]\n      containers: [{{name: app, image: \"{image}\", imagePullPolicy: IfNotPresent}}]\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: unrelated}}\n"
    );
    let file = env.write_file("deploy.yaml", &manifest);
    let (report, ok) = explain_json(&env, &["-f", file.to_str().unwrap()], false);
    assert!(ok, "{report}");
    let object = &report["objects"][0];
    assert_eq!(object["object"], "deployment/web");
    assert_eq!(object["namespace"], env.namespace.as_str());
    assert_eq!(object["pull_secrets"]["from"], "service_account");
    assert_eq!(object["pull_secrets"]["service_account"], "builder");
    assert_eq!(object["pull_secrets"]["names"], json!(["regcred", "gone"]));
    assert_eq!(object["secrets"][1]["status"], "missing");
    let kinds: Vec<&str> = object["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["init", "regular"]);
    assert_eq!(
        tried(&report, 1),
        [(1, "regcred".into(), r.http.clone(), r.user.clone())]
    );
    assert_eq!(object["images"][1]["pull_policy"]["policy"], "IfNotPresent");
    assert_eq!(object["images"][1]["pull_policy"]["defaulted"], false);
    // The deployment was never applied.
    assert!(env.get_json("deployment", "web").is_none());

    // The same manifest from stdin, as text.
    let output = env
        .regcred()
        .args(["explain", "-f", "-", "-n", &env.namespace])
        .write_stdin(manifest)
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("deployment/web in namespace"), "{stdout}");
    assert!(
        stdout.contains("added by admission from the service account"),
        "{stdout}"
    );
    assert!(stdout.contains("secret gone: missing"), "{stdout}");
    assert!(!stdout.contains(&r.password));
}

#[test]
fn explain_a_deployment_whose_template_lists_none_uses_its_service_accounts() {
    let r = registries();
    let env = TestEnv::new("explain-workload-sa");
    apply_pull_secret(&env, "regcred", &[(&r.http, &r.user, &r.password)]);
    env.kubectl_ok(&[
        "patch",
        "serviceaccount",
        "default",
        "-n",
        &env.namespace,
        "-p",
        r#"{"imagePullSecrets":[{"name":"regcred"}]}"#,
    ]);
    let image = format!("{}/{}", r.http, r.image);
    env.kubectl_ok(&[
        "create",
        "deployment",
        "web",
        "--image",
        &image,
        "-n",
        &env.namespace,
    ]);
    let (report, ok) = explain_json(&env, &["deployment/web"], false);
    assert!(ok, "{report}");
    assert_eq!(
        report["objects"][0]["pull_secrets"]["from"],
        "service_account"
    );
    assert_eq!(
        tried(&report, 0),
        [(1, "regcred".into(), r.http.clone(), r.user.clone())]
    );
}

#[test]
fn an_anonymous_docker_hub_image_is_flagged() {
    let env = TestEnv::new("explain-docker-hub");
    // No pod is made (replicas 0): nothing is pulled, no network is needed.
    env.kubectl_ok(&[
        "create",
        "deployment",
        "hub",
        "--image",
        "docker.io/library/busybox",
        "--replicas",
        "0",
        "-n",
        &env.namespace,
    ]);
    let (report, ok) = explain_json(&env, &["deployment/hub"], false);
    assert!(ok, "{report}");
    let image = &report["objects"][0]["images"][0];
    assert_eq!(image["anonymous"], true, "{report}");
    assert_eq!(image["docker_hub_rate_limited"], true);
    assert_eq!(image["credentials"], json!([]));
    let output = env
        .regcred()
        .args(["explain", "deploy/hub", "-n", &env.namespace])
        .output()
        .unwrap();
    let (stdout, _) = texts(&output);
    assert!(
        stdout.contains("warning: anonymous pull from Docker Hub, which is rate-limited (Docker Hub allows 10 anonymous pulls an hour"),
        "{stdout}"
    );
    assert!(stdout.contains("the kubelet pulls anonymously"), "{stdout}");
}

#[test]
fn bad_kinds_and_missing_objects_are_clear_errors() {
    let env = TestEnv::new("explain-errors");
    let output = env
        .regcred()
        .args(["explain", "nosuch/x", "-n", &env.namespace])
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("unknown kind \"nosuch\""), "{stderr}");

    let output = env
        .regcred()
        .args(["explain", "pod/missing", "-n", &env.namespace])
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("pod/missing not found in namespace"),
        "{stderr}"
    );
}

/// `explain cronjob/NAME` reads the CronJob as the cluster serves it (batch/v1beta1 on this
/// 1.20 API server, batch/v1 from 1.21) and explains its job's pod template.
#[test]
fn explain_reads_a_cronjob_in_the_version_the_cluster_serves() {
    let r = registries();
    let env = TestEnv::new("explain-cronjob");
    apply_pull_secret(&env, "regcred", &[(&r.http, &r.user, &r.password)]);
    let image = format!("{}/{}", r.http, r.image);
    let served = env.kubectl_ok(&["get", "--raw", "/apis/batch/v1"]);
    let version = match served.contains("\"cronjobs\"") {
        true => "batch/v1",
        false => "batch/v1beta1",
    };
    let cron = json!({
        "apiVersion": version, "kind": "CronJob",
        "metadata": {"name": "nightly", "namespace": env.namespace},
        "spec": {"schedule": "0 3 * * *", "suspend": true, "jobTemplate": {"spec": {"template": {"spec": {
            "restartPolicy": "Never",
            "imagePullSecrets": [{"name": "regcred"}],
            "containers": [{"name": "job", "image": image}],
        }}}}},
    });
    env.apply(&cron.to_string());
    let (report, ok) = explain_json(&env, &["cronjob/nightly"], false);
    assert!(ok, "{report}");
    assert_eq!(
        report["objects"][0]["object"], "cronjob/nightly",
        "{report}"
    );
    assert_eq!(
        tried(&report, 0),
        [(1, "regcred".into(), r.http.clone(), r.user.clone())]
    );
}

/// A manifest's own namespace and a different `-n` contradict each other: a usage error, as in
/// kubectl, before anything is asked of the cluster.
#[test]
fn a_manifest_namespace_that_contradicts_dash_n_is_a_usage_error() {
    let env = TestEnv::without_namespace();
    let manifest = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: team-a}\nspec:\n  containers: [{name: c, image: busybox}]\n";
    let file = env.write_file("pod.yaml", manifest);
    let output = env
        .regcred()
        .args(["explain", "-f", file.to_str().unwrap(), "-n", "team-b"])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(2), "{stdout}{stderr}");
    assert!(
        stderr.contains("\"team-a\", does not match the namespace \"team-b\": pass -n team-a"),
        "{stderr}"
    );
}
