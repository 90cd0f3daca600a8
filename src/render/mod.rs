//! Every word and number a person reads. The results of `score`, `check`,
//! `workshop` and `compare` go out through one [`Output`] trait, made for a
//! [`Format`] by one dispatch ([`output`], each result type listing its formats in
//! its [`Shown`] impl below), so that a run streams its items as they come (csv,
//! json, check's lines) or gathers them (a table). The rubric, the blank sheet, the
//! warnings and `form`'s questionnaires have a file each. Figures are formatted in
//! `num`, sentences in `words`, terminal-safe text in `clean`.
//!
//! Renderers write to any `io::Write` or return a `String`; the library never
//! prints by itself.

use std::io::{self, Write};

use crate::diag::InputError;
use crate::result::{Extras, SheetResult};
use crate::rubric::{Band, LoadedRubric};

pub mod blank_sheet;
pub(crate) mod check;
pub mod clean;
pub(crate) mod compare;
pub(crate) mod csv;
pub mod diag;
pub mod form;
pub(crate) mod json;
pub(crate) mod markdown;
pub use markdown::tracker_markdown;
pub(crate) mod num;
pub mod plan;
pub mod report;
pub(crate) mod roadmap;
pub mod rubric;
pub(crate) mod serve;
pub mod table;
pub mod warning;
pub mod words;
pub mod workshop;

use num::{factor_num, index_num, num};

/// The output formats; each command offers those that fit its results (see
/// `args.rs`), and [`output`] refuses any other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A table for people (`score`, `workshop`, `compare`).
    Table,
    /// The JSON document of the command's results.
    Json,
    /// `answers`: one more column per question, the option id chosen.
    Csv {
        /// One more column per question, the option id chosen.
        answers: bool,
    },
    /// A GitHub-flavoured Markdown table.
    Markdown,
    /// `check`'s line per sheet.
    Text,
    /// `check`'s JUnit XML.
    Junit,
    /// `check`'s GitHub workflow commands (annotations).
    Github,
}

impl Format {
    /// What a scored sheet must carry for this format to show it: how firm it is
    /// (table and JSON), the roadmap (not csv, one row a sheet) towards `target`, the
    /// answers (JSON, csv's `--answers`) and the rubric's texts (table and markdown).
    pub fn extras(self, target: Option<Band>) -> Extras {
        Extras {
            sensitivity: matches!(self, Format::Table | Format::Json),
            roadmap: !matches!(self, Format::Csv { .. }),
            target,
            answers: matches!(self, Format::Json | Format::Csv { answers: true }),
            advice: matches!(self, Format::Table | Format::Markdown),
            texts: false,
        }
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

/// What every output is made with.
#[derive(Debug, Clone, Copy)]
pub struct Setup<'a> {
    /// The rubric the results were scored with.
    pub rubric: &'a LoadedRubric,
    /// How output for people looks (colour, width, detail).
    pub style: Style,
    /// The run is one sheet (one file or stdin), whose failure leaves stdout empty
    /// in every format; a batch's JSON lists its errors.
    pub single: bool,
}

/// A command's output in one format: the items of a run in input order (scored
/// sheets, verdicts; a group result or a comparison is one item), the inputs that
/// failed, then the end.
pub trait Output<T> {
    /// One item of the run, in input order.
    fn item(&mut self, item: &T) -> io::Result<()>;
    /// Items this format wrote ahead as rows ([`Shown::row`], on the threads that
    /// made them), in order. Formats without rows refuse them.
    fn rows(&mut self, rows: &[u8]) -> io::Result<()> {
        let _ = rows;
        Err(io::Error::other("this format writes no rows ahead"))
    }
    /// An input that failed, in input order among the items.
    fn error(&mut self, error: &InputError) -> io::Result<()>;
    /// The end of the run: whatever the format writes last (counts, a closing bracket).
    fn finish(&mut self) -> io::Result<()>;
}

/// A result type that some formats write: where a format meets its file.
pub trait Shown: Sized {
    /// The output of `format` for this type; `None` when the format does not fit
    /// it.
    fn output<'a>(
        format: Format,
        setup: Setup<'a>,
        out: Box<dyn Write + 'a>,
    ) -> Option<Box<dyn Output<Self> + 'a>>
    where
        Self: 'a;

    /// `item` as its format's row, where each item stands alone as a row (`score`'s
    /// csv and JSON): written on any thread, where the item is made (a large
    /// export's rows on every core), and handed to [`Output::rows`] in order.
    /// `false`: this format has no rows, and nothing was written.
    fn row(format: Format, rubric: &LoadedRubric, item: &Self, out: &mut Vec<u8>) -> bool {
        let _ = (format, rubric, item, out);
        false
    }
}

/// The output of `format` for items of type `T`, writing to `out`.
pub fn output<'a, T: Shown + 'a>(
    format: Format,
    setup: Setup<'a>,
    out: impl Write + 'a,
) -> Option<Box<dyn Output<T> + 'a>> {
    T::output(format, setup, Box::new(out))
}

impl<'r> Shown for SheetResult<'r> {
    fn output<'a>(
        format: Format,
        setup: Setup<'a>,
        out: Box<dyn Write + 'a>,
    ) -> Option<Box<dyn Output<Self> + 'a>>
    where
        Self: 'a,
    {
        let Setup { rubric, style, .. } = setup;
        Some(match format {
            Format::Table => Box::new(table::TableOutput::new(rubric, style, out)),
            Format::Json => Box::new(json::JsonOutput::new(rubric, out).single(setup.single)),
            Format::Csv { answers } => Box::new(csv::CsvOutput::new(rubric, answers, out)),
            Format::Markdown => Box::new(markdown::MarkdownOutput::new(rubric, out)),
            Format::Text | Format::Junit | Format::Github => return None,
        })
    }

    fn row(format: Format, rubric: &LoadedRubric, item: &Self, out: &mut Vec<u8>) -> bool {
        match format {
            Format::Json => json::row(item, out),
            Format::Csv { answers } => csv::row(rubric, answers, item, out),
            _ => return false,
        }
        true
    }
}

/// A sheet scored for `score`'s output: its row, already written (csv, json), or
/// the result, for an output that gathers results (a table, Markdown).
pub enum Ready<'r> {
    /// The sheet's row, written on the thread that scored it.
    Row(Vec<u8>),
    /// The scored sheet itself.
    Result(Box<SheetResult<'r>>),
}

/// A scored sheet ready for `score`'s output in `format`: written as its row where
/// the format's rows stand alone (csv, json), else kept whole. `score` calls this
/// on the thread that scored the sheet (every core, for an export); the benchmark
/// and the allocation budget measure it with the scoring.
pub fn ready<'r>(format: Format, rubric: &LoadedRubric, result: SheetResult<'r>) -> Ready<'r> {
    let mut row = Vec::new();
    if SheetResult::row(format, rubric, &result, &mut row) {
        Ready::Row(row)
    } else {
        Ready::Result(Box::new(result))
    }
}

impl<'r> Shown for crate::check::Checked<'r> {
    fn output<'a>(
        format: Format,
        setup: Setup<'a>,
        out: Box<dyn Write + 'a>,
    ) -> Option<Box<dyn Output<Self> + 'a>>
    where
        Self: 'a,
    {
        let rubric = setup.rubric;
        Some(match format {
            Format::Text => Box::new(check::text::TextVerdicts::new(rubric, out)),
            Format::Json => Box::new(check::json::JsonVerdicts::new(rubric, out)),
            Format::Junit => Box::new(check::junit::JunitVerdicts::new(rubric, out)),
            Format::Github => Box::new(check::github::GithubVerdicts::new(rubric, out)),
            Format::Table | Format::Csv { .. } | Format::Markdown => return None,
        })
    }
}

impl<'r> Shown for crate::workshop::Workshop<'r> {
    fn output<'a>(
        format: Format,
        setup: Setup<'a>,
        out: Box<dyn Write + 'a>,
    ) -> Option<Box<dyn Output<Self> + 'a>>
    where
        Self: 'a,
    {
        let Setup { rubric, style, .. } = setup;
        let text: Box<dyn Fn(&Self) -> String + 'a> = match format {
            Format::Json => Box::new(workshop::json),
            Format::Markdown => Box::new(move |w| workshop::markdown(rubric, w)),
            Format::Table => Box::new(move |w| workshop::table(rubric, w, style)),
            _ => return None,
        };
        Some(Box::new(Whole { text, out }))
    }
}

impl Shown for crate::compare::Comparison {
    fn output<'a>(
        format: Format,
        setup: Setup<'a>,
        out: Box<dyn Write + 'a>,
    ) -> Option<Box<dyn Output<Self> + 'a>>
    where
        Self: 'a,
    {
        let Setup { rubric, style, .. } = setup;
        let text: Box<dyn Fn(&Self) -> String + 'a> = match format {
            Format::Json => Box::new(compare::json),
            Format::Markdown => Box::new(move |c| compare::markdown(rubric, c)),
            Format::Table => Box::new(move |c| compare::table(rubric, c, style)),
            _ => return None,
        };
        Some(Box::new(Whole { text, out }))
    }
}

/// The output of a result that is written whole, as one text (a group result, a
/// comparison).
struct Whole<'a, T> {
    text: Box<dyn Fn(&T) -> String + 'a>,
    out: Box<dyn Write + 'a>,
}

impl<T> Output<T> for Whole<'_, T> {
    fn item(&mut self, item: &T) -> io::Result<()> {
        self.out.write_all((self.text)(item).as_bytes())
    }

    fn error(&mut self, _error: &InputError) -> io::Result<()> {
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// The columns shared by the csv and markdown renderers and the summary table.
pub(crate) fn summary_header(rubric: &LoadedRubric) -> Vec<String> {
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
pub(crate) fn summary_row(r: &SheetResult, shown: Option<&LoadedRubric>) -> Vec<String> {
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
