//! Command-line definition (clap derive types only).

use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::cluster::{Contexts, Namespaces, Target};

use examples::*;

mod examples;
pub mod parse;

/// Image-pull secrets for Kubernetes, without the copy-paste.
///
/// Builds `kubernetes.io/dockerconfigjson` secrets from credentials you already have, applies
/// them with server-side apply, and attaches them to service accounts, in one namespace or
/// hundreds at once.
#[derive(Parser, Debug)]
#[command(
    name = "kubectl-regcred",
    bin_name = "kubectl regcred",
    version,
    propagate_version = true,
    // Examples must stay one command per line, ready to copy.
    term_width = 0
)]
pub struct Cli {
    // kubectl's global flags get a heading of their own, after each command's own options, as
    // `kubectl options` keeps them apart; and come last in the man pages' synopses.
    #[command(flatten, next_help_heading = GLOBAL_OPTIONS, next_display_order = 1000)]
    pub kube: KubeArgs,

    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses the process's arguments with [`command`]; on a usage error prints clap's message
    /// and exits with code 2, as `Parser::parse` does.
    pub fn from_args() -> Cli {
        let mut cmd = command();
        let mut matches = cmd.get_matches_mut();
        Cli::from_arg_matches_mut(&mut matches).unwrap_or_else(|err| err.format(&mut cmd).exit())
    }
}

/// [`Cli`]'s definition, with each subcommand's usage line fixed to the one its help shows
/// (`kubectl regcred create [OPTIONS] <NAME>`). Without it, clap's error messages list the
/// flags that were given in the usage line, which reads as if they were all required.
pub fn command() -> clap::Command {
    let mut cmd = Cli::command();
    cmd.build();
    for sub in cmd.get_subcommands_mut() {
        let usage = sub.render_usage().to_string();
        let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage).to_string();
        *sub = std::mem::take(sub).override_usage(usage);
    }
    cmd
}

/// The help heading of kubectl's global flags.
pub const GLOBAL_OPTIONS: &str = "Global options";

/// kubectl's global flags, accepted before or after the subcommand.
#[derive(Args, Debug, Clone, Default)]
pub struct KubeArgs {
    /// Path to the kubeconfig file to use
    #[arg(long, global = true, value_name = "PATH")]
    pub kubeconfig: Option<PathBuf>,

    /// Kubeconfig contexts to use, comma-separated or repeated (default: the current context)
    #[arg(
        long,
        global = true,
        value_name = "NAME",
        value_delimiter = ',',
        conflicts_with = "all_contexts"
    )]
    pub context: Vec<String>,

    /// Act on every context in the kubeconfig, side by side
    #[arg(long, global = true)]
    pub all_contexts: bool,

    /// Namespaces to act in, comma-separated or repeated (default: the context's namespace)
    #[arg(
        short = 'n',
        long,
        global = true,
        value_name = "NAME",
        value_delimiter = ','
    )]
    pub namespace: Vec<String>,

    /// Act in every namespace (except kube-system, kube-public and kube-node-lease)
    #[arg(short = 'A', long, global = true, conflicts_with = "namespace")]
    pub all_namespaces: bool,

    /// Act in the namespaces matching this label selector, e.g. team=payments
    #[arg(
        long,
        global = true,
        value_name = "SELECTOR",
        conflicts_with = "namespace",
        value_parser = parse::label_selector
    )]
    pub namespace_selector: Option<String>,

    /// Namespaces to leave out: names or globs (team-*), comma-separated or repeated
    #[arg(long, global = true, value_name = "NAME|GLOB", value_delimiter = ',')]
    pub exclude: Vec<String>,

    /// Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried
    #[arg(
        long,
        global = true,
        value_name = "DURATION",
        value_parser = parse::request_timeout
    )]
    pub request_timeout: Option<std::time::Duration>,

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

impl KubeArgs {
    /// What the flags point at, for the layers below: the one place kubectl's global flags
    /// become a [`Target`].
    pub fn target(&self) -> Target {
        let contexts = match (self.all_contexts, self.context.as_slice()) {
            (true, _) => Contexts::All,
            (false, []) => Contexts::Current,
            (false, names) => Contexts::Named(names.to_vec()),
        };
        let namespaces = if self.all_namespaces {
            Namespaces::All
        } else if let Some(selector) = &self.namespace_selector {
            Namespaces::Selector(selector.clone())
        } else if self.namespace.is_empty() {
            Namespaces::ContextDefault
        } else {
            Namespaces::Named(self.namespace.clone())
        };
        Target {
            kubeconfig: self.kubeconfig.clone(),
            contexts,
            namespaces,
            exclude: self.exclude.clone(),
            // kubectl's `0` means none.
            request_timeout: self.request_timeout.filter(|limit| !limit.is_zero()),
        }
    }

    /// The same flags for one context of a several-context run.
    pub fn in_context(&self, name: &str) -> KubeArgs {
        KubeArgs {
            context: vec![name.to_string()],
            all_contexts: false,
            ..self.clone()
        }
    }
}

/// `--cluster-wide`, of the commands that label a secret.
#[derive(Args, Debug, Clone, Copy, Default)]
pub struct RunAiArgs {
    /// Label the secret runai/cluster-wide=true, so Run:ai copies it to every project
    #[arg(long)]
    pub cluster_wide: bool,
}

/// Output and dry-run flags of commands that write objects.
#[derive(Args, Debug, Clone, Default)]
pub struct OutputArgs {
    /// Print a machine-readable report (with --dry-run=client: the manifests)
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

/// How many namespaces are worked on at once.
#[derive(Args, Debug, Clone)]
pub struct FanoutArgs {
    /// Namespaces worked on at the same time
    #[arg(long, value_name = "N", default_value_t = 16,
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
}

/// Which service accounts to attach to or detach from.
#[derive(Args, Debug, Clone, Default)]
pub struct ServiceAccountArgs {
    /// Service accounts to change, comma-separated or repeated [default: default]
    #[arg(
        long,
        value_name = "NAME",
        value_delimiter = ',',
        conflicts_with = "all_service_accounts"
    )]
    pub service_account: Vec<String>,

    /// Change every service account in the namespace
    #[arg(long)]
    pub all_service_accounts: bool,
}

/// Machine-readable output formats: the output layer's own.
pub use crate::output::Format as OutputFormat;

/// kubectl's `--dry-run` strategies.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DryRun {
    /// Build the objects locally; change nothing in the cluster
    Client,
    /// Send them to the API server for validation and admission, persist nothing
    Server,
    /// Do it for real (kubectl's spelling of 'no dry run')
    None,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create or update an image-pull secret, optionally attaching it to service accounts
    #[command(after_help = CREATE_EXAMPLES)]
    Create(CreateArgs),

    /// Add a pull secret to the imagePullSecrets of service accounts
    ///
    /// Appends the secret to the imagePullSecrets of the chosen service accounts (default:
    /// default), keeping what they list. Pods made from then on get it; pods that exist keep
    /// the list they were admitted with. --heal then restarts the workloads whose pods are stuck
    /// pulling an image the secret serves (see `kubectl regcred heal --help`).
    #[command(after_help = ATTACH_EXAMPLES)]
    Attach {
        #[command(flatten)]
        args: AttachArgs,
        #[command(flatten)]
        heal: HealFlags,
    },

    /// Remove a pull secret from the imagePullSecrets of service accounts
    #[command(after_help = DETACH_EXAMPLES)]
    Detach(AttachArgs),

    /// Copy a pull secret into the selected namespaces, once or continuously (--watch)
    ///
    /// Reads the source pull secret (--from-secret NAMESPACE/NAME) and merges its registries
    /// into a secret of the same name (or --name) in every selected namespace, as `create
    /// --from-secret` does: registries a copy holds besides the source's are kept. --attach adds
    /// the copies to service accounts. The source namespace is never written to. With --watch,
    /// after the first pass it keeps watching: namespaces that appear (or come to match
    /// --namespace-selector) get the copy and the attachment within seconds, and a change to the
    /// source is applied to every copy. One line per change goes to stdout; a failure in one
    /// namespace is reported and the watch goes on. Ctrl-C or SIGTERM finishes the work under way
    /// and exits 0.
    #[command(after_help = SYNC_EXAMPLES)]
    Sync(SyncArgs),

    /// Set or remove labels and annotations on existing pull secrets
    #[command(after_help = LABEL_EXAMPLES)]
    Label(LabelArgs),

    /// Delete a pull secret and detach it from every service account that lists it
    #[command(after_help = DELETE_EXAMPLES)]
    Delete(DeleteArgs),

    /// Re-mint the cloud tokens of pull secrets made with `create --provider`, in every copy
    ///
    /// Finds the pull secrets `create --provider ecr|acr|gcr` made (annotation
    /// regcred.kubectl.io/provider; NAME limits it to one secret name) in the selected
    /// namespaces. A token expired, or expiring within --before (default 1h), is minted again
    /// with the same CLI call (aws, az, gcloud), once for every copy that needs it; the
    /// secret's other registries stay, and its minted-at/expires-at annotations are updated.
    /// Fresh tokens are left alone: no CLI call, no write (--force re-mints anyway). Secrets
    /// made with --gcp-key-file are skipped: keys do not expire, and the key is not stored
    /// where refresh could read it. Safe to run from cron: see deploy/refresh-cronjob.yaml.
    /// Exit code 1 when any namespace failed.
    #[command(after_help = REFRESH_EXAMPLES)]
    Refresh(RefreshArgs),

    /// Put a new password or token for one registry into every copy of a pull secret
    ///
    /// Finds every copy of the secret SECRET (or, with --all-holders, every
    /// kubernetes.io/dockerconfigjson secret) in the selected namespaces and contexts that holds
    /// an entry for the --server registry, matching keys as the kubelet does (https://GHCR.io/
    /// is ghcr.io; ghcr.io/acme is another registry). Before anything is written, the new
    /// credentials are tried on the registry as `docker login` does; a refusal ends the run
    /// with nothing changed and exit code 1, naming the registry's answer. --no-verify skips
    /// that, for a registry this machine cannot reach (a private network, a node-only name).
    ///
    /// Only that registry's entries change: the other registries keep their exact bytes, and
    /// labels and annotations stay, except the cloud token annotations
    /// (regcred.kubectl.io/provider, expires-at, ...), which are removed when no minted token
    /// is left in the secret, and set when the new credential is minted (--provider). A copy
    /// that already holds the new credentials is not written: a second run changes nothing.
    /// --heal then restarts workloads whose pods are stuck pulling with the old credentials.
    /// Exit code 1 when any namespace failed.
    #[command(after_help = ROTATE_EXAMPLES)]
    Rotate(RotateArgs),

    /// Find pods that cannot pull their images, explain why, and print the fix
    ///
    /// Looks at every container (init and ephemeral too) waiting with ImagePullBackOff,
    /// ErrImagePull, InvalidImageName, ErrImageNeverPull, RegistryUnavailable or
    /// ImageInspectError; reads the pod's events; checks its pull secrets and service account;
    /// and prints the cause in plain words with the command that fixes it. With --message it
    /// explains pasted text without a cluster. Exit code 1 when a pod is failing.
    #[command(after_help = DIAGNOSE_EXAMPLES)]
    Diagnose(DiagnoseArgs),

    /// Restart workloads whose pods are stuck on an image pull that a pull secret now fixes
    ///
    /// A pod's imagePullSecrets are fixed when it is created: the ServiceAccount admission
    /// plugin copies the account's list into new pods only. So a pod stuck in ImagePullBackOff
    /// or ErrImagePull stays stuck after `attach` until something makes a new pod. heal finds
    /// the pods (init and regular containers) whose service account now lists an existing pull
    /// secret for the failing image's registry that the pod itself lacks, and makes new ones:
    ///
    /// Deployments, StatefulSets and DaemonSets are restarted as `kubectl rollout restart`
    /// does (the pod template annotation kubectl.kubernetes.io/restartedAt), once per workload.
    /// A StatefulSet does not replace a pod that never became Ready, so its stuck pods are also
    /// deleted (the StatefulSet makes them again at once, same name, same volumes). A paused
    /// Deployment is reported, not restarted; so is a workload whose pod template lists
    /// imagePullSecrets of its own (new pods get those, not the account's).
    ///
    /// Pods of Jobs and of other controllers are reported with the command that deletes them
    /// (the controller makes a new pod); --delete-pods deletes them. Pods with no controller are
    /// never deleted, even with --delete-pods: nothing would make them again.
    ///
    /// Pods that already list every serving secret their account lists, pods whose registry no
    /// secret serves (see `kubectl regcred diagnose`) and pods a rollout is already replacing
    /// are left alone, so running heal again changes nothing. One row per workload; a
    /// namespace with nothing to heal gets one row. Exit code 1 when a row failed or was
    /// forbidden.
    #[command(after_help = HEAL_EXAMPLES)]
    Heal(HealArgs),

    /// Check that a pull secret's credentials can pull an image from its registry
    ///
    /// Picks the secret's entry for the image's registry the way the kubelet does, logs in the
    /// way a container runtime does (GET /v2/, then Basic auth or a Bearer token from the
    /// registry's token service) and asks for the image's manifest. Prints ok, denied,
    /// not_found, unreachable, http_to_https, tls_untrusted, registry_error or no_credentials,
    /// with the details. Exit code 0 only for ok. The password never appears in any output.
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),

    /// Show which credentials the kubelet will try for each image of a pod or workload, and why
    ///
    /// For every container image (init, regular and ephemeral) of a pod, deployment,
    /// statefulset, daemonset, job or cronjob, or of the objects of a manifest (-f, not
    /// applied): the pull secrets the kubelet is handed (an existing pod's own list; for a
    /// workload, the pod template's, or when it lists none the service account's, as the
    /// ServiceAccount admission plugin adds them), the ones it skips (missing, or not a pull
    /// secret), and then every credential it tries, in the kubelet's keyring order (longest key
    /// first), with the secret, key, user and why it matched (host, glob, port, path prefix);
    /// the entries that do not match and why; whether the pull is anonymous (flagged for Docker
    /// Hub, which rate-limits anonymous pulls); and the container's imagePullPolicy. What the
    /// API server does not show is listed: the node's own credentials, images already on the
    /// node. --verify logs in with each credential as `check` does and names the first that
    /// works. Passwords never appear. Exit code 1 only when --verify finds an image that cannot
    /// be pulled.
    #[command(after_help = EXPLAIN_EXAMPLES)]
    Explain(ExplainArgs),

    /// Show every pull secret, its registries and users, and what is wrong with them
    ///
    /// Lists the kubernetes.io/dockerconfigjson (and legacy dockercfg) secrets of the selected
    /// namespaces with their registries and usernames (never passwords), the service accounts
    /// and pods that list them, and findings, each with a severity and a fix: imagePullSecrets
    /// that do not exist or are no pull secret (error), tokens expired (error) or expiring
    /// within the hour (warning), the same registry with different credentials in different
    /// namespaces (warning), pull secrets nobody lists (info). Exit code 1 when a finding is an
    /// error.
    #[command(after_help = STATUS_EXAMPLES)]
    Status(StatusArgs),

    /// Store a registry login in the OS keyring, for `create --from-keyring`
    ///
    /// Keeps the username and password (or token) of one registry in the OS keyring: the Secret
    /// Service on Linux (gnome-keyring, KeePassXC, KWallet), the Keychain on macOS, the
    /// Credential Manager on Windows. The password comes from --password-stdin, or is asked
    /// for, hidden, on a terminal. `create --from-keyring --server REGISTRY` then builds pull
    /// secrets from it, so the password need not sit in a file or a shell variable.
    #[command(after_help = LOGIN_EXAMPLES)]
    Login(LoginArgs),

    /// Remove a registry login from the OS keyring
    #[command(after_help = LOGOUT_EXAMPLES)]
    Logout(LogoutArgs),

    /// List the registry logins stored in the OS keyring (never their passwords)
    #[command(after_help = LOGINS_EXAMPLES)]
    Logins(LoginsArgs),

    /// Print a shell completion script for kubectl-regcred
    ///
    /// The script completes subcommands, flags and fixed values of `kubectl-regcred`. For
    /// `kubectl regcred` (kubectl 1.26 or later), put `kubectl_complete-regcred` on your PATH
    /// next to the plugin: kubectl's own completion asks it, and it also completes namespaces
    /// and secret names from the cluster. See docs/COMPLETION.md.
    #[command(after_help = COMPLETION_EXAMPLES)]
    Completion(CompletionArgs),
}

impl Command {
    /// The subcommand's name, as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Create(_) => "create",
            Command::Attach { .. } => "attach",
            Command::Detach(_) => "detach",
            Command::Sync(_) => "sync",
            Command::Label(_) => "label",
            Command::Delete(_) => "delete",
            Command::Refresh(_) => "refresh",
            Command::Rotate(_) => "rotate",
            Command::Diagnose(_) => "diagnose",
            Command::Heal(_) => "heal",
            Command::Check(_) => "check",
            Command::Explain(_) => "explain",
            Command::Status(_) => "status",
            Command::Login(_) => "login",
            Command::Logout(_) => "logout",
            Command::Logins(_) => "logins",
            Command::Completion(_) => "completion",
        }
    }

    /// Whether the subcommand runs in several contexts side by side (`--context a,b`,
    /// `--all-contexts`). `sync` and `check` read one source in one cluster; the keyring and
    /// completion commands use no cluster.
    pub fn spans_contexts(&self) -> bool {
        matches!(
            self,
            Command::Create(_)
                | Command::Attach { .. }
                | Command::Detach(_)
                | Command::Label(_)
                | Command::Delete(_)
                | Command::Refresh(_)
                | Command::Rotate(_)
                | Command::Diagnose(_)
                | Command::Heal(_)
                | Command::Status(_)
        )
    }
}

/// Arguments of `login`.
#[derive(Args, Debug)]
pub struct LoginArgs {
    /// Registry server, e.g. ghcr.io, myregistry:5000, or docker.io for Docker Hub
    #[arg(value_name = "SERVER")]
    pub server: String,

    /// Registry username [default: asked for on a terminal]
    #[arg(long, short = 'u', value_name = "USER")]
    pub username: Option<String>,

    /// Read the password or token from standard input [default: asked for on a terminal]
    #[arg(long)]
    pub password_stdin: bool,

    /// Refused: a password on the command line is visible to every process on the machine
    #[arg(long = "password", short = 'p', hide = true, value_name = "PASSWORD")]
    pub password_on_command_line: Option<RefusedValue>,
}

/// Arguments of `logout`.
#[derive(Args, Debug)]
pub struct LogoutArgs {
    /// Registry server, spelled as for `login` (any spelling of the same registry works)
    #[arg(value_name = "SERVER")]
    pub server: String,
}

/// Arguments of `logins`.
#[derive(Args, Debug)]
pub struct LoginsArgs {
    /// Print JSON or YAML: logins, each with registry and username
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT")]
    pub output: Option<OutputFormat>,
}

/// Arguments of `completion`.
#[derive(Args, Debug)]
pub struct CompletionArgs {
    /// The shell to print the script for
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// Arguments of `status`.
#[derive(Args, Debug)]
pub struct StatusArgs {
    /// Print JSON or YAML: namespaces (secrets with registries and users), findings, summary
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT")]
    pub output: Option<OutputFormat>,
}

/// Arguments of `check`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Name of the pull secret; without it, the pull is anonymous, as for a pod with none
    #[arg(value_name = "SECRET")]
    pub name: Option<String>,

    /// Image to check, as a pod spec names it: nginx, ghcr.io/acme/app:1.0, HOST:PORT/NAME@sha256:...
    #[arg(long, value_name = "IMAGE")]
    pub image: crate::registry::ImageRef,

    #[command(flatten)]
    pub probe: ProbeArgs,

    /// Print JSON or YAML: secret, namespace, image, registry, entry, result, detail
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT")]
    pub output: Option<OutputFormat>,
}

/// How to reach registries (`check`, `diagnose --verify`).
#[derive(Args, Debug, Clone)]
pub struct ProbeArgs {
    /// Also trust the CA certificates in this PEM file (a registry with a self-signed certificate)
    #[arg(long, value_name = "PATH", conflicts_with_all = ["insecure_skip_tls_verify", "plain_http"])]
    pub ca_file: Option<PathBuf>,

    /// Accept any TLS certificate from the registry
    #[arg(long, conflicts_with = "plain_http")]
    pub insecure_skip_tls_verify: bool,

    /// Talk plain HTTP to the registry, as runtimes do for registries configured as insecure
    #[arg(long)]
    pub plain_http: bool,

    /// Give up after this long: seconds, or with a unit (10s, 2m)
    #[arg(long, value_name = "DURATION", default_value = "10s",
          value_parser = parse::probe_timeout)]
    pub timeout: std::time::Duration,
}

/// Arguments of `explain`.
#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// The pod or workload: pod/NAME, deployment/NAME, statefulset/NAME, daemonset/NAME,
    /// job/NAME or cronjob/NAME (with -f: only that object of the manifest)
    #[arg(value_name = "KIND/NAME", required_unless_present = "filename")]
    pub object: Option<crate::explain::ObjectName>,

    /// Explain the pods and workloads of this manifest, not applied (YAML or JSON, several
    /// documents or a List; - reads stdin), with the cluster's service accounts and secrets
    #[arg(short = 'f', long, value_name = "FILE")]
    pub filename: Option<PathBuf>,

    /// Also log in to each image's registry with each credential, as `check` does, and name
    /// the first that works (and whether an anonymous pull works when none does)
    #[arg(long)]
    pub verify: bool,

    #[command(flatten)]
    pub probe: ProbeArgs,

    /// Print JSON or YAML: objects (pull_secrets, secrets, images with credentials,
    /// not_matching, anonymous, pull_policy), cannot_see
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT")]
    pub output: Option<OutputFormat>,
}

/// Arguments of `diagnose`.
#[derive(Args, Debug)]
pub struct DiagnoseArgs {
    /// Pods to look at (default: every pod in the selected namespaces)
    #[arg(value_name = "POD", conflicts_with = "message")]
    pub pods: Vec<String>,

    /// Only pods matching this label selector
    #[arg(short = 'l', long, value_name = "SELECTOR", conflicts_with = "message",
          value_parser = parse::label_selector)]
    pub selector: Option<String>,

    /// Explain this event or error text instead of looking at the cluster, repeatable; "-"
    /// reads one message per line from stdin
    #[arg(long, short = 'm', value_name = "TEXT")]
    pub message: Vec<String>,

    /// Pull secret name the suggested commands use
    #[arg(long, value_name = "NAME", default_value = "regcred")]
    pub secret: String,

    /// Also log in to each failing image's registry with the pod's pull secret and ask for
    /// the manifest, as the node would
    #[arg(long, conflicts_with = "message")]
    pub verify: bool,

    #[command(flatten)]
    pub probe: ProbeArgs,

    /// Print JSON or YAML (stable fields: see README)
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT")]
    pub output: Option<OutputFormat>,
}

/// Arguments of `create`.
#[derive(Args, Debug, Clone)]
pub struct CreateArgs {
    /// Name of the secret
    #[arg(value_name = "NAME")]
    pub name: String,

    #[command(flatten)]
    pub credentials: CredentialArgs,

    /// Take registries from an existing pull secret ([NAMESPACE/]NAME); --server entries win
    #[arg(long, value_name = "[NS/]NAME")]
    pub from_secret: Option<String>,

    /// Drop the registries already in the secret instead of keeping them
    #[arg(long)]
    pub replace: bool,

    /// Label to set on the secret (KEY=VALUE), repeatable
    // No -l: in kubectl, -l is always a selector.
    #[arg(long = "label", value_name = "KEY=VALUE", value_parser = parse::label)]
    pub labels: Vec<KeyValue>,

    /// Annotation to set on the secret (KEY=VALUE), repeatable
    #[arg(long = "annotation", value_name = "KEY=VALUE", value_parser = parse::annotation)]
    pub annotations: Vec<KeyValue>,

    #[command(flatten)]
    pub run_ai: RunAiArgs,

    /// Also add the secret to the imagePullSecrets of service accounts (default: default)
    #[arg(long)]
    pub attach: bool,

    #[command(flatten)]
    pub accounts: ServiceAccountArgs,

    #[command(flatten)]
    pub heal: HealFlags,

    #[command(flatten)]
    pub fanout: FanoutArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// The credentials to put in a pull secret (`create`, `rotate`): registries, usernames and
/// where the passwords or tokens come from.
#[derive(Args, Debug, Clone, Default)]
pub struct CredentialArgs {
    /// Registry server, e.g. ghcr.io or myregistry:5000; repeat for several registries
    /// [default: Docker Hub]
    #[arg(long, short = 's', value_name = "SERVER")]
    pub server: Vec<String>,

    /// Registry username; once per --server, or once for all of them
    #[arg(long, short = 'u', value_name = "USER")]
    pub username: Vec<String>,

    /// Email stored with the credentials (optional, as kubectl's --docker-email)
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,

    #[command(flatten)]
    pub password: PasswordSource,

    #[command(flatten)]
    pub sources: CredentialSources,

    /// A password the interactive wizard asked for (never a flag).
    #[arg(skip)]
    pub typed_password: Option<crate::creds::password::SecretString>,
}

/// Where passwords come from. Never the command line: argv is visible to every user.
/// Not a required group, so the hidden `--password` never shows in the usage line; the
/// command reports a missing source itself.
#[derive(Args, Debug, Clone, Default)]
#[group(multiple = false)]
pub struct PasswordSource {
    /// Read the password or token from standard input (one line per --server when several)
    #[arg(long)]
    pub password_stdin: bool,

    /// Read the password or token from a file; once per --server
    #[arg(long, value_name = "PATH")]
    pub password_file: Vec<PathBuf>,

    /// Refused: a password on the command line is visible to every process on the machine
    #[arg(long = "password", short = 'p', hide = true, value_name = "PASSWORD")]
    pub password_on_command_line: Option<RefusedValue>,
}

/// Credentials that come from somewhere other than a password flag. Each names the
/// registries with `--server` (repeatable).
#[derive(Args, Debug, Clone, Default)]
pub struct CredentialSources {
    /// Take the credentials of each --server from the OS keyring (see `kubectl regcred login`)
    #[arg(long, conflicts_with_all = ["password_stdin", "password_file", "from_docker_config", "provider"])]
    pub from_keyring: bool,

    /// Take credentials from a Docker config.json and its credential helpers
    /// [default: $DOCKER_CONFIG/config.json, else ~/.docker/config.json]
    // No value means the default location: an empty path, which PathBuf's own parser refuses.
    #[arg(long, value_name = "PATH", num_args = 0..=1, default_missing_value = "",
          value_parser = clap::builder::TypedValueParser::map(
              clap::builder::OsStringValueParser::new(), PathBuf::from),
          conflicts_with_all = ["password_stdin", "password_file", "provider"])]
    pub from_docker_config: Option<PathBuf>,

    /// With --from-docker-config and no --server: take every registry without asking
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Mint a token with a cloud CLI (aws, az, gcloud); auto picks it from the --server host
    #[arg(long, value_enum, value_name = "PROVIDER",
          conflicts_with_all = ["password_stdin", "password_file"])]
    pub provider: Option<Provider>,

    /// AWS region for ECR [default: read from the --server host]
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// A GCP service-account JSON key for GCR/Artifact Registry (user _json_key)
    #[arg(long, value_name = "PATH", conflicts_with_all = ["password_stdin", "password_file"])]
    pub gcp_key_file: Option<PathBuf>,
}

/// Cloud registries whose CLIs mint pull tokens.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provider {
    /// Decide from the --server host
    Auto,
    /// Amazon ECR: aws ecr get-login-password (12 h)
    Ecr,
    /// Azure ACR: az acr login --expose-token (3 h)
    Acr,
    /// Google GCR / Artifact Registry: gcloud auth print-access-token (1 h)
    Gcr,
}

/// Arguments of `attach` and `detach`.
#[derive(Args, Debug)]
pub struct AttachArgs {
    /// Name of the pull secret
    #[arg(value_name = "NAME")]
    pub name: String,

    #[command(flatten)]
    pub accounts: ServiceAccountArgs,

    #[command(flatten)]
    pub fanout: FanoutArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// `--heal` of `create` and `attach`: after the attach in a namespace, restart what the secret
/// unblocks there.
#[derive(Args, Debug, Clone, Default)]
pub struct HealFlags {
    /// Then restart the workloads whose pods are stuck pulling an image this secret serves
    /// (create: implies --attach)
    #[arg(long)]
    pub heal: bool,

    /// With --heal: also delete stuck pods of Jobs and other controllers (never bare pods)
    #[arg(long, requires = "heal")]
    pub delete_pods: bool,
}

/// Arguments of `heal`.
#[derive(Args, Debug)]
pub struct HealArgs {
    /// Also delete stuck pods of Jobs and other controllers, which make new ones (never pods
    /// without a controller)
    #[arg(long)]
    pub delete_pods: bool,

    #[command(flatten)]
    pub fanout: FanoutArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Arguments of `sync`.
#[derive(Args, Debug)]
pub struct SyncArgs {
    /// The pull secret to copy, as NAMESPACE/NAME
    #[arg(long, value_name = "NAMESPACE/NAME")]
    pub from_secret: String,

    /// Name of the copies (default: the source's name)
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// Also add the copies to the imagePullSecrets of service accounts (default: default)
    #[arg(long)]
    pub attach: bool,

    #[command(flatten)]
    pub accounts: ServiceAccountArgs,

    /// Keep watching namespaces and the source until Ctrl-C or SIGTERM
    #[arg(long, conflicts_with_all = ["output", "dry_run"])]
    pub watch: bool,

    #[command(flatten)]
    pub fanout: FanoutArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Arguments of `label`.
#[derive(Args, Debug)]
pub struct LabelArgs {
    /// Name of the pull secret
    #[arg(value_name = "NAME")]
    pub name: String,

    /// KEY=VALUE to set, KEY- to remove
    #[arg(value_name = "KEY=VALUE|KEY-", value_parser = parse::label_change)]
    pub changes: Vec<LabelChange>,

    /// Annotation to set (KEY=VALUE) or remove (KEY-), repeatable
    #[arg(long = "annotation", value_name = "KEY=VALUE|KEY-", value_parser = parse::annotation_change)]
    pub annotations: Vec<LabelChange>,

    #[command(flatten)]
    pub run_ai: RunAiArgs,

    #[command(flatten)]
    pub fanout: FanoutArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Arguments of `refresh`.
#[derive(Args, Debug)]
pub struct RefreshArgs {
    /// Only pull secrets with this name [default: every secret made with --provider]
    #[arg(value_name = "NAME")]
    pub name: Option<String>,

    /// Re-mint tokens that expire within this long: 90s, 30m, 1h, 1h30m, 2d
    #[arg(long, value_name = "DURATION", default_value = "1h",
          value_parser = parse::before)]
    pub before: std::time::Duration,

    /// Re-mint every token, however long it is still valid
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub fanout: FanoutArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Arguments of `rotate`.
#[derive(Args, Debug)]
pub struct RotateArgs {
    /// Name of the pull secret whose copies to rotate
    #[arg(value_name = "SECRET", required_unless_present = "all_holders")]
    pub name: Option<String>,

    /// Rotate every kubernetes.io/dockerconfigjson secret that holds the registry, whatever its name
    #[arg(long, conflicts_with = "name")]
    pub all_holders: bool,

    #[command(flatten)]
    pub credentials: CredentialArgs,

    /// Do not try the new credentials on the registry first (for a registry this machine
    /// cannot reach)
    #[arg(long)]
    pub no_verify: bool,

    #[command(flatten)]
    pub probe: ProbeArgs,

    #[command(flatten)]
    pub heal: HealFlags,

    #[command(flatten)]
    pub fanout: FanoutArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Arguments of `delete`.
#[derive(Args, Debug)]
pub struct DeleteArgs {
    /// Name of the pull secret
    #[arg(value_name = "NAME")]
    pub name: String,

    #[command(flatten)]
    pub fanout: FanoutArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// A validated `KEY=VALUE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValue {
    pub key: String,
    pub value: String,
}

/// `KEY=VALUE` sets, `KEY-` removes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelChange {
    Set(KeyValue),
    Remove(String),
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

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("kubectl-regcred").chain(args.iter().copied()))
    }

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    /// Issue 16: clap's error usage listed the flags given (`--server <SERVER> --username
    /// <USER> --password-stdin`), as if they were required.
    #[test]
    fn error_usage_lines_are_the_help_usage_lines() {
        let mut cmd = command();
        for sub in cmd.get_subcommands_mut() {
            let usage = sub.get_overridden_usage().map(ToString::to_string);
            let name = sub.get_name().to_string();
            assert!(
                usage.is_some_and(|usage| usage.starts_with(&format!("kubectl regcred {name}"))),
                "{name}"
            );
        }
        let err = command()
            .try_get_matches_from([
                "kubectl-regcred",
                "create",
                "x",
                "-s",
                "ghcr.io",
                "-u",
                "u",
                "--password-stdin",
                "--from-docker-config",
                "--bogus",
            ])
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("\nUsage: kubectl regcred create [OPTIONS] <NAME>\n"),
            "{err}"
        );
    }

    #[test]
    fn global_flags_work_after_the_subcommand() {
        let cli = parse(&[
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
        assert_eq!(cli.kube.namespace, ["team-a"]);
        assert_eq!(cli.kube.context, ["prod"]);
        assert_eq!(cli.kube.verbosity, 6);
    }

    #[test]
    fn namespaces_are_comma_separated_or_repeated() {
        let cli = parse(&["attach", "x", "-n", "a,b", "-n", "c", "--exclude", "d*,e"]).unwrap();
        assert_eq!(cli.kube.namespace, ["a", "b", "c"]);
        assert_eq!(cli.kube.exclude, ["d*", "e"]);
        assert!(parse(&["attach", "x", "-n", "a", "-A"]).is_err());
    }

    #[test]
    fn dry_run_without_value_means_client() {
        let cli = parse(&["create", "x", "-u", "u", "--password-stdin", "--dry-run"]).unwrap();
        let Command::Create(args) = cli.command else {
            panic!("not create")
        };
        assert_eq!(args.output.dry_run, Some(DryRun::Client));
    }

    #[test]
    fn heal_is_a_fan_out_command_and_a_flag_of_create_and_attach() {
        let cli = parse(&[
            "heal",
            "-A",
            "--dry-run=server",
            "--delete-pods",
            "-o",
            "json",
        ])
        .unwrap();
        assert!(cli.kube.all_namespaces);
        assert!(cli.command.spans_contexts());
        let Command::Heal(args) = cli.command else {
            panic!("not heal")
        };
        assert!(args.delete_pods);
        assert_eq!(args.output.dry_run, Some(DryRun::Server));

        let cli = parse(&["attach", "regcred", "--heal", "--delete-pods"]).unwrap();
        let Command::Attach { heal, .. } = cli.command else {
            panic!("not attach")
        };
        assert!(heal.heal && heal.delete_pods);
        let cli = parse(&["create", "x", "-u", "u", "--password-stdin", "--heal"]).unwrap();
        let Command::Create(args) = cli.command else {
            panic!("not create")
        };
        assert!(args.heal.heal && !args.attach);

        // --delete-pods only with --heal; detach has neither.
        assert!(parse(&["attach", "regcred", "--delete-pods"]).is_err());
        assert!(
            parse(&[
                "create",
                "x",
                "-u",
                "u",
                "--password-stdin",
                "--delete-pods"
            ])
            .is_err()
        );
        assert!(parse(&["detach", "regcred", "--heal"]).is_err());
    }

    #[test]
    fn password_sources_are_exclusive() {
        let both = parse(&[
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

    #[test]
    fn labels_are_validated_and_removals_recognised() {
        let cli = parse(&[
            "label",
            "x",
            "a=b",
            "example.com/c-",
            "--annotation",
            "note=any text",
        ])
        .unwrap();
        let Command::Label(args) = cli.command else {
            panic!("not label")
        };
        assert_eq!(
            args.changes,
            [
                LabelChange::Set(KeyValue {
                    key: "a".into(),
                    value: "b".into()
                }),
                LabelChange::Remove("example.com/c".into()),
            ]
        );
        assert!(parse(&["label", "x", "bad key=v"]).is_err());
        assert!(parse(&["label", "x", "k=bad value"]).is_err());
        assert!(parse(&["create", "x", "--label", "novalue"]).is_err());
    }

    #[test]
    fn request_timeouts_read_like_kubectl() {
        use std::time::Duration;
        let parse_request_timeout = parse::request_timeout;
        assert_eq!(parse_request_timeout("0"), Ok(Duration::ZERO));
        assert_eq!(parse_request_timeout("30"), Ok(Duration::from_secs(30)));
        assert_eq!(
            parse_request_timeout("500ms"),
            Ok(Duration::from_millis(500))
        );
        assert_eq!(parse_request_timeout("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_request_timeout("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(
            parse_request_timeout("1.5s"),
            Ok(Duration::from_millis(1500))
        );
        for bad in ["", "s", "1d", "-1s", "abc"] {
            let err = parse_request_timeout(bad).unwrap_err();
            assert!(err.contains("30s"), "{bad}: {err}");
        }
        let cli =
            Cli::try_parse_from(["kubectl-regcred", "status", "--request-timeout", "0"]).unwrap();
        assert_eq!(cli.kube.target().request_timeout, None);
    }
}
