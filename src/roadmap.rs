//! The roadmap: from a scored sheet, the ordered steps that would take it to a
//! target recommendation, each moving one answered question to its next option up.
//! Pure, built on [`crate::scoring`]; the words are in `render`.
//!
//! How the steps are chosen:
//! - Phase 1 clears the gates that cap the result below the target, in file order:
//!   each step raises the answer that lifts the gate's measure (its factor's score, or
//!   its question's) the most, until the gate no longer fires.
//! - Phase 2 raises the index: each step is the one that moves the index most.
//! - Among steps that move as much, the question raised least so far goes first
//!   (then rubric order), so a plan takes turns between equal questions instead of
//!   raising one four times in a row.
//! - Steps stop at the first that reaches the target. Raising answers only ever
//!   raises scores, so with the usual gates (caps `below`, floors `at-least`) the
//!   target is reachable exactly when it is reached with every answered question at
//!   its top option; when it is not, there are no steps and [`Roadmap::blocked`]
//!   says why. A gate that fires as answers rise (a cap `at-least`, a floor
//!   `below`) can make the climb miss a target the top answers reach: the plan is
//!   then unreached too, with no steps and the reason where the climb stopped.
//!
//! Only answered questions move (an unanswered one has no "next option up"), so the
//! weights in every mean stay the same from step to step, and a candidate's effect
//! on the index is found without scoring the sheet again.

use serde::Serialize;
use smallvec::SmallVec;

use crate::rubric::{Band, Effect, LoadedRubric, TOLERANCE, Target};
use crate::scoring;

/// One step of a roadmap.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// 1: clears a gate that holds the result below the target; 2: raises the index.
    pub phase: u8,
    /// The question whose answer moves.
    pub question: String,
    /// The option answered before this step.
    pub from: String,
    /// The next option up (by score).
    pub to: String,
    /// What it takes to move from `from` to `to`: the `improve` text of `from`.
    pub action: Option<String>,
    /// The index after this step and all earlier ones.
    pub index: f64,
    /// The recommendation (after gates) after this step and all earlier ones.
    pub recommendation: Band,
    /// The gate this step works to clear (phase 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gate: Option<String>,
}

/// Why a target cannot be reached by raising answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "reason")]
pub enum Blocked {
    /// With every answered question at its top option, this gate still caps the
    /// result below the target.
    Gate { gate: String, to: Band },
    /// With every answered question at its top option, the index stays in a lower
    /// band (`best`: that index).
    Index { best: f64 },
}

/// The steps from a sheet to a target recommendation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Roadmap {
    /// The recommendation aimed at; `None` when there is none to aim at (a VMO
    /// result with no target asked for).
    pub target: Option<Band>,
    /// Whether the last step reaches the target (true with no steps when the
    /// result is at or above it already).
    pub reached: bool,
    pub steps: Vec<Step>,
    /// Why the target cannot be reached, when it cannot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocked: Option<Blocked>,
}

/// The default target: the band above the result; none above a VMO.
pub fn default_target(result: Band) -> Option<Band> {
    match result {
        Band::Pmo => Some(Band::Hybrid),
        Band::Hybrid => Some(Band::Vmo),
        Band::Vmo => None,
    }
}

/// Works out the roadmap of a sheet (`choices[q]`: the chosen option of question
/// `q`) towards `target` (else the band above its result). `None` when nothing is
/// answered.
pub fn plan(
    rubric: &LoadedRubric,
    choices: &[Option<usize>],
    target: Option<Band>,
) -> Option<Roadmap> {
    plan_at(rubric, choices, target).map(|p| p.named(rubric))
}

/// A roadmap whose steps and gates refer to the rubric by index: what [`plan`]
/// works out, before it names them (a writer that has the rubric's texts at hand
/// writes from this without copying any).
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub target: Option<Band>,
    pub reached: bool,
    pub steps: SmallVec<[StepAt; 8]>,
    pub blocked: Option<BlockedAt>,
}

/// A [`Step`] by index: question `question` moves from option `from` to `to`;
/// `gate`: the index of the gate it works to clear.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepAt {
    pub phase: u8,
    pub question: usize,
    pub from: usize,
    pub to: usize,
    pub index: f64,
    pub recommendation: Band,
    pub gate: Option<usize>,
}

/// [`Blocked`] by index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BlockedAt {
    Gate { gate: usize, to: Band },
    Index { best: f64 },
}

impl Plan {
    /// The roadmap with the rubric's ids and texts.
    pub fn named(&self, rubric: &LoadedRubric) -> Roadmap {
        let r = &rubric.rubric;
        Roadmap {
            target: self.target,
            reached: self.reached,
            steps: self
                .steps
                .iter()
                .map(|s| {
                    let q = &r.question[s.question];
                    Step {
                        phase: s.phase,
                        question: q.id.clone(),
                        from: q.option[s.from].id.clone(),
                        to: q.option[s.to].id.clone(),
                        action: q.option[s.from].improve.clone(),
                        index: s.index,
                        recommendation: s.recommendation,
                        gate: s.gate.map(|gi| r.gate[gi].id.clone()),
                    }
                })
                .collect(),
            blocked: self.blocked.map(|b| match b {
                BlockedAt::Gate { gate, to } => Blocked::Gate {
                    gate: r.gate[gate].id.clone(),
                    to,
                },
                BlockedAt::Index { best } => Blocked::Index { best },
            }),
        }
    }
}

/// [`plan`] by index.
pub fn plan_at(
    rubric: &LoadedRubric,
    choices: &[Option<usize>],
    target: Option<Band>,
) -> Option<Plan> {
    let outcome = scoring::outcome(rubric, choices).ok()?;
    plan_from(rubric, choices, &outcome, target)
}

/// [`plan_at`] from the sheet's outcome (`score` has it already).
pub fn plan_from(
    rubric: &LoadedRubric,
    choices: &[Option<usize>],
    outcome: &scoring::Outcome,
    target: Option<Band>,
) -> Option<Plan> {
    // When every gate pulls the way its score goes, the recommendation only rises
    // with the answers, so the top answers fall short of the target only if the
    // climb (which raises answers towards them) does: the climb goes first, and
    // they are scored only when it falls short.
    let monotone = rubric
        .rubric
        .gate
        .iter()
        .all(crate::rubric::Gate::pulls_with_score);
    plan_with(rubric, choices, outcome, target, !monotone)
}

/// [`plan_from`], which tries the top answers before the climb when `top_first`
/// (always right; needed when a gate pulls against its score).
fn plan_with(
    rubric: &LoadedRubric,
    choices: &[Option<usize>],
    outcome: &scoring::Outcome,
    target: Option<Band>,
    top_first: bool,
) -> Option<Plan> {
    let now = outcome.recommendation;
    let target = target.or_else(|| default_target(now));
    let done = |target, reached, steps, blocked| {
        Some(Plan {
            target,
            reached,
            steps,
            blocked,
        })
    };
    let Some(target) = target else {
        return done(None, true, SmallVec::new(), None);
    };
    if now >= target {
        return done(Some(target), true, SmallVec::new(), None);
    }
    let mut climb = Climb::new(rubric, choices, outcome);
    // Why the target is out of reach even with the top answer to every answered
    // question, if it is.
    let top_blocked = |climb: &Climb| {
        let top: Answers = (choices.iter().enumerate())
            .map(|(qi, c)| c.map(|_| rubric.highest_option(qi)))
            .collect();
        climb.blocked_at(&top, target)
    };
    if top_first && let Some(blocked) = top_blocked(&climb) {
        return done(Some(target), false, SmallVec::new(), Some(blocked));
    }
    let start = Standing::of(rubric, outcome, target);
    let steps = climb.run(start, outcome.scores.clone(), target);
    if steps.last().is_some_and(|s| s.recommendation >= target) {
        return done(Some(target), true, steps, None);
    }
    if !top_first && let Some(blocked) = top_blocked(&climb) {
        return done(Some(target), false, SmallVec::new(), Some(blocked));
    }
    // Only a gate that fires as answers rise (a cap on `at-least`, a floor on
    // `below`) can stop the climb short of a target that the top answers reach: the
    // plan then offers no steps rather than a path that does not arrive.
    let why = climb
        .blocked_at(&climb.choices, target)
        .unwrap_or(BlockedAt::Index { best: 0.0 });
    done(Some(target), false, SmallVec::new(), Some(why))
}

/// A sheet's answers, on the stack for rubrics of up to 32 questions.
type Answers = SmallVec<[Option<usize>; 32]>;

/// A sheet being raised one step at a time.
#[derive(Clone)]
struct Climb<'a> {
    rubric: &'a LoadedRubric,
    choices: Answers,
    /// Per question, raising its answer one option up ([`Climb::candidate`]): kept
    /// as the answers rise, so that each step works out the raised question's only
    /// (the weights in every mean stay the same, so no other question's changes).
    rises: SmallVec<[Option<Rise>; 32]>,
    /// How many steps have raised each question so far (ties go to the question
    /// raised least, so that a plan does not dwell on one question while others
    /// would do as much).
    raised: SmallVec<[u32; 32]>,
    /// Per factor, the weight of its answered questions (fixed: only answered
    /// questions move).
    answered_weight: SmallVec<[f64; scoring::FACTORS_INLINE]>,
    /// The weight of the answered factors.
    total_weight: f64,
}

/// Raising one question's answer one option up: the option it moves to, and how
/// much its factor's score and the index rise.
#[derive(Clone, Copy)]
struct Rise {
    to: usize,
    factor: f64,
    index: f64,
}

/// Where a sheet stands: its index and recommendation, and the
/// first gate (by index) that caps it below the target, if any.
struct Standing {
    index: f64,
    recommendation: Band,
    band: Band,
    capping: Option<usize>,
}

impl Standing {
    /// Where a scored sheet stands ([`Climb::standing_with`] of its answers).
    fn of(rubric: &LoadedRubric, o: &scoring::Outcome, target: Band) -> Option<Standing> {
        Some(Standing {
            index: o.index,
            recommendation: o.recommendation,
            band: o.band,
            capping: capping(rubric, &o.gates, target),
        })
    }
}

/// The first of the gates that fired that caps below `target`.
fn capping(rubric: &LoadedRubric, fired: &[(usize, bool)], target: Band) -> Option<usize> {
    (fired.iter()).find_map(|&(gi, _)| match rubric.rubric.gate[gi].effect() {
        (Effect::Cap, to) if to < target => Some(gi),
        _ => None,
    })
}

impl<'a> Climb<'a> {
    /// The climb from `choices`, scored as `outcome`.
    fn new(
        rubric: &'a LoadedRubric,
        choices: &[Option<usize>],
        outcome: &scoring::Outcome,
    ) -> Self {
        let answered_weight = outcome.sums.iter().map(|s| s.wsum).collect();
        let total_weight = outcome.factor_weight(rubric);
        let mut climb = Climb {
            rubric,
            choices: choices.iter().copied().collect(),
            rises: SmallVec::new(),
            raised: SmallVec::from_elem(0, choices.len()),
            answered_weight,
            total_weight,
        };
        for qi in 0..choices.len() {
            let rise = climb.candidate(qi);
            climb.rises.push(rise);
        }
        climb
    }

    /// Scores `choices` without building an [`scoring::Evaluation`] (no names are
    /// copied).
    fn standing(&self, choices: &[Option<usize>], target: Band) -> Option<Standing> {
        self.standing_with(&scoring::scores_of(self.rubric, choices), choices, target)
    }

    /// [`Self::standing`] from the factor scores of `choices` (a step rescores the
    /// raised question's factor only).
    fn standing_with(
        &self,
        scores: &[Option<f64>],
        choices: &[Option<usize>],
        target: Band,
    ) -> Option<Standing> {
        let rb = self.rubric;
        let index = scoring::index_of(rb, scores)?;
        let band = scoring::band_of(&rb.rubric.scoring, index);
        let (recommendation, fired) =
            scoring::gates_fired(rb, band, |t| scoring::target_score(rb, t, scores, choices));
        Some(Standing {
            index,
            recommendation,
            band,
            capping: capping(rb, &fired, target),
        })
    }

    /// Why `target` is not reached at `choices`; `None` when it is.
    fn blocked_at(&self, choices: &[Option<usize>], target: Band) -> Option<BlockedAt> {
        let s = self.standing(choices, target)?;
        if s.recommendation >= target {
            return None;
        }
        // The index is the reason when its band alone stays below the target.
        match s.capping {
            Some(gi) if s.band >= target => Some(BlockedAt::Gate {
                gate: gi,
                to: self.rubric.rubric.gate[gi].effect().1,
            }),
            _ => Some(BlockedAt::Index { best: s.index }),
        }
    }

    /// Raising question `qi` one option up: the option it moves to, how much its
    /// factor's score rises, and how much the index rises.
    #[inline(always)]
    fn candidate(&self, qi: usize) -> Option<Rise> {
        let r = &self.rubric.rubric;
        let oi = self.choices[qi]?;
        let to = self.rubric.next_up(qi, oi)?;
        let q = &r.question[qi];
        let fi = self.rubric.question_factor[qi];
        let factor =
            q.weight * (q.option[to].score - q.option[oi].score) / self.answered_weight[fi];
        let index = r.factor[fi].weight * factor / self.total_weight;
        Some(Rise { to, factor, index })
    }

    /// The best of `candidates` (question, option, rise): the largest rise; among
    /// rises equal up to [`TOLERANCE`], the question raised least so far, then the
    /// first in rubric order.
    fn best(
        &self,
        candidates: impl Iterator<Item = (usize, usize, f64)>,
    ) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize, f64)> = None;
        for (qi, to, rise) in candidates {
            let better = match best {
                None => true,
                Some((bq, _, br)) => {
                    rise > br + TOLERANCE
                        || (rise > br - TOLERANCE && self.raised[qi] < self.raised[bq])
                }
            };
            if better {
                best = Some((qi, to, rise));
            }
        }
        best.map(|(qi, to, _)| (qi, to))
    }

    /// The best step for phase 1: among the questions that lift gate `gi`'s measure,
    /// the one that lifts it most.
    fn gate_step(&self, gi: usize) -> Option<(usize, usize)> {
        let fi = match self.rubric.gate_target[gi] {
            // Only its own answer lifts a gate on a question.
            Target::Question(qi) => return self.rises[qi].map(|r| (qi, r.to)),
            Target::Factor(fi) => fi,
        };
        self.best(self.rubric.questions_of(fi).iter().filter_map(|&qi| {
            let r = self.rises[qi]?;
            (r.factor > TOLERANCE).then_some((qi, r.to, r.factor))
        }))
    }

    /// The best step for phase 2: the one that moves the index most.
    fn index_step(&self) -> Option<(usize, usize)> {
        self.best(
            (self.rises.iter().enumerate()).filter_map(|(qi, r)| r.map(|r| (qi, r.to, r.index))),
        )
    }

    /// Takes steps from `start` (where `choices` stand, with factor scores
    /// `scores`) until the target is reached or nothing is left to raise; returns
    /// the steps, and leaves the climb at the answers they end at.
    fn run(
        &mut self,
        start: Option<Standing>,
        mut scores: scoring::Scores,
        target: Band,
    ) -> SmallVec<[StepAt; 8]> {
        let climb = self;
        let mut steps = SmallVec::new();
        let mut now = start;
        while let Some(s) = now.take() {
            if s.recommendation >= target {
                break;
            }
            // Phase 1 works on a capping gate that rising answers clear (a `below`
            // gate); one that fires on `at-least` only rises with them.
            let gate = s.capping.filter(|&gi| {
                let g = &climb.rubric.rubric.gate[gi];
                g.below.is_some()
                    && gate_measure(climb.rubric, gi, &scores, &climb.choices).is_some()
            });
            let pick = match gate {
                Some(gi) => climb.gate_step(gi).map(|p| (1, p, Some(gi))),
                None => climb.index_step().map(|p| (2, p, None)),
            };
            let Some((phase, (qi, to), gate)) = pick else {
                break;
            };
            let from = climb.choices[qi].unwrap_or(to);
            climb.choices[qi] = Some(to);
            climb.rises[qi] = climb.candidate(qi);
            climb.raised[qi] += 1;
            let fi = climb.rubric.question_factor[qi];
            scores[fi] = scoring::factor_score(climb.rubric, fi, &climb.choices);
            now = climb.standing_with(&scores, &climb.choices, target);
            let (index, recommendation) = now
                .as_ref()
                .map_or((0.0, Band::Pmo), |s| (s.index, s.recommendation));
            steps.push(StepAt {
                phase,
                question: qi,
                from,
                to,
                index,
                recommendation,
                gate,
            });
        }
        steps
    }
}

/// The value a gate compares with its threshold, under `choices`.
fn gate_measure(
    rubric: &LoadedRubric,
    gi: usize,
    scores: &[Option<f64>],
    choices: &[Option<usize>],
) -> Option<f64> {
    scoring::target_score(rubric, rubric.gate_target[gi], scores, choices)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::evaluate;

    fn small() -> LoadedRubric {
        crate::scoring::tests::small()
    }

    #[test]
    fn a_gate_is_cleared_first_then_the_index_rises() {
        // small: a (weight 1) = a1 (w1: 0|100), a2 (w3: 20|80); b (weight 3) = b1
        // (10|50|90). Gate a-weak: a below 30 caps at hybrid.
        let r = small();
        // a1 lo, a2 lo: a = (0 + 60)/4 = 15 (a-weak fires); b1 hi: b = 90, and
        // b-strong (at least 90) floors the result. Index (15 + 270)/4 = 71.25, VMO
        // band, capped at hybrid.
        let c = [Some(0), Some(0), Some(2)];
        let e = evaluate(&r, &c).unwrap();
        assert_eq!(e.recommendation, Band::Hybrid);
        let m = plan(&r, &c, None).unwrap();
        assert_eq!(m.target, Some(Band::Vmo));
        assert!(m.reached);
        // Raising a2 lifts a by 3 x 60 / 4 = 45, a1 by 100 / 4 = 25: a2 first, which
        // clears the gate (a = 60) and reaches VMO at once.
        assert_eq!(m.steps.len(), 1);
        let s = &m.steps[0];
        assert_eq!(
            (s.phase, s.question.as_str(), s.from.as_str(), s.to.as_str()),
            (1, "a2", "lo", "hi")
        );
        assert_eq!(s.gate.as_deref(), Some("a-weak"));
        assert_eq!(s.recommendation, Band::Vmo);
        assert_eq!(s.index, (60.0 + 270.0) / 4.0);
    }

    #[test]
    fn phase_two_takes_the_largest_move_first() {
        let r = small();
        // a1 hi, a2 hi: a = (100 + 240)/4 = 85; b1 lo: b = 10. Index (85 + 30)/4 =
        // 28.75, PMO.
        let c = [Some(1), Some(1), Some(0)];
        let m = plan(&r, &c, Some(Band::Vmo)).unwrap();
        assert!(m.reached);
        // Only b1 can rise: lo -> mid (index 58.75, hybrid), mid -> hi (88.75, VMO;
        // b-strong floors at hybrid, no effect).
        let got: Vec<(&str, &str, f64, Band)> = m
            .steps
            .iter()
            .map(|s| (s.from.as_str(), s.to.as_str(), s.index, s.recommendation))
            .collect();
        assert_eq!(
            got,
            [
                ("lo", "mid", 58.75, Band::Hybrid),
                ("mid", "hi", 88.75, Band::Vmo)
            ]
        );
        assert!(m.steps.iter().all(|s| s.phase == 2));
    }

    #[test]
    fn at_or_above_the_target_there_is_nothing_to_do() {
        let r = small();
        let c = [Some(1), Some(1), Some(2)];
        let m = plan(&r, &c, None).unwrap();
        assert_eq!((m.target, m.reached, m.steps.len()), (None, true, 0));
        let m = plan(&r, &c, Some(Band::Hybrid)).unwrap();
        assert_eq!(
            (m.target, m.reached, m.steps.len()),
            (Some(Band::Hybrid), true, 0)
        );
    }

    #[test]
    fn an_unreachable_target_says_why_and_has_no_steps() {
        // Move gate a-weak (below 30 caps at hybrid) onto b, and keep b1's options
        // under 30 (10, 20, 25): the gate fires whatever b1's answer.
        let mut r2 = small();
        r2.rubric.question[2].option[1].score = 20.0;
        r2.rubric.question[2].option[2].score = 25.0;
        r2.rubric.gate[0].factor = Some("b".into());
        r2.reindex();
        // a1 lo, b1 lo: index 10, PMO. At the top: a = 100, b = 25, index 43.75:
        // hybrid is within reach.
        let c = [Some(0), None, Some(0)];
        let m = plan(&r2, &c, Some(Band::Hybrid)).unwrap();
        assert!(m.reached, "{m:?}");
        // With VMO from 40, index 43.75 is in the VMO band but the gate still caps
        // it at hybrid: the gate is the reason.
        r2.rubric.scoring.vmo_from = 40.0;
        r2.rubric.scoring.hybrid_from = 30.0;
        let m = plan(&r2, &c, Some(Band::Vmo)).unwrap();
        assert!(!m.reached);
        assert!(m.steps.is_empty());
        assert_eq!(
            m.blocked,
            Some(Blocked::Gate {
                gate: "a-weak".into(),
                to: Band::Hybrid
            })
        );
        // An index that cannot climb: only b1 answered, with a top of 25 (PMO band).
        let c = [None, None, Some(0)];
        let m = plan(&r2, &c, Some(Band::Vmo)).unwrap();
        assert_eq!(m.blocked, Some(Blocked::Index { best: 25.0 }));
        assert!(!m.reached && m.steps.is_empty());
    }

    #[test]
    fn equal_moves_take_turns_between_questions() {
        let t = r#"
id = "r"
version = "1"
title = "R"
[scoring]
hybrid-from = 40.0
vmo-from = 60.0
[[factor]]
id = "f"
title = "F"
[[question]]
id = "q1"
factor = "f"
text = "Q1"
[[question.option]]
id = "lo"
label = "Lo"
score = 0.0
[[question.option]]
id = "mid"
label = "Mid"
score = 50.0
[[question.option]]
id = "hi"
label = "Hi"
score = 100.0
[[question]]
id = "q2"
factor = "f"
text = "Q2"
[[question.option]]
id = "lo"
label = "Lo"
score = 0.0
[[question.option]]
id = "mid"
label = "Mid"
score = 50.0
[[question.option]]
id = "hi"
label = "Hi"
score = 100.0
[recommendation.pmo]
title = "T"
summary = "S"
next-steps = ["N"]
[recommendation.hybrid]
title = "T"
summary = "S"
next-steps = ["N"]
[recommendation.vmo]
title = "T"
summary = "S"
next-steps = ["N"]
"#;
        let r = LoadedRubric::from_str("r.toml", t).unwrap();
        let m = plan(&r, &[Some(0), Some(0)], Some(Band::Vmo)).unwrap();
        // Every step moves the index by 25; q2 takes its turn before q1 rises again.
        let got: Vec<(&str, &str, f64)> = m
            .steps
            .iter()
            .map(|s| (s.question.as_str(), s.to.as_str(), s.index))
            .collect();
        assert_eq!(
            got,
            [("q1", "mid", 25.0), ("q2", "mid", 50.0), ("q1", "hi", 75.0)]
        );
    }

    #[test]
    fn next_up_goes_by_score_not_by_file_order() {
        let mut r = small();
        // b1's options listed out of order: hi (90), lo (10), mid (50).
        r.rubric.question[2].option.swap(0, 2);
        r.rubric.question[2].option.swap(1, 2);
        r.reindex();
        let scores: Vec<f64> = r.rubric.question[2]
            .option
            .iter()
            .map(|o| o.score)
            .collect();
        assert_eq!(scores, [90.0, 10.0, 50.0]);
        assert_eq!(r.next_up(2, 1), Some(2));
        assert_eq!(r.next_up(2, 2), Some(0));
        assert_eq!(r.next_up(2, 0), None);
    }

    /// A random rubric of 2 to 3 factors, 1 to 3 questions each, 2 to 4 options with
    /// scores in steps of 5 (so ties happen), weights from a few values, and 0 to 3
    /// gates on factors or questions (below or at-least, cap or floor).
    fn random_rubric(seed: &[u8]) -> LoadedRubric {
        use std::fmt::Write as _;
        let mut it = seed.iter().copied().cycle();
        let mut next = |n: u8| it.next().unwrap_or(0) % n;
        let mut t = String::from(
            "id = \"r\"\nversion = \"1\"\ntitle = \"R\"\n[scoring]\nhybrid-from = 40.0\nvmo-from = 60.0\n",
        );
        let factors = 2 + next(2) as usize;
        for f in 0..factors {
            let _ = write!(
                t,
                "[[factor]]\nid = \"f{f}\"\ntitle = \"F{f}\"\nweight = {}\n",
                [1.0, 2.0, 0.5][next(3) as usize]
            );
        }
        let mut questions_ids = Vec::new();
        for f in 0..factors {
            for q in 0..1 + next(3) {
                questions_ids.push(format!("question = \"q{f}-{q}\""));
                let _ = write!(
                    t,
                    "[[question]]\nid = \"q{f}-{q}\"\nfactor = \"f{f}\"\ntext = \"Q{f}{q}\"\nweight = {}\n",
                    [1.0, 3.0, 0.25][next(3) as usize]
                );
                for o in 0..2 + next(3) {
                    let _ = write!(
                        t,
                        "[[question.option]]\nid = \"o{o}\"\nlabel = \"O{o}\"\nscore = {}\n",
                        f64::from(next(21)) * 5.0
                    );
                }
            }
        }
        let questions = questions_ids.len();
        for g in 0..next(4) {
            let (on, cond, effect) = (next(2), next(2), next(2));
            let what = if on == 0 {
                format!("factor = \"f{}\"", next(factors as u8))
            } else {
                questions_ids[next(questions as u8) as usize].clone()
            };
            let _ = write!(
                t,
                "[[gate]]\nid = \"g{g}\"\n{what}\n{} = {}\n{} = \"{}\"\nmessage = \"m\"\n",
                if cond == 0 { "below" } else { "at-least" },
                f64::from(next(21)) * 5.0,
                if effect == 0 { "cap" } else { "floor" },
                ["pmo", "hybrid", "vmo"][next(3) as usize]
            );
        }
        for b in ["pmo", "hybrid", "vmo"] {
            let _ = write!(
                t,
                "[recommendation.{b}]\ntitle = \"T\"\nsummary = \"S\"\nnext-steps = [\"N\"]\n"
            );
        }
        LoadedRubric::from_str("random.toml", &t).expect("a valid random rubric")
    }

    /// A sheet of `r` whose answers are `picks` in turn (an option number, taken
    /// modulo the question's options; `None`: unanswered).
    fn picked(r: &LoadedRubric, picks: &[Option<usize>]) -> Vec<Option<usize>> {
        (0..r.rubric.question.len())
            .map(|qi| picks[qi % picks.len()].map(|o| o % r.rubric.question[qi].option.len()))
            .collect()
    }

    proptest::proptest! {
        /// Replaying the steps one by one and scoring from scratch gives each step's
        /// stated index and recommendation; the last step reaches the target and no
        /// earlier one does; every step moves one question to its next option up by
        /// score; gate-clearing steps (phase 1) come before the others.
        #[test]
        fn steps_replay_exactly(
            seed in proptest::collection::vec(proptest::num::u8::ANY, 64),
            picks in proptest::collection::vec(proptest::option::of(0usize..4), 9),
            target in proptest::option::of(0usize..3),
        ) {
            let r = random_rubric(&seed);
            let choices = picked(&r, &picks);
            let target = target.map(|t| Band::ALL[t]);
            let Some(m) = plan(&r, &choices, target) else {
                proptest::prop_assert!(choices.iter().all(Option::is_none));
                return Ok(());
            };
            let mut c = choices.clone();
            let mut seen_phase_two = false;
            for (k, s) in m.steps.iter().enumerate() {
                let qi = r.question(&s.question).unwrap();
                let q = &r.rubric.question[qi];
                let from = q.option.iter().position(|o| o.id == s.from).unwrap();
                let to = q.option.iter().position(|o| o.id == s.to).unwrap();
                proptest::prop_assert_eq!(c[qi], Some(from));
                proptest::prop_assert_eq!(r.next_up(qi, from), Some(to));
                c[qi] = Some(to);
                let e = evaluate(&r, &c).unwrap();
                proptest::prop_assert_eq!(e.index, s.index);
                proptest::prop_assert_eq!(e.recommendation, s.recommendation);
                let t = m.target.unwrap();
                let last = k + 1 == m.steps.len();
                proptest::prop_assert_eq!(e.recommendation >= t, last && m.reached);
                if s.phase == 2 {
                    seen_phase_two = true;
                } else {
                    proptest::prop_assert!(!seen_phase_two, "a gate step after an index step");
                }
            }
            // Not reached means out of reach: no steps, and a reason.
            if !m.reached {
                proptest::prop_assert!(m.steps.is_empty() && m.blocked.is_some());
            }
        }
    }

    proptest::proptest! {
        /// When every gate pulls the way its score goes, trying the top answers
        /// after the climb (as `plan_from` then does) gives the plan that trying
        /// them first gives, blocked or not.
        #[test]
        fn the_top_answers_may_wait_when_gates_pull_with_scores(
            seed in proptest::collection::vec(proptest::num::u8::ANY, 64),
            picks in proptest::collection::vec(proptest::option::of(0usize..4), 9),
            target in proptest::option::of(0usize..3),
        ) {
            // The random rubric with every gate turned to pull with its score.
            let mut r = random_rubric(&seed);
            for g in &mut r.rubric.gate {
                let threshold = g.below.or(g.at_least);
                let cap = g.effect().0 == crate::rubric::Effect::Cap;
                (g.below, g.at_least) = if cap { (threshold, None) } else { (None, threshold) };
            }
            r.reindex();
            proptest::prop_assert!(r.rubric.gate.iter().all(crate::rubric::Gate::pulls_with_score));
            let choices = picked(&r, &picks);
            let target = target.map(|t| Band::ALL[t]);
            let Ok(o) = scoring::outcome(&r, &choices) else {
                return Ok(());
            };
            let first = plan_with(&r, &choices, &o, target, true);
            proptest::prop_assert_eq!(plan_from(&r, &choices, &o, target), first);
        }
    }
}
