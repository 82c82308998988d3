//! deploy/rbac.yaml grants what it says and nothing more (the `nobody` user starts with no
//! permissions at all). One test, because both documents bind the same user.

use crate::support::{TestEnv, repo_root, texts};

/// The YAML documents of deploy/rbac.yaml, with the example namespace and user replaced.
fn documents(namespace: &str) -> Vec<String> {
    let text = std::fs::read_to_string(repo_root().join("deploy/rbac.yaml")).unwrap();
    text.split("\n---\n")
        .map(|doc| {
            doc.replace("namespace: team-a", &format!("namespace: {namespace}"))
                .replace("name: jane", "name: regcred-nobody")
        })
        .collect()
}

fn can_i(env: &TestEnv, verb: &str, resource: &str, namespace: &str) -> bool {
    let output = env.kubectl(&[
        "auth",
        "can-i",
        verb,
        resource,
        "-n",
        namespace,
        "--context",
        "nobody",
    ]);
    String::from_utf8_lossy(&output.stdout).trim() == "yes"
}

#[test]
fn the_documented_roles_allow_exactly_what_they_say() {
    let env = TestEnv::new("rbac-docs");
    let ns = env.namespace.clone();
    let other = TestEnv::unique("rbac-docs-other");
    env.create_namespace(&other, &["rbac-docs=operator"]);
    env.kubectl_ok(&["label", "namespace", &ns, "rbac-docs=operator"]);
    let docs = documents(&ns);
    assert_eq!(
        docs.len(),
        4,
        "Role, RoleBinding, ClusterRole, ClusterRoleBinding"
    );

    // 1. The namespace Role: create --attach works in its namespace, and nothing more.
    env.apply(&format!("{}\n---\n{}", docs[0], docs[1]));
    let create = |namespace: &str| {
        env.regcred()
            .args([
                "create",
                "regcred",
                "-s",
                "ghcr.io",
                "-u",
                "u",
                "--password-stdin",
                "--attach",
            ])
            .args(["-n", namespace, "--context", "nobody"])
            .write_stdin("pw")
            .output()
            .unwrap()
    };
    let output = create(&ns);
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        stdout,
        format!("secret/regcred created in namespace {ns}; attached to serviceaccount/default\n")
    );
    assert!(texts(&create(&ns)).0.contains("unchanged"));
    let elsewhere = create(&other);
    assert_eq!(elsewhere.status.code(), Some(1));
    assert!(
        texts(&elsewhere).1.contains("not allowed"),
        "{}",
        texts(&elsewhere).1
    );
    for (verb, resource) in [
        ("delete", "secrets"),
        ("list", "secrets"),
        ("create", "configmaps"),
        ("get", "pods"),
        ("list", "serviceaccounts"),
    ] {
        assert!(
            !can_i(&env, verb, resource, &ns),
            "the Role must not allow {verb} {resource}"
        );
    }
    assert!(!can_i(&env, "get", "secrets", &other));
    let delete = env
        .regcred()
        .args(["delete", "regcred", "-n", &ns, "--context", "nobody"])
        .output()
        .unwrap();
    assert_eq!(
        delete.status.code(),
        Some(1),
        "delete is not part of create --attach"
    );

    // 2. The ClusterRole: every subcommand over selected namespaces.
    env.apply(&format!("{}\n---\n{}", docs[2], docs[3]));
    let selector = [
        "--namespace-selector",
        "rbac-docs=operator",
        "--context",
        "nobody",
    ];
    let output = env
        .regcred()
        .args([
            "create",
            "operator-cred",
            "-u",
            "u",
            "--password-stdin",
            "--attach",
            "--all-service-accounts",
        ])
        .args(selector)
        .write_stdin("pw")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", texts(&output).1);
    for args in [
        vec!["label", "operator-cred", "--cluster-wide"],
        vec!["detach", "operator-cred"],
        vec!["delete", "operator-cred"],
    ] {
        let output = env.regcred().args(&args).args(selector).output().unwrap();
        assert!(output.status.success(), "{args:?}: {}", texts(&output).1);
    }
    // `status` reads the workloads that pull with a secret.
    for resource in [
        "deployments.apps",
        "statefulsets.apps",
        "daemonsets.apps",
        "jobs.batch",
        "cronjobs.batch",
    ] {
        assert!(can_i(&env, "list", resource, &ns), "list {resource}");
    }
    assert!(!can_i(&env, "delete", "jobs.batch", &ns));
    assert!(!can_i(&env, "create", "configmaps", &ns));
    assert!(!can_i(&env, "delete", "namespaces", &ns));
    env.kubectl_ok(&["delete", "clusterrolebinding", "regcred-operator"]);
}
