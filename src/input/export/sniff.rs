//! How an export is laid out, from its first bytes: which separator (comma, the
//! semicolon that spreadsheets in decimal-comma locales write, or tab), whether
//! Excel's `sep=X` line comes first, and whether lines end in a bare CR.

use std::collections::HashMap;

use csv::StringRecord;

use super::header::{name_of, question_names};
use crate::rubric::LoadedRubric;

/// A line with nothing but white space (and a byte-order mark).
pub(super) fn is_blank(line: &[u8]) -> bool {
    let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    line.iter().all(|b| b.is_ascii_whitespace())
}

/// What the first bytes of an export (as UTF-8) say about its layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Layout {
    pub(crate) delimiter: u8,
    /// The first line is Excel's `sep=X`, not the header.
    pub(crate) sep_line: bool,
    /// Lines end in a bare CR (classic Mac): rows are numbered by CRs.
    pub(crate) bare_cr: bool,
}

/// The lines of `head`, split at LF, CRLF or a bare CR.
fn lines(head: &[u8]) -> impl Iterator<Item = &[u8]> {
    head.split(|&b| b == b'\n')
        .flat_map(|l| l.split(|&b| b == b'\r'))
}

/// The layout of an export from its first bytes. `prefer_tab` (a `.tsv` or `.txt`
/// file) breaks a tie in favour of tab.
pub(super) fn layout(head: &[u8], rubric: &LoadedRubric, prefer_tab: bool) -> Layout {
    let mut first = lines(head).filter(|l| !is_blank(l));
    let line = first.next().unwrap_or_default();
    let bare = line
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(line)
        .trim_ascii();
    let sep = match bare {
        [s, e, p, b'=', x] if [s, e, p].map(u8::to_ascii_lowercase) == [b's', b'e', b'p'] => {
            Some(*x)
        }
        _ => None,
    };
    // The first line end decides: a CR followed by something other than LF.
    let bare_cr = head
        .iter()
        .position(|&b| b == b'\r' || b == b'\n')
        .is_some_and(|i| head[i] == b'\r' && head.get(i + 1).is_some_and(|&b| b != b'\n'));
    match sep {
        Some(delimiter) => Layout {
            delimiter,
            sep_line: true,
            bare_cr,
        },
        None => Layout {
            delimiter: separator_of(line, rubric, prefer_tab),
            sep_line: false,
            bare_cr,
        },
    }
}

/// How many of the header's cells name a question of the rubric, split as
/// [`layout`] finds the header.
pub(super) fn named_in_header(head: &[u8], rubric: &LoadedRubric, prefer_tab: bool) -> usize {
    let layout = layout(head, rubric, prefer_tab);
    let Some(line) = lines(head)
        .filter(|l| !is_blank(l))
        .nth(usize::from(layout.sep_line))
    else {
        return 0;
    };
    cells_naming(line, layout.delimiter, &question_names(rubric)).0
}

/// A header line split as the reader splits it: the cells naming a question, and
/// all of its cells.
fn cells_naming(line: &[u8], sep: u8, names: &HashMap<String, usize>) -> (usize, usize) {
    let mut header = StringRecord::new();
    let _ = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(sep)
        .from_reader(line)
        .read_record(&mut header);
    let named = header
        .iter()
        .filter(|h| name_of(names, h).is_some())
        .count();
    (named, header.len())
}

/// The separator of an export from its head, preferring comma on a tie.
#[cfg(test)]
pub(super) fn separator(head: &[u8], rubric: &LoadedRubric) -> u8 {
    layout(head, rubric, false).delimiter
}

/// The separator of a header line: the one of `,`, `;` and tab whose cells name
/// more of the rubric's questions, else the one that separates more cells outside
/// quotes, else comma (tab for `prefer_tab`). Spreadsheets in decimal-comma locales
/// save "CSV" with semicolons and leave commas inside texts unquoted.
fn separator_of(line: &[u8], rubric: &LoadedRubric, prefer_tab: bool) -> u8 {
    let names = question_names(rubric);
    // Split the way the reader will split it, then count the cells naming a question.
    let split = |sep: u8| cells_naming(line, sep, &names);
    let order: [u8; 3] = if prefer_tab {
        [b'\t', b',', b';']
    } else {
        [b',', b';', b'\t']
    };
    let mut best = order[0];
    let mut best_score = split(best);
    for sep in &order[1..] {
        let score = split(*sep);
        if score > best_score {
            (best, best_score) = (*sep, score);
        }
    }
    best
}
