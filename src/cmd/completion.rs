//! Shell completion: `completion SHELL` scripts, the man pages, and the answers kubectl asks
//! plugins for (`__complete`, Cobra's protocol) with namespaces and secrets from the cluster.
//!
//! Everything is derived from the clap definition in `cli`, walking its tree, so a new
//! subcommand or flag shows up after `scripts/gen-completions.sh` with no change here.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::{Arg, Command, CommandFactory, FromArgMatches, ValueEnum};
use clap_complete::Shell;
use clap_complete::engine::{ArgValueCandidates, ArgValueCompleter, CompletionCandidate};

use crate::cli::{Cli, KubeArgs};
use crate::cluster::namespaces::{self, Wanted};
use crate::cluster::{self, Cluster, ClusterError, contexts, names};
use crate::error::Error;
use crate::output;

/// The name the scripts complete and the man pages are titled with.
pub const BIN_NAME: &str = "kubectl-regcred";

/// The hidden command kubectl's plugin completion runs, through `kubectl_complete-regcred`.
pub const COMPLETE_COMMAND: &str = "__complete";

/// The hidden command that writes the shipped `completions/` and `man/` files.
pub const GENERATE_COMMAND: &str = "__generate";

/// How long `__complete` waits for the cluster, in all: a shell waiting on TAB must not hang.
pub const CLUSTER_TIMEOUT: Duration = Duration::from_secs(1);

/// Subcommands whose NAME is a pull secret that already exists (so it completes from the
/// cluster); `create` names a new one.
const EXISTING_SECRET_COMMANDS: &[&str] = &["attach", "detach", "label", "delete", "check"];

/// Argument ids whose values are namespace names.
const NAMESPACE_ARGS: &[&str] = &["namespace", "exclude"];

/// Cobra's `ShellCompDirective` values (spf13/cobra `completions.go`).
mod directive {
    /// Let the shell complete file names.
    pub const DEFAULT: u8 = 0;
    /// No file-name completion when there are no candidates.
    pub const NO_FILE_COMP: u8 = 4;
}

/// Prints the completion script for `shell` (the `completion` subcommand).
pub fn print_script(shell: Shell) -> Result<(), Error> {
    let script = String::from_utf8_lossy(&script(shell)).into_owned();
    output::print_text(&script)?;
    Ok(())
}

/// The completion script clap_complete generates for `shell`, completing `kubectl-regcred`.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, BIN_NAME, &mut script);
    match shell {
        Shell::Bash => fix_bash_subcommand_states(&String::from_utf8_lossy(&script)).into_bytes(),
        _ => script,
    }
}

/// clap_complete's bash script spells the state of a subcommand of a hyphenated binary two
/// ways (clap-rs/clap#6421): its loop sets `kubectl__regcred__subcmd__create`, its case arms
/// expect `kubectl__subcmd__regcred__subcmd__create`, so nothing after a subcommand completed.
/// The arms are respelled as the loop spells them; once clap fixes it this changes nothing.
fn fix_bash_subcommand_states(script: &str) -> String {
    let arm_spelling = format!("{}__subcmd__", BIN_NAME.replace('-', "__subcmd__"));
    let loop_spelling = format!("{}__subcmd__", BIN_NAME.replace('-', "__"));
    script.replace(&arm_spelling, &loop_spelling)
}

/// Every file `__generate` writes, as (path relative to the output dir, content):
/// `completions/<one per shell>` and `man/kubectl-regcred.1` plus one page per subcommand.
pub fn generated_files() -> Result<Vec<(PathBuf, Vec<u8>)>, std::io::Error> {
    let mut files = Vec::new();
    for shell in Shell::value_variants() {
        let path =
            Path::new("completions").join(clap_complete::Generator::file_name(shell, BIN_NAME));
        files.push((path, script(*shell)));
    }
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    for page in man_pages(&cmd) {
        let mut roff = Vec::new();
        page.render(&mut roff)?;
        files.push((Path::new("man").join(page.get_filename()), roff));
    }
    Ok(files)
}

/// A man page for the command and, depth first, for each of its visible subcommands.
fn man_pages(cmd: &Command) -> Vec<clap_mangen::Man> {
    let source = format!("{BIN_NAME} {}", env!("CARGO_PKG_VERSION"));
    let mut pages = vec![clap_mangen::Man::new(cmd.clone()).source(source)];
    for sub in cmd.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        pages.extend(man_pages(sub));
    }
    pages
}

/// Writes [`generated_files`] under `dir` (creating `completions/` and `man/`).
pub fn generate_into(dir: &Path) -> Result<(), Error> {
    let write_error = |path: &Path, source| Error::WriteFile {
        path: path.to_path_buf(),
        source,
    };
    let files = generated_files().map_err(|source| write_error(dir, source))?;
    for (relative, content) in files {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| write_error(parent, source))?;
        }
        std::fs::write(&path, content).map_err(|source| write_error(&path, source))?;
    }
    Ok(())
}

/// A command answered before clap parses the command line (see [`hidden_command`]).
#[derive(Debug, PartialEq, Eq)]
pub enum Hidden {
    /// `__complete [--] WORDS...`: the candidates for the last word, in Cobra's protocol.
    Complete(Vec<OsString>),
    /// `__generate DIR`: write the completion scripts and man pages under DIR.
    Generate(Vec<OsString>),
}

/// Recognises the hidden commands in `argv` (program name first).
///
/// They are not clap subcommands: the words of a half-typed command line are rarely valid
/// (`attach -n` lacks a value), global flags among them must not be parsed as ours, and
/// clap_complete's scripts would offer hidden subcommands on TAB.
pub fn hidden_command(argv: impl IntoIterator<Item = OsString>) -> Option<Hidden> {
    let mut args = argv.into_iter().skip(1);
    let first = args.next()?;
    if first == COMPLETE_COMMAND {
        let mut words: Vec<OsString> = args.collect();
        if words.first().is_some_and(|word| word == "--") {
            words.remove(0);
        }
        Some(Hidden::Complete(words))
    } else if first == GENERATE_COMMAND {
        Some(Hidden::Generate(args.collect()))
    } else {
        None
    }
}

/// Runs a hidden command. `__complete` always succeeds: a failed lookup only means fewer
/// candidates, and nothing is printed but the candidates.
pub fn run_hidden(hidden: Hidden) -> Result<(), Error> {
    match hidden {
        Hidden::Complete(words) => {
            let answer = cobra_answer(&words, CLUSTER_TIMEOUT);
            // Nobody could read an error here: the shell discards stderr while completing.
            let _ = output::print_text(&answer);
            Ok(())
        }
        Hidden::Generate(args) => match args.as_slice() {
            [dir] => generate_into(Path::new(dir)),
            _ => Err(Error::Usage(format!(
                "usage: {BIN_NAME} {GENERATE_COMMAND} DIR (writes DIR/completions and DIR/man)"
            ))),
        },
    }
}

/// The answer to `__complete WORDS...`: one candidate a line (`value` or
/// `value<TAB>description`), then `:<directive>`. The last word is the one being completed
/// (empty when the cursor is after a space).
pub fn cobra_answer(words: &[OsString], timeout: Duration) -> String {
    let (current, typed) = match words.split_last() {
        Some((current, typed)) => (current.clone(), typed),
        None => (OsString::new(), words),
    };
    let lookup = Arc::new(ClusterLookup {
        kube: kube_args_of(typed),
        deadline: Instant::now() + timeout,
    });
    let wants_files = Arc::new(AtomicBool::new(false));
    let mut cmd = with_completers(Cli::command(), &lookup, &wants_files);
    let mut args = Vec::with_capacity(typed.len() + 2);
    args.push(OsString::from(BIN_NAME));
    args.extend(typed.iter().cloned());
    args.push(current.clone());
    let index = args.len() - 1;
    let candidates =
        clap_complete::engine::complete(&mut cmd, args, index, None).unwrap_or_default();
    let shown = visible(candidates, &current.to_string_lossy());
    let directive = if wants_files.load(Ordering::Relaxed) {
        directive::DEFAULT
    } else {
        directive::NO_FILE_COMP
    };
    cobra_lines(&shown, directive)
}

/// The global flags typed so far (`--kubeconfig`, `--context`, `-n`, `-A`...), for the
/// cluster lookups. Half-typed lines parse as far as they go.
fn kube_args_of(typed: &[OsString]) -> KubeArgs {
    let argv = std::iter::once(OsString::from(BIN_NAME)).chain(typed.iter().cloned());
    let Ok(matches) = Cli::command()
        .ignore_errors(true)
        .try_get_matches_from(argv)
    else {
        return KubeArgs::default();
    };
    // Global flags are copied into the matches of every subcommand level; the deepest has all.
    let mut deepest = &matches;
    while let Some((_, sub)) = deepest.subcommand() {
        deepest = sub;
    }
    KubeArgs::from_arg_matches(deepest).unwrap_or_default()
}

/// The command tree with completers on the arguments whose values come from the cluster, and
/// a marker on path arguments (the shell completes those itself: directive 0).
fn with_completers(
    cmd: Command,
    lookup: &Arc<ClusterLookup>,
    wants_files: &Arc<AtomicBool>,
) -> Command {
    let is_existing_secret = EXISTING_SECRET_COMMANDS.contains(&cmd.get_name());
    cmd.mut_args(|arg| {
        let id = arg.get_id().as_str();
        if NAMESPACE_ARGS.contains(&id) {
            let lookup = Arc::clone(lookup);
            arg.add(ArgValueCandidates::new(move || lookup.namespaces()))
        } else if id == "context" {
            let lookup = Arc::clone(lookup);
            arg.add(ArgValueCandidates::new(move || lookup.contexts()))
        } else if is_existing_secret && id == "name" && arg.is_positional() {
            let lookup = Arc::clone(lookup);
            arg.add(ArgValueCandidates::new(move || lookup.pull_secrets()))
        } else if takes_a_path(&arg) {
            let wants_files = Arc::clone(wants_files);
            arg.add(ArgValueCompleter::new(move |_: &std::ffi::OsStr| {
                wants_files.store(true, Ordering::Relaxed);
                Vec::new()
            }))
        } else {
            arg
        }
    })
    .mut_subcommands(|sub| with_completers(sub, lookup, wants_files))
}

fn takes_a_path(arg: &Arg) -> bool {
    matches!(
        arg.get_value_hint(),
        clap::ValueHint::AnyPath | clap::ValueHint::FilePath | clap::ValueHint::DirPath
    )
}

/// What is shown: no hidden flags or subcommands, and flags only once a `-` is typed (as
/// kubectl does), so `kubectl regcred <TAB>` lists the subcommands.
fn visible(candidates: Vec<CompletionCandidate>, current: &str) -> Vec<CompletionCandidate> {
    candidates
        .into_iter()
        .filter(|c| !c.is_hide_set())
        .filter(|c| current.starts_with('-') || !c.get_value().to_string_lossy().starts_with('-'))
        .collect()
}

/// Cobra's `__complete` output: `value[\tdescription]` lines, then `:directive`.
fn cobra_lines(candidates: &[CompletionCandidate], directive: u8) -> String {
    let mut text = String::new();
    for candidate in candidates {
        let value = candidate.get_value().to_string_lossy();
        if value.contains(['\n', '\r', '\t']) {
            continue;
        }
        text.push_str(&value);
        let help = candidate
            .get_help()
            .map(|help| help.to_string())
            .unwrap_or_default();
        if let Some(first_line) = help.lines().next().filter(|line| !line.trim().is_empty()) {
            text.push('\t');
            text.push_str(first_line.trim());
        }
        text.push('\n');
    }
    text.push_str(&format!(":{directive}\n"));
    text
}

/// Asks the cluster for names, within one deadline for the whole completion.
struct ClusterLookup {
    kube: KubeArgs,
    deadline: Instant,
}

impl ClusterLookup {
    /// The kubeconfig's context names (for `--context`): read from the file, no cluster asked.
    fn contexts(&self) -> Vec<CompletionCandidate> {
        contexts::names(&self.kube.target())
            .into_iter()
            .map(CompletionCandidate::new)
            .collect()
    }

    /// Every namespace name (for `-n`, `--exclude`).
    fn namespaces(&self) -> Vec<CompletionCandidate> {
        self.ask(|cluster| async move { names::namespace_names(&cluster).await })
            .unwrap_or_default()
            .into_iter()
            .map(CompletionCandidate::new)
            .collect()
    }

    /// The pull secrets in the namespaces the typed flags select (the context's by default).
    fn pull_secrets(&self) -> Vec<CompletionCandidate> {
        let kube = self.kube.clone();
        let found = self
            .ask(move |cluster| async move { pull_secrets_for(&cluster, &kube).await })
            .unwrap_or_default();
        secret_candidates(found)
    }

    /// Runs `query` on a connected cluster in a thread of its own and waits until the
    /// deadline. The thread is left behind when it is late: a credential plugin may block it
    /// in a way no timer can interrupt, and the process ends right after printing anyway.
    fn ask<T, F, Fut>(&self, query: F) -> Option<T>
    where
        T: Send + 'static,
        F: FnOnce(Cluster) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, ClusterError>>,
    {
        let budget = self
            .deadline
            .checked_duration_since(Instant::now())
            .filter(|budget| !budget.is_zero())?;
        let kube = self.kube.clone();
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("completion-lookup".into())
            .spawn(move || {
                let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                let answer = runtime.block_on(async move {
                    let lookup = async {
                        let cluster = cluster::connect(&kube.target()).await?;
                        query(cluster).await
                    };
                    tokio::time::timeout(budget, lookup).await.ok()?.ok()
                });
                let _ = sender.send(answer);
            })
            .ok()?;
        receiver.recv_timeout(budget).ok().flatten()
    }
}

/// `(name, namespace)` of the pull secrets where the typed namespace flags point.
async fn pull_secrets_for(
    cluster: &Cluster,
    kube: &KubeArgs,
) -> Result<Vec<(String, String)>, ClusterError> {
    match namespaces::requested(&kube.target(), &cluster.default_namespace) {
        Wanted::Named(namespaces) => {
            let mut found = Vec::new();
            for namespace in &namespaces {
                found.extend(names::pull_secret_names(cluster, Some(namespace)).await?);
            }
            Ok(found)
        }
        Wanted::All | Wanted::Selector(_) => names::pull_secret_names(cluster, None).await,
    }
}

/// One candidate per secret name, described by where it is.
fn secret_candidates(mut found: Vec<(String, String)>) -> Vec<CompletionCandidate> {
    found.sort();
    let mut candidates: Vec<(String, Vec<String>)> = Vec::new();
    for (name, namespace) in found {
        match candidates.last_mut() {
            Some((last, namespaces)) if *last == name => namespaces.push(namespace),
            _ => candidates.push((name, vec![namespace])),
        }
    }
    candidates
        .into_iter()
        .map(|(name, namespaces)| {
            let help = match namespaces.as_slice() {
                [one] => format!("pull secret in {one}"),
                many => format!("pull secret in {} namespaces", many.len()),
            };
            CompletionCandidate::new(name).help(Some(help.into()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &[&str]) -> Vec<OsString> {
        line.iter().map(OsString::from).collect()
    }

    /// The answer with no cluster at all (KUBECONFIG is not read: the timeout is zero).
    fn answer(line: &[&str]) -> String {
        cobra_answer(&words(line), Duration::ZERO)
    }

    fn values(answer: &str) -> Vec<&str> {
        answer
            .lines()
            .filter(|line| !line.starts_with(':'))
            .map(|line| line.split('\t').next().unwrap_or_default())
            .collect()
    }

    #[test]
    fn hidden_commands_are_recognised_before_clap() {
        let argv = |args: &[&str]| words(args);
        assert_eq!(
            hidden_command(argv(&["kubectl-regcred", "__complete", "--", "-n", ""])),
            Some(Hidden::Complete(words(&["-n", ""])))
        );
        assert_eq!(
            hidden_command(argv(&[
                "kubectl-regcred",
                "__complete",
                "attach",
                "--",
                "x"
            ])),
            Some(Hidden::Complete(words(&["attach", "--", "x"])))
        );
        assert_eq!(
            hidden_command(argv(&["kubectl-regcred", "__generate", "out"])),
            Some(Hidden::Generate(words(&["out"])))
        );
        assert_eq!(
            hidden_command(argv(&["kubectl-regcred", "create", "x"])),
            None
        );
        assert_eq!(hidden_command(argv(&["kubectl-regcred"])), None);
    }

    #[test]
    fn subcommands_complete_without_flags_or_hidden_entries() {
        assert_eq!(values(&answer(&["cr"])), ["create"]);
        let answer = answer(&[""]);
        let values = values(&answer);
        for expected in [
            "create",
            "attach",
            "detach",
            "label",
            "delete",
            "completion",
        ] {
            assert!(values.contains(&expected), "{answer}");
        }
        assert!(values.iter().all(|v| !v.starts_with('-')), "{answer}");
        assert!(answer.ends_with("\n:4\n"), "{answer}");
    }

    #[test]
    fn subcommands_carry_their_summary() {
        let answer = answer(&["cre"]);
        assert!(
            answer.starts_with("create\tCreate or update an image-pull secret"),
            "{answer}"
        );
    }

    #[test]
    fn flags_complete_once_a_dash_is_typed() {
        assert_eq!(
            values(&answer(&["create", "--ser"])),
            ["--server", "--service-account"]
        );
        let answer = answer(&["attach", "x", "--"]);
        let values = values(&answer);
        for expected in ["--namespace", "--all-service-accounts", "--kubeconfig"] {
            assert!(values.contains(&expected), "{answer}");
        }
        assert!(!values.contains(&"--password"), "a hidden flag: {answer}");
    }

    #[test]
    fn fixed_values_complete() {
        assert_eq!(
            values(&answer(&["attach", "x", "-o", ""])),
            ["yaml", "json"]
        );
        assert_eq!(
            values(&answer(&["create", "x", "--dry-run=s"])),
            ["--dry-run=server"]
        );
        assert_eq!(
            values(&answer(&["completion", ""])),
            ["bash", "elvish", "fish", "powershell", "zsh"]
        );
    }

    #[test]
    fn contexts_complete_from_the_kubeconfig_without_a_cluster() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        std::fs::write(
            &path,
            "apiVersion: v1\nkind: Config\ncontexts:\n- name: prod\n  context: {cluster: c, user: u}\n\
             - name: staging\n  context: {cluster: c, user: u}\n",
        )
        .unwrap();
        let path = path.to_str().unwrap();
        assert_eq!(
            values(&answer(&["status", "--kubeconfig", path, "--context", ""])),
            ["prod", "staging"]
        );
        let after_comma = answer(&["status", "--kubeconfig", path, "--context", "prod,"]);
        assert!(
            values(&after_comma).contains(&"prod,staging"),
            "{after_comma}"
        );
    }

    #[test]
    fn paths_are_left_to_the_shell() {
        for line in [
            &["--kubeconfig", ""][..],
            &["create", "x", "--password-file", ""][..],
        ] {
            assert_eq!(answer(line), ":0\n", "{line:?}");
        }
    }

    #[test]
    fn cluster_values_without_a_cluster_are_no_candidates() {
        assert_eq!(answer(&["attach", "-n", ""]), ":4\n");
        assert_eq!(answer(&["attach", ""]), ":4\n");
        assert_eq!(answer(&["attach", "--exclude", "a,"]), ":4\n");
    }

    #[test]
    fn typed_global_flags_are_read_from_half_typed_lines() {
        let kube = kube_args_of(&words(&[
            "attach",
            "--kubeconfig",
            "/k",
            "--context=prod",
            "-n",
            "a,b",
        ]));
        assert_eq!(kube.kubeconfig, Some(PathBuf::from("/k")));
        assert_eq!(kube.context, ["prod"]);
        assert_eq!(kube.namespace, ["a", "b"]);
        assert!(kube_args_of(&words(&["-A", "label"])).all_namespaces);
        assert_eq!(kube_args_of(&words(&["attach", "-n"])).namespace.len(), 0);
    }

    #[test]
    fn the_arguments_completed_from_the_cluster_exist() {
        let cmd = Cli::command();
        for name in EXISTING_SECRET_COMMANDS {
            let sub = cmd
                .find_subcommand(name)
                .unwrap_or_else(|| panic!("no subcommand {name}: update EXISTING_SECRET_COMMANDS"));
            assert!(
                sub.get_positionals().any(|arg| arg.get_id() == "name"),
                "{name} has no positional `name`: update EXISTING_SECRET_COMMANDS"
            );
        }
        for id in NAMESPACE_ARGS {
            assert!(
                cmd.get_arguments().any(|arg| arg.get_id() == id),
                "no argument {id}: update NAMESPACE_ARGS"
            );
        }
    }

    #[test]
    fn secrets_found_in_several_namespaces_are_one_candidate() {
        let found = vec![
            ("regcred".to_string(), "b".to_string()),
            ("hub".to_string(), "a".to_string()),
            ("regcred".to_string(), "a".to_string()),
        ];
        let text = cobra_lines(&secret_candidates(found), directive::NO_FILE_COMP);
        assert_eq!(
            text,
            "hub\tpull secret in a\nregcred\tpull secret in 2 namespaces\n:4\n"
        );
    }

    #[test]
    fn every_shell_gets_a_script_naming_the_binary() {
        for shell in Shell::value_variants() {
            let script = String::from_utf8(script(*shell)).expect("UTF-8 script");
            assert!(script.contains(BIN_NAME), "{shell}");
            assert!(!script.contains(COMPLETE_COMMAND), "{shell}");
        }
    }

    /// clap_complete does not escape `"` in the help of a value (a `ValueEnum` variant's doc
    /// comment): the zsh and fish scripts then break apart. Quote with `'` there.
    #[test]
    fn value_help_has_no_double_quotes() {
        fn check(cmd: &Command, found: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                for value in arg.get_possible_values() {
                    if value
                        .get_help()
                        .is_some_and(|h| h.to_string().contains('"'))
                    {
                        found.push(format!("{} --{}", cmd.get_name(), arg.get_id()));
                    }
                }
            }
            for sub in cmd.get_subcommands() {
                check(sub, found);
            }
        }
        let mut found = Vec::new();
        check(&Cli::command(), &mut found);
        assert!(found.is_empty(), "value help with '\"': {found:?}");
    }

    #[test]
    fn generated_files_cover_every_shell_and_visible_subcommand() {
        let files = generated_files().expect("generate");
        let paths: Vec<String> = files
            .iter()
            .map(|(path, _)| path.display().to_string())
            .collect();
        for expected in [
            "completions/kubectl-regcred.bash",
            "completions/_kubectl-regcred",
            "completions/kubectl-regcred.fish",
            "completions/_kubectl-regcred.ps1",
            "completions/kubectl-regcred.elv",
            "man/kubectl-regcred.1",
            "man/kubectl-regcred-create.1",
            "man/kubectl-regcred-completion.1",
        ] {
            assert!(paths.contains(&expected.to_string()), "{paths:?}");
        }
        assert!(!paths.iter().any(|p| p.contains("help")), "{paths:?}");
    }
}
