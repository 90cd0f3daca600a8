//! The roadmap: from a scored sheet, the ordered steps that would take it to a
//! target recommendation, each moving one answered question to its next option up.
//! It enumerates the candidate steps and asks the scoring model what each would do
//! ([`Outcome::with_answer`], then [`Outcome::change`] for the step taken): no
//! figure here is worked out by the roadmap itself. The words are in `render`.
//!
//! How the steps are chosen:
//! - Phase 1 clears the gates that cap the result below the target, in file order:
//!   each step raises the answer that lifts the gate's measure (its factor's score, or
//!   its question's) the most, until the gate no longer fires.
//! - Phase 2 raises the index: each step is the one that moves the index most.
//! - Among steps that move as much, the question raised least so far goes first
//!   (then rubric order), so a plan takes turns between equal questions instead of
//!   raising one four times in a row.
//! - Steps stop at the first that reaches the target. The target is out of reach
//!   when the top option of every answered question does not reach it: then there
//!   are no steps and [`Roadmap::blocked`] says why. A gate that fires as answers
//!   rise (a cap `at-least`, a floor `below`) can make the climb miss a target the
//!   top answers reach: the plan is then unreached too, with no steps and the reason
//!   where the climb stopped.
//!
//! Only answered questions move (an unanswered one has no "next option up").

use serde::Serialize;

use crate::rubric::{Band, Effect, LoadedRubric, TOLERANCE, Target};
use crate::scoring::{self, Outcome};

/// One step of a roadmap.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Step<'r> {
    /// 1: clears a gate that holds the result below the target; 2: raises the index.
    pub(crate) phase: u8,
    /// The question whose answer moves.
    #[serde(serialize_with = "crate::json_text::text")]
    pub(crate) question: &'r str,
    /// The option answered before this step.
    #[serde(serialize_with = "crate::json_text::text")]
    pub(crate) from: &'r str,
    /// The next option up (by score).
    #[serde(serialize_with = "crate::json_text::text")]
    pub(crate) to: &'r str,
    /// What it takes to move from `from` to `to`: the `improve` text of `from`.
    #[serde(serialize_with = "crate::json_text::option")]
    pub(crate) action: Option<&'r str>,
    /// The index after this step and all earlier ones.
    pub(crate) index: f64,
    /// The recommendation (after gates) after this step and all earlier ones.
    pub(crate) recommendation: Band,
    /// The gate this step works to clear (phase 1).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::json_text::option"
    )]
    pub(crate) gate: Option<&'r str>,
}

/// Why a target cannot be reached by raising answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "reason")]
pub(crate) enum Blocked<'r> {
    /// With every answered question at its top option, this gate still caps the
    /// result below the target.
    Gate {
        #[serde(serialize_with = "crate::json_text::text")]
        gate: &'r str,
        to: Band,
    },
    /// With every answered question at its top option, the index stays in a lower
    /// band (`best`: that index).
    Index { best: f64 },
}

/// The steps from a sheet to a target recommendation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Roadmap<'r> {
    /// The recommendation aimed at; `None` when there is none to aim at (a VMO
    /// result with no target asked for).
    pub(crate) target: Option<Band>,
    /// Whether the last step reaches the target (true with no steps when the
    /// result is at or above it already).
    pub(crate) reached: bool,
    pub(crate) steps: Vec<Step<'r>>,
    /// Why the target cannot be reached, when it cannot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) blocked: Option<Blocked<'r>>,
}

/// The default target: the band above the result; none above a VMO.
pub(crate) fn default_target(result: Band) -> Option<Band> {
    match result {
        Band::Pmo => Some(Band::Hybrid),
        Band::Hybrid => Some(Band::Vmo),
        Band::Vmo | Band::None | Band::Both | Band::Federated => None,
    }
}

/// The roadmap of the sheet scored as `outcome` towards `target` (else the band
/// above its result).
pub(crate) fn plan<'r>(
    rubric: &'r LoadedRubric,
    outcome: &Outcome,
    target: Option<Band>,
) -> Roadmap<'r> {
    // When the recommendation moves one way with every answer's score, the top
    // answers fall short of the target only if the climb (which raises answers
    // towards them) does: the climb goes first, and they are scored only then.
    plan_with(rubric, outcome, target, !scoring::monotone(rubric))
}

/// [`plan`], which tries the top answers before the climb when `top_first`
/// (always right; needed when the recommendation can fall as a score rises).
fn plan_with<'r>(
    rubric: &'r LoadedRubric,
    outcome: &Outcome,
    target: Option<Band>,
    top_first: bool,
) -> Roadmap<'r> {
    let now = outcome.recommendation();
    let target = target.or_else(|| default_target(now));
    let done = |target, steps, blocked: Option<Blocked<'r>>| Roadmap {
        target,
        reached: blocked.is_none(),
        steps,
        blocked,
    };
    let Some(target) = target else {
        return done(None, Vec::new(), None);
    };
    if now >= target {
        return done(Some(target), Vec::new(), None);
    }
    // Why the target is out of reach even with the top answer to every answered
    // question, if it is.
    let top_blocked = || {
        let top: Vec<Option<usize>> = (outcome.choices().iter().enumerate())
            .map(|(qi, c)| c.map(|_| rubric.highest_option(qi)))
            .collect();
        (Outcome::of(rubric, &top).ok()).and_then(|o| blocked(rubric, &o, target))
    };
    if top_first && let Some(why) = top_blocked() {
        return done(Some(target), Vec::new(), Some(why));
    }
    let mut climb = Climb::new(rubric, outcome);
    climb.run(target);
    if climb.at.recommendation() >= target {
        return done(Some(target), climb.steps, None);
    }
    if !top_first && let Some(why) = top_blocked() {
        return done(Some(target), Vec::new(), Some(why));
    }
    // Only a gate that fires as answers rise (a cap on `at-least`, a floor on
    // `below`) can stop the climb short of a target that the top answers reach: the
    // plan then offers no steps rather than a path that does not arrive.
    let why = blocked(rubric, &climb.at, target).unwrap_or(Blocked::Index { best: 0.0 });
    done(Some(target), Vec::new(), Some(why))
}

/// The first of the gates that fired on `o` that caps it below `target`.
fn capping(rubric: &LoadedRubric, o: &Outcome, target: Band) -> Option<usize> {
    (o.gates().iter()).find_map(|&(gi, _)| match rubric.rubric.gate[gi].effect() {
        (Effect::Cap, Some(to)) if to < target => Some(gi),
        _ => None,
    })
}

/// Why `target` is not reached by `o`; `None` when it is. The index is the reason
/// when its band alone stays below the target.
fn blocked<'r>(rubric: &'r LoadedRubric, o: &Outcome, target: Band) -> Option<Blocked<'r>> {
    if o.recommendation() >= target {
        return None;
    }
    match capping(rubric, o, target) {
        Some(gi) if o.decision().band >= target => Some(Blocked::Gate {
            gate: &rubric.rubric.gate[gi].id,
            to: rubric.rubric.gate[gi].effect().1.unwrap_or(target),
        }),
        _ => Some(Blocked::Index { best: o.index() }),
    }
}

/// A sheet being raised one step at a time.
struct Climb<'r> {
    rubric: &'r LoadedRubric,
    /// Where the answers stand now.
    at: Outcome,
    /// How many steps have raised each question so far (ties go to the question
    /// raised least, so that a plan does not dwell on one question while others
    /// would do as much).
    raised: Vec<u32>,
    /// Per question, raising it one option up: the option, and the score its
    /// factor would then have ([`Outcome::factor_if`], which reads that factor's
    /// answers only: worked out again for the factor a step changes).
    rises: Vec<Option<(usize, Option<f64>)>>,
    steps: Vec<Step<'r>>,
}

impl<'r> Climb<'r> {
    fn new(rubric: &'r LoadedRubric, outcome: &Outcome) -> Self {
        let mut climb = Climb {
            rubric,
            at: outcome.clone(),
            raised: vec![0; outcome.choices().len()],
            rises: vec![None; outcome.choices().len()],
            steps: Vec::new(),
        };
        for qi in 0..climb.rises.len() {
            climb.rises[qi] = climb.rise(qi);
        }
        climb
    }

    /// Raising question `qi` one option up, as [`Climb::rises`] keeps it.
    fn rise(&self, qi: usize) -> Option<(usize, Option<f64>)> {
        let to = self.rubric.next_up(qi, self.at.choices()[qi]?)?;
        Some((to, self.at.factor_if(self.rubric, qi, Some(to))))
    }

    /// Takes steps until the target is reached or nothing is left to raise.
    fn run(&mut self, target: Band) {
        while self.at.recommendation() < target {
            // Phase 1 works on a capping gate that rising answers clear (a `below`
            // gate, on something answered); one that fires on `at-least` only rises
            // with them.
            let gate = capping(self.rubric, &self.at, target).filter(|&gi| {
                let g = &self.rubric.rubric.gate[gi];
                g.below.is_some()
                    && (self.at)
                        .read(self.rubric, self.rubric.gate_targets()[gi])
                        .is_some()
            });
            let pick = match gate {
                Some(gi) => self.gate_step(gi).map(|p| (1, p)),
                None => self.index_step().map(|p| (2, p)),
            };
            let Some((phase, (qi, to))) = pick else {
                break;
            };
            let Some(from) = self.at.choices()[qi] else {
                break;
            };
            if self.at.change(self.rubric, qi, Some(to)).is_err() {
                break;
            }
            self.raised[qi] += 1;
            if let Some(fi) = self.rubric.question_factors()[qi] {
                for &q in self.rubric.questions_of(fi) {
                    self.rises[q] = self.rise(q);
                }
            }
            let q = &self.rubric.rubric.question[qi];
            self.steps.push(Step {
                phase,
                question: &q.id,
                from: &q.option[from].id,
                to: &q.option[to].id,
                action: q.option[from].improve.as_deref(),
                index: self.at.index(),
                recommendation: self.at.recommendation(),
                gate: gate.map(|gi| self.rubric.rubric.gate[gi].id.as_str()),
            });
        }
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
        let fi = match self.rubric.gate_targets()[gi] {
            // Only its own answer lifts a gate on a question.
            Target::Question(qi) => return self.rises[qi].map(|(to, _)| (qi, to)),
            Target::Factor(fi) => fi,
            Target::Axis(_) => return None,
        };
        let now = self.at.factor(fi)?;
        self.best(self.rubric.questions_of(fi).iter().filter_map(|&qi| {
            let (to, factor) = self.rises[qi]?;
            let rise = factor? - now;
            (rise > TOLERANCE).then_some((qi, to, rise))
        }))
    }

    /// The best step for phase 2: the one that moves the index most.
    fn index_step(&self) -> Option<(usize, usize)> {
        let now = self.at.index();
        let rubric = self.rubric;
        self.best((self.rises.iter().enumerate()).filter_map(|(qi, rise)| {
            let (to, factor) = (*rise)?;
            let index = self
                .at
                .index_if(rubric, rubric.question_factors()[qi]?, factor)?;
            Some((qi, to, index - now))
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::evaluate;

    /// [`plan`] of a sheet's answers; `None` when nothing is answered.
    fn plan_in<'r>(
        rubric: &'r LoadedRubric,
        choices: &[Option<usize>],
        target: Option<Band>,
    ) -> Option<Roadmap<'r>> {
        Outcome::of(rubric, choices)
            .ok()
            .map(|o| plan(rubric, &o, target))
    }

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
        let m = plan_in(&r, &c, None).unwrap();
        assert_eq!(m.target, Some(Band::Vmo));
        assert!(m.reached);
        // Raising a2 lifts a by 3 x 60 / 4 = 45, a1 by 100 / 4 = 25: a2 first, which
        // clears the gate (a = 60) and reaches VMO at once.
        assert_eq!(m.steps.len(), 1);
        let s = &m.steps[0];
        assert_eq!((s.phase, s.question, s.from, s.to), (1, "a2", "lo", "hi"));
        assert_eq!(s.gate, Some("a-weak"));
        assert_eq!(s.recommendation, Band::Vmo);
        assert_eq!(s.index, (60.0 + 270.0) / 4.0);
    }

    #[test]
    fn phase_two_takes_the_largest_move_first() {
        let r = small();
        // a1 hi, a2 hi: a = (100 + 240)/4 = 85; b1 lo: b = 10. Index (85 + 30)/4 =
        // 28.75, PMO.
        let c = [Some(1), Some(1), Some(0)];
        let m = plan_in(&r, &c, Some(Band::Vmo)).unwrap();
        assert!(m.reached);
        // Only b1 can rise: lo -> mid (index 58.75, hybrid), mid -> hi (88.75, VMO;
        // b-strong floors at hybrid, no effect).
        let got: Vec<(&str, &str, f64, Band)> = m
            .steps
            .iter()
            .map(|s| (s.from, s.to, s.index, s.recommendation))
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
        let m = plan_in(&r, &c, None).unwrap();
        assert_eq!((m.target, m.reached, m.steps.len()), (None, true, 0));
        let m = plan_in(&r, &c, Some(Band::Hybrid)).unwrap();
        assert_eq!(
            (m.target, m.reached, m.steps.len()),
            (Some(Band::Hybrid), true, 0)
        );
    }

    #[test]
    fn an_unreachable_target_says_why_and_has_no_steps() {
        // Move gate a-weak (below 30 caps at hybrid) onto b, and keep b1's options
        // under 30 (10, 20, 25): the gate fires whatever b1's answer.
        let r2 = small().changed(|rb| {
            rb.question[2].option[1].score = 20.0;
            rb.question[2].option[2].score = 25.0;
            rb.gate[0].factor = Some("b".into());
        });
        // a1 lo, b1 lo: index 10, PMO. At the top: a = 100, b = 25, index 43.75:
        // hybrid is within reach.
        let c = [Some(0), None, Some(0)];
        let m = plan_in(&r2, &c, Some(Band::Hybrid)).unwrap();
        assert!(m.reached, "{m:?}");
        // With VMO from 40, index 43.75 is in the VMO band but the gate still caps
        // it at hybrid: the gate is the reason.
        let r2 = r2.changed(|rb| {
            rb.scoring.vmo_from = 40.0;
            rb.scoring.hybrid_from = 30.0;
        });
        let m = plan_in(&r2, &c, Some(Band::Vmo)).unwrap();
        assert!(!m.reached);
        assert!(m.steps.is_empty());
        assert_eq!(
            m.blocked,
            Some(Blocked::Gate {
                gate: "a-weak",
                to: Band::Hybrid
            })
        );
        // An index that cannot climb: only b1 answered, with a top of 25 (PMO band).
        let c = [None, None, Some(0)];
        let m = plan_in(&r2, &c, Some(Band::Vmo)).unwrap();
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
        let m = plan_in(&r, &[Some(0), Some(0)], Some(Band::Vmo)).unwrap();
        // Every step moves the index by 25; q2 takes its turn before q1 rises again.
        let got: Vec<(&str, &str, f64)> = m
            .steps
            .iter()
            .map(|s| (s.question, s.to, s.index))
            .collect();
        assert_eq!(
            got,
            [("q1", "mid", 25.0), ("q2", "mid", 50.0), ("q1", "hi", 75.0)]
        );
    }

    #[test]
    fn next_up_goes_by_score_not_by_file_order() {
        // b1's options listed out of order: hi (90), lo (10), mid (50).
        let r = small().changed(|rb| {
            rb.question[2].option.swap(0, 2);
            rb.question[2].option.swap(1, 2);
        });
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
            let Some(m) = plan_in(&r, &choices, target) else {
                proptest::prop_assert!(choices.iter().all(Option::is_none));
                return Ok(());
            };
            let mut c = choices.clone();
            let mut seen_phase_two = false;
            for (k, s) in m.steps.iter().enumerate() {
                let qi = r.question(s.question).unwrap();
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
        /// after the climb (as `plan` then does) gives the plan that trying them
        /// first gives, blocked or not.
        #[test]
        fn the_top_answers_may_wait_when_gates_pull_with_scores(
            seed in proptest::collection::vec(proptest::num::u8::ANY, 64),
            picks in proptest::collection::vec(proptest::option::of(0usize..4), 9),
            target in proptest::option::of(0usize..3),
        ) {
            // The random rubric with every gate turned to pull with its score.
            let r = random_rubric(&seed).changed(|rb| {
                for g in &mut rb.gate {
                    let threshold = g.below.or(g.at_least);
                    let cap = g.effect().0 == crate::rubric::Effect::Cap;
                    (g.below, g.at_least) = if cap { (threshold, None) } else { (None, threshold) };
                }
            });
            proptest::prop_assert!(scoring::monotone(&r));
            let choices = picked(&r, &picks);
            let target = target.map(|t| Band::ALL[t]);
            let Ok(o) = Outcome::of(&r, &choices) else {
                return Ok(());
            };
            let first = plan_with(&r, &o, target, true);
            proptest::prop_assert_eq!(plan(&r, &o, target), first);
        }
    }
}
