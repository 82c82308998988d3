//! Real pulls on the real node (`node.rs`) from every registry of the matrix, with the right
//! credentials, a wrong password and no pull secret: what the runtime did, and what
//! `diagnose`, `check` and `diagnose --verify` say about it. Nothing here writes a pod status
//! or an event: the kubelet does.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::node::{is_failing_to_pull, is_running, node, pod_manifest};
use crate::registries::registries;
use crate::support::{TestEnv, eventually, texts};

/// One registry of the matrix, as pods name it.
struct Row {
    name: &'static str,
    /// `host[:port]`: what the pull secret's entry is for.
    host: String,
    image: String,
    /// What the nodes are configured with for this registry, as `check` is told it.
    node_config: Vec<String>,
}

fn rows() -> Vec<Row> {
    let r = registries();
    let row = |name, host: String, image: String| Row {
        name,
        host,
        image,
        node_config: vec![],
    };
    let app = |host: &str| format!("{host}/{}", r.image);
    // A port where nothing listens: bound, then let go.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("127.0.0.1:{}", listener.local_addr().unwrap().port())
    };
    vec![
        row("plain-loopback", r.http.clone(), app(&r.http)),
        row("plain-named", r.plain_named(), app(&r.plain_named())),
        row("tls-untrusted", r.untrusted(), app(&r.untrusted())),
        Row {
            node_config: vec!["--ca-file".into(), r.ca.to_str().unwrap().into()],
            ..row("tls-trusted", r.trusted(), app(&r.trusted()))
        },
        row("token", r.token.clone(), app(&r.token)),
        row(
            "no-such-host",
            "nxdomain.invalid:5000".into(),
            app("nxdomain.invalid:5000"),
        ),
        row("closed-port", closed.clone(), app(&closed)),
        row(
            "missing-tag",
            r.http.clone(),
            format!("{}/team/app:9.9-missing", r.http),
        ),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Creds {
    Right,
    WrongPassword,
    NoSecret,
}

const ALL_CREDS: [Creds; 3] = [Creds::Right, Creds::WrongPassword, Creds::NoSecret];

/// What one cell must show: the runtime's result (`pulled`, or the cause `diagnose` names
/// from the kubelet's events), the answer of `check` and of `diagnose --verify` (the same
/// exchange with the registry), and the cluster findings.
#[derive(Debug, Clone, Copy)]
struct Expected {
    runtime: &'static str,
    check: &'static str,
    findings: &'static [&'static str],
}

const fn cell(runtime: &'static str, check: &'static str) -> Expected {
    Expected {
        runtime,
        check,
        findings: &[],
    }
}

/// No pull secret, and a registry that wants credentials: the pull is anonymous.
const fn anonymous(runtime: &'static str) -> Expected {
    Expected {
        runtime,
        check: "no_credentials",
        findings: &["no_secret_for_registry"],
    }
}

/// The table: one row per registry, one column per credential case.
fn expected(row: &str) -> [Expected; 3] {
    match row {
        "plain-loopback" | "tls-trusted" => [
            cell("pulled", "ok"),
            cell("auth_failed", "denied"),
            anonymous("auth_failed"),
        ],
        "plain-named" => [cell("http_to_https", "http_to_https"); 3],
        "tls-untrusted" => [cell("tls_untrusted", "tls_untrusted"); 3],
        "token" => [
            cell("pulled", "ok"),
            cell("auth_failed", "denied"),
            anonymous("repo_denied_or_missing"),
        ],
        "no-such-host" => [cell("dns_failure", "unreachable"); 3],
        "closed-port" => [cell("connection_refused", "unreachable"); 3],
        "missing-tag" => [
            cell("not_found", "not_found"),
            cell("auth_failed", "denied"),
            anonymous("auth_failed"),
        ],
        other => panic!("no expectations for row {other}"),
    }
}

/// The node trusts the TLS registry under `TRUSTED_NAME` through a hosts.toml naming its CA,
/// as a cluster admin would set it up.
pub(crate) fn trust_the_tls_registry_under_its_trusted_name() {
    let r = registries();
    let host = r.trusted();
    let dir = node().certs_d().join(&host);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(&r.ca, dir.join("ca.crt")).unwrap();
    node().write_hosts_toml(
        &host,
        &format!("server = \"https://{host}\"\n\n[host.\"https://{host}\"]\n  ca = \"ca.crt\"\n"),
    );
}

/// Creates pull secret `name` for `server` with the test registry's user and `password`.
pub(crate) fn create_secret(env: &TestEnv, name: &str, server: &str, password: &str) {
    let r = registries();
    let output = env
        .regcred()
        .args([
            "create",
            name,
            "-s",
            server,
            "-u",
            &r.user,
            "--password-stdin",
        ])
        .args(["-n", &env.namespace])
        .write_stdin(format!("{password}\n"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", texts(&output).1);
}

/// The pod has run, or the kubelet has reported a failed pull (or an unparsable image).
fn has_settled(pod: &serde_json::Value) -> bool {
    is_running(pod) || is_failing_to_pull(pod)
}

/// Runs the plugin as a workstation on the node's network (the test registry names resolve
/// as they do for the node) and parses its JSON.
fn json_of(env: &TestEnv, args: &[&str]) -> (i32, serde_json::Value) {
    let output = env.regcred_with_hosts().args(args).output().unwrap();
    let (stdout, stderr) = texts(&output);
    let value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{args:?} printed no JSON ({e}):\n{stdout}\n{stderr}"));
    (output.status.code().unwrap_or(-1), value)
}

#[test]
fn diagnose_check_and_verify_agree_with_the_runtime_for_every_registry_and_credential() {
    let r = registries();
    trust_the_tls_registry_under_its_trusted_name();
    let rows = rows();
    let envs: BTreeMap<Creds, TestEnv> = ALL_CREDS
        .iter()
        .map(|&creds| (creds, node().env(&format!("pulls-{creds:?}"))))
        .collect();
    for row in &rows {
        for (&creds, env) in &envs {
            let secrets: Vec<String> = match creds {
                Creds::NoSecret => vec![],
                Creds::Right => {
                    create_secret(env, row.name, &row.host, &r.password);
                    vec![row.name.to_string()]
                }
                Creds::WrongPassword => {
                    create_secret(env, row.name, &row.host, "Wrong-Pa55word-0b3d");
                    vec![row.name.to_string()]
                }
            };
            let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
            env.apply(&pod_manifest(
                &env.namespace,
                row.name,
                &row.image,
                &secrets,
            ));
        }
    }
    for row in &rows {
        for env in envs.values() {
            env.wait_for_pod(row.name, Duration::from_secs(90), "settled", has_settled);
        }
    }

    let mut checked = 0;
    for (&creds, env) in &envs {
        let ns = env.namespace.as_str();
        for row in &rows {
            let want = expected(row.name)[creds as usize];
            let cell = format!("{} × {creds:?}", row.name);
            let node_config: Vec<&str> = row.node_config.iter().map(String::as_str).collect();
            let mut args = vec![
                "diagnose",
                row.name,
                "-n",
                ns,
                "--verify",
                "--timeout",
                "5s",
            ];
            args.extend(&node_config);
            args.extend(["-o", "json"]);
            // The kubelet's events may trail the pod's status: read until they are there.
            let mut diagnosed = (0, serde_json::Value::Null);
            eventually(Duration::from_secs(60), || {
                diagnosed = json_of(env, &args);
                diagnosed.1["failures"][0]["cause"] != "unknown"
            });
            let (code, report) = diagnosed;
            let failure = report["failures"].as_array().unwrap().first();
            // What the runtime did: the real pod, read through diagnose.
            let pod = env.pod(row.name).unwrap();
            let runtime = match failure {
                None if is_running(&pod) => "pulled".to_string(),
                None => panic!("{cell}: neither running nor diagnosed: {}", pod["status"]),
                Some(f) => f["cause"].as_str().unwrap().to_string(),
            };
            assert_eq!(runtime, want.runtime, "{cell}: the runtime\n{failure:?}");
            assert_eq!(
                code,
                if failure.is_some() { 1 } else { 0 },
                "{cell}: diagnose"
            );
            if let Some(f) = failure {
                let findings: Vec<&str> = f["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x["id"].as_str().unwrap())
                    .collect();
                assert_eq!(findings, want.findings, "{cell}: findings\n{f}");
                assert_eq!(
                    f["verify"]["result"], want.check,
                    "{cell}: diagnose --verify\n{f}"
                );
            }
            // check, as a user would run it for this pod: its secret, or none.
            let mut args = vec!["check"];
            if creds != Creds::NoSecret {
                args.push(row.name);
            }
            args.extend([
                "--image",
                &row.image,
                "-n",
                ns,
                "--timeout",
                "5s",
                "-o",
                "json",
            ]);
            args.extend(&node_config);
            let (code, report) = json_of(env, &args);
            assert_eq!(report["result"], want.check, "{cell}: check\n{report}");
            assert_eq!(code, if want.check == "ok" { 0 } else { 1 }, "{cell}");
            checked += 1;
        }
    }
    assert_eq!(checked, rows.len() * ALL_CREDS.len());
}
