//! The interactive `create`: asks for what the command line left out, on a terminal only, and
//! ends by printing the equivalent command (without the secret).

use std::io::IsTerminal;

use dialoguer::{Confirm, Input, Password, Select};
use zeroize::Zeroizing;

use super::password::SecretString;
use crate::cli::{CreateArgs, KubeArgs, Provider};
use crate::error::Error;

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

/// Does `create` need to ask? True when no credential source was given at all (a cloud
/// registry's host is one: its CLI mints the token).
pub fn is_needed(args: &CreateArgs) -> bool {
    let p = &args.password;
    let s = &args.sources;
    let all_cloud_hosts = !args.server.is_empty()
        && args
            .server
            .iter()
            .all(|server| super::cloud::cloud_host(server).is_some());
    !all_cloud_hosts
        && !p.password_stdin
        && p.password_file.is_empty()
        && p.password_on_command_line.is_none()
        && args.username.is_empty()
        && args.from_secret.is_none()
        && !s.from_keyring
        && s.from_docker_config.is_none()
        && s.provider.is_none()
        && s.gcp_key_file.is_none()
}

/// True when a person is there to answer: stdin and stderr are terminals.
pub fn can_ask() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Asks for the missing inputs and returns the filled-in arguments. Prompts go to stderr.
pub fn ask(kube: &KubeArgs, args: &CreateArgs) -> Result<(KubeArgs, CreateArgs), Error> {
    let mut kube = kube.clone();
    let mut args = args.clone();
    let (server, choice) = ask_registry(&args)?;
    eprintln!("  {}", choice.hint);
    let source = ask_source(choice)?;
    args.server = vec![server.clone()];
    match source {
        Source::Keyring => args.sources.from_keyring = true,
        Source::DockerConfig => args.sources.from_docker_config = Some(Default::default()),
        Source::Cloud(provider) => args.sources.provider = Some(provider),
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
            args.username = vec![username];
            args.typed_password = Some(SecretString(Zeroizing::new(password)));
        }
    }
    if kube.namespace.is_empty() && !kube.all_namespaces && kube.namespace_selector.is_none() {
        let namespaces: String = Input::new()
            .with_prompt("Namespaces (comma-separated)")
            .default(crate::cluster::offline_namespace(&kube))
            .interact_text()
            .map_err(prompt_error)?;
        kube.namespace = namespaces
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .collect();
    }
    if !args.attach {
        args.attach = Confirm::new()
            .with_prompt("Attach it to the default service account of each namespace?")
            .default(true)
            .interact()
            .map_err(prompt_error)?;
    }
    eprintln!(
        "\nThe same without questions:\n  {}\n",
        equivalent_command(&kube, &args, source)
    );
    Ok((kube, args))
}

fn ask_registry(args: &CreateArgs) -> Result<(String, &'static Choice), Error> {
    let labels: Vec<&str> = CHOICES.iter().map(|c| c.label).collect();
    if let Some(server) = args.server.first() {
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
                crate::dockerconfig::RegistryKey::parse(host)
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
fn equivalent_command(kube: &KubeArgs, args: &CreateArgs, source: Source) -> String {
    let mut words = vec!["kubectl regcred create".to_string(), quote(&args.name)];
    if let Some(server) = args.server.first().filter(|s| *s != "docker.io") {
        words.push(format!("--server {}", quote(server)));
    }
    match source {
        Source::Keyring => words.push("--from-keyring".into()),
        Source::DockerConfig => words.push("--from-docker-config".into()),
        Source::Cloud(provider) => words.push(format!(
            "--provider {}",
            match provider {
                Provider::Ecr => "ecr",
                Provider::Acr => "acr",
                Provider::Gcr => "gcr",
                Provider::Auto => "auto",
            }
        )),
        Source::Typed => {
            if let Some(username) = args.username.first() {
                words.push(format!("--username {}", quote(username)));
            }
            words.push("--password-stdin".into());
        }
    }
    if !kube.namespace.is_empty() {
        words.push(format!("-n {}", kube.namespace.join(",")));
    }
    if args.attach {
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
        dialoguer::Error::IO(io) => Error::Failed(format!("cannot read the answer: {io}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn parse(words: &[&str]) -> (KubeArgs, CreateArgs) {
        let cli = crate::cli::Cli::try_parse_from(
            std::iter::once("kubectl-regcred").chain(words.iter().copied()),
        )
        .unwrap();
        let crate::cli::Command::Create(args) = cli.command else {
            panic!("not create")
        };
        (cli.kube, args)
    }

    #[test]
    fn only_a_command_without_credentials_asks() {
        assert!(is_needed(&parse(&["create", "regcred"]).1));
        assert!(is_needed(
            &parse(&["create", "regcred", "-n", "a", "--attach"]).1
        ));
        assert!(!is_needed(
            &parse(&["create", "regcred", "-u", "u", "--password-stdin"]).1
        ));
        assert!(!is_needed(
            &parse(&["create", "regcred", "--from-secret", "x"]).1
        ));
        assert!(!is_needed(
            &parse(&["create", "regcred", "-s", "x.io", "--from-keyring"]).1
        ));
        // A cloud registry's CLI mints the token: nothing to ask.
        assert!(!is_needed(
            &parse(&[
                "create",
                "ecr",
                "-s",
                "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
            ])
            .1
        ));
        assert!(is_needed(&parse(&["create", "regcred", "-s", "ghcr.io"]).1));
    }

    #[test]
    fn the_equivalent_command_never_holds_the_password() {
        let (mut kube, mut args) = parse(&["create", "regcred"]);
        args.server = vec!["ghcr.io".into()];
        args.username = vec!["octo cat".into()];
        args.typed_password = Some(SecretString(Zeroizing::new("s3cret-sentinel".into())));
        args.attach = true;
        kube.namespace = vec!["team-a".into(), "team-b".into()];
        let line = equivalent_command(&kube, &args, Source::Typed);
        assert_eq!(
            line,
            "kubectl regcred create regcred --server ghcr.io --username 'octo cat' --password-stdin -n team-a,team-b --attach"
        );
        assert!(!format!("{args:?}").contains("s3cret-sentinel"));
    }

    #[test]
    fn sources_read_as_their_flags() {
        let (kube, mut args) = parse(&["create", "ecr"]);
        args.server = vec!["1.dkr.ecr.eu-west-1.amazonaws.com".into()];
        assert_eq!(
            equivalent_command(&kube, &args, Source::Cloud(Provider::Ecr)),
            "kubectl regcred create ecr --server 1.dkr.ecr.eu-west-1.amazonaws.com --provider ecr"
        );
        assert!(equivalent_command(&kube, &args, Source::Keyring).ends_with("--from-keyring"));
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
