//! `rotate`: a new password for one registry in every copy of a pull secret, tried on the real
//! registries of `scripts/registryenv.sh` first, written into the real API server.
//!
//! The copies are made with the real kubectl from exact bytes (other registries, other
//! spellings of the key, pretty-printed JSON, extra top-level fields, labels, annotations), so
//! what `rotate` keeps can be compared byte for byte.

use std::collections::BTreeMap;
use std::process::Output;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Value, json};

use crate::registries::registries;
use crate::support::{TestEnv, dockerconfigjson, texts};

/// The two contexts of the test kubeconfig that both reach the one test cluster as admins.
const CONTEXTS: &str = "admin,cert";

/// What one copy held before the run: its bytes, and the entry text that is to change.
struct Copy {
    namespace: String,
    bytes: String,
    rotated_entry: String,
}

/// The entry `rotate` writes for these credentials: kubectl's field order (username,
/// password, email, auth).
fn written_entry_with(user: &str, password: &str, email: Option<&str>) -> String {
    let auth = BASE64.encode(format!("{user}:{password}"));
    let email = email
        .map(|e| format!(r#""email":"{e}","#))
        .unwrap_or_default();
    format!(r#"{{"username":"{user}","password":"{password}",{email}"auth":"{auth}"}}"#)
}

fn written_entry(user: &str, password: &str) -> String {
    written_entry_with(user, password, None)
}

fn old_entry(user: &str, password: &str) -> String {
    format!(
        "{{\"auth\": \"{}\"}}",
        BASE64.encode(format!("{user}:{password}"))
    )
}

/// A pull secret of exact `content`, with labels and annotations, as kubectl applies it.
fn secret_manifest(namespace: &str, name: &str, content: &str, labels: Value) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "kubernetes.io/dockerconfigjson",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "labels": labels,
            "annotations": {"example.com/note": "keep me"},
        },
        "data": {".dockerconfigjson": BASE64.encode(content)},
    })
}

fn apply_all(env: &TestEnv, items: Vec<Value>) {
    let list = json!({"apiVersion": "v1", "kind": "List", "items": items});
    env.apply(&list.to_string());
}

/// resourceVersion, labels, annotations and content of a secret.
fn state(env: &TestEnv, namespace: &str, name: &str) -> (String, Value, Value, Vec<u8>) {
    let secret = env
        .get_in(namespace, "secret", name)
        .unwrap_or_else(|| panic!("secret {namespace}/{name}"));
    (
        secret["metadata"]["resourceVersion"]
            .as_str()
            .unwrap()
            .to_string(),
        secret["metadata"]["labels"].clone(),
        secret["metadata"]["annotations"].clone(),
        dockerconfigjson(&secret),
    )
}

fn results(stdout: &str) -> Vec<Value> {
    let report: Value = serde_json::from_str(stdout)
        .unwrap_or_else(|e| panic!("rotate -o json printed no JSON ({e}):\n{stdout}"));
    report["results"].as_array().unwrap().clone()
}

/// `-s SERVER -u USER --password-file FILE`.
fn credential_flags<'a>(server: &'a str, user: &'a str, file: &'a std::path::Path) -> [&'a str; 6] {
    let file = file.to_str().unwrap();
    ["-s", server, "-u", user, "--password-file", file]
}

fn run(env: &TestEnv, args: &[&str]) -> Output {
    env.regcred().arg("rotate").args(args).output().unwrap()
}

/// Neither output shows the password.
fn assert_quiet(output: &Output, password: &str) {
    let (stdout, stderr) = texts(output);
    assert!(!stdout.contains(password), "stdout shows it:\n{stdout}");
    assert!(!stderr.contains(password), "stderr shows it:\n{stderr}");
}

/// 52 namespaces seen through two contexts of the same cluster (so each copy is met twice, by
/// two runs side by side): every copy ends with the new password for the registry and every
/// other byte as it was, exactly one context writes each copy (the other finds it done, or
/// loses the resourceVersion race and then finds it done), and a second run writes nothing.
#[test]
fn across_namespaces_and_contexts_every_copy_gets_the_new_password_and_nothing_else() {
    let r = registries();
    let env = TestEnv::without_namespace();
    let run_label = TestEnv::unique("rotate-run");
    let namespaces: Vec<String> = (0..52)
        .map(|i| format!("{}-{i}", TestEnv::unique("rot")))
        .collect();
    let mut items: Vec<Value> = namespaces
        .iter()
        .map(|ns| {
            json!({"apiVersion": "v1", "kind": "Namespace",
                   "metadata": {"name": ns, "labels": {"rotate-run": run_label}}})
        })
        .collect();
    let old = old_entry(&r.user, "old-password");
    let mut copies = Vec::new();
    for (i, ns) in namespaces.iter().enumerate() {
        let quay = r#"{"auth": "cTpxcQ==", "identitytoken": "tok<en>"}"#;
        let (bytes, rotated_entry) = match i % 3 {
            0 => (
                format!(r#"{{"auths": {{"{}": {old}}}}}"#, r.http),
                old.clone(),
            ),
            // Another spelling of the same registry, and another registry before it.
            1 => (
                format!(
                    r#"{{"auths": {{"quay.io": {quay}, "http://{}/": {old}}}}}"#,
                    r.http
                ),
                old.clone(),
            ),
            // Pretty-printed, a field the kubelet ignores, an email that stays.
            _ => {
                let entry = format!(
                    "{{\"email\": \"ci@example.com\", \"auth\": \"{}\"}}",
                    BASE64.encode(format!("{}:old-password", r.user))
                );
                (
                    format!(
                        "{{\n  \"auths\": {{\n    \"ghcr.io\": {{\"username\": \"g\", \"password\": \"p&<\"}},\n    \"{}\": {entry}\n  }},\n  \"HttpHeaders\": {{\"User-Agent\": \"x\"}}\n}}",
                        r.http
                    ),
                    entry,
                )
            }
        };
        items.push(secret_manifest(
            ns,
            "regcred",
            &bytes,
            json!({"team": format!("t{i}"), "tier": "gold"}),
        ));
        copies.push(Copy {
            namespace: ns.clone(),
            bytes,
            rotated_entry,
        });
    }
    // Another secret holding the registry under another name: not a copy of regcred.
    let other = format!(r#"{{"auths": {{"{}": {old}}}}}"#, r.http);
    items.push(secret_manifest(&namespaces[0], "other", &other, json!({})));
    apply_all(&env, items);
    let before: BTreeMap<String, _> = copies
        .iter()
        .map(|c| (c.namespace.clone(), state(&env, &c.namespace, "regcred")))
        .collect();
    let other_before = state(&env, &namespaces[0], "other");
    let password_file = env.write_file("new-password", &r.password);
    let selector = format!("rotate-run={run_label}");
    let args = [
        &["regcred"][..],
        &credential_flags(&r.http, &r.user, &password_file),
        &[
            "--namespace-selector",
            &selector,
            "--context",
            CONTEXTS,
            "-o",
            "json",
        ],
    ]
    .concat();

    let output = run(&env, &args);
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert_quiet(&output, &r.password);
    let rows = results(&stdout);
    assert_eq!(rows.len(), 2 * namespaces.len(), "{stdout}");
    for ns in &namespaces {
        let statuses: Vec<&str> = rows
            .iter()
            .filter(|row| row["namespace"] == ns.as_str())
            .map(|row| row["status"].as_str().unwrap())
            .collect();
        let mut sorted = statuses.clone();
        sorted.sort();
        assert_eq!(sorted, ["unchanged", "updated"], "{ns}: {statuses:?}");
    }
    let new_entry = written_entry(&r.user, &r.password);
    for copy in &copies {
        let (_, labels, annotations, bytes) = state(&env, &copy.namespace, "regcred");
        let want = copy.bytes.replace(&copy.rotated_entry, &new_entry);
        let want = match copy.rotated_entry.contains("email") {
            // An email stays with the entry: the new one carries it.
            true => want.replace(
                &new_entry,
                &written_entry_with(&r.user, &r.password, Some("ci@example.com")),
            ),
            false => want,
        };
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            want,
            "{}: only the registry's entry changes, byte for byte",
            copy.namespace
        );
        let (_, labels_before, annotations_before, _) = &before[&copy.namespace];
        assert_eq!(&labels, labels_before, "{}", copy.namespace);
        assert_eq!(&annotations, annotations_before, "{}", copy.namespace);
    }
    assert_eq!(
        state(&env, &namespaces[0], "other"),
        other_before,
        "another secret's name is not a copy"
    );

    // Again: nothing to write anywhere.
    let versions: Vec<String> = copies
        .iter()
        .map(|c| state(&env, &c.namespace, "regcred").0)
        .collect();
    let output = run(&env, &args);
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    let rows = results(&stdout);
    assert!(
        rows.iter().all(|row| row["status"] == "unchanged"),
        "{stdout}"
    );
    let after: Vec<String> = copies
        .iter()
        .map(|c| state(&env, &c.namespace, "regcred").0)
        .collect();
    assert_eq!(after, versions, "a second run writes nothing");
    let mut cleanup = vec!["delete", "namespace", "--wait=false"];
    cleanup.extend(namespaces.iter().map(String::as_str));
    env.kubectl_ok(&cleanup);
}

/// Three copies; the new password is wrong for the real htpasswd registry (and, for the
/// second run, the registry behind the token service): nothing is written, exit 1, and the
/// error names the registry's answer.
#[test]
fn a_password_the_registry_refuses_changes_no_copy() {
    let r = registries();
    let env = TestEnv::new("rotate-verify");
    let namespaces = [
        env.namespace.clone(),
        TestEnv::unique("rotate-verify"),
        TestEnv::unique("rotate-verify"),
    ];
    for ns in &namespaces[1..] {
        env.create_namespace(ns, &[]);
    }
    let old = old_entry(&r.user, &r.password);
    let content = format!(
        r#"{{"auths": {{"{}": {old}, "{}": {old}}}}}"#,
        r.http, r.token
    );
    apply_all(
        &env,
        namespaces
            .iter()
            .map(|ns| secret_manifest(ns, "regcred", &content, json!({})))
            .collect(),
    );
    let before: Vec<_> = namespaces
        .iter()
        .map(|ns| state(&env, ns, "regcred"))
        .collect();
    let wrong = "Wrong-Rotate-Password-5d1";
    let wrong_file = env.write_file("wrong", wrong);
    let joined = namespaces.join(",");
    for (server, answer) in [
        (&r.http, format!("{} refused the credentials", r.http)),
        (&r.token, "the token service".to_string()),
    ] {
        let output = run(
            &env,
            &[
                "regcred",
                "-s",
                server,
                "-u",
                &r.user,
                "--password-file",
                wrong_file.to_str().unwrap(),
                "-n",
                &joined,
            ],
        );
        let (stdout, stderr) = texts(&output);
        assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
        assert!(stderr.contains("401 Unauthorized"), "{stderr}");
        assert!(stderr.contains(&answer), "{stderr}");
        assert!(stderr.contains("nothing was changed"), "{stderr}");
        assert!(stdout.is_empty(), "no rows: {stdout}");
        assert_quiet(&output, wrong);
    }
    let after: Vec<_> = namespaces
        .iter()
        .map(|ns| state(&env, ns, "regcred"))
        .collect();
    assert_eq!(after, before, "no copy was written");
}

/// --all-holders rotates every dockerconfigjson secret holding the registry, under any name;
/// one that holds other registries only, and a secret of another type, are not touched.
/// --dry-run (client and server) shows which would change and writes nothing.
#[test]
fn all_holders_and_dry_runs() {
    let r = registries();
    let env = TestEnv::new("rotate-holders");
    let ns = env.namespace.clone();
    let old = old_entry(&r.user, "old");
    let holds = format!(r#"{{"auths": {{"{}": {old}}}}}"#, r.http);
    let spelled = format!(r#"{{"auths": {{"HTTP://{}/v2/": {old}}}}}"#, r.http);
    let elsewhere = r#"{"auths": {"quay.io": {"auth": "cTpx"}}}"#.to_string();
    let mut opaque = secret_manifest(&ns, "opaque", &holds, json!({}));
    opaque["type"] = json!("Opaque");
    apply_all(
        &env,
        vec![
            secret_manifest(&ns, "first", &holds, json!({})),
            secret_manifest(&ns, "second", &spelled, json!({})),
            secret_manifest(&ns, "elsewhere", &elsewhere, json!({})),
            opaque,
        ],
    );
    let names = ["first", "second", "elsewhere", "opaque"];
    let before: Vec<_> = names.iter().map(|n| state(&env, &ns, n)).collect();
    let password_file = env.write_file("new", &r.password);
    let base = [
        &["--all-holders"][..],
        &credential_flags(&r.http, &r.user, &password_file),
        &["-n", &ns],
    ]
    .concat();

    for dry_run in ["--dry-run=client", "--dry-run=server"] {
        let output = run(&env, &[&base[..], &[dry_run]].concat());
        let (stdout, stderr) = texts(&output);
        assert_eq!(output.status.code(), Some(0), "{dry_run}: {stdout}{stderr}");
        assert!(stdout.contains("updated"), "{stdout}");
        assert!(
            stdout.contains("secret/first: would rotate")
                && stdout.contains("secret/second: would rotate"),
            "{dry_run}: {stdout}"
        );
        assert!(
            !stdout.contains("elsewhere") && !stdout.contains("opaque"),
            "{stdout}"
        );
        assert_quiet(&output, &r.password);
        let after: Vec<_> = names.iter().map(|n| state(&env, &ns, n)).collect();
        assert_eq!(after, before, "{dry_run} writes nothing");
    }

    let output = run(&env, &base);
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("secret/first: rotated"), "{stdout}");
    let new_entry = written_entry(&r.user, &r.password);
    let first = state(&env, &ns, "first").3;
    assert_eq!(
        String::from_utf8(first).unwrap(),
        holds.replace(&old, &new_entry)
    );
    let second = state(&env, &ns, "second").3;
    assert_eq!(
        String::from_utf8(second).unwrap(),
        spelled.replace(&old, &new_entry),
        "the key keeps its spelling"
    );
    assert_eq!(state(&env, &ns, "elsewhere"), before[2]);
    assert_eq!(state(&env, &ns, "opaque"), before[3], "not a pull secret");
}

/// A NAME missing from a namespace named with -n is an error there (exit 1); the other named
/// namespace is still rotated. A static password over the only cloud token drops the cloud
/// annotations, which no longer describe anything (--no-verify: no ECR here).
#[test]
fn a_missing_copy_in_a_named_namespace_fails_and_cloud_annotations_follow_the_content() {
    let env = TestEnv::new("rotate-missing");
    let missing = TestEnv::unique("rotate-missing");
    env.create_namespace(&missing, &[]);
    let ecr = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
    let content = format!(
        r#"{{"auths": {{"{ecr}": {}, "quay.io": {{"auth": "cTpx"}}}}}}"#,
        old_entry("AWS", "token")
    );
    let mut secret = secret_manifest(&env.namespace, "ecr", &content, json!({"team": "a"}));
    secret["metadata"]["annotations"] = json!({
        "regcred.kubectl.io/provider": "ecr",
        "regcred.kubectl.io/region": "eu-west-1",
        "regcred.kubectl.io/minted-at": "2026-01-01T00:00:00Z",
        "regcred.kubectl.io/expires-at": "2026-01-01T12:00:00Z",
        "example.com/note": "keep me",
    });
    apply_all(&env, vec![secret]);
    let password_file = env.write_file("static", "Static-Rotate-Password-c3e");
    let rotate = |namespaces: &str| {
        run(
            &env,
            &[
                "ecr",
                "-s",
                ecr,
                "-u",
                "robot",
                "--password-file",
                password_file.to_str().unwrap(),
                "--no-verify",
                "-n",
                namespaces,
            ],
        )
    };

    let output = rotate(&missing);
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stderr.contains(&format!(
            "secret \"ecr\" not found in namespace \"{missing}\""
        )),
        "{stderr}"
    );

    let output = rotate(&format!("{},{missing}", env.namespace));
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains("failed") && stdout.contains("updated"),
        "{stdout}"
    );
    assert_quiet(&output, "Static-Rotate-Password-c3e");
    let (_, labels, mut annotations, bytes) = state(&env, &env.namespace, "ecr");
    assert_eq!(labels, json!({"team": "a"}));
    // kubectl apply's own record of what it applied is kubectl's, and stays.
    let applied = annotations
        .as_object_mut()
        .and_then(|a| a.remove("kubectl.kubernetes.io/last-applied-configuration"));
    assert!(applied.is_some());
    assert_eq!(
        annotations,
        json!({"example.com/note": "keep me"}),
        "the token annotations went with the token"
    );
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        text.ends_with(r#", "quay.io": {"auth": "cTpx"}}}"#),
        "{text}"
    );
    assert!(text.contains(&written_entry("robot", "Static-Rotate-Password-c3e")));
}

/// Two real clusters, 25 namespaces each, in one merged `KUBECONFIG`: `rotate --context a,b`
/// gives every copy in both the new password for the registry and keeps every other byte,
/// label and annotation; a second run writes nothing in either.
#[test]
fn across_two_clusters_every_copy_gets_the_new_password_and_nothing_else() {
    use crate::clusters::{ControlPlane, spare};
    let r = registries();
    let own = ControlPlane::start();
    let planes: [(&str, &ControlPlane); 2] = [("a", spare()), ("b", &own)];
    let home = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let mut envs = Vec::new();
    for (name, plane) in planes {
        let path = home.path().join(format!("{name}.yaml"));
        let server = format!("https://{}", plane.api_addr());
        std::fs::write(&path, plane.kubeconfig_named(name, &server)).unwrap();
        files.push(path.display().to_string());
        let mut env = TestEnv::without_namespace();
        env.kubeconfig = Box::leak(plane.kubeconfig().into_boxed_path());
        envs.push(env);
    }
    let run_label = TestEnv::unique("rotate-two");
    let old = old_entry(&r.user, "old-password");
    let mut copies: Vec<(usize, Copy)> = Vec::new();
    for (c, env) in envs.iter().enumerate() {
        let mut items = Vec::new();
        for i in 0..25 {
            let ns = format!("{}-{i}", TestEnv::unique("rot2"));
            items.push(json!({"apiVersion": "v1", "kind": "Namespace",
                "metadata": {"name": ns, "labels": {"rotate-two": run_label}}}));
            let bytes = match i % 2 {
                0 => format!(r#"{{"auths": {{"{}": {old}}}}}"#, r.http),
                _ => format!(
                    r#"{{"auths": {{"quay.io": {{"auth": "cTpxcQ=="}}, "{}": {old}}}}}"#,
                    r.http
                ),
            };
            let labels = json!({"team": format!("t{i}")});
            items.push(secret_manifest(&ns, "regcred", &bytes, labels));
            let copy = Copy {
                namespace: ns,
                bytes,
                rotated_entry: old.clone(),
            };
            copies.push((c, copy));
        }
        apply_all(env, items);
    }
    let before: Vec<_> = (copies.iter())
        .map(|(c, copy)| state(&envs[*c], &copy.namespace, "regcred"))
        .collect();
    let password_file = home.path().join("new-password");
    std::fs::write(&password_file, &r.password).unwrap();
    let selector = format!("rotate-two={run_label}");
    let rotate = || {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_kubectl-regcred"))
            .env("HOME", home.path())
            .env("KUBECONFIG", files.join(":"))
            .arg("rotate")
            .arg("regcred")
            .args(credential_flags(&r.http, &r.user, &password_file))
            .args(["--namespace-selector", &selector, "--context", "a,b"])
            .args(["-o", "json"])
            .output()
            .unwrap();
        let (stdout, stderr) = texts(&output);
        assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
        assert_quiet(&output, &r.password);
        results(&stdout)
    };

    let rows = rotate();
    assert_eq!(rows.len(), 50, "{rows:#?}");
    for (c, copy) in &copies {
        let context = planes[*c].0;
        let row = rows
            .iter()
            .find(|row| row["namespace"] == copy.namespace.as_str())
            .unwrap_or_else(|| panic!("no row for {}", copy.namespace));
        assert_eq!(row["context"], context, "{row}");
        assert_eq!(row["status"], "updated", "{row}");
    }
    let new_entry = written_entry(&r.user, &r.password);
    for ((c, copy), (_, labels, annotations, _)) in copies.iter().zip(&before) {
        let (_, labels_now, annotations_now, bytes) = state(&envs[*c], &copy.namespace, "regcred");
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            copy.bytes.replace(&copy.rotated_entry, &new_entry),
            "{}: only the registry's entry changes, byte for byte",
            copy.namespace
        );
        assert_eq!((&labels_now, &annotations_now), (labels, annotations));
    }

    let versions: Vec<String> = (copies.iter())
        .map(|(c, copy)| state(&envs[*c], &copy.namespace, "regcred").0)
        .collect();
    let rows = rotate();
    assert_eq!(rows.len(), 50);
    assert!(
        rows.iter().all(|row| row["status"] == "unchanged"),
        "{rows:#?}"
    );
    let after: Vec<String> = (copies.iter())
        .map(|(c, copy)| state(&envs[*c], &copy.namespace, "regcred").0)
        .collect();
    assert_eq!(after, versions, "a second run writes nothing");
    let names: Vec<&str> = (copies.iter())
        .filter(|(c, _)| *c == 0)
        .map(|(_, copy)| copy.namespace.as_str())
        .collect();
    let mut cleanup = vec!["delete", "namespace", "--wait=false"];
    cleanup.extend(names);
    envs[0].kubectl_ok(&cleanup);
}

/// With no new credentials and no terminal to ask on, `rotate` says what it takes (not
/// `create`'s `--from-secret`, which it has no use for) and exits 2 before any request.
#[test]
fn no_new_credentials_and_no_terminal_is_a_usage_error_naming_rotates_sources() {
    let env = TestEnv::without_namespace();
    let output = env
        .regcred()
        .args(["rotate", "regcred", "-n", "default"])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(2), "{stdout}{stderr}");
    assert!(stderr.contains("no new credentials given"), "{stderr}");
    assert!(stderr.contains("--password-stdin"), "{stderr}");
    assert!(!stderr.contains("--from-secret"), "{stderr}");
}
