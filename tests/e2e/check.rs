//! `check`: a pull secret's credentials against real registries (`scripts/registryenv.sh`:
//! Debian's docker-registry over plain HTTP and over TLS with a self-signed CA, both with
//! htpasswd auth) and a small Bearer-token registry served by this test process.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Output;
use std::sync::OnceLock;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

pub(crate) use crate::registries::registries;
use crate::support::{TestEnv, texts};

/// Creates pull secret `name` for one registry, the password from stdin.
fn create_secret(env: &TestEnv, name: &str, server: &str, user: &str, password: &str) {
    let output = env
        .regcred()
        .args(["create", name, "-s", server, "-u", user, "--password-stdin"])
        .args(["-n", &env.namespace])
        .write_stdin(format!("{password}\n"))
        .output()
        .expect("run kubectl-regcred create");
    assert!(output.status.success(), "{}", texts(&output).1);
}

fn check(env: &TestEnv, secret: &str, image: &str, extra: &[&str]) -> Output {
    check_by(env.regcred(), env, secret, image, extra)
}

/// `check` run by `plugin` (the plugin itself, or through a wrapper).
fn check_by(
    mut plugin: assert_cmd::Command,
    env: &TestEnv,
    secret: &str,
    image: &str,
    extra: &[&str],
) -> Output {
    plugin
        .args(["check", secret, "--image", image, "-n", &env.namespace])
        .args(extra)
        .output()
        .expect("run kubectl-regcred check")
}

/// Runs `check -o json` and returns the exit code and the report.
fn check_json(
    env: &TestEnv,
    secret: &str,
    image: &str,
    extra: &[&str],
) -> (i32, serde_json::Value) {
    check_json_by(env.regcred(), env, secret, image, extra)
}

/// `check -o json` run by `plugin`.
fn check_json_by(
    plugin: assert_cmd::Command,
    env: &TestEnv,
    secret: &str,
    image: &str,
    extra: &[&str],
) -> (i32, serde_json::Value) {
    let output = check_by(
        plugin,
        env,
        secret,
        image,
        &[extra, &["-o", "json"]].concat(),
    );
    let (stdout, stderr) = texts(&output);
    let report = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("check -o json printed no JSON ({e}):\n{stdout}\n{stderr}"));
    (output.status.code().unwrap_or(-1), report)
}

/// containerd pulls from loopback addresses over plain HTTP without being told, so `check` does
/// too: before, it spoke HTTPS and answered http_to_https while the node pulled fine.
#[test]
fn issue_13_a_loopback_registry_is_checked_over_plain_http_as_the_runtime_pulls_it() {
    let r = registries();
    let env = TestEnv::new("check-ok");
    create_secret(&env, "regcred", &r.http, &r.user, &r.password);
    let image = format!("{}/{}", r.http, r.image);

    let output = check(&env, "regcred", &image, &[]);
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert_eq!(stdout, format!("ok: secret/regcred can pull {image}\n"));

    let (code, report) = check_json(&env, "regcred", &image, &[]);
    assert_eq!(code, 0);
    assert_eq!(report["result"], "ok");
    assert_eq!(report["secret"], "regcred");
    assert_eq!(report["namespace"], env.namespace.as_str());
    assert_eq!(report["image"], image.as_str());
    assert_eq!(report["registry"], r.http.as_str());
    assert_eq!(report["entry"], r.http.as_str());
    assert!(report["digest"].as_str().unwrap().starts_with("sha256:"));
}

#[test]
fn a_wrong_password_is_denied() {
    let r = registries();
    let env = TestEnv::new("check-denied");
    create_secret(&env, "regcred", &r.http, &r.user, "Wrong-Pa55word-3c1e");
    let image = format!("{}/{}", r.http, r.image);
    let output = check(&env, "regcred", &image, &["--plain-http"]);
    let (stdout, _) = texts(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout.starts_with(&format!("denied: secret/regcred cannot pull {image}: ")),
        "{stdout}"
    );
    assert!(stdout.contains("401"), "{stdout}");
    let (code, report) = check_json(&env, "regcred", &image, &["--plain-http"]);
    assert_eq!((code, report["result"].as_str()), (1, Some("denied")));
}

#[test]
fn a_missing_tag_is_not_found() {
    let r = registries();
    let env = TestEnv::new("check-not-found");
    create_secret(&env, "regcred", &r.http, &r.user, &r.password);
    let image = format!("{}/team/app:9.9-missing", r.http);
    let (code, report) = check_json(&env, "regcred", &image, &["--plain-http"]);
    assert_eq!(
        (code, report["result"].as_str()),
        (1, Some("not_found")),
        "{report}"
    );
    assert!(
        report["detail"].as_str().unwrap().contains("9.9-missing"),
        "{report}"
    );
}

#[test]
fn https_to_a_plain_http_registry_under_a_name_is_http_to_https() {
    let r = registries();
    let env = TestEnv::new("check-http-to-https");
    let named = r.plain_named();
    create_secret(&env, "regcred", &named, &r.user, &r.password);
    let image = format!("{named}/{}", r.image);
    // Under a name that is not loopback a check speaks HTTPS, as container runtimes do.
    let (code, report) = check_json_by(env.regcred_with_hosts(), &env, "regcred", &image, &[]);
    assert_eq!(
        (code, report["result"].as_str()),
        (1, Some("http_to_https")),
        "{report}"
    );
    assert!(
        report["detail"].as_str().unwrap().contains("--plain-http"),
        "{report}"
    );
    // Told the nodes treat it as insecure, the check pulls.
    let plain = ["--plain-http"];
    let (code, report) = check_json_by(env.regcred_with_hosts(), &env, "regcred", &image, &plain);
    assert_eq!(
        (code, report["result"].as_str()),
        (0, Some("ok")),
        "{report}"
    );
}

#[test]
fn a_self_signed_registry_is_untrusted_until_its_ca_is_given() {
    let r = registries();
    let env = TestEnv::new("check-tls");
    let named = r.untrusted();
    create_secret(&env, "regcred", &named, &r.user, &r.password);
    let image = format!("{named}/{}", r.image);
    let ca = r.ca.to_str().unwrap();
    let check_json = |env: &TestEnv, secret: &str, image: &str, extra: &[&str]| {
        check_json_by(env.regcred_with_hosts(), env, secret, image, extra)
    };

    let (code, report) = check_json(&env, "regcred", &image, &[]);
    assert_eq!(
        (code, report["result"].as_str()),
        (1, Some("tls_untrusted")),
        "{report}"
    );
    assert!(
        report["detail"]
            .as_str()
            .unwrap()
            .contains("unknown authority"),
        "{report}"
    );

    let (code, report) = check_json(&env, "regcred", &image, &["--ca-file", ca]);
    assert_eq!(
        (code, report["result"].as_str()),
        (0, Some("ok")),
        "{report}"
    );

    let (code, report) = check_json(&env, "regcred", &image, &["--insecure-skip-tls-verify"]);
    assert_eq!(
        (code, report["result"].as_str()),
        (0, Some("ok")),
        "{report}"
    );

    // Plain HTTP to a TLS registry: the registry says so, and so do we.
    let (code, report) = check_json(&env, "regcred", &image, &["--plain-http"]);
    assert_eq!(code, 1);
    assert!(
        report["detail"]
            .as_str()
            .unwrap()
            .contains("drop --plain-http"),
        "{report}"
    );
}

/// containerd 1.6 speaks plain HTTP to a TLS registry on a loopback address and fails with 400
/// Bad Request; the check predicts it and names the hosts.toml that tells the node.
#[test]
fn a_tls_registry_on_a_loopback_address_fails_as_containerd_fails() {
    let r = registries();
    let env = TestEnv::new("check-tls-loopback");
    create_secret(&env, "regcred", &r.tls, &r.user, &r.password);
    let image = format!("{}/{}", r.tls, r.image);
    let (code, report) = check_json(&env, "regcred", &image, &[]);
    assert_eq!(
        (code, report["result"].as_str()),
        (1, Some("registry_error")),
        "{report}"
    );
    let detail = report["detail"].as_str().unwrap();
    assert!(
        detail.contains(&format!("certs.d/{}/hosts.toml", r.tls))
            && detail.contains(&format!("server = \"https://{}\"", r.tls)),
        "{detail}"
    );
}

#[test]
fn a_secret_without_the_registry_has_no_credentials_and_names_what_it_has() {
    let r = registries();
    let env = TestEnv::new("check-no-credentials");
    create_secret(&env, "regcred", "ghcr.io", "octocat", "x-token");
    let image = format!("{}/{}", r.http, r.image);
    let (code, report) = check_json(&env, "regcred", &image, &["--plain-http"]);
    assert_eq!(
        (code, report["result"].as_str()),
        (1, Some("no_credentials")),
        "{report}"
    );
    let detail = report["detail"].as_str().unwrap();
    assert!(
        detail.contains(&r.http) && detail.contains("ghcr.io"),
        "{detail}"
    );
    assert!(report.get("entry").is_none(), "{report}");
}

#[test]
fn a_closed_port_is_unreachable() {
    let env = TestEnv::new("check-unreachable");
    // Port 1 on loopback: nothing listens there.
    create_secret(&env, "regcred", "127.0.0.1:1", "u", "pw-unused");
    let (code, report) = check_json(
        &env,
        "regcred",
        "127.0.0.1:1/team/app:1.0",
        &["--timeout", "5s"],
    );
    assert_eq!(
        (code, report["result"].as_str()),
        (1, Some("unreachable")),
        "{report}"
    );
    assert!(
        report["detail"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("refused"),
        "{report}"
    );
}

#[test]
fn a_registry_that_never_answers_is_unreachable_within_the_timeout() {
    // Accepts connections and says nothing, like a firewall that drops packets after SYN.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        let held: Vec<TcpStream> = listener.incoming().flatten().take(4).collect();
        std::thread::sleep(Duration::from_secs(30));
        drop(held);
    });
    let env = TestEnv::new("check-timeout");
    create_secret(&env, "regcred", &address, "u", "pw-unused");
    let started = std::time::Instant::now();
    let (code, report) = check_json(
        &env,
        "regcred",
        &format!("{address}/team/app:1.0"),
        &["--timeout", "2s"],
    );
    assert_eq!(
        (code, report["result"].as_str()),
        (1, Some("unreachable")),
        "{report}"
    );
    assert!(
        report["detail"].as_str().unwrap().contains("within 2s"),
        "{report}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn bad_input_is_a_usage_error_before_any_request() {
    let env = TestEnv::without_namespace();
    for (image, extra) in [
        ("Team/App:1.0 extra", vec![]),
        ("ghcr.io/Acme/app", vec![]),
        ("ghcr.io/acme/app:", vec![]),
        ("https://ghcr.io/acme/app", vec![]),
        ("ghcr.io/acme/app", vec!["--ca-file", "/nonexistent/ca.pem"]),
        ("ghcr.io/acme/app", vec!["--timeout", "0"]),
        ("ghcr.io/acme/app", vec!["-A"]),
    ] {
        let output = env
            .regcred()
            .args(["check", "regcred", "--image", image])
            .args(&extra)
            .output()
            .unwrap();
        let (stdout, stderr) = texts(&output);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{image} {extra:?}: {stdout}{stderr}"
        );
        assert!(stdout.is_empty(), "{stdout}");
    }
}

/// Every form the password could take in output: plain, and base64 at each byte alignment.
fn leak_forms(password: &str) -> Vec<String> {
    let mut forms = vec![password.to_string()];
    for offset in 0..3 {
        let mut bytes = vec![b'x'; offset];
        bytes.extend_from_slice(password.as_bytes());
        let encoded = BASE64.encode(&bytes);
        let start = if offset == 0 { 0 } else { 4 };
        forms.push(encoded[start..encoded.len() - 4].to_string());
    }
    forms
}

#[test]
fn the_password_never_shows_at_any_verbosity() {
    let r = registries();
    let env = TestEnv::new("check-secrecy");
    let wrong = "Sentinel-Wrong-Pa55word-9d2b";
    create_secret(&env, "right", &r.http, &r.user, &r.password);
    create_secret(&env, "wrong", &r.http, &r.user, wrong);
    create_secret(&env, "tls", &r.tls, &r.user, &r.password);
    let http_image = format!("{}/{}", r.http, r.image);
    let tls_image = format!("{}/{}", r.tls, r.image);
    let ca = r.ca.to_str().unwrap();
    let runs: [(&str, &str, Vec<&str>); 6] = [
        ("right", &http_image, vec!["--plain-http"]),
        ("wrong", &http_image, vec!["--plain-http"]),
        ("right", &http_image, vec![]),
        ("tls", &tls_image, vec![]),
        ("tls", &tls_image, vec!["--ca-file", ca]),
        ("wrong", &http_image, vec!["--plain-http", "-o", "yaml"]),
    ];
    for (secret, image, extra) in runs {
        let output = check(&env, secret, image, &[extra.as_slice(), &["-v=9"]].concat());
        let (stdout, stderr) = texts(&output);
        assert!(!stderr.is_empty(), "-v=9 logs something");
        for password in [r.password.as_str(), wrong] {
            for form in leak_forms(password) {
                for (name, text) in [("stdout", &stdout), ("stderr", &stderr)] {
                    assert!(
                        !text.contains(&form),
                        "{name} of check {secret} {extra:?} leaks the password as {form:?}:\n{text}"
                    );
                }
            }
        }
    }
}

// --- a Bearer-token registry ----------------------------------------------------------------
//
// docker-registry speaks only Basic auth with htpasswd; Docker Hub, GHCR, Harbor and most others
// send a Bearer challenge and hand out tokens. This one does the same over plain HTTP:
// GET /v2/ → 401 `Bearer realm=".../token",service="mock-registry"`; GET /token with the right
// Basic credentials and scope → {"token": ...}; the manifest of team/app:1.0 only for that token.

pub(crate) const BEARER_USER: &str = "robot$team+puller";
pub(crate) const BEARER_PASSWORD: &str = "Bearer-Sentinel-Pa55-41f7";
pub(crate) const BEARER_TOKEN: &str = "mock-token-for-team-app";

/// `127.0.0.1:PORT` of this process's Bearer registry.
pub(crate) fn bearer_registry() -> &'static str {
    static ADDRESS: OnceLock<String> = OnceLock::new();
    ADDRESS.get_or_init(|| {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the bearer registry");
        let address = listener.local_addr().unwrap().to_string();
        let realm = format!("http://{address}/token");
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let realm = realm.clone();
                std::thread::spawn(move || serve_bearer(stream, &realm));
            }
        });
        address
    })
}

fn serve_bearer(mut stream: TcpStream, realm: &str) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head);
    let mut lines = head.split("\r\n");
    let mut request = lines.next().unwrap_or_default().split(' ');
    let (method, target) = (
        request.next().unwrap_or_default(),
        request.next().unwrap_or_default(),
    );
    let authorization = lines
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("authorization"))
        .map(|(_, value)| value.trim().to_string())
        .unwrap_or_default();
    let challenge = format!(r#"WWW-Authenticate: Bearer realm="{realm}",service="mock-registry""#);
    let basic = format!(
        "Basic {}",
        BASE64.encode(format!("{BEARER_USER}:{BEARER_PASSWORD}"))
    );
    let unauthorized =
        r#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#;
    let (status, header, body) = match (method, target) {
        ("GET", "/v2/") => ("401 Unauthorized", challenge, unauthorized.to_string()),
        ("GET", t) if t.starts_with("/token?") => {
            let scoped = t.contains("scope=repository%3Ateam%2Fapp%3Apull")
                && t.contains("service=mock-registry");
            if scoped && authorization == basic {
                (
                    "200 OK",
                    "Content-Type: application/json".to_string(),
                    format!(r#"{{"token":"{BEARER_TOKEN}","expires_in":300}}"#),
                )
            } else {
                ("401 Unauthorized", String::new(), unauthorized.to_string())
            }
        }
        ("HEAD" | "GET", "/v2/team/app/manifests/1.0") => {
            if authorization == format!("Bearer {BEARER_TOKEN}") {
                (
                    "200 OK",
                    "Docker-Content-Digest: sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                        .to_string(),
                    String::new(),
                )
            } else {
                ("401 Unauthorized", challenge, unauthorized.to_string())
            }
        }
        _ => (
            "404 Not Found",
            String::new(),
            r#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"#.to_string(),
        ),
    };
    let body = if method == "HEAD" { "" } else { body.as_str() };
    let header = if header.is_empty() {
        String::new()
    } else {
        format!("{header}\r\n")
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{header}\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes());
}

#[test]
fn bearer_registries_trade_the_credentials_for_a_token() {
    let registry = bearer_registry();
    let env = TestEnv::new("check-bearer");
    create_secret(&env, "right", registry, BEARER_USER, BEARER_PASSWORD);
    create_secret(
        &env,
        "wrong",
        registry,
        BEARER_USER,
        "Wrong-Bearer-Pa55-77aa",
    );
    let image = format!("{registry}/team/app:1.0");

    let (code, report) = check_json(&env, "right", &image, &["--plain-http"]);
    assert_eq!(
        (code, report["result"].as_str()),
        (0, Some("ok")),
        "{report}"
    );

    let output = check(&env, "wrong", &image, &["--plain-http", "-v=9"]);
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.starts_with("denied: "), "{stdout}");
    assert!(stdout.contains("token service"), "{stdout}");
    assert!(!stderr.contains(BEARER_TOKEN) && !stdout.contains(BEARER_TOKEN));

    let output = check(&env, "right", &image, &["--plain-http", "-v=9"]);
    let (stdout, stderr) = texts(&output);
    for form in leak_forms(BEARER_PASSWORD) {
        assert!(
            !stdout.contains(&form) && !stderr.contains(&form),
            "leak: {form}\n{stderr}"
        );
    }
    assert!(
        !stderr.contains(BEARER_TOKEN),
        "the token is a secret too:\n{stderr}"
    );
}
