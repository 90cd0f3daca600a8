//! The layers stay one-directional: no import cycle among the modules of the
//! library or of the binary. An edge is a `crate::`, `super::` or `pmo_vmo::` path
//! in one file's code (comments and `#[cfg(test)]` modules aside) that names an item
//! of another file; a parent module using its own descendants does not count.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A module path: `["input", "export"]` for `src/input/export/mod.rs`.
type ModPath = Vec<String>;

/// The module path of a file under `src/`, relative to its crate root.
fn module_of(rel: &str) -> ModPath {
    let rel = rel.trim_end_matches(".rs");
    let mut parts: Vec<String> = rel.split('/').map(str::to_string).collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The code of a file without comments and without its test modules.
fn code_of(text: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    let mut depth = 0i32;
    let mut pending_cfg_test = false;
    for line in text.lines() {
        let t = line.trim_start();
        if skipping {
            depth += t.matches('{').count() as i32 - t.matches('}').count() as i32;
            if depth <= 0 {
                skipping = false;
            }
            continue;
        }
        if t.starts_with("#[cfg(test)]") {
            pending_cfg_test = true;
            continue;
        }
        if pending_cfg_test && t.starts_with("mod ") {
            pending_cfg_test = false;
            depth = t.matches('{').count() as i32 - t.matches('}').count() as i32;
            skipping = depth > 0;
            continue;
        }
        pending_cfg_test = false;
        if t.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Every path named after `crate::`, `super::` or `pmo_vmo::`, with braces expanded:
/// `crate::{a::B, c}` gives `(crate, [a, B])` and `(crate, [c])`.
fn paths_in(code: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !code.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let rest = &code[i..];
        let root = ["crate::", "super::", "pmo_vmo::"]
            .into_iter()
            .find(|r| rest.starts_with(r));
        let boundary = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        match root {
            Some(r) if boundary => {
                let (paths, used) = parse_tree(&rest[r.len()..]);
                for p in paths {
                    out.push((r.trim_end_matches("::").to_string(), p));
                }
                i += r.len() + used.max(1);
            }
            _ => i += 1,
        }
    }
    out
}

/// Parses `a::b::{c, d::e}` (or `super::x` chains) into paths; returns them and the
/// bytes read.
fn parse_tree(s: &str) -> (Vec<Vec<String>>, usize) {
    let mut prefix = Vec::new();
    let mut i = 0;
    let b = s.as_bytes();
    loop {
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
            i += 1;
        }
        if i > start {
            prefix.push(s[start..i].to_string());
        }
        let braces = if s[i..].starts_with("::{") {
            Some(3)
        } else if prefix.is_empty() && s[i..].starts_with('{') {
            Some(1)
        } else {
            None
        };
        if let Some(skip) = braces {
            i += skip;
            let mut all = Vec::new();
            loop {
                while i < b.len() && (b[i] as char).is_whitespace() {
                    i += 1;
                }
                if i >= b.len() || b[i] == b'}' {
                    i += 1;
                    break;
                }
                let (sub, used) = parse_tree(&s[i..]);
                for p in sub {
                    let mut full = prefix.clone();
                    full.extend(p);
                    all.push(full);
                }
                i += used;
                while i < b.len() && (b[i] as char).is_whitespace() {
                    i += 1;
                }
                if i < b.len() && b[i] == b',' {
                    i += 1;
                }
            }
            return (all, i);
        }
        if s[i..].starts_with("::") && i > start {
            i += 2;
            continue;
        }
        return (vec![prefix], i);
    }
}

/// The edges between the files of one crate: `files` maps each module path to its
/// code. A path resolves to the deepest module it names.
fn edges(files: &BTreeMap<ModPath, String>) -> BTreeSet<(ModPath, ModPath)> {
    let mut out = BTreeSet::new();
    for (from, code) in files {
        for (root, path) in paths_in(code) {
            let mut base: ModPath = match root.as_str() {
                "crate" => Vec::new(),
                "super" => {
                    let mut p = from.clone();
                    p.pop();
                    p
                }
                // `pmo_vmo::` from inside the library is the crate itself.
                _ => Vec::new(),
            };
            let mut segs = path.into_iter().peekable();
            // `super::super::x`
            while segs.peek().is_some_and(|s| s == "super") {
                segs.next();
                base.pop();
            }
            let full: ModPath = base.into_iter().chain(segs).collect();
            let target = (0..=full.len())
                .rev()
                .map(|n| full[..n].to_vec())
                .find(|p| files.contains_key(p));
            let Some(to) = target else { continue };
            // A module using itself or its own descendants is no edge.
            if to.starts_with(from) {
                continue;
            }
            out.insert((from.clone(), to));
        }
    }
    out
}

/// A cycle among the edges, if there is one, as the modules along it.
fn find_cycle(edges: &BTreeSet<(ModPath, ModPath)>) -> Option<Vec<ModPath>> {
    let mut next: BTreeMap<&ModPath, Vec<&ModPath>> = BTreeMap::new();
    for (a, b) in edges {
        next.entry(a).or_default().push(b);
    }
    // 0 unseen, 1 on the stack, 2 done.
    let mut state: BTreeMap<&ModPath, u8> = BTreeMap::new();
    fn visit<'a>(
        n: &'a ModPath,
        next: &BTreeMap<&'a ModPath, Vec<&'a ModPath>>,
        state: &mut BTreeMap<&'a ModPath, u8>,
        stack: &mut Vec<&'a ModPath>,
    ) -> Option<Vec<ModPath>> {
        state.insert(n, 1);
        stack.push(n);
        for &m in next.get(n).into_iter().flatten() {
            match state.get(m).copied().unwrap_or(0) {
                1 => {
                    let at = stack.iter().position(|x| *x == m).unwrap_or(0);
                    let mut cycle: Vec<ModPath> = stack[at..].iter().map(|p| p.to_vec()).collect();
                    cycle.push(m.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(m, next, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n, 2);
        None
    }
    let nodes: Vec<&ModPath> = next.keys().copied().collect();
    for n in nodes {
        if state.get(n).copied().unwrap_or(0) == 0
            && let Some(c) = visit(n, &next, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

/// Reads every `.rs` file under `src/`, split into the library's and the binary's
/// (the modules `main.rs` declares).
fn crates() -> (BTreeMap<ModPath, String>, BTreeMap<ModPath, String>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let main = std::fs::read_to_string(src.join("main.rs")).unwrap();
    let bin_mods: Vec<String> = main
        .lines()
        .filter_map(|l| l.trim().strip_prefix("mod "))
        .map(|m| m.trim_end_matches(';').trim().to_string())
        .collect();
    let (mut lib, mut bin) = (BTreeMap::new(), BTreeMap::new());
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = p
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let module = module_of(&rel);
            let code = code_of(&std::fs::read_to_string(&p).unwrap());
            let in_bin = rel == "main.rs" || module.first().is_some_and(|m| bin_mods.contains(m));
            if in_bin {
                bin.insert(module, code);
            } else {
                lib.insert(module, code);
            }
        }
    }
    (lib, bin)
}

fn show(cycle: &[ModPath]) -> String {
    cycle
        .iter()
        .map(|m| {
            if m.is_empty() {
                "crate".to_string()
            } else {
                m.join("::")
            }
        })
        .collect::<Vec<_>>()
        .join(" -> ")
}

#[test]
fn no_import_cycle_in_the_library_or_the_binary() {
    let (lib, bin) = crates();
    assert!(lib.len() > 20, "the library's files were not found");
    assert!(bin.len() > 5, "the binary's files were not found");
    for (name, files) in [("library", &lib), ("binary", &bin)] {
        let e = edges(files);
        assert!(
            !e.is_empty(),
            "no edge found in the {name}: the parser is broken"
        );
        if let Some(c) = find_cycle(&e) {
            panic!("import cycle in the {name}: {}", show(&c));
        }
    }
}

#[test]
fn the_checker_sees_a_cycle_through_braces_and_super() {
    let mut files = BTreeMap::new();
    let m = |s: &str| s.split('/').map(str::to_string).collect::<ModPath>();
    files.insert(m("a"), code_of("use crate::{b::Thing, c};\n"));
    files.insert(m("b"), code_of("fn f() { super::a::g() }\n"));
    files.insert(m("c"), code_of("// use crate::a;\n"));
    files.insert(
        m("d"),
        code_of("#[cfg(test)]\nmod tests {\n    use crate::a;\n}\n"),
    );
    let e = edges(&files);
    assert!(e.contains(&(m("a"), m("b"))));
    assert!(e.contains(&(m("a"), m("c"))));
    assert!(e.contains(&(m("b"), m("a"))));
    // Comments and test modules are no edges.
    assert!(!e.iter().any(|(from, _)| from == &m("c") || from == &m("d")));
    let cycle = find_cycle(&e).expect("a -> b -> a");
    assert_eq!(show(&cycle), "a -> b -> a");
    // A parent using its child is no edge; the child using the parent is one.
    let mut files = BTreeMap::new();
    files.insert(m("p"), "use crate::p::kid::X;\n".to_string());
    files.insert(m("p/kid"), "use super::Y;\n".to_string());
    let e = edges(&files);
    assert_eq!(e.len(), 1);
    assert!(find_cycle(&e).is_none());
}
