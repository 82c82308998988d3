//! Bad input gets a clear message and exit code 2; cluster failures exit 1 and say what failed.

use std::net::TcpListener;

use crate::support::{TestEnv, texts};

/// Runs `create` with `args` appended and the password on stdin; returns (code, stderr).
fn create_with(env: &TestEnv, args: &[&str]) -> (i32, String) {
    let output = env
        .regcred()
        .arg("create")
        .args(args)
        .write_stdin("pw\n")
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("RUST_BACKTRACE"), "{stderr}");
    if output.status.code() != Some(0) {
        assert!(
            stdout.is_empty(),
            "failures print nothing on stdout: {stdout}"
        );
    }
    (output.status.code().unwrap_or(-1), stderr)
}

fn assert_usage_error(args: &[&str], expected: &[&str]) {
    let env = TestEnv::without_namespace();
    let (code, stderr) = create_with(&env, args);
    assert_eq!(code, 2, "{args:?}: {stderr}");
    for needle in expected {
        assert!(
            stderr.contains(needle),
            "{args:?}: expected {needle:?} in {stderr}"
        );
    }
}

#[test]
fn empty_username_is_a_usage_error() {
    assert_usage_error(
        &["s", "--username", "", "--password-stdin"],
        &["error: invalid --username: is empty"],
    );
}

#[test]
fn username_with_a_colon_is_a_usage_error() {
    assert_usage_error(
        &["s", "-u", "a:b", "--password-stdin"],
        &["--username", "':'"],
    );
}

#[test]
fn server_with_a_scheme_typo_is_a_usage_error() {
    assert_usage_error(
        &[
            "s",
            "--server",
            "htps://ghcr.io",
            "-u",
            "u",
            "--password-stdin",
        ],
        &["invalid --server \"htps://ghcr.io\"", "https://ghcr.io"],
    );
    assert_usage_error(
        &[
            "s",
            "--server",
            "https//ghcr.io",
            "-u",
            "u",
            "--password-stdin",
        ],
        &["invalid --server", "malformed scheme"],
    );
    assert_usage_error(
        &[
            "s",
            "--server",
            "ftp://ghcr.io",
            "-u",
            "u",
            "--password-stdin",
        ],
        &["invalid --server", "unknown scheme \"ftp\""],
    );
}

#[test]
fn server_with_a_path_typo_is_a_usage_error() {
    assert_usage_error(
        &[
            "s",
            "--server",
            "ghcr.io/acme/app:1.0",
            "-u",
            "u",
            "--password-stdin",
        ],
        &["invalid --server", "image reference", "\"ghcr.io\""],
    );
    assert_usage_error(
        &[
            "s",
            "--server",
            "ghcr.io//acme",
            "-u",
            "u",
            "--password-stdin",
        ],
        &["invalid --server", "invalid path"],
    );
}

#[test]
fn unreadable_password_file_is_a_usage_error_naming_the_file() {
    let env = TestEnv::without_namespace();
    let missing = env.home.path().join("no-such-token");
    let missing = missing.to_str().unwrap();
    let (code, stderr) = create_with(&env, &["s", "-u", "u", "--password-file", missing]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains(missing), "{stderr}");
    assert!(stderr.contains("No such file"), "{stderr}");

    let dir = env.home.path().to_str().unwrap();
    let (code, stderr) = create_with(&env, &["s", "-u", "u", "--password-file", dir]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains(dir), "{stderr}");

    let empty = env.write_file("empty", "\n");
    let (code, stderr) = create_with(
        &env,
        &["s", "-u", "u", "--password-file", empty.to_str().unwrap()],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("is empty"), "{stderr}");
}

#[test]
fn invalid_namespace_and_secret_names_are_usage_errors() {
    assert_usage_error(
        &["s", "-u", "u", "--password-stdin", "-n", "Team_A"],
        &["invalid namespace \"Team_A\"", "lowercase"],
    );
    assert_usage_error(
        &["Reg_Cred", "-u", "u", "--password-stdin", "-n", "team-a"],
        &["invalid secret name \"Reg_Cred\""],
    );
}

#[test]
fn missing_password_source_is_a_usage_error() {
    let env = TestEnv::without_namespace();
    let output = env
        .regcred()
        .args(["create", "s", "-u", "u"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = texts(&output).1;
    assert!(stderr.contains("--password-stdin"), "{stderr}");
}

#[test]
fn unreachable_api_server_fails_naming_the_server_and_the_context() {
    let env = TestEnv::without_namespace();
    // A port that was free a moment ago: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let kubeconfig = env.write_file(
        "unreachable",
        &format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: far-away\n\
             clusters: [{{name: x, cluster: {{server: 'https://127.0.0.1:{port}'}}}}]\n\
             users: [{{name: u, user: {{token: t}}}}]\n\
             contexts: [{{name: far-away, context: {{cluster: x, user: u}}}}]\n"
        ),
    );
    let (code, stderr) = create_with(
        &env,
        &[
            "s",
            "-u",
            "u",
            "--password-stdin",
            "--kubeconfig",
            kubeconfig.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!("https://127.0.0.1:{port}")),
        "{stderr}"
    );
    assert!(stderr.contains("far-away"), "{stderr}");
    assert!(stderr.contains("cannot reach the API server"), "{stderr}");
}

#[test]
fn unknown_context_is_a_usage_error() {
    assert_usage_error(
        &["s", "-u", "u", "--password-stdin", "--context", "nope"],
        &["context \"nope\" not found"],
    );
}

#[test]
fn missing_namespace_fails_with_the_command_that_creates_it() {
    let env = TestEnv::without_namespace();
    let (code, stderr) = create_with(
        &env,
        &["s", "-u", "u", "--password-stdin", "-n", "no-such-ns"],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("kubectl create namespace no-such-ns"),
        "{stderr}"
    );
}

#[test]
fn a_secret_of_another_type_is_left_alone() {
    let env = TestEnv::new("wrong-type");
    env.kubectl_ok(&[
        "create",
        "secret",
        "generic",
        "regcred",
        "-n",
        &env.namespace,
        "--from-literal=k=v",
    ]);
    let (code, stderr) = create_with(
        &env,
        &[
            "regcred",
            "-u",
            "u",
            "--password-stdin",
            "-n",
            &env.namespace,
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("has type \"Opaque\""), "{stderr}");
    let secret = env.get_json("secret", "regcred").unwrap();
    assert_eq!(secret["type"], "Opaque");
    assert_eq!(secret["data"]["k"], "dg==");
}

#[test]
fn a_user_without_write_access_gets_an_rbac_error() {
    let env = TestEnv::new("rbac-readonly");
    let (code, stderr) = create_with(
        &env,
        &[
            "regcred",
            "-u",
            "u",
            "--password-stdin",
            "-n",
            &env.namespace,
            "--context",
            "readonly",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("not allowed to apply secret/regcred"),
        "{stderr}"
    );
    assert!(stderr.contains("RBAC"), "{stderr}");
    assert!(env.get_json("secret", "regcred").is_none());
}

#[test]
fn a_secret_written_by_kubectl_is_updated_in_place_keeping_its_other_registries() {
    let env = TestEnv::new("kubectl-made");
    let ns = env.namespace.clone();
    env.kubectl_ok(&[
        "create",
        "secret",
        "docker-registry",
        "regcred",
        "-n",
        &ns,
        "--docker-server=quay.io",
        "--docker-username=q",
        "--docker-password=keep-me",
    ]);
    let (code, stderr) = create_with(
        &env,
        &[
            "regcred",
            "-s",
            "ghcr.io",
            "-u",
            "u",
            "--password-stdin",
            "-n",
            &ns,
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let secret = env.get_json("secret", "regcred").unwrap();
    let config: serde_json::Value =
        serde_json::from_slice(&crate::support::dockerconfigjson(&secret)).unwrap();
    assert_eq!(config["auths"]["quay.io"]["password"], "keep-me");
    assert_eq!(config["auths"]["ghcr.io"]["password"], "pw");
}

/// A refused cluster-wide read says so, instead of naming a namespace "" that nobody asked for.
#[test]
fn a_refused_cluster_wide_read_says_across_the_cluster() {
    let env = TestEnv::new("refused everywhere");
    for (command, kind) in [("status", "secrets"), ("diagnose", "pods")] {
        let output = env
            .regcred()
            .args([command, "-A", "--context", "nobody"])
            .output()
            .unwrap();
        let (_, stderr) = texts(&output);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        let wanted = format!("error: not allowed to list {kind} across the cluster (RBAC): ");
        assert!(stderr.starts_with(&wanted), "{stderr}");
        assert!(!stderr.contains("namespace \"\""), "{stderr}");
    }
}
