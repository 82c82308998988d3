//! `login`, `logins`, `logout` and `create --from-keyring` against a real Secret Service: a
//! private D-Bus session bus and gnome-keyring-daemon started by `scripts/keyringenv.sh`.

use std::path::PathBuf;
use std::process::Command as StdCommand;
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::support::{TestEnv, dockerconfigjson, repo_root, texts};

const SENTINEL: &str = "Keyring-Sentinel-4b1d93e2-do-not-leak";

/// The session bus address of the keyring shared by this test process, started once; its
/// watchdog stops it when the process exits.
pub(crate) fn bus_address() -> &'static str {
    static ADDRESS: OnceLock<String> = OnceLock::new();
    ADDRESS.get_or_init(|| {
        let output = StdCommand::new(repo_root().join("scripts/keyringenv.sh"))
            .args(["up", "--owner-pid", &std::process::id().to_string()])
            .stderr(std::process::Stdio::inherit())
            .output()
            .expect("run scripts/keyringenv.sh up");
        assert!(output.status.success(), "scripts/keyringenv.sh up failed");
        let dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        let env = std::fs::read_to_string(dir.join("env")).expect("keyringenv wrote DIR/env");
        env.trim()
            .strip_prefix("DBUS_SESSION_BUS_ADDRESS=")
            .expect("DIR/env holds DBUS_SESSION_BUS_ADDRESS")
            .to_string()
    })
}

/// The tests here share one keyring, and `logins` reads one list that `login` rewrites:
/// they take turns.
pub(crate) fn keyring_turn() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The plugin, talking to the test keyring.
fn regcred(env: &TestEnv) -> Command {
    let mut cmd = env.regcred();
    cmd.env("DBUS_SESSION_BUS_ADDRESS", bus_address());
    cmd
}

/// A registry host no other test uses.
fn unique_registry(test: &str) -> String {
    format!("{}.keyring.example.com", TestEnv::unique(test))
}

/// The sentinel as it could show up: plain, or base64 at any alignment (the `auth` field).
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
        assert!(
            !text.contains(&form),
            "{what} leaks the secret as {form:?}:\n{text}"
        );
    }
}

#[test]
fn login_logins_create_and_logout_round_trip() {
    let _turn = keyring_turn();
    let env = TestEnv::new("keyring round trip");
    let registry = unique_registry("round-trip");
    let user = "robot+puller";

    // login, spelled with a scheme and capitals: stored under the normalised key.
    let output = regcred(&env)
        .args(["login", &format!("https://{}/", registry.to_uppercase())])
        .args(["--username", user, "--password-stdin", "-v=9"])
        .write_stdin(format!("{SENTINEL}\n"))
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "login: {stderr}");
    assert!(
        stdout.contains(&registry) && stdout.contains(user),
        "{stdout}"
    );
    assert_no_leak("login at -v=9", &format!("{stdout}{stderr}"));

    // logins: host and user, never the secret.
    let output = regcred(&env).args(["logins", "-v=9"]).output().unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "logins: {stderr}");
    assert!(stdout.starts_with("REGISTRY"), "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|line| line.split_whitespace().eq([registry.as_str(), user])),
        "{stdout}"
    );
    assert_no_leak("logins at -v=9", &format!("{stdout}{stderr}"));
    let output = regcred(&env)
        .args(["logins", "-o", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        json["logins"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!({"registry": registry, "username": user})),
        "{json}"
    );

    // create --from-keyring: the secret holds exactly those credentials.
    let output = regcred(&env)
        .args(["create", "regcred", "--server", &registry, "--from-keyring"])
        .args(["-n", &env.namespace, "-v=9"])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "create --from-keyring: {stderr}");
    assert_no_leak(
        "create --from-keyring at -v=9",
        &format!("{stdout}{stderr}"),
    );
    let secret = env.get_json("secret", "regcred").expect("secret created");
    let auth = BASE64.encode(format!("{user}:{SENTINEL}"));
    let expected = format!(
        r#"{{"auths":{{"{registry}":{{"username":"{user}","password":"{SENTINEL}","auth":"{auth}"}}}}}}"#
    );
    assert_eq!(
        String::from_utf8(dockerconfigjson(&secret)).unwrap(),
        expected
    );

    // logout, with another spelling; then the login is gone.
    let output = regcred(&env)
        .args(["logout", &format!("{registry}/")])
        .output()
        .unwrap();
    assert!(output.status.success(), "logout: {}", texts(&output).1);
    let output = regcred(&env).args(["logins"]).output().unwrap();
    assert!(
        !texts(&output).0.contains(&registry),
        "{}",
        texts(&output).0
    );
    let output = regcred(&env)
        .args(["create", "again", "--server", &registry, "--from-keyring"])
        .args(["-n", &env.namespace])
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("kubectl regcred login {registry}")),
        "{stderr}"
    );
    assert!(env.get_json("secret", "again").is_none());
}

#[test]
fn create_from_keyring_takes_every_server_and_names_the_missing_one() {
    let _turn = keyring_turn();
    let env = TestEnv::without_namespace();
    let (first, second) = (unique_registry("first"), unique_registry("second"));
    regcred(&env)
        .args(["login", &first, "-u", "one", "--password-stdin"])
        .write_stdin("pw-one")
        .assert()
        .success();

    let output = regcred(&env)
        .args([
            "create",
            "two",
            "-s",
            &first,
            "-s",
            &second,
            "--from-keyring",
        ])
        .args(["--dry-run=client", "-n", "default"])
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("no login for {second}"))
            && stderr.contains(&format!("kubectl regcred login {second}")),
        "{stderr}"
    );

    regcred(&env)
        .args(["login", &second, "-u", "two", "--password-stdin"])
        .write_stdin("pw-two")
        .assert()
        .success();
    let output = regcred(&env)
        .args([
            "create",
            "two",
            "-s",
            &first,
            "-s",
            &second,
            "--from-keyring",
        ])
        .args(["--dry-run=client", "-o", "json", "-n", "default"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", texts(&output).1);
    let manifest: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let config: serde_json::Value = serde_json::from_slice(&dockerconfigjson(&manifest)).unwrap();
    assert_eq!(config["auths"][&first]["username"], "one");
    assert_eq!(config["auths"][&first]["password"], "pw-one");
    assert_eq!(config["auths"][&second]["username"], "two");
    assert_eq!(config["auths"][&second]["password"], "pw-two");

    for registry in [&first, &second] {
        regcred(&env).args(["logout", registry]).assert().success();
    }
}

#[test]
fn create_from_keyring_without_server_is_a_usage_error() {
    let env = TestEnv::without_namespace();
    let output = regcred(&env)
        .args(["create", "regcred", "--from-keyring", "--dry-run=client"])
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--server"), "{stderr}");
}

#[test]
fn login_without_a_terminal_needs_password_stdin() {
    let env = TestEnv::without_namespace();
    let output = regcred(&env)
        .args(["login", "ghcr.io", "-u", "octocat"])
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--password-stdin"), "{stderr}");
}

#[test]
fn login_refuses_a_password_on_the_command_line() {
    let env = TestEnv::without_namespace();
    let output = regcred(&env)
        .args(["login", "ghcr.io", "-u", "octocat", "-p", SENTINEL])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--password-stdin"), "{stderr}");
    assert_no_leak("login -p", &format!("{stdout}{stderr}"));
}

#[test]
fn logout_without_a_login_fails_and_says_so() {
    let _turn = keyring_turn();
    let env = TestEnv::without_namespace();
    let registry = unique_registry("never");
    let output = regcred(&env).args(["logout", &registry]).output().unwrap();
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("no login for {registry}")),
        "{stderr}"
    );
}

#[test]
fn without_a_secret_service_every_keyring_command_fails_fast_and_clearly() {
    let env = TestEnv::without_namespace();
    let no_runtime_dir = tempfile::tempdir().unwrap();
    let commands: [&[&str]; 4] = [
        &["login", "ghcr.io", "-u", "octocat", "--password-stdin"],
        &["logins"],
        &["logout", "ghcr.io"],
        &[
            "create",
            "regcred",
            "-s",
            "ghcr.io",
            "--from-keyring",
            "--dry-run=client",
        ],
    ];
    // Unset (and no $XDG_RUNTIME_DIR/bus), garbage, and a socket nobody listens on.
    let addresses = [
        None,
        Some("garbage"),
        Some("unix:path=/nonexistent/regcred/bus"),
    ];
    for address in addresses {
        for args in commands {
            let mut cmd = env.regcred();
            cmd.env("XDG_RUNTIME_DIR", no_runtime_dir.path());
            match address {
                Some(address) => cmd.env("DBUS_SESSION_BUS_ADDRESS", address),
                None => cmd.env_remove("DBUS_SESSION_BUS_ADDRESS"),
            };
            let started = Instant::now();
            let output = cmd.args(args).write_stdin(SENTINEL).output().unwrap();
            let (stdout, stderr) = texts(&output);
            assert_eq!(
                output.status.code(),
                Some(1),
                "{args:?} {address:?}: {stderr}"
            );
            assert!(
                stderr.contains("no Secret Service found")
                    && stderr.contains("DBUS_SESSION_BUS_ADDRESS")
                    && stderr.contains("--password-stdin"),
                "{args:?} {address:?}: {stderr}"
            );
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "{args:?} {address:?} took {:?}",
                started.elapsed()
            );
            assert_no_leak("a keyring error", &format!("{stdout}{stderr}"));
        }
    }
}
