//! The README's command-line examples are real: each `$ bitbudget …` line in it is run and its
//! output compared with the lines under it.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

/// (arguments, expected output) for every `$ bitbudget` example in the README.
fn examples() -> Vec<(Vec<String>, String)> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let mut out = Vec::new();
    let mut lines = readme.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(cmd) = line.strip_prefix("$ bitbudget ") else { continue };
        let mut expected = String::new();
        while let Some(next) = lines.peek() {
            if next.starts_with("$ ") || next.starts_with("```") {
                break;
            }
            expected.push_str(next);
            expected.push('\n');
            lines.next();
        }
        out.push((split(cmd), expected.trim_end().to_string()));
    }
    out
}

/// Shell-like words: single quotes group.
fn split(cmd: &str) -> Vec<String> {
    let mut words = Vec::new();
    let (mut word, mut quoted, mut any) = (String::new(), false, false);
    for c in cmd.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    words.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            _ => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        words.push(word);
    }
    words
}

#[test]
fn every_readme_example_prints_what_the_readme_shows() {
    let examples = examples();
    assert!(examples.len() >= 8, "found {} examples", examples.len());
    let mut wrong = Vec::new();
    for (args, expected) in &examples {
        let o = Command::new(env!("CARGO_BIN_EXE_bitbudget"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        let got = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
        // CSV ends its lines with CRLF; the README shows them as lines.
        let got = got.replace("\r\n", "\n");
        let got = got.trim_end();
        if got != expected {
            wrong.push(format!("$ bitbudget {}\n--- README\n{expected}\n--- got\n{got}", args.join(" ")));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}
