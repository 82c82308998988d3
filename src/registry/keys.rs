//! Which entries of a pull secret the kubelet hands to the runtime for an image.
//!
//! Pure: a port of the kubelet's `BasicDockerKeyring` (`pkg/credentialprovider/keyring.go`).
//! What an entry holds is read by [`crate::dockerconfig::stored`], as the kubelet reads it.

use serde::Serialize;

use super::ImageRef;
use crate::glob;

/// The host the kubelet files Docker Hub's `https://index.docker.io/v1/` key under.
const DOCKER_HUB_INDEX_HOST: &str = "index.docker.io";

/// The keys of `keys` (as written in the secret) whose credentials the kubelet would try for
/// `image`, in the order it tries them.
///
/// As the kubelet does:
/// - a key is a URL without its scheme; `/v1/` and `/v2/` paths name the registry itself
///   (`https://index.docker.io/v1/` is `index.docker.io`);
/// - a key matches when its host has as many dot-separated labels as the image's, each label
///   matches as a glob (`*.azurecr.io`), the ports are equal, and the key's path is a string
///   prefix of the image's path (`quay.io/acme` matches `quay.io/acme/app` — and also
///   `quay.io/acmecorp/app`, as in the kubelet);
/// - matches are tried longest key first (reverse lexical order);
/// - when nothing matches a Docker Hub image, the `index.docker.io` key is used.
///
/// ```
/// use kubectl_regcred::registry::{ImageRef, matching_keys};
/// let keys = ["https://index.docker.io/v1/", "quay.io/acme", "quay.io"];
/// let image: ImageRef = "quay.io/acme/app:1".parse().unwrap();
/// assert_eq!(matching_keys(&image, keys), ["quay.io/acme", "quay.io"]);
/// let hub: ImageRef = "nginx".parse().unwrap();
/// assert_eq!(matching_keys(&hub, keys), ["https://index.docker.io/v1/"]);
/// ```
pub fn matching_keys<'a>(
    image: &ImageRef,
    keys: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    let keys: Vec<&str> = keys.into_iter().collect();
    keyring_order(image, &[keys])
        .into_iter()
        .map(|(_, key)| key)
        .collect()
}

/// Whether the kubelet would try any of `keys` (as written in a secret) for `image`: the
/// secret holding them serves the image ([`matching_keys`]).
///
/// ```
/// use kubectl_regcred::registry::{ImageRef, keys_serve};
/// let image: ImageRef = "nginx:1.27".parse().unwrap();
/// assert!(keys_serve(&image, ["https://index.docker.io/v1/"]));
/// assert!(!keys_serve(&image, ["ghcr.io"]));
/// ```
pub fn keys_serve<'a>(image: &ImageRef, keys: impl IntoIterator<Item = &'a str>) -> bool {
    !matching_keys(image, keys).is_empty()
}

/// Will the kubelet pull `image` from Docker Hub without credentials, with a pod whose pull
/// secrets hold these keys (one list per secret, [`keyring_order`])? Such pulls count against
/// Docker Hub's anonymous limit ([`super::DOCKER_HUB_LIMITS`]).
///
/// ```
/// use kubectl_regcred::registry::{ImageRef, pulls_docker_hub_anonymously};
/// let busybox: ImageRef = "busybox:1.36".parse().unwrap();
/// assert!(pulls_docker_hub_anonymously(&busybox, &[vec!["ghcr.io"]]));
/// assert!(!pulls_docker_hub_anonymously(&busybox, &[vec!["https://index.docker.io/v1/"]]));
/// let ghcr: ImageRef = "ghcr.io/acme/app".parse().unwrap();
/// assert!(!pulls_docker_hub_anonymously(&ghcr, &[]));
/// ```
pub fn pulls_docker_hub_anonymously(image: &ImageRef, secrets: &[Vec<&str>]) -> bool {
    image.is_docker_hub() && keyring_order(image, secrets).is_empty()
}

/// The credentials the kubelet tries for `image` when a pod lists several pull secrets, in
/// the order it tries them: `(index of the secret in secrets, key as written)`.
///
/// The kubelet puts every entry of every pod secret into one keyring (`MakeDockerKeyring`):
/// keys are tried longest first across all secrets, and the entries of one key in the order
/// the pod lists their secrets. A key the secrets share does not hide the later secrets'
/// entries: all are tried. [`keyring_lookup`] also says why each key matched or did not.
///
/// ```
/// use kubectl_regcred::registry::{ImageRef, keyring_order};
/// let image: ImageRef = "quay.io/acme/app:1".parse().unwrap();
/// let first = vec!["quay.io"];
/// let second = vec!["quay.io/acme", "quay.io"];
/// assert_eq!(
///     keyring_order(&image, &[first, second]),
///     [(1, "quay.io/acme"), (0, "quay.io"), (1, "quay.io")],
/// );
/// ```
pub fn keyring_order<'a>(image: &ImageRef, secrets: &[Vec<&'a str>]) -> Vec<(usize, &'a str)> {
    keyring_lookup(image, secrets)
        .tried
        .into_iter()
        .map(|tried| (tried.secret, tried.key))
        .collect()
}

/// Why the kubelet tries a key for an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyMatch {
    /// How the key's host matched the image's.
    pub host: HostMatch,
    /// The port key and image both name, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<String>,
    /// The key's path, a string prefix of the image's path, if the key has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_prefix: Option<String>,
}

/// How a key's host matched an image's host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HostMatch {
    /// Every dot-separated label is the same.
    Exact,
    /// Some label is a glob (`*.azurecr.io`) that matches the image's label.
    Glob,
    /// Nothing matched a Docker Hub image, and the key is Docker Hub's
    /// (`https://index.docker.io/v1/`), which the kubelet then uses.
    DockerHubDefault,
}

impl std::fmt::Display for KeyMatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.host {
            HostMatch::Exact => write!(f, "host matches exactly")?,
            HostMatch::Glob => write!(f, "host matches by glob")?,
            HostMatch::DockerHubDefault => {
                return write!(
                    f,
                    "Docker Hub's key, used because no key matches this Docker Hub image"
                );
            }
        }
        if let Some(port) = &self.port {
            write!(f, ", port {port}")?;
        }
        match &self.path_prefix {
            Some(path) => write!(f, ", path prefix {path}"),
            None => write!(f, ", any path"),
        }
    }
}

/// Why the kubelet does not try a key for an image: the first of its checks that fails, in the
/// order `URLsMatch` makes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum KeyMismatch {
    /// The ports differ (none is a port of its own: `host` and `host:443` differ).
    Port {
        #[serde(skip_serializing_if = "Option::is_none")]
        key: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        image: Option<String>,
    },
    /// The hosts have different numbers of dot-separated labels.
    LabelCount { key: usize, image: usize },
    /// The key's path is not a prefix of the image's path.
    Path { key: String, image: String },
    /// A label of the key's host does not match the image's (as a glob).
    Host { pattern: String, label: String },
}

impl std::fmt::Display for KeyMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let port = |p: &Option<String>| p.clone().unwrap_or_else(|| "none".into());
        match self {
            KeyMismatch::Port { key, image } => write!(
                f,
                "port differs (key: {}, image: {})",
                port(key),
                port(image)
            ),
            KeyMismatch::LabelCount { key, image } => write!(
                f,
                "host has {key} dot-separated labels, the image's has {image}"
            ),
            KeyMismatch::Path { key, image } => {
                write!(f, "path {key} is not a prefix of the image's path {image}")
            }
            KeyMismatch::Host { pattern, label } => {
                write!(f, "host label {pattern:?} does not match {label:?}")
            }
        }
    }
}

/// A key the kubelet tries for an image, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tried<'a> {
    /// Index of the secret in the list given.
    pub secret: usize,
    /// The key as written in the secret.
    pub key: &'a str,
    pub why: KeyMatch,
}

/// A key the kubelet does not try for an image, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Untried<'a> {
    /// Index of the secret in the list given.
    pub secret: usize,
    /// The key as written in the secret.
    pub key: &'a str,
    pub why: KeyMismatch,
}

/// Every key of a pod's pull secrets, split as the kubelet's keyring splits them for an image.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lookup<'a> {
    /// The keys tried, in the order the kubelet tries them ([`keyring_order`]).
    pub tried: Vec<Tried<'a>>,
    /// The keys not tried, in the keyring's order.
    pub untried: Vec<Untried<'a>>,
}

/// [`keyring_order`], with the reason for every key: why it is tried, or why not.
///
/// ```
/// use kubectl_regcred::registry::{HostMatch, ImageRef, keyring_lookup};
/// let image: ImageRef = "quay.io/acme/app:1".parse().unwrap();
/// let lookup = keyring_lookup(&image, &[vec!["*.io", "quay.io/other"]]);
/// assert_eq!(lookup.tried[0].why.host, HostMatch::Glob);
/// assert_eq!(lookup.untried[0].key, "quay.io/other");
/// ```
pub fn keyring_lookup<'a>(image: &ImageRef, secrets: &[Vec<&'a str>]) -> Lookup<'a> {
    let mut indexed: Vec<(String, usize, &str)> = secrets
        .iter()
        .enumerate()
        .flat_map(|(secret, keys)| keys.iter().map(move |raw| (kubelet_key(raw), secret, *raw)))
        .collect();
    // The kubelet's index is sorted in reverse, so longer (more specific) keys come first;
    // a key's entries keep the order their secrets were added in.
    indexed.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| a.1.cmp(&b.1))
            .then_with(|| a.2.cmp(b.2))
    });
    let target = image.name();
    let mut lookup = Lookup::default();
    let mut hub_keys = Vec::new();
    for (key, secret, raw) in &indexed {
        match url_match(key, &target) {
            Ok(why) => lookup.tried.push(Tried {
                secret: *secret,
                key: raw,
                why,
            }),
            Err(why) => {
                if key == DOCKER_HUB_INDEX_HOST {
                    hub_keys.push(lookup.untried.len());
                }
                lookup.untried.push(Untried {
                    secret: *secret,
                    key: raw,
                    why,
                });
            }
        }
    }
    if lookup.tried.is_empty() && image.is_docker_hub() {
        // Nothing matched a Docker Hub image: the kubelet uses Docker Hub's key.
        for index in hub_keys.into_iter().rev() {
            let untried = lookup.untried.remove(index);
            lookup.tried.insert(
                0,
                Tried {
                    secret: untried.secret,
                    key: untried.key,
                    why: KeyMatch {
                        host: HostMatch::DockerHubDefault,
                        port: None,
                        path_prefix: None,
                    },
                },
            );
        }
    }
    lookup
}

/// A key as the kubelet indexes it: no scheme, `/v1/` or `/v2/` dropped, host alone when
/// no path is left.
fn kubelet_key(raw: &str) -> String {
    let without_scheme = raw
        .strip_prefix("https://")
        .or_else(|| raw.strip_prefix("http://"))
        .unwrap_or(raw);
    let (host, path) = split_url(without_scheme);
    let path = match path
        .strip_prefix("/v2/")
        .or_else(|| path.strip_prefix("/v1/"))
    {
        Some(rest) => format!("/{rest}"),
        None => path.to_string(),
    };
    if path.is_empty() || path == "/" {
        host.to_string()
    } else {
        format!("{host}{path}")
    }
}

/// `host[:port]` and `/path` of a schemeless URL, query and fragment dropped.
fn split_url(url: &str) -> (&str, &str) {
    let url = url.split(['?', '#']).next().unwrap_or_default();
    match url.find('/') {
        Some(i) => (&url[..i], &url[i..]),
        None => (url, ""),
    }
}

/// The kubelet's `URLsMatchStr(glob, target)`, with its reason.
fn url_match(key: &str, target: &str) -> Result<KeyMatch, KeyMismatch> {
    let (glob_host, glob_path) = split_url(key);
    let (target_host, target_path) = split_url(target);
    let (glob_labels, glob_port) = split_host_port(glob_host);
    let (target_labels, target_port) = split_host_port(target_host);
    let port = |p: &str| (!p.is_empty()).then(|| p.to_string());
    if glob_port != target_port {
        return Err(KeyMismatch::Port {
            key: port(glob_port),
            image: port(target_port),
        });
    }
    if glob_labels.len() != target_labels.len() {
        return Err(KeyMismatch::LabelCount {
            key: glob_labels.len(),
            image: target_labels.len(),
        });
    }
    if !target_path.starts_with(glob_path) {
        return Err(KeyMismatch::Path {
            key: glob_path.to_string(),
            image: target_path.to_string(),
        });
    }
    let labels = glob_labels.iter().zip(&target_labels);
    if let Some((pattern, label)) = labels.clone().find(|(p, l)| !glob::matches(p, l)) {
        return Err(KeyMismatch::Host {
            pattern: pattern.to_string(),
            label: label.to_string(),
        });
    }
    let is_exact = labels.clone().all(|(pattern, label)| pattern == label);
    Ok(KeyMatch {
        host: if is_exact {
            HostMatch::Exact
        } else {
            HostMatch::Glob
        },
        port: port(glob_port),
        path_prefix: (!glob_path.is_empty()).then(|| glob_path.to_string()),
    })
}

/// Host labels and port, as Go's `net.SplitHostPort` and `strings.Split(host, ".")`.
fn split_host_port(host: &str) -> (Vec<&str>, &str) {
    let (name, port) = if let Some(bracketed) = host.strip_prefix('[') {
        match bracketed.split_once(']') {
            Some((address, rest)) => (address, rest.strip_prefix(':').unwrap_or_default()),
            None => (host, ""),
        }
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if !name.contains(':') => (name, port),
            _ => (host, ""),
        }
    };
    (name.split('.').collect(), port)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(s: &str) -> ImageRef {
        ImageRef::parse(s).unwrap()
    }

    #[test]
    fn keys_are_indexed_as_the_kubelet_does() {
        let cases = [
            ("https://index.docker.io/v1/", "index.docker.io"),
            ("index.docker.io", "index.docker.io"),
            ("docker.io", "docker.io"),
            ("http://ghcr.io/", "ghcr.io"),
            ("ghcr.io/v2/", "ghcr.io"),
            ("quay.io/acme", "quay.io/acme"),
            ("https://quay.io/v2/acme", "quay.io/acme"),
            ("localhost:5000", "localhost:5000"),
        ];
        for (raw, want) in cases {
            assert_eq!(kubelet_key(raw), want, "{raw}");
        }
    }

    #[test]
    fn docker_hub_images_find_every_spelling_of_its_key() {
        for key in [
            "https://index.docker.io/v1/",
            "index.docker.io",
            "docker.io",
            "https://docker.io",
        ] {
            for img in ["nginx", "docker.io/library/nginx", "bitnami/redis:7"] {
                assert_eq!(matching_keys(&image(img), [key]), [key], "{key} for {img}");
            }
        }
        // registry-1.docker.io is what `docker login` never writes; the kubelet ignores it.
        assert!(matching_keys(&image("nginx"), ["registry-1.docker.io"]).is_empty());
    }

    #[test]
    fn hosts_ports_and_paths_must_match() {
        let cases: &[(&str, &str, bool)] = &[
            ("ghcr.io", "ghcr.io/acme/app:1", true),
            ("GHCR.io", "ghcr.io/acme/app:1", false),
            ("ghcr.io", "quay.io/acme/app", false),
            ("ghcr.io", "docker.io/library/nginx", false),
            ("127.0.0.1:5000", "127.0.0.1:5000/team/app:1.0", true),
            ("127.0.0.1", "127.0.0.1:5000/team/app:1.0", false),
            ("127.0.0.1:5001", "127.0.0.1:5000/team/app:1.0", false),
            ("http://127.0.0.1:5000/", "127.0.0.1:5000/team/app", true),
            ("quay.io/acme", "quay.io/acme/app", true),
            ("quay.io/acme", "quay.io/acmecorp/app", true),
            ("quay.io/acme/", "quay.io/acmecorp/app", false),
            ("quay.io/acme", "quay.io/other/app", false),
            ("*.azurecr.io", "myreg.azurecr.io/app", true),
            ("*.azurecr.io", "azurecr.io/app", false),
            (
                "*.dkr.ecr.*.amazonaws.com",
                "1234.dkr.ecr.eu-west-1.amazonaws.com/app",
                true,
            ),
            ("*.io", "myreg.io/app", true),
            // As in Go's url.Parse, '?' starts a query: the key is host "my".
            ("my?eg.io", "myreg.io/app", false),
            ("[::1]:5000", "[::1]:5000/app", true),
            ("[::1]", "[::1]:5000/app", false),
        ];
        for (key, img, want) in cases {
            let found = !matching_keys(&image(img), [*key]).is_empty();
            assert_eq!(found, *want, "{key} for {img}");
            let lookup = keyring_lookup(&image(img), &[vec![*key]]);
            assert_eq!(
                lookup.tried.len() + lookup.untried.len(),
                1,
                "{key} for {img}"
            );
        }
    }

    #[test]
    fn keys_serve_images_as_the_kubelet_matches_them() {
        let serves = |key: &str, img: &str| keys_serve(&image(img), [key]);
        assert!(serves("https://index.docker.io/v1/", "nginx:1.27"));
        assert!(serves("docker.io", "library/nginx"));
        assert!(serves("ghcr.io", "ghcr.io/acme/app:1.0"));
        assert!(serves("https://ghcr.io/", "ghcr.io/acme/app"));
        assert!(serves("quay.io/acme", "quay.io/acme/app:1"));
        assert!(!serves("quay.io/acme", "quay.io/other/app:1"));
        assert!(!serves("ghcr.io", "nginx"));
        assert!(serves(
            "localhost:32000",
            "localhost:32000/mynginx:registry"
        ));
        assert!(!serves("localhost", "localhost:32000/mynginx"));
        assert!(!keys_serve(&image("nginx"), []));
    }

    #[test]
    fn longest_key_is_tried_first() {
        let keys = ["quay.io", "quay.io/acme", "quay.io/acme/app", "ghcr.io"];
        assert_eq!(
            matching_keys(&image("quay.io/acme/app:1"), keys),
            ["quay.io/acme/app", "quay.io/acme", "quay.io"]
        );
    }

    #[test]
    fn lookup_says_why_each_key_is_tried_or_not() {
        let img = image("registry.regcred.test:5000/team/app:1.0");
        let secrets = [
            vec!["registry.regcred.test:5000"],
            vec!["registry.regcred.test:5000/team"],
            vec!["registry.regcred.test:5000/other", "*.regcred.test:5000"],
            vec![
                "registry.regcred.test",
                "regcred.test:5000",
                "mirror.regcred.test:5000",
            ],
        ];
        let lookup = keyring_lookup(&img, &secrets);
        let tried: Vec<(usize, &str, HostMatch, Option<&str>)> = lookup
            .tried
            .iter()
            .map(|t| (t.secret, t.key, t.why.host, t.why.path_prefix.as_deref()))
            .collect();
        assert_eq!(
            tried,
            [
                (
                    1,
                    "registry.regcred.test:5000/team",
                    HostMatch::Exact,
                    Some("/team")
                ),
                (0, "registry.regcred.test:5000", HostMatch::Exact, None),
                (2, "*.regcred.test:5000", HostMatch::Glob, None),
            ]
        );
        assert!(
            lookup
                .tried
                .iter()
                .all(|t| t.why.port.as_deref() == Some("5000"))
        );
        let untried: Vec<(&str, String)> = lookup
            .untried
            .iter()
            .map(|u| (u.key, u.why.to_string()))
            .collect();
        assert_eq!(
            untried,
            [
                (
                    "registry.regcred.test:5000/other",
                    "path /other is not a prefix of the image's path /team/app".to_string()
                ),
                (
                    "registry.regcred.test",
                    "port differs (key: none, image: 5000)".to_string()
                ),
                (
                    "regcred.test:5000",
                    "host has 2 dot-separated labels, the image's has 3".to_string()
                ),
                (
                    "mirror.regcred.test:5000",
                    "host label \"mirror\" does not match \"registry\"".to_string()
                ),
            ]
        );
    }

    #[test]
    fn docker_hub_key_is_the_fallback_only_when_nothing_matches() {
        let hub = image("busybox");
        let lookup = keyring_lookup(&hub, &[vec!["https://index.docker.io/v1/", "ghcr.io"]]);
        assert_eq!(lookup.tried.len(), 1);
        assert_eq!(lookup.tried[0].why.host, HostMatch::DockerHubDefault);
        assert_eq!(lookup.untried.len(), 1);
        assert_eq!(lookup.untried[0].key, "ghcr.io");
        let lookup = keyring_lookup(&hub, &[vec!["https://index.docker.io/v1/", "docker.io"]]);
        assert_eq!(lookup.tried.len(), 1);
        assert_eq!(lookup.tried[0].key, "docker.io");
        assert_eq!(lookup.untried[0].key, "https://index.docker.io/v1/");
    }

    // -----------------------------------------------------------------------------------------
    // Hostile input (issue 9): property tests.

    use proptest::prelude::*;

    use crate::dockerconfig::hostile;

    /// Keys as secrets hold them: any spelling, globs, paths, queries.
    fn secret_key() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => hostile::host_or_hostile(),
            1 => (hostile::valid_authority(), "[a-z/]{0,12}").prop_map(|(h, p)| format!("https://{h}/{p}")),
            1 => "[a-z*?.]{0,16}(:[0-9]{1,5})?",
        ]
    }

    proptest! {
        #![proptest_config(hostile::config(256))]

        #[test]
        fn matching_keys_never_panic_and_return_given_keys_longest_first(
            (text, ..) in hostile::valid_reference(),
            keys in prop::collection::vec(secret_key(), 0..12),
        ) {
            let image = image(&text);
            let found = matching_keys(&image, keys.iter().map(String::as_str));
            for key in &found {
                prop_assert!(keys.iter().any(|k| k == key));
            }
            let indexed: Vec<String> = found.iter().map(|key| kubelet_key(key)).collect();
            prop_assert!(indexed.windows(2).all(|pair| pair[0] >= pair[1]), "{:?}", indexed);
        }
    }
}
