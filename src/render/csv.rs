//! One CSV row per sheet, streamed, with cells escaped against spreadsheet formula
//! injection (OWASP: a cell starting with `=`, `+`, `-`, `@`, tab or carriage
//! return is prefixed with a single quote).

use std::io::{self, Write};

use super::{Sink, summary_header, summary_row};
use crate::batch::SheetResult;
use crate::diag::InputError;
use crate::rubric::LoadedRubric;

pub struct CsvSink<'a, W: Write> {
    rubric: &'a LoadedRubric,
    out: ::csv::Writer<W>,
    started: bool,
}

impl<'a, W: Write> CsvSink<'a, W> {
    pub fn new(rubric: &'a LoadedRubric, out: W) -> Self {
        CsvSink {
            rubric,
            out: ::csv::Writer::from_writer(out),
            started: false,
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            self.started = true;
            self.out.write_record(summary_header(self.rubric))?;
        }
        Ok(())
    }
}

/// Neutralises a cell a spreadsheet would run as a formula.
pub fn escape_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

fn full(x: f64) -> String {
    x.to_string()
}

impl<W: Write> Sink for CsvSink<'_, W> {
    fn result(&mut self, result: &SheetResult) -> io::Result<()> {
        self.start()?;
        let row = summary_row(result, full);
        self.out
            .write_record(row.iter().map(|c| escape_formula(c).into_owned()))?;
        Ok(())
    }

    fn error(&mut self, _error: &InputError) -> io::Result<()> {
        // Errors go to stderr only; a CSV consumer reads rows.
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.start()?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::escape_formula;

    #[test]
    fn formula_cells_are_quoted() {
        assert_eq!(escape_formula("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(escape_formula("+1"), "'+1");
        assert_eq!(escape_formula("-2"), "'-2");
        assert_eq!(escape_formula("@cmd"), "'@cmd");
        assert_eq!(escape_formula("Jane"), "Jane");
        assert_eq!(escape_formula(""), "");
    }
}
