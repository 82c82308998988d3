//! Command-line definition (clap derive types only).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Image-pull secrets for Kubernetes, without the copy-paste.
///
/// Builds `kubernetes.io/dockerconfigjson` secrets from credentials you already have and
/// applies them to your cluster with server-side apply.
#[derive(Parser, Debug)]
#[command(
    name = "kubectl-regcred",
    bin_name = "kubectl regcred",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub kube: KubeArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// kubectl's global flags, accepted before or after the subcommand.
#[derive(Args, Debug, Clone, Default)]
pub struct KubeArgs {
    /// Path to the kubeconfig file to use
    #[arg(long, global = true, value_name = "PATH")]
    pub kubeconfig: Option<PathBuf>,

    /// Name of the kubeconfig context to use
    #[arg(long, global = true, value_name = "NAME")]
    pub context: Option<String>,

    /// Namespace to act in (default: the context's namespace, else "default")
    #[arg(short = 'n', long, global = true, value_name = "NAME")]
    pub namespace: Option<String>,

    /// Act in every namespace
    #[arg(short = 'A', long, global = true, conflicts_with = "namespace")]
    pub all_namespaces: bool,

    /// Log verbosity, as kubectl's -v: 0 warnings only, 4 debug, 6+ every API request
    #[arg(
        short = 'v',
        long = "v",
        global = true,
        value_name = "LEVEL",
        default_value_t = 0,
        value_parser = clap::value_parser!(u8).range(0..=10)
    )]
    pub verbosity: u8,
}

/// Output and dry-run flags of commands that write objects.
#[derive(Args, Debug, Clone, Default)]
pub struct OutputArgs {
    /// Print the object instead of a summary
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT")]
    pub output: Option<OutputFormat>,

    /// "client" only prints what would be sent; "server" submits it without persisting
    #[arg(
        long,
        value_enum,
        value_name = "STRATEGY",
        num_args = 0..=1,
        default_missing_value = "client",
        require_equals = true
    )]
    pub dry_run: Option<DryRun>,
}

/// Machine-readable output formats.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Yaml,
    Json,
}

/// kubectl's `--dry-run` strategies.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DryRun {
    /// Build the object locally; contact no cluster
    Client,
    /// Send it to the API server for validation and admission, persist nothing
    Server,
    /// Do it for real (kubectl's spelling of "no dry run")
    None,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create or update an image-pull secret
    #[command(after_help = CREATE_EXAMPLES)]
    Create(CreateArgs),
}

const CREATE_EXAMPLES: &str = "\
Examples:
  # A GHCR token from stdin into namespace team-a
  echo \"$GHCR_TOKEN\" | kubectl regcred create regcred --server ghcr.io --username octocat --password-stdin -n team-a

  # Docker Hub (the default server), password from a file
  kubectl regcred create hub --username alice --password-file ~/.hub-token

  # Show the manifest without touching the cluster
  kubectl regcred create regcred --server ghcr.io -u octocat --password-stdin --dry-run=client -o yaml";

/// Arguments of `create`.
#[derive(Args, Debug)]
pub struct CreateArgs {
    /// Name of the secret
    #[arg(value_name = "NAME")]
    pub name: String,

    /// Registry server, e.g. ghcr.io or myregistry:5000 (default: Docker Hub)
    #[arg(
        long,
        short = 's',
        value_name = "SERVER",
        default_value = "https://index.docker.io/v1/"
    )]
    pub server: String,

    /// Registry username
    #[arg(long, short = 'u', value_name = "USER")]
    pub username: String,

    /// Email stored with the credentials (optional, as kubectl's --docker-email)
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,

    #[command(flatten)]
    pub password: PasswordSource,

    /// Take over fields of the secret that another tool manages (server-side apply conflicts)
    #[arg(long)]
    pub force_conflicts: bool,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Where the password comes from. Never the command line: argv is visible to every user.
/// Not a required group, so the hidden `--password` never shows in the usage line; the
/// command reports a missing source itself.
#[derive(Args, Debug, Clone)]
#[group(multiple = false)]
pub struct PasswordSource {
    /// Read the password or token from standard input
    #[arg(long)]
    pub password_stdin: bool,

    /// Read the password or token from a file
    #[arg(long, value_name = "PATH")]
    pub password_file: Option<PathBuf>,

    /// Refused: a password on the command line is visible to every process on the machine
    #[arg(long = "password", short = 'p', hide = true, value_name = "PASSWORD")]
    pub password_on_command_line: Option<RefusedValue>,
}

/// A value we refuse to accept without ever echoing it (clap would quote it in errors).
#[derive(Clone)]
pub struct RefusedValue;

impl std::fmt::Debug for RefusedValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<refused>")
    }
}

impl std::str::FromStr for RefusedValue {
    type Err = std::convert::Infallible;
    fn from_str(_: &str) -> Result<Self, Self::Err> {
        Ok(RefusedValue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_flags_work_after_the_subcommand() {
        let cli = Cli::try_parse_from([
            "kubectl-regcred",
            "create",
            "x",
            "-u",
            "u",
            "--password-stdin",
            "-n",
            "team-a",
            "--context",
            "prod",
            "-v=6",
        ])
        .unwrap();
        assert_eq!(cli.kube.namespace.as_deref(), Some("team-a"));
        assert_eq!(cli.kube.context.as_deref(), Some("prod"));
        assert_eq!(cli.kube.verbosity, 6);
    }

    #[test]
    fn dry_run_without_value_means_client() {
        let cli = Cli::try_parse_from([
            "kubectl-regcred",
            "create",
            "x",
            "-u",
            "u",
            "--password-stdin",
            "--dry-run",
        ])
        .unwrap();
        let Command::Create(args) = cli.command;
        assert_eq!(args.output.dry_run, Some(DryRun::Client));
    }

    #[test]
    fn password_sources_are_exclusive() {
        let both = Cli::try_parse_from([
            "kubectl-regcred",
            "create",
            "x",
            "-u",
            "u",
            "--password-stdin",
            "--password-file",
            "f",
        ]);
        assert!(both.is_err());
    }
}
