//! Our `.dockerconfigjson` is byte-for-byte what `kubectl create secret docker-registry` writes.

use crate::support::{TestEnv, dockerconfigjson, texts};

struct Case {
    server: Option<&'static str>,
    username: &'static str,
    password: &'static str,
    email: Option<&'static str>,
}

const CASES: &[Case] = &[
    Case {
        server: Some("ghcr.io"),
        username: "octocat",
        password: "ghp_token",
        email: None,
    },
    Case {
        server: None,
        username: "alice",
        password: "pw",
        email: Some("alice@example.com"),
    },
    Case {
        server: Some("https://index.docker.io/v1/"),
        username: "bob",
        password: "pw",
        email: None,
    },
    Case {
        server: Some("localhost:5000"),
        username: "u",
        password: "p<&>\"\\'ü🔑 x",
        email: None,
    },
    Case {
        server: Some("eu.gcr.io"),
        username: "_json_key",
        password: "{\"type\": \"service_account\",\n \"private_key\": \"-----BEGIN-----\\n\"}",
        email: None,
    },
];

fn kubectl_secret(env: &TestEnv, case: &Case) -> serde_json::Value {
    let mut args = vec![
        "create".to_string(),
        "secret".into(),
        "docker-registry".into(),
        "regcred".into(),
        "--namespace".into(),
        "compat".into(),
        format!("--docker-username={}", case.username),
        format!("--docker-password={}", case.password),
        "--dry-run=client".into(),
        "-o".into(),
        "json".into(),
    ];
    if let Some(server) = case.server {
        args.push(format!("--docker-server={server}"));
    }
    if let Some(email) = case.email {
        args.push(format!("--docker-email={email}"));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    serde_json::from_str(&env.kubectl_ok(&args)).expect("kubectl prints JSON")
}

fn our_secret(env: &TestEnv, case: &Case) -> serde_json::Value {
    let mut cmd = env.regcred();
    cmd.args([
        "create",
        "regcred",
        "-n",
        "compat",
        "-u",
        case.username,
        "--password-stdin",
    ])
    .args(["--dry-run=client", "-o", "json"]);
    if let Some(server) = case.server {
        cmd.args(["--server", server]);
    }
    if let Some(email) = case.email {
        cmd.args(["--email", email]);
    }
    let output = cmd.write_stdin(case.password).output().unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

#[test]
fn dockerconfigjson_bytes_equal_kubectls_for_the_same_inputs() {
    let env = TestEnv::without_namespace();
    for case in CASES {
        let theirs = kubectl_secret(&env, case);
        let ours = our_secret(&env, case);
        assert_eq!(
            String::from_utf8(dockerconfigjson(&ours)).unwrap(),
            String::from_utf8(dockerconfigjson(&theirs)).unwrap(),
            "server {:?}",
            case.server
        );
        assert_eq!(ours["type"], theirs["type"]);
        assert_eq!(ours["kind"], theirs["kind"]);
        assert_eq!(ours["apiVersion"], theirs["apiVersion"]);
        assert_eq!(ours["metadata"]["name"], theirs["metadata"]["name"]);
        assert_eq!(
            ours["metadata"]["namespace"],
            theirs["metadata"]["namespace"]
        );
    }
}
