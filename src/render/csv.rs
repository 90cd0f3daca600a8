//! One CSV row per sheet, streamed, with cells escaped against spreadsheet formula
//! injection (OWASP: a cell starting with `=`, `+`, `-`, `@`, tab or carriage
//! return is prefixed with a single quote) and cleaned for a terminal, as every
//! text is (a control character is written `\u{1b}`: `score --format csv` is
//! often read on one).

use std::io::{self, Write};

use super::{Sink, summary_header};
use crate::diag::InputError;
use crate::result::SheetResult;
use crate::rubric::LoadedRubric;

pub struct CsvSink<'a, W: Write> {
    rubric: &'a LoadedRubric,
    out: ::csv::Writer<W>,
    started: bool,
    /// An input failed (said on stderr).
    errored: bool,
    /// Scratch space for one cell, reused: a million rows, no allocation per cell.
    cell: String,
    /// Add one column per question with the option id chosen.
    answers: bool,
}

impl<'a, W: Write> CsvSink<'a, W> {
    pub fn new(rubric: &'a LoadedRubric, out: W) -> Self {
        CsvSink {
            rubric,
            out: ::csv::Writer::from_writer(out),
            started: false,
            errored: false,
            cell: String::new(),
            answers: false,
        }
    }

    /// Adds one column per question (headed by its id) with the option id chosen.
    pub fn answers(mut self, answers: bool) -> Self {
        self.answers = answers;
        self
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            self.started = true;
            let mut header = summary_header(self.rubric);
            if self.answers {
                header.extend(self.rubric.rubric.question.iter().map(|q| q.id.clone()));
            }
            self.out.write_record(header).map_err(io_error)?;
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

/// A csv writer error as the I/O error it wraps, so that a closed pipe is still
/// seen as one (`From<csv::Error>` would turn every error into `Other`).
fn io_error(e: ::csv::Error) -> io::Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(e) => e,
        kind => io::Error::other(format!("{kind:?}")),
    }
}

fn is_formula(cell: &[u8]) -> bool {
    matches!(
        cell.first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// Writes a text cell, cleaned and escaped; `buf` is used only when the cell needs
/// escaping.
fn text<W: Write>(out: &mut ::csv::Writer<W>, buf: &mut String, cell: &str) -> io::Result<()> {
    let cell = crate::render::clean::printable(cell);
    let cell = cell.as_ref();
    if is_formula(cell.as_bytes()) {
        buf.clear();
        buf.push('\'');
        buf.push_str(cell);
        out.write_field(buf.as_bytes()).map_err(io_error)?;
    } else {
        out.write_field(cell.as_bytes()).map_err(io_error)?;
    }
    Ok(())
}

/// Writes a number cell, formatted as `Display` formats it (and escaped like any
/// cell, should it be negative).
fn number<W: Write>(out: &mut ::csv::Writer<W>, buf: &mut String, x: f64) -> io::Result<()> {
    buf.clear();
    push_number(buf, x);
    if is_formula(buf.as_bytes()) {
        buf.insert(0, '\'');
    }
    out.write_field(buf.as_bytes()).map_err(io_error)?;
    Ok(())
}

/// Appends `x` exactly as `format!("{x}")` would, several times faster. ryu finds
/// the shortest digits that read back as `x`, as `Display` does; the notation
/// differs (`50.0` for `50`, exponents, left to `Display`), and when `x` lies exactly
/// halfway between two equally short candidates the two break the tie differently.
/// That can only happen when `x`, written out in full, has exactly one decimal more
/// than the shortest digits; such numbers (never a weighted mean of thirds or
/// ninths, the usual scores) also go to `Display`.
pub fn push_number(buf: &mut String, x: f64) {
    if x.is_finite() && x.abs() < 9e15 {
        let mut digits = ryu::Buffer::new();
        let s = digits.format_finite(x);
        let s = s.strip_suffix(".0").unwrap_or(s);
        // One pass for both the exponent and the decimal point.
        let (mut dot, mut exponent) = (None, false);
        for (i, b) in s.bytes().enumerate() {
            match b {
                b'.' => dot = Some(i),
                b'e' => exponent = true,
                _ => {}
            }
        }
        let shown = dot.map_or(0, |dot| s.len() - dot - 1);
        if !exponent && exact_decimals(x) != shown + 1 {
            buf.push_str(s);
            return;
        }
    }
    let _ = std::fmt::Write::write_fmt(buf, format_args!("{x}"));
}

/// How many decimals `x` has written out in full: a double is m * 2^e, and with m
/// odd and e < 0 that is exactly -e decimals (2^-1 = 0.5, 2^-2 = 0.25...).
fn exact_decimals(x: f64) -> usize {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1u64 << 52) - 1);
    let (m, e) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1u64 << 52), biased - 1075)
    };
    if m == 0 {
        return 0;
    }
    let e = e + i64::from(m.trailing_zeros());
    if e < 0 { (-e) as usize } else { 0 }
}

fn push_uint(buf: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for d in &digits[i..] {
        buf.push(char::from(*d));
    }
}

impl<W: Write> Sink for CsvSink<'_, W> {
    fn result(&mut self, result: &SheetResult) -> io::Result<()> {
        self.start()?;
        // The same cells as `summary_row`, written without building the row: this is
        // the per-row cost of scoring a large export.
        let e = &result.evaluation;
        let (out, buf) = (&mut self.out, &mut self.cell);
        text(out, buf, &result.source.to_string())?;
        text(out, buf, result.respondent.as_deref().unwrap_or_default())?;
        text(out, buf, result.role.as_deref().unwrap_or_default())?;
        number(out, buf, e.index)?;
        out.write_field(e.recommendation.id()).map_err(io_error)?;
        out.write_field(e.band.id()).map_err(io_error)?;
        number(out, buf, e.margin)?;
        // Two cells: "16/16" in one would read as a date in a spreadsheet.
        buf.clear();
        push_uint(buf, e.answered as u64);
        out.write_field(buf.as_bytes()).map_err(io_error)?;
        buf.clear();
        push_uint(buf, e.questions as u64);
        out.write_field(buf.as_bytes()).map_err(io_error)?;
        let provisional = if e.provisional { "true" } else { "false" };
        out.write_field(provisional).map_err(io_error)?;
        for f in &e.factors {
            match f.score {
                Some(x) => number(out, buf, x)?,
                None => out.write_field("").map_err(io_error)?,
            }
        }
        buf.clear();
        for (i, g) in e.gates.iter().enumerate() {
            if i > 0 {
                buf.push(' ');
            }
            buf.push_str(&g.id);
        }
        if is_formula(buf.as_bytes()) {
            buf.insert(0, '\'');
        }
        out.write_field(buf.as_bytes()).map_err(io_error)?;
        if self.answers {
            // Option ids are kebab-case: nothing to escape.
            for q in &self.rubric.rubric.question {
                let id = result.answers.get(&q.id).map_or("", String::as_str);
                out.write_field(id).map_err(io_error)?;
            }
        }
        out.write_record(None::<&[u8]>).map_err(io_error)?;
        Ok(())
    }

    fn error(&mut self, _error: &InputError) -> io::Result<()> {
        // Errors go to stderr only; a CSV consumer reads rows.
        self.errored = true;
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        // Nothing scored because the input failed: no lone header on stdout. (Nothing
        // scored and nothing failed, such as an export with no rows, keeps the header.)
        if !self.errored {
            self.start()?;
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{Sink, summary_row};

    proptest::proptest! {
        #[test]
        fn numbers_read_as_display_writes_them(x in proptest::num::f64::ANY, q in 0u32..400_000, neg: bool) {
            let mut buf = String::new();
            push_number(&mut buf, x);
            proptest::prop_assert_eq!(&buf, &x.to_string());
            // Quarters, thirds and thousandths: the numbers scores are made of; and
            // dyadic fractions, where ryu and Display break ties differently.
            let dyadic = (q % 100) as f64 + f64::from(q | 1) / f64::from(1u32 << (q % 31));
            for y in [q as f64 / 4.0, q as f64 / 3.0, q as f64 / 1000.0, q as f64 / 7.0 * 0.1, dyadic] {
                let y = if neg { -y } else { y };
                buf.clear();
                push_number(&mut buf, y);
                proptest::prop_assert_eq!(&buf, &y.to_string());
            }
        }
    }

    #[test]
    fn streamed_row_equals_the_summary_row_escaped() {
        let rubric = LoadedRubric::embedded().unwrap();
        let mut choices = vec![Some(4); rubric.rubric.question.len()];
        choices[0] = None;
        choices[5] = Some(0);
        let result = SheetResult {
            source: "a.csv:3".into(),
            respondent: Some("=HYPERLINK(\"x\")\u{1b}]52;c;eA==\u{7}".into()),
            role: Some("-2".into()),
            organisation: None,
            evaluation: crate::scoring::evaluate(&rubric, &choices).unwrap(),
            flip: None,
            answers: Default::default(),
            notes: Default::default(),
            roadmap: None,
            advice: crate::advice::for_sheet(
                &rubric,
                &crate::scoring::evaluate(&rubric, &choices).unwrap(),
                &choices,
            ),
        };
        let mut bytes = Vec::new();
        {
            let mut sink = CsvSink::new(&rubric, &mut bytes);
            sink.result(&result).unwrap();
            sink.finish().unwrap();
        }
        let mut expected = ::csv::Writer::from_writer(Vec::new());
        expected.write_record(summary_header(&rubric)).unwrap();
        expected
            .write_record(
                summary_row(&result, None)
                    .iter()
                    .map(|c| escape_formula(&crate::render::clean::printable(c)).into_owned()),
            )
            .unwrap();
        let expected = String::from_utf8(expected.into_inner().unwrap()).unwrap();
        let got = String::from_utf8(bytes).unwrap();
        assert_eq!(got, expected);
        assert!(
            got.contains("\"'=HYPERLINK(\"\"x\"\")\\u{1b}]52;c;eA==\\u{7}\",'-2,"),
            "{got}"
        );
        assert!(!got.contains('\u{1b}'), "{got}");
    }

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
