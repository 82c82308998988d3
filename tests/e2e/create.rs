//! `create`: applies a pull secret, idempotently, with kubectl's dry-run and output flags.

use crate::support::{TestEnv, dockerconfigjson, texts};

fn create(env: &TestEnv, password: &str, extra: &[&str]) -> std::process::Output {
    let mut cmd = env.regcred();
    cmd.args([
        "create",
        "regcred",
        "--server",
        "ghcr.io",
        "--username",
        "u",
    ])
    .args(["--password-stdin", "-n", &env.namespace])
    .args(extra)
    .write_stdin(format!("{password}\n"));
    cmd.output().expect("run kubectl-regcred")
}

fn resource_version(env: &TestEnv) -> String {
    let secret = env.get_json("secret", "regcred").expect("secret exists");
    secret["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn creates_the_secret_then_reports_unchanged_and_keeps_the_resource_version() {
    let env = TestEnv::new("create-unchanged");
    let first = create(&env, "hunter2", &[]);
    let (stdout, stderr) = texts(&first);
    assert!(first.status.success(), "{stderr}");
    assert_eq!(
        stdout,
        format!("secret/regcred created in namespace {}\n", env.namespace)
    );

    let secret = env
        .get_json("secret", "regcred")
        .expect("secret was created");
    assert_eq!(secret["type"], "kubernetes.io/dockerconfigjson");
    let config: serde_json::Value = serde_json::from_slice(&dockerconfigjson(&secret)).unwrap();
    assert_eq!(
        config,
        serde_json::json!({"auths": {"ghcr.io": {"username": "u", "password": "hunter2", "auth": "dTpodW50ZXIy"}}})
    );
    let shown = env.kubectl_ok(&[
        "get",
        "secret",
        "regcred",
        "-n",
        &env.namespace,
        "-o",
        "json",
        "--show-managed-fields",
    ]);
    let shown: serde_json::Value = serde_json::from_str(&shown).unwrap();
    let managers: Vec<_> = shown["metadata"]["managedFields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["manager"].as_str().unwrap(),
                m["operation"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(managers, [("kubectl-regcred", "Apply")]);
    let before = resource_version(&env);

    let second = create(&env, "hunter2", &[]);
    let (stdout, stderr) = texts(&second);
    assert!(second.status.success(), "{stderr}");
    assert_eq!(
        stdout,
        format!("secret/regcred unchanged in namespace {}\n", env.namespace)
    );
    assert_eq!(
        resource_version(&env),
        before,
        "an unchanged apply must not write"
    );
}

#[test]
fn a_new_password_reports_configured_and_updates_the_secret() {
    let env = TestEnv::new("create-configured");
    assert!(create(&env, "one", &[]).status.success());
    let output = create(&env, "two", &[]);
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.starts_with("secret/regcred configured"), "{stdout}");
    let secret = env.get_json("secret", "regcred").unwrap();
    let config: serde_json::Value = serde_json::from_slice(&dockerconfigjson(&secret)).unwrap();
    assert_eq!(config["auths"]["ghcr.io"]["password"], "two");
}

#[test]
fn dry_run_client_prints_the_manifest_and_creates_nothing() {
    let env = TestEnv::new("dry-run-client");
    let output = create(&env, "hunter2", &["--dry-run=client", "-o", "yaml"]);
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.starts_with("apiVersion: v1\n"), "{stdout}");
    assert!(stdout.contains("kind: Secret\n"), "{stdout}");
    assert!(
        stdout.contains("type: kubernetes.io/dockerconfigjson\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("namespace: {}\n", env.namespace)),
        "{stdout}"
    );
    assert!(
        env.get_json("secret", "regcred").is_none(),
        "dry run created the secret"
    );
}

#[test]
fn dry_run_client_needs_no_cluster_and_takes_the_namespace_from_the_context() {
    let env = TestEnv::without_namespace();
    let kubeconfig = env.write_file(
        "offline-kubeconfig",
        "apiVersion: v1\nkind: Config\ncurrent-context: c\n\
         clusters: [{name: x, cluster: {server: 'https://127.0.0.1:1'}}]\n\
         users: [{name: u, user: {token: t}}]\n\
         contexts: [{name: c, context: {cluster: x, user: u, namespace: from-context}}]\n",
    );
    let output = env
        .regcred()
        .args([
            "create",
            "regcred",
            "-u",
            "u",
            "--password-stdin",
            "--dry-run=client",
            "-o",
            "json",
        ])
        .arg("--kubeconfig")
        .arg(&kubeconfig)
        .write_stdin("pw")
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    let secret: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(secret["metadata"]["namespace"], "from-context");
    let config: serde_json::Value = serde_json::from_slice(&dockerconfigjson(&secret)).unwrap();
    assert!(
        config["auths"]["https://index.docker.io/v1/"].is_object(),
        "{config}"
    );

    // No kubeconfig at all: the namespace is "default".
    let output = env
        .regcred()
        .args([
            "create",
            "regcred",
            "-u",
            "u",
            "--password-stdin",
            "--dry-run=client",
        ])
        .env("KUBECONFIG", env.home.path().join("missing"))
        .write_stdin("pw")
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        stdout,
        "secret/regcred created in namespace default (dry run)\n"
    );
}

#[test]
fn dry_run_server_validates_and_persists_nothing() {
    let env = TestEnv::new("dry-run-server");
    let output = create(&env, "hunter2", &["--dry-run=server"]);
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        stdout,
        format!(
            "secret/regcred created in namespace {} (server dry run)\n",
            env.namespace
        )
    );
    assert!(env.get_json("secret", "regcred").is_none());

    assert!(create(&env, "hunter2", &[]).status.success());
    let before = env.get_json("secret", "regcred").unwrap();
    let output = create(&env, "changed", &["--dry-run=server"]);
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.contains("configured") && stdout.contains("(server dry run)"),
        "{stdout}"
    );
    assert_eq!(
        env.get_json("secret", "regcred").unwrap()["data"],
        before["data"]
    );
}

#[test]
fn output_json_is_a_report_without_secret_content() {
    let env = TestEnv::new("output-json");
    let output = create(&env, "hunter2", &["-o", "json"]);
    assert!(output.status.success());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["command"], "create");
    assert_eq!(report["results"][0]["namespace"], env.namespace.as_str());
    assert_eq!(report["results"][0]["status"], "created");
    assert_eq!(report["results"][0]["secret"], "created");
    assert_eq!(report["summary"]["created"], 1);
    assert!(
        !String::from_utf8_lossy(&output.stdout).contains("data"),
        "no secret content in reports"
    );
}

#[test]
fn docker_hub_is_the_default_server_and_the_namespace_comes_from_the_context() {
    let env = TestEnv::new("docker-hub-default");
    let context_ns = env.write_file("kubeconfig-ns", "");
    // A copy of the test kubeconfig whose context points at this test's namespace.
    let mut original = std::fs::read_to_string(crate::support::kubeconfig()).unwrap();
    original = original.replace(
        "context: {cluster: regcred-test, user: admin}",
        &format!(
            "context: {{cluster: regcred-test, user: admin, namespace: {}}}",
            env.namespace
        ),
    );
    std::fs::write(&context_ns, original).unwrap();
    let output = env
        .regcred()
        .args(["create", "hub", "-u", "alice", "--password-stdin"])
        .env("KUBECONFIG", &context_ns)
        .write_stdin("pw")
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        stdout,
        format!("secret/hub created in namespace {}\n", env.namespace)
    );
    let secret = env.get_json("secret", "hub").unwrap();
    let config: serde_json::Value = serde_json::from_slice(&dockerconfigjson(&secret)).unwrap();
    assert_eq!(
        config["auths"]["https://index.docker.io/v1/"]["username"],
        "alice"
    );
}

#[test]
fn password_file_is_read_without_its_trailing_newline() {
    let env = TestEnv::new("password-file");
    let file = env.write_file("token", "from-a-file\n");
    let output = env
        .regcred()
        .args([
            "create",
            "regcred",
            "-s",
            "quay.io",
            "-u",
            "u",
            "-n",
            &env.namespace,
        ])
        .arg("--password-file")
        .arg(&file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", texts(&output).1);
    let secret = env.get_json("secret", "regcred").unwrap();
    let config: serde_json::Value = serde_json::from_slice(&dockerconfigjson(&secret)).unwrap();
    assert_eq!(config["auths"]["quay.io"]["password"], "from-a-file");
}

#[test]
fn version_flag_prints_the_crate_version() {
    let env = TestEnv::without_namespace();
    let output = env.regcred().arg("--version").output().unwrap();
    assert!(output.status.success());
    assert_eq!(
        texts(&output).0,
        format!("kubectl-regcred {}\n", env!("CARGO_PKG_VERSION"))
    );
}
