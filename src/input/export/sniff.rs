//! Which separator an export uses, from its header line: comma, or the semicolon
//! that spreadsheets in decimal-comma locales write.

use csv::StringRecord;

use super::header::{normalise, question_names};
use crate::rubric::LoadedRubric;

/// A line with nothing but white space (and a byte-order mark).
pub(super) fn is_blank(line: &[u8]) -> bool {
    let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    line.iter().all(|b| b.is_ascii_whitespace())
}

/// The separator of an export, from its header line (the first that is not blank):
/// the one of `,` and `;` whose cells name more of the rubric's questions, else the
/// one that separates more cells outside quotes. Spreadsheets in decimal-comma
/// locales save "CSV" with semicolons, and leave commas inside texts unquoted.
pub(super) fn separator(head: &[u8], rubric: &LoadedRubric) -> u8 {
    let line = head
        .split(|&b| b == b'\n')
        .find(|l| !is_blank(l))
        .unwrap_or_default();
    let names = question_names(rubric);
    // Split the way the reader will split it, then count the cells naming a question.
    let split = |sep: u8| {
        let mut header = StringRecord::new();
        let _ = csv::ReaderBuilder::new()
            .has_headers(false)
            .delimiter(sep)
            .from_reader(line)
            .read_record(&mut header);
        let named = header
            .iter()
            .filter(|h| names.contains_key(&normalise(h)))
            .count();
        (named, header.len())
    };
    if split(b';') > split(b',') {
        b';'
    } else {
        b','
    }
}
