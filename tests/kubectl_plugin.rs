//! The plugin as users meet it: the real `kubectl` finds `kubectl-regcred` on PATH, lists it,
//! and passes arguments, stdin and stdout through. No cluster: KUBECONFIG names a file that does
//! not exist, HOME is empty, and PATH holds only the plugin, kubectl and the base system.
#![cfg(unix)]

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use base64::Engine as _;
use tempfile::TempDir;

/// The directory of the `kubectl` on the test's PATH (Debian's package puts it in /usr/bin).
fn kubectl_dir() -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/bin")])
        .find(|dir| dir.join("kubectl").is_file())
        .expect("kubectl is not installed (scripts/testenv.sh deps installs it)")
}

/// A PATH on which the built plugin is the only `kubectl-regcred`.
struct PluginWorld {
    bin_dir: TempDir,
    home: TempDir,
    kubectl: PathBuf,
    path: OsString,
}

impl PluginWorld {
    fn new() -> Self {
        let bin_dir = TempDir::new().expect("temp bin dir");
        std::os::unix::fs::symlink(
            env!("CARGO_BIN_EXE_kubectl-regcred"),
            bin_dir.path().join("kubectl-regcred"),
        )
        .expect("link the plugin into the temp bin dir");
        let kubectl_dir = kubectl_dir();
        let dirs = [
            bin_dir.path(),
            &kubectl_dir,
            Path::new("/usr/bin"),
            Path::new("/bin"),
        ];
        let path = std::env::join_paths(dirs).expect("PATH from temp dirs");
        PluginWorld {
            bin_dir,
            home: TempDir::new().expect("temp HOME"),
            kubectl: kubectl_dir.join("kubectl"),
            path,
        }
    }

    /// `kubectl` with nothing from the user's environment: no kubeconfig, no plugins of theirs.
    fn kubectl(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.kubectl);
        self.isolate(&mut cmd);
        cmd.args(args);
        cmd
    }

    /// The plugin run directly, in the same environment.
    fn plugin(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubectl-regcred"));
        self.isolate(&mut cmd);
        cmd.args(args);
        cmd
    }

    fn isolate(&self, cmd: &mut Command) {
        cmd.env_clear()
            .env("PATH", &self.path)
            .env("HOME", self.home.path())
            .env("KUBECONFIG", self.home.path().join("no-such-kubeconfig"))
            .timeout(Duration::from_secs(60));
    }
}

fn stdout_of(cmd: &mut Command) -> String {
    let output = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(output).expect("stdout is UTF-8")
}

#[test]
fn kubectl_plugin_list_finds_the_plugin() {
    let world = PluginWorld::new();
    let listed = stdout_of(&mut world.kubectl(&["plugin", "list"]));
    let plugin = world.bin_dir.path().join("kubectl-regcred");
    assert!(
        listed.lines().any(|l| l.trim() == plugin.to_string_lossy()),
        "`kubectl plugin list` does not list {}:\n{listed}",
        plugin.display()
    );
}

#[test]
fn kubectl_regcred_help_shows_the_subcommands() {
    let world = PluginWorld::new();
    let help = stdout_of(&mut world.kubectl(&["regcred", "--help"]));
    assert!(help.contains("Usage: kubectl regcred"), "{help}");
    assert!(help.contains("Commands:"), "{help}");
    assert!(
        help.lines().any(|l| l.trim_start().starts_with("create ")),
        "{help}"
    );
    // kubectl passes the arguments through untouched: the same help as the plugin's own.
    assert_eq!(help, stdout_of(&mut world.plugin(&["--help"])));
}

#[test]
fn kubectl_regcred_version_prints_the_crate_version() {
    let world = PluginWorld::new();
    let version = stdout_of(&mut world.kubectl(&["regcred", "--version"]));
    assert_eq!(
        version.trim(),
        format!("kubectl-regcred {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn kubectl_regcred_create_dry_run_prints_a_pull_secret_without_a_cluster() {
    let world = PluginWorld::new();
    let yaml = stdout_of(
        world
            .kubectl(&[
                "regcred",
                "create",
                "regcred",
                "--server",
                "ghcr.io",
                "--username",
                "u",
                "--password-stdin",
                "--dry-run=client",
                "-o",
                "yaml",
                "-n",
                "team-a",
            ])
            .write_stdin("pw\n"),
    );
    let secret: serde_json::Value =
        serde_saphyr::from_str(&yaml).unwrap_or_else(|e| panic!("not YAML ({e}):\n{yaml}"));
    assert_eq!(secret["apiVersion"], "v1", "{yaml}");
    assert_eq!(secret["kind"], "Secret", "{yaml}");
    assert_eq!(secret["type"], "kubernetes.io/dockerconfigjson", "{yaml}");
    assert_eq!(secret["metadata"]["name"], "regcred", "{yaml}");
    assert_eq!(secret["metadata"]["namespace"], "team-a", "{yaml}");

    // stdin went through kubectl to the plugin: the password is in the secret.
    let encoded = secret["data"][".dockerconfigjson"]
        .as_str()
        .unwrap_or_else(|| panic!("no .dockerconfigjson:\n{yaml}"));
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .expect(".dockerconfigjson is base64");
    let config: serde_json::Value =
        serde_json::from_slice(&decoded).expect(".dockerconfigjson is JSON");
    assert_eq!(config["auths"]["ghcr.io"]["username"], "u");
    assert_eq!(config["auths"]["ghcr.io"]["password"], "pw");
}

/// The demo's script, run from the repository.
fn demo_script() -> Command {
    let mut cmd = Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/demo.sh"));
    cmd.timeout(Duration::from_secs(60));
    cmd
}

/// Issue 16: the demo installs what its script lists (`DEMO_PACKAGES`), which is what
/// `scripts/testenv.sh deps --demo` installs on a fresh machine: none of the keyring, GTK,
/// shells or credential helpers only the tests use.
#[test]
fn issue_16_the_demo_installs_only_the_packages_its_script_lists() {
    let listed = stdout_of(demo_script().arg("--packages"));
    let mut listed: Vec<&str> = listed.lines().collect();
    let installed = stdout_of(
        Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/testenv.sh"))
            .args(["deps", "--demo", "--print"]),
    );
    let mut installed: Vec<&str> = installed.lines().collect();
    listed.sort_unstable();
    installed.sort_unstable();
    assert_eq!(installed, listed, "scripts/demo.sh DEMO_PACKAGES");
    for test_only in [
        "gnome-keyring",
        "dbus-daemon",
        "pass",
        "gnupg",
        "zsh",
        "tmux",
        "golang-docker-credential-helpers",
    ] {
        assert!(!listed.contains(&test_only), "{test_only}");
    }
}

/// Issue 16: cargo's build directory holds `kubectl-regcred.d`, which `kubectl plugin list`
/// reports as a plugin that is not executable (exit 1); the demo runs the plugin from a
/// directory of its own, where the list succeeds.
#[test]
fn issue_16_kubectl_plugin_list_succeeds_on_the_demos_path() {
    let build_dir = Path::new(env!("CARGO_BIN_EXE_kubectl-regcred"))
        .parent()
        .expect("the plugin is in a build directory");
    let plugin_dir = TempDir::new().expect("temp dir");
    let home = TempDir::new().expect("temp HOME");
    let dir = plugin_dir.path().join("bin");
    let base = std::env::join_paths([kubectl_dir(), "/usr/bin".into(), "/bin".into()]).unwrap();
    let path = stdout_of(
        demo_script()
            .args([
                "--plugin-path",
                build_dir.to_str().unwrap(),
                dir.to_str().unwrap(),
            ])
            .env("PATH", &base),
    );
    let path = path.trim_end();
    assert!(path.starts_with(dir.to_str().unwrap()), "{path}");
    let listed = stdout_of(
        Command::new(kubectl_dir().join("kubectl"))
            .args(["plugin", "list"])
            .env_clear()
            .env("PATH", path)
            .env("HOME", home.path())
            .timeout(Duration::from_secs(60)),
    );
    assert!(
        listed.contains(&dir.join("kubectl-regcred").display().to_string()),
        "{listed}"
    );
    assert!(!listed.contains("warning"), "{listed}");
}
