//! The committed `completions/` and `man/` are exactly what the current binary generates, so a
//! new flag or subcommand cannot ship with stale completion scripts or man pages.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

const FIX: &str = "run scripts/gen-completions.sh and commit completions/ and man/";

/// Every file under `root/dir`, by path relative to `root`.
fn files_under(root: &Path, dir: &str) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return files;
    };
    for entry in entries {
        let path = entry.expect("read dir entry").path();
        let relative = path.strip_prefix(root).expect("under root").to_path_buf();
        files.insert(relative, std::fs::read(&path).expect("read generated file"));
    }
    files
}

#[test]
fn committed_completions_and_man_pages_are_up_to_date() {
    let generated = tempfile::tempdir().expect("temp dir");
    Command::new(env!("CARGO_BIN_EXE_kubectl-regcred"))
        .arg("__generate")
        .arg(generated.path())
        .env_clear()
        .assert()
        .success();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));

    let mut problems = Vec::new();
    for dir in ["completions", "man"] {
        let want = files_under(generated.path(), dir);
        let have = files_under(repo, dir);
        for (path, content) in &want {
            match have.get(path) {
                None => problems.push(format!("{} is missing", path.display())),
                Some(committed) if committed != content => {
                    problems.push(format!("{} is out of date", path.display()))
                }
                Some(_) => {}
            }
        }
        for path in have.keys().filter(|path| !want.contains_key(*path)) {
            problems.push(format!(
                "{} is no longer generated (a removed subcommand?)",
                path.display()
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "generated files differ from the committed ones:\n  {}\n{FIX}",
        problems.join("\n  ")
    );
}

#[test]
fn completion_subcommand_prints_the_committed_script() {
    for (shell, file) in [
        ("bash", "kubectl-regcred.bash"),
        ("zsh", "_kubectl-regcred"),
        ("fish", "kubectl-regcred.fish"),
        ("powershell", "_kubectl-regcred.ps1"),
        ("elvish", "kubectl-regcred.elv"),
    ] {
        let printed = Command::new(env!("CARGO_BIN_EXE_kubectl-regcred"))
            .args(["completion", shell])
            .env_clear()
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let committed = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("completions")
                .join(file),
        )
        .unwrap_or_else(|e| panic!("completions/{file}: {e}; {FIX}"));
        assert!(
            printed == committed,
            "`kubectl-regcred completion {shell}` differs from completions/{file}; {FIX}"
        );
    }
}
