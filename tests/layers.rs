//! `src/core` in layers: every path a core file names (`use` lines, inline paths, `super::`
//! chains, brace groups) is resolved to a module, and the test fails on an import from a higher
//! layer or on a circle between modules. The layer order is `core::LAYERS`.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// A module a test can point at: a layer and, below it, the child module (or "" for the layer's
/// own `mod.rs`).
type Node = (String, String);

struct Core {
    layers: Vec<String>,
    children: BTreeMap<String, BTreeSet<String>>,
    /// (from, to, file) for every reference that leaves its own module.
    edges: Vec<(Node, Node, String)>,
}

fn layer_order() -> Vec<String> {
    bitbudget::core::LAYERS.iter().map(|l| l.to_string()).collect()
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a file below `src/core` (`kernels/quant/mod.rs` → kernels, quant).
fn module_of(core: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(core).unwrap().with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|s| s.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|l| l == "mod") {
        parts.pop();
    }
    parts
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Expands a path starting at `s` (just after its root) into every full path it names:
/// `a::b::{c, d::e}` → a::b::c, a::b::d::e.
fn expand(s: &str, prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    let mut path = prefix;
    let b = s.as_bytes();
    let mut i = 0;
    loop {
        let start = i;
        while i < b.len() && is_ident(b[i] as char) {
            i += 1;
        }
        if i > start {
            path.push(s[start..i].to_string());
        }
        if s[i..].starts_with("::") {
            i += 2;
            let rest = s[i..].trim_start();
            i += s[i..].len() - rest.len();
            if rest.starts_with('{') {
                i += 1;
                loop {
                    let rest = &s[i..];
                    let t = rest.trim_start();
                    i += rest.len() - t.len();
                    if t.starts_with('}') || t.is_empty() {
                        return i + 1;
                    }
                    i += expand(&s[i..], path.clone(), out);
                    let rest = &s[i..];
                    let t = rest.trim_start();
                    i += rest.len() - t.len();
                    if t.starts_with(',') {
                        i += 1;
                    }
                }
            }
            continue;
        }
        out.push(path);
        return i;
    }
}

/// Drops comments and string literals, so prose naming a path is not an import.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                out.push(' ');
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

fn read_core() -> Core {
    let core = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core");
    let layers = layer_order();
    let mut files = Vec::new();
    rust_files(&core, &mut files);
    let mut children: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let m = module_of(&core, f);
        if m.len() >= 2 {
            children.entry(m[0].clone()).or_default().insert(m[1].clone());
        }
    }
    let node = |p: &[String]| -> Option<Node> {
        let layer = p.first()?;
        let child = p.get(1).filter(|c| children.get(layer).is_some_and(|s| s.contains(*c)));
        Some((layer.clone(), child.cloned().unwrap_or_default()))
    };
    let mut edges = Vec::new();
    for f in &files {
        let here = module_of(&core, f);
        if here.is_empty() {
            continue;
        }
        let text = code_only(&fs::read_to_string(f).unwrap());
        // An inline `mod tests {` is one level deeper than the file.
        let test_at = text.find("#[cfg(test)]\nmod ").or_else(|| text.find("#[cfg(test)]\npub mod "));
        let from = node(&here).unwrap();
        let mut i = 0;
        while i < text.len() {
            let rest = &text[i..];
            let boundary = i == 0 || !is_ident(text[..i].chars().last().unwrap());
            let (skip, base): (usize, Option<Vec<String>>) = if boundary && rest.starts_with("crate::core::") {
                (13, Some(Vec::new()))
            } else if boundary && rest.starts_with("super::") {
                let mut n = 0;
                let mut j = 0;
                while rest[j..].starts_with("super::") {
                    n += 1;
                    j += 7;
                }
                let depth = here.len() + usize::from(test_at.is_some_and(|t| i > t));
                let mut base: Vec<String> = here.clone();
                base.truncate(depth.saturating_sub(n).min(here.len()));
                (j, Some(base))
            } else {
                (rest.chars().next().unwrap().len_utf8(), None)
            };
            i += skip;
            if let Some(base) = base {
                let mut paths = Vec::new();
                i += expand(&text[i..], base, &mut paths);
                for p in paths {
                    if let Some(to) = node(&p) {
                        if to != from {
                            edges.push((from.clone(), to, f.display().to_string()));
                        }
                    }
                }
            }
        }
    }
    Core { layers, children, edges }
}

fn rank(core: &Core, layer: &str) -> usize {
    core.layers.iter().position(|l| l == layer).unwrap_or_else(|| panic!("{layer} is not in core::LAYERS"))
}

fn upward(core: &Core) -> Vec<String> {
    core.edges
        .iter()
        .filter(|(a, b, _)| rank(core, &b.0) > rank(core, &a.0))
        .map(|(a, b, f)| format!("{}::{} imports the higher {}::{} ({f})", a.0, a.1, b.0, b.1))
        .collect()
}

/// Circles between modules; a module and its own layer's `mod.rs` are parent and child, as a
/// Rust module and its file children are, and do not count.
fn circles(core: &Core) -> Vec<String> {
    let mut graph: BTreeMap<&Node, BTreeSet<&Node>> = BTreeMap::new();
    for (a, b, _) in &core.edges {
        let parent_child = a.0 == b.0 && (a.1.is_empty() || b.1.is_empty());
        if !parent_child {
            graph.entry(a).or_default().insert(b);
        }
    }
    let mut found = Vec::new();
    for (&a, outs) in &graph {
        for &b in outs {
            // Is there a way back from b to a?
            let mut seen = BTreeSet::new();
            let mut stack = vec![b];
            while let Some(n) = stack.pop() {
                if n == a {
                    found.push(format!("{}::{} ↔ {}::{}", a.0, a.1, b.0, b.1));
                    break;
                }
                if seen.insert(n) {
                    stack.extend(graph.get(n).into_iter().flatten().copied());
                }
            }
        }
    }
    found
}

#[test]
fn core_imports_only_go_down_and_never_in_a_circle() {
    let core = read_core();
    assert!(core.edges.len() > 100, "the scan found only {} imports: is it reading src/core?", core.edges.len());
    let up = upward(&core);
    assert!(up.is_empty(), "upward imports:\n{}", up.join("\n"));
    let c = circles(&core);
    assert!(c.is_empty(), "import circles:\n{}", c.join("\n"));
}

#[test]
fn core_has_at_most_a_dozen_entries_at_its_top() {
    let core = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core");
    let n = fs::read_dir(&core).unwrap().count();
    assert!(n <= 12, "src/core has {n} entries");
    let c = read_core();
    assert_eq!(c.layers.len() + 1, n, "every entry of src/core but mod.rs is a layer in core::LAYERS");
    for l in &c.layers {
        assert!(core.join(l).is_dir(), "{l}");
    }
    assert!(c.children.values().all(|s| !s.is_empty()));
}

#[test]
fn the_scan_sees_an_upward_import_and_a_circle() {
    // The checks themselves, on a made-up core: catalog → view is upward; a ↔ b is a circle.
    let n = |l: &str, m: &str| (l.to_string(), m.to_string());
    let core = Core {
        layers: vec!["text".into(), "catalog".into(), "view".into()],
        children: BTreeMap::new(),
        edges: vec![
            (n("catalog", "format"), n("view", "report"), "f".into()),
            (n("text", "a"), n("text", "b"), "f".into()),
            (n("text", "b"), n("text", "a"), "f".into()),
            (n("text", "a"), n("text", ""), "f".into()),
            (n("text", ""), n("text", "a"), "f".into()),
        ],
    };
    assert_eq!(upward(&core).len(), 1);
    assert_eq!(circles(&core), ["text::a ↔ text::b", "text::b ↔ text::a"]);
    let mut paths = Vec::new();
    expand("view::{export, report::{a, b}};", Vec::new(), &mut paths);
    assert_eq!(paths, [vec!["view", "export"], vec!["view", "report", "a"], vec!["view", "report", "b"]]);
}
