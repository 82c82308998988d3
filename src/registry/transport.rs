//! The HTTP client a probe talks through, and what a failed connection means for a pull.

use std::error::Error as StdError;
use std::path::Path;
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};

use super::{ProbeOptions, RegistryError};

/// Builds the one client a probe uses: HTTP/1.1, rustls with ring (as kube), the system's
/// CA certificates plus `--ca-file`, or no verification at all with `--insecure-skip-tls-verify`.
pub(super) fn build_client(options: &ProbeOptions) -> Result<reqwest::Client, RegistryError> {
    let tls = tls_config(options)?;
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .connect_timeout(options.timeout)
        .timeout(options.timeout)
        .user_agent(concat!("kubectl-regcred/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|source| RegistryError::Client { source })
}

fn tls_config(options: &ProbeOptions) -> Result<rustls::ClientConfig, RegistryError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| RegistryError::Tls {
            reason: e.to_string(),
        })?
        .dangerous();
    let verifier: Arc<dyn ServerCertVerifier> = if options.insecure_skip_tls_verify {
        Arc::new(WithoutCa {
            provider,
            accept_any: true,
        })
    } else {
        let mut roots = RootCertStore::empty();
        if let Some(path) = &options.ca_file {
            for cert in load_ca_file(path)? {
                roots.add(cert).map_err(|e| RegistryError::CaFileContent {
                    path: path.clone(),
                    reason: format!("a certificate that cannot be used as a CA: {e}"),
                })?;
            }
        }
        // As containerd: the system's CA certificates (SSL_CERT_FILE and SSL_CERT_DIR
        // respected); unreadable ones are skipped, as a runtime skips them.
        let system = rustls_native_certs::load_native_certs();
        let (added, ignored) = roots.add_parsable_certificates(system.certs);
        tracing::debug!(added, ignored, "system CA certificates loaded");
        if roots.is_empty() {
            // Nothing to trust: every certificate is refused, as by a runtime without CAs.
            Arc::new(WithoutCa {
                provider,
                accept_any: false,
            })
        } else {
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|e| RegistryError::Tls {
                    reason: e.to_string(),
                })?
        }
    };
    let mut config = builder
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// The certificates of a PEM file, for `--ca-file`.
pub(super) fn load_ca_file(path: &Path) -> Result<Vec<CertificateDer<'static>>, RegistryError> {
    let bytes = std::fs::read(path).map_err(|source| RegistryError::CaFile {
        path: path.to_path_buf(),
        source,
    })?;
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<_, _>>()
        .map_err(|e| RegistryError::CaFileContent {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
    if certs.is_empty() {
        return Err(RegistryError::CaFileContent {
            path: path.to_path_buf(),
            reason: "no PEM certificate (-----BEGIN CERTIFICATE-----) in it".into(),
        });
    }
    Ok(certs)
}

/// Certificates judged without a CA: `--insecure-skip-tls-verify` accepts any (`accept_any`);
/// with no CA to trust at all, every one is from an unknown authority. Handshake signatures are
/// checked either way.
#[derive(Debug)]
struct WithoutCa {
    provider: Arc<CryptoProvider>,
    accept_any: bool,
}

impl WithoutCa {
    fn algorithms(&self) -> &WebPkiSupportedAlgorithms {
        &self.provider.signature_verification_algorithms
    }
}

impl ServerCertVerifier for WithoutCa {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self.accept_any {
            true => Ok(ServerCertVerified::assertion()),
            false => Err(rustls::Error::InvalidCertificate(
                CertificateError::UnknownIssuer,
            )),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, self.algorithms())
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, self.algorithms())
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms().supported_schemes()
    }
}

/// What a request that got no HTTP answer means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Failure {
    /// The TLS handshake got bytes that are not TLS (perhaps `HTTP/1.1 400`): a plain-HTTP
    /// server, to be confirmed by asking it over HTTP.
    NotTls(String),
    /// The server's certificate was refused.
    Untrusted(String),
    /// No answer in time.
    TimedOut,
    /// Anything else: DNS, refused connection, reset, other TLS failures.
    Other(String),
}

/// Classifies a transport error by the typed errors in its chain, never by message text.
pub(super) fn classify(err: &reqwest::Error) -> Failure {
    if let Some(tls) = find_rustls_error(err) {
        return match tls {
            rustls::Error::InvalidMessage(_) => Failure::NotTls(tls.to_string()),
            rustls::Error::InvalidCertificate(cert) => {
                Failure::Untrusted(describe_certificate(cert))
            }
            other => Failure::Other(format!("TLS handshake failed: {other}")),
        };
    }
    if err.is_timeout() || has_io_kind(err, std::io::ErrorKind::TimedOut) {
        return Failure::TimedOut;
    }
    Failure::Other(cause_text(err))
}

/// The rustls error in a chain. `io::Error::source()` skips the error it wraps, so wrapped
/// errors are looked into with `get_ref()`.
fn find_rustls_error<'a>(err: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        if let Some(inner) = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            && let Some(tls) = find_rustls_error(inner)
        {
            return Some(tls);
        }
        current = e.source();
    }
    None
}

fn has_io_kind(err: &(dyn StdError + 'static), kind: std::io::ErrorKind) -> bool {
    let mut current = Some(err);
    while let Some(e) = current {
        if e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == kind)
        {
            return true;
        }
        current = e.source();
    }
    false
}

/// The causes below reqwest's "error sending request for url (...)", each once.
fn cause_text(err: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = err.source();
    while let Some(e) = current {
        let text = e.to_string();
        // hyper's wrappers ("client error (Connect)") say nothing a user can act on.
        if !text.starts_with("client error (") && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    if parts.is_empty() {
        err.to_string()
    } else {
        parts.join(": ")
    }
}

/// A certificate refusal in the words runtimes use.
fn describe_certificate(err: &CertificateError) -> String {
    match err {
        CertificateError::UnknownIssuer => "certificate signed by an unknown authority".into(),
        CertificateError::NotValidForName => "certificate is not valid for this host name".into(),
        CertificateError::NotValidForNameContext {
            expected,
            presented,
        } => format!(
            "certificate is valid for {}, not {}",
            presented.join(", "),
            expected.to_str()
        ),
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            "certificate has expired".into()
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            "certificate is not valid yet".into()
        }
        other => format!("invalid certificate: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapped(tls: rustls::Error) -> Box<dyn StdError + Send + Sync> {
        // As tokio-rustls and hyper-util hand it on: an io::Error wrapping the rustls error.
        Box::new(std::io::Error::other(tls))
    }

    #[test]
    fn rustls_errors_are_found_inside_io_errors() {
        let err = wrapped(rustls::Error::InvalidMessage(
            rustls::InvalidMessage::InvalidContentType,
        ));
        let found = find_rustls_error(err.as_ref());
        assert!(matches!(
            found,
            Some(rustls::Error::InvalidMessage(
                rustls::InvalidMessage::InvalidContentType
            ))
        ));
        let plain = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert!(find_rustls_error(&plain).is_none());
        assert!(has_io_kind(&plain, std::io::ErrorKind::ConnectionRefused));
    }

    #[test]
    fn certificate_errors_read_like_runtime_messages() {
        assert_eq!(
            describe_certificate(&CertificateError::UnknownIssuer),
            "certificate signed by an unknown authority"
        );
        assert_eq!(
            describe_certificate(&CertificateError::Expired),
            "certificate has expired"
        );
        let mismatch = CertificateError::NotValidForNameContext {
            expected: ServerName::try_from("registry.example").unwrap(),
            presented: vec!["DnsName(\"other.example\")".into()],
        };
        assert!(describe_certificate(&mismatch).contains("registry.example"));
    }

    #[test]
    fn missing_and_empty_ca_files_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.pem");
        let err = load_ca_file(&missing).unwrap_err();
        assert!(err.to_string().contains("missing.pem"), "{err}");
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let err = load_ca_file(&empty).unwrap_err();
        assert!(err.to_string().contains("empty.pem"), "{err}");
        assert!(err.is_usage());
    }
}
