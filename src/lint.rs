//! Lints for a rubric that is valid but probably not what its author meant:
//! options that cannot be told apart, factors and bands that no answer can reach,
//! gates that never fire, outcomes with nothing to do next.
//!
//! Each finding has a stable kebab-case code (scripts and reviewers rely on it)
//! and points at a line of the rubric file.

use std::fmt;

use serde::Serialize;

use crate::diag::{Seg, TomlMap, line_col};
use crate::rubric::{Band, LoadedRubric, Question, Scoring, Target};

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The rubric file.
    pub source: String,
    /// 1-based line, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Stable kebab-case code (`duplicate-option-score`).
    pub code: &'static str,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}: {}", self.source, self.code, self.message),
            None => write!(f, "{}: {}: {}", self.source, self.code, self.message),
        }
    }
}

/// Every code [`lint`] can report, for documentation and tests.
pub const CODES: [&str; 12] = [
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

/// A number as written in a rubric: `50`, `12.5`.
fn n(x: f64) -> String {
    let s = format!("{x}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

/// The half-open index interval of each band, `[from, to)`; vmo includes 100.
fn band_range(s: &Scoring, band: Band) -> (f64, f64) {
    match band {
        Band::Pmo => (0.0, s.hybrid_from),
        Band::Hybrid => (s.hybrid_from, s.vmo_from),
        Band::Vmo => (s.vmo_from, f64::INFINITY),
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
pub fn factor_ranges(rubric: &LoadedRubric) -> Vec<(f64, f64)> {
    let mut ranges = vec![(f64::INFINITY, f64::NEG_INFINITY); rubric.rubric.factor.len()];
    for (q, &fi) in rubric.rubric.question.iter().zip(&rubric.question_factor) {
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
    let mut l = Lints {
        rubric,
        map: TomlMap::parse(&rubric.text),
        out: Vec::new(),
    };
    // Bands first: the other lints skip bands that are empty anyway.
    l.empty_threshold_bands();
    let ranges = factor_ranges(rubric);
    let open_bands = l.unreachable_index_bands(&ranges);
    l.duplicate_option_scores();
    l.factors_that_cannot_reach_bands(&ranges, &open_bands);
    for gi in 0..rubric.rubric.gate.len() {
        let range = match rubric.gate_target[gi] {
            Target::Factor(fi) => ranges[fi],
            Target::Question(qi) => question_range(&rubric.rubric.question[qi]),
        };
        l.gate_that_always_or_never_fires(gi, range);
        l.gate_with_no_effect(gi);
    }
    l.missing_next_steps();
    l.missing_improve();
    l.ambiguous_options();
    l.duplicate_question_texts();
    l.empty_texts();

    let mut out = l.out;
    out.sort_by_key(|f| f.line.unwrap_or(0));
    out
}

/// The findings gathered so far, and the rubric's map to give each one a line.
struct Lints<'a> {
    rubric: &'a LoadedRubric,
    map: Option<TomlMap<'a>>,
    out: Vec<Finding>,
}

impl Lints<'_> {
    /// The 1-based line of a key (or its value) in the rubric file, if found.
    fn line(&self, path: &[Seg], key: bool) -> Option<usize> {
        let span = self.map.as_ref()?.span(path, key)?;
        Some(line_col(&self.rubric.text, span.start).0)
    }

    /// Records one finding against the rubric file.
    fn push(&mut self, line: Option<usize>, code: &'static str, message: String) {
        self.out.push(Finding {
            source: self.rubric.source.to_string(),
            line,
            code,
            message,
        });
    }

    /// `empty-band`: thresholds that leave a band with no index at all.
    fn empty_threshold_bands(&mut self) {
        let s = &self.rubric.rubric.scoring;
        if s.hybrid_from <= 0.0 {
            self.push(
                self.line(&[k("scoring"), k("hybrid-from")], false),
                "empty-band",
                format!(
                    "hybrid-from is {}, so no index is below it and pmo is never the band",
                    n(s.hybrid_from)
                ),
            );
        }
        if s.hybrid_from >= s.vmo_from {
            self.push(
                self.line(&[k("scoring"), k("vmo-from")], false),
                "empty-band",
                format!(
                    "hybrid-from and vmo-from are both {}, so hybrid is never the band",
                    n(s.vmo_from)
                ),
            );
        }
        if s.vmo_from > 100.0 {
            self.push(
                self.line(&[k("scoring"), k("vmo-from")], false),
                "empty-band",
                format!(
                    "vmo-from is {}, above the highest index (100), so vmo is never the band",
                    n(s.vmo_from)
                ),
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
        for band in Band::ALL {
            if band_is_empty(s, band) {
                continue;
            }
            if reaches(s, band, index_lo, index_hi) {
                open_bands.push(band);
            } else {
                self.push(
                    self.line(&[k("scoring")], true),
                    "empty-band",
                    format!(
                        "option scores run from {} to {}, so no sheet's index falls in the {} band ({})",
                        n(index_lo),
                        n(index_hi),
                        band.id(),
                        describe(s, band)
                    ),
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
                        self.line(
                            &[
                                k("question"),
                                Seg::Index(qi),
                                k("option"),
                                Seg::Index(j),
                                k("score"),
                            ],
                            false,
                        ),
                        "duplicate-option-score",
                        format!(
                            "question `{}`: options `{}` and `{}` both score {}, so choosing between them changes nothing",
                            q.id,
                            first.id,
                            o.id,
                            n(o.score)
                        ),
                    );
                }
            }
        }
    }

    /// `factor-cannot-reach-band`: a factor whose score range misses an open band.
    fn factors_that_cannot_reach_bands(&mut self, ranges: &[(f64, f64)], open_bands: &[Band]) {
        let s = &self.rubric.rubric.scoring;
        for (fi, f) in self.rubric.rubric.factor.iter().enumerate() {
            let (lo, hi) = ranges[fi];
            if lo > hi {
                continue; // no question; validation reports that
            }
            for &band in open_bands {
                if !reaches(s, band, lo, hi) {
                    self.push(
                        self.line(&[k("factor"), Seg::Index(fi), k("id")], false),
                        "factor-cannot-reach-band",
                        format!(
                            "factor `{}` scores {} whatever the answers, so it never reaches the {} band ({})",
                            f.id,
                            between(lo, hi),
                            band.id(),
                            describe(s, band)
                        ),
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
        let what = if g.question.is_some() {
            "question"
        } else {
            "factor"
        };
        let range = format!("{what} `{}` scores {}", g.target_id(), between(lo, hi));
        let finding = match (g.below, g.at_least) {
            (Some(b), _) if at_or_above(lo, b) => Some((
                at("below"),
                "gate-never-fires",
                format!(
                    "gate `{}` fires below {}, but {range}, never below it",
                    g.id,
                    n(b)
                ),
            )),
            (Some(b), _) if !at_or_above(hi, b) => Some((
                at("below"),
                "gate-always-fires",
                format!(
                    "gate `{}` fires below {}, but {range}, always below it",
                    g.id,
                    n(b)
                ),
            )),
            (None, Some(a)) if !at_or_above(hi, a) => Some((
                at("at-least"),
                "gate-never-fires",
                format!(
                    "gate `{}` fires at {} or more, but {range}, never that high",
                    g.id,
                    n(a)
                ),
            )),
            (None, Some(a)) if at_or_above(lo, a) => Some((
                at("at-least"),
                "gate-always-fires",
                format!(
                    "gate `{}` fires at {} or more, but {range}, so it always fires",
                    g.id,
                    n(a)
                ),
            )),
            _ => None,
        };
        if let Some((line, code, message)) = finding {
            self.push(line, code, message);
        }
    }

    /// `gate-has-no-effect`: capping at the top band or flooring at the bottom
    /// one changes nothing.
    fn gate_with_no_effect(&mut self, gi: usize) {
        let g = &self.rubric.rubric.gate[gi];
        let at = |name: &str| self.line(&[k("gate"), Seg::Index(gi), k(name)], true);
        let finding = match (g.cap, g.floor) {
            (Some(Band::Vmo), _) => Some((
                at("cap"),
                format!(
                    "gate `{}` caps at vmo, the highest band, so it never changes a result",
                    g.id
                ),
            )),
            (None, Some(Band::Pmo)) => Some((
                at("floor"),
                format!(
                    "gate `{}` floors at pmo, the lowest band, so it never changes a result",
                    g.id
                ),
            )),
            _ => None,
        };
        if let Some((line, message)) = finding {
            self.push(line, "gate-has-no-effect", message);
        }
    }

    /// `missing-next-steps`: a recommendation with no advice on what to do.
    fn missing_next_steps(&mut self) {
        for band in Band::ALL {
            if self
                .rubric
                .rubric
                .recommendation
                .get(band)
                .next_steps
                .is_empty()
            {
                let path = [k("recommendation"), k(band.id())];
                let l = self
                    .line(&[k("recommendation"), k(band.id()), k("next-steps")], true)
                    .or_else(|| self.line(&path, true));
                self.push(
                    l,
                    "missing-next-steps",
                    format!(
                        "recommendation `{}` has no next steps, so a sheet with that result gets no advice on what to do",
                        band.id()
                    ),
                );
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
        let named: Vec<String> = missing
            .iter()
            .take(3)
            .map(|&(q, o)| {
                format!(
                    "`{}` option `{}`",
                    r.question[q].id, r.question[q].option[o].id
                )
            })
            .collect();
        let more = if missing.len() > 3 { ", ..." } else { "" };
        let l = self.line(
            &[
                k("question"),
                Seg::Index(qi),
                k("option"),
                Seg::Index(oi),
                k("id"),
            ],
            false,
        );
        self.push(
            l,
            "missing-improve",
            format!(
                "{} below the top of {} no improve text ({}{more}), while other options have one, so those roadmap steps would have no action",
                if missing.len() == 1 { "1 option".to_string() } else { format!("{} options", missing.len()) },
                if missing.len() == 1 { "its question has" } else { "their questions have" },
                named.join(", ")
            ),
        );
    }
}

/// The ambiguity lints: what a respondent or a survey cell could not tell apart.
impl Lints<'_> {
    /// `duplicate-option-label` and `label-is-another-option-id`: two options of
    /// one question that a survey cell cannot tell apart, compared as cells are
    /// (trimmed, case and runs of white space folded).
    fn ambiguous_options(&mut self) {
        use crate::input::export::normalise;
        for (qi, q) in self.rubric.rubric.question.iter().enumerate() {
            let labels: Vec<String> = q.option.iter().map(|o| normalise(&o.label)).collect();
            let ids: Vec<String> = q.option.iter().map(|o| normalise(&o.id)).collect();
            for (j, o) in q.option.iter().enumerate() {
                let at = self.line(
                    &[
                        k("question"),
                        Seg::Index(qi),
                        k("option"),
                        Seg::Index(j),
                        k("label"),
                    ],
                    false,
                );
                if let Some(first) = labels[..j].iter().position(|l| *l == labels[j]) {
                    let message = format!(
                        "question `{}`: options `{}` and `{}` have the same label, so an answer \
                         given by its label cannot be told apart",
                        q.id, q.option[first].id, o.id
                    );
                    self.push(at, "duplicate-option-label", message);
                }
                if let Some(other) = (0..ids.len()).find(|&i| i != j && ids[i] == labels[j]) {
                    let message = format!(
                        "question `{}`: option `{}` is labelled `{}`, the id of option `{}`, so \
                         that answer in a survey export means the other option",
                        q.id,
                        o.id,
                        o.label.trim(),
                        q.option[other].id
                    );
                    self.push(at, "label-is-another-option-id", message);
                }
            }
        }
    }

    /// `duplicate-question-text`: two questions asked in the same words (a survey
    /// column headed by that text could be either).
    fn duplicate_question_texts(&mut self) {
        use crate::input::export::normalise;
        let qs = &self.rubric.rubric.question;
        let texts: Vec<String> = qs.iter().map(|q| normalise(&q.text)).collect();
        for (i, q) in qs.iter().enumerate() {
            if texts[i].is_empty() {
                continue;
            }
            if let Some(first) = texts[..i].iter().position(|t| *t == texts[i]) {
                let at = self.line(&[k("question"), Seg::Index(i), k("text")], false);
                let message = format!(
                    "questions `{}` and `{}` have the same text, so respondents and survey \
                     columns cannot tell them apart",
                    qs[first].id, q.id
                );
                self.push(at, "duplicate-question-text", message);
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
                found.push((path, format!("question `{}` has no text", q.id)));
            }
            for (j, o) in q.option.iter().enumerate() {
                if o.label.trim().is_empty() {
                    let path = vec![k("question"), Seg::Index(qi), k("option"), Seg::Index(j)];
                    let path = [path, vec![k("label")]].concat();
                    let message = format!("option `{}` of question `{}` has no label", o.id, q.id);
                    found.push((path, message));
                }
            }
        }
        for band in Band::ALL {
            for (i, s) in r.recommendation.get(band).next_steps.iter().enumerate() {
                if s.text().trim().is_empty() {
                    let path = vec![
                        k("recommendation"),
                        k(band.id()),
                        k("next-steps"),
                        Seg::Index(i),
                    ];
                    let message = format!(
                        "next step {} of recommendation `{}` is empty",
                        i + 1,
                        band.id()
                    );
                    found.push((path, message));
                }
            }
        }
        for (path, message) in found {
            let at = self.line(&path, false);
            self.push(at, "empty-text", message);
        }
    }
}

/// `between 0 and 50`, or `only 10` when the range is one number.
fn between(lo: f64, hi: f64) -> String {
    if lo == hi {
        format!("only {}", n(lo))
    } else {
        format!("between {} and {}", n(lo), n(hi))
    }
}

fn describe(s: &Scoring, band: Band) -> String {
    match band {
        Band::Pmo => format!("below {}", n(s.hybrid_from)),
        Band::Hybrid => format!("{} to below {}", n(s.hybrid_from), n(s.vmo_from)),
        Band::Vmo => format!("{} and above", n(s.vmo_from)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_rubric_lints_clean() {
        let r = LoadedRubric::embedded().unwrap();
        let findings = lint(&r);
        assert!(findings.is_empty(), "{findings:#?}");
    }

    const LINTY: &str = include_str!("../tests/fixtures/check/rubrics/linty.toml");

    #[test]
    fn each_lint_fires_on_the_right_line() {
        let r = LoadedRubric::from_str("linty.toml", LINTY).unwrap();
        let got: Vec<String> = lint(&r).iter().map(|f| f.to_string()).collect();
        let codes: Vec<(&str, Option<usize>)> = lint(&r).iter().map(|f| (f.code, f.line)).collect();
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
        let mut all = CODES.to_vec();
        all.sort();
        assert_eq!(seen, all, "the fixture shows every code once");
        assert!(got[1].contains("vmo band (40 and above)"), "{}", got[1]);
    }

    #[test]
    fn a_gate_on_a_question_is_judged_by_that_question_s_scores() {
        // The delivery question scores 0..=100: a gate below 0 never fires, one
        // below 100.5 always does, whatever the rest of the maturity factor says.
        let mut r = LoadedRubric::embedded().unwrap();
        let gi = r
            .rubric
            .gate
            .iter()
            .position(|g| g.question.is_some())
            .unwrap();
        r.rubric.gate[gi].below = Some(0.0);
        let f = lint(&r);
        let hit = f.iter().find(|f| f.code == "gate-never-fires").unwrap();
        assert!(
            hit.message
                .contains("question `maturity-delivery-track-record` scores between 0 and 100"),
            "{}",
            hit.message
        );
        r.rubric.gate[gi].below = Some(100.0);
        assert!(lint(&r).iter().all(|f| f.code != "gate-always-fires"));
        r.rubric.gate[gi].below = Some(100.5);
        assert!(lint(&r).iter().any(|f| f.code == "gate-always-fires"));
    }

    #[test]
    fn a_gate_within_the_scoring_tolerance_of_the_lowest_score_never_fires() {
        // The default rubric's maturity scores start at 0; below 5e-10 is, to the
        // scoring arithmetic (1e-9), the same as below 0.
        let mut r = LoadedRubric::embedded().unwrap();
        let gi = r
            .rubric
            .gate
            .iter()
            .position(|g| g.below.is_some())
            .unwrap();
        r.rubric.gate[gi].below = Some(5e-10);
        let f = lint(&r);
        assert!(f.iter().any(|f| f.code == "gate-never-fires"), "{f:#?}");
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
                .any(|f| f.code == "empty-band" && f.message.contains("pmo is never")),
            "{f:#?}"
        );
        // An empty band is not also reported as unreachable for each factor.
        assert!(
            !f.iter()
                .any(|f| f.code == "factor-cannot-reach-band" && f.message.contains("pmo band")),
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
            f.iter()
                .any(|f| f.code == "empty-band" && f.message.contains("vmo band")),
            "{f:#?}"
        );
        assert!(f.iter().all(|f| CODES.contains(&f.code)));
        // Reported once, not again for each factor.
        assert!(
            !f.iter()
                .any(|f| f.code == "factor-cannot-reach-band" && f.message.contains("vmo band")),
            "{f:#?}"
        );
    }
}
