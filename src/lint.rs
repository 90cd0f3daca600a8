//! Lints for a rubric that is valid but probably not what its author meant:
//! options that cannot be told apart, factors and bands that no answer can reach,
//! gates that never fire, outcomes with nothing to do next.
//!
//! Each finding has a stable kebab-case code (scripts and reviewers rely on it)
//! and points at a line of the rubric file.

use crate::diag::{Seg, TomlMap};

mod judgement;
use crate::rubric::{Band, LoadedRubric, Question, Scoring, Target};
pub use judgement::leading_word_in;

/// One lint finding: where, and what (worded by `render::diag`, which also
/// writes it as JSON: `source`, `line`, `code`, `message`).
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The rubric file.
    pub(crate) source: String,
    /// 1-based line, where known.
    pub(crate) line: Option<usize>,
    pub(crate) lint: Lint,
}

/// A gate's threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Threshold {
    Below(f64),
    AtLeast(f64),
}

/// What a lint found, with the values its message needs.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lint {
    /// `empty-band`: hybrid-from at or below 0 leaves no pmo band.
    HybridFromAtZero { hybrid_from: f64 },
    /// `empty-band`: hybrid-from and vmo-from meet at `at`.
    NoHybridBand { at: f64 },
    /// `empty-band`: vmo-from above 100.
    VmoFromAbove100 { vmo_from: f64 },
    /// `empty-band`: the index runs from `lo` to `hi`, never into `band`.
    UnreachableBand {
        lo: f64,
        hi: f64,
        band: Band,
        scoring: Scoring,
    },
    /// `duplicate-option-score`.
    DuplicateOptionScore {
        question: String,
        first: String,
        second: String,
        score: f64,
    },
    /// `factor-cannot-reach-band`.
    FactorCannotReachBand {
        factor: String,
        lo: f64,
        hi: f64,
        band: Band,
        scoring: Scoring,
    },
    /// `gate-never-fires`: the gate's target (a question when `on_question`, else a
    /// factor) scores from `lo` to `hi`.
    GateNeverFires {
        gate: String,
        threshold: Threshold,
        on_question: bool,
        target: String,
        lo: f64,
        hi: f64,
    },
    /// `gate-always-fires`, with the same values.
    GateAlwaysFires {
        gate: String,
        threshold: Threshold,
        on_question: bool,
        target: String,
        lo: f64,
        hi: f64,
    },
    /// `gate-has-no-effect`: a cap at the highest band.
    CapAtTop { gate: String },
    /// `gate-has-no-effect`: a floor at the lowest band.
    FloorAtBottom { gate: String },
    /// `missing-next-steps`.
    MissingNextSteps { band: Band },
    /// `missing-improve`: `count` options lack one; the first (at most three), as
    /// (question, option).
    MissingImprove {
        count: usize,
        first: Vec<(String, String)>,
    },
    /// `duplicate-option-label`.
    DuplicateOptionLabel {
        question: String,
        first: String,
        second: String,
    },
    /// `label-is-another-option-id`.
    LabelIsAnotherOptionId {
        question: String,
        option: String,
        label: String,
        other: String,
    },
    /// `duplicate-question-text`.
    DuplicateQuestionText { first: String, second: String },
    /// `empty-text`: a question's.
    NoQuestionText { question: String },
    /// `empty-text`: an option's label.
    NoOptionLabel { question: String, option: String },
    /// `empty-text`: next step `n` (1-based) of a recommendation.
    EmptyNextStep { band: Band, n: usize },
    /// `unreachable-outcome`: every sheet this outcome rule would match is
    /// matched by earlier rules (or its conditions contradict each other).
    UnreachableOutcome { outcome: String },
    /// `respondent-header`: a question whose text or id (`field`) is a header an
    /// export reads as a respondent field, which the Google Form asks for itself.
    RespondentHeader {
        question: String,
        field: &'static str,
        value: String,
        about: crate::text::AboutField,
    },
    /// `leading-word`: respondent text that says or hints how answers count.
    LeadingWord {
        /// Where: the questionnaire, a factor, a question or an option.
        place: TextPlace,
        /// Which text: `title`, `description`, `text`, `help` or `label`.
        field: &'static str,
        word: String,
    },
}

/// Where a respondent text is, by ids (a [`crate::rubric::respondent::Field`]
/// that outlives the rubric).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextPlace {
    /// The questionnaire's own title or description.
    Questionnaire,
    /// A factor, by id.
    Factor(String),
    /// A question, by id.
    Question(String),
    /// An option: its question's id and its own.
    Option(String, String),
}

impl Lint {
    /// Its stable kebab-case code (one of [`CODES`]).
    pub(crate) fn code(&self) -> &'static str {
        match self {
            Lint::HybridFromAtZero { .. }
            | Lint::NoHybridBand { .. }
            | Lint::VmoFromAbove100 { .. }
            | Lint::UnreachableBand { .. } => "empty-band",
            Lint::DuplicateOptionScore { .. } => "duplicate-option-score",
            Lint::FactorCannotReachBand { .. } => "factor-cannot-reach-band",
            Lint::GateNeverFires { .. } => "gate-never-fires",
            Lint::GateAlwaysFires { .. } => "gate-always-fires",
            Lint::CapAtTop { .. } | Lint::FloorAtBottom { .. } => "gate-has-no-effect",
            Lint::MissingNextSteps { .. } => "missing-next-steps",
            Lint::MissingImprove { .. } => "missing-improve",
            Lint::DuplicateOptionLabel { .. } => "duplicate-option-label",
            Lint::LabelIsAnotherOptionId { .. } => "label-is-another-option-id",
            Lint::DuplicateQuestionText { .. } => "duplicate-question-text",
            Lint::NoQuestionText { .. }
            | Lint::NoOptionLabel { .. }
            | Lint::EmptyNextStep { .. } => "empty-text",
            Lint::UnreachableOutcome { .. } => "unreachable-outcome",
            Lint::LeadingWord { .. } => "leading-word",
            Lint::RespondentHeader { .. } => "respondent-header",
        }
    }
}

/// Every code [`lint`] can report, for documentation and tests.
pub const CODES: [&str; 15] = [
    "respondent-header",
    "unreachable-outcome",
    "leading-word",
    "duplicate-option-score",
    "duplicate-option-label",
    "label-is-another-option-id",
    "duplicate-question-text",
    "empty-text",
    "factor-cannot-reach-band",
    "gate-never-fires",
    "gate-always-fires",
    "gate-has-no-effect",
    "missing-next-steps",
    "empty-band",
    "missing-improve",
];

fn k(s: &str) -> Seg {
    Seg::Key(s.to_string())
}

/// The half-open index interval of each band, `[from, to)`; vmo includes 100.
fn band_range(s: &Scoring, band: Band) -> (f64, f64) {
    match band {
        Band::Pmo => (0.0, s.hybrid_from),
        Band::Hybrid => (s.hybrid_from, s.vmo_from),
        Band::Vmo => (s.vmo_from, f64::INFINITY),
        // Off the index's ladder: no index falls in them.
        Band::None | Band::Both | Band::Federated => (f64::INFINITY, f64::INFINITY),
    }
}

fn band_is_empty(s: &Scoring, band: Band) -> bool {
    let (from, to) = band_range(s, band);
    from >= to || from > 100.0
}

/// Whether some score in `lo..=hi` falls in the band.
fn reaches(s: &Scoring, band: Band, lo: f64, hi: f64) -> bool {
    use crate::scoring::reaches as at_or_above;
    let (from, to) = band_range(s, band);
    at_or_above(hi, from) && !at_or_above(lo, to)
}

/// The lowest and highest score each factor can get from any set of answers.
///
/// A factor's score is a weighted mean over its answered questions, so it always
/// lies between the lowest and the highest option score of those questions, and
/// answering a single question reaches either end.
pub(crate) fn factor_ranges(rubric: &LoadedRubric) -> Vec<(f64, f64)> {
    let mut ranges = vec![(f64::INFINITY, f64::NEG_INFINITY); rubric.rubric.factor.len()];
    for (q, fi) in rubric.rubric.question.iter().zip(rubric.question_factors()) {
        let Some(fi) = *fi else { continue };
        for o in &q.option {
            ranges[fi].0 = ranges[fi].0.min(o.score);
            ranges[fi].1 = ranges[fi].1.max(o.score);
        }
    }
    ranges
}

/// The lowest and highest score of a question's options.
fn question_range(q: &Question) -> (f64, f64) {
    q.option
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), o| {
            (lo.min(o.score), hi.max(o.score))
        })
}

/// Lints a validated rubric; empty when nothing is found.
pub fn lint(rubric: &LoadedRubric) -> Vec<Finding> {
    let text = rubric.text();
    let mut l = Lints {
        rubric,
        map: TomlMap::parse(text),
        line_starts: std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect(),
        out: Vec::new(),
    };
    let ranges = factor_ranges(rubric);
    // Bands first: the other lints skip bands that are empty anyway. Where
    // outcome rules decide (format 3), the index's bands decide nothing.
    if !rubric.has_outcomes() {
        l.empty_threshold_bands();
        let open_bands = l.unreachable_index_bands(&ranges);
        l.factors_that_cannot_reach_bands(&ranges, &open_bands);
    }
    l.duplicate_option_scores();
    for gi in 0..rubric.rubric.gate.len() {
        let range = match (rubric.gate_targets()[gi], &rubric.gate_conds()[gi].test) {
            (_, crate::rubric::Test::Is(_)) => None,
            (Target::Factor(fi), _) => Some(ranges[fi]),
            (Target::Question(qi), _) => Some(question_range(&rubric.rubric.question[qi])),
            (Target::Axis(_), _) => None,
        };
        if let Some(range) = range {
            l.gate_that_always_or_never_fires(gi, range);
        }
        l.gate_with_no_effect(gi);
    }
    crate::lint::judgement::lint(&mut l);
    l.missing_next_steps();
    l.missing_improve();
    l.ambiguous_options();
    l.duplicate_question_texts();
    l.respondent_headers();
    l.empty_texts();

    let mut out = l.out;
    out.sort_by_key(|f| f.line.unwrap_or(0));
    out
}

/// The findings gathered so far, and the rubric's map to give each one a line.
struct Lints<'a> {
    rubric: &'a LoadedRubric,
    map: Option<TomlMap<'a>>,
    /// Where each line of the rubric's text starts (byte offsets).
    line_starts: Vec<usize>,
    out: Vec<Finding>,
}

impl Lints<'_> {
    /// The 1-based line of a key (or its value) in the rubric file, if found.
    fn line(&self, path: &[Seg], key: bool) -> Option<usize> {
        let span = self.map.as_ref()?.span(path, key)?;
        // The lines before the offset, found by halving, not by counting from the
        // start of the file for every finding.
        Some(self.line_starts.partition_point(|&s| s <= span.start))
    }

    /// The line of key `key` of option `oi` of question `qi`.
    fn option_line(&self, qi: usize, oi: usize, key: &str) -> Option<usize> {
        let path = [
            k("question"),
            Seg::Index(qi),
            k("option"),
            Seg::Index(oi),
            k(key),
        ];
        self.line(&path, false)
    }

    /// Records one finding against the rubric file.
    fn push(&mut self, line: Option<usize>, lint: Lint) {
        self.out.push(Finding {
            source: self.rubric.source().to_string(),
            line,
            lint,
        });
    }

    /// `empty-band`: thresholds that leave a band with no index at all.
    fn empty_threshold_bands(&mut self) {
        let s = &self.rubric.rubric.scoring;
        if s.hybrid_from <= 0.0 {
            self.push(
                self.line(&[k("scoring"), k("hybrid-from")], false),
                Lint::HybridFromAtZero {
                    hybrid_from: s.hybrid_from,
                },
            );
        }
        if s.hybrid_from >= s.vmo_from {
            self.push(
                self.line(&[k("scoring"), k("vmo-from")], false),
                Lint::NoHybridBand { at: s.vmo_from },
            );
        }
        if s.vmo_from > 100.0 {
            self.push(
                self.line(&[k("scoring"), k("vmo-from")], false),
                Lint::VmoFromAbove100 {
                    vmo_from: s.vmo_from,
                },
            );
        }
    }

    /// `empty-band`: non-empty bands no sheet's index can fall in, given the
    /// option scores. Returns the bands some index can fall in.
    fn unreachable_index_bands(&mut self, ranges: &[(f64, f64)]) -> Vec<Band> {
        let s = &self.rubric.rubric.scoring;
        // The index is a weighted mean of the answered factors, so the same reasoning
        // as for a factor gives its range.
        let index_lo = ranges.iter().map(|r| r.0).fold(f64::INFINITY, f64::min);
        let index_hi = ranges.iter().map(|r| r.1).fold(f64::NEG_INFINITY, f64::max);
        // Bands some index can fall in; the factor lint looks only at these, so that a
        // band no sheet can reach is reported once, not once per factor.
        let mut open_bands = Vec::new();
        for band in Band::LADDER {
            if band_is_empty(s, band) {
                continue;
            }
            if reaches(s, band, index_lo, index_hi) {
                open_bands.push(band);
            } else {
                self.push(
                    self.line(&[k("scoring")], true),
                    Lint::UnreachableBand {
                        lo: index_lo,
                        hi: index_hi,
                        band,
                        scoring: s.clone(),
                    },
                );
            }
        }
        open_bands
    }

    /// `duplicate-option-score`: options of one question that score the same.
    fn duplicate_option_scores(&mut self) {
        for (qi, q) in self.rubric.rubric.question.iter().enumerate() {
            for (j, o) in q.option.iter().enumerate() {
                if let Some(first) = q.option[..j].iter().find(|p| p.score == o.score) {
                    self.push(
                        self.option_line(qi, j, "score"),
                        Lint::DuplicateOptionScore {
                            question: q.id.clone(),
                            first: first.id.clone(),
                            second: o.id.clone(),
                            score: o.score,
                        },
                    );
                }
            }
        }
    }

    /// `factor-cannot-reach-band`: a factor whose score range misses an open band.
    fn factors_that_cannot_reach_bands(&mut self, ranges: &[(f64, f64)], open_bands: &[Band]) {
        let s = self.rubric.rubric.scoring.clone();
        for (fi, f) in self.rubric.rubric.factor.iter().enumerate() {
            let (lo, hi) = ranges[fi];
            if lo > hi {
                continue; // no question; validation reports that
            }
            for &band in open_bands {
                if !reaches(&s, band, lo, hi) {
                    self.push(
                        self.line(&[k("factor"), Seg::Index(fi), k("id")], false),
                        Lint::FactorCannotReachBand {
                            factor: f.id.clone(),
                            lo,
                            hi,
                            band,
                            scoring: s.clone(),
                        },
                    );
                }
            }
        }
    }

    /// `gate-never-fires` / `gate-always-fires`: a gate threshold outside or
    /// beyond its factor's score range `(lo, hi)`.
    fn gate_that_always_or_never_fires(&mut self, gi: usize, (lo, hi): (f64, f64)) {
        // Gates compare as scoring does, up to its tolerance.
        use crate::scoring::reaches as at_or_above;
        let g = &self.rubric.rubric.gate[gi];
        let at = |name: &str| self.line(&[k("gate"), Seg::Index(gi), k(name)], true);
        // Whether it never fires (else always), where, and its threshold.
        let finding = match (g.below, g.at_least) {
            (Some(b), _) if at_or_above(lo, b) => Some((true, "below", Threshold::Below(b))),
            (Some(b), _) if !at_or_above(hi, b) => Some((false, "below", Threshold::Below(b))),
            (None, Some(a)) if !at_or_above(hi, a) => {
                Some((true, "at-least", Threshold::AtLeast(a)))
            }
            (None, Some(a)) if at_or_above(lo, a) => {
                Some((false, "at-least", Threshold::AtLeast(a)))
            }
            _ => None,
        };
        let Some((never, key, threshold)) = finding else {
            return;
        };
        let (gate, on_question, target) = (g.id.clone(), g.question.is_some(), g.target_id());
        let target = target.to_string();
        let lint = if never {
            Lint::GateNeverFires {
                gate,
                threshold,
                on_question,
                target,
                lo,
                hi,
            }
        } else {
            Lint::GateAlwaysFires {
                gate,
                threshold,
                on_question,
                target,
                lo,
                hi,
            }
        };
        self.push(at(key), lint);
    }

    /// `gate-has-no-effect`: capping at the top band or flooring at the bottom
    /// one changes nothing.
    fn gate_with_no_effect(&mut self, gi: usize) {
        let g = &self.rubric.rubric.gate[gi];
        let at = |name: &str| self.line(&[k("gate"), Seg::Index(gi), k(name)], true);
        let gate = g.id.clone();
        let finding = match (g.cap, g.floor) {
            (Some(Band::Vmo), _) => Some((at("cap"), Lint::CapAtTop { gate })),
            (None, Some(Band::Pmo)) => Some((at("floor"), Lint::FloorAtBottom { gate })),
            _ => None,
        };
        if let Some((line, lint)) = finding {
            self.push(line, lint);
        }
    }

    /// `missing-next-steps`: a recommendation with no advice on what to do.
    fn missing_next_steps(&mut self) {
        let Some(recs) = &self.rubric.rubric.recommendation else {
            return;
        };
        for band in Band::LADDER {
            if recs.get(band).next_steps.is_empty() {
                let path = [k("recommendation"), k(band.id())];
                let l = self
                    .line(&[k("recommendation"), k(band.id()), k("next-steps")], true)
                    .or_else(|| self.line(&path, true));
                self.push(l, Lint::MissingNextSteps { band });
            }
        }
    }
}

impl Lints<'_> {
    /// `missing-improve`: a rubric that gives `improve` on some options but not on
    /// every option below the top of its question, whose roadmap steps would then
    /// have an action here and none there. One finding, at the first such option.
    fn missing_improve(&mut self) {
        let r = &self.rubric.rubric;
        let any = r
            .question
            .iter()
            .any(|q| q.option.iter().any(|o| o.improve.is_some()));
        if !any {
            return;
        }
        let mut missing = Vec::new();
        for (qi, q) in r.question.iter().enumerate() {
            // Outcome, preference and context questions are never improved.
            if !q.kind.is_practice() {
                continue;
            }
            for (oi, o) in q.option.iter().enumerate() {
                // Below the top: some option of the question scores more.
                if o.improve.is_none() && q.option.iter().any(|x| x.score > o.score) {
                    missing.push((qi, oi));
                }
            }
        }
        let Some(&(qi, oi)) = missing.first() else {
            return;
        };
        let first = missing
            .iter()
            .take(3)
            .map(|&(q, o)| {
                let q = &r.question[q];
                (q.id.clone(), q.option[o].id.clone())
            })
            .collect();
        let l = self.option_line(qi, oi, "id");
        self.push(
            l,
            Lint::MissingImprove {
                count: missing.len(),
                first,
            },
        );
    }
}

/// The ambiguity lints: what a respondent or a survey cell could not tell apart.
impl Lints<'_> {
    /// `duplicate-option-label` and `label-is-another-option-id`: two options of
    /// one question that a survey cell cannot tell apart, compared as cells are
    /// (trimmed, case and runs of white space folded).
    fn ambiguous_options(&mut self) {
        use crate::text::normalise;
        for (qi, q) in self.rubric.rubric.question.iter().enumerate() {
            let labels: Vec<String> = q.option.iter().map(|o| normalise(&o.label)).collect();
            let ids: Vec<String> = q.option.iter().map(|o| normalise(&o.id)).collect();
            for (j, o) in q.option.iter().enumerate() {
                // Looked up only for a finding: a rubric of 20,000 clean questions
                // asks for none.
                let at = |l: &Self| l.option_line(qi, j, "label");
                if let Some(first) = labels[..j].iter().position(|l| *l == labels[j]) {
                    let lint = Lint::DuplicateOptionLabel {
                        question: q.id.clone(),
                        first: q.option[first].id.clone(),
                        second: o.id.clone(),
                    };
                    self.push(at(self), lint);
                }
                if let Some(other) = (0..ids.len()).find(|&i| i != j && ids[i] == labels[j]) {
                    let lint = Lint::LabelIsAnotherOptionId {
                        question: q.id.clone(),
                        option: o.id.clone(),
                        label: o.label.trim().to_string(),
                        other: q.option[other].id.clone(),
                    };
                    self.push(at(self), lint);
                }
            }
        }
    }

    /// `duplicate-question-text`: two questions asked in the same words (a survey
    /// column headed by that text could be either).
    fn duplicate_question_texts(&mut self) {
        use crate::text::normalise;
        let qs = &self.rubric.rubric.question;
        let texts: Vec<String> = qs.iter().map(|q| normalise(&q.text)).collect();
        // The first question with each text, looked up in one pass (comparing each
        // text with every earlier one took minutes for 20,000 questions).
        let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (i, q) in qs.iter().enumerate() {
            if texts[i].is_empty() {
                continue;
            }
            let first = *seen.entry(texts[i].as_str()).or_insert(i);
            if first != i {
                let at = self.line(&[k("question"), Seg::Index(i), k("text")], false);
                let lint = Lint::DuplicateQuestionText {
                    first: qs[first].id.clone(),
                    second: q.id.clone(),
                };
                self.push(at, lint);
            }
        }
    }

    /// `respondent-header`: a question whose text or id an export reads as the
    /// respondent's name, role or organisation ("Role", "Name"...). The Google
    /// Form asks for those in fields of its own, so its export would have two such
    /// columns, both naming the question, and be refused.
    fn respondent_headers(&mut self) {
        use crate::text::{about_field, normalise};
        for (qi, q) in self.rubric.rubric.question.iter().enumerate() {
            for (field, value) in [("text", &q.text), ("id", &q.id)] {
                let Some(about) = about_field(&normalise(value)) else {
                    continue;
                };
                let at = self.line(&[k("question"), Seg::Index(qi), k(field)], false);
                let lint = Lint::RespondentHeader {
                    question: q.id.clone(),
                    field,
                    value: value.trim().to_string(),
                    about,
                };
                self.push(at, lint);
                break;
            }
        }
    }

    /// `empty-text`: a question text, an option label or a next step that is empty
    /// or only white space, so the respondent or the reader sees nothing.
    fn empty_texts(&mut self) {
        let r = &self.rubric.rubric;
        let mut found = Vec::new();
        for (qi, q) in r.question.iter().enumerate() {
            if q.text.trim().is_empty() {
                let path = vec![k("question"), Seg::Index(qi), k("text")];
                let question = q.id.clone();
                found.push((path, Lint::NoQuestionText { question }));
            }
            for (j, o) in q.option.iter().enumerate() {
                if o.label.trim().is_empty() {
                    let path = vec![k("question"), Seg::Index(qi), k("option"), Seg::Index(j)];
                    let path = [path, vec![k("label")]].concat();
                    let lint = Lint::NoOptionLabel {
                        question: q.id.clone(),
                        option: o.id.clone(),
                    };
                    found.push((path, lint));
                }
            }
        }
        for band in Band::LADDER {
            let Some(recs) = &r.recommendation else { break };
            for (i, s) in recs.get(band).next_steps.iter().enumerate() {
                if s.text().trim().is_empty() {
                    let path = vec![
                        k("recommendation"),
                        k(band.id()),
                        k("next-steps"),
                        Seg::Index(i),
                    ];
                    found.push((path, Lint::EmptyNextStep { band, n: i + 1 }));
                }
            }
        }
        for (path, lint) in found {
            let at = self.line(&path, false);
            self.push(at, lint);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_rubrics_lint_clean() {
        for r in [
            crate::LoadedRubric::embedded().unwrap(),
            crate::testing::v2(),
        ] {
            let findings = lint(&r);
            assert!(findings.is_empty(), "{findings:#?}");
        }
    }

    const LINTY: &str = include_str!("../tests/fixtures/check/rubrics/linty.toml");

    #[test]
    fn each_lint_fires_on_the_right_line() {
        let r = LoadedRubric::from_str("linty.toml", LINTY).unwrap();
        let got: Vec<String> = lint(&r).iter().map(|f| f.to_string()).collect();
        let codes: Vec<(&str, Option<usize>)> =
            lint(&r).iter().map(|f| (f.lint.code(), f.line)).collect();
        assert_eq!(
            codes,
            vec![
                ("empty-band", Some(8)),
                ("factor-cannot-reach-band", Some(10)),
                ("duplicate-option-score", Some(26)),
                ("missing-improve", Some(32)),
                ("duplicate-question-text", Some(42)),
                ("duplicate-option-label", Some(49)),
                ("label-is-another-option-id", Some(53)),
                ("gate-never-fires", Some(59)),
                ("gate-always-fires", Some(65)),
                ("gate-has-no-effect", Some(72)),
                ("empty-text", Some(81)),
                ("missing-next-steps", Some(85)),
            ],
            "{got:#?}"
        );
        assert!(
            got[1].contains("factor `a` scores only 10 whatever"),
            "{}",
            got[1]
        );
        let mut seen: Vec<&str> = codes.iter().map(|c| c.0).collect();
        seen.sort();
        // The codes of format 3 have a fixture of their own.
        let format3 = ["leading-word", "unreachable-outcome", "respondent-header"];
        let mut all: Vec<&str> = CODES
            .iter()
            .copied()
            .filter(|c| !format3.contains(c))
            .collect();
        all.sort();
        assert_eq!(seen, all, "the fixture shows every code once");
        assert!(got[1].contains("vmo band (40 and above)"), "{}", got[1]);
    }

    #[test]
    fn a_gate_on_a_question_is_judged_by_that_question_s_scores() {
        // The delivery question scores 0..=100: a gate below 0 never fires, one
        // below 100.5 always does, whatever the rest of the maturity factor says.
        let v2 = crate::testing::v2();
        let gi = (v2.rubric.gate.iter())
            .position(|g| g.question.is_some())
            .unwrap();
        let below = |b: f64| v2.changed(|rb| rb.gate[gi].below = Some(b));
        let f = lint(&below(0.0));
        let hit = f
            .iter()
            .find(|f| f.lint.code() == "gate-never-fires")
            .unwrap();
        assert!(
            matches!(&hit.lint, Lint::GateNeverFires { on_question: true, target, lo, hi, .. }
                if target == "maturity-delivery-track-record" && (*lo, *hi) == (0.0, 100.0)),
            "{hit:?}"
        );
        assert!(
            lint(&below(100.0))
                .iter()
                .all(|f| f.lint.code() != "gate-always-fires")
        );
        assert!(
            lint(&below(100.5))
                .iter()
                .any(|f| f.lint.code() == "gate-always-fires")
        );
    }

    #[test]
    fn a_gate_within_the_scoring_tolerance_of_the_lowest_score_never_fires() {
        // The default rubric's maturity scores start at 0; below 5e-10 is, to the
        // scoring arithmetic (1e-9), the same as below 0.
        let v2 = crate::testing::v2();
        let gi = (v2.rubric.gate.iter())
            .position(|g| g.below.is_some())
            .unwrap();
        let r = v2.changed(|rb| rb.gate[gi].below = Some(5e-10));
        let f = lint(&r);
        assert!(
            f.iter().any(|f| f.lint.code() == "gate-never-fires"),
            "{f:#?}"
        );
        let lowest = vec![Some(0); r.rubric.question.len()];
        let e = crate::scoring::evaluate(&r, &lowest).unwrap();
        assert!(!e.gates.iter().any(|g| g.id == r.rubric.gate[gi].id));
    }

    #[test]
    fn hybrid_from_zero_empties_pmo() {
        let text = LINTY.replace("hybrid-from = 40.0", "hybrid-from = 0.0");
        let r = LoadedRubric::from_str("l.toml", &text).unwrap();
        let f = lint(&r);
        assert!(
            f.iter()
                .any(|f| matches!(f.lint, Lint::HybridFromAtZero { .. })),
            "{f:#?}"
        );
        // An empty band is not also reported as unreachable for each factor.
        assert!(
            !f.iter().any(|f| matches!(
                f.lint,
                Lint::FactorCannotReachBand {
                    band: Band::Pmo,
                    ..
                }
            )),
            "{f:#?}"
        );
    }

    #[test]
    fn unreachable_index_band_is_an_empty_band() {
        let text = LINTY
            .replace("vmo-from = 40.0", "vmo-from = 60.0")
            .replace("score = 100", "score = 50");
        let r = LoadedRubric::from_str("l.toml", &text).unwrap();
        let f = lint(&r);
        assert!(
            f.iter().any(|f| matches!(
                f.lint,
                Lint::UnreachableBand {
                    band: Band::Vmo,
                    ..
                }
            )),
            "{f:#?}"
        );
        assert!(f.iter().all(|f| CODES.contains(&f.lint.code())));
        // Reported once, not again for each factor.
        assert!(
            !f.iter().any(|f| matches!(
                f.lint,
                Lint::FactorCannotReachBand {
                    band: Band::Vmo,
                    ..
                }
            )),
            "{f:#?}"
        );
    }
}
