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

/// The sink for a format. `single`: the run is one sheet (one file or stdin), whose
/// failure leaves stdout empty in every format; a batch's JSON lists its errors.
pub fn sink<'a, W: Write + 'a>(
    format: Format,
    rubric: &'a LoadedRubric,
    style: Style,
    single: bool,
    out: W,
) -> Box<dyn Sink + 'a> {
    match format {
        Format::Table => Box::new(table::TableSink::new(rubric, style, out)),
        Format::Json => Box::new(json::JsonSink::new(rubric, out).single(single)),
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
    fixed(x, 1)
}

/// `x` with `decimals` decimals, halves rounded away from zero as people do on paper
/// (21.25 reads 21.3, like 18.75 reads 18.8; Rust's own formatting rounds the first
/// down, to even).
pub fn fixed(x: f64, decimals: usize) -> String {
    let scale = 10f64.powi(decimals as i32);
    let r = (x * scale).round() / scale;
    if !r.is_finite() {
        return format!("{x:.decimals$}");
    }
    // No "-0.0" for a tiny negative.
    let r = if r == 0.0 { 0.0 } else { r };
    format!("{r:.decimals$}")
}

/// One decimal, or as many more as it takes for the figure shown to stay on the same
/// side of every threshold as the figure itself: an index of 59.96 under a VMO
/// boundary of 60 reads "59.96", not "60.0" beside a Hybrid result.
pub fn num_beside(x: f64, thresholds: &[f64]) -> String {
    use crate::scoring::reaches;
    for decimals in 1..=6 {
        let s = fixed(x, decimals);
        let r: f64 = s.parse().unwrap_or(x);
        if thresholds.iter().all(|&t| reaches(x, t) == reaches(r, t)) {
            return s;
        }
    }
    x.to_string()
}

/// An index as people read it, kept on its side of the band boundaries.
pub fn index_num(rubric: &LoadedRubric, x: f64) -> String {
    let s = &rubric.rubric.scoring;
    num_beside(x, &[s.hybrid_from, s.vmo_from])
}

/// An index inside a sentence: as [`index_num`], except that one a hair under a
/// boundary (less than 0.05, where one decimal would round it onto the boundary)
/// reads "just under 60.0" rather than "59.9999995".
pub fn index_words(rubric: &LoadedRubric, x: f64) -> String {
    let s = &rubric.rubric.scoring;
    for b in [s.hybrid_from, s.vmo_from] {
        if !crate::scoring::reaches(x, b) && b - x < 0.05 {
            return format!("just under {}", setting_num(b));
        }
    }
    index_num(rubric, x)
}

/// Factor `fi`'s score as people read it, kept on its side of the band boundaries
/// (which set its leaning) and of the thresholds of the gates on that factor.
pub fn factor_num(rubric: &LoadedRubric, fi: usize, x: f64) -> String {
    let r = &rubric.rubric;
    let mut t = vec![r.scoring.hybrid_from, r.scoring.vmo_from];
    for (g, &gf) in r.gate.iter().zip(&rubric.gate_factor) {
        if gf == fi {
            t.extend(g.below.iter().chain(&g.at_least));
        }
    }
    num_beside(x, &t)
}

/// A rubric setting (a weight, a band boundary, a gate threshold) as written: one
/// decimal when that is exact (1.0, 0.5), otherwise in full (0.25, 33.33, 0.000001),
/// since a setting is not a measurement and rounding it can misstate it.
pub fn setting_num(w: f64) -> String {
    let s = num(w);
    if s.parse::<f64>() == Ok(w) {
        s
    } else {
        w.to_string()
    }
}

/// Factor `fi`'s score as [`factor_num`], or a dash when unanswered.
pub fn opt_factor_num(rubric: &LoadedRubric, fi: usize, x: Option<f64>) -> String {
    x.map_or_else(|| "-".into(), |x| factor_num(rubric, fi, x))
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

/// One summary row. With a rubric, numbers are shown for people ([`index_num`],
/// [`factor_num`]); without, in full (`x.to_string()`).
pub fn summary_row(r: &SheetResult, shown: Option<&LoadedRubric>) -> Vec<String> {
    let e = &r.evaluation;
    let (index, margin) = match shown {
        Some(rb) => (index_num(rb, e.index), num(e.margin)),
        None => (e.index.to_string(), e.margin.to_string()),
    };
    let mut row = vec![
        r.source.clone(),
        r.respondent.clone().unwrap_or_default(),
        r.role.clone().unwrap_or_default(),
        index,
        e.recommendation.id().to_string(),
        e.band.id().to_string(),
        margin,
        e.answered.to_string(),
        e.questions.to_string(),
    ];
    row.extend(e.factors.iter().enumerate().map(|(fi, f)| match shown {
        Some(rb) => f.score.map(|x| factor_num(rb, fi, x)).unwrap_or_default(),
        None => f.score.map(|x| x.to_string()).unwrap_or_default(),
    }));
    row.push(
        e.gates
            .iter()
            .map(|g| g.id.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    );
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shown_figure_stays_on_its_side_of_every_threshold() {
        let t = [40.0, 60.0];
        // One decimal where it cannot mislead.
        assert_eq!(num_beside(47.26, &t), "47.3");
        assert_eq!(num_beside(60.04, &t), "60.0");
        assert_eq!(num_beside(40.0, &t), "40.0");
        // Just under a boundary: as many decimals as it takes.
        assert_eq!(num_beside(59.96, &t), "59.96");
        assert_eq!(num_beside(39.9996, &t), "39.9996");
        assert_eq!(num_beside(60.0 - 1e-7, &t), (60.0 - 1e-7).to_string());
        // A rounding error under it counts as on it (scoring::TOLERANCE).
        assert_eq!(num_beside(59.99999999999999, &t), "60.0");
    }

    #[test]
    fn halves_round_away_from_zero() {
        assert_eq!(num(21.25), "21.3");
        assert_eq!(num(18.75), "18.8");
        assert_eq!(num(47.26), "47.3");
        assert_eq!(num(-0.04), "0.0");
        assert_eq!(fixed(59.995, 2), "60.00");
        assert_eq!(num(f64::NAN), "NaN");
    }

    #[test]
    fn a_small_weight_is_never_shown_as_zero() {
        assert_eq!(setting_num(1.0), "1.0");
        assert_eq!(setting_num(0.25), "0.25");
        assert_eq!(setting_num(0.000001), "0.000001");
        assert_eq!(setting_num(0.01), "0.01");
        // A band boundary at a third reads as written, not as 33.3.
        assert_eq!(setting_num(33.33), "33.33");
        assert_eq!(setting_num(40.0), "40.0");
    }

    #[test]
    fn factor_scores_respect_their_gates_and_indexes_the_bands() {
        let r = crate::scoring::tests::small();
        // small: bands 40/60, gate `a-weak` below 30 on factor a (0), `b-strong` at 90 on b.
        assert_eq!(factor_num(&r, 0, 29.97), "29.97");
        assert_eq!(factor_num(&r, 1, 29.97), "30.0");
        assert_eq!(factor_num(&r, 1, 89.96), "89.96");
        assert_eq!(index_num(&r, 29.97), "30.0");
        assert_eq!(index_num(&r, 39.97), "39.97");
        assert_eq!(index_words(&r, 39.97), "just under 40.0");
        assert_eq!(index_words(&r, 60.0 - 1e-7), "just under 60.0");
        assert_eq!(index_words(&r, 59.94), "59.9");
        assert_eq!(index_words(&r, 60.0), "60.0");
    }
}
