//! Large inputs, end to end (issue 9): the built plugin on a 10 MB `config.json`, on 1,000
//! registries in one secret, and on 5,000 namespaces of a private control plane, each run's
//! wall time and peak memory measured, and the memory bounded.
//!
//! Peak memory is the plugin's `ru_maxrss` as GNU time (`/usr/bin/time`, Debian package `time`,
//! which `scripts/testenv.sh deps` installs) reads it from `wait4(2)`: the kernel's own high-water mark
//! of the process's resident set, exact however short the peak. It must be GNU time, a small
//! process that forks the plugin, and not this test's own `wait4`: a process started by a big
//! one (this test holds the 10 MB file and its parsed JSON) starts its `ru_maxrss` at its
//! parent's resident set, which exec keeps (std spawns with `CLONE_VM`, so the plugin would
//! report the test's own peak). MB here are MiB, as in BENCHMARKS.md.
//!
//! The bounds are about three times what these tests measured for the debug build that `cargo
//! test` runs (given beside each bound). `scripts/bench-large-inputs.sh` measures the release
//! build the same way; BENCHMARKS.md ("Large inputs") has both.
//!
//! Run with `--nocapture` to see the figures.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Value, json};
use tempfile::TempDir;

const MIB: u64 = 1 << 20;

/// GNU time, which measures the peak RSS (see the module comment).
const GNU_TIME: &str = "/usr/bin/time";

/// Peak RSS bounds in MiB: about three times what this test measured for the debug build on
/// the project's 2-core machine (given for each).
/// 10 MB config.json, one registry taken: measured 47 MB.
const CONFIG_10MB_BOUND: u64 = 140;
/// 1,000 registries from a config.json: measured 25 MB.
const REGISTRIES_FROM_FILE_BOUND: u64 = 75;
/// 1,000 `--server` values and 1,000 passwords on stdin: measured 24 MB.
const REGISTRIES_FROM_FLAGS_BOUND: u64 = 75;
/// `create -A` over 5,001 namespaces: measured 37 MB.
const CREATE_5000_BOUND: u64 = 120;
/// `status -A -o json` over 5,001 namespaces (and their service-account token secrets):
/// measured 64 MB.
const STATUS_5000_BOUND: u64 = 200;
/// `check` of a 1,000-registry secret: measured 32 MB.
const CHECK_1000_BOUND: u64 = 100;

/// How many namespaces the fan-out test creates.
const NAMESPACES: usize = 5000;

/// One finished run of the plugin.
struct Run {
    what: String,
    status: ExitStatus,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    peak_rss: u64,
    elapsed: Duration,
}

impl Run {
    fn assert_exit(&self, code: i32) -> &Self {
        assert_eq!(
            self.status.code(),
            Some(code),
            "{}: {}\nstderr: {}",
            self.what,
            self.status,
            String::from_utf8_lossy(&self.stderr)
        );
        self
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.stdout).unwrap_or_else(|err| {
            panic!(
                "{}: stdout is not JSON ({err}): {}",
                self.what,
                String::from_utf8_lossy(&self.stdout[..self.stdout.len().min(500)])
            )
        })
    }

    /// Prints the figures and checks the memory bound.
    fn assert_peak_below(&self, bound_mib: u64) -> &Self {
        let mib = self.peak_rss as f64 / MIB as f64;
        eprintln!(
            "large input: {:<52} {:7.2} s {:7.1} MB peak RSS (bound {bound_mib} MB)",
            self.what,
            self.elapsed.as_secs_f64(),
            mib
        );
        assert!(
            self.peak_rss < bound_mib * MIB,
            "{}: peak RSS {mib:.1} MB is over the bound of {bound_mib} MB",
            self.what
        );
        self
    }
}

/// A private HOME and DOCKER_CONFIG, and the kubeconfig the plugin is given.
struct World {
    home: TempDir,
    kubeconfig: PathBuf,
}

impl World {
    /// A world whose kubeconfig points at a port where nothing listens: a run that contacted
    /// the cluster would fail.
    fn offline() -> Self {
        let home = tempfile::tempdir().expect("temp HOME");
        let kubeconfig = home.path().join("kubeconfig");
        std::fs::write(
            &kubeconfig,
            "apiVersion: v1\nkind: Config\nclusters:\n- name: nowhere\n  cluster:\n    server: https://127.0.0.1:1\n\
             users:\n- name: nobody\n  user:\n    token: none\ncontexts:\n- name: nowhere\n  context: {cluster: nowhere, user: nobody}\n\
             current-context: nowhere\n",
        )
        .expect("write kubeconfig");
        World { home, kubeconfig }
    }

    fn with_kubeconfig(kubeconfig: &Path) -> Self {
        World {
            home: tempfile::tempdir().expect("temp HOME"),
            kubeconfig: kubeconfig.to_path_buf(),
        }
    }

    fn docker_config_dir(&self) -> PathBuf {
        self.home.path().join(".docker")
    }

    fn write_docker_config(&self, content: &str) {
        std::fs::create_dir_all(self.docker_config_dir()).expect("create DOCKER_CONFIG");
        std::fs::write(self.docker_config_dir().join("config.json"), content)
            .expect("write config.json");
    }

    /// Runs the plugin under GNU time with `stdin`, and reads its peak RSS.
    fn run(&self, what: &str, args: &[&str], stdin: &[u8]) -> Run {
        assert!(
            Path::new(GNU_TIME).exists(),
            "{GNU_TIME} is missing: install Debian's `time` package (`scripts/testenv.sh deps` does)"
        );
        let rss_file = tempfile::NamedTempFile::new().expect("temp file for GNU time");
        let started = Instant::now();
        let mut child = Command::new(GNU_TIME)
            .arg("--format=%M")
            .arg("--output")
            .arg(rss_file.path())
            .arg("--")
            .arg(env!("CARGO_BIN_EXE_kubectl-regcred"))
            .args(args)
            .env("HOME", self.home.path())
            .env("DOCKER_CONFIG", self.docker_config_dir())
            .env("KUBECONFIG", &self.kubeconfig)
            .env_remove("NO_COLOR")
            .env_remove("REGCRED_PASSWORD")
            .env_remove("KUBERNETES_SERVICE_HOST")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run kubectl-regcred under GNU time");
        let mut pipe = child.stdin.take().expect("stdin pipe");
        let input = stdin.to_vec();
        let writer = std::thread::spawn(move || {
            // A run that exits before reading all of it is judged by its exit code.
            let _ = pipe.write_all(&input);
        });
        let output = child.wait_with_output().expect("wait for kubectl-regcred");
        let elapsed = started.elapsed();
        writer.join().expect("stdin writer");
        // GNU time writes "Command exited with non-zero status N" first on failure; the
        // figure (KiB) is the last line.
        let report = std::fs::read_to_string(rss_file.path()).expect("GNU time's report");
        let kib: u64 = report
            .lines()
            .last()
            .and_then(|line| line.trim().parse().ok())
            .unwrap_or_else(|| panic!("{what}: no peak RSS in GNU time's report {report:?}"));
        Run {
            what: what.to_string(),
            status: output.status,
            stdout: output.stdout,
            stderr: output.stderr,
            peak_rss: kib * 1024,
            elapsed,
        }
    }
}

/// The decoded `.dockerconfigjson` of a secret manifest, parsed.
fn auths_of(secret: &Value) -> serde_json::Map<String, Value> {
    let encoded = secret["data"][".dockerconfigjson"]
        .as_str()
        .expect("a .dockerconfigjson");
    let decoded = BASE64.decode(encoded).expect("base64 data");
    let config: Value = serde_json::from_slice(&decoded).expect("JSON content");
    config["auths"]
        .as_object()
        .cloned()
        .expect("an auths object")
}

fn basic(user: &str, password: &str) -> String {
    BASE64.encode(format!("{user}:{password}"))
}

fn host(i: usize) -> String {
    format!("registry-{i:05}.example.com")
}

fn password(i: usize) -> String {
    format!("pw-{i}-{}", "x".repeat(i % 17))
}

/// A `config.json` of at least `min_bytes`: inline entries (`auth` with email, notes and other
/// junk fields, some under URL spellings, some identity tokens, some broken), credential
/// helpers for other hosts, and large junk beside them. Entry `i` of the plain ones is
/// `host(i)` with `user{i}` / `password(i)`.
fn big_config_json(min_bytes: usize) -> String {
    let note = "n".repeat(300);
    let mut auths = serde_json::Map::new();
    let mut size = 0;
    let mut i = 0;
    while size < min_bytes * 4 / 5 {
        let entry = match i % 50 {
            // Broken entries are never selected below: a broken one must not fail the others.
            7 => json!({"auth": "!!! not base64", "x-note": note}),
            13 => json!({"auth": BASE64.encode("no colon here"), "x-note": note}),
            _ => json!({
                "auth": basic(&format!("user{i}"), &password(i)),
                "email": format!("user{i}@example.com"),
                "x-note": note,
                "x-nested": {"a": [1, 2.5, -3e300, "é<>&\u{2028}", null, {"b": [true, false]}]},
            }),
        };
        let key = match i % 50 {
            // Spelled as a URL: normalised to host(i) when asked for.
            21 => format!("https://{}/v1/", host(i).to_uppercase()),
            _ => host(i),
        };
        size += key.len() + entry.to_string().len() + 4;
        auths.insert(key, entry);
        i += 1;
    }
    let helpers: serde_json::Map<String, Value> = (0..100)
        .map(|i| (format!("helper-{i}.example.com"), json!("no-such-helper")))
        .collect();
    // Junk rows of about 100 bytes fill what the entries leave to `min_bytes`.
    let junk: Vec<Value> = (0..(min_bytes.saturating_sub(size) / 90 + 100))
        .map(|i| json!({"k": i, "v": "j".repeat(80)}))
        .collect();
    json!({
        "auths": auths,
        "credHelpers": helpers,
        "HttpHeaders": {"User-Agent": "Docker-Client/27.0.0 (linux)"},
        "currentContext": "desktop-linux",
        "proxies": {"default": {"httpProxy": "http://127.0.0.1:3128", "noProxy": "localhost"}},
        "plugins": {"x-junk": junk},
    })
    .to_string()
}

/// 1,000 registries: entry `i` is `host(i)` (or `127.0.0.1:1` for `i == 999`); every tenth an
/// identity token, the rest `auth` of `user{i}` / `password(i)`.
fn thousand_registries_config_json() -> String {
    let auths: serde_json::Map<String, Value> = (0..1000)
        .map(|i| {
            let entry = if i % 10 == 3 {
                json!({"auth": "", "identitytoken": format!("token-{i}")})
            } else {
                json!({"auth": basic(&format!("user{i}"), &password(i))})
            };
            (thousand_key(i), entry)
        })
        .collect();
    json!({ "auths": auths }).to_string()
}

fn thousand_key(i: usize) -> String {
    if i == 999 {
        "127.0.0.1:1".to_string()
    } else {
        host(i)
    }
}

/// Checks the 1,000 entries written from [`thousand_registries_config_json`].
fn assert_thousand_registries(auths: &serde_json::Map<String, Value>) {
    assert_eq!(auths.len(), 1000);
    for i in 0..1000 {
        let entry = &auths[&thousand_key(i)];
        if i % 10 == 3 {
            let token = format!("token-{i}");
            assert_eq!(entry["identitytoken"], token.as_str());
            assert_eq!(entry["auth"], basic("", &token).as_str());
        } else {
            assert_eq!(entry["username"], format!("user{i}").as_str());
            assert_eq!(entry["password"], password(i).as_str());
        }
    }
}

#[test]
fn a_10mb_config_json_gives_one_registry_within_bounded_memory() {
    let world = World::offline();
    let content = big_config_json(10 * MIB as usize);
    assert!(
        content.len() >= 10 * MIB as usize,
        "{} bytes",
        content.len()
    );
    world.write_docker_config(&content);
    let picked = 12_345;
    let server = host(picked);
    let run = world.run(
        "create --from-docker-config (10 MB config.json)",
        &[
            "create",
            "regcred",
            "--from-docker-config",
            "--server",
            &server,
            "-n",
            "large",
            "--dry-run=client",
            "-o",
            "json",
        ],
        b"",
    );
    run.assert_exit(0).assert_peak_below(CONFIG_10MB_BOUND);
    let secret = run.json();
    assert_eq!(secret["kind"], "Secret");
    assert_eq!(secret["metadata"]["namespace"], "large");
    assert_eq!(secret["type"], "kubernetes.io/dockerconfigjson");
    let auths = auths_of(&secret);
    assert_eq!(auths.keys().collect::<Vec<_>>(), [&server]);
    assert_eq!(auths[&server]["username"], format!("user{picked}").as_str());
    assert_eq!(auths[&server]["password"], password(picked).as_str());
    assert_eq!(
        auths[&server]["email"],
        format!("user{picked}@example.com").as_str()
    );

    // A URL spelling in the file is found by its host, and a broken entry is named without
    // its content.
    let spelled = host(21);
    let run = world.run(
        "create --from-docker-config (URL spelling)",
        &[
            "create",
            "regcred",
            "--from-docker-config",
            "-s",
            &spelled,
            "-n",
            "large",
            "--dry-run=client",
            "-o",
            "json",
        ],
        b"",
    );
    run.assert_exit(0);
    assert_eq!(
        auths_of(&run.json())[&spelled]["password"],
        password(21).as_str()
    );
    let broken = host(7);
    let run = world.run(
        "create --from-docker-config (broken entry)",
        &[
            "create",
            "regcred",
            "--from-docker-config",
            "-s",
            &broken,
            "-n",
            "large",
            "--dry-run=client",
        ],
        b"",
    );
    run.assert_exit(2);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains(&broken) && stderr.contains("not valid base64"),
        "{stderr}"
    );
    assert!(!stderr.contains("!!!"), "{stderr}");
}

#[test]
fn a_thousand_registries_from_a_config_json_and_from_flags() {
    let world = World::offline();
    world.write_docker_config(&thousand_registries_config_json());
    let run = world.run(
        "create --from-docker-config --yes (1,000 registries)",
        &[
            "create",
            "big",
            "--from-docker-config",
            "--yes",
            "-n",
            "large",
            "--dry-run=client",
            "-o",
            "json",
        ],
        b"",
    );
    run.assert_exit(0)
        .assert_peak_below(REGISTRIES_FROM_FILE_BOUND);
    assert_thousand_registries(&auths_of(&run.json()));

    // The same count as flags: 1,000 --server values, one username, 1,000 password lines.
    let hosts: Vec<String> = (0..1000).map(host).collect();
    let mut args = vec!["create", "flags", "-u", "robot", "--password-stdin"];
    for host in &hosts {
        args.extend(["-s", host.as_str()]);
    }
    args.extend(["-n", "large", "--dry-run=client", "-o", "json"]);
    let passwords: String = (0..1000).map(|i| password(i) + "\n").collect();
    let run = world.run(
        "create -s ... x1000 --password-stdin",
        &args,
        passwords.as_bytes(),
    );
    run.assert_exit(0)
        .assert_peak_below(REGISTRIES_FROM_FLAGS_BOUND);
    let auths = auths_of(&run.json());
    assert_eq!(auths.len(), 1000);
    for (i, host) in hosts.iter().enumerate() {
        assert_eq!(auths[host]["username"], "robot");
        assert_eq!(auths[host]["password"], password(i).as_str());
        assert_eq!(auths[host]["auth"], basic("robot", &password(i)).as_str());
    }
}

/// A control plane of this test alone (so `-A` touches nothing else), stopped when dropped
/// (and by its watchdog if this process dies first).
struct ControlPlane {
    dir: PathBuf,
}

impl ControlPlane {
    fn start() -> Self {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/testenv.sh");
        let output = Command::new(&script)
            .args(["up", "--owner-pid", &std::process::id().to_string()])
            .stderr(Stdio::inherit())
            .output()
            .expect("run scripts/testenv.sh up");
        assert!(output.status.success(), "scripts/testenv.sh up failed");
        let dir = String::from_utf8_lossy(&output.stdout).trim().to_string();
        ControlPlane { dir: dir.into() }
    }

    fn kubeconfig(&self) -> PathBuf {
        self.dir.join("kubeconfig")
    }

    fn kubectl(&self, args: &[&str]) -> String {
        let output = Command::new("kubectl")
            .args(args)
            .env("KUBECONFIG", self.kubeconfig())
            .output()
            .expect("run kubectl");
        assert!(
            output.status.success(),
            "kubectl {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Creates namespaces `ns-0000`... through the API, several `kubectl create -f` of a
    /// List at once (one kubectl per namespace would take minutes).
    fn create_namespaces(&self, count: usize, scratch: &Path) {
        const BATCHES: usize = 8;
        let children: Vec<_> = (0..BATCHES)
            .map(|batch| {
                let items: Vec<Value> = (batch..count)
                    .step_by(BATCHES)
                    .map(|i| json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": format!("ns-{i:04}")}}))
                    .collect();
                let file = scratch.join(format!("namespaces-{batch}.json"));
                let list = json!({"apiVersion": "v1", "kind": "List", "items": items});
                std::fs::write(&file, list.to_string()).expect("write namespace list");
                Command::new("kubectl")
                    .args(["create", "-o", "name", "-f"])
                    .arg(&file)
                    .env("KUBECONFIG", self.kubeconfig())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("run kubectl create")
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().expect("wait for kubectl create");
            assert!(
                output.status.success(),
                "kubectl create: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}

impl Drop for ControlPlane {
    fn drop(&mut self) {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/testenv.sh");
        let _ = Command::new(script)
            .arg("down")
            .arg(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

#[test]
fn five_thousand_namespaces_and_a_thousand_registries_on_a_private_control_plane() {
    let started = Instant::now();
    let cluster = ControlPlane::start();
    let world = World::with_kubeconfig(&cluster.kubeconfig());
    let up = started.elapsed();
    cluster.create_namespaces(NAMESPACES, world.home.path());
    eprintln!(
        "large input: control plane up in {:.1} s, {NAMESPACES} namespaces created in {:.1} s",
        up.as_secs_f64(),
        (started.elapsed() - up).as_secs_f64()
    );

    let run = world.run(
        "create -A (5,001 namespaces)",
        &[
            "create",
            "regcred",
            "-A",
            "-s",
            "ghcr.io",
            "-u",
            "robot",
            "--password-stdin",
            "-o",
            "json",
        ],
        b"large-input-not-a-secret\n",
    );
    run.assert_exit(0).assert_peak_below(CREATE_5000_BOUND);
    let report = run.json();
    // Every namespace but the three system ones: ours and `default`.
    assert_eq!(
        report["summary"]["created"],
        NAMESPACES + 1,
        "{}",
        report["summary"]
    );
    let written = cluster.kubectl(&[
        "get",
        "secrets",
        "-A",
        "--field-selector",
        "metadata.name=regcred",
        "-o",
        "name",
    ]);
    assert_eq!(written.lines().count(), NAMESPACES + 1);

    // 1,000 registries in one secret, read back by `status` and `check`.
    world.write_docker_config(&thousand_registries_config_json());
    world
        .run(
            "create --from-docker-config --yes -n ns-0000 (1,000 registries)",
            &[
                "create",
                "big",
                "--from-docker-config",
                "--yes",
                "-n",
                "ns-0000",
            ],
            b"",
        )
        .assert_exit(0);

    let run = world.run(
        "status -A -o json (5,001 namespaces)",
        &["status", "-A", "-o", "json"],
        b"",
    );
    run.assert_exit(0).assert_peak_below(STATUS_5000_BOUND);
    let status = run.json();
    let namespaces = status["namespaces"].as_array().expect("namespaces");
    let with_regcred = namespaces
        .iter()
        .filter(|ns| {
            ns["secrets"]
                .as_array()
                .is_some_and(|secrets| secrets.iter().any(|s| s["name"] == "regcred"))
        })
        .count();
    assert_eq!(with_regcred, NAMESPACES + 1);
    for i in (0..NAMESPACES).step_by(499) {
        let name = format!("ns-{i:04}");
        assert!(
            namespaces.iter().any(|ns| ns["namespace"] == name.as_str()),
            "{name}"
        );
    }
    let big = namespaces
        .iter()
        .find(|ns| ns["namespace"] == "ns-0000")
        .and_then(|ns| ns["secrets"].as_array())
        .and_then(|secrets| secrets.iter().find(|s| s["name"] == "big"))
        .expect("secret big in ns-0000");
    assert_eq!(big["registries"].as_array().map(Vec::len), Some(1000));
    assert!(!String::from_utf8_lossy(&run.stdout).contains(&password(1)));

    // `check` picks the entry for the image among 1,000, as the kubelet would, and finds its
    // registry down (nothing listens on 127.0.0.1:1).
    let run = world.run(
        "check (1,000-registry secret)",
        &[
            "check",
            "big",
            "-n",
            "ns-0000",
            "--image",
            "127.0.0.1:1/team/app:1",
            "--plain-http",
            "--timeout",
            "5s",
            "-o",
            "json",
        ],
        b"",
    );
    run.assert_exit(1).assert_peak_below(CHECK_1000_BOUND);
    let checked = run.json();
    assert_eq!(checked["entry"], "127.0.0.1:1");
    assert_eq!(checked["result"], "unreachable");
    eprintln!(
        "large input: 5,000-namespace test took {:.1} s in all",
        started.elapsed().as_secs_f64()
    );
}
