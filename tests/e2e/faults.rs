//! Faults of real clusters: an API server restarting mid-run, a slow link that drops
//! connections, a time limit per request, and errors that must not be retried.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::clusters::{ControlPlane, run_plugin, spare, spare_env};
use crate::proxy::Proxy;
use crate::support::{TestEnv, eventually, texts};

/// Retries the plugin logged (`-v=1` and up).
fn retries_logged(stderr: &str) -> usize {
    stderr.lines().filter(|l| l.contains("retrying ")).count()
}

/// Per namespace: (secret `name` exists, `default` lists it).
fn states(plane: &ControlPlane, name: &str) -> BTreeMap<String, (bool, bool)> {
    let secrets = plane.kubectl_ok(&[
        "get",
        "secrets",
        "-A",
        "--field-selector",
        &format!("metadata.name={name}"),
        "-o",
        "jsonpath={.items[*].metadata.namespace}",
    ]);
    let secrets: BTreeSet<&str> = secrets.split_whitespace().collect();
    let accounts: Value = serde_json::from_str(&plane.kubectl_ok(&[
        "get",
        "serviceaccounts",
        "-A",
        "--field-selector",
        "metadata.name=default",
        "-o",
        "json",
    ]))
    .unwrap();
    accounts["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|account| {
            let namespace = account["metadata"]["namespace"].as_str().unwrap();
            let attached = account["imagePullSecrets"]
                .as_array()
                .is_some_and(|list| list.iter().any(|e| e["name"] == name));
            (
                namespace.to_string(),
                (secrets.contains(namespace), attached),
            )
        })
        .collect()
}

fn wait_for_default_accounts(plane: &ControlPlane, namespaces: &[String]) {
    let ready = eventually(Duration::from_secs(90), || {
        let have = states(plane, "none");
        namespaces.iter().all(|ns| have.contains_key(ns))
    });
    assert!(
        ready,
        "the service-account controller made no default accounts"
    );
}

/// Starts `args` in the background, waits until 20 namespaces have secret `name`, runs
/// `interrupt`, and returns the run's output and how long after the interruption it ended.
fn interrupted_run(
    plane: &ControlPlane,
    kubeconfig: &Path,
    args: [&'static str; 14],
    interrupt: impl FnOnce(),
) -> (Output, Duration) {
    let name = args[1];
    let run = {
        let kubeconfig = kubeconfig.to_path_buf();
        std::thread::spawn(move || run_plugin(&kubeconfig, &args))
    };
    let started = eventually(Duration::from_secs(60), || {
        states(plane, name).values().filter(|s| s.0).count() >= 20
    });
    assert!(started, "the run of {name} never got going");
    let interrupted_at = Instant::now();
    interrupt();
    let output = run.join().unwrap();
    (output, interrupted_at.elapsed())
}

/// Checks every row against the cluster: a namespace reported done is done, none is half
/// done the wrong way round (an account listing a secret that is not there), and the exit
/// code and summary count the failures. Returns the namespaces reported not done.
fn namespaces_not_done(
    plane: &ControlPlane,
    name: &str,
    names: &[String],
    output: &Output,
) -> Vec<String> {
    let (stdout, stderr) = texts(output);
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("{stderr}"));
    let rows = report["results"].as_array().unwrap();
    let state = states(plane, name);
    let mut not_done = Vec::new();
    for namespace in names {
        let row = rows
            .iter()
            .find(|r| r["namespace"] == namespace.as_str())
            .unwrap_or_else(|| panic!("no row for {namespace}: {stdout}"));
        let (has_secret, attached) = state[namespace];
        assert!(
            has_secret || !attached,
            "{namespace}: attached without its secret"
        );
        match row["status"].as_str().unwrap() {
            "created" => assert!(has_secret && attached, "{namespace} reported done: {row}"),
            "failed" => {
                let reason = row["reason"].as_str().unwrap();
                // Unreachable, or a 5xx of a server still starting that outlasted the retries.
                assert!(reason.starts_with("cannot "), "{row}");
                not_done.push(namespace.clone());
            }
            other => panic!("{namespace}: {other}: {row}"),
        }
    }
    let failed_rows = rows.iter().filter(|r| r["status"] == "failed").count();
    if failed_rows == 0 {
        assert!(output.status.success(), "{stderr}");
    } else {
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(&format!("{failed_rows} of ")), "{stderr}");
    }
    not_done
}

#[test]
fn an_api_server_restart_mid_run_leaves_no_half_state_and_a_rerun_completes() {
    let plane = ControlPlane::start();
    let proxy = Proxy::start(plane.api_addr());
    let home = tempfile::tempdir().unwrap();
    let kubeconfig = home.path().join("kubeconfig");
    std::fs::write(&kubeconfig, plane.kubeconfig_named("restart", &proxy.url())).unwrap();
    let names: Vec<String> = (0..200).map(|i| format!("restart-{i:03}")).collect();
    plane.create_namespaces(&names);
    wait_for_default_accounts(&plane, &names);
    // Slow enough that the fault lands mid-run: 200 namespaces take several seconds.
    proxy.set_latency(Duration::from_millis(15));
    let create = |name| {
        [
            "create",
            name,
            "--server",
            "ghcr.io",
            "--username",
            "u",
            "--password-stdin",
            "--attach",
            "-A",
            "--concurrency",
            "4",
            "-o",
            "json",
            "-v=1",
        ]
    };

    // A restart (back in seconds) is ridden out by the retries.
    let (output, _) = interrupted_run(&plane, &kubeconfig, create("regcred"), || {
        plane.restart_apiserver()
    });
    let not_done = namespaces_not_done(&plane, "regcred", &names, &output);
    let retries = retries_logged(&texts(&output).1);
    assert!(retries > 0, "a restart mid-run is retried");
    eprintln!(
        "restart mid-run: {} of 200 namespaces done in the first run ({retries} retries logged)",
        200 - not_done.len(),
    );

    // An outage longer than the retry budget: the run reports exactly which namespaces were
    // not done, soon (the first request to give up tells the others not to wait), and a
    // re-run once the server is back completes exactly those.
    let mut argv = Vec::new();
    let (output, reported_after) = interrupted_run(&plane, &kubeconfig, create("later"), || {
        argv = plane.stop_apiserver()
    });
    plane.start_apiserver(&argv);
    assert!(eventually(Duration::from_secs(90), || plane.is_ready()));
    let not_done = namespaces_not_done(&plane, "later", &names, &output);
    assert!(!not_done.is_empty(), "the outage outlasted the retries");
    assert!(
        reported_after < Duration::from_secs(60),
        "took {reported_after:?}"
    );

    let rerun = run_plugin(&kubeconfig, &create("later"));
    let (rerun_stdout, rerun_stderr) = texts(&rerun);
    assert!(rerun.status.success(), "{rerun_stderr}");
    let rerun_rows: Value = serde_json::from_str(&rerun_stdout).unwrap();
    let completed: BTreeSet<&str> = rerun_rows["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "created" || r["status"] == "updated")
        .filter_map(|r| r["namespace"].as_str())
        .filter(|ns| ns.starts_with("restart-"))
        .collect();
    let expected: BTreeSet<&str> = not_done.iter().map(String::as_str).collect();
    // The re-run touched only namespaces reported not done. Some of those may need nothing:
    // a write in flight when the server died can land with its answer lost, so the run
    // could not confirm it (at most one per concurrent request).
    assert!(
        completed.is_subset(&expected),
        "the re-run changed namespaces reported done: {:?}",
        completed.difference(&expected).collect::<Vec<_>>()
    );
    assert!(
        expected.len() - completed.len() <= 4,
        "{expected:?} vs {completed:?}"
    );
    let state = states(&plane, "later");
    assert!(names.iter().all(|ns| state[ns] == (true, true)));
    eprintln!(
        "outage: {} of 200 namespaces done, {} reported not done {:.1} s after the API server \
         stopped; the re-run completed {} of them (the others had landed unconfirmed)",
        200 - not_done.len(),
        not_done.len(),
        reported_after.as_secs_f64(),
        completed.len(),
    );
}

#[test]
fn a_slow_link_that_drops_connections_is_ridden_out_with_retries() {
    let env = spare_env();
    let plane = spare();
    let proxy = Proxy::start(plane.api_addr());
    let kubeconfig = env.write_file(
        "flaky.kubeconfig",
        &plane.kubeconfig_named("flaky", &proxy.url()),
    );
    let names: Vec<String> = (0..12).map(|_| TestEnv::unique("flaky")).collect();
    for ns in &names {
        env.create_namespace(ns, &[]);
    }
    wait_for_default_accounts(plane, &names);
    proxy.set_latency(Duration::from_millis(30));
    proxy.cut_every(4);
    let output = run_plugin(
        &kubeconfig,
        &[
            "create",
            "flaky",
            "--server",
            "ghcr.io",
            "--username",
            "u",
            "--password-stdin",
            "--attach",
            "-n",
            &names.join(","),
            "-v=1",
        ],
    );
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    let (connections, cut) = proxy.counts();
    assert!(cut > 0, "the proxy cut no connection ({connections} made)");
    let retries = retries_logged(&stderr);
    assert!(retries > 0, "{stderr}");
    for ns in &names {
        assert!(env.get_in(ns, "secret", "flaky").is_some(), "{ns}");
        assert_eq!(env.pull_secrets_of(ns, "default"), ["flaky"]);
    }
    eprintln!(
        "flaky link: {connections} connections, {cut} cut, {retries} retries; all {} namespaces done",
        names.len()
    );

    // A time limit per request: a link slower than the limit fails soon, saying so.
    proxy.cut_every(0);
    proxy.set_latency(Duration::from_secs(2));
    let started = Instant::now();
    let output = run_plugin(
        &kubeconfig,
        &["status", "-n", &names[0], "--request-timeout", "300ms"],
    );
    let took = started.elapsed();
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("timed out"), "{stderr}");
    assert!(stderr.contains("gave up after"), "{stderr}");
    assert!(took < Duration::from_secs(15), "took {took:?}");
    let output = run_plugin(
        &kubeconfig,
        &["status", "-n", &names[0], "--request-timeout", "soon"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(texts(&output).1.contains("30s"), "{}", texts(&output).1);
}

#[test]
fn errors_that_would_come_back_the_same_are_not_retried() {
    let env = TestEnv::new("no-retry");
    for (context, wanted) in [("readonly", "not allowed"), ("nobody", "not allowed")] {
        let output = env
            .regcred()
            .args(["create", "regcred", "-u", "u", "--password-stdin"])
            .args(["-n", &env.namespace, "--context", context, "-v=1"])
            .write_stdin("pw\n")
            .output()
            .unwrap();
        let (_, stderr) = texts(&output);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(wanted), "{stderr}");
        assert_eq!(retries_logged(&stderr), 0, "{stderr}");
    }
    // A server that never answered: one quick retry, then the error, as kubectl would.
    let kubeconfig = env.write_file(
        "dead.kubeconfig",
        "apiVersion: v1\nkind: Config\nclusters:\n- name: dead\n  cluster: {server: 'https://127.0.0.1:9'}\n\
         users:\n- name: dead\n  user: {token: t}\ncontexts:\n- name: dead\n  context: {cluster: dead, user: dead}\n\
         current-context: dead\n",
    );
    let started = Instant::now();
    let output = run_plugin(&kubeconfig, &["status", "-n", "default", "-v=1"]);
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("127.0.0.1:9"), "{stderr}");
    assert!(!stderr.contains("retry 2 of"), "{stderr}");
    assert!(!stderr.contains("ERROR"), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// A service account of the test's namespace whose requests API Priority and Fairness admits
/// about three at a time and rejects beyond that (429 with `Retry-After`, no queueing).
fn throttled_account(env: &TestEnv, plane: &ControlPlane) -> String {
    let ns = &env.namespace;
    let name = format!("{ns}-tight");
    env.kubectl_ok(&["create", "serviceaccount", "throttled", "-n", ns]);
    env.kubectl_ok(&[
        "create",
        "clusterrolebinding",
        &name,
        "--clusterrole",
        "cluster-admin",
        &format!("--serviceaccount={ns}:throttled"),
    ]);
    env.apply(&format!(
        r#"{{"apiVersion":"v1","kind":"List","items":[
          {{"apiVersion":"flowcontrol.apiserver.k8s.io/v1beta1","kind":"PriorityLevelConfiguration",
            "metadata":{{"name":"{name}"}},
            "spec":{{"type":"Limited","limited":{{"assuredConcurrencyShares":1,"limitResponse":{{"type":"Reject"}}}}}}}},
          {{"apiVersion":"flowcontrol.apiserver.k8s.io/v1beta1","kind":"FlowSchema",
            "metadata":{{"name":"{name}"}},
            "spec":{{"priorityLevelConfiguration":{{"name":"{name}"}},"matchingPrecedence":500,
              "distinguisherMethod":{{"type":"ByUser"}},
              "rules":[{{"subjects":[{{"kind":"ServiceAccount","serviceAccount":{{"name":"throttled","namespace":"{ns}"}}}}],
                "resourceRules":[{{"verbs":["*"],"apiGroups":["*"],"resources":["*"],"namespaces":["*"],"clusterScope":true}}],
                "nonResourceRules":[{{"verbs":["*"],"nonResourceURLs":["*"]}}]}}]}}}}]}}"#
    ));
    let mut token = String::new();
    let found = eventually(Duration::from_secs(30), || {
        let secret = env.kubectl(&[
            "get",
            "serviceaccount",
            "throttled",
            "-n",
            ns,
            "-o",
            "jsonpath={.secrets[0].name}",
        ]);
        let secret = String::from_utf8_lossy(&secret.stdout).to_string();
        if secret.is_empty() {
            return false;
        }
        let data = env.kubectl(&[
            "get",
            "secret",
            &secret,
            "-n",
            ns,
            "-o",
            "jsonpath={.data.token}",
        ]);
        use base64::Engine;
        token = base64::engine::general_purpose::STANDARD
            .decode(String::from_utf8_lossy(&data.stdout).trim())
            .map(|t| String::from_utf8_lossy(&t).into_owned())
            .unwrap_or_default();
        !token.is_empty()
    });
    assert!(found, "no token for serviceaccount/throttled");
    let server = format!("https://{}", plane.api_addr());
    plane
        .kubeconfig_named("throttled", &server)
        .lines()
        .map(|line| match line.trim_start().strip_prefix("token: ") {
            Some(_) => format!("    token: {token}"),
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn throttling_by_api_priority_and_fairness_is_waited_out() {
    let mut env = spare_env();
    let plane = spare();
    let namespace = TestEnv::unique("apf");
    env.kubectl_ok(&["create", "namespace", &namespace]);
    env.namespace = namespace;
    let kubeconfig = env.write_file("throttled.kubeconfig", &throttled_account(&env, plane));
    let names: Vec<String> = (0..8).map(|_| TestEnv::unique("apf")).collect();
    for ns in &names {
        env.create_namespace(ns, &[]);
    }
    wait_for_default_accounts(plane, &names);
    let create = [
        "create",
        "throttled",
        "--server",
        "ghcr.io",
        "--username",
        "u",
        "--password-stdin",
        "--attach",
        "--concurrency",
        "64",
        "-v=1",
        "-n",
        &names.join(","),
    ];
    // Throttling is a race: a few attempts until one run is throttled at all.
    let mut throttled = 0;
    for round in 0..5 {
        let name = format!("throttled-{round}");
        let mut args = create.to_vec();
        args[1] = &name;
        let output = run_plugin(&kubeconfig, &args);
        let (stdout, stderr) = texts(&output);
        assert!(output.status.success(), "{stdout}\n{stderr}");
        for ns in &names {
            assert!(env.get_in(ns, "secret", &name).is_some(), "{ns}");
            assert!(env.pull_secrets_of(ns, "default").contains(&name));
        }
        let waits: Vec<u64> = stderr
            .lines()
            .filter(|l| l.contains("retrying ") && l.contains("429"))
            .filter_map(|l| l.split(" in ").nth(1)?.split(" ms").next()?.parse().ok())
            .collect();
        // API Priority and Fairness says `Retry-After: 1`: no retry comes sooner.
        assert!(waits.iter().all(|ms| *ms >= 1000), "{waits:?}\n{stderr}");
        throttled = waits.len();
        if throttled > 0 {
            break;
        }
    }
    assert!(
        throttled > 0,
        "API Priority and Fairness never answered 429"
    );
    eprintln!(
        "API Priority and Fairness: {throttled} requests answered 429 were retried after \
         Retry-After; all {} namespaces done",
        names.len()
    );
}

#[test]
fn a_concurrent_writer_on_the_same_secret_keeps_its_labels_and_every_registry_lands() {
    let env = TestEnv::new("concurrent-secret");
    let ns = env.namespace.clone();
    let create = |i: usize| {
        env.regcred()
            .args([
                "create",
                "shared",
                "-s",
                &format!("r{i}.example.com"),
                "-u",
                "u",
            ])
            .args(["--password-stdin", "-n", &ns, "-v=4"])
            .write_stdin(format!("pw{i}\n"))
            .output()
            .unwrap()
    };
    let first = create(0);
    assert!(first.status.success(), "{}", texts(&first).1);
    // Four of us add a registry each at the same moment while another tool labels the same
    // secret: every write but one per moment loses the race and must re-read, never
    // overwrite. Collisions are a matter of timing: a few rounds until one is seen.
    let (mut races, mut added) = (0, 1);
    for round in 0..3 {
        races += std::thread::scope(|scope| {
            let writer = scope.spawn(|| {
                for i in (0..8).filter(|_| round == 0) {
                    let label = format!("theirs-{i}=yes");
                    env.kubectl_ok(&["label", "secret", "shared", "-n", &ns, &label]);
                }
            });
            let ours: Vec<_> = (added..added + 4)
                .map(|i| scope.spawn(move || create(i)))
                .collect();
            let races: usize = ours
                .into_iter()
                .map(|run| {
                    let output = run.join().unwrap();
                    let (_, stderr) = texts(&output);
                    assert!(output.status.success(), "{stderr}");
                    stderr.matches("changed meanwhile; retrying").count()
                })
                .sum();
            writer.join().unwrap();
            races
        });
        added += 4;
        if races > 0 {
            break;
        }
    }
    assert!(races > 0, "four writers at once never collided in 3 rounds");
    let secret = env.get_json("secret", "shared").unwrap();
    let labels = &secret["metadata"]["labels"];
    for i in 0..8 {
        assert_eq!(labels[format!("theirs-{i}")], "yes", "{labels}");
    }
    let config: Value = serde_json::from_slice(&crate::support::dockerconfigjson(&secret)).unwrap();
    for i in 0..added {
        assert_eq!(
            config["auths"][format!("r{i}.example.com")]["password"],
            format!("pw{i}"),
            "{}",
            config["auths"]
        );
    }
    eprintln!(
        "concurrent writer on one secret: {added} registries and 8 labels kept, {races} lost races re-read"
    );
}
