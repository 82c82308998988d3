//! `diagnose`: pasted event texts explained without a cluster, and pods that really fail to
//! pull on the test node (`node.rs`) from the registries of `registries.rs`, explained from
//! what the kubelet reported. Nothing here writes a pod status or an event: the kubelet does.

use std::time::Duration;

use serde_json::{Value, json};

use crate::node::{is_running, node};
use crate::registries::registries;
use crate::support::{TestEnv, eventually, texts};

const PLAIN_HTTP: &str = r#"Failed to pull image "10.141.241.175:32000/mynginx:registry": rpc error: code = Unknown desc = failed to pull and unpack image "10.141.241.175:32000/mynginx:registry": failed to resolve reference "10.141.241.175:32000/mynginx:registry": failed to do request: Head "https://10.141.241.175:32000/v2/mynginx/manifests/registry": http: server gave HTTP response to HTTPS client"#;
const DOCKER_HUB_DENIED: &str = r#"Failed to pull image "acme/private:1.0": rpc error: code = Unknown desc = Error response from daemon: pull access denied for acme/private, repository does not exist or may require 'docker login': denied: requested access to the resource is denied"#;
const RATE_LIMITED: &str = r#"Failed to pull image "nginx:1.25": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/nginx:1.25": failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/library/nginx/manifests/sha256:abc: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit"#;

#[test]
fn a_pasted_message_is_explained_with_its_fix_and_no_cluster() {
    let env = TestEnv::without_namespace();
    let output = env
        .regcred()
        .args(["diagnose", "--message", PLAIN_HTTP, "-n", "team-a"])
        .env("KUBECONFIG", env.home.path().join("none"))
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.starts_with("cause:     http_to_https\n"), "{stdout}");
    assert!(
        stdout.contains("registry:  10.141.241.175:32000\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("/etc/containerd/certs.d/10.141.241.175:32000/hosts.toml"),
        "{stdout}"
    );
}

#[test]
fn messages_from_stdin_give_one_json_object_each() {
    let env = TestEnv::without_namespace();
    let output = env
        .regcred()
        .args(["diagnose", "--message", "-", "-o", "json", "-n", "team-a"])
        .write_stdin(format!(
            "{PLAIN_HTTP}\n\n{DOCKER_HUB_DENIED}\n{RATE_LIMITED}\n"
        ))
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    let explained: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let causes: Vec<&str> = explained
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["cause"].as_str().unwrap())
        .collect();
    assert_eq!(
        causes,
        ["http_to_https", "repo_denied_or_missing", "rate_limited"]
    );
    assert_eq!(explained[1]["image"], "acme/private:1.0");
    assert_eq!(
        explained[1]["fix"],
        "give the pods credentials that may read the repository (and check the image name): \
         kubectl regcred create regcred --username USER --password-stdin -n team-a --attach --heal"
    );
    for field in ["message", "summary", "evidence", "fix"] {
        assert!(explained[2][field].is_string(), "{field}: {}", explained[2]);
    }
}

#[test]
fn no_message_is_a_usage_error() {
    let env = TestEnv::without_namespace();
    let output = env
        .regcred()
        .args(["diagnose", "--message", "-"])
        .write_stdin("\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        texts(&output).1.contains("no message to explain"),
        "{}",
        texts(&output).1
    );
}

// --- pods that really fail on the node ---------------------------------------------------

/// How long the node may take to run a pod, or to report its failed pull.
const PULL_TIMEOUT: Duration = Duration::from_secs(90);

/// The waiting reasons of a container whose pull failed, as the kubelet reports them.
const PULL_REASONS: [&str; 2] = ["ErrImagePull", "ImagePullBackOff"];

/// The test image (busybox that sleeps) on the registry at `host`.
fn app_image(host: &str) -> String {
    format!("{host}/{}", registries().image)
}

/// A container that pulls `image` at every start.
pub(crate) fn container(name: &str, image: &str) -> Value {
    json!({"name": name, "image": image, "imagePullPolicy": "Always"})
}

/// Starts pod `name` on the node: `init` containers, then `containers`, pulled with the pull
/// secrets `secrets`. Waits first for the namespace's default service account, which the
/// admission of a pod needs.
pub(crate) fn start_pod(
    env: &TestEnv,
    name: &str,
    init: &[Value],
    containers: &[Value],
    secrets: &[&str],
) {
    let has_account = eventually(Duration::from_secs(30), || {
        env.get_in(&env.namespace, "serviceaccount", "default")
            .is_some()
    });
    assert!(
        has_account,
        "{} has no default service account",
        env.namespace
    );
    let secrets: Vec<Value> = secrets.iter().map(|s| json!({"name": s})).collect();
    let pod = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": env.namespace},
        "spec": {
            "imagePullSecrets": secrets,
            "automountServiceAccountToken": false,
            "terminationGracePeriodSeconds": 0,
            "initContainers": init,
            "containers": containers,
        },
    });
    env.apply(&pod.to_string());
}

/// A container of the pod, init or regular, waits on an image the kubelet failed to pull.
fn fails_to_pull(pod: &Value) -> bool {
    ["initContainerStatuses", "containerStatuses"]
        .iter()
        .filter_map(|group| pod["status"][group].as_array())
        .flatten()
        .any(|c| {
            c["state"]["waiting"]["reason"]
                .as_str()
                .is_some_and(|reason| PULL_REASONS.contains(&reason))
        })
}

/// Waits until the kubelet has reported that pod `name` cannot pull an image.
pub(crate) fn wait_until_failing(env: &TestEnv, name: &str) {
    env.wait_for_pod(name, PULL_TIMEOUT, "failed to pull", fails_to_pull);
}

/// The sandbox image of the node's containerd: on a registry without auth, so a container
/// running it never fails to pull.
fn sandbox_image() -> String {
    std::fs::read_to_string(node().dir.join("node/sandbox-image"))
        .expect("the node's sandbox image")
        .trim()
        .to_string()
}

/// Creates pull secret `name` for `server` with the test registry's user and `password`.
pub(crate) fn create_secret(
    env: &TestEnv,
    name: &str,
    server: &str,
    password: &str,
    extra: &[&str],
) {
    let output = env
        .regcred()
        .args(["create", name, "--server", server, "-u", &registries().user])
        .args(["--password-stdin", "-n", &env.namespace])
        .args(extra)
        .write_stdin(format!("{password}\n"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", texts(&output).1);
}

/// A password the test registries refuse.
const WRONG_PASSWORD: &str = "Wrong-Pa55word-d1a9";

fn diagnose_json(env: &TestEnv, extra: &[&str]) -> (i32, Value) {
    let output = env
        .regcred()
        .args(["diagnose", "-n", &env.namespace, "-o", "json"])
        .args(extra)
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let report =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    (output.status.code().unwrap_or(-1), report)
}

/// Runs `diagnose -o json` until `shows` holds for its report (the kubelet writes the pod's
/// status and its events one after the other, and again at each retry); returns the exit code
/// and that report.
fn diagnosed(
    env: &TestEnv,
    extra: &[&str],
    what: &str,
    mut shows: impl FnMut(&Value) -> bool,
) -> (i32, Value) {
    let mut last = (-1, Value::Null);
    let shown = eventually(PULL_TIMEOUT, || {
        last = diagnose_json(env, extra);
        shows(&last.1)
    });
    assert!(shown, "diagnose never showed {what}:\n{:#}", last.1);
    last
}

/// The diagnosis of pod `pod` in a report (Null when it has none).
fn failure_of<'a>(report: &'a Value, pod: &str) -> &'a Value {
    report["failures"]
        .as_array()
        .and_then(|all| all.iter().find(|f| f["pod"] == pod))
        .unwrap_or(&Value::Null)
}

/// The finding ids of one diagnosis.
pub(crate) fn finding_ids(failure: &Value) -> Vec<&str> {
    failure["findings"]
        .as_array()
        .map(|all| all.iter().filter_map(|f| f["id"].as_str()).collect())
        .unwrap_or_default()
}

fn assert_pull_reason(failure: &Value) {
    let reason = failure["reason"].as_str().unwrap_or_default();
    assert!(PULL_REASONS.contains(&reason), "{failure:#}");
}

#[test]
fn no_secret_for_the_registry_gets_create_with_attach() {
    let r = registries();
    let env = node().env("diag-missing");
    let ns = &env.namespace;
    start_pod(
        &env,
        "web",
        &[],
        &[container("app", &app_image(&r.http))],
        &[],
    );
    wait_until_failing(&env, "web");
    // The registry wants credentials; the kubelet had none to send: a real 401.
    let (code, report) = diagnosed(&env, &[], "auth_failed", |report| {
        failure_of(report, "web")["cause"] == "auth_failed"
    });
    assert_eq!(code, 1);
    let failure = failure_of(&report, "web");
    assert_pull_reason(failure);
    assert_eq!(failure["registry"], r.http.as_str());
    assert_eq!(
        finding_ids(failure),
        ["no_secret_for_registry"],
        "{failure:#}"
    );
    let fix = failure["fix"].as_str().unwrap();
    assert!(
        fix.starts_with(&format!(
            "kubectl regcred create regcred --server {} --username USER --password-stdin \
             -n {ns} --attach --service-account default --heal",
            r.http
        )),
        "{fix}"
    );
    assert_eq!(report["summary"]["auth_failed"], 1, "{report:#}");
}

#[test]
fn a_secret_for_another_host_and_a_missing_secret_are_told_apart() {
    let r = registries();
    let env = node().env("diag-other-host");
    create_secret(&env, "quay-only", "quay.io", &r.password, &[]);
    let image = app_image(&r.http);
    // The kubelet has no credentials for the image's registry in either pod, and pulls
    // anonymously: it skips the secret for quay.io, and the listed secret that is missing.
    start_pod(
        &env,
        "other-host",
        &[],
        &[container("app", &image)],
        &["quay-only"],
    );
    start_pod(
        &env,
        "listed-missing",
        &[],
        &[container("app", &image)],
        &["ghcr-pull"],
    );
    wait_until_failing(&env, "other-host");
    wait_until_failing(&env, "listed-missing");
    let (_, report) = diagnosed(&env, &[], "both pods refused", |report| {
        ["other-host", "listed-missing"]
            .iter()
            .all(|pod| failure_of(report, pod)["cause"] == "auth_failed")
    });
    let other = failure_of(&report, "other-host");
    assert_eq!(finding_ids(other), ["no_secret_for_registry"], "{other:#}");
    assert_eq!(other["pullSecrets"][0]["registries"][0], "quay.io");
    let missing = failure_of(&report, "listed-missing");
    assert_eq!(
        finding_ids(missing),
        ["secret_missing", "no_secret_for_registry"],
        "{missing:#}"
    );
    let fix = missing["fix"].as_str().unwrap();
    assert!(
        fix.contains(&format!(
            "kubectl regcred create ghcr-pull --server {} --username USER --password-stdin -n {}",
            r.http, env.namespace
        )),
        "{fix}"
    );
}

#[test]
fn an_unattached_secret_for_the_host_is_named_in_the_fix() {
    let r = registries();
    let env = node().env("diag-unattached");
    // The right credentials, in a secret neither the pod nor its service account lists.
    create_secret(&env, "gh", &r.http, &r.password, &[]);
    start_pod(
        &env,
        "web",
        &[],
        &[container("app", &app_image(&r.http))],
        &[],
    );
    wait_until_failing(&env, "web");
    let (_, report) = diagnosed(&env, &["web"], "auth_failed", |report| {
        failure_of(report, "web")["cause"] == "auth_failed"
    });
    let failure = failure_of(&report, "web");
    assert_eq!(
        finding_ids(failure),
        ["no_secret_for_registry", "secret_not_attached"],
        "{failure:#}"
    );
    let fix = failure["fix"].as_str().unwrap();
    assert!(
        fix.starts_with(&format!(
            "kubectl regcred attach gh -n {} --service-account default --heal",
            env.namespace
        )),
        "{fix}"
    );
}

/// An ECR registry's name. The node reaches it through a hosts.toml that names the plain-HTTP
/// test registry as its server, as a node with a pull-through mirror would.
const ECR_HOST: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

/// Pull secret `ecr` in `env`'s namespace for [`ECR_HOST`], which the node reaches at the test
/// registry over plain HTTP: a token the registry no longer takes, which `create` recorded as
/// expired.
fn expired_ecr_secret(env: &TestEnv) {
    // containerd 1.6 refuses a hosts.toml without a host table.
    node().write_hosts_toml(
        ECR_HOST,
        &format!(
            "server = \"http://{0}\"\n\n[host.\"http://{0}\"]\n  capabilities = [\"pull\", \"resolve\"]\n",
            registries().http
        ),
    );
    create_secret(
        env,
        "ecr",
        ECR_HOST,
        WRONG_PASSWORD,
        &[
            "--annotation",
            "regcred.kubectl.io/expires-at=2026-01-01T00:00:00Z",
        ],
    );
}

#[test]
fn an_expired_token_is_found_from_the_annotation() {
    let env = node().env("diag-expired");
    expired_ecr_secret(&env);
    let image = app_image(ECR_HOST);
    start_pod(&env, "batch", &[], &[container("app", &image)], &["ecr"]);
    wait_until_failing(&env, "batch");
    let (_, report) = diagnosed(&env, &[], "the refused token", |report| {
        failure_of(report, "batch")["cause"] == "auth_failed"
    });
    let failure = failure_of(&report, "batch");
    assert_eq!(failure["registry"], ECR_HOST, "{failure:#}");
    assert_eq!(finding_ids(failure), ["token_expired"], "{failure:#}");
    let fix = failure["fix"].as_str().unwrap();
    assert!(
        fix.contains("aws ecr get-login-password --region eu-west-1 | kubectl regcred create ecr"),
        "{fix}"
    );
}

/// A pull not tried yet whose only credential holds an expired token is foreseen; once the
/// real kubelet tries it, the registry refuses that credential, and the diagnosis names the
/// same token.
#[test]
fn a_pull_not_tried_yet_with_an_expired_token_is_foreseen_and_then_fails_so() {
    use crate::first_contact::{
        CONTROLLER_TIMEOUT, is_unschedulable, predicted, start_unschedulable_pod,
    };
    let env = node().env("diag-foresee-expired");
    expired_ecr_secret(&env);
    let image = app_image(ECR_HOST);
    start_unschedulable_pod(&env, "later", &image, &["ecr"]);
    env.wait_for_pod(
        "later",
        CONTROLLER_TIMEOUT,
        "unschedulable",
        is_unschedulable,
    );
    let (code, report) = diagnose_json(&env, &[]);
    assert_eq!(code, 1, "{report:#}");
    let later = predicted(&report, "later");
    assert_eq!(later["cause"], "token_expired", "{report:#}");
    assert_eq!(finding_ids(later), ["token_expired"], "{later:#}");
    assert_eq!(report["summary"]["token_expired"], 1, "{report:#}");
    let fix = later["fix"].as_str().unwrap();
    assert!(
        fix.contains("aws ecr get-login-password --region eu-west-1 | kubectl regcred create ecr"),
        "{fix}"
    );

    start_pod(&env, "now", &[], &[container("app", &image)], &["ecr"]);
    wait_until_failing(&env, "now");
    let (_, report) = diagnosed(&env, &[], "the refused token", |report| {
        failure_of(report, "now")["cause"] == "auth_failed"
    });
    assert_eq!(finding_ids(failure_of(&report, "now")), ["token_expired"]);
}

#[test]
fn a_missing_tag_with_good_credentials_points_at_the_tag() {
    let r = registries();
    let env = node().env("diag-tag");
    create_secret(&env, "gh", &r.http, &r.password, &[]);
    let image = format!("{}/team/app:9.9-diagnose", r.http);
    start_pod(&env, "web", &[], &[container("app", &image)], &["gh"]);
    wait_until_failing(&env, "web");
    let (_, report) = diagnosed(&env, &[], "not_found", |report| {
        failure_of(report, "web")["cause"] == "not_found"
    });
    let failure = failure_of(&report, "web");
    assert_pull_reason(failure);
    assert_eq!(failure["findings"], json!([]), "{failure:#}");
    let fix = failure["fix"].as_str().unwrap();
    assert!(fix.contains("tag or digest"), "{fix}");
    assert!(fix.contains(&r.http), "{fix}");
}

#[test]
fn init_containers_and_plain_http_registries_are_diagnosed_for_people() {
    let r = registries();
    let env = node().env("diag-init-http");
    let ns = &env.namespace;
    // The plain-HTTP registry under a name that is not loopback: containerd speaks HTTPS to it.
    let init = container("setup", &app_image(&r.plain_named()));
    start_pod(
        &env,
        "job",
        &[init],
        &[container("app", &sandbox_image())],
        &[],
    );
    wait_until_failing(&env, "job");
    let mut last = (None, String::new(), String::new());
    let shown = eventually(PULL_TIMEOUT, || {
        let output = env.regcred().args(["diagnose", "-n", ns]).output().unwrap();
        let (stdout, stderr) = texts(&output);
        last = (output.status.code(), stdout, stderr);
        last.1.contains("cause:     http_to_https")
    });
    let (code, stdout, stderr) = last;
    assert!(shown, "{stdout}{stderr}");
    assert_eq!(code, Some(1), "{stderr}");
    let heading = format!("{ns}/job (init container setup): ");
    let reason = stdout
        .lines()
        .next()
        .and_then(|line| line.strip_prefix(&heading))
        .unwrap_or_else(|| panic!("no {heading:?} first:\n{stdout}"));
    assert!(PULL_REASONS.contains(&reason), "{stdout}");
    assert!(
        stdout.contains(&format!("  image:     {}\n", app_image(&r.plain_named()))),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "/etc/containerd/certs.d/{}/hosts.toml",
            r.plain_named()
        )),
        "{stdout}"
    );
    // The app container waits for the init container, not for its image.
    assert!(!stdout.contains("(container app)"), "{stdout}");
    assert!(
        stderr.contains("1 container cannot pull its image"),
        "{stderr}"
    );
}

#[test]
fn a_namespace_without_failures_exits_zero() {
    let r = registries();
    let env = node().env("diag-healthy");
    create_secret(&env, "regcred", &r.http, &r.password, &[]);
    start_pod(
        &env,
        "web",
        &[],
        &[container("app", &app_image(&r.http))],
        &["regcred"],
    );
    env.wait_for_pod("web", PULL_TIMEOUT, "ran", is_running);
    let output = env
        .regcred()
        .args(["diagnose", "-n", &env.namespace])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        stdout,
        format!(
            "no container is failing to pull its image in namespace {}\n",
            env.namespace
        )
    );
}

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    let r = registries();
    let env = node().env("diag-colour");
    start_pod(
        &env,
        "web",
        &[],
        &[container("app", &app_image(&r.http))],
        &[],
    );
    wait_until_failing(&env, "web");
    diagnosed(&env, &[], "auth_failed", |report| {
        failure_of(report, "web")["cause"] == "auth_failed"
    });
    let on_tty = |no_color: bool| {
        // `script` gives the command a pseudo-terminal, as a person's shell would.
        let command = format!(
            "{} diagnose -n {}",
            env!("CARGO_BIN_EXE_kubectl-regcred"),
            env.namespace
        );
        let mut cmd = std::process::Command::new("script");
        cmd.args(["-qec", &command, "/dev/null"])
            .env("KUBECONFIG", env.kubeconfig)
            .env_remove("NO_COLOR");
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        String::from_utf8_lossy(&cmd.output().unwrap().stdout).into_owned()
    };
    let coloured = on_tty(false);
    assert!(coloured.contains("\u{1b}["), "{coloured}");
    assert!(coloured.contains("auth_failed"), "{coloured}");
    let plain = on_tty(true);
    assert!(!plain.contains("\u{1b}["), "NO_COLOR must turn colour off");
    assert!(plain.contains("auth_failed"), "{plain}");
    let piped = env
        .regcred()
        .args(["diagnose", "-n", &env.namespace])
        .output()
        .unwrap();
    let piped = String::from_utf8_lossy(&piped.stdout);
    assert!(!piped.contains('\u{1b}'), "no colour in a pipe");
    assert!(piped.contains("auth_failed"), "{piped}");
}

#[test]
fn events_are_read_through_events_k8s_io_when_core_events_are_forbidden() {
    let r = registries();
    let env = node().env("diag-events-api");
    let ns = env.namespace.clone();
    env.apply(&format!(
        r#"{{"apiVersion":"v1","kind":"List","items":[
          {{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{{"name":"diagnose","namespace":"{ns}"}},
            "rules":[{{"apiGroups":[""],"resources":["pods","secrets","serviceaccounts"],"verbs":["list"]}},
                     {{"apiGroups":["events.k8s.io"],"resources":["events"],"verbs":["list"]}}]}},
          {{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{{"name":"diagnose","namespace":"{ns}"}},
            "roleRef":{{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"diagnose"}},
            "subjects":[{{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"regcred-nobody"}}]}}]}}"#
    ));
    let core = env.kubectl(&["get", "events", "-n", &ns, "--context", "nobody"]);
    assert!(
        String::from_utf8_lossy(&core.stderr).contains("Forbidden"),
        "core/v1 events must be forbidden to nobody: {core:?}"
    );
    start_pod(
        &env,
        "web",
        &[],
        &[container("app", &app_image(&r.http))],
        &[],
    );
    wait_until_failing(&env, "web");
    // In back-off the pod's own status only says "Back-off pulling image": the cause can only
    // come from the kubelet's events.
    let (code, report) = diagnosed(
        &env,
        &["--context", "nobody"],
        "auth_failed in back-off",
        |report| {
            let failure = failure_of(report, "web");
            failure["reason"] == "ImagePullBackOff" && failure["cause"] == "auth_failed"
        },
    );
    assert_eq!(code, 1);
    let evidence = failure_of(&report, "web")["evidence"].as_str().unwrap();
    assert!(evidence.contains("401 Unauthorized"), "{evidence}");
    assert!(evidence.contains(&r.http), "{evidence}");
}
