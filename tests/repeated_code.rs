//! No block of shipped code in `src/` stands twice (issue 14: each fact in one place). A block
//! is six lines in a row, comments and blank lines left out and indentation ignored, that
//! another place repeats to the letter, at least four of them saying something (a `}`,
//! `Ok(())` or an attribute says nothing). Unit-test modules are left out: fixtures may repeat.
//! Code of the same shape under other names is not caught here; the `duplicates` tool lists
//! those for review.

#[path = "common/source.rs"]
mod source;

use std::collections::HashMap;
use std::path::Path;

use source::{source_files, without_comments, without_tests};

/// Lines in a row that make a block.
const RUN: usize = 6;
/// Of which at least this many say something.
const SAYING: usize = 4;

/// A line of code with where it stands.
struct Line<'a> {
    file: &'a str,
    number: usize,
    text: &'a str,
}

/// A line says something when it holds more than punctuation and a word or two. An attribute
/// (`#[command(flatten)]`, `#[serde(skip_serializing_if = ...)]`) says how a field is parsed or
/// printed, not what the code does: two clap or serde structs that declare the same fields are
/// caught only when four fields in a row repeat.
fn says_something(text: &str) -> bool {
    !text.starts_with("#[") && text.chars().filter(|c| c.is_alphanumeric()).count() >= 8
}

/// The non-blank lines of each file, trimmed, with their line numbers (the files come without
/// their unit-test modules and comments, which keeps the numbers).
fn code_lines<'a>(files: &'a [(String, String)]) -> Vec<Vec<Line<'a>>> {
    files
        .iter()
        .map(|(file, code)| {
            (code.lines().enumerate())
                .map(|(at, text)| Line {
                    file,
                    number: at + 1,
                    text: text.trim(),
                })
                .filter(|line| !line.text.is_empty())
                .collect()
        })
        .collect()
}

/// `file:line ~ file:line` for each block that stands again: the first place and the later
/// one, once for a longer copy rather than once per six-line window of it.
fn repeated_blocks(files: &[(String, String)]) -> Vec<String> {
    let all = code_lines(files);
    let mut first_seen: HashMap<Vec<&str>, (usize, usize)> = HashMap::new();
    let mut found = Vec::new();
    let mut last_reported: Option<(usize, usize)> = None;
    for (file, lines) in all.iter().enumerate() {
        for start in 0..lines.len().saturating_sub(RUN - 1) {
            let block = &lines[start..start + RUN];
            if block.iter().filter(|l| says_something(l.text)).count() < SAYING {
                continue;
            }
            let key: Vec<&str> = block.iter().map(|l| l.text).collect();
            let Some(&(first_file, first_start)) = first_seen.get(&key) else {
                first_seen.insert(key, (file, start));
                continue;
            };
            // Lines that repeat within a few lines of themselves are one place, not two.
            if first_file == file && start - first_start < RUN {
                continue;
            }
            let continues = last_reported.is_some_and(|(f, s)| f == file && start - s < RUN);
            last_reported = Some((file, start));
            if continues {
                continue;
            }
            let first = &all[first_file][first_start];
            let again = &block[0];
            found.push(format!(
                "{}:{} ~ {}:{}: {:?}",
                first.file, first.number, again.file, again.number, again.text
            ));
        }
    }
    found
}

/// `src/`'s shipped code, by path from the crate root.
fn shipped_sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    source_files(&root.join("src"), &mut files);
    files.sort();
    files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            let name = path.strip_prefix(root).unwrap().display().to_string();
            (name, without_comments(without_tests(&text)))
        })
        .collect()
}

#[test]
fn no_block_of_shipped_code_stands_twice() {
    let repeated = repeated_blocks(&shipped_sources());
    assert!(
        repeated.is_empty(),
        "{} blocks of {RUN} lines stand twice; give them one home:\n{}",
        repeated.len(),
        repeated.join("\n")
    );
}

#[test]
fn the_check_sees_a_copy_and_nothing_else() {
    let body = "let name = secret.metadata.name.clone();\n\
                let namespace = secret.metadata.namespace.clone();\n\
                // a comment in between changes nothing\n\
                let entries = decode(&secret.data)?;\n\
                \n\
                if entries.is_empty() {\n\
                return Err(Error::NoEntries { name, namespace });\n\
                }\n\
                Ok(Stored { name, namespace, entries })\n";
    let file = |name: &str, code: &str| (name.to_string(), without_comments(without_tests(code)));
    let copied = [
        file("a.rs", &format!("fn a() {{\n{body}}}\n")),
        file("b.rs", &format!("fn b() {{\n    {body}}}\n")),
    ];
    let found = repeated_blocks(&copied);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("a.rs:2 ~ b.rs:2"), "{found:?}");

    let thin = "}\n})\n}\nOk(())\n}\n];\n";
    let thin = [file("a.rs", thin), file("b.rs", thin)];
    assert_eq!(repeated_blocks(&thin), Vec::<String>::new());

    let in_tests = format!("fn a() {{}}\n#[cfg(test)]\nmod tests {{\n{body}{body}}}\n");
    assert_eq!(
        repeated_blocks(&[file("a.rs", &in_tests)]),
        Vec::<String>::new()
    );
}
