//! Nothing the product says in Russian is written outside the catalogue:
//! a Cyrillic string literal in non-test code anywhere but `words/` (and the
//! seed, which is the channel's own posts as data) is a word that escaped it.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Lines of code before the file's test module, without comments.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .take_while(|(_, line)| line.trim() != "#[cfg(test)]")
        .map(|(n, line)| (n + 1, line.split("//").next().unwrap_or_default()))
}

#[test]
fn no_russian_word_is_written_outside_the_catalogue() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for crate_dir in ["backend/core/src", "backend/server/src", "frontend/src", "bot/src"] {
        sources(&root.join(crate_dir), &mut files);
    }
    let allowed = |path: &Path| {
        let path = path.to_string_lossy();
        path.contains("/words/") || path.ends_with("/seed.rs") || path.contains("/fake/")
    };
    let mut escaped = Vec::new();
    for file in files.iter().filter(|f| !allowed(f)) {
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in code_lines(&text) {
            if line.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)) {
                escaped.push(format!("{}:{n}: {}", file.display(), line.trim()));
            }
        }
    }
    assert!(files.len() > 50, "the sources were found");
    assert!(escaped.is_empty(), "words outside the catalogue:\n{}", escaped.join("\n"));
}
