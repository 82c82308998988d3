//! `kubectl regcred create`: build a pull secret, merge it into every selected namespace, and
//! optionally attach it to service accounts; `--heal` (which implies `--attach`) then restarts
//! what the secret unblocks.

use std::collections::{BTreeMap, HashMap};

use k8s_openapi::api::core::v1::{Secret, ServiceAccount};

use zeroize::Zeroizing;

use super::heal::{AfterAttach, WithHeal};
use super::{in_each_context, mode_of, validate_named_namespaces, validate_secret_name};
use crate::cli::{self, CreateArgs, CredentialArgs, DryRun, KubeArgs};
use crate::cluster::accounts::{self, Accounts, Edit};
use crate::cluster::fanout::Work;
use crate::cluster::secrets::{self, Change, DesiredSecret};
use crate::cluster::{self, Cluster, contexts, namespaces, prefetch};
use crate::creds::{self, Request, password, wizard};
use crate::dockerconfig::{self, Credentials, DockerConfig, RegistryKey};
use crate::error::Error;
use crate::labels::RUNAI_CLUSTER_WIDE;
use crate::output;

/// Runs `create`; with no credentials given, on a terminal, asks for them first.
pub async fn run(kube: &KubeArgs, args: &CreateArgs) -> Result<(), Error> {
    let request = credentials_request(&args.credentials);
    if asks(args, &request) && creds::can_ask() {
        validate_secret_name(&args.name)?;
        let chose_namespaces =
            !kube.namespace.is_empty() || kube.all_namespaces || kube.namespace_selector.is_some();
        let settled = wizard::Settled {
            secret_name: args.name.clone(),
            namespaces: kube.namespace.clone(),
            namespace_to_offer: (!chose_namespaces)
                .then(|| cluster::offline_namespace(&kube.target())),
            attach: args.attach,
        };
        let answers = wizard::ask(&request, &settled)?;
        let mut kube = kube.clone();
        if let Some(namespaces) = answers.namespaces {
            kube.namespace = namespaces;
        }
        let args = CreateArgs {
            attach: answers.attach,
            ..args.clone()
        };
        return create(&kube, &args, &answers.request).await;
    }
    create(kube, args, &request).await
}

/// What the credential flags (of `create`, `rotate`) ask the credential sources for.
pub(crate) fn credentials_request(args: &CredentialArgs) -> Request {
    let sources = &args.sources;
    Request {
        servers: args.server.clone(),
        usernames: args.username.clone(),
        email: args.email.clone().filter(|e| !e.is_empty()),
        password: creds::PasswordInput {
            stdin: args.password.password_stdin,
            files: args.password.password_file.clone(),
            on_command_line: args.password.password_on_command_line.is_some(),
            typed: args.typed_password.clone(),
        },
        from_keyring: sources.from_keyring,
        from_docker_config: sources.from_docker_config.clone(),
        yes: sources.yes,
        provider: sources.provider.map(|provider| match provider {
            cli::Provider::Auto => creds::Provider::Auto,
            cli::Provider::Ecr => creds::Provider::Ecr,
            cli::Provider::Acr => creds::Provider::Acr,
            cli::Provider::Gcr => creds::Provider::Gcr,
        }),
        region: sources.region.clone(),
        gcp_key_file: sources.gcp_key_file.clone(),
    }
}

/// Whether the wizard has something to ask: no credentials, and no `--from-secret` either.
fn asks(args: &CreateArgs, request: &Request) -> bool {
    args.from_secret.is_none() && wizard::is_needed(request)
}

async fn create(kube: &KubeArgs, args: &CreateArgs, request: &Request) -> Result<(), Error> {
    validate_secret_name(&args.name)?;
    validate_named_namespaces(kube)?;
    let from_secret = args
        .from_secret
        .as_deref()
        .map(parse_secret_ref)
        .transpose()?;
    let (config, source_annotations) = new_credentials(request, from_secret.is_some())?;
    let mut desired = DesiredSecret {
        name: args.name.clone(),
        config,
        replace: args.replace,
        labels: args
            .labels
            .iter()
            .map(|kv| (kv.key.clone(), kv.value.clone()))
            .collect(),
        annotations: args
            .annotations
            .iter()
            .map(|kv| (kv.key.clone(), kv.value.clone()))
            .chain(source_annotations)
            .collect(),
    };
    if args.run_ai.cluster_wide {
        desired
            .labels
            .insert(RUNAI_CLUSTER_WIDE.0.into(), RUNAI_CLUSTER_WIDE.1.into());
    }

    // With --heal, a client dry run reads the cluster to report what would be restarted.
    let prints_manifests = args.output.dry_run == Some(DryRun::Client) && !args.heal.heal;
    if prints_manifests && from_secret.is_none() {
        return print_client_dry_run(kube, args, &desired).await;
    }

    if prints_manifests {
        if kube.target().spans_contexts() {
            return Err(Error::Usage(
                "--from-secret with --dry-run=client reads one cluster: give one --context".into(),
            ));
        }
        let cluster = cluster::connect(&kube.target()).await?;
        let desired = with_source(&cluster, &desired, from_secret.as_ref()).await?;
        return print_client_dry_run(kube, args, &desired).await;
    }
    let (desired, from_secret) = (&desired, &from_secret);
    let create = |kube: KubeArgs, progress| async move {
        create_in_context(&kube, args, desired, from_secret.as_ref(), &progress).await
    };
    in_each_context(kube, &args.output, "create", &args.name, create).await
}

/// The credentials `request` asks for, from its source (keyring, Docker config, cloud CLI) or
/// typed (flags, files, stdin), and the annotations the source records on the secret.
/// `has_other_source`: registries come from elsewhere too (`--from-secret`), so none here is
/// no error.
pub(crate) fn new_credentials(
    request: &Request,
    has_other_source: bool,
) -> Result<(DockerConfig, BTreeMap<String, String>), Error> {
    let keys = server_keys(&request.servers)?;
    Ok(match creds::sourced(request, &keys)? {
        Some(sourced) => (sourced.config, sourced.annotations),
        None => (
            explicit_credentials(request, &keys, has_other_source)?,
            BTreeMap::new(),
        ),
    })
}

/// `desired` merged over the `--from-secret` source's registries, read in this cluster.
async fn with_source(
    cluster: &Cluster,
    desired: &DesiredSecret,
    from_secret: Option<&(Option<String>, String)>,
) -> Result<DesiredSecret, Error> {
    let mut merged = desired.clone();
    if let Some((namespace, name)) = from_secret {
        let namespace = namespace.as_deref().unwrap_or(&cluster.default_namespace);
        let mut config = secrets::read_config(cluster, namespace, name).await?;
        config.merge(&desired.config);
        merged.config = config;
    }
    Ok(merged)
}

/// One cluster's create: one row per namespace, and the heal rows.
async fn create_in_context(
    kube: &KubeArgs,
    args: &CreateArgs,
    desired: &DesiredSecret,
    from_secret: Option<&(Option<String>, String)>,
    progress: &indicatif::ProgressBar,
) -> Result<WithHeal, Error> {
    let cluster = cluster::connect(&kube.target()).await?;
    let merged;
    let desired = match from_secret {
        Some(_) => {
            merged = with_source(&cluster, desired, from_secret).await?;
            &merged
        }
        None => desired,
    };
    // --heal implies --attach: new pods get the secret only through their service account.
    let accounts = (args.attach || args.heal.heal).then(|| accounts_of(&args.accounts));
    let mode = mode_of(&args.output);
    let selection = namespaces::resolve(&cluster, &kube.target()).await?;
    let healing = AfterAttach::prepare(&cluster, selection.targets.len(), &args.heal, mode).await;
    let registries: Vec<String> = desired.config.registries().map(str::to_string).collect();
    let (known_secrets, known_accounts) = if selection.targets.len() >= prefetch::WORTH_IT_FROM {
        tokio::join!(
            prefetch::named_everywhere::<Secret>(&cluster, &desired.name),
            prefetch_accounts(&cluster, accounts.as_ref()),
        )
    } else {
        (None, None)
    };
    let (cluster_ref, accounts_ref) = (&cluster, &accounts);
    let (known_secrets, known_accounts) = (&known_secrets, &known_accounts);
    let (healing_ref, registries) = (&healing, registries.as_slice());
    let outcomes = crate::cluster::fanout::run(
        selection,
        args.fanout.concurrency,
        progress,
        |namespace| async move {
            let known = known_secrets
                .as_ref()
                .map(|all| all.get(&namespace).cloned());
            let secret = secrets::ensure(cluster_ref, &namespace, desired, mode, known).await?;
            let known = known_accounts
                .as_ref()
                .and_then(|all| all.get(&namespace).cloned());
            let accounts = match accounts_ref {
                Some(accounts) => {
                    accounts::edit_accounts(
                        cluster_ref,
                        &namespace,
                        &desired.name,
                        accounts,
                        Edit::Attach,
                        mode,
                        known,
                    )
                    .await?
                }
                None => Vec::new(),
            };
            if let Some(healing) = healing_ref {
                let changed = matches!(secret, Change::Created | Change::Configured);
                let name = &desired.name;
                healing
                    .heal(
                        cluster_ref,
                        &namespace,
                        name,
                        changed,
                        registries,
                        &accounts,
                    )
                    .await;
            }
            Ok(Work {
                secret: Some(secret),
                accounts,
            })
        },
    )
    .await;
    Ok(WithHeal::new(args.heal.heal, outcomes, healing))
}

/// Lists the one service account to change in every namespace at once, when there is one.
pub(crate) async fn prefetch_accounts(
    cluster: &Cluster,
    accounts: Option<&Accounts>,
) -> Option<HashMap<String, ServiceAccount>> {
    match accounts {
        Some(Accounts::Named(names)) if names.len() == 1 => {
            prefetch::named_everywhere::<ServiceAccount>(cluster, &names[0]).await
        }
        _ => None,
    }
}

/// `--service-account a,b` / `--all-service-accounts` / neither (`default`).
pub(crate) fn accounts_of(args: &crate::cli::ServiceAccountArgs) -> Accounts {
    if args.all_service_accounts {
        Accounts::All
    } else if args.service_account.is_empty() {
        Accounts::Named(vec![accounts::DEFAULT_ACCOUNT.to_string()])
    } else {
        Accounts::Named(args.service_account.clone())
    }
}

/// `--dry-run=client`: print what would be sent, contacting a cluster only to list
/// namespaces for `-A`/`--namespace-selector`. With several contexts, each context's
/// namespaces, and each line names its context.
async fn print_client_dry_run(
    kube: &KubeArgs,
    args: &CreateArgs,
    desired: &DesiredSecret,
) -> Result<(), Error> {
    let mut targets: Vec<(Option<String>, String)> = Vec::new();
    let mut notices = Vec::new();
    let contexts = match contexts::chosen(&kube.target())? {
        None => vec![None],
        Some(names) => names.into_iter().map(Some).collect(),
    };
    for context in contexts {
        let selection = match &context {
            None => dry_run_namespaces(kube).await?,
            Some(name) => dry_run_namespaces(&kube.in_context(name)).await?,
        };
        notices.extend(selection.nothing_selected.map(|notice| match &context {
            Some(name) => format!("{notice} in context {name}"),
            None => notice,
        }));
        let namespaces = selection.targets.into_iter();
        targets.extend(namespaces.map(|ns| (context.clone(), ns)));
    }
    if let Some(format) = args.output.output {
        let manifests: Vec<_> = targets.iter().map(|(_, ns)| desired.manifest(ns)).collect();
        return Ok(output::print_objects(&manifests, format)?);
    }
    for notice in notices {
        output::print_notice(&notice)?;
    }
    let attach = match args.attach.then(|| accounts_of(&args.accounts)) {
        Some(Accounts::All) => "; would attach to every service account".to_string(),
        Some(Accounts::Named(names)) => format!(
            "; would attach to serviceaccount/{}",
            names.join(", serviceaccount/")
        ),
        None => String::new(),
    };
    for (context, namespace) in targets {
        let context = context
            .map(|name| format!(" (context {name})"))
            .unwrap_or_default();
        output::print_line(&format!(
            "secret/{} created in namespace {namespace}{context}{attach} (dry run)",
            args.name
        ))?;
    }
    Ok(())
}

/// The namespaces a client dry run prints manifests for, in one context: without a cluster
/// unless `-A` or a selector needs its list.
async fn dry_run_namespaces(kube: &KubeArgs) -> Result<namespaces::Selection, Error> {
    let target = kube.target();
    let offline = namespaces::resolve_offline(&target, &cluster::offline_namespace(&target))?;
    let selection = match offline {
        Some(selection) => selection,
        None => {
            let cluster = cluster::connect(&target).await?;
            namespaces::resolve(&cluster, &target).await?
        }
    };
    Ok(selection)
}

/// `[NAMESPACE/]NAME`.
fn parse_secret_ref(input: &str) -> Result<(Option<String>, String), Error> {
    let (namespace, name) = match input.split_once('/') {
        Some((namespace, name)) => (Some(namespace.to_string()), name.to_string()),
        None => (None, input.to_string()),
    };
    if let Some(namespace) = &namespace {
        cluster::validate_namespace(namespace).map_err(|reason| Error::InvalidName {
            what: "--from-secret namespace",
            name: namespace.clone(),
            reason,
        })?;
    }
    validate_secret_name(&name)?;
    Ok((namespace, name))
}

/// The `--server` values, validated and normalised.
fn server_keys(servers: &[String]) -> Result<Vec<RegistryKey>, Error> {
    servers
        .iter()
        .map(|server| {
            RegistryKey::parse(server).map_err(|reason| Error::InvalidServer {
                input: server.to_string(),
                reason,
            })
        })
        .collect()
}

/// The registries given with `--server`/`--username`/password flags, validated, passwords
/// read. Several servers pair with usernames and password files by position.
fn explicit_credentials(
    request: &Request,
    keys: &[RegistryKey],
    has_other_source: bool,
) -> Result<DockerConfig, Error> {
    if request.password.on_command_line {
        return Err(Error::PasswordOnCommandLine);
    }
    if request.servers.is_empty() && request.usernames.is_empty() && !request.password.is_given() {
        return if has_other_source {
            Ok(DockerConfig::new())
        } else {
            Err(Error::Usage(
                "no credentials given, and no terminal to ask on: pass --username with \
                 --password-stdin or --password-file (and --server, default Docker Hub), \
                 --from-keyring, --from-docker-config, --provider, or --from-secret"
                    .into(),
            ))
        };
    }
    let keys: Vec<RegistryKey> = match keys {
        [] => RegistryKey::parse(dockerconfig::DOCKER_HUB_KEY)
            .into_iter()
            .collect(),
        keys => keys.to_vec(),
    };
    let usernames = per_server(&request.usernames, keys.len(), "--username")?;
    for username in &usernames {
        dockerconfig::validate_username(username).map_err(Error::InvalidUsername)?;
    }
    let passwords = read_passwords(&request.password, keys.len())?;
    let mut config = DockerConfig::new();
    let mut seen = BTreeMap::new();
    for ((key, username), password) in keys.into_iter().zip(usernames).zip(passwords) {
        if seen.insert(key.clone(), ()).is_some() {
            return Err(Error::Usage(format!("--server {key} is given twice")));
        }
        config.insert(
            key,
            Credentials {
                username: username.to_string(),
                password,
                email: request.email.clone(),
            },
        );
    }
    Ok(config)
}

/// One value per server, or one value for all of them.
fn per_server<'a>(values: &'a [String], servers: usize, flag: &str) -> Result<Vec<&'a str>, Error> {
    match values.len() {
        0 => Err(Error::MissingUsername),
        1 => Ok(vec![values[0].as_str(); servers]),
        n if n == servers => Ok(values.iter().map(String::as_str).collect()),
        n => Err(Error::Usage(format!(
            "{} for {}: give one for each, or one for all",
            output::counted(n, &format!("{flag} value")),
            output::counted(servers, "--server value")
        ))),
    }
}

fn read_passwords(
    input: &creds::PasswordInput,
    servers: usize,
) -> Result<Vec<Zeroizing<String>>, Error> {
    if let Some(typed) = &input.typed {
        return Ok(vec![typed.0.clone(); servers]);
    }
    let files = &input.files;
    if !files.is_empty() {
        if files.len() != servers {
            return Err(Error::Usage(format!(
                "{} for {}: give one for each",
                output::counted(files.len(), "--password-file value"),
                output::counted(servers, "--server value")
            )));
        }
        return Ok(files
            .iter()
            .map(|path| password::from_file(path))
            .collect::<Result<_, _>>()?);
    }
    match (input.stdin, servers) {
        (true, 1) => Ok(vec![password::from_stdin()?]),
        (true, n) => Ok(password::lines_from_stdin(n)?),
        (false, _) => Err(Error::MissingPassword),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};

    fn parse(words: &[&str]) -> CreateArgs {
        let cli =
            Cli::try_parse_from(std::iter::once("kubectl-regcred").chain(words.iter().copied()))
                .unwrap();
        let Command::Create(args) = cli.command else {
            panic!("not create")
        };
        args
    }

    fn asks_for(words: &[&str]) -> bool {
        let args = parse(words);
        asks(&args, &credentials_request(&args.credentials))
    }

    #[test]
    fn only_a_command_without_credentials_asks() {
        assert!(asks_for(&["create", "regcred"]));
        assert!(asks_for(&["create", "regcred", "-n", "a", "--attach"]));
        assert!(!asks_for(&[
            "create",
            "regcred",
            "-u",
            "u",
            "--password-stdin"
        ]));
        assert!(!asks_for(&["create", "regcred", "--from-secret", "x"]));
        assert!(!asks_for(&[
            "create",
            "regcred",
            "-s",
            "x.io",
            "--from-keyring"
        ]));
        // A cloud registry's CLI mints the token: nothing to ask.
        assert!(!asks_for(&[
            "create",
            "ecr",
            "-s",
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
        ]));
        assert!(asks_for(&["create", "regcred", "-s", "ghcr.io"]));
    }

    #[test]
    fn flags_become_the_request() {
        let args = parse(&[
            "create",
            "x",
            "-s",
            "a.io",
            "-s",
            "b.io",
            "-u",
            "u",
            "--email",
            "",
            "--provider",
            "ecr",
            "--region",
            "eu-west-1",
        ]);
        let request = credentials_request(&args.credentials);
        assert_eq!(request.servers, ["a.io", "b.io"]);
        assert_eq!(request.usernames, ["u"]);
        assert_eq!(request.email, None, "an empty --email is none");
        assert_eq!(request.provider, Some(creds::Provider::Ecr));
        assert_eq!(request.region.as_deref(), Some("eu-west-1"));
        assert!(!request.from_keyring && !request.password.is_given());
        let docker = credentials_request(
            &parse(&["create", "x", "--from-docker-config", "--yes"]).credentials,
        );
        assert_eq!(docker.from_docker_config, Some(std::path::PathBuf::new()));
        assert!(docker.yes && docker.provider.is_none());
        let files = credentials_request(
            &parse(&[
                "create",
                "x",
                "--password-file",
                "/a",
                "--password-file",
                "/b",
            ])
            .credentials,
        );
        assert_eq!(files.password.files.len(), 2);
        assert!(files.password.is_given());
    }

    #[test]
    fn debug_of_the_flags_and_the_request_never_shows_a_password() {
        use crate::creds::password::SecretString;
        use crate::dockerconfig::shows_secret;
        const SENTINEL: &str = "Unit-Sentinel-Pa55word-3e9d7c10";
        let words = [
            "kubectl-regcred",
            "create",
            "x",
            "-u",
            "u",
            "--password",
            SENTINEL,
        ];
        let mut cli = Cli::try_parse_from(words).unwrap();
        let Command::Create(args) = &mut cli.command else {
            panic!("not create")
        };
        args.credentials.typed_password = Some(SecretString(Zeroizing::new(SENTINEL.to_string())));
        let request = credentials_request(&args.credentials);
        assert!(request.password.on_command_line && request.password.typed.is_some());
        for shown in [format!("{cli:?}"), format!("{request:?}")] {
            assert!(!shows_secret(&shown, SENTINEL), "{shown}");
        }
    }
}
