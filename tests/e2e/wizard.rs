//! The interactive `create`, driven through a real pseudo-terminal (tmux).

use std::process::Command as StdCommand;
use std::time::Duration;

use crate::support::{TestEnv, dockerconfigjson, eventually, texts};

/// A tmux server of this test alone, running one command in a pane.
struct Pane {
    socket: String,
}

impl Pane {
    fn start(env: &TestEnv, args: &str) -> Pane {
        let socket = TestEnv::unique("regcred-wizard");
        let command = format!(
            "env KUBECONFIG={} HOME={} NO_COLOR=1 {} {args}; echo EXIT=$?; sleep 120",
            env.kubeconfig.display(),
            env.home.path().display(),
            env!("CARGO_BIN_EXE_kubectl-regcred"),
        );
        let status = StdCommand::new("tmux")
            .args([
                "-L",
                &socket,
                "new-session",
                "-d",
                "-x",
                "250",
                "-y",
                "50",
                &command,
            ])
            .status()
            .expect("run tmux");
        assert!(status.success());
        Pane { socket }
    }

    fn screen(&self) -> String {
        let output = StdCommand::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-J", "-S", "-100"])
            .output()
            .expect("tmux capture-pane");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Waits until the screen shows `text`; the screen then.
    fn wait_for(&self, text: &str) -> String {
        let found = eventually(Duration::from_secs(20), || self.screen().contains(text));
        let screen = self.screen();
        assert!(found, "waited for {text:?}; the screen:\n{screen}");
        screen
    }

    fn keys(&self, keys: &[&str]) {
        for key in keys {
            let status = StdCommand::new("tmux")
                .args(["-L", &self.socket, "send-keys", key])
                .status()
                .expect("tmux send-keys");
            assert!(status.success());
            std::thread::sleep(Duration::from_millis(80));
        }
    }

    fn text(&self, text: &str) {
        let status = StdCommand::new("tmux")
            .args(["-L", &self.socket, "send-keys", "-l", text])
            .status()
            .expect("tmux send-keys");
        assert!(status.success());
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = StdCommand::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}

#[test]
fn a_full_run_asks_everything_creates_the_secret_and_prints_the_command() {
    let env = TestEnv::new("wizard-full");
    let ns = env.namespace.clone();
    let pane = Pane::start(&env, "create regcred");
    pane.wait_for("Registry");
    pane.keys(&["Down", "Enter"]); // GitHub Container Registry
    pane.wait_for("read:packages");
    pane.wait_for("Credentials from");
    pane.keys(&["Down", "Down", "Enter"]); // type them
    pane.wait_for("Username");
    pane.text("octocat");
    pane.keys(&["Enter"]);
    pane.wait_for("Password or token");
    pane.text("wizard-Sentinel-pw");
    pane.keys(&["Enter"]);
    pane.wait_for("Namespaces");
    pane.text(&ns);
    pane.keys(&["Enter"]);
    pane.wait_for("Attach it");
    pane.keys(&["y"]);
    let screen = pane.wait_for("EXIT=");
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert!(
        screen.contains(&format!("kubectl regcred create regcred --server ghcr.io --username octocat --password-stdin -n {ns} --attach")),
        "{screen}"
    );
    assert!(
        !screen.contains("wizard-Sentinel-pw"),
        "the password was echoed:\n{screen}"
    );
    let secret = env
        .get_json("secret", "regcred")
        .expect("the wizard created the secret");
    let config: serde_json::Value = serde_json::from_slice(&dockerconfigjson(&secret)).unwrap();
    assert_eq!(config["auths"]["ghcr.io"]["username"], "octocat");
    assert_eq!(config["auths"]["ghcr.io"]["password"], "wizard-Sentinel-pw");
    assert_eq!(env.pull_secrets_of(&ns, "default"), ["regcred"]);
}

#[test]
fn ctrl_c_at_a_prompt_leaves_nothing_behind() {
    let env = TestEnv::new("wizard-ctrl-c");
    let pane = Pane::start(&env, &format!("create regcred -n {}", env.namespace));
    pane.wait_for("Registry");
    pane.keys(&["Down", "Enter"]);
    pane.wait_for("Credentials from");
    pane.keys(&["Down", "Down", "Enter"]);
    pane.wait_for("Username");
    pane.text("octocat");
    pane.keys(&["C-c"]);
    let screen = pane.wait_for("EXIT=");
    assert!(screen.contains("EXIT=130"), "{screen}");
    assert!(
        env.get_json("secret", "regcred").is_none(),
        "Ctrl-C must leave nothing"
    );
}

#[test]
fn without_a_terminal_it_never_asks_and_names_the_flags() {
    let env = TestEnv::without_namespace();
    let output = env.regcred().args(["create", "regcred"]).output().unwrap();
    let stderr = texts(&output).1;
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("no terminal to ask on") && stderr.contains("--password-stdin"),
        "{stderr}"
    );
}
