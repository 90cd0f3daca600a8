//! Which of the rubric's texts apply to a result, chosen so that nothing shown
//! contradicts the answers or the gates that fired: the gate messages that lead in
//! place of the summary, and the next steps the answers do not show as done.
//! Data only (indexes into the rubric); the words are put together in `render`.

use serde::Serialize;

use crate::rubric::{Band, LoadedRubric, Target};
use crate::scoring::{self, FiredGate, Outcome};

/// What leads the explanation of a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "gates")]
pub enum Lead {
    /// No gate changed the result: the recommendation's summary holds.
    Summary,
    /// Gates changed the result: their messages (indexes into `rubric.gate`, file
    /// order, each one that changed the result and whose band is the result) lead,
    /// and the summary, written for results no gate moved, is not shown.
    Gates(Vec<usize>),
    /// A provisional result that no gate changed: no summary is shown, since the
    /// answers are too few to back one.
    Nothing,
}

/// The texts that apply to one result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Advice {
    /// What leads the explanation: the gates' messages, the summary, or nothing.
    pub lead: Lead,
    /// Indexes into the recommendation's `next-steps` that are shown: those without
    /// an `unless`, or whose `unless` does not hold. None for a provisional result.
    pub(crate) steps: Vec<usize>,
    /// Fired gates whose message agrees with the result (their band is the result)
    /// but that are not in the lead, in file order; a fired gate whose band is not
    /// the result (a cap above it, a floor below it) did nothing here, and its
    /// message, written for that band, is left out.
    pub(crate) also: Vec<usize>,
}

impl Advice {
    /// No text chosen: for outputs that show none (csv, json).
    pub(crate) fn none() -> Self {
        Advice {
            lead: Lead::Summary,
            steps: Vec::new(),
            also: Vec::new(),
        }
    }
}

/// Chooses the texts for a result: `recommendation` after `gates`, `provisional`,
/// and each gate's or condition's score read by `score_of` (`None`: unanswered,
/// so a condition on it does not hold and its step is shown).
pub(crate) fn advise(
    rubric: &LoadedRubric,
    recommendation: Band,
    gates: &[FiredGate],
    provisional: bool,
    score_of: impl Fn(Target) -> Option<f64>,
) -> Advice {
    let r = &rubric.rubric;
    let index_of = |id: &str| r.gate.iter().position(|g| g.id == id);
    // The fired gates whose band is the result: those that changed it lead, the
    // others are `also`.
    let agreeing = |changed: bool| {
        gates
            .iter()
            .filter(move |g| g.to == recommendation && g.changed == changed)
            .filter_map(|g| index_of(g.id))
    };
    let leading: Vec<usize> = agreeing(true).collect();
    let also = agreeing(false).collect();
    let lead = match (leading.is_empty(), provisional) {
        (false, _) => Lead::Gates(leading),
        (true, false) => Lead::Summary,
        (true, true) => Lead::Nothing,
    };
    let steps = if provisional {
        Vec::new()
    } else {
        r.recommendation
            .get(recommendation)
            .next_steps
            .iter()
            .enumerate()
            .filter(|&(i, s)| !done(rubric, recommendation, i, s.unless(), &score_of))
            .map(|(i, _)| i)
            .collect()
    };
    Advice { lead, steps, also }
}

/// Whether step `i` of `band`'s recommendation is done: its `unless` holds. Never
/// without one, never when what it reads is unanswered. What it reads was resolved
/// when the rubric was loaded ([`LoadedRubric::step_target`]).
fn done(
    rubric: &LoadedRubric,
    band: Band,
    i: usize,
    unless: Option<&crate::rubric::Condition>,
    score_of: &impl Fn(Target) -> Option<f64>,
) -> bool {
    unless.is_some_and(|c| {
        rubric
            .step_target(band, i)
            .and_then(score_of)
            .is_some_and(|s| c.holds(s))
    })
}

/// The advice for one scored sheet (`provisional`: its coverage falls short).
pub(crate) fn for_sheet(rubric: &LoadedRubric, o: &Outcome, provisional: bool) -> Advice {
    let gates = scoring::named_gates(rubric, o.gates());
    advise(rubric, o.recommendation(), &gates, provisional, |t| {
        o.read(rubric, t)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::NextStep;

    fn sheet(r: &LoadedRubric, answers: &[(&str, &str)]) -> Vec<Option<usize>> {
        let mut c = vec![None; r.rubric.question.len()];
        for (q, o) in answers {
            let qi = r.question(q).unwrap();
            c[qi] = r.rubric.question[qi].option.iter().position(|x| x.id == *o);
            assert!(c[qi].is_some(), "{q} = {o}");
        }
        c
    }

    #[test]
    fn a_step_already_done_is_hidden_and_an_unanswered_one_shown() {
        let r = LoadedRubric::embedded().unwrap();
        let steps = &r.rubric.recommendation.pmo.next_steps;
        let standards = steps
            .iter()
            .position(|s| {
                s.unless()
                    .is_some_and(|c| c.question.as_deref() == Some("maturity-standards"))
            })
            .expect("a PMO step hidden by maturity-standards");
        // Chaotic delivery caps at PMO; the method is documented (50): done.
        let c = sheet(
            &r,
            &[
                ("maturity-delivery-track-record", "rarely"),
                ("maturity-standards", "documented"),
            ],
        );
        let o = Outcome::of(&r, &c).unwrap();
        assert_eq!(o.recommendation(), Band::Pmo);
        let a = for_sheet(&r, &o, false);
        assert!(!a.steps.contains(&standards), "{a:?}");
        assert!(
            a.steps.contains(&0),
            "a step with no condition is always shown"
        );
        // Unanswered: shown.
        let c = sheet(&r, &[("maturity-delivery-track-record", "rarely")]);
        let o = Outcome::of(&r, &c).unwrap();
        assert!(for_sheet(&r, &o, false).steps.contains(&standards));
        assert!(matches!(steps[0], NextStep::Always(_)));
    }

    #[test]
    fn the_gate_that_changed_the_result_leads_and_a_provisional_result_has_no_steps() {
        let r = LoadedRubric::embedded().unwrap();
        let c = sheet(&r, &[("maturity-delivery-track-record", "rarely")]);
        let o = Outcome::of(&r, &c).unwrap();
        // One answer, score 0: PMO band already, no gate changes it.
        assert!(o.provisional(&r));
        let a = for_sheet(&r, &o, true);
        assert_eq!(a.lead, Lead::Nothing);
        assert!(a.steps.is_empty());
        // A lone top answer elsewhere with chaotic delivery: VMO band, capped at PMO.
        let c = sheet(
            &r,
            &[
                ("maturity-delivery-track-record", "rarely"),
                ("objective-success-measure", "value-realised"),
            ],
        );
        let e = scoring::evaluate(&r, &c).unwrap();
        let a = for_sheet(&r, &Outcome::of(&r, &c).unwrap(), e.provisional);
        let chaotic = r
            .rubric
            .gate
            .iter()
            .position(|g| g.id == "chaotic-delivery-means-pmo")
            .unwrap();
        assert_eq!(e.recommendation, Band::Pmo, "{e:?}");
        assert_eq!(a.lead, Lead::Gates(vec![chaotic]));
    }
}
