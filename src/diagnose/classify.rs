//! Classifies image-pull failure texts into a stable [`Cause`].
//!
//! A pull failure reaches us wrapped in up to three layers: the kubelet's own words
//! (`Failed to pull image "x": ...`, `Back-off pulling image "x"`, its `ErrImageNeverPull`
//! and `InvalidImageName` messages), the CRI runtime's (containerd, CRI-O through
//! containers/image, dockerd behind dockershim) and, innermost, the registry's error body.
//! Only the innermost part says what went wrong and each runtime words it differently, so
//! the rules look for that part anywhere in the text, ignoring ASCII case, and the first rule
//! of [`RULES`] that matches any line of any message decides. The container's waiting reason
//! only decides when no text does.
//!
//! `tests/data/pull-errors.tsv` holds real messages of each runtime with their expected
//! cause; the unit tests classify all of them.
//!
//! Pure: no I/O, no async, no cluster.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::dockerconfig::DOCKER_HUB_ALIASES;

/// Evidence longer than this many characters is cut (and ends in `…`), so that one huge
/// event cannot flood a report.
pub const MAX_EVIDENCE_CHARS: usize = 2000;

/// Longer candidates are not taken for an image reference: the distribution spec caps a
/// repository name at 255 characters, and a host, tag or digest adds less than 200.
const MAX_IMAGE_CHARS: usize = 512;

/// Longest host name DNS allows, plus room for `:port`.
const MAX_HOST_CHARS: usize = 253 + 6;

/// Why an image pull failed.
///
/// The serialised names (`auth_failed`, ...) are part of the JSON output (`cause`) and are
/// never renamed; new causes may be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// The registry refused the credentials sent, or wanted some and got none (401/403).
    AuthFailed,
    /// The credentials are a token that has expired (ECR's last 12 hours).
    TokenExpired,
    /// The repository exists but the tag, digest or manifest does not.
    NotFound,
    /// The repository does not exist or may not be read without credentials; registries
    /// (Docker Hub first) answer both the same way so as not to reveal private names.
    RepoDeniedOrMissing,
    /// The registry is rate-limiting pulls (HTTP 429, Docker Hub's `toomanyrequests`).
    RateLimited,
    /// A plain-HTTP registry or proxy was addressed over HTTPS.
    HttpToHttps,
    /// The registry's certificate is signed by an authority the node does not trust.
    TlsUntrusted,
    /// The registry's certificate names other hosts than the one dialled.
    TlsNameMismatch,
    /// The registry's certificate has expired or is not yet valid.
    TlsExpired,
    /// The registry's host name did not resolve.
    DnsFailure,
    /// Connecting to or hearing back from the registry timed out, or the network path is
    /// blocked.
    NetworkTimeout,
    /// The registry's address refused the TCP connection.
    ConnectionRefused,
    /// The image reference is malformed (`InvalidImageName`).
    InvalidReference,
    /// CRI-O would not pick a registry for a short name such as `nginx`.
    ShortNameUnresolved,
    /// `imagePullPolicy: Never` and the image is not on the node (`ErrImageNeverPull`).
    NeverPullAbsent,
    /// The image has no variant for the node's OS and architecture.
    PlatformMismatch,
    /// The registry answered with a 5xx status or is unavailable (`RegistryUnavailable`).
    RegistryUnavailable,
    /// The runtime could not inspect the image it holds (`ImageInspectError`): a node
    /// problem, not a registry one.
    ImageInspectFailed,
    /// No rule matched; the evidence quotes the raw text.
    Unknown,
}

impl Cause {
    /// Every cause, in declaration order.
    pub const ALL: [Cause; 19] = [
        Cause::AuthFailed,
        Cause::TokenExpired,
        Cause::NotFound,
        Cause::RepoDeniedOrMissing,
        Cause::RateLimited,
        Cause::HttpToHttps,
        Cause::TlsUntrusted,
        Cause::TlsNameMismatch,
        Cause::TlsExpired,
        Cause::DnsFailure,
        Cause::NetworkTimeout,
        Cause::ConnectionRefused,
        Cause::InvalidReference,
        Cause::ShortNameUnresolved,
        Cause::NeverPullAbsent,
        Cause::PlatformMismatch,
        Cause::RegistryUnavailable,
        Cause::ImageInspectFailed,
        Cause::Unknown,
    ];

    /// The stable snake_case name, as serialised.
    pub const fn as_str(self) -> &'static str {
        match self {
            Cause::AuthFailed => "auth_failed",
            Cause::TokenExpired => "token_expired",
            Cause::NotFound => "not_found",
            Cause::RepoDeniedOrMissing => "repo_denied_or_missing",
            Cause::RateLimited => "rate_limited",
            Cause::HttpToHttps => "http_to_https",
            Cause::TlsUntrusted => "tls_untrusted",
            Cause::TlsNameMismatch => "tls_name_mismatch",
            Cause::TlsExpired => "tls_expired",
            Cause::DnsFailure => "dns_failure",
            Cause::NetworkTimeout => "network_timeout",
            Cause::ConnectionRefused => "connection_refused",
            Cause::InvalidReference => "invalid_reference",
            Cause::ShortNameUnresolved => "short_name_unresolved",
            Cause::NeverPullAbsent => "never_pull_absent",
            Cause::PlatformMismatch => "platform_mismatch",
            Cause::RegistryUnavailable => "registry_unavailable",
            Cause::ImageInspectFailed => "image_inspect_failed",
            Cause::Unknown => "unknown",
        }
    }

    /// One or two plain sentences for a person: what happened and where to look.
    pub const fn summary(self) -> &'static str {
        match self {
            Cause::AuthFailed => {
                "The registry refused the credentials, or none were sent: check that a pull \
                 secret for this registry is attached and that its account may read the repository."
            }
            Cause::TokenExpired => {
                "The registry token in the pull secret has expired (ECR tokens last 12 hours): \
                 refresh the secret."
            }
            Cause::NotFound => {
                "The registry has no such tag or digest for this repository: check the image tag."
            }
            Cause::RepoDeniedOrMissing => {
                "The repository does not exist, or it is private and the pull had no credentials \
                 that may read it: check the image name and the pull secret."
            }
            Cause::RateLimited => {
                "The registry is rate-limiting pulls (Docker Hub limits anonymous pulls): pull \
                 with credentials or from a mirror."
            }
            Cause::HttpToHttps => {
                "The registry (or a proxy) speaks plain HTTP but was addressed over HTTPS: serve \
                 TLS, or mark the registry insecure in the node's container runtime."
            }
            Cause::TlsUntrusted => {
                "The registry's TLS certificate is signed by an authority the node does not \
                 trust: add that CA to the node's container runtime."
            }
            Cause::TlsNameMismatch => {
                "The registry's TLS certificate is for another host name, often because a proxy \
                 intercepts TLS: fix the certificate or the host name."
            }
            Cause::TlsExpired => {
                "The registry's TLS certificate has expired or is not valid yet (or the node's \
                 clock is wrong)."
            }
            Cause::DnsFailure => {
                "The node could not resolve the registry's host name: check the name and the \
                 node's DNS."
            }
            Cause::NetworkTimeout => {
                "Reaching the registry timed out: a firewall, proxy or slow link between the node \
                 and the registry."
            }
            Cause::ConnectionRefused => {
                "The registry's address refused the connection: nothing listens on that host and \
                 port."
            }
            Cause::InvalidReference => {
                "The image reference is malformed (upper case, a URL scheme, a stray character): \
                 fix the image field."
            }
            Cause::ShortNameUnresolved => {
                "The container runtime will not guess a registry for a short image name: write \
                 the full name, such as docker.io/library/nginx."
            }
            Cause::NeverPullAbsent => {
                "imagePullPolicy is Never and the image is not on the node: load it onto the node \
                 or allow pulls."
            }
            Cause::PlatformMismatch => {
                "The image has no variant for the node's operating system and CPU architecture."
            }
            Cause::RegistryUnavailable => {
                "The registry answered with a server error or is unavailable: retry later, or \
                 check the registry."
            }
            Cause::ImageInspectFailed => {
                "The node's container runtime could not inspect its own copy of the image: a \
                 problem with the node's image storage, not with the registry."
            }
            Cause::Unknown => "The failure matched no known pattern: read the evidence.",
        }
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not one of [`Cause::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown image-pull cause {0:?}")]
pub struct UnknownCause(pub String);

impl FromStr for Cause {
    type Err = UnknownCause;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Cause::ALL
            .into_iter()
            .find(|cause| cause.as_str() == name)
            .ok_or_else(|| UnknownCause(name.to_string()))
    }
}

/// What [`classify`] concluded, and from which text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Classification {
    /// Why the pull failed.
    pub cause: Cause,
    /// [`Cause::summary`], for the reader.
    pub summary: &'static str,
    /// The registry host, lower-cased, Docker Hub as `docker.io`, when the text shows it.
    pub registry: Option<String>,
    /// The image reference as the text quotes it (the kubelet's spelling first).
    pub image: Option<String>,
    /// The line that decided, trimmed; for [`Cause::Unknown`] the raw failure text. At most
    /// [`MAX_EVIDENCE_CHARS`] characters.
    pub evidence: String,
}

/// Fragments that must all occur in one lower-cased line, in this order.
type Pattern = &'static [&'static str];

/// One cause and the texts that show it.
struct Rule {
    cause: Cause,
    patterns: &'static [Pattern],
}

/// The rules, most specific first: the first that matches any line wins.
///
/// The order settles texts that show two things. The kubelet's own messages come first;
/// then texts naming a cause outright (platform, rate limit, expired token) before the
/// transport errors they may wrap; DNS before timeouts and refusals, since a failed lookup
/// also times out or is refused; network errors before the `401` of the token fetch they
/// interrupted; credentials named outright before "pull access denied", which containerd
/// wraps around every 401; repository and tag misses before a bare 401/403, because the
/// kubelet joins one error per pull secret and the miss is what the secret that worked saw;
/// a transfer that broke mid-way after all of those, since only a text naming nothing more
/// specific is about the connection itself; bare 5xx last, because dockerd wraps everything
/// in `HTTP code 500`-style envelopes.
const RULES: &[Rule] = &[
    Rule {
        cause: Cause::NeverPullAbsent,
        patterns: &[
            &["is not present with pull policy of never"],
            &["errimageneverpull"],
        ],
    },
    Rule {
        cause: Cause::InvalidReference,
        patterns: &[
            &["failed to apply default image tag"],
            &["couldn't parse image reference"],
            &["couldn't parse image name"],
            &["invalid reference format"],
            // The waiting reason itself, where a text has nothing else: the STATUS column of
            // `kubectl get pods` (`Init:InvalidImageName`), the kubelet's `Error:
            // InvalidImageName` event. The kubelet sets it only for a reference that does not
            // parse.
            &["invalidimagename"],
        ],
    },
    Rule {
        cause: Cause::ShortNameUnresolved,
        patterns: &[
            &["did not resolve to an alias"],
            &["no unqualified-search registries"],
            &["no registries configured while trying to pull an unqualified image"],
            &["short-name resolution enforced"],
        ],
    },
    // Before NotFound: containerd ends its platform misses in `: not found` (errdefs'
    // NotFound, also the gRPC code), as in `no match for platform in manifest: not found`.
    Rule {
        cause: Cause::PlatformMismatch,
        patterns: &[
            &["no match for platform in manifest"],
            // containerd 1.1 to 1.2 named the platform it wanted.
            &["no match for current platform"],
            &["no matching manifest for"],
            &["does not match the specified platform"],
            // containers/image: "in manifest list", and since v5.x "in image index".
            &["no image found in ", " for architecture"],
            &["image architecture mismatch"],
            // dockerd: a Linux image on a Windows daemon, or the other way round.
            &[
                "image operating system ",
                " cannot be used on this platform",
            ],
        ],
    },
    Rule {
        cause: Cause::RateLimited,
        patterns: &[
            &["toomanyrequests"],
            &["too many requests"],
            &["pull rate limit"],
            &["rate limit exceeded"],
        ],
    },
    Rule {
        cause: Cause::TokenExpired,
        patterns: &[
            &["token has expired"],
            &["token expired"],
            &["token is expired"],
            &["expiredtoken"],
        ],
    },
    Rule {
        cause: Cause::HttpToHttps,
        patterns: &[
            &["server gave http response to https client"],
            &["first record does not look like a tls handshake"],
        ],
    },
    Rule {
        cause: Cause::TlsNameMismatch,
        patterns: &[
            &["certificate is valid for"],
            &["certificate is not valid for any names"],
            &["doesn't contain any ip sans"],
            &["relies on legacy common name field"],
        ],
    },
    Rule {
        cause: Cause::TlsExpired,
        patterns: &[&["certificate has expired"]],
    },
    Rule {
        cause: Cause::TlsUntrusted,
        patterns: &[
            &["certificate signed by unknown authority"],
            &["unable to get local issuer certificate"],
            &["self signed certificate"],
            &["self-signed certificate"],
            &["certificate is not trusted"],
        ],
    },
    Rule {
        cause: Cause::DnsFailure,
        patterns: &[
            &["no such host"],
            &["server misbehaving"],
            &["temporary failure in name resolution"],
            &["name or service not known"],
            &["dial tcp: lookup "],
            &["lookup ", " on ", ":53:"],
        ],
    },
    Rule {
        cause: Cause::ConnectionRefused,
        patterns: &[&["connection refused"]],
    },
    Rule {
        cause: Cause::NetworkTimeout,
        patterns: &[
            &["i/o timeout"],
            &["context deadline exceeded"],
            &["deadlineexceeded"],
            &["client.timeout exceeded"],
            &["connection timed out"],
            &["tls handshake timeout"],
            &["timeout awaiting response headers"],
            // Also the bare `net/http: request canceled` of a pull that dockershim cancelled
            // for making no progress.
            &["request canceled"],
            &["no route to host"],
            &["network is unreachable"],
            // The kubelet or containerd gave up on a pull that made no progress: containerd
            // logs `cancel pulling image x because of no progress in 1m0s` and the pull ends
            // in `context canceled`. A timeout on the transfer, not a registry answer.
            &["context canceled"],
            &["because of no progress"],
        ],
    },
    Rule {
        cause: Cause::AuthFailed,
        patterns: &[
            &["no basic auth credentials"],
            &["invalid_token"],
            &["incorrect username or password"],
            &["invalid username/password"],
            &["security token included in the request is invalid"],
            &["cannot be authenticated with the token provided"],
        ],
    },
    Rule {
        cause: Cause::RepoDeniedOrMissing,
        patterns: &[
            &["pull access denied"],
            &["repository does not exist"],
            &["requested access to the resource is denied"],
            &["does not exist or no pull access"],
            &["repository name not known to registry"],
            &["name unknown"],
            &["insufficient_scope"],
            // Google's registries: "Permission ... denied on resource ... (or it may not exist)".
            &["or it may not exist"],
            &["or the resource may not exist"],
            // Docker up to 1.12 (and the kubelet relaying it): `Error: image x not found`
            // when the repository is missing or private and the pull had no credentials.
            &["error: image ", " not found"],
            // gcr.io through the v1 protocol: "... please verify that it exists and you have
            // permission to access it".
            &["please verify that it exists and you have permission"],
        ],
    },
    Rule {
        cause: Cause::NotFound,
        patterns: &[
            &["manifest unknown"],
            &["manifest for ", " not found"],
            &["blob unknown"],
            &["from remote: not found"],
            &["code = notfound"],
            &["artifact ", " not found"],
            // Docker's v1 protocol read the repository's tags and the tag was not among them;
            // the old kubelet's "this may be because there are no credentials" around it is a
            // guess it added to any error for a named registry it had no credentials for.
            &["tag ", " not found in repository"],
            // containerd: `failed to resolve reference "x": x: not found`.
            &[": not found"],
        ],
    },
    Rule {
        cause: Cause::AuthFailed,
        patterns: &[
            &["unauthorized"],
            &["unauthenticated"],
            &["authentication required"],
            &["authorization failed"],
            &["forbidden"],
            &["status: 401"],
            &["status: 403"],
            // containerd, when the registry sent no reason phrase: `unexpected status from
            // GET request to https://.../token?...: 401 `.
            &["unexpected status from ", ": 401"],
            &["unexpected status from ", ": 403"],
            // Docker's v1 protocol.
            &["authentication is required"],
            &["does not match bearer token resource"],
            &["denied on resource"],
            &["denied: denied"],
        ],
    },
    // A transfer that broke mid-way: the connection dropped or the body ended early. Here,
    // after every rule a registry's answer matches, so that `httpReadSeeker: failed open:
    // ... 429 Too Many Requests` stays rate_limited and `... 401 Unauthorized` auth_failed;
    // what is left is the network between the node and the registry (or a proxy on it).
    // Not a bare `EOF`: dockerd also says that when it dies.
    Rule {
        cause: Cause::NetworkTimeout,
        patterns: &[
            &["unexpected eof"],
            &["connection reset by peer"],
            // containerd: the request got no answer at all, `failed to do request: Get
            // "https://...": EOF`.
            &["failed to do request: ", ": eof"],
        ],
    },
    Rule {
        cause: Cause::RegistryUnavailable,
        patterns: &[
            &["500 internal server error"],
            &["502 bad gateway"],
            &["503 service unavailable"],
            &["504 gateway timeout"],
            &["(internal server error)"],
            &["(bad gateway)"],
            &["(service unavailable)"],
            &["(gateway timeout)"],
            &["because the registry is unavailable"],
            &["registryunavailable"],
        ],
    },
    Rule {
        cause: Cause::ImageInspectFailed,
        // The waiting reason itself, as `kubectl get pods` shows it, too.
        patterns: &[&["failed to inspect image"], &["imageinspecterror"]],
    },
];

/// Waiting reasons that name a cause by themselves, for when no text does.
const REASON_CAUSES: &[(&str, Cause)] = &[
    ("InvalidImageName", Cause::InvalidReference),
    ("ErrImageNeverPull", Cause::NeverPullAbsent),
    ("RegistryUnavailable", Cause::RegistryUnavailable),
    ("ImageInspectError", Cause::ImageInspectFailed),
];

/// Classifies one container's pull failure.
///
/// `reason` is the container's waiting reason (`ErrImagePull`, `ImagePullBackOff`,
/// `InvalidImageName`, ...); `messages` are its waiting message and the texts of its
/// kubelet events, in any order. Never fails: what matches nothing is [`Cause::Unknown`].
///
/// ```
/// use kubectl_regcred::diagnose::{Cause, classify};
///
/// let c = classify(
///     Some("ImagePullBackOff"),
///     &[
///         r#"Back-off pulling image "ghcr.io/acme/app:1.2""#,
///         r#"Failed to pull image "ghcr.io/acme/app:1.2": rpc error: code = Unknown desc = failed to pull and unpack image "ghcr.io/acme/app:1.2": failed to resolve reference "ghcr.io/acme/app:1.2": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized"#,
///     ],
/// );
/// assert_eq!(c.cause, Cause::AuthFailed);
/// assert_eq!(c.registry.as_deref(), Some("ghcr.io"));
/// assert_eq!(c.image.as_deref(), Some("ghcr.io/acme/app:1.2"));
/// ```
pub fn classify<S: AsRef<str>>(reason: Option<&str>, messages: &[S]) -> Classification {
    let lines = lines_of(messages.iter().map(AsRef::as_ref));
    let image = image_in_lines(&lines);
    let registry = image
        .as_deref()
        .and_then(registry_of)
        .or_else(|| registry_in_lines(&lines));
    let (cause, evidence) = decide(reason, messages, &lines);
    Classification {
        cause,
        summary: cause.summary(),
        registry,
        image,
        evidence: capped(evidence),
    }
}

/// The image reference a failure text names, if any.
///
/// Reads the kubelet's quoting first (`Failed to pull image "x"`, `Back-off pulling image
/// "x"`, `Container image "x"`), then the runtimes' (`failed to pull and unpack image "x"`,
/// `docker://x`, `pull access denied for x`).
pub fn image_reference_in(text: &str) -> Option<String> {
    image_in_lines(&lines_of([text]))
}

/// The registry host an image reference names, lower-cased, Docker Hub as `docker.io`.
///
/// As Docker decides it: the first path component is a host when it contains `.` or `:` or
/// is `localhost`; otherwise the image lives on Docker Hub. A scheme someone wrongly wrote
/// in front is ignored.
///
/// ```
/// use kubectl_regcred::diagnose::registry_of;
/// assert_eq!(registry_of("nginx:1.27").as_deref(), Some("docker.io"));
/// assert_eq!(registry_of("bitnami/redis").as_deref(), Some("docker.io"));
/// assert_eq!(registry_of("Quay.io/acme/app@sha256:abcd").as_deref(), Some("quay.io"));
/// assert_eq!(registry_of("localhost:5000/app").as_deref(), Some("localhost:5000"));
/// ```
pub fn registry_of(image: &str) -> Option<String> {
    let image = image.trim();
    let image = strip_prefix_ignore_case(image, "docker://").unwrap_or(image);
    let image = strip_prefix_ignore_case(image, "https://")
        .or_else(|| strip_prefix_ignore_case(image, "http://"))
        .unwrap_or(image);
    match image.split_once('/') {
        Some((first, _))
            if first.eq_ignore_ascii_case("localhost") || first.contains(['.', ':']) =>
        {
            normalized_host(first)
        }
        Some(("", _)) => None,
        _ if is_repository_path(image) => Some("docker.io".to_string()),
        _ => None,
    }
}

/// The registry host a failure text shows, from registry URLs (`https://host/v2/...`),
/// `pinging container registry host`, `pulling from host host`, `reading manifest t in
/// host/repo` or `dial tcp: lookup host`. Lower-cased, Docker Hub as `docker.io`.
pub fn registry_host_in(text: &str) -> Option<String> {
    registry_in_lines(&lines_of([text]))
}

/// One non-empty line of a message, and its ASCII-lower-cased copy to match on. ASCII
/// lower-casing keeps byte offsets, so a match in `lower` slices `text` at the same place.
struct Line<'a> {
    text: &'a str,
    lower: String,
}

fn lines_of<'a>(messages: impl IntoIterator<Item = &'a str>) -> Vec<Line<'a>> {
    messages
        .into_iter()
        .flat_map(str::lines)
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|text| Line {
            text,
            lower: text.to_ascii_lowercase(),
        })
        .collect()
}

/// The deciding cause and its evidence (not yet capped).
fn decide<S: AsRef<str>>(
    reason: Option<&str>,
    messages: &[S],
    lines: &[Line<'_>],
) -> (Cause, String) {
    for rule in RULES {
        let hit = lines.iter().find(|line| {
            rule.patterns
                .iter()
                .any(|pattern| matches_in_order(&line.lower, pattern))
        });
        if let Some(line) = hit {
            return (rule.cause, line.text.to_string());
        }
    }
    let reason = reason.map(str::trim).filter(|reason| !reason.is_empty());
    if let Some(reason) = reason
        && let Some((_, cause)) = REASON_CAUSES
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(reason))
    {
        return (*cause, reason.to_string());
    }
    let raw = raw_failure_text(messages.iter().map(AsRef::as_ref))
        .or(reason)
        .unwrap_or_default();
    (Cause::Unknown, raw.to_string())
}

/// Whether each fragment occurs in `lower`, each after the previous one.
fn matches_in_order(lower: &str, pattern: Pattern) -> bool {
    let mut rest = lower;
    for fragment in pattern {
        match rest.find(fragment) {
            // A found fragment ends on a char boundary, so the slice is sound.
            Some(at) => rest = &rest[at + fragment.len()..],
            None => return false,
        }
    }
    true
}

/// The text to quote when nothing matched: the longest message that reads like an error,
/// because the waiting message is often only `Back-off pulling image "x"` and the events
/// include a bare `Error: ErrImagePull` beside the one that tells more.
fn raw_failure_text<'a>(messages: impl Iterator<Item = &'a str> + Clone) -> Option<&'a str> {
    let non_empty = messages.map(str::trim).filter(|text| !text.is_empty());
    non_empty
        .clone()
        .filter(|text| {
            let lower = text.to_ascii_lowercase();
            lower.contains("fail") || lower.contains("error")
        })
        // Not `max_by_key`: of equally long messages the first should win.
        .fold(None, |longest: Option<&str>, text| match longest {
            Some(longest) if longest.len() >= text.len() => Some(longest),
            _ => Some(text),
        })
        .or_else(|| non_empty.clone().next())
}

fn capped(mut text: String) -> String {
    if let Some((cut, _)) = text.char_indices().nth(MAX_EVIDENCE_CHARS) {
        text.truncate(cut);
        text.push('…');
    }
    text
}

/// When an unquoted word after an image marker is taken for an image.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unquoted {
    /// Only a quoted reference counts: the words after the marker are prose.
    Never,
    /// An unquoted word counts if it has a `/`, `:`, `@` or `.`, as a reference with a
    /// repository path, tag or digest has (`failed to pull image k8s.gcr.io/pause:3.1: ...`).
    IfQualified,
    /// Any word counts (`pull access denied for busybox, ...`).
    Always,
}

/// Where a text names the image, as `(lower-cased text before it, unquoted policy)`; the
/// kubelet's markers come first because they quote the image as the pod spec has it.
const IMAGE_MARKERS: &[(&str, Unquoted)] = &[
    ("failed to pull image ", Unquoted::IfQualified),
    ("back-off pulling image ", Unquoted::Never),
    ("pulling image ", Unquoted::Never),
    ("container image ", Unquoted::Never),
    ("failed to apply default image tag ", Unquoted::Never),
    ("failed to inspect image ", Unquoted::Never),
    ("image pull failed for ", Unquoted::IfQualified),
    ("pullimage ", Unquoted::Never),
    ("imagestatus ", Unquoted::Never),
    ("image=", Unquoted::Never),
    ("error pulling image ", Unquoted::Never),
    ("failed to pull and unpack image ", Unquoted::Never),
    ("failed to resolve reference ", Unquoted::Never),
    ("docker://", Unquoted::Always),
    // dockerd: `Error response from daemon: manifest for x:1 not found`; not the bare
    // "manifest for", which also starts "manifest for linux/amd64" in platform errors.
    ("daemon: manifest for ", Unquoted::IfQualified),
    ("pull access denied for ", Unquoted::Always),
];

fn image_in_lines(lines: &[Line<'_>]) -> Option<String> {
    IMAGE_MARKERS.iter().find_map(|&(marker, unquoted)| {
        lines.iter().find_map(|line| {
            occurrences(&line.lower, marker)
                .find_map(|at| reference_at(&line.text[at + marker.len()..], unquoted))
                .map(str::to_string)
        })
    })
}

/// Byte offsets of every occurrence of `needle` in `haystack`.
fn occurrences<'h>(haystack: &'h str, needle: &'h str) -> impl Iterator<Item = usize> + 'h {
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = from + haystack.get(from..)?.find(needle)?;
        from = at + needle.len().max(1);
        Some(at)
    })
}

/// A quote after at most this many backslashes opens a quoted reference: klog's `err="..."`
/// fields escape the quotes of the error once (`\"x\"`), and an error quoted inside
/// another error, as in the kubelet's `"Error syncing pod, skipping" err="failed to
/// \"StartContainer\" ... ErrImagePull: \"... image \\\"x\\\" ...\""`, escapes them
/// twice (three backslashes); seven is a third level.
const MAX_QUOTE_ESCAPES: usize = 7;

/// The reference at the start of `rest`: a quoted string (also with the quotes escaped, once
/// or more, as in klog's `err="..."` fields), or the unquoted word if `unquoted` allows it.
fn reference_at(rest: &str, unquoted: Unquoted) -> Option<&str> {
    // Counting at most MAX_QUOTE_ESCAPES backslashes keeps a text with thousands of
    // markers, each followed by a run of backslashes, linear.
    let escapes = rest
        .bytes()
        .take(MAX_QUOTE_ESCAPES)
        .take_while(|&byte| byte == b'\\')
        .count();
    // `escapes` counts ASCII bytes, so the slice is on a char boundary.
    let quoted = rest[escapes..].strip_prefix('"');
    // Looking no further than one reference can be long keeps a text with thousands of
    // markers linear.
    let candidate = match quoted {
        Some(body) => {
            let body = head(body, MAX_IMAGE_CHARS + 1);
            body[..body.find('"')?].trim_end_matches('\\')
        }
        None if unquoted == Unquoted::Never => return None,
        None => {
            let window = head(rest, MAX_IMAGE_CHARS + 1);
            let end = window
                .find(|c: char| c.is_whitespace() || matches!(c, '"' | ',' | ']'))
                .unwrap_or(window.len());
            let word = window[..end].trim_end_matches([':', '.', ';', ')']);
            if unquoted == Unquoted::IfQualified && !word.contains(['/', ':', '@', '.']) {
                return None;
            }
            word
        }
    };
    is_plausible_reference(candidate).then_some(candidate)
}

fn is_plausible_reference(candidate: &str) -> bool {
    !candidate.is_empty()
        && candidate.chars().count() <= MAX_IMAGE_CHARS
        && !candidate
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\\'))
}

/// Whether `path` may be a Docker Hub repository (with tag or digest): a registry is only
/// named for what looks like one.
fn is_repository_path(path: &str) -> bool {
    path.chars().any(|c| c.is_ascii_alphanumeric())
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | ':' | '@'))
}

/// Texts that name the registry host right after them; tried in this order.
const HOST_MARKERS: &[&str] = &[
    "pinging container registry ",
    "pinging docker registry ",
    "error pinging ",
    "pulling from host ",
    "dial tcp: lookup ",
];

fn registry_in_lines(lines: &[Line<'_>]) -> Option<String> {
    let from_urls = || lines.iter().find_map(|line| registry_url_host(&line.lower));
    let from_markers = || {
        HOST_MARKERS.iter().find_map(|marker| {
            lines.iter().find_map(|line| {
                occurrences(&line.lower, marker)
                    .find_map(|at| named_host(first_word(&line.lower[at + marker.len()..])))
            })
        })
    };
    // containers/image: `reading manifest latest in docker.io/library/nginx: ...`.
    let from_manifest_reads = || {
        lines.iter().find_map(|line| {
            occurrences(&line.lower, "reading manifest ").find_map(|at| {
                // `reading manifest <tag or digest> in <repository>`: a tag is at most 128
                // characters and a digest less, so " in " is near or absent.
                let rest = head(&line.lower[at + "reading manifest ".len()..], 200);
                let repository = first_word(&rest[rest.find(" in ")? + " in ".len()..]);
                named_host(repository.split('/').next()?)
            })
        })
    };
    from_urls()
        .or_else(from_markers)
        .or_else(from_manifest_reads)
}

/// Paths that only a registry serves: the v2 API, and the v1 API older dockerd still tried.
/// Other URLs in pull errors name token servers (some under `/v1/tokens`) and blob CDNs.
const REGISTRY_API_PATHS: &[&str] = &["/v2", "/v1/_ping", "/v1/repositories/", "/v1/images/"];

/// The host of the first registry API URL (`http[s]://host/v2/...`) in `lower`.
fn registry_url_host(lower: &str) -> Option<String> {
    occurrences(lower, "://").find_map(|at| {
        if !(lower[..at].ends_with("https") || lower[..at].ends_with("http")) {
            return None;
        }
        let rest = head(&lower[at + "://".len()..], MAX_HOST_CHARS + 1);
        let end = rest
            .find(|c: char| matches!(c, '/' | '"' | '\'') || c.is_whitespace())
            .unwrap_or(rest.len());
        let path = &rest[end..];
        if REGISTRY_API_PATHS.iter().any(|api| path.starts_with(api)) {
            normalized_host(&rest[..end])
        } else {
            None
        }
    })
}

/// The text up to the first space, quote (escaped or not) or comma, without trailing `:` or
/// `.`; no longer than a host can be, plus one character so that an overlong word fails
/// validation.
fn first_word(text: &str) -> &str {
    let text = head(text, MAX_HOST_CHARS + 1);
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | ',' | '\'' | '\\'))
        .unwrap_or(text.len());
    text[..end].trim_end_matches([':', '.'])
}

/// A host named in prose counts only if it looks like a registry host (has a dot or a
/// port, or is localhost), so that words such as `returned` or the proxy scheme `http`
/// are not taken for one.
fn named_host(word: &str) -> Option<String> {
    if word.contains(['.', ':']) || word == "localhost" {
        normalized_host(word)
    } else {
        None
    }
}

/// `host[:port]` or `[ipv6]:port`, lower-cased, every Docker Hub alias as `docker.io`;
/// `None` if it is not a well-formed host.
fn normalized_host(host: &str) -> Option<String> {
    if host.is_empty() || host.len() > MAX_HOST_CHARS {
        return None;
    }
    let (name_ok, port) = match host.strip_prefix('[') {
        Some(rest) => {
            let (address, after) = rest.split_once(']')?;
            let address_ok = !address.is_empty()
                && address
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || matches!(c, ':' | '.'));
            let port = match after {
                "" => None,
                _ => Some(after.strip_prefix(':')?),
            };
            (address_ok, port)
        }
        None => {
            let (name, port) = match host.split_once(':') {
                Some((name, port)) => (name, Some(port)),
                None => (host, None),
            };
            let name_ok = name.chars().any(|c| c.is_ascii_alphanumeric())
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
            (name_ok, port)
        }
    };
    let port_ok = port.is_none_or(|port| {
        (1..=5).contains(&port.len()) && port.chars().all(|c| c.is_ascii_digit())
    });
    if !(name_ok && port_ok) {
        return None;
    }
    let host = host.to_ascii_lowercase();
    if DOCKER_HUB_ALIASES.contains(&host.as_str()) {
        Some("docker.io".to_string())
    } else {
        Some(host)
    }
}

/// The first `max_chars` characters of `text` (all of it if shorter).
fn head(text: &str, max_chars: usize) -> &str {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use proptest::prelude::*;

    use super::*;

    /// Real pull-failure messages: `runtime, cause, reason, message, source`, tab-separated.
    const CORPUS: &str = include_str!("../../tests/data/pull-errors.tsv");

    struct Entry<'a> {
        line: usize,
        runtime: &'a str,
        cause: Cause,
        reason: Option<&'a str>,
        message: &'a str,
    }

    fn corpus() -> Vec<Entry<'static>> {
        CORPUS
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
            .map(|(index, line)| {
                let fields: Vec<&str> = line.split('\t').collect();
                let [runtime, cause, reason, message, source] = fields[..] else {
                    panic!(
                        "corpus line {}: want 5 tab-separated fields: {line}",
                        index + 1
                    );
                };
                assert!(
                    !source.trim().is_empty(),
                    "corpus line {}: no source",
                    index + 1
                );
                Entry {
                    line: index + 1,
                    runtime,
                    cause: cause
                        .parse()
                        .unwrap_or_else(|err| panic!("corpus line {}: {err}", index + 1)),
                    reason: (reason != "-").then_some(reason),
                    message,
                }
            })
            .collect()
    }

    #[test]
    fn corpus_messages_get_their_expected_cause() {
        let entries = corpus();
        let mismatches: Vec<String> = entries
            .iter()
            .filter_map(|entry| {
                let got = classify(entry.reason, &[entry.message]);
                (got.cause != entry.cause).then(|| {
                    format!(
                        "line {} ({}): want {}, got {} from {:?}",
                        entry.line, entry.runtime, entry.cause, got.cause, got.evidence
                    )
                })
            })
            .collect();
        assert!(
            mismatches.is_empty(),
            "{} of {} corpus entries misclassified:\n{}",
            mismatches.len(),
            entries.len(),
            mismatches.join("\n")
        );
    }

    #[test]
    fn corpus_is_broad_enough() {
        let entries = corpus();
        assert!(entries.len() >= 60, "only {} corpus entries", entries.len());
        let mut per_runtime: BTreeMap<&str, usize> = BTreeMap::new();
        for entry in &entries {
            *per_runtime.entry(entry.runtime).or_default() += 1;
        }
        for runtime in ["containerd", "cri-o", "docker", "kubelet"] {
            assert!(
                per_runtime.get(runtime).is_some_and(|&n| n >= 5),
                "too few {runtime} entries: {per_runtime:?}"
            );
        }
        let covered: BTreeSet<Cause> = entries.iter().map(|entry| entry.cause).collect();
        let missing: Vec<Cause> = Cause::ALL
            .into_iter()
            .filter(|cause| !covered.contains(cause))
            .collect();
        assert!(missing.is_empty(), "no corpus entry for {missing:?}");
    }

    #[test]
    fn image_and_registry_come_from_the_text() {
        // (message, image, registry), from corpus entries.
        let cases: &[(&str, Option<&str>, Option<&str>)] = &[
            (
                r#"Failed to pull image "localhost:7439/docker.io/xxxsoftware/xxx-redis:2023.1.2": rpc error: code = Unknown desc = failed to do request: Head "https://localhost:7439/v2/docker.io/xxxsoftware/xxx-redis/manifests/2023.1.2": http: server gave HTTP response to HTTPS client"#,
                Some("localhost:7439/docker.io/xxxsoftware/xxx-redis:2023.1.2"),
                Some("localhost:7439"),
            ),
            (
                r#"Failed to pull image "testinprod/op-erigon:2.60.8-0.7.1": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/testinprod/op-erigon:2.60.8-0.7.1": no match for platform in manifest: not found"#,
                Some("testinprod/op-erigon:2.60.8-0.7.1"),
                Some("docker.io"),
            ),
            (
                r#"Failed to pull image "index.docker.io/jaegertracing/all-in-one@sha256:8d0bff43db3ce5c528cb6f957520511d263d7cceee012696e4afdc9087919bb9": 429 Too Many Requests"#,
                Some(
                    "index.docker.io/jaegertracing/all-in-one@sha256:8d0bff43db3ce5c528cb6f957520511d263d7cceee012696e4afdc9087919bb9",
                ),
                Some("docker.io"),
            ),
            (
                r#"Container image "docker-registry.services.stellar-ops.com/dev/anchor-platform:e6ca4be8" is not present with pull policy of Never"#,
                Some("docker-registry.services.stellar-ops.com/dev/anchor-platform:e6ca4be8"),
                Some("docker-registry.services.stellar-ops.com"),
            ),
            (
                r#"Failed to apply default image tag "https://harbor.k8s.mybank/release/name:1.1.0": couldn't parse image reference "https://harbor.k8s.mybank/release/name:1.1.0": invalid reference format"#,
                Some("https://harbor.k8s.mybank/release/name:1.1.0"),
                Some("harbor.k8s.mybank"),
            ),
            (
                r#"Failed to apply default image tag "/cloudfoundry/75f1:a28a": couldn't parse image reference "/cloudfoundry/75f1:a28a": invalid reference format"#,
                Some("/cloudfoundry/75f1:a28a"),
                None,
            ),
            (
                r#"PullImage "nexus3:8083/com.panov/ci-cd:0.0.1-SNAPSHOT" from image service failed: rpc error: code = Unknown desc = Error response from daemon: Get http://nexus3:8083/v2/com.panov/ci-cd/manifests/0.0.1-SNAPSHOT: no basic auth credentials"#,
                Some("nexus3:8083/com.panov/ci-cd:0.0.1-SNAPSHOT"),
                Some("nexus3:8083"),
            ),
            (
                r#"ctr: failed to resolve reference "docker.ketches.cn/library/nginx:latest": failed to authorize: failed to fetch anonymous token: Get "https://auth.docker.io/token?scope=repository%3Alibrary%2Fnginx%3Apull&service=registry.docker.io": dial tcp 199.59.148.222:443: i/o timeout"#,
                Some("docker.ketches.cn/library/nginx:latest"),
                Some("docker.ketches.cn"),
            ),
            (
                r#"E0920 remote_image.go:171] "PullImage from image service failed" err="rpc error: code = Unknown desc = failed to pull and unpack image \"registry.k8s.io/kube-proxy:v1.28.2\": failed to resolve reference \"registry.k8s.io/kube-proxy:v1.28.2\": failed to do request: Head \"https://registry.k8s.io/v2/kube-proxy/manifests/v1.28.2\": dial tcp 34.96.108.209:443: connect: connection timed out" image="registry.k8s.io/kube-proxy:v1.28.2""#,
                Some("registry.k8s.io/kube-proxy:v1.28.2"),
                Some("registry.k8s.io"),
            ),
            (
                "failed to pull image k8s.gcr.io/kube-apiserver:v1.13.3: output: Error response from daemon: Get https://k8s.gcr.io/v2/: x509: certificate signed by unknown authority",
                Some("k8s.gcr.io/kube-apiserver:v1.13.3"),
                Some("k8s.gcr.io"),
            ),
            (
                "image pull failed for registry.example.com/team/app:1.0 because the registry is unavailable.",
                Some("registry.example.com/team/app:1.0"),
                Some("registry.example.com"),
            ),
            (
                r#"error creating pod sandbox: Error initializing source docker://k8s.gcr.io/pause:3.2: error pinging docker registry k8s.gcr.io: Get "https://k8s.gcr.io/v2/": dial tcp 10.254.3.15:443: connect: connection refused"#,
                Some("k8s.gcr.io/pause:3.2"),
                Some("k8s.gcr.io"),
            ),
            (
                "Failed to pull image \"rmeuser-auth:latest\": rpc error: code = Unknown desc = Error response from daemon: pull access denied for rmeuser-auth, repository does not exist or may require 'docker login'",
                Some("rmeuser-auth:latest"),
                Some("docker.io"),
            ),
            (
                "pull access denied for rmeuser-auth, repository does not exist or may require 'docker login'",
                Some("rmeuser-auth"),
                Some("docker.io"),
            ),
            (
                r#"pulling image failed: rpc error: code  = Unknown déc = error pinging local-repo:4000: Get "https://local-repo:4000/v2/": http: server gave HTTP response to HTTPS client"#,
                None,
                Some("local-repo:4000"),
            ),
            (
                "Error response from daemon: Get https://registry-1.docker.io/v2/: http: server gave HTTP response to HTTPS client",
                None,
                Some("docker.io"),
            ),
            (
                "reading manifest 1.13 in docker.io/library/nginx: toomanyrequests: You have reached your pull rate limit.",
                None,
                Some("docker.io"),
            ),
            (
                "ERROR: Get https://catalog.shurenyun.com/v1/_ping: dial tcp: lookup catalog.shurenyun.com on 100.100.2.136:53: no such host",
                None,
                Some("catalog.shurenyun.com"),
            ),
            (
                "pulling image failed: rpc error: code = Unknown desc = error pinging docker registry <registry IP>:<registry PORT>: invalid status code from registry 502 (Bad Gateway)",
                None,
                None,
            ),
            (
                "pulling image: failed to resolve reference \"sealos.hub:5000/kube-proxy:v1.24.0\": pulling from host sealos.hub:5000 failed with status code [manifests v1.24.0]: 503 Service Unavailable",
                Some("sealos.hub:5000/kube-proxy:v1.24.0"),
                Some("sealos.hub:5000"),
            ),
            (
                r#""PullImage from image service failed" err="rpc error: code = Unknown desc = context deadline exceeded" image="*.*.*.*:5000/sample:latest""#,
                Some("*.*.*.*:5000/sample:latest"),
                None,
            ),
            ("unexpected EOF", None, None),
            // Neither a platform nor a token server is an image or a registry.
            (
                "no matching manifest for linux/amd64 in the manifest list entries",
                None,
                None,
            ),
            (
                "ctr: rpc error: code = Unknown desc = failed to resolve image: failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://api.charmhub.io/v1/tokens/docker-registry?scope=repository%3Acharm: 401 UNAUTHORIZED",
                None,
                None,
            ),
            (
                "Error response from daemon: manifest for oamdev/vela-core:0.3.1 not found: manifest unknown: manifest unknown",
                Some("oamdev/vela-core:0.3.1"),
                Some("docker.io"),
            ),
            (
                "Error while pulling image: Get https://index.docker.io/v1/repositories/library/redis/images: dial tcp: lookup index.docker.io on 192.168.65.1:53: server misbehaving",
                None,
                Some("docker.io"),
            ),
        ];
        for &(message, image, registry) in cases {
            let got = classify(None, &[message]);
            assert_eq!(got.image.as_deref(), image, "image of {message:?}");
            assert_eq!(got.registry.as_deref(), registry, "registry of {message:?}");
        }
    }

    #[test]
    fn the_strongest_evidence_wins_across_messages() {
        let messages = [
            r#"Back-off pulling image "quay.io/acme/app:v2""#,
            r#"Failed to pull image "quay.io/acme/app:v2": rpc error: code = Unknown desc = failed to pull and unpack image "quay.io/acme/app:v2": failed to resolve reference "quay.io/acme/app:v2": unexpected status from HEAD request to https://quay.io/v2/acme/app/manifests/v2: 401 UNAUTHORIZED"#,
            r#"Failed to pull image "quay.io/acme/app:v2": rpc error: code = NotFound desc = failed to pull and unpack image "quay.io/acme/app:v2": failed to resolve reference "quay.io/acme/app:v2": quay.io/acme/app:v2: not found"#,
        ];
        let got = classify(Some("ImagePullBackOff"), &messages);
        assert_eq!(got.cause, Cause::NotFound);
        assert_eq!(got.evidence, messages[2]);
        assert_eq!(got.image.as_deref(), Some("quay.io/acme/app:v2"));
        assert_eq!(got.registry.as_deref(), Some("quay.io"));
        assert_eq!(got.summary, Cause::NotFound.summary());
    }

    #[test]
    fn reasons_decide_only_when_no_text_does() {
        let cases: &[(Option<&str>, &[&str], Cause, &str)] = &[
            (
                Some("RegistryUnavailable"),
                &[],
                Cause::RegistryUnavailable,
                "RegistryUnavailable",
            ),
            (
                Some(" invalidimagename "),
                &[""],
                Cause::InvalidReference,
                "invalidimagename",
            ),
            (
                Some("ErrImageNeverPull"),
                &[],
                Cause::NeverPullAbsent,
                "ErrImageNeverPull",
            ),
            (
                Some("ImageInspectError"),
                &[],
                Cause::ImageInspectFailed,
                "ImageInspectError",
            ),
            // The text is more specific than the reason.
            (
                Some("RegistryUnavailable"),
                &[
                    "pinging container registry localhost:7439: Get \"http://localhost:7439/v2/\": dial tcp [::1]:7439: connect: connection refused",
                ],
                Cause::ConnectionRefused,
                "pinging container registry localhost:7439: Get \"http://localhost:7439/v2/\": dial tcp [::1]:7439: connect: connection refused",
            ),
            (Some("ErrImagePull"), &[], Cause::Unknown, "ErrImagePull"),
            (None, &[], Cause::Unknown, ""),
            (None, &["  ", "\n"], Cause::Unknown, ""),
            // Unknown quotes the longest message that reads like the failure, whole.
            (
                Some("ImagePullBackOff"),
                &[
                    "Back-off pulling image \"nginx\"",
                    "Error: ErrImagePull",
                    "  Failed to pull image \"nginx\": rpc error: EOF\nretrying  ",
                    "Error: ImagePullBackOff",
                ],
                Cause::Unknown,
                "Failed to pull image \"nginx\": rpc error: EOF\nretrying",
            ),
            (
                Some("ImagePullBackOff"),
                &["Back-off pulling image \"nginx\""],
                Cause::Unknown,
                "Back-off pulling image \"nginx\"",
            ),
        ];
        for &(reason, messages, cause, evidence) in cases {
            let got = classify(reason, messages);
            assert_eq!(
                (got.cause, got.evidence.as_str()),
                (cause, evidence),
                "{reason:?} {messages:?}"
            );
        }
    }

    #[test]
    fn a_waiting_reason_alone_decides() {
        // No message at all: the reason decides when it names a cause, ErrImagePull and
        // ImagePullBackOff name none.
        let reason_only: &[(&str, Cause)] = &[
            ("InvalidImageName", Cause::InvalidReference),
            ("ErrImageNeverPull", Cause::NeverPullAbsent),
            ("ImageInspectError", Cause::ImageInspectFailed),
            ("RegistryUnavailable", Cause::RegistryUnavailable),
            ("ErrImagePull", Cause::Unknown),
            ("ImagePullBackOff", Cause::Unknown),
        ];
        for &(reason, cause) in reason_only {
            for messages in [&[][..], &[""][..], &["", "  "][..]] {
                let got = classify(Some(reason), messages);
                assert_eq!(
                    (got.cause, got.evidence.as_str(), got.image, got.registry),
                    (cause, reason, None, None),
                    "{reason:?} {messages:?}"
                );
            }
        }
        // The reason as the only text, as `diagnose --message` gets a pasted STATUS column or
        // the kubelet's `Error: <reason>` event.
        let text_only: &[(&str, Cause)] = &[
            ("InvalidImageName", Cause::InvalidReference),
            (
                "pod/pms-elastic-transcoder-247hp--1-ccmzd 0/1 Init:InvalidImageName 0 5m11s",
                Cause::InvalidReference,
            ),
            ("Error: InvalidImageName", Cause::InvalidReference),
            (
                "colossus-auth-deployment-677c9688db-b6gzb   0/1       ErrImageNeverPull   0          1m",
                Cause::NeverPullAbsent,
            ),
            ("ImageInspectError", Cause::ImageInspectFailed),
            ("RegistryUnavailable", Cause::RegistryUnavailable),
            ("ErrImagePull", Cause::Unknown),
            (
                "nginx-d645d84b6-ftbwc   0/1     ImagePullBackOff   0          77s",
                Cause::Unknown,
            ),
        ];
        for &(text, cause) in text_only {
            let got = classify(None, &[text]);
            assert_eq!(
                (got.cause, got.evidence.as_str()),
                (cause, text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn structured_kubelet_lines_keep_their_image_registry_and_cause() {
        // (line, cause, image, registry) from klog's structured lines (kubelet 1.21+), whose
        // err="..." escapes the quotes of the error once, and twice in pod_workers' lines.
        let cases: &[(&str, Cause, &str, &str)] = &[
            // The shape of remote_image.go's line, with the 401 containerd reports for a
            // token service that refused the credentials.
            (
                r#"E0505 10:00:00.000000 1234 remote_image.go:238] "PullImage from image service failed" err="rpc error: code = Unknown desc = failed to pull and unpack image \"ghcr.io/acme/app:1.0\": failed to resolve reference \"ghcr.io/acme/app:1.0\": failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized" image="ghcr.io/acme/app:1.0""#,
                Cause::AuthFailed,
                "ghcr.io/acme/app:1.0",
                "ghcr.io",
            ),
            // Corpus entries (kubernetes-sigs/kueue#8911): image=, no image=, escaped twice.
            (
                r#"Jan 30 11:28:54 kind-manager-worker kubelet[222]: E0130 11:28:54.293617     222 log.go:32] "PullImage from image service failed" err="rpc error: code = NotFound desc = failed to pull and unpack image \"us-central1-docker.pkg.dev/k8s-staging-images/kueue/secretreader-plugin:0.0.1\": failed to resolve reference \"us-central1-docker.pkg.dev/k8s-staging-images/kueue/secretreader-plugin:0.0.1\": us-central1-docker.pkg.dev/k8s-staging-images/kueue/secretreader-plugin:0.0.1: not found" image="us-central1-docker.pkg.dev/k8s-staging-images/kueue/secretreader-plugin:0.0.1""#,
                Cause::NotFound,
                "us-central1-docker.pkg.dev/k8s-staging-images/kueue/secretreader-plugin:0.0.1",
                "us-central1-docker.pkg.dev",
            ),
            (
                r#"Jan 30 11:28:54 kind-manager-worker kubelet[222]: E0130 11:28:54.293808     222 kuberuntime_manager.go:1449] "Unhandled Error" err="init container secretreader-plugin-init start failed in pod kueue-controller-manager-8494d6795b-8vqfm_kueue-system(c8c87ab9-e13d-4ae4-8578-8092cce568ab): ErrImagePull: rpc error: code = NotFound desc = failed to pull and unpack image \"us-central1-docker.pkg.dev/k8s-staging-images/kueue/secretreader-plugin:0.0.1\": failed to resolve reference \"us-central1-docker.pkg.dev/k8s-staging-images/kueue/secretreader-plugin:0.0.1\": us-central1-docker.pkg.dev/k8s-staging-images/kueue/secretreader-plugin:0.0.1: not found" logger="UnhandledError""#,
                Cause::NotFound,
                "us-central1-docker.pkg.dev/k8s-staging-images/kueue/secretreader-plugin:0.0.1",
                "us-central1-docker.pkg.dev",
            ),
            (
                r#"Jan 30 11:28:54 kind-manager-worker kubelet[222]: E0130 11:28:54.293852     222 pod_workers.go:1324] "Error syncing pod, skipping" err="failed to \"StartContainer\" for \"secretreader-plugin-init\" with ErrImagePull: \"rpc error: code = NotFound desc = failed to pull and unpack image \\\"us-central1-docker.pkg.dev/k8s-staging-images/kueue/secretreader-plugin:0.0.1\\\": failed to resolve reference \\\"us-central1-docker.pkg.dev/k8s-staging-images/kueue/secretreader-plugin:0.0.1\\\": us-central1-docker.pkg.dev/k8s-staging-images/kueue/secretreader-plugin:0.0.1: not found\"" pod="kueue-system/kueue-controller-manager-8494d6795b-8vqfm" podUID="c8c87ab9-e13d-4ae4-8578-8092cce568ab""#,
                Cause::NotFound,
                "us-central1-docker.pkg.dev/k8s-staging-images/kueue/secretreader-plugin:0.0.1",
                "us-central1-docker.pkg.dev",
            ),
            // The same pod_workers shape with the back-off message: only the image is known.
            (
                r#"E0130 11:29:05.000000     222 pod_workers.go:1324] "Error syncing pod, skipping" err="failed to \"StartContainer\" for \"app\" with ImagePullBackOff: \"Back-off pulling image \\\"quay.io/acme/app:2.0\\\"\"" pod="team-a/app-0""#,
                Cause::Unknown,
                "quay.io/acme/app:2.0",
                "quay.io",
            ),
            // Corpus entry (jfrog/jfrog-credentials-provider#41): a 401 without a reason phrase.
            (
                r#"Feb 23 03:56:34 ip-10-10-2-97.ap-southeast-2.compute.internal kubelet[849883]: E0223 03:56:34.135604  849883 kuberuntime_image.go:42] "Failed to pull image" err="failed to pull and unpack image \"heidiai.jfrog.io/heidiai-docker/heidi-ml-scribe:pr-6940\": failed to resolve reference \"heidiai.jfrog.io/heidiai-docker/heidi-ml-scribe:pr-6940\": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://heidiai.jfrog.io/artifactory/api/docker/heidiai-docker/v2/token?scope=repository%3Aheidi-ml-scribe%3Apull&scope=repository%3Aheidiai-docker%2Fheidi-ml-scribe%3Apull&service=heidiai.jfrog.io: 401 " image="heidiai.jfrog.io/heidiai-docker/heidi-ml-scribe:pr-6940""#,
                Cause::AuthFailed,
                "heidiai.jfrog.io/heidiai-docker/heidi-ml-scribe:pr-6940",
                "heidiai.jfrog.io",
            ),
        ];
        for &(line, cause, image, registry) in cases {
            let got = classify(Some("ErrImagePull"), &[line]);
            assert_eq!(
                (got.cause, got.image.as_deref(), got.registry.as_deref()),
                (cause, Some(image), Some(registry)),
                "{line}"
            );
            if cause != Cause::Unknown {
                assert_eq!(got.evidence, line);
            }
            assert_eq!(image_reference_in(line).as_deref(), Some(image), "{line}");
        }

        // registry_host_in reads the host of an escaped registry URL (kubernetes#116316).
        let hosts: &[(&str, &str, &str)] = &[(
            r#"[ERROR ImagePull]: failed to pull image registry.k8s.io/kube-apiserver:v1.26.2: output: E0306 16:50:49.085582 1955380 remote_image.go:171] "PullImage from image service failed" err="rpc error: code = Unknown desc = failed to pull and unpack image \"registry.k8s.io/kube-apiserver:v1.26.2\": failed to resolve reference \"registry.k8s.io/kube-apiserver:v1.26.2\": failed to do request: Head \"https://registry.k8s.io/v2/kube-apiserver/manifests/v1.26.2\": EOF""#,
            "registry.k8s.io",
            "registry.k8s.io/kube-apiserver:v1.26.2",
        )];
        for &(line, host, image) in hosts {
            assert_eq!(registry_host_in(line).as_deref(), Some(host), "{line}");
            assert_eq!(image_reference_in(line).as_deref(), Some(image), "{line}");
        }

        // A kubelet 1.20 journal line from the test node, cut at 400 characters as it was
        // handed over: the error is quoted once, and the image still comes out.
        let cut = r#"E1201 22:44:37.805127   29248 pod_workers.go:191] Error syncing pod 06c5e941-6468-41d1-b25d-4328e28b3d2e ("r4-none_m(06c5e941-6468-41d1-b25d-4328e28b3d2e)"), skipping: failed to "StartContainer" for "app" with ErrImagePull: "rpc error: code = Unknown desc = failed to pull and unpack image \"trusted.regcred.test:41801/team/app:1.0\": failed to resolve reference \"trusted.regcred.test:41801/team/app"#;
        let got = classify(None, &[cut]);
        assert_eq!(
            (got.cause, got.image.as_deref(), got.registry.as_deref()),
            (
                Cause::Unknown,
                Some("trusted.regcred.test:41801/team/app:1.0"),
                Some("trusted.regcred.test:41801")
            )
        );
    }

    #[test]
    fn a_broken_transfer_is_the_network_unless_the_registry_answered() {
        // Corpus entries: the same httpReadSeeker wrapper around a reset, a 429 and a 401.
        let cases: &[(&str, Cause)] = &[
            (
                r#"failed to copy: httpReadSeeker: failed open: failed to do request: Get "https://hub-mirror.c.163.com/v2/jc21/nginx-proxy-manager/blobs/sha256:e53e87b0740476098e532b9715d68a910319716ab637de84b93d15d51bae1cd0?ns=docker.io": EOF"#,
                Cause::NetworkTimeout,
            ),
            (
                r#"Error writing blob: error storing blob to file "/var/tmp/storage241651785/6": read tcp 192.168.155.178:46000->104.18.123.25:443: read: connection reset by peer"#,
                Cause::NetworkTimeout,
            ),
            (
                "error pulling image configuration: unexpected EOF",
                Cause::NetworkTimeout,
            ),
            (
                "failed to solve: httpReaderSeeker: failed open: unexpected status code https://eu.gcr.io/v2/xxx/myimage/blobs/sha256:135ed000cxxxxxxxxxxxxxxxxxxxxxx46c0e33e: 403 Forbidden",
                Cause::AuthFailed,
            ),
            (
                "failed to solve with frontend dockerfile.v0: failed to build LLB: failed to copy: httpReaderSeeker: failed open: failed to fetch anonymous token: unexpected status: 401 Unauthorized",
                Cause::AuthFailed,
            ),
            // Not a bare EOF: that is dockerd dying as often as the network.
            (
                "Failed to pull image \"nginx\": rpc error: EOF",
                Cause::Unknown,
            ),
        ];
        for &(text, cause) in cases {
            assert_eq!(classify(None, &[text]).cause, cause, "{text}");
        }
        let rate_limited = CORPUS
            .lines()
            .find(|line| line.contains("httpReadSeeker: failed open") && line.contains("429"))
            .expect("the corpus has a 429 behind httpReadSeeker");
        let message = rate_limited.split('\t').nth(3).expect("a message field");
        assert_eq!(classify(None, &[message]).cause, Cause::RateLimited);
    }

    #[test]
    fn matching_ignores_case_and_evidence_is_the_trimmed_line() {
        let got = classify(
            None,
            &["Pulling image \"x/y\"\n   ERROR: X509: Certificate Signed By Unknown Authority  \n"],
        );
        assert_eq!(got.cause, Cause::TlsUntrusted);
        assert_eq!(
            got.evidence,
            "ERROR: X509: Certificate Signed By Unknown Authority"
        );
    }

    #[test]
    fn huge_evidence_is_capped() {
        let message = format!("i/o timeout {}", "é".repeat(3 * MAX_EVIDENCE_CHARS));
        let got = classify(None, &[message]);
        assert_eq!(got.cause, Cause::NetworkTimeout);
        assert_eq!(got.evidence.chars().count(), MAX_EVIDENCE_CHARS + 1);
        assert!(got.evidence.ends_with('…'));
    }

    #[test]
    fn huge_and_odd_input_does_not_panic() {
        let mut message = String::new();
        for piece in [
            "Failed to pull image \"",
            "ü",
            "https://",
            "docker://",
            "dial tcp: lookup ",
            "reading manifest ",
            " in ",
            "\\\"",
            "[",
            ":",
            "\u{0}",
            "🦀",
        ] {
            message.push_str(&piece.repeat(20_000));
        }
        let got = classify(
            Some("\u{feff}ErrImagePull"),
            &[message.as_str(), "", "\r\n"],
        );
        assert!(got.evidence.chars().count() <= MAX_EVIDENCE_CHARS + 1);
    }

    #[test]
    fn cause_names_are_stable_in_json_and_parse_back() {
        for cause in Cause::ALL {
            let json = serde_json::to_string(&cause).expect("a cause serialises");
            assert_eq!(json, format!("\"{}\"", cause.as_str()));
            assert_eq!(serde_json::from_str::<Cause>(&json).ok(), Some(cause));
            assert_eq!(cause.as_str().parse::<Cause>(), Ok(cause));
            assert_eq!(cause.to_string(), cause.as_str());
            assert!(!cause.summary().is_empty());
        }
        let summaries: BTreeSet<&str> = Cause::ALL.into_iter().map(Cause::summary).collect();
        assert_eq!(
            summaries.len(),
            Cause::ALL.len(),
            "two causes share a summary"
        );
        assert_eq!(
            "AuthFailed".parse::<Cause>(),
            Err(UnknownCause("AuthFailed".to_string()))
        );
    }

    #[test]
    fn classification_serialises_with_stable_fields() {
        let got = classify(
            Some("ErrImageNeverPull"),
            &["Container image \"nginx:latest\" is not present with pull policy of Never"],
        );
        let json = serde_json::to_value(&got).expect("a classification serialises");
        assert_eq!(
            json,
            serde_json::json!({
                "cause": "never_pull_absent",
                "summary": Cause::NeverPullAbsent.summary(),
                "registry": "docker.io",
                "image": "nginx:latest",
                "evidence": "Container image \"nginx:latest\" is not present with pull policy of Never",
            })
        );
    }

    #[test]
    fn registry_of_follows_dockers_rule() {
        let cases: &[(&str, Option<&str>)] = &[
            ("nginx", Some("docker.io")),
            ("library/nginx:1.27", Some("docker.io")),
            ("docker.io/library/nginx", Some("docker.io")),
            ("registry-1.docker.io/library/nginx", Some("docker.io")),
            ("GHCR.io/acme/app:1", Some("ghcr.io")),
            ("localhost/app", Some("localhost")),
            ("localhost:5000/app", Some("localhost:5000")),
            ("[::1]:5000/app", Some("[::1]:5000")),
            ("10.0.0.7:30000/team/app:dev", Some("10.0.0.7:30000")),
            ("docker://quay.io/app", Some("quay.io")),
            (
                "HTTPS://harbor.example.com/p/app",
                Some("harbor.example.com"),
            ),
            ("/app", None),
            ("", None),
            ("***", None),
            ("my reg.example.com/app", None),
            ("host:port/app", None),
            ("[zz]:5000/app", None),
            ("é.example/app", None),
        ];
        for &(image, registry) in cases {
            assert_eq!(registry_of(image).as_deref(), registry, "{image:?}");
        }
    }

    /// Text that often holds the markers and patterns the extractors slice around.
    fn tricky_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            ".{0,12}",
            Just("Failed to pull image ".to_string()),
            Just("pulling image \"".to_string()),
            Just("\\\"".to_string()),
            Just("\"".to_string()),
            Just("https://".to_string()),
            Just("/v2/".to_string()),
            Just("docker://".to_string()),
            Just("dial tcp: lookup ".to_string()),
            Just("reading manifest ".to_string()),
            Just(" in ".to_string()),
            Just("pull access denied for ".to_string()),
            Just("image=".to_string()),
            Just("[".to_string()),
            Just("]:".to_string()),
            Just(":53:".to_string()),
            Just("\n".to_string()),
            Just("é🦀\u{0}".to_string()),
        ];
        prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        // No regression files: this module must not write into the source tree.
        #![proptest_config(ProptestConfig {
            cases: 256,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn classify_never_panics_on_arbitrary_text(
            reason in proptest::option::of(".{0,40}"),
            messages in prop::collection::vec(prop_oneof![any::<String>(), tricky_text()], 0..4),
        ) {
            let got = classify(reason.as_deref(), &messages);
            prop_assert_eq!(got.summary, got.cause.summary());
            prop_assert!(got.evidence.chars().count() <= MAX_EVIDENCE_CHARS + 1);
            if let Some(image) = &got.image {
                prop_assert!(is_plausible_reference(image));
            }
            if let Some(registry) = &got.registry {
                prop_assert!(!registry.is_empty() && !registry.contains('/'));
                prop_assert_eq!(registry, &registry.to_ascii_lowercase());
            }
        }

        #[test]
        fn extraction_never_panics(text in prop_oneof![any::<String>(), tricky_text()]) {
            let _ = image_reference_in(&text);
            let _ = registry_host_in(&text);
            let _ = registry_of(&text);
        }
    }

    // -----------------------------------------------------------------------------------------
    // Hostile input (issue 9): the corpus under changes that must not change its causes.

    /// Digits, spaces and punctuation: every pattern of [`RULES`] has letters, so none can
    /// match this, and neither "fail" nor "error" occur in it.
    fn patternless_noise() -> impl Strategy<Value = String> {
        "[0-9 .,;:#%=+()\\[\\]{}/-]{0,80}"
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 512,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn corpus_causes_survive_case_changes_and_noise_around_them(
            pick in any::<prop::sample::Index>(),
            case_bits in any::<u64>(),
            noise in prop::collection::vec(patternless_noise(), 0..4),
            at in any::<prop::sample::Index>(),
        ) {
            let entries = corpus();
            let entry = pick.get(&entries);
            // Each ASCII letter upper- or lower-cased by one bit of `case_bits`.
            let recased = |text: &str| -> String {
                text.chars()
                    .enumerate()
                    .map(|(i, c)| {
                        if case_bits >> (i % 64) & 1 == 1 {
                            c.to_ascii_uppercase()
                        } else {
                            c.to_ascii_lowercase()
                        }
                    })
                    .collect()
            };
            let message = recased(entry.message);
            let reason = entry.reason.map(recased);
            let mut messages = noise;
            let at = at.index(messages.len() + 1);
            messages.insert(at, message.clone());
            let got = classify(reason.as_deref(), &messages);
            prop_assert_eq!(got.cause, entry.cause, "line {}: {:?}", entry.line, messages);
            if got.cause != Cause::Unknown && got.evidence != reason.as_deref().unwrap_or("").trim() {
                prop_assert_eq!(got.evidence, capped(message.trim().to_string()));
            }
        }

        #[test]
        fn registry_normalisation_is_idempotent(
            text in prop_oneof![any::<String>(), tricky_text(), "[A-Za-z0-9.:_\\[\\]-]{1,20}/[a-z]{1,5}"],
        ) {
            if let Some(host) = registry_of(&text) {
                prop_assert_eq!(registry_of(&format!("{host}/app")), Some(host.clone()));
                prop_assert_eq!(registry_of(&host.to_ascii_uppercase()), registry_of(&host));
                let url = format!("Get \"https://{host}/v2/\": EOF");
                prop_assert_eq!(registry_host_in(&url), Some(host));
            }
        }
    }
}
