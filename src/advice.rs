//! Which of the rubric's texts apply to a result, chosen so that nothing shown
//! contradicts the answers or the gates that fired: where the texts come from (a
//! band's recommendation, or an outcome rule and the variants its context selects),
//! the gate messages that lead in place of the summary, the risks, and the next
//! steps the answers do not show as done. Data only (indexes into the rubric); the
//! words are put together in `render`.

use serde::Serialize;

use crate::rubric::{Band, Cond, LoadedRubric, NextStep};
use crate::scoring::{Decision, Outcome};

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

/// Where a result's title, summary and next steps come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// Format 2: the recommendation of this band.
    Band(Band),
    /// Format 3: outcome rule `rule` (its `same-as` resolved), each text from the
    /// variant given (by index) or from the rule itself.
    Rule {
        /// The rule, by index.
        rule: usize,
        /// The variant whose title is shown, by index.
        title: Option<usize>,
        /// The variant whose summary is shown, by index.
        summary: Option<usize>,
        /// The variant whose next steps are shown, by index.
        steps: Option<usize>,
    },
}

impl Source {
    /// The headline.
    pub fn title(self, rubric: &LoadedRubric) -> &str {
        match self {
            Source::Band(b) => rubric
                .rubric
                .recommendation
                .as_ref()
                .map_or("", |r| &r.get(b).title),
            Source::Rule { rule, title, .. } => {
                let o = &rubric.rubric.outcome[rule];
                (title.and_then(|v| o.variant[v].title.as_deref()))
                    .or(o.title.as_deref())
                    .unwrap_or_default()
            }
        }
    }

    /// The summary.
    pub fn summary(self, rubric: &LoadedRubric) -> &str {
        match self {
            Source::Band(b) => {
                (rubric.rubric.recommendation.as_ref()).map_or("", |r| &r.get(b).summary)
            }
            Source::Rule { rule, summary, .. } => {
                let o = &rubric.rubric.outcome[rule];
                (summary.and_then(|v| o.variant[v].summary.as_deref()))
                    .or(o.summary.as_deref())
                    .unwrap_or_default()
            }
        }
    }

    /// Every next step, shown or not.
    pub fn steps(self, rubric: &LoadedRubric) -> &[NextStep] {
        match self {
            Source::Band(b) => {
                (rubric.rubric.recommendation.as_ref()).map_or(&[], |r| &r.get(b).next_steps)
            }
            Source::Rule { rule, steps, .. } => {
                let o = &rubric.rubric.outcome[rule];
                (steps.and_then(|v| o.variant[v].next_steps.as_deref()))
                    .or(o.next_steps.as_deref())
                    .unwrap_or_default()
            }
        }
    }
}

/// The texts that apply to one result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Advice {
    /// Where the texts come from.
    pub source: Source,
    /// What the summary opens with.
    pub lead: Lead,
    /// Indexes into the source's `next-steps` that are shown: those without an
    /// `unless`, or whose `unless` does not hold. None for a provisional result.
    pub steps: Vec<usize>,
    /// Every other fired gate, in file order: a risk to the recommended office,
    /// shown with its message whatever it did to the result.
    pub risks: Vec<usize>,
}

impl Advice {
    /// The texts that lead the explanation of a result: the messages of the gates
    /// that changed it, or the summary, or nothing (provisional).
    pub fn lead_texts<'r>(&self, rubric: &'r LoadedRubric) -> Vec<&'r str> {
        let r = &rubric.rubric;
        match &self.lead {
            Lead::Summary => vec![self.source.summary(rubric)],
            Lead::Gates(gs) => gs.iter().map(|&g| r.gate[g].message.as_str()).collect(),
            Lead::Nothing => Vec::new(),
        }
    }

    /// The next steps shown for a result, in the rubric's order.
    pub fn shown_steps<'r>(&self, rubric: &'r LoadedRubric) -> Vec<&'r str> {
        let steps = self.source.steps(rubric);
        self.steps.iter().map(|&i| steps[i].text()).collect()
    }

    /// The messages of the risks (the fired gates that do not lead), in file order.
    pub fn risk_messages<'r>(&self, rubric: &'r LoadedRubric) -> Vec<&'r str> {
        (self.risks.iter())
            .map(|&g| rubric.rubric.gate[g].message.as_str())
            .collect()
    }

    /// No text chosen: for outputs that show none (csv, json).
    pub(crate) fn none() -> Self {
        Advice {
            source: Source::Band(Band::Pmo),
            lead: Lead::Summary,
            steps: Vec::new(),
            risks: Vec::new(),
        }
    }
}

/// Chooses the texts for a result: its `decision`, the gates that fired (by index,
/// with whether each changed the result), `provisional`, and whether a resolved
/// condition holds on what was scored (`holds`: something unanswered never meets a
/// condition, so a step that tests it is shown).
pub fn advise(
    rubric: &LoadedRubric,
    decision: &Decision,
    gates: &[(usize, bool)],
    provisional: bool,
    holds: impl Fn(&Cond) -> bool,
) -> Advice {
    let r = &rubric.rubric;
    let recommendation = decision.recommendation;
    // The gates that changed the result and whose band it is lead; every other
    // fired gate is a risk.
    let leading: Vec<usize> = (gates.iter())
        .filter(|&&(gi, changed)| changed && r.gate[gi].effect().1 == Some(recommendation))
        .map(|&(gi, _)| gi)
        .collect();
    let risks = (gates.iter())
        .map(|&(gi, _)| gi)
        .filter(|gi| !leading.contains(gi))
        .collect();
    let lead = match (leading.is_empty(), provisional) {
        (false, _) => Lead::Gates(leading),
        (true, false) => Lead::Summary,
        (true, true) => Lead::Nothing,
    };
    let source = match decision.rule {
        None => Source::Band(recommendation),
        Some(ri) => {
            let rule = rubric.rules()[ri].result;
            let o = &r.outcome[rule];
            let variant = |has: fn(&crate::rubric::TextVariant) -> bool| {
                (o.variant.iter().enumerate())
                    .find(|(v, x)| has(x) && rubric.conds(&o.variant[*v].when).iter().all(&holds))
                    .map(|(v, _)| v)
            };
            Source::Rule {
                rule,
                title: variant(|x| x.title.is_some()),
                summary: variant(|x| x.summary.is_some()),
                steps: variant(|x| x.next_steps.is_some()),
            }
        }
    };
    let steps = if provisional {
        Vec::new()
    } else {
        let step_conds = |i: usize, s: &NextStep| match source {
            Source::Band(b) => rubric.step_conds(b, i).to_vec(),
            Source::Rule { .. } => rubric.conds(s.unless()),
        };
        (source.steps(rubric).iter().enumerate())
            .filter(|&(i, s)| !step_conds(i, s).iter().any(&holds))
            .map(|(i, _)| i)
            .collect()
    };
    Advice {
        source,
        lead,
        steps,
        risks,
    }
}

/// The advice for one scored sheet (`provisional`: its coverage falls short).
pub(crate) fn for_sheet(rubric: &LoadedRubric, o: &Outcome, provisional: bool) -> Advice {
    advise(rubric, &o.decision(), o.gates(), provisional, |c| {
        o.holds(rubric, c)
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
        let r = crate::testing::v2();
        let steps = &r.rubric.recommendation.as_ref().unwrap().pmo.next_steps;
        let standards = steps
            .iter()
            .position(|s| {
                (s.unless().first())
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
        let r = crate::testing::v2();
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
        let e = crate::scoring::evaluate(&r, &c).unwrap();
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
