//! Docker Hub: its pull limits as `check` reads them from a registry's manifest answers (a small
//! HTTP proxy in front of the real docker-registry of `scripts/registryenv.sh` adds Docker Hub's
//! `ratelimit-*` headers), and pulls from docker.io without credentials, flagged by `status`
//! and `diagnose` for a pod on the real node.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use crate::registries::registries;
use crate::support::{TestEnv, texts};

/// The headers Docker's docs show on a manifest answer.
const LIMIT: &str = "ratelimit-limit: 100;w=21600";
const REMAINING: &str = "ratelimit-remaining: 76;w=21600";

/// An HTTP/1.1 proxy on loopback that forwards each request to a registry and adds Docker
/// Hub's rate-limit headers to the answers to manifest requests; one request per connection.
struct RateLimitProxy {
    port: u16,
    manifests_answered: Arc<AtomicUsize>,
    stopped: Arc<AtomicBool>,
}

impl RateLimitProxy {
    fn start(upstream: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
        let port = listener.local_addr().unwrap().port();
        let manifests_answered = Arc::new(AtomicUsize::new(0));
        let stopped = Arc::new(AtomicBool::new(false));
        let (count, stop, upstream) = (
            Arc::clone(&manifests_answered),
            Arc::clone(&stopped),
            upstream.to_string(),
        );
        thread::spawn(move || {
            for client in listener.incoming() {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = client else { continue };
                let (count, upstream) = (Arc::clone(&count), upstream.clone());
                thread::spawn(move || forward(client, &upstream, &count));
            }
        });
        Self {
            port,
            manifests_answered,
            stopped,
        }
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

impl Drop for RateLimitProxy {
    fn drop(&mut self) {
        self.stopped.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Reads one request (head and body), sends it upstream with `Connection: close`, reads the
/// whole answer and passes it back, with the rate-limit headers when it answers a manifest
/// request.
fn forward(mut client: TcpStream, upstream: &str, manifests: &AtomicUsize) {
    let _ = client.set_read_timeout(Some(Duration::from_secs(10)));
    let Some((head, body)) = read_request(&mut client) else {
        return;
    };
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_string();
    let is_manifest = request_line.contains("/manifests/");
    let mut request = format!("{request_line}\r\n");
    for line in lines.filter(|l| !l.is_empty()) {
        if !line.to_ascii_lowercase().starts_with("connection:") {
            request.push_str(&format!("{line}\r\n"));
        }
    }
    request.push_str("Connection: close\r\n\r\n");
    let Ok(mut server) = TcpStream::connect(upstream) else {
        let _ = client.shutdown(Shutdown::Both);
        return;
    };
    let _ = server.write_all(request.as_bytes());
    let _ = server.write_all(&body);
    let mut answer = Vec::new();
    let _ = server.read_to_end(&mut answer);
    let Some(end) = find(&answer, b"\r\n\r\n") else {
        let _ = client.write_all(&answer);
        return;
    };
    let head = String::from_utf8_lossy(&answer[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut out = format!("{}\r\n", lines.next().unwrap_or_default());
    for line in lines {
        if !line.to_ascii_lowercase().starts_with("connection:") {
            out.push_str(&format!("{line}\r\n"));
        }
    }
    if is_manifest {
        manifests.fetch_add(1, Ordering::SeqCst);
        out.push_str(&format!("{LIMIT}\r\n{REMAINING}\r\n"));
    }
    out.push_str("Connection: close\r\n\r\n");
    let _ = client.write_all(out.as_bytes());
    let _ = client.write_all(&answer[end + 4..]);
    let _ = client.shutdown(Shutdown::Both);
}

/// The head of a request (up to the blank line) and its body (by Content-Length).
fn read_request(client: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let end = loop {
        if let Some(end) = find(&buffer, b"\r\n\r\n") {
            break end;
        }
        let n = client.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
    let length: usize = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0);
    let mut body = buffer[end + 4..].to_vec();
    while body.len() < length {
        let n = client.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some((head, body))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Creates pull secret `name` for `server` with the test registry's user and password.
fn create_secret(env: &TestEnv, name: &str, server: &str) {
    crate::pulls::create_secret(env, name, server, &registries().password);
}

/// `check SECRET --image IMAGE` (with `extra` flags): exit code and stdout.
fn check(env: &TestEnv, secret: &str, image: &str, extra: &[&str]) -> (Option<i32>, String) {
    let output = env
        .regcred()
        .args(["check", secret, "--image", image, "-n", &env.namespace])
        .args(extra)
        .output()
        .expect("run kubectl-regcred check");
    let (stdout, stderr) = texts(&output);
    (output.status.code(), format!("{stdout}{stderr}"))
}

#[test]
fn check_shows_the_pull_limit_a_registry_states_and_nothing_when_it_states_none() {
    let r = registries();
    let proxy = RateLimitProxy::start(&r.http);
    let env = TestEnv::new("dockerhub-ratelimit");
    create_secret(&env, "limited", &proxy.host());
    create_secret(&env, "unlimited", &r.http);
    let limited_image = format!("{}/{}", proxy.host(), r.image);

    let (code, text) = check(&env, "limited", &limited_image, &[]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(
        text,
        format!(
            "ok: secret/limited can pull {limited_image}\nrate limit: 76 of 100 pulls left per 6h ({})\n",
            proxy.host()
        )
    );
    assert!(proxy.manifests_answered.load(Ordering::SeqCst) >= 1);
    let (code, text) = check(&env, "limited", &limited_image, &["-o", "json"]);
    assert_eq!(code, Some(0), "{text}");
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["result"], "ok");
    assert_eq!(
        report["rateLimit"],
        serde_json::json!({"limit": 100, "remaining": 76, "windowSeconds": 21600})
    );

    // The same registry without the proxy states no limit: nothing is said about one.
    let image = format!("{}/{}", r.http, r.image);
    let (code, text) = check(&env, "unlimited", &image, &[]);
    assert_eq!(
        (code, text),
        (Some(0), format!("ok: secret/unlimited can pull {image}\n"))
    );
    let (_, text) = check(&env, "unlimited", &image, &["-o", "json"]);
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["result"], "ok");
    assert!(report.get("rateLimit").is_none(), "{report}");
}

/// A pod of busybox from docker.io on the real node with no credentials for Docker Hub: its
/// pull fails (the node has no way out; that failure is real), and besides that failure
/// `diagnose` and `status` flag the anonymous Docker Hub pull with its limits and the fix. A pod
/// made after a Docker Hub secret is attached is not flagged.
#[test]
fn an_anonymous_docker_hub_pull_is_flagged_and_not_once_a_hub_secret_is_attached() {
    let node = crate::node::node();
    let env = node.env("dockerhub-anonymous");
    let ns = env.namespace.clone();
    let image = "docker.io/library/busybox:1.36";
    env.apply(&crate::node::pod_manifest(&ns, "hub", image, &[]));
    env.wait_for_pod(
        "hub",
        Duration::from_secs(120),
        "failed to pull",
        crate::node::is_failing_to_pull,
    );

    let (code, report) = json_of(&env, &["diagnose", "-n", &ns]);
    assert_eq!(code, Some(1), "{report:#}");
    let failure = report["failures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["pod"] == "hub")
        .unwrap_or_else(|| panic!("{report:#}"));
    let hub = failure["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "docker_hub_anonymous")
        .unwrap_or_else(|| panic!("{failure:#}"));
    assert_eq!(hub["severity"], "warning");
    let message = hub["message"].as_str().unwrap();
    assert!(
        message.contains(&format!(
            "pod \"hub\" pulls {image} from Docker Hub with no credentials"
        )) && message.contains("10 anonymous pulls an hour per IP address"),
        "{message}"
    );
    assert_eq!(
        hub["fix"],
        format!(
            "pull with a Docker Hub account: kubectl regcred create dockerhub --server docker.io \
             --username USER --password-stdin -n {ns} --attach"
        )
    );
    // The pull failure keeps its own cause and fix.
    assert_ne!(failure["cause"], "rate_limited");
    assert!(
        !failure["fix"].as_str().unwrap().contains("dockerhub"),
        "{failure:#}"
    );
    let output = env
        .regcred()
        .args(["diagnose", "-n", &ns])
        .output()
        .unwrap();
    let (stdout, _) = texts(&output);
    assert!(
        stdout.contains("  warning:   pod \"hub\" pulls"),
        "{stdout}"
    );

    let (code, report) = json_of(&env, &["status", "-n", &ns]);
    assert_eq!(code, Some(0), "warnings exit 0: {report:#}");
    let flagged: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "docker_hub_anonymous")
        .collect();
    assert_eq!(flagged.len(), 1, "{report:#}");
    assert_eq!(flagged[0]["pod"], "hub");
    assert_eq!(flagged[0]["severity"], "warning");
    assert_eq!(flagged[0]["registry"], "docker.io");

    // With a Docker Hub secret on the default service account, a new pod gets it (admission)
    // and is not flagged; the old pod still is.
    let output = env
        .regcred()
        .args([
            "create",
            "dockerhub",
            "--server",
            "docker.io",
            "-u",
            "hub-user",
        ])
        .args(["--password-stdin", "--attach", "-n", &ns])
        .write_stdin("Sentinel-hub-password-7f3a\n")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", texts(&output).1);
    env.apply(&crate::node::pod_manifest(
        &ns,
        "hub-with-secret",
        image,
        &[],
    ));
    let pod = env.wait_for_pod(
        "hub-with-secret",
        Duration::from_secs(120),
        "failed to pull",
        crate::node::is_failing_to_pull,
    );
    assert_eq!(
        pod["spec"]["imagePullSecrets"],
        serde_json::json!([{"name": "dockerhub"}])
    );
    let (_, report) = json_of(&env, &["status", "-n", &ns]);
    let flagged: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "docker_hub_anonymous")
        .map(|f| f["pod"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(flagged, ["hub"], "{report:#}");
    let (_, report) = json_of(&env, &["diagnose", "-n", &ns]);
    let with_secret = report["failures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["pod"] == "hub-with-secret")
        .unwrap_or_else(|| panic!("{report:#}"));
    assert!(
        with_secret["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["id"] != "docker_hub_anonymous"),
        "{with_secret:#}"
    );
}

/// Runs the plugin with `-o json`: exit code and the parsed report.
fn json_of(env: &TestEnv, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let output = env
        .regcred()
        .args(args)
        .args(["-o", "json"])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    let report = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{args:?} printed no JSON ({e}):\n{stdout}\n{stderr}"));
    (output.status.code(), report)
}

/// `explain --verify` reports the limit a registry states, for the credential it tried.
#[test]
fn explain_verify_shows_the_pull_limit_a_registry_states() {
    let r = registries();
    let proxy = RateLimitProxy::start(&r.http);
    let env = TestEnv::new("dockerhub-explain-ratelimit");
    create_secret(&env, "limited", &proxy.host());
    let image = format!("{}/{}", proxy.host(), r.image);
    let manifest = serde_json::json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "limited", "namespace": env.namespace},
        "spec": {"imagePullSecrets": [{"name": "limited"}],
                 "containers": [{"name": "app", "image": image}]},
    });
    let file = env.write_file("pod.json", &manifest.to_string());
    let file = file.to_str().unwrap();
    let (code, report) = json_of(&env, &["explain", "-f", file, "--verify"]);
    assert_eq!(code, Some(0), "{report}");
    let credential = &report["objects"][0]["images"][0]["credentials"][0];
    assert_eq!(credential["verify"]["outcome"], "ok", "{report}");
    assert_eq!(
        credential["verify"]["rateLimit"],
        serde_json::json!({"limit": 100, "remaining": 76, "windowSeconds": 21600}),
        "{report}"
    );
    let output = env
        .regcred()
        .args(["explain", "-f", file, "--verify", "-n", &env.namespace])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.contains("rate limit: 76 of 100 pulls left per 6h"),
        "{stdout}"
    );
}
