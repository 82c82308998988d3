//! Kubeconfig credentials kube does not handle as kubectl does, and its credential errors
//! said without the secrets they carry.

use std::io::IsTerminal;
use std::process::{Command, Stdio};
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use http::HeaderValue;
use k8s_openapi::jiff::Timestamp;
use kube::client::AuthError;
use kube::config::{AuthInfo, ExecConfig, ExecInteractiveMode};
use secrecy::SecretString;
use zeroize::Zeroizing;

/// kubectl trims the token it reads from a `tokenFile` (client-go's file token source); kube 5
/// sends it as read, so the newline `echo` and editors leave at the end fails every request
/// ("failed to parse header value"). Such a token is read here, once, and used trimmed; a file
/// without surrounding whitespace stays kube's, re-read every minute.
pub(super) fn trim_token_file(auth: &mut AuthInfo) {
    if auth.token.is_some() {
        return;
    }
    let Some(path) = &auth.token_file else {
        return;
    };
    // An unreadable file is left to kube, which reports it naming the file.
    let Ok(raw) = std::fs::read_to_string(path).map(Zeroizing::new) else {
        return;
    };
    let token = raw.trim();
    if token.len() != raw.len() {
        auth.token = Some(SecretString::from(token.to_string()));
        auth.token_file = None;
    }
}

/// What kube's failure to authenticate means, said without what its own message holds: the
/// `Debug` of the exec plugin's `Command` (every `exec.env` value) and `Output` (all it printed
/// on stdout). None for errors that are not about the credentials.
pub(super) fn auth_failure(err: &AuthError, exec_command: Option<&str>) -> Option<String> {
    let plugin = match exec_command {
        Some(command) => format!("the exec credential plugin {command}"),
        None => "the exec credential plugin".into(),
    };
    Some(match err {
        AuthError::AuthExecRun { out, .. } => {
            let stderr = String::from_utf8_lossy(&out.stderr);
            match stderr.trim() {
                "" => format!("{plugin} failed with {}", out.status),
                message => format!("{plugin} failed with {}: {message}", out.status),
            }
        }
        AuthError::AuthExecStart(err) => format!("cannot run {plugin}: {err}"),
        AuthError::AuthExecParse(_) | AuthError::ExecPluginFailed => {
            format!("{plugin} printed no valid ExecCredential on stdout")
        }
        AuthError::ReadTokenFile(err, path) => {
            format!("cannot read the token file {}: {err}", path.display())
        }
        // An exec plugin's token fetched again (`ExecToken`), said in our words; and kube's
        // own auth-provider messages, which its Display would show anyway.
        AuthError::AuthExec(reason) => reason.clone(),
        AuthError::InvalidBearerToken(_) => {
            "the bearer token holds characters no HTTP header may (a line break?)".into()
        }
        _ => return None,
    })
}

/// Runs the kubeconfig's exec credential plugin once, as kubectl does for a context, and hands
/// kube what it printed instead of the plugin: kube would run it three times for each client
/// (once for the `Authorization` header, twice looking for a client certificate), which with
/// `aws eks get-token` is seconds.
///
/// A client certificate, or a token that does not expire, goes into `auth` as if the
/// kubeconfig held it; a token that expires is returned, for [`ExecTokenLayer`] to send and to
/// fetch again once it has expired. Users kube authenticates another way (`token`,
/// `tokenFile`, `auth-provider`, basic auth: kube's order) are left alone. Blocking.
pub(super) fn settle_exec(auth: &mut AuthInfo) -> Result<Option<ExecToken>, String> {
    let authenticated_otherwise = auth.auth_provider.is_some()
        || (auth.username.is_some() && auth.password.is_some())
        || auth.token.is_some()
        || auth.token_file.is_some();
    if authenticated_otherwise {
        return Ok(None);
    }
    let Some(exec) = auth.exec.take() else {
        return Ok(None);
    };
    let credential = run_exec_plugin(&exec)?;
    if let Some((certificate, key)) = &credential.certificate {
        auth.client_certificate_data = Some(BASE64.encode(certificate.as_bytes()));
        auth.client_key_data = Some(SecretString::from(BASE64.encode(key.as_bytes())));
    }
    Ok(match credential.token {
        Some(token) if credential.expires.is_some() => Some(ExecToken {
            exec: Arc::new(exec),
            current: Arc::new(tokio::sync::Mutex::new(Bearer::new(
                &token,
                credential.expires,
            )?)),
        }),
        Some(token) => {
            auth.token = Some(SecretString::from(token.to_string()));
            None
        }
        None => None,
    })
}

/// What an exec credential plugin gave: a token, a client certificate and key (PEM), or both.
struct ExecCredential {
    token: Option<Zeroizing<String>>,
    certificate: Option<(String, Zeroizing<String>)>,
    expires: Option<Timestamp>,
}

/// The `status` of client-go's `ExecCredential`.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExecStatus {
    #[serde(default, deserialize_with = "crate::dockerconfig::wiped_option")]
    token: Option<Zeroizing<String>>,
    #[serde(default)]
    expiration_timestamp: Option<String>,
    #[serde(default)]
    client_certificate_data: Option<String>,
    #[serde(default, deserialize_with = "crate::dockerconfig::wiped_option")]
    client_key_data: Option<Zeroizing<String>>,
}

#[derive(serde::Deserialize)]
struct ExecOutput {
    status: Option<ExecStatus>,
}

/// Runs the plugin as client-go does: the kubeconfig's `args` and `env` added to ours (kube's
/// `dropEnv` taken out), `KUBERNETES_EXEC_INFO` describing the request, its stderr passed
/// through (a login prompt, or why it failed), and our stdin only when it is a terminal and
/// `interactiveMode` is not `Never`. What it prints on stdout is read as JSON or YAML.
fn run_exec_plugin(exec: &ExecConfig) -> Result<ExecCredential, String> {
    let name = exec.command.as_deref().unwrap_or_default();
    let plugin = format!("the exec credential plugin {name}");
    if name.is_empty() {
        return Err("the kubeconfig's exec credential plugin has no command".into());
    }
    let terminal = std::io::stdin().is_terminal();
    let interactive = match exec.interactive_mode {
        Some(ExecInteractiveMode::Never) => false,
        Some(ExecInteractiveMode::Always) if !terminal => {
            return Err(format!(
                "{plugin} needs a terminal (interactiveMode: Always), and standard input is none"
            ));
        }
        _ => terminal,
    };
    let mut spec = serde_json::json!({ "interactive": interactive });
    if exec.provide_cluster_info {
        spec["cluster"] = serde_json::to_value(&exec.cluster).unwrap_or_default();
    }
    let info = serde_json::json!({
        "kind": "ExecCredential",
        "apiVersion": exec.api_version,
        "spec": spec,
    });
    let mut command = Command::new(name);
    command
        .args(exec.args.iter().flatten())
        .envs(
            exec.env
                .iter()
                .flatten()
                .filter_map(|pair| Some((pair.get("name")?, pair.get("value")?))),
        )
        .env("KUBERNETES_EXEC_INFO", info.to_string())
        .stdin(if interactive {
            Stdio::inherit()
        } else {
            Stdio::null()
        })
        .stderr(Stdio::inherit());
    for variable in exec.drop_env.iter().flatten() {
        command.env_remove(variable);
    }
    let output = command.output().map_err(|err| {
        let hint = exec
            .install_hint
            .as_deref()
            .map(|hint| format!("\n\n{}", hint.trim_end()))
            .unwrap_or_default();
        format!("cannot run {plugin}: {err}{hint}")
    })?;
    let stdout = Zeroizing::new(output.stdout);
    if !output.status.success() {
        return Err(format!("{plugin} failed with {}", output.status));
    }
    let no_credential = || format!("{plugin} printed no valid ExecCredential on stdout");
    let status = serde_saphyr::from_slice::<ExecOutput>(&stdout)
        .map_err(|_| no_credential())?
        .status
        .ok_or_else(no_credential)?;
    let expires = status
        .expiration_timestamp
        .filter(|time| !time.is_empty())
        .map(|time| {
            time.parse::<Timestamp>().map_err(|_| {
                format!(
                    "{plugin} printed an expirationTimestamp that is no RFC 3339 time: {time:?}"
                )
            })
        })
        .transpose()?;
    let certificate = match (status.client_certificate_data, status.client_key_data) {
        (Some(certificate), Some(key)) => Some((certificate, key)),
        (None, None) => None,
        _ => {
            return Err(format!(
                "{plugin} printed only one of clientCertificateData and clientKeyData"
            ));
        }
    };
    let token = status.token.filter(|token| !token.is_empty());
    if token.is_none() && certificate.is_none() {
        return Err(format!(
            "{plugin} printed neither a token nor a client certificate"
        ));
    }
    Ok(ExecCredential {
        token,
        certificate,
        expires,
    })
}

/// The bearer token of an exec plugin, and when it expires.
struct Bearer {
    header: HeaderValue,
    expires: Option<Timestamp>,
}

impl Bearer {
    fn new(token: &str, expires: Option<Timestamp>) -> Result<Self, String> {
        let mut header = HeaderValue::try_from(format!("Bearer {token}")).map_err(|_| {
            "the exec credential plugin printed a token that holds characters no HTTP header \
             may (a line break?)"
                .to_string()
        })?;
        header.set_sensitive(true);
        Ok(Bearer { header, expires })
    }

    /// client-go's rule: a credential is used until its expiry has passed.
    fn is_expired(&self) -> bool {
        self.expires
            .is_some_and(|expires| Timestamp::now() >= expires)
    }
}

/// An exec plugin's token that expires: shared by every request of a client, fetched again
/// (once, however many requests wait for it) when it has expired.
#[derive(Clone)]
pub(super) struct ExecToken {
    exec: Arc<ExecConfig>,
    current: Arc<tokio::sync::Mutex<Bearer>>,
}

impl ExecToken {
    /// The `Authorization` header to send now, running the plugin again first if the token
    /// has expired. A failure is kube's auth error, which the cluster's error handling reads.
    async fn header(&self) -> Result<HeaderValue, AuthError> {
        let mut current = self.current.lock().await;
        if current.is_expired() {
            let exec = Arc::clone(&self.exec);
            let fresh = tokio::task::spawn_blocking(move || run_exec_plugin(&exec))
                .await
                .map_err(|err| format!("the exec credential plugin did not finish: {err}"))
                .and_then(|fetched| fetched)
                .and_then(|fetched| match fetched.token {
                    Some(token) => Bearer::new(&token, fetched.expires),
                    None => Err("the exec credential plugin printed no token this time".into()),
                })
                .map_err(AuthError::AuthExec)?;
            *current = fresh;
        }
        Ok(current.header.clone())
    }
}

/// Sends an exec plugin's expiring token on every request (see [`settle_exec`]); without one,
/// passes requests through untouched.
#[derive(Clone, Default)]
pub(super) struct ExecTokenLayer(pub(super) Option<ExecToken>);

impl<S> tower::Layer<S> for ExecTokenLayer {
    type Service = ExecTokenService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ExecTokenService {
            token: self.0.clone(),
            inner,
        }
    }
}

/// The service of [`ExecTokenLayer`].
#[derive(Clone)]
pub(super) struct ExecTokenService<S> {
    token: Option<ExecToken>,
    inner: S,
}

impl<S, B> tower::Service<http::Request<B>> for ExecTokenService<S>
where
    S: tower::Service<http::Request<B>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Into<tower::BoxError>,
    B: Send + 'static,
{
    type Response = S::Response;
    type Error = tower::BoxError;
    type Future = futures::future::BoxFuture<'static, Result<S::Response, tower::BoxError>>;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, mut request: http::Request<B>) -> Self::Future {
        // The service that was made ready serves this request; a clone waits for the next.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let token = self.token.clone();
        Box::pin(async move {
            if let Some(token) = token {
                let header = token.header().await?;
                request
                    .headers_mut()
                    .insert(http::header::AUTHORIZATION, header);
            }
            inner.call(request).await.map_err(Into::into)
        })
    }
}

/// Why a client certificate kube refused cannot be used, when the reason is one kubectl
/// would not have: an X.509 v1 certificate, which Go accepts and rustls (webpki) refuses
/// ("UnsupportedCertVersion", reported by kube as an invalid private key). None otherwise.
pub(super) fn client_certificate_failure(auth: &AuthInfo) -> Option<String> {
    let pem = match (&auth.client_certificate_data, &auth.client_certificate) {
        (Some(data), _) => BASE64.decode(data.trim()).ok()?,
        (None, Some(path)) => std::fs::read(path).ok()?,
        (None, None) => return None,
    };
    let der = first_certificate(&pem)?;
    is_x509_v1(&der).then(|| {
        "the client certificate is an X.509 v1 certificate, which this plugin's TLS library \
         (rustls) cannot use, though kubectl can: issue a v3 certificate for the same key \
         (openssl x509 -req ... -extfile with extendedKeyUsage=clientAuth), or use a token"
            .to_string()
    })
}

/// The DER bytes of the first `CERTIFICATE` block of PEM text.
fn first_certificate(pem: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(pem).ok()?;
    let body = text
        .split("-----BEGIN CERTIFICATE-----")
        .nth(1)?
        .split("-----END CERTIFICATE-----")
        .next()?;
    let base64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    BASE64.decode(base64).ok()
}

/// Whether a DER certificate is X.509 v1: its `tbsCertificate` starts with the serial number
/// (the `[0] EXPLICIT` version is left out, as DER leaves out a default), or states version 0.
fn is_x509_v1(der: &[u8]) -> bool {
    const SEQUENCE: u8 = 0x30;
    const INTEGER: u8 = 0x02;
    const VERSION: u8 = 0xA0;
    let Some(tbs) = der_contents(der, SEQUENCE).and_then(|cert| der_contents(cert, SEQUENCE))
    else {
        return false;
    };
    match der_contents(tbs, VERSION) {
        Some(version) => der_contents(version, INTEGER) == Some(&[0]),
        None => tbs.first() == Some(&INTEGER),
    }
}

/// The contents of the DER element at the start of `bytes`, if its tag is `tag`.
fn der_contents(bytes: &[u8], tag: u8) -> Option<&[u8]> {
    let (&found, rest) = bytes.split_first()?;
    if found != tag {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let octets = usize::from(first & 0x7f);
        if octets == 0 || octets > 4 || rest.len() < octets {
            return None;
        }
        let len = rest[..octets]
            .iter()
            .fold(0usize, |len, byte| len << 8 | usize::from(*byte));
        (len, &rest[octets..])
    };
    rest.get(..len)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `openssl x509 -req -signkey` (OpenSSL 3.0 writes v1 when no extension is asked for).
    const V1: &str = "-----BEGIN CERTIFICATE-----\n\
MIIBFTCBuwIUT6XYjqlDp3rK9azf6rXfjKFNWkEwCgYIKoZIzj0EAwIwDTELMAkG\n\
A1UEAwwCdjEwHhcNMjYxMjAyMDIwNzI4WhcNMzYxMTI5MDIwNzI4WjANMQswCQYD\n\
VQQDDAJ2MTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABJKhj24YylppiWTnBIfx\n\
iGDTkFeHp1oUtk+hN51g7ag7fomrlNznXHl1uZsy0Z8Ak+l8r+GRg/HrKlvPolF6\n\
ojYwCgYIKoZIzj0EAwIDSQAwRgIhAKjWigMSfzRYjAIhYGMXjECfcVij0YhFWtSA\n\
hZqpVapIAiEAncIsK7piJ7ERPvkQuEZSPrFFHVhTlAbpfl+MJQNIZeI=\n\
-----END CERTIFICATE-----";
    /// `openssl req -x509`, the same key.
    const V3: &str = "-----BEGIN CERTIFICATE-----\n\
MIIBcDCCARWgAwIBAgIUFmOFPM5Z/nx4N52bNolgcY0GipowCgYIKoZIzj0EAwIw\n\
DTELMAkGA1UEAwwCdjMwHhcNMjYxMjAyMDIwNzI4WhcNMzYxMTI5MDIwNzI4WjAN\n\
MQswCQYDVQQDDAJ2MzBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABJKhj24Yylpp\n\
iWTnBIfxiGDTkFeHp1oUtk+hN51g7ag7fomrlNznXHl1uZsy0Z8Ak+l8r+GRg/Hr\n\
KlvPolF6ojajUzBRMB0GA1UdDgQWBBQBxGHGPs+HJGmxN2D1T/XkRkf5gTAfBgNV\n\
HSMEGDAWgBQBxGHGPs+HJGmxN2D1T/XkRkf5gTAPBgNVHRMBAf8EBTADAQH/MAoG\n\
CCqGSM49BAMCA0kAMEYCIQCJEb+t1xBoQty1E4LokGqyFxInmhHQN0NtI4iykGLB\n\
dwIhAIcmQ8gnPPVN+Lb2DbCDLnWZx7XT9q5L6rmw+vnQLirg\n\
-----END CERTIFICATE-----";

    #[test]
    fn x509_v1_certificates_are_recognised() {
        let version_of = |pem: &str| is_x509_v1(&first_certificate(pem.as_bytes()).unwrap());
        assert!(version_of(V1));
        assert!(!version_of(V3));
        let auth = |pem: &str| AuthInfo {
            client_certificate_data: Some(BASE64.encode(pem)),
            ..Default::default()
        };
        let reason = client_certificate_failure(&auth(V1)).unwrap();
        assert!(reason.contains("X.509 v1"), "{reason}");
        assert_eq!(client_certificate_failure(&auth(V3)), None);
        assert_eq!(client_certificate_failure(&auth("not PEM")), None);
        assert_eq!(client_certificate_failure(&AuthInfo::default()), None);
        assert!(!is_x509_v1(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]));
        assert!(!is_x509_v1(&[]));
    }

    /// An exec plugin that is `sh -c SCRIPT`.
    fn plugin(script: &str) -> ExecConfig {
        ExecConfig {
            api_version: Some("client.authentication.k8s.io/v1".into()),
            command: Some("sh".into()),
            args: Some(vec!["-c".into(), script.into()]),
            env: None,
            drop_env: None,
            install_hint: None,
            interactive_mode: Some(ExecInteractiveMode::Never),
            provide_cluster_info: false,
            cluster: None,
            other: Default::default(),
        }
    }

    #[test]
    fn exec_credentials_are_read_like_client_go_reads_them() {
        let ok = run_exec_plugin(&plugin(
            r#"echo '{"status":{"token":"t0k","expirationTimestamp":"2030-01-02T03:04:05Z"}}'"#,
        ))
        .unwrap();
        assert_eq!(ok.token.as_deref().map(String::as_str), Some("t0k"));
        assert_eq!(ok.expires, Some("2030-01-02T03:04:05Z".parse().unwrap()));
        // YAML, as client-go's decoder also reads.
        let yaml = run_exec_plugin(&plugin("printf 'status:\\n  token: y\\n'")).unwrap();
        assert_eq!(yaml.token.as_deref().map(String::as_str), Some("y"));
        for (script, why) in [
            ("exit 3", "failed with exit status: 3"),
            ("echo not-json", "no valid ExecCredential"),
            (
                r#"echo '{"status":{}}'"#,
                "neither a token nor a client certificate",
            ),
            (
                r#"echo '{"status":{"clientKeyData":"k"}}'"#,
                "only one of clientCertificateData and clientKeyData",
            ),
            (
                r#"echo '{"status":{"token":"t","expirationTimestamp":"soon"}}'"#,
                "no RFC 3339 time",
            ),
        ] {
            let err = run_exec_plugin(&plugin(script)).err().unwrap();
            assert!(err.contains(why), "{script}: {err}");
            assert!(err.contains("exec credential plugin sh"), "{err}");
        }
        let mut missing = plugin("");
        missing.command = Some("/nonexistent/regcred-credential".into());
        missing.install_hint = Some("install it with: apt install regcred-credential".into());
        let err = run_exec_plugin(&missing).err().unwrap();
        assert!(
            err.starts_with("cannot run the exec credential plugin"),
            "{err}"
        );
        assert!(
            err.ends_with("install it with: apt install regcred-credential"),
            "{err}"
        );
    }

    #[test]
    fn an_exec_token_that_expires_is_sent_by_the_layer_and_one_that_does_not_by_kube() {
        let exec = |expiry: &str| AuthInfo {
            exec: Some(plugin(&format!(
                r#"echo '{{"status":{{"token":"t"{expiry}}}}}'"#
            ))),
            ..Default::default()
        };
        let mut forever = exec("");
        assert!(settle_exec(&mut forever).unwrap().is_none());
        assert!(forever.exec.is_none() && forever.token.is_some());
        let mut expiring = exec(r#","expirationTimestamp":"2030-01-01T00:00:00Z""#);
        assert!(settle_exec(&mut expiring).unwrap().is_some());
        assert!(expiring.exec.is_none() && expiring.token.is_none());
        // A token in the kubeconfig wins over exec, as in kube and client-go.
        let mut both = exec("");
        both.token = Some(SecretString::from("static".to_string()));
        assert!(settle_exec(&mut both).unwrap().is_none());
        assert!(both.exec.is_some());
    }
}
