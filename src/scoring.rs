//! The scoring arithmetic of contract section 3: option scores to factor scores to
//! an index, a band, gates and a margin. Pure: data in, data out, no I/O.

use serde::Serialize;
use smallvec::SmallVec;

use crate::rubric::{Band, Effect, LoadedRubric, Scoring, Target};

/// A factor's result on one sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactorScore {
    pub id: String,
    /// Weighted mean of the answered questions' scores; `None` when none is answered.
    pub score: Option<f64>,
    pub weight: f64,
    pub answered: usize,
    pub questions: usize,
}

/// A gate that fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FiredGate {
    pub id: String,
    pub effect: Effect,
    pub to: Band,
    /// Whether it changed the result it was applied to (gates apply in file order).
    pub changed: bool,
}

/// A factor with too few answers for a firm result (contract section 3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shortfall {
    /// Factor id.
    pub factor: String,
    pub answered: usize,
    /// ceil(min-answered x the factor's questions).
    pub needed: usize,
}

/// The result of scoring one sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// After gates.
    pub recommendation: Band,
    /// Before gates.
    pub band: Band,
    pub index: f64,
    pub margin: f64,
    pub answered: usize,
    pub questions: usize,
    pub factors: Vec<FactorScore>,
    /// Ids of the unanswered questions, in rubric order.
    pub unanswered: Vec<String>,
    pub gates: Vec<FiredGate>,
    /// Some factor has fewer answers than `min-answered` asks: not a firm result.
    pub provisional: bool,
    /// The factors below `min-answered`, in rubric order; empty when firm.
    pub shortfalls: Vec<Shortfall>,
}

/// Why a sheet could not be scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NothingAnswered;

impl std::fmt::Display for NothingAnswered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("no question is answered, so there is nothing to score")
    }
}

impl std::error::Error for NothingAnswered {}

/// A sheet that cannot be scored is an input error of this kind.
impl From<NothingAnswered> for crate::diag::Fault {
    fn from(_: NothingAnswered) -> Self {
        crate::diag::SheetFault::NothingAnswered.into()
    }
}

pub use crate::rubric::{TOLERANCE, reaches};

/// The band of an index under the rubric's boundaries.
pub fn band_of(scoring: &Scoring, index: f64) -> Band {
    if !reaches(index, scoring.hybrid_from) {
        Band::Pmo
    } else if !reaches(index, scoring.vmo_from) {
        Band::Hybrid
    } else {
        Band::Vmo
    }
}

/// Distance from the index to the nearest boundary of its band (before gates).
/// Never negative: an index a rounding error short of a boundary is on it.
pub fn margin_of(scoring: &Scoring, index: f64) -> f64 {
    let m = match band_of(scoring, index) {
        Band::Pmo => scoring.hybrid_from - index,
        Band::Vmo => index - scoring.vmo_from,
        Band::Hybrid => (index - scoring.hybrid_from).min(scoring.vmo_from - index),
    };
    m.max(0.0)
}

/// The score a gate or a condition reads on a sheet: its factor's score, or the
/// chosen option's score of its question; `None` when unanswered.
pub fn target_score(
    rubric: &LoadedRubric,
    target: Target,
    factor_scores: &[Option<f64>],
    choices: &[Option<usize>],
) -> Option<f64> {
    match target {
        Target::Factor(fi) => factor_scores[fi],
        Target::Question(qi) => {
            let oi = choices.get(qi).copied().flatten()?;
            Some(rubric.rubric.question[qi].option[oi].score)
        }
    }
}

/// The recommendation alone: [`gates_fired`] without listing the gates that fired
/// (the flip search calls it for many candidates).
pub fn gated(
    rubric: &LoadedRubric,
    band: Band,
    factor_scores: &[Option<f64>],
    choices: &[Option<usize>],
) -> Band {
    let mut result = band;
    for (g, &target) in rubric.rubric.gate.iter().zip(&rubric.gate_target) {
        match target_score(rubric, target, factor_scores, choices) {
            Some(score) if g.fires(score) => result = g.apply(result),
            _ => {}
        }
    }
    result
}

/// The gates that fired, by index, each with whether it changed the result it was
/// applied to.
pub type Fired = SmallVec<[(usize, bool); 8]>;

/// Applies the gates, in file order, to a band, reading each gate's score from
/// `score_of` (`None`: unanswered, the gate does not fire). Returns the
/// recommendation and the gates that fired.
pub fn gates_fired(
    rubric: &LoadedRubric,
    band: Band,
    score_of: impl Fn(Target) -> Option<f64>,
) -> (Band, Fired) {
    let mut result = band;
    let mut fired = Fired::new();
    for (gi, (g, &target)) in rubric
        .rubric
        .gate
        .iter()
        .zip(&rubric.gate_target)
        .enumerate()
    {
        match score_of(target) {
            Some(score) if g.fires(score) => {
                let before = result;
                result = g.apply(result);
                fired.push((gi, result != before));
            }
            _ => {}
        }
    }
    (result, fired)
}

/// [`gates_fired`], with the gates named. A group applies them to its factor and
/// question means this way.
pub fn apply_gates_with(
    rubric: &LoadedRubric,
    band: Band,
    score_of: impl Fn(Target) -> Option<f64>,
) -> (Band, Vec<FiredGate>) {
    let (result, fired) = gates_fired(rubric, band, score_of);
    (result, named_gates(rubric, &fired))
}

/// Fired gates with their ids.
fn named_gates(rubric: &LoadedRubric, fired: &[(usize, bool)]) -> Vec<FiredGate> {
    (fired.iter())
        .map(|&(gi, changed)| {
            let g = &rubric.rubric.gate[gi];
            let (effect, to) = g.effect();
            FiredGate {
                id: g.id.clone(),
                effect,
                to,
                changed,
            }
        })
        .collect()
}

/// Per-factor weighted mean of the chosen option scores, and answered counts.
pub fn factor_scores(
    rubric: &LoadedRubric,
    choices: &[Option<usize>],
) -> (Vec<Option<f64>>, Vec<usize>) {
    let sums = factor_sums(rubric, choices);
    (
        sums.iter().map(FactorSum::score).collect(),
        sums.iter().map(|s| s.answered).collect(),
    )
}

/// Per-factor scores, kept on the stack for rubrics of up to [`FACTORS_INLINE`]
/// factors: the per-sheet searches (flip, roadmap, advice) score into these.
pub type Scores = SmallVec<[Option<f64>; FACTORS_INLINE]>;

/// How many factors fit on the stack before a per-sheet buffer spills to the heap.
pub(crate) const FACTORS_INLINE: usize = 8;

/// One factor's running sums over the answered questions.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FactorSum {
    /// The weighted sum of the answered questions' option scores.
    pub(crate) sum: f64,
    /// The weight of the answered questions.
    pub(crate) wsum: f64,
    answered: usize,
}

impl FactorSum {
    /// The weighted mean; `None` when no question is answered.
    pub(crate) fn score(&self) -> Option<f64> {
        (self.wsum > 0.0).then(|| self.sum / self.wsum)
    }
}

/// The running sums of every factor, in rubric order of the questions (so each
/// mean is bit-for-bit the one every other path computes).
pub(crate) fn factor_sums(
    rubric: &LoadedRubric,
    choices: &[Option<usize>],
) -> SmallVec<[FactorSum; FACTORS_INLINE]> {
    let mut sums: SmallVec<[FactorSum; FACTORS_INLINE]> =
        SmallVec::from_elem(FactorSum::default(), rubric.rubric.factor.len());
    for ((q, &fi), choice) in rubric
        .rubric
        .question
        .iter()
        .zip(&rubric.question_factor)
        .zip(choices)
    {
        if let Some(oi) = choice {
            let s = &mut sums[fi];
            s.sum += q.weight * q.option[*oi].score;
            s.wsum += q.weight;
            s.answered += 1;
        }
    }
    sums
}

/// The score of factor `fi` alone: its questions' weighted mean, summed in rubric
/// order like [`factor_scores`], so bit-for-bit the same (the searches that change
/// one answer rescore its factor only).
pub(crate) fn factor_score(
    rubric: &LoadedRubric,
    fi: usize,
    choices: &[Option<usize>],
) -> Option<f64> {
    let mut sum = 0.0;
    let mut wsum = 0.0;
    for &qi in rubric.questions_of(fi) {
        if let Some(oi) = choices[qi] {
            let q = &rubric.rubric.question[qi];
            sum += q.weight * q.option[oi].score;
            wsum += q.weight;
        }
    }
    (wsum > 0.0).then(|| sum / wsum)
}

/// [`factor_scores`] without the answered counts, on the stack.
pub(crate) fn scores_of(rubric: &LoadedRubric, choices: &[Option<usize>]) -> Scores {
    factor_sums(rubric, choices)
        .iter()
        .map(FactorSum::score)
        .collect()
}

/// Weighted mean of the answered factors' scores; `None` when none is answered.
pub fn index_of(rubric: &LoadedRubric, scores: &[Option<f64>]) -> Option<f64> {
    let mut sum = 0.0;
    let mut wsum = 0.0;
    for (f, s) in rubric.rubric.factor.iter().zip(scores) {
        if let Some(s) = s {
            sum += f.weight * s;
            wsum += f.weight;
        }
    }
    (wsum > 0.0).then(|| sum / wsum)
}

/// Scores one sheet. `choices[q]` is the chosen option of question `q`.
pub fn evaluate(
    rubric: &LoadedRubric,
    choices: &[Option<usize>],
) -> Result<Evaluation, NothingAnswered> {
    Ok(outcome(rubric, choices)?.named(rubric, choices))
}

/// An [`Evaluation`] by index: the figures, with gates and factors as the rubric
/// numbers them. The flip and the roadmap start from it
/// ([`crate::flip::find_from`], [`crate::roadmap::plan_from`]), and a JSON row is
/// written from it without naming anything (no id is copied per sheet).
#[derive(Debug, Clone)]
pub struct Outcome {
    pub(crate) sums: SmallVec<[FactorSum; FACTORS_INLINE]>,
    /// Per factor, its score; `None` when none of its questions is answered.
    pub scores: Scores,
    /// After gates.
    pub recommendation: Band,
    /// Before gates.
    pub band: Band,
    pub index: f64,
    /// The distance from the index to the nearest boundary of its band.
    pub margin: f64,
    /// The gates that fired, in file order.
    pub gates: Fired,
}

/// [`evaluate`] by index.
pub fn outcome(
    rubric: &LoadedRubric,
    choices: &[Option<usize>],
) -> Result<Outcome, NothingAnswered> {
    let r = &rubric.rubric;
    let sums = factor_sums(rubric, choices);
    let scores: Scores = sums.iter().map(FactorSum::score).collect();
    let index = index_of(rubric, &scores).ok_or(NothingAnswered)?;
    let band = band_of(&r.scoring, index);
    let (recommendation, gates) =
        gates_fired(rubric, band, |t| target_score(rubric, t, &scores, choices));
    Ok(Outcome {
        sums,
        scores,
        recommendation,
        band,
        index,
        margin: margin_of(&r.scoring, index),
        gates,
    })
}

impl Outcome {
    /// How many questions of factor `fi` are answered.
    pub fn answered(&self, fi: usize) -> usize {
        self.sums[fi].answered
    }

    /// The weight of the answered factors (what the index divides by).
    pub(crate) fn factor_weight(&self, rubric: &LoadedRubric) -> f64 {
        (rubric.rubric.factor.iter().zip(&self.sums))
            .filter(|(_, s)| s.wsum > 0.0)
            .map(|(f, _)| f.weight)
            .sum()
    }

    /// The factors below `min-answered` (`(factor, needed)`), in rubric order.
    pub fn shortfalls<'a>(
        &'a self,
        rubric: &'a LoadedRubric,
    ) -> impl Iterator<Item = (usize, usize)> + 'a {
        let scoring = &rubric.rubric.scoring;
        (rubric.questions_per_factor().iter().enumerate()).filter_map(move |(fi, &questions)| {
            let needed = scoring.needed(questions);
            (self.sums[fi].answered < needed).then_some((fi, needed))
        })
    }

    /// The evaluation, with the rubric's ids.
    pub fn named(&self, rubric: &LoadedRubric, choices: &[Option<usize>]) -> Evaluation {
        let r = &rubric.rubric;
        let per_factor = rubric.questions_per_factor();
        let factors = r
            .factor
            .iter()
            .enumerate()
            .map(|(i, f)| FactorScore {
                id: f.id.clone(),
                score: self.scores[i],
                weight: f.weight,
                answered: self.sums[i].answered,
                questions: per_factor[i],
            })
            .collect();
        let unanswered = r
            .question
            .iter()
            .zip(choices)
            .filter(|(_, c)| c.is_none())
            .map(|(q, _)| q.id.clone())
            .collect::<Vec<_>>();
        let gates = named_gates(rubric, &self.gates);
        let shortfalls: Vec<Shortfall> = self
            .shortfalls(rubric)
            .map(|(fi, needed)| Shortfall {
                factor: r.factor[fi].id.clone(),
                answered: self.sums[fi].answered,
                needed,
            })
            .collect();
        Evaluation {
            recommendation: self.recommendation,
            band: self.band,
            index: self.index,
            margin: self.margin,
            answered: r.question.len() - unanswered.len(),
            questions: r.question.len(),
            factors,
            unanswered,
            gates,
            provisional: !shortfalls.is_empty(),
            shortfalls,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Two factors (weights 1 and 3), gates on both; small enough to compute by hand.
    pub(crate) const SMALL: &str = r#"
id = "small"
version = "1"
title = "Small"
[scoring]
hybrid-from = 40.0
vmo-from = 60.0
[[factor]]
id = "a"
title = "A"
weight = 1.0
[[factor]]
id = "b"
title = "B"
weight = 3.0
[[question]]
id = "a1"
factor = "a"
text = "A1?"
weight = 1.0
[[question.option]]
id = "lo"
label = "Lo"
score = 0
[[question.option]]
id = "hi"
label = "Hi"
score = 100
[[question]]
id = "a2"
factor = "a"
text = "A2?"
weight = 3.0
[[question.option]]
id = "lo"
label = "Lo"
score = 20
[[question.option]]
id = "hi"
label = "Hi"
score = 80
[[question]]
id = "b1"
factor = "b"
text = "B1?"
[[question.option]]
id = "lo"
label = "Lo"
score = 10
[[question.option]]
id = "mid"
label = "Mid"
score = 50
[[question.option]]
id = "hi"
label = "Hi"
score = 90
[[gate]]
id = "a-weak"
factor = "a"
below = 30.0
cap = "hybrid"
message = "A is weak"
[[gate]]
id = "b-strong"
factor = "b"
at-least = 90.0
floor = "hybrid"
message = "B is strong"
[recommendation.pmo]
title = "P"
summary = "p"
[recommendation.hybrid]
title = "H"
summary = "h"
[recommendation.vmo]
title = "V"
summary = "v"
next-steps = ["go"]
"#;

    pub(crate) fn small() -> LoadedRubric {
        LoadedRubric::from_str("small.toml", SMALL).unwrap()
    }

    #[test]
    fn weighted_factor_and_index() {
        let r = small();
        // a = (1*100 + 3*20)/4 = 40; b = 50; index = (40 + 3*50)/4 = 47.5
        let e = evaluate(&r, &[Some(1), Some(0), Some(1)]).unwrap();
        assert_eq!(e.factors[0].score, Some(40.0));
        assert_eq!(e.factors[1].score, Some(50.0));
        assert_eq!(e.index, 47.5);
        assert_eq!(e.band, Band::Hybrid);
        assert_eq!(e.recommendation, Band::Hybrid);
        assert_eq!(e.margin, 7.5); // min(47.5-40, 60-47.5)
        assert!(e.gates.is_empty());
        assert_eq!(e.answered, 3);
    }

    #[test]
    fn a_mean_a_rounding_error_short_of_a_boundary_is_on_it() {
        // (0.1*60 + 0.2*60) / (0.1 + 0.2) is 59.99999999999999 in f64.
        let mut r = small();
        for (q, w) in r.rubric.question.iter_mut().zip([0.1, 0.2, 1.0]) {
            q.weight = w;
            q.option[1].score = 60.0;
        }
        r.rubric.factor[0].weight = 0.1;
        r.rubric.factor[1].weight = 0.2;
        r.rubric.gate[0].below = Some(60.0);
        let e = evaluate(&r, &[Some(1), Some(1), Some(1)]).unwrap();
        let a = e.factors[0].score.unwrap();
        assert!(a < 60.0, "the premise: the mean falls short, {a}");
        assert_eq!(e.band, Band::Vmo);
        assert_eq!(e.recommendation, Band::Vmo);
        assert!(e.gates.is_empty(), "{:?}", e.gates);
        assert_eq!(e.margin, 0.0);
        // A real shortfall still counts.
        assert_eq!(band_of(&r.rubric.scoring, 60.0 - 1e-6), Band::Hybrid);
        assert!(r.rubric.gate[0].fires(60.0 - 1e-6));
    }

    #[test]
    fn unanswered_question_and_factor_count_nowhere() {
        let r = small();
        // only a2 answered (80): a = 80, b unanswered -> index 80, vmo, margin 20
        let e = evaluate(&r, &[None, Some(1), None]).unwrap();
        assert_eq!(e.factors[0].score, Some(80.0));
        assert_eq!(e.factors[0].answered, 1);
        assert_eq!(e.factors[1].score, None);
        assert_eq!(e.index, 80.0);
        assert_eq!(e.band, Band::Vmo);
        assert_eq!(e.margin, 20.0);
        assert_eq!(e.unanswered, vec!["a1".to_string(), "b1".to_string()]);
        assert_eq!(e.answered, 1);
    }

    #[test]
    fn nothing_answered_is_an_error() {
        assert_eq!(
            evaluate(&small(), &[None, None, None]),
            Err(NothingAnswered)
        );
    }

    #[test]
    fn band_boundaries_are_inclusive_below() {
        let s = Scoring {
            hybrid_from: 40.0,
            vmo_from: 60.0,
            min_answered: None,
        };
        assert_eq!(band_of(&s, 39.999), Band::Pmo);
        assert_eq!(band_of(&s, 40.0), Band::Hybrid);
        assert_eq!(band_of(&s, 59.999), Band::Hybrid);
        assert_eq!(band_of(&s, 60.0), Band::Vmo);
        assert_eq!(margin_of(&s, 40.0), 0.0);
        assert_eq!(margin_of(&s, 60.0), 0.0);
        assert_eq!(margin_of(&s, 25.0), 15.0);
        assert_eq!(margin_of(&s, 55.0), 5.0);
    }

    #[test]
    fn cap_lowers_a_vmo_result() {
        let r = small();
        // a1 lo (0), a2 lo (20): a = (0 + 60)/4 = 15 < 30 -> cap hybrid.
        // b hi (90): index = (15 + 270)/4 = 71.25 -> vmo band, capped to hybrid; b >= 90 floors too.
        let e = evaluate(&r, &[Some(0), Some(0), Some(2)]).unwrap();
        assert_eq!(e.index, 71.25);
        assert_eq!(e.band, Band::Vmo);
        assert_eq!(e.recommendation, Band::Hybrid);
        assert_eq!(e.margin, 11.25);
        let ids: Vec<_> = e
            .gates
            .iter()
            .map(|g| (g.id.as_str(), g.effect, g.to, g.changed))
            .collect();
        assert_eq!(
            ids,
            vec![
                ("a-weak", Effect::Cap, Band::Hybrid, true),
                ("b-strong", Effect::Floor, Band::Hybrid, false)
            ]
        );
    }

    #[test]
    fn floor_raises_a_pmo_result() {
        let r = small();
        // only b answered, hi (90): index 90 -> vmo; floor does nothing visible.
        // a lo/lo (15) and b unanswered: index 15 -> pmo; cap to hybrid keeps pmo.
        let e = evaluate(&r, &[Some(0), Some(0), None]).unwrap();
        assert_eq!(e.recommendation, Band::Pmo);
        assert_eq!(e.gates.len(), 1);
        // Floor case: a gate that floors on a factor while the index is pmo.
        let mut r2 = r.clone();
        r2.rubric.gate[1].at_least = Some(10.0);
        // a = 15, b = 10 (lo): index = (15 + 30)/4 = 11.25 -> pmo, floored to hybrid.
        let e = evaluate(&r2, &[Some(0), Some(0), Some(0)]).unwrap();
        assert_eq!(e.band, Band::Pmo);
        assert_eq!(e.recommendation, Band::Hybrid);
    }

    #[test]
    fn gates_skip_unanswered_factors() {
        let r = small();
        let e = evaluate(&r, &[None, None, Some(0)]).unwrap();
        assert!(e.gates.iter().all(|g| g.id != "a-weak"));
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn choices() -> impl Strategy<Value = Vec<Option<usize>>> {
            (
                proptest::option::of(0usize..2),
                proptest::option::of(0usize..2),
                proptest::option::of(0usize..3),
            )
                .prop_map(|(a, b, c)| vec![a, b, c])
        }

        proptest! {
            #[test]
            fn index_is_within_0_100(c in choices()) {
                let r = small();
                if let Ok(e) = evaluate(&r, &c) {
                    prop_assert!((0.0..=100.0).contains(&e.index));
                    prop_assert!(e.margin >= 0.0);
                }
            }

            #[test]
            fn raising_an_option_score_never_lowers_the_index(
                c in choices(),
                q in 0usize..3,
                bump in 0.0f64..100.0,
            ) {
                let r = small();
                let Some(oi) = c[q] else { return Ok(()) };
                let before = evaluate(&r, &c).unwrap().index;
                let mut r2 = r.clone();
                let o = &mut r2.rubric.question[q].option[oi];
                o.score = (o.score + bump).min(100.0);
                let after = evaluate(&r2, &c).unwrap().index;
                prop_assert!(after >= before - 1e-9, "{after} < {before}");
            }

            #[test]
            fn random_scores_keep_index_in_range(
                scores in proptest::collection::vec(0.0f64..=100.0, 7),
                c in choices(),
            ) {
                let mut r = small();
                let mut k = 0;
                for q in &mut r.rubric.question {
                    for o in &mut q.option {
                        o.score = scores[k];
                        k += 1;
                    }
                }
                if let Ok(e) = evaluate(&r, &c) {
                    prop_assert!((0.0..=100.0 + 1e-9).contains(&e.index));
                    prop_assert_eq!(e.band, band_of(&r.rubric.scoring, e.index));
                }
            }
        }
    }
}
