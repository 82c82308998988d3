//! The distribution API's auth dance and a `HEAD` of the manifest, as containerd does them:
//! `GET /v2/`; on 401 answer its challenge (Basic: send the credentials; Bearer: trade them for a
//! token at the realm, scope `repository:NAME:pull`); then `HEAD /v2/NAME/manifests/REF`.

use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue, WWW_AUTHENTICATE};
use reqwest::{Method, Response, StatusCode};
use serde::Deserialize;
use zeroize::Zeroizing;

use super::challenge::{Challenge, parse_challenges, preferred};
use super::keys::keyring_order;
use super::ratelimit::{self, RateLimit};
use super::reference::DOCKER_HUB_DOMAIN;
use super::runtime;
use super::transport::{self, Failure};
use super::{CheckResult, ImageRef, Outcome, ProbeOptions, ProbeResult, RegistryError};
use crate::dockerconfig::stored::{Layout, StoredConfig, StoredEntry};
use crate::dockerconfig::{Credentials, DockerConfig, RegistryKey, basic_auth};

/// What runtimes accept for a manifest: OCI index and manifest, Docker list and v2.
const MANIFEST_TYPES: &str = "application/vnd.oci.image.index.v1+json, \
    application/vnd.oci.image.manifest.v1+json, \
    application/vnd.docker.distribution.manifest.list.v2+json, \
    application/vnd.docker.distribution.manifest.v2+json";

/// Error bodies are read up to this size, for their first error code.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Probes registries with one HTTP client (one TLS setup) for any number of images.
pub struct Prober {
    client: reqwest::Client,
    options: ProbeOptions,
}

impl Prober {
    /// Sets up the client: reads `--ca-file`, builds the TLS configuration.
    pub fn new(options: &ProbeOptions) -> Result<Self, RegistryError> {
        Ok(Self {
            client: transport::build_client(options)?,
            options: options.clone(),
        })
    }

    /// Would a runtime holding `credentials` (none: anonymous) be able to pull `image`?
    /// Never takes longer than the options' timeout.
    pub async fn probe(&self, image: &ImageRef, credentials: Option<&Credentials>) -> ProbeResult {
        let mut result = self.bounded(image, credentials, false).await;
        redact(&mut result.detail, credentials);
        tracing::debug!(
            image = %image,
            outcome = result.outcome.as_str(),
            detail = %result.detail,
            "probed"
        );
        result
    }
}

impl Prober {
    /// Does `registry` accept `credentials`? Asks as `docker login` does: `GET /v2/`, then the
    /// challenge's Basic auth, or a Bearer token from its token service (for no repository),
    /// and `GET /v2/` again with it. `ok` when the registry lets them in; `denied` naming its
    /// answer (`401 Unauthorized`) when it refuses them.
    pub async fn login(&self, registry: &RegistryKey, credentials: &Credentials) -> ProbeResult {
        // Docker Hub's key names its index; its API, like every registry's, is the host's.
        let host = match registry.is_docker_hub() {
            true => DOCKER_HUB_DOMAIN,
            false => registry.as_str().split('/').next().unwrap_or_default(),
        };
        // Only the host of this reference counts: a login asks for no repository.
        let image = match ImageRef::parse(&format!("{host}/regcred/login")) {
            Ok(image) => image,
            Err(err) => {
                return ProbeResult::new(
                    Outcome::RegistryError,
                    format!("{registry} names no registry host: {err}"),
                );
            }
        };
        let mut result = self.bounded(&image, Some(credentials), true).await;
        redact(&mut result.detail, Some(credentials));
        tracing::debug!(%registry, outcome = result.outcome.as_str(), detail = %result.detail, "logged in");
        result
    }

    /// One attempt (a pull's, or a `login`'s) that never takes longer than the options'
    /// timeout.
    async fn bounded(
        &self,
        image: &ImageRef,
        credentials: Option<&Credentials>,
        login: bool,
    ) -> ProbeResult {
        let scheme = runtime::scheme_for(image.api_host(), self.options.plain_http);
        let attempt = Attempt {
            client: &self.client,
            image,
            credentials,
            host: image.api_host(),
            base: format!("{}://{}", scheme.as_str(), image.api_host()),
            told_plain_http: self.options.plain_http,
            timeout_secs: self.options.timeout.as_secs(),
            login,
        };
        match tokio::time::timeout(self.options.timeout, attempt.run()).await {
            Ok(result) => result,
            Err(_) => ProbeResult::new(
                Outcome::Unreachable,
                format!(
                    "no answer from {} within {}s",
                    attempt.host, attempt.timeout_secs
                ),
            ),
        }
    }
}

/// Probes one image with one set of credentials (a [`Prober`] of its own).
///
/// The error is about this side only (an unreadable `--ca-file`); every registry answer,
/// or lack of one, is a [`ProbeResult`].
pub async fn probe(
    image: &ImageRef,
    credentials: Option<&Credentials>,
    options: &ProbeOptions,
) -> Result<ProbeResult, RegistryError> {
    Ok(Prober::new(options)?.probe(image, credentials).await)
}

/// Can a pod whose pull secret holds `config` pull `image`? See [`check_pull`].
pub async fn check(image: &ImageRef, config: &DockerConfig, prober: &Prober) -> CheckResult {
    check_pull(image, &[PullSecret { name: "", config }], prober).await
}

/// One pull secret of a pod: its name and content.
#[derive(Debug, Clone, Copy)]
pub struct PullSecret<'a> {
    pub name: &'a str,
    pub config: &'a DockerConfig,
}

/// Can a pod that lists these pull secrets pull `image`? Asks the registry what the kubelet
/// and the runtime would: every matching entry of every secret, in the kubelet's order
/// ([`keyring_order`]), the first `ok` winning, else the answer for the first entry tried;
/// and with no matching entry at all, an anonymous pull, as the kubelet then makes.
pub async fn check_pull(
    image: &ImageRef,
    secrets: &[PullSecret<'_>],
    prober: &Prober,
) -> CheckResult {
    let mut read = Vec::with_capacity(secrets.len());
    for secret in secrets {
        let stored = StoredConfig::decode(Layout::DockerConfigJson, &secret.config.to_json());
        // One unreadable entry makes the kubelet refuse the pull (`MakeDockerKeyring` fails).
        let unreadable = match stored {
            Ok(config) => match config.unreadable() {
                None => {
                    read.push(config);
                    continue;
                }
                Some(err) => err.to_string(),
            },
            Err(err) => err.to_string(),
        };
        return CheckResult {
            secret: named(secret.name),
            entry: None,
            result: ProbeResult::new(
                Outcome::NoCredentials,
                format!("the kubelet cannot read the secret, so no pull uses it: {unreadable}"),
            ),
        };
    }
    let keys: Vec<Vec<&str>> = read.iter().map(|config| config.keys().collect()).collect();
    let order = keyring_order(image, &keys);
    if order.is_empty() {
        return anonymous(image, &keys, prober).await;
    }
    let mut first: Option<CheckResult> = None;
    for (index, key) in order {
        let credentials = read[index]
            .entries()
            .iter()
            .find(|entry| entry.key == key)
            .and_then(StoredEntry::credentials);
        let result = CheckResult {
            secret: named(secrets[index].name),
            entry: Some(key.to_string()),
            result: prober.probe(image, credentials).await,
        };
        if result.result.outcome == Outcome::Ok {
            return result;
        }
        first.get_or_insert(result);
    }
    first.unwrap_or_else(|| CheckResult {
        secret: None,
        entry: None,
        result: ProbeResult::new(
            Outcome::NoCredentials,
            format!("no entry for {}", image.registry()),
        ),
    })
}

fn named(name: &str) -> Option<String> {
    (!name.is_empty()).then(|| name.to_string())
}

/// No entry matches: the kubelet pulls without credentials, and so do we. `held` are the keys
/// the secrets do have, for the detail.
async fn anonymous(image: &ImageRef, held: &[Vec<&str>], prober: &Prober) -> CheckResult {
    let registry = image.registry();
    let keys: Vec<&str> = held.iter().flatten().copied().collect();
    let secrets = if held.len() == 1 {
        "the secret holds"
    } else {
        "the secrets hold"
    };
    let why = if held.is_empty() {
        "no pull secret".to_string()
    } else if keys.is_empty() {
        format!("no entry for {registry}: {secrets} no registry")
    } else {
        format!("no entry for {registry}: {secrets} {}", keys.join(", "))
    };
    let probed = prober.probe(image, None).await;
    let result = match probed.outcome {
        Outcome::Ok => ProbeResult {
            detail: format!("{why}, and an anonymous pull works: {}", probed.detail),
            ..probed
        },
        Outcome::Denied => ProbeResult::new(
            Outcome::NoCredentials,
            format!("{why}, so the pull is anonymous, and {}", probed.detail),
        ),
        _ => ProbeResult {
            detail: format!("{why}; an anonymous pull: {}", probed.detail),
            ..probed
        },
    };
    CheckResult {
        secret: None,
        entry: None,
        result,
    }
}

/// One probe of one image: the requests and what their answers mean.
struct Attempt<'a> {
    client: &'a reqwest::Client,
    image: &'a ImageRef,
    credentials: Option<&'a Credentials>,
    /// `host[:port]` of the registry API.
    host: &'a str,
    /// `scheme://host[:port]`
    base: String,
    /// Plain HTTP because the user said so (`--plain-http`), not because the host is loopback.
    told_plain_http: bool,
    timeout_secs: u64,
    /// Log in only (`GET /v2/` with the credentials), as `docker login`; no manifest.
    login: bool,
}

/// The `Authorization` header for the manifest request, if any.
type Auth = Option<HeaderValue>;

impl Attempt<'_> {
    async fn run(&self) -> ProbeResult {
        let ping_url = format!("{}/v2/", self.base);
        let ping = match self.send(Method::GET, &ping_url, None, false).await {
            Ok(response) => response,
            Err(err) => return self.no_answer(self.host, &err).await,
        };
        let auth = match ping.status() {
            status if status.is_success() => None,
            StatusCode::UNAUTHORIZED => match self.authenticate(&ping).await {
                Ok(auth) => auth,
                Err(result) => return result,
            },
            _ => return self.unexpected(&format!("GET {ping_url}"), ping).await,
        };
        if self.login {
            return self.logged_in(&ping_url, auth.as_ref()).await;
        }
        self.head_manifest(auth.as_ref()).await
    }

    /// `GET /v2/` again, with the credentials (or the token they got): the registry's answer
    /// to a login.
    async fn logged_in(&self, ping_url: &str, auth: Option<&HeaderValue>) -> ProbeResult {
        let Some(auth) = auth else {
            return ProbeResult::new(
                Outcome::Ok,
                format!("{} asks for no credentials", self.host),
            );
        };
        let response = match self.send(Method::GET, ping_url, Some(auth), false).await {
            Ok(response) => response,
            Err(err) => return self.no_answer(self.host, &err).await,
        };
        let status = response.status();
        let user = self
            .credentials
            .map(|c| c.username.as_str())
            .unwrap_or_default();
        match status {
            _ if status.is_success() => ProbeResult::new(
                Outcome::Ok,
                format!("{} accepted the credentials of user {user:?}", self.host),
            ),
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => ProbeResult::new(
                Outcome::Denied,
                format!(
                    "{} refused the credentials of user {user:?} ({})",
                    self.host,
                    status_text(status)
                ),
            ),
            _ => self.unexpected(&format!("GET {ping_url}"), response).await,
        }
    }

    /// Answers the challenge of a 401 on `/v2/`.
    async fn authenticate(&self, ping: &Response) -> Result<Auth, ProbeResult> {
        let challenges: Vec<Challenge> = ping
            .headers()
            .get_all(WWW_AUTHENTICATE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(parse_challenges)
            .collect();
        match preferred(&challenges) {
            Some(Challenge::Bearer { realm, service, .. }) => {
                tracing::debug!(realm, service, "registry asks for a bearer token");
                self.fetch_token(realm, service.as_deref()).await.map(Some)
            }
            Some(Challenge::Basic) => {
                tracing::debug!("registry asks for basic auth");
                match self.credentials {
                    Some(credentials) => Ok(Some(basic_header(credentials))),
                    None => Err(ProbeResult::new(
                        Outcome::Denied,
                        format!(
                            "{} requires credentials (401 Unauthorized) and none were sent",
                            self.host
                        ),
                    )),
                }
            }
            Some(Challenge::Other { scheme }) => Err(ProbeResult::new(
                Outcome::RegistryError,
                format!(
                    "{} asks for {scheme} authentication, which container runtimes do not speak",
                    self.host
                ),
            )),
            None => Err(ProbeResult::new(
                Outcome::Denied,
                format!(
                    "{} answered 401 Unauthorized without a WWW-Authenticate challenge",
                    self.host
                ),
            )),
        }
    }

    /// Trades the credentials (or nothing, for anonymous pulls) for a pull token.
    async fn fetch_token(
        &self,
        realm: &str,
        service: Option<&str>,
    ) -> Result<HeaderValue, ProbeResult> {
        let mut url = reqwest::Url::parse(realm).map_err(|_| {
            ProbeResult::new(
                Outcome::RegistryError,
                format!(
                    "{} names a token realm that is not a URL: {realm:?}",
                    self.host
                ),
            )
        })?;
        let realm_host = match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_string(),
            (None, _) => realm.to_string(),
        };
        if self.login {
            // As `docker login`: a token for the account, for no repository.
            if let Some(credentials) = self.credentials {
                url.query_pairs_mut()
                    .append_pair("account", &credentials.username);
            }
        } else {
            url.query_pairs_mut().append_pair(
                "scope",
                &format!("repository:{}:pull", self.image.repository()),
            );
        }
        if let Some(service) = service {
            url.query_pairs_mut().append_pair("service", service);
        }
        let auth = self.credentials.map(basic_header);
        let response = match self
            .send(Method::GET, url.as_str(), auth.as_ref(), false)
            .await
        {
            Ok(response) => response,
            Err(err) => return Err(self.no_answer(&realm_host, &err).await),
        };
        let status = response.status();
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            let detail = match self.credentials {
                Some(c) => format!(
                    "the token service {realm_host} refused the credentials of user {:?} ({})",
                    c.username,
                    status_text(status)
                ),
                None => format!(
                    "the token service {realm_host} refused an anonymous pull of {} ({})",
                    self.image.repository(),
                    status_text(status)
                ),
            };
            return Err(ProbeResult::new(Outcome::Denied, detail));
        }
        if !status.is_success() {
            return Err(self
                .unexpected(&format!("the token service {realm_host}"), response)
                .await);
        }
        let body = read_capped(response).await;
        token_header(&body).ok_or_else(|| {
            ProbeResult::new(
                Outcome::RegistryError,
                format!(
                    "the token service {realm_host} answered {} without a token",
                    status_text(status)
                ),
            )
        })
    }

    async fn head_manifest(&self, auth: Option<&HeaderValue>) -> ProbeResult {
        let url = format!(
            "{}/v2/{}/manifests/{}",
            self.base,
            self.image.repository(),
            self.image.reference()
        );
        let mut response = match self.send(Method::HEAD, &url, auth, true).await {
            Ok(response) => response,
            Err(err) => return self.no_answer(self.host, &err).await,
        };
        // A registry without HEAD support still serves GET, as runtimes then use.
        if response.status() == StatusCode::METHOD_NOT_ALLOWED {
            response = match self.send(Method::GET, &url, auth, true).await {
                Ok(response) => response,
                Err(err) => return self.no_answer(self.host, &err).await,
            };
        }
        let rate_limit = rate_limit_of(&response);
        let mut result = self.manifest_answer(&url, auth, response).await;
        result.rate_limit = rate_limit;
        result
    }

    /// What the manifest response means for a pull.
    async fn manifest_answer(
        &self,
        url: &str,
        auth: Option<&HeaderValue>,
        response: Response,
    ) -> ProbeResult {
        let status = response.status();
        match status {
            _ if status.is_success() => {
                let digest = response
                    .headers()
                    .get("docker-content-digest")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                let detail = match &digest {
                    Some(digest) => format!("{} serves the manifest ({digest})", self.host),
                    None => format!("{} serves the manifest", self.host),
                };
                ProbeResult {
                    outcome: Outcome::Ok,
                    detail,
                    digest,
                    rate_limit: None,
                }
            }
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => ProbeResult::new(
                Outcome::Denied,
                self.manifest_denied(status, auth.is_some()),
            ),
            StatusCode::NOT_FOUND => self.not_found(url, auth).await,
            _ => self.unexpected(&format!("HEAD {url}"), response).await,
        }
    }

    fn manifest_denied(&self, status: StatusCode, sent_auth: bool) -> String {
        let repository = self.image.repository();
        match (self.credentials, sent_auth) {
            (Some(c), true) if status == StatusCode::UNAUTHORIZED => format!(
                "{} refused the credentials of user {:?} for {repository} ({}); or the repository \
                 does not exist (many registries answer the same for both)",
                self.host,
                c.username,
                status_text(status)
            ),
            (Some(c), true) => format!(
                "user {:?} may not pull {repository} from {} ({})",
                c.username,
                self.host,
                status_text(status)
            ),
            _ => format!(
                "{} requires credentials to pull {repository} ({}) and none were sent",
                self.host,
                status_text(status)
            ),
        }
    }

    /// 404 on HEAD: a GET tells a missing repository from a missing tag (HEAD has no body).
    async fn not_found(&self, url: &str, auth: Option<&HeaderValue>) -> ProbeResult {
        let code = match self.send(Method::GET, url, auth, true).await {
            Ok(response) => error_summary(&read_capped(response).await),
            Err(_) => None,
        };
        let (repository, reference) = (self.image.repository(), self.image.reference());
        let detail = match code.as_deref() {
            Some(code) if code.starts_with("NAME_UNKNOWN") => {
                format!("{} has no repository {repository} ({code})", self.host)
            }
            Some(code) => format!(
                "{} has no manifest {reference} in {repository} ({code})",
                self.host
            ),
            None => format!(
                "{} has no manifest {reference} in {repository} (404 Not Found)",
                self.host
            ),
        };
        ProbeResult::new(Outcome::NotFound, detail)
    }

    /// A status a pull cannot go on with.
    async fn unexpected(&self, what: &str, response: Response) -> ProbeResult {
        let status = response.status();
        let body = read_capped(response).await;
        // Go's TLS servers answer a plain-HTTP request this way.
        if status == StatusCode::BAD_REQUEST
            && String::from_utf8_lossy(&body).contains("HTTP request to an HTTPS server")
        {
            let detail = if self.told_plain_http {
                format!(
                    "{} speaks HTTPS, not plain HTTP: drop --plain-http",
                    self.host
                )
            } else {
                format!(
                    "{host} speaks HTTPS, but containerd reaches registries on loopback addresses \
                     over plain HTTP, so the pull fails with 400 Bad Request: tell the node with \
                     /etc/containerd/certs.d/{host}/hosts.toml holding server = \"https://{host}\"",
                    host = self.host
                )
            };
            return ProbeResult::new(Outcome::RegistryError, detail);
        }
        let summary = error_summary(&body)
            .map(|s| format!(": {s}"))
            .unwrap_or_default();
        let rate_limited = if status == StatusCode::TOO_MANY_REQUESTS {
            " (rate limited: pull with an account, or wait)"
        } else {
            ""
        };
        ProbeResult::new(
            Outcome::RegistryError,
            format!(
                "{what} answered {}{summary}{rate_limited}",
                status_text(status)
            ),
        )
    }

    /// No HTTP answer from `host`: what that means for a pull.
    async fn no_answer(&self, host: &str, err: &reqwest::Error) -> ProbeResult {
        match transport::classify(err) {
            Failure::NotTls(tls) => {
                if self.answers_plain_http(host).await {
                    ProbeResult::new(
                        Outcome::HttpToHttps,
                        format!(
                            "{host} answered plain HTTP to a TLS handshake (server gave HTTP \
                             response to HTTPS client): runtimes pull over HTTPS unless the \
                             registry is configured as insecure on the nodes; check it with \
                             --plain-http"
                        ),
                    )
                } else {
                    ProbeResult::new(
                        Outcome::Unreachable,
                        format!("TLS handshake with {host} failed: {tls}"),
                    )
                }
            }
            Failure::Untrusted(reason) => ProbeResult::new(
                Outcome::TlsUntrusted,
                format!(
                    "{host}: {reason}: pass --ca-file with the registry's CA (the nodes must \
                     trust it too), or --insecure-skip-tls-verify"
                ),
            ),
            Failure::TimedOut => ProbeResult::new(
                Outcome::Unreachable,
                format!("no answer from {host} within {}s", self.timeout_secs),
            ),
            Failure::Other(cause) => ProbeResult::new(
                Outcome::Unreachable,
                format!("cannot reach {host}: {cause}"),
            ),
        }
    }

    /// Does `host` answer plain HTTP? Confirms that a TLS handshake met an HTTP server.
    async fn answers_plain_http(&self, host: &str) -> bool {
        let url = format!("http://{host}/v2/");
        self.send(Method::GET, &url, None, false).await.is_ok()
    }

    async fn send(
        &self,
        method: Method,
        url: &str,
        auth: Option<&HeaderValue>,
        manifest: bool,
    ) -> Result<Response, reqwest::Error> {
        let mut request = self.client.request(method.clone(), url);
        if let Some(auth) = auth {
            request = request.header(AUTHORIZATION, auth.clone());
        }
        if manifest {
            request = request.header(ACCEPT, MANIFEST_TYPES);
        }
        // The URL holds no secret (the token request carries only scope and service); the
        // Authorization header is never logged.
        let result = request.send().await;
        match &result {
            Ok(response) => tracing::debug!(
                %method,
                url,
                authorized = auth.is_some(),
                status = response.status().as_u16(),
                "registry request"
            ),
            Err(err) => tracing::debug!(
                %method,
                url,
                error = %crate::causes::chain(err),
                "registry request got no answer"
            ),
        }
        result
    }
}

/// The pull limit a manifest response states, if it states one (Docker Hub's `ratelimit-limit`
/// and `ratelimit-remaining`).
fn rate_limit_of(response: &Response) -> Option<RateLimit> {
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
    };
    RateLimit::from_headers(
        header(ratelimit::LIMIT_HEADER),
        header(ratelimit::REMAINING_HEADER),
    )
}

/// `Basic base64(user:password)`, marked sensitive so no Debug output shows it.
fn basic_header(credentials: &Credentials) -> HeaderValue {
    let encoded = basic_auth(&credentials.username, &credentials.password);
    let value = Zeroizing::new(format!("Basic {}", encoded.as_str()));
    sensitive(&value).unwrap_or_else(|| HeaderValue::from_static("Basic"))
}

/// The `Bearer` header from a token response (`token`, or OAuth2's `access_token`).
fn token_header(body: &[u8]) -> Option<HeaderValue> {
    // Token services often send both fields, with the same token: both are wiped.
    #[derive(Deserialize)]
    struct TokenResponse {
        #[serde(default, deserialize_with = "crate::dockerconfig::wiped_option")]
        token: Option<Zeroizing<String>>,
        #[serde(default, deserialize_with = "crate::dockerconfig::wiped_option")]
        access_token: Option<Zeroizing<String>>,
    }
    let parsed: TokenResponse = serde_json::from_slice(body).ok()?;
    let token = parsed.token.or(parsed.access_token)?;
    if token.is_empty() {
        return None;
    }
    sensitive(&Zeroizing::new(format!("Bearer {}", token.as_str())))
}

fn sensitive(value: &str) -> Option<HeaderValue> {
    let mut header = HeaderValue::from_str(value).ok()?;
    header.set_sensitive(true);
    Some(header)
}

/// Reads a response body up to [`MAX_ERROR_BODY`]; a broken body reads as what arrived. It
/// may be a token: read into a buffer allocated once (a growing one leaves copies behind)
/// and wiped when dropped.
async fn read_capped(mut response: Response) -> Zeroizing<Vec<u8>> {
    let mut body = Zeroizing::new(Vec::with_capacity(MAX_ERROR_BODY));
    while let Ok(Some(chunk)) = response.chunk().await {
        let room = MAX_ERROR_BODY - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= MAX_ERROR_BODY {
            break;
        }
    }
    body
}

/// `CODE: message` of the first error in a distribution-spec error body.
fn error_summary(body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct Envelope {
        errors: Vec<ErrorEntry>,
    }
    #[derive(Deserialize)]
    struct ErrorEntry {
        code: String,
        #[serde(default)]
        message: String,
    }
    let envelope: Envelope = serde_json::from_slice(body).ok()?;
    let first = envelope.errors.into_iter().next()?;
    let message: String = first.message.chars().take(200).collect();
    Some(if message.is_empty() {
        first.code
    } else {
        format!("{}: {message}", first.code)
    })
}

/// `401 Unauthorized`
fn status_text(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

/// Belt and braces: no text we show may hold the password, whatever a server echoed.
/// Very short passwords are left alone: replacing them would garble the text and still tell.
fn redact(text: &mut String, credentials: Option<&Credentials>) {
    if let Some(credentials) = credentials
        && credentials.password.len() >= 4
        && text.contains(credentials.password.as_str())
    {
        *text = text.replace(credentials.password.as_str(), "<redacted>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(user: &str, password: &str) -> Credentials {
        Credentials {
            username: user.into(),
            password: Zeroizing::new(password.into()),
            email: None,
        }
    }

    #[test]
    fn error_bodies_give_their_first_code() {
        let body = br#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"9.9"}}]}"#;
        assert_eq!(
            error_summary(body).as_deref(),
            Some("MANIFEST_UNKNOWN: manifest unknown")
        );
        assert_eq!(
            error_summary(br#"{"errors":[{"code":"DENIED"}]}"#).as_deref(),
            Some("DENIED")
        );
        assert_eq!(error_summary(b"<html>502 Bad Gateway</html>"), None);
        assert_eq!(error_summary(br#"{"errors":[]}"#), None);
    }

    #[test]
    fn authorization_headers_are_sensitive_and_never_shown() {
        use crate::dockerconfig::shows_secret;
        const PASSWORD: &str = "Unit-Sentinel-Pa55word-1d4c9e02";
        const TOKEN: &str = "Unit-Sentinel-T0ken-5b8a6f31";
        let basic = basic_header(&creds("u", PASSWORD));
        let bearer =
            token_header(format!(r#"{{"token":"{TOKEN}","access_token":"{TOKEN}"}}"#).as_bytes())
                .unwrap();
        assert!(basic.is_sensitive() && bearer.is_sensitive());
        assert_eq!(bearer.to_str().unwrap(), format!("Bearer {TOKEN}"));
        for shown in [format!("{basic:?}"), format!("{bearer:?}")] {
            assert!(
                !shows_secret(&shown, PASSWORD) && !shows_secret(&shown, TOKEN),
                "{shown}"
            );
        }
    }

    #[test]
    fn tokens_come_from_token_or_access_token() {
        let header = token_header(br#"{"token":"abc","expires_in":300}"#).unwrap();
        assert_eq!(header.to_str().unwrap(), "Bearer abc");
        assert!(header.is_sensitive());
        let oauth = token_header(br#"{"access_token":"xyz"}"#).unwrap();
        assert_eq!(oauth.to_str().unwrap(), "Bearer xyz");
        assert!(token_header(br#"{"token":""}"#).is_none());
        assert!(token_header(b"{}").is_none());
        assert!(token_header(b"not json").is_none());
    }

    #[test]
    fn basic_headers_are_sensitive() {
        let header = basic_header(&creds("user", "pa:ss"));
        assert_eq!(header.to_str().unwrap(), "Basic dXNlcjpwYTpzcw==");
        assert!(header.is_sensitive());
        assert!(!format!("{header:?}").contains("dXNlcjpwYTpzcw"));
    }

    #[test]
    fn passwords_are_redacted_from_details() {
        let mut text = "server said: hunter22 is wrong".to_string();
        redact(&mut text, Some(&creds("u", "hunter22")));
        assert_eq!(text, "server said: <redacted> is wrong");
        let mut short = "a b c".to_string();
        redact(&mut short, Some(&creds("u", "a")));
        assert_eq!(short, "a b c");
    }

    #[test]
    fn statuses_read_with_their_reason() {
        assert_eq!(status_text(StatusCode::UNAUTHORIZED), "401 Unauthorized");
        assert_eq!(status_text(StatusCode::from_u16(599).unwrap()), "599");
    }
}
