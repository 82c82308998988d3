//! Authentication the way kubectl does it (issue 9): client certificates, token files, exec
//! credential plugins and merged `KUBECONFIG` files, against the real API server.
//!
//! The contexts `cert`, `cert-files` and `token-file` come from `scripts/testenv.sh`; the tests
//! write their own kubeconfigs for the exec plugin (`tests/fixtures/exec-plugin`), a foreign
//! CA and the merged files, from what the control plane's state directory holds.

use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Output};

use serde_json::{Value, json};

use crate::support::{TestEnv, repo_root, texts};

/// The stand-in exec credential plugin.
fn exec_plugin() -> PathBuf {
    repo_root().join("tests/fixtures/exec-plugin/regcred-test-credential")
}

/// What a kubeconfig written by a test needs from the control plane of `scripts/testenv.sh`.
struct ControlPlane {
    dir: PathBuf,
    server: String,
}

impl ControlPlane {
    fn of(env: &TestEnv) -> Self {
        let dir = env
            .kubeconfig
            .parent()
            .expect("the kubeconfig is in the control plane's state directory")
            .to_path_buf();
        assert!(
            dir.join("tokens.csv").exists(),
            "auth tests need the control plane of scripts/testenv.sh (no tokens.csv in {})",
            dir.display()
        );
        let server = read_trimmed(&dir.join("server"));
        ControlPlane { dir, server }
    }

    fn ca(&self) -> PathBuf {
        self.dir.join("pki/ca.crt")
    }

    /// The bearer token of a static user: `admin`, `readonly` or `nobody`.
    fn token(&self, user: &str) -> String {
        let user = format!("regcred-{user}");
        read_trimmed(&self.dir.join("tokens.csv"))
            .lines()
            .find_map(|line| {
                let mut fields = line.split(',');
                let token = fields.next()?;
                (fields.next()? == user).then(|| token.to_string())
            })
            .unwrap_or_else(|| panic!("no user {user} in tokens.csv"))
    }

    /// A kubeconfig of one context, `name`, for this cluster and `user`, acting in `namespace`.
    fn kubeconfig(&self, name: &str, user: Value, namespace: &str) -> Value {
        json!({
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": "regcred-test", "cluster": {
                "server": self.server,
                "certificate-authority": self.ca(),
            }}],
            "users": [{"name": name, "user": user}],
            "contexts": [{"name": name, "context": {
                "cluster": "regcred-test", "user": name, "namespace": namespace,
            }}],
            "current-context": name,
        })
    }
}

fn read_trimmed(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("read {}: {err}", path.display()))
        .trim()
        .to_string()
}

/// Writes a kubeconfig (JSON is YAML) into the test's HOME, owner-only as kubectl writes them.
fn write_kubeconfig(env: &TestEnv, name: &str, config: &Value) -> PathBuf {
    let path = env.write_file(name, &serde_json::to_string_pretty(config).unwrap());
    set_owner_only(&path);
    path
}

fn set_owner_only(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

/// The real kubectl with `kubeconfig` (a path or a `KUBECONFIG` list) and the test's HOME.
fn kubectl_with(env: &TestEnv, kubeconfig: &std::ffi::OsStr, args: &[&str]) -> Output {
    StdCommand::new("kubectl")
        .args(args)
        .env("KUBECONFIG", kubeconfig)
        .env("HOME", env.home.path())
        .output()
        .expect("run kubectl")
}

/// `create regcred --attach` in the test's namespace with `password` on stdin and `extra` flags.
fn create_attach(env: &TestEnv, password: &str, extra: &[&str]) -> Output {
    env.regcred()
        .args([
            "create",
            "regcred",
            "--server",
            "ghcr.io",
            "--username",
            "u",
        ])
        .args(["--password-stdin", "--attach", "-n", &env.namespace])
        .args(extra)
        .write_stdin(format!("{password}\n"))
        .output()
        .expect("run kubectl-regcred")
}

/// The run succeeded, created the secret and attached it to the default service account.
fn assert_created_and_attached(env: &TestEnv, output: &Output) {
    let (stdout, stderr) = texts(output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        stdout,
        format!(
            "secret/regcred created in namespace {}; attached to serviceaccount/default\n",
            env.namespace
        )
    );
    assert!(env.get_json("secret", "regcred").is_some());
    assert_eq!(env.pull_secrets_of(&env.namespace, "default"), ["regcred"]);
}

/// A failed run: exit 1, nothing on stdout, a one-line reason on stderr and no stack trace.
fn assert_clean_failure(output: &Output) -> String {
    let (stdout, stderr) = texts(output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stdout.is_empty(),
        "failures print nothing on stdout: {stdout}"
    );
    assert!(stderr.contains("error: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("RUST_BACKTRACE"), "{stderr}");
    stderr
}

// --- client certificates ------------------------------------------------------------------

#[test]
fn client_certificate_data_in_the_kubeconfig_authenticates() {
    let env = TestEnv::new("auth-cert-data");
    let output = create_attach(&env, "pw", &["--context", "cert"]);
    assert_created_and_attached(&env, &output);
}

#[test]
fn client_certificate_and_key_files_authenticate() {
    let env = TestEnv::new("auth-cert-files");
    let output = create_attach(&env, "pw", &["--context", "cert-files"]);
    assert_created_and_attached(&env, &output);
}

/// Runs openssl, failing the test with its stderr.
fn openssl(args: &[&str], dir: &Path) {
    let output = StdCommand::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run openssl");
    assert!(
        output.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_client_certificate_from_another_ca_is_rejected_naming_the_server_and_context() {
    let env = TestEnv::new("auth-cert-foreign");
    let plane = ControlPlane::of(&env);
    let pki = env.home.path().join("foreign-pki");
    std::fs::create_dir(&pki).unwrap();
    // Same subject as the real client certificate, so only the issuer differs.
    openssl(
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=not-the-cluster-ca",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
        ],
        &pki,
    );
    openssl(
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/O=system:masters/CN=regcred-cert-admin",
            "-keyout",
            "client.key",
            "-out",
            "client.csr",
        ],
        &pki,
    );
    std::fs::write(pki.join("client.ext"), "extendedKeyUsage=clientAuth\n").unwrap();
    openssl(
        &[
            "x509",
            "-req",
            "-in",
            "client.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "1",
            "-extfile",
            "client.ext",
            "-out",
            "client.crt",
        ],
        &pki,
    );
    let user = json!({
        "client-certificate": pki.join("client.crt"),
        "client-key": pki.join("client.key"),
    });
    let kubeconfig = write_kubeconfig(
        &env,
        "foreign-cert.kubeconfig",
        &plane.kubeconfig("foreign-cert", user, &env.namespace),
    );

    // kubectl refuses it too: the API server does not know the issuer.
    // (A raw request: no discovery first, whose 401 kubectl words differently.)
    let kubectl = kubectl_with(&env, kubeconfig.as_os_str(), &["get", "--raw", "/api"]);
    let (_, kubectl_stderr) = texts(&kubectl);
    assert!(!kubectl.status.success());
    assert!(kubectl_stderr.contains("Unauthorized"), "{kubectl_stderr}");

    let output = create_attach(&env, "pw", &["--kubeconfig", kubeconfig.to_str().unwrap()]);
    let stderr = assert_clean_failure(&output);
    assert!(stderr.contains(&plane.server), "names the server: {stderr}");
    assert!(
        stderr.contains("context foreign-cert"),
        "names the context: {stderr}"
    );
    assert!(stderr.contains("rejected the credentials"), "{stderr}");
    assert!(env.get_json("secret", "regcred").is_none());
}

// --- token files --------------------------------------------------------------------------

/// The `token-file` context reads the admin token from `DIR/admin-token`, which ends in a
/// newline (written by `echo`, as editors and `kubectl create token > file` do). kubectl trims
/// it (client-go's file token source uses `strings.TrimSpace`).
#[test]
fn token_file_ending_in_a_newline_authenticates_as_with_kubectl() {
    let env = TestEnv::new("auth-token-file-newline");
    let plane = ControlPlane::of(&env);
    assert!(
        std::fs::read_to_string(plane.dir.join("admin-token"))
            .unwrap()
            .ends_with('\n')
    );
    env.kubectl_ok(&[
        "get",
        "serviceaccount",
        "default",
        "-n",
        &env.namespace,
        "--context",
        "token-file",
    ]);
    let output = create_attach(&env, "pw", &["--context", "token-file"]);
    assert_created_and_attached(&env, &output);
}

/// The file is read when the plugin runs, not copied anywhere: replace the token and the next
/// run acts as the other user.
#[test]
fn token_file_authenticates_and_a_new_token_in_it_is_used_by_the_next_run() {
    let env = TestEnv::new("auth-token-file");
    let plane = ControlPlane::of(&env);
    let token_file = env.home.path().join("token");
    std::fs::write(&token_file, plane.token("admin")).unwrap();
    set_owner_only(&token_file);
    let kubeconfig = write_kubeconfig(
        &env,
        "token-file.kubeconfig",
        &plane.kubeconfig("by-file", json!({"tokenFile": token_file}), &env.namespace),
    );
    let flags = ["--kubeconfig", kubeconfig.to_str().unwrap()];

    assert_created_and_attached(&env, &create_attach(&env, "pw", &flags));

    // The read-only user may read secrets but not write them.
    std::fs::write(&token_file, plane.token("readonly")).unwrap();
    let stderr = assert_clean_failure(&create_attach(&env, "changed", &flags));
    assert!(stderr.contains("not allowed to"), "{stderr}");
    assert!(stderr.contains("(RBAC)"), "{stderr}");

    std::fs::write(&token_file, plane.token("admin")).unwrap();
    let output = create_attach(&env, "changed", &flags);
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.starts_with("secret/regcred configured"), "{stdout}");
}

#[test]
fn a_missing_token_file_is_an_error_naming_the_file() {
    let env = TestEnv::new("auth-token-file-missing");
    let plane = ControlPlane::of(&env);
    let missing = env.home.path().join("no-such-token");
    let kubeconfig = write_kubeconfig(
        &env,
        "missing-token.kubeconfig",
        &plane.kubeconfig("by-file", json!({"tokenFile": missing}), &env.namespace),
    );
    let output = create_attach(&env, "pw", &["--kubeconfig", kubeconfig.to_str().unwrap()]);
    let stderr = assert_clean_failure(&output);
    assert!(
        stderr.contains(missing.to_str().unwrap()),
        "names the file: {stderr}"
    );
    assert!(stderr.contains("No such file"), "{stderr}");
    assert!(env.get_json("secret", "regcred").is_none());
}

// --- exec credential plugins --------------------------------------------------------------

/// A kubeconfig whose user is the stand-in exec plugin, recording into `record`, with `extra_env`
/// added to its `exec.env`; `mode` is its `interactiveMode` (none: kube's default).
fn exec_kubeconfig(
    env: &TestEnv,
    plane: &ControlPlane,
    record: &Path,
    extra_env: &[(&str, &str)],
    mode: Option<&str>,
) -> PathBuf {
    let token_file = env.home.path().join("exec-token");
    std::fs::write(&token_file, plane.token("admin")).unwrap();
    set_owner_only(&token_file);
    let mut vars = vec![
        json!({"name": "REGCRED_TEST_TOKEN_FILE", "value": token_file}),
        json!({"name": "REGCRED_TEST_EXEC_RECORD", "value": record}),
    ];
    vars.extend(
        extra_env
            .iter()
            .map(|(name, value)| json!({"name": name, "value": value})),
    );
    let mut exec = json!({
        "apiVersion": "client.authentication.k8s.io/v1beta1",
        "command": exec_plugin(),
        "args": ["--cluster", "regcred-test"],
        "env": vars,
    });
    if let Some(mode) = mode {
        exec["interactiveMode"] = json!(mode);
    }
    write_kubeconfig(
        env,
        "exec.kubeconfig",
        &plane.kubeconfig("exec", json!({"exec": exec}), &env.namespace),
    )
}

/// One recorded invocation of the exec plugin.
struct Invocation {
    argv: Vec<String>,
    environ: Vec<String>,
    stdin: String,
}

fn invocations(record: &Path) -> Vec<Invocation> {
    let calls = std::fs::read_to_string(record.join("calls")).unwrap_or_default();
    (1..=calls.lines().count())
        .map(|n| {
            let read = |name: &str| {
                std::fs::read_to_string(record.join(format!("{name}.{n}")))
                    .unwrap_or_else(|err| panic!("{name}.{n}: {err}"))
            };
            Invocation {
                argv: read("argv").lines().map(str::to_string).collect(),
                environ: read("environ")
                    .split('\0')
                    .filter(|v| !v.is_empty())
                    .map(str::to_string)
                    .collect(),
                stdin: read("stdin"),
            }
        })
        .collect()
}

#[test]
fn exec_plugin_authenticates_gets_its_env_and_never_sees_the_registry_password() {
    let env = TestEnv::new("auth-exec");
    let plane = ControlPlane::of(&env);
    let record = env.home.path().join("exec-record");
    let kubeconfig = exec_kubeconfig(
        &env,
        &plane,
        &record,
        &[("REGCRED_TEST_GREETING", "hello-from-the-kubeconfig")],
        None,
    );
    let password = format!("registry-password-{}", std::process::id());

    let output = create_attach(
        &env,
        &password,
        &["--kubeconfig", kubeconfig.to_str().unwrap()],
    );
    assert_created_and_attached(&env, &output);

    let calls = invocations(&record);
    assert!(!calls.is_empty(), "the exec plugin was never run");
    for call in &calls {
        assert_eq!(call.argv, ["--cluster", "regcred-test"]);
        assert!(
            call.environ
                .iter()
                .any(|v| v == "REGCRED_TEST_GREETING=hello-from-the-kubeconfig"),
            "exec.env reached the plugin: {:?}",
            call.environ
        );
        let exec_info = call
            .environ
            .iter()
            .find_map(|v| v.strip_prefix("KUBERNETES_EXEC_INFO="))
            .expect("KUBERNETES_EXEC_INFO is set");
        let exec_info: Value = serde_json::from_str(exec_info).unwrap();
        assert_eq!(
            exec_info["apiVersion"],
            "client.authentication.k8s.io/v1beta1"
        );
        assert_eq!(exec_info["kind"], "ExecCredential");
        for text in call.argv.iter().chain(&call.environ).chain([&call.stdin]) {
            assert!(
                !text.contains(&password),
                "the registry password reached the exec plugin"
            );
        }
    }
}

/// A credential that has expired is fetched again before the next request, as client-go does.
#[test]
fn an_expired_exec_credential_is_fetched_again_for_later_requests() {
    let env = TestEnv::new("auth-exec-expired");
    let plane = ControlPlane::of(&env);
    let run = |ttl: &str| {
        let record = env.home.path().join(format!("record-ttl-{ttl}"));
        let kubeconfig = exec_kubeconfig(
            &env,
            &plane,
            &record,
            &[("REGCRED_TEST_EXEC_TTL", ttl)],
            None,
        );
        let output = create_attach(&env, "pw", &["--kubeconfig", kubeconfig.to_str().unwrap()]);
        let (_, stderr) = texts(&output);
        assert!(output.status.success(), "{stderr}");
        invocations(&record).len()
    };
    let long_lived = run("3600");
    // An already expired credential: every request (apply the secret, read and patch the
    // service account) needs a fresh one.
    let expired = run("0");
    assert!(long_lived >= 1);
    assert!(
        expired >= long_lived + 2,
        "expired credential: {expired} runs of the plugin, long-lived: {long_lived}"
    );
}

#[test]
fn a_failing_exec_plugin_is_an_error_with_its_message_and_exit_status() {
    let env = TestEnv::new("auth-exec-fails");
    let plane = ControlPlane::of(&env);
    let message = "regcred-test-credential: login expired, run sso-login";
    // kube's default passes the plugin's stderr through, as kubectl does; `Never` captures it.
    for (n, mode) in [None, Some("Never")].into_iter().enumerate() {
        let record = env.home.path().join(format!("record-{n}"));
        let kubeconfig = exec_kubeconfig(
            &env,
            &plane,
            &record,
            &[("REGCRED_TEST_EXEC_FAIL", message)],
            mode,
        );
        let output = create_attach(&env, "pw", &["--kubeconfig", kubeconfig.to_str().unwrap()]);
        let stderr = assert_clean_failure(&output);
        assert!(stderr.contains(message), "{mode:?}: {stderr}");
        assert!(stderr.contains("exit status: 1"), "{mode:?}: {stderr}");
        assert!(
            stderr.contains("regcred-test-credential"),
            "names the plugin: {stderr}"
        );
        assert!(!invocations(&record).is_empty());
    }
    assert!(env.get_json("secret", "regcred").is_none());
}

/// kube's error for a failed plugin is the `Debug` of its `Command` and `Output`: every
/// variable of the kubeconfig's `exec.env` and all the plugin printed on stdout.
#[test]
fn a_failing_exec_plugin_error_names_the_context_and_does_not_echo_its_environment() {
    let env = TestEnv::new("auth-exec-fails-quietly");
    let plane = ControlPlane::of(&env);
    let api_key = format!("exec-env-api-key-{}", std::process::id());
    let record = env.home.path().join("record");
    let kubeconfig = exec_kubeconfig(
        &env,
        &plane,
        &record,
        &[
            ("REGCRED_TEST_EXEC_FAIL", "login expired"),
            ("REGCRED_TEST_API_KEY", &api_key),
        ],
        Some("Never"),
    );
    let output = create_attach(&env, "pw", &["--kubeconfig", kubeconfig.to_str().unwrap()]);
    let stderr = assert_clean_failure(&output);
    assert!(stderr.contains("login expired"), "{stderr}");
    assert!(
        stderr.contains("context exec"),
        "names the context: {stderr}"
    );
    assert!(!stderr.contains(&api_key), "exec.env leaked: {stderr}");
    assert!(!stderr.contains("KUBERNETES_EXEC_INFO"), "{stderr}");
}

// --- merged KUBECONFIG files --------------------------------------------------------------

/// Three files split the way kubectl users split them: contexts (with current-context), users,
/// and clusters in another directory with a relative CA path. Each later file also holds an
/// entry the earlier one already named, which must lose, and file 2 names another
/// current-context, which must lose too.
fn merged_kubeconfigs(env: &TestEnv, plane: &ControlPlane, second_ns: &str) -> Vec<PathBuf> {
    let contexts = json!({
        "apiVersion": "v1", "kind": "Config",
        "contexts": [{"name": "merged", "context": {
            "cluster": "regcred-test", "user": "merged-admin", "namespace": env.namespace,
        }}],
        "current-context": "merged",
    });
    let users = json!({
        "apiVersion": "v1", "kind": "Config",
        "users": [
            {"name": "merged-admin", "user": {"token": plane.token("admin")}},
            {"name": "merged-readonly", "user": {"token": plane.token("readonly")}},
        ],
        "contexts": [
            // Loses to file 1's "merged": the read-only user could not create the secret.
            {"name": "merged", "context": {
                "cluster": "regcred-test", "user": "merged-readonly", "namespace": env.namespace,
            }},
            {"name": "second", "context": {
                "cluster": "regcred-test", "user": "merged-admin", "namespace": second_ns,
            }},
        ],
        "current-context": "second",
    });
    let clusters_dir = env.home.path().join("clusters");
    std::fs::create_dir(&clusters_dir).unwrap();
    std::fs::copy(plane.ca(), clusters_dir.join("ca.crt")).unwrap();
    let clusters = json!({
        "apiVersion": "v1", "kind": "Config",
        "clusters": [{"name": "regcred-test", "cluster": {
            "server": plane.server, "certificate-authority": "ca.crt",
        }}],
        // Loses to file 2's user of the same name.
        "users": [{"name": "merged-admin", "user": {"token": plane.token("readonly")}}],
    });
    let last = clusters_dir.join("clusters.kubeconfig");
    std::fs::write(&last, serde_json::to_string_pretty(&clusters).unwrap()).unwrap();
    set_owner_only(&last);
    vec![
        write_kubeconfig(env, "contexts.kubeconfig", &contexts),
        write_kubeconfig(env, "users.kubeconfig", &users),
        last,
    ]
}

fn join_paths(paths: &[PathBuf]) -> std::ffi::OsString {
    std::env::join_paths(paths).unwrap()
}

#[test]
fn merged_kubeconfig_files_are_read_as_kubectl_reads_them() {
    let env = TestEnv::new("auth-merged");
    let plane = ControlPlane::of(&env);
    let second_ns = TestEnv::unique("auth-merged-second");
    env.create_namespace(&second_ns, &[]);
    let files = merged_kubeconfigs(&env, &plane, &second_ns);
    let kubeconfig = join_paths(&files);

    let kubectl = kubectl_with(&env, &kubeconfig, &["config", "current-context"]);
    assert_eq!(String::from_utf8_lossy(&kubectl.stdout), "merged\n");

    // File 1's current-context, its namespace and file 2's user of that name.
    let output = env
        .regcred()
        .env("KUBECONFIG", &kubeconfig)
        .args(["create", "regcred", "--server", "ghcr.io", "-u", "u"])
        .args(["--password-stdin", "--attach"])
        .write_stdin("pw\n")
        .output()
        .unwrap();
    assert_created_and_attached(&env, &output);

    // A context only file 2 defines.
    let output = env
        .regcred()
        .env("KUBECONFIG", &kubeconfig)
        .args(["create", "regcred", "--server", "ghcr.io", "-u", "u"])
        .args(["--password-stdin", "--context", "second"])
        .write_stdin("pw\n")
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        stdout,
        format!("secret/regcred created in namespace {second_ns}\n")
    );
}

#[test]
fn the_kubeconfig_flag_overrides_the_kubeconfig_variable() {
    let env = TestEnv::new("auth-kubeconfig-flag");
    let plane = ControlPlane::of(&env);
    let second_ns = TestEnv::unique("auth-flag-second");
    let merged = join_paths(&merged_kubeconfigs(&env, &plane, &second_ns));
    let readonly = write_kubeconfig(
        &env,
        "readonly.kubeconfig",
        &plane.kubeconfig(
            "readonly-only",
            json!({"token": plane.token("readonly")}),
            &env.namespace,
        ),
    );
    let run = |kubeconfig: &Path, extra: &[&str]| {
        env.regcred()
            .env("KUBECONFIG", &merged)
            .args(["--kubeconfig", kubeconfig.to_str().unwrap()])
            .args(["create", "regcred", "--server", "ghcr.io", "-u", "u"])
            .args(["--password-stdin", "-n", &env.namespace])
            .args(extra)
            .write_stdin("pw\n")
            .output()
            .unwrap()
    };

    // The flag's file alone: its read-only user, although KUBECONFIG's would be admin.
    let stderr = assert_clean_failure(&run(&readonly, &[]));
    assert!(stderr.contains("not allowed to"), "{stderr}");

    // And none of KUBECONFIG's contexts.
    let output = run(&readonly, &["--context", "second"]);
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("context \"second\" not found"), "{stderr}");
    assert!(env.get_json("secret", "regcred").is_none());
}

/// client-go skips files in `KUBECONFIG` that do not exist; only `--kubeconfig` must exist.
#[test]
fn files_missing_from_the_kubeconfig_variable_are_skipped_as_kubectl_does() {
    let env = TestEnv::new("auth-merged-missing");
    let missing = env.home.path().join("not-written-yet.kubeconfig");
    let kubeconfig = join_paths(&[missing, env.kubeconfig.to_path_buf()]);
    let kubectl = kubectl_with(
        &env,
        &kubeconfig,
        &["get", "serviceaccount", "default", "-n", &env.namespace],
    );
    assert!(
        kubectl.status.success(),
        "{}",
        String::from_utf8_lossy(&kubectl.stderr)
    );
    let output = env
        .regcred()
        .env("KUBECONFIG", &kubeconfig)
        .args(["create", "regcred", "--server", "ghcr.io", "-u", "u"])
        .args(["--password-stdin", "--attach", "-n", &env.namespace])
        .write_stdin("pw\n")
        .output()
        .unwrap();
    assert_created_and_attached(&env, &output);
}
