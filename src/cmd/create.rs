//! `kubectl regcred create`: build a pull secret and apply it.

use crate::cli::{CreateArgs, DryRun, KubeArgs};
use crate::cluster;
use crate::cluster::secrets::{self, ApplyOptions, Change};
use crate::creds::password;
use crate::dockerconfig::{self, Credentials, DockerConfig, RegistryKey};
use crate::error::Error;
use crate::output;

/// Runs `create`.
pub async fn run(kube: &KubeArgs, args: &CreateArgs) -> Result<(), Error> {
    if kube.all_namespaces {
        return Err(Error::UnsupportedFlag {
            flag: "--all-namespaces",
            reason: "create acts in one namespace; pass -n NAME",
        });
    }
    let config = docker_config(args)?;
    cluster::validate_object_name(&args.name).map_err(|reason| Error::InvalidName {
        what: "secret name",
        name: args.name.clone(),
        reason,
    })?;
    if let Some(namespace) = &kube.namespace {
        validate_namespace(namespace)?;
    }

    let dry_run = args.output.dry_run.unwrap_or(DryRun::None);
    if dry_run == DryRun::Client {
        let namespace = cluster::offline_namespace(kube);
        validate_namespace(&namespace)?;
        let secret = secrets::pull_secret(&args.name, &namespace, &config);
        return match args.output.output {
            Some(format) => output::print_object(&secret, format),
            None => output::print_line(&format!(
                "secret/{} created in namespace {namespace} (dry run)",
                args.name
            )),
        };
    }

    let cluster = cluster::connect(kube).await?;
    let namespace = cluster.namespace(kube).to_string();
    validate_namespace(&namespace)?;
    let secret = secrets::pull_secret(&args.name, &namespace, &config);
    let options = ApplyOptions {
        server_dry_run: dry_run == DryRun::Server,
        force_conflicts: args.force_conflicts,
    };
    let (change, applied) = secrets::apply_pull_secret(&cluster, &secret, options).await?;
    report(args, &namespace, change, &applied, options)
}

fn report(
    args: &CreateArgs,
    namespace: &str,
    change: Change,
    applied: &k8s_openapi::api::core::v1::Secret,
    options: ApplyOptions,
) -> Result<(), Error> {
    if let Some(format) = args.output.output {
        return output::print_object(applied, format);
    }
    let suffix = if options.server_dry_run {
        " (server dry run)"
    } else {
        ""
    };
    output::print_line(&format!(
        "secret/{} {} in namespace {namespace}{suffix}",
        args.name,
        change.as_str()
    ))
}

/// Validates the inputs and reads the password: everything that needs no cluster.
fn docker_config(args: &CreateArgs) -> Result<DockerConfig, Error> {
    if args.password.password_on_command_line.is_some() {
        return Err(Error::PasswordOnCommandLine);
    }
    let key = RegistryKey::parse(&args.server).map_err(|reason| Error::InvalidServer {
        input: args.server.clone(),
        reason,
    })?;
    dockerconfig::validate_username(&args.username).map_err(Error::InvalidUsername)?;
    let password = match (&args.password.password_file, args.password.password_stdin) {
        (Some(path), _) => password::from_file(path)?,
        (None, true) => password::from_stdin()?,
        (None, false) => return Err(Error::MissingPassword),
    };
    let mut config = DockerConfig::new();
    config.insert(
        key,
        Credentials {
            username: args.username.clone(),
            password,
            email: args.email.clone().filter(|e| !e.is_empty()),
        },
    );
    Ok(config)
}

fn validate_namespace(namespace: &str) -> Result<(), Error> {
    cluster::validate_namespace(namespace).map_err(|reason| Error::InvalidName {
        what: "namespace",
        name: namespace.to_string(),
        reason,
    })
}
