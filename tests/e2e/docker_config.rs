//! `create --from-docker-config`: inline entries, identity tokens, and real credential helpers
//! (Debian's `docker-credential-pass` over a throwaway GnuPG home and `pass` store).

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};

use assert_cmd::Command;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Value, json};

use crate::support::{TestEnv, dockerconfigjson, texts};

const SENTINEL: &str = "Sentinel-Helper-Secret-4b1d9e07-do-not-leak";

fn b64(s: &str) -> String {
    BASE64.encode(s)
}

/// Every form the sentinel could take in output: plain, and base64 at each byte alignment.
fn assert_no_leak(what: &str, text: &str) {
    let mut forms = vec![SENTINEL.to_string()];
    for offset in 0..3 {
        let mut bytes = vec![b'x'; offset];
        bytes.extend_from_slice(SENTINEL.as_bytes());
        let encoded = BASE64.encode(&bytes);
        let start = if offset == 0 { 0 } else { 4 };
        forms.push(encoded[start..encoded.len() - 4].to_string());
    }
    for form in forms {
        assert!(!text.contains(&form), "{what} leaks the secret:\n{text}");
    }
}

/// Writes the Docker config at its default place for this test ($DOCKER_CONFIG/config.json).
fn write_default_config(env: &TestEnv, config: &Value) -> PathBuf {
    let dir = env.home.path().join(".docker");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.json");
    std::fs::write(&path, serde_json::to_vec_pretty(config).unwrap()).unwrap();
    path
}

/// The `.dockerconfigjson` of secret `name` in the test's namespace, parsed.
fn secret_config(env: &TestEnv, name: &str) -> Value {
    let secret = env.get_json("secret", name).expect("secret exists");
    assert_eq!(secret["type"], "kubernetes.io/dockerconfigjson");
    serde_json::from_slice(&dockerconfigjson(&secret)).unwrap()
}

/// The kubectl layout of one username/password entry.
fn entry(user: &str, password: &str) -> Value {
    json!({"username": user, "password": password, "auth": b64(&format!("{user}:{password}"))})
}

/// A `pass` store with its own GnuPG home, both inside the test's HOME; the gpg-agent it
/// starts is stopped when the test ends.
pub(crate) struct PassStore {
    gnupg: PathBuf,
    store: PathBuf,
    bin: PathBuf,
}

impl PassStore {
    pub(crate) fn new(env: &TestEnv) -> Self {
        let home = env.home.path();
        let gnupg = home.join("gnupg");
        std::fs::create_dir_all(&gnupg).unwrap();
        std::fs::set_permissions(&gnupg, std::fs::Permissions::from_mode(0o700)).unwrap();
        let bin = home.join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let pass = PassStore {
            gnupg,
            store: home.join("password-store"),
            bin,
        };
        pass.run(
            "gpg",
            &[
                "--batch",
                "--passphrase",
                "",
                "--quick-gen-key",
                "regcred test <test@example.invalid>",
                "default",
                "default",
                "never",
            ],
            None,
            home,
        );
        let keys = pass.run("gpg", &["--list-keys", "--with-colons"], None, home);
        let fingerprint = keys
            .lines()
            .find_map(|line| line.strip_prefix("fpr:"))
            .and_then(|rest| rest.split(':').find(|f| !f.is_empty()))
            .expect("gpg printed a fingerprint")
            .to_string();
        pass.run("pass", &["init", &fingerprint], None, home);
        pass
    }

    fn run(&self, program: &str, args: &[&str], stdin: Option<&str>, home: &Path) -> String {
        let mut child = StdCommand::new(program)
            .args(args)
            .env("HOME", home)
            .env("GNUPGHOME", &self.gnupg)
            .env("PASSWORD_STORE_DIR", &self.store)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("run {program}: {e}"));
        let input = stdin.unwrap_or("").to_string();
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(input.as_bytes()).unwrap();
        drop(pipe);
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{program} {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// `docker-credential-pass store`, as `docker login` would call it.
    pub(crate) fn store(&self, env: &TestEnv, server: &str, username: &str, secret: &str) {
        let request = json!({"ServerURL": server, "Username": username, "Secret": secret});
        self.run(
            "docker-credential-pass",
            &["store"],
            Some(&request.to_string()),
            env.home.path(),
        );
    }

    /// Puts an executable `docker-credential-NAME` script on the test's PATH.
    fn helper_script(&self, name: &str, body: &str) {
        let path = self.bin.join(format!("docker-credential-{name}"));
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    /// The plugin, seeing this store and the scripts.
    pub(crate) fn regcred(&self, env: &TestEnv) -> Command {
        let mut cmd = env.regcred();
        let path = std::env::var("PATH").unwrap_or_default();
        cmd.env("GNUPGHOME", &self.gnupg)
            .env("PASSWORD_STORE_DIR", &self.store)
            .env("PATH", format!("{}:{path}", self.bin.display()));
        cmd
    }
}

impl Drop for PassStore {
    fn drop(&mut self) {
        let _ = StdCommand::new("gpgconf")
            .args(["--kill", "gpg-agent"])
            .env("GNUPGHOME", &self.gnupg)
            .status();
    }
}

#[test]
fn inline_auths_become_exactly_those_credentials() {
    let env = TestEnv::new("dc-inline");
    write_default_config(
        &env,
        &json!({
            "auths": {
                "https://index.docker.io/v1/": {"auth": b64("alice:hub:pw")},
                "https://ghcr.io/": {"username": "octo", "password": "gh-pw", "email": "o@example.com"},
                "quay.io": {"auth": b64("robot:quay-pw").trim_end_matches('=')},
                "https://index.docker.io/v1/access-token": {"auth": b64("x:y")}
            },
            "HttpHeaders": {"User-Agent": "Docker-Client/24"},
            "currentContext": "default"
        }),
    );
    let output = env
        .regcred()
        .args(["create", "regcred", "--from-docker-config", "--yes"])
        .args(["-n", &env.namespace])
        .write_stdin("")
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("secret/regcred created"), "{stdout}");
    let mut gh = entry("octo", "gh-pw");
    gh["email"] = json!("o@example.com");
    assert_eq!(
        secret_config(&env, "regcred"),
        json!({"auths": {
            "https://index.docker.io/v1/": entry("alice", "hub:pw"),
            "ghcr.io": gh,
            "quay.io": entry("robot", "quay-pw"),
        }})
    );
}

#[test]
fn server_picks_a_subset_under_any_spelling() {
    let env = TestEnv::new("dc-subset");
    let path = env.write_file(
        "elsewhere.json",
        &json!({"auths": {
            "docker.io": {"auth": b64("alice:hub")},
            "ghcr.io": {"auth": b64("octo:gh")},
            "quay.io": {"auth": b64("robot:quay")}
        }})
        .to_string(),
    );
    env.regcred()
        .args(["create", "regcred", "--from-docker-config"])
        .arg(&path)
        .args(["--server", "https://index.docker.io/v1/"])
        .args(["-s", "https://GHCR.io/", "-n", &env.namespace])
        .write_stdin("")
        .assert()
        .success();
    assert_eq!(
        secret_config(&env, "regcred"),
        json!({"auths": {
            "https://index.docker.io/v1/": entry("alice", "hub"),
            "ghcr.io": entry("octo", "gh"),
        }})
    );
}

#[test]
fn identity_tokens_are_kept_in_a_form_the_kubelet_passes_on() {
    let env = TestEnv::new("dc-idtoken");
    write_default_config(
        &env,
        &json!({"auths": {"myacr.azurecr.io": {
            "auth": b64("00000000-0000-0000-0000-000000000000:"),
            "identitytoken": "acr-refresh-token"
        }}}),
    );
    env.regcred()
        .args([
            "create",
            "acr",
            "--from-docker-config",
            "-s",
            "myacr.azurecr.io",
        ])
        .args(["-n", &env.namespace])
        .write_stdin("")
        .assert()
        .success();
    assert_eq!(
        secret_config(&env, "acr"),
        json!({"auths": {"myacr.azurecr.io": {
            "auth": b64(":acr-refresh-token"),
            "identitytoken": "acr-refresh-token"
        }}})
    );
}

#[test]
fn cred_helpers_run_the_real_pass_helper_with_the_host_on_stdin() {
    let env = TestEnv::new("dc-credhelpers");
    let pass = PassStore::new(&env);
    pass.store(&env, "ghcr.io", "octo", SENTINEL);
    let log = env.home.path().join("spy.log");
    // A shim that records its argv, environment and stdin, then runs the real helper.
    pass.helper_script(
        "spy",
        &format!(
            "log={}\ninput=$(cat)\nprintf 'argv=%s\\n' \"$*\" >> \"$log\"\nenv >> \"$log\"\n\
             printf 'stdin=%s\\n' \"$input\" >> \"$log\"\n\
             printf '%s\\n' \"$input\" | exec docker-credential-pass \"$@\"",
            log.display()
        ),
    );
    write_default_config(
        &env,
        &json!({"auths": {"quay.io": {"auth": b64("robot:quay")}},
                "credHelpers": {"https://ghcr.io": "spy"}}),
    );
    let output = pass
        .regcred(&env)
        .args(["create", "regcred", "--from-docker-config", "-s", "ghcr.io"])
        .args(["-n", &env.namespace, "-v=9"])
        .write_stdin("")
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_no_leak("stdout", &stdout);
    assert_no_leak("stderr", &stderr);
    assert_eq!(
        secret_config(&env, "regcred"),
        json!({"auths": {"ghcr.io": entry("octo", SENTINEL)}})
    );
    let spied = std::fs::read_to_string(&log).unwrap();
    assert!(spied.contains("argv=get\n"), "{spied}");
    assert!(spied.contains("stdin=ghcr.io\n"), "{spied}");
    assert_no_leak("the helper's argv and environment", &spied);
}

#[test]
fn creds_store_lists_and_gets_from_the_real_pass_helper() {
    let env = TestEnv::new("dc-credsstore");
    let pass = PassStore::new(&env);
    pass.store(&env, "ghcr.io", "octo", SENTINEL);
    pass.store(&env, "quay.io", "robot", "quay-secret");
    pass.store(
        &env,
        "https://index.docker.io/v1/",
        "<token>",
        "hub-refresh",
    );
    write_default_config(
        &env,
        &json!({"auths": {"ghcr.io": {}, "quay.io": {}}, "credsStore": "pass"}),
    );
    let output = pass
        .regcred(&env)
        .args(["create", "all", "--from-docker-config", "--yes", "-v=9"])
        .args(["-n", &env.namespace])
        .write_stdin("")
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_no_leak("stdout", &stdout);
    assert_no_leak("stderr", &stderr);
    assert_eq!(
        secret_config(&env, "all"),
        json!({"auths": {
            "ghcr.io": entry("octo", SENTINEL),
            "quay.io": entry("robot", "quay-secret"),
            "https://index.docker.io/v1/": {
                "auth": b64(":hub-refresh"), "identitytoken": "hub-refresh"
            },
        }})
    );

    pass.regcred(&env)
        .args(["create", "one", "--from-docker-config", "-s", "quay.io"])
        .args(["-n", &env.namespace])
        .write_stdin("")
        .assert()
        .success();
    assert_eq!(
        secret_config(&env, "one"),
        json!({"auths": {"quay.io": entry("robot", "quay-secret")}})
    );

    // A registry the store does not hold.
    let output = pass
        .regcred(&env)
        .args(["create", "none", "--from-docker-config", "-s", "gcr.io"])
        .args(["-n", &env.namespace])
        .write_stdin("")
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--server gcr.io is not in")
            && stderr.contains("ghcr.io, https://index.docker.io/v1/, quay.io"),
        "{stderr}"
    );
    assert!(env.get_json("secret", "none").is_none());
}

#[test]
fn every_registry_needs_yes_without_a_terminal() {
    let env = TestEnv::new("dc-needs-yes");
    write_default_config(
        &env,
        &json!({"auths": {"ghcr.io": {"auth": b64(&format!("octo:{SENTINEL}"))}}}),
    );
    let output = env
        .regcred()
        .args([
            "create",
            "regcred",
            "--from-docker-config",
            "-n",
            &env.namespace,
        ])
        .write_stdin("")
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--server") && stderr.contains("--yes") && stderr.contains("ghcr.io"),
        "{stderr}"
    );
    assert_no_leak("stdout", &stdout);
    assert_no_leak("stderr", &stderr);
    assert!(env.get_json("secret", "regcred").is_none());
}

#[test]
fn malformed_configs_and_failing_helpers_stop_before_the_cluster() {
    let env = TestEnv::new("dc-malformed");
    let pass = PassStore::new(&env);
    pass.helper_script(
        "broken",
        &format!("cat >/dev/null\necho \"cannot unlock the store: token={SENTINEL}\" >&2\nexit 3"),
    );
    let secret_auth = b64(&format!("octo:{SENTINEL}"));
    let cases: Vec<(&str, String, &[&str], &str)> = vec![
        (
            "missing file",
            String::new(),
            &["--from-docker-config", "/nonexistent/regcred/config.json"],
            "cannot read the Docker config /nonexistent/regcred/config.json",
        ),
        (
            "bad JSON",
            format!("{{\"auths\": {{\n  \"ghcr.io\": {{\"auth\": \"{secret_auth}\",}}}}}}"),
            &[],
            "is not valid JSON (line 2, column",
        ),
        (
            "wrong layout",
            format!("{{\"auths\": {{\"ghcr.io\": \"{SENTINEL}\"}}}}"),
            &[],
            "has an unexpected layout",
        ),
        (
            "bad base64",
            format!("{{\"auths\": {{\"ghcr.io\": {{\"auth\": \"{SENTINEL}!\"}}}}}}"),
            &[],
            "the \"auth\" field of registry ghcr.io in",
        ),
        (
            "auth without colon",
            format!(
                "{{\"auths\": {{\"ghcr.io\": {{\"auth\": \"{}\"}}}}}}",
                b64(SENTINEL)
            ),
            &[],
            "does not decode to USER:PASSWORD",
        ),
        (
            "unknown helper",
            r#"{"credHelpers": {"ghcr.io": "no-such-helper"}}"#.to_string(),
            &[],
            "docker-credential-no-such-helper is not on PATH",
        ),
        (
            "failing helper",
            r#"{"credHelpers": {"ghcr.io": "broken"}}"#.to_string(),
            &[],
            "docker-credential-broken get failed for ghcr.io",
        ),
        (
            "helper without the registry",
            r#"{"credHelpers": {"ghcr.io": "pass"}}"#.to_string(),
            &[],
            "docker-credential-pass has no credentials for ghcr.io",
        ),
        (
            "server not in the file",
            format!("{{\"auths\": {{\"quay.io\": {{\"auth\": \"{secret_auth}\"}}}}}}"),
            &[],
            "--server ghcr.io is not in",
        ),
    ];
    for (what, content, flags, expected) in cases {
        let path = env.write_file("config.json", &content);
        let mut cmd = pass.regcred(&env);
        cmd.args([
            "create",
            "regcred",
            "-s",
            "ghcr.io",
            "-n",
            &env.namespace,
            "-v=9",
        ]);
        if flags.is_empty() {
            cmd.arg("--from-docker-config").arg(&path);
        } else {
            cmd.args(flags);
        }
        let output = cmd.write_stdin("").output().unwrap();
        let (stdout, stderr) = texts(&output);
        assert_eq!(output.status.code(), Some(2), "{what}: {stderr}");
        assert!(stderr.contains(expected), "{what}: {stderr}");
        if flags.is_empty() {
            assert!(
                stderr.contains(&path.display().to_string()),
                "{what} names the file: {stderr}"
            );
        }
        assert_no_leak(what, &stdout);
        assert_no_leak(what, &stderr);
        assert!(
            env.get_json("secret", "regcred").is_none(),
            "{what}: a secret was written"
        );
    }
    // The failing helper's exit code is reported, its secret-looking words are not.
    let path = env.write_file("config.json", r#"{"credHelpers": {"ghcr.io": "broken"}}"#);
    let output = pass
        .regcred(&env)
        .args(["create", "regcred", "-s", "ghcr.io", "--from-docker-config"])
        .arg(&path)
        .args(["-n", &env.namespace])
        .write_stdin("")
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert!(
        stderr.contains("exit code 3") && stderr.contains("cannot unlock the store"),
        "{stderr}"
    );
}
