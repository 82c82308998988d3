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

/// Creates pull secret `name` for `server` with the test registry's user.
fn create_secret(env: &TestEnv, name: &str, server: &str) {
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
        .write_stdin(format!("{}\n", r.password))
        .output()
        .expect("run kubectl-regcred create");
    assert!(output.status.success(), "{}", texts(&output).1);
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
