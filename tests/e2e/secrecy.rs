//! The password never leaves the process except where the user asked for it (`-o yaml|json`).

use std::io::Write;
use std::process::{Command as StdCommand, Stdio};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::support::{TestEnv, texts};

const SENTINEL: &str = "Sentinel-Pa55word-7f3a9c1e-do-not-leak";

/// Every form the sentinel could take in output: plain, and base64 at each byte alignment
/// (inside the `auth` field or the whole `.dockerconfigjson`).
fn leak_forms() -> Vec<String> {
    leak_forms_of(SENTINEL)
}

/// Every form `secret` could take in output: plain, and base64 at each byte alignment.
pub(crate) fn leak_forms_of(secret: &str) -> Vec<String> {
    let mut forms = vec![secret.to_string()];
    for offset in 0..3 {
        let mut bytes = vec![b'x'; offset];
        bytes.extend_from_slice(secret.as_bytes());
        let encoded = BASE64.encode(&bytes);
        let start = if offset == 0 { 0 } else { 4 };
        forms.push(encoded[start..encoded.len() - 4].to_string());
    }
    forms
}

fn assert_no_leak(what: &str, text: &str) {
    for form in leak_forms() {
        assert!(
            !text.contains(&form),
            "{what} leaks the password as {form:?}:\n{text}"
        );
    }
}

/// Runs `create` (at `-v=9` unless `extra` sets a level) with the sentinel on stdin, and
/// checks stdout and stderr.
fn run_and_check(env: &TestEnv, extra: &[&str]) -> i32 {
    let level = if extra.iter().any(|a| a.starts_with("-v=")) {
        None
    } else {
        Some("-v=9")
    };
    let output = env
        .regcred()
        .args([
            "create",
            "regcred",
            "--server",
            "ghcr.io",
            "-u",
            "u",
            "--password-stdin",
        ])
        .args(level)
        .args(extra)
        .write_stdin(SENTINEL)
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert_no_leak(&format!("stdout of {extra:?}"), &stdout);
    assert_no_leak(&format!("stderr of {extra:?}"), &stderr);
    output.status.code().unwrap_or(-1)
}

#[test]
fn the_leak_check_detects_the_password_where_it_was_asked_for() {
    // Guards the guard: -o json is the one place the secret may appear, and the check finds it.
    let env = TestEnv::without_namespace();
    let output = env
        .regcred()
        .args([
            "create",
            "regcred",
            "-s",
            "ghcr.io",
            "-u",
            "u",
            "--password-stdin",
        ])
        .args(["--dry-run=client", "-o", "json"])
        .write_stdin(SENTINEL)
        .output()
        .unwrap();
    let stdout = texts(&output).0;
    assert!(
        leak_forms().iter().any(|form| stdout.contains(form)),
        "{stdout}"
    );
}

#[test]
fn no_log_level_and_no_outcome_prints_the_password() {
    let env = TestEnv::new("secrecy-logs");
    let ns = env.namespace.clone();
    assert_eq!(run_and_check(&env, &["-n", &ns]), 0, "created");
    assert_eq!(run_and_check(&env, &["-n", &ns]), 0, "unchanged");
    assert_eq!(
        run_and_check(&env, &["-n", &ns, "--dry-run=server"]),
        0,
        "server dry run"
    );
    assert_eq!(
        run_and_check(&env, &["-n", &ns, "--dry-run=client"]),
        0,
        "client dry run"
    );
    for level in ["-v=1", "-v=4", "-v=6", "-v=7", "-v=8", "-v=10"] {
        assert_eq!(run_and_check(&env, &["-n", &ns, level]), 0, "{level}");
    }
    // Failures: forbidden, missing namespace, a secret of another type, a field conflict.
    assert_eq!(
        run_and_check(
            &env,
            &["-n", &ns, "--context", "readonly", "--label", "force=write"]
        ),
        1
    );
    assert_eq!(run_and_check(&env, &["-n", "no-such-namespace-here"]), 1);
    env.kubectl_ok(&[
        "create",
        "secret",
        "generic",
        "opaque",
        "-n",
        &ns,
        "--from-literal=a=b",
    ]);
    let output = env
        .regcred()
        .args([
            "create",
            "opaque",
            "-u",
            "u",
            "--password-stdin",
            "-v=9",
            "-n",
            &ns,
        ])
        .write_stdin(SENTINEL)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_no_leak("wrong type", &texts(&output).1);
    // A secret in the legacy layout cannot be merged into: refused, naming --replace.
    env.kubectl_ok(&[
        "create",
        "secret",
        "docker-registry",
        "legacy",
        "-n",
        &ns,
        "--docker-server=ghcr.io",
        "--docker-username=u",
        "--docker-password=other",
    ]);
    env.kubectl_ok(&[
        "patch",
        "secret",
        "legacy",
        "-n",
        &ns,
        "-p",
        r#"{"data":{".dockerconfigjson":"eyJnaGNyLmlvIjp7ImF1dGgiOiJlQT09In19"}}"#,
    ]);
    let output = env
        .regcred()
        .args([
            "create",
            "legacy",
            "-s",
            "ghcr.io",
            "-u",
            "u",
            "--password-stdin",
            "-v=9",
            "-n",
            &ns,
        ])
        .write_stdin(SENTINEL)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = texts(&output).1;
    assert!(stderr.contains("--replace"), "{stderr}");
    assert_no_leak("unreadable secret", &stderr);
}

#[test]
fn a_password_on_the_command_line_is_refused_without_echoing_it() {
    let env = TestEnv::without_namespace();
    let with_value = format!("--password={SENTINEL}");
    for args in [
        vec!["--password", SENTINEL],
        vec![with_value.as_str()],
        vec!["-p", SENTINEL],
        vec!["--password", SENTINEL, "--password-stdin"],
    ] {
        let output = env
            .regcred()
            .args(["create", "regcred", "-u", "u"])
            .args(&args)
            .write_stdin("")
            .output()
            .unwrap();
        let (stdout, stderr) = texts(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("--password-stdin"), "{args:?}: {stderr}");
        assert_no_leak("stdout", &stdout);
        assert_no_leak(&format!("stderr of {args:?}"), &stderr);
    }
}

/// Every process's argv, read from /proc, as one text per process.
fn all_command_lines() -> Vec<String> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .bytes()
                .all(|b| b.is_ascii_digit())
        })
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .map(|raw| String::from_utf8_lossy(&raw).replace('\0', " "))
        .collect()
}

#[test]
fn no_process_argv_carries_the_password_while_the_plugin_runs() {
    let env = TestEnv::new("secrecy-argv");
    let mut child = StdCommand::new(env!("CARGO_BIN_EXE_kubectl-regcred"))
        .args([
            "create",
            "regcred",
            "-u",
            "u",
            "--password-stdin",
            "-v=9",
            "-n",
            &env.namespace,
        ])
        .env("KUBECONFIG", env.kubeconfig)
        .env("HOME", env.home.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(SENTINEL.as_bytes()).unwrap();
    // Scan while the plugin holds the password (before and after it reads EOF).
    for line in all_command_lines() {
        assert_no_leak("a process argv", &line);
    }
    drop(stdin);
    while child.try_wait().unwrap().is_none() {
        for line in all_command_lines() {
            assert_no_leak("a process argv", &line);
        }
    }
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_no_leak("stderr", &String::from_utf8_lossy(&output.stderr));
}
