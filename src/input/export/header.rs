//! What each column of an export holds, worked out once from its header row, and
//! how one row's cells resolve against the rubric: headers and cells are compared
//! normalised (trimmed, case and white space folded), without allocating per cell.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use csv::StringRecord;

use crate::diag::{InputError, shown};
use crate::input::sheet::{ResolvedSheet, Sheet};
use crate::input::warning::Warning;
use crate::origin::Origin;
use crate::rubric::LoadedRubric;

/// Writes `s` into `out` trimmed, lower-cased and with every run of white space
/// folded to one space: the form in which headers and cells are compared.
pub fn normalise_into(s: &str, out: &mut String) {
    out.clear();
    let mut gap = false;
    if s.is_ascii() {
        for &b in s.as_bytes() {
            if b.is_ascii_whitespace() {
                gap = true;
            } else {
                if gap && !out.is_empty() {
                    out.push(' ');
                }
                gap = false;
                out.push(char::from(b.to_ascii_lowercase()));
            }
        }
        return;
    }
    for c in s.chars() {
        if c.is_whitespace() {
            gap = true;
        } else {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.extend(c.to_lowercase());
        }
    }
}

/// [`normalise_into`] into a new string.
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalise_into(s, &mut out);
    out
}

/// Finds a question's option from a cell, by option id or label.
#[derive(Debug, Clone)]
pub(super) struct OptionMatcher {
    /// Exact texts (ids and labels as written in the rubric) that resolve, after
    /// normalising, to the same option: the common case of an unedited export,
    /// answered with no normalising at all.
    exact: Vec<(Box<str>, usize)>,
    /// Normalised ids first, then normalised labels: an id wins over a label.
    keys: Vec<(Box<str>, usize)>,
}

impl OptionMatcher {
    pub(super) fn new(q: &crate::rubric::Question) -> Self {
        let mut keys: Vec<(Box<str>, usize)> = Vec::new();
        let ids = q.option.iter().enumerate().map(|(i, o)| (&o.id, i));
        let labels = q.option.iter().enumerate().map(|(i, o)| (&o.label, i));
        for (text, i) in ids.chain(labels) {
            let k = normalise(text);
            if !k.is_empty() && !keys.iter().any(|(x, _)| **x == *k) {
                keys.push((k.into(), i));
            }
        }
        let mut m = OptionMatcher {
            exact: Vec::new(),
            keys,
        };
        let mut buf = String::new();
        // Labels are what exports hold; try them before ids.
        let texts = q
            .option
            .iter()
            .map(|o| &o.label)
            .chain(q.option.iter().map(|o| &o.id));
        for text in texts {
            if let Some(i) = m.find_normalised(text, &mut buf)
                && !m.exact.iter().any(|(x, _)| **x == **text)
            {
                m.exact.push((text.as_str().into(), i));
            }
        }
        m
    }

    fn find_normalised(&self, cell: &str, buf: &mut String) -> Option<usize> {
        normalise_into(cell, buf);
        self.keys
            .iter()
            .find(|(k, _)| **k == **buf)
            .map(|(_, i)| *i)
    }

    /// The option a cell names; `buf` is scratch space reused across cells. When
    /// this returns `None`, `buf` is empty if and only if the cell was blank.
    pub(super) fn find(&self, cell: &str, buf: &mut String) -> Option<usize> {
        buf.clear();
        if cell.is_empty() {
            return None;
        }
        match self.exact.iter().find(|(k, _)| **k == *cell) {
            Some((_, i)) => Some(*i),
            None => self.find_normalised(cell, buf),
        }
    }
}

/// What a column of the export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// The answer to the question at this index of the rubric.
    Answer(usize),
    Respondent,
    Role,
    Organisation,
    /// Anything else (Timestamp, ID, Email, Start time...).
    Ignored,
}

/// The meaning of each column of one export, worked out once from its header row.
#[derive(Debug, Clone)]
pub struct HeaderMap {
    /// The whole export, as named in errors about it.
    pub origin: Origin,
    /// The file as named in its rows' origins.
    file: Arc<Path>,
    /// One entry per header cell.
    pub columns: Vec<Column>,
    /// The headers of the ignored columns, as written.
    pub ignored: Vec<String>,
    rubric_id: String,
    matchers: Vec<OptionMatcher>,
}

/// Each question's id and text, normalised, to its index: the header names that
/// answer it. Texts go in first and ids last, so an id wins if a text equals one.
pub(super) fn question_names(rubric: &LoadedRubric) -> HashMap<String, usize> {
    let questions = &rubric.rubric.question;
    let texts = questions
        .iter()
        .enumerate()
        .map(|(i, q)| (normalise(&q.text), i));
    let ids = questions
        .iter()
        .enumerate()
        .map(|(i, q)| (normalise(&q.id), i));
    texts.chain(ids).collect()
}

impl HeaderMap {
    /// Maps a header row. Fails when no column answers a question of the rubric or
    /// when two columns answer the same question.
    pub fn new(
        rubric: &LoadedRubric,
        path: &Origin,
        headers: &StringRecord,
    ) -> Result<Self, InputError> {
        let r = &rubric.rubric;
        let by_name = question_names(rubric);
        let mut columns = Vec::with_capacity(headers.len());
        let mut ignored = Vec::new();
        let mut seen: Vec<Option<usize>> = vec![None; r.question.len()];
        for (col, h) in headers.iter().enumerate() {
            let key = normalise(h);
            let kind = match by_name.get(&key) {
                Some(&qi) => {
                    if let Some(first) = seen[qi] {
                        return Err(InputError::new(
                            path,
                            format!(
                                "columns {} and {} both answer question `{}`; keep one of them",
                                first + 1,
                                col + 1,
                                r.question[qi].id
                            ),
                        )
                        .at_line(1));
                    }
                    seen[qi] = Some(col);
                    Column::Answer(qi)
                }
                None => match key.as_str() {
                    "respondent" | "name" => Column::Respondent,
                    "role" => Column::Role,
                    "organisation" | "organization" => Column::Organisation,
                    _ => {
                        ignored.push(if key.is_empty() {
                            format!("column {}", col + 1)
                        } else {
                            h.trim().to_string()
                        });
                        Column::Ignored
                    }
                },
            };
            columns.push(kind);
        }
        if seen.iter().all(Option::is_none) {
            let shown_headers: Vec<String> = headers.iter().take(8).map(shown).collect();
            return Err(InputError::new(
                path,
                format!(
                    "no column header names a question of rubric `{}` (by id or text); \
                     the headers are {}{}",
                    r.id,
                    shown_headers.join(", "),
                    if headers.len() > 8 { ", ..." } else { "" }
                ),
            )
            .at_line(1));
        }
        Ok(HeaderMap {
            origin: path.clone(),
            file: path.row_file(),
            columns,
            ignored,
            rubric_id: r.id.clone(),
            matchers: r.question.iter().map(OptionMatcher::new).collect(),
        })
    }

    /// The one warning about ignored columns, if any are.
    pub fn warning(&self) -> Option<Warning> {
        (!self.ignored.is_empty()).then(|| Warning::IgnoredColumns {
            file: self.origin.clone(),
            columns: self.ignored.clone(),
        })
    }

    /// Resolves one row, found at `line` of the file, into a sheet. `buf` is scratch
    /// space the caller keeps across rows.
    pub fn resolve(
        &self,
        rubric: &LoadedRubric,
        line: u64,
        record: &StringRecord,
        buf: &mut String,
    ) -> Result<ResolvedSheet, InputError> {
        let mut row = Row::default();
        self.resolve_into(rubric, line, record, buf, &mut row)?;
        Ok(self.sheet(&row))
    }

    /// Resolves one row into `row`, reusing its buffers: no allocation unless the row
    /// is bad. (A reader thread does this; the thread that scores makes the sheet, so
    /// memory is allocated and freed on one thread.)
    pub fn resolve_into(
        &self,
        rubric: &LoadedRubric,
        line: u64,
        record: &StringRecord,
        buf: &mut String,
        row: &mut Row,
    ) -> Result<(), InputError> {
        row.line = line;
        row.choices.clear();
        row.choices.resize(rubric.rubric.question.len(), None);
        for m in &mut row.meta {
            m.clear();
        }
        for (kind, cell) in self.columns.iter().zip(record.iter()) {
            let field = match kind {
                Column::Ignored => continue,
                Column::Answer(qi) => {
                    match self.matchers[*qi].find(cell, buf) {
                        Some(oi) => row.choices[*qi] = Some(oi),
                        // Normalising left nothing: a blank cell, unanswered.
                        None if buf.is_empty() => {}
                        None => {
                            let source = self.row_origin(line);
                            return Err(unknown_answer(rubric, source, *qi, cell));
                        }
                    }
                    continue;
                }
                Column::Respondent => &mut row.meta[0],
                Column::Role => &mut row.meta[1],
                Column::Organisation => &mut row.meta[2],
            };
            // Where two columns name the respondent (Microsoft's "Name" and a question
            // of one's own), the first one filled in wins.
            if field.is_empty() {
                field.push_str(cell.trim());
            }
        }
        Ok(())
    }

    /// The origin of the row at `line`.
    pub fn row_origin(&self, line: u64) -> Origin {
        Origin::Row {
            file: self.file.clone(),
            line,
        }
    }

    /// The sheet of a resolved row.
    pub fn sheet(&self, row: &Row) -> ResolvedSheet {
        let text = |s: &String| (!s.is_empty()).then(|| s.clone());
        ResolvedSheet {
            source: self.row_origin(row.line),
            sheet: Sheet {
                rubric: self.rubric_id.clone(),
                respondent: text(&row.meta[0]),
                role: text(&row.meta[1]),
                organisation: text(&row.meta[2]),
                ..Sheet::default()
            },
            choices: row.choices.clone(),
            warnings: Vec::new(),
            format: crate::input::sheet::SheetFormat::Csv,
            text: None,
        }
    }
}

/// A row resolved into reusable buffers (see [`HeaderMap::resolve_into`]).
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// The line of the file the row starts on.
    pub line: u64,
    /// Per rubric question, the index of the chosen option.
    pub choices: Vec<Option<usize>>,
    /// Respondent, role and organisation; empty when not given.
    pub meta: [String; 3],
}

fn unknown_answer(rubric: &LoadedRubric, source: Origin, qi: usize, cell: &str) -> InputError {
    let q = &rubric.rubric.question[qi];
    let valid: Vec<String> = q
        .option
        .iter()
        .map(|o| format!("\"{}\" ({})", o.label, o.id))
        .collect();
    InputError::new(
        source,
        format!(
            "unknown answer {}; valid answers (label or id): {}",
            shown(cell),
            valid.join(", ")
        ),
    )
    .with_key(&q.id)
}
