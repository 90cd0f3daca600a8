//! One CSV row per sheet, streamed, with cells escaped against spreadsheet formula
//! injection (OWASP: a cell starting with `=`, `+`, `-`, `@`, tab or carriage
//! return is prefixed with a single quote) and cleaned for a terminal, as every
//! text is (a control character is written `\u{1b}`: `score --format csv` is
//! often read on one).

use std::io::{self, Write};

use super::{Output, summary_header};
use crate::diag::InputError;
use crate::result::SheetResult;
use crate::rubric::LoadedRubric;

/// `score --format csv`: a header, then a row per sheet, each written on any
/// thread ([`row`]).
pub(crate) struct CsvOutput<'a, W: Write> {
    rubric: &'a LoadedRubric,
    /// One more column per question, with the option id chosen.
    answers: bool,
    out: W,
    started: bool,
    /// An input failed (said on stderr).
    errored: bool,
    /// One row, reused: a million rows, no allocation per row.
    buf: Vec<u8>,
}

impl<'a, W: Write> CsvOutput<'a, W> {
    /// `answers`: one more column per question (headed by its id), with the
    /// option id chosen.
    pub(crate) fn new(rubric: &'a LoadedRubric, answers: bool, out: W) -> Self {
        CsvOutput {
            rubric,
            answers,
            out,
            started: false,
            errored: false,
            buf: Vec::new(),
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            self.started = true;
            let mut header = summary_header(self.rubric);
            if self.answers {
                header.extend(self.rubric.rubric.question.iter().map(|q| q.id.clone()));
            }
            self.buf.clear();
            for (i, h) in header.iter().enumerate() {
                if i > 0 {
                    self.buf.push(b',');
                }
                field(&mut self.buf, h.as_bytes());
            }
            self.buf.push(b'\n');
            self.out.write_all(&self.buf)?;
        }
        Ok(())
    }
}

/// One result as one CSV line (the cells of `summary_row`, written without
/// building the row: this is the per-row cost of scoring a large export), with one
/// more cell per question when `answers`.
pub(crate) fn row(rubric: &LoadedRubric, answers: bool, result: &SheetResult, out: &mut Vec<u8>) {
    use std::fmt::Write as _;
    out.reserve(256);
    let e = &result.evaluation;
    let mut cell = String::with_capacity(64);
    let _ = write!(cell, "{}", result.source);
    text(out, &cell);
    out.push(b',');
    text(out, result.respondent.as_deref().unwrap_or_default());
    out.push(b',');
    text(out, result.role.as_deref().unwrap_or_default());
    out.push(b',');
    number(out, &mut cell, e.index);
    out.push(b',');
    out.extend_from_slice(e.recommendation.id().as_bytes());
    out.push(b',');
    out.extend_from_slice(e.band.id().as_bytes());
    out.push(b',');
    number(out, &mut cell, e.margin);
    // Two cells: "16/16" in one would read as a date in a spreadsheet.
    cell.clear();
    let provisional = if e.provisional { "true" } else { "false" };
    let _ = write!(cell, ",{},{},{provisional}", e.answered, e.questions);
    out.extend_from_slice(cell.as_bytes());
    for f in &e.factors {
        out.push(b',');
        if let Some(x) = f.score {
            number(out, &mut cell, x);
        }
    }
    cell.clear();
    for (i, g) in e.gates.iter().enumerate() {
        if i > 0 {
            cell.push(' ');
        }
        cell.push_str(g.id);
    }
    out.push(b',');
    text(out, &cell);
    if answers {
        for q in &rubric.rubric.question {
            out.push(b',');
            text(out, result.answers.get(&q.id).unwrap_or_default());
        }
    }
    out.push(b'\n');
}

/// Neutralises a cell a spreadsheet would run as a formula.
pub(crate) fn escape_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    if is_formula(cell.as_bytes()) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

fn is_formula(cell: &[u8]) -> bool {
    matches!(
        cell.first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// Writes one cell as the csv crate writes it: in quotes (doubled inside) when it
/// holds a comma, a quote or a line break.
fn field(out: &mut Vec<u8>, cell: &[u8]) {
    if cell
        .iter()
        .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
    {
        out.push(b'"');
        for &b in cell {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(cell);
    }
}

/// Writes a text cell, cleaned and escaped against formulas.
fn text(out: &mut Vec<u8>, cell: &str) {
    let cell = crate::render::clean::printable(cell);
    field(out, escape_formula(&cell).as_bytes());
}

/// Writes a number cell as `Display` formats it (escaped like any cell, should it
/// be negative); `buf` is scratch space.
fn number(out: &mut Vec<u8>, buf: &mut String, x: f64) {
    buf.clear();
    push_number(buf, x);
    if is_formula(buf.as_bytes()) {
        out.push(b'\'');
    }
    out.extend_from_slice(buf.as_bytes());
}

/// Appends `x` exactly as `format!("{x}")` would, several times faster. ryu finds
/// the shortest digits that read back as `x`, as `Display` does; the notation
/// differs (`50.0` for `50`, exponents, left to `Display`), and when `x` lies exactly
/// halfway between two equally short candidates the two break the tie differently.
/// That can only happen when `x`, written out in full, has exactly one decimal more
/// than the shortest digits; such numbers (never a weighted mean of thirds or
/// ninths, the usual scores) also go to `Display`.
pub(crate) fn push_number(buf: &mut String, x: f64) {
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

impl<'r, W: Write> Output<SheetResult<'r>> for CsvOutput<'_, W> {
    fn item(&mut self, result: &SheetResult<'r>) -> io::Result<()> {
        self.start()?;
        self.buf.clear();
        row(self.rubric, self.answers, result, &mut self.buf);
        self.out.write_all(&self.buf)
    }

    fn rows(&mut self, rows: &[u8]) -> io::Result<()> {
        self.start()?;
        self.out.write_all(rows)
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
    use crate::render::{Output, summary_row};

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
        let rubric = crate::testing::v2();
        let mut choices = vec![Some(4); rubric.rubric.question.len()];
        choices[0] = None;
        choices[5] = Some(0);
        let result = SheetResult {
            source: "a.csv:3".into(),
            respondent: Some("=HYPERLINK(\"x\")\u{1b}]52;c;eA==\u{7}".into()),
            role: Some("-2".into()),
            organisation: None,
            evaluation: crate::scoring::evaluate(&rubric, &choices).unwrap(),
            sensitivity: Vec::new(),
            unknown: Vec::new(),
            context: Default::default(),
            answers: Default::default(),
            notes: Default::default(),
            choices: choices.clone(),
            roadmap: None,
            plan: None,
            advice: crate::advice::Advice::none(),
            texts: None,
        };
        let mut bytes = Vec::new();
        {
            let mut sink = CsvOutput::new(&rubric, false, &mut bytes);
            sink.item(&result).unwrap();
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
    fn number_cells_are_written_as_display_writes_them_and_a_negative_one_escaped() {
        let mut buf = String::new();
        for (x, want) in [
            (47.5, "47.5"),
            (45.454_545_454_545_45, "45.45454545454545"),
            (60.0, "60"),
            (-2.5, "'-2.5"),
            (1e300, &*format!("{}", 1e300)),
        ] {
            let mut out = Vec::new();
            number(&mut out, &mut buf, x);
            assert_eq!(String::from_utf8(out).unwrap(), want);
        }
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
