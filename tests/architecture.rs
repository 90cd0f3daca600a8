//! The architecture, kept so by tests:
//!
//! - every file belongs to a layer of [`LAYERS`], and imports only from the layers
//!   its row allows (the same table is in ARCHITECTURE.md);
//! - no import cycle among the files;
//! - no two types that leave their module (`pub`, `pub(crate)`, ...) share a name;
//! - ARCHITECTURE.md shows the table, names every file under `src/` once, and no
//!   `.rs` file that does not exist.
//!
//! An import is a path in a file's code (comments, doc comments and test code
//! aside) that starts at `crate::`, `super::` or `pmo_vmo::`, followed through
//! `pub use` re-exports to the module that defines what it names. A module using its
//! own descendants is no edge: it declares them.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

/// The two crates of the package: the library (`src/lib.rs`) and the binary
/// (`src/main.rs` and the modules it declares).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Crate {
    Lib,
    Bin,
}
use Crate::{Bin, Lib};

/// A row of the table: a layer, the modules it holds and what they may import.
struct Layer {
    name: &'static str,
    krate: Crate,
    /// Module paths (`input::sheet`); a file belongs to the layer whose path is the
    /// longest that starts its module's.
    modules: &'static [&'static str],
    /// The layers its files may import; its own only when listed.
    may_import: &'static [&'static str],
}

/// The layers, top to bottom. Arrows point down only: a layer imports from the
/// layers below it, never from one above. The binary calls the library; the library
/// cannot name the binary. In the library, `render` words what the model returns,
/// the model (scoring's derivations and the other domain work that returns data)
/// asks `scoring`, which is pure; `input` reads files into sheets; none of them
/// imports `render`, and `render` never imports the reading (only what it yields).
const LAYERS: &[Layer] = &[
    Layer {
        name: "main",
        krate: Bin,
        modules: &[""],
        may_import: &["cmd", "common", "term", "settings", "args", LIBRARY],
    },
    Layer {
        name: "cmd",
        krate: Bin,
        modules: &["cmd"],
        may_import: &["common", "term", "settings", "args", LIBRARY],
    },
    Layer {
        name: "common",
        krate: Bin,
        modules: &["cmd::common"],
        may_import: &["term", "settings", "args", LIBRARY],
    },
    Layer {
        name: "term",
        krate: Bin,
        modules: &["term"],
        may_import: &["settings", LIBRARY],
    },
    Layer {
        name: "settings",
        krate: Bin,
        modules: &["settings"],
        may_import: &["args", LIBRARY],
    },
    Layer {
        name: "args",
        krate: Bin,
        modules: &["args"],
        may_import: &[LIBRARY],
    },
    Layer {
        name: "serve",
        krate: Lib,
        modules: &["serve"],
        may_import: &[
            "batch", "render", "model", "scoring", "input", "sheet", "rubric", "base",
        ],
    },
    Layer {
        name: "batch",
        krate: Lib,
        modules: &["batch"],
        may_import: &["model", "scoring", "input", "sheet", "rubric", "base"],
    },
    Layer {
        name: "render",
        krate: Lib,
        modules: &["render"],
        may_import: &["render", "model", "scoring", "sheet", "rubric", "base"],
    },
    Layer {
        name: "model",
        krate: Lib,
        modules: &[
            "result",
            "sensitivity",
            "roadmap",
            "plan",
            "advice",
            "check",
            "workshop",
            "compare",
            "interview",
            "lint",
            "schema",
        ],
        may_import: &["model", "scoring", "sheet", "rubric", "base"],
    },
    Layer {
        name: "scoring",
        krate: Lib,
        modules: &["scoring"],
        may_import: &["rubric", "base"],
    },
    Layer {
        name: "input",
        krate: Lib,
        modules: &["input"],
        may_import: &["input", "sheet", "rubric", "base"],
    },
    Layer {
        name: "sheet",
        krate: Lib,
        modules: &["input::sheet", "input::warning", "input::date"],
        may_import: &["sheet", "rubric", "base"],
    },
    Layer {
        name: "rubric",
        krate: Lib,
        modules: &["rubric"],
        may_import: &["rubric", "base"],
    },
    Layer {
        name: "base",
        krate: Lib,
        modules: &[
            "diag",
            "origin",
            "text",
            "json_text",
            "atomic",
            "spill",
            "brand",
        ],
        may_import: &["base"],
    },
];

/// In `may_import`: every layer of the library.
const LIBRARY: &str = "the library";

/// The layers of the library, top to bottom.
fn library_layers(table: &[Layer]) -> Vec<&'static str> {
    (table.iter())
        .filter(|l| l.krate == Lib)
        .map(|l| l.name)
        .collect()
}

// ---------------------------------------------------------------------------
// Reading Rust code: just enough of a lexer to find paths and `pub` items.

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    /// `::`
    Colons,
    Punct(char),
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    line: usize,
}

impl Token {
    fn is(&self, c: char) -> bool {
        self.tok == Tok::Punct(c)
    }

    fn ident(&self) -> Option<&str> {
        match &self.tok {
            Tok::Ident(s) => Some(s),
            _ => None,
        }
    }
}

/// The tokens of a file's code: no comments, no literals (except a string that is
/// a path, as serde's `serialize_with = "crate::..."` names a function).
fn lex(text: &str) -> Vec<Token> {
    let mut lx = Lexer {
        c: text.chars().collect(),
        i: 0,
        line: 1,
        out: Vec::new(),
    };
    while lx.i < lx.c.len() {
        lx.step();
    }
    lx.out
}

struct Lexer {
    c: Vec<char>,
    i: usize,
    line: usize,
    out: Vec<Token>,
}

fn is_ident(ch: char) -> bool {
    ch.is_alphanumeric() || ch == '_'
}

impl Lexer {
    fn at(&self, k: usize) -> Option<char> {
        self.c.get(self.i + k).copied()
    }

    fn push(&mut self, tok: Tok) {
        let line = self.line;
        self.out.push(Token { tok, line });
    }

    /// Reads one token, comment, literal or run of white space.
    fn step(&mut self) {
        let (ch, next) = (self.c[self.i], self.at(1));
        match ch {
            '\n' => {
                self.line += 1;
                self.i += 1;
            }
            _ if ch.is_whitespace() => self.i += 1,
            '/' if next == Some('/') => {
                while self.at(0).is_some_and(|c| c != '\n') {
                    self.i += 1;
                }
            }
            '/' if next == Some('*') => self.block_comment(),
            '"' => {
                self.i += 1;
                self.string(0, false);
            }
            '\'' => self.quote(),
            _ if ch.is_ascii_digit() => {
                while self.at(0).is_some_and(is_ident)
                    || (self.at(0) == Some('.') && self.at(1).is_some_and(|c| c.is_ascii_digit()))
                {
                    self.i += 1;
                }
            }
            _ if is_ident(ch) => self.word(),
            ':' if next == Some(':') => {
                self.push(Tok::Colons);
                self.i += 2;
            }
            _ => {
                self.push(Tok::Punct(ch));
                self.i += 1;
            }
        }
    }

    /// `/* .. */`, nested.
    fn block_comment(&mut self) {
        let mut depth = 0;
        while let Some(c) = self.at(0) {
            if c == '/' && self.at(1) == Some('*') {
                depth += 1;
                self.i += 2;
            } else if c == '*' && self.at(1) == Some('/') {
                depth -= 1;
                self.i += 2;
                if depth == 0 {
                    return;
                }
            } else {
                self.line += usize::from(c == '\n');
                self.i += 1;
            }
        }
    }

    /// A char literal (`'x'`, `'\n'`, `'\u{1b}'`) or a lifetime (`'r`).
    fn quote(&mut self) {
        if self.at(1) == Some('\\') {
            self.i += 2;
            while self.at(0).is_some_and(|c| c != '\'') {
                self.i += 1;
            }
            self.i += 1;
        } else if self.at(2) == Some('\'') {
            self.i += 3;
        } else {
            self.i += 1;
        }
    }

    /// An identifier or keyword, or the prefix of a literal (`r"..."`, `b'x'`,
    /// `br#"..."#`), or a raw identifier (`r#type`).
    fn word(&mut self) {
        let start = self.i;
        while self.at(0).is_some_and(is_ident) {
            self.i += 1;
        }
        let word: String = self.c[start..self.i].iter().collect();
        let raw = matches!(word.as_str(), "r" | "br" | "cr");
        let bytes = matches!(word.as_str(), "b" | "c");
        match self.at(0) {
            Some('"') if raw || bytes => {
                self.i += 1;
                self.string(0, raw);
            }
            Some('#') if raw => {
                let hashes = self.c[self.i..].iter().take_while(|&&h| h == '#').count();
                self.i += hashes;
                if self.at(0) == Some('"') {
                    self.i += 1;
                    self.string(hashes, true);
                }
            }
            Some('\'') if word == "b" => self.quote(),
            _ => self.push(Tok::Ident(word)),
        }
    }

    /// A string literal's body, from just past its opening quote to past its end
    /// (`hashes` for a raw string, which has no escapes). A path in it is code.
    fn string(&mut self, hashes: usize, raw: bool) {
        let line = self.line;
        let mut body = String::new();
        while let Some(c) = self.at(0) {
            if !raw && c == '\\' {
                self.i += 2;
                continue;
            }
            let closes = c == '"' && (1..=hashes).all(|k| self.at(k) == Some('#'));
            if closes {
                self.i += 1 + hashes;
                break;
            }
            self.line += usize::from(c == '\n');
            body.push(c);
            self.i += 1;
        }
        path_in_string(&body, line, &mut self.out);
    }
}

/// A string literal that is a path into the crate (`"crate::json_text::text"`) is
/// code: its tokens are added.
fn path_in_string(body: &str, line: usize, out: &mut Vec<Token>) {
    let is_path = ["crate::", "super::"].iter().any(|p| body.starts_with(p))
        && body
            .split("::")
            .all(|s| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_'));
    if is_path {
        for (n, seg) in body.split("::").enumerate() {
            if n > 0 {
                out.push(Token {
                    tok: Tok::Colons,
                    line,
                });
            }
            out.push(Token {
                tok: Tok::Ident(seg.to_string()),
                line,
            });
        }
    }
}

/// The tokens without test code: an item under `#[cfg(test)]` (a `mod tests { .. }`,
/// a function, a `use`) is left out. Also returns the modules declared as
/// `#[cfg(test)] mod name;`, whose files are test code.
fn without_tests(tokens: Vec<Token>) -> (Vec<Token>, Vec<String>) {
    let mut out = Vec::new();
    let mut test_mods = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if !is_cfg_test(&tokens[i..]) {
            out.push(tokens[i].clone());
            i += 1;
            continue;
        }
        i += 7;
        // Other attributes of the item.
        while i + 1 < tokens.len() && tokens[i].is('#') && tokens[i + 1].is('[') {
            i = past_group(&tokens, i + 1, '[', ']');
        }
        if tokens.get(i).and_then(Token::ident) == Some("mod")
            && tokens.get(i + 2).is_some_and(|t| t.is(';'))
            && let Some(name) = tokens.get(i + 1).and_then(Token::ident)
        {
            test_mods.push(name.to_string());
        }
        // The item ends at its first `;` outside brackets, or with its body.
        let mut depth = 0i32;
        while i < tokens.len() {
            let t = &tokens[i];
            if t.is('(') || t.is('[') {
                depth += 1;
            } else if t.is(')') || t.is(']') {
                depth -= 1;
            } else if depth == 0 && t.is(';') {
                i += 1;
                break;
            } else if depth == 0 && t.is('{') {
                i = past_group(&tokens, i, '{', '}');
                break;
            }
            i += 1;
        }
    }
    (out, test_mods)
}

/// `#[cfg(test)]` at the start of `t`.
fn is_cfg_test(t: &[Token]) -> bool {
    t.len() >= 7
        && t[0].is('#')
        && t[1].is('[')
        && t[2].ident() == Some("cfg")
        && t[3].is('(')
        && t[4].ident() == Some("test")
        && t[5].is(')')
        && t[6].is(']')
}

/// The index past the group that opens at `i`.
fn past_group(t: &[Token], mut i: usize, open: char, close: char) -> usize {
    let mut depth = 0;
    while i < t.len() {
        if t[i].is(open) {
            depth += 1;
        } else if t[i].is(close) {
            depth -= 1;
            if depth == 0 {
                return i + 1;
            }
        }
        i += 1;
    }
    i
}

/// One path of a use tree (or of an expression), with the name it is known by
/// (its last segment, or what follows `as`).
#[derive(Debug, Clone)]
struct UsePath {
    segments: Vec<String>,
    name: Option<String>,
}

/// Parses the path or use tree at `i`: `a::b::{c, d::e as f, self}`. Returns its
/// paths and the index past it.
fn use_tree(t: &[Token], mut i: usize) -> (Vec<UsePath>, usize) {
    let mut prefix = Vec::new();
    loop {
        match t.get(i).map(|x| &x.tok) {
            Some(Tok::Ident(s)) if s != "as" => {
                prefix.push(s.clone());
                i += 1;
                if t.get(i).is_some_and(|x| x.tok == Tok::Colons) {
                    i += 1;
                    continue;
                }
                let mut name = Some(s.clone());
                if t.get(i).and_then(Token::ident) == Some("as") {
                    name = t.get(i + 1).and_then(Token::ident).map(str::to_string);
                    i += 2;
                }
                if prefix.last().is_some_and(|s| s == "self") {
                    prefix.pop();
                    name = prefix.last().cloned();
                }
                let one = UsePath {
                    segments: prefix,
                    name,
                };
                return (vec![one], i);
            }
            Some(Tok::Punct('{')) => {
                i += 1;
                let mut all = Vec::new();
                while i < t.len() && !t[i].is('}') {
                    if t[i].is(',') {
                        i += 1;
                        continue;
                    }
                    let (sub, next) = use_tree(t, i);
                    for mut p in sub {
                        let mut full = prefix.clone();
                        full.append(&mut p.segments);
                        if p.name.is_none() {
                            p.name = full.last().cloned();
                        }
                        all.push(UsePath {
                            segments: full,
                            name: p.name,
                        });
                    }
                    i = next.max(i + 1);
                }
                return (all, i + 1);
            }
            // A glob, or the end of the path (`::<T>`, `(`).
            _ => {
                let one = UsePath {
                    segments: prefix,
                    name: None,
                };
                return (vec![one], i);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The files and the edges between them.

/// A module: its crate and its path in it (`[input, export]` for
/// `src/input/export/mod.rs`; the crate root is the empty path).
type Module = (Crate, Vec<String>);

fn show(m: &Module) -> String {
    match (m.0, m.1.is_empty()) {
        (Lib, true) => "the library's root".to_string(),
        (Bin, true) => "main".to_string(),
        _ => m.1.join("::"),
    }
}

/// One file of code, read.
#[derive(Debug, Clone)]
struct File {
    /// Its path, as a message names it (`src/input/sheet.rs`).
    path: String,
    tokens: Vec<Token>,
}

/// The module of a file under `src/` (its path relative to `src/`).
fn module_path(rel: &str) -> Vec<String> {
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

/// The files of a tree, by module: `(path relative to src/, text)` pairs, the
/// binary's modules being those `main.rs` declares. Test code is left out, and so
/// are files of modules declared `#[cfg(test)]`.
fn read_files(sources: &[(String, String)]) -> BTreeMap<Module, File> {
    let bin_mods: BTreeSet<String> = sources
        .iter()
        .filter(|(rel, _)| rel == "main.rs")
        .flat_map(|(_, text)| {
            let (t, _) = without_tests(lex(text));
            (0..t.len().saturating_sub(2))
                .filter(|&i| t[i].ident() == Some("mod") && t[i + 2].is(';'))
                .filter_map(|i| t[i + 1].ident().map(str::to_string))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut files = BTreeMap::new();
    let mut test_only: BTreeSet<Module> = BTreeSet::new();
    for (rel, text) in sources {
        let path = module_path(rel);
        let krate = if rel == "main.rs" {
            Bin
        } else if rel == "lib.rs" {
            Lib
        } else if path.first().is_some_and(|m| bin_mods.contains(m)) {
            Bin
        } else {
            Lib
        };
        let (tokens, tests) = without_tests(lex(text));
        for m in tests {
            let mut child = path.clone();
            child.push(m);
            test_only.insert((krate, child));
        }
        let file = File {
            path: format!("src/{rel}"),
            tokens,
        };
        files.insert((krate, path), file);
    }
    files.retain(|(k, p), _| {
        !test_only
            .iter()
            .any(|(tk, tp)| tk == k && p.starts_with(tp))
    });
    files
}

/// Every `.rs` file under `src/`, as `(path relative to src/, text)`.
fn sources() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    all_files(&src)
        .into_iter()
        .filter(|rel| rel.ends_with(".rs"))
        .map(|rel| {
            let text = std::fs::read_to_string(src.join(&rel)).unwrap();
            (rel, text)
        })
        .collect()
}

/// Every file under `dir`, relative to it, with `/` between folders, sorted.
fn all_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy();
                out.push(rel.replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

/// What `pub use` makes visible in each module: name -> the path it stands for.
fn reexports(files: &BTreeMap<Module, File>) -> BTreeMap<Module, BTreeMap<String, Module>> {
    let mut out: BTreeMap<Module, BTreeMap<String, Module>> = BTreeMap::new();
    for ((krate, path), file) in files {
        let t = &file.tokens;
        for i in 0..t.len() {
            if t[i].ident() != Some("pub") {
                continue;
            }
            let mut j = i + 1;
            if t.get(j).is_some_and(|x| x.is('(')) {
                j = past_group(t, j, '(', ')');
            }
            if t.get(j).and_then(Token::ident) != Some("use") {
                continue;
            }
            for p in use_tree(t, j + 1).0 {
                let (Some(name), Some(target)) = (p.name.clone(), absolute(*krate, path, &p))
                else {
                    continue;
                };
                out.entry((*krate, path.clone()))
                    .or_default()
                    .insert(name, target);
            }
        }
    }
    out
}

/// A path as seen from module `from` of `krate`, made absolute: `crate::`, `super::`,
/// `self::`, `pmo_vmo::`, or a child module's name. `None` for a path into another
/// crate (`std::`, `serde::`).
fn absolute(krate: Crate, from: &[String], p: &UsePath) -> Option<Module> {
    let mut segs = p.segments.iter().peekable();
    let (krate, mut base) = match segs.peek().map(|s| s.as_str()) {
        Some("crate") => {
            segs.next();
            (krate, Vec::new())
        }
        Some("pmo_vmo") => {
            segs.next();
            (Lib, Vec::new())
        }
        Some("self") => {
            segs.next();
            (krate, from.to_vec())
        }
        Some("super") => (krate, from.to_vec()),
        Some(first) if first.starts_with(|c: char| c.is_ascii_lowercase()) => {
            // A child module (`pub use header::normalise`), or another crate.
            (krate, from.to_vec())
        }
        _ => return None,
    };
    while segs.peek().is_some_and(|s| *s == "super") {
        segs.next();
        base.pop();
    }
    base.extend(segs.cloned());
    Some((krate, base))
}

/// The module a path leads to: the deepest module it names, followed through the
/// `pub use`s of the modules on its way.
fn resolve(
    files: &BTreeMap<Module, File>,
    reexports: &BTreeMap<Module, BTreeMap<String, Module>>,
    (mut krate, mut segs): Module,
) -> Module {
    for _ in 0..16 {
        let depth = (0..=segs.len())
            .rev()
            .find(|&n| files.contains_key(&(krate, segs[..n].to_vec())))
            .unwrap_or(0);
        let module = (krate, segs[..depth].to_vec());
        let Some(name) = segs.get(depth) else {
            return module;
        };
        match reexports.get(&module).and_then(|r| r.get(name)) {
            Some((k, target)) if *target != segs[..=depth] => {
                let mut next = target.clone();
                next.extend_from_slice(&segs[depth + 1..]);
                (krate, segs) = (*k, next);
            }
            _ => return module,
        }
    }
    panic!("re-exports go round in circles at {segs:?}");
}

/// One import of one file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Edge {
    from: Module,
    to: Module,
    /// Where: `src/result.rs:14`.
    at: String,
    /// The path as the file has it, braces expanded (`crate::input::stream::Event`).
    path: String,
}

/// Every import between modules (a module using itself or its descendants aside).
fn edges(files: &BTreeMap<Module, File>) -> Vec<Edge> {
    let rx = reexports(files);
    let mut out = Vec::new();
    for (from, file) in files {
        let t = &file.tokens;
        let mut i = 0;
        while i < t.len() {
            let starts = matches!(t[i].ident(), Some("crate" | "super" | "pmo_vmo"))
                && t.get(i + 1).is_some_and(|x| x.tok == Tok::Colons)
                && (i == 0 || t[i - 1].tok != Tok::Colons);
            if !starts {
                i += 1;
                continue;
            }
            let line = t[i].line;
            let (paths, next) = use_tree(t, i);
            i = next.max(i + 1);
            for p in paths {
                let Some(abs) = absolute(from.0, &from.1, &p) else {
                    continue;
                };
                let to = resolve(files, &rx, abs);
                if to.0 == from.0 && to.1.starts_with(&from.1) {
                    continue;
                }
                out.push(Edge {
                    from: from.clone(),
                    to,
                    at: format!("{}:{line}", file.path),
                    path: p.segments.join("::"),
                });
            }
        }
    }
    // In file order, then in the order the file has them; each once.
    let mut seen = BTreeSet::new();
    out.retain(|e| seen.insert(e.clone()));
    out
}

// ---------------------------------------------------------------------------
// The rules.

/// The layer a module belongs to: the row whose module path is the longest that
/// starts it.
fn layer_of<'t>(table: &'t [Layer], (krate, path): &Module) -> Option<&'t Layer> {
    let mut best: Option<(&Layer, usize)> = None;
    for layer in table.iter().filter(|l| l.krate == *krate) {
        for m in layer.modules {
            let prefix: Vec<&str> = m.split("::").filter(|s| !s.is_empty()).collect();
            let fits = prefix.len() <= path.len() && prefix.iter().zip(path).all(|(a, b)| a == b);
            if fits && best.is_none_or(|(_, n)| prefix.len() > n) {
                best = Some((layer, prefix.len()));
            }
        }
    }
    best.map(|(l, _)| l)
}

/// The layers `layer` may import, `LIBRARY` expanded.
fn allowed(table: &[Layer], layer: &Layer) -> Vec<&'static str> {
    let mut out = Vec::new();
    for &m in layer.may_import {
        if m == LIBRARY {
            out.extend(library_layers(table));
        } else {
            out.push(m);
        }
    }
    out
}

/// Every broken rule, one message each: a file in no layer, an import its layer
/// may not make. The crate roots (`lib.rs`, `main.rs`) declare and re-export their
/// descendants; their own imports are no edges.
fn violations(table: &[Layer], files: &BTreeMap<Module, File>) -> Vec<String> {
    let mut out = Vec::new();
    for (m, file) in files {
        if !m.1.is_empty() && layer_of(table, m).is_none() {
            out.push(format!(
                "{} is in no layer: add its module `{}` to a row of LAYERS in tests/architecture.rs (and to ARCHITECTURE.md)",
                file.path,
                show(m)
            ));
        }
    }
    for e in edges(files) {
        let (Some(from), Some(to)) = (layer_of(table, &e.from), layer_of(table, &e.to)) else {
            continue;
        };
        let may = allowed(table, from);
        if !may.contains(&to.name) {
            let may = if may.is_empty() {
                "nothing".to_string()
            } else {
                may.join(", ")
            };
            out.push(format!(
                "{}: `{}` imports {} (layer `{}`), but layer `{}` ({}) may import only: {may}",
                e.at,
                e.path,
                show(&e.to),
                to.name,
                from.name,
                show(&e.from),
            ));
        }
    }
    out
}

/// A cycle among the edges, if there is one, as the modules along it.
fn find_cycle(edges: &[Edge]) -> Option<Vec<Module>> {
    let mut next: BTreeMap<&Module, Vec<&Module>> = BTreeMap::new();
    for e in edges {
        next.entry(&e.from).or_default().push(&e.to);
    }
    // 0 unseen, 1 on the stack, 2 done.
    fn visit<'a>(
        n: &'a Module,
        next: &BTreeMap<&'a Module, Vec<&'a Module>>,
        state: &mut BTreeMap<&'a Module, u8>,
        stack: &mut Vec<&'a Module>,
    ) -> Option<Vec<Module>> {
        state.insert(n, 1);
        stack.push(n);
        for &m in next.get(n).into_iter().flatten() {
            match state.get(m).copied().unwrap_or(0) {
                1 => {
                    let at = stack.iter().position(|x| *x == m).unwrap_or(0);
                    let mut cycle: Vec<Module> = stack[at..].iter().map(|&p| p.clone()).collect();
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
    let mut state = BTreeMap::new();
    let nodes: Vec<&Module> = next.keys().copied().collect();
    for n in nodes {
        if state.get(n).copied().unwrap_or(0) == 0
            && let Some(c) = visit(n, &next, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

/// Types that leave their module (`pub`, `pub(crate)`, `pub(super)`) declared under
/// the same name more than once: name -> where.
fn shared_type_names(files: &BTreeMap<Module, File>) -> BTreeMap<String, Vec<String>> {
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in files.values() {
        let t = &file.tokens;
        for i in 0..t.len() {
            if t[i].ident() != Some("pub") {
                continue;
            }
            let mut j = i + 1;
            if t.get(j).is_some_and(|x| x.is('(')) {
                j = past_group(t, j, '(', ')');
            }
            let kind = t.get(j).and_then(Token::ident);
            if !matches!(kind, Some("struct" | "enum" | "trait" | "type" | "union")) {
                continue;
            }
            if let Some(name) = t.get(j + 1).and_then(Token::ident) {
                let at = format!("{}:{}", file.path, t[j].line);
                seen.entry(name.to_string()).or_default().push(at);
            }
        }
    }
    seen.retain(|_, at| at.len() > 1);
    seen
}

/// The table as ARCHITECTURE.md shows it.
fn table_markdown(table: &[Layer]) -> String {
    let mut out = String::from("| Layer | Modules | May import |\n|---|---|---|\n");
    for l in table {
        let modules: Vec<String> = (l.modules.iter())
            .map(|m| match (l.krate, *m) {
                (Bin, "") => "`main.rs`".to_string(),
                _ => format!("`{m}`"),
            })
            .collect();
        let may: Vec<String> = (l.may_import.iter())
            .map(|m| {
                if *m == LIBRARY {
                    m.to_string()
                } else {
                    format!("`{m}`")
                }
            })
            .collect();
        let krate = match l.krate {
            Bin => " (binary)",
            Lib => "",
        };
        let _ = writeln!(
            out,
            "| `{}`{krate} | {} | {} |",
            l.name,
            modules.join(", "),
            may.join(", ")
        );
    }
    out
}

// ---------------------------------------------------------------------------
// The tests of the tree.

#[test]
fn every_import_follows_the_layers() {
    let files = read_files(&sources());
    assert!(files.len() > 40, "the files were not found");
    let e = edges(&files);
    assert!(e.len() > 100, "few edges found: the parser is broken");
    let broken = violations(LAYERS, &files);
    assert!(
        broken.is_empty(),
        "imports against the layers (tests/architecture.rs, LAYERS; ARCHITECTURE.md):\n{}",
        broken.join("\n")
    );
}

#[test]
fn no_import_cycle() {
    let files = read_files(&sources());
    if let Some(c) = find_cycle(&edges(&files)) {
        let shown: Vec<String> = c.iter().map(show).collect();
        panic!("import cycle: {}", shown.join(" -> "));
    }
}

#[test]
fn the_layers_point_down() {
    // Each layer imports only layers below it (or itself): the table is a ladder.
    let names: Vec<&str> = LAYERS.iter().map(|l| l.name).collect();
    for (i, l) in LAYERS.iter().enumerate() {
        for m in allowed(LAYERS, l) {
            let j = names.iter().position(|n| *n == m).unwrap_or_else(|| {
                panic!("layer `{}` may import `{m}`, which is no layer", l.name)
            });
            assert!(j >= i, "layer `{}` may import `{m}`, above it", l.name);
        }
    }
    let distinct: BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(distinct.len(), names.len(), "two layers share a name");
}

#[test]
fn type_names_are_unique() {
    let files = read_files(&sources());
    let shared = shared_type_names(&files);
    let shown: Vec<String> = (shared.iter())
        .map(|(name, at)| format!("`{name}`: {}", at.join(", ")))
        .collect();
    assert!(
        shared.is_empty(),
        "types that leave their module share a name (rename one, or make it private):\n{}",
        shown.join("\n")
    );
}

/// The file `ARCHITECTURE.md` at the root.
fn architecture_md() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md");
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn architecture_md_shows_the_layers_table() {
    let want = table_markdown(LAYERS);
    assert!(
        architecture_md().contains(&want),
        "ARCHITECTURE.md does not show the table of tests/architecture.rs; it should read:\n\n{want}"
    );
}

#[test]
fn architecture_md_names_every_file_once() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = all_files(&src);
    let doc = architecture_md();
    // Under `## The files`, each file is a list item that starts with its path
    // under `src/` in backticks.
    let list = doc
        .split("\n## The files\n")
        .nth(1)
        .expect("ARCHITECTURE.md has a `## The files` section");
    let list = list.split("\n## ").next().unwrap_or(list);
    let mut named: BTreeMap<String, usize> = BTreeMap::new();
    for line in list.lines() {
        let Some(rest) = line.trim_start().strip_prefix("- `") else {
            continue;
        };
        let Some((path, _)) = rest.split_once('`') else {
            continue;
        };
        *named.entry(path.to_string()).or_default() += 1;
    }
    let missing: Vec<&String> = files.iter().filter(|f| !named.contains_key(*f)).collect();
    let extra: Vec<&String> = named.keys().filter(|f| !files.contains(f)).collect();
    let twice: Vec<&String> = (named.iter())
        .filter(|(_, n)| **n > 1)
        .map(|(f, _)| f)
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty() && twice.is_empty(),
        "ARCHITECTURE.md's list of files (`- `path`: what it holds`, paths under src/):\n\
         not named: {missing:?}\nnamed but not under src/: {extra:?}\nnamed twice: {twice:?}"
    );
    // Any `.rs` file it names anywhere exists: under `src/` (by its path, or its
    // name in a folder), or from the root (`tests/...`). `<name>` is a pattern.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut ghosts = Vec::new();
    for span in doc.split('`').skip(1).step_by(2) {
        let rs = span.ends_with(".rs") && !span.contains([' ', '<']);
        let exists = files
            .iter()
            .any(|f| f == span || f.ends_with(&format!("/{span}")))
            || root.join(span).is_file();
        if rs && !exists {
            ghosts.push(span);
        }
    }
    assert!(
        ghosts.is_empty(),
        "ARCHITECTURE.md names files that do not exist: {ghosts:?}"
    );
}

// ---------------------------------------------------------------------------
// The tests of the checker, on trees made up here.

/// A made-up tree: `(path under src/, code)`.
fn tree(files: &[(&str, &str)]) -> BTreeMap<Module, File> {
    let sources: Vec<(String, String)> = (files.iter())
        .map(|(p, c)| (p.to_string(), c.to_string()))
        .collect();
    read_files(&sources)
}

#[test]
fn the_checker_names_a_forbidden_edge_its_file_and_the_rule() {
    let files = tree(&[
        (
            "lib.rs",
            "pub mod input;\npub mod render;\npub mod rubric;\n",
        ),
        ("main.rs", "mod cmd;\nfn main() { cmd::run() }\n"),
        ("cmd/mod.rs", "use pmo_vmo::render::words;\n"),
        ("input/mod.rs", "pub mod sheet;\npub use sheet::Sheet;\n"),
        (
            "input/sheet.rs",
            "//! Sheets.\nuse crate::rubric::Band;\n\nfn f() -> String {\n    crate::render::{words::count, table::Style}\n}\n",
        ),
        ("render/mod.rs", "pub mod words;\n"),
        ("render/words.rs", "use crate::input::Sheet;\n"),
        ("rubric.rs", "pub enum Band {}\n"),
    ]);
    let broken = violations(LAYERS, &files);
    assert_eq!(
        broken,
        [
            "src/input/sheet.rs:5: `crate::render::words::count` imports render::words (layer `render`), but layer `sheet` (input::sheet) may import only: sheet, rubric, base",
            "src/input/sheet.rs:5: `crate::render::table::Style` imports render (layer `render`), but layer `sheet` (input::sheet) may import only: sheet, rubric, base",
        ],
        "{broken:#?}"
    );
    // The renderer imports `crate::input::Sheet`: the input module's `pub use` leads
    // it to `input::sheet`, which `render` may import.
    let e = edges(&files);
    let render = (Lib, vec!["render".to_string(), "words".to_string()]);
    let to: Vec<String> = (e.iter())
        .filter(|e| e.from == render)
        .map(|e| show(&e.to))
        .collect();
    assert_eq!(to, ["input::sheet"]);
}

#[test]
fn the_checker_reads_paths_as_the_compiler_does() {
    let files = tree(&[
        (
            "lib.rs",
            "pub mod a;\npub mod b;\npub mod c;\n#[cfg(test)]\nmod testing;\npub use a::Thing as Renamed;\n",
        ),
        (
            "a.rs",
            "// use crate::b;\n/* use crate::b; */\n/// [`crate::b`]\nuse crate::{c::{self, X}, Renamed};\nconst S: &str = \"crate::b:: in a string\";\n#[serde(serialize_with = \"crate::b::write\")]\nstruct T<'r>(&'r str, char);\nconst C: char = '{';\nfn f() { super::b::g::<u8>(); }\n#[cfg(test)]\nmod tests {\n    use crate::b;\n}\n#[cfg(test)]\nuse crate::b::h;\n",
        ),
        ("b.rs", "pub fn write() {}\n"),
        ("c.rs", "pub struct X;\n"),
        ("testing.rs", "use crate::a;\n"),
    ]);
    let e: Vec<(String, String, String)> = edges(&files)
        .into_iter()
        .map(|e| (show(&e.from), show(&e.to), e.at))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    // (Sorted here: the checker gives them in the file's order.)
    let want = [
        ("a", "b", "src/a.rs:6"),
        ("a", "b", "src/a.rs:9"),
        ("a", "c", "src/a.rs:4"),
    ];
    let want: Vec<(String, String, String)> = (want.iter())
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    // `Renamed` is `a` itself, through the root's `pub use`: no edge.
    assert_eq!(e, want);
    assert!(!files.contains_key(&(Lib, vec!["testing".to_string()])));
}

#[test]
fn the_checker_sees_a_cycle_and_a_file_in_no_layer() {
    let files = tree(&[
        (
            "lib.rs",
            "pub mod rubric;\npub mod origin;\npub mod elsewhere;\n",
        ),
        ("rubric.rs", "use crate::origin::Origin;\n"),
        ("origin.rs", "fn f() { super::rubric::g() }\n"),
        ("elsewhere.rs", "\n"),
    ]);
    let cycle = find_cycle(&edges(&files)).expect("origin -> rubric -> origin");
    let shown: Vec<String> = cycle.iter().map(show).collect();
    assert_eq!(shown.join(" -> "), "origin -> rubric -> origin");
    let broken = violations(LAYERS, &files);
    assert_eq!(broken.len(), 2, "{broken:#?}");
    assert!(
        broken[0].starts_with("src/elsewhere.rs is in no layer"),
        "{}",
        broken[0]
    );
    assert!(
        broken[1].starts_with("src/origin.rs:1: `super::rubric::g` imports rubric (layer `rubric`), but layer `base` (origin) may import only: base"),
        "{}",
        broken[1]
    );
}

#[test]
fn the_checker_finds_a_shared_type_name() {
    let files = tree(&[
        ("lib.rs", "pub mod a;\npub mod b;\n"),
        (
            "a.rs",
            "pub struct Outcome;\nstruct Private;\npub(crate) enum Step {}\n",
        ),
        (
            "b.rs",
            "pub(crate) struct Outcome;\nstruct Private;\n#[cfg(test)]\nmod tests {\n    pub struct Step;\n}\n",
        ),
    ]);
    let shared = shared_type_names(&files);
    assert_eq!(shared.keys().collect::<Vec<_>>(), ["Outcome"]);
    assert_eq!(shared["Outcome"], ["src/a.rs:1", "src/b.rs:1"]);
}
