//! `refresh`: re-mint the cloud tokens of pull secrets made with `create --provider`, once per
//! CLI call, into every copy that is due; and deploy/refresh-cronjob.yaml, which runs it.
//!
//! The stand-in CLIs of `tests/fixtures/bin/` print the token this test writes, and log argv.

use std::path::PathBuf;
use std::process::Output;

use assert_cmd::Command;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use k8s_openapi::jiff::Timestamp;

use crate::support::{TestEnv, dockerconfigjson, repo_root, texts};

const ECR_HOST: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

/// Namespaces, a token file for the stand-in `aws`, and its argv log.
struct RefreshEnv {
    env: TestEnv,
    namespaces: Vec<String>,
    token_dir: PathBuf,
    log: PathBuf,
    tokens: Vec<String>,
}

impl RefreshEnv {
    fn new(test: &str) -> Self {
        let env = TestEnv::new(test);
        let mut namespaces = vec![env.namespace.clone()];
        for _ in 0..2 {
            let name = TestEnv::unique(test);
            env.create_namespace(&name, &[]);
            namespaces.push(name);
        }
        let token_dir = env.home.path().join("tokens");
        std::fs::create_dir(&token_dir).unwrap();
        let log = env.home.path().join("cli-argv.log");
        RefreshEnv {
            env,
            namespaces,
            token_dir,
            log,
            tokens: Vec::new(),
        }
    }

    /// Makes the stand-in `aws` print a new token (ECR-like: long base64), and returns it.
    fn next_token(&mut self) -> String {
        let n = self.tokens.len();
        let token = BASE64.encode(format!(
            "{{\"payload\":\"refresh-test-{n}-{}\",\"version\":\"2\",\"type\":\"DATA_KEY\"}}",
            "q".repeat(200)
        ));
        std::fs::write(self.token_dir.join("aws"), format!("{token}\n")).unwrap();
        self.tokens.push(token.clone());
        token
    }

    fn regcred(&self) -> Command {
        let bin = repo_root().join("tests/fixtures/bin");
        let path = format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut cmd = self.env.regcred();
        cmd.env("PATH", path)
            .env("REGCRED_FAKE_CLI_TOKENS", &self.token_dir)
            .env("REGCRED_FAKE_CLI_LOG", &self.log)
            .env_remove("REGCRED_FAKE_CLI_FAIL");
        cmd
    }

    /// Runs the plugin at -v=9 and checks no token shows in its output.
    fn run(&self, args: &[&str], stdin: &str) -> Output {
        let output = self
            .regcred()
            .args(args)
            .arg("-v=9")
            .write_stdin(stdin)
            .output()
            .unwrap();
        let (stdout, stderr) = texts(&output);
        self.assert_no_token("stdout", &stdout);
        self.assert_no_token("stderr", &stderr);
        output
    }

    fn ok(&self, args: &[&str], stdin: &str) -> String {
        let output = self.run(args, stdin);
        let (stdout, stderr) = texts(&output);
        assert!(
            output.status.success(),
            "{args:?}\nstdout: {stdout}\nstderr: {stderr}"
        );
        stdout
    }

    /// Takes the argv log and empties it.
    fn take_log(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let _ = std::fs::remove_file(&self.log);
        log
    }

    fn assert_no_token(&self, what: &str, text: &str) {
        for token in &self.tokens {
            let probe = &token[..60];
            let mut forms = vec![probe.to_string()];
            for offset in 0..3 {
                let mut bytes = vec![b'x'; offset];
                bytes.extend_from_slice(probe.as_bytes());
                let encoded = BASE64.encode(&bytes);
                forms.push(encoded[4..encoded.len() - 4].to_string());
            }
            for form in forms {
                assert!(!text.contains(&form), "{what} leaks a token:\n{text}");
            }
        }
    }

    fn secret(&self, namespace: &str, name: &str) -> serde_json::Value {
        self.env
            .get_in(namespace, "secret", name)
            .unwrap_or_else(|| panic!("secret {namespace}/{name}"))
    }

    fn auths(&self, namespace: &str, name: &str) -> serde_json::Value {
        let config: serde_json::Value =
            serde_json::from_slice(&dockerconfigjson(&self.secret(namespace, name))).unwrap();
        config["auths"].clone()
    }

    fn resource_versions(&self, name: &str) -> Vec<String> {
        self.namespaces
            .iter()
            .map(|ns| {
                self.secret(ns, name)["metadata"]["resourceVersion"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }

    fn expire(&self, namespace: &str, name: &str) {
        self.env.kubectl_ok(&[
            "annotate",
            "secret",
            name,
            "-n",
            namespace,
            "--overwrite",
            "regcred.kubectl.io/expires-at=2020-01-01T00:00:00Z",
        ]);
    }
}

#[test]
fn refresh_re_mints_expired_copies_with_one_cli_call_and_keeps_everything_else() {
    let mut cloud = RefreshEnv::new("refresh-ecr");
    let all = cloud.namespaces.join(",");
    let first = cloud.namespaces[0].clone();
    let old = cloud.next_token();
    cloud.ok(
        &[
            "create",
            "ecr",
            "-s",
            ECR_HOST,
            "--provider",
            "ecr",
            "-n",
            &all,
        ],
        "",
    );
    // Another registry in the same secret, and a secret with an ECR token typed in by hand.
    cloud.ok(
        &[
            "create",
            "ecr",
            "-s",
            "ghcr.io",
            "-u",
            "octocat",
            "--password-stdin",
            "-n",
            &first,
        ],
        "gh-password",
    );
    cloud.ok(
        &[
            "create",
            "manual",
            "-s",
            ECR_HOST,
            "-u",
            "AWS",
            "--password-stdin",
            "-n",
            &all,
        ],
        "typed-by-hand",
    );
    let ghcr_before = cloud.auths(&first, "ecr")["ghcr.io"].clone();
    let manual_before = cloud.resource_versions("manual");
    for ns in &cloud.namespaces {
        cloud.expire(ns, "ecr");
    }
    let new = cloud.next_token();
    cloud.take_log();

    // --dry-run=server: the token is minted and the write validated, nothing persisted.
    let before = cloud.resource_versions("ecr");
    let stdout = cloud.ok(&["refresh", "-n", &all, "--dry-run=server"], "");
    assert!(stdout.contains("3 updated"), "{stdout}");
    assert!(stdout.contains("(server dry run)"), "{stdout}");
    assert_eq!(cloud.resource_versions("ecr"), before);
    assert_eq!(
        cloud.auths(&first, "ecr")[ECR_HOST]["password"],
        old.as_str()
    );
    assert_eq!(
        cloud.take_log(),
        "aws ecr get-login-password --region eu-west-1\n"
    );

    // For real: one CLI call for every copy.
    let stdout = cloud.ok(&["refresh", "-n", &all, "-o", "json"], "");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["command"], "refresh");
    assert_eq!(
        report["summary"],
        serde_json::json!({"updated": 3}),
        "{report}"
    );
    let reason = report["results"][0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("secret/ecr: re-minted ecr eu-west-1 (expired at 2020-01-01T00:00:00Z)"),
        "{reason}"
    );
    assert!(
        !reason.contains("secret/manual"),
        "only secrets made with --provider: {reason}"
    );
    assert_eq!(
        cloud.take_log(),
        "aws ecr get-login-password --region eu-west-1\n"
    );
    let now = Timestamp::now().as_second();
    for ns in &cloud.namespaces {
        let auths = cloud.auths(ns, "ecr");
        assert_eq!(auths[ECR_HOST]["password"], new.as_str(), "{ns}");
        assert_eq!(
            auths[ECR_HOST]["auth"],
            BASE64.encode(format!("AWS:{new}")).as_str()
        );
        let annotations = &cloud.secret(ns, "ecr")["metadata"]["annotations"];
        let time = |name: &str| {
            annotations[format!("regcred.kubectl.io/{name}")]
                .as_str()
                .unwrap()
                .parse::<Timestamp>()
                .unwrap()
                .as_second()
        };
        assert!(
            (now - 300..=now).contains(&time("minted-at")),
            "{annotations}"
        );
        assert_eq!(time("expires-at") - time("minted-at"), 12 * 3600);
        assert_eq!(annotations["regcred.kubectl.io/provider"], "ecr");
        assert_eq!(annotations["regcred.kubectl.io/region"], "eu-west-1");
        assert_eq!(
            cloud.auths(ns, "manual")[ECR_HOST]["password"],
            "typed-by-hand"
        );
    }
    assert_eq!(cloud.auths(&first, "ecr")["ghcr.io"], ghcr_before);
    assert_eq!(cloud.resource_versions("manual"), manual_before);

    // Again: the tokens are fresh, so nothing is written and no CLI runs.
    let after = cloud.resource_versions("ecr");
    let stdout = cloud.ok(&["refresh", "-n", &all], "");
    assert!(stdout.contains("3 unchanged"), "{stdout}");
    assert!(stdout.contains("fresh until"), "{stdout}");
    assert_eq!(cloud.resource_versions("ecr"), after);
    assert_eq!(cloud.take_log(), "", "no CLI call for fresh tokens");

    // NAME limits it; --force re-mints a fresh token.
    let stdout = cloud.ok(&["refresh", "ecr", "-n", &first, "--force"], "");
    assert_eq!(
        stdout,
        format!("secret/ecr configured in namespace {first}: re-minted ecr eu-west-1 (--force)\n")
    );
    assert_eq!(cloud.take_log().lines().count(), 1);
}

#[test]
fn a_failing_cli_fails_the_due_namespaces_and_writes_nothing() {
    let mut cloud = RefreshEnv::new("refresh-fail");
    let ns = cloud.namespaces[0].clone();
    cloud.next_token();
    cloud.ok(
        &[
            "create",
            "ecr",
            "-s",
            ECR_HOST,
            "--provider",
            "ecr",
            "-n",
            &ns,
        ],
        "",
    );
    cloud.expire(&ns, "ecr");
    let before = cloud.secret(&ns, "ecr")["metadata"]["resourceVersion"].clone();
    let output = cloud
        .regcred()
        .args(["refresh", "-n", &ns])
        .env("REGCRED_FAKE_CLI_FAIL", "1")
        .output()
        .unwrap();
    let stderr = texts(&output).1;
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("ExpiredTokenException"), "{stderr}");
    assert_eq!(
        cloud.secret(&ns, "ecr")["metadata"]["resourceVersion"],
        before
    );
}

/// The CronJob document of a manifest file.
fn cronjob_document(file: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(repo_root().join(file)).unwrap();
    text.split("\n---\n")
        .map(|doc| serde_saphyr::from_str::<serde_json::Value>(doc).unwrap())
        .find(|doc| doc["kind"] == "CronJob")
        .expect("a CronJob document")
}

#[test]
fn the_refresh_cronjob_manifest_is_accepted_by_the_api_server() {
    let env = TestEnv::without_namespace();
    let output = env.kubectl(&[
        "apply",
        "--dry-run=server",
        "-f",
        repo_root()
            .join("deploy/refresh-cronjob.yaml")
            .to_str()
            .unwrap(),
    ]);
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    for object in [
        "serviceaccount/regcred-refresh",
        "clusterrole.rbac.authorization.k8s.io/regcred-refresh",
        "clusterrolebinding.rbac.authorization.k8s.io/regcred-refresh",
        "cronjob.batch/regcred-refresh",
    ] {
        assert!(stdout.contains(object), "{stdout}");
    }
}

#[test]
fn the_batch_v1_cronjob_is_the_same_and_fits_the_batch_v1_schema() {
    let read = |file: &str| std::fs::read_to_string(repo_root().join(file)).unwrap();
    assert_eq!(
        read("deploy/refresh-cronjob-batch-v1.yaml"),
        read("deploy/refresh-cronjob.yaml")
            .replace("\napiVersion: batch/v1beta1\n", "\napiVersion: batch/v1\n")
    );
    // Every field survives a round trip through the batch/v1 types: none is unknown to it.
    let document = cronjob_document("deploy/refresh-cronjob-batch-v1.yaml");
    let typed: k8s_openapi::api::batch::v1::CronJob =
        serde_json::from_value(document.clone()).unwrap();
    assert_eq!(serde_json::to_value(&typed).unwrap(), document);
}
