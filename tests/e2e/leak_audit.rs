//! The leak audit (issue 9): every scenario that handles a secret, at `-v=9`, with one sentinel
//! password and one sentinel token, against the real API server, registries, keyring and
//! credential helper the other tests use.
//!
//! It captures stdout and stderr of every run; the argv and whole environment of every process
//! the plugin starts (recording shims first on PATH for the credential helper and the cloud
//! CLIs, the programs of every `Command::new` in `src/`); every process's `/proc/PID/cmdline`
//! and `environ`, scanned while the runs go on (the shims pause, so each child is seen alive);
//! the D-Bus traffic between the plugin and the keyring; and the logs of the test node's
//! containerd and kubelet, which pull with the passwords of the secrets the audit creates (its
//! diagnose scenario runs pods that really fail there). It fails if a sentinel shows in any of
//! them, plain, base64 (standard or URL-safe, at each byte alignment, and of
//! `user:sentinel`), or as a byte list, except in the `-o yaml|json` manifests of
//! `create --dry-run=client`, where it must show: that proves the search finds what it looks
//! for. A decoy in the plugin's environment proves the same for the child log and /proc. The
//! registries' passwords and tokens and the kubeconfig's bearer tokens are watched the same
//! way. A summary line gives the figures (also in `target/tmp/leak-audit.txt`).
//!
//! `no_command_writes_a_file` shows that the plugin writes no file: HOME, the XDG directories
//! and TMPDIR are the same, to the directory mtime, after a run of every command.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as StdCommand, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD as BASE64, URL_SAFE};
use serde_json::json;
use tempfile::TempDir;

use crate::check::{BEARER_PASSWORD, BEARER_TOKEN, BEARER_USER, bearer_registry, registries};
use crate::diagnose::{container, start_pod, wait_until_failing};
use crate::docker_config::PassStore;
use crate::keyring::{bus_address, keyring_turn};
use crate::node::node;
use crate::secrecy::leak_forms_of;
use crate::support::{TestEnv, repo_root, texts};

const PASSWORD: &str = "Audit-Pa55word-5e0c7a93-do-not-leak";
const TOKEN: &str = "Audit-T0ken-b81f4d26e9-do-not-leak";
/// Given to the plugin only in its environment (`AUDIT_DECOY`), which it passes on to its
/// children: the child log and the /proc scan must find it, which proves they would find a
/// secret there.
const DECOY: &str = "Audit-Decoy-0f9e8d7c6b-must-be-found";
const USER: &str = "audit-user";
const ECR_HOST: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
const ACR_HOST: &str = "auditregistry.azurecr.io";
const GAR_HOST: &str = "europe-docker.pkg.dev";

/// Every program the plugin starts: `docker-credential-*` (creds/docker_config.rs) and the
/// cloud CLIs (creds/cloud.rs). The first is the real helper, the others the stand-ins.
const SHIMMED: &[&str] = &["docker-credential-pass", "aws", "az", "gcloud"];

/// Usernames a secret is paired with in an `auth` field: base64 of `user:secret` is watched
/// whole for each, besides the alignments that cover it anyway.
const USERS: &[&str] = &[
    USER,
    "",
    "AWS",
    "00000000-0000-0000-0000-000000000000",
    "oauth2accesstoken",
    "_json_key",
    BEARER_USER,
];

/// What a watched string is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The sentinel password or token: may show only in requested manifests.
    Sentinel,
    /// A secret that happens to be around (registry passwords, kubeconfig tokens): never.
    Incidental,
    /// [`DECOY`]: counted where it is found, never a hit.
    Decoy,
}

/// A secret the audit looks for, and every form it could take.
struct Watched {
    label: String,
    kind: Kind,
    forms: Vec<String>,
}

impl Watched {
    fn new(label: &str, secret: &str, kind: Kind, users: &[&str]) -> Self {
        let mut forms = leak_forms_of(secret);
        for offset in 0..3 {
            let mut bytes = vec![b'x'; offset];
            bytes.extend_from_slice(secret.as_bytes());
            let encoded = URL_SAFE.encode(&bytes);
            let start = if offset == 0 { 0 } else { 4 };
            forms.push(encoded[start..encoded.len() - 4].to_string());
        }
        for user in users {
            forms.push(BASE64.encode(format!("{user}:{secret}")));
        }
        // `Debug` of bytes, and the hex dbus-monitor prints byte arrays in.
        let bytes: Vec<u8> = secret.bytes().collect();
        let decimal: Vec<String> = bytes.iter().map(|b| b.to_string()).collect();
        let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
        forms.push(decimal.join(", "));
        forms.push(hex.join(" "));
        forms.sort();
        forms.dedup();
        Watched {
            label: label.to_string(),
            kind,
            forms,
        }
    }

    fn shows_in(&self, text: &str) -> Option<&str> {
        self.forms
            .iter()
            .find(|form| text.contains(form.as_str()))
            .map(String::as_str)
    }
}

/// Bearer tokens of the kubeconfig's users: the plugin sends them with every request.
fn kubeconfig_tokens(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.trim().strip_prefix("token:"))
        .map(|token| token.trim().trim_matches('"').to_string())
        .filter(|token| token.len() >= 16)
        .collect()
}

/// Where the hits of one scan go.
#[derive(Default)]
struct Hits {
    sentinel: Vec<String>,
    other: Vec<String>,
    decoys: usize,
}

impl Hits {
    fn record(&mut self, watched: &Watched, form: &str, where_: &str) {
        let hit = format!("{where_} shows {} as {form:?}", watched.label);
        match watched.kind {
            Kind::Sentinel => self.sentinel.push(hit),
            Kind::Incidental => self.other.push(hit),
            Kind::Decoy => self.decoys += 1,
        }
    }
}

// --- recording shims ---------------------------------------------------------------------

/// A directory of shims, one per program in [`SHIMMED`], that append their argv and their
/// whole environment (as the plugin gave it) to `log`, pause so the /proc scan sees them, and
/// then exec the real program.
fn write_shims(dir: &Path, log: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for name in SHIMMED {
        let real = real_program(name);
        let script = format!(
            "#!/bin/sh\n\
             # Leak audit shim for {name}: records argv and environment, then runs {real}.\n\
             {{\n\
             \x20 printf 'argv:'\n\
             \x20 for arg in \"$0\" \"$@\"; do printf ' [%s]' \"$arg\"; done\n\
             \x20 printf '\\n'\n\
             \x20 tr '\\000' '\\n' </proc/$$/environ\n\
             \x20 printf 'end of environment\\n'\n\
             }} >>'{log}'\n\
             sleep 0.2\n\
             exec '{real}' \"$@\"\n",
            log = log.display(),
            real = real.display(),
        );
        let path = dir.join(name);
        std::fs::write(&path, script).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// The stand-in from tests/fixtures/bin, else the program on PATH.
fn real_program(name: &str) -> PathBuf {
    let fixture = repo_root().join("tests/fixtures/bin").join(name);
    if fixture.exists() {
        return fixture;
    }
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
        .unwrap_or_else(|| panic!("{name} is not installed (scripts/testenv.sh deps)"))
}

// --- /proc --------------------------------------------------------------------------------

/// What the /proc scan saw.
#[derive(Default)]
struct ProcStats {
    scans: usize,
    reads: usize,
    bytes: usize,
    /// Processes seen running a shim (the plugin's children), by PID.
    children: BTreeSet<u32>,
    /// Plugin processes seen, by PID.
    plugins: BTreeSet<u32>,
    hits: Hits,
}

/// Reads `/proc/*/cmdline` and `/proc/*/environ` of every process, every few milliseconds,
/// until stopped.
struct ProcScanner {
    stop: Arc<AtomicBool>,
    handle: JoinHandle<ProcStats>,
}

impl ProcScanner {
    fn start(watched: Arc<Vec<Watched>>, shim_dir: PathBuf) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let shim_marker = shim_dir.display().to_string();
        let handle = std::thread::spawn(move || {
            let mut stats = ProcStats::default();
            while !stopped.load(Ordering::Relaxed) {
                scan_proc(&watched, &shim_marker, &mut stats);
                std::thread::sleep(Duration::from_millis(25));
            }
            stats
        });
        ProcScanner { stop, handle }
    }

    fn finish(self) -> ProcStats {
        self.stop.store(true, Ordering::Relaxed);
        self.handle.join().expect("the /proc scanner")
    }
}

/// One process as /proc shows it.
struct Process {
    pid: u32,
    ppid: u32,
    cmdline: String,
    environ: String,
}

fn read_process(dir: &Path, pid: u32) -> Option<Process> {
    let cmdline = std::fs::read(dir.join("cmdline")).ok()?;
    let stat = std::fs::read_to_string(dir.join("stat")).ok()?;
    // `PID (COMM) STATE PPID ...`; COMM may hold spaces and parentheses.
    let ppid = stat
        .rsplit_once(')')?
        .1
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    let environ = std::fs::read(dir.join("environ")).unwrap_or_default();
    Some(Process {
        pid,
        ppid,
        cmdline: String::from_utf8_lossy(&cmdline).replace('\0', " "),
        environ: String::from_utf8_lossy(&environ).replace('\0', "\n"),
    })
}

/// One pass over /proc. A sentinel is a hit in any process; the other watched secrets (which
/// the test infrastructure holds too) only in the plugin and the processes it started.
fn scan_proc(watched: &[Watched], shim_marker: &str, stats: &mut ProcStats) {
    stats.scans += 1;
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return;
    };
    let own = std::process::id();
    let processes: Vec<Process> = entries
        .flatten()
        .filter_map(|entry| {
            let pid = entry.file_name().to_str()?.parse::<u32>().ok()?;
            (pid != own).then(|| read_process(&entry.path(), pid))?
        })
        .collect();
    // The audit's plugin runs, not those of other tests: they carry the decoy variable, as
    // do the processes they start.
    let plugin = env!("CARGO_BIN_EXE_kubectl-regcred");
    let has_decoy = |p: &Process| p.environ.contains("AUDIT_DECOY=");
    let plugins: BTreeSet<u32> = processes
        .iter()
        .filter(|p| p.cmdline.starts_with(plugin) && has_decoy(p))
        .map(|p| p.pid)
        .collect();
    for process in &processes {
        let is_child = !plugins.contains(&process.pid)
            && (plugins.contains(&process.ppid)
                || process.cmdline.contains(shim_marker)
                || has_decoy(process));
        if is_child {
            stats.children.insert(process.pid);
        }
        let is_ours = is_child || plugins.contains(&process.pid);
        stats.reads += 3;
        stats.bytes += process.cmdline.len() + process.environ.len();
        for (what, text) in [("cmdline", &process.cmdline), ("environ", &process.environ)] {
            for w in watched
                .iter()
                .filter(|w| w.kind == Kind::Sentinel || is_ours)
            {
                if let Some(form) = w.shows_in(text) {
                    let shown: String = process.cmdline.chars().take(100).collect();
                    let where_ = format!("/proc/{}/{what} ({shown})", process.pid);
                    stats.hits.record(w, form, &where_);
                }
            }
        }
    }
    stats.plugins.extend(plugins);
}

// --- the audit ----------------------------------------------------------------------------

/// How a run must end.
#[derive(Clone, Copy, Debug)]
enum Ends {
    Code(i32),
    /// `status` exits 1 when a finding is an error; either is a finished run.
    ZeroOrOne,
}

const OK: Ends = Ends::Code(0);
const FAILED: Ends = Ends::Code(1);
const USAGE: Ends = Ends::Code(2);

/// The world the scenarios run in, and the counts.
struct Audit {
    env: TestEnv,
    /// Namespace for copies (`sync`, `--from-secret`).
    other_ns: String,
    pass: PassStore,
    /// Shims, their log, the stand-ins' tokens, input files: outside HOME.
    root: TempDir,
    shims: PathBuf,
    child_log: PathBuf,
    path: OsString,
    watched: Arc<Vec<Watched>>,
    scenario: &'static str,
    scenarios: usize,
    runs: usize,
    bytes: usize,
    /// The sentinels seen in requested manifests, and how many manifests.
    requested_labels: BTreeSet<String>,
    requested_runs: usize,
    hits: Hits,
}

impl Audit {
    fn new() -> Self {
        // On the node's cluster: the diagnose scenario runs pods that really fail to pull.
        let env = node().env("leak-audit");
        let other_ns = TestEnv::unique("leak-audit-copies");
        env.create_namespace(&other_ns, &[]);
        let root = tempfile::tempdir().expect("temp dir");
        let shims = root.path().join("shims");
        let child_log = root.path().join("children.log");
        write_shims(&shims, &child_log);
        let system_path = std::env::var_os("PATH").unwrap_or_default();
        let path = std::env::join_paths(
            std::iter::once(shims.clone()).chain(std::env::split_paths(&system_path)),
        )
        .unwrap();
        let registry = registries();
        let mut watched = vec![
            Watched::new("the sentinel password", PASSWORD, Kind::Sentinel, USERS),
            Watched::new("the sentinel token", TOKEN, Kind::Sentinel, USERS),
            Watched::new("the decoy", DECOY, Kind::Decoy, &[]),
            Watched::new(
                "the registry password",
                &registry.password,
                Kind::Incidental,
                &[],
            ),
            Watched::new(
                "the bearer registry's password",
                BEARER_PASSWORD,
                Kind::Incidental,
                &[],
            ),
            Watched::new(
                "the bearer registry's token",
                BEARER_TOKEN,
                Kind::Incidental,
                &[],
            ),
        ];
        for (i, token) in kubeconfig_tokens(env.kubeconfig).iter().enumerate() {
            let label = format!("kubeconfig token {i}");
            watched.push(Watched::new(&label, token, Kind::Incidental, &[]));
        }
        let pass = PassStore::new(&env);
        Audit {
            env,
            other_ns,
            pass,
            root,
            shims,
            child_log,
            path,
            watched: Arc::new(watched),
            scenario: "setup",
            scenarios: 0,
            runs: 0,
            bytes: 0,
            requested_labels: BTreeSet::new(),
            requested_runs: 0,
            hits: Hits::default(),
        }
    }

    /// Writes an input file outside HOME and returns its path.
    fn input(&self, name: &str, content: &str) -> String {
        let path = self.root.path().join(name);
        std::fs::write(&path, content).unwrap();
        path.display().to_string()
    }

    /// The plugin, its children recorded, seeing the keyring, the pass store and the tokens
    /// of the cloud stand-ins.
    fn plugin(&self) -> Command {
        let mut cmd = self.pass.regcred(&self.env);
        cmd.env("PATH", &self.path)
            .env("AUDIT_DECOY", DECOY)
            .env("DBUS_SESSION_BUS_ADDRESS", bus_address())
            .env("REGCRED_FAKE_CLI_TOKENS", self.root.path().join("tokens"))
            .env_remove("REGCRED_FAKE_CLI_LOG")
            .env_remove("REGCRED_FAKE_CLI_FAIL")
            .timeout(Duration::from_secs(90));
        cmd
    }

    fn begin(&mut self, scenario: &'static str) {
        self.scenario = scenario;
        self.scenarios += 1;
    }

    fn scan(&mut self, what: &str, text: &str) {
        self.bytes += text.len();
        let where_ = format!("[{}] {what}", self.scenario);
        for w in self.watched.iter() {
            if let Some(form) = w.shows_in(text) {
                self.hits.record(w, form, &where_);
            }
        }
    }

    /// Runs `kubectl-regcred LINE -v=9` (LINE split at spaces) and scans what it printed.
    fn run(&mut self, line: &str, stdin: &str, ends: Ends) -> Output {
        let cmd = self.plugin();
        self.run_with(cmd, line, stdin, ends)
    }

    fn run_with(&mut self, mut cmd: Command, line: &str, stdin: &str, ends: Ends) -> Output {
        let output = self.execute(&mut cmd, line, stdin, ends);
        let (stdout, stderr) = texts(&output);
        self.scan(&format!("stdout of `{line}`"), &stdout);
        self.scan(&format!("stderr of `{line}`"), &stderr);
        output
    }

    /// Runs a `create --dry-run=client -o yaml|json`: the sentinels named in `labels` must show
    /// on stdout (it was asked for), and nothing else may; nothing may show on stderr.
    fn run_requested(&mut self, line: &str, stdin: &str, labels: &[&str]) {
        let mut cmd = self.plugin();
        let output = self.execute(&mut cmd, line, stdin, OK);
        let (stdout, stderr) = texts(&output);
        self.bytes += stdout.len();
        self.scan(&format!("stderr of `{line}`"), &stderr);
        self.requested_runs += 1;
        let where_ = format!("[{}] stdout of `{line}`", self.scenario);
        for w in self.watched.iter() {
            let shown = w.shows_in(&stdout);
            if labels.contains(&w.label.as_str()) {
                assert!(shown.is_some(), "`{line}` prints {}:\n{stdout}", w.label);
                self.requested_labels.insert(w.label.clone());
            } else if let Some(form) = shown {
                self.hits.record(w, form, &where_);
            }
        }
    }

    fn execute(&mut self, cmd: &mut Command, line: &str, stdin: &str, ends: Ends) -> Output {
        self.runs += 1;
        let output = cmd
            .args(line.split_whitespace())
            .arg("-v=9")
            .write_stdin(stdin)
            .output()
            .unwrap();
        let code = output.status.code().unwrap_or(-1);
        let expected = match ends {
            Ends::Code(want) => code == want,
            Ends::ZeroOrOne => code == 0 || code == 1,
        };
        if !expected {
            let (stdout, stderr) = texts(&output);
            let lines: Vec<&str> = stderr.lines().collect();
            let tail = lines[lines.len().saturating_sub(15)..].join("\n");
            panic!(
                "[{}] `{line}` exited {code}, not {ends:?}:\nstdout: {stdout}\nstderr (end): {tail}",
                self.scenario
            );
        }
        output
    }
}

/// The private keyring's D-Bus traffic, recorded by dbus-monitor while the keyring scenario runs.
struct BusMonitor {
    child: Child,
    log: PathBuf,
}

impl BusMonitor {
    fn start(dir: &Path) -> Option<Self> {
        let log = dir.join("dbus-monitor.log");
        let file = std::fs::File::create(&log).ok()?;
        let child = StdCommand::new("dbus-monitor")
            .args(["--address", bus_address()])
            .stdout(file)
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        // Ready when it has printed its own subscription.
        let ready = crate::support::eventually(Duration::from_secs(5), || {
            std::fs::metadata(&log).is_ok_and(|m| m.len() > 0)
        });
        ready.then_some(BusMonitor { child, log })
    }

    /// Stops dbus-monitor (the process this test started) and returns what it printed.
    fn finish(mut self) -> String {
        // The last replies are printed after the plugin has its answer.
        std::thread::sleep(Duration::from_millis(300));
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

/// What the scenarios work with, made before the /proc scan starts.
struct Inputs {
    ns: String,
    other: String,
    /// `NS/regcred`, for `--from-secret`.
    source: String,
    password_file: String,
    /// A GCP service-account key whose private key is the sentinel password.
    key_file: String,
    /// Inline auths: `auth`, `username`/`password`, `identitytoken`.
    inline_config: String,
    /// credHelpers naming `pass` for a registry it has nothing for.
    gone_config: String,
    /// The kubeconfig with every server at a closed port.
    unreachable_kubeconfig: String,
    http_image: String,
    /// A tag the plain-HTTP registry does not have.
    missing_tag_image: String,
    tls_image: String,
    bearer_image: String,
    ca_file: String,
}

fn prepare(audit: &Audit) -> Inputs {
    let registry = registries();
    let env = &audit.env;
    let tokens = audit.root.path().join("tokens");
    std::fs::create_dir(&tokens).unwrap();
    for cli in ["aws", "az", "gcloud"] {
        std::fs::write(tokens.join(cli), format!("{TOKEN}\n")).unwrap();
    }
    // The default Docker config: credHelpers and credsStore, both the real pass helper.
    let docker_dir = env.home.path().join(".docker");
    std::fs::create_dir_all(&docker_dir).unwrap();
    let config = json!({
        "auths": {"store.example.com": {}, "helper.example.com": {}},
        "credHelpers": {"helper.example.com": "pass"},
        "credsStore": "pass",
    });
    std::fs::write(docker_dir.join("config.json"), config.to_string()).unwrap();
    audit.pass.store(env, "helper.example.com", USER, PASSWORD);
    audit.pass.store(env, "store.example.com", "<token>", TOKEN);
    let ns = env.namespace.clone();
    env.kubectl_ok(&[
        "create",
        "secret",
        "generic",
        "opaque",
        "-n",
        &ns,
        "--from-literal=a=b",
    ]);
    let kubeconfig = std::fs::read_to_string(env.kubeconfig).unwrap();
    let unreachable: Vec<String> = kubeconfig
        .lines()
        .map(|line| match line.split_once("server:") {
            Some((indent, _)) => format!("{indent}server: https://127.0.0.1:1"),
            None => line.to_string(),
        })
        .collect();
    let key = json!({
        "type": "service_account",
        "client_email": "puller@audit.iam.gserviceaccount.com",
        "private_key": format!("-----BEGIN PRIVATE KEY-----\n{PASSWORD}\n-----END PRIVATE KEY-----\n"),
    });
    let inline = json!({"auths": {
        "inline.example.com": {"auth": BASE64.encode(format!("{USER}:{PASSWORD}"))},
        "https://split.example.com/": {"username": USER, "password": PASSWORD},
        "idtoken.example.com": {"auth": "", "identitytoken": TOKEN},
    }});
    let gone = json!({"credHelpers": {"gone.example.com": "pass"}});
    Inputs {
        source: format!("{ns}/regcred"),
        ns,
        other: audit.other_ns.clone(),
        password_file: audit.input("password.txt", &format!("{PASSWORD}\n")),
        key_file: audit.input("key.json", &key.to_string()),
        inline_config: audit.input("inline-config.json", &inline.to_string()),
        gone_config: audit.input("gone-config.json", &gone.to_string()),
        unreachable_kubeconfig: audit.input("unreachable-kubeconfig", &unreachable.join("\n")),
        tls_image: format!("{}/{}", registry.tls, registry.image),
        bearer_image: format!("{}/team/app:1.0", bearer_registry()),
        http_image: format!("{}/{}", registry.http, registry.image),
        missing_tag_image: format!("{}/team/app:0.0-leak-audit", registry.http),
        ca_file: registry.ca.display().to_string(),
    }
}

fn passwords_from_stdin_and_files(audit: &mut Audit, i: &Inputs) {
    audit.begin("create --password-stdin, --password-file");
    let ns = &i.ns;
    let create = format!("create regcred -s ghcr.io -u {USER} --password-stdin");
    let stdin = format!("{PASSWORD}\n");
    for extra in [
        "",
        "",
        "--dry-run=server",
        "--dry-run=client",
        "-o json",
        "-o yaml --dry-run=server",
    ] {
        audit.run(&format!("{create} -n {ns} {extra}"), &stdin, OK);
    }
    for format in ["yaml", "json"] {
        let line = format!("{create} --dry-run=client -o {format}");
        audit.run_requested(&line, PASSWORD, &["the sentinel password"]);
    }
    let two = format!("{PASSWORD}\n{PASSWORD}\n");
    let multi = format!(
        "create multi -s a.example.com -s b.example.com -u {USER} --password-stdin -n {ns}"
    );
    audit.run(&multi, &two, OK);
    let pw = &i.password_file;
    audit.run(
        &format!("create regcred -s quay.io -u {USER} --password-file {pw} -n {ns} --attach"),
        "",
        OK,
    );
    let labels = "--label team=audit --annotation note=x";
    audit.run(
        &format!("create hub -u {USER} --password-file {pw} -n {ns} {labels}"),
        "",
        OK,
    );
}

/// login, logins, create --from-keyring, logout; returns what dbus-monitor saw, if it ran.
fn os_keyring(audit: &mut Audit, i: &Inputs) -> Option<String> {
    audit.begin("OS keyring: login, logins, create --from-keyring, logout");
    let ns = &i.ns;
    let registry = format!("{}.keyring.example.com", TestEnv::unique("audit"));
    let _turn = keyring_turn();
    let monitor = BusMonitor::start(audit.root.path());
    let stdin = format!("{PASSWORD}\n");
    audit.run(
        &format!("login {registry} -u {USER} --password-stdin"),
        &stdin,
        OK,
    );
    audit.run("logins", "", OK);
    audit.run("logins -o json", "", OK);
    let create = format!("create kr --server {registry} --from-keyring");
    audit.run(&format!("{create} -n {ns}"), "", OK);
    let line = format!("{create} --dry-run=client -o json");
    audit.run_requested(&line, "", &["the sentinel password"]);
    audit.run(&format!("logout {registry}"), "", OK);
    audit.run(&format!("{create} -n {ns}"), "", USAGE);
    let traffic = monitor.map(BusMonitor::finish)?;
    // dbus-monitor wraps byte arrays over lines: scan them joined, too.
    let joined = traffic.split_whitespace().collect::<Vec<_>>().join(" ");
    audit.scan("the keyring's D-Bus traffic", &traffic);
    audit.scan("the keyring's D-Bus traffic, joined", &joined);
    Some(traffic)
}

fn docker_config(audit: &mut Audit, i: &Inputs) {
    audit.begin("create --from-docker-config: auths, identitytoken, credHelpers, credsStore");
    let ns = &i.ns;
    let inline = format!(
        "create dc --from-docker-config {} --server inline.example.com \
         --server split.example.com --server idtoken.example.com",
        i.inline_config
    );
    audit.run(&format!("{inline} -n {ns}"), "", OK);
    let line = format!("{inline} --dry-run=client -o yaml");
    audit.run_requested(&line, "", &["the sentinel password", "the sentinel token"]);
    let helper = "create dch --from-docker-config --server helper.example.com";
    audit.run(&format!("{helper} -n {ns}"), "", OK);
    let store = "create dcs --from-docker-config --server store.example.com";
    audit.run(&format!("{store} -n {ns}"), "", OK);
    audit.run(
        &format!("create dcall --from-docker-config --yes -n {ns}"),
        "",
        OK,
    );
    let gone = format!("create dcgone --from-docker-config {}", i.gone_config);
    audit.run(
        &format!("{gone} --server gone.example.com -n {ns}"),
        "",
        USAGE,
    );
}

fn cloud_clis(audit: &mut Audit, i: &Inputs) {
    audit.begin("cloud CLIs: --provider ecr|acr|gcr, --gcp-key-file, refresh");
    let ns = &i.ns;
    for (name, host) in [("ecr", ECR_HOST), ("acr", ACR_HOST), ("gcr", GAR_HOST)] {
        audit.run(
            &format!("create {name} --server {host} --provider {name} -n {ns}"),
            "",
            OK,
        );
    }
    let line = format!("create gcr --server {GAR_HOST} --provider auto --dry-run=client -o json");
    audit.run_requested(&line, "", &["the sentinel token"]);
    let key = &i.key_file;
    audit.run(
        &format!("create gkey --server {GAR_HOST} --gcp-key-file {key} -n {ns}"),
        "",
        OK,
    );
    for (provider, host) in [("ecr", ECR_HOST), ("acr", ACR_HOST), ("gcr", GAR_HOST)] {
        // The CLI fails and prints the token on stderr: the plugin must not pass it on.
        let mut cmd = audit.plugin();
        cmd.env("REGCRED_FAKE_CLI_FAIL", "leaky");
        let line = format!("create leaky --server {host} --provider {provider} -n {ns}");
        audit.run_with(cmd, &line, "", FAILED);
    }
    audit.run(&format!("refresh --force -n {ns}"), "", OK);
    audit.run(
        &format!("refresh ecr --force -n {ns} -o json --dry-run=server"),
        "",
        OK,
    );
    audit.run(&format!("refresh -n {ns} --dry-run=client -o yaml"), "", OK);
}

fn copies_accounts_and_labels(audit: &mut Audit, i: &Inputs) {
    audit.begin("sync, create --from-secret, attach, detach, label");
    let (ns, other, source) = (&i.ns, &i.other, &i.source);
    audit.run(
        &format!("sync --from-secret {source} -n {other} --attach"),
        "",
        OK,
    );
    audit.run(
        &format!("sync --from-secret {source} -n {other} -o yaml"),
        "",
        OK,
    );
    audit.run(
        &format!("create copy --from-secret {source} -n {other} -o json"),
        "",
        OK,
    );
    audit.run(&format!("attach dc -n {ns}"), "", OK);
    audit.run(
        &format!("attach dch -n {ns} --all-service-accounts -o json"),
        "",
        OK,
    );
    audit.run(&format!("detach dc -n {ns}"), "", OK);
    audit.run(
        &format!("label regcred team=audit --annotation note=x -n {ns}"),
        "",
        OK,
    );
    audit.run(&format!("label regcred team- -n {ns} -o yaml"), "", OK);
}

fn registries_status_and_diagnose(audit: &mut Audit, i: &Inputs) {
    audit.begin("check against real registries, status, diagnose --verify");
    let ns = &i.ns;
    let registry = registries();
    let bearer = bearer_registry();
    for (name, server, user, password) in [
        (
            "wrongpw",
            registry.http.as_str(),
            registry.user.as_str(),
            PASSWORD,
        ),
        ("right", &registry.http, &registry.user, &registry.password),
        ("tlspw", &registry.tls, &registry.user, PASSWORD),
        ("bearer", bearer, BEARER_USER, BEARER_PASSWORD),
        ("bearerwrong", bearer, BEARER_USER, PASSWORD),
        ("unreachable", "127.0.0.1:1", USER, PASSWORD),
    ] {
        let line = format!("create {name} -s {server} -u {user} --password-stdin -n {ns}");
        audit.run(&line, &format!("{password}\n"), OK);
    }
    let (http, tls, bearer_image, ca) = (&i.http_image, &i.tls_image, &i.bearer_image, &i.ca_file);
    for (secret, image, extra, ends) in [
        ("wrongpw", http.as_str(), "--plain-http", FAILED),
        ("wrongpw", http, "--plain-http -o json", FAILED),
        ("right", http, "--plain-http", OK),
        ("tlspw", tls, "", FAILED),
        ("tlspw", tls, &format!("--ca-file {ca} -o yaml"), FAILED),
        ("bearer", bearer_image, "--plain-http", OK),
        ("bearerwrong", bearer_image, "--plain-http", FAILED),
        (
            "unreachable",
            "127.0.0.1:1/team/app:1.0",
            "--plain-http --timeout 3s",
            FAILED,
        ),
    ] {
        audit.run(
            &format!("check {secret} --image {image} -n {ns} {extra}"),
            "",
            ends,
        );
    }
    // Pods that really fail on the node, which pulls with the secrets' passwords: the sentinel
    // (refused), and the registry's own on a tag it does not have.
    let env = &audit.env;
    start_pod(
        env,
        "with-wrong",
        &[],
        &[container("app", http)],
        &["wrongpw"],
    );
    let missing = container("app", &i.missing_tag_image);
    start_pod(env, "with-right", &[], &[missing], &["right"]);
    wait_until_failing(env, "with-wrong");
    wait_until_failing(env, "with-right");
    let other = &i.other;
    audit.run(&format!("status -n {ns}"), "", Ends::ZeroOrOne);
    audit.run(&format!("status -n {ns} -o json"), "", Ends::ZeroOrOne);
    audit.run(
        &format!("status -n {ns},{other} -o yaml"),
        "",
        Ends::ZeroOrOne,
    );
    audit.run(&format!("diagnose -n {ns}"), "", FAILED);
    audit.run(&format!("diagnose -n {ns} -o json"), "", FAILED);
    audit.run(
        &format!("diagnose -n {ns} --verify --plain-http"),
        "",
        FAILED,
    );
    let one = format!("diagnose with-wrong -n {ns} --verify --plain-http -o yaml");
    audit.run(&one, "", FAILED);
}

fn failures(audit: &mut Audit, i: &Inputs) {
    audit.begin("failures: forbidden, unreachable, missing, wrong type, bad input");
    let (ns, other, source) = (&i.ns, &i.other, &i.source);
    let create = format!("create regcred -s ghcr.io -u {USER} --password-stdin");
    for extra in [
        format!("-n {ns} --context nobody"),
        format!("-n {ns} --context readonly --label force=write"),
        format!("-n {ns} --kubeconfig {}", i.unreachable_kubeconfig),
        "-n no-such-namespace-for-the-audit".to_string(),
    ] {
        audit.run(&format!("{create} {extra}"), PASSWORD, FAILED);
    }
    let opaque = format!("create opaque -u {USER} --password-stdin -n {ns}");
    audit.run(&opaque, PASSWORD, FAILED);
    let bad_server = format!("create bad -s htps://ghcr.io -u {USER} --password-stdin");
    audit.run(&bad_server, PASSWORD, USAGE);
    audit.run("create bad -u a:b --password-stdin", PASSWORD, USAGE);
    for line in [
        format!("check regcred --image ghcr.io/a/b:1 -n {ns} --context nobody"),
        format!("status -n {ns} --context nobody"),
        format!("refresh --force -n {ns} --context nobody"),
        format!("sync --from-secret {source} -n {other} --context nobody"),
        format!("delete regcred -n {ns} --context readonly"),
    ] {
        audit.run(&line, "", FAILED);
    }
}

fn cleanup(audit: &mut Audit, i: &Inputs) {
    audit.begin("delete");
    let (ns, other) = (&i.ns, &i.other);
    audit.run(&format!("delete copy -n {other}"), "", OK);
    audit.run(&format!("delete regcred -n {ns},{other}"), "", OK);
    audit.run(&format!("delete ecr -n {ns} -o json"), "", OK);
}

#[test]
fn leak_audit_no_secret_leaves_the_process_except_where_asked() {
    let started = Instant::now();
    let mut audit = Audit::new();
    let inputs = prepare(&audit);
    let setup_time = started.elapsed();

    let scanner = ProcScanner::start(audit.watched.clone(), audit.shims.clone());
    passwords_from_stdin_and_files(&mut audit, &inputs);
    let dbus = os_keyring(&mut audit, &inputs);
    docker_config(&mut audit, &inputs);
    cloud_clis(&mut audit, &inputs);
    copies_accounts_and_labels(&mut audit, &inputs);
    registries_status_and_diagnose(&mut audit, &inputs);
    failures(&mut audit, &inputs);
    cleanup(&mut audit, &inputs);
    let proc_stats = scanner.finish();

    let decoys_in_output = audit.hits.decoys;
    let child_log = std::fs::read_to_string(&audit.child_log).unwrap_or_default();
    audit.scenario = "every scenario";
    audit.scan(
        "the argv and environment of the plugin's children",
        &child_log,
    );
    // The node pulled with the secrets' passwords: its runtime and kubelet must not log them.
    let mut node_log_bytes = 0;
    for process in ["containerd", "kubelet"] {
        let log = node().log(process);
        node_log_bytes += log.len();
        audit.scan(&format!("the node's {process} log"), &log);
    }
    // Guards the guard: the logs scanned are those of the audit's pulls.
    assert!(
        node().log("containerd").contains(&inputs.missing_tag_image),
        "the node's containerd log shows no pull of {}",
        inputs.missing_tag_image
    );
    let pod = format!("with-wrong_{}(", inputs.ns);
    assert!(
        node().log("kubelet").contains(&pod),
        "the node's kubelet log never names pod {pod}"
    );
    let records: Vec<&str> = child_log.split("argv:").skip(1).collect();
    let with_decoy = records
        .iter()
        .filter(|record| record.contains(&format!("\nAUDIT_DECOY={DECOY}\n")))
        .count();
    let by_program: BTreeMap<&str, usize> = SHIMMED
        .iter()
        .map(|name| {
            let marker = format!("/{name}]");
            let count = records
                .iter()
                .filter(|r| r.lines().next().is_some_and(|l| l.contains(&marker)))
                .count();
            (*name, count)
        })
        .collect();
    let dbus_messages = dbus.as_deref().map_or(0, |traffic| {
        traffic
            .lines()
            .filter(|l| l.starts_with("method call") || l.starts_with("method return"))
            .count()
    });

    let mut hits = audit.hits;
    hits.sentinel.extend(proc_stats.hits.sentinel);
    hits.other.extend(proc_stats.hits.other);
    let programs: Vec<String> = by_program.iter().map(|(p, n)| format!("{p} {n}")).collect();
    let forms: usize = audit.watched.iter().map(|w| w.forms.len()).sum();
    let summary = format!(
        "leak audit: {} scenarios, {} runs at -v=9 ({} requested manifests); {} bytes scanned \
         ({} of stdout, stderr, child log, D-Bus and the node's logs, {} of them the node's \
         containerd and kubelet logs; {} in {} /proc scans); {} child processes \
         recorded ({}); {} processes started by the plugin or its children seen alive in /proc, \
         beside {} plugin processes; {} D-Bus messages \
         with the keyring{}; sentinel hits: {}; other secret hits: {} ({} secrets watched in {} \
         forms); sentinels found where asked for: {:?}; the decoy found in {} of {} child \
         environments and {} times in /proc; {:.1} s ({:.1} s setup)",
        audit.scenarios,
        audit.runs,
        audit.requested_runs,
        audit.bytes + proc_stats.bytes,
        audit.bytes,
        node_log_bytes,
        proc_stats.bytes,
        proc_stats.scans,
        records.len(),
        programs.join(", "),
        proc_stats.children.len(),
        proc_stats.plugins.len(),
        dbus_messages,
        if dbus.is_none() {
            " (dbus-monitor unavailable)"
        } else {
            ""
        },
        hits.sentinel.len(),
        hits.other.len(),
        audit.watched.len(),
        forms,
        audit.requested_labels,
        with_decoy,
        records.len(),
        proc_stats.hits.decoys,
        started.elapsed().as_secs_f64(),
        setup_time.as_secs_f64(),
    );
    eprintln!("{summary}");
    let details: Vec<String> = hits
        .sentinel
        .iter()
        .chain(&hits.other)
        .map(|h| format!("hit: {h}"))
        .collect();
    let report = Path::new(env!("CARGO_TARGET_TMPDIR")).join("leak-audit.txt");
    let _ = std::fs::write(&report, format!("{summary}\n{}\n", details.join("\n")));

    assert!(details.is_empty(), "{summary}\n{}", details.join("\n"));
    let sentinels = ["the sentinel password", "the sentinel token"].map(String::from);
    assert_eq!(
        audit.requested_labels,
        BTreeSet::from(sentinels),
        "the search must find both sentinels where they were asked for"
    );
    for (program, count) in &by_program {
        assert!(*count > 0, "the shim of {program} never ran: {summary}");
    }
    // Guards the guards: a value in the children's environment is found by both.
    assert_eq!(
        with_decoy,
        records.len(),
        "every environment is recorded whole: {summary}"
    );
    assert!(
        proc_stats.hits.decoys > 0 && !proc_stats.children.is_empty(),
        "{summary}"
    );
    assert_eq!(
        decoys_in_output, 0,
        "the plugin printed its environment: {summary}"
    );
}

// --- files --------------------------------------------------------------------------------

/// Every file and directory under `roots`: type, size, mode and mtime (a directory's mtime
/// changes when an entry is created or removed in it, so even a temporary file shows).
fn snapshot(roots: &[&Path]) -> BTreeMap<PathBuf, String> {
    fn walk(path: &Path, into: &mut BTreeMap<PathBuf, String>) {
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            return;
        };
        into.insert(
            path.to_path_buf(),
            format!(
                "{:o} {} bytes, mtime {}.{:09}",
                meta.mode(),
                meta.len(),
                meta.mtime(),
                meta.mtime_nsec()
            ),
        );
        if meta.is_dir()
            && let Ok(entries) = std::fs::read_dir(path)
        {
            for entry in entries.flatten() {
                walk(&entry.path(), into);
            }
        }
    }
    let mut all = BTreeMap::new();
    for root in roots {
        walk(root, &mut all);
    }
    all
}

#[test]
fn no_command_writes_a_file() {
    let env = TestEnv::new("leak-audit-files");
    let ns = env.namespace.clone();
    let dirs = tempfile::tempdir().unwrap();
    let xdg: Vec<(&str, PathBuf)> = [
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_RUNTIME_DIR", "runtime"),
        ("TMPDIR", "tmp"),
    ]
    .into_iter()
    .map(|(var, name)| {
        let dir = dirs.path().join(name);
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        (var, dir)
    })
    .collect();
    // Inputs, made before the first snapshot: a password file, a Docker config, a GCP key,
    // the tokens of the cloud stand-ins.
    let password_file = env.write_file("password.txt", &format!("{PASSWORD}\n"));
    let docker_dir = env.home.path().join(".docker");
    std::fs::create_dir_all(&docker_dir).unwrap();
    std::fs::write(
        docker_dir.join("config.json"),
        json!({"auths": {"inline.example.com": {"auth": BASE64.encode(format!("{USER}:{PASSWORD}"))}}}).to_string(),
    )
    .unwrap();
    let key_file = env.write_file(
        "key.json",
        &json!({"type": "service_account", "client_email": "a@b.iam.gserviceaccount.com",
                "private_key": PASSWORD})
        .to_string(),
    );
    let tokens = env.home.path().join("tokens");
    std::fs::create_dir(&tokens).unwrap();
    std::fs::write(tokens.join("gcloud"), format!("{TOKEN}\n")).unwrap();
    let registry = format!("{}.files.example.com", TestEnv::unique("audit"));
    let path = format!(
        "{}:{}",
        repo_root().join("tests/fixtures/bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = |args: &[&str], stdin: &str| {
        let mut cmd = env.regcred();
        for (var, dir) in &xdg {
            cmd.env(var, dir);
        }
        let output = cmd
            .env("PATH", &path)
            .env("DBUS_SESSION_BUS_ADDRESS", bus_address())
            .env("REGCRED_FAKE_CLI_TOKENS", &tokens)
            .env_remove("REGCRED_FAKE_CLI_LOG")
            .env_remove("REGCRED_FAKE_CLI_FAIL")
            .args(args)
            .arg("-v=9")
            .write_stdin(stdin)
            .timeout(Duration::from_secs(90))
            .output()
            .unwrap();
        let (stdout, stderr) = texts(&output);
        assert!(output.status.success(), "{args:?}:\n{stdout}\n{stderr}");
    };

    let _turn = keyring_turn();
    let mut roots: Vec<&Path> = vec![env.home.path()];
    roots.extend(xdg.iter().map(|(_, dir)| dir.as_path()));
    let before = snapshot(&roots);
    let pw = password_file.display().to_string();
    let key = key_file.display().to_string();
    let stdin_password = format!("{PASSWORD}\n");
    let sp = stdin_password.as_str();
    for (args, stdin) in [
        (
            vec![
                "create",
                "regcred",
                "-s",
                "ghcr.io",
                "-u",
                USER,
                "--password-stdin",
                "-n",
                &ns,
            ],
            sp,
        ),
        (
            vec![
                "create",
                "regcred",
                "-s",
                "quay.io",
                "-u",
                USER,
                "--password-file",
                &pw,
                "-n",
                &ns,
                "--attach",
            ],
            "",
        ),
        (
            vec![
                "create",
                "regcred",
                "-s",
                "ghcr.io",
                "-u",
                USER,
                "--password-stdin",
                "--dry-run=client",
                "-o",
                "yaml",
            ],
            sp,
        ),
        (
            vec!["create", "dc", "--from-docker-config", "--yes", "-n", &ns],
            "",
        ),
        (
            vec![
                "create",
                "gcr",
                "--server",
                GAR_HOST,
                "--provider",
                "gcr",
                "-n",
                &ns,
            ],
            "",
        ),
        (
            vec![
                "create",
                "gkey",
                "--server",
                GAR_HOST,
                "--gcp-key-file",
                &key,
                "-n",
                &ns,
            ],
            "",
        ),
        (vec!["login", &registry, "-u", USER, "--password-stdin"], sp),
        (
            vec![
                "create",
                "kr",
                "--server",
                &registry,
                "--from-keyring",
                "-n",
                &ns,
            ],
            "",
        ),
        (vec!["logout", &registry], ""),
        (vec!["refresh", "--force", "-n", &ns], ""),
        (vec!["label", "regcred", "team=audit", "-n", &ns], ""),
        (vec!["detach", "regcred", "-n", &ns], ""),
        (vec!["status", "-n", &ns, "-o", "json"], ""),
        (vec!["delete", "regcred", "-n", &ns], ""),
    ] {
        run(&args, stdin);
    }
    let after = snapshot(&roots);
    let changed: Vec<String> = before
        .keys()
        .chain(after.keys())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter(|path| before.get(*path) != after.get(*path))
        .map(|path| {
            format!(
                "{}: {} -> {}",
                path.display(),
                before.get(path).map_or("absent", String::as_str),
                after.get(path).map_or("absent", String::as_str)
            )
        })
        .collect();
    assert!(
        changed.is_empty(),
        "the plugin wrote to HOME, XDG or TMPDIR:\n{}",
        changed.join("\n")
    );
    eprintln!(
        "no_command_writes_a_file: 14 runs, {} paths under HOME, XDG dirs and TMPDIR unchanged",
        after.len()
    );
}
