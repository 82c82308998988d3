//! Completion from the live cluster: namespaces after `-n`/`--exclude`, pull-secret names after
//! `attach`/`detach`/`label`/`delete`, through `kubectl-regcred __complete` (Cobra's protocol)
//! and through kubectl itself.
//!
//! The plugin gives the cluster one second per completion; on a loaded machine that can be
//! missed, so each check polls until the candidate shows up.

use std::ffi::OsString;
use std::process::Command as StdCommand;
use std::time::Duration;

use crate::support::{TestEnv, eventually, texts};

/// The candidate values of a `__complete` answer (descriptions and directive dropped).
fn candidates(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|line| !line.starts_with(':'))
        .map(|line| line.split('\t').next().unwrap_or_default().to_string())
        .collect()
}

/// Runs `kubectl-regcred __complete WORDS...` until `check` accepts its candidates (or 30 s
/// pass); returns the last answer. Every answer must be a success with nothing on stderr.
fn complete_until(
    env: &TestEnv,
    words: &[&str],
    mut check: impl FnMut(&[String]) -> bool,
) -> (bool, String) {
    let mut last = String::new();
    let accepted = eventually(Duration::from_secs(30), || {
        let output = env
            .regcred()
            .arg("__complete")
            .args(words)
            .output()
            .expect("run __complete");
        let (stdout, stderr) = texts(&output);
        assert!(output.status.success(), "{words:?}: {stderr}");
        assert_eq!(stderr, "", "{words:?}");
        last = stdout;
        check(&candidates(&last))
    });
    (accepted, last)
}

fn create_pull_secret(env: &TestEnv, name: &str) {
    env.kubectl_ok(&[
        "create",
        "secret",
        "docker-registry",
        name,
        "-n",
        &env.namespace,
        "--docker-server=ghcr.io",
        "--docker-username=u",
        "--docker-password=p",
    ]);
}

#[test]
fn namespaces_complete_from_the_cluster() {
    let env = TestEnv::new("completion namespaces");
    // All of the name but its last character: this namespace, not `default` or the others.
    let prefix = &env.namespace[..env.namespace.len() - 1];
    for words in [
        vec!["attach", "-n", prefix],
        vec!["-n", prefix],
        vec!["delete", "x", "--namespace", prefix],
        vec!["label", "x", "-A", "--exclude", prefix],
    ] {
        let (found, answer) = complete_until(&env, &words, |c| c.contains(&env.namespace));
        assert!(
            found,
            "{words:?} does not offer {}: {answer}",
            env.namespace
        );
        assert!(
            candidates(&answer).iter().all(|c| c.starts_with(prefix)),
            "{words:?}: {answer}"
        );
        assert!(answer.ends_with(":4\n"), "{answer}");
    }
    // The last of a comma-separated list completes; the ones before it stay.
    let typed = format!("default,{prefix}");
    let expected = format!("default,{}", env.namespace);
    let (found, answer) =
        complete_until(&env, &["attach", "-n", &typed], |c| c.contains(&expected));
    assert!(found, "{answer}");
}

#[test]
fn pull_secret_names_complete_after_the_subcommand() {
    let env = TestEnv::new("completion secrets");
    create_pull_secret(&env, "regcred-ghcr");
    create_pull_secret(&env, "regcred-hub");
    env.kubectl_ok(&[
        "create",
        "secret",
        "generic",
        "regcred-opaque",
        "-n",
        &env.namespace,
        "--from-literal=a=b",
    ]);
    let ns = env.namespace.as_str();
    let want = |c: &[String]| c == ["regcred-ghcr", "regcred-hub"];
    for words in [
        vec!["attach", "-n", ns, ""],
        vec!["-n", ns, "detach", "regcred-"],
        vec!["label", "--namespace", ns, "r"],
        vec!["delete", &format!("--namespace={ns}"), ""],
    ] {
        let (found, answer) = complete_until(&env, &words, want);
        assert!(found, "{words:?}: only pull secrets, sorted: {answer}");
    }
    let (found, answer) = complete_until(&env, &["attach", "-n", ns, "regcred-h"], |c| {
        c == ["regcred-hub"]
    });
    assert!(found, "{answer}");
    assert!(
        answer.starts_with(&format!("regcred-hub\tpull secret in {ns}\n")),
        "{answer}"
    );
    // `create` names a new secret: nothing to offer.
    let (found, answer) = complete_until(&env, &["create", "-n", ns, ""], <[String]>::is_empty);
    assert!(found, "{answer}");
}

#[test]
fn kubectl_completes_secret_names_through_the_plugin() {
    let env = TestEnv::new("completion kubectl");
    create_pull_secret(&env, "regcred-via-kubectl");
    let bin_dir = tempfile::tempdir().expect("temp bin dir");
    for (target, name) in [
        (env!("CARGO_BIN_EXE_kubectl-regcred"), "kubectl-regcred"),
        (
            env!("CARGO_BIN_EXE_kubectl_complete-regcred"),
            "kubectl_complete-regcred",
        ),
    ] {
        std::os::unix::fs::symlink(target, bin_dir.path().join(name)).expect("symlink");
    }
    let mut path = vec![bin_dir.path().to_path_buf()];
    path.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let path: OsString = std::env::join_paths(path).expect("PATH");
    let mut last = String::new();
    let found = eventually(Duration::from_secs(30), || {
        let output = StdCommand::new("kubectl")
            .args(["__complete", "regcred", "attach", "-n", &env.namespace, ""])
            .env("PATH", &path)
            .env("KUBECONFIG", env.kubeconfig)
            .env("HOME", env.home.path())
            .output()
            .expect("run kubectl __complete");
        assert!(output.status.success(), "{}", texts(&output).1);
        last = texts(&output).0;
        candidates(&last) == ["regcred-via-kubectl"]
    });
    assert!(found, "kubectl __complete regcred attach -n NS '': {last}");
}
