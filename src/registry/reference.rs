//! Image references, normalised the way the kubelet and container runtimes read them
//! (docker/distribution's `ParseNormalizedNamed`): `nginx` is `docker.io/library/nginx:latest`.
//!
//! Pure: no I/O.

use std::fmt;
use std::str::FromStr;

/// The registry domain of images that name none.
pub const DOCKER_HUB_DOMAIN: &str = "docker.io";

/// Where Docker Hub's registry API answers (`docker.io` itself only redirects browsers).
const DOCKER_HUB_API_HOST: &str = "registry-1.docker.io";

/// Longest repository name (domain and path) the distribution spec allows.
const MAX_NAME_LEN: usize = 255;

/// Why an image reference was refused. Messages read after "invalid image reference X: ".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceError {
    #[error("is empty")]
    Empty,
    #[error("starts with {scheme}://: image references have no scheme (write HOST/NAME:TAG)")]
    Scheme { scheme: String },
    #[error("contains whitespace")]
    Whitespace,
    #[error("has an invalid registry host {host:?}")]
    InvalidHost { host: String },
    #[error(
        "has uppercase letters in the repository name {repository:?}: repository names are lowercase"
    )]
    Uppercase { repository: String },
    #[error(
        "has an invalid repository name {repository:?}: components of lowercase letters and \
         digits, separated by '/', and inside by '.', '_', '__' or '-'"
    )]
    InvalidRepository { repository: String },
    #[error("has a repository name longer than {MAX_NAME_LEN} characters")]
    TooLong,
    #[error(
        "has an invalid tag {tag:?}: up to 128 letters, digits, '_', '.' and '-', not starting \
         with '.' or '-'"
    )]
    InvalidTag { tag: String },
    #[error(
        "has an invalid digest {digest:?}: expected ALGORITHM:HEX, e.g. sha256: and 64 hex digits"
    )]
    InvalidDigest { digest: String },
}

/// A parsed, normalised image reference.
///
/// ```
/// use kubectl_regcred::registry::ImageRef;
/// let image: ImageRef = "nginx".parse().unwrap();
/// assert_eq!(image.to_string(), "docker.io/library/nginx:latest");
/// assert_eq!(image.api_host(), "registry-1.docker.io");
/// let local: ImageRef = "127.0.0.1:5000/team/app:1.0".parse().unwrap();
/// assert_eq!((local.registry(), local.repository(), local.reference()), ("127.0.0.1:5000", "team/app", "1.0"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageRef {
    registry: String,
    repository: String,
    tag: Option<String>,
    digest: Option<String>,
}

impl ImageRef {
    /// Parses and normalises an image reference as a pod spec holds it.
    pub fn parse(input: &str) -> Result<Self, ReferenceError> {
        if input.is_empty() {
            return Err(ReferenceError::Empty);
        }
        if let Some((scheme, _)) = input.split_once("://") {
            return Err(ReferenceError::Scheme {
                scheme: scheme.to_string(),
            });
        }
        if input.chars().any(char::is_whitespace) {
            return Err(ReferenceError::Whitespace);
        }
        let (rest, digest) = match input.split_once('@') {
            Some((rest, digest)) => (rest, Some(check_digest(digest)?)),
            None => (input, None),
        };
        // A ':' after the last '/' starts the tag; one before it is the registry's port.
        let (name, tag) = match rest.rfind(':') {
            Some(i) if !rest[i + 1..].contains('/') => {
                (&rest[..i], Some(check_tag(&rest[i + 1..])?))
            }
            _ => (rest, None),
        };
        let (registry, path) = split_registry(name);
        check_host(registry)?;
        let repository = if registry == DOCKER_HUB_DOMAIN && !path.contains('/') {
            format!("library/{path}")
        } else {
            path.to_string()
        };
        check_repository(&repository)?;
        if registry.len() + 1 + repository.len() > MAX_NAME_LEN {
            return Err(ReferenceError::TooLong);
        }
        // Runtimes pull `:latest` when neither a tag nor a digest is given.
        let tag = match (tag, &digest) {
            (None, None) => Some("latest".to_string()),
            (tag, _) => tag.map(str::to_string),
        };
        Ok(Self {
            registry: registry.to_string(),
            repository,
            tag,
            digest: digest.map(str::to_string),
        })
    }

    /// The registry as the reference names it: `docker.io`, `ghcr.io`, `127.0.0.1:5000`.
    pub fn registry(&self) -> &str {
        &self.registry
    }

    /// The repository inside the registry: `library/nginx`, `team/app`.
    pub fn repository(&self) -> &str {
        &self.repository
    }

    /// The tag, if the reference has one (`latest` when it has neither tag nor digest).
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// The digest, if the reference has one.
    pub fn digest(&self) -> Option<&str> {
        self.digest.as_deref()
    }

    /// What a runtime asks the registry for: the digest when there is one, else the tag.
    pub fn reference(&self) -> &str {
        self.digest
            .as_deref()
            .or(self.tag.as_deref())
            .unwrap_or("latest")
    }

    /// Is this image on Docker Hub?
    pub fn is_docker_hub(&self) -> bool {
        self.registry == DOCKER_HUB_DOMAIN
    }

    /// The host (and port) whose `/v2/` API serves this image.
    pub fn api_host(&self) -> &str {
        if self.is_docker_hub() {
            DOCKER_HUB_API_HOST
        } else {
            &self.registry
        }
    }

    /// `registry/repository` without tag or digest: what the kubelet matches secret keys against.
    pub fn name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }
}

impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

impl FromStr for ImageRef {
    type Err = ReferenceError;
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Self::parse(input)
    }
}

/// Splits off the registry: the first component is one when it has a '.' or a ':', is
/// `localhost`, or has uppercase letters (which repository names cannot); else Docker Hub.
fn split_registry(name: &str) -> (&str, &str) {
    match name.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.chars().any(|c| c.is_ascii_uppercase()) =>
        {
            let registry = if first == "index.docker.io" {
                DOCKER_HUB_DOMAIN
            } else {
                first
            };
            (registry, rest)
        }
        _ => (DOCKER_HUB_DOMAIN, name),
    }
}

fn check_host(registry: &str) -> Result<(), ReferenceError> {
    let invalid = || ReferenceError::InvalidHost {
        host: registry.to_string(),
    };
    let (host, port) = if let Some(bracketed) = registry.strip_prefix('[') {
        // [IPv6]:port
        let (address, after) = bracketed.split_once(']').ok_or_else(invalid)?;
        if address.is_empty() || !address.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
            return Err(invalid());
        }
        match after {
            "" => (None, None),
            _ => (None, Some(after.strip_prefix(':').ok_or_else(invalid)?)),
        }
    } else {
        match registry.rsplit_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(registry), None),
        }
    };
    if let Some(port) = port
        && (port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(invalid());
    }
    if let Some(host) = host {
        let valid_label = |label: &str| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        };
        if !host.split('.').all(valid_label) {
            return Err(invalid());
        }
    }
    Ok(())
}

/// Components of `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`, separated by '/'.
fn check_repository(repository: &str) -> Result<(), ReferenceError> {
    if repository.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(ReferenceError::Uppercase {
            repository: repository.to_string(),
        });
    }
    if repository.split('/').all(is_valid_component) {
        Ok(())
    } else {
        Err(ReferenceError::InvalidRepository {
            repository: repository.to_string(),
        })
    }
}

fn is_valid_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    let is_alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if !bytes.first().is_some_and(is_alnum) || !bytes.last().is_some_and(is_alnum) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if is_alnum(&bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !is_alnum(&bytes[i]) {
            i += 1;
        }
        let separator = &component[start..i];
        let dashes = separator.bytes().all(|b| b == b'-');
        if !(matches!(separator, "." | "_" | "__") || dashes) {
            return false;
        }
    }
    true
}

fn check_tag(tag: &str) -> Result<&str, ReferenceError> {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let valid = !tag.is_empty()
        && tag.len() <= 128
        && word(tag.as_bytes()[0])
        && tag.bytes().all(|b| word(b) || b == b'.' || b == b'-');
    if valid {
        Ok(tag)
    } else {
        Err(ReferenceError::InvalidTag {
            tag: tag.to_string(),
        })
    }
}

fn check_digest(digest: &str) -> Result<&str, ReferenceError> {
    let invalid = || ReferenceError::InvalidDigest {
        digest: digest.to_string(),
    };
    let (algorithm, hex) = digest.split_once(':').ok_or_else(invalid)?;
    let algorithm_ok = !algorithm.is_empty()
        && algorithm.split(['+', '.', '_', '-']).all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    let lower_hex = |len: usize| {
        hex.len() == len
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    let hex_ok = match algorithm {
        "sha256" => lower_hex(64),
        "sha512" => lower_hex(128),
        _ => {
            hex.len() >= 32
                && hex
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'=' | b'_' | b'-'))
        }
    };
    if algorithm_ok && hex_ok {
        Ok(digest)
    } else {
        Err(invalid())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn parts(input: &str) -> (String, String, Option<String>, Option<String>) {
        let image = ImageRef::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
        (
            image.registry().to_string(),
            image.repository().to_string(),
            image.tag().map(str::to_string),
            image.digest().map(str::to_string),
        )
    }

    #[test]
    fn references_are_normalised_as_runtimes_do() {
        let cases: &[(&str, &str)] = &[
            ("nginx", "docker.io/library/nginx:latest"),
            ("nginx:1.27", "docker.io/library/nginx:1.27"),
            ("library/nginx", "docker.io/library/nginx:latest"),
            ("bitnami/redis:7", "docker.io/bitnami/redis:7"),
            ("docker.io/nginx", "docker.io/library/nginx:latest"),
            ("index.docker.io/nginx", "docker.io/library/nginx:latest"),
            ("docker.io/bitnami/redis", "docker.io/bitnami/redis:latest"),
            ("ghcr.io/acme/app:1.0", "ghcr.io/acme/app:1.0"),
            ("ghcr.io/app", "ghcr.io/app:latest"),
            ("localhost/app", "localhost/app:latest"),
            ("localhost:5000/app", "localhost:5000/app:latest"),
            ("127.0.0.1:5000/team/app:1.0", "127.0.0.1:5000/team/app:1.0"),
            ("[::1]:5000/app:v1", "[::1]:5000/app:v1"),
            (
                "europe-docker.pkg.dev/my-project/repo/app:v1.2.3-rc_1",
                "europe-docker.pkg.dev/my-project/repo/app:v1.2.3-rc_1",
            ),
            ("a.b/c__d/e---f/g.h_i", "a.b/c__d/e---f/g.h_i:latest"),
            ("Registry/app", "Registry/app:latest"),
        ];
        for (input, want) in cases {
            let image = ImageRef::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(image.to_string(), *want, "{input}");
        }
    }

    #[test]
    fn digests_are_kept_and_win_over_tags() {
        let image = ImageRef::parse(&format!("ghcr.io/acme/app@{SHA}")).unwrap();
        assert_eq!(image.tag(), None);
        assert_eq!(image.reference(), SHA);
        assert_eq!(image.to_string(), format!("ghcr.io/acme/app@{SHA}"));

        let both = ImageRef::parse(&format!("nginx:1.27@{SHA}")).unwrap();
        assert_eq!(
            parts(&format!("nginx:1.27@{SHA}")),
            (
                "docker.io".into(),
                "library/nginx".into(),
                Some("1.27".into()),
                Some(SHA.into())
            )
        );
        assert_eq!(both.reference(), SHA);
        assert_eq!(
            both.to_string(),
            format!("docker.io/library/nginx:1.27@{SHA}")
        );
    }

    #[test]
    fn port_and_tag_are_told_apart() {
        assert_eq!(
            parts("myregistry:5000/app"),
            (
                "myregistry:5000".into(),
                "app".into(),
                Some("latest".into()),
                None
            )
        );
        assert_eq!(
            parts("myregistry:5000/app:5000"),
            (
                "myregistry:5000".into(),
                "app".into(),
                Some("5000".into()),
                None
            )
        );
        // No '.' or ':' in the first component: a Docker Hub user, not a host.
        assert_eq!(
            parts("myregistry/app").0,
            "docker.io",
            "Docker Hub user myregistry"
        );
    }

    #[test]
    fn api_host_of_docker_hub_is_registry_1() {
        assert_eq!(
            ImageRef::parse("nginx").unwrap().api_host(),
            "registry-1.docker.io"
        );
        assert_eq!(
            ImageRef::parse("quay.io/a/b").unwrap().api_host(),
            "quay.io"
        );
        assert_eq!(
            ImageRef::parse("nginx").unwrap().name(),
            "docker.io/library/nginx"
        );
    }

    #[test]
    fn malformed_references_are_refused_with_a_reason() {
        use ReferenceError::*;
        let cases: Vec<(String, ReferenceError)> = vec![
            ("".into(), Empty),
            (
                "https://ghcr.io/acme/app".into(),
                Scheme {
                    scheme: "https".into(),
                },
            ),
            ("ghcr.io/acme/app :1".into(), Whitespace),
            (
                "Nginx".into(),
                Uppercase {
                    repository: "library/Nginx".into(),
                },
            ),
            (
                "ghcr.io/Acme/app".into(),
                Uppercase {
                    repository: "Acme/app".into(),
                },
            ),
            (
                "ghcr.io/acme//app".into(),
                InvalidRepository {
                    repository: "acme//app".into(),
                },
            ),
            (
                "ghcr.io/-acme/app".into(),
                InvalidRepository {
                    repository: "-acme/app".into(),
                },
            ),
            (
                "ghcr.io/acme/app.".into(),
                InvalidRepository {
                    repository: "acme/app.".into(),
                },
            ),
            (
                "ghcr.io/a...b".into(),
                InvalidRepository {
                    repository: "a...b".into(),
                },
            ),
            (
                "ghcr.io/acme/".into(),
                InvalidRepository {
                    repository: "acme/".into(),
                },
            ),
            ("app:".into(), InvalidTag { tag: "".into() }),
            ("app:-x".into(), InvalidTag { tag: "-x".into() }),
            (
                format!("app:{}", "x".repeat(129)),
                InvalidTag {
                    tag: "x".repeat(129),
                },
            ),
            (
                "app@sha256:abc".into(),
                InvalidDigest {
                    digest: "sha256:abc".into(),
                },
            ),
            (
                "app@sha256".into(),
                InvalidDigest {
                    digest: "sha256".into(),
                },
            ),
            (
                format!("app@{}", SHA.to_uppercase()),
                InvalidDigest {
                    digest: SHA.to_uppercase(),
                },
            ),
            (
                "gh_cr.io/app".into(),
                InvalidHost {
                    host: "gh_cr.io".into(),
                },
            ),
            (
                "ghcr.io:99x/app".into(),
                InvalidHost {
                    host: "ghcr.io:99x".into(),
                },
            ),
            (
                "ghcr.io:/app".into(),
                InvalidHost {
                    host: "ghcr.io:".into(),
                },
            ),
            (format!("ghcr.io/{}", "a".repeat(250)), TooLong),
        ];
        for (input, want) in cases {
            assert_eq!(ImageRef::parse(&input), Err(want), "{input:?}");
        }
    }

    #[test]
    fn other_digest_algorithms_follow_the_general_grammar() {
        let long = "a".repeat(32);
        assert!(ImageRef::parse(&format!("app@multihash+base58:{long}")).is_ok());
        assert!(ImageRef::parse("app@sha384:short").is_err());
    }

    // -----------------------------------------------------------------------------------------
    // Hostile input (issue 9): property tests.

    use proptest::prelude::*;

    use crate::dockerconfig::RegistryKey;
    use crate::dockerconfig::hostile;

    /// Text built from the pieces references are made of, in any order and number.
    fn reference_like() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => "[a-z0-9]{1,8}",
            1 => "[A-Z]{1,3}",
            2 => Just("/".to_string()),
            2 => Just(":".to_string()),
            2 => Just(".".to_string()),
            1 => Just("@".to_string()),
            1 => Just("_".to_string()),
            1 => Just("__".to_string()),
            1 => Just("-".to_string()),
            1 => Just("sha256:".to_string()),
            1 => "[0-9a-f]{64}",
            1 => Just("[::1]".to_string()),
            1 => Just("[".to_string()),
            1 => Just("]".to_string()),
            1 => Just("localhost".to_string()),
            1 => Just("docker.io".to_string()),
            1 => Just("index.docker.io".to_string()),
            1 => Just("https://".to_string()),
            1 => Just(" ".to_string()),
            1 => Just("é".to_string()),
            1 => Just("a".repeat(130)),
        ];
        prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(hostile::config(1024))]

        #[test]
        fn references_never_panic_and_their_normal_form_parses_back(
            input in prop_oneof![3 => reference_like(), 1 => any::<String>()],
        ) {
            match ImageRef::parse(&input) {
                Ok(image) => {
                    let shown = image.to_string();
                    prop_assert_eq!(ImageRef::parse(&shown), Ok(image.clone()), "{}", shown);
                    prop_assert!(!image.registry().is_empty() && !image.repository().is_empty());
                    prop_assert!(image.name().len() <= MAX_NAME_LEN);
                    prop_assert!(image.tag().is_some() || image.digest().is_some());
                }
                // A reason quotes at most the input.
                Err(reason) => prop_assert!(reason.to_string().len() <= input.len() + 200),
            }
        }

        #[test]
        fn valid_references_give_their_parts_and_the_other_parsers_agree(
            (text, registry, repository, tag, digest) in hostile::valid_reference(),
        ) {
            let image = ImageRef::parse(&text);
            prop_assert!(image.is_ok(), "{}: {:?}", text, image);
            let image = image.unwrap();
            prop_assert_eq!(image.registry(), registry.as_str());
            prop_assert_eq!(image.repository(), repository.as_str());
            prop_assert_eq!(image.tag(), tag.as_deref());
            prop_assert_eq!(image.digest(), digest.as_deref());
            // `diagnose` reads the same registry from the text (every Docker Hub alias as
            // docker.io).
            let hub = |host: &str| match host {
                "registry-1.docker.io" => "docker.io".to_string(),
                host => host.to_string(),
            };
            prop_assert_eq!(crate::diagnose::registry_of(&text), Some(hub(&registry)));
            // `create --server REGISTRY` accepts the host, and the kubelet hands that key's
            // credentials to the runtime for this image. (The kubelet takes only docker.io and
            // index.docker.io for Docker Hub, so registry-1.docker.io images are not served by
            // Docker Hub's key.)
            let key = RegistryKey::parse(image.registry());
            prop_assert!(key.is_ok(), "--server {}: {:?}", image.registry(), key);
            let key = key.unwrap();
            if image.registry() != "registry-1.docker.io" {
                prop_assert_eq!(
                    crate::registry::matching_keys(&image, [key.as_str()]),
                    vec![key.as_str()]
                );
            }
        }
    }

    #[test]
    fn very_long_references_are_refused_quickly() {
        let long = "a".repeat(1 << 20);
        for input in [
            format!("ghcr.io/{long}"),
            format!("{long}.io/app"),
            format!("app:{long}"),
            format!("app@sha256:{long}"),
            format!("ghcr.io/{}", "a/".repeat(1 << 18)),
        ] {
            assert!(ImageRef::parse(&input).is_err());
        }
    }
}
