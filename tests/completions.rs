//! Completion as users meet it, in real shells: the bash and zsh scripts of
//! `kubectl-regcred completion SHELL` driven like a TAB press, and kubectl's plugin completion
//! (`kubectl __complete regcred ...`) through `kubectl_complete-regcred`. No cluster: the
//! cluster lookups must give up quickly and quietly.
#![cfg(unix)]

use std::ffi::OsString;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use tempfile::TempDir;

const PLUGIN: &str = env!("CARGO_BIN_EXE_kubectl-regcred");
const COMPLETER: &str = env!("CARGO_BIN_EXE_kubectl_complete-regcred");

/// A shell's completion of `line` (a trailing space means a new, empty word).
struct Completed {
    candidates: Vec<String>,
}

impl Completed {
    fn has(&self, candidate: &str) -> bool {
        self.candidates.iter().any(|c| c == candidate)
    }

    #[track_caller]
    fn assert_has(&self, line: &str, expected: &[&str]) {
        for candidate in expected {
            assert!(
                self.has(candidate),
                "{line:?}<TAB> does not offer {candidate:?}; it offers {:?}",
                self.candidates
            );
        }
    }
}

/// The words of a command line as the shell splits them, with the word under the cursor last.
fn words_of(line: &str) -> Vec<String> {
    let mut words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
    if line.ends_with(' ') {
        words.push(String::new());
    }
    words
}

/// A directory holding the completion script of `shell` as its file name for that shell.
fn script_dir(shell: &str, file_name: &str) -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    let script = Command::new(PLUGIN)
        .args(["completion", shell])
        .env_clear()
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    std::fs::write(dir.path().join(file_name), script).expect("write the script");
    dir
}

fn base_env(cmd: &mut Command, home: &Path) {
    cmd.env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", home)
        .env("TERM", "dumb")
        .env("LC_ALL", "C")
        .timeout(Duration::from_secs(60));
}

// --- bash ------------------------------------------------------------------------------------

/// Sources the script and calls its completion function as bash does on TAB: with
/// COMP_WORDS/COMP_CWORD/COMP_LINE/COMP_POINT set and (command, word, previous word) as
/// arguments; prints COMPREPLY one per line. The function is the one `complete -p` names.
const BASH_DRIVER: &str = r#"
source "$1"; shift
func=$(complete -p kubectl-regcred | sed -n 's/.*-F \([^ ]*\) .*/\1/p')
[ -n "$func" ] || { echo "no completion function registered for kubectl-regcred" >&2; exit 3; }
COMP_WORDS=("$@")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMP_LINE="${COMP_WORDS[*]}"
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
"$func" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
"#;

fn bash_complete(line: &str) -> Completed {
    let dir = script_dir("bash", "kubectl-regcred.bash");
    let driver = dir.path().join("driver.bash");
    std::fs::write(&driver, BASH_DRIVER).expect("write the driver");
    let mut cmd = Command::new("bash");
    base_env(&mut cmd, dir.path());
    cmd.current_dir(dir.path())
        .args(["--norc", "--noprofile"])
        .arg(&driver)
        .arg(dir.path().join("kubectl-regcred.bash"))
        .args(words_of(line));
    let output = cmd.assert().success().get_output().clone();
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    Completed {
        candidates: stdout
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
    }
}

#[test]
fn bash_completes_subcommands() {
    let line = "kubectl-regcred cr";
    let completed = bash_complete(line);
    assert_eq!(completed.candidates, ["create"], "{line:?}<TAB>");
    bash_complete("kubectl-regcred ").assert_has(
        "kubectl-regcred ",
        &[
            "create",
            "attach",
            "detach",
            "label",
            "delete",
            "completion",
        ],
    );
}

#[test]
fn bash_completes_the_flags_of_a_subcommand() {
    let line = "kubectl-regcred create --ser";
    bash_complete(line).assert_has(line, &["--server", "--service-account"]);
    let line = "kubectl-regcred attach regcred --all-s";
    assert_eq!(bash_complete(line).candidates, ["--all-service-accounts"]);
    // Global flags before the subcommand do not get in the way.
    let line = "kubectl-regcred -n team-a detach --all-s";
    assert_eq!(bash_complete(line).candidates, ["--all-service-accounts"]);
}

#[test]
fn bash_completes_fixed_values() {
    let line = "kubectl-regcred attach -o ";
    assert_eq!(bash_complete(line).candidates, ["yaml", "json"]);
    let line = "kubectl-regcred completion ";
    bash_complete(line).assert_has(line, &["bash", "zsh", "fish", "powershell", "elvish"]);
}

#[test]
fn bash_completes_hidden_commands_never() {
    let line = "kubectl-regcred __";
    let completed = bash_complete(line);
    assert!(
        completed.candidates.is_empty(),
        "{line:?}<TAB> offers {:?}",
        completed.candidates
    );
}

// --- zsh -------------------------------------------------------------------------------------

/// Runs an interactive `zsh -f` on a pseudo-terminal (zsh/zpty), with compinit and the
/// generated `_kubectl-regcred` on fpath, types the line and a TAB. A `compadd` wrapper writes
/// every match zsh would add to the result file; a post-completion hook writes `<done>` and
/// exits before anything is listed, so no prompt or terminal size is involved.
/// Usage: zsh -f driver.zsh FPATH_DIR RESULT_FILE LINE
const ZSH_DRIVER: &str = r#"
zmodload zsh/zpty zsh/zselect || exit 3
dir=$1 result=$2 line=$3
setup=$result.setup
cat > $setup <<SETUP
PROMPT='' RPROMPT='' PS2=''
unset zle_bracketed_paste
fpath=(${(q)dir} \$fpath)
autoload -Uz compinit && compinit -u -D
zstyle ':completion:*' list-prompt ''
zstyle ':completion:*' menu no
bindkey '^I' complete-word
compadd() {
  local __arg
  for __arg in "\$@"; do
    [[ \$__arg == (-|--) ]] && break
    # -O/-A/-D only collect matches for the caller: nothing is added.
    [[ \$__arg == -[[:alpha:]]#[OAD]* ]] && { builtin compadd "\$@"; return }
  done
  local -a __found
  builtin compadd -O __found "\$@"
  (( \$#__found )) && print -rl -- \$__found >> ${(q)result}
  builtin compadd "\$@"
}
__regcred_done() { print -r -- '<done>' >> ${(q)result}; exit 0 }
comppostfuncs=(__regcred_done)
SETUP
zpty regcred zsh -f -i
zpty -w regcred "source ${(q)setup}"
zpty -w -n regcred "$line"$'\t'
# Until the hook has ended the shell, reading what it prints; should it not, give up after
# 20 s (the result then lacks <done>).
typeset -F SECONDS=0
while zpty -t regcred && (( SECONDS < 20 )); do
  zpty -r -t regcred out || zselect -t 5
done
zpty -d regcred
"#;

fn zsh_complete(line: &str) -> Completed {
    let dir = script_dir("zsh", "_kubectl-regcred");
    let driver = dir.path().join("driver.zsh");
    std::fs::write(&driver, ZSH_DRIVER).expect("write the driver");
    let result = dir.path().join("result");
    let mut cmd = Command::new(zsh());
    base_env(&mut cmd, dir.path());
    // ZLE, and so completion, is off on a "dumb" terminal.
    cmd.env("TERM", "xterm")
        .current_dir(dir.path())
        .arg("-f")
        .arg(&driver)
        .arg(dir.path())
        .arg(&result)
        .arg(line);
    cmd.assert().success();
    let recorded = std::fs::read_to_string(&result).unwrap_or_default();
    let mut candidates: Vec<String> = recorded.lines().map(str::to_string).collect();
    assert_eq!(
        candidates.pop().as_deref(),
        Some("<done>"),
        "zsh did not finish completing {line:?}: {recorded:?}"
    );
    candidates.dedup();
    Completed { candidates }
}

fn zsh() -> PathBuf {
    ["/usr/bin/zsh", "/bin/zsh"]
        .into_iter()
        .map(PathBuf::from)
        .find(|path| path.is_file())
        .expect("zsh is not installed (scripts/testenv.sh deps installs it)")
}

#[test]
fn zsh_completes_subcommands() {
    let line = "kubectl-regcred cr";
    assert_eq!(zsh_complete(line).candidates, ["create"], "{line:?}<TAB>");
    let line = "kubectl-regcred ";
    zsh_complete(line).assert_has(
        line,
        &[
            "create",
            "attach",
            "detach",
            "label",
            "delete",
            "completion",
        ],
    );
}

#[test]
fn zsh_completes_the_flags_of_a_subcommand() {
    let line = "kubectl-regcred create --ser";
    zsh_complete(line).assert_has(line, &["--server", "--service-account"]);
    let line = "kubectl-regcred -n team-a attach regcred --all-s";
    assert_eq!(zsh_complete(line).candidates, ["--all-service-accounts"]);
}

#[test]
fn zsh_completes_fixed_values() {
    let line = "kubectl-regcred attach -o ";
    assert_eq!(zsh_complete(line).candidates, ["yaml", "json"]);
    let line = "kubectl-regcred create regcred --dry-run=";
    assert_eq!(
        zsh_complete(line).candidates,
        ["client", "server", "none"],
        "{line:?}<TAB>"
    );
}

// --- kubectl's plugin completion -------------------------------------------------------------

/// A PATH with only the two plugin binaries (as symlinks), kubectl and the base system, and a
/// kubeconfig of our choosing.
struct KubectlWorld {
    bin_dir: TempDir,
    kubectl: PathBuf,
    path: OsString,
}

impl KubectlWorld {
    fn new() -> Self {
        let bin_dir = TempDir::new().expect("temp bin dir");
        for (target, name) in [
            (PLUGIN, "kubectl-regcred"),
            (COMPLETER, "kubectl_complete-regcred"),
        ] {
            std::os::unix::fs::symlink(target, bin_dir.path().join(name))
                .expect("link a binary into the temp bin dir");
        }
        let kubectl_dir = kubectl_dir();
        let dirs = [
            bin_dir.path(),
            &kubectl_dir,
            Path::new("/usr/bin"),
            Path::new("/bin"),
        ];
        KubectlWorld {
            kubectl: kubectl_dir.join("kubectl"),
            path: std::env::join_paths(dirs).expect("PATH from temp dirs"),
            bin_dir,
        }
    }

    /// A kubeconfig whose cluster is `server`, with a namespace in its context.
    fn kubeconfig(&self, server: &str) -> PathBuf {
        let path = self.bin_dir.path().join("kubeconfig");
        let config = format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {server}\n    insecure-skip-tls-verify: true\ncontexts:\n- name: ctx\n  context:\n    cluster: c\n    user: u\n    namespace: team-a\ncurrent-context: ctx\nusers:\n- name: u\n  user:\n    token: not-a-real-token\n"
        );
        std::fs::write(&path, config).expect("write kubeconfig");
        path
    }

    fn command(&self, program: impl AsRef<std::ffi::OsStr>, kubeconfig: &Path) -> Command {
        let mut cmd = Command::new(program);
        base_env(&mut cmd, self.bin_dir.path());
        cmd.env("PATH", &self.path).env("KUBECONFIG", kubeconfig);
        cmd
    }
}

/// The directory of the `kubectl` on the test's PATH (Debian's package puts it in /usr/bin).
fn kubectl_dir() -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/bin")])
        .find(|dir| dir.join("kubectl").is_file())
        .expect("kubectl is not installed (scripts/testenv.sh deps installs it)")
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("local addr").port()
}

struct Run {
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

fn run_ok(mut cmd: Command) -> Run {
    let started = Instant::now();
    let output = cmd.assert().success().get_output().clone();
    Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        elapsed: started.elapsed(),
    }
}

fn values(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter(|line| !line.starts_with(':'))
        .map(|line| line.split('\t').next().unwrap_or_default())
        .collect()
}

#[test]
fn kubectl_completes_plugin_subcommands_through_kubectl_complete_regcred() {
    let world = KubectlWorld::new();
    let kubeconfig = world.kubeconfig(&format!("https://127.0.0.1:{}", closed_port()));
    let mut cmd = world.command(&world.kubectl, &kubeconfig);
    cmd.args(["__complete", "regcred", "cr"]);
    let run = run_ok(cmd);
    assert_eq!(values(&run.stdout), ["create"], "{}", run.stdout);
    assert!(
        run.stdout.starts_with("create\tCreate or update"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.ends_with(":4\n"), "{}", run.stdout);

    let mut cmd = world.command(&world.kubectl, &kubeconfig);
    cmd.args(["__complete", "regcred", "attach", "regcred", "--all-s"]);
    let run = run_ok(cmd);
    assert_eq!(
        values(&run.stdout),
        ["--all-service-accounts"],
        "{}",
        run.stdout
    );
}

#[test]
fn kubectl_completion_gives_up_on_an_unreachable_cluster_quickly_and_quietly() {
    let world = KubectlWorld::new();
    let kubeconfig = world.kubeconfig(&format!("https://127.0.0.1:{}", closed_port()));
    for words in [&["attach", "-n", ""][..], &["attach", ""], &["-n", ""]] {
        let mut cmd = world.command(&world.kubectl, &kubeconfig);
        cmd.args(["__complete", "regcred"]).args(words);
        let run = run_ok(cmd);
        assert!(
            run.elapsed < Duration::from_secs(3),
            "{words:?} took {:?}",
            run.elapsed
        );
        assert_eq!(run.stdout, ":4\n", "{words:?}");
        // kubectl's own stderr carries its debug lines; nothing of ours, and no error.
        assert!(
            !run.stderr.to_lowercase().contains("error"),
            "{words:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn completion_does_not_wait_for_a_cluster_that_never_answers() {
    // Accepts connections (the kernel does) but never speaks TLS.
    let silent = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = silent.local_addr().expect("local addr").port();
    let world = KubectlWorld::new();
    let kubeconfig = world.kubeconfig(&format!("https://127.0.0.1:{port}"));
    let mut cmd = world.command(COMPLETER, &kubeconfig);
    cmd.args(["attach", "-n", ""]);
    let run = run_ok(cmd);
    assert!(
        run.elapsed < Duration::from_secs(3),
        "took {:?}",
        run.elapsed
    );
    assert_eq!(run.stdout, ":4\n");
    assert_eq!(run.stderr, "");
    drop(silent);
}

#[test]
fn completion_with_a_broken_kubeconfig_prints_only_the_directive() {
    let world = KubectlWorld::new();
    let kubeconfig = world.bin_dir.path().join("broken");
    std::fs::write(&kubeconfig, "clusters: [this is not a kubeconfig").expect("write");
    for words in [
        &["attach", "-n", ""][..],
        &["delete", ""],
        &["--exclude", "a,"],
    ] {
        let mut cmd = world.command(PLUGIN, &kubeconfig);
        cmd.arg("__complete").args(words);
        let run = run_ok(cmd);
        assert_eq!(run.stdout, ":4\n", "{words:?}");
        assert_eq!(run.stderr, "", "{words:?}");
    }
}

#[test]
fn kubectl_complete_regcred_passes_flag_first_lines_through() {
    // kubectl calls it with the words after `regcred`, which may start with a flag: the shim
    // must not let them be read as its own.
    let world = KubectlWorld::new();
    let kubeconfig = world.kubeconfig(&format!("https://127.0.0.1:{}", closed_port()));
    let mut cmd = world.command(
        world.bin_dir.path().join("kubectl_complete-regcred"),
        &kubeconfig,
    );
    cmd.args(["--namespace", "team-a", "att"]);
    let run = run_ok(cmd);
    assert_eq!(values(&run.stdout), ["attach"], "{}", run.stdout);

    let mut cmd = world.command(
        world.bin_dir.path().join("kubectl_complete-regcred"),
        &kubeconfig,
    );
    cmd.args(["--kubeconfig", ""]);
    assert_eq!(run_stdout(cmd), ":0\n", "paths are the shell's to complete");
}

fn run_stdout(cmd: Command) -> String {
    run_ok(cmd).stdout
}
