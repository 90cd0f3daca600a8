//! Output formats for scored sheets, behind one [`Sink`] trait so that a run can
//! stream results as they come (csv, json) or gather them for a table.
//!
//! Renderers write to any `io::Write`; the library never prints by itself.

use std::io::{self, Write};

use crate::batch::SheetResult;
use crate::diag::InputError;
use crate::rubric::{Band, LoadedRubric};

pub mod csv;
pub mod json;
pub mod markdown;
pub mod table;
pub mod workshop;

/// The output formats of `score`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
    Markdown,
}

impl Format {
    /// Whether the format shows each sheet's flip (so it is worth computing).
    pub fn shows_flip(self) -> bool {
        matches!(self, Format::Table | Format::Json)
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
pub trait Sink {
    fn result(&mut self, result: &SheetResult) -> io::Result<()>;
    fn error(&mut self, error: &InputError) -> io::Result<()>;
    fn finish(&mut self) -> io::Result<()>;
}

/// The sink for a format.
pub fn sink<'a, W: Write + 'a>(
    format: Format,
    rubric: &'a LoadedRubric,
    style: Style,
    out: W,
) -> Box<dyn Sink + 'a> {
    match format {
        Format::Table => Box::new(table::TableSink::new(rubric, style, out)),
        Format::Json => Box::new(json::JsonSink::new(rubric, out)),
        Format::Csv => Box::new(csv::CsvSink::new(rubric, out)),
        Format::Markdown => Box::new(markdown::MarkdownSink::new(rubric, out)),
    }
}

/// How a factor score leans, by the rubric's band boundaries.
pub fn leaning(rubric: &LoadedRubric, score: f64) -> &'static str {
    match crate::scoring::band_of(&rubric.rubric.scoring, score) {
        Band::Pmo => "PMO",
        Band::Hybrid => "balanced",
        Band::Vmo => "VMO",
    }
}

/// One fired gate as a sentence: `id (caps at Hybrid): message`.
pub fn gate_line(rubric: &LoadedRubric, g: &crate::scoring::FiredGate) -> String {
    let msg = rubric
        .rubric
        .gate
        .iter()
        .find(|x| x.id == g.id)
        .map_or("", |x| x.message.as_str());
    let verb = match g.effect {
        crate::rubric::Effect::Cap => "caps at",
        crate::rubric::Effect::Floor => "raises to at least",
    };
    format!("{} ({verb} {}): {msg}", g.id, g.to.label())
}

/// A number as people read it: one decimal.
pub fn num(x: f64) -> String {
    format!("{x:.1}")
}

/// An optional score: one decimal, or a dash when unanswered.
pub fn opt_num(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), num)
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
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    h.extend(rubric.rubric.factor.iter().map(|f| f.id.clone()));
    h.push("gates".into());
    h
}

/// One summary row; numbers use `fmt`.
pub fn summary_row(r: &SheetResult, fmt: fn(f64) -> String) -> Vec<String> {
    let e = &r.evaluation;
    let mut row = vec![
        r.source.clone(),
        r.respondent.clone().unwrap_or_default(),
        r.role.clone().unwrap_or_default(),
        fmt(e.index),
        e.recommendation.id().to_string(),
        e.band.id().to_string(),
        fmt(e.margin),
        e.answered.to_string(),
        e.questions.to_string(),
    ];
    row.extend(
        e.factors
            .iter()
            .map(|f| f.score.map(fmt).unwrap_or_default()),
    );
    row.push(
        e.gates
            .iter()
            .map(|g| g.id.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    );
    row
}
