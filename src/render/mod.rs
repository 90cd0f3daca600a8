//! Every word and number a person reads. Output formats for scored sheets sit
//! behind one [`Sink`] trait so that a run can stream results as they come (csv,
//! json) or gather them for a table; `check`, `workshop`, the rubric, the blank
//! sheet, the warnings and `form`'s questionnaires have a file each. Figures are
//! formatted in `num`, sentences in `words`, terminal-safe text in `clean`.
//!
//! Renderers write to any `io::Write` or return a `String`; the library never
//! prints by itself.

use std::io::{self, Write};

use crate::diag::InputError;
use crate::result::SheetResult;
use crate::rubric::LoadedRubric;

pub mod blank_sheet;
pub mod check;
pub mod clean;
pub mod compare;
pub mod csv;
pub mod form;
pub mod json;
pub mod markdown;
pub mod num;
pub mod report;
pub mod roadmap;
pub mod rubric;
pub mod table;
pub mod warning;
pub mod words;
pub mod workshop;

use num::{factor_num, index_num, num};

/// The output formats of `score`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    /// `answers`: one more column per question, the option id chosen.
    Csv {
        answers: bool,
    },
    Markdown,
}

impl Format {
    /// Whether the format shows each sheet's flip (so it is worth computing).
    pub fn shows_flip(self) -> bool {
        matches!(self, Format::Table | Format::Json)
    }

    /// Whether the format shows each sheet's roadmap (csv, one row a sheet, does not).
    pub fn shows_roadmap(self) -> bool {
        !matches!(self, Format::Csv { .. })
    }

    /// Whether the format shows the rubric's texts for each sheet (its advice).
    pub fn shows_advice(self) -> bool {
        matches!(self, Format::Table)
    }

    /// Whether the format shows each sheet's answers (JSON's `answers`, the
    /// `--answers` columns of csv).
    pub fn shows_answers(self) -> bool {
        matches!(self, Format::Json | Format::Csv { answers: true })
    }
}

/// How human output should look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Colours and bold text.
    pub color: bool,
    /// The terminal's width; `None` when output is piped (text tables then keep to
    /// 100 columns, the summary table to one line per sheet).
    pub width: Option<u16>,
    /// Show a detailed table for each sheet before the summary: always, never, or
    /// (`None`) only for up to [`table::DETAIL_LIMIT`] sheets.
    pub detail: Option<bool>,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            color: false,
            width: Some(100),
            detail: None,
        }
    }
}

/// Receives results and errors in input order, then `finish`.
pub trait Sink<'r> {
    fn result(&mut self, result: &SheetResult<'r>) -> io::Result<()>;
    /// A result already written by this format's [`row_writer`] (on another
    /// thread). Formats without one refuse it.
    fn rendered(&mut self, row: &[u8]) -> io::Result<()> {
        let _ = row;
        Err(io::Error::other("this format writes no rows ahead"))
    }
    /// Several rows written ahead, in order.
    fn rendered_all(&mut self, rows: &[Vec<u8>]) -> io::Result<()> {
        rows.iter().try_for_each(|row| self.rendered(row))
    }
    fn error(&mut self, error: &InputError) -> io::Result<()>;
    fn finish(&mut self) -> io::Result<()>;
}

/// The sink for a format. `single`: the run is one sheet (one file or stdin), whose
/// failure leaves stdout empty in every format; a batch's JSON lists its errors.
pub fn sink<'a, 'r: 'a, W: Write + 'a>(
    format: Format,
    rubric: &'a LoadedRubric,
    style: Style,
    single: bool,
    out: W,
) -> Box<dyn Sink<'r> + 'a> {
    match format {
        Format::Table => Box::new(table::TableSink::new(rubric, style, out)),
        Format::Json => Box::new(json::JsonSink::new(rubric, out).single(single)),
        Format::Csv { answers } => Box::new(csv::CsvSink::new(rubric, out).answers(answers)),
        Format::Markdown => Box::new(markdown::MarkdownSink::new(rubric, out)),
    }
}

/// Writes one result as its format's row, on any thread: a large export's rows are
/// written on every core, and the sink only copies them out in order.
pub trait RowWriter: Sync {
    fn write(&self, result: &SheetResult, out: &mut Vec<u8>);
}

/// The row writer of a format whose results are rows written one after another
/// (csv, json); `None` for the others, whose sinks need the results themselves.
pub fn row_writer(format: Format, rubric: &LoadedRubric) -> Option<Box<dyn RowWriter + '_>> {
    match format {
        Format::Csv { answers } => Some(Box::new(csv::CsvRow::new(rubric).answers(answers))),
        Format::Json => Some(Box::new(json::JsonRow)),
        Format::Table | Format::Markdown => None,
    }
}

/// The columns shared by the csv and markdown renderers and the summary table.
pub fn summary_header(rubric: &LoadedRubric) -> Vec<String> {
    let mut h: Vec<String> = [
        "source",
        "respondent",
        "role",
        "index",
        "recommendation",
        "band",
        "margin",
        "answered",
        "questions",
        "provisional",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    h.extend(rubric.rubric.factor.iter().map(|f| f.id.clone()));
    h.push("gates".into());
    h
}

/// One summary row. With a rubric, numbers are shown for people ([`index_num`],
/// [`factor_num`]); without, in full (`x.to_string()`).
pub fn summary_row(r: &SheetResult, shown: Option<&LoadedRubric>) -> Vec<String> {
    let e = &r.evaluation;
    let (index, margin, provisional) = match shown {
        Some(rb) => (
            index_num(rb, e.index),
            num(e.margin),
            if e.provisional { "yes" } else { "no" },
        ),
        None => (
            e.index.to_string(),
            e.margin.to_string(),
            if e.provisional { "true" } else { "false" },
        ),
    };
    let mut row = vec![
        r.source.to_string(),
        r.respondent.clone().unwrap_or_default(),
        r.role.clone().unwrap_or_default(),
        index,
        match shown {
            Some(_) if e.provisional => format!("{} (provisional)", e.recommendation.id()),
            _ => e.recommendation.id().to_string(),
        },
        e.band.id().to_string(),
        margin,
        e.answered.to_string(),
        e.questions.to_string(),
        provisional.to_string(),
    ];
    row.extend(e.factors.iter().enumerate().map(|(fi, f)| match shown {
        Some(rb) => f.score.map(|x| factor_num(rb, fi, x)).unwrap_or_default(),
        None => f.score.map(|x| x.to_string()).unwrap_or_default(),
    }));
    row.push(e.gates.iter().map(|g| g.id).collect::<Vec<_>>().join(" "));
    row
}
