//! `status`: pull secrets, their users, and the findings (dangling references, expired
//! tokens, drift, unused secrets), against a real API server.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as BASE64URL;

use std::time::Duration;

use crate::support::{TestEnv, eventually, texts};

/// A JWT whose `exp` lies in the past (2020-09-13); the signature is never checked.
fn expired_jwt() -> String {
    let header = BASE64URL.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
    let payload = BASE64URL.encode(br#"{"sub":"status-e2e-robot","exp":1600000000}"#);
    let signature = BASE64URL.encode(b"Sentinel-signature-status-e2e");
    format!("{header}.{payload}.{signature}")
}

const DRIFT_PASSWORD_A: &str = "Sentinel-drift-A-2b7e1c";
const DRIFT_PASSWORD_B: &str = "Sentinel-drift-B-9d4f0a";
const PLAIN_PASSWORD: &str = "Sentinel-plain-5c3e8b";

/// `kubectl-regcred create NAME --server SERVER -u USER --password-stdin -n NS EXTRA...`.
fn create(
    env: &TestEnv,
    namespace: &str,
    name: &str,
    server: &str,
    password: &str,
    extra: &[&str],
) {
    // The service-account controller makes `default` shortly after the namespace.
    if extra.contains(&"--attach") {
        assert!(eventually(Duration::from_secs(30), || env
            .get_in(namespace, "serviceaccount", "default")
            .is_some()));
    }
    let output = env
        .regcred()
        .args([
            "create",
            name,
            "--server",
            server,
            "-u",
            "robot",
            "--password-stdin",
        ])
        .args(["-n", namespace])
        .args(extra)
        .write_stdin(password)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "create {name}: {}",
        texts(&output).1
    );
}

/// `status -o json` with the exit code, stdout parsed, and the raw texts.
fn status(
    env: &TestEnv,
    namespaces: &str,
    extra: &[&str],
) -> (Option<i32>, serde_json::Value, String, String) {
    let output = env
        .regcred()
        .args(["status", "-n", namespaces, "-o", "json"])
        .args(extra)
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    let report = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("status prints JSON ({e}):\n{stdout}\n{stderr}"));
    (output.status.code(), report, stdout, stderr)
}

/// The findings with this id.
fn with_id<'a>(report: &'a serde_json::Value, id: &str) -> Vec<&'a serde_json::Value> {
    report["findings"]
        .as_array()
        .expect("findings is an array")
        .iter()
        .filter(|f| f["id"] == id)
        .collect()
}

#[test]
fn status_finds_dangling_expired_drifting_and_unused_secrets() {
    let env = TestEnv::new("status-problems");
    let ns = env.namespace.clone();
    let other = TestEnv::unique("status-drift");
    env.create_namespace(&other, &[]);

    // A secret that is fine and used: only drift (with `other`) may concern it.
    create(
        &env,
        &ns,
        "shared",
        "ghcr.io",
        DRIFT_PASSWORD_A,
        &["--attach"],
    );
    create(
        &env,
        &other,
        "shared",
        "ghcr.io",
        DRIFT_PASSWORD_B,
        &["--attach"],
    );
    // Expired by annotation; expired by a JWT password; nobody lists `spare`.
    create(
        &env,
        &ns,
        "annotated",
        "quay.io",
        PLAIN_PASSWORD,
        &[
            "--annotation",
            "regcred.kubectl.io/expires-at=2020-01-01T00:00:00Z",
        ],
    );
    create(
        &env,
        &ns,
        "jwt",
        "registry.example.com",
        &expired_jwt(),
        &[],
    );
    create(
        &env,
        &ns,
        "spare",
        "harbor.example.com",
        PLAIN_PASSWORD,
        &[],
    );
    // A service account that lists a missing secret, and a pod that lists another one; the
    // pod also uses the two expired secrets, so they are not unused.
    env.apply(&format!(
        r#"{{"apiVersion":"v1","kind":"ServiceAccount","metadata":{{"name":"builder","namespace":"{ns}"}},
            "imagePullSecrets":[{{"name":"gone-for-account"}}]}}"#
    ));
    env.apply(&format!(
        r#"{{"apiVersion":"v1","kind":"Pod","metadata":{{"name":"web","namespace":"{ns}"}},
            "spec":{{"automountServiceAccountToken":false,
                     "imagePullSecrets":[{{"name":"gone-for-pod"}},{{"name":"annotated"}},{{"name":"jwt"}}],
                     "containers":[{{"name":"app","image":"quay.io/acme/web:1.0"}}]}}}}"#
    ));

    let (code, report, stdout, stderr) = status(&env, &format!("{ns},{other}"), &["-v=9"]);
    assert_eq!(code, Some(1), "errors exit 1: {stderr}");
    for leak in [
        DRIFT_PASSWORD_A.to_string(),
        DRIFT_PASSWORD_B.to_string(),
        PLAIN_PASSWORD.to_string(),
        expired_jwt(),
        expired_jwt().split('.').nth(1).unwrap().to_string(),
    ] {
        assert!(!stdout.contains(&leak), "stdout leaks {leak}");
        assert!(!stderr.contains(&leak), "stderr leaks {leak}");
    }

    let missing = with_id(&report, "secret_missing");
    let account = missing
        .iter()
        .find(|f| f["serviceAccount"] == "builder")
        .unwrap_or_else(|| panic!("{report:#}"));
    assert_eq!(account["secret"], "gone-for-account");
    assert_eq!(account["severity"], "error");
    assert_eq!(account["namespace"], ns.as_str());
    assert!(
        account["fix"].as_str().unwrap().contains(&format!(
            "kubectl regcred detach gone-for-account -n {ns} --service-account builder"
        )),
        "{account}"
    );
    let pod = missing
        .iter()
        .find(|f| f["pod"] == "web")
        .unwrap_or_else(|| panic!("{report:#}"));
    assert_eq!(pod["secret"], "gone-for-pod");

    let expired = with_id(&report, "token_expired");
    let mut expired_secrets: Vec<&str> = expired
        .iter()
        .map(|f| f["secret"].as_str().unwrap())
        .collect();
    expired_secrets.sort();
    assert_eq!(expired_secrets, ["annotated", "jwt"], "{report:#}");
    assert!(expired.iter().all(|f| f["severity"] == "error"));

    let drift = with_id(&report, "credentials_drift");
    assert_eq!(drift.len(), 1, "{report:#}");
    assert_eq!(drift[0]["registry"], "ghcr.io");
    assert_eq!(drift[0]["severity"], "warning");
    let mut drifting = vec![ns.clone(), other.clone()];
    drifting.sort();
    assert_eq!(drift[0]["namespaces"], serde_json::json!(drifting));

    let unused = with_id(&report, "secret_unused");
    let unused: Vec<&str> = unused
        .iter()
        .map(|f| f["secret"].as_str().unwrap())
        .collect();
    assert_eq!(unused, ["spare"], "{report:#}");

    // The secrets with their registries and users.
    let mine = report["namespaces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["namespace"] == ns.as_str())
        .unwrap();
    let shared = mine["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "shared")
        .unwrap();
    assert_eq!(shared["type"], "kubernetes.io/dockerconfigjson");
    assert_eq!(
        shared["registries"],
        serde_json::json!([{"registry": "ghcr.io", "username": "robot"}])
    );
    assert_eq!(shared["serviceAccounts"], serde_json::json!(["default"]));
    let jwt = mine["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "jwt")
        .unwrap();
    assert_eq!(jwt["expiresAt"], "2020-09-13T12:26:40Z");
    assert_eq!(jwt["expirySource"], "jwt");
    assert_eq!(jwt["pods"], serde_json::json!(["web"]));
    assert_eq!(report["summary"]["error"], 4, "{report:#}");
}

#[test]
fn status_of_a_clean_namespace_finds_nothing_and_exits_0() {
    let env = TestEnv::new("status-clean");
    let ns = env.namespace.clone();
    create(
        &env,
        &ns,
        "regcred",
        "ghcr.io",
        PLAIN_PASSWORD,
        &["--attach"],
    );
    let (code, report, _, stderr) = status(&env, &ns, &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(report["findings"], serde_json::json!([]), "{report:#}");
    assert_eq!(report["summary"]["secrets"], 1);

    // The table for people says the same.
    let output = env.regcred().args(["status", "-n", &ns]).output().unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("ghcr.io (robot)"), "{stdout}");
    assert!(
        stdout.contains("1 pull secret in 1 namespace: 0 errors"),
        "{stdout}"
    );
}

/// What breaks when a token expires: a Deployment, a StatefulSet and a CronJob on the real
/// node pull with a secret (through the default service account) whose token expires in 2 h,
/// set as `create --provider` and `refresh` set it (the expires-at annotation). The controller
/// manager makes their pods; the finding names all three, and `-o json` lists them.
#[test]
fn status_names_the_workloads_an_expiring_token_breaks() {
    let registry = crate::registries::registries();
    let node = crate::node::node();
    let env = node.env("status-what-breaks");
    let ns = env.namespace.clone();
    // 2 h and a few minutes: `expires in 2h`, whatever the seconds the test takes.
    let expires = k8s_openapi::jiff::Timestamp::now()
        .checked_add(k8s_openapi::jiff::SignedDuration::from_secs(2 * 3600 + 300))
        .unwrap()
        .to_string();
    let annotation = format!("regcred.kubectl.io/expires-at={expires}");
    create(
        &env,
        &ns,
        "regcred",
        &registry.http,
        &registry.password,
        &["--attach", "--annotation", &annotation],
    );
    let image = format!("{}/{}", registry.http, registry.image);
    let template = |app: &str| {
        serde_json::json!({
            "metadata": {"labels": {"app": app}},
            "spec": {"terminationGracePeriodSeconds": 0,
                     "containers": [{"name": "app", "image": image}]},
        })
    };
    let selector = |app: &str| serde_json::json!({"matchLabels": {"app": app}});
    env.apply(
        &serde_json::json!({
            "apiVersion": "v1", "kind": "List", "items": [
                {"apiVersion": "apps/v1", "kind": "Deployment",
                 "metadata": {"name": "web", "namespace": ns},
                 "spec": {"replicas": 1, "selector": selector("web"), "template": template("web")}},
                {"apiVersion": "apps/v1", "kind": "StatefulSet",
                 "metadata": {"name": "db", "namespace": ns},
                 "spec": {"replicas": 1, "serviceName": "db", "selector": selector("db"),
                          "template": template("db")}},
                // CronJobs are batch/v1beta1 on this 1.20 API server.
                {"apiVersion": "batch/v1beta1", "kind": "CronJob",
                 "metadata": {"name": "nightly", "namespace": ns},
                 "spec": {"schedule": "* * * * *", "concurrencyPolicy": "Forbid",
                          "jobTemplate": {"spec": {"template": {
                              "spec": {"restartPolicy": "Never", "terminationGracePeriodSeconds": 0,
                                       "containers": [{"name": "app", "image": image}]}}}}}},
            ],
        })
        .to_string(),
    );
    // The controllers make the pods: the Deployment's through a ReplicaSet, the CronJob's
    // through a Job, within a minute of its schedule.
    let made = eventually(Duration::from_secs(150), || {
        ["web-", "db-", "nightly-"]
            .iter()
            .all(|prefix| !env.pods_named(prefix).is_empty())
    });
    assert!(
        made,
        "pods never made: {}",
        env.kubectl_ok(&["get", "all", "-n", &ns])
    );

    let (code, report, stdout, stderr) = status(&env, &ns, &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stdout.contains(&registry.password) && !stderr.contains(&registry.password));
    let expiring = with_id(&report, "token_expires");
    assert_eq!(expiring.len(), 1, "{report:#}");
    let finding = expiring[0];
    assert_eq!(finding["severity"], "info");
    assert_eq!(finding["secret"], "regcred");
    assert_eq!(
        finding["workloads"],
        serde_json::json!(["cronjob/nightly", "deployment/web", "statefulset/db"])
    );
    let message = finding["message"].as_str().unwrap();
    assert!(
        message.starts_with("the token in secret \"regcred\" expires in 2h"),
        "{message}"
    );
    assert!(
        message.contains(&format!(
            ": 3 workloads, 3 pods in {ns} pull with it: cronjob/nightly, deployment/web, statefulset/db"
        )),
        "{message}"
    );
    let secret = &report["namespaces"][0]["secrets"][0];
    assert_eq!(secret["podsPulling"], 3, "{secret:#}");
    for (i, workload) in ["cronjob/nightly", "deployment/web", "statefulset/db"]
        .iter()
        .enumerate()
    {
        assert_eq!(
            secret["workloads"][i],
            serde_json::json!({"workload": workload, "pods": 1, "images": [image]}),
            "{secret:#}"
        );
    }

    // The table for people names them too.
    let output = env.regcred().args(["status", "-n", &ns]).output().unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("WORKLOADS"), "{stdout}");
    assert!(
        stdout.contains("token_expires: the token in secret \"regcred\" expires in 2h"),
        "{stdout}"
    );
    assert!(
        stdout.contains("cronjob/nightly, deployment/web, statefulset/db"),
        "{stdout}"
    );
}
