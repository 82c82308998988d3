//! The throwaway control plane itself: it starts, serves, and leaves no process behind.

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;
use std::time::Duration;

use crate::support::{eventually, repo_root};

/// Running, not a zombie waiting for a parent that does not reap.
fn is_alive(pid: &str) -> bool {
    let status = Path::new("/proc").join(pid.trim()).join("status");
    std::fs::read_to_string(status).is_ok_and(|s| {
        !s.lines()
            .any(|l| l.starts_with("State:") && l.contains("zombie"))
    })
}

fn recorded_pids(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir.join("pids"))
        .unwrap()
        .flatten()
        .map(|e| {
            std::fs::read_to_string(e.path())
                .unwrap()
                .trim()
                .to_string()
        })
        .collect()
}

#[test]
fn the_watchdog_stops_the_control_plane_when_its_owner_exits() {
    let mut owner = StdCommand::new("sleep").arg("600").spawn().unwrap();
    let output = StdCommand::new(repo_root().join("scripts/testenv.sh"))
        .args(["up", "--owner-pid", &owner.id().to_string()])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    let pids = recorded_pids(&dir);
    assert_eq!(
        pids.len(),
        4,
        "etcd, apiserver, controller manager, watchdog: {pids:?}"
    );
    assert!(pids.iter().all(|pid| is_alive(pid)));

    // It serves: kubectl can list namespaces with the kubeconfig it wrote.
    let listed = StdCommand::new("kubectl")
        .args(["get", "namespaces", "-o", "name"])
        .env("KUBECONFIG", dir.join("kubeconfig"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&listed.stdout).contains("namespace/default"));

    owner.kill().unwrap();
    owner.wait().unwrap();
    let all_gone = eventually(Duration::from_secs(30), || {
        pids.iter().all(|pid| !is_alive(pid)) && !dir.exists()
    });
    assert!(
        all_gone,
        "left behind: {:?}",
        pids.iter().filter(|p| is_alive(p)).collect::<Vec<_>>()
    );
}

#[test]
fn down_stops_every_process_it_started() {
    let output = StdCommand::new(repo_root().join("scripts/testenv.sh"))
        .arg("up")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    let pids = recorded_pids(&dir);
    assert_eq!(pids.len(), 3, "{pids:?}");
    let down = StdCommand::new(repo_root().join("scripts/testenv.sh"))
        .arg("down")
        .arg(&dir)
        .status()
        .unwrap();
    assert!(down.success());
    assert!(
        pids.iter().all(|pid| !is_alive(pid)),
        "still running after down"
    );
    assert!(!dir.exists());
}
