//! `diagnose --message`: pasted event texts explained without a cluster.

use crate::support::{TestEnv, texts};

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

/// A pod whose container waits on its image, as a kubelet would have reported it: the pod's
/// status written through the status subresource, and a Warning event from the kubelet.
pub(crate) struct FailingPod<'a> {
    pub(crate) name: &'a str,
    pub(crate) image: &'a str,
    pub(crate) pull_secrets: &'a [&'a str],
    pub(crate) reason: &'a str,
    pub(crate) message: &'a str,
    pub(crate) init: bool,
}

pub(crate) fn make_failing_pod(env: &TestEnv, pod: &FailingPod) {
    let ns = &env.namespace;
    let secrets: Vec<String> = pod
        .pull_secrets
        .iter()
        .map(|s| format!(r#"{{"name":"{s}"}}"#))
        .collect();
    let container = format!(r#"{{"name":"app","image":"{}"}}"#, pod.image);
    let (init, main) = if pod.init {
        (
            format!(
                r#""initContainers":[{{"name":"setup","image":"{}"}}],"#,
                pod.image
            ),
            r#"{"name":"app","image":"busybox:1.36"}"#.to_string(),
        )
    } else {
        (String::new(), container)
    };
    env.apply(&format!(
        r#"{{"apiVersion":"v1","kind":"Pod","metadata":{{"name":"{}","namespace":"{ns}"}},
            "spec":{{"automountServiceAccountToken":false,"imagePullSecrets":[{}],{init}"containers":[{main}]}}}}"#,
        pod.name,
        secrets.join(",")
    ));
    let waiting = serde_json::json!({"waiting": {"reason": pod.reason, "message": format!("Back-off pulling image \"{}\"", pod.image)}});
    let status = |name: &str, image: &str, state: serde_json::Value| {
        serde_json::json!({
            "name": name, "image": image, "imageID": "", "ready": false, "restartCount": 0, "state": state,
        })
    };
    let statuses = if pod.init {
        serde_json::json!({"phase": "Pending",
            "initContainerStatuses": [status("setup", pod.image, waiting)],
            "containerStatuses": [status("app", "busybox:1.36", serde_json::json!({"waiting": {"reason": "PodInitializing"}}))]})
    } else {
        serde_json::json!({"phase": "Pending", "containerStatuses": [status("app", pod.image, waiting)]})
    };
    env.kubectl_ok(&[
        "patch",
        "pod",
        pod.name,
        "-n",
        ns,
        "--subresource=status",
        "--type=merge",
        "-p",
        &serde_json::json!({"status": statuses}).to_string(),
    ]);
    let uid = env.get_in(ns, "pod", pod.name).unwrap()["metadata"]["uid"]
        .as_str()
        .unwrap()
        .to_string();
    let event = serde_json::json!({
        "apiVersion": "v1", "kind": "Event",
        "metadata": {"name": format!("{}.failed", pod.name), "namespace": ns},
        "involvedObject": {"kind": "Pod", "name": pod.name, "namespace": ns, "uid": uid, "apiVersion": "v1"},
        "reason": "Failed", "type": "Warning", "count": 3,
        "message": pod.message,
        "source": {"component": "kubelet", "host": "node-1"},
        "firstTimestamp": "2026-11-23T10:00:00Z", "lastTimestamp": "2026-11-23T10:05:00Z",
    });
    env.apply(&event.to_string());
}

fn diagnose_json(env: &TestEnv, extra: &[&str]) -> (i32, serde_json::Value) {
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

const GHCR_DENIED: &str = r#"Failed to pull image "ghcr.io/acme/app:1.0": rpc error: code = Unknown desc = failed to pull and unpack image "ghcr.io/acme/app:1.0": failed to resolve reference "ghcr.io/acme/app:1.0": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized"#;

fn create_secret(env: &TestEnv, name: &str, server: &str, extra: &[&str]) {
    let output = env
        .regcred()
        .args([
            "create",
            name,
            "--server",
            server,
            "-u",
            "u",
            "--password-stdin",
            "-n",
            &env.namespace,
        ])
        .args(extra)
        .write_stdin("pw")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", texts(&output).1);
}

#[test]
fn no_secret_for_the_registry_gets_create_with_attach() {
    let env = TestEnv::new("diag-missing");
    make_failing_pod(
        &env,
        &FailingPod {
            name: "web",
            image: "ghcr.io/acme/app:1.0",
            pull_secrets: &[],
            reason: "ImagePullBackOff",
            message: GHCR_DENIED,
            init: false,
        },
    );
    let (code, report) = diagnose_json(&env, &[]);
    assert_eq!(code, 1);
    let failure = &report["failures"][0];
    assert_eq!(failure["cause"], "auth_failed");
    assert_eq!(failure["reason"], "ImagePullBackOff");
    assert_eq!(failure["findings"][0]["id"], "no_secret_for_registry");
    let fix = failure["fix"].as_str().unwrap();
    assert!(fix.starts_with(&format!("kubectl regcred create regcred --server ghcr.io --username USER --password-stdin -n {} --attach", env.namespace)), "{fix}");
    assert_eq!(report["summary"]["auth_failed"], 1);
}

#[test]
fn a_secret_for_another_host_and_a_missing_secret_are_told_apart() {
    let env = TestEnv::new("diag-other-host");
    create_secret(&env, "quay-only", "quay.io", &[]);
    make_failing_pod(
        &env,
        &FailingPod {
            name: "other-host",
            image: "ghcr.io/acme/app:1.0",
            pull_secrets: &["quay-only"],
            reason: "ErrImagePull",
            message: GHCR_DENIED,
            init: false,
        },
    );
    make_failing_pod(
        &env,
        &FailingPod {
            name: "listed-missing",
            image: "ghcr.io/acme/app:1.0",
            pull_secrets: &["ghcr-pull"],
            reason: "ErrImagePull",
            message: GHCR_DENIED,
            init: false,
        },
    );
    let (_, report) = diagnose_json(&env, &[]);
    let by_pod = |pod: &str| {
        report["failures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["pod"] == pod)
            .unwrap()
            .clone()
    };
    let other = by_pod("other-host");
    assert_eq!(other["findings"][0]["id"], "no_secret_for_registry");
    assert_eq!(other["pullSecrets"][0]["registries"][0], "quay.io");
    let missing = by_pod("listed-missing");
    let ids: Vec<&str> = missing["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["secret_missing", "no_secret_for_registry"]);
    assert!(
        missing["fix"]
            .as_str()
            .unwrap()
            .contains("kubectl regcred create ghcr-pull --server ghcr.io"),
        "{}",
        missing["fix"]
    );
}

#[test]
fn an_unattached_secret_for_the_host_is_named_in_the_fix() {
    let env = TestEnv::new("diag-unattached");
    create_secret(&env, "gh", "ghcr.io", &[]);
    make_failing_pod(
        &env,
        &FailingPod {
            name: "web",
            image: "ghcr.io/acme/app:1.0",
            pull_secrets: &[],
            reason: "ImagePullBackOff",
            message: GHCR_DENIED,
            init: false,
        },
    );
    let (_, report) = diagnose_json(&env, &["web"]);
    let fix = report["failures"][0]["fix"].as_str().unwrap();
    assert!(
        fix.starts_with(&format!(
            "kubectl regcred attach gh -n {} --service-account default",
            env.namespace
        )),
        "{fix}"
    );
}

#[test]
fn an_expired_token_is_found_from_the_annotation() {
    let env = TestEnv::new("diag-expired");
    let ecr = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
    create_secret(
        &env,
        "ecr",
        ecr,
        &[
            "--annotation",
            "regcred.kubectl.io/expires-at=2026-01-01T00:00:00Z",
        ],
    );
    let image = format!("{ecr}/app:1");
    let message = format!(
        r#"Failed to pull image "{image}": rpc error: code = Unknown desc = Error response from daemon: Get https://{ecr}/v2/app/manifests/1: no basic auth credentials"#
    );
    make_failing_pod(
        &env,
        &FailingPod {
            name: "batch",
            image: &image,
            pull_secrets: &["ecr"],
            reason: "ErrImagePull",
            message: &message,
            init: false,
        },
    );
    let (_, report) = diagnose_json(&env, &[]);
    let failure = &report["failures"][0];
    let ids: Vec<&str> = failure["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["token_expired"], "{failure}");
    assert!(
        failure["fix"]
            .as_str()
            .unwrap()
            .contains("aws ecr get-login-password --region eu-west-1 | kubectl regcred create ecr"),
        "{}",
        failure["fix"]
    );
}

#[test]
fn a_missing_tag_with_good_credentials_points_at_the_tag() {
    let env = TestEnv::new("diag-tag");
    create_secret(&env, "gh", "ghcr.io", &[]);
    let message = r#"Failed to pull image "ghcr.io/acme/app:9.9": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/acme/app:9.9": failed to resolve reference "ghcr.io/acme/app:9.9": ghcr.io/acme/app:9.9: not found"#;
    make_failing_pod(
        &env,
        &FailingPod {
            name: "web",
            image: "ghcr.io/acme/app:9.9",
            pull_secrets: &["gh"],
            reason: "ErrImagePull",
            message,
            init: false,
        },
    );
    let (_, report) = diagnose_json(&env, &[]);
    let failure = &report["failures"][0];
    assert_eq!(failure["cause"], "not_found");
    assert_eq!(failure["findings"], serde_json::json!([]));
    assert!(
        failure["fix"].as_str().unwrap().contains("tag or digest"),
        "{}",
        failure["fix"]
    );
}

#[test]
fn init_containers_and_plain_http_registries_are_diagnosed_for_people() {
    let env = TestEnv::new("diag-init-http");
    make_failing_pod(
        &env,
        &FailingPod {
            name: "job",
            image: "10.141.241.175:32000/mynginx:registry",
            pull_secrets: &[],
            reason: "ErrImagePull",
            message: PLAIN_HTTP,
            init: true,
        },
    );
    let output = env
        .regcred()
        .args(["diagnose", "-n", &env.namespace])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stdout.starts_with(&format!(
            "{}/job (init container setup): ErrImagePull\n",
            env.namespace
        )),
        "{stdout}"
    );
    assert!(stdout.contains("cause:     http_to_https"), "{stdout}");
    assert!(stdout.contains("hosts.toml"), "{stdout}");
    assert!(
        stderr.contains("1 container cannot pull its image"),
        "{stderr}"
    );
}

#[test]
fn a_namespace_without_failures_exits_zero() {
    let env = TestEnv::new("diag-healthy");
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
    let env = TestEnv::new("diag-colour");
    make_failing_pod(
        &env,
        &FailingPod {
            name: "web",
            image: "ghcr.io/acme/app:1.0",
            pull_secrets: &[],
            reason: "ImagePullBackOff",
            message: GHCR_DENIED,
            init: false,
        },
    );
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
    assert!(
        !on_tty(true).contains("\u{1b}["),
        "NO_COLOR must turn colour off"
    );
    let piped = env
        .regcred()
        .args(["diagnose", "-n", &env.namespace])
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&piped.stdout).contains('\u{1b}'),
        "no colour in a pipe"
    );
}

#[test]
fn events_are_read_through_events_k8s_io_when_core_events_are_forbidden() {
    let env = TestEnv::new("diag-events-api");
    let ns = env.namespace.clone();
    make_failing_pod(
        &env,
        &FailingPod {
            name: "web",
            image: "ghcr.io/acme/app:1.0",
            pull_secrets: &[],
            reason: "ImagePullBackOff",
            message: GHCR_DENIED,
            init: false,
        },
    );
    env.apply(&format!(
        r#"{{"apiVersion":"v1","kind":"List","items":[
          {{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{{"name":"diagnose","namespace":"{ns}"}},
            "rules":[{{"apiGroups":[""],"resources":["pods","secrets","serviceaccounts"],"verbs":["list"]}},
                     {{"apiGroups":["events.k8s.io"],"resources":["events"],"verbs":["list"]}}]}},
          {{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{{"name":"diagnose","namespace":"{ns}"}},
            "roleRef":{{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"diagnose"}},
            "subjects":[{{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"regcred-nobody"}}]}}]}}"#
    ));
    let (code, report) = diagnose_json(&env, &["--context", "nobody"]);
    assert_eq!(code, 1);
    // The pod's own status only says "Back-off pulling image": the cause comes from the event.
    assert_eq!(report["failures"][0]["cause"], "auth_failed", "{report}");
    assert!(
        report["failures"][0]["evidence"]
            .as_str()
            .unwrap()
            .contains("401 Unauthorized")
    );
}
