//! Errors about user input that point at the file, line, column and key.
//!
//! Every rubric and sheet problem becomes an [`InputError`]: a plain value that the
//! binary prints on stderr, the JSON renderer puts in `errors`, and batch commands
//! collect without stopping. What is wrong is a [`Fault`] (a kind with its values,
//! worded by `render::diag`); where is data too. Locations are found after the fact
//! from the source text, so the model types stay plain serde structs (no `Spanned`
//! fields, no `flatten`). An error keeps its location as data (an [`Excerpt`] of the
//! source with the span at fault); the binary draws it with annotate-snippets, in
//! colour when it may.

mod fault;

use std::ops::Range;

use toml::de::{DeTable, DeValue};

pub(crate) use self::fault::{
    Bound, ExportFault, Fault, FileFault, IoReason, Item, ParseNote, Product, RubricFault, Rule,
    SheetFault,
};
use crate::origin::Origin;

/// One problem with one input, located as precisely as the input allows. Its
/// words (`Display`, and its JSON, whose `message` is in words) are
/// `render::diag`'s.
#[derive(Debug, Clone, PartialEq)]
pub struct InputError {
    /// The file, standard input, or a row of an export.
    pub source: Origin,
    /// What is wrong, without the location.
    pub(crate) kind: Fault,
    /// 1-based line, where known.
    pub(crate) line: Option<usize>,
    /// 1-based column, where known.
    pub(crate) column: Option<usize>,
    /// Dotted path of the key at fault (`question[3].option[1].score`), where known.
    pub key: Option<String>,
    /// The lines of the source around the fault, for people.
    pub excerpt: Option<Excerpt>,
}

/// The source lines an error points into, and the span at fault within them.
#[derive(Debug, Clone, PartialEq)]
pub struct Excerpt {
    /// Whole lines of the source, from `line_start` on.
    pub text: String,
    /// The 1-based line number of the first line of `text`.
    pub line_start: usize,
    /// The byte range at fault, within `text` (at most one line of it).
    pub span: Range<usize>,
}

impl Excerpt {
    /// The line holding `span` of `text` (the first line of a longer span).
    fn new(text: &str, span: Range<usize>) -> Excerpt {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let mut end = floor_char_boundary(text, span.end.min(text.len())).max(start);
        // A span over a whole table reads badly; underline its first line only.
        if let Some(nl) = text[start..end].find('\n') {
            end = start + nl;
        }
        let from = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let mut to = text[end..].find('\n').map_or(text.len(), |i| end + i);
        // A CRLF line end is no part of the line shown (a fault at the CR itself is
        // shown at the end of the line).
        if to > from && text.as_bytes()[to - 1] == b'\r' && to < text.len() {
            to -= 1;
        }
        let (start, end) = (start.min(to), end.min(to));
        Excerpt {
            text: text[from..to].to_string(),
            line_start: line_col(text, from).0,
            span: start - from..end - from,
        }
    }
}

impl InputError {
    /// An error about a whole input, with no position in it.
    pub(crate) fn new(source: impl Into<Origin>, kind: impl Into<Fault>) -> Self {
        InputError {
            source: source.into(),
            kind: kind.into(),
            line: None,
            column: None,
            key: None,
            excerpt: None,
        }
    }

    /// Names the key at fault.
    pub(crate) fn with_key(mut self, key: impl Into<String>) -> Self {
        let key = key.into();
        if !key.is_empty() {
            self.key = Some(key);
        }
        self
    }

    /// Points at a byte range of `text`: fills line, column and the snippet.
    pub(crate) fn at(mut self, text: &str, span: Range<usize>) -> Self {
        let (line, column) = line_col(text, span.start);
        self.line = Some(line);
        self.column = Some(column);
        self.excerpt = Some(Excerpt::new(text, span));
        self
    }

    /// Points at a line only (CSV rows, JSON keys found by search).
    pub(crate) fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// `path:line:column` as far as it is known.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.source),
            (Some(l), None) => format!("{}:{l}", self.source),
            _ => self.source.to_string(),
        }
    }
}

/// A list of problems with one file (a rubric can have several at once), worded
/// one a line by `render::diag`.
#[derive(Debug, Clone, PartialEq)]
pub struct InputErrors(pub Vec<InputError>);

impl std::error::Error for InputError {}

impl std::error::Error for InputErrors {}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One step in a key path: a table key or an array index.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

/// Renders a key path as `question[3].option[1].score`.
pub(crate) fn path_string(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// A parsed TOML document kept only to find where things are.
pub(crate) struct TomlMap<'a> {
    root: toml::Spanned<DeTable<'a>>,
}

impl<'a> TomlMap<'a> {
    pub(crate) fn parse(text: &'a str) -> Option<Self> {
        DeTable::parse(text).ok().map(|root| TomlMap { root })
    }

    /// The span of the value at `path` (or of its key when `key` is true).
    pub(crate) fn span(&self, path: &[Seg], key: bool) -> Option<Range<usize>> {
        let mut table = self.root.get_ref();
        let mut value: Option<&toml::Spanned<DeValue<'a>>> = None;
        let mut key_span = None;
        for seg in path {
            match seg {
                Seg::Key(k) => {
                    if let Some(v) = value {
                        table = match v.get_ref() {
                            DeValue::Table(t) => t,
                            _ => return None,
                        };
                    }
                    let (ks, v) = table.iter().find(|(ks, _)| ks.get_ref().as_ref() == k)?;
                    key_span = Some(ks.span());
                    value = Some(v);
                }
                Seg::Index(i) => {
                    let arr = match value?.get_ref() {
                        DeValue::Array(a) => a,
                        _ => return None,
                    };
                    value = Some(arr.get(*i)?);
                    key_span = None;
                }
            }
        }
        if key {
            key_span.or_else(|| value.map(|v| v.span()))
        } else {
            value.map(|v| v.span())
        }
    }

    /// The key path at `span`: the deepest entry whose key or value contains it,
    /// else the nearest entry before it (array-of-tables spans cover only their
    /// header, so a table's body is found as "the entries after its header").
    pub(crate) fn path_at(&self, span: &Range<usize>) -> Vec<Seg> {
        let mut entries = Vec::new();
        flatten(self.root.get_ref(), &mut Vec::new(), &mut entries);
        // A span that is exactly one key is that key, even when a deeper table's
        // value covers it too: `[recommendation.pmo]` lacking a `vmo` sibling is
        // reported at `recommendation`, not at `recommendation.pmo`.
        if let Some((p, _, _)) = entries
            .iter()
            .filter(|(_, k, _)| k == span)
            .min_by_key(|(p, _, _)| p.len())
        {
            return p.clone();
        }
        let inside = entries
            .iter()
            .filter(|(_, k, v)| contains(k, span) || contains(v, span))
            .max_by_key(|(p, _, _)| p.len());
        if let Some((p, _, _)) = inside {
            return p.clone();
        }
        entries
            .iter()
            .filter(|(_, k, _)| k.start <= span.start)
            .max_by_key(|(p, k, _)| (k.start, p.len()))
            .map(|(p, _, _)| p.clone())
            .unwrap_or_default()
    }
}

fn contains(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end.max(outer.start + 1)
}

type Entry = (Vec<Seg>, Range<usize>, Range<usize>);

fn flatten(table: &DeTable<'_>, path: &mut Vec<Seg>, out: &mut Vec<Entry>) {
    for (k, v) in table.iter() {
        path.push(Seg::Key(k.get_ref().to_string()));
        out.push((path.clone(), k.span(), v.span()));
        match v.get_ref() {
            DeValue::Table(t) => flatten(t, path, out),
            DeValue::Array(arr) => {
                for (i, item) in arr.iter().enumerate() {
                    path.push(Seg::Index(i));
                    out.push((path.clone(), item.span(), item.span()));
                    if let DeValue::Table(t) = item.get_ref() {
                        flatten(t, path, out);
                    }
                    path.pop();
                }
            }
            _ => {}
        }
        path.pop();
    }
}

/// Turns a TOML parse or type error into an [`InputError`] with line, column and key.
pub(crate) fn from_toml_error(source: &Origin, text: &str, err: &toml::de::Error) -> InputError {
    let mut e = InputError::new(source, Fault::Syntax(tidy_serde_message(err.message())));
    if let Some(span) = err.span() {
        if let Some(map) = TomlMap::parse(text) {
            e = e.with_key(path_string(&map.path_at(&span)));
        }
        e = e.at(text, span);
    }
    e
}

/// Turns a JSON parse or type error into an [`InputError`] with line, column and key.
pub(crate) fn from_json_error(
    source: &Origin,
    err: serde_path_to_error::Error<serde_json::Error>,
) -> InputError {
    let path = err.path().to_string();
    let inner = err.into_inner();
    // A cut-off file: serde_json says "EOF while parsing", at an unknown key ("?").
    let (kind, path) = if inner.is_eof() {
        (Fault::Sheet(SheetFault::CutShort), String::new())
    } else {
        let mut message = tidy_serde_message(&inner.to_string());
        // serde_json appends " at line L column C"; the location is kept as data.
        if let Some(i) = message.rfind(" at line ") {
            message.truncate(i);
        }
        (Fault::Syntax(message), path)
    };
    let mut e = InputError::new(source, kind);
    if path != "." && path != "?" {
        e = e.with_key(path);
    }
    if inner.line() > 0 {
        e.line = Some(inner.line());
        // Column 0: the end of a file that ends with a newline.
        e.column = Some(inner.column()).filter(|c| *c > 0);
    }
    e
}

fn tidy_serde_message(msg: &str) -> String {
    msg.trim().trim_end_matches('\n').to_string()
}

/// Finds the line of `"key"` inside the JSON object named `section` (best effort,
/// used to point JSON sheets' semantic errors at a line).
pub(crate) fn json_key_line(text: &str, section: &str, key: &str) -> Option<usize> {
    let sec = text.find(&format!("\"{section}\""))?;
    let rel = text[sec..].find(&format!("\"{key}\""))?;
    Some(line_col(text, sec + rel).0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_lines_and_chars() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        assert_eq!(line_col(text, 10), (2, 4));
    }

    #[test]
    fn span_and_path_agree() {
        let text = "id = \"x\"\n[[question]]\nid = \"a\"\n[[question.option]]\nscore = 5\n[[question.option]]\nscore = 500\n";
        let map = TomlMap::parse(text).unwrap();
        let path = vec![
            Seg::Key("question".into()),
            Seg::Index(0),
            Seg::Key("option".into()),
            Seg::Index(1),
            Seg::Key("score".into()),
        ];
        let span = map.span(&path, false).unwrap();
        assert_eq!(&text[span.clone()], "500");
        assert_eq!(map.path_at(&span), path);
        assert_eq!(path_string(&path), "question[0].option[1].score");
    }

    #[test]
    fn a_crlf_line_end_is_no_part_of_the_excerpt() {
        let text = "a = 1\r\nb = x\r\nc = 2\r\n";
        let e = InputError::new("s.toml", FileFault::Empty).at(text, 11..12);
        assert_eq!(e.location(), "s.toml:2:5");
        let x = e.excerpt.unwrap();
        assert_eq!((x.text.as_str(), x.span), ("b = x", 4..5));
        // A span over the line end stops at the end of the line.
        let x = InputError::new("s.toml", FileFault::Empty)
            .at(text, 11..14)
            .excerpt
            .unwrap();
        assert_eq!((x.text.as_str(), x.span), ("b = x", 4..5));
        // A bare CR inside a line stays, escaped when printed.
        let x = InputError::new("s.toml", FileFault::Empty)
            .at("a = 1\rb\n", 6..7)
            .excerpt
            .unwrap();
        assert_eq!((x.text.as_str(), x.span), ("a = 1\rb", 6..7));
    }

    #[test]
    fn an_error_points_at_its_line_and_excerpt() {
        let e = InputError::new("r.toml", FileFault::Empty)
            .with_key("a.b")
            .at("x\ny", 2..3);
        assert_eq!(e.location(), "r.toml:2:1");
        assert_eq!(e.key.as_deref(), Some("a.b"));
        let x = e.excerpt.unwrap();
        assert_eq!((x.text.as_str(), x.line_start, x.span), ("y", 2, 0..1));
    }
}
