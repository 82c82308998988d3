//! Reading `src/` as text, for the tests that check its shape (layers, repeated code).

use std::path::{Path, PathBuf};

/// Every `.rs` file below `dir`.
pub fn source_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            source_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The code of a file without comments (line comments and doc comments).
pub fn without_comments(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            // `//` inside a string (a URL) is rare in these files; a string that holds one
            // is cut too, which can only hide an edge after it on the same line.
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The file without its unit-test module (`#[cfg(test)] mod ... {` to the end, where our
/// files keep it).
pub fn without_tests(code: &str) -> &str {
    let mut search = 0;
    while let Some(at) = code[search..].find("#[cfg(test)]") {
        let start = search + at;
        let after = code[start + "#[cfg(test)]".len()..].trim_start();
        if after.starts_with("mod ") {
            return &code[..start];
        }
        search = start + 1;
    }
    code
}
