//! `create --provider ecr|acr|gcr|auto` and `--gcp-key-file`: tokens minted by cloud CLIs.
//!
//! The real CLIs cannot reach a cloud here: stand-ins in `tests/fixtures/bin/` check the exact
//! arguments they get, print what the real ones print (tokens this test made up, fresh per
//! test), append their argv to a log, and fail on request. They come first on the plugin's PATH.

use std::io::Read;
use std::path::PathBuf;
use std::process::Output;

use assert_cmd::Command;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD as BASE64, URL_SAFE_NO_PAD as BASE64URL};
use k8s_openapi::jiff::Timestamp;

use crate::support::{TestEnv, dockerconfigjson, repo_root, texts};

const ECR_HOST: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
const ACR_USER: &str = "00000000-0000-0000-0000-000000000000";

fn random_bytes(n: usize) -> Vec<u8> {
    let mut bytes = vec![0; n];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .expect("read /dev/urandom");
    bytes
}

/// Tokens shaped like the real ones: ECR's is base64 of a JSON envelope (about 2 KB), ACR's a
/// JWT, GCP's an OAuth access token starting `ya29.`.
struct Tokens {
    ecr: String,
    acr: String,
    gcr: String,
}

impl Tokens {
    fn new() -> Self {
        let envelope = serde_json::json!({
            "payload": BASE64.encode(random_bytes(1100)),
            "datakey": BASE64.encode(random_bytes(180)),
            "version": "2",
            "type": "DATA_KEY",
            "expiration": 1_795_043_200,
        });
        let header = BASE64URL.encode(br#"{"alg":"RS256","typ":"JWT","kid":"QWL3:ZKQW:T5XG"}"#);
        let claims = serde_json::json!({
            "jti": "5b1d7e3a-6c1e-4a8f-9d2b-7e1f3c9a0b4d", "sub": ACR_USER,
            "iss": "Azure Container Registry", "aud": "myregistry.azurecr.io",
            "grant_type": "refresh_token", "permissions": {"actions": ["read", "write"]},
        });
        Tokens {
            ecr: BASE64.encode(envelope.to_string()),
            acr: format!(
                "{header}.{}.{}",
                BASE64URL.encode(claims.to_string()),
                BASE64URL.encode(random_bytes(256))
            ),
            gcr: format!("ya29.a0AfB_by{}", BASE64URL.encode(random_bytes(150))),
        }
    }

    fn all(&self) -> [&str; 3] {
        [&self.ecr, &self.acr, &self.gcr]
    }
}

/// A test namespace, the stand-ins' tokens and their argv log.
struct CloudEnv {
    env: TestEnv,
    tokens: Tokens,
    token_dir: PathBuf,
    log: PathBuf,
}

impl CloudEnv {
    fn new(test: &str) -> Self {
        let env = TestEnv::new(test);
        let tokens = Tokens::new();
        let token_dir = env.home.path().join("tokens");
        std::fs::create_dir(&token_dir).unwrap();
        for (cli, token) in [
            ("aws", &tokens.ecr),
            ("az", &tokens.acr),
            ("gcloud", &tokens.gcr),
        ] {
            std::fs::write(token_dir.join(cli), format!("{token}\n")).unwrap();
        }
        let log = env.home.path().join("cli-argv.log");
        CloudEnv {
            env,
            tokens,
            token_dir,
            log,
        }
    }

    /// The plugin with the stand-ins first on its PATH.
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

    /// `create regcred -n NS -v=9 ARGS...`, checked for leaks.
    fn create(&self, args: &[&str]) -> Output {
        self.create_with(self.regcred(), args)
    }

    fn create_with(&self, mut cmd: Command, args: &[&str]) -> Output {
        let output = cmd
            .args(["create", "regcred", "-n", &self.env.namespace])
            .args(args)
            .args(["-v=9"])
            .output()
            .unwrap();
        let (stdout, stderr) = texts(&output);
        self.assert_no_token("stdout", &stdout);
        self.assert_no_token("stderr", &stderr);
        self.assert_no_token("the CLIs' argv", &self.cli_log());
        output
    }

    fn cli_log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// No token in `text`: neither plain nor base64-encoded at any alignment (as in the `auth`
    /// field or the whole `.dockerconfigjson`).
    fn assert_no_token(&self, what: &str, text: &str) {
        for token in self.tokens.all() {
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

    fn secret(&self) -> Option<serde_json::Value> {
        self.env.get_json("secret", "regcred")
    }

    /// The secret's `auths` and annotations.
    fn auths_and_annotations(&self) -> (serde_json::Value, serde_json::Value) {
        let secret = self.secret().expect("the secret was created");
        let config: serde_json::Value = serde_json::from_slice(&dockerconfigjson(&secret)).unwrap();
        (
            config["auths"].clone(),
            secret["metadata"]["annotations"].clone(),
        )
    }
}

fn entry(username: &str, password: &str) -> serde_json::Value {
    serde_json::json!({
        "username": username,
        "password": password,
        "auth": BASE64.encode(format!("{username}:{password}")),
    })
}

fn assert_success(output: &Output) {
    let (stdout, stderr) = texts(output);
    assert!(
        output.status.success(),
        "stdout: {stdout}\nstderr: {stderr}"
    );
}

/// minted-at is now, and expires-at `hours` later.
fn assert_times(annotations: &serde_json::Value, hours: i64) {
    let time = |name: &str| -> i64 {
        let text = annotations[format!("regcred.kubectl.io/{name}")]
            .as_str()
            .unwrap_or_else(|| panic!("no {name} annotation: {annotations}"));
        text.parse::<Timestamp>()
            .unwrap_or_else(|e| panic!("{name} {text:?}: {e}"))
            .as_second()
    };
    let minted = time("minted-at");
    let now = Timestamp::now().as_second();
    assert!((now - 300..=now).contains(&minted), "{annotations}");
    assert_eq!(time("expires-at") - minted, hours * 3600, "{annotations}");
}

#[test]
fn ecr_token_comes_from_aws_with_the_region_of_the_host() {
    let cloud = CloudEnv::new("cloud-ecr");
    let output = cloud.create(&["--server", ECR_HOST, "--provider", "ecr"]);
    assert_success(&output);
    assert_eq!(
        texts(&output).0,
        format!(
            "secret/regcred created in namespace {}\n",
            cloud.env.namespace
        )
    );
    let (auths, annotations) = cloud.auths_and_annotations();
    assert_eq!(
        auths,
        serde_json::json!({ ECR_HOST: entry("AWS", &cloud.tokens.ecr) })
    );
    assert_eq!(annotations["regcred.kubectl.io/provider"], "ecr");
    assert_eq!(annotations["regcred.kubectl.io/region"], "eu-west-1");
    assert_times(&annotations, 12);
    assert_eq!(
        cloud.cli_log(),
        "aws ecr get-login-password --region eu-west-1\n"
    );
}

#[test]
fn ecr_region_flag_wins_and_china_hosts_work() {
    let cloud = CloudEnv::new("cloud-ecr-cn");
    let host = "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn";
    let output = cloud.create(&[
        "--server",
        host,
        "--provider",
        "ecr",
        "--region",
        "cn-northwest-1",
    ]);
    assert_success(&output);
    let (auths, annotations) = cloud.auths_and_annotations();
    assert_eq!(auths[host]["password"], cloud.tokens.ecr.as_str());
    assert_eq!(annotations["regcred.kubectl.io/region"], "cn-northwest-1");
    assert_eq!(
        cloud.cli_log(),
        "aws ecr get-login-password --region cn-northwest-1\n"
    );
}

#[test]
fn acr_token_comes_from_the_json_az_prints() {
    let cloud = CloudEnv::new("cloud-acr");
    let output = cloud.create(&["--server", "myregistry.azurecr.io", "--provider", "acr"]);
    assert_success(&output);
    let (auths, annotations) = cloud.auths_and_annotations();
    assert_eq!(
        auths,
        serde_json::json!({ "myregistry.azurecr.io": entry(ACR_USER, &cloud.tokens.acr) })
    );
    assert_eq!(annotations["regcred.kubectl.io/provider"], "acr");
    assert_eq!(annotations["regcred.kubectl.io/acr-registry"], "myregistry");
    assert_times(&annotations, 3);
    assert_eq!(
        cloud.cli_log(),
        "az acr login --name myregistry --expose-token --output json\n"
    );
}

#[test]
fn gcr_token_comes_from_gcloud() {
    let cloud = CloudEnv::new("cloud-gcr");
    let output = cloud.create(&["--server", "europe-docker.pkg.dev", "--provider", "gcr"]);
    assert_success(&output);
    let (auths, annotations) = cloud.auths_and_annotations();
    assert_eq!(
        auths,
        serde_json::json!({ "europe-docker.pkg.dev": entry("oauth2accesstoken", &cloud.tokens.gcr) })
    );
    assert_eq!(annotations["regcred.kubectl.io/provider"], "gcr");
    assert_times(&annotations, 1);
    assert_eq!(cloud.cli_log(), "gcloud auth print-access-token\n");
}

#[test]
fn auto_picks_each_hosts_provider_and_the_first_expiry() {
    let cloud = CloudEnv::new("cloud-auto");
    let output = cloud.create(&[
        "-s",
        "eu.gcr.io",
        "-s",
        "myregistry.azurecr.io",
        "--provider",
        "auto",
    ]);
    assert_success(&output);
    let (auths, annotations) = cloud.auths_and_annotations();
    assert_eq!(
        auths,
        serde_json::json!({
            "eu.gcr.io": entry("oauth2accesstoken", &cloud.tokens.gcr),
            "myregistry.azurecr.io": entry(ACR_USER, &cloud.tokens.acr),
        })
    );
    assert_eq!(annotations["regcred.kubectl.io/provider"], "gcr,acr");
    assert_times(&annotations, 1);
    assert_eq!(
        cloud.cli_log(),
        "gcloud auth print-access-token\naz acr login --name myregistry --expose-token --output json\n"
    );
}

#[test]
fn a_cloud_host_without_a_password_mints_a_token_and_says_so() {
    let cloud = CloudEnv::new("cloud-implicit");
    let output = cloud
        .regcred()
        .args(["create", "regcred", "--server", ECR_HOST, "-v=1"])
        .args(["-n", &cloud.env.namespace])
        .output()
        .unwrap();
    assert_success(&output);
    let stderr = texts(&output).1;
    assert!(
        stderr.contains(&format!(
            "--server {ECR_HOST} is an Amazon ECR registry and no password was given: minting a token with the aws CLI"
        )),
        "{stderr}"
    );
    let (auths, _) = cloud.auths_and_annotations();
    assert_eq!(auths[ECR_HOST]["username"], "AWS");
}

#[test]
fn auto_with_an_unknown_host_is_a_usage_error() {
    let cloud = CloudEnv::new("cloud-unknown");
    let output = cloud.create(&["--server", "ghcr.io", "--provider", "auto"]);
    assert_eq!(output.status.code(), Some(2), "{}", texts(&output).1);
    let stderr = texts(&output).1;
    assert!(
        stderr.contains("--server ghcr.io is not an ECR, ACR, GCR or Artifact Registry host"),
        "{stderr}"
    );
    assert_eq!(cloud.cli_log(), "", "no CLI runs");
    assert!(cloud.secret().is_none());
}

#[test]
fn a_missing_cli_says_how_to_do_without() {
    let cloud = CloudEnv::new("cloud-missing");
    let empty = tempfile::tempdir().unwrap();
    let mut cmd = cloud.regcred();
    cmd.env("PATH", empty.path());
    let output = cloud.create_with(cmd, &["--server", ECR_HOST, "--provider", "ecr"]);
    assert_eq!(output.status.code(), Some(1), "{}", texts(&output).1);
    assert!(
        texts(&output).1.contains(
            "aws CLI not found on PATH: install it, or pass the token with --password-stdin"
        ),
        "{}",
        texts(&output).1
    );
    assert!(cloud.secret().is_none());
}

#[test]
fn a_failing_cli_is_summarised_with_its_exit_code_and_no_token() {
    let cloud = CloudEnv::new("cloud-failing");
    for (server, provider, expected) in [
        (
            ECR_HOST,
            "ecr",
            "`aws ecr get-login-password --region eu-west-1` failed (exit code 254): \
             An error occurred (ExpiredTokenException)",
        ),
        (
            "myregistry.azurecr.io",
            "acr",
            "failed (exit code 1): ERROR: AADSTS700082: The refresh token has expired",
        ),
        (
            "gcr.io",
            "gcr",
            "`gcloud auth print-access-token` failed (exit code 1): ERROR: \
             (gcloud.auth.print-access-token) There was a problem refreshing",
        ),
    ] {
        for mode in ["1", "leaky"] {
            let mut cmd = cloud.regcred();
            cmd.env("REGCRED_FAKE_CLI_FAIL", mode);
            let output = cloud.create_with(cmd, &["--server", server, "--provider", provider]);
            let stderr = texts(&output).1;
            assert_eq!(output.status.code(), Some(1), "{stderr}");
            if mode == "1" {
                assert!(stderr.contains(expected), "{stderr}");
            } else {
                assert!(stderr.contains("[redacted]"), "{stderr}");
            }
            assert!(stderr.len() < 2000, "bounded: {stderr}");
        }
    }
    assert!(cloud.secret().is_none());
}

/// A GCP service-account key file as `gcloud iam service-accounts keys create` writes it, with a
/// throwaway RSA key.
fn service_account_key(kind: &str) -> String {
    let pem = std::process::Command::new("openssl")
        .args([
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
        ])
        .output()
        .expect("run openssl");
    assert!(pem.status.success(), "openssl genpkey failed");
    let email = "puller@acme-prod.iam.gserviceaccount.com";
    let key = serde_json::json!({
        "type": kind,
        "project_id": "acme-prod",
        "private_key_id": "3f1c9e0b8a7d6c5b4a3928171605f4e3d2c1b0a9",
        "private_key": String::from_utf8(pem.stdout).unwrap(),
        "client_email": email,
        "client_id": "104857391028475610293",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": "https://oauth2.googleapis.com/token",
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/puller%40acme-prod.iam.gserviceaccount.com",
        "universe_domain": "googleapis.com",
    });
    serde_json::to_string_pretty(&key).unwrap() + "\n"
}

#[test]
fn a_gcp_key_file_is_the_password_of_json_key() {
    let cloud = CloudEnv::new("cloud-gcp-key");
    let key = service_account_key("service_account");
    let path = cloud.env.write_file("key.json", &key);
    let output = cloud.create(&[
        "--server",
        "europe-docker.pkg.dev",
        "--gcp-key-file",
        path.to_str().unwrap(),
    ]);
    assert_success(&output);
    let stderr = texts(&output).1;
    assert!(!stderr.contains("PRIVATE KEY"), "{stderr}");
    let (auths, annotations) = cloud.auths_and_annotations();
    assert_eq!(
        auths,
        serde_json::json!({ "europe-docker.pkg.dev": entry("_json_key", key.trim_end()) })
    );
    assert_eq!(annotations["regcred.kubectl.io/provider"], "gcr");
    assert_eq!(
        annotations["regcred.kubectl.io/gcp-service-account"],
        "puller@acme-prod.iam.gserviceaccount.com"
    );
    assert!(annotations.get("regcred.kubectl.io/expires-at").is_none());
    assert_eq!(cloud.cli_log(), "", "no CLI runs for a key file");
}

#[test]
fn a_key_file_that_is_not_a_service_account_key_is_refused() {
    let cloud = CloudEnv::new("cloud-gcp-bad-key");
    let key = service_account_key("authorized_user");
    let path = cloud.env.write_file("key.json", &key);
    let output = cloud.create(&[
        "--server",
        "gcr.io",
        "--gcp-key-file",
        path.to_str().unwrap(),
    ]);
    let stderr = texts(&output).1;
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("its \"type\" is \"authorized_user\", not \"service_account\""),
        "{stderr}"
    );
    assert!(!stderr.contains("PRIVATE KEY"), "{stderr}");
    assert!(cloud.secret().is_none());
}
