//! The release binary as `scripts/release.sh` ships it (issue 15) runs on Linux distributions
//! older than the machine that built it:
//!
//! - it asks for no glibc symbol version newer than 2.17 (`objdump -T`);
//! - in a minimal Debian 11 root (glibc 2.31, `debootstrap --variant=minbase bullseye`, made and
//!   cached by `scripts/lib/bullseye-root.sh`), under chroot, it prints its version, renders a
//!   pull secret from a password on stdin, and classifies a kubelet message.
//!
//! The binary comes from `$REGCRED_RELEASE_BINARY` or is built (`tests/common/release.rs`). The
//! chroot tests need root, as `scripts/test.sh` runs; they fail, not skip, without it.

#[path = "common/release.rs"]
mod release;

use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use release::{assert_success, release_binary, repo_root};
use serde_json::Value;

/// The oldest glibc the release binary may need: RHEL 7's, and what `release.sh` builds against.
const MAX_GLIBC: (u32, u32, u32) = (2, 17, 0);

/// A kubelet event as the real test node wrote it (containerd 1.6.20; the first auth_failed
/// entry of `tests/data/pull-errors.tsv` from "real node").
const KUBELET_MESSAGE: &str = "Failed to pull image \"127.0.0.1:50701/team/app:1.0\": rpc error: \
     code = Unknown desc = failed to pull and unpack image \"127.0.0.1:50701/team/app:1.0\": \
     failed to resolve reference \"127.0.0.1:50701/team/app:1.0\": pulling from host \
     127.0.0.1:50701 failed with status code [manifests 1.0]: 401 Unauthorized";

/// Every `GLIBC_x.y[.z]` symbol version named in `objdump -T` output, in order of appearance.
fn glibc_versions(objdump_output: &str) -> Vec<(u32, u32, u32)> {
    let mut versions = Vec::new();
    for (i, _) in objdump_output.match_indices("GLIBC_") {
        let rest = &objdump_output[i + "GLIBC_".len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let numbers: Vec<u32> = rest[..end]
            .split('.')
            .map_while(|n| n.parse().ok())
            .collect();
        match numbers[..] {
            [major, minor] => versions.push((major, minor, 0)),
            [major, minor, patch] => versions.push((major, minor, patch)),
            // GLIBC_PRIVATE and the like name no version.
            _ => {}
        }
    }
    versions
}

#[test]
fn glibc_versions_reads_objdumps_version_names() {
    let objdump = "\
0000000000000000      DF *UND*  0000000000000000 (GLIBC_2.2.5) free
0000000000000000      DF *UND*  0000000000000000 (GLIBC_2.17) clock_gettime
0000000000000000      DF *UND*  0000000000000000 (GLIBC_2.34) __libc_start_main
0000000000000000  w   DF *UND*  0000000000000000 (GLIBC_PRIVATE) _dl_x
0000000000000000      DF *UND*  0000000000000000  GLIBC_2.3.4  __fdelt_chk
";
    let versions = glibc_versions(objdump);
    assert_eq!(versions, [(2, 2, 5), (2, 17, 0), (2, 34, 0), (2, 3, 4)]);
    assert_eq!(versions.iter().max(), Some(&(2, 34, 0)));
}

#[test]
fn release_binary_needs_no_glibc_newer_than_2_17() {
    let binary = release_binary();
    let output = Command::new("objdump")
        .arg("-T")
        .arg(binary)
        .output()
        .expect("run objdump (binutils)");
    assert_success("objdump -T", &output);
    let versions = glibc_versions(&String::from_utf8_lossy(&output.stdout));
    // A binary with no versioned glibc symbol at all is not the dynamic build this checks.
    let highest = versions
        .iter()
        .max()
        .unwrap_or_else(|| panic!("{} asks for no GLIBC_ version", binary.display()));
    eprintln!(
        "{}: highest GLIBC symbol version {}.{}.{}",
        binary.display(),
        highest.0,
        highest.1,
        highest.2
    );
    assert!(
        *highest <= MAX_GLIBC,
        "{} needs glibc {}.{}.{}, more than {}.{}: build it with scripts/release.sh",
        binary.display(),
        highest.0,
        highest.1,
        highest.2,
        MAX_GLIBC.0,
        MAX_GLIBC.1
    );
}

/// The cached Debian 11 root, built on first use.
fn bullseye_root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let output = Command::new(repo_root().join("scripts/lib/bullseye-root.sh"))
            .output()
            .expect("run scripts/lib/bullseye-root.sh");
        assert_success(
            "scripts/lib/bullseye-root.sh (it and chroot need root)",
            &output,
        );
        let root = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        assert!(
            root.join("bin/sh").exists(),
            "no Debian root at {}",
            root.display()
        );
        root
    })
}

/// Runs `/usr/sbin/chroot ROOT PROGRAM ARGS` with an empty environment but PATH and HOME.
fn chroot(root: &Path, home: &str, program: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new("/usr/sbin/chroot")
        .arg(root)
        .arg(program)
        .args(args)
        .env_clear()
        .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
        .env("HOME", home)
        .env("LANG", "C.UTF-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run chroot");
    let written = child
        .stdin
        .take()
        .expect("chroot's stdin")
        .write_all(stdin.as_bytes());
    if let Err(e) = written {
        // The program may exit before it reads (a missing glibc version, say): its stderr tells.
        assert_eq!(e.kind(), ErrorKind::BrokenPipe, "write chroot's stdin: {e}");
    }
    child.wait_with_output().expect("wait for chroot")
}

/// Runs the release binary with `args` inside the Debian 11 root, from a private copy under the
/// root's /tmp (also its HOME), removed afterwards.
fn run_in_bullseye(args: &[&str], stdin: &str) -> Output {
    let root = bullseye_root();
    let home = tempfile::Builder::new()
        .prefix("regcred-test-")
        .tempdir_in(root.join("tmp"))
        .expect("temp dir inside the Debian root");
    let inside = format!(
        "/tmp/{}",
        home.path()
            .file_name()
            .expect("temp dir name")
            .to_string_lossy()
    );
    std::fs::copy(release_binary(), home.path().join("kubectl-regcred"))
        .expect("copy the release binary into the Debian root");
    let output = chroot(
        root,
        &inside,
        &format!("{inside}/kubectl-regcred"),
        args,
        stdin,
    );
    drop(home);
    output
}

#[test]
fn debian_11_root_has_glibc_2_31() {
    // The test means something only if the root's glibc is older than what a native build on
    // this bookworm machine asks for (2.34 and up, issue 15).
    let output = chroot(bullseye_root(), "/", "/usr/bin/ldd", &["--version"], "");
    assert_success("ldd --version in the Debian 11 root", &output);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let first = stdout.lines().next().unwrap_or_default();
    assert!(first.ends_with(" 2.31"), "glibc of the root: {first:?}");
}

#[test]
fn release_binary_prints_its_version_in_debian_11() {
    let output = run_in_bullseye(&["--version"], "");
    assert_success("kubectl-regcred --version in Debian 11", &output);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        format!("kubectl-regcred {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn release_binary_renders_a_pull_secret_from_stdin_in_debian_11() {
    let password = "s3cret-from-stdin";
    let output = run_in_bullseye(
        &[
            "create",
            "regcred",
            "--server",
            "ghcr.io",
            "-u",
            "bot",
            "--password-stdin",
            "--dry-run=client",
            "-o",
            "yaml",
        ],
        &format!("{password}\n"),
    );
    assert_success(
        "kubectl-regcred create --dry-run=client in Debian 11",
        &output,
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let secret: Value = serde_saphyr::from_str(&stdout)
        .unwrap_or_else(|e| panic!("create -o yaml printed no YAML ({e}):\n{stdout}"));
    assert_eq!(secret["kind"], "Secret", "{stdout}");
    assert_eq!(secret["type"], "kubernetes.io/dockerconfigjson", "{stdout}");
    assert_eq!(secret["metadata"]["name"], "regcred", "{stdout}");
    let encoded = secret["data"][".dockerconfigjson"]
        .as_str()
        .unwrap_or_else(|| panic!("no data..dockerconfigjson in:\n{stdout}"));
    let config: Value = serde_json::from_slice(
        &STANDARD
            .decode(encoded)
            .expect(".dockerconfigjson is base64"),
    )
    .expect(".dockerconfigjson is JSON");
    let auth = &config["auths"]["ghcr.io"];
    assert_eq!(auth["username"], "bot");
    assert_eq!(auth["password"], password);
    assert_eq!(
        auth["auth"],
        STANDARD.encode(format!("bot:{password}")).as_str()
    );
}

#[test]
fn release_binary_classifies_a_kubelet_message_in_debian_11() {
    let output = run_in_bullseye(
        &["diagnose", "-o", "json", "--message", KUBELET_MESSAGE],
        "",
    );
    assert_success("kubectl-regcred diagnose --message in Debian 11", &output);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("diagnose -o json printed no JSON ({e}):\n{stdout}"));
    let explained = report
        .as_array()
        .unwrap_or_else(|| panic!("not a list of explanations:\n{stdout}"));
    assert_eq!(explained.len(), 1, "{stdout}");
    assert_eq!(explained[0]["cause"], "auth_failed", "{stdout}");
    assert_eq!(explained[0]["message"], KUBELET_MESSAGE, "{stdout}");
}
