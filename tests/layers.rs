//! The layers of `src/`, as docs/ARCHITECTURE.md draws them: every `crate::` path points down.
//!
//! The modules are read as text: every `crate::NAME` in code (comments left out) is an edge
//! from the file's top-level module to `NAME`. Three rules:
//! - below `cmd/`, nothing names `crate::cli` or `crate::cmd`, tests included, and `output`
//!   never names `crate::cmd`: clap types stop at the boundary;
//! - in code that ships (unit-test modules left out), a module names only modules of lower
//!   layers, or of its own layer that it does not depend on in turn;
//! - the graph of top-level modules has no cycle.

#[path = "common/source.rs"]
mod source;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use source::{source_files, without_comments, without_tests};

/// Top to bottom. A module may name modules of the layers below it. `cmd` turns the flags of
/// `cli` into requests, so it sits above `cli`, which holds only clap types and flag parsers.
const LAYERS: &[&[&str]] = &[
    &["cmd"],
    &["cli"],
    &["error"],
    &["output"],
    &["heal"],
    &["rotate"],
    &["diagnose", "status", "refresh", "explain"],
    &["creds"],
    &["cluster", "registry"],
    &["dockerconfig", "expiry", "labels", "glob", "names", "words"],
    &["causes", "logging"],
];

/// Top-level modules below the boundary: they never see clap's types.
const BELOW_THE_BOUNDARY: &[&str] = &[
    "heal",
    "diagnose",
    "status",
    "refresh",
    "explain",
    "rotate",
    "creds",
    "cluster",
    "registry",
    "dockerconfig",
    "expiry",
    "labels",
    "glob",
    "names",
    "words",
    "causes",
    "logging",
];

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The top-level module a file belongs to (`src/cluster/connect.rs` is `cluster`); None for
/// the crate root and the binaries, which may name anything.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.trim_end_matches(".rs");
    (!matches!(name, "lib" | "main" | "bin")).then(|| name.to_string())
}

fn crate_paths(code: &str) -> BTreeSet<String> {
    let mut named = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `regcred::crate::` cannot happen; `mycrate::` can
        }
        let name: String = code[at + "crate::".len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            named.insert(name);
        }
    }
    named
}

struct Graph {
    /// module -> (module it names -> a file that names it)
    shipped: BTreeMap<String, BTreeMap<String, PathBuf>>,
    /// The same with test code, for the cli/cmd rule.
    all: BTreeMap<String, BTreeMap<String, PathBuf>>,
}

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let mut graph = Graph {
        shipped: BTreeMap::new(),
        all: BTreeMap::new(),
    };
    for file in files {
        let Some(module) = module_of(&src, &file) else {
            continue;
        };
        let code = without_comments(&std::fs::read_to_string(&file).unwrap());
        for (edges, text) in [
            (&mut graph.shipped, without_tests(&code)),
            (&mut graph.all, code.as_str()),
        ] {
            let named = edges.entry(module.clone()).or_default();
            for target in crate_paths(text) {
                if target != module {
                    named.entry(target).or_insert_with(|| file.clone());
                }
            }
        }
    }
    graph
}

#[test]
fn clap_types_stop_at_the_boundary() {
    let graph = graph();
    let mut wrong = Vec::new();
    for (module, named) in &graph.all {
        let forbidden: &[&str] = if BELOW_THE_BOUNDARY.contains(&module.as_str()) {
            &["cli", "cmd"]
        } else if module == "output" {
            &["cmd", "cli"]
        } else {
            &[]
        };
        for target in forbidden {
            if let Some(file) = named.get(*target) {
                wrong.push(format!("{} names crate::{target}", file.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_module_has_a_layer() {
    let graph = graph();
    let unplaced: Vec<&String> = graph.all.keys().filter(|m| rank(m).is_none()).collect();
    assert!(
        unplaced.is_empty(),
        "add these to LAYERS in tests/layers.rs (and docs/ARCHITECTURE.md): {unplaced:?}"
    );
}

#[test]
fn imports_point_down() {
    let graph = graph();
    let mut wrong = Vec::new();
    for (module, named) in &graph.shipped {
        let Some(from) = rank(module) else { continue };
        for (target, file) in named {
            if rank(target).is_some_and(|to| to < from) {
                wrong.push(format!(
                    "{} ({module}) names crate::{target}, a layer above",
                    file.display()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_cycle_between_modules() {
    let graph = graph();
    // Depth-first search for a back edge, reporting the cycle it closes.
    fn visit<'a>(
        node: &'a str,
        edges: &'a BTreeMap<String, BTreeMap<String, PathBuf>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| *n == node) {
            let mut cycle: Vec<String> = path[at..].iter().map(|s| s.to_string()).collect();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if !done.insert(node) {
            return None;
        }
        path.push(node);
        for next in edges.get(node).into_iter().flat_map(|n| n.keys()) {
            if let Some(cycle) = visit(next, edges, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for module in graph.shipped.keys() {
        if let Some(cycle) = visit(module, &graph.shipped, &mut Vec::new(), &mut done) {
            panic!("a cycle: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn the_rules_see_what_they_look_for() {
    let code =
        "use crate::cli::KubeArgs; // crate::cmd in a comment\nfn f() { crate::output::x() }";
    let code = without_comments(code);
    assert_eq!(
        crate_paths(&code),
        BTreeSet::from(["cli".to_string(), "output".to_string()])
    );
    let file = "fn a() {}\n#[cfg(test)]\nmod tests {\n use crate::cli::Cli;\n}\n";
    assert!(!without_tests(file).contains("crate::cli"));
}
