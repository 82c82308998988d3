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
         kubectl regcred create regcred --username USER --password-stdin -n team-a --attach"
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
