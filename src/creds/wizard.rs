//! The interactive `create`: asks for what the command line left out, on a terminal only, and
//! ends by printing the equivalent command (without the secret).
//!
//! It takes what the command line settled as plain values and returns its answers: a
//! [`Request`] for the credential sources, and the namespaces and `--attach` it asked about.

use dialoguer::{Confirm, Input, Password, Select};
use zeroize::Zeroizing;

use super::password::SecretString;
use super::{Error, Provider, Request, cloud};
use crate::dockerconfig::RegistryKey;

/// A registry the picker offers, with what a person needs to know about its credentials.
struct Choice {
    label: &'static str,
    /// None: ask for the host.
    server: Option<&'static str>,
    /// Example host when asked for.
    example: &'static str,
    username: &'static str,
    hint: &'static str,
    provider: Option<Provider>,
}

const CHOICES: &[Choice] = &[
    Choice {
        label: "Docker Hub",
        server: Some("docker.io"),
        example: "",
        username: "",
        hint: "Docker Hub: your user name and an access token (Account settings > Security)",
        provider: None,
    },
    Choice {
        label: "GitHub Container Registry (ghcr.io)",
        server: Some("ghcr.io"),
        example: "",
        username: "",
        hint: "GHCR: your GitHub user and a personal access token with read:packages",
        provider: None,
    },
    Choice {
        label: "Amazon ECR",
        server: None,
        example: "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
        username: "AWS",
        hint: "ECR: user AWS and a token from `aws ecr get-login-password` (valid 12 h)",
        provider: Some(Provider::Ecr),
    },
    Choice {
        label: "Azure Container Registry",
        server: None,
        example: "myregistry.azurecr.io",
        username: "",
        hint: "ACR: a service principal's app ID and secret, or a token from `az acr login --expose-token`",
        provider: Some(Provider::Acr),
    },
    Choice {
        label: "Google GCR / Artifact Registry",
        server: None,
        example: "europe-docker.pkg.dev",
        username: "_json_key",
        hint: "GCR/Artifact Registry: user _json_key and a service-account JSON key",
        provider: Some(Provider::Gcr),
    },
    Choice {
        label: "GitLab",
        server: Some("registry.gitlab.com"),
        example: "",
        username: "",
        hint: "GitLab: a deploy token with read_registry (user gitlab+deploy-token-N)",
        provider: None,
    },
    Choice {
        label: "Quay.io",
        server: Some("quay.io"),
        example: "",
        username: "",
        hint: "Quay: a robot account (org+name) and its token",
        provider: None,
    },
    Choice {
        label: "Harbor",
        server: None,
        example: "harbor.example.com",
        username: "",
        hint: "Harbor: a robot account (robot$project+name) and its secret",
        provider: None,
    },
    Choice {
        label: "Other registry",
        server: None,
        example: "registry.example.com:5000",
        username: "",
        hint: "Any registry: the user and password you would give `docker login`",
        provider: None,
    },
];

/// Where the wizard's credentials come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Keyring,
    DockerConfig,
    Cloud(Provider),
    Typed,
}

/// What the command line already settled, which the wizard shows or asks about.
#[derive(Debug, Clone)]
pub struct Settled {
    /// The secret's name, for the equivalent command.
    pub secret_name: String,
    /// The namespaces given with `-n`.
    pub namespaces: Vec<String>,
    /// The namespace to offer when the command line chose none (no `-n`, `-A` or
    /// `--namespace-selector`); None: do not ask.
    pub namespace_to_offer: Option<String>,
    /// `--attach`; when false, the wizard asks.
    pub attach: bool,
}

/// The wizard's answers.
#[derive(Debug)]
pub struct Answers {
    /// The credentials to ask the sources for.
    pub request: Request,
    /// The namespaces typed in, when the wizard asked for them.
    pub namespaces: Option<Vec<String>>,
    /// Whether to attach the secret to the default service accounts.
    pub attach: bool,
}

/// Does `create` need to ask? True when no credential source was given at all (a cloud
/// registry's host is one: its CLI mints the token). `--from-secret` is the caller's to check.
pub fn is_needed(request: &Request) -> bool {
    let all_cloud_hosts = !request.servers.is_empty()
        && request
            .servers
            .iter()
            .all(|server| cloud::cloud_host(server).is_some());
    !all_cloud_hosts
        && !request.password.is_given()
        && request.usernames.is_empty()
        && !request.from_keyring
        && request.from_docker_config.is_none()
        && request.provider.is_none()
        && request.gcp_key_file.is_none()
}

/// Asks for the missing inputs and returns the answers. Prompts go to stderr.
pub fn ask(request: &Request, settled: &Settled) -> Result<Answers, Error> {
    let mut request = request.clone();
    let (server, choice) = ask_registry(&request)?;
    eprintln!("  {}", choice.hint);
    let source = ask_source(choice)?;
    request.servers = vec![server];
    match source {
        Source::Keyring => request.from_keyring = true,
        Source::DockerConfig => request.from_docker_config = Some(Default::default()),
        Source::Cloud(provider) => request.provider = Some(provider),
        Source::Typed => {
            let username: String = Input::new()
                .with_prompt("Username")
                .with_initial_text(choice.username)
                .interact_text()
                .map_err(prompt_error)?;
            let password = Password::new()
                .with_prompt("Password or token (hidden)")
                .interact()
                .map_err(prompt_error)?;
            request.usernames = vec![username];
            request.password.typed = Some(SecretString(Zeroizing::new(password)));
        }
    }
    let namespaces = match &settled.namespace_to_offer {
        Some(offered) => {
            let typed: String = Input::new()
                .with_prompt("Namespaces (comma-separated)")
                .default(offered.clone())
                .interact_text()
                .map_err(prompt_error)?;
            Some(
                typed
                    .split(',')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(str::to_string)
                    .collect(),
            )
        }
        None => None,
    };
    let attach = settled.attach
        || Confirm::new()
            .with_prompt("Attach it to the default service account of each namespace?")
            .default(true)
            .interact()
            .map_err(prompt_error)?;
    let shown_namespaces = namespaces
        .as_deref()
        .unwrap_or(settled.namespaces.as_slice());
    eprintln!(
        "\nThe same without questions:\n  {}\n",
        equivalent_command(
            &settled.secret_name,
            &request,
            shown_namespaces,
            attach,
            source
        )
    );
    Ok(Answers {
        request,
        namespaces,
        attach,
    })
}

fn ask_registry(request: &Request) -> Result<(String, &'static Choice), Error> {
    let labels: Vec<&str> = CHOICES.iter().map(|c| c.label).collect();
    if let Some(server) = request.servers.first() {
        let choice = CHOICES
            .iter()
            .find(|c| c.server == Some(server.as_str()))
            .unwrap_or(&CHOICES[CHOICES.len() - 1]);
        return Ok((server.clone(), choice));
    }
    let index = Select::new()
        .with_prompt("Registry")
        .items(&labels)
        .default(0)
        .interact()
        .map_err(prompt_error)?;
    let choice = &CHOICES[index];
    let server = match choice.server {
        Some(server) => server.to_string(),
        None => Input::<String>::new()
            .with_prompt(format!("Registry host (e.g. {})", choice.example))
            .validate_with(|host: &String| {
                RegistryKey::parse(host)
                    .map(|_| ())
                    .map_err(|e| format!("{host:?} {e}"))
            })
            .interact_text()
            .map_err(prompt_error)?,
    };
    Ok((server, choice))
}

fn ask_source(choice: &Choice) -> Result<Source, Error> {
    // The keyring first: credentials saved once with `kubectl regcred login` are the easy path.
    let mut sources = vec![
        (
            "OS keyring (saved with `kubectl regcred login`)",
            Source::Keyring,
        ),
        (
            "Docker config (~/.docker/config.json and its credential helpers)",
            Source::DockerConfig,
        ),
    ];
    if let Some(provider) = choice.provider {
        sources.push(("Cloud CLI (mint a token now)", Source::Cloud(provider)));
    }
    sources.push(("Type them (the password is not echoed)", Source::Typed));
    let labels: Vec<&str> = sources.iter().map(|(label, _)| *label).collect();
    let index = Select::new()
        .with_prompt("Credentials from")
        .items(&labels)
        .default(0)
        .interact()
        .map_err(prompt_error)?;
    Ok(sources[index].1)
}

/// The command line that does the same without questions, the password left out.
fn equivalent_command(
    secret_name: &str,
    request: &Request,
    namespaces: &[String],
    attach: bool,
    source: Source,
) -> String {
    let mut words = vec!["kubectl regcred create".to_string(), quote(secret_name)];
    if let Some(server) = request.servers.first().filter(|s| *s != "docker.io") {
        words.push(format!("--server {}", quote(server)));
    }
    match source {
        Source::Keyring => words.push("--from-keyring".into()),
        Source::DockerConfig => words.push("--from-docker-config".into()),
        Source::Cloud(provider) => words.push(format!("--provider {}", provider.as_str())),
        Source::Typed => {
            if let Some(username) = request.usernames.first() {
                words.push(format!("--username {}", quote(username)));
            }
            words.push("--password-stdin".into());
        }
    }
    if !namespaces.is_empty() {
        words.push(format!("-n {}", namespaces.join(",")));
    }
    if attach {
        words.push("--attach".into());
    }
    words.join(" ")
}

/// Single-quotes a word for a POSIX shell when it needs it.
fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:@+,=".contains(&b));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

fn prompt_error(err: dialoguer::Error) -> Error {
    match err {
        dialoguer::Error::IO(io) if io.kind() == std::io::ErrorKind::Interrupted => {
            Error::Interrupted
        }
        dialoguer::Error::IO(io) => Error::Answer(io),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn servers(servers: &[&str]) -> Request {
        Request {
            servers: servers.iter().map(|s| s.to_string()).collect(),
            ..Request::default()
        }
    }

    #[test]
    fn only_a_request_without_credentials_asks() {
        assert!(is_needed(&Request::default()));
        assert!(is_needed(&servers(&["ghcr.io"])));
        // A cloud registry's CLI mints the token: nothing to ask.
        assert!(!is_needed(&servers(&[
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
        ])));
        let mut typed = servers(&["ghcr.io"]);
        typed.usernames = vec!["u".into()];
        assert!(!is_needed(&typed));
        let mut stdin = Request::default();
        stdin.password.stdin = true;
        assert!(!is_needed(&stdin));
        let mut refused = Request::default();
        refused.password.on_command_line = true;
        assert!(!is_needed(&refused));
        let keyring = Request {
            from_keyring: true,
            ..servers(&["x.io"])
        };
        assert!(!is_needed(&keyring));
        let docker = Request {
            from_docker_config: Some(Default::default()),
            ..Request::default()
        };
        assert!(!is_needed(&docker));
    }

    #[test]
    fn the_equivalent_command_never_holds_the_password() {
        let mut request = servers(&["ghcr.io"]);
        request.usernames = vec!["octo cat".into()];
        request.password.typed = Some(SecretString(Zeroizing::new("s3cret-sentinel".into())));
        let namespaces = ["team-a".to_string(), "team-b".to_string()];
        let line = equivalent_command("regcred", &request, &namespaces, true, Source::Typed);
        assert_eq!(
            line,
            "kubectl regcred create regcred --server ghcr.io --username 'octo cat' --password-stdin -n team-a,team-b --attach"
        );
        assert!(!format!("{request:?}").contains("s3cret-sentinel"));
    }

    #[test]
    fn sources_read_as_their_flags() {
        let request = servers(&["1.dkr.ecr.eu-west-1.amazonaws.com"]);
        let command = |source| equivalent_command("ecr", &request, &[], false, source);
        assert_eq!(
            command(Source::Cloud(Provider::Ecr)),
            "kubectl regcred create ecr --server 1.dkr.ecr.eu-west-1.amazonaws.com --provider ecr"
        );
        assert!(command(Source::Keyring).ends_with("--from-keyring"));
        assert!(command(Source::DockerConfig).ends_with("--from-docker-config"));
        let hub = equivalent_command("x", &servers(&["docker.io"]), &[], false, Source::Keyring);
        assert_eq!(hub, "kubectl regcred create x --from-keyring");
    }

    #[test]
    fn words_are_quoted_for_the_shell_when_needed() {
        assert_eq!(quote("ghcr.io:443"), "ghcr.io:443");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("it's"), "'it'\\''s'");
    }

    #[test]
    fn every_choice_has_a_hint_and_a_host_or_an_example() {
        for choice in CHOICES {
            assert!(!choice.hint.is_empty());
            assert!(
                choice.server.is_some() || !choice.example.is_empty(),
                "{}",
                choice.label
            );
        }
    }
}
