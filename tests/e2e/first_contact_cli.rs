//! Issue 16, first contact: quiet logs, help, the demo and older warts.
//!
//! The demo's own tests (its packages, `kubectl plugin list` on its PATH) need no cluster and
//! live in tests/kubectl_plugin.rs.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::{Value, json};

use crate::support::{TestEnv, texts};

/// The test cluster's kubeconfig, everything inline, as JSON: the base of the kubeconfigs the
/// tests below write.
fn test_kubeconfig(env: &TestEnv) -> Value {
    let text = env.kubectl_ok(&["config", "view", "--raw", "-o", "json"]);
    serde_json::from_str(&text).expect("kubectl config view prints JSON")
}

/// Writes a kubeconfig (JSON is YAML) into the test's HOME.
fn write_kubeconfig(env: &TestEnv, name: &str, config: &Value) -> PathBuf {
    env.write_file(name, &serde_json::to_string_pretty(config).unwrap())
}

/// The plugin with `args`, and a password on stdin.
fn regcred(env: &TestEnv, args: &[&str]) -> Output {
    env.regcred()
        .args(args)
        .write_stdin("pw\n")
        .output()
        .unwrap()
}

/// `create regcred` for ghcr.io with the password on stdin and `extra` flags.
fn create(env: &TestEnv, extra: &[&str]) -> Output {
    let create: Vec<&str> = "create regcred -s ghcr.io -u u --password-stdin"
        .split(' ')
        .collect();
    regcred(env, &[&create, extra].concat())
}

fn path_arg(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 temp path")
}

// --- bad input ------------------------------------------------------------------------------

#[test]
fn issue_16_a_bad_label_selector_is_a_usage_error_naming_the_flag_and_the_selector() {
    let env = TestEnv::without_namespace();
    for (args, flag, selector) in [
        (
            &["status", "--namespace-selector", "a b !!"][..],
            "--namespace-selector",
            "a b !!",
        ),
        (
            &[
                "create",
                "regcred",
                "-u",
                "u",
                "--password-stdin",
                "--namespace-selector",
                "team in (a",
            ],
            "--namespace-selector",
            "team in (a",
        ),
        (
            &["diagnose", "-A", "-l", "app=web,,x"],
            "--selector",
            "app=web,,x",
        ),
        (
            &["heal", "--namespace-selector", "!"],
            "--namespace-selector",
            "!",
        ),
    ] {
        let output = regcred(&env, args);
        let (stdout, stderr) = texts(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(
            stderr.contains(&format!(
                "invalid value '{selector}' for '{flag} <SELECTOR>'"
            )),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("a label selector is"), "{stderr}");
        assert!(!stderr.contains("cannot list"), "never sent: {stderr}");
    }
    // What kubectl accepts goes through to the cluster.
    for selector in [
        "kubernetes.io/metadata.name in (nope), !x",
        "team=",
        "tier notin ()",
    ] {
        let output = env
            .regcred()
            .args(["status", "--namespace-selector", selector])
            .output()
            .unwrap();
        let (_, stderr) = texts(&output);
        assert_ne!(output.status.code(), Some(2), "{selector}: {stderr}");
        assert!(!stderr.contains("invalid value"), "{selector}: {stderr}");
    }
}

#[test]
fn issue_16_no_username_is_missing_and_says_how_to_give_it() {
    let env = TestEnv::without_namespace();
    for args in [
        &["create", "regcred", "-s", "ghcr.io", "--password-stdin"][..],
        &["create", "regcred", "-s", "ghcr.io"],
    ] {
        let output = regcred(&env, args);
        let (_, stderr) = texts(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("error: missing --username: pass --username USER (or -u USER)"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("is empty"), "{stderr}");
    }
}

/// clap's error usage lists the flags given, which reads as if they were all required: every
/// subcommand's error shows the usage line its help shows.
#[test]
fn issue_16_an_unknown_flag_shows_the_usage_line_of_the_help() {
    let env = TestEnv::without_namespace();
    for line in [
        "create regcred --server ghcr.io --username u --password-stdin --from-docker-config",
        "create regcred -s ghcr.io -u u --password-file f",
        "attach regcred --service-account builder --heal",
        "diagnose -l app=web --verify",
        "check regcred --image nginx --plain-http",
        "login ghcr.io -u u --password-stdin",
        "sync --from-secret default/regcred --watch",
        "refresh --before 2h --force",
    ] {
        let args: Vec<&str> = line.split(' ').collect();
        let help = env.regcred().args([args[0], "--help"]).output().unwrap();
        let help_usage = usage_line(&texts(&help).0);
        let output = regcred(&env, &[&args[..], &["--bogus"]].concat());
        let (_, stderr) = texts(&output);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("unexpected argument '--bogus'"), "{stderr}");
        assert_eq!(usage_line(&stderr), help_usage, "{args:?}");
        assert!(help_usage.contains("[OPTIONS]"), "{help_usage}");
    }
    // The same for a conflict between flags.
    let output = create(&env, &["--password-file", "f"]);
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(
        usage_line(&stderr),
        "Usage: kubectl regcred create [OPTIONS] <NAME>"
    );
}

fn usage_line(text: &str) -> String {
    text.lines()
        .find(|line| line.starts_with("Usage: "))
        .unwrap_or_else(|| panic!("no usage line in:\n{text}"))
        .to_string()
}

// --- noise ----------------------------------------------------------------------------------

/// kube warns "Server cert bypassed" on every connection to an `insecure-skip-tls-verify`
/// cluster; kubectl says nothing. Quiet at -v=0, one line at -v=1.
#[test]
fn issue_16_insecure_skip_tls_verify_is_said_once_at_v1_and_never_warned() {
    let env = TestEnv::new("fc-tls-bypass");
    let mut config = test_kubeconfig(&env);
    for cluster in config["clusters"].as_array_mut().unwrap() {
        let cluster = cluster["cluster"].as_object_mut().unwrap();
        cluster.remove("certificate-authority-data");
        cluster.remove("certificate-authority");
        cluster.insert("insecure-skip-tls-verify".into(), json!(true));
    }
    let kubeconfig = write_kubeconfig(&env, "insecure.kubeconfig", &config);
    let context = config["current-context"].as_str().unwrap().to_string();
    let namespaces: Vec<String> = (0..10).map(|n| format!("{}-{n}", env.namespace)).collect();
    for namespace in &namespaces {
        env.create_namespace(namespace, &[]);
    }
    let run = |verbosity: &str| {
        let output = create(
            &env,
            &[
                "--attach",
                "-n",
                &namespaces.join(","),
                "--kubeconfig",
                path_arg(&kubeconfig),
                verbosity,
            ],
        );
        let (stdout, stderr) = texts(&output);
        assert_eq!(output.status.code(), Some(0), "{stderr}");
        assert!(stdout.contains("10 namespaces"), "{stdout}");
        assert!(!stderr.contains("WARN"), "{verbosity}: {stderr}");
        assert!(!stderr.contains("bypassed"), "{verbosity}: {stderr}");
        stderr
    };
    let quiet = run("-v=0");
    assert!(!quiet.contains("TLS"), "{quiet}");
    let info = run("-v=1");
    let said: Vec<&str> = info
        .lines()
        .filter(|line| line.contains("TLS verification is off"))
        .collect();
    assert_eq!(said.len(), 1, "{info}");
    assert!(
        said[0].contains(&format!("context {context:?} (insecure-skip-tls-verify)")),
        "{info}"
    );
}

// --- help -----------------------------------------------------------------------------------

/// `create --help`: create's own options first, kubectl's global ones under their own heading,
/// as `kubectl options` keeps them apart; the man page in the same order. `-l` is no longer
/// create's `--label`: in kubectl, `-l` is always a selector.
#[test]
fn issue_16_create_help_lists_its_own_options_before_the_global_ones() {
    let output = Command::new(env!("CARGO_BIN_EXE_kubectl-regcred"))
        .args(["create", "--help"])
        .env_clear()
        .output()
        .unwrap();
    let (help, _) = texts(&output);
    assert!(output.status.success());
    let options = help
        .split("\nExamples:\n")
        .next()
        .expect("help text before the examples");
    insta::assert_snapshot!("create_help_options", options);
    let at = |text: &str, needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in:\n{text}"))
    };
    assert!(at(options, "--server") < at(options, "\nGlobal options:\n"));
    assert!(at(options, "--dry-run") < at(options, "\nGlobal options:\n"));
    assert!(at(options, "\nGlobal options:\n") < at(options, "--kubeconfig"));
    assert!(!options.contains("-l, --label"), "{options}");

    let man = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("man/kubectl-regcred-create.1"),
    )
    .unwrap();
    let synopsis = man
        .lines()
        .skip_while(|line| *line != ".SH SYNOPSIS")
        .nth(1)
        .unwrap();
    assert!(
        at(synopsis, "\\-\\-dry\\-run") < at(synopsis, "\\-\\-kubeconfig"),
        "{synopsis}"
    );
    let sections = &man[at(&man, ".SH OPTIONS")..];
    let global = at(sections, ".SH \"GLOBAL OPTIONS\"");
    assert!(at(sections, "\\-\\-server") < global, "{man}");
    assert!(global < at(sections, "\\-\\-kubeconfig"), "{man}");

    let env = TestEnv::without_namespace();
    let output = create(&env, &["-l", "team=a", "--dry-run=client"]);
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("unexpected argument '-l'"), "{stderr}");
}

// --- older warts ----------------------------------------------------------------------------

/// `{"auths": null}` is valid JSON: the message names the null `auths`.
#[test]
fn issue_16_a_null_auths_is_named_not_called_invalid_json() {
    let env = TestEnv::new("fc-null-auths");
    use base64::Engine;
    let content = base64::engine::general_purpose::STANDARD.encode(r#"{"auths": null}"#);
    env.apply(
        &json!({
            "apiVersion": "v1",
            "kind": "Secret",
            "type": "kubernetes.io/dockerconfigjson",
            "metadata": {"name": "regcred", "namespace": env.namespace},
            "data": {".dockerconfigjson": content},
        })
        .to_string(),
    );
    let output = create(&env, &["-n", &env.namespace]);
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "holds a .dockerconfigjson that has a null \"auths\" where an object of registries \
             belongs: refusing to merge into it; pass --replace to overwrite it"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("not valid JSON"), "{stderr}");
}

/// The kubelet reads `registry-1.docker.io/library/nginx` as an image on a registry of that
/// name and tries only that host's keys: `--server registry-1.docker.io` gets its own key.
#[test]
fn issue_16_registry_1_docker_io_gets_its_own_key() {
    let env = TestEnv::new("fc-registry-1");
    for (name, server, key) in [
        (
            "api-host",
            "https://registry-1.docker.io/v2/",
            "registry-1.docker.io",
        ),
        ("hub", "docker.io", "https://index.docker.io/v1/"),
    ] {
        let output = regcred(
            &env,
            &[
                "create",
                name,
                "-s",
                server,
                "-u",
                "u",
                "--password-stdin",
                "-n",
                &env.namespace,
            ],
        );
        let (_, stderr) = texts(&output);
        assert_eq!(output.status.code(), Some(0), "{stderr}");
        let secret = env.get_json("secret", name).unwrap();
        let config: Value =
            serde_json::from_slice(&crate::support::dockerconfigjson(&secret)).unwrap();
        let keys: Vec<&String> = config["auths"].as_object().unwrap().keys().collect();
        assert_eq!(keys, [key], "{server}");
    }
}

/// kube ran an exec credential plugin three times for each client; kubectl runs it once. One
/// run per context per run, and the token it printed authenticates every request.
#[test]
fn issue_16_an_exec_plugin_runs_once_per_context_and_run() {
    let env = TestEnv::new("fc-exec-once");
    let mut config = test_kubeconfig(&env);
    let admin_token = config["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|user| user["name"] == "admin")
        .and_then(|user| user["user"]["token"].as_str())
        .expect("the test kubeconfig has a token user admin")
        .to_string();
    let token_file = env.write_file("exec-token", &admin_token);
    let record = env.home.path().join("exec-record");
    let cluster = config["clusters"][0]["name"].clone();
    let plugin = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/exec-plugin/regcred-test-credential");
    let exec_user = json!({"exec": {
        "apiVersion": "client.authentication.k8s.io/v1beta1",
        "command": plugin,
        "env": [
            {"name": "REGCRED_TEST_TOKEN_FILE", "value": token_file},
            {"name": "REGCRED_TEST_EXEC_RECORD", "value": record},
        ],
    }});
    config["users"] = json!([
        {"name": "exec-one", "user": exec_user},
        {"name": "exec-two", "user": exec_user},
    ]);
    config["contexts"] = json!([
        {"name": "one", "context": {"cluster": cluster, "user": "exec-one"}},
        {"name": "two", "context": {"cluster": cluster, "user": "exec-two"}},
    ]);
    config["current-context"] = json!("one");
    let kubeconfig = write_kubeconfig(&env, "exec.kubeconfig", &config);
    let calls = || {
        std::fs::read_to_string(record.join("calls"))
            .unwrap_or_default()
            .lines()
            .count()
    };

    let run = |contexts: &[&str]| {
        let flags = [
            "--attach",
            "-n",
            &env.namespace,
            "--kubeconfig",
            path_arg(&kubeconfig),
        ];
        let output = create(&env, &[&flags[..], contexts].concat());
        let (stdout, stderr) = texts(&output);
        assert_eq!(output.status.code(), Some(0), "{stderr}");
        stdout
    };

    // One context: the secret, the service account read and its patch, one plugin run.
    run(&[]);
    assert_eq!(env.pull_secrets_of(&env.namespace, "default"), ["regcred"]);
    assert_eq!(calls(), 1, "one context, one run");

    // Two contexts: one run each.
    let stdout = run(&["--context", "one,two"]);
    assert!(stdout.contains("in 2 contexts"), "{stdout}");
    assert_eq!(calls(), 3, "two contexts, one run each");
}

/// rustls refuses X.509 v1 client certificates, which kubectl (Go) accepts: the error says so
/// and what to do, instead of "invalid private key".
#[test]
fn issue_16_a_v1_client_certificate_is_explained() {
    let env = TestEnv::new("fc-v1-cert");
    let pki = env
        .kubeconfig
        .parent()
        .expect("the kubeconfig is in the control plane's state directory")
        .join("pki");
    assert!(
        pki.join("ca.key").exists(),
        "needs the control plane of scripts/testenv.sh (no {})",
        pki.join("ca.key").display()
    );
    let home = env.home.path();
    // No extensions: OpenSSL writes an X.509 v1 certificate.
    let issue = std::process::Command::new("sh")
        .args([
            "-c",
            "openssl req -new -newkey rsa:2048 -nodes -keyout v1.key -out v1.csr \
               -subj /O=system:masters/CN=regcred-v1 2>/dev/null && \
             openssl x509 -req -in v1.csr -CA \"$CA\" -CAkey \"$CA_KEY\" -set_serial 16 \
               -days 1 -out v1.crt",
        ])
        .env("CA", pki.join("ca.crt"))
        .env("CA_KEY", pki.join("ca.key"))
        .current_dir(home)
        .output()
        .expect("run openssl");
    assert!(issue.status.success(), "openssl: {}", texts(&issue).1);
    let mut config = test_kubeconfig(&env);
    config["users"] = json!([{"name": "v1", "user": {
        "client-certificate": home.join("v1.crt"),
        "client-key": home.join("v1.key"),
    }}]);
    let cluster = config["clusters"][0]["name"].clone();
    config["contexts"] = json!([{"name": "v1", "context": {"cluster": cluster, "user": "v1"}}]);
    config["current-context"] = json!("v1");
    let kubeconfig = write_kubeconfig(&env, "v1.kubeconfig", &config);

    // kubectl takes it.
    let kubectl = std::process::Command::new("kubectl")
        .args([
            "get",
            "namespace",
            &env.namespace,
            "--kubeconfig",
            path_arg(&kubeconfig),
        ])
        .env("HOME", home)
        .output()
        .unwrap();
    assert!(kubectl.status.success(), "{}", texts(&kubectl).1);

    let output = env
        .regcred()
        .args([
            "status",
            "-n",
            &env.namespace,
            "--kubeconfig",
            path_arg(&kubeconfig),
        ])
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr
            .contains("(kubeconfig context v1): the client certificate is an X.509 v1 certificate"),
        "{stderr}"
    );
    assert!(stderr.contains("issue a v3 certificate"), "{stderr}");
    assert!(!stderr.contains("invalid private key"), "{stderr}");
}
