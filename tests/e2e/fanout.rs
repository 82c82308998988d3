//! Secrets and service accounts across namespaces: create --attach, RBAC, concurrent writers,
//! detach, delete, label, merge.

use std::collections::BTreeMap;

use crate::support::{TestEnv, dockerconfigjson, eventually, texts};

fn registries(secret: &serde_json::Value) -> serde_json::Value {
    serde_json::from_slice::<serde_json::Value>(&dockerconfigjson(secret)).unwrap()["auths"].clone()
}

/// Every object of a kind in the cluster: name per namespace → resourceVersion, and the objects.
fn list_all(env: &TestEnv, kind: &str) -> Vec<serde_json::Value> {
    let json = env.kubectl_ok(&["get", kind, "-A", "-o", "json"]);
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    list["items"].as_array().unwrap().clone()
}

fn versions(items: &[serde_json::Value], name: &str) -> BTreeMap<String, String> {
    items
        .iter()
        .filter(|o| o["metadata"]["name"] == name)
        .map(|o| {
            (
                o["metadata"]["namespace"].as_str().unwrap().to_string(),
                o["metadata"]["resourceVersion"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn create_attach_across_200_namespaces_keeps_what_was_there_and_reruns_without_writes() {
    let env = TestEnv::private();
    let names: Vec<String> = (0..200).map(|i| format!("fan-{i:03}")).collect();
    let namespaces: Vec<String> = names
        .iter()
        .map(|n| format!(r#"{{"apiVersion":"v1","kind":"Namespace","metadata":{{"name":"{n}"}}}}"#))
        .collect();
    env.apply(&format!(
        r#"{{"apiVersion":"v1","kind":"List","items":[{}]}}"#,
        namespaces.join(",")
    ));
    // The service-account controller creates `default` in each; the plugin would wait too, but
    // the pre-existing entries below need the accounts now.
    // Wait for the controllers to finish with the new accounts (the token controller adds a
    // token secret to each), so later resourceVersion changes can only be ours.
    assert!(eventually(std::time::Duration::from_secs(120), || {
        let accounts = list_all(&env, "serviceaccounts");
        let settled = accounts
            .iter()
            .filter(|a| {
                a["metadata"]["name"] == "default"
                    && a["secrets"].as_array().is_some_and(|s| !s.is_empty())
            })
            .count();
        settled >= 201
    }));
    for name in &names[..10] {
        env.kubectl_ok(&[
            "patch",
            "serviceaccount",
            "default",
            "-n",
            name,
            "-p",
            r#"{"imagePullSecrets":[{"name":"theirs"}]}"#,
        ]);
    }
    for name in &names[10..20] {
        env.kubectl_ok(&[
            "create",
            "secret",
            "docker-registry",
            "regcred",
            "-n",
            name,
            "--docker-server=quay.io",
            "--docker-username=q",
            "--docker-password=keep",
        ]);
    }

    let run = || {
        env.regcred()
            .args([
                "create",
                "regcred",
                "-s",
                "ghcr.io",
                "-u",
                "u",
                "--password-stdin",
                "-A",
                "--attach",
                "-o",
                "json",
            ])
            .write_stdin("pw")
            .output()
            .unwrap()
    };
    let first = run();
    let (stdout, stderr) = texts(&first);
    assert!(first.status.success(), "{stderr}\n{stdout}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["summary"]["created"], 191, "{}", report["summary"]);
    assert_eq!(report["summary"]["updated"], 10, "{}", report["summary"]);
    assert_eq!(
        report["summary"]["skipped"], 3,
        "the system namespaces: {}",
        report["summary"]
    );

    let secrets = list_all(&env, "secrets");
    let accounts = list_all(&env, "serviceaccounts");
    for name in &names {
        let secret = secrets
            .iter()
            .find(|s| {
                s["metadata"]["namespace"] == name.as_str() && s["metadata"]["name"] == "regcred"
            })
            .unwrap_or_else(|| panic!("no secret in {name}"));
        let auths = registries(secret);
        assert_eq!(auths["ghcr.io"]["password"], "pw", "{name}");
        let account = accounts
            .iter()
            .find(|a| {
                a["metadata"]["namespace"] == name.as_str() && a["metadata"]["name"] == "default"
            })
            .unwrap();
        let listed: Vec<&str> = account["imagePullSecrets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            listed.iter().filter(|n| **n == "regcred").count(),
            1,
            "{name}: {listed:?}"
        );
        let index = names.iter().position(|n| n == name).unwrap();
        if index < 10 {
            assert_eq!(listed, ["theirs", "regcred"], "{name}");
        }
        if (10..20).contains(&index) {
            assert_eq!(auths["quay.io"]["password"], "keep", "{name}");
        }
    }
    for system in ["kube-system", "kube-public", "kube-node-lease"] {
        assert!(
            env.get_in(system, "secret", "regcred").is_none(),
            "{system} was touched"
        );
    }

    let secret_versions = versions(&secrets, "regcred");
    let account_versions = versions(&accounts, "default");
    let second = run();
    let (stdout, stderr) = texts(&second);
    assert!(second.status.success(), "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["summary"]["unchanged"], 201, "{}", report["summary"]);
    assert_eq!(
        versions(&list_all(&env, "secrets"), "regcred"),
        secret_versions,
        "a re-run wrote a secret"
    );
    assert_eq!(
        versions(&list_all(&env, "serviceaccounts"), "default"),
        account_versions,
        "a re-run wrote an account"
    );
}

#[test]
fn namespaces_the_user_may_not_write_are_reported_forbidden_and_the_others_done() {
    let env = TestEnv::without_namespace();
    let (a, b, c) = (
        TestEnv::unique("rbac-a"),
        TestEnv::unique("rbac-b"),
        TestEnv::unique("rbac-c"),
    );
    for ns in [&a, &b, &c] {
        env.create_namespace(ns, &[]);
    }
    for ns in [&a, &b] {
        env.apply(&format!(
            r#"{{"apiVersion":"v1","kind":"List","items":[
              {{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{{"name":"pull-secrets","namespace":"{ns}"}},
                "rules":[{{"apiGroups":[""],"resources":["secrets"],"verbs":["get","create","patch"]}},
                         {{"apiGroups":[""],"resources":["serviceaccounts"],"verbs":["get","patch"]}}]}},
              {{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{{"name":"pull-secrets","namespace":"{ns}"}},
                "roleRef":{{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"pull-secrets"}},
                "subjects":[{{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"regcred-readonly"}}]}}]}}"#
        ));
    }
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
            "--attach",
            "--context",
            "readonly",
        ])
        .args(["-n", &format!("{a},{b},{c}")])
        .write_stdin("pw")
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    let row = |ns: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(ns))
            .unwrap_or_default()
            .to_string()
    };
    assert!(row(&a).contains("created"), "{stdout}");
    assert!(row(&b).contains("created"), "{stdout}");
    assert!(row(&c).contains("forbidden"), "{stdout}");
    assert!(stderr.contains("1 of 3 namespaces failed"), "{stderr}");
    for ns in [&a, &b] {
        assert!(env.get_in(ns, "secret", "regcred").is_some());
        assert_eq!(env.pull_secrets_of(ns, "default"), ["regcred"]);
    }
    assert!(env.get_in(&c, "secret", "regcred").is_none());
}

#[test]
fn a_concurrent_writer_keeps_its_entries_and_ours_land_too() {
    let env = TestEnv::new("concurrent-writer");
    let ns = env.namespace.clone();
    for i in 0..8 {
        let output = env
            .regcred()
            .args([
                "create",
                &format!("ours-{i}"),
                "-s",
                "ghcr.io",
                "-u",
                "u",
                "--password-stdin",
                "-n",
                &ns,
            ])
            .write_stdin("pw")
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", texts(&output).1);
    }
    assert!(eventually(std::time::Duration::from_secs(30), || env
        .get_in(&ns, "serviceaccount", "default")
        .is_some()));
    env.kubectl_ok(&[
        "patch",
        "serviceaccount",
        "default",
        "-n",
        &ns,
        "-p",
        r#"{"imagePullSecrets":[{"name":"seed"}]}"#,
    ]);
    std::thread::scope(|scope| {
        // The other writer appends its own entries, as a careful tool would.
        let writer = scope.spawn(|| {
            for i in 0..8 {
                let patch = format!(r#"[{{"op":"add","path":"/imagePullSecrets/-","value":{{"name":"theirs-{i}"}}}}]"#);
                env.kubectl_ok(&["patch", "serviceaccount", "default", "-n", &ns, "--type", "json", "-p", &patch]);
            }
        });
        for i in 0..8 {
            let output = env
                .regcred()
                .args(["attach", &format!("ours-{i}"), "-n", &ns])
                .output()
                .unwrap();
            assert!(output.status.success(), "{}", texts(&output).1);
        }
        writer.join().unwrap();
    });
    let listed = env.pull_secrets_of(&ns, "default");
    assert_eq!(listed[0], "seed", "{listed:?}");
    for i in 0..8 {
        assert_eq!(
            listed.iter().filter(|n| **n == format!("ours-{i}")).count(),
            1,
            "{listed:?}"
        );
        assert_eq!(
            listed
                .iter()
                .filter(|n| **n == format!("theirs-{i}"))
                .count(),
            1,
            "{listed:?}"
        );
    }
}

#[test]
fn detach_and_delete_undo_exactly_what_was_added() {
    let env = TestEnv::new("detach-delete");
    let ns = env.namespace.clone();
    assert!(eventually(std::time::Duration::from_secs(30), || env
        .get_in(&ns, "serviceaccount", "default")
        .is_some()));
    env.kubectl_ok(&[
        "patch",
        "serviceaccount",
        "default",
        "-n",
        &ns,
        "-p",
        r#"{"imagePullSecrets":[{"name":"keep-1"}]}"#,
    ]);
    env.kubectl_ok(&["create", "serviceaccount", "builder", "-n", &ns]);
    env.kubectl_ok(&[
        "patch",
        "serviceaccount",
        "builder",
        "-n",
        &ns,
        "-p",
        r#"{"imagePullSecrets":[{"name":"keep-2"}]}"#,
    ]);
    env.kubectl_ok(&[
        "create",
        "secret",
        "generic",
        "unrelated",
        "-n",
        &ns,
        "--from-literal=a=b",
    ]);

    let output = env
        .regcred()
        .args([
            "create",
            "regcred",
            "-u",
            "u",
            "--password-stdin",
            "-n",
            &ns,
            "--attach",
            "--service-account",
            "default,builder",
        ])
        .write_stdin("pw")
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        stdout,
        format!(
            "secret/regcred created in namespace {ns}; attached to serviceaccount/default, serviceaccount/builder\n"
        )
    );
    assert_eq!(env.pull_secrets_of(&ns, "default"), ["keep-1", "regcred"]);
    assert_eq!(env.pull_secrets_of(&ns, "builder"), ["keep-2", "regcred"]);

    let output = env
        .regcred()
        .args(["detach", "regcred", "-n", &ns])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", texts(&output).1);
    assert_eq!(env.pull_secrets_of(&ns, "default"), ["keep-1"]);
    assert_eq!(env.pull_secrets_of(&ns, "builder"), ["keep-2", "regcred"]);
    let again = env
        .regcred()
        .args(["detach", "regcred", "-n", &ns])
        .output()
        .unwrap();
    assert!(
        texts(&again)
            .0
            .contains("not attached to serviceaccount/default"),
        "{}",
        texts(&again).0
    );

    let output = env
        .regcred()
        .args(["delete", "regcred", "-n", &ns])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        stdout,
        format!("secret/regcred deleted in namespace {ns}; detached from serviceaccount/builder\n")
    );
    assert_eq!(env.pull_secrets_of(&ns, "builder"), ["keep-2"]);
    assert_eq!(env.pull_secrets_of(&ns, "default"), ["keep-1"]);
    assert!(env.get_in(&ns, "secret", "regcred").is_none());
    assert!(env.get_in(&ns, "secret", "unrelated").is_some());

    let again = env
        .regcred()
        .args(["delete", "regcred", "-n", &ns])
        .output()
        .unwrap();
    // As `kubectl delete`: in the one namespace named, nothing to delete is an error.
    assert_eq!(again.status.code(), Some(1));
    assert!(texts(&again).1.contains("not found"), "{}", texts(&again).1);
}

#[test]
fn delete_refuses_a_secret_of_another_type() {
    let env = TestEnv::new("delete-opaque");
    let ns = env.namespace.clone();
    env.kubectl_ok(&[
        "create",
        "secret",
        "generic",
        "regcred",
        "-n",
        &ns,
        "--from-literal=a=b",
    ]);
    let output = env
        .regcred()
        .args(["delete", "regcred", "-n", &ns])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(texts(&output).1.contains("Opaque"), "{}", texts(&output).1);
    assert!(env.get_in(&ns, "secret", "regcred").is_some());
}

#[test]
fn several_registries_merge_and_replace_drops_the_others() {
    let env = TestEnv::new("multi-registry");
    let ns = env.namespace.clone();
    let gh = env.write_file("gh", "gh-token\n");
    let quay = env.write_file("quay", "quay-token\n");
    let output = env
        .regcred()
        .args([
            "create", "regcred", "-n", &ns, "-s", "ghcr.io", "-u", "octocat", "-s", "quay.io",
            "-u", "robot",
        ])
        .arg("--password-file")
        .arg(&gh)
        .arg("--password-file")
        .arg(&quay)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", texts(&output).1);
    let auths = registries(&env.get_json("secret", "regcred").unwrap());
    assert_eq!(auths["ghcr.io"]["username"], "octocat");
    assert_eq!(auths["quay.io"]["password"], "quay-token");

    let output = env
        .regcred()
        .args([
            "create",
            "regcred",
            "-n",
            &ns,
            "-s",
            "https://ghcr.io/",
            "-u",
            "octocat",
            "--password-stdin",
        ])
        .write_stdin("new-token")
        .output()
        .unwrap();
    assert!(
        texts(&output).0.contains("configured"),
        "{}",
        texts(&output).0
    );
    let auths = registries(&env.get_json("secret", "regcred").unwrap());
    assert_eq!(auths["ghcr.io"]["password"], "new-token");
    assert_eq!(
        auths["quay.io"]["password"], "quay-token",
        "kept without --replace"
    );

    let output = env
        .regcred()
        .args([
            "create",
            "regcred",
            "-n",
            &ns,
            "-s",
            "ghcr.io",
            "-u",
            "octocat",
            "--password-stdin",
            "--replace",
        ])
        .write_stdin("new-token")
        .output()
        .unwrap();
    assert!(output.status.success());
    let auths = registries(&env.get_json("secret", "regcred").unwrap());
    assert!(auths.get("quay.io").is_none(), "{auths}");
}

#[test]
fn from_secret_copies_registries_into_other_namespaces() {
    let env = TestEnv::new("from-secret");
    let source = env.namespace.clone();
    let target = TestEnv::unique("from-secret-target");
    env.create_namespace(&target, &[]);
    env.kubectl_ok(&[
        "create",
        "secret",
        "docker-registry",
        "source",
        "-n",
        &source,
        "--docker-server=quay.io",
        "--docker-username=q",
        "--docker-password=from-source",
    ]);
    let output = env
        .regcred()
        .args([
            "create",
            "copy",
            "--from-secret",
            &format!("{source}/source"),
            "-n",
            &target,
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", texts(&output).1);
    let copy = env.get_in(&target, "secret", "copy").unwrap();
    assert_eq!(registries(&copy)["quay.io"]["password"], "from-source");
}

#[test]
fn selectors_and_excludes_pick_namespaces_and_labels_are_kept() {
    let env = TestEnv::without_namespace();
    let team = TestEnv::unique("team");
    let names: Vec<String> = ["a", "b", "skip"]
        .iter()
        .map(|s| format!("{team}-{s}"))
        .collect();
    for name in &names {
        env.create_namespace(name, &[&format!("team={team}")]);
    }
    let output = env
        .regcred()
        .args([
            "create",
            "regcred",
            "-u",
            "u",
            "--password-stdin",
            "--label",
            "owner=platform",
        ])
        .args([
            "--namespace-selector",
            &format!("team={team}"),
            "--exclude",
            "*-skip",
        ])
        .write_stdin("pw")
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("excluded by --exclude"), "{stdout}");
    assert!(env.get_in(&names[2], "secret", "regcred").is_none());

    // Someone else's label survives our label changes and our re-runs.
    env.kubectl_ok(&["label", "secret", "regcred", "-n", &names[0], "theirs=1"]);
    let output = env
        .regcred()
        .args([
            "label",
            "regcred",
            "--cluster-wide",
            "owner-",
            "--namespace-selector",
            &format!("team={team}"),
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", texts(&output).1);
    let labels = env.get_in(&names[0], "secret", "regcred").unwrap()["metadata"]["labels"].clone();
    assert_eq!(
        labels,
        serde_json::json!({"theirs": "1", "runai/cluster-wide": "true"})
    );
    let output = env
        .regcred()
        .args([
            "create",
            "regcred",
            "-u",
            "u",
            "--password-stdin",
            "-n",
            &names[0],
        ])
        .write_stdin("pw")
        .output()
        .unwrap();
    assert!(
        texts(&output).0.contains("unchanged"),
        "{}",
        texts(&output).0
    );
    let labels = env.get_in(&names[0], "secret", "regcred").unwrap()["metadata"]["labels"].clone();
    assert_eq!(
        labels,
        serde_json::json!({"theirs": "1", "runai/cluster-wide": "true"})
    );
}

#[test]
fn attach_refuses_a_secret_that_does_not_exist() {
    let env = TestEnv::new("attach-missing");
    let output = env
        .regcred()
        .args(["attach", "nope", "-n", &env.namespace])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        texts(&output).1.contains("kubectl regcred create nope"),
        "{}",
        texts(&output).1
    );
}

#[test]
fn dry_runs_of_attach_detach_label_and_delete_write_nothing() {
    let env = TestEnv::new("dry-run-everything");
    let ns = env.namespace.clone();
    let output = env
        .regcred()
        .args([
            "create",
            "regcred",
            "-u",
            "u",
            "--password-stdin",
            "-n",
            &ns,
        ])
        .write_stdin("pw")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", texts(&output).1);
    assert!(eventually(std::time::Duration::from_secs(30), || env
        .get_in(&ns, "serviceaccount", "default")
        .is_some()));
    let secret_before = env.get_json("secret", "regcred").unwrap();
    let account_before = env.get_in(&ns, "serviceaccount", "default").unwrap();
    for strategy in ["--dry-run=client", "--dry-run=server"] {
        for args in [
            vec!["attach", "regcred"],
            vec!["label", "regcred", "--cluster-wide"],
            vec!["delete", "regcred"],
        ] {
            let output = env
                .regcred()
                .args(&args)
                .args(["-n", &ns, strategy])
                .output()
                .unwrap();
            let (stdout, stderr) = texts(&output);
            assert!(output.status.success(), "{args:?} {strategy}: {stderr}");
            assert!(stdout.contains("dry run"), "{args:?} {strategy}: {stdout}");
        }
    }
    let secret_after = env.get_json("secret", "regcred").unwrap();
    let account_after = env.get_in(&ns, "serviceaccount", "default").unwrap();
    assert_eq!(
        secret_after["metadata"]["resourceVersion"],
        secret_before["metadata"]["resourceVersion"]
    );
    assert_eq!(
        account_after["metadata"]["resourceVersion"],
        account_before["metadata"]["resourceVersion"]
    );
}
