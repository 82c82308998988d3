//! One model of a stored pull secret and one set of expiry rules (issue 14): `status` names the
//! user the kubelet sends, and `diagnose` finds the expired token `status` finds, on a pod that
//! really fails to pull on the test node (`node.rs`).

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD as BASE64, URL_SAFE_NO_PAD as BASE64URL};
use serde_json::Value;

use crate::node::{is_failing_to_pull, node, pod_manifest};
use crate::registries::registries;
use crate::support::{TestEnv, eventually, texts};

/// How long the node may take to report a failed pull, and `diagnose` to see its events.
const PULL_TIMEOUT: Duration = Duration::from_secs(90);

/// `kubectl regcred ARGS -o json`: the exit code and the parsed report.
fn json_of(env: &TestEnv, args: &[&str]) -> (Option<i32>, Value) {
    let output = env
        .regcred()
        .args(args)
        .args(["-o", "json"])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let report = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{args:?} printed no JSON ({e}):\n{stdout}\n{stderr}"));
    (output.status.code(), report)
}

/// The finding ids of a list of findings.
fn ids(findings: &Value) -> Vec<&str> {
    findings
        .as_array()
        .map(|all| all.iter().filter_map(|f| f["id"].as_str()).collect())
        .unwrap_or_default()
}

/// A JWT whose `exp` lies in the past (2020-09-13); nothing checks its signature.
fn expired_jwt() -> String {
    let header = BASE64URL.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
    let payload = BASE64URL.encode(br#"{"sub":"issue-14-robot","exp":1600000000}"#);
    let signature = BASE64URL.encode(b"Sentinel-signature-issue-14");
    format!("{header}.{payload}.{signature}")
}

#[test]
fn issue_14_status_names_the_user_the_kubelet_sends() {
    let env = TestEnv::new("issue-14-status-user");
    // `auth` says kubelet-user:p2, `username` says shown: the kubelet decodes `auth`, and it
    // replaces username and password.
    let auth = BASE64.encode("kubelet-user:p2");
    let content = format!(
        r#"{{"auths":{{"ghcr.io":{{"username":"shown","password":"p1","auth":"{auth}"}}}}}}"#
    );
    let file = env.write_file("dockerconfig.json", &content);
    env.kubectl_ok(&[
        "create",
        "secret",
        "generic",
        "disagreeing",
        "--type=kubernetes.io/dockerconfigjson",
        &format!("--from-file=.dockerconfigjson={}", file.display()),
        "-n",
        &env.namespace,
    ]);
    let (code, report) = json_of(&env, &["status", "-n", &env.namespace]);
    let secret = &report["namespaces"][0]["secrets"][0];
    assert_eq!(secret["name"], "disagreeing", "{report:#}");
    let entry = &secret["registries"][0];
    assert_eq!(entry["registry"], "ghcr.io", "{report:#}");
    assert_eq!(entry["username"], "kubelet-user", "{report:#}");
    assert!(!report.to_string().contains("shown"), "{report:#}");
    // Unused is only worth knowing: no error.
    assert_eq!(code, Some(0), "{report:#}");
}

#[test]
fn issue_14_diagnose_finds_the_expired_jwt_that_status_finds() {
    let r = registries();
    let env = node().env("issue-14-expired-jwt");
    let ns = env.namespace.clone();
    // A token the registry refuses (a real 401 from its htpasswd), and whose exp has passed.
    let output = env
        .regcred()
        .args(["create", "jwt", "--server", &r.http, "-u", &r.user])
        .args(["--password-stdin", "-n", &ns])
        .write_stdin(format!("{}\n", expired_jwt()))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", texts(&output).1);
    // The ServiceAccount admission of a pod needs the namespace's default account.
    assert!(eventually(Duration::from_secs(30), || env
        .get_in(&ns, "serviceaccount", "default")
        .is_some()));
    let image = format!("{}/{}", r.http, r.image);
    env.apply(&pod_manifest(&ns, "app", &image, &["jwt"]));
    env.wait_for_pod("app", PULL_TIMEOUT, "failed to pull", is_failing_to_pull);

    let (code, status) = json_of(&env, &["status", "-n", &ns]);
    let expired: Vec<&Value> = status["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "token_expired")
        .collect();
    assert_eq!(expired.len(), 1, "{status:#}");
    assert_eq!(expired[0]["secret"], "jwt", "{status:#}");
    assert_eq!(code, Some(1), "{status:#}");

    // The kubelet writes the pod's status and its events one after the other: read until
    // diagnose has the refused pull.
    let mut last = (None, Value::Null);
    let found = eventually(PULL_TIMEOUT, || {
        last = json_of(&env, &["diagnose", "-n", &ns]);
        last.1["failures"][0]["cause"] == "auth_failed"
    });
    let (code, report) = last;
    assert!(found, "diagnose never saw the refused pull:\n{report:#}");
    let failure = &report["failures"][0];
    assert_eq!(failure["pod"], "app", "{failure:#}");
    assert_eq!(ids(&failure["findings"]), ["token_expired"], "{failure:#}");
    let fix = failure["fix"].as_str().unwrap();
    assert!(fix.contains("kubectl regcred create jwt"), "{fix}");
    assert_eq!(code, Some(1), "{report:#}");
}
